/* The gnuplot scripts of `vioperf report` (report.h: charts_write). Only
 * measured groups are drawn: emulated rows, failed trials and
 * intermediate search trials never are. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "gnuplot.h"

#define CHARTS_MAX_SERIES 64
#define CHARTS_MAX_POINTS 64

struct charts_series {
	struct stats_key key;
	char title[160];
	const struct stats_group *g[CHARTS_MAX_POINTS];
	size_t nb;
};

struct charts_set {
	struct charts_series s[CHARTS_MAX_SERIES];
	size_t nb;
	uint16_t frames[CHARTS_MAX_POINTS];	/* x axis, sorted */
	size_t nb_frames;
};

/* A group that measured speed at a plain rate (no latency-load trial). */
static int charts_is_speed(const struct stats_group *g)
{
	return !g->key.emulated && g->nb_ok && g->key.load_pct == 0 &&
	       strcmp(g->key.rate_kind, "search");
}

static int charts_is_load(const struct stats_group *g)
{
	return !g->key.emulated && g->nb_ok && g->key.load_pct > 0;
}

static int charts_frame_cmp(const void *a, const void *b)
{
	unsigned x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	x = x ? x : 0x10000u;
	y = y ? y : 0x10000u;
	return (x > y) - (x < y);
}

/* Series of the speed groups: one per run x datapath x direction x rate
 * kind (by_frame) or per run x datapath x direction x rate kind x frame
 * (load charts). */
static void charts_collect(const struct report *rep, struct charts_set *cs,
			   int load)
{
	memset(cs, 0, sizeof(*cs));
	for (size_t i = 0; i < rep->groups.nb; i++) {
		const struct stats_group *g = &rep->groups.g[i];
		struct charts_series *s = NULL;

		if (load ? !charts_is_load(g) : !charts_is_speed(g))
			continue;
		for (size_t j = 0; j < cs->nb && !s; j++) {
			const struct stats_key *k = &cs->s[j].key;

			if (k->src == g->key.src &&
			    !strcmp(k->datapath, g->key.datapath) &&
			    !strcmp(k->direction, g->key.direction) &&
			    !strcmp(k->rate_kind, g->key.rate_kind) &&
			    k->target_pps == g->key.target_pps &&
			    (!load || k->frame_len == g->key.frame_len))
				s = &cs->s[j];
		}
		if (!s) {
			if (cs->nb == CHARTS_MAX_SERIES)
				continue;
			s = &cs->s[cs->nb++];
			s->key = g->key;
			report_series_label(rep, &g->key, s->title,
					    sizeof(s->title));
			if (load) {
				size_t n = strlen(s->title);
				char fr[16];

				snprintf(s->title + n, sizeof(s->title) - n,
					 " %s", results_frame_name(
						 g->key.frame_len, fr,
						 sizeof(fr)));
			}
		}
		if (s->nb < CHARTS_MAX_POINTS)
			s->g[s->nb++] = g;
		if (load)
			continue;
		int seen = 0;

		for (size_t f = 0; f < cs->nb_frames; f++)
			seen |= cs->frames[f] == g->key.frame_len;
		if (!seen && cs->nb_frames < CHARTS_MAX_POINTS)
			cs->frames[cs->nb_frames++] = g->key.frame_len;
	}
	qsort(cs->frames, cs->nb_frames, sizeof(cs->frames[0]),
	      charts_frame_cmp);
}

static size_t charts_frame_idx(const struct charts_set *cs, uint16_t f)
{
	for (size_t i = 0; i < cs->nb_frames; i++)
		if (cs->frames[i] == f)
			return i;
	return 0;
}

static void charts_xtics(FILE *f, const struct charts_set *cs)
{
	char fr[16];

	fputs("set xtics (", f);
	for (size_t i = 0; i < cs->nb_frames; i++)
		fprintf(f, "%s'%s' %zu", i ? ", " : "",
			results_frame_name(cs->frames[i], fr, sizeof(fr)), i);
	fprintf(f, ")\nset xrange [-0.5:%zu.5]\n", cs->nb_frames - 1);
}

