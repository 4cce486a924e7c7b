/* The generator loop against a scripted in-memory backend: every frame it
 * sends is checked byte for byte against pkt_build + pkt_stamp; sequence
 * numbers have no gaps although the backend refuses parts of bursts; sizes
 * (IMIX included) and flows follow the sequence; counters match; paced
 * frames carry their intended send times; nothing is sent while IDLE. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/gen.h"
#include "../../generators/linkpoll.h"
#include "../../generators/pkt.h"
#include "../../generators/stats.h"
#include "../../generators/tsc.h"

#define NB_BUF 64
#define BUF_SIZE 2048
#define MAX_REC 40000

struct rec {
	uint64_t seq, tsc;
	uint16_t flow, buf_len;
};

struct io_port {
	uint8_t buf[NB_BUF][BUF_SIZE];
	unsigned nb_reserved;
	int persistent;			/* report persistent_tx */
	int prefilled;
	unsigned hdr_off;
	struct eng_stats *st;
	uint64_t nb_accepted, target;	/* set STOP after target frames */
	uint64_t nb_refused, nb_commits, nb_info;
	uint64_t bytes;
	unsigned turn;			/* drives the refusal pattern */
	int idle_until_info;		/* IDLE -> WARMUP after this many info calls */
	uint64_t commits_while_idle;
	struct pkt_cfg pc;
	struct rec *rec;
};

static struct io_port *port;

static void fake_info(struct io_port *p, struct io_info *info)
{
	memset(info, 0, sizeof(*info));
	info->link_up = 1;
	info->persistent_tx = p->persistent;
	p->nb_info++;
	if (p->idle_until_info && p->nb_info >= (uint64_t)p->idle_until_info &&
	    p->st->ctl.phase == PHASE_IDLE)
		p->st->ctl.phase = PHASE_WARMUP;
	/* the generator stopped on max_pkts: end the trial */
	if (p->st->ctl.max_pkts && p->nb_accepted >= p->st->ctl.max_pkts &&
	    p->nb_info > 3)
		p->st->ctl.phase = PHASE_STOP;
}

static unsigned fake_tx_reserve(struct io_port *p, uint8_t **bufs, unsigned n)
{
	/* sometimes fewer than asked */
	if (p->turn % 7 == 3 && n > 5)
		n = 5;
	for (unsigned i = 0; i < n; i++) {
		bufs[i] = p->buf[i];
		/* without persistence the backend's buffers are garbage */
		if (!p->persistent)
			memset(p->buf[i], 0xee, BUF_SIZE);
	}
	p->nb_reserved = n;
	return n;
}

/* Accept a prefix whose length follows a fixed pattern, record it. */
static unsigned fake_tx_commit(struct io_port *p, const uint16_t *len,
			       unsigned n)
{
	unsigned ok;

	assert_true(n <= p->nb_reserved);
	if (p->st->ctl.phase == PHASE_IDLE)
		p->commits_while_idle++;
	switch (p->turn++ % 5) {
	case 1: ok = n / 2; break;
	case 3: ok = 0; break;
	default: ok = n; break;
	}
	if (p->nb_accepted + ok > p->target)
		ok = (unsigned)(p->target - p->nb_accepted);
	for (unsigned i = 0; i < ok; i++) {
		struct pkt_meta m = { 0, 0, 0 };
		struct rec *r = &p->rec[p->nb_accepted];

		assert_true(p->nb_accepted < MAX_REC);

		assert_int_equal(pkt_parse(p->buf[i], len[i], p->hdr_off, &m),
				 PKT_OK);
		r->seq = m.seq;
		r->tsc = m.tsc;
		r->flow = m.flow;
		r->buf_len = len[i];
		/* the whole frame is what pkt_build makes, stamped */
		{
			uint8_t ref[BUF_SIZE];
			int bl = pkt_build(ref, sizeof(ref), &p->pc,
					   (uint16_t)(len[i] + PKT_FCS_LEN), m.flow);

			assert_int_equal(bl, len[i]);
			pkt_stamp(ref, p->hdr_off, m.flow, m.seq, m.tsc, len[i]);
			assert_memory_equal(ref, p->buf[i], len[i]);
		}
		p->bytes += len[i] + PKT_FCS_LEN;
		p->nb_accepted++;
	}
	p->nb_refused += n - ok;
	p->nb_commits++;
	p->nb_reserved = 0;
	if (p->nb_accepted >= p->target)
		p->st->ctl.phase = PHASE_STOP;
	return ok;
}

