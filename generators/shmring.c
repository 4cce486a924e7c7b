/* shmring: create, attach and validate an IVSHMEM region; peer liveness.
 * The hot-path ring operations are inline in shmring.h. */
#include "shmring.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../harness/util.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

_Static_assert(sizeof(struct shmring_side) == SHMRING_PAD, "side block");
_Static_assert(sizeof(struct shmring_idx) == SHMRING_PAD, "index block");
_Static_assert(offsetof(struct shmring_hdr, side) == SHMRING_PAD,
	       "static header fits one 128-byte block");
_Static_assert(offsetof(struct shmring_hdr, ring) % SHMRING_PAD == 0,
	       "ring indices on their own blocks");
_Static_assert(sizeof(struct shmring_hdr) <= SHMRING_DATA_OFF,
	       "header fits before the descriptors");

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

static uint64_t pow2_ceil(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* Offsets of the layout for a geometry; the end of the last slot. */
static uint64_t layout(uint32_t nb_slots, uint32_t slot_size,
		       uint64_t desc_off[2], uint64_t buf_off[2])
{
	uint64_t desc_len = round_up((uint64_t)nb_slots * 4, 4096);
	uint64_t buf_len = round_up((uint64_t)nb_slots * slot_size, 4096);

	desc_off[0] = SHMRING_DATA_OFF;
	desc_off[1] = desc_off[0] + desc_len;
	buf_off[0] = desc_off[1] + desc_len;
	buf_off[1] = buf_off[0] + buf_len;
	return buf_off[1] + buf_len;
}

static int geometry_ok(uint32_t nb_slots, uint32_t slot_size)
{
	return is_pow2(nb_slots) && nb_slots >= 2 &&
	       nb_slots <= SHMRING_MAX_SLOTS && slot_size >= SHMRING_MIN_SLOT &&
	       slot_size % SHMRING_LINE == 0 &&
	       slot_size <= SHMRING_DESC_LEN_MASK;
}

size_t shmring_region_size(uint32_t nb_slots, uint32_t slot_size,
			   size_t min_size)
{
	uint64_t d[2], b[2], end;

	if (!geometry_ok(nb_slots, slot_size))
		return 0;
	end = pow2_ceil(layout(nb_slots, slot_size, d, b));
	if (min_size > end)
		end = pow2_ceil(min_size);
	return (size_t)end;
}

void shmring_detach(struct shmring_region *r)
{
	if (r->hdr)
		munmap(r->hdr, r->size);
	memset(r, 0, sizeof(*r));
}

static int map_fd(struct shmring_region *r, int fd, size_t size,
		  const char *path, int hugetlb, char *why, size_t len)
{
	/* MAP_POPULATE: fault every page in now, not in the hot loop. */
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, fd, 0);

	if (m == MAP_FAILED) {
		int err = errno;

		if (hugetlb && err == ENOMEM)
			return util_why(why, len, ENOMEM,
					"ivshmem: not enough free huge pages to map region %s (%zu bytes); reserve more (echo N > /proc/sys/vm/nr_hugepages) or place the region in /dev/shm",
					path, size);
		return util_why(why, len, err, "ivshmem: cannot map region %s (%zu bytes): %s",
				path, size, strerror(err));
	}
	r->hdr = m;
	r->size = size;
	return 0;
}

static int region_adopt(struct shmring_region *r, const char *name,
			char *why, size_t len);

