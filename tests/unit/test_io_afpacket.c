/* afpacket backend: frames sent through one end of a veth pair (tx ring and
 * sendmmsg) all arrive intact, once, at the other end's TPACKET_V3 ring.
 * Runs in a private network namespace (unshare), so nothing outside it is
 * touched and everything goes away with the process. Skips unless root. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/io.h"
#include "../../generators/pkt.h"
#include "../../harness/util.h"

#define NB_FRAMES 5000u

static int in_netns;

static int run_ip(const char *a0, const char *a1, const char *a2,
		  const char *a3, const char *a4, const char *a5,
		  const char *a6, const char *a7)
{
	char *argv[] = { "ip", (char *)a0, (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, (char *)a5, (char *)a6, (char *)a7, NULL };

	return util_run(argv, NULL, 0);
}

static int setup_netns(void **state)
{
	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		return 0;
	if (run_ip("link", "add", "vpta", "type", "veth", "peer", "name",
		   "vptb") != 0)
		return 0;
	const char *ifs[] = { "vpta", "vptb" };
	for (int i = 0; i < 2; i++) {
		if (run_ip("link", "set", "dev", ifs[i], "addrgenmode", "none",
			   NULL, NULL) != 0 ||
		    run_ip("link", "set", "dev", ifs[i], "up", NULL, NULL,
			   NULL) != 0)
			return 0;
	}
	in_netns = 1;
	return 0;
}

static struct io_port *open_port(const char *const *args, int nb_args,
				 int is_tx, uint16_t max_frame)
{
	const struct io_ops *o = io_find("afpacket");
	struct io_cfg cfg = {
		.nb_args = nb_args, .args = (char *const *)args,
		.is_tx = is_tx, .cpu = -1, .max_frame = max_frame, .burst = 32,
	};
	struct io_port *p = NULL;
	char why[256] = "";
	int rc;

	assert_non_null(o);
	rc = o->open(&p, &cfg, why, sizeof(why));
	if (rc < 0)
		fail_msg("open: %s", why);
	return p;
}

/* Drain rx into seen[]; returns frames of ours counted. */
static unsigned drain(const struct io_ops *o, struct io_port *rx,
		      uint8_t *seen, unsigned *nb_bad, uint16_t frame_len)
{
	const uint8_t *bufs[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST];
	unsigned got = 0, n;

	while ((n = o->rx_burst(rx, bufs, len, IO_MAX_BURST)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			struct pkt_meta m;
			enum pkt_parse r = pkt_parse(bufs[i], len[i],
						     PKT_HDR_OFF, &m);

			if (r == PKT_FOREIGN)
				continue;
			if (r != PKT_OK || len[i] != frame_len - PKT_FCS_LEN ||
			    m.seq >= NB_FRAMES || seen[m.seq]) {
				(*nb_bad)++;
				continue;
			}
			seen[m.seq] = 1;
			got++;
		}
		o->rx_release(rx);
	}
	return got;
}

