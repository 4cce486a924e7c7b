/* reports: medians, intervals, grouping, compare verdicts, run.json
 * reading and the capacity model, on constructed data with known
 * answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/results.h"
#include "../../harness/util.h"
#include "../../reports/compare.h"
#include "../../reports/plan.h"
#include "../../reports/runjson.h"
#include "../../reports/stats.h"

static void test_median(void **state)
{
	(void)state;
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 }, c[] = { 7 };

	assert_true(stats_median(a, 3) == 3);
	assert_true(stats_median(b, 4) == 2.5);
	assert_true(stats_median(c, 1) == 7);
	assert_true(isnan(stats_median(c, 0)));
}

static void test_interval(void **state)
{
	(void)state;
	struct stats_summary s;
	double one[] = { 2.0 };
	double three[] = { 3, NAN, 1, 2 };
	double six[] = { 6, 5, 4, 3, 2, 1 };
	double nine[] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double twenty[20];

	assert_int_equal(stats_summarize(one, 1, &s), 0);
	assert_int_equal(s.ci, STATS_CI_POINT);
	assert_true(s.lo == 2 && s.hi == 2 && s.median == 2);

	/* NaN = not measured: left out */
	assert_int_equal(stats_summarize(three, 4, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ci, STATS_CI_MINMAX);
	assert_true(s.median == 2 && s.lo == 1 && s.hi == 3);
	assert_true(fabs(s.coverage - 0.75) < 1e-12);

	/* n = 6: k = 1 (P(X=0) = 1/64 <= 2.5 %), coverage 1 - 2/64 */
	assert_int_equal(stats_summarize(six, 6, &s), 0);
	assert_int_equal(s.ci, STATS_CI_ORDER);
	assert_true(s.lo == 1 && s.hi == 6 && s.median == 3.5);
	assert_true(fabs(s.coverage - (1 - 2.0 / 64)) < 1e-12);

	/* n = 9: P(X<=1) = 10/512 <= 2.5 % < P(X<=2) = 46/512: k = 2 */
	assert_int_equal(stats_summarize(nine, 9, &s), 0);
	assert_true(s.lo == 2 && s.hi == 8 && s.median == 5);
	assert_true(fabs(s.coverage - (1 - 20.0 / 512)) < 1e-12);

	/* n = 20: P(X<=5) = 0.0207 <= 2.5 % < P(X<=6) = 0.0577: k = 6,
	 * [x(6), x(15)] */
	for (int i = 0; i < 20; i++)
		twenty[i] = 20 - i;
	assert_int_equal(stats_summarize(twenty, 20, &s), 0);
	assert_true(s.lo == 6 && s.hi == 15);
	assert_true(s.coverage >= 0.95 && s.coverage < 0.96);

	assert_int_equal(stats_summarize(NULL, 0, &s), 0);
	assert_int_equal(s.ci, STATS_CI_NONE);
	assert_int_equal(s.n, 0);
}

static struct stats_summary sum3(double a, double b, double c)
{
	double v[] = { a, b, c };
	struct stats_summary s;

	assert_int_equal(stats_summarize(v, 3, &s), 0);
	return s;
}

static void test_verdict(void **state)
{
	(void)state;
	struct stats_summary base = sum3(99, 100, 101), none = { 0 };
	struct stats_summary low = sum3(90, 91, 92);	/* all < 95 */
	struct stats_summary unlucky = sum3(80, 99, 100);	/* one bad */
	struct stats_summary high = sum3(106, 107, 110);	/* all > 105 */
	struct stats_summary edge = sum3(94, 94.5, 95.5);	/* straddles 95 */

	none.median = none.lo = none.hi = NAN;
	/* rx_pps: higher is better */
	assert_int_equal(compare_verdict_of(&base, &low, 1, 0.05), COMPARE_WORSE);
	assert_int_equal(compare_verdict_of(&base, &unlucky, 1, 0.05),
			 COMPARE_SAME);
	assert_int_equal(compare_verdict_of(&base, &high, 1, 0.05),
			 COMPARE_BETTER);
	assert_int_equal(compare_verdict_of(&base, &edge, 1, 0.05), COMPARE_SAME);
	assert_int_equal(compare_verdict_of(&base, &low, 1, 0.20), COMPARE_SAME);
	/* cycles, latency: lower is better */
	assert_int_equal(compare_verdict_of(&base, &low, 0, 0.05),
			 COMPARE_BETTER);
	assert_int_equal(compare_verdict_of(&base, &high, 0, 0.05),
			 COMPARE_WORSE);
	assert_int_equal(compare_verdict_of(&base, &unlucky, 0, 0.05),
			 COMPARE_SAME);
	/* one side without data */
	assert_int_equal(compare_verdict_of(&base, &none, 1, 0.05),
			 COMPARE_MISSING);
	assert_int_equal(compare_verdict_of(&none, &base, 1, 0.05), COMPARE_NEW);
}

