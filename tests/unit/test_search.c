/* NDR/PDR search against simulated links of known capacity. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../harness/search.h"

struct link {
	double capacity_pps;	/* receives at most this */
	double gen_max_pps;	/* the generator cannot offer more than this */
	double noise;		/* capacity varies by +-noise per trial */
	double base_loss;	/* random loss below capacity (noisy link) */
	unsigned seed;
	int nb_calls;
};

static double rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((*s >> 8) & 0xffff) / 65535.0;
}

static int link_trial(void *ctx, double rate, struct search_trial *t)
{
	struct link *l = ctx;
	double cap = l->capacity_pps * (1.0 + l->noise * (2 * rnd(&l->seed) - 1));
	double offered = rate < l->gen_max_pps ? rate : l->gen_max_pps;
	double rx = offered < cap ? offered : cap;

	l->nb_calls++;
	t->target_pps = rate;
	t->offered_pps = offered;
	t->loss_ratio = offered > 0 ? (offered - rx) / offered : 0;
	if (l->base_loss > 0 && rnd(&l->seed) < 0.2)
		t->loss_ratio += l->base_loss;
	return 0;
}

static struct search_cfg cfg_for(double max)
{
	struct search_cfg c;

	search_cfg_default(&c);
	c.max_pps = max;
	return c;
}

static void check_bracket(const struct search_bound *b, double truth,
			  const struct search_cfg *c)
{
	double goal = fmax(c->precision_rel * b->lo_pps, c->precision_pps);

	assert_true(b->done);
	assert_true(b->lo_pps <= truth + 1);
	assert_true(b->hi_pps > truth);
	assert_true(b->hi_pps - b->lo_pps <= goal + 1);
}

static void test_exact_link(void **state)
{
	struct link l = { .capacity_pps = 7.3e6, .gen_max_pps = 1e12 };
	struct search_cfg c = cfg_for(35e6);
	struct search_result r;

	(void)state;
	assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
	check_bracket(&r.ndr, 7.3e6, &c);
	check_bracket(&r.pdr, 7.3e6 / (1 - 0.005), &c);
	assert_false(r.hit_cap);
	assert_true(r.nb_trials <= 20);
	assert_int_equal(r.nb_trials, l.nb_calls);
}

static void test_many_capacities_bounded(void **state)
{
	(void)state;
	for (double cap = 1e4; cap < 40e6; cap *= 1.7) {
		struct link l = { .capacity_pps = cap, .gen_max_pps = 1e12 };
		struct search_cfg c = cfg_for(40e6);
		struct search_result r;

		assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
		check_bracket(&r.ndr, cap, &c);
		check_bracket(&r.pdr, cap / (1 - 0.005), &c);
		assert_true(r.nb_trials <= 24);
	}
}

static void test_with_mrr_start(void **state)
{
	struct link l = { .capacity_pps = 2.2e5, .gen_max_pps = 1e12 };
	struct search_cfg c = cfg_for(1.488e7);
	struct search_result r;

	(void)state;
	c.mrr_pps = 2.2e5;	/* what the link received at max */
	assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
	check_bracket(&r.ndr, 2.2e5, &c);
	check_bracket(&r.pdr, 2.2e5 / (1 - 0.005), &c);
	/* Starting from the MRR saves the long walk down from 14.88 Mpps. */
	assert_true(r.nb_trials <= 10);
}

static void test_link_faster_than_range(void **state)
{
	struct link l = { .capacity_pps = 50e6, .gen_max_pps = 1e12 };
	struct search_cfg c = cfg_for(10e6);
	struct search_result r;

	(void)state;
	assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
	assert_int_equal(r.nb_trials, 1);
	assert_true(r.ndr.done && r.pdr.done);
	assert_true(r.ndr.lo_pps == 10e6);
}

static void test_noisy_link(void **state)
{
	struct search_cfg c = cfg_for(20e6);

	(void)state;
	for (unsigned seed = 1; seed <= 20; seed++) {
		struct link l = { .capacity_pps = 5e6, .gen_max_pps = 1e12,
				  .noise = 0.01, .seed = seed };
		struct search_result r;

		assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
		assert_true(r.nb_trials <= c.max_trials);
		/* Within the noise band plus precision. */
		assert_true(r.ndr.lo_pps >= 5e6 * 0.985);
		assert_true(r.ndr.lo_pps <= 5e6 * 1.01);
		assert_true(r.pdr.lo_pps >= r.ndr.lo_pps * 0.99);
	}
}

static void test_random_loss_bounded(void **state)
{
	struct search_cfg c = cfg_for(20e6);
	struct link l = { .capacity_pps = 5e6, .gen_max_pps = 1e12,
			  .base_loss = 1e-4, .seed = 7 };
	struct search_result r;

	(void)state;
	assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
	/* Sporadic loss makes NDR unstable, but the search stays bounded and
	 * PDR (which tolerates 0.5 %) still lands on the capacity. */
	assert_true(r.nb_trials <= c.max_trials);
	assert_true(r.pdr.lo_pps >= 5e6 * 0.99 && r.pdr.lo_pps <= 5e6 / 0.995 + 1);
}

static void test_shortfall_counts_as_loss(void **state)
{
	/* The link could take 8 Mpps but the generator only offers 3 Mpps:
	 * higher targets must not pass just because nothing was lost. */
	struct link l = { .capacity_pps = 8e6, .gen_max_pps = 3e6 };
	struct search_cfg c = cfg_for(20e6);
	struct search_result r;
	struct search_trial t = { .target_pps = 4e6, .offered_pps = 3e6 };

	(void)state;
	assert_false(search_trial_passes(&t, 0.5));
	t.offered_pps = 3.97e6;
	assert_true(search_trial_passes(&t, 0));
	assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
	assert_true(r.ndr.lo_pps <= 3e6 / (1 - SEARCH_SHORTFALL) + 1);
	assert_true(r.ndr.lo_pps >= 2.9e6);
}

static int failing_trial(void *ctx, double rate, struct search_trial *t)
{
	(void)ctx;
	(void)rate;
	(void)t;
	return -5;
}

static void test_error_propagates(void **state)
{
	struct search_cfg c = cfg_for(1e6);
	struct search_result r;

	(void)state;
	assert_int_equal(search_run(&c, failing_trial, NULL, &r), -5);
}

static void test_trial_cap(void **state)
{
	struct link l = { .capacity_pps = 7.3e6, .gen_max_pps = 1e12 };
	struct search_cfg c = cfg_for(35e6);
	struct search_result r;

	(void)state;
	c.max_trials = 3;
	assert_int_equal(search_run(&c, link_trial, &l, &r), 0);
	assert_int_equal(r.nb_trials, 3);
	assert_true(r.hit_cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_link),
		cmocka_unit_test(test_with_mrr_start),
		cmocka_unit_test(test_many_capacities_bounded),
		cmocka_unit_test(test_link_faster_than_range),
		cmocka_unit_test(test_noisy_link),
		cmocka_unit_test(test_random_loss_bounded),
		cmocka_unit_test(test_shortfall_counts_as_loss),
		cmocka_unit_test(test_error_propagates),
		cmocka_unit_test(test_trial_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
