/* Baseline versus candidate: per group and metric, a verdict (compare.h). */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"

static const struct compare_metric compare_metrics[] = {
	{ "rx_pps", 1, "Mpps", 1e-6 },
	{ "tx_pps", 1, "Mpps", 1e-6 },
	{ "offered_pps", 1, "Mpps", 1e-6 },
	{ "cycles_per_pkt", 0, "cycles", 1 },
	{ "cpu_cores", 0, "cores", 1 },
	{ "lat_p50_ns", 0, "us", 1e-3 },
	{ "lat_p90_ns", 0, "us", 1e-3 },
	{ "lat_p99_ns", 0, "us", 1e-3 },
	{ "lat_p999_ns", 0, "us", 1e-3 },
	{ "lat_max_ns", 0, "us", 1e-3 },
	{ "loss_ratio", 0, "ratio", 1 },
};

const struct compare_metric *compare_metric_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(compare_metrics); i++)
		if (!strcmp(compare_metrics[i].name, name))
			return &compare_metrics[i];
	return NULL;
}

const char *compare_verdict_name(enum compare_verdict v)
{
	switch (v) {
	case COMPARE_SAME: return "same";
	case COMPARE_BETTER: return "better";
	case COMPARE_WORSE: return "worse";
	case COMPARE_MISSING: return "missing";
	case COMPARE_NEW: return "new";
	}
	return "?";
}

enum compare_verdict compare_verdict_of(const struct stats_summary *base,
					const struct stats_summary *cur,
					int higher_is_better,
					double threshold)
{
	double lo_bound, hi_bound;

	if (!cur->n)
		return base->n ? COMPARE_MISSING : COMPARE_SAME;
	if (!base->n)
		return COMPARE_NEW;
	lo_bound = base->median * (1.0 - threshold);
	hi_bound = base->median * (1.0 + threshold);
	/* a negative median (never expected) would swap the bounds */
	if (lo_bound > hi_bound) {
		double t = lo_bound;

		lo_bound = hi_bound;
		hi_bound = t;
	}
	if (cur->hi < lo_bound)
		return higher_is_better ? COMPARE_WORSE : COMPARE_BETTER;
	if (cur->lo > hi_bound)
		return higher_is_better ? COMPARE_BETTER : COMPARE_WORSE;
	return COMPARE_SAME;
}