static void row(struct result_set *set, const char *dp, const char *dir,
		uint16_t frame, double rx_pps, double cycles, const char *status,
		int emulated)
{
	struct result_row *r;

	set->rows = realloc(set->rows, (set->nb_rows + 1) * sizeof(*r));
	assert_non_null(set->rows);
	r = &set->rows[set->nb_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->datapath, sizeof(r->datapath), "%s", dp);
	snprintf(r->direction, sizeof(r->direction), "%s", dir);
	snprintf(r->status, sizeof(r->status), "%s", status);
	r->frame_len = frame;
	r->rx_pps = rx_pps;
	r->cycles_per_pkt = cycles;
	r->lat_p99_ns = NAN;
	r->busy_ratio = 0;
	r->tsc_hz = 2e9;
	r->trial = (int)set->nb_rows;
	r->emulated = emulated;
}

static const struct compare_line *find(const struct compare_result *res,
				       const char *dp, uint16_t frame,
				       const char *metric)
{
	for (size_t i = 0; i < res->nb_lines; i++)
		if (!strcmp(res->lines[i].key.datapath, dp) &&
		    res->lines[i].key.frame_len == frame &&
		    !strcmp(res->lines[i].metric->name, metric))
			return &res->lines[i];
	fail_msg("no line %s %u %s", dp, frame, metric);
	return NULL;
}

