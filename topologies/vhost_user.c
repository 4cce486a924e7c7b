/* vhost-user: not built yet (issue #2); the probe says so plainly. */
#include <errno.h>

#include "../harness/util.h"
#include "topology.h"

static int probe(const struct host *h, char *why, size_t len)
{
	(void)h;
	return util_why(why, len, ENOSYS, "not implemented yet (issue #2)");
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	(void)t;
	(void)cfg;
	return probe(NULL, why, len);
}

static void teardown(struct topology *t)
{
	(void)t;
}

const struct topology_ops topo_vhost_user_ops = {
	.name = "vhost-user",
	.summary = "DPDK net_virtio_user (guest PMD) <-> net_vhost (vswitch)",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
};
