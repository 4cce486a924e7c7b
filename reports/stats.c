/* Medians, trial-spread intervals and grouping of result rows. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"

static int stats_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), stats_dbl_cmp);
	if (n % 2)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* P(Binomial(n, 1/2) <= k), summed in log space so large n stay exact
 * enough. */
static double stats_binom_cdf_half(size_t n, size_t k)
{
	double sum = 0.0;

	for (size_t i = 0; i <= k && i <= n; i++)
		sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
			   lgamma((double)(n - i) + 1) - (double)n * M_LN2);
	return sum;
}

int stats_summarize(const double *v, size_t n, struct stats_summary *s)
{
	double *x;
	size_t m = 0;

	memset(s, 0, sizeof(*s));
	s->median = s->lo = s->hi = NAN;
	x = malloc((n ? n : 1) * sizeof(*x));
	if (!x)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			x[m++] = v[i];
	s->n = m;
	if (!m) {
		s->ci = STATS_CI_NONE;
		free(x);
		return 0;
	}
	s->median = stats_median(x, m);
	if (m == 1) {
		s->ci = STATS_CI_POINT;
		s->lo = s->hi = x[0];
	} else if (m < 6) {
		s->ci = STATS_CI_MINMAX;
		s->lo = x[0];
		s->hi = x[m - 1];
		s->coverage = 1.0 - 2.0 * ldexp(1.0, -(int)m);
	} else {
		size_t k = 1;	/* 1-based order statistic */

		/* largest k with P(X <= k-1) <= 2.5 %; k = 1 always holds
		 * for m >= 6 (1/64 < 2.5 %) */
		while (k + 1 <= (m + 1) / 2 &&
		       stats_binom_cdf_half(m, k) <= 0.025)
			k++;
		s->ci = STATS_CI_ORDER;
		s->lo = x[k - 1];
		s->hi = x[m - k];
		s->coverage = 1.0 - 2.0 * stats_binom_cdf_half(m, k - 1);
	}
	free(x);
	return 0;
}

const char *stats_ci_name(enum stats_ci ci)
{
	switch (ci) {
	case STATS_CI_NONE: return "none";
	case STATS_CI_POINT: return "single trial";
	case STATS_CI_MINMAX: return "min-max";
	case STATS_CI_ORDER: return "95% CI (order statistics)";
	}
	return "?";
}

static int stats_frame_cmp(uint16_t a, uint16_t b)
{
	/* imix (0) after every fixed size */
	unsigned x = a ? a : 0x10000u, y = b ? b : 0x10000u;

	return (x > y) - (x < y);
}

const char *stats_rate_name(const struct stats_key *k, char *buf, size_t len)
{
	if (k->load_pct > 0)
		snprintf(buf, len, "%s@%g%%", k->rate_kind, k->load_pct);
	else if (k->target_pps > 0)
		snprintf(buf, len, "%s@%gMpps", k->rate_kind, k->target_pps / 1e6);
	else
		snprintf(buf, len, "%s", k->rate_kind);
	return buf;
}

int stats_key_same(const struct stats_key *a, const struct stats_key *b)
{
	return !strcmp(a->datapath, b->datapath) &&
	       !strcmp(a->direction, b->direction) &&
	       a->frame_len == b->frame_len &&
	       !strcmp(a->rate_kind, b->rate_kind) &&
	       a->load_pct == b->load_pct && a->target_pps == b->target_pps &&
	       a->emulated == b->emulated;
}

int stats_key_cmp(const struct stats_key *a, const struct stats_key *b)
{
	int c;

	if ((c = strcmp(a->datapath, b->datapath)))
		return c;
	if ((c = strcmp(a->direction, b->direction)))
		return c;
	if ((c = strcmp(a->rate_kind, b->rate_kind)))
		return c;
	if (a->load_pct != b->load_pct)
		return a->load_pct < b->load_pct ? -1 : 1;
	if (a->target_pps != b->target_pps)
		return a->target_pps < b->target_pps ? -1 : 1;
	if ((c = stats_frame_cmp(a->frame_len, b->frame_len)))
		return c;
	if (a->emulated != b->emulated)
		return a->emulated - b->emulated;
	return (a->src > b->src) - (a->src < b->src);
}

static int stats_group_cmp(const void *a, const void *b)
{
	return stats_key_cmp(&((const struct stats_group *)a)->key,
			     &((const struct stats_group *)b)->key);
}

