/* Engine process control with stand-in programs: exec, exit status,
 * signals, stop escalation, the stats fd at 3, start failures. */
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
#include <unistd.h>
#include <cmocka.h>

#include "../../harness/proc.h"
#include "../../harness/util.h"

static char dir[64], log_path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vioperf-test-proc-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(log_path, sizeof(log_path), "%s/child.log", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	util_rm_rf(dir);
	return 0;
}

static int start_sh(struct proc *p, const char *script, int stats_fd)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct proc_spec spec = {
		.name = "tx (host end)", .exe = "/bin/sh", .argv = argv,
		.stats_fd = stats_fd, .log_path = log_path,
	};
	char why[256];

	return proc_start(p, &spec, why, sizeof(why));
}

static void test_exit_status(void **state)
{
	struct proc p;
	char buf[128];

	(void)state;
	assert_int_equal(start_sh(&p, "exit 3", -1), 0);
	assert_int_equal(proc_wait(&p, 5000000000ull), 0);
	assert_false(proc_alive(&p));
	assert_false(proc_ok(&p));
	assert_string_equal(proc_describe(&p, buf, sizeof(buf)),
			    "tx (host end) exited (status 3)");
	assert_int_equal(start_sh(&p, "exit 0", -1), 0);
	assert_int_equal(proc_wait(&p, 5000000000ull), 0);
	assert_true(proc_ok(&p));
}

static void test_killed(void **state)
{
	struct proc p;
	char buf[128];

	(void)state;
	assert_int_equal(start_sh(&p, "sleep 30", -1), 0);
	assert_true(proc_alive(&p));
	assert_string_equal(proc_describe(&p, buf, sizeof(buf)),
			    "tx (host end) is running");
	kill(p.pid, SIGKILL);
	assert_int_equal(proc_wait(&p, 5000000000ull), 0);
	assert_string_equal(proc_describe(&p, buf, sizeof(buf)),
			    "tx (host end) exited (signal 9)");
	proc_stop(&p, 0);	/* reaped already: no-op */
}

static void test_stop_escalates(void **state)
{
	struct proc p;
	uint64_t t0;

	(void)state;
	/* ignores SIGTERM: stop must escalate to SIGKILL after the timeout */
	assert_int_equal(start_sh(&p, "trap '' TERM; echo up; sleep 30", -1), 0);
	util_sleep_ns(200000000, NULL);
	t0 = util_now_ns();
	proc_stop(&p, 300000000ull);
	assert_true(p.exited);
	assert_true(util_now_ns() - t0 < 5000000000ull);
	assert_int_equal(proc_wait(&p, 0), 0);
	proc_stop(&p, 0);
}

/* A stopped child is sent SIGCONT with the SIGTERM, so it handles the
 * SIGTERM itself (exit 7) instead of waiting for the SIGKILL. */
static void test_stop_stopped(void **state)
{
	struct proc p;
	char buf[128];
	int i;

	(void)state;
	assert_int_equal(start_sh(&p, "trap 'exit 7' TERM; kill -STOP $$; "
				  "while :; do sleep 0.05; done", -1), 0);
	/* wait until it has stopped itself (state T in /proc/<pid>/stat) */
	for (i = 0; i < 1000; i++) {
		char path[64], st[256], *rp;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)p.pid);
		if (util_read_file(path, st, sizeof(st)) > 0 &&
		    (rp = strrchr(st, ')')) && rp[2] == 'T')
			break;
		util_sleep_ns(10000000, NULL);
	}
	assert_true(i < 1000);
	proc_stop(&p, 60000000000ull);
	assert_true(p.exited);
	assert_string_equal(proc_describe(&p, buf, sizeof(buf)),
			    "tx (host end) exited (status 7)");
}

static void test_stats_fd_and_log(void **state)
{
	char path[128], buf[256];
	struct proc p;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/stats", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	/* the child finds the block at fd 3 and nothing of ours above it */
	assert_int_equal(start_sh(&p, "echo hello >&3; ls /proc/self/fd; "
				      "echo to-log; echo err >&2", fd), 0);
	assert_int_equal(proc_wait(&p, 5000000000ull), 0);
	assert_true(proc_ok(&p));
	close(fd);
	assert_true(util_read_file(path, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "hello");
	assert_true(util_read_file(log_path, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "to-log"));
	assert_non_null(strstr(buf, "err"));
	/* fds 0..3 (ls itself opens one more) but nothing from 5 up */
	assert_null(strstr(buf, "\n5\n"));
	unlink(log_path);
}

static void test_start_failures(void **state)
{
	char *argv[] = { "nope", NULL };
	struct proc_spec spec = {
		.name = "rx (guest end)", .exe = "/nonexistent/vioperf",
		.argv = argv, .stats_fd = -1, .log_path = log_path,
	};
	struct proc p;
	char why[256];

	(void)state;
	assert_int_equal(proc_start(&p, &spec, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "rx (guest end)"));
	assert_non_null(strstr(why, "/nonexistent/vioperf"));
	assert_false(proc_alive(&p));
	spec.exe = "/bin/true";
	spec.netns = "vioperf-no-such-netns";
	assert_true(proc_start(&p, &spec, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "/run/netns/vioperf-no-such-netns"));
	spec.netns = NULL;
	spec.log_path = "/nonexistent/dir/log";
	assert_int_equal(proc_start(&p, &spec, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "cannot open log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_killed),
		cmocka_unit_test(test_stop_escalates),
		cmocka_unit_test(test_stop_stopped),
		cmocka_unit_test(test_stats_fd_and_log),
		cmocka_unit_test(test_start_failures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
