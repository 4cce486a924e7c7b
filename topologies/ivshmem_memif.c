/* ivshmem-memif: the maintained successor of IVSHMEM rings between DPDK
 * applications, DPDK's memif PMD (net_memif). The host end is the memif
 * server (the vswitch side, as VPP runs it), the guest end the client,
 * which creates the shared regions (memfd: rings and packet buffers) and
 * passes them over the unix socket. Frames are copied between each end's
 * mbufs and the shared buffers (memif's default copy mode).
 *
 * Both processes run with --in-memory (no hugepage files, no shared
 * config: nothing to clean up after a crash) and -m 256 each. The socket
 * is a file in the run's workdir (socket-abstract=no), so teardown and
 * `vioperf cleanup` can see and remove it. The server creates it and
 * must start first. */
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

#define MF_MEM_MB 256
/* both processes' memory in 2 MB pages, plus a little for the EAL */
#define MF_NB_PAGES (2 * MF_MEM_MB / 2 + 16)
#define MF_SOCK "memif.sock"

struct mf_priv {
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static int probe(const struct host *h, char *why, size_t len)
{
	char hp[384];

	if (!topo_pmd_present("librte_net_memif.so"))
		return util_why(why, len, ENOENT,
				"DPDK memif PMD missing (no librte_net_memif.so in "
				RTE_EAL_PMD_PATH "); install the Debian package "
				"librte-net-memif23 (apt-get install dpdk)");
	if (hugepages_probe(h, MF_NB_PAGES, hp, sizeof(hp)) < 0)
		return util_why(why, len, ENOMEM, "hugepages: %s", hp);
	return 0;
}

static int end_args(struct topo_end *e, const char *role, const char *sock)
{
	int rc = 0;

	util_strlcpy(e->backend, "dpdk", sizeof(e->backend));
	rc |= topo_end_arg(e, "--in-memory");
	rc |= topo_end_arg(e, "--no-pci");
	rc |= topo_end_arg(e, "--no-telemetry");
	rc |= topo_end_arg(e, "-m");
	rc |= topo_end_arg(e, "%d", MF_MEM_MB);
	rc |= topo_end_arg(e, "--vdev");
	rc |= topo_end_arg(e, "net_memif0,role=%s,id=0,socket=%s,"
			   "socket-abstract=no", role, sock);
	return rc ? -ENOMEM : 0;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	struct mf_priv *p;
	char hp[384];
	int n, rc;

	p = calloc(1, sizeof(*p));
	if (!p)
		return util_why(why, len, ENOMEM, "out of memory");
	t->priv = p;
	n = snprintf(p->sock, sizeof(p->sock), "%s/" MF_SOCK, cfg->workdir);
	if (n < 0 || (size_t)n >= sizeof(p->sock))
		return util_why(why, len, ENAMETOOLONG,
				"socket path %s/" MF_SOCK " is longer than a unix "
				"socket allows (%zu); use a shorter workdir",
				cfg->workdir, sizeof(p->sock) - 1);
	topo_action(cfg, "hugepages: ensure %d free 2 MB pages and a hugetlbfs "
		    "mount (raised and restored by the run when root)",
		    MF_NB_PAGES);
	if (!cfg->dry_run) {
		rc = hugepages_ensure(cfg->host, MF_NB_PAGES, hp, sizeof(hp));
		if (rc < 0)
			return util_why(why, len, -rc, "hugepages: %s", hp);
		/* a socket left by an earlier crashed run of this tag */
		unlink(p->sock);
	}
	topo_action(cfg, "host end: DPDK net_memif server on %s", p->sock);
	topo_action(cfg, "guest end: DPDK net_memif client of %s (creates "
		    "the shared regions)", p->sock);
	if (end_args(&t->end[TOPO_HOST], "server", p->sock) < 0 ||
	    end_args(&t->end[TOPO_GUEST], "client", p->sock) < 0)
		return util_why(why, len, ENOMEM, "building EAL arguments");
	util_strlcpy(t->variant, "net_memif", sizeof(t->variant));
	t->flags = 0;
	return 0;
}

static void teardown(struct topology *t)
{
	struct mf_priv *p = t->priv;

	if (!p)
		return;
	if (p->sock[0])
		unlink(p->sock);
	free(p);
	t->priv = NULL;
}

const struct topology_ops topo_ivshmem_memif_ops = {
	.name = "ivshmem-memif",
	.summary = "DPDK net_memif client (guest) <-> server (vswitch): "
		   "shared-memory rings, the successor of IVSHMEM rings",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
};