static void test_groups_and_compare(void **state)
{
	(void)state;
	struct result_set base = { 0 }, cur = { 0 };
	const struct compare_metric *m[] = { compare_metric_find("rx_pps"),
					     compare_metric_find("cycles_per_pkt"),
					     compare_metric_find("lat_p99_ns") };
	struct stats_groups gs = { 0 };
	struct compare_result res;
	const struct compare_line *l;

	assert_null(compare_metric_find("no_such_metric"));
	for (int i = 0; i < 3; i++) {
		row(&base, "vhost-user", "h2g", 64, 7e6 + i * 1e4, 400, "ok", 0);
		row(&base, "vhost-net", "h2g", 64, 3e5, 9000, "ok", 0);
		row(&base, "tc-sw", "h2g", 1518, 4e5, 7000, "ok", 0);
		row(&base, "sriov-vf", "h2g", 64, 1e4, 1e5, "ok", 1);
		/* candidate: vhost-user 10 % slower in every trial, vhost-net
		 * same but with a failed trial, tc-sw gone, ivshmem new */
		row(&cur, "vhost-user", "h2g", 64, 6.3e6 + i * 1e4, 400, "ok", 0);
		row(&cur, "vhost-net", "h2g", 64, 3e5, 9000, "ok", 0);
		row(&cur, "ivshmem", "h2g", 64, 9e6, 200, "ok", 0);
		row(&cur, "sriov-vf", "h2g", 64, 1e3, 1e5, "ok", 1);
	}
	row(&cur, "vhost-net", "h2g", 64, 0, 0, "failed: rx timeout", 0);
	row(&cur, "tc-sw", "h2g", 1518, 0, 0, "failed: setup", 0);

	assert_int_equal(stats_group_rows(&cur, 0, &gs), 0);
	assert_int_equal(gs.nb, 5);
	/* sorted by datapath: ivshmem, sriov-vf, tc-sw, vhost-net, ... */
	assert_string_equal(gs.g[0].key.datapath, "ivshmem");
	assert_string_equal(gs.g[0].key.rate_kind, "mrr");
	assert_string_equal(gs.g[2].key.datapath, "tc-sw");
	assert_int_equal(gs.g[2].nb_ok, 0);
	assert_int_equal(gs.g[2].nb_failed, 1);
	assert_string_equal(gs.g[3].key.datapath, "vhost-net");
	assert_int_equal(gs.g[3].nb_ok, 3);
	assert_int_equal(gs.g[3].nb_failed, 1);
	assert_string_equal(gs.g[3].first_failure, "failed: rx timeout");
	stats_groups_free(&gs);

	assert_int_equal(compare_sets(&base, &cur, m, 3, 0.05, &res), 0);
	l = find(&res, "vhost-user", 64, "rx_pps");
	assert_int_equal(l->verdict, COMPARE_WORSE);
	assert_true(fabs(l->ratio - 6.31e6 / 7.01e6) < 1e-9);
	assert_int_equal(find(&res, "vhost-user", 64, "cycles_per_pkt")->verdict,
			 COMPARE_SAME);
	l = find(&res, "vhost-net", 64, "rx_pps");
	assert_int_equal(l->verdict, COMPARE_SAME);
	assert_int_equal(l->cur_failed, 1);
	assert_int_equal(find(&res, "tc-sw", 1518, "rx_pps")->verdict,
			 COMPARE_MISSING);
	assert_int_equal(find(&res, "ivshmem", 64, "rx_pps")->verdict,
			 COMPARE_NEW);
	/* latency not measured on either side: no line for it */
	for (size_t i = 0; i < res.nb_lines; i++)
		assert_string_not_equal(res.lines[i].metric->name, "lat_p99_ns");
	/* emulated rows are never compared as speed */
	for (size_t i = 0; i < res.nb_lines; i++)
		assert_string_not_equal(res.lines[i].key.datapath, "sriov-vf");
	assert_int_equal(res.nb_emulated_skipped, 1);
	assert_int_equal(res.nb_worse, 1);
	assert_int_equal(res.nb_missing, 2);
	assert_int_equal(res.nb_new, 2);
	compare_free(&res);
	free(base.rows);
	free(cur.rows);
}

/* Fixed-rate trials at different asked-for rates are different groups;
 * latency-load trials group by load, whatever their exact target. */
