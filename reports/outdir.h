/* All-or-nothing output directories for report and plan: everything is
 * written into a temporary sibling directory, which replaces the final one
 * only when complete. A directory is only ever replaced if an earlier
 * vioperf wrote it (it holds the marker file OUTDIR_MARKER). */
#ifndef VIOPERF_OUTDIR_H
#define VIOPERF_OUTDIR_H

#include <stddef.h>

#define OUTDIR_MARKER ".vioperf-output"

struct outdir {
	char final[2048];
	char tmp[2100];
};

/* Create the temporary directory for final (and final's parents). 0, or
 * -errno with the path and the fix in why. */
int outdir_begin(struct outdir *o, const char *final, char *why, size_t len);

/* Path of name inside the temporary directory. 0 or -ENAMETOOLONG. */
int outdir_path(const struct outdir *o, const char *name, char *buf,
		size_t len);

/* Move the temporary directory to final (replacing an earlier output).
 * 0 or -errno with why. On failure the temporary directory is removed. */
int outdir_commit(struct outdir *o, char *why, size_t len);

/* Remove the temporary directory (safe to call after commit). */
void outdir_abort(struct outdir *o);

#endif
