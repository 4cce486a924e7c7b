/* What a run tells a human: one progress line per trial on stderr, and at
 * the end a plain-text table (medians over trials per datapath x
 * direction x frame size) that pastes well into a bug report. */
#ifndef VIOPERF_SUMMARY_H
#define VIOPERF_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "results.h"

/* "vhost-user h2g 64 t1/3: 12.345 Mpps, loss 0.000%, p99 3.1 us,
 * 110 cycles/pkt, ok" on stderr (util_info: silent with --quiet). */
void summary_progress(const struct result_row *r, int nb_trials);

/* The table of rows (in plan order) to f. Groups (datapath, direction,
 * size, rate kind and load) keep the order of their first row; each shows
 * ok trials / all trials, the median of the ok ones and, from two trials
 * on, an interval of rx_Mpps (reports/stats.h: min-max, or a 95 % CI of
 * the median from six trials); dashes when none is ok, with the first
 * failure's reason. NDR/PDR search steps are counted, not listed. */
void summary_table(FILE *f, const struct result_row *rows, size_t nb_rows);

#endif