static void test_fixed_rates(void **state)
{
	(void)state;
	struct result_set set = { 0 };
	struct stats_groups gs = { 0 };
	char rate[32];

	for (int i = 0; i < 2; i++) {
		row(&set, "vhost-user", "h2g", 64, 1e6, 900, "ok", 0);
		set.rows[set.nb_rows - 1].target_pps = 1e6;
		row(&set, "vhost-user", "h2g", 64, 2e6, 600, "ok", 0);
		set.rows[set.nb_rows - 1].target_pps = 2e6;
		row(&set, "vhost-user", "h2g", 64, 3e6 + i, 500, "ok", 0);
		set.rows[set.nb_rows - 1].target_pps = 3e6 + i;
		set.rows[set.nb_rows - 1].load_pct = 50;
	}
	assert_int_equal(stats_group_rows(&set, 0, &gs), 0);
	assert_int_equal(gs.nb, 3);
	/* sorted: load 0 (targets 1M, 2M) before load 50 */
	assert_string_equal(stats_rate_name(&gs.g[0].key, rate, sizeof(rate)),
			    "fixed@1Mpps");
	assert_int_equal(gs.g[0].nb_ok, 2);
	assert_string_equal(stats_rate_name(&gs.g[1].key, rate, sizeof(rate)),
			    "fixed@2Mpps");
	assert_string_equal(stats_rate_name(&gs.g[2].key, rate, sizeof(rate)),
			    "fixed@50%");
	assert_int_equal(gs.g[2].nb_ok, 2);
	stats_groups_free(&gs);
	free(set.rows);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A baseline written before the appended columns existed compares with a
 * current one that has them, columns in another order; a file missing a
 * required column is refused by name. */
static void test_mismatched_schemas(void **state)
{
	(void)state;
	static const char old_hdr[] =
		"run_id,datapath,variant,direction,frame_len,trial,duration_s,"
		"offered_pps,tx_pps,rx_pps,loss_ratio,lost,reordered,duplicated,"
		"corrupted,lat_p50_ns,lat_p90_ns,lat_p99_ns,lat_p999_ns,"
		"lat_max_ns,cpu_cores,cycles_per_pkt,busy_ratio,status\n";
	char dir[] = "/tmp/test_report_stats.XXXXXX", a[128], b[128], c[128];
	char why[512];
	struct result_set base, cur;
	const struct compare_metric *m[] = { compare_metric_find("rx_pps") };
	struct compare_result res;
	char text[4096];

	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/old.csv", dir);
	snprintf(b, sizeof(b), "%s/new.csv", dir);
	snprintf(c, sizeof(c), "%s/bad.csv", dir);
	snprintf(text, sizeof(text), "%s"
		 "r1,vhost-user,,h2g,64,1,2,1e6,1e6,1e6,0,0,0,0,0,1,1,1,1,1,1,100,1,ok\n"
		 "r1,vhost-user,,h2g,64,2,2,1e6,1e6,1e6,0,0,0,0,0,1,1,1,1,1,1,100,1,ok\n",
		 old_hdr);
	write_file(a, text);
	write_file(b,
		   "rx_pps,datapath,direction,frame_len,status,run_id,variant,trial,"
		   "duration_s,offered_pps,tx_pps,loss_ratio,lost,reordered,"
		   "duplicated,corrupted,lat_p50_ns,lat_p90_ns,lat_p99_ns,"
		   "lat_p999_ns,lat_max_ns,cpu_cores,cycles_per_pkt,busy_ratio,"
		   "rate_kind,tsc_hz,future_column\n"
		   "1.2e6,vhost-user,h2g,64,ok,r2,,1,2,1e6,1e6,0,0,0,0,0,1,1,1,1,1,1,"
		   "100,1,mrr,2e9,x\n"
		   "1.2e6,vhost-user,h2g,64,ok,r2,,2,2,1e6,1e6,0,0,0,0,0,1,1,1,1,1,1,"
		   "100,1,mrr,2e9,y\n");
	assert_int_equal(results_read(a, &base, why, sizeof(why)), 0);
	assert_int_equal(results_read(b, &cur, why, sizeof(why)), 0);
	assert_int_equal(compare_sets(&base, &cur, m, 1, 0.05, &res), 0);
	assert_int_equal(res.nb_lines, 1);
	/* empty rate_kind with target 0 groups as mrr */
	assert_string_equal(res.lines[0].key.rate_kind, "mrr");
	assert_int_equal(res.lines[0].verdict, COMPARE_BETTER);
	compare_free(&res);
	results_free(&base);
	results_free(&cur);

	write_file(c, "run_id,datapath,direction,frame_len,rx_pps,status\n"
		      "r,vhost-user,h2g,64,1,ok\n");
	assert_int_equal(results_read(c, &cur, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "bad.csv:1: column variant: missing"));
	util_rm_rf(dir);
}

static void test_runjson(void **state)
{
	(void)state;
	struct runjson j;
	char why[256];

	assert_int_equal(runjson_parse(
		"{ \"run_id\": \"r1\", \"tsc_hz\": 2900000000, \"end_time\": null,\n"
		"  \"command\": [\"vioperf\", \"run\", \"a \\\"b\\\"\"],\n"
		"  \"options\": { \"trials\": 3 }, \"interrupted\": false,\n"
		"  \"unavailable\": [ { \"name\": \"kni\", \"reason\": \"no "
		"module\\u00e9\" } ] }", &j, why, sizeof(why)), 0);
	assert_string_equal(runjson_get(&j, "run_id"), "r1");
	assert_string_equal(runjson_get(&j, "tsc_hz"), "2900000000");
	assert_string_equal(runjson_get(&j, "end_time"), "null");
	assert_string_equal(runjson_get(&j, "command[2]"), "a \"b\"");
	assert_string_equal(runjson_get(&j, "options.trials"), "3");
	assert_string_equal(runjson_get(&j, "interrupted"), "false");
	assert_string_equal(runjson_get(&j, "unavailable[0].reason"),
			    "no module\xc3\xa9");
	assert_null(runjson_get(&j, "nothing"));
	runjson_free(&j);

	assert_int_equal(runjson_parse("{ \"a\": 1,\n \"b\" 2 }", &j, why,
				       sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "line 2"));
	assert_int_equal(runjson_parse("{ \"a\": \"open", &j, why, sizeof(why)),
			 -EINVAL);
	assert_int_equal(runjson_parse("[1]", &j, why, sizeof(why)), -EINVAL);
	assert_int_equal(runjson_parse("{} x", &j, why, sizeof(why)), -EINVAL);
}

static void test_plan(void **state)
{
	(void)state;
	struct result_set set = { 0 };
	struct plan_input in = { .target_mpps = 10, .frame_len = 64,
				 .cores_per_host = 32, .per_vm_mpps = 1 };
	struct plan_line *l;
	size_t nb;
	char why[256];

	assert_true(plan_work_cycles(1000, 0.5) == 500);
	assert_true(plan_work_cycles(1000, 0) == 1000);	/* no poll loop */
	assert_true(plan_work_cycles(1000, NAN) == 1000);
	for (int i = 0; i < 3; i++) {
		row(&set, "vhost-user", "h2g", 64, 8e6, 1000, "ok", 0);
		set.rows[set.nb_rows - 1].busy_ratio = 0.5;
		row(&set, "vhost-net", "h2g", 64, 3e5, 8000, "ok", 0);
		row(&set, "vhost-net", "h2g", 1518, 3e5, 9000, "ok", 0);
		row(&set, "sriov-vf", "h2g", 64, 1e4, 1, "ok", 1);
	}
	assert_int_equal(plan_compute(&set, &in, &l, &nb, why, sizeof(why)), 0);
	assert_int_equal(nb, 2);
	/* vhost-net: 8000 cycles at 2 GHz: 0.25 Mpps/core, 40 cores for 10
	 * Mpps, 4 cores per 1 Mpps VM, 8 VMs on 32 cores, and a note (one
	 * path carried 0.3 Mpps < 1) */
	assert_string_equal(l[0].datapath, "vhost-net");
	assert_true(fabs(l[0].mpps_per_core - 0.25) < 1e-12);
	assert_true(fabs(l[0].cores_needed - 40) < 1e-9);
	assert_true(fabs(l[0].cores_per_vm - 4) < 1e-9);
	assert_true(l[0].vms_per_host == 8);
	assert_true(l[0].note[0] != '\0');
	/* vhost-user: 1000 cycles, busy 50 %: 500 work cycles, 4 Mpps/core,
	 * 2.5 cores, 0.25 per VM, 128 VMs */
	assert_string_equal(l[1].datapath, "vhost-user");
	assert_true(fabs(l[1].work_cycles - 500) < 1e-9);
	assert_true(fabs(l[1].mpps_per_core - 4) < 1e-9);
	assert_true(fabs(l[1].cores_needed - 2.5) < 1e-9);
	assert_true(l[1].vms_per_host == 128);
	free(l);

	in.frame_len = 512;
	assert_int_equal(plan_compute(&set, &in, &l, &nb, why, sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "frame size 512"));

	/* no TSC rate anywhere */
	in.frame_len = 64;
	for (size_t i = 0; i < set.nb_rows; i++)
		set.rows[i].tsc_hz = 0;
	assert_int_equal(plan_compute(&set, &in, &l, &nb, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "tsc_hz"));
	in.tsc_hz = 2e9;	/* from run.json */
	assert_int_equal(plan_compute(&set, &in, &l, &nb, why, sizeof(why)), 0);
	free(l);
	free(set.rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_groups_and_compare),
		cmocka_unit_test(test_fixed_rates),
		cmocka_unit_test(test_mismatched_schemas),
		cmocka_unit_test(test_runjson),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
