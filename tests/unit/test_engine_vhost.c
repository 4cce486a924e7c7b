/* Two real engine processes over DPDK vhost-user, without the harness:
 * net_vhost (vswitch side) <-> net_virtio_user (guest PMD) on a socket in a
 * private temp dir, each engine pinned to its own core. Drives the phases
 * as the harness does and checks that the counters add up exactly, that
 * latency was recorded, and that nothing is left behind.
 * Needs $VIOPERF (set by tests/run.sh) and free 2 MB hugepages. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/stats.h"
#include "../../generators/tsc.h"
#include "../../harness/util.h"

#define HUGETLBFS_MAGIC_ 0x958458f6
#define NB_HUGE_NEEDED 256

struct end {
	struct eng_stats *st;
	int fd;
	pid_t pid;
};

struct trial {
	char dir[64];
	char sock[96];
	struct end tx, rx;
};

static const char *vioperf;

static void nap_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* Entries of path whose name starts with prefix ("" for all). */
static int count_dir(const char *path, const char *prefix)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    !strncmp(e->d_name, prefix, strlen(prefix)))
			n++;
	closedir(d);
	return n;
}

static int hugepages_free(void)
{
	char buf[4096], *p;
	struct statfs sfs;

	if (statfs("/dev/hugepages", &sfs) || (unsigned)sfs.f_type != HUGETLBFS_MAGIC_)
		return -1;
	if (util_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "HugePages_Free:");
	return p ? atoi(p + 15) : -1;
}

/* Start one engine: role, EAL vdev for its end, core. */
static void end_start(struct end *e, const char *role, const char *vdev,
		      int single_file, int cpu)
{
	char fd[16], cpus[16];
	char *argv[32];
	int n = 0;

	e->fd = stats_create(&e->st);
	assert_true(e->fd >= 0);
	snprintf(fd, sizeof(fd), "%d", e->fd);
	snprintf(cpus, sizeof(cpus), "%d", cpu);
	argv[n++] = (char *)vioperf;
	argv[n++] = "engine";
	argv[n++] = "--role";
	argv[n++] = (char *)role;
	argv[n++] = "--io";
	argv[n++] = "dpdk";
	argv[n++] = "--io-arg=--in-memory";
	argv[n++] = "--io-arg=--no-pci";
	argv[n++] = "--io-arg=--no-telemetry";
	argv[n++] = "--io-arg=--log-level=*:warning";
	if (single_file)
		argv[n++] = "--io-arg=--single-file-segments";
	argv[n++] = "--io-arg=--vdev";
	argv[n++] = "--io-arg";
	argv[n++] = (char *)vdev;
	argv[n++] = "--stats-fd";
	argv[n++] = fd;
	argv[n++] = "--cpu";
	argv[n++] = cpus;
	argv[n++] = "--sizes";
	argv[n++] = "64";
	argv[n] = NULL;
	e->pid = fork();
	assert_true(e->pid >= 0);
	if (e->pid == 0) {
		execv(vioperf, argv);
		_exit(127);
	}
}

/* Wait until the engine is READY (1), failed or gone (0). */
static int end_ready(struct end *e, unsigned timeout_ms)
{
	for (unsigned t = 0; t < timeout_ms; t += 10) {
		int status;

		if (e->st->state == ENG_READY || e->st->state == ENG_RUNNING)
			return 1;
		if (e->st->state == ENG_FAILED) {
			fprintf(stderr, "engine failed: %s\n", e->st->error);
			return 0;
		}
		if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
			e->pid = 0;
			fprintf(stderr, "engine exited early (status %d)\n", status);
			return 0;
		}
		nap_ms(10);
	}
	return 0;
}

/* Wait for the engine to exit; its exit status, or -1 after a kill. */
static int end_wait(struct end *e, unsigned timeout_ms)
{
	int status;

	if (e->pid <= 0)
		return -1;
	for (unsigned t = 0; t < timeout_ms; t += 10) {
		if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
			e->pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		nap_ms(10);
	}
	kill(e->pid, SIGKILL);
	waitpid(e->pid, &status, 0);
	e->pid = 0;
	return -1;
}

static void end_free(struct end *e)
{
	if (e->pid > 0) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, NULL, 0);
		e->pid = 0;
	}
	if (e->st) {
		stats_detach(e->st);
		e->st = NULL;
		close(e->fd);
	}
}

static void set_phase(struct trial *t, uint32_t phase)
{
	t->tx.st->ctl.phase = phase;
	t->rx.st->ctl.phase = phase;
}

