/* Capacity planning from measured cycles per packet (plan.h). */
#include "plan.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "gnuplot.h"
#include "stats.h"

const char plan_model_text[] =
	"Model: linear in cycles per packet. cores = target pps x work cycles "
	"per packet / TSC Hz; Mpps per core = TSC Hz / work cycles / 1e6. Work "
	"cycles = measured cycles_per_pkt x busy share for poll-mode datapaths "
	"(busy_ratio > 0: empty polls are not work), = cycles_per_pkt for "
	"interrupt-driven ones.\n"
	"Limits: the cost per packet is assumed constant as load and core "
	"count grow (no shared bottleneck: memory bandwidth, caches, PCIe, "
	"locks, the NIC or its eswitch); the planned cores are as fast as the "
	"measured ones and the traffic is of the measured frame size; crediting "
	"the busy share assumes an empty poll costs what a busy one does; a "
	"poll-mode core is whole in practice (round up). For sriov-vf and "
	"tc-offload the switching is in hardware: the cycles are the endpoints' "
	"only and the NIC's packet rate, not the cores, sets the ceiling. A VM "
	"asking for more than one measured path carried needs more queues than "
	"were measured.\n";

double plan_work_cycles(double cycles_per_pkt, double busy_ratio)
{
	if (isfinite(busy_ratio) && busy_ratio > 0 && busy_ratio <= 1)
		return cycles_per_pkt * busy_ratio;
	return cycles_per_pkt;
}

static int plan_kind_rank(const char *kind)
{
	static const char *const order[] = { "mrr", "ndr", "pdr", "fixed" };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (!strcmp(kind, order[i]))
			return (int)i;
	return -1;
}

static double plan_median_of(const struct stats_group *g, const char *col)
{
	struct stats_summary s;

	if (stats_group_metric(g, stats_col(col), &s) < 0)
		return NAN;
	return s.median;
}

static void plan_fill(struct plan_line *l, const struct stats_group *g,
		      const struct plan_input *in)
{
	double tsc = plan_median_of(g, "tsc_hz");

	memset(l, 0, sizeof(*l));
	util_strlcpy(l->datapath, g->key.datapath, sizeof(l->datapath));
	util_strlcpy(l->direction, g->key.direction, sizeof(l->direction));
	util_strlcpy(l->rate_kind, g->key.rate_kind, sizeof(l->rate_kind));
	l->nb_trials = g->nb_ok;
	l->cycles_per_pkt = plan_median_of(g, "cycles_per_pkt");
	l->busy_ratio = plan_median_of(g, "busy_ratio");
	l->work_cycles = plan_work_cycles(l->cycles_per_pkt, l->busy_ratio);
	l->tsc_hz = isfinite(tsc) && tsc > 0 ? tsc : in->tsc_hz;
	l->measured_mpps = plan_median_of(g, "rx_pps") / 1e6;
	l->mpps_per_core = l->tsc_hz / l->work_cycles / 1e6;
	l->cores_needed = in->target_mpps * 1e6 * l->work_cycles / l->tsc_hz;
	l->cores_per_vm = l->vms_per_host = NAN;
	if (in->per_vm_mpps > 0) {
		l->cores_per_vm = in->per_vm_mpps * 1e6 * l->work_cycles /
				  l->tsc_hz;
		if (in->cores_per_host > 0)
			l->vms_per_host = floor(in->cores_per_host /
						l->cores_per_vm);
		if (in->per_vm_mpps > l->measured_mpps)
			snprintf(l->note, sizeof(l->note),
				 "%g Mpps per VM is more than one path carried "
				 "here (%.3g Mpps): needs more queues than "
				 "measured", in->per_vm_mpps, l->measured_mpps);
	}
	if (!l->note[0] && (!strcmp(l->datapath, "sriov-vf") ||
			    !strcmp(l->datapath, "tc-offload")))
		snprintf(l->note, sizeof(l->note),
			 "hardware switching: the NIC's rate is the ceiling");
}

