/* shmring: layout and validation, SPSC ring semantics (empty, full,
 * wrap-around of the u32 indices, bursts that do not divide the ring),
 * millions of frames through two threads with every frame checked, peer
 * liveness, and the "shm" backend end to end through io_find. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/io.h"
#include "../../generators/shmring.h"
#include "../../generators/tsc.h"
#include "../../harness/util.h"

static char path[128];

static void make_path(void)
{
	snprintf(path, sizeof(path), "/dev/shm/vioperf-test-%d-shmring",
		 (int)getpid());
	if (access("/dev/shm", W_OK) < 0)
		snprintf(path, sizeof(path), "/tmp/vioperf-test-%d-shmring",
			 (int)getpid());
}

static int setup_region(void **state)
{
	static struct shmring_region r;
	char why[256];

	make_path();
	unlink(path);
	if (shmring_create(&r, path, 16, SHMRING_SLOT_SIZE, why,
			   sizeof(why)) < 0) {
		print_error("%s\n", why);
		return -1;
	}
	*state = &r;
	return 0;
}

static int teardown_region(void **state)
{
	shmring_detach(*state);
	unlink(path);
	return 0;
}

static void test_layout(void **state)
{
	struct shmring_region *r = *state;
	struct shmring_hdr *h = r->hdr;

	assert_int_equal(h->magic, SHMRING_MAGIC);
	assert_int_equal(h->version, SHMRING_VERSION);
	assert_int_equal(h->nb_slots, 16);
	assert_true(r->size && !(r->size & (r->size - 1)));
	assert_int_equal(h->total_size, r->size);
	/* Indices written by different cores never share a 128-byte block. */
	assert_int_equal(offsetof(struct shmring_hdr, ring[0].cons) -
			 offsetof(struct shmring_hdr, ring[0].prod), 128);
	assert_int_equal(offsetof(struct shmring_hdr, ring[0].prod) % 128, 0);
	assert_int_equal(offsetof(struct shmring_hdr, side[1]) -
			 offsetof(struct shmring_hdr, side[0]), 128);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(h->buf_off[i] % 64, 0);
		assert_true(h->buf_off[i] + (uint64_t)h->nb_slots *
			    h->slot_size <= h->total_size);
	}
	assert_true(h->desc_off[1] >= h->desc_off[0] + 16 * 4);
	assert_true(h->buf_off[0] >= h->desc_off[1] + 16 * 4);
	assert_true(h->buf_off[1] >= h->buf_off[0] + 16 * SHMRING_SLOT_SIZE);
	/* The default geometry maps as a power of two of 4 MB. */
	assert_int_equal(shmring_region_size(SHMRING_DEF_SLOTS,
					     SHMRING_SLOT_SIZE, 0), 4u << 20);
	assert_int_equal(shmring_region_size(SHMRING_DEF_SLOTS,
					     SHMRING_SLOT_SIZE, 8u << 20),
			 8u << 20);
	assert_int_equal(shmring_region_size(1000, SHMRING_SLOT_SIZE, 0), 0);
	assert_int_equal(shmring_region_size(16, 1500, 0), 0);
}

static void test_create_refuses_existing(void **state)
{
	struct shmring_region r2;
	char why[256];

	(void)state;
	assert_int_equal(shmring_create(&r2, path, 16, SHMRING_SLOT_SIZE, why,
					sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, "already exists"));
	assert_int_equal(access(path, F_OK), 0);	/* not removed */
	assert_int_equal(shmring_create(&r2, path, 12, SHMRING_SLOT_SIZE, why,
					sizeof(why)), -EINVAL);
}

static void test_attach_ok(void **state)
{
	struct shmring_region *r = *state, a;
	char why[256];

	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), 0);
	assert_int_equal(a.size, r->size);
	assert_int_equal(a.hdr->nb_slots, 16);
	shmring_detach(&a);
	shmring_detach(&a);	/* twice is fine */
	assert_null(a.hdr);
	assert_int_equal(shmring_attach(&a, "/nonexistent/region", why,
					sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "/nonexistent/region"));
}

