/* Rate pacing with an injected clock: accuracy and intended-time stamps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../generators/pace.h"

#define HZ 2500000000ull	/* a 2.5 GHz TSC */

/* Simulate a sender polling every `poll` cycles for `cycles`, sending what
 * is due in bursts of up to 32; returns frames sent. */
static uint64_t simulate(struct pace *p, uint64_t start, uint64_t cycles,
			 uint64_t poll)
{
	for (uint64_t now = start; now < start + cycles; now += poll) {
		unsigned n = pace_due(p, now, 32);

		for (unsigned k = 0; k < n; k++)
			assert_true(pace_intended(p, k) <= now);
		pace_advance(p, n);
	}
	/* last instant of the window: drain what is due */
	for (unsigned n; (n = pace_due(p, start + cycles - 1, 32)) != 0;) {
		assert_true(pace_intended(p, n - 1) <= start + cycles - 1);
		pace_advance(p, n);
	}
	assert_true(pace_intended(p, 0) >= start + cycles);
	return p->nb_sent;
}

static void test_rates(void **state)
{
	static const uint64_t rates[] = { 1000, 100000, 1000000, 3333333, 14880952 };

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct pace p;
		uint64_t start = 123456789, sent;

		assert_int_equal(pace_init(&p, HZ, rates[i], start), 0);
		/* one simulated second, polled every 1000 cycles */
		sent = simulate(&p, start, HZ, 1000);
		/* frames due in [start, start + 1 s): exactly the rate */
		assert_int_equal(sent, rates[i]);
	}
}

static void test_intended_schedule(void **state)
{
	struct pace p;
	uint64_t start = 1000000, cpp = HZ / 100000;	/* 25000 cycles */

	(void)state;
	assert_int_equal(pace_init(&p, HZ, 100000, start), 0);
	assert_int_equal(pace_due(&p, start - 1, 32), 0);
	assert_int_equal(pace_due(&p, start, 32), 1);
	assert_int_equal(pace_intended(&p, 0), start);
	pace_advance(&p, 1);
	assert_int_equal(pace_due(&p, start + cpp - 1, 32), 0);
	assert_int_equal(pace_due(&p, start + cpp, 32), 1);

	/* a stall of 10 slots: the frames carry their scheduled times, not
	 * the time they leave, and the backlog is sent in a burst */
	uint64_t now = start + 10 * cpp + 5;
	unsigned n = pace_due(&p, now, 32);

	assert_int_equal(n, 10);
	for (unsigned k = 0; k < n; k++)
		assert_int_equal(pace_intended(&p, k), start + (1 + k) * cpp);
	assert_true(pace_late(&p, now, 4));
	assert_false(pace_late(&p, now, 16));
	/* the backend took only 3: the 4th keeps its slot on retry */
	pace_advance(&p, 3);
	assert_int_equal(pace_intended(&p, 0), start + 4 * cpp);
	assert_int_equal(pace_due(&p, now, 32), 7);
	/* a backlog larger than a burst is capped at the burst */
	assert_int_equal(pace_due(&p, start + 1000 * cpp, 32), 32);
}

static void test_fractional(void **state)
{
	struct pace p;

	(void)state;
	/* 3 pps on a 10 Hz clock: 3.333 cycles per frame, no drift */
	assert_int_equal(pace_init(&p, 10, 3, 0), 0);
	assert_int_equal(pace_intended(&p, 3), 10);
	assert_int_equal(pace_intended(&p, 300), 1000);
	assert_int_equal(pace_due(&p, 1000, 1000), 301 > 1000 ? 1000 : 301);
}

static void test_unlimited_and_errors(void **state)
{
	struct pace p;

	(void)state;
	assert_int_equal(pace_init(&p, HZ, 0, 5), 0);
	assert_int_equal(pace_due(&p, 0, 32), 32);
	assert_false(pace_late(&p, UINT64_MAX / 2, 1));
	assert_int_equal(pace_init(&p, 0, 10, 0), -EINVAL);
	assert_int_equal(pace_init(&p, 10, 11, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_intended_schedule),
		cmocka_unit_test(test_fractional),
		cmocka_unit_test(test_unlimited_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
