/* The run's private working directory, /run/vioperf/<tag>/: sockets and
 * files the topologies need, and a marker file that lets a later
 * `vioperf cleanup` find what an interrupted run left behind.
 *
 * Marker: <workdir>/owner, two lines "run_id=<run id>" and "pid=<pid of
 * the vioperf run process>". */
#ifndef VIOPERF_WORKDIR_H
#define VIOPERF_WORKDIR_H

#include <stddef.h>

#define WORKDIR_ROOT "/run/vioperf"
#define WORKDIR_MARKER "owner"

/* Create <root>/<tag>/ (mode 0700, root created as needed) and its marker;
 * the path goes to path[len]. 0, or -errno (-EEXIST when the tag is taken)
 * with nothing left behind. */
int workdir_create(char *path, size_t len, const char *root, const char *tag,
		   const char *run_id);

/* Remove a workdir made by workdir_create and all it holds. Idempotent;
 * path "" is a no-op. */
void workdir_remove(const char *path);

#endif
