/* Receiver-side classification of one generator's sequence numbers.
 *
 * Every frame whose payload header checks out carries a 48-bit seq, counted
 * from 0 by its generator. The tracker keeps `head` (highest seq seen + 1)
 * and a bitmap of the SEQTRACK_WINDOW seqs below head, and classifies:
 *   SEQ_NEW       seq == head: in order;
 *   SEQ_GAP       seq >  head: new, and the seqs skipped are provisionally
 *                 lost;
 *   SEQ_LATE      seq <  head, not seen yet: new and reordered (fills a
 *                 gap: one provisional loss fewer);
 *   SEQ_DUP       seq <  head, seen before: duplicated;
 *   SEQ_TOO_OLD   seq <  head - SEQTRACK_WINDOW: the bitmap no longer knows
 *                 it; counted as duplicated. Its slot stays counted as lost
 *                 (its bit left the window unset), so a late frame that old
 *                 shows as one lost plus one duplicated; it needs a reorder
 *                 depth of 2^20 frames.
 *
 * Invariants, exact at every moment:
 *   nb_unique = new + gap + late (each seq counted once);
 *   nb_reordered = late, a subset of nb_unique;
 *   nb_unique <= head, and head - nb_unique = provisional loss;
 *   frames classified = nb_unique + nb_dup.
 * With the engine's rx_pkts = rx_unique + duplicated + corrupted + foreign,
 * the harness's lost = tx_pkts - rx_unique - corrupted makes
 * tx_pkts = rx_unique + corrupted + lost hold exactly. */
#ifndef VIOPERF_SEQTRACK_H
#define VIOPERF_SEQTRACK_H

#include <stdint.h>

#define SEQTRACK_WINDOW_BITS 20
#define SEQTRACK_WINDOW (1ull << SEQTRACK_WINDOW_BITS)

enum seq_class { SEQ_NEW = 0, SEQ_GAP, SEQ_LATE, SEQ_DUP, SEQ_TOO_OLD };

struct seqtrack {
	uint64_t head;			/* highest seq seen + 1; 0: none */
	uint64_t nb_unique, nb_reordered, nb_dup;
	uint64_t bits[SEQTRACK_WINDOW / 64];	/* bit (seq % W) */
};

/* Start empty (the tracker is 128 KiB: embed or allocate it once). */
void seqtrack_reset(struct seqtrack *t);

/* Out-of-line part of seqtrack_add for everything but in-order frames. */
enum seq_class seqtrack_add_slow(struct seqtrack *t, uint64_t seq);

/* Classify seq and count it. */
static inline enum seq_class seqtrack_add(struct seqtrack *t, uint64_t seq)
{
	if (__builtin_expect(seq == t->head, 1)) {
		/* the bit belonged to seq - W, which leaves the window */
		t->bits[(seq >> 6) & (SEQTRACK_WINDOW / 64 - 1)] |= 1ull << (seq & 63);
		t->head = seq + 1;
		t->nb_unique++;
		return SEQ_NEW;
	}
	return seqtrack_add_slow(t, seq);
}

/* Seqs below head not (yet) seen: provisional loss. */
static inline uint64_t seqtrack_missing(const struct seqtrack *t)
{
	return t->head - t->nb_unique;
}

#endif
