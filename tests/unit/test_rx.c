/* The receiver loop against a scripted in-memory backend: in-order, lost,
 * reordered, duplicated, corrupted, foreign and VLAN-tagged frames are
 * counted where rx.h says, the sums hold exactly, and latency is recorded
 * only for unique frames received in PHASE_MEASURE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/linkpoll.h"
#include "../../generators/pkt.h"
#include "../../generators/rx.h"
#include "../../generators/seqtrack.h"
#include "../../generators/stats.h"
#include "../../generators/tsc.h"

#define MAX_STEP 16
#define MAX_FRAMES 32

enum kind { K_OK, K_VLAN, K_CORRUPT, K_FOREIGN, K_FUTURE };

struct frame { enum kind kind; uint64_t seq; };

/* One rx_burst: the phase the receiver sees for it, and its frames. */
struct step {
	uint32_t phase;
	unsigned nb;
	struct frame f[MAX_FRAMES];
};

struct io_port {
	const struct step *script;
	unsigned nb_steps, next;
	struct eng_stats *st;
	uint8_t buf[MAX_FRAMES][256];
	unsigned nb_lent, nb_released;
	uint64_t bytes;
};

static void fake_info(struct io_port *p, struct io_info *info)
{
	(void)p;
	memset(info, 0, sizeof(*info));
	info->link_up = 1;
}

static unsigned build(struct io_port *p, unsigned i, const struct frame *f,
		      uint16_t *len)
{
	struct pkt_cfg pc;
	uint64_t tsc = tsc_read() - 1000;
	int n;

	pkt_cfg_default(&pc);
	if (f->kind == K_VLAN)
		pc.vlan = 7;
	if (f->kind == K_FUTURE)
		tsc += 1000000;		/* ahead of the receiver: counts 0 */
	n = pkt_build(p->buf[i], sizeof(p->buf[i]), &pc,
		      (uint16_t)(f->kind == K_VLAN ? 68 : 64 + (i % 3) * 60), 0);
	assert_true(n > 0);
	pkt_stamp(p->buf[i], pkt_hdr_off(&pc), 0, f->seq, tsc, (uint16_t)n);
	if (f->kind == K_CORRUPT)
		p->buf[i][pkt_hdr_off(&pc) + 8] ^= 0x10;	/* a seq bit */
	if (f->kind == K_FOREIGN) {
		memset(p->buf[i] + 12, 0, 50);
		p->buf[i][12] = 0x08;
		p->buf[i][13] = 0x06;	/* ARP */
		n = 60;
	}
	*len = (uint16_t)n;
	return (unsigned)n;
}

static unsigned fake_rx_burst(struct io_port *p, const uint8_t **bufs,
			      uint16_t *len, unsigned n)
{
	const struct step *s;

	assert_int_equal(p->nb_lent, 0);	/* released before the next */
	if (p->next >= p->nb_steps) {
		p->st->ctl.phase = PHASE_STOP;
		return 0;
	}
	s = &p->script[p->next++];
	/* the receiver read the phase before this call */
	assert_true(s->nb <= n);
	for (unsigned i = 0; i < s->nb; i++) {
		p->bytes += build(p, i, &s->f[i], &len[i]) + PKT_FCS_LEN;
		bufs[i] = p->buf[i];
	}
	p->nb_lent = s->nb;
	/* the phase of the next step */
	p->st->ctl.phase = p->next < p->nb_steps ? p->script[p->next].phase :
			   PHASE_STOP;
	return s->nb;
}

static void fake_rx_release(struct io_port *p)
{
	p->nb_released += p->nb_lent;
	p->nb_lent = 0;
}

static void fake_close(struct io_port *p)
{
	(void)p;
}

static const struct io_ops fake_ops = {
	.name = "fake",
	.info = fake_info,
	.rx_burst = fake_rx_burst,
	.rx_release = fake_rx_release,
	.close = fake_close,
};

static void run(const struct step *script, unsigned nb_steps,
		struct eng_stats *st, struct io_port *p)
{
	struct seqtrack *trk = calloc(1, sizeof(*trk));
	volatile sig_atomic_t stop = 0;
	struct eng_counters c;
	struct linkpoll lp;
	struct rx r;

