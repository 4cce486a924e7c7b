/* Temporary output directories renamed into place (outdir.h). */
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../harness/util.h"

int outdir_begin(struct outdir *o, const char *final, char *why, size_t len)
{
	char parent[2048], *slash;
	size_t n = strlen(final);
	struct stat st;
	int ret;

	memset(o, 0, sizeof(*o));
	while (n > 1 && final[n - 1] == '/')
		n--;
	if (!n || n >= sizeof(o->final))
		return util_why(why, len, ENAMETOOLONG, "%s: bad output path",
				final);
	memcpy(o->final, final, n);
	o->final[n] = '\0';
	if (stat(o->final, &st) == 0) {
		char marker[2200];

		snprintf(marker, sizeof(marker), "%s/" OUTDIR_MARKER, o->final);
		if (!S_ISDIR(st.st_mode))
			return util_why(why, len, ENOTDIR, "%s exists and is "
					"not a directory; choose another output "
					"directory", o->final);
		if (access(marker, F_OK) < 0)
			return util_why(why, len, EEXIST, "%s exists and was "
					"not written by vioperf; remove it or "
					"choose another output directory",
					o->final);
	}
	memcpy(parent, o->final, n + 1);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		ret = util_mkdir_p(parent, 0755);
		if (ret < 0)
			return util_why(why, len, ret, "cannot create %s: %s; "
					"choose a writable output directory",
					parent, strerror(-ret));
	}
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-XXXXXX", o->final);
	if (!mkdtemp(o->tmp)) {
		ret = -errno;
		o->tmp[0] = '\0';
		return util_why(why, len, ret, "cannot create a directory "
				"beside %s: %s; choose a writable output "
				"directory", o->final, strerror(-ret));
	}
	char marker[2200];

	/* mkdtemp makes it 0700; the output is meant to be shared */
	if (chmod(o->tmp, 0755) < 0) {
		ret = -errno;
		outdir_abort(o);
		return util_why(why, len, ret, "%s: %s", o->tmp, strerror(-ret));
	}
	snprintf(marker, sizeof(marker), "%s/" OUTDIR_MARKER, o->tmp);
	int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0) {
		ret = -errno;
		outdir_abort(o);
		return util_why(why, len, ret, "%s: %s", marker, strerror(-ret));
	}
	close(fd);
	return 0;
}

int outdir_path(const struct outdir *o, const char *name, char *buf,
		size_t len)
{
	if (snprintf(buf, len, "%s/%s", o->tmp, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int outdir_commit(struct outdir *o, char *why, size_t len)
{
	int ret;

	if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final, RENAME_NOREPLACE) == 0) {
		o->tmp[0] = '\0';
		return 0;
	}
	if (errno == EEXIST || errno == ENOTEMPTY) {
		/* swap in one step, then drop the old output */
		if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final,
			      RENAME_EXCHANGE) == 0) {
			util_rm_rf(o->tmp);
			o->tmp[0] = '\0';
			return 0;
		}
	}
	ret = -errno;
	util_why(why, len, ret, "cannot move %s to %s: %s", o->tmp, o->final,
		 strerror(-ret));
	outdir_abort(o);
	return ret;
}

void outdir_abort(struct outdir *o)
{
	if (o->tmp[0])
		util_rm_rf(o->tmp);
	o->tmp[0] = '\0';
}