int shmring_create(struct shmring_region *r, const char *path,
		   uint32_t nb_slots, uint32_t slot_size, char *why,
		   size_t len)
{
	struct shmring_hdr *h;
	struct statfs sfs;
	size_t size, page = 0;
	int fd, hugetlb = 0, rc;

	r->hdr = NULL;
	r->size = 0;
	if (!geometry_ok(nb_slots, slot_size))
		return util_why(why, len, EINVAL,
				"ivshmem: invalid ring geometry %u slots of %u B (slots: power of two 2..%u; slot size: multiple of 64, >= %u)",
				nb_slots, slot_size, SHMRING_MAX_SLOTS,
				SHMRING_MIN_SLOT);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EEXIST)
			return util_why(why, len, rc,
					"ivshmem: region %s already exists (left by an earlier run? remove it, or run `vioperf cleanup`)",
					path);
		return util_why(why, len, rc, "ivshmem: cannot create region %s: %s",
				path, strerror(-rc));
	}
	if (fstatfs(fd, &sfs) == 0 && (uint32_t)sfs.f_type == HUGETLBFS_MAGIC) {
		hugetlb = 1;
		page = (size_t)sfs.f_bsize;
	}
	size = shmring_region_size(nb_slots, slot_size, page);
	if (ftruncate(fd, (off_t)size) < 0) {
		rc = util_why(why, len, errno, "ivshmem: cannot size region %s to %zu bytes: %s",
			      path, size, strerror(errno));
		close(fd);
		unlink(path);
		return rc;
	}
	rc = map_fd(r, fd, size, path, hugetlb, why, len);
	close(fd);
	if (rc < 0) {
		unlink(path);
		return rc;
	}
	h = r->hdr;
	memset(h, 0, sizeof(*h));
	h->version = SHMRING_VERSION;
	h->hdr_size = sizeof(*h);
	h->total_size = size;
	h->nb_slots = nb_slots;
	h->slot_size = slot_size;
	layout(nb_slots, slot_size, h->desc_off, h->buf_off);
	/* Release: an end that sees the magic sees a complete header. */
	__atomic_store_n(&h->magic, SHMRING_MAGIC, __ATOMIC_RELEASE);
	rc = region_adopt(r, path, why, len);
	if (rc < 0) {
		shmring_detach(r);
		unlink(path);
	}
	return rc;
}

/* Check the header copy c against the size of its mapping. */
static int check(const struct shmring_hdr *c, size_t size, const char *name,
		 char *why, size_t len)
{
	uint64_t d[2], b[2], end;

	if (c->magic != SHMRING_MAGIC)
		return util_why(why, len, EPROTO,
				"ivshmem: region %s has magic 0x%016llx, expected 0x%016llx (not a vioperf region, or a different version)",
				name, (unsigned long long)c->magic,
				(unsigned long long)SHMRING_MAGIC);
	if (c->version != SHMRING_VERSION)
		return util_why(why, len, EPROTO,
				"ivshmem: region %s has layout version %u, expected %u (the ends run different vioperf versions; rebuild both)",
				name, c->version, SHMRING_VERSION);
	if (c->total_size != size)
		return util_why(why, len, EINVAL,
				"ivshmem: region %s is %zu bytes but its header says %llu (truncated or resized; recreate it with the topology setup, and give QEMU the same size)",
				name, size, (unsigned long long)c->total_size);
	if (c->hdr_size != sizeof(*c) || !is_pow2(size) ||
	    !geometry_ok(c->nb_slots, c->slot_size))
		return util_why(why, len, EINVAL,
				"ivshmem: region %s has an invalid geometry (header %u B, %u slots of %u B, %zu bytes); recreate it with the topology setup",
				name, c->hdr_size, c->nb_slots, c->slot_size, size);
	end = layout(c->nb_slots, c->slot_size, d, b);
	if (end > size || memcmp(d, c->desc_off, sizeof(d)) ||
	    memcmp(b, c->buf_off, sizeof(b)))
		return util_why(why, len, EINVAL,
				"ivshmem: region %s has offsets that do not match its geometry (%u slots of %u B); recreate it with the topology setup",
				name, c->nb_slots, c->slot_size);
	return 0;
}

/* Copy the static part of the header once, so what is checked is what is
 * used. */
