/* Progress lines and the end-of-run table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "util.h"

static const char *size_name(const struct result_row *r, char *buf,
			     size_t len)
{
	return results_frame_name(r->frame_len, buf, len);
}

void summary_progress(const struct result_row *r, int nb_trials)
{
	char sz[16];

	util_info("%s %s %s t%d/%d: %.3f Mpps, loss %.3f%%, p99 %.1f us, "
		  "%.0f cycles/pkt, %s", r->datapath, r->direction,
		  size_name(r, sz, sizeof(sz)), r->trial, nb_trials,
		  r->rx_pps / 1e6, r->loss_ratio * 100.0, r->lat_p99_ns / 1e3,
		  r->cycles_per_pkt, r->status);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double summary_median(double *v, size_t n)
{
	if (!n)
		return 0.0;
	qsort(v, n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static int same_group(const struct result_row *a, const struct result_row *b)
{
	return !strcmp(a->datapath, b->datapath) &&
	       !strcmp(a->direction, b->direction) &&
	       a->frame_len == b->frame_len && a->target_pps == b->target_pps;
}

enum { M_RX, M_LOSS, M_P50, M_P99, M_CORES, M_CYC, M_NB };
static const int widths[M_NB] = { 9, 8, 9, 9, 6, 9 };
static const int precs[M_NB] = { 3, 3, 1, 1, 2, 0 };

/* Keep a measured value; empty (NaN, not measured) ones stay out. */
static void put(double *v[M_NB], size_t nb[M_NB], int m, double x)
{
	if (isfinite(x))
		v[m][nb[m]++] = x;
}

void summary_table(FILE *f, const struct result_row *rows, size_t nb_rows)
{
	char *done = calloc(nb_rows ? nb_rows : 1, 1);
	double *v[M_NB];
	int ok_alloc = done != NULL, w = 11;

	for (int m = 0; m < M_NB; m++) {
		v[m] = calloc(nb_rows ? nb_rows : 1, sizeof(double));
		ok_alloc &= v[m] != NULL;
	}
	if (!ok_alloc)
		goto out;
	for (size_t i = 0; i < nb_rows; i++)
		if ((int)strlen(rows[i].datapath) > w)
			w = (int)strlen(rows[i].datapath);
	fprintf(f, "%-*s %-3s %-5s %-6s %9s %8s %9s %9s %6s %9s  %s\n",
		w, "datapath", "dir", "size", "trials", "rx_Mpps", "loss_%",
		"p50_us", "p99_us", "cores", "cyc/pkt", "status");
	for (size_t i = 0; i < nb_rows; i++) {
		const char *first_fail = NULL;
		size_t nb_ok = 0, nb_all = 0, nb[M_NB] = { 0 };
		char sz[16], tr[16];

		if (done[i])
			continue;
		for (size_t j = i; j < nb_rows; j++) {
			const struct result_row *r = &rows[j];

			if (done[j] || !same_group(&rows[i], r))
				continue;
			done[j] = 1;
			nb_all++;
			if (strcmp(r->status, "ok")) {
				if (!first_fail)
					first_fail = r->status;
				continue;
			}
			put(v, nb, M_RX, r->rx_pps / 1e6);
			put(v, nb, M_LOSS, r->loss_ratio * 100.0);
			put(v, nb, M_P50, r->lat_p50_ns / 1e3);
			put(v, nb, M_P99, r->lat_p99_ns / 1e3);
			put(v, nb, M_CORES, r->cpu_cores);
			put(v, nb, M_CYC, r->cycles_per_pkt);
			nb_ok++;
		}
		snprintf(tr, sizeof(tr), "%zu/%zu", nb_ok, nb_all);
		fprintf(f, "%-*s %-3s %-5s %-6s", w, rows[i].datapath,
			rows[i].direction, size_name(&rows[i], sz, sizeof(sz)),
			tr);
		for (int m = 0; m < M_NB; m++) {
			if (nb[m])
				fprintf(f, " %*.*f", widths[m], precs[m],
					summary_median(v[m], nb[m]));
			else
				fprintf(f, " %*s", widths[m], "-");
		}
		fprintf(f, "  %s\n", first_fail ? first_fail : nb_ok ? "ok" : "-");
	}
out:
	for (int m = 0; m < M_NB; m++)
		free(v[m]);
	free(done);
}
