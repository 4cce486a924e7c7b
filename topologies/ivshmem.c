/* ivshmem: two engines on one shared-memory region laid out as an IVSHMEM
 * BAR (generators/shmring.h): the host end is side a of the "shm" backend,
 * the guest end side b. The region is the file QEMU's ivshmem-plain device
 * maps into a guest (memory-backend-file,share=on,mem-path=FILE), created
 * on hugetlbfs when 2 MB pages can be had (variant shm-ring-hugetlbfs),
 * else in /dev/shm (shm-ring-devshm). No kernel datapath: the engines'
 * own CPU time is the whole cost. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../generators/pkt.h"
#include "../generators/shmring.h"
#include "../harness/hugepages.h"
#include "../harness/util.h"
#include "topology.h"

#define HUGE_2M (2u << 20)

struct ivshmem_priv {
	char path[512];
	int created;		/* the file is ours to remove */
};

static size_t region_size(void)
{
	return shmring_region_size(SHMRING_DEF_SLOTS, SHMRING_SLOT_SIZE,
				   HUGE_2M);
}

static int shm_dir(const struct host *h, char *dir, size_t len)
{
	snprintf(dir, len, "%s/shm", h->dev);
	return access(dir, W_OK) == 0 ? 0 : -errno;
}

static int probe(const struct host *h, char *why, size_t len)
{
	char hwhy[256], dir[256];
	long nb_pages = (long)(region_size() / HUGE_2M);
	int rc;

	if (hugepages_probe(h, nb_pages, hwhy, sizeof(hwhy)) == 0)
		return 0;
	rc = shm_dir(h, dir, sizeof(dir));
	if (rc == 0)
		return 0;
	return util_why(why, len, rc,
			"ivshmem: no place for the shared region: %s; and %s is not writable (mount tmpfs there: mount -t tmpfs tmpfs %s)",
			hwhy, dir, dir);
}

/* Pick the directory of the region: a hugetlbfs mount with enough free
 * 2 MB pages (made so when we may), else /dev/shm. */
static int pick_dir(const struct topology_cfg *cfg, char *dir, size_t dlen,
		    int *hugetlb, char *why, size_t len)
{
	const struct host *h = cfg->host;
	struct hugepages_info hi;
	long nb_pages = (long)(region_size() / HUGE_2M);
	char hwhy[256] = "";
	int rc;

	if (cfg->dry_run)
		rc = hugepages_probe(h, nb_pages, hwhy, sizeof(hwhy));
	else
		rc = hugepages_ensure(h, nb_pages, hwhy, sizeof(hwhy));
	if (rc == 0 && hugepages_read(h, &hi) == 0 && hi.has_mount &&
	    (cfg->dry_run || hi.nb_free >= nb_pages)) {
		*hugetlb = 1;
		return util_strlcpy(dir, hi.mount_path, dlen);
	}
	*hugetlb = 0;
	rc = shm_dir(h, dir, dlen);
	if (rc < 0)
		return util_why(why, len, rc,
				"ivshmem: no hugepages (%s) and %s is not writable (mount tmpfs there)",
				hwhy[0] ? hwhy : "no free 2 MB pages", dir);
	if (!cfg->dry_run)
		util_info("ivshmem: region in %s: %s", dir,
			  hwhy[0] ? hwhy : "no free 2 MB hugepages");
	return 0;
}

static int fill_ends(struct topology *t, const char *path)
{
	static const char *const sides[2] = { "side=a", "side=b" };

	for (int e = TOPO_HOST; e <= TOPO_GUEST; e++) {
		struct topo_end *end = &t->end[e];
		int rc;

		util_strlcpy(end->backend, "shm", sizeof(end->backend));
		rc = topo_end_arg(end, "path=%s", path);
		if (rc == 0)
			rc = topo_end_arg(end, "%s", sides[e]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	struct ivshmem_priv *pv;
	struct shmring_region r;
	char dir[256];
	int hugetlb, rc;

	if (cfg->max_frame > SHMRING_SLOT_SIZE + PKT_FCS_LEN)
		return util_why(why, len, EINVAL,
				"ivshmem: frames of %u B do not fit the %u B slots",
				cfg->max_frame, SHMRING_SLOT_SIZE);
	pv = calloc(1, sizeof(*pv));
	if (!pv)
		return util_why(why, len, ENOMEM, "ivshmem: out of memory");
	t->priv = pv;
	t->flags = 0;
	rc = pick_dir(cfg, dir, sizeof(dir), &hugetlb, why, len);
	if (rc < 0)
		return rc;
	if (snprintf(pv->path, sizeof(pv->path), "%s/vioperf-%s-ivshmem", dir,
		     cfg->tag) >= (int)sizeof(pv->path))
		return util_why(why, len, ENAMETOOLONG,
				"ivshmem: region path under %s is too long", dir);
	topo_action(cfg, "create %s (%zu bytes: 2 rings of %u slots x %u B, header %zu B)",
		    pv->path, region_size(), SHMRING_DEF_SLOTS,
		    SHMRING_SLOT_SIZE, sizeof(struct shmring_hdr));
	if (!cfg->dry_run) {
		rc = shmring_create(&r, pv->path, SHMRING_DEF_SLOTS,
				    SHMRING_SLOT_SIZE, why, len);
		if (rc == -ENOMEM && hugetlb) {
			/* The pages went to someone else since we looked. */
			util_info("ivshmem: %s; falling back to /dev/shm", why);
			hugetlb = 0;
			rc = shm_dir(cfg->host, dir, sizeof(dir));
			if (rc == 0 &&
			    snprintf(pv->path, sizeof(pv->path),
				     "%s/vioperf-%s-ivshmem", dir,
				     cfg->tag) >= (int)sizeof(pv->path))
				rc = -ENAMETOOLONG;
			if (rc == 0)
				rc = shmring_create(&r, pv->path,
						    SHMRING_DEF_SLOTS,
						    SHMRING_SLOT_SIZE, why,
						    len);
		}
		if (rc < 0)
			return rc;
		pv->created = 1;
		/* The engines map it themselves; the harness keeps only the
		 * file. */
		shmring_detach(&r);
	}
	snprintf(t->variant, sizeof(t->variant), "%s",
		 hugetlb ? "shm-ring-hugetlbfs" : "shm-ring-devshm");
	rc = fill_ends(t, pv->path);
	if (rc < 0)
		return util_why(why, len, rc, "ivshmem: cannot build end arguments");
	return 0;
}

static void teardown(struct topology *t)
{
	struct ivshmem_priv *pv = t->priv;

	if (!pv)
		return;
	if (pv->created && unlink(pv->path) < 0 && errno != ENOENT)
		util_errno(errno, "ivshmem: cannot remove region %s; remove it by hand",
			   pv->path);
	free(pv);
	t->priv = NULL;
}

const struct topology_ops topo_ivshmem_ops = {
	.name = "ivshmem",
	.summary = "SPSC rings in a shared-memory region laid out as an IVSHMEM BAR",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
};
