/* compare --paired: two vioperf builds run alternately in one job (A B A B
 * ...), then compared round by round (paired.h).
 *
 * On a shared, noisy machine the two builds see the same noise only when
 * they run close together. So each round runs the old build then the new
 * one with the same `vioperf run` options, and the verdict is taken on the
 * per-round ratios new/old rather than on the two pooled sets: the median
 * ratio over the rounds with its interval (stats_summarize), "worse" when
 * the whole interval is beyond 1 -/+ threshold in the bad direction. */
#include "paired.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../harness/results.h"
#include "../harness/util.h"
#include "compare.h"
#include "stats.h"

#define PAIRED_MAX_ROUNDS 50
#define PAIRED_MAX_METRICS 16
#define PAIRED_MAX_ARGS 256

static void paired_usage(FILE *f)
{
	fprintf(f,
"usage: vioperf compare --paired [--rounds N] [--threshold PCT] [--metric LIST]\n"
"                       [--json] [--out DIR] OLD_VIOPERF NEW_VIOPERF\n"
"                       [RUN OPTIONS...]\n"
"\n"
"Run two vioperf builds alternately in this job, OLD then NEW, N rounds\n"
"(default 3), each as `VIOPERF run RUN OPTIONS --out DIR/{old,new}-R`, then\n"
"compare them on the per-round ratios NEW/OLD: for each datapath x\n"
"direction x frame size x rate kind and metric, the median ratio over the\n"
"rounds and its interval (min-max for 2-5 rounds, the 95%% order-statistic\n"
"CI of the median from 6). Verdict with threshold t: for rx_pps 'worse'\n"
"when the whole interval is below 1-t, 'better' when all above 1+t; the\n"
"reverse for the lower-is-better metrics; else 'same'. A group that a round\n"
"of NEW lacks is 'missing'. Drift of a shared machine hits both builds of\n"
"a round alike and cancels in the ratio.\n"
"\n"
"  --rounds N       rounds of OLD + NEW, 1..%d (default 3)\n"
"  --threshold PCT  relative change that counts (default 5)\n"
"  --metric LIST    as for compare (default rx_pps,cycles_per_pkt,lat_p99_ns)\n"
"  --json           one JSON object per comparison on stdout\n"
"  --out DIR        where the runs go (default results/paired-<UTC time>)\n"
"\n"
"The runs' own output goes to stderr. Exit status: 0 nothing worse or\n"
"missing, 1 something worse or missing (or a run failed to produce rows),\n"
"2 bad options or a run refused its options.\n",
		PAIRED_MAX_ROUNDS);
}

/* One group x metric over the rounds. */
struct paired_line {
	struct stats_key key;
	const struct compare_metric *metric;
	double ratio[PAIRED_MAX_ROUNDS];
	size_t nb_ratios;
	size_t nb_missing;	/* rounds where NEW lacked it */
	struct stats_summary sum;
	enum compare_verdict verdict;
};

struct paired_result {
	struct paired_line *lines;
	size_t nb, cap;
};

static struct paired_line *paired_find(struct paired_result *pr,
				       const struct compare_line *l)
{
	for (size_t i = 0; i < pr->nb; i++)
		if (pr->lines[i].metric == l->metric &&
		    stats_key_same(&pr->lines[i].key, &l->key))
			return &pr->lines[i];
	if (pr->nb == pr->cap) {
		size_t n = pr->cap ? pr->cap * 2 : 32;
		struct paired_line *p = realloc(pr->lines, n * sizeof(*p));

		if (!p)
			return NULL;
		pr->lines = p;
		pr->cap = n;
	}
	memset(&pr->lines[pr->nb], 0, sizeof(pr->lines[0]));
	pr->lines[pr->nb].key = l->key;
	pr->lines[pr->nb].metric = l->metric;
	return &pr->lines[pr->nb++];
}

