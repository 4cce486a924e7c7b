/* results.c: the column table, CSV round trips and every reader error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../harness/results.h"
#include "../../harness/util.h"

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_results.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return util_rm_rf(tmpdir);
}

static void write_text(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *header(void)
{
	static char line[2048];
	FILE *f = fmemopen(line, sizeof(line), "w");

	assert_non_null(f);
	assert_int_equal(results_write_header(f), 0);
	fclose(f);
	return line;
}

static void fill_row(struct result_row *r, int i)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->run_id, sizeof(r->run_id), "2026-11-22T01:00:00Z-h%d", i);
	snprintf(r->datapath, sizeof(r->datapath), "vhost-user");
	snprintf(r->variant, sizeof(r->variant), "virtio_user,\"packed\",queues=2");
	snprintf(r->direction, sizeof(r->direction), "h2g");
	r->frame_len = i % 2 ? 0 : 1518;
	r->trial = i + 1;
	r->duration_s = 2.0;
	r->offered_pps = 14880952.380952381;
	r->tx_pps = 14880952.380952381;
	r->rx_pps = 7500000.1 + i;
	r->loss_ratio = 1e-9;
	r->lost = 18446744073709551615ull;	/* UINT64_MAX survives */
	r->reordered = 1ull << 40;
	r->duplicated = 3;
	r->corrupted = 0;
	r->lat_p50_ns = 1234.5;
	r->lat_p90_ns = 2e3;
	r->lat_p99_ns = 0.1;
	r->lat_p999_ns = 1.0 / 3.0;
	r->lat_max_ns = NAN;	/* not measured */
	r->cpu_cores = 1.75;
	r->cycles_per_pkt = 312.0625;
	r->busy_ratio = 0.3;
	snprintf(r->status, sizeof(r->status),
		 "failed: engine said \"no, mbufs\", exit 1\nsecond line");
	snprintf(r->rate_kind, sizeof(r->rate_kind), "mrr");
	r->tx_pkts = 123456789012345ull;
	r->rx_pkts = 9007199254740993ull;	/* 2^53 + 1: not a double */
	r->tsc_hz = 2899999999.5;
	r->emulated = i % 2;
	r->load_pct = 50;
	r->search_hi_pps = 1e12;
}

static void test_table(void **state)
{
	(void)state;
	static const char *const first[] = {
		"run_id", "datapath", "variant", "direction", "frame_len",
		"trial", "duration_s", "offered_pps", "tx_pps", "rx_pps",
		"loss_ratio", "lost", "reordered", "duplicated", "corrupted",
		"lat_p50_ns", "lat_p90_ns", "lat_p99_ns", "lat_p999_ns",
		"lat_max_ns", "cpu_cores", "cycles_per_pkt", "busy_ratio",
		"status",
	};

	/* columns are only appended: at least the 39 of the first schema */
	assert_true(result_nb_cols >= 39);
	for (size_t i = 0; i < result_nb_cols; i++) {
		if (i < ARRAY_SIZE(first)) {
			assert_string_equal(result_cols[i].name, first[i]);
			assert_true(result_cols[i].required);
		} else {
			assert_false(result_cols[i].required);
		}
		if (i)	/* declared order of struct result_row */
			assert_true(result_cols[i].off > result_cols[i - 1].off);
	}
	assert_string_equal(result_cols[24].name, "rate_kind");
	assert_string_equal(result_cols[38].name, "search_hi_pps");
}

static void test_format(void **state)
{
	(void)state;
	struct result_row r;
	char line[8192], small[32];
	int n;

	fill_row(&r, 1);
	n = results_format_row(&r, line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(line));
	assert_int_equal(line[n - 1], '\n');
	assert_null(strchr(line, '\n') != line + n - 1 ? line : NULL);
	assert_non_null(strstr(line, ",\"virtio_user,\"\"packed\"\",queues=2\","));
	assert_non_null(strstr(line, ",h2g,imix,2,2,14880952.38095238,"));
	assert_non_null(strstr(line, ",18446744073709551615,1099511627776,3,0,"
				     "1234.5,2000,0.1,0.3333333333333333,,1.75,"));
	assert_non_null(strstr(line, "\"failed: engine said \"\"no, mbufs\"\", "
				     "exit 1 second line\""));
	assert_int_equal(results_format_row(&r, small, sizeof(small)), -ENOSPC);
	assert_string_equal(results_frame_name(64, small, sizeof(small)), "64");
	assert_string_equal(results_frame_name(0, small, sizeof(small)), "imix");
}