static int compare_add(struct compare_result *res, size_t *cap,
		       const struct compare_line *l)
{
	if (res->nb_lines == *cap) {
		size_t n = *cap ? *cap * 2 : 32;
		struct compare_line *p = realloc(res->lines, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		res->lines = p;
		*cap = n;
	}
	res->lines[res->nb_lines++] = *l;
	switch (l->verdict) {
	case COMPARE_SAME: res->nb_same++; break;
	case COMPARE_BETTER: res->nb_better++; break;
	case COMPARE_WORSE: res->nb_worse++; break;
	case COMPARE_MISSING: res->nb_missing++; break;
	case COMPARE_NEW: res->nb_new++; break;
	}
	return 0;
}

static int compare_group(struct compare_result *res, size_t *cap,
			 const struct stats_group *b,
			 const struct stats_group *c,
			 const struct compare_metric *m, double threshold)
{
	static const struct stats_group none;
	const struct result_col *col = stats_col(m->name);
	struct compare_line l;
	int ret;

	memset(&l, 0, sizeof(l));
	l.key = (b ? b : c)->key;
	l.key.src = 0;
	l.metric = m;
	if (!b)
		b = &none;
	if (!c)
		c = &none;
	if ((ret = stats_group_metric(b, col, &l.base)) < 0 ||
	    (ret = stats_group_metric(c, col, &l.cur)) < 0)
		return ret;
	l.base_failed = b->nb_failed;
	l.cur_failed = c->nb_failed;
	l.ratio = l.base.n && l.cur.n && l.base.median != 0
			  ? l.cur.median / l.base.median
			  : NAN;
	if (!l.base.n && !l.cur.n)
		return 0;	/* metric not measured on either side */
	l.verdict = compare_verdict_of(&l.base, &l.cur, m->higher_is_better,
				       threshold);
	return compare_add(res, cap, &l);
}

int compare_sets(const struct result_set *base, const struct result_set *cur,
		 const struct compare_metric *const *metrics, size_t nb_metrics,
		 double threshold, struct compare_result *res)
{
	struct stats_groups gb = { 0 }, gc = { 0 };
	size_t cap = 0;
	int ret;

	memset(res, 0, sizeof(*res));
	if ((ret = stats_group_rows(base, 0, &gb)) < 0 ||
	    (ret = stats_group_rows(cur, 1, &gc)) < 0)
		goto out;
	for (size_t i = 0; i < gb.nb; i++) {
		const struct stats_group *b = &gb.g[i], *c = NULL;

		if (b->key.emulated) {
			res->nb_emulated_skipped++;
			continue;
		}
		/* intermediate trials of an NDR/PDR search are not figures */
		if (!strcmp(b->key.rate_kind, "search"))
			continue;
		for (size_t j = 0; j < gc.nb; j++)
			if (stats_key_same(&b->key, &gc.g[j].key))
				c = &gc.g[j];
		for (size_t m = 0; m < nb_metrics; m++)
			if ((ret = compare_group(res, &cap, b, c, metrics[m],
						 threshold)) < 0)
				goto out;
	}
	for (size_t j = 0; j < gc.nb; j++) {
		const struct stats_group *c = &gc.g[j];
		int found = 0;

		for (size_t i = 0; i < gb.nb && !found; i++)
			found = stats_key_same(&gb.g[i].key, &c->key);
		if (found)
			continue;
		if (c->key.emulated) {
			res->nb_emulated_skipped++;
			continue;
		}
		if (!strcmp(c->key.rate_kind, "search"))
			continue;
		for (size_t m = 0; m < nb_metrics; m++)
			if ((ret = compare_group(res, &cap, NULL, c, metrics[m],
						 threshold)) < 0)
				goto out;
	}
out:
	stats_groups_free(&gb);
	stats_groups_free(&gc);
	if (ret < 0)
		compare_free(res);
	return ret;
}

void compare_free(struct compare_result *res)
{
	free(res->lines);
	memset(res, 0, sizeof(*res));
}

/* "1.234" or "-" */
static const char *compare_num(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.4g", v);
	return buf;
}

static const char *compare_sum(char *buf, size_t len,
			       const struct stats_summary *s, double k)
{
	char m[16], lo[16], hi[16];

	if (!s->n)
		snprintf(buf, len, "-");
	else if (s->n == 1)
		snprintf(buf, len, "%s (n=1)",
			 compare_num(m, sizeof(m), s->median * k));
	else
		snprintf(buf, len, "%s [%s..%s] n=%zu",
			 compare_num(m, sizeof(m), s->median * k),
			 compare_num(lo, sizeof(lo), s->lo * k),
			 compare_num(hi, sizeof(hi), s->hi * k), s->n);
	return buf;
}

void compare_print_table(FILE *f, const struct compare_result *res,
			 double threshold)
{
	fprintf(f, "%-11s %-3s %-5s %-10s %-23s %-26s %-26s %-6s %s\n",
		"datapath", "dir", "frame", "rate", "metric (unit)",
		"baseline [interval] n", "candidate [interval] n", "ratio",
		"verdict");
	for (size_t i = 0; i < res->nb_lines; i++) {
		const struct compare_line *l = &res->lines[i];
		char fr[16], rate[24], b[128], c[128], ratio[24], m[48];

		stats_rate_name(&l->key, rate, sizeof(rate));
		if (isfinite(l->ratio))
			snprintf(ratio, sizeof(ratio), "%.3f", l->ratio);
		else
			snprintf(ratio, sizeof(ratio), "-");
		snprintf(m, sizeof(m), "%s (%s)", l->metric->name,
			 l->metric->unit);
		fprintf(f, "%-11s %-3s %-5s %-10s %-23s %-26s %-26s %-6s %s",
			l->key.datapath, l->key.direction,
			results_frame_name(l->key.frame_len, fr, sizeof(fr)),
			rate, m,
			compare_sum(b, sizeof(b), &l->base, l->metric->scale),
			compare_sum(c, sizeof(c), &l->cur, l->metric->scale),
			ratio,
			compare_verdict_name(l->verdict));
		if (l->cur_failed)
			fprintf(f, " (%zu failed trial%s)", l->cur_failed,
				l->cur_failed > 1 ? "s" : "");
		fputc('\n', f);
	}
	fprintf(f, "\n%zu worse, %zu missing, %zu better, %zu same, %zu new "
		   "(threshold %g %%; worse = the candidate's whole interval "
		   "beyond the baseline median by more than the threshold; "
		   "intervals: min-max of 2-5 trials, 95%% order-statistic CI "
		   "from 6)\n",
		res->nb_worse, res->nb_missing, res->nb_better, res->nb_same,
		res->nb_new, threshold * 100.0);
	if (res->nb_emulated_skipped)
		fprintf(f, "%zu group(s) of emulated rows skipped: function "
			   "checks, not speed figures\n",
			res->nb_emulated_skipped);
}

static void compare_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void compare_json_num(FILE *f, const char *key, double v)
{
	if (isfinite(v)) {
		char num[40];

		/* the shortest form that reads back to v */
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, v);
			if (strtod(num, NULL) == v)
				break;
		}
		fprintf(f, ",\"%s\":%s", key, num);
	} else
		fprintf(f, ",\"%s\":null", key);
}

