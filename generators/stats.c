/* The shared stats block: created by the harness, inherited by the engine. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stats.h"

int stats_create(struct eng_stats **st)
{
	int fd = memfd_create("vioperf-stats", 0);
	void *p;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, sizeof(struct eng_stats)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	p = mmap(NULL, sizeof(struct eng_stats), PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		int e = errno;

		close(fd);
		return -e;
	}
	memset(p, 0, sizeof(struct eng_stats));
	*st = p;
	(*st)->magic = STATS_MAGIC;
	(*st)->version = STATS_VERSION;
	return fd;
}

int stats_attach(int fd, struct eng_stats **st)
{
	void *p = mmap(NULL, sizeof(struct eng_stats), PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	if (((struct eng_stats *)p)->magic != STATS_MAGIC ||
	    ((struct eng_stats *)p)->version != STATS_VERSION) {
		munmap(p, sizeof(struct eng_stats));
		return -EPROTO;
	}
	*st = p;
	return 0;
}

void stats_detach(struct eng_stats *st)
{
	if (st)
		munmap(st, sizeof(struct eng_stats));
}

void stats_snapshot(const struct eng_stats *st, struct eng_counters *out)
{
	/* Bounded: an engine killed inside a publication leaves gen odd for
	 * good; its last counters are then taken as they are. */
	for (int tries = 0; tries < 100000; tries++) {
		uint64_t g1 = __atomic_load_n(&st->gen, __ATOMIC_ACQUIRE);

		if (g1 & 1)
			continue;
		memcpy(out, (const void *)&st->c, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&st->gen, __ATOMIC_ACQUIRE) == g1)
			return;
	}
	memcpy(out, (const void *)&st->c, sizeof(*out));
}
