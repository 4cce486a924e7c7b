/* The generator's tx loop (contract in gen.h). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "../harness/util.h"
#include "gen.h"
#include "pace.h"
#include "tsc.h"

/* Bytes copied from the template when the backend buffer already holds the
 * body: Ethernet (+VLAN), IPv4 and UDP headers (hdr_off <= 46). The
 * payload header that follows is written by the stamp. */
#define GEN_COPY_LEN 48
#define GEN_PUBLISH_MASK 7		/* publish every 8 loop iterations */
#define GEN_WAIT_NS 50000

static int tmpl_find(const uint16_t *built, unsigned nb, uint16_t frame_len)
{
	for (unsigned i = 0; i < nb; i++)
		if (built[i] == frame_len)
			return (int)i;
	return -1;
}

int gen_setup(struct gen *g, const struct pkt_cfg *pc, const uint16_t *sizes,
	      int nb_sizes, char *why, size_t len)
{
	uint16_t built[GEN_MAX_TMPL], imix[12];
	unsigned vlan = pc->vlan ? PKT_VLAN_LEN : 0;

	pkt_imix_pattern(imix);
	g->hdr_off = pkt_hdr_off(pc);
	g->nb_flows = pc->nb_flows;
	g->nb_slots = g->nb_tmpl = 0;
	g->max_buf_len = 0;
	g->prefilled = 0;
	if (nb_sizes < 1 || nb_sizes > GEN_MAX_SIZES)
		return util_why(why, len, EINVAL, "engine: give 1..%d frame "
				"sizes", GEN_MAX_SIZES);
	for (int i = 0; i < nb_sizes; i++) {
		const uint16_t *list = sizes[i] == PKT_IMIX ? imix : &sizes[i];
		unsigned nb = sizes[i] == PKT_IMIX ? 12 : 1;

		for (unsigned k = 0; k < nb; k++) {
			uint16_t wire = (uint16_t)(list[k] + vlan);
			int t = tmpl_find(built, g->nb_tmpl, wire), rc;
			struct gen_slot *s = &g->slot[g->nb_slots++];

			if (t < 0) {
				t = (int)g->nb_tmpl;
				rc = pkt_build(g->tmpl[t], GEN_TMPL_LEN, pc, wire, 0);
				if (rc < 0)
					return util_why(why, len, EINVAL,
							"engine: cannot build a "
							"%u B frame (sizes %u..%u"
							", flows >= 1, VLAN "
							"1..4094)", wire,
							PKT_MIN_FRAME + vlan,
							PKT_MAX_FRAME + vlan);
				built[g->nb_tmpl++] = wire;
			}
			s->tmpl = g->tmpl[t];
			s->frame_len = wire;
			s->buf_len = (uint16_t)(wire - PKT_FCS_LEN);
			if (s->buf_len > g->max_buf_len)
				g->max_buf_len = s->buf_len;
		}
	}
	return 0;
}

int gen_setup_pcap(struct gen *g, const struct pkt_cfg *pc,
		   const struct pcapsrc *ps, char *why, size_t len)
{
	if (!ps->nb_frames)
		return util_why(why, len, EINVAL, "engine: the pcap has no frames");
	g->hdr_off = pkt_hdr_off(pc);
	g->nb_flows = 1;
	g->nb_slots = g->nb_tmpl = 0;
	g->prefilled = 0;
	g->pcap = ps;
	g->max_buf_len = ps->max_buf_len;
	return 0;
}

int gen_prefill(struct gen *g)
{
	struct io_info info;
	const struct gen_slot *big = &g->slot[0];
	int rc;

	g->prefilled = 0;
	if (!g->io->prefill || g->pcap)	/* replayed frames differ in body */
		return 0;
	g->io->info(g->port, &info);
	if (!info.persistent_tx)
		return 0;
	for (unsigned i = 1; i < g->nb_slots; i++)
		if (g->slot[i].buf_len > big->buf_len)
			big = &g->slot[i];
	/* the body pattern depends only on the offset (pkt.c): the largest
	 * frame's body serves every size */
	rc = g->io->prefill(g->port, big->tmpl, big->buf_len);
	if (rc == 0)
		g->prefilled = 1;
	return rc == -ENOTSUP || rc == -EMSGSIZE ? 0 : rc;
}

