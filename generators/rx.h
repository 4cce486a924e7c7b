/* The receiver (role rx): receives from its start until PHASE_STOP,
 * classifies every frame (pkt_parse, then seqtrack for ours), and records
 * one-way latency into st->lat for unique frames received in
 * PHASE_MEASURE.
 *
 * Counters (stats.h) keep, exactly:
 *   rx_pkts = rx_unique + duplicated + corrupted + foreign,
 *   reordered is a subset of rx_unique,
 * so that the harness's lost = tx_pkts - rx_unique - corrupted accounts
 * for every frame sent. Frames more than SEQTRACK_WINDOW seqs behind the
 * newest are counted as duplicated (seqtrack.h).
 *
 * Latency: the stamp holds the low 48 bits of the sender's TSC; the
 * receiver takes the difference modulo 2^48 from its own TSC of the burst
 * (same host, same time base). A stamp slightly ahead of the receiver's
 * clock (TSC skew between cores) counts as 0. */
#ifndef VIOPERF_RX_H
#define VIOPERF_RX_H

#include <signal.h>
#include <stddef.h>

#include "capture.h"
#include "io.h"
#include "linkpoll.h"
#include "seqtrack.h"
#include "stats.h"

struct rx {
	const struct io_ops *io;
	struct io_port *port;
	struct eng_stats *st;
	volatile sig_atomic_t *stop;	/* non-zero: leave as soon as possible */
	unsigned burst;
	unsigned hdr_off;		/* payload header offset the sender uses
					 * (pkt_hdr_off); 0: PKT_HDR_OFF. A frame
					 * whose tag a path added or stripped is
					 * still read, on a slower path */
	struct seqtrack *trk;		/* reset by the caller */
	struct capture *cap;		/* --capture: the first frames go here
					 * (closed and NULL once full); NULL */
};

/* Receive until PHASE_STOP (or *stop); c holds the counters, published into
 * r->st as it goes and once more before returning. 0, or -errno. */
int rx_run(struct rx *r, struct linkpoll *lp, struct eng_counters *c);

#endif
