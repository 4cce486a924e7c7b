/* NDR / PDR search: the highest offered rate with zero loss (NDR) and with
 * loss <= a ratio (PDR), found together by one search in the spirit of
 * FD.io CSIT's MLRsearch: every trial updates the bounds of both targets,
 * it starts from the measured MRR, widens outward when a bound turns out
 * wrong (noisy links), and bisects inward until each target's interval is
 * narrower than the stated precision.
 *
 * Unsent frames count as loss: the trial function reports the rate it was
 * asked for and the frames really offered, and a trial whose offered rate
 * fell short of the target by more than SEARCH_SHORTFALL is a failure for
 * both targets, never a success. */
#ifndef VIOPERF_SEARCH_H
#define VIOPERF_SEARCH_H

#include <stddef.h>

#define SEARCH_SHORTFALL 0.01	/* offered < 99 % of target: not offered */

struct search_cfg {
	double max_pps;		/* upper end of the search (line/MRR offered) */
	double mrr_pps;		/* received rate at maximum load; 0: unknown */
	double min_pps;		/* never search below this (e.g. 1000 pps) */
	double pdr_ratio;	/* PDR loss ratio, e.g. 0.005 */
	double precision_rel;	/* e.g. 0.005: stop when hi - lo <= rel * lo */
	double precision_pps;	/* or when hi - lo <= this, e.g. 10000 */
	int max_trials;		/* hard cap on search trials */
};

/* One measured search trial. */
struct search_trial {
	double target_pps;	/* rate asked for */
	double offered_pps;	/* rate the generator really sent */
	double loss_ratio;	/* (sent - received) / sent */
};

/* Run one trial at rate_pps and fill out. 0, or -errno to abort the
 * search (the error is passed back). */
typedef int (*search_trial_fn)(void *ctx, double rate_pps,
			       struct search_trial *out);

/* One target's bracket: lo passed (0 = none yet), hi failed (0 = none). */
struct search_bound {
	double lo_pps, hi_pps;
	int done;
};

struct search_result {
	struct search_bound ndr, pdr;
	int nb_trials;
	int hit_cap;		/* stopped at max_trials before precision */
};

/* Fill cfg with defaults: PDR 0.5 %, precision 0.5 % or 10 kpps,
 * 30 trials, min 1000 pps. max_pps/mrr_pps are left to the caller. */
void search_cfg_default(struct search_cfg *cfg);

/* Whether a trial passes a loss threshold (shortfall counts as loss). */
int search_trial_passes(const struct search_trial *t, double loss_ratio);

/* Run the search. 0 with res filled (ndr.lo_pps / pdr.lo_pps are the
 * results, possibly 0 when even min_pps lost frames), or the trial
 * function's error. */
int search_run(const struct search_cfg *cfg, search_trial_fn fn, void *ctx,
	       struct search_result *res);

#endif
