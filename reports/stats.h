/* Statistics over trials for reports, compare and plan: medians, an
 * interval from the trial spread, and rows grouped by what makes trials
 * repetitions of one another. */
#ifndef VIOPERF_STATS_H
#define VIOPERF_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "../harness/results.h"

/* How an interval was obtained (stats_ci_name gives the words). */
enum stats_ci {
	STATS_CI_NONE,		/* no finite value */
	STATS_CI_POINT,		/* one trial: lo = hi = median */
	STATS_CI_MINMAX,	/* 2..5 trials: min..max of the trials */
	STATS_CI_ORDER,		/* >= 6 trials: distribution-free order-
				 * statistic interval for the median, the
				 * narrowest with coverage >= 95 % */
};

/* Median and interval of one metric over the ok trials of a group. */
struct stats_summary {
	size_t n;		/* finite values used (NaN = not measured) */
	double median, lo, hi;
	double coverage;	/* probability that [lo, hi] holds the true
				 * median, 0..1 (binomial, for any
				 * continuous distribution) */
	enum stats_ci ci;
};

/* What makes trials repetitions of one another. */
struct stats_key {
	size_t src;		/* index of the input result set */
	char datapath[32];
	char direction[8];
	uint16_t frame_len;	/* 0 = imix */
	char rate_kind[8];
	double load_pct;
	double target_pps;	/* fixed-rate trials without load_pct: the
				 * asked-for rate (different rates never mix);
				 * else 0 */
	int emulated;
};

struct stats_group {
	struct stats_key key;
	char variant[64];	/* of the ok rows; "(mixed)" if they differ */
	const struct result_row **rows;	/* ok trials, in file order */
	size_t nb_ok;
	size_t nb_failed;	/* rows with a status other than "ok" */
	char first_failure[256];	/* status of the first failed row */
};

struct stats_groups {
	struct stats_group *g;
	size_t nb;
};

/* Median of v[0..n) (sorts v in place; NaN must not be present). NaN when
 * n is 0. */
double stats_median(double *v, size_t n);

/* Median and interval of the finite values of v[0..n) (NaN skipped). The
 * interval: one value -> that value; 2..5 values -> min..max (coverage
 * 1 - 2^(1-n)); >= 6 values -> [x(k), x(n+1-k)] with the largest k such
 * that P(Binomial(n, 1/2) < k) <= 2.5 %, i.e. coverage >= 95 %. 0 or
 * -ENOMEM. */
int stats_summarize(const double *v, size_t n, struct stats_summary *s);

/* "min-max", "95% CI (order statistics)", ... for output and docs. */
const char *stats_ci_name(enum stats_ci ci);

/* Order of keys for output: datapath, direction, rate kind, load, target
 * rate, frame size (imix last), emulated, source. */
int stats_key_cmp(const struct stats_key *a, const struct stats_key *b);
/* The rate of a key in a few characters: "mrr", "fixed@50%" (load_pct,
 * % of NDR), "fixed@1.5Mpps" (target rate). Returns buf. */
const char *stats_rate_name(const struct stats_key *k, char *buf, size_t len);

/* Same key apart from the source index. */
int stats_key_same(const struct stats_key *a, const struct stats_key *b);

/* Add the groups of set (its rows keep belonging to set: do not free it
 * first) to gs, sorted with stats_key_cmp. Rows whose status is not "ok"
 * are counted in nb_failed, not used. An empty rate_kind reads as "mrr"
 * when target_pps is 0, else "fixed". 0 or -ENOMEM. */
int stats_group_rows(const struct result_set *set, size_t src,
		     struct stats_groups *gs);
void stats_groups_free(struct stats_groups *gs);

/* A double column of struct result_row by name (result_cols), or NULL. */
const struct result_col *stats_col(const char *name);
/* Value of a double column in a row. */
double stats_value(const struct result_row *r, const struct result_col *c);

/* Summary of the double column c over the ok trials of g. 0 or -errno. */
int stats_group_metric(const struct stats_group *g, const struct result_col *c,
		       struct stats_summary *s);

/* Average frame length of IMIX 7:4:1 of 64/570/1518 B (353.83). */
double stats_frame_bytes(uint16_t frame_len);

#endif
