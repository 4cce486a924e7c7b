/* vhost-net: a guest's virtio-net frontend driving the kernel's vhost-net
 * worker, which moves frames between the virtqueues and a tap, without the
 * VM: DPDK's net_virtio_user with path=/dev/vhost-net is the frontend in
 * user space (the guest end); an AF_PACKET socket on the tap's netdev is
 * the host side (the host end).
 *
 *   guest end  dpdk --vdev net_virtio_user0,path=/dev/vhost-net,iface=vp<tag>v
 *              <-> vhost-<pid> worker <-> tap vp<tag>v
 *   host end   afpacket on vp<tag>v
 *
 * The tap is persistent in the run's netns; virtio_user attaches to it by
 * name (the DPDK engine runs inside the netns). The vhost worker's CPU time
 * is added through kernel_tasks. Under emulation (the kernel lab, no
 * hugepages) set VIOPERF_NO_HUGE=1: the DPDK end then runs with --no-huge. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "../harness/util.h"
#include "ktopo.h"

static int probe(const struct host *h, char *why, size_t len)
{
	char tun[256];
	int rc = ktopo_probe_base(h, "vhost-net", 0, why, len);

	if (rc < 0)
		return rc;
	rc = ktopo_probe_vhost_net(h, "vhost-net", why, len);
	if (rc < 0)
		return rc;
	snprintf(tun, sizeof(tun), "%s/net/tun", h->dev);
	if (access(tun, R_OK | W_OK) < 0)
		return util_why(why, len, ENOENT,
				"vhost-net: %s is missing (modprobe tun)", tun);
	return 0;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	char tap[IF_NAMESIZE], vdev[160];
	int rc, huge;

	rc = ktopo_begin(t, cfg, why, len);
	if (rc < 0)
		return rc;
	rc = ktopo_tap(t, cfg, "v", tap, why, len);
	if (rc < 0)
		return rc;
	ktopo_vhost_net_vdev(vdev, sizeof(vdev), tap);
	rc = ktopo_end_dpdk(t, cfg, TOPO_GUEST, vdev, &huge, why, len);
	if (rc < 0)
		return rc;
	if (ktopo_end_afpacket(t, TOPO_HOST, tap) < 0)
		return util_why(why, len, ENOMEM, "building end arguments");
	t->flags |= TOPO_F_START_GUEST_FIRST;
	util_strlcpy(t->variant, huge ? "virtio_user-vhost_net"
				      : "virtio_user-vhost_net-nohuge",
		     sizeof(t->variant));
	return 0;
}

const struct topology_ops topo_vhost_net_ops = {
	.name = "vhost-net",
	.summary = "virtio-user frontend <-> kernel vhost-net worker <-> tap",
	.probe = probe,
	.setup = setup,
	.kernel_tasks = ktopo_vhost_tasks,
	.teardown = ktopo_teardown,
};