static int fake_prefill(struct io_port *p, const uint8_t *frame, uint16_t len)
{
	for (unsigned i = 0; i < NB_BUF; i++)
		memcpy(p->buf[i], frame, len);
	p->prefilled = 1;
	return 0;
}

static void fake_close(struct io_port *p)
{
	(void)p;
}

static const struct io_ops fake_ops = {
	.name = "fake",
	.info = fake_info,
	.tx_reserve = fake_tx_reserve,
	.tx_commit = fake_tx_commit,
	.prefill = fake_prefill,
	.close = fake_close,
};

struct run {
	struct eng_stats *st;
	struct gen *g;
	struct eng_counters c;
	volatile sig_atomic_t stop;
};

static void run_setup(struct run *r, const char *sizes, uint32_t nb_flows,
		      uint16_t vlan, int persistent, uint64_t target)
{
	uint16_t sz[GEN_MAX_SIZES];
	char why[256];
	int n;

	memset(r, 0, sizeof(*r));
	r->st = calloc(1, sizeof(*r->st));
	r->g = calloc(1, sizeof(*r->g));
	port = calloc(1, sizeof(*port));
	assert_non_null(r->st);
	assert_non_null(r->g);
	assert_non_null(port);
	port->rec = calloc(MAX_REC, sizeof(*port->rec));
	assert_non_null(port->rec);
	r->st->magic = STATS_MAGIC;
	r->st->version = STATS_VERSION;
	r->st->tsc_hz = 2000000000ull;
	r->st->ctl.phase = PHASE_WARMUP;
	pkt_cfg_default(&port->pc);
	port->pc.nb_flows = nb_flows;
	port->pc.vlan = vlan;
	port->hdr_off = pkt_hdr_off(&port->pc);
	port->persistent = persistent;
	port->st = r->st;
	port->target = target;
	n = pkt_parse_sizes(sizes, sz, GEN_MAX_SIZES, why, sizeof(why));
	assert_true(n > 0);
	assert_int_equal(gen_setup(r->g, &port->pc, sz, n, why, sizeof(why)), 0);
	r->g->io = &fake_ops;
	r->g->port = port;
	r->g->st = r->st;
	r->g->stop = &r->stop;
	r->g->burst = 32;
	assert_int_equal(gen_prefill(r->g), 0);
	assert_int_equal(port->prefilled, persistent);
}

static void run_go(struct run *r)
{
	struct linkpoll lp;
	char why[256];

	linkpoll_init(&lp, &fake_ops, port, r->st, &r->c);
	assert_int_equal(gen_run(r->g, &lp, &r->c, why, sizeof(why)), 0);
}

static void run_free(struct run *r)
{
	free(port->rec);
	free(port);
	free(r->g);
	free(r->st);
	port = NULL;
}

/* frame_len (with FCS) of the cycle position of seq */
static uint16_t expect_len(const uint16_t *cycle, unsigned nb, uint64_t seq)
{
	return cycle[seq % nb];
}