/* Add one round's comparison. 0 or -ENOMEM. */
static int paired_add_round(struct paired_result *pr,
			    const struct compare_result *res)
{
	for (size_t i = 0; i < res->nb_lines; i++) {
		const struct compare_line *l = &res->lines[i];
		struct paired_line *p;

		if (l->verdict == COMPARE_NEW)
			continue;
		if (!(p = paired_find(pr, l)))
			return -ENOMEM;
		if (l->verdict == COMPARE_MISSING || !isfinite(l->ratio))
			p->nb_missing++;
		else
			p->ratio[p->nb_ratios++] = l->ratio;
	}
	return 0;
}

static int paired_verdicts(struct paired_result *pr, double threshold)
{
	static const struct stats_summary one = {
		.n = 1, .median = 1, .lo = 1, .hi = 1, .ci = STATS_CI_POINT,
	};

	for (size_t i = 0; i < pr->nb; i++) {
		struct paired_line *p = &pr->lines[i];
		int ret = stats_summarize(p->ratio, p->nb_ratios, &p->sum);

		if (ret < 0)
			return ret;
		if (p->nb_missing)
			p->verdict = COMPARE_MISSING;
		else
			/* ratios against a baseline of exactly 1 */
			p->verdict = compare_verdict_of(&one, &p->sum,
							p->metric->higher_is_better,
							threshold);
	}
	return 0;
}

/* Run `vioperf run ARGS --out dir` with the build at path; its
 * output goes to our stderr. Returns its exit status or -errno. */
