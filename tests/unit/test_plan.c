/* The plan: cross product in a stable order, argument checks, helpers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../generators/pkt.h"
#include "../../harness/plan.h"

static void test_order(void **state)
{
	enum plan_dir dirs[2] = { PLAN_H2G, PLAN_G2H };
	uint16_t sizes[3] = { 64, PKT_IMIX, 1518 };
	struct plan p;
	size_t k = 0;

	(void)state;
	assert_int_equal(plan_build(&p, 2, dirs, 2, sizes, 3, 2), 0);
	assert_int_equal(p.nb_items, 2 * 2 * 3 * 2);
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < 2; i++)
			for (int s = 0; s < 3; s++)
				for (int t = 1; t <= 2; t++, k++) {
					assert_int_equal(p.items[k].dp, d);
					assert_int_equal(p.items[k].dir, dirs[i]);
					assert_int_equal(p.items[k].frame_len, sizes[s]);
					assert_int_equal(p.items[k].trial, t);
				}
	plan_free(&p);
	assert_null(p.items);
	assert_int_equal(p.nb_items, 0);
	plan_free(&p);	/* twice is fine */
}

static void test_single(void **state)
{
	enum plan_dir dirs[1] = { PLAN_G2H };
	uint16_t sizes[1] = { 512 };
	struct plan p;

	(void)state;
	assert_int_equal(plan_build(&p, 1, dirs, 1, sizes, 1, 1), 0);
	assert_int_equal(p.nb_items, 1);
	assert_int_equal(p.items[0].dir, PLAN_G2H);
	assert_int_equal(p.items[0].frame_len, 512);
	assert_int_equal(p.items[0].trial, 1);
	plan_free(&p);
}

static void test_empty_lists(void **state)
{
	enum plan_dir dirs[1] = { PLAN_H2G };
	uint16_t sizes[1] = { 64 };
	struct plan p;

	(void)state;
	assert_int_equal(plan_build(&p, 0, dirs, 1, sizes, 1, 1), -EINVAL);
	assert_null(p.items);
	assert_int_equal(plan_build(&p, 1, dirs, 0, sizes, 1, 1), -EINVAL);
	assert_int_equal(plan_build(&p, 1, dirs, 1, sizes, 0, 1), -EINVAL);
	assert_int_equal(plan_build(&p, 1, dirs, 1, sizes, 1, 0), -EINVAL);
	plan_free(&p);
}

static void test_dirs(void **state)
{
	enum plan_dir d[2];

	(void)state;
	assert_int_equal(plan_parse_dirs("h2g", d), 1);
	assert_int_equal(d[0], PLAN_H2G);
	assert_int_equal(plan_parse_dirs("g2h", d), 1);
	assert_int_equal(d[0], PLAN_G2H);
	assert_int_equal(plan_parse_dirs("both", d), 2);
	assert_int_equal(d[0], PLAN_H2G);
	assert_int_equal(d[1], PLAN_G2H);
	assert_int_equal(plan_parse_dirs("H2G", d), -EINVAL);
	assert_int_equal(plan_parse_dirs("", d), -EINVAL);
	assert_int_equal(plan_parse_dirs("h2g,g2h", d), -EINVAL);
	assert_string_equal(plan_dir_name(PLAN_H2G), "h2g");
	assert_string_equal(plan_dir_name(PLAN_G2H), "g2h");
}

static void test_max_frame(void **state)
{
	uint16_t a[2] = { 64, 512 }, b[2] = { 64, PKT_IMIX };

	(void)state;
	assert_int_equal(plan_max_frame(a, 2), 512);
	assert_int_equal(plan_max_frame(b, 2), PKT_MAX_FRAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_empty_lists),
		cmocka_unit_test(test_dirs),
		cmocka_unit_test(test_max_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