static void stats_key_of(const struct result_row *r, size_t src,
			 struct stats_key *k)
{
	memset(k, 0, sizeof(*k));
	k->src = src;
	util_strlcpy(k->datapath, r->datapath, sizeof(k->datapath));
	util_strlcpy(k->direction, r->direction, sizeof(k->direction));
	k->frame_len = r->frame_len;
	if (r->rate_kind[0])
		util_strlcpy(k->rate_kind, r->rate_kind, sizeof(k->rate_kind));
	else
		util_strlcpy(k->rate_kind, r->target_pps > 0 ? "fixed" : "mrr",
			     sizeof(k->rate_kind));
	k->load_pct = isfinite(r->load_pct) ? r->load_pct : 0;
	if (!strcmp(k->rate_kind, "fixed") && k->load_pct == 0 &&
	    isfinite(r->target_pps))
		k->target_pps = r->target_pps;
	k->emulated = r->emulated ? 1 : 0;
}

static struct stats_group *stats_find_or_add(struct stats_groups *gs,
					     const struct stats_key *k,
					     size_t *cap)
{
	struct stats_group *g;

	for (size_t i = 0; i < gs->nb; i++)
		if (gs->g[i].key.src == k->src && stats_key_same(&gs->g[i].key, k))
			return &gs->g[i];
	if (gs->nb == *cap) {
		size_t n = *cap ? *cap * 2 : 16;

		g = realloc(gs->g, n * sizeof(*g));
		if (!g)
			return NULL;
		gs->g = g;
		*cap = n;
	}
	g = &gs->g[gs->nb++];
	memset(g, 0, sizeof(*g));
	g->key = *k;
	return g;
}

int stats_group_rows(const struct result_set *set, size_t src,
		     struct stats_groups *gs)
{
	size_t cap = gs->nb;

	for (size_t i = 0; i < set->nb_rows; i++) {
		const struct result_row *r = &set->rows[i];
		struct stats_key k;
		struct stats_group *g;

		stats_key_of(r, src, &k);
		g = stats_find_or_add(gs, &k, &cap);
		if (!g)
			return -ENOMEM;
		if (strcmp(r->status, "ok")) {
			if (!g->nb_failed++)
				util_strlcpy(g->first_failure, r->status,
					     sizeof(g->first_failure));
			continue;
		}
		const struct result_row **rows =
			realloc(g->rows, (g->nb_ok + 1) * sizeof(*rows));

		if (!rows)
			return -ENOMEM;
		g->rows = rows;
		g->rows[g->nb_ok++] = r;
		if (g->nb_ok == 1)
			util_strlcpy(g->variant, r->variant, sizeof(g->variant));
		else if (strcmp(g->variant, r->variant))
			util_strlcpy(g->variant, "(mixed)", sizeof(g->variant));
	}
	if (gs->nb)
		qsort(gs->g, gs->nb, sizeof(*gs->g), stats_group_cmp);
	return 0;
}

void stats_groups_free(struct stats_groups *gs)
{
	if (!gs)
		return;
	for (size_t i = 0; i < gs->nb; i++)
		free(gs->g[i].rows);
	free(gs->g);
	gs->g = NULL;
	gs->nb = 0;
}

const struct result_col *stats_col(const char *name)
{
	for (size_t i = 0; i < result_nb_cols; i++)
		if (!strcmp(result_cols[i].name, name))
			return result_cols[i].type == COL_DBL ? &result_cols[i]
							       : NULL;
	return NULL;
}

double stats_value(const struct result_row *r, const struct result_col *c)
{
	double v;

	memcpy(&v, (const char *)r + c->off, sizeof(v));
	return v;
}

int stats_group_metric(const struct stats_group *g, const struct result_col *c,
		       struct stats_summary *s)
{
	double *v = malloc((g->nb_ok ? g->nb_ok : 1) * sizeof(*v));
	int ret;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < g->nb_ok; i++)
		v[i] = stats_value(g->rows[i], c);
	ret = stats_summarize(v, g->nb_ok, s);
	free(v);
	return ret;
}

double stats_frame_bytes(uint16_t frame_len)
{
	return frame_len ? (double)frame_len
			 : (7.0 * 64 + 4.0 * 570 + 1518) / 12.0;
}