static void test_corrupt_header(void **state)
{
	struct shmring_region *r = *state, a;
	struct shmring_hdr *h = r->hdr;
	char why[256];
	uint64_t magic = h->magic;
	uint32_t v;
	uint64_t sz;

	h->magic = 0x1122334455667788ull;
	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "has magic 0x1122334455667788, expected"));
	assert_non_null(strstr(why, "not a vioperf region"));
	assert_non_null(strstr(why, path));
	assert_null(a.hdr);
	h->magic = magic;

	v = h->version;
	h->version = SHMRING_VERSION + 1;
	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "layout version"));
	h->version = v;

	sz = h->total_size;
	h->total_size = sz * 2;
	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "but its header says"));
	h->total_size = sz;

	v = h->nb_slots;
	h->nb_slots = 24;
	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), -EINVAL);
	h->nb_slots = v;

	h->buf_off[1] += 64;
	assert_int_equal(shmring_validate(h, r->size, path, why, sizeof(why)),
			 -EINVAL);
	h->buf_off[1] -= 64;
	assert_int_equal(shmring_validate(h, r->size, path, why, sizeof(why)),
			 0);
	/* A mapping smaller than the header is refused before reading it. */
	assert_int_equal(shmring_validate(h, 64, path, why, sizeof(why)),
			 -EINVAL);
}

static void test_truncated_file(void **state)
{
	struct shmring_region a;
	char why[256];

	(void)state;
	/* The file itself shorter than the header says (resized). */
	assert_int_equal(truncate(path, 8192), 0);
	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "is 8192 bytes but its header says"));
}

/* Fill a frame for seq: first 8 bytes seq, last byte and a middle byte
 * derived from it; length varies with seq. */
static uint16_t fixed_len;	/* SHMRING_TEST_LEN: every frame this long */

static uint16_t frame_len_of(uint64_t seq)
{
	if (fixed_len)
		return fixed_len;
	return (uint16_t)(60 + (seq * 37) % (1514 - 60 + 1));
}

static void frame_write(uint8_t *b, uint64_t seq, uint16_t len)
{
	memcpy(b, &seq, 8);
	b[len / 2] = (uint8_t)(seq * 13);
	b[len - 1] = (uint8_t)(seq ^ 0x5a);
}

static int frame_ok(const uint8_t *b, uint64_t seq, uint16_t len)
{
	uint64_t s;

	memcpy(&s, b, 8);
	return s == seq && len == frame_len_of(seq) &&
	       b[len / 2] == (uint8_t)(seq * 13) &&
	       b[len - 1] == (uint8_t)(seq ^ 0x5a);
}

static void ring_ends(const struct shmring_region *r, struct shmring_prod *p,
		      struct shmring_cons *c, unsigned ring)
{
	assert_int_equal(shmring_prod_init(p, r, ring), 0);
	assert_true(shmring_cons_init(c, r, ring, 1) >= 0);
}

/* Push and pull one burst pattern, checking every frame. */
static void run_bursts(struct shmring_prod *p, struct shmring_cons *c,
		       unsigned tx_burst, unsigned rx_burst, uint64_t nb_frames)
{
	uint64_t seq_tx = 0, seq_rx = 0;
	uint8_t *tb[IO_MAX_BURST];
	const uint8_t *rb[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST], rl[IO_MAX_BURST];

	while (seq_rx < nb_frames) {
		unsigned n = shmring_reserve(p, tb, tx_burst), k;

		for (k = 0; k < n && seq_tx < nb_frames; k++) {
			len[k] = frame_len_of(seq_tx);
			frame_write(tb[k], seq_tx++, len[k]);
		}
		assert_int_equal(shmring_commit(p, len, k), k);
		n = shmring_peek(c, rb, rl, rx_burst);
		for (unsigned i = 0; i < n; i++, seq_rx++)
			assert_true(frame_ok(rb[i], seq_rx, rl[i]));
		shmring_release(c);
	}
}

