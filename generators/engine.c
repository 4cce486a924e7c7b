/* vioperf engine: one generator or receiver process (contract in
 * engine.h). Parses its options, attaches the stats block, opens the
 * backend, and hands over to gen_run (tx) or rx_run (rx). Everything it
 * acquires (stats mapping, backend, buffers) is released on every path out. */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../harness/commands.h"
#include "../harness/util.h"
#include "engine.h"
#include "gen.h"
#include "io.h"
#include "linkpoll.h"
#include "pcapsrc.h"
#include "pkt.h"
#include "rx.h"
#include "seqtrack.h"
#include "stats.h"
#include "tsc.h"

#define ENGINE_TSC_WINDOW_MS 60
#define ENGINE_DEFAULT_BURST 32

struct engine_opts {
	int is_tx;
	const char *io;
	int nb_args;
	char *args[IO_MAX_ARGS];
	int stats_fd;
	int cpu;
	int nb_sizes;
	uint16_t sizes[GEN_MAX_SIZES];
	struct pkt_cfg pkt;
	unsigned burst;
	const char *pcap;		/* tx: replay this file */
	const char *capture;		/* rx: save the first frames here */
	uint64_t capture_frames;
};

static volatile sig_atomic_t engine_signal;

static void engine_on_signal(int sig)
{
	engine_signal = sig;
}

static void engine_usage(FILE *f)
{
	fprintf(f,
		"usage: vioperf engine --role tx|rx --io NAME [--io-arg ARG]...\n"
		"                      --stats-fd FD [--cpu N] [--sizes LIST]\n"
		"                      [--flows N] [--vlan ID] [--burst N]\n\n"
		"One traffic generator (tx) or receiver (rx) process, started by\n"
		"'vioperf run' and driven through its shared stats block.\n\n"
		"  --role tx|rx     generate or receive\n"
		"  --io NAME        I/O backend:");
	for (const struct io_ops *const *o = io_table; *o; o++)
		fprintf(f, " %s", (*o)->name);
	fprintf(f, "\n"
		"  --io-arg ARG     one backend argument (repeat; dpdk: EAL args)\n"
		"  --stats-fd FD    inherited stats block (memfd)\n"
		"  --cpu N          core to run on (dpdk: EAL -l N)\n"
		"  --sizes LIST     frame sizes with FCS, 64..1518 or imix,\n"
		"                   cycled frame by frame (default 64)\n"
		"  --flows N        UDP source ports rotated per frame (default 1)\n"
		"  --vlan ID        802.1Q tag 1..4094 (adds 4 B to each frame)\n"
		"  --pcap FILE      tx: replay the frames of FILE instead of built\n"
		"                   ones (stamped where a UDP/IPv4 frame has room)\n"
		"  --capture FILE   rx: save the first --capture-frames frames (default\n"
		"                   1000) to FILE (pcap, nanosecond timestamps)\n"
		"  --src-mac MAC    source MAC of the frames (default 02:56:50:00:00:01)\n"
		"  --dst-mac MAC    destination MAC (default 02:56:50:00:00:02); a\n"
		"                   switch that forwards by MAC (an SR-IOV NIC's)\n"
		"                   needs the receiving port's address\n"
		"  --burst N        frames per burst, 1..%d (default %d)\n",
		IO_MAX_BURST, ENGINE_DEFAULT_BURST);
}

static int opt_u64(const char *name, const char *s, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	if (util_parse_u64(s, min, max, 0, out) == 0)
		return 0;
	util_err("engine: %s '%s' is not a number in %llu..%llu", name, s,
		 (unsigned long long)min, (unsigned long long)max);
	return -EINVAL;
}