static int paired_run(const char *vioperf, char *const *run_args,
		      size_t nb_args, const char *dir)
{
	char *argv[PAIRED_MAX_ARGS + 8];
	size_t n = 0;
	pid_t pid;
	int status;

	argv[n++] = (char *)vioperf;
	argv[n++] = "run";
	for (size_t i = 0; i < nb_args; i++)
		argv[n++] = run_args[i];
	argv[n++] = "--out";
	argv[n++] = (char *)dir;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv(vioperf, argv);
		fprintf(stderr, "vioperf: compare --paired: cannot run %s: %s\n",
			vioperf, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static void paired_print(FILE *f, const struct paired_result *pr,
			 size_t rounds, double threshold)
{
	size_t worse = 0, missing = 0, better = 0, same = 0;

	fprintf(f, "%-11s %-3s %-5s %-10s %-15s %-26s %s\n", "datapath", "dir",
		"frame", "rate", "metric", "ratio new/old [interval]",
		"verdict");
	for (size_t i = 0; i < pr->nb; i++) {
		const struct paired_line *p = &pr->lines[i];
		char fr[16], rate[24], r[64];

		stats_rate_name(&p->key, rate, sizeof(rate));
		if (!p->sum.n)
			snprintf(r, sizeof(r), "-");
		else
			snprintf(r, sizeof(r), "%.3f [%.3f..%.3f] n=%zu",
				 p->sum.median, p->sum.lo, p->sum.hi, p->sum.n);
		fprintf(f, "%-11s %-3s %-5s %-10s %-15s %-26s %s", p->key.datapath,
			p->key.direction,
			results_frame_name(p->key.frame_len, fr, sizeof(fr)),
			rate, p->metric->name, r,
			compare_verdict_name(p->verdict));
		if (p->nb_missing)
			fprintf(f, " (in %zu of %zu rounds)", p->nb_missing,
				rounds);
		fputc('\n', f);
		worse += p->verdict == COMPARE_WORSE;
		missing += p->verdict == COMPARE_MISSING;
		better += p->verdict == COMPARE_BETTER;
		same += p->verdict == COMPARE_SAME;
	}
	fprintf(f, "\n%zu worse, %zu missing, %zu better, %zu same over %zu "
		   "paired round%s (threshold %g %%; worse = the whole interval "
		   "of the per-round ratios beyond 1 by more than the "
		   "threshold)\n",
		worse, missing, better, same, rounds, rounds == 1 ? "" : "s",
		threshold * 100);
}

static void paired_json(FILE *f, const struct paired_result *pr,
			double threshold)
{
	for (size_t i = 0; i < pr->nb; i++) {
		const struct paired_line *p = &pr->lines[i];
		char fr[16];

		fprintf(f, "{\"paired\":true,\"datapath\":\"%s\",\"direction\":"
			   "\"%s\",\"frame_len\":\"%s\",\"rate_kind\":\"%s\","
			   "\"load_pct\":%g,\"metric\":\"%s\",\"ratios\":[",
			p->key.datapath, p->key.direction,
			results_frame_name(p->key.frame_len, fr, sizeof(fr)),
			p->key.rate_kind, p->key.load_pct, p->metric->name);
		for (size_t r = 0; r < p->nb_ratios; r++)
			fprintf(f, "%s%.17g", r ? "," : "", p->ratio[r]);
		fprintf(f, "],\"rounds_missing\":%zu", p->nb_missing);
		if (p->sum.n)
			fprintf(f, ",\"ratio_median\":%.17g,\"ratio_lo\":%.17g,"
				   "\"ratio_hi\":%.17g", p->sum.median, p->sum.lo,
				p->sum.hi);
		fprintf(f, ",\"interval\":\"%s\",\"threshold\":%g,\"verdict\":"
			   "\"%s\"}\n", stats_ci_name(p->sum.ci), threshold,
			compare_verdict_name(p->verdict));
	}
}

static int paired_metrics(const char *list, const struct compare_metric **m,
			  size_t *nb)
{
	char buf[512], *save = NULL;

	if (util_strlcpy(buf, list, sizeof(buf)) < 0)
		return -EINVAL;
	*nb = 0;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (*nb == PAIRED_MAX_METRICS || !(m[*nb] = compare_metric_find(t))) {
			util_err("compare --paired: --metric: unknown metric "
				 "'%s'; see 'vioperf compare --help'", t);
			return -EINVAL;
		}
		(*nb)++;
	}
	return *nb ? 0 : -EINVAL;
}

int paired_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "threshold", required_argument, NULL, 't' },
		{ "metric", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct compare_metric *metrics[PAIRED_MAX_METRICS];
	size_t nb_metrics = 0;
	uint64_t rounds = 3;
	double threshold_pct = 5;
	int json = 0, c, ret, exit_code = VP_EXIT_OK;
	const char *out = NULL;
	char def_out[128], dir_a[4200], dir_b[4200], why[1024];
	struct paired_result pr = { 0 };
	const char *old_bin, *new_bin;

	paired_metrics("rx_pps,cycles_per_pkt,lat_p99_ns", metrics, &nb_metrics);
	optind = 1;
	opterr = 0;
	/* "+": stop at OLD_VIOPERF; what follows NEW_VIOPERF is vioperf
	 * run's */
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (util_parse_u64(optarg, 1, PAIRED_MAX_ROUNDS, 0,
					   &rounds) < 0) {
				util_err("compare --paired: --rounds '%s': give "
					 "1..%d", optarg, PAIRED_MAX_ROUNDS);
				return VP_EXIT_USAGE;
			}
			break;
		case 't':
			if (util_parse_double(optarg, 0, 1000, &threshold_pct) < 0) {
				util_err("compare --paired: --threshold '%s': "
					 "give a percentage such as 5", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'm':
			if (paired_metrics(optarg, metrics, &nb_metrics) < 0)
				return VP_EXIT_USAGE;
			break;
		case 'j':
			json = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			paired_usage(stdout);
			return VP_EXIT_OK;
		default:
			util_err("compare --paired: unknown or incomplete option "
				 "'%s'; see 'vioperf compare --paired --help'",
				 argv[optind - 1]);
			return VP_EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		util_err("compare --paired: give the two vioperf binaries, OLD "
			 "then NEW; see 'vioperf compare --paired --help'");
		return VP_EXIT_USAGE;
	}
	old_bin = argv[optind];
	new_bin = argv[optind + 1];
	for (int i = 0; i < 2; i++) {
		const char *b = argv[optind + i];

		if (access(b, X_OK) < 0) {
			util_err("compare --paired: %s: %s; give the path of a "
				 "built vioperf (e.g. build/vioperf)", b,
				 strerror(errno));
			return VP_EXIT_USAGE;
		}
	}
	char **run_args = argv + optind + 2;
	size_t nb_run = (size_t)(argc - optind - 2);

	if (nb_run > PAIRED_MAX_ARGS) {
		util_err("compare --paired: too many run options");
		return VP_EXIT_USAGE;
	}
	for (size_t i = 0; i < nb_run; i++)
		if (!strcmp(run_args[i], "--out") ||
		    !strncmp(run_args[i], "--out=", 6)) {
			util_err("compare --paired: --out among the run options: "
				 "the paired mode places each run itself; put "
				 "--out DIR before OLD_VIOPERF");
			return VP_EXIT_USAGE;
		}
	if (!out) {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(def_out, sizeof(def_out),
			 "results/paired-%Y%m%dT%H%M%SZ", &tm);
		out = def_out;
	}
	if ((ret = util_mkdir_p(out, 0755)) < 0) {
		util_errno(ret, "compare --paired: cannot create %s; choose a "
			   "writable --out", out);
		return VP_EXIT_USAGE;
	}
	for (uint64_t r = 1; r <= rounds; r++) {
		struct result_set a, b;
		struct compare_result res;

		snprintf(dir_a, sizeof(dir_a), "%s/old-%llu", out,
			 (unsigned long long)r);
		snprintf(dir_b, sizeof(dir_b), "%s/new-%llu", out,
			 (unsigned long long)r);
		for (int side = 0; side < 2; side++) {
			const char *bin = side ? new_bin : old_bin;
			const char *dir = side ? dir_b : dir_a;

			util_info("compare --paired: round %llu/%llu: %s %s",
				  (unsigned long long)r,
				  (unsigned long long)rounds,
				  side ? "new" : "old", bin);
			ret = paired_run(bin, run_args, nb_run, dir);
			if (ret == 2 || ret < 0) {
				util_err("compare --paired: %s run refused its "
					 "options or could not start (exit %d); "
					 "fix the run options", bin, ret);
				exit_code = VP_EXIT_USAGE;
				goto out;
			}
			if (ret >= 128) {
				util_err("compare --paired: %s run was "
					 "interrupted (exit %d)", bin, ret);
				exit_code = VP_EXIT_FAIL;
				goto out;
			}
		}
		if (results_read(dir_a, &a, why, sizeof(why)) < 0) {
			util_err("compare --paired: old build: %s", why);
			exit_code = VP_EXIT_FAIL;
			goto out;
		}
		if (results_read(dir_b, &b, why, sizeof(why)) < 0) {
			util_err("compare --paired: new build: %s", why);
			results_free(&a);
			exit_code = VP_EXIT_FAIL;
			goto out;
		}
		ret = compare_sets(&a, &b, metrics, nb_metrics,
				   threshold_pct / 100, &res);
		if (!ret) {
			ret = paired_add_round(&pr, &res);
			compare_free(&res);
		}
		results_free(&a);
		results_free(&b);
		if (ret < 0) {
			util_errno(ret, "compare --paired");
			exit_code = VP_EXIT_FAIL;
			goto out;
		}
	}
	if ((ret = paired_verdicts(&pr, threshold_pct / 100)) < 0) {
		util_errno(ret, "compare --paired");
		exit_code = VP_EXIT_FAIL;
		goto out;
	}
	if (json)
		paired_json(stdout, &pr, threshold_pct / 100);
	else
		paired_print(stdout, &pr, rounds, threshold_pct / 100);
	for (size_t i = 0; i < pr.nb; i++)
		if (pr.lines[i].verdict == COMPARE_WORSE ||
		    pr.lines[i].verdict == COMPARE_MISSING)
			exit_code = VP_EXIT_FAIL;
	if (!pr.nb) {
		util_err("compare --paired: the runs have no group with ok "
			 "trials in common; nothing to compare");
		exit_code = VP_EXIT_FAIL;
	}
	util_info("compare --paired: runs kept in %s", out);
out:
	free(pr.lines);
	return exit_code;
}
