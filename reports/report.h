/* The model behind `vioperf report`: the result sets read, their run.json,
 * the trial groups, the charts drawn and the tables that summary.md and
 * index.html both show. */
#ifndef VIOPERF_REPORT_H
#define VIOPERF_REPORT_H

#include <stddef.h>

#include "../harness/results.h"
#include "runjson.h"
#include "stats.h"
#include "table.h"

#define REPORT_MAX_CHARTS 8

struct report_input {
	struct result_set set;
	struct runjson meta;	/* nb == 0 when there is no run.json */
	char meta_why[512];	/* why run.json is not shown, or "" */
	char label[64];		/* run_id of the rows */
};

struct report_chart {
	char name[32];		/* NAME.gp, NAME.png, NAME.svg */
	char title[128];
	char caption[640];
};

enum report_table {
	REPORT_T_RESULTS,	/* every measured group: medians, intervals */
	REPORT_T_FAILED,	/* groups with failed trials */
	REPORT_T_CHECKS,	/* emulated=1 groups: function checks */
	REPORT_T_UNAVAIL,	/* datapaths the host could not build */
	REPORT_T_REFS,		/* published reference figures */
	REPORT_NB_TABLES,
};

struct report {
	struct report_input *in;
	size_t nb_in;
	struct stats_groups groups;
	double line_rate_gbps;	/* reference line in the Gbit/s chart */
	struct report_chart charts[REPORT_MAX_CHARTS];
	size_t nb_charts;
	struct table tables[REPORT_NB_TABLES];
	struct table *meta;	/* one key/value table per input */
	size_t nb_rows, nb_failed, nb_emulated;
};

/* Read every path (a results directory or its results.csv; run.json is
 * looked for beside it) into rep and group the rows. 0, or -errno with
 * the file, line and column in why (bad results are bad input). A
 * missing or malformed run.json is not an error: meta_why says why the
 * metadata is not shown. */
int report_load(struct report *rep, char *const *paths, size_t nb_paths,
		char *why, size_t len);

/* Fill rep->tables and rep->meta from the groups. 0 or -ENOMEM. */
int report_tables(struct report *rep);

/* Series label of a group: "datapath direction rate_kind" and " [run]"
 * when more than one run is shown. */
void report_series_label(const struct report *rep, const struct stats_key *k,
			 char *buf, size_t len);

void report_free(struct report *rep);

/* Write the chart scripts into dir and record them in rep->charts (a
 * chart without data is left out). 0 or -errno. */
int charts_write(struct report *rep, const char *dir, char *why, size_t len);

/* summary.md */
int md_write(const struct report *rep, const char *path);
/* index.html */
int html_write(const struct report *rep, const char *path);

/* Number formatting shared by the writers, fixed notation: "1234",
 * "12.3", "1.23", "0.123" (3 decimals below 1, %.3g below 0.001); "-"
 * when not finite. */
const char *report_num(char *buf, size_t len, double v);

#endif
