/* shmring: the layout of an IVSHMEM shared-memory region and the
 * single-producer/single-consumer rings that move frames through it.
 *
 * The region is one file (hugetlbfs or /dev/shm on the host; BAR 2 of a
 * QEMU ivshmem-plain device, /sys/bus/pci/devices/<bdf>/resource2, in a
 * guest). Its size is a power of two (ivshmem requires it). Layout:
 *
 *   0      struct shmring_hdr
 *            static layout (magic, version, sizes, offsets), written once
 *            side[2]: per-side heartbeat, generation and layout words
 *            ring[2]: producer index and consumer index, each on its own
 *                     128-byte block
 *   4096   desc[0][nb_slots]   u32 per slot: frame length (bits 0..15)
 *          desc[1][nb_slots]
 *          buf[0][nb_slots][slot_size]   frames of ring 0
 *          buf[1][nb_slots][slot_size]   frames of ring 1
 *
 * Side a produces on ring 0 and consumes ring 1; side b the reverse.
 * Slot i of ring r always uses buf[r][i]: the producer writes the frame in
 * place, publishes the length in desc and then the producer index; the
 * consumer reads the frame in place and publishes the consumer index when
 * it gives the slots back. Indices are free-running u32 (wrap-around by
 * unsigned arithmetic; a slot is index & (nb_slots - 1)).
 *
 * Both ends keep their own index and a cached copy of the peer's index in
 * private memory (struct shmring_prod / shmring_cons), so the shared
 * index lines move between cores at most once per burst. All shared fields
 * are little-endian, fixed-width and at fixed offsets: the same layout is
 * read by an engine inside a guest. */
#ifndef VIOPERF_SHMRING_H
#define VIOPERF_SHMRING_H

#include <stddef.h>
#include <stdint.h>

#define SHMRING_MAGIC 0x474e495248535056ull	/* "VPSHRING" */
#define SHMRING_VERSION 1u
#define SHMRING_LINE 64
/* Shared words that different cores write are 128 bytes apart: x86 L2
 * spatial prefetchers pull cache lines in aligned pairs, so two words on
 * adjacent 64-byte lines would still bounce together. */
#define SHMRING_PAD 128
#define SHMRING_DATA_OFF 4096u		/* descriptors start here */
#define SHMRING_DEF_SLOTS 1024u
/* 25 cache lines: holds a 1522 B frame (VLAN, no FCS: 1518 B). An odd
 * number of lines puts the heads of consecutive slots in different L1/L2
 * sets; with a 2048 B stride every slot head would fall in the same few
 * sets and evict each other. */
#define SHMRING_SLOT_SIZE 1600u
#define SHMRING_MIN_SLOT 1536u		/* smallest slot_size accepted */
#define SHMRING_MAX_SLOTS 65536u
#define SHMRING_DESC_LEN_MASK 0xffffu
/* A peer whose heartbeat has not moved for this long is stopped. */
#define SHMRING_PEER_TIMEOUT_NS 1000000000ull

enum { SHMRING_SIDE_A = 0, SHMRING_SIDE_B = 1 };

/* Written only by its side. */
struct shmring_side {
	volatile uint64_t beat;		/* bumped by every burst and info call */
	volatile uint32_t gen;		/* bumped at every attach of the side */
	volatile uint32_t layout;	/* SHMRING_VERSION the side speaks, 0 when
					 * not attached (never, or closed) */
	volatile int32_t pid;		/* last attached process (host pid space) */
	uint8_t pad[SHMRING_PAD - 20];	/* see SHMRING_PAD */
};

/* One index, alone on its 128-byte block (see SHMRING_PAD). */
struct shmring_idx {
	volatile uint32_t idx;
	uint8_t pad[SHMRING_PAD - 4];
};

struct shmring_ctl {
	struct shmring_idx prod;	/* written by the producer only */
	struct shmring_idx cons;	/* written by the consumer only */
};

struct shmring_hdr {
	uint64_t magic;			/* SHMRING_MAGIC, written last by create */
	uint32_t version;		/* SHMRING_VERSION */
	uint32_t hdr_size;		/* sizeof(struct shmring_hdr) */
	uint64_t total_size;		/* bytes of the region (power of two) */
	uint32_t nb_slots;		/* per ring, power of two */
	uint32_t slot_size;		/* bytes per slot, multiple of 64 */
	uint64_t desc_off[2];		/* byte offset of each ring's desc[] */
	uint64_t buf_off[2];		/* byte offset of each ring's slots */
	/* The static words above are read-only after create; keep them off
	 * the lines that are written during a run. */
	uint8_t pad[SHMRING_PAD - 64];
	struct shmring_side side[2];
	struct shmring_ctl ring[2];
};

/* One mapping of a region (the file descriptor is closed once mapped),
 * with a private copy of the validated geometry: the ring ends are built
 * from this copy, never from the shared header again, so a peer that
 * rewrites the header later (a guest is not trusted) cannot move them
 * outside the mapping. */
