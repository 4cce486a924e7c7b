/* sriov-vf: not built yet (issue #7); the probe says so plainly. */
#include <errno.h>

#include "../harness/util.h"
#include "topology.h"

static int probe(const struct host *h, char *why, size_t len)
{
	(void)h;
	return util_why(why, len, ENOSYS, "not implemented yet (issue #7)");
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

const struct topology_ops topo_sriov_vf_ops = {
	.name = "sriov-vf",
	.summary = "VF <-> VF through an SR-IOV NIC's embedded switch",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
};
