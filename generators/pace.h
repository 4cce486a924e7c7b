/* Rate pacing of the generator: a token bucket on the TSC for a fixed rate
 * in pps, or no limit when the rate is 0.
 *
 * The schedule is absolute: frame i (counted from pace_init) is due at
 * start + i * cycles_per_pkt. pace_due tells how many frames are due now;
 * a generator that fell behind (preempted, backpressure) may send what is
 * due in bursts until it has caught up, so the offered rate over the window
 * stays the asked-for one.
 *
 * Coordinated omission: in paced mode every frame is stamped with its
 * *intended* send time from the schedule (pace_intended), not the time it
 * actually left. A generator that stalls therefore does not hide the stall
 * from the latency figures: frames that waited in the generator count that
 * wait as latency, as they would for a real sender with its own clock (the
 * correction wrk2 applies). At rate 0 there is no schedule and frames carry
 * the actual time of their burst.
 *
 * Frames refused by the backend are not advanced past (pace_advance takes
 * only what was sent), so their intended times are reused on retry. */
#ifndef VIOPERF_PACE_H
#define VIOPERF_PACE_H

#include <stdint.h>

struct pace {
	uint64_t rate_pps;	/* 0: unlimited */
	uint64_t start_tsc;	/* schedule origin */
	uint64_t cpp_fp;	/* cycles per packet, 32.32 fixed point, rounded
				 * up so the schedule never runs early */
	uint64_t nb_sent;	/* frames sent since start */
};

/* Start a schedule at now_tsc for rate_pps (0 = unlimited) with the TSC at
 * tsc_hz. 0, or -EINVAL when tsc_hz is 0 or the rate exceeds tsc_hz. */
int pace_init(struct pace *p, uint64_t tsc_hz, uint64_t rate_pps,
	      uint64_t now_tsc);

/* Intended send time of the k-th next frame (frame nb_sent + k). */
static inline uint64_t pace_intended(const struct pace *p, uint64_t k)
{
	return p->start_tsc +
	       (uint64_t)(((unsigned __int128)(p->nb_sent + k) * p->cpp_fp) >> 32);
}

/* How many frames are due at now_tsc, at most max (max when unlimited). */
static inline unsigned pace_due(const struct pace *p, uint64_t now_tsc,
				unsigned max)
{
	uint64_t due;

	if (!p->rate_pps)
		return max;
	if (now_tsc < p->start_tsc)
		return 0;
	/* frame i is due when floor(i * cpp) <= el, i.e. i * cpp < el + 1:
	 * ceil((el + 1) / cpp) frames in all */
	due = (uint64_t)(((((unsigned __int128)(now_tsc - p->start_tsc + 1)) << 32) -
			  1) / p->cpp_fp) + 1;
	if (due <= p->nb_sent)
		return 0;
	due -= p->nb_sent;
	return due < max ? (unsigned)due : max;
}

/* 1 when the next frame is more than `burst` frames behind its schedule at
 * now_tsc (the generator cannot keep up with the rate). */
static inline int pace_late(const struct pace *p, uint64_t now_tsc,
			    unsigned burst)
{
	if (!p->rate_pps)
		return 0;
	return now_tsc > pace_intended(p, burst);
}

/* Account n frames as sent. */
static inline void pace_advance(struct pace *p, unsigned n)
{
	p->nb_sent += n;
}

#endif
