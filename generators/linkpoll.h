/* Slow-path upkeep shared by the engine's tx and rx loops: every
 * LINKPOLL_MS of TSC time, ask the backend for its link state and its own
 * counters and put them into the stats block / local counters. The loops
 * call linkpoll_due once per burst with a TSC value they already have. */
#ifndef VIOPERF_LINKPOLL_H
#define VIOPERF_LINKPOLL_H

#include <stdint.h>

#include "io.h"
#include "stats.h"

#define LINKPOLL_MS 50

struct linkpoll {
	const struct io_ops *io;
	struct io_port *port;
	struct eng_stats *st;
	uint64_t period_tsc, next_tsc;
};

/* Set up for a backend already open; polls once right away. */
void linkpoll_init(struct linkpoll *lp, const struct io_ops *io,
		   struct io_port *port, struct eng_stats *st,
		   struct eng_counters *c);

/* Poll now: link_up into st, backend counters into c. */
void linkpoll_run(struct linkpoll *lp, struct eng_counters *c, uint64_t now_tsc);

/* Poll when the period has passed (hot path: one compare). */
static inline void linkpoll_due(struct linkpoll *lp, struct eng_counters *c,
				uint64_t now_tsc)
{
	if (__builtin_expect(now_tsc >= lp->next_tsc, 0))
		linkpoll_run(lp, c, now_tsc);
}

#endif