static void compare_json_sum(FILE *f, const char *pfx,
			     const struct stats_summary *s)
{
	char k[32];

	fprintf(f, ",\"%s_n\":%zu", pfx, s->n);
	snprintf(k, sizeof(k), "%s_median", pfx);
	compare_json_num(f, k, s->median);
	snprintf(k, sizeof(k), "%s_lo", pfx);
	compare_json_num(f, k, s->lo);
	snprintf(k, sizeof(k), "%s_hi", pfx);
	compare_json_num(f, k, s->hi);
	fprintf(f, ",\"%s_interval\":", pfx);
	compare_json_str(f, stats_ci_name(s->ci));
}

void compare_print_json(FILE *f, const struct compare_result *res,
			double threshold)
{
	for (size_t i = 0; i < res->nb_lines; i++) {
		const struct compare_line *l = &res->lines[i];
		char fr[16];

		fputs("{\"datapath\":", f);
		compare_json_str(f, l->key.datapath);
		fputs(",\"direction\":", f);
		compare_json_str(f, l->key.direction);
		fputs(",\"frame_len\":", f);
		compare_json_str(f, results_frame_name(l->key.frame_len, fr,
						       sizeof(fr)));
		fputs(",\"rate_kind\":", f);
		compare_json_str(f, l->key.rate_kind);
		compare_json_num(f, "load_pct", l->key.load_pct);
		compare_json_num(f, "target_pps", l->key.target_pps);
		fputs(",\"metric\":", f);
		compare_json_str(f, l->metric->name);
		fprintf(f, ",\"higher_is_better\":%s",
			l->metric->higher_is_better ? "true" : "false");
		compare_json_sum(f, "baseline", &l->base);
		compare_json_sum(f, "candidate", &l->cur);
		fprintf(f, ",\"baseline_failed\":%zu,\"candidate_failed\":%zu",
			l->base_failed, l->cur_failed);
		compare_json_num(f, "ratio", l->ratio);
		compare_json_num(f, "threshold", threshold);
		fputs(",\"verdict\":", f);
		compare_json_str(f, compare_verdict_name(l->verdict));
		fputs("}\n", f);
	}
}
