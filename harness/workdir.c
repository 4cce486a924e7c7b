/* Private workdir of a run, with an owner marker for `vioperf cleanup`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "workdir.h"

int workdir_create(char *path, size_t len, const char *root, const char *tag,
		   const char *run_id)
{
	char marker[4200], text[160];
	int n, rc, fd;

	n = snprintf(path, len, "%s/%s", root, tag);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	rc = util_mkdir_p(root, 0755);
	if (rc < 0)
		return rc;
	if (mkdir(path, 0700) < 0)
		return -errno;
	snprintf(marker, sizeof(marker), "%s/%s", path, WORKDIR_MARKER);
	n = snprintf(text, sizeof(text), "run_id=%s\npid=%ld\n", run_id,
		     (long)getpid());
	fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, (size_t)n) != n) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		util_rm_rf(path);
		path[0] = '\0';
		return rc ? rc : -EIO;
	}
	close(fd);
	return 0;
}

void workdir_remove(const char *path)
{
	if (path && path[0])
		util_rm_rf(path);
}
