/* vioperf compare: the CI regression gate (compare.h has the rule). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/results.h"
#include "../harness/util.h"
#include "compare.h"
#include "paired.h"
#include "runjson.h"

#define COMPARE_MAX_METRICS 16

static void cmd_compare_usage(FILE *f)
{
	fprintf(f,
"usage: vioperf compare BASELINE CURRENT [--threshold PCT] [--metric LIST]\n"
"                       [--json] [--allow-missing]\n"
"       vioperf compare --paired OLD_VIOPERF NEW_VIOPERF [RUN OPTIONS...]\n"
"\n"
"Compare a candidate run to a baseline, per datapath x direction x frame\n"
"size x rate kind (x load): medians over the ok trials, the candidate's\n"
"interval, the ratio candidate/baseline and a verdict.\n"
"\n"
"  BASELINE, CURRENT  results directories (or their results.csv)\n"
"  --threshold PCT    relative change that counts (default 5)\n"
"  --metric LIST      comma separated (default rx_pps,cycles_per_pkt,lat_p99_ns);\n"
"                     known: rx_pps tx_pps offered_pps (higher is better),\n"
"                     cycles_per_pkt cpu_cores lat_p50_ns lat_p90_ns lat_p99_ns\n"
"                     lat_p999_ns lat_max_ns loss_ratio (lower is better)\n"
"  --json             one JSON object per comparison on stdout instead of the\n"
"                     table (the exit code is the same)\n"
"  --allow-missing    a group of the baseline absent from the candidate does\n"
"                     not fail the comparison\n"
"  --paired           run two vioperf builds alternately (old, new, old, new)\n"
"                     with the same `vioperf run` options and judge the\n"
"                     per-round ratios (vioperf compare --paired --help)\n"
"\n"
"Verdict, with B the baseline median and t the threshold: for rx_pps,\n"
"'worse' when the candidate's whole interval is below B*(1-t), 'better'\n"
"when it is all above B*(1+t); for the lower-is-better metrics the\n"
"reverse; otherwise 'same'. Interval: the trial itself for 1 trial,\n"
"min-max of 2-5 trials, the 95%% order-statistic CI of the median from 6,\n"
"so one unlucky trial among several does not make a verdict 'worse'.\n"
"Rows with status other than ok are ignored (and counted); rows with\n"
"emulated=1 are function checks and are not compared.\n"
"\n"
"Exit status: 0 nothing worse (or missing), 1 something worse or missing,\n"
"2 bad input (unreadable, truncated or malformed results; bad options).\n");
}

/* run.json member key of the run whose results.csv is csv, or "" */
static void cmd_compare_meta(const char *csv, const char *key, char *out,
			     size_t len)
{
	char path[700], why[256];
	const char *slash = strrchr(csv, '/'), *v;
	struct runjson j;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%.*s/run.json",
		 slash ? (int)(slash - csv) : 1, slash ? csv : ".");
	if (runjson_read(path, &j, why, sizeof(why)) < 0)
		return;
	if ((v = runjson_get(&j, key)))
		snprintf(out, len, "%s", v);
	runjson_free(&j);
}

/* Results of two different machines differ by more than the build: say so
 * (on stderr, the verdicts stand). */
static void cmd_compare_hosts(const struct result_set *base,
			      const struct result_set *cur)
{
	static const char *const keys[] = { "cpu_model", "host" };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char b[256], c[256];

		cmd_compare_meta(base->source, keys[i], b, sizeof(b));
		cmd_compare_meta(cur->source, keys[i], c, sizeof(c));
		if (b[0] && c[0] && strcmp(b, c)) {
			util_err("compare: note: the baseline ran on %s '%s', "
				 "the candidate on '%s': the differences include "
				 "the machine, not only the build", keys[i], b,
				 c);
			return;
		}
	}
}

static int cmd_compare_metrics(const char *list,
			       const struct compare_metric **metrics,
			       size_t *nb)
{
	char buf[512], *save = NULL, *tok;

	if (util_strlcpy(buf, list, sizeof(buf)) < 0) {
		util_err("compare: --metric list too long");
		return -EINVAL;
	}
	*nb = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct compare_metric *m = compare_metric_find(tok);

		if (!m) {
			util_err("compare: --metric: unknown metric '%s'; see "
				 "'vioperf compare --help' for the list", tok);
			return -EINVAL;
		}
		if (*nb == COMPARE_MAX_METRICS) {
			util_err("compare: --metric: at most %d metrics",
				 COMPARE_MAX_METRICS);
			return -EINVAL;
		}
		metrics[(*nb)++] = m;
	}
	if (!*nb) {
		util_err("compare: --metric: empty list; give e.g. rx_pps");
		return -EINVAL;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "metric", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "allow-missing", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct compare_metric *metrics[COMPARE_MAX_METRICS];
	size_t nb_metrics = 0;
	double threshold_pct = 5.0;
	int json = 0, allow_missing = 0, c, ret;
	struct result_set base, cur;
	struct compare_result res;
	char why[1024];

	if (argc > 1 && !strcmp(argv[1], "--paired"))
		return paired_main(argc - 1, argv + 1);
	if (cmd_compare_metrics("rx_pps,cycles_per_pkt,lat_p99_ns", metrics,
				&nb_metrics) < 0)
		return VP_EXIT_USAGE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (util_parse_double(optarg, 0.0, 1000.0,
					      &threshold_pct) < 0) {
				util_err("compare: --threshold '%s': give a "
					 "percentage such as 5", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'm':
			if (cmd_compare_metrics(optarg, metrics, &nb_metrics) < 0)
				return VP_EXIT_USAGE;
			break;
		case 'j':
			json = 1;
			break;
		case 'a':
			allow_missing = 1;
			break;
		case 'h':
			cmd_compare_usage(stdout);
			return VP_EXIT_OK;
		default:
			util_err("compare: unknown or incomplete option '%s'; "
				 "see 'vioperf compare --help'",
				 argv[optind - 1]);
			return VP_EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		util_err("compare: give exactly two results directories, "
			 "BASELINE and CURRENT; see 'vioperf compare --help'");
		return VP_EXIT_USAGE;
	}
	ret = results_read(argv[optind], &base, why, sizeof(why));
	if (ret < 0) {
		util_err("compare: baseline: %s", why);
		return VP_EXIT_USAGE;
	}
	ret = results_read(argv[optind + 1], &cur, why, sizeof(why));
	if (ret < 0) {
		util_err("compare: candidate: %s", why);
		results_free(&base);
		return VP_EXIT_USAGE;
	}
	cmd_compare_hosts(&base, &cur);
	ret = compare_sets(&base, &cur, metrics, nb_metrics,
			   threshold_pct / 100.0, &res);
	if (ret < 0) {
		util_errno(ret, "compare");
		results_free(&base);
		results_free(&cur);
		return VP_EXIT_USAGE;
	}
	if (json)
		compare_print_json(stdout, &res, threshold_pct / 100.0);
	else
		compare_print_table(stdout, &res, threshold_pct / 100.0);
	ret = res.nb_worse || (res.nb_missing && !allow_missing)
		      ? VP_EXIT_FAIL
		      : VP_EXIT_OK;
	if (!res.nb_lines) {
		util_err("compare: %s and %s have no datapath x direction x "
			 "frame size in common with ok trials; nothing to "
			 "compare", base.source, cur.source);
		ret = VP_EXIT_FAIL;
	}
	compare_free(&res);
	results_free(&base);
	results_free(&cur);
	return ret;
}