static void test_empty_and_full(void **state)
{
	struct shmring_region *r = *state;
	struct shmring_prod p;
	struct shmring_cons c;
	uint8_t *tb[IO_MAX_BURST];
	const uint8_t *rb[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST], rl[IO_MAX_BURST];

	ring_ends(r, &p, &c, 0);
	assert_int_equal(shmring_peek(&c, rb, rl, 8), 0);
	shmring_release(&c);	/* nothing lent: no-op */
	/* Fill all 16 slots in bursts of 5, 5, 5, 1; a 17th does not fit. */
	for (unsigned done = 0, k = 0; done < 16; k++) {
		unsigned n = shmring_reserve(&p, tb, 5);

		assert_int_equal(n, done + 5 <= 16 ? 5 : 16 - done);
		for (unsigned i = 0; i < n; i++) {
			len[i] = frame_len_of(done + i);
			frame_write(tb[i], done + i, len[i]);
		}
		assert_int_equal(shmring_commit(&p, len, n), n);
		done += n;
	}
	assert_int_equal(shmring_reserve(&p, tb, 1), 0);
	/* Committing more than was lent sends only what was lent. */
	assert_int_equal(shmring_commit(&p, len, 4), 0);
	/* The consumer sees 16; after releasing 3 the producer gets 3. */
	assert_int_equal(shmring_peek(&c, rb, rl, 3), 3);
	for (unsigned i = 0; i < 3; i++)
		assert_true(frame_ok(rb[i], i, rl[i]));
	assert_int_equal(shmring_reserve(&p, tb, 8), 0);	/* not released */
	shmring_release(&c);
	assert_int_equal(shmring_reserve(&p, tb, 8), 3);
	/* A partial commit publishes the prefix only. */
	for (unsigned i = 0; i < 3; i++) {
		len[i] = frame_len_of(16 + i);
		frame_write(tb[i], 16 + i, len[i]);
	}
	assert_int_equal(shmring_commit(&p, len, 2), 2);
	assert_int_equal(shmring_peek(&c, rb, rl, IO_MAX_BURST), 15);
	for (unsigned i = 0; i < 15; i++)
		assert_true(frame_ok(rb[i], 3 + i, rl[i]));
	shmring_release(&c);
	assert_int_equal(shmring_peek(&c, rb, rl, IO_MAX_BURST), 0);
	/* The slot lent but not committed is lent again. */
	assert_int_equal(shmring_reserve(&p, tb, 1), 1);
	assert_ptr_equal(tb[0], shmring_slot(p.bufs, p.slot_size, 18, p.mask));
	shmring_commit(&p, len, 0);
}

static void test_wraparound(void **state)
{
	struct shmring_region *r = *state;
	struct shmring_prod p;
	struct shmring_cons c;
	const uint32_t start = 0xfffffff3u;

	/* Both indices just below the u32 wrap, as after 4 G frames. */
	r->hdr->ring[1].prod.idx = start;
	r->hdr->ring[1].cons.idx = start;
	ring_ends(r, &p, &c, 1);
	assert_int_equal(p.head, start);
	run_bursts(&p, &c, 7, 5, 200);
	assert_true(p.head < start);	/* wrapped */
	assert_int_equal(p.head, (uint32_t)(start + 200));
	assert_int_equal(r->hdr->ring[1].cons.idx, (uint32_t)(start + 200));
}

static void test_batch_boundaries(void **state)
{
	struct shmring_region *r = *state;
	static const unsigned bursts[][2] = {
		{ 1, 1 }, { 3, 16 }, { 7, 5 }, { 16, 3 }, { 13, 13 },
		{ 64, 64 }, { 9, 64 }, { 64, 11 },
	};

	for (unsigned k = 0; k < ARRAY_SIZE(bursts); k++) {
		struct shmring_prod p;
		struct shmring_cons c;

		ring_ends(r, &p, &c, 0);
		run_bursts(&p, &c, bursts[k][0], bursts[k][1], 1000 + k);
	}
}

/* The ends are built from the geometry checked at attach: a peer that
 * rewrites the shared header afterwards cannot move them. */
