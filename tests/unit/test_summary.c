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
	h2g = strstr(buf, "vhost-user  h2g 64    mrr  3/3");
	g2h = strstr(buf, "vhost-user  g2h 64    mrr  1/2");
	imix = strstr(buf, "vhost-user  h2g imix  mrr  1/1");
	assert_non_null(h2g);
	assert_non_null(g2h);
	assert_non_null(imix);
	assert_true(h2g < g2h && g2h < imix);	/* order of first rows */
	assert_non_null(strstr(h2g, "20.000"));	/* median of 10, 30, 20 */
	assert_non_null(strstr(h2g, "(10.000-30.000)"));	/* min-max */
	assert_non_null(strstr(buf, "min-max of 2..5 trials"));
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
	assert_non_null(strstr(buf, "1.000                      0.000         -         -   2.00"));
	assert_null(strstr(buf, "nan"));
}

static void test_search_rows(void **state)
{
	struct result_row rows[] = {
		row("h2g", 64, 1, 9e6, "ok"), row("h2g", 64, 1, 7e6, "ok"),
		row("h2g", 64, 1, 7e6, "ok"), row("h2g", 64, 1, 1e6, "ok"),
	};
	char buf[2048];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	util_strlcpy(rows[0].rate_kind, "search", sizeof(rows[0].rate_kind));
	util_strlcpy(rows[1].rate_kind, "ndr", sizeof(rows[1].rate_kind));
	rows[1].target_pps = 7e6;
	util_strlcpy(rows[2].rate_kind, "pdr", sizeof(rows[2].rate_kind));
	rows[2].target_pps = 7e6;
	util_strlcpy(rows[3].rate_kind, "fixed", sizeof(rows[3].rate_kind));
	rows[3].target_pps = 0.7e6;
	rows[3].load_pct = 10;
	summary_table(f, rows, 4);
	fclose(f);
	assert_null(strstr(buf, "search@"));	/* steps are not results */
	assert_non_null(strstr(buf, "ndr@7Mpps"));
	assert_non_null(strstr(buf, "pdr@7Mpps"));
	assert_non_null(strstr(buf, "fixed@10%"));
	assert_non_null(strstr(buf, "1 NDR/PDR search trials"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_not_measured),
		cmocka_unit_test(test_search_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
