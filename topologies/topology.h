/* The topology contract: one datapath of DESIGN.md, built on its own.
 * One topology per file (topologies/<name>.c), listed once in
 * topo_table.c. A topology probes the host, builds the path, hands out its
 * two ends (which I/O backend and which arguments each engine process
 * gets), and tears everything down.
 *
 * Ends are named from the virtualization point of view: TOPO_HOST is the
 * vswitch / host kernel side, TOPO_GUEST is where a VM's driver would run.
 * Direction h2g sends from the host end to the guest end (the guest's
 * receive path); g2h the other way.
 *
 * Lifetime: probe (any time) -> setup (once per datapath in a run) ->
 * any number of trials, each with fresh engine processes on the two ends ->
 * teardown. teardown is idempotent, never fails, accepts a half-built
 * topology, and is called on every path out (error, signal, child death). */
#ifndef VIOPERF_TOPOLOGY_H
#define VIOPERF_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "../generators/io.h"

enum { TOPO_HOST = 0, TOPO_GUEST = 1 };

/* Where probes and setups look. Tests point these at fake trees. */
struct host {
	const char *sysfs;	/* "/sys" */
	const char *dev;	/* "/dev" */
	const char *proc;	/* "/proc" */
	int is_root;
	int nb_cpus;
};

/* Fill h for the real host. */
void host_default(struct host *h);

/* One end: the engine process that runs there. */
struct topo_end {
	char backend[16];		/* io backend name (io_find) */
	int nb_args;
	char *args[IO_MAX_ARGS];	/* malloc'd; freed by topo_ends_free */
	char netns[64];			/* run the engine inside this netns; "" none */
	char mac[18];			/* this end's port MAC when a switch between
					 * the ends forwards by it (SR-IOV); "" when
					 * any destination reaches the peer */
};

/* Flags a topology sets in setup. */
enum {
	TOPO_F_KERNEL = 1u << 0,	/* the kernel moves packets: count softirq
					 * and system time of the engine CPUs */
	TOPO_F_START_GUEST_FIRST = 1u << 1, /* start the guest end before the
					 * host end (default: host first) */
	TOPO_F_EMULATED = 1u << 2,	/* runs under emulation (kernel lab):
					 * rows are function checks, not speed */
};

struct topology_cfg {
	const char *run_id;	/* the run's id */
	const char *tag;	/* short unique tag (<= 8 chars, [a-z0-9]) for
				 * kernel object names: netns "vioperf-<tag>",
				 * interfaces "vp<tag>..." (IFNAMSIZ!) */
	const char *workdir;	/* private dir for sockets/files; exists */
	const struct host *host;
	uint16_t max_frame;	/* largest frame_len of the plan, with FCS */
	int dry_run;		/* print actions (topo_action), do nothing */
	const char *pf;		/* SR-IOV PF the user allowed (--pf), or NULL:
				 * a PF with an IP address or the default
				 * route is used only when named here */
	int allow_vf_reset;	/* --allow-vf-reset: the PF named in pf may
				 * have its existing VFs destroyed and
				 * recreated (restored at teardown) */
};

struct topology {
	const struct topology_ops *ops;
	char variant[64];		/* what actually ran, e.g. "net_tap" */
	unsigned flags;			/* TOPO_F_* */
	struct topo_end end[2];		/* [TOPO_HOST], [TOPO_GUEST] */
	void *priv;			/* the topology's own state */
};

struct topology_ops {
	const char *name;	/* "vhost-user", as users type it */
	const char *summary;	/* one line for `vioperf list` */
	/* 0 if this host can build the path; else -errno and a reason in why
	 * that names what is missing and how to get it. Mandatory. */
	int (*probe)(const struct host *h, char *why, size_t len);
	/* Build the path and fill t->end[], t->variant, t->flags.
	 * 0, or -errno with a message in why; on failure the caller still
	 * calls teardown. Mandatory. */
	int (*setup)(struct topology *t, const struct topology_cfg *cfg,
		     char *why, size_t len);
	/* Optional: kernel worker threads that move this path's packets
	 * (e.g. vhost-<pid> threads) to add to the CPU accounting; fills up to
	 * max tids, returns the count. Called during a trial. */
	int (*kernel_tasks)(struct topology *t, pid_t *tids, int max);
	/* Undo setup. Idempotent, never fails. Mandatory. */
	void (*teardown)(struct topology *t);
	/* Optional: counters the hardware keeps for this path's offloaded
	 * rules (tc-offload: packets and bytes of the in_hw flower rules on the
	 * representors, each frame counted once), read now; call before and
	 * after a trial's window and subtract. 0, or -errno with a message in
	 * why. */
	int (*hw_counters)(struct topology *t, uint64_t *nb_packets,
			   uint64_t *nb_bytes, char *why, size_t len);
};

/* NULL-terminated table of every datapath (topo_table.c), in the order of
 * DESIGN.md. */
extern const struct topology_ops *const topo_table[];

/* The topology called name, or NULL. */
const struct topology_ops *topo_find(const char *name);

/* Append one argument (printf format) to an end. 0 or -ENOMEM/-E2BIG. */
int topo_end_arg(struct topo_end *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Free the argument strings of both ends (after teardown). */
void topo_ends_free(struct topology *t);

/* 1 when DPDK's plugin dir (RTE_EAL_PMD_PATH) holds a PMD file whose name
 * starts with prefix (e.g. "librte_net_vhost.so"), else 0: probes use it to
 * say which package is missing. */
int topo_pmd_present(const char *prefix);

/* In dry-run mode, print one planned action ("sysfs write ...",
 * "netlink ...", "exec ...") on stdout; else a no-op. Topologies call it for
 * every action they take so --dry-run shows the whole plan. */
void topo_action(const struct topology_cfg *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