static void test_header_rewritten_after_attach(void **state)
{
	struct shmring_region a;
	struct shmring_prod p;
	struct shmring_cons c;
	char why[256];
	uint64_t off;

	(void)state;
	assert_int_equal(shmring_attach(&a, path, why, sizeof(why)), 0);
	off = a.hdr->buf_off[1];
	a.hdr->nb_slots = 1u << 15;
	a.hdr->buf_off[1] = 1ull << 40;
	assert_int_equal(shmring_prod_init(&p, &a, 1), 0);
	assert_int_equal(shmring_cons_init(&c, &a, 1, 0), 0);
	assert_int_equal(p.nb_slots, 16);
	assert_int_equal(c.mask, 15);
	assert_ptr_equal(p.bufs, (uint8_t *)a.hdr + off);
	assert_ptr_equal(c.bufs, (uint8_t *)a.hdr + off);
	a.hdr->nb_slots = 16;
	a.hdr->buf_off[1] = off;
	shmring_detach(&a);
}

static void test_flush_and_bad_peer(void **state)
{
	struct shmring_region *r = *state;
	struct shmring_prod p;
	struct shmring_cons c;
	uint8_t *tb[IO_MAX_BURST];
	const uint8_t *rb[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST] = { 0 }, rl[IO_MAX_BURST];

	ring_ends(r, &p, &c, 0);
	assert_int_equal(shmring_reserve(&p, tb, 6), 6);
	for (int i = 0; i < 6; i++)
		len[i] = 60;
	shmring_commit(&p, len, 6);
	/* A new receiver drops what an earlier trial left. */
	assert_int_equal(shmring_cons_init(&c, r, 0, 1), 6);
	assert_int_equal(shmring_peek(&c, rb, rl, 8), 0);
	/* A length past the slot is clamped and counted. */
	assert_int_equal(shmring_reserve(&p, tb, 1), 1);
	len[0] = 60;
	shmring_commit(&p, len, 1);
	p.desc[(p.head - 1) & p.mask] = 0xffff;
	assert_int_equal(shmring_peek(&c, rb, rl, 8), 1);
	assert_int_equal(rl[0], SHMRING_SLOT_SIZE);
	assert_int_equal(c.nb_bad, 1);
	shmring_release(&c);
	/* A producer index that claims more than the ring holds reads as
	 * empty and is counted; the producer, seeing a consumer ahead of
	 * it, lends nothing. */
	r->hdr->ring[0].prod.idx = c.tail + 1000;
	assert_int_equal(shmring_peek(&c, rb, rl, 8), 0);
	assert_int_equal(c.nb_bad, 2);
	r->hdr->ring[0].prod.idx = p.head;
	r->hdr->ring[0].cons.idx = p.head + 100;
	p.cons_cache = p.head - 16;	/* force a reload */
	assert_int_equal(shmring_reserve(&p, tb, 4), 0);
	r->hdr->ring[0].cons.idx = p.head;
}

/* Two threads, many frames: every frame's sequence, length and contents
 * checked on the consumer side. Prints the rate (a benchmark, not a
 * test). */
struct flow {
	const struct shmring_region *r;
	uint64_t nb_frames;
	unsigned burst;
	int cpu;
	uint64_t nb_bad;
	uint64_t nb_full, nb_empty;
};

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= (int)sysconf(_SC_NPROCESSORS_ONLN))
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* On a shared 2-core machine another busy process may hold the peer's
 * core: after a long run of empty polls (the peer is not running), give
 * our core away briefly instead of spinning out the time slice. */
static void idle_poll(unsigned *nb_idle)
{
	if (++*nb_idle >= 65536) {
		usleep(50);
		*nb_idle = 0;
	}
}

