/* Receiver sequence classification: in order, gaps, reorder, duplicates,
 * frames older than the window; the counts add up exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../generators/seqtrack.h"

static struct seqtrack t;

static void test_in_order(void **state)
{
	(void)state;
	seqtrack_reset(&t);
	for (uint64_t s = 0; s < 3 * SEQTRACK_WINDOW + 5; s++)
		assert_int_equal(seqtrack_add(&t, s), SEQ_NEW);
	assert_int_equal(t.nb_unique, 3 * SEQTRACK_WINDOW + 5);
	assert_int_equal(seqtrack_missing(&t), 0);
	assert_int_equal(t.nb_dup, 0);
	/* the last W are known as seen */
	assert_int_equal(seqtrack_add(&t, t.head - 1), SEQ_DUP);
	assert_int_equal(seqtrack_add(&t, t.head - SEQTRACK_WINDOW), SEQ_DUP);
	assert_int_equal(seqtrack_add(&t, t.head - SEQTRACK_WINDOW - 1), SEQ_TOO_OLD);
	assert_int_equal(t.nb_dup, 3);
}

static void test_gap_reorder_dup(void **state)
{
	(void)state;
	seqtrack_reset(&t);
	assert_int_equal(seqtrack_add(&t, 0), SEQ_NEW);
	assert_int_equal(seqtrack_add(&t, 1), SEQ_NEW);
	assert_int_equal(seqtrack_add(&t, 5), SEQ_GAP);	/* 2,3,4 missing */
	assert_int_equal(seqtrack_missing(&t), 3);
	assert_int_equal(seqtrack_add(&t, 3), SEQ_LATE);
	assert_int_equal(seqtrack_missing(&t), 2);
	assert_int_equal(seqtrack_add(&t, 3), SEQ_DUP);
	assert_int_equal(seqtrack_add(&t, 5), SEQ_DUP);
	assert_int_equal(seqtrack_add(&t, 0), SEQ_DUP);
	assert_int_equal(seqtrack_add(&t, 6), SEQ_NEW);
	assert_int_equal(t.nb_unique, 5);
	assert_int_equal(t.nb_reordered, 1);
	assert_int_equal(t.nb_dup, 3);
	assert_int_equal(t.head, 7);
	assert_int_equal(seqtrack_missing(&t), 2);	/* 2 and 4 */
}

/* A gap larger than the window clears stale bits: seqs that wrap onto old
 * bit positions are not taken for duplicates. */
static void test_big_gap(void **state)
{
	(void)state;
	seqtrack_reset(&t);
	for (uint64_t s = 0; s < 100; s++)
		seqtrack_add(&t, s);
	assert_int_equal(seqtrack_add(&t, SEQTRACK_WINDOW + 50), SEQ_GAP);
	assert_int_equal(seqtrack_add(&t, SEQTRACK_WINDOW + 10), SEQ_LATE);
	assert_int_equal(seqtrack_add(&t, 3 * SEQTRACK_WINDOW + 7), SEQ_GAP);
	assert_int_equal(seqtrack_add(&t, 2 * SEQTRACK_WINDOW + 50), SEQ_LATE);
	assert_int_equal(t.nb_unique, 104);
	assert_int_equal(t.nb_dup, 0);
	assert_int_equal(seqtrack_missing(&t), t.head - 104);
}

/* A lossy, reordering, duplicating channel: classes match the truth and
 * sent = unique + lost, received = unique + dup. */
static void test_random_channel(void **state)
{
	enum { NB = 200000 };
	uint64_t *out = malloc(2 * NB * sizeof(*out));
	uint8_t *seen = calloc(NB, 1);
	uint64_t nb_out = 0, nb_lost = 0, nb_dups = 0, nb_late = 0, maxs = 0;
	int have = 0;

	(void)state;
	assert_non_null(out);
	assert_non_null(seen);
	srand(7);
	for (uint64_t s = 0; s < NB; s++) {
		int r = rand() % 1000;

		if (r < 10) {
			nb_lost++;
			continue;
		}
		out[nb_out++] = s;
		if (r < 20)
			out[nb_out++] = s;	/* duplicate */
		if (r < 40 && nb_out >= 2) {	/* swap with an earlier frame */
			uint64_t j = nb_out - 1 - (uint64_t)(rand() % 50 + 1);

			if (j < nb_out) {
				uint64_t x = out[j];

				out[j] = out[nb_out - 1];
				out[nb_out - 1] = x;
			}
		}
	}
	seqtrack_reset(&t);
	for (uint64_t i = 0; i < nb_out; i++) {
		uint64_t s = out[i];
		enum seq_class c = seqtrack_add(&t, s);

		if (seen[s]) {
			assert_int_equal(c, SEQ_DUP);
			nb_dups++;
		} else {
			assert_true(c == SEQ_NEW || c == SEQ_GAP || c == SEQ_LATE);
			assert_int_equal(c == SEQ_LATE, have && s < maxs);
			nb_late += c == SEQ_LATE;
			seen[s] = 1;
		}
		if (!have || s > maxs)
			maxs = s;
		have = 1;
	}
	assert_int_equal(t.nb_dup, nb_dups);
	assert_int_equal(t.nb_reordered, nb_late);
	assert_int_equal(t.nb_unique + t.nb_dup, nb_out);
	assert_int_equal(t.nb_unique + nb_lost, NB);
	/* provisional loss up to the highest seq, exactly */
	uint64_t lost_below = 0;

	for (uint64_t s = 0; s < t.head; s++)
		lost_below += !seen[s];
	assert_int_equal(seqtrack_missing(&t), lost_below);
	free(out);
	free(seen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_gap_reorder_dup),
		cmocka_unit_test(test_big_gap),
		cmocka_unit_test(test_random_channel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