/* 0, 1 for --help, or -EINVAL after a message. */
static int engine_parse(int argc, char **argv, struct engine_opts *o)
{
	static const struct option lopts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "io", required_argument, NULL, 'i' },
		{ "io-arg", required_argument, NULL, 'a' },
		{ "stats-fd", required_argument, NULL, 'f' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "sizes", required_argument, NULL, 's' },
		{ "flows", required_argument, NULL, 'n' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "src-mac", required_argument, NULL, 'S' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "capture", required_argument, NULL, 'C' },
		{ "capture-frames", required_argument, NULL, 'N' },
		{ "dst-mac", required_argument, NULL, 'D' },
		{ "burst", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role = NULL;
	char why[256];
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	pkt_cfg_default(&o->pkt);
	o->stats_fd = -1;
	o->cpu = -1;
	o->burst = ENGINE_DEFAULT_BURST;
	o->nb_sizes = 1;
	o->sizes[0] = 64;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'i':
			o->io = optarg;
			break;
		case 'a':
			if (o->nb_args >= IO_MAX_ARGS) {
				util_err("engine: more than %d --io-arg", IO_MAX_ARGS);
				return -EINVAL;
			}
			o->args[o->nb_args++] = optarg;
			break;
		case 'f':
			if (opt_u64("--stats-fd", optarg, 0, 65535, &v))
				return -EINVAL;
			o->stats_fd = (int)v;
			break;
		case 'c':
			if (opt_u64("--cpu", optarg, 0, CPU_SETSIZE - 1, &v))
				return -EINVAL;
			o->cpu = (int)v;
			break;
		case 's':
			o->nb_sizes = pkt_parse_sizes(optarg, o->sizes,
						      GEN_MAX_SIZES, why,
						      sizeof(why));
			if (o->nb_sizes < 0) {
				util_err("engine: %s", why);
				return -EINVAL;
			}
			break;
		case 'n':
			if (opt_u64("--flows", optarg, 1, PKT_MAX_FLOWS, &v))
				return -EINVAL;
			o->pkt.nb_flows = (uint32_t)v;
			break;
		case 'v':
			if (opt_u64("--vlan", optarg, 1, 4094, &v))
				return -EINVAL;
			o->pkt.vlan = (uint16_t)v;
			break;
		case 'P':
			o->pcap = optarg;
			break;
		case 'C':
			o->capture = optarg;
			break;
		case 'N':
			if (opt_u64("--capture-frames", optarg, 1, 100000000, &v))
				return -EINVAL;
			o->capture_frames = v;
			break;
		case 'S':
		case 'D':
			if (pkt_parse_mac(optarg, c == 'S' ? o->pkt.src_mac
							   : o->pkt.dst_mac) < 0) {
				util_err("engine: --%s-mac: '%s' is not a MAC "
					 "address; give six hex bytes like "
					 "02:56:50:00:00:01", c == 'S' ? "src"
					 : "dst", optarg);
				return -EINVAL;
			}
			break;
		case 'b':
			if (opt_u64("--burst", optarg, 1, IO_MAX_BURST, &v))
				return -EINVAL;
			o->burst = (unsigned)v;
			break;
		case 'h':
			return 1;
		default:
			util_err("engine: unknown or incomplete option '%s'; see "
				 "'vioperf engine --help'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		util_err("engine: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (!role || (strcmp(role, "tx") && strcmp(role, "rx"))) {
		util_err("engine: give --role tx or --role rx");
		return -EINVAL;
	}
	o->is_tx = !strcmp(role, "tx");
	if (!o->io) {
		util_err("engine: give the I/O backend with --io NAME (see --help)");
		return -EINVAL;
	}
	if (o->stats_fd < 0) {
		util_err("engine: give the stats block with --stats-fd FD "
			 "(the harness passes it)");
		return -EINVAL;
	}
	return 0;
}

static void engine_fail(struct eng_stats *st, const char *why)
{
	util_err("%s", why);
	if (st) {
		snprintf(st->error, sizeof(st->error), "%s", why);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		st->state = ENG_FAILED;
	}
}

static void engine_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = engine_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Pin to cpu unless something (the EAL's -l, the harness) already pinned
 * this thread to a single core. */
static int engine_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) < 0 ? -errno : 0;
}

/* A busy-polling engine under SCHED_FIFO/RR never yields its core: the
 * harness (or a test) that drives it, and the kernel threads that move a
 * path's packets, would then get only the RT throttle's leftovers. The
 * engine always polls as an ordinary task. */
static void engine_sched_other(void)
{
	struct sched_param sp = { .sched_priority = 0 };
	int policy = sched_getscheduler(0);

	if (policy == SCHED_FIFO || policy == SCHED_RR) {
		if (sched_setscheduler(0, SCHED_OTHER, &sp) == 0)
			util_info("vioperf engine: real-time policy dropped: a "
				  "polling engine would starve its harness");
	}
}

/* Open the backend and run the role; the stats block is attached. Returns
 * 0, or -errno after engine_fail. */
