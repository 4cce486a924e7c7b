/* One trial: fresh engine processes on the two ends of a built topology,
 * warm-up, a measured window, drain, stop; one results row.
 *
 * Sequence: create two stats blocks; start the first end (host, or guest
 * with TOPO_F_START_GUEST_FIRST) and wait for ENG_READY; the same for the
 * other; wait for link_up on both; rx then tx to WARMUP (tx with its rate);
 * sleep the warm-up; snapshot counters and CPU; both to MEASURE; sleep the
 * window, watching every 100 ms that both live and the sender progresses;
 * snapshot again; both to DRAIN until the receiver's counters settle; STOP;
 * both must exit 0. The harness only sleeps between checks, off the
 * engines' cores' busy time. */
#ifndef VIOPERF_TRIAL_H
#define VIOPERF_TRIAL_H

#include <stdint.h>

#include "../generators/stats.h"
#include "../topologies/topology.h"
#include "plan.h"
#include "proc.h"
#include "results.h"

struct trial_cfg {
	const char *exe;	/* the vioperf binary to exec ("/proc/self/exe") */
	const char *log_dir;	/* engine logs go here */
	const char *log_base;	/* "<log_base>-host.log", "-guest.log" */
	const char *proc;	/* "/proc", for CPU accounting */
	enum plan_dir dir;
	uint16_t frame_len;	/* PKT_IMIX for imix */
	uint32_t nb_flows;
	uint64_t rate_pps;	/* 0: maximum */
	double warmup_s, duration_s;
	int cpus[2];		/* [TOPO_HOST], [TOPO_GUEST]; -1: unpinned */
	volatile int *stop;	/* non-zero: give up now (a signal came) */
	const char *pcap;	/* replay this file instead of built frames */
	const char *capture_dir;	/* receiver saves <log_base>.pcap here */
	uint64_t capture_frames;	/* ... its first this many frames */
	/* Timeouts (ns); 0 picks the defaults (30 s, 10 s, 3 s, 10 s). */
	uint64_t ready_timeout_ns, link_timeout_ns, drain_max_ns,
		 exit_timeout_ns;
};

/* What a trial holds while it runs; owned by the run's context so that
 * its destroy can stop the engines after a signal. */
struct trial {
	struct proc proc[2];		/* [TOPO_HOST], [TOPO_GUEST] */
	struct eng_stats *st[2];
	int st_fd[2];
};

/* An empty trial (nothing held). */
void trial_init(struct trial *t);

/* Run one trial on topo. Fills the measured columns and status of row
 * (the caller sets run_id, datapath, variant, direction, frame_len, trial,
 * rate_kind, target_pps). Returns 0 when row is complete (status "ok" or
 * "failed: <reason>"), -EINTR when *cfg->stop was set (no row). Releases
 * everything it started before returning. */
int trial_run(struct trial *t, struct topology *topo,
	      const struct trial_cfg *cfg, struct result_row *row);

/* Stop the engines (SIGTERM, then SIGKILL), unmap and close the stats
 * blocks. Idempotent; accepts a half-started trial. */
void trial_release(struct trial *t);

#endif
