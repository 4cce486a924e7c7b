/* kni: a DPDK application's exception path into the kernel.
 *
 * Ends: the guest end is the DPDK application side (backend "dpdk" on the
 * vdev below), the host end is the kernel netdev side (afpacket on the
 * netdev the vdev makes). h2g = kernel -> DPDK app, g2h = DPDK app ->
 * kernel. All of it inside the run's netns (the DPDK engine runs there, so
 * the netdev it makes is created there).
 *
 * Variants, best first (VIOPERF_KNI_VARIANT=<name> picks one):
 *   rte_kni                 real KNI: --vdev net_kni0 (librte_net_kni, DPDK
 *                           <= 22.11) with rte_kni.ko loaded; netdev kni0
 *   net_tap                 its upstream replacement: DPDK net_tap makes a
 *                           tap vp<tag>k and moves frames over its fd
 *   virtio_user-vhost_net   the other replacement: DPDK virtio_user on the
 *                           kernel's vhost-net worker, tap vp<tag>k
 *                           (only where /dev/vhost-net exists)
 * The netdev exists only while the DPDK end runs, so the guest end starts
 * first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_build_config.h>

#include "../harness/util.h"
#include "ktopo.h"

/* 1 when real KNI can run: the PMD and the kernel module. */
static int kni_real(const struct host *h)
{
	char path[256];

	if (!topo_pmd_present("librte_net_kni.so"))
		return 0;
	snprintf(path, sizeof(path), "%s/kni", h->dev);
	if (access(path, F_OK) == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/module/rte_kni", h->sysfs);
	return access(path, F_OK) == 0;
}

static int kni_net_tap(const struct host *h, char *why, size_t len)
{
	char tun[256];

	if (!topo_pmd_present("librte_net_tap.so"))
		return util_why(why, len, ENOENT,
				"kni: no rte_kni (librte_kni and rte_kni.ko are "
				"gone from DPDK >= 23.11 and from Debian's 22.11) "
				"and no DPDK net_tap PMD (librte_net_tap.so in "
				RTE_EAL_PMD_PATH "): apt-get install dpdk");
	snprintf(tun, sizeof(tun), "%s/net/tun", h->dev);
	if (access(tun, R_OK | W_OK) < 0)
		return util_why(why, len, ENOENT,
				"kni: no rte_kni, and %s is missing for the "
				"net_tap exception path (modprobe tun)", tun);
	return 0;
}

static int probe(const struct host *h, char *why, size_t len)
{
	int rc = ktopo_probe_base(h, "kni", 0, why, len);

	if (rc < 0)
		return rc;
	if (kni_real(h))
		return 0;
	return kni_net_tap(h, why, len);
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	const char *want = getenv("VIOPERF_KNI_VARIANT");
	char ifn[IF_NAMESIZE], vdev[160];
	int rc;

	if (!want || !*want)
		want = kni_real(cfg->host) ? "rte_kni" : "net_tap";
	if (!strcmp(want, "rte_kni") && !kni_real(cfg->host))
		return util_why(why, len, ENOENT,
				"kni: rte_kni needs librte_net_kni.so in "
				RTE_EAL_PMD_PATH " and rte_kni.ko loaded "
				"(insmod rte_kni.ko; DPDK <= 22.11 only)");
	if (!strcmp(want, "net_tap")) {
		rc = kni_net_tap(cfg->host, why, len);
	} else if (!strcmp(want, "virtio_user-vhost_net")) {
		rc = ktopo_probe_vhost_net(cfg->host, "kni", why, len);
	} else if (strcmp(want, "rte_kni")) {
		return util_why(why, len, EINVAL,
				"kni: unknown VIOPERF_KNI_VARIANT '%s' (rte_kni, "
				"net_tap, virtio_user-vhost_net)", want);
	} else {
		rc = 0;
	}
	if (rc < 0)
		return rc;
	rc = ktopo_begin(t, cfg, why, len);
	if (rc < 0)
		return rc;
	if (!strcmp(want, "rte_kni")) {
		/* The KNI PMD names the netdev after the vdev: net_kni0 ->
		 * kni0 (inside our netns). */
		util_strlcpy(ifn, "kni0", sizeof(ifn));
		util_strlcpy(vdev, "net_kni0", sizeof(vdev));
	} else if (!strcmp(want, "net_tap")) {
		if (netns_ifname(ifn, sizeof(ifn), cfg->tag, "k") < 0)
			return util_why(why, len, ENAMETOOLONG,
					"interface name vp%sk is too long", cfg->tag);
		snprintf(vdev, sizeof(vdev), "net_tap0,iface=%s", ifn);
	} else {
		rc = ktopo_tap(t, cfg, "k", ifn, why, len);
		if (rc < 0)
			return rc;
		ktopo_vhost_net_vdev(vdev, sizeof(vdev), ifn);
	}
	rc = ktopo_end_dpdk(t, cfg, TOPO_GUEST, vdev, NULL, why, len);
	if (rc < 0)
		return rc;
	if (ktopo_end_afpacket(t, TOPO_HOST, ifn) < 0)
		return util_why(why, len, ENOMEM, "building end arguments");
	t->flags |= TOPO_F_START_GUEST_FIRST;
	util_strlcpy(t->variant, want, sizeof(t->variant));
	return 0;
}

const struct topology_ops topo_kni_ops = {
	.name = "kni",
	.summary = "DPDK app <-> kernel netdev (rte_kni, or its net_tap exception path)",
	.probe = probe,
	.setup = setup,
	.kernel_tasks = ktopo_vhost_tasks,
	.teardown = ktopo_teardown,
};