/* Numbers keep their '.' whatever LC_NUMERIC says. */
static void test_locale(void **state)
{
	(void)state;
	struct result_row r;
	char line[8192];

	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
		/* not installed: compile it from the i18n sources, if any */
		char dir[300];
		char *const argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8",
				       dir, NULL };

		snprintf(dir, sizeof(dir), "%s/de_DE.UTF-8", tmpdir);
		util_run(argv, NULL, 0);
		setenv("LOCPATH", tmpdir, 1);
		if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
			skip();
	}
	{
		char probe[16];

		snprintf(probe, sizeof(probe), "%.1f", 1.5);
		assert_string_equal(probe, "1,5");	/* the trap is live */
	}
	fill_row(&r, 0);
	assert_true(results_format_row(&r, line, sizeof(line)) > 0);
	assert_non_null(strstr(line, ",1234.5,"));
	{
		/* and read back the same way */
		struct result_set set;
		char path[512], why[256], text[10240];

		snprintf(text, sizeof(text), "%s%s", header(), line);
		write_text("locale.csv", text);
		snprintf(path, sizeof(path), "%s/locale.csv", tmpdir);
		assert_int_equal(results_read(path, &set, why, sizeof(why)), 0);
		assert_true(set.rows[0].lat_p50_ns == 1234.5);
		assert_true(set.rows[0].busy_ratio == 0.3);
		results_free(&set);
	}
	setlocale(LC_NUMERIC, "C");
}

static void test_round_trip(void **state)
{
	(void)state;
	struct results_file *rf;
	struct result_set set;
	struct result_row r;
	char dir[512], why[512];

	snprintf(dir, sizeof(dir), "%s/run1", tmpdir);
	assert_int_equal(results_open(&rf, dir), 0);
	for (int i = 0; i < 3; i++) {
		fill_row(&r, i);
		assert_int_equal(results_append(rf, &r), 0);
	}
	results_close(rf);
	/* O_EXCL: a run never writes over another one */
	assert_int_equal(results_open(&rf, dir), -EEXIST);

	assert_int_equal(results_read(dir, &set, why, sizeof(why)), 0);
	assert_int_equal(set.nb_rows, 3);
	assert_non_null(strstr(set.source, "run1/results.csv"));
	for (int i = 0; i < 3; i++) {
		const struct result_row *g = &set.rows[i];

		fill_row(&r, i);
		assert_string_equal(g->run_id, r.run_id);
		assert_string_equal(g->variant, r.variant);
		assert_string_equal(g->status,
				    "failed: engine said \"no, mbufs\", exit 1 second line");
		assert_int_equal(g->frame_len, r.frame_len);
		assert_int_equal(g->trial, r.trial);
		assert_true(g->offered_pps == r.offered_pps);
		assert_true(g->rx_pps == r.rx_pps);
		assert_true(g->loss_ratio == r.loss_ratio);
		assert_true(g->lost == r.lost);
		assert_true(g->reordered == r.reordered);
		assert_true(g->rx_pkts == r.rx_pkts);
		assert_true(g->tx_pkts == r.tx_pkts);
		assert_true(g->lat_p999_ns == r.lat_p999_ns);
		assert_true(isnan(g->lat_max_ns));
		assert_true(g->tsc_hz == r.tsc_hz);
		assert_true(g->search_hi_pps == r.search_hi_pps);
		assert_int_equal(g->emulated, r.emulated);
		assert_string_equal(g->rate_kind, "mrr");
	}
	results_free(&set);
	assert_null(set.rows);

	/* the file itself also reads back */
	strcat(dir, "/results.csv");
	assert_int_equal(results_read(dir, &set, why, sizeof(why)), 0);
	assert_int_equal(set.nb_rows, 3);
	results_free(&set);
}

/* Columns by name in any order; unknown ones ignored; optional ones zero. */
static void test_any_order(void **state)
{
	(void)state;
	struct result_set set;
	char why[512], path[512];

	write_text("order.csv",
		   "status,extra_column,busy_ratio,cycles_per_pkt,cpu_cores,"
		   "lat_max_ns,lat_p999_ns,lat_p99_ns,lat_p90_ns,lat_p50_ns,"
		   "corrupted,duplicated,reordered,lost,loss_ratio,rx_pps,"
		   "tx_pps,offered_pps,duration_s,trial,frame_len,direction,"
		   "variant,datapath,run_id\r\n"
		   "ok,whatever,0.5,100,1,9,8,7,6,5,0,0,0,0,0,1e6,1e6,1e6,2,1,"
		   "64,g2h,,tc-sw,r1\r\n");
	snprintf(path, sizeof(path), "%s/order.csv", tmpdir);
	assert_int_equal(results_read(path, &set, why, sizeof(why)), 0);
	assert_int_equal(set.nb_rows, 1);
	assert_string_equal(set.rows[0].datapath, "tc-sw");
	assert_string_equal(set.rows[0].direction, "g2h");
	assert_string_equal(set.rows[0].status, "ok");
	assert_string_equal(set.rows[0].variant, "");
	assert_int_equal(set.rows[0].frame_len, 64);
	assert_true(set.rows[0].rx_pps == 1e6);
	assert_true(set.rows[0].lat_p50_ns == 5);
	assert_true(set.rows[0].tsc_hz == 0);
	assert_string_equal(set.rows[0].rate_kind, "");
	results_free(&set);
}

