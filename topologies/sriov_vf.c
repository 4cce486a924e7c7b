/* sriov-vf: two VFs of an SR-IOV NIC bound to vfio-pci, a DPDK engine on
 * each; traffic VF -> VF through the NIC's embedded switch (variant
 * "vf-vf", the host end on VF 0, the guest end on VF 1).
 * sriov-pf-vf: the same NIC, the host end on the PF itself through
 * AF_PACKET, the guest end on VF 1 (variant "pf-vf"): what a VM receives
 * from its host's kernel stack.
 * The VFs get the engine's default addresses as MACs (VF 0 the source, VF 1
 * the destination); g2h needs the engine to address the host end's MAC. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "sriov.h"
#include "topology.h"

/* The PF's own MAC from <sysfs>/class/net/<if>/address; "" when unreadable
 * (then the engine's default destination is used). */
static void pf_mac(const struct host *h, const char *ifname, char *mac,
		   size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/class/net/%s/address", h->sysfs, ifname);
	if (util_read_file(path, mac, len) != 17)
		mac[0] = '\0';
}

static int probe_named(const struct host *h, const char *name, char *why,
		       size_t len)
{
	struct sriov_scan *s;
	int rc = sriov_scan_alloc(h, NULL, 0, name, &s, why, len);

	if (rc == 0)
		rc = sriov_scan_why(h, s, name, why, len);
	free(s);
	return rc;
}

static int probe(const struct host *h, char *why, size_t len)
{
	return probe_named(h, "sriov-vf", why, len);
}

static int probe_pf_vf(const struct host *h, char *why, size_t len)
{
	return probe_named(h, "sriov-pf-vf", why, len);
}

static int setup_named(struct topology *t, const struct topology_cfg *cfg,
		       const char *name, int pf_end, char *why, size_t len)
{
	struct sriov_vfs *v = calloc(1, sizeof(*v));
	struct sriov_scan *s = NULL;
	char msg[512];
	int rc;

	if (!v)
		return util_why(why, len, ENOMEM, "%s: out of memory", name);
	t->priv = v;
	rc = sriov_scan_alloc(cfg->host, cfg->pf, cfg->allow_vf_reset, name, &s,
			      why, len);
	if (rc < 0)
		goto out;
	rc = sriov_scan_why(cfg->host, s, name, why, len);
	if (rc < 0)
		goto out;
	rc = sriov_vfs_setup(v, cfg, s, NULL, 1, msg, sizeof(msg));
	if (rc < 0) {
		util_why(why, len, rc, "%s: %s", name, msg);
		goto out;
	}
	if (pf_end) {
		util_strlcpy(t->end[TOPO_HOST].backend, "afpacket",
			     sizeof(t->end[TOPO_HOST].backend));
		rc = topo_end_arg(&t->end[TOPO_HOST], "ifname=%s", v->pf.ifname);
		t->flags |= TOPO_F_KERNEL;
		/* the VF's frames reach the PF only when addressed to it */
		pf_mac(cfg->host, v->pf.ifname, t->end[TOPO_HOST].mac,
		       sizeof(t->end[TOPO_HOST].mac));
	} else {
		rc = sriov_vfs_end(v, 0, &t->end[TOPO_HOST]);
	}
	rc = rc ? rc : sriov_vfs_end(v, 1, &t->end[TOPO_GUEST]);
	if (rc < 0) {
		util_why(why, len, rc, "%s: end arguments: %s", name,
			 strerror(-rc));
		goto out;
	}
	snprintf(t->variant, sizeof(t->variant), "%s %s", pf_end ? "pf-vf" :
		 "vf-vf", v->pf.driver);
	if (sriov_emulated())
		t->flags |= TOPO_F_EMULATED;
	sriov_vfs_print_end(cfg, "host", &t->end[TOPO_HOST]);
	sriov_vfs_print_end(cfg, "guest", &t->end[TOPO_GUEST]);
out:
	free(s);
	return rc;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	return setup_named(t, cfg, "sriov-vf", 0, why, len);
}

static int setup_pf_vf(struct topology *t, const struct topology_cfg *cfg,
		       char *why, size_t len)
{
	return setup_named(t, cfg, "sriov-pf-vf", 1, why, len);
}

static void teardown(struct topology *t)
{
	if (!t->priv)
		return;
	sriov_vfs_restore(t->priv);
	free(t->priv);
	t->priv = NULL;
}

const struct topology_ops topo_sriov_vf_ops = {
	.name = "sriov-vf",
	.summary = "VF <-> VF through an SR-IOV NIC's embedded switch",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
};

const struct topology_ops topo_sriov_pf_vf_ops = {
	.name = "sriov-pf-vf",
	.summary = "PF (kernel, AF_PACKET) <-> VF through an SR-IOV NIC",
	.probe = probe_pf_vf,
	.setup = setup_pf_vf,
	.teardown = teardown,
};
