/* `vioperf engine` as a process: option errors exit 2 with a message that
 * names the bad input; backend errors mark the stats block FAILED with a
 * reason and exit 1; a net_null port runs the whole phase protocol
 * (READY, max_pkts honoured exactly, DONE, exit 0); and an engine dies with
 * its parent. Needs $VIOPERF (set by tests/run.sh); the DPDK cases need
 * free hugepages. */
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
#include <sys/prctl.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/stats.h"
#include "../../harness/util.h"

#define HUGETLBFS_MAGIC_ 0x958458f6

static const char *vioperf;

static void nap_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* Run `vioperf engine ARGS...` (NULL-terminated), stderr into err; return
 * the pid (the caller waits). */
static pid_t spawn(const char *const *args, int *err_fd)
{
	char *argv[40];
	int n = 0, p[2];
	pid_t pid;

	argv[n++] = (char *)vioperf;
	argv[n++] = "engine";
	for (; *args && n < 39; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(vioperf, argv);
		_exit(127);
	}
	close(p[1]);
	*err_fd = p[0];
	return pid;
}

/* Wait (bounded) and read what the child said on stderr. */
static int finish(pid_t pid, int err_fd, char *err, size_t len)
{
	size_t got = 0;
	ssize_t r;
	int status = 0;

	for (int t = 0; t < 3000; t++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (t == 2999) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		nap_ms(10);
	}
	while (got + 1 < len && (r = read(err_fd, err + got, len - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	close(err_fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_engine(const char *const *args, char *err, size_t len)
{
	int fd;
	pid_t pid = spawn(args, &fd);

	return finish(pid, fd, err, len);
}

static int have_vioperf(void)
{
	if (!vioperf || access(vioperf, X_OK)) {
		skip();
		return 0;
	}
	return 1;
}

static int have_hugepages(void)
{
	char buf[4096], *p;
	struct statfs sfs;

	if (statfs("/dev/hugepages", &sfs) ||
	    (unsigned)sfs.f_type != HUGETLBFS_MAGIC_ ||
	    util_read_file("/proc/meminfo", buf, sizeof(buf)) < 0 ||
	    !(p = strstr(buf, "HugePages_Free:")) || atoi(p + 15) < 128) {
		fprintf(stderr, "skip: needs 128 free 2 MB hugepages on "
			"/dev/hugepages\n");
		skip();
		return 0;
	}
	return 1;
}

static void test_option_errors(void **state)
{
	char err[2048];

	(void)state;
	if (!have_vioperf())
		return;
	{
		const char *a[] = { "--role", "tx", "--io", "dpdk", NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_USAGE);
		assert_non_null(strstr(err, "--stats-fd"));
	}
	{
		const char *a[] = { "--role", "sideways", "--io", "dpdk",
				    "--stats-fd", "3", NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_USAGE);
		assert_non_null(strstr(err, "role"));
	}
	{
		const char *a[] = { "--role", "tx", "--io", "dpdk", "--stats-fd",
				    "3", "--sizes", "64,63", NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_USAGE);
		assert_non_null(strstr(err, "63"));
		assert_non_null(strstr(err, "1518"));
	}
	{
		const char *a[] = { "--role", "tx", "--io", "dpdk", "--stats-fd",
				    "3", "--burst", "0", NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_USAGE);
		assert_non_null(strstr(err, "burst"));
	}
	{
		/* fd 3 is no stats block */
		const char *a[] = { "--role", "rx", "--io", "dpdk", "--stats-fd",
				    "999", NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_USAGE);
		assert_non_null(strstr(err, "999"));
	}
	{
		const char *a[] = { "--help", NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_OK);
	}
}

/* Start an engine on a fresh stats block. */
static pid_t start(struct eng_stats **st, int *sfd, const char *role,
		   const char *vdev, int *err_fd)
{
	char fd[16];
	const char *a[] = {
		"--role", role, "--io", "dpdk", "--io-arg=--in-memory",
		"--io-arg=--no-pci", "--io-arg=--no-telemetry",
		"--io-arg=--log-level=*:error", "--io-arg=--vdev", "--io-arg",
		vdev, "--stats-fd", fd, "--cpu", "0", NULL,
	};

	*sfd = stats_create(st);
	assert_true(*sfd >= 0);
	snprintf(fd, sizeof(fd), "%d", *sfd);
	return spawn(a, err_fd);
}

static int wait_state(struct eng_stats *st, uint32_t state, unsigned ms)
{
	for (unsigned t = 0; t < ms; t += 10) {
		if (st->state == state)
			return 1;
		if (st->state == ENG_FAILED)
			return 0;
		nap_ms(10);
	}
	return 0;
}

static void test_backend_errors(void **state)
{
	struct eng_stats *st;
	char err[4096], fd[16];
	int sfd, efd;
	pid_t pid;

	(void)state;
	if (!have_vioperf())
		return;
	sfd = stats_create(&st);
	assert_true(sfd >= 0);
	snprintf(fd, sizeof(fd), "%d", sfd);
	{
		const char *a[] = { "--role", "rx", "--io", "nosuch",
				    "--stats-fd", fd, NULL };

		assert_int_equal(run_engine(a, err, sizeof(err)), VP_EXIT_FAIL);
		assert_int_equal(st->state, ENG_FAILED);
		assert_non_null(strstr(st->error, "nosuch"));
	}
	stats_detach(st);
	close(sfd);

	if (!have_hugepages())
		return;
	pid = start(&st, &sfd, "rx", "net_nosuchpmd0", &efd);
	assert_int_equal(finish(pid, efd, err, sizeof(err)), VP_EXIT_FAIL);
	assert_int_equal(st->state, ENG_FAILED);
	assert_non_null(strstr(st->error, "dpdk"));
	stats_detach(st);
	close(sfd);
}

/* A tx engine on net_null: IDLE sends nothing, max_pkts is exact, STOP
 * ends it cleanly. An rx engine there sees only foreign frames. */
static void test_null_port_protocol(void **state)
{
	struct eng_stats *tx, *rx;
	struct eng_counters c;
	char err[4096];
	int tfd, rfd, tefd, refd;
	pid_t tp, rp;

	(void)state;
	if (!have_vioperf() || !have_hugepages())
		return;
	tp = start(&tx, &tfd, "tx", "net_null0", &tefd);
	assert_true(wait_state(tx, ENG_READY, 20000));
	nap_ms(100);
	stats_snapshot(tx, &c);
	assert_int_equal(c.tx_pkts, 0);		/* IDLE: nothing sent */
	tx->ctl.max_pkts = 100000;
	tx->ctl.phase = PHASE_WARMUP;
	for (int t = 0; t < 1000; t++) {
		stats_snapshot(tx, &c);
		if (c.tx_pkts >= 100000)
			break;
		nap_ms(10);
	}
	nap_ms(50);
	tx->ctl.phase = PHASE_MEASURE;
	nap_ms(50);
	tx->ctl.phase = PHASE_DRAIN;
	tx->ctl.phase = PHASE_STOP;
	assert_int_equal(finish(tp, tefd, err, sizeof(err)), VP_EXIT_OK);
	assert_int_equal(tx->state, ENG_DONE);
	assert_int_equal(tx->c.tx_pkts, 100000);
	assert_int_equal(tx->c.tx_bytes, 100000ull * 64);
	assert_true(tx->tsc_hz > 0);
	assert_non_null(strstr(tx->desc, "null"));
	stats_detach(tx);
	close(tfd);

	rp = start(&rx, &rfd, "rx", "net_null0,copy=1", &refd);
	assert_true(wait_state(rx, ENG_READY, 20000));
	rx->ctl.phase = PHASE_MEASURE;
	/* a loaded host may leave the engine off its core for a while */
	for (int t = 0; t < 1000; t++) {
		stats_snapshot(rx, &c);
		if (c.rx_pkts > 0)
			break;
		nap_ms(10);
	}
	rx->ctl.phase = PHASE_DRAIN;
	rx->ctl.phase = PHASE_STOP;
	assert_int_equal(finish(rp, refd, err, sizeof(err)), VP_EXIT_OK);
	assert_int_equal(rx->state, ENG_DONE);
	assert_true(rx->c.rx_pkts > 0);
	assert_int_equal(rx->c.foreign, rx->c.rx_pkts);
	assert_int_equal(rx->c.rx_unique, 0);
	assert_int_equal(rx->lat.nb_samples, 0);
	stats_detach(rx);
	close(rfd);
}

/* An engine whose parent dies is killed (PR_SET_PDEATHSIG). */
static void test_dies_with_parent(void **state)
{
	struct eng_stats *st;
	int sfd, status, p[2];
	pid_t mid, eng = 0;

	(void)state;
	if (!have_vioperf() || !have_hugepages())
		return;
	/* orphans come back to this process, so it can reap the engine */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	sfd = stats_create(&st);
	assert_true(sfd >= 0);
	assert_int_equal(pipe(p), 0);
	mid = fork();
	assert_true(mid >= 0);
	if (mid == 0) {
		char fd[16];
		pid_t e;

		snprintf(fd, sizeof(fd), "%d", sfd);
		e = fork();
		if (e == 0) {
			int devnull = open("/dev/null", O_WRONLY);

			dup2(devnull, 2);
			execl(vioperf, vioperf, "engine", "--role", "rx", "--io",
			      "dpdk", "--io-arg=--in-memory", "--io-arg=--no-pci",
			      "--io-arg=--no-telemetry", "--io-arg=--vdev",
			      "--io-arg=net_null0", "--stats-fd", fd, "--cpu",
			      "1", (char *)NULL);
			_exit(127);
		}
		if (write(p[1], &e, sizeof(e)) != sizeof(e))
			_exit(1);
		/* wait for READY, then die without a word */
		for (int t = 0; t < 2000 && st->state != ENG_READY; t++)
			nap_ms(10);
		_exit(st->state == ENG_READY ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &eng, sizeof(eng)), (ssize_t)sizeof(eng));
	close(p[0]);
	assert_int_equal(waitpid(mid, &status, 0), mid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the engine was killed by the kernel, not stopped by us */
	for (int t = 0; t < 500; t++) {
		if (waitpid(eng, &status, WNOHANG) == eng)
			break;
		if (t == 499) {
			kill(eng, SIGKILL);
			waitpid(eng, &status, 0);
			fail_msg("the engine outlived its parent");
		}
		nap_ms(10);
	}
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	stats_detach(st);
	close(sfd);
}

static int setup(void **state)
{
	(void)state;
	vioperf = getenv("VIOPERF");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option_errors),
		cmocka_unit_test(test_backend_errors),
		cmocka_unit_test(test_null_port_protocol),
		cmocka_unit_test(test_dies_with_parent),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
