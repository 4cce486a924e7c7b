/* The receiver's rx loop (contract in rx.h). */
#include "../harness/util.h"
#include "pkt.h"
#include "rx.h"
#include "tsc.h"

#define RX_PUBLISH_MASK 7		/* publish every 8 loop iterations */
#define RX_DRAIN_EMPTY 64		/* empty polls that end the final drain */
#define RX_DRAIN_MS 100			/* longest final drain */

/* Latency of one frame in TSC cycles (see rx.h). */
static inline uint64_t lat_cycles(uint64_t now, uint64_t stamp48)
{
	uint64_t d = (now - stamp48) & PKT_TSC_MASK;

	return d >> 47 ? 0 : d;
}

static inline void sync_counters(struct eng_counters *c,
				 const struct seqtrack *t)
{
	c->rx_unique = t->nb_unique;
	c->reordered = t->nb_reordered;
	c->duplicated = t->nb_dup;
	c->seq_max = t->head;
}

/* A frame that did not parse at the expected offset: read it where its
 * ethertype puts the header (a path may add or strip the VLAN tag). */
static enum pkt_parse rx_parse_tagged(const uint8_t *b, uint16_t len,
				      unsigned off, struct pkt_meta *m,
				      enum pkt_parse first)
{
	unsigned at = PKT_HDR_OFF;

	if (len >= 14 && b[12] == 0x81 && b[13] == 0x00)
		at += PKT_VLAN_LEN;
	return at == off ? first : pkt_parse(b, len, at, m);
}

/* Receive and classify one burst; returns the number of frames. */
static inline unsigned rx_burst_once(struct rx *r, struct eng_counters *c,
				     int measure)
{
	const uint8_t *bufs[IO_MAX_BURST];
	uint16_t lens[IO_MAX_BURST];
	struct seqtrack *trk = r->trk;
	uint64_t now, bytes = 0;
	unsigned off, n = r->io->rx_burst(r->port, bufs, lens, r->burst);

	if (!n) {
		c->polls_idle++;
		return 0;
	}
	/* after the burst: every frame in it was sent before now */
	now = tsc_read();
	if (__builtin_expect(r->cap != NULL, 0)) {
		uint64_t wall = util_wall_ns();
		unsigned i = 0;

		while (i < n && capture_frame(r->cap, bufs[i], lens[i], wall))
			i++;
		if (i < n) {	/* quota full: written, closed, off the path */
			capture_close(r->cap);
			r->cap = NULL;
		}
	}
	off = r->hdr_off ? r->hdr_off : PKT_HDR_OFF;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *b = bufs[i];
		struct pkt_meta m;
		enum pkt_parse pr;
		enum seq_class sc;

		bytes += lens[i];
		pr = pkt_parse(b, lens[i], off, &m);
		if (__builtin_expect(pr != PKT_OK, 0))
			pr = rx_parse_tagged(b, lens[i], off, &m, pr);
		if (__builtin_expect(pr != PKT_OK, 0)) {
			if (pr == PKT_CORRUPT)
				c->corrupted++;
			else
				c->foreign++;
			continue;
		}
		sc = seqtrack_add(trk, m.seq);
		if (measure && sc != SEQ_DUP && sc != SEQ_TOO_OLD)
			hist_add(&r->st->lat, lat_cycles(now, m.tsc));
	}
	r->io->rx_release(r->port);
	c->rx_pkts += n;
	c->rx_bytes += bytes + (uint64_t)n * PKT_FCS_LEN;
	c->polls_busy++;
	return n;
}

/* At STOP: take what is still queued on the path (frames sent before the
 * harness's drain ended), so that a receiver that saw STOP first does not
 * count them as lost. Bounded in time: a foreign sender cannot hold it. */
static void rx_final_drain(struct rx *r, struct eng_counters *c)
{
	uint64_t end = tsc_read() + r->st->tsc_hz / 1000 * RX_DRAIN_MS;
	unsigned empty = 0;

	while (empty < RX_DRAIN_EMPTY && !*r->stop) {
		if (rx_burst_once(r, c, 0))
			empty = 0;
		else
			empty++;
		if (tsc_read() > end)
			break;
	}
}

int rx_run(struct rx *r, struct linkpoll *lp, struct eng_counters *c)
{
	struct eng_stats *st = r->st;
	unsigned nb_polls = 0;

	for (;;) {
		uint32_t phase = st->ctl.phase;

		if (phase == PHASE_STOP || *r->stop)
			break;
		rx_burst_once(r, c, phase == PHASE_MEASURE);
		if ((++nb_polls & RX_PUBLISH_MASK) == 0) {
			uint64_t now = tsc_read();

			linkpoll_due(lp, c, now);
			sync_counters(c, r->trk);
			c->tsc = now;
			stats_publish(st, c);
		}
	}
	if (!*r->stop)
		rx_final_drain(r, c);
	sync_counters(c, r->trk);
	c->tsc = tsc_read();
	linkpoll_run(lp, c, c->tsc);
	stats_publish(st, c);
	return 0;
}
