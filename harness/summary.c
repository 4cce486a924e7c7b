/* Progress lines and the end-of-run table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/stats.h"
#include "summary.h"
#include "util.h"

static const char *size_name(const struct result_row *r, char *buf,
			     size_t len)
{
	return results_frame_name(r->frame_len, buf, len);
}

/* "mrr", "ndr@1.23Mpps", "fixed@50%" ... as the reports name rates. */
static const char *rate_name(const struct result_row *r, char *buf, size_t len)
{
	struct stats_key k;

	memset(&k, 0, sizeof(k));
	util_strlcpy(k.rate_kind, r->rate_kind[0] ? r->rate_kind
			: r->target_pps > 0 ? "fixed" : "mrr", sizeof(k.rate_kind));
	k.load_pct = r->load_pct;
	k.target_pps = r->target_pps;
	return stats_rate_name(&k, buf, len);
}

void summary_progress(const struct result_row *r, int nb_trials)
{
	char sz[16], kind[48];

	util_info("%s %s %s %s t%d/%d: %.3f Mpps, loss %.3f%%, p99 %.1f us, "
		  "%.0f cycles/pkt, %s", r->datapath, r->direction,
		  size_name(r, sz, sizeof(sz)), rate_name(r, kind, sizeof(kind)),
		  r->trial, nb_trials, r->rx_pps / 1e6, r->loss_ratio * 100.0,
		  r->lat_p99_ns / 1e3, r->cycles_per_pkt, r->status);
}

static int same_group(const struct result_row *a, const struct result_row *b)
{
	return !strcmp(a->datapath, b->datapath) &&
	       !strcmp(a->direction, b->direction) &&
	       a->frame_len == b->frame_len && a->target_pps == b->target_pps &&
	       !strcmp(a->rate_kind, b->rate_kind) && a->load_pct == b->load_pct;
}

enum { M_RX, M_LOSS, M_P50, M_P99, M_CORES, M_CYC, M_NB };
static const int widths[M_NB] = { 9, 8, 9, 9, 6, 9 };
static const int precs[M_NB] = { 3, 3, 1, 1, 2, 0 };

static double metric(const struct result_row *r, int m)
{
	switch (m) {
	case M_RX: return r->rx_pps / 1e6;
	case M_LOSS: return r->loss_ratio * 100.0;
	case M_P50: return r->lat_p50_ns / 1e3;
	case M_P99: return r->lat_p99_ns / 1e3;
	case M_CORES: return r->cpu_cores;
	default: return r->cycles_per_pkt;
	}
}

void summary_table(FILE *f, const struct result_row *rows, size_t nb_rows)
{
	char *done = calloc(nb_rows ? nb_rows : 1, 1);
	double *v = calloc(nb_rows ? nb_rows : 1, sizeof(double));
	const struct result_row **g = calloc(nb_rows ? nb_rows : 1, sizeof(*g));
	int w = 11, kw = 4, intervals = 0;
	size_t nb_search = 0;
	char kind[48];

	if (!done || !v || !g)
		goto out;
	for (size_t i = 0; i < nb_rows; i++) {
		if ((int)strlen(rows[i].datapath) > w)
			w = (int)strlen(rows[i].datapath);
		if ((int)strlen(rate_name(&rows[i], kind, sizeof(kind))) > kw)
			kw = (int)strlen(kind);
	}
	fprintf(f, "%-*s %-3s %-5s %-*s %-6s %9s %-17s %8s %9s %9s %6s %9s  %s\n",
		w, "datapath", "dir", "size", kw, "rate", "trials", "rx_Mpps",
		"(interval)", "loss_%", "p50_us", "p99_us", "cores", "cyc/pkt",
		"status");
	for (size_t i = 0; i < nb_rows; i++) {
		const char *first_fail = NULL;
		size_t nb_ok = 0, nb_all = 0;
		char sz[16], tr[16], iv[32] = "";

		if (done[i])
			continue;
		/* search trials are steps of the NDR/PDR search, not results */
		if (!strcmp(rows[i].rate_kind, "search")) {
			done[i] = 1;
			nb_search++;
			continue;
		}
		for (size_t j = i; j < nb_rows; j++) {
			if (done[j] || !same_group(&rows[i], &rows[j]))
				continue;
			done[j] = 1;
			nb_all++;
			if (strcmp(rows[j].status, "ok")) {
				if (!first_fail)
					first_fail = rows[j].status;
				continue;
			}
			g[nb_ok++] = &rows[j];
		}
		snprintf(tr, sizeof(tr), "%zu/%zu", nb_ok, nb_all);
		fprintf(f, "%-*s %-3s %-5s %-*s %-6s", w, rows[i].datapath,
			rows[i].direction, size_name(&rows[i], sz, sizeof(sz)),
			kw, rate_name(&rows[i], kind, sizeof(kind)), tr);
		for (int m = 0; m < M_NB; m++) {
			struct stats_summary st = { 0 };

			for (size_t k = 0; k < nb_ok; k++)
				v[k] = metric(g[k], m);
			if (nb_ok && stats_summarize(v, nb_ok, &st) == 0 && st.n)
				fprintf(f, " %*.*f", widths[m], precs[m], st.median);
			else
				fprintf(f, " %*s", widths[m], "-");
			if (m != M_RX)
				continue;
			if (st.n >= 2) {
				snprintf(iv, sizeof(iv), "(%.3f-%.3f)", st.lo, st.hi);
				intervals = 1;
			}
			fprintf(f, " %-17s", iv);
		}
		fprintf(f, "  %s\n", first_fail ? first_fail : nb_ok ? "ok" : "-");
	}
	fprintf(f, "medians over the ok trials of each row");
	if (intervals)
		fprintf(f, "; rx_Mpps interval: min-max of 2..5 trials, a 95%% "
			"order-statistic CI of the median from 6 trials");
	if (nb_search)
		fprintf(f, "; %zu NDR/PDR search trials are in results.csv "
			"(rate_kind search)", nb_search);
	fprintf(f, "\n");
out:
	free(g);
	free(v);
	free(done);
}