static void check_sequence(struct run *r, const uint16_t *cycle, unsigned nb,
			   uint32_t nb_flows, uint16_t vlan_len)
{
	assert_int_equal(port->nb_accepted, port->target);
	for (uint64_t s = 0; s < port->nb_accepted; s++) {
		const struct rec *x = &port->rec[s];

		assert_int_equal(x->seq, s);
		assert_int_equal(x->flow, s % nb_flows);
		assert_int_equal(x->buf_len + PKT_FCS_LEN,
				 expect_len(cycle, nb, s) + vlan_len);
	}
	/* the published counters are the backend's view */
	assert_int_equal(r->st->c.tx_pkts, port->nb_accepted);
	assert_int_equal(r->st->c.tx_unsent, port->nb_refused);
	assert_int_equal(r->st->c.tx_bytes, port->bytes);
	assert_true(port->nb_refused > 0);
	assert_true(r->st->c.polls_busy > 0);
	assert_true(r->st->c.polls_idle > 0);	/* the all-refused bursts */
	assert_int_equal(r->st->state, ENG_RUNNING);
}

static void test_backpressure_imix_flows(void **state)
{
	uint16_t imix[12];
	uint16_t want[13];
	struct run r;

	(void)state;
	/* the cycle is 64 then the IMIX pattern */
	pkt_imix_pattern(imix);
	want[0] = 64;
	memcpy(want + 1, imix, sizeof(imix));
	run_setup(&r, "64,imix", 5, 0, 1, 20000);
	run_go(&r);
	check_sequence(&r, want, 13, 5, 0);
	run_free(&r);
}

static void test_vlan_no_prefill(void **state)
{
	static const uint16_t cycle[] = { 128, 1518, 65 };
	struct run r;

	(void)state;
	run_setup(&r, "128,1518,65", 3, 42, 0, 5000);
	run_go(&r);
	check_sequence(&r, cycle, 3, 3, PKT_VLAN_LEN);
	run_free(&r);
}

/* Paced: each frame carries start + seq * cycles_per_pkt. */
static void test_paced_intended_stamps(void **state)
{
	struct run r;
	double cpp;

	(void)state;
	run_setup(&r, "64", 1, 0, 1, 3000);
	r.st->tsc_hz = tsc_measure_hz(20);
	assert_true(r.st->tsc_hz > 0);
	r.st->ctl.rate_pps = 1000000;
	cpp = (double)r.st->tsc_hz / 1e6;
	run_go(&r);
	assert_int_equal(port->nb_accepted, 3000);
	for (uint64_t s = 1; s < port->nb_accepted; s++) {
		uint64_t d = (port->rec[s].tsc - port->rec[s - 1].tsc) & PKT_TSC_MASK;

		assert_true((double)d >= cpp - 1 && (double)d <= cpp + 1);
	}
	assert_int_equal(port->rec[0].seq, 0);
	run_free(&r);
}

/* IDLE: nothing is sent until the phase leaves IDLE. */
static void test_idle_sends_nothing(void **state)
{
	struct run r;

	(void)state;
	run_setup(&r, "64", 1, 0, 1, 100);
	r.st->ctl.phase = PHASE_IDLE;
	port->idle_until_info = 3;	/* linkpoll calls info every 50 ms */
	run_go(&r);
	assert_int_equal(port->commits_while_idle, 0);
	assert_int_equal(port->nb_accepted, 100);
	run_free(&r);
}

/* max_pkts: the generator stops after that many accepted frames. */
static void test_max_pkts(void **state)
{
	struct run r;

	(void)state;
	run_setup(&r, "64", 2, 0, 1, 1000000);
	r.st->ctl.max_pkts = 777;
	run_go(&r);
	assert_int_equal(port->nb_accepted, 777);
	assert_int_equal(r.st->c.tx_pkts, 777);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backpressure_imix_flows),
		cmocka_unit_test(test_vlan_no_prefill),
		cmocka_unit_test(test_paced_intended_stamps),
		cmocka_unit_test(test_idle_sends_nothing),
		cmocka_unit_test(test_max_pkts),
	};

	/* a loop that never sees STOP fails the test instead of hanging */
	alarm(120);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
