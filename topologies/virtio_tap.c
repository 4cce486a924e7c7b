/* virtio-tap: QEMU's user-space virtio-net backend (vhost=off) on a tap fd,
 * without the VM. The guest end reads and writes the tap fd itself, a
 * virtio_net_hdr in front of each frame (backend "tap"), as QEMU does for a
 * guest's virtqueues; the host end is an AF_PACKET socket on the same tap's
 * netdev, i.e. the host kernel's side of the tap.
 *
 *   guest end  tap backend (fd of vp<tag>t)  --write-->  kernel netdev
 *   host end   afpacket on vp<tag>t          --xmit-->   tap queue --> fd
 *
 * Everything lives in the run's netns "vioperf-<tag>"; the tap is
 * persistent (owned by the netns, not by an engine) so each trial's engines
 * attach to the same device. Variant "tap-vnet_hdr". */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "../harness/util.h"
#include "ktopo.h"

static int probe(const struct host *h, char *why, size_t len)
{
	char tun[256];
	int rc = ktopo_probe_base(h, "virtio-tap", 0, why, len);

	if (rc < 0)
		return rc;
	snprintf(tun, sizeof(tun), "%s/net/tun", h->dev);
	if (access(tun, R_OK | W_OK) < 0)
		return util_why(why, len, errno,
				"virtio-tap: %s is missing or not usable (kernel "
				"without CONFIG_TUN, or module tun not loaded: "
				"modprobe tun)", tun);
	return 0;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	char tap[IF_NAMESIZE];
	int rc;

	rc = ktopo_begin(t, cfg, why, len);
	if (rc < 0)
		return rc;
	rc = ktopo_tap(t, cfg, "t", tap, why, len);
	if (rc < 0)
		return rc;
	util_strlcpy(t->end[TOPO_GUEST].backend, "tap",
		     sizeof(t->end[TOPO_GUEST].backend));
	util_strlcpy(t->end[TOPO_GUEST].netns, ktopo_of(t)->ns,
		     sizeof(t->end[TOPO_GUEST].netns));
	if (topo_end_arg(&t->end[TOPO_GUEST], "ifname=%s", tap) < 0 ||
	    ktopo_end_afpacket(t, TOPO_HOST, tap) < 0)
		return util_why(why, len, ENOMEM, "building end arguments");
	/* The tap has carrier only while a reader holds its fd. */
	t->flags |= TOPO_F_START_GUEST_FIRST;
	util_strlcpy(t->variant, "tap-vnet_hdr", sizeof(t->variant));
	return 0;
}

const struct topology_ops topo_virtio_tap_ops = {
	.name = "virtio-tap",
	.summary = "user-space virtio backend on a tap fd (vhost=off) <-> kernel",
	.probe = probe,
	.setup = setup,
	.teardown = ktopo_teardown,
};