static void move_frames_rx(const char *tx_mode, const char *rx_mode,
			   const char *rx_extra, uint16_t frame_len)
{
	const struct io_ops *o = io_find("afpacket");
	const char *tx_args[] = { "ifname=vpta", tx_mode };
	const char *rx_args[] = { "ifname=vptb", rx_mode, rx_extra };
	struct io_port *tx, *rx;
	struct pkt_cfg pc;
	uint8_t frame[2048], *seen = calloc(NB_FRAMES, 1);
	uint16_t buf_len = frame_len - PKT_FCS_LEN, lens[IO_MAX_BURST];
	unsigned seq = 0, got = 0, bad = 0;
	uint64_t deadline;

	if (!in_netns)
		skip();
	assert_non_null(seen);
	rx = open_port(rx_args, 3, 0, 1514);
	tx = open_port(tx_args, 2, 1, 1514);
	pkt_cfg_default(&pc);
	assert_int_equal(pkt_build(frame, sizeof(frame), &pc, frame_len, 0),
			 buf_len);
	assert_int_equal(o->prefill(tx, frame, buf_len), 0);
	for (unsigned i = 0; i < IO_MAX_BURST; i++)
		lens[i] = buf_len;
	deadline = util_now_ns() + 5000000000ull;
	while ((seq < NB_FRAMES || got < NB_FRAMES) &&
	       util_now_ns() < deadline) {
		uint8_t *bufs[IO_MAX_BURST];
		unsigned want = NB_FRAMES - seq < 32 ? NB_FRAMES - seq : 32;
		unsigned n = want ? o->tx_reserve(tx, bufs, want) : 0;

		for (unsigned i = 0; i < n; i++)
			pkt_stamp(bufs[i], PKT_HDR_OFF, 0, seq + i, 0, buf_len);
		if (n)
			seq += o->tx_commit(tx, lens, n);
		got += drain(o, rx, seen, &bad, frame_len);
		/* The rx ring hands over a block when it is full or its
		 * 1 ms timer expires. */
		if (seq == NB_FRAMES)
			usleep(200);
	}
	struct io_counters c;
	o->counters(tx, &c);
	assert_int_equal(c.nb_tx, NB_FRAMES);
	o->close(tx);
	o->close(rx);
	free(seen);
	assert_int_equal(bad, 0);
	assert_int_equal(got, NB_FRAMES);
}

static void move_frames(const char *tx_mode, uint16_t frame_len)
{
	move_frames_rx(tx_mode, "rx=v3", "tov_ms=1", frame_len);
}

static void test_ring_64(void **state) { (void)state; move_frames("tx=ring", 64); }
static void test_ring_1518(void **state) { (void)state; move_frames("tx=ring", 1518); }
static void test_mmsg_64(void **state) { (void)state; move_frames("tx=mmsg", 64); }
static void test_mmsg_nobypass(void **state)
{
	(void)state;
	/* qdisc_bypass is a second arg; reuse the ring path with it off. */
	move_frames("qdisc_bypass=0", 512);
}

/* The TPACKET_V2 receive ring (no block timer), small and large frames,
 * with more frames than the ring has slots (release must recycle them). */
static void test_rx_v2(void **state)
{
	(void)state;
	if (!in_netns)
		skip();
	move_frames_rx("tx=mmsg", "rx=v2", "rx_frames=32768", 64);
	move_frames_rx("tx=ring", "rx=v2", "rx_frames=4096", 1518);
}

static void test_rx_v2_small_ring(void **state)
{
	(void)state;
	if (!in_netns)
		skip();
	/* 5000 frames through 64 slots, drained every 32: each slot is
	 * handed back and reused ~80 times */
	move_frames_rx("tx=mmsg", "rx=v2", "rx_frames=64", 64);
}

static void test_bad_args(void **state)
{
	const struct io_ops *o = io_find("afpacket");
	const char *none[] = { "tx=ring" };
	const char *unknown[] = { "ifname=vpta", "colour=blue" };
	const char *badrx[] = { "ifname=vpta", "rx=v1" };
	const char *missing[] = { "ifname=vpnosuch0" };
	struct io_cfg cfg = { .is_tx = 1, .cpu = -1, .max_frame = 1514 };
	struct io_port *p = NULL;
	char why[256];

	(void)state;
	cfg.nb_args = 1;
	cfg.args = (char *const *)none;
	assert_int_equal(o->open(&p, &cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "ifname"));
	cfg.nb_args = 2;
	cfg.args = (char *const *)unknown;
	assert_int_equal(o->open(&p, &cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "colour"));
	cfg.args = (char *const *)badrx;
	assert_int_equal(o->open(&p, &cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "rx=v1"));
	cfg.nb_args = 1;
	cfg.args = (char *const *)missing;
	assert_int_equal(o->open(&p, &cfg, why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "vpnosuch0"));
	o->close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_ring_64),
		cmocka_unit_test(test_ring_1518),
		cmocka_unit_test(test_mmsg_64),
		cmocka_unit_test(test_mmsg_nobypass),
		cmocka_unit_test(test_rx_v2),
		cmocka_unit_test(test_rx_v2_small_ring),
	};

	return cmocka_run_group_tests(tests, setup_netns, NULL);
}
