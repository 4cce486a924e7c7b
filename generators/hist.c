/* Latency histogram: bucket bounds, quantiles, window differences. */
#include <string.h>

#include "hist.h"

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Bucket idx >= HIST_SUB holds the values whose top HIST_SUB_BITS bits,
 * after a right shift by (idx >> HIST_SUB_BITS), equal the low bits of idx
 * (see hist_index): a run of 2^shift consecutive values. */
uint64_t hist_bucket_low(unsigned idx)
{
	unsigned shift = idx >> HIST_SUB_BITS;

	if (idx >= HIST_NB_BUCKETS)
		idx = HIST_NB_BUCKETS - 1, shift = idx >> HIST_SUB_BITS;
	if (shift == 0)
		return idx;
	return (uint64_t)(idx & (HIST_SUB - 1)) << shift;
}

uint64_t hist_bucket_high(unsigned idx)
{
	unsigned shift = idx >> HIST_SUB_BITS;

	if (idx >= HIST_NB_BUCKETS)
		idx = HIST_NB_BUCKETS - 1, shift = idx >> HIST_SUB_BITS;
	if (shift == 0)
		return idx;
	return (((uint64_t)(idx & (HIST_SUB - 1)) + 1) << shift) - 1;
}

uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t n = h->nb_samples, rank, seen = 0;

	if (n == 0)
		return 0;
	if (q <= 0)
		q = 1e-12;
	if (q > 1)
		q = 1;
	rank = (uint64_t)(q * (double)n);
	if ((double)rank < q * (double)n)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	for (unsigned i = 0; i < HIST_NB_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			uint64_t lo = hist_bucket_low(i), hi = hist_bucket_high(i);
			uint64_t mid = lo + (hi - lo) / 2;

			/* the top bucket also holds every clamped value */
			if (i == HIST_NB_BUCKETS - 1)
				return h->max;
			return mid < h->max ? mid : h->max;
		}
	}
	return h->max;	/* buckets and nb_samples disagree: best effort */
}

void hist_sub(struct hist *out, const struct hist *a, const struct hist *b)
{
	uint64_t max = a->max;

	out->nb_samples = a->nb_samples - b->nb_samples;
	out->nb_over = a->nb_over - b->nb_over;
	for (unsigned i = 0; i < HIST_NB_BUCKETS; i++)
		out->bucket[i] = a->bucket[i] - b->bucket[i];
	out->max = out->nb_samples ? max : 0;
}

void hist_merge(struct hist *out, const struct hist *a)
{
	out->nb_samples += a->nb_samples;
	out->nb_over += a->nb_over;
	if (a->max > out->max)
		out->max = a->max;
	for (unsigned i = 0; i < HIST_NB_BUCKETS; i++)
		out->bucket[i] += a->bucket[i];
}