enum charts_scale { CHARTS_MPPS, CHARTS_GBPS, CHARTS_PLAIN };

static double charts_mul(enum charts_scale sc, uint16_t frame_len)
{
	switch (sc) {
	case CHARTS_MPPS: return 1e-6;
	case CHARTS_GBPS: return (stats_frame_bytes(frame_len) + 20) * 8 / 1e9;
	case CHARTS_PLAIN: return 1;
	}
	return 1;
}

static FILE *charts_open(struct report *rep, const char *dir, const char *name,
			 const char *title, const char *caption, char *why,
			 size_t len)
{
	struct report_chart *c;
	char path[4200];
	FILE *f;

	if (rep->nb_charts == REPORT_MAX_CHARTS) {
		util_why(why, len, ENOSPC, "too many charts");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s.gp", dir, name);
	f = fopen(path, "w");
	if (!f) {
		util_why(why, len, errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	c = &rep->charts[rep->nb_charts++];
	util_strlcpy(c->name, name, sizeof(c->name));
	util_strlcpy(c->title, title, sizeof(c->title));
	util_strlcpy(c->caption, caption, sizeof(c->caption));
	return f;
}

static int charts_close(FILE *f, const char *name, char *why, size_t len)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad)
		return util_why(why, len, EIO, "%s.gp: write error", name);
	return 0;
}

/* A line per series over frame size: median with the interval as bars. */
static int charts_by_frame(struct report *rep, const char *dir,
			   const char *name, const char *title,
			   const char *ylabel, const char *caption,
			   const char *col, enum charts_scale sc,
			   double ref_gbps, char *why, size_t len)
{
	struct charts_set *cs = calloc(1, sizeof(*cs));
	const struct result_col *c = stats_col(col);
	char lbl[200];
	size_t nb_plotted = 0;
	FILE *f;
	int ret;

	if (!cs)
		return -ENOMEM;
	charts_collect(rep, cs, 0);
	/* only series with at least one measured value */
	for (size_t i = 0; i < cs->nb; i++) {
		size_t n = 0;

		for (size_t p = 0; p < cs->s[i].nb; p++) {
			struct stats_summary s;

			if ((ret = stats_group_metric(cs->s[i].g[p], c, &s)) < 0) {
				free(cs);
				return ret;
			}
			n += s.n > 0;
		}
		if (!n)
			cs->s[i].nb = 0;
		nb_plotted += n > 0;
	}
	if (!nb_plotted) {
		free(cs);
		return 0;
	}
	f = charts_open(rep, dir, name, title, caption, why, len);
	if (!f) {
		free(cs);
		return -EIO;
	}
	gp_begin(f, name, title, "frame size (bytes, with FCS)", ylabel);
	charts_xtics(f, cs);
	fputs("set yrange [0:*]\n", f);
	for (size_t i = 0; i < cs->nb; i++) {
		if (!cs->s[i].nb)
			continue;
		fprintf(f, "$s%zu << EOD\n", i);
		for (size_t p = 0; p < cs->s[i].nb; p++) {
			const struct stats_group *g = cs->s[i].g[p];
			double m = charts_mul(sc, g->key.frame_len);
			struct stats_summary s;

			stats_group_metric(g, c, &s);
			if (!s.n)
				continue;
			fprintf(f, "%zu %.6g %.6g %.6g\n",
				charts_frame_idx(cs, g->key.frame_len),
				s.median * m, s.lo * m, s.hi * m);
		}
		fputs("EOD\n", f);
	}
	fputs("plot ", f);
	for (size_t i = 0, n = 0; i < cs->nb; i++) {
		if (!cs->s[i].nb)
			continue;
		fprintf(f, "%s$s%zu using 1:2:3:4 with yerrorlines lw 2 pt 7 "
			   "title '%s'",
			n++ ? ", \\\n     " : "", i,
			gp_label(lbl, sizeof(lbl), cs->s[i].title));
	}
	if (ref_gbps > 0)
		fprintf(f, ", \\\n     %g with lines dt 2 lw 1 lc rgb '#707070' "
			   "title '%g Gbit/s line rate (reference)'",
			ref_gbps, ref_gbps);
	fputs("\n", f);
	gp_end(f, name);
	free(cs);
	return charts_close(f, name, why, len);
}

/* p50 / p99 / p99.9 per series, at its smallest frame size. */
static int charts_latency(struct report *rep, const char *dir, char *why,
			  size_t len)
{
	static const char *const cols[] = { "lat_p50_ns", "lat_p99_ns",
					    "lat_p999_ns" };
	struct charts_set *cs = calloc(1, sizeof(*cs));
	char lbl[200], fr[16];
	size_t nb = 0;
	FILE *f = NULL;
	int ret = 0;

	if (!cs)
		return -ENOMEM;
	charts_collect(rep, cs, 0);
	for (size_t i = 0; i < cs->nb; i++) {
		struct charts_series *s = &cs->s[i];
		const struct stats_group *best = NULL;
		double v[3];

		/* the groups of a series are in frame order: the first one
		 * with latency is the smallest size */
		for (size_t p = 0; p < s->nb && !best; p++) {
			struct stats_summary sum;
			int ok = 1;

			for (size_t m = 0; m < 3; m++) {
				stats_group_metric(s->g[p], stats_col(cols[m]), &sum);
				v[m] = sum.median / 1e3;
				ok &= sum.n > 0 && v[m] > 0;
			}
			if (ok)
				best = s->g[p];
		}
		if (!best)
			continue;
		if (!f) {
			f = charts_open(rep, dir, "latency",
					"One-way latency percentiles",
					"One-way latency (median over trials of "
					"each percentile) per datapath, "
					"direction and rate kind, at the "
					"smallest frame size measured, log "
					"scale. At the maximum rate (mrr) "
					"latency measures queueing, not the "
					"path: compare fixed-rate or "
					"latency-under-load rows.",
					why, len);
			if (!f) {
				free(cs);
				return -EIO;
			}
			gp_begin(f, "latency", "One-way latency percentiles",
				 "",
				 "latency (µs, log scale)");
			fputs("set style data histograms\n"
			      "set style histogram clustered gap 1\n"
			      "set style fill solid 0.85 border -1\n"
			      "set boxwidth 0.9\n"
			      "set logscale y\n"
			      "set xtics rotate by 20 right\n"
			      "$lat << EOD\n", f);
		}
		char t[200];

		snprintf(t, sizeof(t), "%s %s", s->title,
			 results_frame_name(best->key.frame_len, fr, sizeof(fr)));
		fprintf(f, "\"%s\" %.6g %.6g %.6g\n", gp_label(lbl, sizeof(lbl), t),
			v[0], v[1], v[2]);
		nb++;
	}
	if (f) {
		fputs("EOD\n"
		      "plot $lat using 2:xtic(1) title 'p50', '' using 3 title "
		      "'p99', '' using 4 title 'p99.9'\n", f);
		gp_end(f, "latency");
		ret = charts_close(f, "latency", why, len);
	}
	free(cs);
	return ret;
}

/* p99 (with interval) and p50 against the offered load in % of NDR. */
static int charts_latency_load(struct report *rep, const char *dir,
			       char *why, size_t len)
{
	struct charts_set *cs = calloc(1, sizeof(*cs));
	const struct result_col *c50 = stats_col("lat_p50_ns");
	const struct result_col *c99 = stats_col("lat_p99_ns");
	char lbl[200];
	FILE *f;
	size_t n = 0;

	if (!cs)
		return -ENOMEM;
	charts_collect(rep, cs, 1);
	if (!cs->nb) {
		free(cs);
		return 0;
	}
	f = charts_open(rep, dir, "latency_load", "Latency under load",
			"One-way latency against the offered load as a "
			"percentage of the measured NDR: p99 (solid, with the "
			"interval over trials) and p50 (dashed), log scale.",
			why, len);
	if (!f) {
		free(cs);
		return -EIO;
	}
	gp_begin(f, "latency_load", "Latency under load",
		 "offered load (% of NDR)", "latency (µs, log scale)");
	fputs("set logscale y\nset xrange [0:100]\n", f);
	for (size_t i = 0; i < cs->nb; i++) {
		fprintf(f, "$l%zu << EOD\n", i);
		for (size_t p = 0; p < cs->s[i].nb; p++) {
			struct stats_summary s50, s99;

			stats_group_metric(cs->s[i].g[p], c50, &s50);
			stats_group_metric(cs->s[i].g[p], c99, &s99);
			if (!s99.n || !s50.n)
				continue;
			fprintf(f, "%g %.6g %.6g %.6g %.6g\n",
				cs->s[i].g[p]->key.load_pct, s99.median / 1e3,
				s99.lo / 1e3, s99.hi / 1e3, s50.median / 1e3);
		}
		fputs("EOD\n", f);
	}
	fputs("plot ", f);
	for (size_t i = 0; i < cs->nb; i++) {
		gp_label(lbl, sizeof(lbl), cs->s[i].title);
		fprintf(f, "%s$l%zu using 1:2:3:4 with yerrorlines lw 2 pt 7 "
			   "lc %zu title '%s p99', \\\n     $l%zu using 1:5 with "
			   "linespoints dt 2 lw 1 pt 6 lc %zu title '%s p50'",
			n++ ? ", \\\n     " : "", i, i + 1, lbl, i, i + 1, lbl);
	}
	fputs("\n", f);
	gp_end(f, "latency_load");
	free(cs);
	return charts_close(f, "latency_load", why, len);
}

int charts_write(struct report *rep, const char *dir, char *why, size_t len)
{
	char cap[640];
	int ret;

	rep->nb_charts = 0;
	if ((ret = charts_by_frame(rep, dir, "mpps",
				   "Received Mpps by frame size", "Mpps",
				   "Received million frames per second over "
				   "the measured window (median of the trials; "
				   "bars: interval over trials), per datapath, "
				   "direction and rate kind.",
				   "rx_pps", CHARTS_MPPS, 0, why, len)) < 0)
		return ret;
	snprintf(cap, sizeof(cap),
		 "The same received rate as L1 Gbit/s: (frame + 20 B of "
		 "preamble and gap) × 8 × pps, what it would occupy on an "
		 "Ethernet wire. The dashed line is a %g Gbit/s line rate for "
		 "reference.", rep->line_rate_gbps);
	if ((ret = charts_by_frame(rep, dir, "gbps",
				   "L1 Gbit/s by frame size", "Gbit/s (L1)",
				   cap, "rx_pps", CHARTS_GBPS,
				   rep->line_rate_gbps, why, len)) < 0)
		return ret;
	if ((ret = charts_latency(rep, dir, why, len)) < 0)
		return ret;
	if ((ret = charts_latency_load(rep, dir, why, len)) < 0)
		return ret;
	if ((ret = charts_by_frame(rep, dir, "cycles",
				   "CPU cycles per packet by frame size",
				   "cycles per packet",
				   "CPU time of everything that moves the "
				   "packets (both ends, kernel workers, "
				   "softirq) in TSC cycles per received frame. "
				   "Poll-mode paths include idle polling: see "
				   "the busy share in the table.",
				   "cycles_per_pkt", CHARTS_PLAIN, 0, why,
				   len)) < 0)
		return ret;
	return charts_by_frame(rep, dir, "cores", "CPU cores used by frame size",
			       "cores",
			       "CPU cores busy over the measured window "
			       "(CPU seconds / window), both ends and kernel "
			       "work together.",
			       "cpu_cores", CHARTS_PLAIN, 0, why, len);
}
