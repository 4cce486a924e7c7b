/* vhost-user: the guest's virtio PMD (DPDK net_virtio_user, process B)
 * talks to a vswitch's vhost-user backend (DPDK net_vhost, process A)
 * over a unix socket; A maps B's hugepage memory with the fds passed over
 * that socket and copies frames straight between the two memories, as a
 * DPDK vswitch does for a VM. No VM, no kernel in the data path.
 *
 * Both processes run with --in-memory (no hugepage files, no shared
 * config: nothing to clean up after a crash) and -m 256 each; the
 * virtio_user side uses --single-file-segments so its memory goes over
 * the socket as a few fds. The vhost (server) side creates the socket and
 * must start first. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_build_config.h>

#include "../harness/hugepages.h"
#include "../harness/util.h"
#include "topology.h"

#define VU_MEM_MB 256
/* both processes' memory in 2 MB pages, plus a little for the EAL */
#define VU_NB_PAGES (2 * VU_MEM_MB / 2 + 16)
#define VU_SOCK "vhost-user.sock"

struct vu_priv {
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int probe(const struct host *h, char *why, size_t len)
{
	char hp[384];

	if (!topo_pmd_present("librte_net_vhost.so"))
		return util_why(why, len, ENOENT,
				"DPDK vhost PMD missing (no librte_net_vhost.so in "
				RTE_EAL_PMD_PATH "); install the Debian package "
				"librte-net-vhost23 (apt-get install dpdk)");
	if (!topo_pmd_present("librte_net_virtio.so"))
		return util_why(why, len, ENOENT,
				"DPDK virtio PMD missing (no librte_net_virtio.so in "
				RTE_EAL_PMD_PATH "); install the Debian package "
				"librte-net-virtio23 (apt-get install dpdk)");
	if (hugepages_probe(h, VU_NB_PAGES, hp, sizeof(hp)) < 0)
		return util_why(why, len, ENOMEM, "hugepages: %s", hp);
	return 0;
}

static int eal_common(struct topo_end *e)
{
	int rc = 0;

	rc |= topo_end_arg(e, "--in-memory");
	rc |= topo_end_arg(e, "--no-pci");
	rc |= topo_end_arg(e, "--no-telemetry");
	rc |= topo_end_arg(e, "-m");
	rc |= topo_end_arg(e, "%d", VU_MEM_MB);
	return rc ? -ENOMEM : 0;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	struct topo_end *host = &t->end[TOPO_HOST], *guest = &t->end[TOPO_GUEST];
	struct vu_priv *p;
	char hp[384];
	int n, rc;

	p = calloc(1, sizeof(*p));
	if (!p)
		return util_why(why, len, ENOMEM, "out of memory");
	t->priv = p;
	n = snprintf(p->sock, sizeof(p->sock), "%s/" VU_SOCK, cfg->workdir);
	if (n < 0 || (size_t)n >= sizeof(p->sock))
		return util_why(why, len, ENAMETOOLONG,
				"socket path %s/" VU_SOCK " is longer than a unix "
				"socket allows (%zu); use a shorter workdir",
				cfg->workdir, sizeof(p->sock) - 1);
	topo_action(cfg, "hugepages: ensure %d free 2 MB pages and a hugetlbfs "
		    "mount (raised and restored by the run when root)",
		    VU_NB_PAGES);
	if (!cfg->dry_run) {
		rc = hugepages_ensure(cfg->host, VU_NB_PAGES, hp, sizeof(hp));
		if (rc < 0)
			return util_why(why, len, -rc, "hugepages: %s", hp);
		/* a socket left by an earlier crashed run of this tag */
		unlink(p->sock);
	}
	topo_action(cfg, "host end: DPDK net_vhost server on %s", p->sock);
	topo_action(cfg, "guest end: DPDK net_virtio_user client of %s",
		    p->sock);

	util_strlcpy(host->backend, "dpdk", sizeof(host->backend));
	rc = eal_common(host);
	rc |= topo_end_arg(host, "--vdev");
	rc |= topo_end_arg(host, "net_vhost0,iface=%s,queues=1", p->sock);
	util_strlcpy(guest->backend, "dpdk", sizeof(guest->backend));
	rc |= eal_common(guest);
	rc |= topo_end_arg(guest, "--single-file-segments");
	rc |= topo_end_arg(guest, "--vdev");
	rc |= topo_end_arg(guest, "net_virtio_user0,path=%s,queues=1",
			   p->sock);
	if (rc)
		return util_why(why, len, ENOMEM, "building EAL arguments");
	util_strlcpy(t->variant, "virtio_user-vhost", sizeof(t->variant));
	t->flags = 0;
	return 0;
}

static void teardown(struct topology *t)
{
	struct vu_priv *p = t->priv;

	if (!p)
		return;
	if (p->sock[0])
		unlink(p->sock);
	free(p);
	t->priv = NULL;
}

const struct topology_ops topo_vhost_user_ops = {
	.name = "vhost-user",
	.summary = "DPDK net_virtio_user (guest PMD) <-> net_vhost (vswitch)",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
};
