/* Log-bucketed latency histogram (HDR style): values are TSC cycles; each
 * power of two is split into HIST_SUB linear sub-buckets, so a value is
 * known to within 1/HIST_SUB (< 1 %) relative error. Fixed size, no
 * allocation: it lives in the shared stats block. */
#ifndef VIOPERF_HIST_H
#define VIOPERF_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)		/* 128 sub-buckets */
#define HIST_MAX_BITS 44			/* values up to 2^44 cycles */
#define HIST_NB_BUCKETS ((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	uint64_t nb_samples;
	uint64_t max;			/* largest value recorded, exact */
	uint64_t nb_over;		/* values clamped at the top bucket */
	uint64_t bucket[HIST_NB_BUCKETS];
};

/* Index of the bucket holding v. */
static inline unsigned hist_index(uint64_t v)
{
	unsigned msb, shift;

	if (v < HIST_SUB)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	if (msb >= HIST_MAX_BITS)
		return HIST_NB_BUCKETS - 1;
	shift = msb - HIST_SUB_BITS + 1;
	return (shift << HIST_SUB_BITS) + (unsigned)((v >> shift) & (HIST_SUB - 1));
}

/* Record one value (hot path). */
static inline void hist_add(struct hist *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	h->nb_samples++;
	if (v > h->max)
		h->max = v;
	if ((v >> HIST_MAX_BITS) != 0)
		h->nb_over++;
}

void hist_reset(struct hist *h);

/* Lowest and highest value a bucket holds. */
uint64_t hist_bucket_low(unsigned idx);
uint64_t hist_bucket_high(unsigned idx);

/* Value at quantile q (0 < q <= 1): the midpoint of the bucket holding the
 * ceil(q * n)-th smallest sample, never above the exact max. 0 when empty. */
uint64_t hist_quantile(const struct hist *h, double q);

/* out = a - b, bucket by bucket (a later snapshot minus an earlier one);
 * max is taken from a (the exact window max is not recoverable). */
void hist_sub(struct hist *out, const struct hist *a, const struct hist *b);

/* out += a. */
void hist_merge(struct hist *out, const struct hist *a);

#endif
