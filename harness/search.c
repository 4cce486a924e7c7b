/* NDR/PDR search (see search.h for the method). */
#include <math.h>
#include <string.h>

#include "search.h"

void search_cfg_default(struct search_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->min_pps = 1000;
	cfg->pdr_ratio = 0.005;
	cfg->precision_rel = 0.005;
	cfg->precision_pps = 10000;
	cfg->max_trials = 30;
}

int search_trial_passes(const struct search_trial *t, double loss_ratio)
{
	if (t->offered_pps < t->target_pps * (1.0 - SEARCH_SHORTFALL))
		return 0;
	return t->loss_ratio <= loss_ratio;
}

/* Per-target search state beside its public bound. */
struct target {
	struct search_bound *b;
	double loss_ratio;	/* threshold: 0 for NDR */
	double hi_rx_pps;	/* received rate at the failing bound */
	double step_pps;	/* current external-search step */
};

static double width_goal(const struct search_cfg *cfg, double lo)
{
	double rel = cfg->precision_rel * lo;

	return rel > cfg->precision_pps ? rel : cfg->precision_pps;
}

static void update(struct target *tg, double rate, const struct search_trial *t)
{
	struct search_bound *b = tg->b;

	if (search_trial_passes(t, tg->loss_ratio)) {
		if (rate > b->lo_pps)
			b->lo_pps = rate;
		/* A higher rate passed than one that failed before: the link
		 * is noisy; the old failure no longer bounds the search. */
		if (b->hi_pps > 0 && b->hi_pps <= b->lo_pps)
			b->hi_pps = 0;
	} else {
		if (b->hi_pps == 0 || rate <= b->hi_pps) {
			b->hi_pps = rate;
			tg->hi_rx_pps = t->offered_pps * (1.0 - t->loss_ratio);
		}
		if (b->lo_pps >= b->hi_pps)
			b->lo_pps = 0;
	}
}

static int is_done(const struct search_cfg *cfg, const struct target *tg)
{
	const struct search_bound *b = tg->b;

	if (b->lo_pps >= cfg->max_pps)
		return 1;		/* passes at the top of the range */
	if (b->hi_pps > 0 && b->hi_pps <= cfg->min_pps)
		return 1;		/* fails even at the bottom */
	return b->lo_pps > 0 && b->hi_pps > 0 &&
	       b->hi_pps - b->lo_pps <= width_goal(cfg, b->lo_pps);
}

static double next_rate(const struct search_cfg *cfg, struct target *tg)
{
	const struct search_bound *b = tg->b;
	double r;

	if (b->lo_pps > 0 && b->hi_pps > 0) {
		/* Bisect, but gallop up from the pass when the failure is far
		 * above it (e.g. the first trial at the top of the range). */
		double mid = (b->lo_pps + b->hi_pps) / 2;

		if (tg->step_pps == 0)
			tg->step_pps = width_goal(cfg, b->lo_pps);
		r = b->lo_pps + tg->step_pps;
		if (r < mid) {
			tg->step_pps *= 2;
			return r;
		}
		return mid;
	}
	if (b->hi_pps > 0) {
		/* Only a failure known: first try just under what got through
		 * there (a capacity-limited link receives about its capacity),
		 * then widen downward, doubling each time. */
		if (tg->step_pps == 0) {
			r = tg->hi_rx_pps * (1.0 - cfg->precision_rel);
			if (r >= b->hi_pps - width_goal(cfg, b->hi_pps))
				r = b->hi_pps - width_goal(cfg, b->hi_pps);
			tg->step_pps = width_goal(cfg, b->hi_pps);
		} else {
			tg->step_pps *= 2;
			r = b->hi_pps - tg->step_pps;
		}
		return r < cfg->min_pps ? cfg->min_pps : r;
	}
	/* Only a pass known: widen upward. */
	tg->step_pps = tg->step_pps == 0 ? width_goal(cfg, b->lo_pps)
					 : tg->step_pps * 2;
	r = b->lo_pps + tg->step_pps;
	return r > cfg->max_pps ? cfg->max_pps : r;
}

int search_run(const struct search_cfg *cfg, search_trial_fn fn, void *ctx,
	       struct search_result *res)
{
	struct target tg[2];
	struct search_trial t;
	double rate;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(tg, 0, sizeof(tg));
	tg[0].b = &res->ndr;
	tg[0].loss_ratio = 0;
	tg[1].b = &res->pdr;
	tg[1].loss_ratio = cfg->pdr_ratio;

	rate = cfg->max_pps;
	while (res->nb_trials < cfg->max_trials) {
		/* Generators take whole frames per second. */
		rate = floor(rate + 0.5);
		rc = fn(ctx, rate, &t);
		if (rc < 0)
			return rc;
		res->nb_trials++;
		for (int i = 0; i < 2; i++)
			update(&tg[i], rate, &t);
		res->ndr.done = is_done(cfg, &tg[0]);
		res->pdr.done = is_done(cfg, &tg[1]);
		if (res->ndr.done && res->pdr.done)
			return 0;
		/* The second trial is at the MRR when it is known and below the
		 * top of the range: the cheapest good first guess. */
		if (res->nb_trials == 1 && cfg->mrr_pps > cfg->min_pps &&
		    cfg->mrr_pps < cfg->max_pps * (1.0 - cfg->precision_rel)) {
			rate = cfg->mrr_pps;
			continue;
		}
		/* Work on the target that is further from done, PDR first
		 * (it lies above NDR, so its trials also bound NDR). */
		if (!res->pdr.done)
			rate = next_rate(cfg, &tg[1]);
		else
			rate = next_rate(cfg, &tg[0]);
		/* Never re-run a rate just measured (a stuck bracket): nudge. */
		if (fabs(rate - t.target_pps) < 1.0)
			rate = rate * (1.0 - cfg->precision_rel);
	}
	res->hit_cap = 1;
	return 0;
}
