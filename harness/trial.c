/* One trial: two engines, warm-up, measured window, drain, one row. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../generators/hist.h"
#include "../generators/pkt.h"
#include "../generators/tsc.h"
#include "cpuacct.h"
#include "perfctr.h"
#include "trial.h"
#include "util.h"

#define POLL_NS 100000000ull		/* watch the engines every 100 ms */
#define STALL_NS 2000000000ull		/* a sender idle this long failed */
#define STALL_RUNNABLE_NS 10000000000ull /* ... when runnable (starved) */
#define LINK_LOST_NS 500000000ull	/* a link down this long: peer gone */
/* drain: rx unchanged this long while it polls. 100 ms proved too short
 * on a loaded 2-core host: a starved vhost receiver still dequeued the
 * last burst 0.1-1 s later, which read as loss. */
#define SETTLE_NS 300000000ull
#define STOP_KILL_NS 2000000000ull	/* SIGTERM -> SIGKILL */
#define MAX_ARGV (IO_MAX_ARGS + 24)

static const char *const end_names[2] = { "host", "guest" };

void trial_init(struct trial *t)
{
	memset(t, 0, sizeof(*t));
	t->st_fd[0] = t->st_fd[1] = -1;
}

void trial_release(struct trial *t)
{
	for (int i = 0; i < 2; i++) {
		proc_stop(&t->proc[i], STOP_KILL_NS);
		stats_detach(t->st[i]);
		t->st[i] = NULL;
		if (t->st_fd[i] >= 0)
			close(t->st_fd[i]);
		t->st_fd[i] = -1;
	}
}

static uint64_t dflt(uint64_t v, uint64_t d)
{
	return v ? v : d;
}

