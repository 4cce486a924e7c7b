/* Receiver-side sequence classification (rules in seqtrack.h). */
#include <string.h>

#include "seqtrack.h"

#define NB_WORDS (SEQTRACK_WINDOW / 64)

void seqtrack_reset(struct seqtrack *t)
{
	memset(t, 0, sizeof(*t));
}

static inline uint64_t *word(struct seqtrack *t, uint64_t seq)
{
	return &t->bits[(seq >> 6) & (NB_WORDS - 1)];
}

/* Clear the bits of seqs [from, to): they enter the window unseen. */
static void clear_range(struct seqtrack *t, uint64_t from, uint64_t to)
{
	if (to - from >= SEQTRACK_WINDOW) {
		memset(t->bits, 0, sizeof(t->bits));
		return;
	}
	while (from < to && (from & 63)) {
		*word(t, from) &= ~(1ull << (from & 63));
		from++;
	}
	while (to - from >= 64) {
		*word(t, from) = 0;
		from += 64;
	}
	while (from < to) {
		*word(t, from) &= ~(1ull << (from & 63));
		from++;
	}
}

enum seq_class seqtrack_add_slow(struct seqtrack *t, uint64_t seq)
{
	uint64_t bit = 1ull << (seq & 63), *w;

	if (seq >= t->head) {
		clear_range(t, t->head, seq);
		*word(t, seq) |= bit;
		t->head = seq + 1;
		t->nb_unique++;
		return SEQ_GAP;	/* seq == head is handled inline */
	}
	if (t->head - seq > SEQTRACK_WINDOW) {
		t->nb_dup++;
		return SEQ_TOO_OLD;
	}
	w = word(t, seq);
	if (*w & bit) {
		t->nb_dup++;
		return SEQ_DUP;
	}
	*w |= bit;
	t->nb_unique++;
	t->nb_reordered++;
	return SEQ_LATE;
}
