/* hugetlbfs mount and 2 MB page pool: probe, provide, restore. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hugepages.h"
#include "util.h"

#define POOL "kernel/mm/hugepages/hugepages-2048kB"

static struct hugepages_state run_state;

/* Like `echo v > path`: O_TRUNC, so a fake tree's regular file holds only
 * the new value (sysfs ignores the truncation). */
static int write_long(const char *path, long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", v), fd, rc = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

static int read_long(const char *path, long *v)
{
	char buf[64], *end;
	int rc = util_read_file(path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	errno = 0;
	*v = strtol(buf, &end, 10);
	if (end == buf || errno)
		return -EINVAL;
	return 0;
}

/* A hugetlbfs line of /proc/mounts whose page size is 2 MB (the default
 * size when no pagesize= option is shown; this host's default is what
 * nr_hugepages in /proc/sys raises, and 2 MB on x86). */
static int find_mount(const char *proc, char *path, size_t len)
{
	char file[256], line[1024], dev[256], dir[256], type[64], opts[512];
	FILE *f;
	int found = 0;

	snprintf(file, sizeof(file), "%s/mounts", proc);
	f = fopen(file, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %255s %63s %511s", dev, dir, type,
			   opts) != 4 || strcmp(type, "hugetlbfs"))
			continue;
		if (strstr(opts, "pagesize=") && !strstr(opts, "pagesize=2M") &&
		    !strstr(opts, "pagesize=2048k"))
			continue;
		util_strlcpy(path, dir, len);
		found = 1;
	}
	fclose(f);
	return found;
}

int hugepages_read(const struct host *h, struct hugepages_info *info)
{
	char path[512];
	int rc;

	memset(info, 0, sizeof(*info));
	snprintf(path, sizeof(path), "%s/" POOL "/nr_hugepages", h->sysfs);
	rc = read_long(path, &info->nr);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/" POOL "/free_hugepages", h->sysfs);
	rc = read_long(path, &info->nb_free);
	if (rc < 0)
		return rc;
	info->has_pool = 1;
	info->has_mount = find_mount(h->proc, info->mount_path,
				     sizeof(info->mount_path));
	return 0;
}

static int fix_msg(char *why, size_t len, int err, const char *what,
		   long nb_pages, const struct hugepages_info *in)
{
	return util_why(why, len, err,
			"%s; as root run: echo %ld > /sys/" POOL "/nr_hugepages%s"
			" (or run vioperf as root, which does it and restores it)",
			what, in->nr - in->nb_free + nb_pages,
			in->has_mount ? "" : " && mkdir -p /dev/hugepages && "
			"mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages");
}

int hugepages_probe(const struct host *h, long nb_pages, char *why,
		    size_t len)
{
	struct hugepages_info in;
	char what[160];
	int rc = hugepages_read(h, &in);

	if (rc < 0)
		return util_why(why, len, rc == -ENOENT ? ENOENT : -rc,
				"no 2 MB hugepage pool in %s/" POOL
				" (kernel built without CONFIG_HUGETLBFS?)",
				h->sysfs);
	if (in.nb_free >= nb_pages && in.has_mount)
		return 0;
	if (h->is_root)
		return 0;
	if (in.nb_free < nb_pages)
		snprintf(what, sizeof(what),
			 "needs %ld free 2 MB hugepages, %ld free", nb_pages,
			 in.nb_free);
	else
		snprintf(what, sizeof(what), "no hugetlbfs mounted");
	return fix_msg(why, len, ENOMEM, what, nb_pages, &in);
}

int hugepages_ensure_at(struct hugepages_state *s, const struct host *h,
			long nb_pages, char *why, size_t len)
{
	struct hugepages_info in;
	char path[512];
	int rc;

	rc = hugepages_probe(h, nb_pages, why, len);
	if (rc < 0)
		return rc;
	rc = hugepages_read(h, &in);
	if (rc < 0)
		return util_why(why, len, -rc, "reading the hugepage pool");
	if (in.nb_free < nb_pages) {
		long want = in.nr + (nb_pages - in.nb_free);

		snprintf(path, sizeof(path), "%s/" POOL "/nr_hugepages",
			 h->sysfs);
		if (!s->raised) {
			s->orig_nr = in.nr;
			util_strlcpy(s->sysfs, h->sysfs, sizeof(s->sysfs));
		}
		rc = write_long(path, want);
		if (rc < 0)
			return util_why(why, len, -rc,
					"cannot raise %s to %ld: %s", path,
					want, strerror(-rc));
		s->raised = 1;
		rc = hugepages_read(h, &in);
		if (rc < 0 || in.nb_free < nb_pages)
			return util_why(why, len, ENOMEM,
					"asked the kernel for %ld 2 MB hugepages, "
					"it has %ld free (memory too fragmented or "
					"too small; reserve them at boot with "
					"hugepages=%ld on the kernel command line)",
					nb_pages, rc < 0 ? 0 : in.nb_free, want);
	}
	if (!in.has_mount) {
		snprintf(path, sizeof(path), "%s/hugepages", h->dev);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return util_why(why, len, errno, "mkdir %s: %s", path,
					strerror(errno));
		if (mount("nodev", path, "hugetlbfs", 0, "pagesize=2M") < 0)
			return util_why(why, len, errno,
					"mount -t hugetlbfs nodev %s: %s", path,
					strerror(errno));
		s->mounted = 1;
		util_strlcpy(s->mount_path, path, sizeof(s->mount_path));
	}
	return 0;
}

void hugepages_restore_at(struct hugepages_state *s)
{
	if (s->mounted) {
		umount2(s->mount_path, MNT_DETACH);
		s->mounted = 0;
	}
	if (s->raised) {
		char path[512];

		snprintf(path, sizeof(path), "%s/" POOL "/nr_hugepages",
			 s->sysfs);
		write_long(path, s->orig_nr);
		s->raised = 0;
	}
}

int hugepages_ensure(const struct host *h, long nb_pages, char *why,
		     size_t len)
{
	return hugepages_ensure_at(&run_state, h, nb_pages, why, len);
}

void hugepages_restore(void)
{
	hugepages_restore_at(&run_state);
}
