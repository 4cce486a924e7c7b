/* hugetlbfs mount and 2 MB page pool: probe, provide, restore. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hugepages.h"
#include "util.h"
#include "workdir.h"

#define POOL "kernel/mm/hugepages/hugepages-2048kB"

static struct hugepages_state run_state;

/* An exclusive flock on the pool's nr_hugepages, so that two runs' read
 * and write of it do not interleave. The fd, or -1 (then unlocked: a
 * fake tree or a kernel without flock on sysfs still works). */
static int pool_lock(const char *sysfs)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/" POOL "/nr_hugepages", sysfs);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void pool_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the flock */
}

/* 1 when another vioperf run of this host is alive (its workdir's owner
 * marker names a live pid other than ours). */
static int other_run_alive(void)
{
	DIR *d = opendir(WORKDIR_ROOT);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[512], buf[160], *p;
		long pid;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/" WORKDIR_MARKER,
			 WORKDIR_ROOT, e->d_name);
		if (util_read_file(path, buf, sizeof(buf)) < 0)
			continue;
		p = strstr(buf, "pid=");
		if (!p)
			continue;
		pid = strtol(p + 4, NULL, 10);
		if (pid > 0 && pid != (long)getpid() &&
		    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			found = 1;
	}
	closedir(d);
	return found;
}

/* 1 when dir holds any entry besides . and .. (or cannot be read). */
static int dir_busy(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int busy = 0;

	if (!d)
		return 1;
	while (!busy && (e = readdir(d)))
		busy = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return busy;
}

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
			 "needs %ld free 2 MB hugepages, %ld free%s", nb_pages,
			 in.nb_free,
			 in.has_mount ? "" : ", and no hugetlbfs mounted");
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
	/* Free pages are not a reservation: a run that is alive may not
	 * have mapped its pages yet, so counting them as ours would leave
	 * both runs short. With another run alive, this run adds all it
	 * needs to the pool (once: what it already added counts). */
	if (in.nb_free < nb_pages ||
	    (h->is_root && s->nb_added < nb_pages && other_run_alive())) {
		int lock = pool_lock(h->sysfs);
		long want, add;

		/* read again under the lock: another run may have raised it */
		rc = hugepages_read(h, &in);
		if (rc < 0) {
			pool_unlock(lock);
			return util_why(why, len, -rc, "reading the hugepage pool");
		}
		add = nb_pages - in.nb_free;
		if (other_run_alive() && nb_pages - s->nb_added > add)
			add = nb_pages - s->nb_added;
		want = in.nr + (add > 0 ? add : 0);
		snprintf(path, sizeof(path), "%s/" POOL "/nr_hugepages",
			 h->sysfs);
		if (!s->raised) {
			s->orig_nr = in.nr;
			util_strlcpy(s->sysfs, h->sysfs, sizeof(s->sysfs));
		}
		rc = want > in.nr ? write_long(path, want) : 0;
		if (rc < 0) {
			pool_unlock(lock);
			return util_why(why, len, -rc,
					"cannot raise %s to %ld: %s", path,
					want, strerror(-rc));
		}
		if (want > in.nr) {
			s->nb_added += want - in.nr;
			s->raised = 1;
		}
		pool_unlock(lock);
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
		/* another run may be using the mount we made: leave it */
		if (!other_run_alive() && !dir_busy(s->mount_path))
			umount2(s->mount_path, MNT_DETACH);
		s->mounted = 0;
	}
	if (s->raised) {
		char path[512];
		int lock = pool_lock(s->sysfs);
		long nr;

		snprintf(path, sizeof(path), "%s/" POOL "/nr_hugepages",
			 s->sysfs);
		if (read_long(path, &nr) == 0)
			write_long(path, nr > s->nb_added ? nr - s->nb_added : 0);
		pool_unlock(lock);
		s->raised = 0;
		s->nb_added = 0;
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
