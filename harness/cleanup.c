#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runid.h"
#include "util.h"
#include "workdir.h"

#define NS_PREFIX "vioperf-"
#define MAX_TAGS 256

void cleanup_paths_default(struct cleanup_paths *p)
{
	p->workdir_root = WORKDIR_ROOT;
	p->netns_dir = "/run/netns";
	p->huge_dir = "/dev/hugepages";
	p->shm_dir = "/dev/shm";
	p->dpdk_dir = "/var/run/dpdk";
	p->proc = "/proc";
}

static int real_netns_delete(const char *name)
{
	char *argv[] = { "ip", "netns", "delete", (char *)name, NULL };
	int rc = util_run(argv, NULL, 0);

	return rc == 0 ? 0 : (rc < 0 ? rc : -EIO);
}

static int real_owner_alive(const struct cleanup_paths *p, pid_t pid)
{
	char path[256], comm[64];

	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH))
		return 0;
	snprintf(path, sizeof(path), "%s/%d/comm", p->proc, (int)pid);
	if (util_read_file(path, comm, sizeof(comm)) < 0)
		return 0;
	/* A recycled pid that now belongs to something else does not own
	 * the tag. */
	return strncmp(comm, "vioperf", 7) == 0;
}

const struct cleanup_ops cleanup_ops_real = {
	.netns_delete = real_netns_delete,
	.owner_alive = real_owner_alive,
};

struct tags {
	char live[MAX_TAGS][RUNID_TAG_LEN + 2];
	int nb_live;
};

static int is_live(const struct tags *t, const char *tag)
{
	for (int i = 0; i < t->nb_live; i++)
		if (!strcmp(t->live[i], tag))
			return 1;
	return 0;
}

static void note(struct cleanup_stats *st, int dry_run, int rc,
		 const char *what, const char *name)
{
	st->nb_found++;
	if (dry_run) {
		printf("would remove %s %s\n", what, name);
		return;
	}
	if (rc < 0) {
		st->nb_errors++;
		printf("FAILED to remove %s %s: %s\n", what, name, strerror(-rc));
		return;
	}
	st->nb_removed++;
	printf("removed %s %s\n", what, name);
}

/* Workdirs: stale ones are removed; live tags are remembered. */
static void sweep_workdirs(const struct cleanup_paths *p,
			   const struct cleanup_ops *ops, int dry_run,
			   struct tags *t, struct cleanup_stats *st)
{
	DIR *d = opendir(p->workdir_root);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char marker[600], text[256], path[512];
		const char *pl;
		long pid = 0;

		if (!runid_tag_valid(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", p->workdir_root, de->d_name);
		snprintf(marker, sizeof(marker), "%s/%s", path, WORKDIR_MARKER);
		if (util_read_file(marker, text, sizeof(text)) >= 0 &&
		    (pl = strstr(text, "pid=")) != NULL)
			pid = strtol(pl + 4, NULL, 10);
		if (pid > 0 && ops->owner_alive(p, (pid_t)pid)) {
			if (t->nb_live < MAX_TAGS)
				util_strlcpy(t->live[t->nb_live++], de->d_name,
					     sizeof(t->live[0]));
			st->nb_in_use++;
			printf("in use %s (pid %ld)\n", de->d_name, pid);
			continue;
		}
		note(st, dry_run, dry_run ? 0 : util_rm_rf(path), "workdir", path);
	}
	closedir(d);
}

static void sweep_netns(const struct cleanup_paths *p,
			const struct cleanup_ops *ops, int dry_run,
			const struct tags *t, struct cleanup_stats *st)
{
	DIR *d = opendir(p->netns_dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *tag = de->d_name + strlen(NS_PREFIX);

		if (strncmp(de->d_name, NS_PREFIX, strlen(NS_PREFIX)) ||
		    !runid_tag_valid(tag) || is_live(t, tag))
			continue;
		note(st, dry_run, dry_run ? 0 : ops->netns_delete(de->d_name),
		     "netns", de->d_name);
	}
	closedir(d);
}

/* Files and dirs "vioperf-<tag>..." in dir (region files, DPDK runtime
 * dirs and hugepage files of a --file-prefix vioperf-<tag>[-...]). */
static void sweep_files(const char *dir, int dry_run, const struct tags *t,
			struct cleanup_stats *st)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char tag[RUNID_TAG_LEN], path[512];
		const char *s = de->d_name + strlen(NS_PREFIX);

		if (strncmp(de->d_name, NS_PREFIX, strlen(NS_PREFIX)) ||
		    strlen(s) < RUNID_TAG_LEN - 1)
			continue;
		memcpy(tag, s, RUNID_TAG_LEN - 1);
		tag[RUNID_TAG_LEN - 1] = '\0';
		/* the tag must end there: "-...", a DPDK "map_N", or nothing */
		if (!runid_tag_valid(tag) || is_live(t, tag) ||
		    (s[RUNID_TAG_LEN - 1] && s[RUNID_TAG_LEN - 1] != '-' &&
		     strncmp(s + RUNID_TAG_LEN - 1, "map_", 4)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		note(st, dry_run, dry_run ? 0 : util_rm_rf(path), "file", path);
	}
	closedir(d);
}

int cleanup_sweep(const struct cleanup_paths *p, const struct cleanup_ops *ops,
		  int dry_run, struct cleanup_stats *st)
{
	struct tags *t = calloc(1, sizeof(*t));

	memset(st, 0, sizeof(*st));
	if (!t)
		return -ENOMEM;
	sweep_workdirs(p, ops, dry_run, t, st);
	sweep_netns(p, ops, dry_run, t, st);
	sweep_files(p->huge_dir, dry_run, t, st);
	sweep_files(p->shm_dir, dry_run, t, st);
	sweep_files(p->dpdk_dir, dry_run, t, st);
	free(t);
	return st->nb_errors ? -EIO : 0;
}