static void snapshot(struct shmring_hdr *c, const struct shmring_hdr *h)
{
	/* Acquire: pairs with the release-store of the magic in create; the
	 * fields copied after it are complete. */
	c->magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE);
	memcpy((uint8_t *)c + sizeof(c->magic), (const uint8_t *)h + sizeof(h->magic),
	       offsetof(struct shmring_hdr, pad) - sizeof(h->magic));
}

int shmring_validate(const struct shmring_hdr *h, size_t size,
		     const char *name, char *why, size_t len)
{
	struct shmring_hdr c;

	if (size < sizeof(*h))
		return util_why(why, len, EINVAL,
				"ivshmem: region %s is %zu bytes, too small for a vioperf header (%zu); recreate it with the topology setup",
				name, size, sizeof(*h));
	snapshot(&c, h);
	return check(&c, size, name, why, len);
}

/* Validate r's header once and keep the geometry privately. */
static int region_adopt(struct shmring_region *r, const char *name,
			char *why, size_t len)
{
	struct shmring_hdr c;
	int rc;

	if (r->size < sizeof(c))
		return shmring_validate(r->hdr, r->size, name, why, len);
	snapshot(&c, r->hdr);
	rc = check(&c, r->size, name, why, len);
	if (rc < 0)
		return rc;
	r->nb_slots = c.nb_slots;
	r->slot_size = c.slot_size;
	memcpy(r->desc_off, c.desc_off, sizeof(r->desc_off));
	memcpy(r->buf_off, c.buf_off, sizeof(r->buf_off));
	return 0;
}

int shmring_attach(struct shmring_region *r, const char *path, char *why,
		   size_t len)
{
	struct stat st;
	struct statfs sfs;
	int fd, rc, hugetlb;

	r->hdr = NULL;
	r->size = 0;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		return util_why(why, len, rc,
				"ivshmem: cannot open region %s: %s (is the topology set up? on a guest, pass the ivshmem BAR: /sys/bus/pci/devices/<bdf>/resource2)",
				path, strerror(-rc));
	}
	if (fstat(fd, &st) < 0) {
		rc = util_why(why, len, errno, "ivshmem: cannot stat region %s: %s",
			      path, strerror(errno));
		goto fail;
	}
	if ((size_t)st.st_size < sizeof(struct shmring_hdr)) {
		rc = util_why(why, len, EINVAL,
			      "ivshmem: region %s is %lld bytes, too small for a vioperf header; recreate it with the topology setup",
			      path, (long long)st.st_size);
		goto fail;
	}
	hugetlb = fstatfs(fd, &sfs) == 0 &&
		  (uint32_t)sfs.f_type == HUGETLBFS_MAGIC;
	rc = map_fd(r, fd, (size_t)st.st_size, path, hugetlb, why, len);
	close(fd);
	if (rc < 0)
		return rc;
	rc = region_adopt(r, path, why, len);
	if (rc < 0)
		shmring_detach(r);
	return rc;
fail:
	close(fd);
	return rc;
}

uint32_t shmring_side_attach(struct shmring_hdr *h, unsigned side)
{
	struct shmring_side *s = &h->side[side & 1];
	uint32_t gen = s->gen + 1;

	s->pid = (int32_t)getpid();
	__atomic_store_n(&s->gen, gen, __ATOMIC_RELAXED);
	/* Release: a peer that sees our layout word also sees the pid and
	 * the generation written before it. */
	__atomic_store_n(&s->layout, SHMRING_VERSION, __ATOMIC_RELEASE);
	return gen;
}

void shmring_side_detach(struct shmring_hdr *h, unsigned side, uint32_t gen)
{
	struct shmring_side *s = &h->side[side & 1];

	/* Relaxed: the layout word publishes nothing else when cleared. A
	 * newer process of the same side (another gen) keeps it set. */
	if (__atomic_load_n(&s->gen, __ATOMIC_RELAXED) == gen)
		__atomic_store_n(&s->layout, 0, __ATOMIC_RELAXED);
}

