/* End-of-run table: medians over ok trials, groups in plan order. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../harness/summary.h"
#include "../../harness/util.h"

static void test_median(void **state)
{
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 }, c[] = { 7 };

	(void)state;
	assert_true(summary_median(a, 3) == 3.0);
	assert_true(summary_median(b, 4) == 2.5);
	assert_true(summary_median(c, 1) == 7.0);
	assert_true(summary_median(NULL, 0) == 0.0);
}

static struct result_row row(const char *dir, uint16_t len, int trial,
			     double rx_pps, const char *status)
{
	struct result_row r;

	memset(&r, 0, sizeof(r));
	util_strlcpy(r.datapath, "vhost-user", sizeof(r.datapath));
	util_strlcpy(r.direction, dir, sizeof(r.direction));
	r.frame_len = len;
	r.trial = trial;
	r.rx_pps = rx_pps;
	r.lat_p99_ns = 2000;
	r.cpu_cores = 2;
	r.cycles_per_pkt = 100;
	util_strlcpy(r.status, status, sizeof(r.status));
	return r;
}

static void test_table(void **state)
{
	struct result_row rows[] = {
		row("h2g", 64, 1, 10e6, "ok"),
		row("h2g", 64, 2, 30e6, "ok"),
		row("h2g", 64, 3, 20e6, "ok"),
		row("g2h", 64, 1, 1e6, "failed: rx (guest end) exited (signal 9)"),
		row("h2g", 0, 1, 5e6, "ok"),
		row("g2h", 64, 2, 4e6, "ok"),
	};
	char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	char *h2g, *g2h, *imix;

	(void)state;
	summary_table(f, rows, sizeof(rows) / sizeof(rows[0]));
	fclose(f);
	h2g = strstr(buf, "vhost-user  h2g 64    3/3");
	g2h = strstr(buf, "vhost-user  g2h 64    1/2");
	imix = strstr(buf, "vhost-user  h2g imix  1/1");
	assert_non_null(h2g);
	assert_non_null(g2h);
	assert_non_null(imix);
	assert_true(h2g < g2h && g2h < imix);	/* order of first rows */
	assert_non_null(strstr(h2g, "20.000"));	/* median of 10, 30, 20 */
	assert_non_null(strstr(g2h, "4.000"));	/* failed trial left out */
	assert_non_null(strstr(g2h, "failed: rx (guest end) exited"));
}

static void test_not_measured(void **state)
{
	struct result_row rows[] = { row("h2g", 64, 1, 1e6, "ok") };
	char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	rows[0].lat_p50_ns = rows[0].lat_p99_ns = NAN;
	summary_table(f, rows, 1);
	fclose(f);
	/* rx 1.000, loss 0.000, then dashes for the latencies, not "nan" */
	assert_non_null(strstr(buf, "1.000    0.000         -         -   2.00"));
	assert_null(strstr(buf, "nan"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_not_measured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