static int engine_run(struct engine_opts *o, struct eng_stats *st)
{
	const struct io_ops *io = io_find(o->io);
	struct io_port *port = NULL;
	struct io_cfg cfg;
	struct io_info info;
	struct eng_counters c;
	struct linkpoll lp;
	struct pcapsrc ps = { 0 };
	struct gen *g = NULL;
	struct seqtrack *trk = NULL;
	char why[256];
	int rc;

	memset(&c, 0, sizeof(c));
	if (!io) {
		snprintf(why, sizeof(why), "engine: no I/O backend '%s'; see "
			 "'vioperf engine --help' for the built-in ones", o->io);
		engine_fail(st, why);
		return -ENOENT;
	}
	if (o->is_tx && (!io->tx_reserve || !io->tx_commit)) {
		snprintf(why, sizeof(why), "engine: backend '%s' cannot send",
			 io->name);
		engine_fail(st, why);
		return -ENOTSUP;
	}
	if (!o->is_tx && (!io->rx_burst || !io->rx_release)) {
		snprintf(why, sizeof(why), "engine: backend '%s' cannot receive",
			 io->name);
		engine_fail(st, why);
		return -ENOTSUP;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.nb_args = o->nb_args;
	cfg.args = o->args;
	cfg.is_tx = o->is_tx;
	cfg.cpu = o->cpu;
	cfg.burst = o->burst;
	cfg.max_frame = PKT_MAX_FRAME + PKT_VLAN_LEN - PKT_FCS_LEN;
	if (o->is_tx) {
		g = calloc(1, sizeof(*g));
		if (!g) {
			engine_fail(st, "engine: out of memory");
			return -ENOMEM;
		}
		if (o->pcap) {
			rc = pcapsrc_load(o->pcap, &ps, why, sizeof(why));
			rc = rc ? rc : gen_setup_pcap(g, &o->pkt, &ps, why,
						      sizeof(why));
		} else {
			rc = gen_setup(g, &o->pkt, o->sizes, o->nb_sizes, why,
				       sizeof(why));
		}
		if (rc < 0)
			goto fail;
		cfg.max_frame = g->max_buf_len;
	} else {
		trk = calloc(1, sizeof(*trk));
		if (!trk) {
			engine_fail(st, "engine: out of memory");
			return -ENOMEM;
		}
		seqtrack_reset(trk);
	}

	rc = io->open(&port, &cfg, why, sizeof(why));
	if (rc < 0)
		goto fail;
	rc = engine_pin(o->cpu);
	if (rc < 0) {
		snprintf(why, sizeof(why), "engine: cannot pin to cpu %d (%s); "
			 "give a --cpu this process may use", o->cpu,
			 strerror(-rc));
		goto fail;
	}
	io->info(port, &info);
	memcpy(st->desc, info.desc, sizeof(st->desc));
	st->desc[sizeof(st->desc) - 1] = '\0';
	linkpoll_init(&lp, io, port, st, &c);

	if (o->is_tx) {
		g->io = io;
		g->port = port;
		g->st = st;
		g->stop = &engine_signal;
		g->burst = o->burst;
		/* a deliberate slowdown, only for testing the regression gate */
		if (getenv("VIOPERF_TEST_TX_SLOWDOWN_PCT"))
			g->test_slowdown_pct = (unsigned)strtoul(
				getenv("VIOPERF_TEST_TX_SLOWDOWN_PCT"), NULL, 10) % 1000;
		rc = gen_prefill(g);
		if (rc < 0) {
			snprintf(why, sizeof(why), "engine: %s: prefill of the tx "
				 "buffers failed (%s)", io->name, strerror(-rc));
			goto fail;
		}
		stats_publish(st, &c);
		st->state = ENG_READY;
		rc = gen_run(g, &lp, &c, why, sizeof(why));
	} else {
		struct rx r = {
			.io = io, .port = port, .st = st,
			.stop = &engine_signal, .burst = o->burst, .trk = trk,
			.hdr_off = pkt_hdr_off(&o->pkt),
		};

		if (o->capture) {
			rc = capture_open(&r.cap, o->capture, o->capture_frames ?
					  o->capture_frames : 1000, why,
					  sizeof(why));
			if (rc < 0)
				goto fail;
		}
		stats_publish(st, &c);
		st->state = ENG_READY;
		rc = rx_run(&r, &lp, &c);
		capture_close(r.cap);
		if (rc < 0)
			snprintf(why, sizeof(why), "engine: receive failed (%s)",
				 strerror(-rc));
	}
	if (rc < 0)
		goto fail;
	if (engine_signal) {
		snprintf(why, sizeof(why), "engine: stopped by signal %d before "
			 "the harness said stop", (int)engine_signal);
		rc = -EINTR;
		goto fail;
	}
	io->close(port);
	free(g);
	free(trk);
	pcapsrc_free(&ps);
	st->state = ENG_DONE;
	return 0;
fail:
	engine_fail(st, why);
	io->close(port);
	free(g);
	free(trk);
	pcapsrc_free(&ps);
	return rc;
}

int cmd_engine(int argc, char **argv)
{
	struct engine_opts o;
	struct eng_stats *st = NULL;
	int rc;

	util_set_prog("vioperf engine");
	rc = engine_parse(argc, argv, &o);
	if (rc == 1) {
		engine_usage(stdout);
		return VP_EXIT_OK;
	}
	if (rc < 0)
		return VP_EXIT_USAGE;
	/* an engine never outlives the harness that drives it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		util_errno(errno, "engine: PR_SET_PDEATHSIG");
	rc = stats_attach(o.stats_fd, &st);
	if (rc < 0) {
		util_errno(-rc, "engine: cannot map the stats block on fd %d "
			   "(the harness passes a memfd)", o.stats_fd);
		return VP_EXIT_USAGE;
	}
	engine_signals();
	engine_sched_other();
	st->pid = (int32_t)getpid();
	st->state = ENG_STARTING;
	st->tsc_hz = tsc_measure_hz(ENGINE_TSC_WINDOW_MS);
	if (!st->tsc_hz) {
		engine_fail(st, "engine: cannot measure the TSC rate "
			    "(CLOCK_MONOTONIC_RAW unreadable)");
		stats_detach(st);
		return VP_EXIT_FAIL;
	}
	rc = engine_run(&o, st);
	stats_detach(st);
	return rc < 0 ? VP_EXIT_FAIL : VP_EXIT_OK;
}