struct outcome {
	struct eng_counters tx, rx, tx0, rx0, tx1, rx1;
	double window_s;
	uint64_t p50, p99, p999, max, nb_lat;
	int tx_exit, rx_exit;
};

/* One trial with fresh engines. h2g: the vhost end sends. */
static void run_trial(int h2g, uint64_t rate_pps, struct outcome *o)
{
	struct trial t;
	char vhost[160], virtio[160];
	struct end *server, *client;
	uint64_t w0, w1;
	/* DPDK's hugepage files (rtemap_N, file prefix "rte"): other
	 * programs on the host may add their own files meanwhile */
	int nb_huge_before = count_dir("/dev/hugepages", "rte");

	memset(&t, 0, sizeof(t));
	memset(o, 0, sizeof(*o));
	snprintf(t.dir, sizeof(t.dir), "/tmp/vp-engine-XXXXXX");
	assert_non_null(mkdtemp(t.dir));
	snprintf(t.sock, sizeof(t.sock), "%s/vu.sock", t.dir);
	snprintf(vhost, sizeof(vhost), "net_vhost0,iface=%s,queues=1", t.sock);
	snprintf(virtio, sizeof(virtio), "net_virtio_user0,path=%s,queues=1",
		 t.sock);

	/* the vhost end is the socket server: it starts first */
	server = h2g ? &t.tx : &t.rx;
	client = h2g ? &t.rx : &t.tx;
	end_start(server, h2g ? "tx" : "rx", vhost, 0, 1);
	if (!end_ready(server, 20000)) {
		end_free(&t.tx);
		end_free(&t.rx);
		util_rm_rf(t.dir);
		fail_msg("vhost end did not get ready");
	}
	end_start(client, h2g ? "rx" : "tx", virtio, 1, 0);
	if (!end_ready(client, 20000)) {
		end_free(&t.tx);
		end_free(&t.rx);
		util_rm_rf(t.dir);
		fail_msg("virtio-user end did not get ready");
	}
	for (int i = 0; i < 500 && !(t.tx.st->link_up && t.rx.st->link_up); i++)
		nap_ms(10);
	assert_true(t.tx.st->link_up);
	assert_true(t.rx.st->link_up);

	t.tx.st->ctl.rate_pps = rate_pps;
	set_phase(&t, PHASE_WARMUP);
	nap_ms(200);
	stats_snapshot(t.tx.st, &o->tx0);
	stats_snapshot(t.rx.st, &o->rx0);
	w0 = util_now_ns();
	set_phase(&t, PHASE_MEASURE);
	nap_ms(1000);
	set_phase(&t, PHASE_DRAIN);
	w1 = util_now_ns();
	stats_snapshot(t.tx.st, &o->tx1);
	stats_snapshot(t.rx.st, &o->rx1);
	o->window_s = (double)(w1 - w0) / 1e9;
	/* drain until the receiver has seen every frame sent, or nothing
	 * more arrives for 1 s (a loaded host can stall an engine for most of
	 * a second: a real-time task on its core leaves it the RT throttle's
	 * 5 %), at most 5 s. Frames still in the vring when the virtio-user
	 * end exits are gone, so STOP must wait for this. */
	for (int i = 0, still = 0; i < 500 && still < 100; i++) {
		struct eng_counters a, b, x;

		stats_snapshot(t.rx.st, &a);
		nap_ms(10);
		stats_snapshot(t.rx.st, &b);
		stats_snapshot(t.tx.st, &x);
		if (b.rx_unique + b.corrupted >= x.tx_pkts)
			break;
		still = a.rx_pkts == b.rx_pkts ? still + 1 : 0;
	}
	set_phase(&t, PHASE_STOP);
	/* the client first: the vhost end then sees a clean disconnect */
	o->tx_exit = end_wait(client == &t.tx ? &t.tx : &t.rx, 10000);
	o->rx_exit = end_wait(server == &t.tx ? &t.tx : &t.rx, 10000);
	if (client == &t.rx) {
		int x = o->tx_exit;

		o->tx_exit = o->rx_exit;
		o->rx_exit = x;
	}
	stats_snapshot(t.tx.st, &o->tx);
	stats_snapshot(t.rx.st, &o->rx);
	o->nb_lat = t.rx.st->lat.nb_samples;
	o->p50 = hist_quantile(&t.rx.st->lat, 0.5);
	o->p99 = hist_quantile(&t.rx.st->lat, 0.99);
	o->p999 = hist_quantile(&t.rx.st->lat, 0.999);
	o->max = t.rx.st->lat.max;
	assert_int_equal(t.tx.st->state, ENG_DONE);
	assert_int_equal(t.rx.st->state, ENG_DONE);
	{
		uint64_t hz = t.rx.st->tsc_hz;

		printf("  %s rate %llu: tx %.3f Mpps, rx %.3f Mpps (window %.2fs); "
		       "latency p50 %.0f ns p99 %.0f ns p99.9 %.0f ns max %.0f ns; "
		       "busy tx %.2f rx %.2f\n",
		       h2g ? "h2g" : "g2h", (unsigned long long)rate_pps,
		       (double)(o->tx1.tx_pkts - o->tx0.tx_pkts) / o->window_s / 1e6,
		       (double)(o->rx1.rx_unique - o->rx0.rx_unique) / o->window_s / 1e6,
		       o->window_s, tsc_to_ns(o->p50, hz), tsc_to_ns(o->p99, hz),
		       tsc_to_ns(o->p999, hz), tsc_to_ns(o->max, hz),
		       (double)(o->tx1.polls_busy - o->tx0.polls_busy) /
			       (double)(o->tx1.polls_busy - o->tx0.polls_busy +
					o->tx1.polls_idle - o->tx0.polls_idle + 1),
		       (double)(o->rx1.polls_busy - o->rx0.polls_busy) /
			       (double)(o->rx1.polls_busy - o->rx0.polls_busy +
					o->rx1.polls_idle - o->rx0.polls_idle + 1));
	}
	end_free(&t.tx);
	end_free(&t.rx);
	/* the vhost PMD removes its socket on close */
	assert_int_equal(count_dir(t.dir, ""), 0);
	assert_int_equal(rmdir(t.dir), 0);
	assert_int_equal(count_dir("/dev/hugepages", "rte"), nb_huge_before);
}

