/* 2 MB hugepages for the datapaths that need them (DPDK memory shared
 * between processes, IVSHMEM regions): a hugetlbfs mount and enough free
 * pages. As root, what is missing is made (mount at <dev>/hugepages,
 * raise the 2 MB pool) and remembered, so the run restores the host as
 * it found it; otherwise the message names the commands that fix it.
 *
 * Paths come from struct host (sysfs, proc, dev), so tests point them at
 * fake trees:
 *   <proc>/mounts                                   hugetlbfs mounts
 *   <sysfs>/kernel/mm/hugepages/hugepages-2048kB/   nr_hugepages,
 *                                                   free_hugepages */
#ifndef VIOPERF_HUGEPAGES_H
#define VIOPERF_HUGEPAGES_H

#include <stddef.h>

#include "../topologies/topology.h"

/* What a run changed, to undo at its end. The pool is given back by the
 * number of pages this run added, not set back to orig_nr: runs that
 * overlap on one host each take back only their own raise, in any order.
 * The read-modify-write of nr_hugepages holds an flock on that file. */
struct hugepages_state {
	int raised;		/* nr_hugepages was raised from orig_nr */
	long orig_nr;
	long nb_added;		/* pages this run added to the pool */
	int mounted;		/* we mounted mount_path */
	char mount_path[256];
	char sysfs[200];	/* the sysfs root the change was made under */
};

/* The pool as it is now. */
struct hugepages_info {
	int has_pool;		/* the kernel has a 2 MB pool */
	long nr, nb_free;	/* pages in the pool, free ones */
	int has_mount;		/* a hugetlbfs with 2 MB pages is mounted */
	char mount_path[256];
};

/* Read the 2 MB pool and the mounts. 0 or -errno (-ENOENT: no 2 MB pool). */
int hugepages_read(const struct host *h, struct hugepages_info *info);

/* 0 when nb_pages free 2 MB pages and a mount exist, or when h->is_root
 * and they can be made; else -errno with the reason and the fix in why. */
int hugepages_probe(const struct host *h, long nb_pages, char *why,
		    size_t len);

/* Make sure nb_pages free 2 MB pages and a hugetlbfs mount exist,
 * recording every change in s (which must start zeroed). 0, or -errno with
 * the reason and the fix in why. */
int hugepages_ensure_at(struct hugepages_state *s, const struct host *h,
			long nb_pages, char *why, size_t len);

/* Undo what s records: lower the pool by the pages s added (not below 0)
 * and unmount our mount unless another run still lives or files are in
 * it; idempotent. */
void hugepages_restore_at(struct hugepages_state *s);

/* The same on the process's one record of changes: topologies call
 * hugepages_ensure from setup; the run's owner calls hugepages_restore
 * once at the end of the run (every path out), so the pool is raised once
 * per run, not once per datapath. */
int hugepages_ensure(const struct host *h, long nb_pages, char *why,
		     size_t len);
void hugepages_restore(void);

#endif