static inline __attribute__((always_inline)) void
frame_write(const struct gen *g, uint8_t *b, const struct gen_slot *s,
	    uint32_t flow, uint64_t seq, uint64_t tsc)
{
	uint16_t sport = (uint16_t)(PKT_UDP_SPORT_BASE + flow);
	unsigned udp = g->hdr_off - 8;

	if (g->prefilled)
		memcpy(b, s->tmpl, GEN_COPY_LEN);
	else
		memcpy(b, s->tmpl, s->buf_len);
	b[udp] = (uint8_t)(sport >> 8);
	b[udp + 1] = (uint8_t)sport;
	pkt_stamp(b, g->hdr_off, (uint16_t)flow, seq, tsc, s->buf_len);
}

static void wait_ns(uint64_t ns)
{
	struct timespec ts = { 0, (long)ns };

	nanosleep(&ts, NULL);
}

/* Publish and sleep until the phase leaves `while_phase` (or, when
 * while_phase is PHASE_STOP, until it becomes STOP). */
static uint32_t wait_phase(struct gen *g, struct linkpoll *lp,
			   struct eng_counters *c, int until_stop)
{
	uint32_t phase;

	for (;;) {
		uint64_t now = tsc_read();

		phase = g->st->ctl.phase;
		if (*g->stop || (until_stop ? phase == PHASE_STOP :
				 phase != PHASE_IDLE))
			return phase;
		linkpoll_due(lp, c, now);
		c->tsc = now;
		stats_publish(g->st, c);
		wait_ns(GEN_WAIT_NS);
	}
}

/* Counters after tx_commit took `sent` of the n frames lent (lens[]), and
 * the pacer's schedule: shared by both send loops. */
static inline __attribute__((always_inline)) void
count_sent(struct eng_counters *c, struct pace *pace, unsigned burst,
	   const uint16_t *lens, unsigned n, unsigned sent, uint64_t now)
{
	uint64_t bytes = 0;

	for (unsigned i = 0; i < sent; i++)
		bytes += lens[i];
	c->tx_pkts += sent;
	c->tx_bytes += bytes + (uint64_t)sent * PKT_FCS_LEN;
	c->tx_unsent += n - sent;
	if (pace->rate_pps) {
		if (pace_late(pace, now, burst))
			c->tx_late += sent;
		pace_advance(pace, sent);
	}
	if (sent)
		c->polls_busy++;
	else
		c->polls_idle++;
}

/* Write n replayed frames from *pos on into bufs; stamped ones take seq,
 * seq + 1, ... Fills lens and stamped[i]; returns the stamped count. */
static unsigned pcap_write(struct gen *g, uint8_t **bufs, uint16_t *lens,
			   uint8_t *stamped, unsigned n, unsigned pos,
			   uint64_t seq, struct pace *pace, uint64_t now)
{
	const struct pcapsrc *ps = g->pcap;
	unsigned nb = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct pcapsrc_frame *f = &ps->frames[pos];

		memcpy(bufs[i], f->data, f->buf_len);
		lens[i] = f->buf_len;
		stamped[i] = f->hdr_off == g->hdr_off;
		if (stamped[i]) {
			pkt_stamp(bufs[i], g->hdr_off, 0, seq + nb,
				  pace->rate_pps ? pace_intended(pace, i) : now,
				  f->buf_len);
			nb++;
		}
		pos = pos + 1 == ps->nb_frames ? 0 : pos + 1;
	}
	return nb;
}

/* --pcap: the send loop of WARMUP/MEASURE over replayed frames. */
static void send_loop_pcap(struct gen *g, struct linkpoll *lp,
			   struct eng_counters *c, struct pace *pace,
			   uint64_t max_pkts)
{
	struct eng_stats *st = g->st;
	uint8_t *bufs[IO_MAX_BURST], stamped[IO_MAX_BURST];
	uint16_t lens[IO_MAX_BURST];
	uint64_t seq = 0;
	unsigned pos = 0, nb_polls = 0;

	for (;;) {
		unsigned n = g->burst, sent;
		uint64_t now;
		uint32_t phase = st->ctl.phase;

		if (phase >= PHASE_DRAIN || *g->stop)
			return;
		if (max_pkts && max_pkts - c->tx_pkts < n)
			n = (unsigned)(max_pkts - c->tx_pkts);
		if (max_pkts && !n)
			return;
		now = tsc_read();
		if (pace->rate_pps)
			n = pace_due(pace, now, n);
		if (n)
			n = g->io->tx_reserve(g->port, bufs, n);
		if (!n) {
			c->polls_idle++;
		} else {
			pcap_write(g, bufs, lens, stamped, n, pos, seq, pace, now);
			sent = g->io->tx_commit(g->port, lens, n);
			/* refused frames are sent next, with the same seqs */
			for (unsigned i = 0; i < sent; i++) {
				if (stamped[i])
					seq++;
				else
					c->tx_unstamped++;
			}
			pos = (unsigned)((pos + sent) % g->pcap->nb_frames);
			count_sent(c, pace, g->burst, lens, n, sent, now);
		}
		if ((++nb_polls & GEN_PUBLISH_MASK) == 0) {
			linkpoll_due(lp, c, now);
			c->tsc = now;
			stats_publish(st, c);
		}
	}
}

