/* Histogram percentiles against an exact sort; sub and merge. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generators/hist.h"

#define N 200000

static uint64_t rng = 88172645463325252ull;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t exact_q(const uint64_t *sorted, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static void check_quantiles(struct hist *h, uint64_t *v, size_t n)
{
	static const double qs[] = { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0 };

	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double e = (double)exact_q(v, n, qs[i]);
		double got = (double)hist_quantile(h, qs[i]);

		assert_true(fabs(got - e) <= 0.01 * e);
	}
	assert_int_equal(hist_quantile(h, 1.0), v[n - 1]);
	assert_int_equal(h->max, v[n - 1]);
}

static void test_quantiles_random(void **state)
{
	static struct hist h;
	uint64_t *v = malloc(N * sizeof(*v));

	(void)state;
	assert_non_null(v);
	/* log-uniform over 2^4..2^40 and a latency-like cluster */
	for (int round = 0; round < 2; round++) {
		hist_reset(&h);
		for (size_t i = 0; i < N; i++) {
			if (round == 0)
				v[i] = (1ull << (4 + xorshift() % 36)) +
				       xorshift() % (1ull << 20);
			else
				v[i] = 5000 + xorshift() % 3000 +
				       (xorshift() % 1000 == 0 ? 1000000 : 0);
			hist_add(&h, v[i]);
		}
		assert_int_equal(h.nb_samples, N);
		check_quantiles(&h, v, N);
	}
	free(v);
}

static void test_buckets(void **state)
{
	(void)state;
	/* every value falls in [low, high] of its bucket, within 1 % */
	for (uint64_t x = 1; x < (1ull << 43); x = x * 3 / 2 + 1) {
		unsigned i = hist_index(x);
		uint64_t lo = hist_bucket_low(i), hi = hist_bucket_high(i);

		assert_true(lo <= x && x <= hi);
		assert_true((double)(hi - lo) / 2 <= 0.01 * (double)x);
	}
	assert_int_equal(hist_index(127), 127);
	assert_int_equal(hist_bucket_low(hist_index(128)), 128);
	assert_int_equal(hist_index(UINT64_MAX), HIST_NB_BUCKETS - 1);
}

static void test_empty_and_over(void **state)
{
	static struct hist h;

	(void)state;
	hist_reset(&h);
	assert_int_equal(hist_quantile(&h, 0.5), 0);
	hist_add(&h, 1ull << 50);
	assert_int_equal(h.nb_over, 1);
	assert_int_equal(hist_quantile(&h, 0.5), 1ull << 50);
	hist_add(&h, 0);
	assert_int_equal(hist_quantile(&h, 0.5), 0);
}

static void test_sub_merge(void **state)
{
	static struct hist a, b, d, m;
	static uint64_t v[20000];
	size_t n = 0;

	(void)state;
	hist_reset(&a);
	for (int i = 0; i < 5000; i++)
		hist_add(&a, 100000 + xorshift() % 100000);
	b = a;	/* earlier snapshot */
	for (int i = 0; i < 10000; i++) {
		v[n] = 1000 + xorshift() % 5000;
		hist_add(&a, v[n++]);
	}
	hist_sub(&d, &a, &b);
	assert_int_equal(d.nb_samples, 10000);
	/* the window's quantiles below the earlier values are exact-ish */
	qsort(v, n, sizeof(v[0]), cmp_u64);
	assert_true(fabs((double)hist_quantile(&d, 0.5) - (double)exact_q(v, n, 0.5)) <=
		    0.01 * (double)exact_q(v, n, 0.5));
	assert_int_equal(d.max, a.max);

	m = b;
	hist_merge(&m, &d);
	assert_int_equal(m.nb_samples, a.nb_samples);
	assert_memory_equal(m.bucket, a.bucket, sizeof(a.bucket));
	assert_int_equal(m.max, a.max);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantiles_random),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_empty_and_over),
		cmocka_unit_test(test_sub_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
