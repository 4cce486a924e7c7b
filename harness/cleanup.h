/* Finding and removing what interrupted runs left behind. Only objects
 * that carry a run's tag marking are ever considered:
 *   <workdir root>/<tag>/owner      a run's private dir and its owner pid
 *   netns vioperf-<tag>             (interfaces live inside it)
 *   <hugetlbfs>/vioperf-<tag>-*     shared-memory regions on hugepages
 *   /dev/shm/vioperf-<tag>-*        the same on tmpfs
 *   /var/run/dpdk/vioperf-<tag>*    DPDK runtime dirs of --no-huge ends
 * A tag is stale when no live vioperf process owns it: its workdir's owner
 * pid is gone (or is not vioperf any more), or it has no workdir at all. */
#ifndef VIOPERF_CLEANUP_H
#define VIOPERF_CLEANUP_H

#include <stddef.h>
#include <sys/types.h>

struct cleanup_paths {
	const char *workdir_root;	/* "/run/vioperf" */
	const char *netns_dir;		/* "/run/netns" */
	const char *huge_dir;		/* "/dev/hugepages" */
	const char *shm_dir;		/* "/dev/shm" */
	const char *dpdk_dir;		/* "/var/run/dpdk" (runtime dirs of a
					 * --file-prefix vioperf-<tag>...) */
	const char *proc;		/* "/proc" */
};

struct cleanup_ops {
	/* Delete netns name; 0 or -errno. */
	int (*netns_delete)(const char *name);
	/* 1 when pid is a live vioperf process. */
	int (*owner_alive)(const struct cleanup_paths *p, pid_t pid);
};

struct cleanup_stats {
	int nb_found;		/* stale objects found */
	int nb_removed;		/* of which removed */
	int nb_in_use;		/* tags skipped: a live run owns them */
	int nb_errors;
};

void cleanup_paths_default(struct cleanup_paths *p);

/* The real operations: `ip netns delete` (argv) and a /proc check. */
extern const struct cleanup_ops cleanup_ops_real;

/* Find (and unless dry_run remove) everything stale; each object is
 * printed on stdout as "removed <what>" or "would remove <what>", and
 * "in use <tag> (pid N)" for live runs. 0, or -errno of the first error
 * (the sweep goes on past errors; st counts them). */
int cleanup_sweep(const struct cleanup_paths *p, const struct cleanup_ops *ops,
		  int dry_run, struct cleanup_stats *st);

#endif
