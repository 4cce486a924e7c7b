/* The regression verdict of `vioperf compare`: per datapath x direction x
 * frame size x rate kind (x load) and per metric, medians over trials, the
 * candidate's interval, the ratio and a verdict against a threshold.
 *
 * The rule (also in README.md): with t the threshold (0.05 = 5 %) and B
 * the baseline median,
 *   higher-is-better metric (rx_pps): worse  if the candidate's whole
 *     interval is below B * (1 - t); better if it is all above B * (1 + t);
 *   lower-is-better metric (cycles, latency, cpu, loss): worse if the
 *     interval is all above B * (1 + t); better if all below B * (1 - t);
 *   otherwise same. A group in the baseline with no ok trial in the
 *   candidate is missing; one only in the candidate is new. Emulated rows
 *   and intermediate search trials (rate_kind "search") are not compared.
 * The interval is the one of stats_summarize (min-max of 2..5 trials, a 95 %
 * order-statistic interval from 6): a single unlucky trial among several
 * cannot make a verdict "worse". With one trial it is that trial. */
#ifndef VIOPERF_COMPARE_H
#define VIOPERF_COMPARE_H

#include <stdio.h>

#include "stats.h"

enum compare_verdict {
	COMPARE_SAME,
	COMPARE_BETTER,
	COMPARE_WORSE,
	COMPARE_MISSING,	/* in the baseline, not (or only failed) in the
				 * candidate */
	COMPARE_NEW,		/* only in the candidate */
};

/* A metric compare knows the good direction of. */
struct compare_metric {
	const char *name;	/* a result_cols name */
	int higher_is_better;
	const char *unit;	/* of the table: value * scale */
	double scale;
};

/* The metric called name, or NULL. */
const struct compare_metric *compare_metric_find(const char *name);

struct compare_line {
	struct stats_key key;
	const struct compare_metric *metric;
	struct stats_summary base, cur;
	size_t base_failed, cur_failed;
	double ratio;		/* cur median / base median; NaN if undefined */
	enum compare_verdict verdict;
};

struct compare_result {
	struct compare_line *lines;
	size_t nb_lines;
	size_t nb_worse, nb_better, nb_same, nb_missing, nb_new;
	size_t nb_emulated_skipped;	/* groups of function-check rows */
};

/* The verdict for one metric of one group (the rule above). */
enum compare_verdict compare_verdict_of(const struct stats_summary *base,
					const struct stats_summary *cur,
					int higher_is_better,
					double threshold);

/* Compare every group of base with the same group of cur for each of the
 * nb_metrics metrics (emulated groups are skipped and counted). The sets
 * must stay alive while res is used. 0 or -ENOMEM. */
int compare_sets(const struct result_set *base, const struct result_set *cur,
		 const struct compare_metric *const *metrics, size_t nb_metrics,
		 double threshold, struct compare_result *res);
void compare_free(struct compare_result *res);

/* "better", "same", "worse", "missing", "new". */
const char *compare_verdict_name(enum compare_verdict v);

/* The human table (one line per comparison, a summary line at the end). */
void compare_print_table(FILE *f, const struct compare_result *res,
			 double threshold);
/* One JSON object per comparison, one per line. */
void compare_print_json(FILE *f, const struct compare_result *res,
			double threshold);

#endif
