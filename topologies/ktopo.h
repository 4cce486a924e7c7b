/* What the kernel datapaths (virtio-tap, kni, tc-sw, vhost-net) share: one
 * network namespace per run that owns every interface of the path, the
 * engines placed inside it, taps deleted and the namespace removed at
 * teardown, and the EAL arguments of a DPDK end that needs no PCI device. */
#ifndef VIOPERF_KTOPO_H
#define VIOPERF_KTOPO_H

#include <net/if.h>
#include <stddef.h>
#include <sys/types.h>

#include "netns.h"
#include "topology.h"

#define KTOPO_MAX_TAPS 2
#define KTOPO_DPDK_MEM_MB 256
#define KTOPO_DPDK_RUN_DIR "/var/run/dpdk"	/* DPDK's runtime dir as root */

/* A kernel datapath's state (topology.priv). */
struct ktopo {
	char ns[NETNS_NAME_LEN];
	char taps[KTOPO_MAX_TAPS][IF_NAMESIZE];	/* persistent taps we made */
	int nb_taps;
	int dry_run;
	int ns_made;		/* we created ns (never delete someone else's) */
	ino_t ns_ino;		/* its nsfs inode, to find its processes */
	dev_t ns_dev;
	char proc[128];		/* the host's /proc, for kernel_tasks */
	char dpdk_prefix[32];	/* --file-prefix of a --no-huge DPDK end */
};

/* 0 when this host can build netns-based paths: root, and `ip` (and `tc`
 * when need_tc) in PATH; else -errno and why (prefixed with name). */
int ktopo_probe_base(const struct host *h, const char *name, int need_tc,
		     char *why, size_t len);

/* Allocate t->priv, create the run's netns (IPv6 off inside it, so the
 * kernel sends no ND/MLD frames into the measurement), set TOPO_F_KERNEL
 * (and TOPO_F_EMULATED inside the kernel lab, VIOPERF_LAB=1).
 * 0 or -errno (why). On failure the caller still calls ktopo_teardown. */
int ktopo_begin(struct topology *t, const struct topology_cfg *cfg, char *why,
		size_t len);

/* The ktopo of t (NULL before ktopo_begin). */
static inline struct ktopo *ktopo_of(struct topology *t)
{
	return (struct ktopo *)t->priv;
}

/* Create a persistent tap "vp<tag><suffix>" (vnet_hdr) in the netns,
 * remembered for teardown, and set it up for frames of cfg->max_frame.
 * Its name goes to name (IF_NAMESIZE). 0 or -errno (why). */
int ktopo_tap(struct topology *t, const struct topology_cfg *cfg,
	      const char *suffix, char *name, char *why, size_t len);

/* Set up an existing interface of the netns for frames of cfg->max_frame. */
int ktopo_link_up(struct topology *t, const struct topology_cfg *cfg,
		  const char *ifname, char *why, size_t len);

/* Make end an afpacket end on ifname inside the netns. With
 * VIOPERF_AFPACKET_RX=v2 in the environment its receive ring is TPACKET_V2
 * (per-frame, ~5 us to user space) instead of TPACKET_V3 (blocks handed
 * over when full or after 1 ms: latency rows then carry up to 1 ms of
 * block wait; V3 rides out a descheduled receiver better). 0 or -errno. */
int ktopo_end_afpacket(struct topology *t, int end, const char *ifname);

/* Make end a DPDK end inside the netns with EAL arguments
 *   --in-memory --no-pci --no-telemetry -m 256 --vdev VDEV
 * on hugepages when KTOPO_DPDK_MEM_MB of 2 MB pages are (or can be made)
 * free, else with --no-huge --file-prefix vioperf-<tag> instead of
 * --in-memory (also forced by VIOPERF_NO_HUGE=1 in the environment, as in
 * the kernel lab); teardown removes that prefix's runtime dir. *on_huge tells which (may be NULL).
 * 0 or -errno (why). */
int ktopo_end_dpdk(struct topology *t, const struct topology_cfg *cfg,
		   int end, const char *vdev, int *on_huge, char *why,
		   size_t len);

/* Delete our taps and our netns, free priv. Idempotent, never fails. */
void ktopo_teardown(struct topology *t);

/* 1 when process pid lives in the netns of k (its /proc/<pid>/ns/net is
 * ours), read under proc. */
int ktopo_pid_in_ns(const struct ktopo *k, const char *proc, pid_t pid);


/* 0 when /dev/vhost-net exists and opens (opened and closed at once,
 * nothing left behind); else -errno and why (prefixed with name). */
int ktopo_probe_vhost_net(const struct host *h, const char *name, char *why,
			  size_t len);

/* The vdev string of DPDK's virtio frontend on the kernel's vhost-net
 * worker with tap ifname: net_virtio_user0,path=/dev/vhost-net,iface=...
 * into buf. */
void ktopo_vhost_net_vdev(char *buf, size_t len, const char *ifname);

/* kernel_tasks for paths through vhost-net: the "vhost-<pid>" kernel
 * threads of the engine processes inside our netns (found by scanning
 * <proc>/<n>/comm). Since Linux 6.4 the vhost worker is a thread of the
 * engine process itself (already counted with it) and is not listed here.
 * Fills up to max tids, returns the count. */
int ktopo_vhost_tasks(struct topology *t, pid_t *tids, int max);

#endif