static int fail(struct result_row *row, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct result_row *row, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!strncmp(row->status, "failed", 6))
		return -1;	/* keep the first reason */
	n = snprintf(row->status, sizeof(row->status), "failed: ");
	va_start(ap, fmt);
	vsnprintf(row->status + n, sizeof(row->status) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void set_phase(struct eng_stats *st, enum eng_phase ph)
{
	__atomic_store_n(&st->ctl.phase, (uint32_t)ph, __ATOMIC_RELEASE);
}

static int start_end(struct trial *t, struct topology *topo,
		     const struct trial_cfg *cfg, int end, int is_tx,
		     char *why, size_t len)
{
	const struct topo_end *e = &topo->end[end];
	char *argv[MAX_ARGV], *owned[IO_MAX_ARGS];
	char cpu[16], flows[16], sizes[16], log[4200], name[32], cap[4200],
	     capn[24];
	const struct topo_end *peer = &topo->end[!end];
	struct proc_spec spec;
	int n = 0, nb_owned = 0, rc = 0;

	argv[n++] = "vioperf";
	argv[n++] = "engine";
	argv[n++] = "--role";
	argv[n++] = is_tx ? "tx" : "rx";
	argv[n++] = "--io";
	argv[n++] = (char *)e->backend;
	for (int i = 0; i < e->nb_args && i < IO_MAX_ARGS; i++) {
		/* "--io-arg=X": X may itself start with "--" (EAL options) */
		if (asprintf(&owned[nb_owned], "--io-arg=%s", e->args[i]) < 0) {
			rc = util_why(why, len, ENOMEM, "out of memory");
			goto out;
		}
		argv[n++] = owned[nb_owned++];
	}
	argv[n++] = "--stats-fd";
	argv[n++] = "3";
	if (cfg->cpus[end] >= 0) {
		snprintf(cpu, sizeof(cpu), "%d", cfg->cpus[end]);
		argv[n++] = "--cpu";
		argv[n++] = cpu;
	}
	pkt_size_name(cfg->frame_len, sizes, sizeof(sizes));
	argv[n++] = "--sizes";
	argv[n++] = sizes;
	snprintf(flows, sizeof(flows), "%u", cfg->nb_flows);
	argv[n++] = "--flows";
	argv[n++] = flows;
	if (is_tx && cfg->pcap) {
		argv[n++] = "--pcap";
		argv[n++] = (char *)cfg->pcap;
	}
	if (!is_tx && cfg->capture_dir) {
		snprintf(cap, sizeof(cap), "%s/%s.pcap", cfg->capture_dir,
			 cfg->log_base);
		snprintf(capn, sizeof(capn), "%llu",
			 (unsigned long long)cfg->capture_frames);
		argv[n++] = "--capture";
		argv[n++] = cap;
		argv[n++] = "--capture-frames";
		argv[n++] = capn;
	}
	/* A path with a MAC-forwarding switch (an SR-IOV NIC's) needs frames
	 * addressed to the receiving port. */
	if (is_tx && e->mac[0] && peer->mac[0]) {
		argv[n++] = "--src-mac";
		argv[n++] = (char *)e->mac;
		argv[n++] = "--dst-mac";
		argv[n++] = (char *)peer->mac;
	}
	argv[n] = NULL;

	snprintf(log, sizeof(log), "%s/%s-%s.log", cfg->log_dir, cfg->log_base,
		 end_names[end]);
	snprintf(name, sizeof(name), "%s (%s end)", is_tx ? "tx" : "rx",
		 end_names[end]);
	spec = (struct proc_spec){
		.name = name,
		.exe = cfg->exe,
		.argv = argv,
		.netns = e->netns,
		.stats_fd = t->st_fd[end],
		.log_path = log,
	};
	rc = proc_start(&t->proc[end], &spec, why, len);
out:
	for (int i = 0; i < nb_owned; i++)
		free(owned[i]);
	return rc;
}

/* Why an engine is no longer usable, or NULL while it is fine. */
static const char *end_trouble(struct trial *t, int end, char *buf,
			       size_t len)
{
	struct eng_stats *st = t->st[end];

	if (__atomic_load_n(&st->state, __ATOMIC_ACQUIRE) == ENG_FAILED) {
		snprintf(buf, len, "%s: %s", t->proc[end].name,
			 st->error[0] ? st->error : "engine failed");
		return buf;
	}
	if (!proc_alive(&t->proc[end])) {
		char d[96];

		snprintf(buf, len, "%s%s%s", proc_describe(&t->proc[end], d,
							   sizeof(d)),
			 st->error[0] ? ": " : "", st->error);
		return buf;
	}
	return NULL;
}

/* Why the trial cannot go on, or NULL while the started ends are fine.
 * An end killed by a signal is named first: its peer often fails a moment
 * later because of it, and the first cause is the one to report. */
static const char *any_trouble(struct trial *t, char *buf, size_t len,
			       int *which)
{
	int dummy;

	if (!which)
		which = &dummy;
	for (int i = 0; i < 2; i++)
		if (t->proc[i].pid && !proc_alive(&t->proc[i]) &&
		    WIFSIGNALED(t->proc[i].status)) {
			*which = i;
			return end_trouble(t, i, buf, len);
		}
	for (int i = 0; i < 2; i++)
		if (t->proc[i].pid && end_trouble(t, i, buf, len)) {
			*which = i;
			return buf;
		}
	return NULL;
}

/* Each end publishes its counters (bumping the seqlock's gen) every few
 * loop iterations, also while it only waits for a phase: gen standing
 * still for STALL_NS means the process is stopped or stuck. One that is
 * runnable all along is only starved by a busy host: it gets until
 * STALL_RUNNABLE_NS, so a loaded machine does not fail healthy trials. */
struct heartbeat {
	uint64_t gen[2], moved_ns[2];
	const char *proc;		/* "/proc" */
};

/* The scheduler state letter of pid ('R', 'S', 'D', 'T', ...), or 0. */
static char task_state(const char *proc, pid_t pid)
{
	char path[128], buf[512], *rp;

	snprintf(path, sizeof(path), "%s/%d/stat", proc, (int)pid);
	if (util_read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	rp = strrchr(buf, ')');	/* comm may hold spaces and parens */
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

static void heartbeat_init(struct heartbeat *hb, struct trial *t,
			   const char *proc)
{
	uint64_t now = util_now_ns();

	hb->proc = proc ? proc : "/proc";
	for (int i = 0; i < 2; i++) {
		hb->gen[i] = __atomic_load_n(&t->st[i]->gen, __ATOMIC_ACQUIRE);
		hb->moved_ns[i] = now;
	}
}

/* -1 with the reason in row when an end made no progress for STALL_NS. */
static int heartbeat_check(struct heartbeat *hb, struct trial *t,
			   struct result_row *row)
{
	uint64_t now = util_now_ns();

	for (int i = 0; i < 2; i++) {
		uint64_t g = __atomic_load_n(&t->st[i]->gen, __ATOMIC_ACQUIRE);

		if (g != hb->gen[i]) {
			hb->gen[i] = g;
			hb->moved_ns[i] = now;
		} else if (now - hb->moved_ns[i] > STALL_NS &&
			   (now - hb->moved_ns[i] > STALL_RUNNABLE_NS ||
			    task_state(hb->proc, t->proc[i].pid) != 'R')) {
			char st = task_state(hb->proc, t->proc[i].pid);
			char wchan[64] = "", path[128];

			/* where the kernel holds it: names the wait (a lock,
			 * a driver reset) in the bug report */
			snprintf(path, sizeof(path), "%s/%d/wchan", hb->proc,
				 (int)t->proc[i].pid);
			if (util_read_file(path, wchan, sizeof(wchan)) < 0 ||
			    !strcmp(wchan, "0"))
				wchan[0] = 0;
			return fail(row, "%s stalled (no progress for %.0f s; "
				    "process state %c%s%s)", t->proc[i].name,
				    (now - hb->moved_ns[i]) / 1e9,
				    st ? st : '?', wchan[0] ? " in " : "",
				    wchan);
		}
	}
	return 0;
}

/* Wait until cond(end) holds; 0, -EINTR, or -1 with the reason in row. */
static int wait_ready(struct trial *t, const struct trial_cfg *cfg, int end,
		      struct result_row *row, const char *log)
{
	uint64_t until = util_now_ns() + dflt(cfg->ready_timeout_ns,
					      30000000000ull);
	char buf[300];
	int which = end;

	for (;;) {
		uint32_t s = __atomic_load_n(&t->st[end]->state,
					     __ATOMIC_ACQUIRE);

		if (s == ENG_READY || s == ENG_RUNNING)
			return 0;
		if (any_trouble(t, buf, sizeof(buf), &which))
			return fail(row, "%s (log: %s/%s-%s.log)", buf,
				    cfg->log_dir, cfg->log_base,
				    end_names[which]);
		if (*cfg->stop)
			return -EINTR;
		if (util_now_ns() > until)
			return fail(row, "%s not ready after %.0f s (log: %s)",
				    t->proc[end].name,
				    dflt(cfg->ready_timeout_ns, 30000000000ull) / 1e9,
				    log);
		util_sleep_ns(10000000, cfg->stop);
	}
}

static int wait_link(struct trial *t, const struct trial_cfg *cfg,
		     struct result_row *row)
{
	uint64_t to = dflt(cfg->link_timeout_ns, 10000000000ull);
	uint64_t until = util_now_ns() + to;
	struct heartbeat hb;
	char buf[300];

	heartbeat_init(&hb, t, cfg->proc);
	for (;;) {
		if (t->st[0]->link_up && t->st[1]->link_up)
			return 0;
		if (any_trouble(t, buf, sizeof(buf), NULL))
			return fail(row, "%s", buf);
		if (heartbeat_check(&hb, t, row))
			return -1;
		if (*cfg->stop)
			return -EINTR;
		if (util_now_ns() > until)
			return fail(row, "link not up after %.0f s (host end %s, "
				    "guest end %s)", to / 1e9,
				    t->st[0]->link_up ? "up" : "down",
				    t->st[1]->link_up ? "up" : "down");
		util_sleep_ns(10000000, cfg->stop);
	}
}

/* Sleep ns in POLL_NS steps, checking that both engines live and make
 * progress and that the sender's counter moves. */
static int watch(struct trial *t, const struct trial_cfg *cfg, int tx,
		 uint64_t ns, struct result_row *row)
{
	uint64_t now = util_now_ns(), until = now + ns, last_move = now;
	uint64_t link_seen[2] = { now, now };
	struct eng_counters c;
	struct heartbeat hb;
	uint64_t last_tx;
	char buf[300];

	heartbeat_init(&hb, t, cfg->proc);
	stats_snapshot(t->st[tx], &c);
	last_tx = c.tx_pkts;
	while ((now = util_now_ns()) < until) {
		uint64_t step = until - now < POLL_NS ? until - now : POLL_NS;

		util_sleep_ns(step, cfg->stop);
		if (*cfg->stop)
			return -EINTR;
		if (any_trouble(t, buf, sizeof(buf), NULL))
			return fail(row, "%s", buf);
		if (heartbeat_check(&hb, t, row))
			return -1;
		stats_snapshot(t->st[tx], &c);
		now = util_now_ns();
		/* An end whose backend lost its peer (e.g. the shared-memory
		 * peer's heartbeat stopped) ends the trial, not a spin. */
		for (int i = 0; i < 2; i++) {
			if (t->st[i]->link_up)
				link_seen[i] = now;
			else if (now - link_seen[i] > LINK_LOST_NS &&
				 now - hb.moved_ns[!i] > LINK_LOST_NS)
				/* the peer went quiet first: it is the cause
				 * (stopped, stuck), the lost link the effect */
				return fail(row, "%s stalled (no progress for "
					    "%.0f s)", t->proc[!i].name,
					    (now - hb.moved_ns[!i]) / 1e9);
			else if (now - link_seen[i] > LINK_LOST_NS)
				return fail(row, "%s: link to the peer lost: %.120s",
					    t->proc[i].name, t->st[i]->desc);
		}
		if (c.tx_pkts != last_tx) {
			last_tx = c.tx_pkts;
			last_move = now;
		} else if (now - last_move > STALL_NS) {
			return fail(row, "%s sent nothing for %.0f s",
				    t->proc[tx].name, STALL_NS / 1e9);
		}
	}
	return 0;
}

/* After DRAIN: done as soon as the sender's count is final (it published
 * after DRAIN was set) and every frame it sent is accounted for at the
 * receiver; else when the receiver, still polling, has seen nothing new
 * for SETTLE_NS (frames really lost); at most drain_max_ns. A receiver
 * that is not getting CPU (idle polls not moving) is never taken as
 * settled: what is still in the ring would be miscounted as lost. An end
 * that dies or stalls meanwhile fails the trial (-1, reason in row). */
static int drain(struct trial *t, const struct trial_cfg *cfg, int tx,
		 uint64_t drain_tsc, struct result_row *row)
{
	struct heartbeat hb;
	char buf[300];
	uint64_t until = util_now_ns() + dflt(cfg->drain_max_ns, 3000000000ull);
	uint64_t hz = t->st[tx]->tsc_hz, since = util_now_ns(), last, polls;
	struct eng_counters ct, cr;
	int rx = !tx;

	stats_snapshot(t->st[rx], &cr);
	last = cr.rx_pkts;
	polls = cr.polls_busy + cr.polls_idle;
	heartbeat_init(&hb, t, cfg->proc);
	while (util_now_ns() < until) {
		util_sleep_ns(10000000, cfg->stop);
		if (*cfg->stop)
			return -EINTR;
		if (any_trouble(t, buf, sizeof(buf), NULL))
			return fail(row, "%s", buf);
		if (heartbeat_check(&hb, t, row))
			return -1;
		stats_snapshot(t->st[tx], &ct);
		stats_snapshot(t->st[rx], &cr);
		if (ct.tsc > drain_tsc + hz / 1000 &&
		    cr.rx_unique + cr.corrupted >= ct.tx_pkts)
			break;
		if (cr.rx_pkts != last) {
			last = cr.rx_pkts;
			polls = cr.polls_busy + cr.polls_idle;
			since = util_now_ns();
		} else if (util_now_ns() - since >= SETTLE_NS &&
			   cr.polls_busy + cr.polls_idle > polls) {
			break;
		}
	}
	return 0;
}

static double ratio(uint64_t busy, uint64_t idle)
{
	return busy + idle ? (double)busy / (double)(busy + idle) : 0.0;
}

/* The measured columns from the window snapshots and the final state. */
static void fill_row(struct result_row *row, const struct eng_stats *txs,
		     const struct eng_stats *rxs, const struct eng_counters c0[2],
		     const struct eng_counters c1[2], int tx, uint64_t window_ns,
		     const struct cpuacct_sample *s0,
		     const struct cpuacct_sample *s1)
{
	int rx = !tx;
	struct eng_counters ft, fr;
	uint64_t hz = rxs->tsc_hz ? rxs->tsc_hz : txs->tsc_hz;
	double w = window_ns / 1e9;
	uint64_t rx_win = c1[rx].rx_unique - c0[rx].rx_unique;
	uint64_t bt = c1[tx].polls_busy - c0[tx].polls_busy;
	uint64_t it = c1[tx].polls_idle - c0[tx].polls_idle;
	uint64_t br = c1[rx].polls_busy - c0[rx].polls_busy;
	uint64_t ir = c1[rx].polls_idle - c0[rx].polls_idle;
	struct cpuacct_cores cores;

	stats_snapshot(txs, &ft);
	stats_snapshot(rxs, &fr);
	row->duration_s = w;
	row->offered_pps = row->tx_pps =
		w > 0 ? (double)(c1[tx].tx_pkts - c0[tx].tx_pkts) / w : 0;
	row->rx_pps = w > 0 ? (double)rx_win / w : 0;
	row->tx_pkts = ft.tx_pkts;
	row->rx_pkts = fr.rx_unique;
	row->reordered = fr.reordered;
	row->duplicated = fr.duplicated;
	row->corrupted = fr.corrupted;
	/* pcap frames without a payload header are not tracked one by one:
	 * the loss accounting covers the stamped ones (tx_unstamped and
	 * rx_foreign are reported beside it) */
	row->tx_unstamped = ft.tx_unstamped;
	row->rx_foreign = fr.foreign;
	ft.tx_pkts -= ft.tx_unstamped;
	row->tx_pkts = ft.tx_pkts;
	if (ft.tx_pkts >= fr.rx_unique + fr.corrupted) {
		row->lost = ft.tx_pkts - fr.rx_unique - fr.corrupted;
		row->loss_ratio = ft.tx_pkts ? (double)row->lost / ft.tx_pkts : 0;
	} else {
		row->lost = 0;
		fail(row, "received more than sent (%llu sent, %llu unique + "
		     "%llu corrupted received)", (unsigned long long)ft.tx_pkts,
		     (unsigned long long)fr.rx_unique,
		     (unsigned long long)fr.corrupted);
	}
	row->lat_samples = rxs->lat.nb_samples;
	row->lat_p50_ns = tsc_to_ns(hist_quantile(&rxs->lat, 0.50), hz);
	row->lat_p90_ns = tsc_to_ns(hist_quantile(&rxs->lat, 0.90), hz);
	row->lat_p99_ns = tsc_to_ns(hist_quantile(&rxs->lat, 0.99), hz);
	row->lat_p999_ns = tsc_to_ns(hist_quantile(&rxs->lat, 0.999), hz);
	row->lat_max_ns = tsc_to_ns(rxs->lat.max, hz);
	if (!row->lat_samples)	/* not measured: empty in the CSV */
		row->lat_p50_ns = row->lat_p90_ns = row->lat_p99_ns =
			row->lat_p999_ns = row->lat_max_ns = NAN;
	row->tsc_hz = (double)hz;
	row->busy_ratio_tx = ratio(bt, it);
	row->busy_ratio_rx = ratio(br, ir);
	row->busy_ratio = ratio(bt + br, it + ir);
	cpuacct_cores(s0, s1, window_ns, &cores);
	row->cpu_tx_cores = cores.tx;
	row->cpu_rx_cores = cores.rx;
	row->cpu_kernel_cores = cores.kernel;
	row->cpu_cores = cores.total;
	row->cycles_per_pkt = rx_win ? cores.total * w * (double)hz / rx_win : NAN;
	/* The generator checks itself: a paced trial that could not offer
	 * what was asked is marked (the search treats it as a failure). */
	row->offered_short = row->target_pps > 0 &&
			     row->offered_pps < row->target_pps * 0.99;
	if (!rx_win)
		fail(row, "nothing received in the measured window (%llu sent)",
		     (unsigned long long)(c1[tx].tx_pkts - c0[tx].tx_pkts));
}

static int run_steps(struct trial *t, struct topology *topo,
		     const struct trial_cfg *cfg, struct result_row *row)
{
	int tx = cfg->dir == PLAN_H2G ? TOPO_HOST : TOPO_GUEST, rx = !tx;
	int first = topo->flags & TOPO_F_START_GUEST_FIRST ? TOPO_GUEST
							    : TOPO_HOST;
	struct eng_counters c0[2], c1[2];
	struct cpuacct_sample s0, s1;
	struct cpuacct_src src;
	struct perfctr pc[2] = { { 0 }, { 0 } };
	struct perfctr_sample h0[2] = { { 0 } }, h1[2] = { { 0 } };
	int have_hw, have_rules;
	uint64_t rules0[2] = { 0 }, rules1[2] = { 0 };
	uint64_t t0, t1;
	char why[512], log[4200], buf[300];
	int rc;

	for (int i = 0; i < 2; i++) {
		t->st_fd[i] = stats_create(&t->st[i]);
		if (t->st_fd[i] < 0) {
			rc = t->st_fd[i];
			t->st_fd[i] = -1;
			t->st[i] = NULL;
			return fail(row, "stats block: %s", strerror(-rc));
		}
	}
	for (int k = 0; k < 2; k++) {
		int end = k == 0 ? first : !first;

		snprintf(log, sizeof(log), "%s/%s-%s.log", cfg->log_dir,
			 cfg->log_base, end_names[end]);
		if (*cfg->stop)
			return -EINTR;
		if (start_end(t, topo, cfg, end, end == tx, why, sizeof(why)) < 0)
			return fail(row, "%s", why);
		rc = wait_ready(t, cfg, end, row, log);
		if (rc)
			return rc;
	}
	rc = wait_link(t, cfg, row);
	if (rc)
		return rc;

	set_phase(t->st[rx], PHASE_WARMUP);
	t->st[tx]->ctl.rate_pps = cfg->rate_pps;
	set_phase(t->st[tx], PHASE_WARMUP);
	rc = watch(t, cfg, tx, (uint64_t)(cfg->warmup_s * 1e9), row);
	if (rc)
		return rc;

	memset(&src, 0, sizeof(src));
	src.proc = cfg->proc;
	src.pid[0] = t->proc[tx].pid;
	src.pid[1] = t->proc[rx].pid;
	src.cpus[0] = cfg->cpus[tx];
	src.cpus[1] = cfg->cpus[rx];
	src.kernel = !!(topo->flags & TOPO_F_KERNEL);
	if (topo->ops->kernel_tasks)
		src.nb_tids = topo->ops->kernel_tasks(topo, src.tids,
						      CPUACCT_MAX_TIDS);
	if (src.nb_tids < 0)
		src.nb_tids = 0;

	t0 = util_now_ns();
	stats_snapshot(t->st[tx], &c0[tx]);
	stats_snapshot(t->st[rx], &c0[rx]);
	rc = cpuacct_sample(&src, &s0);
	if (rc < 0)
		return fail(row, "CPU accounting: /proc/<pid> of the engines: %s",
			    strerror(-rc));
	/* Hardware counters where the host has them; none is no error. From
	 * here every path out closes them. */
	have_hw = perfctr_open(&pc[0], cfg->proc, t->proc[tx].pid, NULL, 0) == 0 &&
		  perfctr_open(&pc[1], cfg->proc, t->proc[rx].pid, NULL, 0) == 0;
	if (have_hw)
		have_hw = perfctr_read(&pc[0], &h0[0]) == 0 &&
			  perfctr_read(&pc[1], &h0[1]) == 0;
	/* Offloaded paths: what the hardware's rules counted, for the row. */
	have_rules = topo->ops->hw_counters &&
		     topo->ops->hw_counters(topo, &rules0[0], &rules0[1], NULL,
					    0) == 0;
	set_phase(t->st[rx], PHASE_MEASURE);
	set_phase(t->st[tx], PHASE_MEASURE);
	rc = watch(t, cfg, tx, (uint64_t)(cfg->duration_s * 1e9), row);
	if (rc) {
		perfctr_close(&pc[0]);
		perfctr_close(&pc[1]);
		return rc;
	}
	if (have_hw)
		have_hw = perfctr_read(&pc[0], &h1[0]) == 0 &&
			  perfctr_read(&pc[1], &h1[1]) == 0;
	perfctr_close(&pc[0]);
	perfctr_close(&pc[1]);
	if (have_hw) {
		row->hw_cycles = h1[0].cycles - h0[0].cycles +
				 h1[1].cycles - h0[1].cycles;
		row->hw_instructions = h1[0].instructions - h0[0].instructions +
				       h1[1].instructions - h0[1].instructions;
	}
	if (have_rules &&
	    topo->ops->hw_counters(topo, &rules1[0], &rules1[1], NULL, 0) == 0) {
		row->hw_rule_pkts = rules1[0] - rules0[0];
		row->hw_rule_bytes = rules1[1] - rules0[1];
	}
	rc = cpuacct_sample(&src, &s1);
	stats_snapshot(t->st[tx], &c1[tx]);
	stats_snapshot(t->st[rx], &c1[rx]);
	t1 = util_now_ns();
	if (rc < 0)
		return fail(row, "CPU accounting: %s", strerror(-rc));

	set_phase(t->st[tx], PHASE_DRAIN);
	set_phase(t->st[rx], PHASE_DRAIN);
	rc = drain(t, cfg, tx, tsc_read(), row);
	if (rc)
		return rc;
	/* Stop in reverse start order: the end that connected last (e.g.
	 * the vhost-user client) leaves while its peer still answers, so
	 * neither side logs a broken connection. */
	for (int k = 0; k < 2; k++) {
		int i = k == 0 ? !first : first;

		set_phase(t->st[i], PHASE_STOP);
		if (proc_wait(&t->proc[i], dflt(cfg->exit_timeout_ns,
						10000000000ull)) < 0)
			fail(row, "%s did not exit within %.0f s of STOP",
			     t->proc[i].name,
			     dflt(cfg->exit_timeout_ns, 10000000000ull) / 1e9);
		else if (!proc_ok(&t->proc[i]))
			fail(row, "%s", end_trouble(t, i, buf, sizeof(buf)) ?
			     buf : proc_describe(&t->proc[i], buf, sizeof(buf)));
	}
	if (*cfg->stop)
		return -EINTR;
	fill_row(row, t->st[tx], t->st[rx], c0, c1, tx, t1 - t0, &s0, &s1);
	return 0;
}

int trial_run(struct trial *t, struct topology *topo,
	      const struct trial_cfg *cfg, struct result_row *row)
{
	int rc;

	trial_init(t);
	row->status[0] = '\0';
	rc = run_steps(t, topo, cfg, row);
	trial_release(t);
	if (rc == -EINTR)
		return -EINTR;
	if (!row->status[0])
		util_strlcpy(row->status, "ok", sizeof(row->status));
	return 0;
}