static void *producer(void *arg)
{
	struct flow *f = arg;
	struct shmring_prod p;
	uint8_t *tb[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST];
	uint64_t seq = 0;
	unsigned nb_idle = 0;

	pin(f->cpu);
	shmring_prod_init(&p, f->r, 0);
	while (seq < f->nb_frames) {
		unsigned n = shmring_reserve(&p, tb, f->burst);

		if (n > f->nb_frames - seq)
			n = (unsigned)(f->nb_frames - seq);
		if (!n) {
			f->nb_full++;
			idle_poll(&nb_idle);
			continue;
		}
		nb_idle = 0;
		for (unsigned i = 0; i < n; i++, seq++) {
			len[i] = frame_len_of(seq);
			frame_write(tb[i], seq, len[i]);
		}
		shmring_commit(&p, len, n);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct flow *f = arg;
	struct shmring_cons c;
	const uint8_t *rb[IO_MAX_BURST];
	uint16_t rl[IO_MAX_BURST];
	uint64_t seq = 0;
	unsigned nb_idle = 0;

	pin(f->cpu ^ 1);
	shmring_cons_init(&c, f->r, 0, 0);
	while (seq < f->nb_frames) {
		unsigned n = shmring_peek(&c, rb, rl, f->burst);

		if (!n) {
			f->nb_empty++;
			idle_poll(&nb_idle);
			continue;
		}
		nb_idle = 0;
		for (unsigned i = 0; i < n; i++, seq++)
			f->nb_bad += !frame_ok(rb[i], seq, rl[i]);
		shmring_release(&c);
	}
	f->nb_bad += c.nb_bad;
	return NULL;
}

static void run_threads(const struct shmring_region *r, uint64_t nb_frames,
			unsigned burst)
{
	struct shmring_hdr *h = r->hdr;
	struct flow f = { .r = r, .nb_frames = nb_frames, .burst = burst,
			  .cpu = 0 };
	pthread_t a, b;
	uint64_t t0 = util_now_ns(), c0 = tsc_read(), ns, cyc;

	assert_int_equal(pthread_create(&b, NULL, consumer, &f), 0);
	assert_int_equal(pthread_create(&a, NULL, producer, &f), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ns = util_now_ns() - t0;
	cyc = tsc_read() - c0;
	assert_int_equal(f.nb_bad, 0);
	assert_int_equal(h->ring[0].cons.idx, h->ring[0].prod.idx);
	print_message("  shmring: %llu frames, burst %u, %u slots: %.1f Mpps, %.1f TSC cycles/frame (full %llu, empty %llu polls)\n",
		      (unsigned long long)nb_frames, burst, h->nb_slots,
		      (double)nb_frames * 1e3 / (double)ns,
		      (double)cyc / (double)nb_frames,
		      (unsigned long long)f.nb_full,
		      (unsigned long long)f.nb_empty);
}

static void test_two_threads(void **state)
{
	struct shmring_region r;
	char why[256], p2[160];
	const char *env = getenv("SHMRING_TEST_FRAMES");
#if defined(__SANITIZE_ADDRESS__)
	uint64_t nb = 4000000;	/* sanitizers make each frame ~20x dearer */
#else
	uint64_t nb = 20000000;
#endif
	const char *len_env = getenv("SHMRING_TEST_LEN");

	(void)state;
	if (env)
		nb = strtoull(env, NULL, 10);
	/* A benchmark knob: 60 makes every frame one cache line, as the
	 * engine's 64 B frames are (the default mixes lengths and touches
	 * three lines of each frame). */
	if (len_env)
		fixed_len = (uint16_t)strtoul(len_env, NULL, 10);
	if (fixed_len && (fixed_len < 16 || fixed_len > 1514))
		fixed_len = 0;
	snprintf(p2, sizeof(p2), "%s-2", path);
	unlink(p2);
	assert_int_equal(shmring_create(&r, p2, SHMRING_DEF_SLOTS,
					SHMRING_SLOT_SIZE, why, sizeof(why)),
			 0);
	unlink(p2);	/* the mapping stays; nothing left behind */
	run_threads(&r, nb, 32);
	run_threads(&r, nb / 4, 7);
	fixed_len = 0;
	shmring_detach(&r);
}

static void test_peer_liveness(void **state)
{
	struct shmring_region *r = *state;
	struct shmring_hdr *h = r->hdr;
	struct shmring_peer w = { 0 };
	uint64_t beat = 0, still;
	const uint64_t s = 1000000000ull;

	memset(&h->side, 0, sizeof(h->side));
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 5 * s, s,
					    NULL), SHMRING_PEER_ABSENT);
	shmring_side_attach(h, SHMRING_SIDE_B);
	assert_int_equal(h->side[1].gen, 1);
	assert_int_equal(h->side[1].pid, getpid());
	/* Generation moved: alive. */
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 6 * s, s,
					    NULL), SHMRING_PEER_ALIVE);
	/* Beats keep it alive across many timeouts. */
	for (uint64_t t = 6 * s; t < 20 * s; t += s / 2) {
		shmring_beat(h, SHMRING_SIDE_B, &beat);
		assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, t,
						    s, NULL),
				 SHMRING_PEER_ALIVE);
	}
	/* The heartbeat stalls: alive up to the timeout, then stopped. */
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B,
					    20 * s - s / 2 + s, s, &still),
			 SHMRING_PEER_ALIVE);
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B,
					    20 * s - s / 2 + s + 1, s, &still),
			 SHMRING_PEER_STOPPED);
	assert_int_equal(still, s + 1);
	/* It comes back (a restarted peer bumps its generation). */
	shmring_side_attach(h, SHMRING_SIDE_B);
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 30 * s, s,
					    NULL), SHMRING_PEER_ALIVE);
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 32 * s, s,
					    NULL), SHMRING_PEER_STOPPED);
	/* Detach by a stale generation (a newer process attached the side
	 * since) changes nothing; by the current one, the peer is gone. */
	shmring_side_detach(h, SHMRING_SIDE_B, h->side[1].gen - 1);
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 32 * s, s,
					    NULL), SHMRING_PEER_STOPPED);
	shmring_side_detach(h, SHMRING_SIDE_B, h->side[1].gen);
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 32 * s, s,
					    NULL), SHMRING_PEER_ABSENT);
	assert_int_equal(shmring_side_attach(h, SHMRING_SIDE_B), 3);
	/* A peer speaking another layout version is never up. */
	h->side[1].layout = SHMRING_VERSION + 1;
	shmring_beat(h, SHMRING_SIDE_B, &beat);
	assert_int_equal(shmring_peer_check(&w, h, SHMRING_SIDE_B, 33 * s, s,
					    NULL), SHMRING_PEER_MISMATCH);
	/* Side a's words are separate. */
	assert_int_equal(h->side[0].beat, 0);
	memset(&h->side, 0, sizeof(h->side));
}

