/* Hardware counters: count real work where the host has counters, and
 * fail cleanly with a reason where it has none (this project's CI). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../harness/perfctr.h"

static volatile uint64_t sink;

static void test_self_or_clean_skip(void **state)
{
	struct perfctr pc;
	struct perfctr_sample a, b;
	char why[256] = "";
	int rc;

	(void)state;
	rc = perfctr_open(&pc, "/proc", getpid(), why, sizeof(why));
	if (rc < 0) {
		/* The skip path: a reason that names hardware counters, and
		 * nothing left open. */
		assert_non_null(strstr(why, "hardware counters"));
		assert_int_equal(pc.nb_fds, 0);
		perfctr_close(&pc);	/* safe on an empty pc */
		printf("skip path taken: %s\n", why);
		return;
	}
	assert_true(pc.nb_fds > 0);
	assert_int_equal(perfctr_read(&pc, &a), 0);
	for (uint64_t i = 0; i < 10000000; i++)
		sink += i;
	assert_int_equal(perfctr_read(&pc, &b), 0);
	assert_true(b.instructions - a.instructions >= 10000000);
	assert_true(b.cycles > a.cycles);
	perfctr_close(&pc);
	perfctr_close(&pc);
}

static void test_missing_process(void **state)
{
	struct perfctr pc;
	char why[256] = "";

	(void)state;
	assert_true(perfctr_open(&pc, "/nonexistent-proc", 1, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "/nonexistent-proc/1/task"));
	assert_int_equal(pc.nb_fds, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_or_clean_skip),
		cmocka_unit_test(test_missing_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
