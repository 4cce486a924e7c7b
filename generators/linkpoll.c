/* Periodic link state and backend counters (see linkpoll.h). */
#include <string.h>

#include "linkpoll.h"
#include "tsc.h"

void linkpoll_run(struct linkpoll *lp, struct eng_counters *c, uint64_t now_tsc)
{
	struct io_info info;

	lp->io->info(lp->port, &info);
	/* a lost link says why (e.g. "peer side b stopped"): the harness
	 * quotes desc when it fails the trial */
	if (!info.link_up && lp->st->link_up) {
		memcpy(lp->st->desc, info.desc, sizeof(lp->st->desc));
		lp->st->desc[sizeof(lp->st->desc) - 1] = '\0';
	}
	lp->st->link_up = info.link_up ? 1 : 0;
	if (lp->io->counters) {
		struct io_counters ic;

		memset(&ic, 0, sizeof(ic));
		lp->io->counters(lp->port, &ic);
		c->io_tx = ic.nb_tx;
		c->io_rx = ic.nb_rx;
		c->io_tx_drop = ic.nb_tx_drop;
		c->io_rx_drop = ic.nb_rx_drop;
		c->io_rx_err = ic.nb_rx_err;
	}
	lp->next_tsc = now_tsc + lp->period_tsc;
}

void linkpoll_init(struct linkpoll *lp, const struct io_ops *io,
		   struct io_port *port, struct eng_stats *st,
		   struct eng_counters *c)
{
	lp->io = io;
	lp->port = port;
	lp->st = st;
	lp->period_tsc = st->tsc_hz / 1000 * LINKPOLL_MS;
	linkpoll_run(lp, c, tsc_read());
}