int plan_compute(const struct result_set *set, const struct plan_input *in,
		 struct plan_line **lines, size_t *nb_lines, char *why,
		 size_t len)
{
	struct stats_groups gs = { 0 };
	const struct stats_group **best;
	size_t nb = 0;
	int ret;
	char fr[16];

	*lines = NULL;
	*nb_lines = 0;
	if ((ret = stats_group_rows(set, 0, &gs)) < 0)
		return util_why(why, len, ret, "out of memory");
	best = calloc(gs.nb ? gs.nb : 1, sizeof(*best));
	if (!best) {
		stats_groups_free(&gs);
		return util_why(why, len, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < gs.nb; i++) {
		const struct stats_group *g = &gs.g[i];
		int rank = plan_kind_rank(g->key.rate_kind);
		size_t j;

		if (g->key.emulated || !g->nb_ok || g->key.load_pct > 0 ||
		    g->key.frame_len != in->frame_len || rank < 0 ||
		    !isfinite(plan_median_of(g, "cycles_per_pkt")) ||
		    !(plan_median_of(g, "cycles_per_pkt") > 0))
			continue;
		for (j = 0; j < nb; j++)
			if (!strcmp(best[j]->key.datapath, g->key.datapath) &&
			    !strcmp(best[j]->key.direction, g->key.direction))
				break;
		if (j == nb)
			best[nb++] = g;
		else if (rank < plan_kind_rank(best[j]->key.rate_kind))
			best[j] = g;
	}
	if (!nb) {
		ret = util_why(why, len, ENOENT, "%s: no ok, non-emulated trial "
			       "with cycles_per_pkt at frame size %s; choose "
			       "another --frame-len", set->source,
			       results_frame_name(in->frame_len, fr, sizeof(fr)));
		goto out;
	}
	*lines = calloc(nb, sizeof(**lines));
	if (!*lines) {
		ret = util_why(why, len, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < nb; j++) {
		plan_fill(&(*lines)[j], best[j], in);
		if (!(isfinite((*lines)[j].tsc_hz) && (*lines)[j].tsc_hz > 0)) {
			free(*lines);
			*lines = NULL;
			ret = util_why(why, len, EINVAL, "%s: column tsc_hz: no "
				       "TSC rate in the rows nor in run.json; "
				       "cycles cannot be converted to time",
				       set->source);
			goto out;
		}
	}
	*nb_lines = nb;
	ret = 0;
out:
	free(best);
	stats_groups_free(&gs);
	return ret;
}

static const char *plan_num(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (v >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.3g", v);
	return buf;
}

void plan_print(FILE *f, const struct plan_input *in,
		const struct plan_line *lines, size_t nb_lines)
{
	char fr[16], a[24], b[24], c[24], d[24], e[24], g[24], h[24];

	fprintf(f, "Capacity plan for %g Mpps of %s B frames", in->target_mpps,
		results_frame_name(in->frame_len, fr, sizeof(fr)));
	if (in->per_vm_mpps > 0)
		fprintf(f, ", VMs of %g Mpps", in->per_vm_mpps);
	if (in->cores_per_host > 0)
		fprintf(f, ", hosts of %g cores", in->cores_per_host);
	fputs("\n\n| datapath | dir | rate | trials | cycles/pkt | busy | "
	      "work cycles/pkt | measured Mpps | Mpps/core | cores needed | "
	      "cores/VM | VMs/host | note |\n"
	      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
	      f);
	for (size_t i = 0; i < nb_lines; i++) {
		const struct plan_line *l = &lines[i];
		char busy[24];

		if (isfinite(l->vms_per_host))
			snprintf(h, sizeof(h), "%.0f", l->vms_per_host);
		else
			snprintf(h, sizeof(h), "-");
		if (l->busy_ratio > 0)
			snprintf(busy, sizeof(busy), "%.0f%%", l->busy_ratio * 100);
		else
			snprintf(busy, sizeof(busy), "-");
		fprintf(f, "| %s | %s | %s | %zu | %s | %s | %s | %s | %s | %s "
			   "(%.0f) | %s | %s | %s |\n",
			l->datapath, l->direction, l->rate_kind, l->nb_trials,
			plan_num(a, sizeof(a), l->cycles_per_pkt), busy,
			plan_num(b, sizeof(b), l->work_cycles),
			plan_num(c, sizeof(c), l->measured_mpps),
			plan_num(d, sizeof(d), l->mpps_per_core),
			plan_num(e, sizeof(e), l->cores_needed),
			ceil(l->cores_needed),
			plan_num(g, sizeof(g), l->cores_per_vm),
			h, l->note);
	}
	fputs("\ncores needed: fractional, whole cores in brackets.\n\n", f);
	fputs(plan_model_text, f);
}

void plan_chart(FILE *f, const struct plan_input *in,
		const struct plan_line *lines, size_t nb_lines)
{
	char title[160], fr[16], lbl[128], t[96];

	snprintf(title, sizeof(title), "Cores needed for %g Mpps of %s B frames",
		 in->target_mpps, results_frame_name(in->frame_len, fr,
						      sizeof(fr)));
	gp_begin(f, "plan", title, "",
		 "cores (log scale)");
	fputs("set style data histograms\n"
	      "set style fill solid 0.85 border -1\n"
	      "set boxwidth 0.7\n"
	      "set logscale y\n"
	      "set xtics rotate by 20 right\n"
	      "$plan << EOD\n", f);
	for (size_t i = 0; i < nb_lines; i++) {
		snprintf(t, sizeof(t), "%s %s", lines[i].datapath,
			 lines[i].direction);
		fprintf(f, "\"%s\" %.6g\n", gp_label(lbl, sizeof(lbl), t),
			lines[i].cores_needed);
	}
	fputs("EOD\nplot $plan using 2:xtic(1) title 'cores needed (linear "
	      "model)'", f);
	if (in->cores_per_host > 0)
		fprintf(f, ", %g with lines dt 2 lc rgb '#707070' title 'one "
			   "host: %g cores'", in->cores_per_host,
			in->cores_per_host);
	fputs("\n", f);
	gp_end(f, "plan");
}