static void check_counts(const struct outcome *o, int expect_no_loss)
{
	uint64_t lost;

	assert_int_equal(o->tx_exit, 0);
	assert_int_equal(o->rx_exit, 0);
	assert_true(o->tx.tx_pkts > 0);
	assert_true(o->rx.rx_unique + o->rx.corrupted <= o->tx.tx_pkts);
	lost = o->tx.tx_pkts - o->rx.rx_unique - o->rx.corrupted;
	assert_int_equal(o->rx.rx_unique + o->rx.corrupted + lost, o->tx.tx_pkts);
	assert_int_equal(o->rx.rx_pkts, o->rx.rx_unique + o->rx.duplicated +
					       o->rx.corrupted + o->rx.foreign);
	assert_true(o->rx.reordered <= o->rx.rx_unique);
	assert_true(o->rx.seq_max <= o->tx.tx_pkts);
	assert_int_equal(o->rx.duplicated, 0);
	assert_int_equal(o->rx.corrupted, 0);
	if (expect_no_loss)
		assert_int_equal(lost, 0);
	assert_true(o->nb_lat > 0);
	assert_true(o->p50 > 0);
	assert_true(o->p50 <= o->p99 && o->p99 <= o->p999 && o->p999 <= o->max);
}

static int setup(void **state)
{
	(void)state;
	vioperf = getenv("VIOPERF");
	return 0;
}

static int can_run(void)
{
	int nb_free;

	if (!vioperf || access(vioperf, X_OK)) {
		skip();
		return 0;
	}
	nb_free = hugepages_free();
	if (nb_free < NB_HUGE_NEEDED) {
		fprintf(stderr, "skip: needs %d free 2 MB hugepages on a "
			"hugetlbfs at /dev/hugepages (have %d)\n",
			NB_HUGE_NEEDED, nb_free);
		skip();
		return 0;
	}
	return 1;
}

static void test_g2h_max(void **state)
{
	struct outcome o;

	(void)state;
	if (!can_run())
		return;
	run_trial(0, 0, &o);
	check_counts(&o, 0);
}

static void test_g2h_paced(void **state)
{
	struct outcome o;

	(void)state;
	if (!can_run())
		return;
	/* well below what the path moves: nothing may be lost */
	run_trial(0, 100000, &o);
	check_counts(&o, 1);
}

static void test_h2g_max(void **state)
{
	struct outcome o;

	(void)state;
	if (!can_run())
		return;
	run_trial(1, 0, &o);
	check_counts(&o, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g2h_max),
		cmocka_unit_test(test_g2h_paced),
		cmocka_unit_test(test_h2g_max),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
