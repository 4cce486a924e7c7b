/* Capacity planning from measured cycles per packet (`vioperf plan`).
 *
 * The model, linear in cycles per packet: a datapath that spent c work
 * cycles per received packet (TSC cycles of everything that moved the
 * packets) needs N * 1e6 * c / tsc_hz cores for N Mpps, and one core moves
 * tsc_hz / c / 1e6 Mpps. For poll-mode paths (busy_ratio > 0) only the
 * busy share of the polls counts as work: c = cycles_per_pkt * busy_ratio;
 * for interrupt-driven paths (busy_ratio 0) c = cycles_per_pkt. Limits:
 * see plan_model_text. */
#ifndef VIOPERF_PLAN_H
#define VIOPERF_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../harness/results.h"

struct plan_input {
	double target_mpps;	/* > 0 */
	uint16_t frame_len;	/* 0 = imix */
	double cores_per_host;	/* 0 = not asked */
	double per_vm_mpps;	/* 0 = not asked */
	double tsc_hz;		/* used when the rows carry none (run.json) */
};

struct plan_line {
	char datapath[32];
	char direction[8];
	char rate_kind[8];	/* the group used: mrr, else ndr, pdr, fixed */
	size_t nb_trials;
	double cycles_per_pkt;	/* median measured */
	double busy_ratio;	/* median; 0 = no poll loop */
	double work_cycles;	/* per packet, after the busy share */
	double tsc_hz;
	double measured_mpps;	/* median received rate of the group */
	double mpps_per_core;
	double cores_needed;	/* for target_mpps, fractional */
	double cores_per_vm;	/* for per_vm_mpps; NaN when not asked */
	double vms_per_host;	/* whole VMs; NaN when not asked */
	char note[200];		/* a limit that applies to this line, or "" */
};

/* Work cycles per packet from the measured cycles and busy share. */
double plan_work_cycles(double cycles_per_pkt, double busy_ratio);

/* One line per datapath x direction measured at in->frame_len (ok,
 * non-emulated trials; the rate kind mrr is preferred, then ndr, pdr,
 * fixed). 0; -ENOENT with why when nothing was measured at that size;
 * -EINVAL with why when no TSC rate is known; -ENOMEM. */
int plan_compute(const struct result_set *set, const struct plan_input *in,
		 struct plan_line **lines, size_t *nb_lines, char *why,
		 size_t len);

/* The model and its limits, as printed under the table. */
extern const char plan_model_text[];

/* The table for humans (Markdown-compatible). */
void plan_print(FILE *f, const struct plan_input *in,
		const struct plan_line *lines, size_t nb_lines);

/* The chart script (plan.gp -> plan.png, plan.svg): cores needed per
 * datapath for the target. */
void plan_chart(FILE *f, const struct plan_input *in,
		const struct plan_line *lines, size_t nb_lines);

#endif