enum shmring_peer_state shmring_peer_check(struct shmring_peer *w,
					   const struct shmring_hdr *h,
					   unsigned peer_side,
					   uint64_t now_ns,
					   uint64_t timeout_ns,
					   uint64_t *stalled_ns)
{
	const struct shmring_side *s = &h->side[peer_side & 1];
	/* Acquire: pairs with the release-store in shmring_side_attach. */
	uint32_t layout_v = __atomic_load_n(&s->layout, __ATOMIC_ACQUIRE);
	uint32_t gen = __atomic_load_n(&s->gen, __ATOMIC_RELAXED);
	uint64_t beat = __atomic_load_n(&s->beat, __ATOMIC_RELAXED);
	uint64_t still;

	if (!w->valid || beat != w->beat || gen != w->gen) {
		w->beat = beat;
		w->gen = gen;
		w->seen_ns = now_ns;
		w->valid = 1;
	}
	still = now_ns - w->seen_ns;
	if (stalled_ns)
		*stalled_ns = still;
	if (!layout_v)
		return SHMRING_PEER_ABSENT;
	if (layout_v != SHMRING_VERSION)
		return SHMRING_PEER_MISMATCH;
	return still > timeout_ns ? SHMRING_PEER_STOPPED : SHMRING_PEER_ALIVE;
}

const char *shmring_peer_name(enum shmring_peer_state s)
{
	switch (s) {
	case SHMRING_PEER_ABSENT: return "not attached";
	case SHMRING_PEER_ALIVE: return "alive";
	case SHMRING_PEER_STOPPED: return "stopped";
	case SHMRING_PEER_MISMATCH: return "layout mismatch";
	}
	return "?";
}

int shmring_prod_init(struct shmring_prod *p, const struct shmring_region *r,
		      unsigned ring)
{
	struct shmring_hdr *h = r->hdr;

	if (ring > 1 || !h)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->prod_idx = &h->ring[ring].prod.idx;
	p->cons_idx = &h->ring[ring].cons.idx;
	p->mask = r->nb_slots - 1;
	p->nb_slots = r->nb_slots;
	p->slot_size = r->slot_size;
	p->desc = (uint32_t *)((uint8_t *)h + r->desc_off[ring]);
	p->bufs = (uint8_t *)h + r->buf_off[ring];
	/* We are the only producer: the shared index is ours to resume. */
	p->head = __atomic_load_n(p->prod_idx, __ATOMIC_RELAXED);
	/* Acquire: see shmring_reserve. */
	p->cons_cache = __atomic_load_n(p->cons_idx, __ATOMIC_ACQUIRE);
	return 0;
}

int shmring_cons_init(struct shmring_cons *c, const struct shmring_region *r,
		      unsigned ring, int flush)
{
	struct shmring_hdr *h = r->hdr;
	uint32_t nb_old;

	if (ring > 1 || !h)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->cons_idx = &h->ring[ring].cons.idx;
	c->prod_idx = &h->ring[ring].prod.idx;
	c->mask = r->nb_slots - 1;
	c->nb_slots = r->nb_slots;
	c->slot_size = r->slot_size;
	c->desc = (const uint32_t *)((const uint8_t *)h + r->desc_off[ring]);
	c->bufs = (const uint8_t *)h + r->buf_off[ring];
	c->tail = __atomic_load_n(c->cons_idx, __ATOMIC_RELAXED);
	/* Acquire: see shmring_peek. */
	c->prod_cache = __atomic_load_n(c->prod_idx, __ATOMIC_ACQUIRE);
	nb_old = c->prod_cache - c->tail;
	if (!flush || !nb_old)
		return 0;
	if (nb_old > c->nb_slots)
		nb_old = c->nb_slots;	/* count sanely; the drop is the same */
	c->tail = c->prod_cache;
	/* Release: the slots are free for the producer from now on. */
	__atomic_store_n(c->cons_idx, c->tail, __ATOMIC_RELEASE);
	return (int)nb_old;
}
