/* Every datapath of DESIGN.md, one line each, in the order users read them. */
#include <string.h>

#include "topology.h"

extern const struct topology_ops topo_vhost_net_ops;
extern const struct topology_ops topo_virtio_tap_ops;
extern const struct topology_ops topo_vhost_user_ops;
extern const struct topology_ops topo_ivshmem_ops;
extern const struct topology_ops topo_ivshmem_memif_ops;
extern const struct topology_ops topo_kni_ops;
extern const struct topology_ops topo_sriov_vf_ops;
extern const struct topology_ops topo_sriov_pf_vf_ops;
extern const struct topology_ops topo_tc_offload_ops;
extern const struct topology_ops topo_tc_offload_vxlan_ops;
extern const struct topology_ops topo_tc_sw_ops;

const struct topology_ops *const topo_table[] = {
	&topo_vhost_net_ops,
	&topo_virtio_tap_ops,
	&topo_vhost_user_ops,
	&topo_ivshmem_ops,
	&topo_ivshmem_memif_ops,
	&topo_kni_ops,
	&topo_sriov_vf_ops,
	&topo_sriov_pf_vf_ops,
	&topo_tc_offload_ops,
	&topo_tc_offload_vxlan_ops,
	&topo_tc_sw_ops,
	NULL,
};

const struct topology_ops *topo_find(const char *name)
{
	for (const struct topology_ops *const *o = topo_table; *o; o++)
		if (!strcmp((*o)->name, name))
			return *o;
	return NULL;
}