/* The backend, both sides in one process: link state, frames through,
 * argument errors. */
static struct io_port *open_end(const struct io_ops *o, const char *a0,
				const char *a1, int is_tx, int expect)
{
	char *args[2] = { (char *)a0, (char *)a1 };
	struct io_cfg cfg = { .nb_args = a1 ? 2 : 1, .args = args,
			      .is_tx = is_tx, .cpu = -1, .max_frame = 1518,
			      .burst = 32 };
	struct io_port *p = NULL;
	char why[256] = "";
	int rc = o->open(&p, &cfg, why, sizeof(why));

	if (rc != expect)
		print_error("open %s %s: %d %s\n", a0, a1 ? a1 : "", rc, why);
	assert_int_equal(rc, expect);
	if (rc < 0)
		assert_true(why[0]);
	return p;
}

static void test_backend(void **state)
{
	struct shmring_region *r = *state;
	const struct io_ops *o = io_find("shm");
	struct io_port *tx, *rx;
	struct io_info ti, ri;
	struct io_counters c;
	char a0[200];
	uint8_t *tb[IO_MAX_BURST];
	const uint8_t *rb[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST], rl[IO_MAX_BURST];
	uint8_t tmpl[60];
	uint64_t sent = 0, got = 0;

	(void)r;
	assert_non_null(o);
	snprintf(a0, sizeof(a0), "path=%s", path);
	open_end(o, a0, NULL, 1, -EINVAL);		/* no side */
	open_end(o, a0, "side=c", 1, -EINVAL);
	open_end(o, "path=/nonexistent/x", "side=a", 1, -ENOENT);
	snprintf(a0, sizeof(a0), "path=%s,side=b", path);
	rx = open_end(o, a0, NULL, 0, 0);		/* comma form */
	snprintf(a0, sizeof(a0), "path=%s", path);
	tx = open_end(o, a0, "side=a", 1, 0);
	o->info(tx, &ti);
	o->info(rx, &ri);
	assert_true(ti.link_up);
	assert_true(ri.link_up);
	assert_true(ti.persistent_tx);
	assert_non_null(strstr(ti.desc, "side a tx ring 0"));
	assert_non_null(strstr(ri.desc, "side b rx ring 0"));
	memset(tmpl, 0xab, sizeof(tmpl));
	assert_int_equal(o->prefill(tx, tmpl, sizeof(tmpl)), 0);
	assert_int_equal(o->tx_reserve(tx, tb, 32), 16);
	for (unsigned i = 0; i < 16; i++)
		assert_true(tb[i][0] == 0xab && tb[i][59] == 0xab);
	assert_int_equal(o->tx_commit(tx, len, 0), 0);
	for (int k = 0; k < 100; k++) {
		unsigned n = o->tx_reserve(tx, tb, 32);

		for (unsigned i = 0; i < n; i++) {
			len[i] = frame_len_of(sent + i);
			frame_write(tb[i], sent + i, len[i]);
		}
		sent += o->tx_commit(tx, len, n);
		n = o->rx_burst(rx, rb, rl, 25);
		for (unsigned i = 0; i < n; i++, got++)
			assert_true(frame_ok(rb[i], got, rl[i]));
		o->rx_release(rx);
	}
	while (got < sent) {
		unsigned n = o->rx_burst(rx, rb, rl, 64);

		assert_true(n > 0);
		for (unsigned i = 0; i < n; i++, got++)
			assert_true(frame_ok(rb[i], got, rl[i]));
		o->rx_release(rx);
	}
	assert_int_equal(sent, 100 * 16);	/* 16 slots, emptied each round */
	o->counters(tx, &c);
	assert_int_equal(c.nb_tx, sent);
	o->counters(rx, &c);
	assert_int_equal(c.nb_rx, got);
	assert_int_equal(c.nb_rx_err, 0);
	/* The tx end closes; the rx end sees it stop only after the timeout
	 * (not tested here with a real second: the ring state is). */
	o->close(tx);
	o->close(rx);
	o->close(NULL);
}