struct shmring_region {
	struct shmring_hdr *hdr;	/* NULL when not mapped */
	size_t size;
	uint32_t nb_slots, slot_size;
	uint64_t desc_off[2], buf_off[2];
};

/* Size of the region for nb_slots per ring of slot_size bytes: the layout
 * rounded up to a power of two, at least min_size (a huge page size).
 * 0 when the geometry is invalid. */
size_t shmring_region_size(uint32_t nb_slots, uint32_t slot_size,
			   size_t min_size);

/* Create the region file at path (must not exist; mode 0600), size it,
 * write the header with empty rings, and map it into r. On hugetlbfs the
 * size is rounded up to the huge page size. On failure the file is
 * removed and -errno returned with a message in why. The caller removes
 * the file (unlink) when the region is no longer needed. */
int shmring_create(struct shmring_region *r, const char *path,
		   uint32_t nb_slots, uint32_t slot_size, char *why,
		   size_t len);

/* Map an existing region file (or an ivshmem BAR resource file) and
 * validate its header. -EPROTO for a wrong magic or version, -EINVAL for a
 * size or layout that does not match, -errno for open/mmap failures; the
 * message in why names the file and the fix. */
int shmring_attach(struct shmring_region *r, const char *path, char *why,
		   size_t len);

/* Check a header against the size of its mapping. 0, -EPROTO or -EINVAL
 * with a message naming name in why. */
int shmring_validate(const struct shmring_hdr *h, size_t size,
		     const char *name, char *why, size_t len);

/* Unmap. Accepts a zeroed region; safe to call twice. */
void shmring_detach(struct shmring_region *r);

/* Mark side as attached: its gen is bumped, layout and pid set. Returns
 * the new generation (for shmring_side_detach). */
uint32_t shmring_side_attach(struct shmring_hdr *h, unsigned side);

/* Mark side as gone (layout 0), so the peer sees the link down at once,
 * unless another process attached the side after gen was handed out. */
void shmring_side_detach(struct shmring_hdr *h, unsigned side, uint32_t gen);

/* Bump this side's heartbeat; *beat is the caller's private copy, so the
 * hot path never reads the shared word back. */
static inline void shmring_beat(struct shmring_hdr *h, unsigned side,
				uint64_t *beat)
{
	/* Relaxed: the peer only needs to see the word move eventually; no
	 * other data is published with it. */
	__atomic_store_n(&h->side[side].beat, ++*beat, __ATOMIC_RELAXED);
}

enum shmring_peer_state {
	SHMRING_PEER_ABSENT = 0,	/* not attached (layout 0) */
	SHMRING_PEER_ALIVE,		/* heartbeat moved within the timeout */
	SHMRING_PEER_STOPPED,		/* heartbeat still for > timeout */
	SHMRING_PEER_MISMATCH,		/* attached with another layout version */
};

/* What one side remembers about the peer's heartbeat between checks. */
struct shmring_peer {
	uint64_t beat;		/* last value seen */
	uint64_t seen_ns;	/* when it last changed (caller's clock) */
	uint32_t gen;		/* peer's generation last seen */
	int valid;		/* 0 before the first check */
};

/* Look at the peer side's words at time now_ns (any monotonic clock, the
 * same for every call) and update w. A peer is ALIVE when its heartbeat or
 * generation moved within timeout_ns, or on the first look (it gets one
 * timeout of grace). *stalled_ns, if non-NULL, gets how long the heartbeat
 * has not moved. */
enum shmring_peer_state shmring_peer_check(struct shmring_peer *w,
					   const struct shmring_hdr *h,
					   unsigned peer_side,
					   uint64_t now_ns,
					   uint64_t timeout_ns,
					   uint64_t *stalled_ns);

/* "alive", "stopped", ... */
const char *shmring_peer_name(enum shmring_peer_state s);

/* Producer end of one ring (private to the producing process). */
struct shmring_prod {
	volatile uint32_t *prod_idx;	/* shared; written here only */
	const volatile uint32_t *cons_idx; /* shared; the peer writes it */
	uint32_t head;			/* next index to fill */
	uint32_t cons_cache;		/* last consumer index seen */
	uint32_t mask, nb_slots, slot_size;
	uint32_t nb_lent;		/* slots lent by the last reserve */
	uint32_t *desc;
	uint8_t *bufs;
};

/* Consumer end of one ring (private to the consuming process). */
struct shmring_cons {
	volatile uint32_t *cons_idx;	/* shared; written here only */
	const volatile uint32_t *prod_idx; /* shared; the peer writes it */
	uint32_t tail;			/* next index to read */
	uint32_t prod_cache;		/* last producer index seen */
	uint32_t mask, nb_slots, slot_size;
	uint32_t nb_lent;		/* frames lent by the last peek */
	const uint32_t *desc;
	const uint8_t *bufs;
	uint64_t nb_bad;		/* lengths or indices out of range */
};

/* Bind p to ring of a region from shmring_create/attach, starting at the
 * ring's current producer index. 0 or -EINVAL (ring not 0 or 1). */