	assert_non_null(trk);
	memset(st, 0, sizeof(*st));
	memset(p, 0, sizeof(*p));
	memset(&c, 0, sizeof(c));
	st->magic = STATS_MAGIC;
	st->version = STATS_VERSION;
	st->tsc_hz = 2000000000ull;
	st->ctl.phase = script[0].phase;
	p->script = script;
	p->nb_steps = nb_steps;
	p->st = st;
	seqtrack_reset(trk);
	memset(&r, 0, sizeof(r));
	r.io = &fake_ops;
	r.port = p;
	r.st = st;
	r.stop = &stop;
	r.burst = MAX_FRAMES;
	r.trk = trk;
	linkpoll_init(&lp, &fake_ops, p, st, &c);
	assert_int_equal(rx_run(&r, &lp, &c), 0);
	free(trk);
}

static void test_classes(void **state)
{
	static const struct step script[] = {
		/* warm-up: counted, no latency */
		{ PHASE_WARMUP, 3, { { K_OK, 0 }, { K_OK, 1 }, { K_OK, 2 } } },
		/* 3, 4 lost for now; 6 arrives before 5 */
		{ PHASE_MEASURE, 3, { { K_OK, 6 }, { K_OK, 5 }, { K_OK, 2 } } },
		/* 4 late, corrupted, foreign, 6 again, tagged 7, stamp ahead */
		{ PHASE_MEASURE, 6, { { K_OK, 4 }, { K_CORRUPT, 8 },
				      { K_FOREIGN, 0 }, { K_OK, 6 },
				      { K_VLAN, 7 }, { K_FUTURE, 9 } } },
		/* drain: counted, no latency; 9 again */
		{ PHASE_DRAIN, 2, { { K_OK, 10 }, { K_OK, 9 } } },
		{ PHASE_IDLE, 0, { { K_OK, 0 } } },
	};
	static struct eng_stats st;
	static struct io_port p;
	const struct eng_counters *c = &st.c;

	(void)state;
	run(script, sizeof(script) / sizeof(script[0]), &st, &p);
	assert_int_equal(p.nb_released, 14);
	assert_int_equal(c->rx_pkts, 14);
	assert_int_equal(c->rx_bytes, p.bytes);
	/* unique: 0 1 2 6 5 4 7 9 10; seq 3 and 8 (corrupted) never came */
	assert_int_equal(c->rx_unique, 9);
	assert_int_equal(c->reordered, 2);		/* 5 and 4 */
	assert_int_equal(c->duplicated, 3);		/* 2, 6 and 9 again */
	assert_int_equal(c->corrupted, 1);
	assert_int_equal(c->foreign, 1);
	assert_int_equal(c->seq_max, 11);
	assert_int_equal(c->rx_pkts, c->rx_unique + c->duplicated +
					  c->corrupted + c->foreign);
	/* 11 sent (0..10): lost = tx - unique - corrupted = 1 (seq 3) */
	assert_int_equal(11 - c->rx_unique - c->corrupted, 1);
	/* latency: unique frames of MEASURE steps: 6 5 4 7 9 */
	assert_int_equal(st.lat.nb_samples, 5);
	assert_int_equal(hist_quantile(&st.lat, 0.2), 0);	/* the one ahead */
	assert_true(hist_quantile(&st.lat, 0.5) >= 990);
	assert_true(st.c.polls_busy >= 4);
}

/* Nothing but idle polls: zero counters, no latency. */
static void test_idle(void **state)
{
	static const struct step script[] = {
		{ PHASE_MEASURE, 0, { { K_OK, 0 } } },
		{ PHASE_MEASURE, 0, { { K_OK, 0 } } },
	};
	static struct eng_stats st;
	static struct io_port p;

	(void)state;
	run(script, 2, &st, &p);
	assert_int_equal(st.c.rx_pkts, 0);
	assert_int_equal(st.c.rx_unique, 0);
	assert_int_equal(st.lat.nb_samples, 0);
	assert_true(st.c.polls_idle >= 2);
	assert_int_equal(st.c.polls_busy, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_idle),
	};

	/* a loop that never sees STOP fails the test instead of hanging */
	alarm(120);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