/* A backend whose peer really stops: link goes down after ~1 s. */
static void test_backend_peer_stops(void **state)
{
	const struct io_ops *o = io_find("shm");
	struct io_port *a, *b;
	struct io_info ia;
	char pa[200];
	uint64_t t0;

	(void)state;
	snprintf(pa, sizeof(pa), "path=%s", path);
	a = open_end(o, pa, "side=a", 1, 0);
	b = open_end(o, pa, "side=b", 0, 0);
	o->info(a, &ia);
	assert_true(ia.link_up);
	/* b hangs (as a killed or stuck process): no call, no heartbeat. */
	t0 = util_now_ns();
	do {
		usleep(50000);
		o->info(a, &ia);
	} while (ia.link_up && util_now_ns() - t0 < 3000000000ull);
	assert_false(ia.link_up);
	assert_true(util_now_ns() - t0 >= SHMRING_PEER_TIMEOUT_NS);
	assert_non_null(strstr(ia.desc, "peer side b stopped"));
	/* b comes back to life: up again. */
	o->info(b, &ia);
	o->info(a, &ia);
	assert_true(ia.link_up);
	/* b closes cleanly: down at once, no timeout. */
	o->close(b);
	o->info(a, &ia);
	assert_false(ia.link_up);
	assert_non_null(strstr(ia.desc, "peer side b not attached"));
	o->close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_create_refuses_existing),
		cmocka_unit_test(test_attach_ok),
		cmocka_unit_test(test_corrupt_header),
		cmocka_unit_test(test_empty_and_full),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_batch_boundaries),
		cmocka_unit_test(test_flush_and_bad_peer),
		cmocka_unit_test(test_header_rewritten_after_attach),
		cmocka_unit_test(test_peer_liveness),
		cmocka_unit_test(test_backend),
		cmocka_unit_test(test_backend_peer_stops),
		cmocka_unit_test(test_two_threads),
		cmocka_unit_test(test_truncated_file),
	};

	return cmocka_run_group_tests(tests, setup_region, teardown_region);
}