int shmring_prod_init(struct shmring_prod *p, const struct shmring_region *r,
		      unsigned ring);

/* Bind c to ring of a region from shmring_create/attach. With flush,
 * everything already in the ring (left by an earlier trial) is dropped
 * first; returns the count dropped, or -EINVAL. */
int shmring_cons_init(struct shmring_cons *c, const struct shmring_region *r,
		      unsigned ring, int flush);

static inline uint8_t *shmring_slot(uint8_t *bufs, uint32_t slot_size,
				    uint32_t idx, uint32_t mask)
{
	return bufs + (size_t)(idx & mask) * slot_size;
}

/* Lend up to n free slots (slot_size bytes each) in ring order; returns
 * how many (0 when the ring is full). A new reserve forgets slots lent
 * before and not committed. */
static inline unsigned shmring_reserve(struct shmring_prod *p, uint8_t **bufs,
				       unsigned n)
{
	uint32_t nb_free = p->nb_slots - (p->head - p->cons_cache);

	if (nb_free < n) {
		/* Acquire: the consumer's reads of the slots it released
		 * happened before its release-store of cons; we may overwrite
		 * those slots only after seeing that store. */
		p->cons_cache = __atomic_load_n(p->cons_idx, __ATOMIC_ACQUIRE);
		nb_free = p->nb_slots - (p->head - p->cons_cache);
		/* A consumer index ahead of ours (a confused peer) frees
		 * nothing: never lend a slot twice. */
		if (nb_free > p->nb_slots)
			nb_free = 0;
	}
	if (n > nb_free)
		n = nb_free;
	for (unsigned i = 0; i < n; i++) {
		bufs[i] = shmring_slot(p->bufs, p->slot_size, p->head + i,
				       p->mask);
		/* The consumer's core holds this line (it read the frame);
		 * ask for ownership now so the engine's write does not
		 * stall on it. */
		__builtin_prefetch(bufs[i], 1, 3);
	}
	p->nb_lent = n;
	return n;
}

/* Publish the first n lent slots with lengths len[i] (bytes in the
 * buffer), in order, with one store of the producer index. Returns n
 * (capped at the count lent); the other lent slots go back unsent. */
static inline unsigned shmring_commit(struct shmring_prod *p,
				      const uint16_t *len, unsigned n)
{
	if (n > p->nb_lent)
		n = p->nb_lent;
	for (unsigned i = 0; i < n; i++)
		p->desc[(p->head + i) & p->mask] = len[i];
	p->nb_lent = 0;
	if (!n)
		return 0;
	p->head += n;
	/* Release: the frames and descriptors written above become visible
	 * to the consumer no later than the new producer index. */
	__atomic_store_n(p->prod_idx, p->head, __ATOMIC_RELEASE);
	return n;
}

/* Lend up to n waiting frames in ring order: bufs[i] points into the
 * shared slot, len[i] is its length (clamped to slot_size). Valid until
 * shmring_release. Returns the count, 0 when the ring is empty. */
static inline unsigned shmring_peek(struct shmring_cons *c,
				    const uint8_t **bufs, uint16_t *len,
				    unsigned n)
{
	uint32_t nb_ready = c->prod_cache - c->tail;

	if (nb_ready < n) {
		/* Acquire: pairs with the producer's release-store; the
		 * descriptors and frames up to this index are complete. */
		c->prod_cache = __atomic_load_n(c->prod_idx, __ATOMIC_ACQUIRE);
		nb_ready = c->prod_cache - c->tail;
		if (nb_ready > c->nb_slots) {
			/* The producer claims more than the ring holds: the
			 * peer is broken; read nothing rather than garbage. */
			c->nb_bad++;
			c->prod_cache = c->tail;
			nb_ready = 0;
		}
	}
	if (n > nb_ready)
		n = nb_ready;
	for (unsigned i = 0; i < n; i++) {
		uint32_t idx = (c->tail + i) & c->mask;
		uint32_t l = c->desc[idx] & SHMRING_DESC_LEN_MASK;

		bufs[i] = c->bufs + (size_t)idx * c->slot_size;
		/* Start pulling every frame's first line from the
		 * producer's core at once instead of one miss per frame. */
		__builtin_prefetch(bufs[i], 0, 3);
		/* The peer may be a guest: never let a length point past
		 * the slot. */
		if (l > c->slot_size) {
			l = c->slot_size;
			c->nb_bad++;
		}
		len[i] = (uint16_t)l;
	}
	c->nb_lent = n;
	return n;
}

/* Give back every frame lent by the last peek (one index store). */
static inline void shmring_release(struct shmring_cons *c)
{
	if (!c->nb_lent)
		return;
	c->tail += c->nb_lent;
	c->nb_lent = 0;
	/* Release: our reads of the released frames are done before the
	 * producer can see the slots free and overwrite them. */
	__atomic_store_n(c->cons_idx, c->tail, __ATOMIC_RELEASE);
}

#endif