/* Expect -EINVAL and every needle in why. */
static void expect_bad(const char *name, const char *text, const char *n1,
		       const char *n2)
{
	struct result_set set;
	char why[512], path[512];

	write_text(name, text);
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	why[0] = '\0';
	assert_int_equal(results_read(path, &set, why, sizeof(why)), -EINVAL);
	print_message("  %s -> %s\n", name, why);
	assert_non_null(strstr(why, path));
	if (n1 && !strstr(why, n1))
		fail_msg("'%s' not in '%s'", n1, why);
	if (n2 && !strstr(why, n2))
		fail_msg("'%s' not in '%s'", n2, why);
	assert_null(set.rows);
	assert_int_equal(set.nb_rows, 0);
}

static char good[8192];

static void make_good(void)
{
	struct result_row r;
	int n;

	strcpy(good, header());
	fill_row(&r, 0);
	n = results_format_row(&r, good + strlen(good), sizeof(good) - strlen(good));
	assert_true(n > 0);
}

static void test_errors(void **state)
{
	(void)state;
	char text[16384], *p;

	make_good();
	expect_bad("empty.csv", "", ":1: empty file", NULL);
	expect_bad("header_only.csv", header(), ":2: header only", NULL);

	/* last line without its newline */
	snprintf(text, sizeof(text), "%s", good);
	text[strlen(text) - 1] = '\0';
	expect_bad("no_newline.csv", text, ":2: truncated line", NULL);

	/* last line cut short, newline present */
	snprintf(text, sizeof(text), "%s%s", good, strchr(good, '\n') + 1);
	p = text + strlen(text) - 1;
	while (*p != 'h' || p[1] != '2')	/* cut before direction */
		p--;
	strcpy(p, "h2g,64\n");
	expect_bad("short.csv", text, ":3: column trial: missing", NULL);

	/* more fields than the header */
	{
		char has[32];

		snprintf(has, sizeof(has), "header has %zu", result_nb_cols);
		snprintf(text, sizeof(text), "%s", good);
		strcpy(text + strlen(text) - 1, ",x\n");
		expect_bad("long.csv", text, ":2:", has);
	}

	/* missing required column */
	expect_bad("missing.csv", "run_id,datapath\nr,vhost-net\n",
		   ":1: column variant: missing from the header", NULL);

	/* bad numbers */
	snprintf(text, sizeof(text), "%s", good);
	p = strstr(text + 1, ",2,14880952");	/* the duration_s of row 1 */
	assert_non_null(p);
	p[1] = 'x';
	expect_bad("badnum.csv", text, ":2: column duration_s: 'x'", NULL);

	snprintf(text, sizeof(text), "%s", good);
	p = strstr(text, ",1518,");
	memcpy(p, ",1x18,", 6);
	expect_bad("badframe.csv", text, "column frame_len: '1x18'", NULL);

	snprintf(text, sizeof(text), "%s", good);
	p = strstr(text, ",18446744073709551615,");
	memcpy(p, ",-8446744073709551615,", 22);
	expect_bad("negative.csv", text, "column lost:", NULL);

	/* an unterminated quote */
	snprintf(text, sizeof(text), "%s", good);
	p = strstr(text, "\"failed");
	strcpy(p, "\"failed: oops\n");
	expect_bad("quote.csv", text, ":2:", NULL);

	/* a string too long for its column */
	expect_bad("longstr.csv",
		   "run_id,datapath,variant,direction,frame_len,trial,duration_s,"
		   "offered_pps,tx_pps,rx_pps,loss_ratio,lost,reordered,duplicated,"
		   "corrupted,lat_p50_ns,lat_p90_ns,lat_p99_ns,lat_p999_ns,"
		   "lat_max_ns,cpu_cores,cycles_per_pkt,busy_ratio,status\n"
		   "r,dp,v,h2g-and-much-more,64,1,1,1,1,1,0,0,0,0,0,1,1,1,1,1,1,"
		   "1,1,ok\n", "column direction: value is 17 bytes", NULL);

	/* duplicated header */
	expect_bad("dup.csv", "run_id,run_id\nr,r\n",
		   "column run_id: appears twice", NULL);
}

static void test_missing_path(void **state)
{
	(void)state;
	struct result_set set;
	char why[512], path[512];

	snprintf(path, sizeof(path), "%s/nowhere", tmpdir);
	assert_int_equal(results_read(path, &set, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "nowhere"));
	/* a directory without results.csv */
	assert_int_equal(results_read(tmpdir, &set, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "results.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_any_order),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
