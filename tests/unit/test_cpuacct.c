/* CPU accounting parsers against a fake /proc tree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../harness/cpuacct.h"
#include "../../harness/util.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512], dir[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	util_strlcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	*slash = '\0';
	assert_int_equal(util_mkdir_p(dir, 0755), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static uint64_t tick_ns(void)
{
	return 1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/vioperf-test-proc-XXXXXX");
	assert_non_null(mkdtemp(root));
	/* engine 100: two threads with schedstat */
	put("100/task/100/schedstat", "1000000000 5000 10\n");
	put("100/task/101/schedstat", "250000000 10 2\n");
	/* engine 200: one thread without schedstat; comm with ") (" in it;
	 * utime 300 ticks, stime 100 ticks */
	put("200/task/200/stat",
	    "200 (eng ) (x) R 1 200 200 0 -1 4194560 10 0 0 0 300 100 0 0 "
	    "20 0 1 0 100 1000 100 18446744073709551615\n");
	/* kernel worker 300 */
	put("300/schedstat", "7000 0 0\n");
	put("stat",
	    "cpu  10 20 30 40 50 60 70 0 0 0\n"
	    "cpu0 1 2 3 4 5 6 7 0 0 0\n"
	    "cpu1 1 2 3 4 5 16 17 0 0 0\n"
	    "cpu10 1 2 3 4 5 100 100 0 0 0\n"
	    "intr 12345\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	util_rm_rf(root);
	return 0;
}

static void test_pid_schedstat(void **state)
{
	uint64_t ns = 0;

	(void)state;
	assert_int_equal(cpuacct_pid_ns(root, 100, &ns), 0);
	assert_int_equal(ns, 1250000000ull);
}

static void test_pid_stat_fallback(void **state)
{
	uint64_t ns = 0;

	(void)state;
	assert_int_equal(cpuacct_pid_ns(root, 200, &ns), 0);
	assert_int_equal(ns, 400 * tick_ns());
}

static void test_pid_gone(void **state)
{
	uint64_t ns = 0;

	(void)state;
	assert_int_equal(cpuacct_pid_ns(root, 999, &ns), -ESRCH);
}

static void test_tid(void **state)
{
	uint64_t ns = 0;

	(void)state;
	assert_int_equal(cpuacct_tid_ns(root, 300, &ns), 0);
	assert_int_equal(ns, 7000);
	assert_true(cpuacct_tid_ns(root, 301, &ns) < 0);
}

static void test_cpu_irq(void **state)
{
	uint64_t ns = 0;

	(void)state;
	assert_int_equal(cpuacct_cpu_irq_ns(root, 0, &ns), 0);
	assert_int_equal(ns, 13 * tick_ns());
	assert_int_equal(cpuacct_cpu_irq_ns(root, 1, &ns), 0);
	assert_int_equal(ns, 33 * tick_ns());
	/* "cpu1" must not match the line of cpu10 and vice versa */
	assert_int_equal(cpuacct_cpu_irq_ns(root, 10, &ns), 0);
	assert_int_equal(ns, 200 * tick_ns());
	assert_int_equal(cpuacct_cpu_irq_ns(root, 2, &ns), -ENOENT);
}

static void test_sample_and_cores(void **state)
{
	struct cpuacct_src src = {
		.pid = { 100, 200 }, .nb_tids = 2, .tids = { 300, 301 },
		.kernel = 1, .cpus = { 0, 1 },
	};
	struct cpuacct_sample a, b;
	struct cpuacct_cores c;

	(void)state;
	src.proc = root;
	assert_int_equal(cpuacct_sample(&src, &a), 0);
	assert_int_equal(a.end_ns[0], 1250000000ull);
	assert_int_equal(a.end_ns[1], 400 * tick_ns());
	assert_int_equal(a.kernel_ns, 7000);
	assert_int_equal(a.irq_ns, (13 + 33) * tick_ns());
	assert_int_equal(a.nb_cpus, 2);
	/* one second later the tx engine used 0.5 s more, the worker 0.25 s */
	put("100/task/101/schedstat", "750000000 10 2\n");
	put("300/schedstat", "250007000 0 0\n");
	assert_int_equal(cpuacct_sample(&src, &b), 0);
	cpuacct_cores(&a, &b, 1000000000ull, &c);
	assert_true(c.tx > 0.499 && c.tx < 0.501);
	assert_true(c.rx == 0.0);
	assert_true(c.kernel > 0.249 && c.kernel < 0.251);
	assert_true(c.total > 0.749 && c.total < 0.751);
	/* irq/softirq of the engine CPUs counts while the CPUs had room... */
	b.irq_ns = a.irq_ns + 300000000ull;
	cpuacct_cores(&a, &b, 1000000000ull, &c);
	assert_true(c.kernel > 0.549 && c.kernel < 0.551);
	/* ...but never makes two cores busier than 2 (without IRQ time
	 * accounting the ends' own time already holds it) */
	b.end_ns[0] = a.end_ns[0] + 1000000000ull;
	b.end_ns[1] = a.end_ns[1] + 950000000ull;
	b.irq_ns = a.irq_ns + 600000000ull;
	cpuacct_cores(&a, &b, 1000000000ull, &c);
	assert_true(c.total > 1.999 && c.total < 2.001 + 0.25);
	assert_true(c.kernel > 0.299 && c.kernel < 0.301);	/* 0.25 + 0.05 */
	/* without TOPO_F_KERNEL only the named workers count */
	src.kernel = 0;
	assert_int_equal(cpuacct_sample(&src, &a), 0);
	assert_int_equal(a.kernel_ns, 250007000ull);
	assert_int_equal(a.irq_ns, 0);
	/* the same CPU for both ends is counted once */
	src.kernel = 1;
	src.cpus[1] = 0;
	src.nb_tids = 0;
	assert_int_equal(cpuacct_sample(&src, &a), 0);
	assert_int_equal(a.irq_ns, 13 * tick_ns());
	assert_int_equal(a.nb_cpus, 1);
	/* an engine that is gone is an error */
	src.pid[1] = 999;
	assert_int_equal(cpuacct_sample(&src, &a), -ESRCH);
	put("100/task/101/schedstat", "250000000 10 2\n");
	put("300/schedstat", "7000 0 0\n");
}

static void test_real_self(void **state)
{
	uint64_t ns = 0;
	volatile uint64_t x = 0;

	(void)state;
	for (int i = 0; i < 10000000; i++)
		x += (uint64_t)i;
	assert_int_equal(cpuacct_pid_ns("/proc", getpid(), &ns), 0);
	assert_true(ns > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid_schedstat),
		cmocka_unit_test(test_pid_stat_fallback),
		cmocka_unit_test(test_pid_gone),
		cmocka_unit_test(test_tid),
		cmocka_unit_test(test_cpu_irq),
		cmocka_unit_test(test_sample_and_cores),
		cmocka_unit_test(test_real_self),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