/* The send loop of WARMUP/MEASURE; returns at DRAIN, STOP, *stop or after
 * max_pkts frames. */
static void send_loop(struct gen *g, struct linkpoll *lp,
		      struct eng_counters *c, struct pace *pace,
		      uint64_t max_pkts)
{
	struct eng_stats *st = g->st;
	const struct io_ops *io = g->io;
	uint8_t *bufs[IO_MAX_BURST];
	uint16_t lens[IO_MAX_BURST];
	uint64_t seq = 0;
	unsigned pos = 0, nb_polls = 0;
	uint32_t flow = 0, phase;

	for (;;) {
		unsigned n = g->burst, sent, pos0 = pos;
		uint32_t flow0 = flow;
		uint64_t now;

		phase = st->ctl.phase;
		if (phase >= PHASE_DRAIN || *g->stop)
			return;
		if (max_pkts) {
			uint64_t left = max_pkts - c->tx_pkts;

			if (!left)
				return;
			if (left < n)
				n = (unsigned)left;
		}
		now = tsc_read();
		if (pace->rate_pps)
			n = pace_due(pace, now, n);
		if (phase == PHASE_IDLE)
			n = 0;
		if (n)
			n = io->tx_reserve(g->port, bufs, n);
		if (!n) {
			c->polls_idle++;
			goto tick;
		}
		if (pace->rate_pps) {
			for (unsigned i = 0; i < n; i++) {
				const struct gen_slot *s = &g->slot[pos];

				frame_write(g, bufs[i], s, flow, seq + i,
					    pace_intended(pace, i));
				lens[i] = s->buf_len;
				pos = pos + 1 == g->nb_slots ? 0 : pos + 1;
				flow = flow + 1 == g->nb_flows ? 0 : flow + 1;
			}
		} else {
			for (unsigned i = 0; i < n; i++) {
				const struct gen_slot *s = &g->slot[pos];

				frame_write(g, bufs[i], s, flow, seq + i, now);
				lens[i] = s->buf_len;
				pos = pos + 1 == g->nb_slots ? 0 : pos + 1;
				flow = flow + 1 == g->nb_flows ? 0 : flow + 1;
			}
		}
		sent = io->tx_commit(g->port, lens, n);
		if (sent != n) {
			/* the refused frames' seq, size and flow are sent next */
			pos = (unsigned)((pos0 + sent) % g->nb_slots);
			flow = (uint32_t)((flow0 + sent) % g->nb_flows);
		}
		seq += sent;
		if (__builtin_expect(g->test_slowdown_pct != 0, 0)) {
			uint64_t t = tsc_read();
			uint64_t until = t + (t - now) * g->test_slowdown_pct / 100;

			while (tsc_read() < until)
				;
		}
		count_sent(c, pace, g->burst, lens, n, sent, now);
tick:
		if ((++nb_polls & GEN_PUBLISH_MASK) == 0) {
			linkpoll_due(lp, c, now);
			c->tsc = now;
			stats_publish(st, c);
		}
	}
}

int gen_run(struct gen *g, struct linkpoll *lp, struct eng_counters *c,
	    char *why, size_t len)
{
	struct eng_stats *st = g->st;
	struct pace pace;
	uint32_t phase;

	phase = wait_phase(g, lp, c, 0);
	if (!*g->stop && (phase == PHASE_WARMUP || phase == PHASE_MEASURE)) {
		uint64_t rate = st->ctl.rate_pps, max_pkts = st->ctl.max_pkts;

		if (pace_init(&pace, st->tsc_hz, rate, tsc_read()) < 0)
			return util_why(why, len, EINVAL, "engine: rate %llu "
					"pps is above the TSC rate (%llu Hz)",
					(unsigned long long)rate,
					(unsigned long long)st->tsc_hz);
		st->state = ENG_RUNNING;
		if (g->pcap)
			send_loop_pcap(g, lp, c, &pace, max_pkts);
		else
			send_loop(g, lp, c, &pace, max_pkts);
	}
	c->tsc = tsc_read();
	stats_publish(st, c);
	wait_phase(g, lp, c, 1);
	c->tsc = tsc_read();
	linkpoll_run(lp, c, c->tsc);
	stats_publish(st, c);
	return 0;
}
