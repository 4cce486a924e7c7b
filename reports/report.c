/* The report model: inputs, groups and tables (report.h). */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"

/* Published figures quoted for orientation only; never plotted as data. */
static const struct {
	const char *what;
	double mpps;
	const char *note;
} report_refs[] = {
	{ "Kernel-based virtualization (virtio over the kernel path)", 0.2,
	  "per VM, published figure" },
	{ "DPDK vhost-user vswitch", 7.5, "2 cores, published figure" },
	{ "SR-IOV VF (UCloud)", 15, "published figure" },
	{ "Virtual switch (UCloud)", 24, "published figure" },
	{ "Full hardware offload (SmartNIC eswitch)", 66,
	  "published figure" },
};

const char *report_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (a >= 100 || a == 0)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, len, "%.2f", v);
	else if (a >= 0.001)
		snprintf(buf, len, "%.3f", v);
	else
		snprintf(buf, len, "%.3g", v);
	return buf;
}

static void report_dir_of(const char *csv, char *dir, size_t len)
{
	const char *slash = strrchr(csv, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else
		snprintf(dir, len, "%.*s", (int)(slash - csv), csv);
}

int report_load(struct report *rep, char *const *paths, size_t nb_paths,
		char *why, size_t len)
{
	int ret;

	memset(rep, 0, sizeof(*rep));
	rep->line_rate_gbps = 10;
	rep->in = calloc(nb_paths, sizeof(*rep->in));
	if (!rep->in)
		return -ENOMEM;
	for (size_t i = 0; i < nb_paths; i++) {
		struct report_input *in = &rep->in[i];
		char dir[600], json[700];

		ret = results_read(paths[i], &in->set, why, len);
		if (ret < 0)
			return ret;
		rep->nb_in++;
		util_strlcpy(in->label, in->set.rows[0].run_id, sizeof(in->label));
		if (!in->label[0])
			snprintf(in->label, sizeof(in->label), "run %zu", i + 1);
		report_dir_of(in->set.source, dir, sizeof(dir));
		snprintf(json, sizeof(json), "%s/run.json", dir);
		ret = runjson_read(json, &in->meta, in->meta_why,
				   sizeof(in->meta_why));
		if (ret < 0) {
			if (ret == -ENOENT)
				snprintf(in->meta_why, sizeof(in->meta_why),
					 "no run.json beside results.csv");
			else
				util_err("report: %s; the run metadata is left "
					 "out", in->meta_why);
		}
		ret = stats_group_rows(&in->set, i, &rep->groups);
		if (ret < 0)
			return util_why(why, len, ret, "out of memory");
		rep->nb_rows += in->set.nb_rows;
		for (size_t r = 0; r < in->set.nb_rows; r++) {
			rep->nb_failed += strcmp(in->set.rows[r].status, "ok") != 0;
			rep->nb_emulated += in->set.rows[r].emulated != 0;
		}
	}
	return 0;
}

void report_series_label(const struct report *rep, const struct stats_key *k,
			 char *buf, size_t len)
{
	char rate[48];

	/* a latency-load series spans loads: its rate kind alone names it */
	if (k->load_pct > 0)
		snprintf(rate, sizeof(rate), "%s", k->rate_kind);
	else
		stats_rate_name(k, rate, sizeof(rate));
	if (rep->nb_in > 1)
		snprintf(buf, len, "%s %s %s [%s]", k->datapath, k->direction,
			 rate, rep->in[k->src].label);
	else
		snprintf(buf, len, "%s %s %s", k->datapath, k->direction, rate);
}

static void report_rate(const struct stats_key *k, char *buf, size_t len)
{
	if (k->load_pct > 0)
		snprintf(buf, len, "%s @ %g%% NDR", k->rate_kind, k->load_pct);
	else if (k->target_pps > 0)
		snprintf(buf, len, "%s @ %g Mpps", k->rate_kind,
			 k->target_pps / 1e6);
	else
		snprintf(buf, len, "%s", k->rate_kind);
}

/* "a–b" of a summary scaled by mul; "" without an interval */
static void report_interval(const struct stats_summary *s, double mul,
			    char *buf, size_t len)
{
	char lo[24], hi[24];

	if (s->n < 2) {
		snprintf(buf, len, "%s", s->n ? "(1 trial)" : "-");
		return;
	}
	snprintf(buf, len, "%s–%s", report_num(lo, sizeof(lo), s->lo * mul),
		 report_num(hi, sizeof(hi), s->hi * mul));
}

static int report_metric(const struct stats_group *g, const char *col,
			 struct stats_summary *s)
{
	return stats_group_metric(g, stats_col(col), s);
}

static int report_results_row(struct report *rep, const struct stats_group *g)
{
	struct stats_summary rx, p50, p99, p999, cores, cyc, busy;
	char fr[16], rate[32], trials[48], mpps[24], mint[48], gbps[24];
	char s50[24], s99[24], s999[24], score[24], scyc[24], cint[48];
	char sbusy[24];
	const char *cells[TABLE_MAX_COLS];
	size_t n = 0;
	int ret;

	if ((ret = report_metric(g, "rx_pps", &rx)) < 0 ||
	    (ret = report_metric(g, "lat_p50_ns", &p50)) < 0 ||
	    (ret = report_metric(g, "lat_p99_ns", &p99)) < 0 ||
	    (ret = report_metric(g, "lat_p999_ns", &p999)) < 0 ||
	    (ret = report_metric(g, "cpu_cores", &cores)) < 0 ||
	    (ret = report_metric(g, "cycles_per_pkt", &cyc)) < 0 ||
	    (ret = report_metric(g, "busy_ratio", &busy)) < 0)
		return ret;
	report_rate(&g->key, rate, sizeof(rate));
	if (g->nb_failed)
		snprintf(trials, sizeof(trials), "%zu (+%zu failed)", g->nb_ok,
			 g->nb_failed);
	else
		snprintf(trials, sizeof(trials), "%zu", g->nb_ok);
	report_num(mpps, sizeof(mpps), rx.median / 1e6);
	report_interval(&rx, 1e-6, mint, sizeof(mint));
	report_num(gbps, sizeof(gbps), (stats_frame_bytes(g->key.frame_len) + 20) *
					       8 * rx.median / 1e9);
	report_num(s50, sizeof(s50), p50.median / 1e3);
	report_num(s99, sizeof(s99), p99.median / 1e3);
	report_num(s999, sizeof(s999), p999.median / 1e3);
	report_num(score, sizeof(score), cores.median);
	report_num(scyc, sizeof(scyc), cyc.median);
	report_interval(&cyc, 1, cint, sizeof(cint));
	/* 0: no poll loop on either end (interrupt-driven path) */
	if (isfinite(busy.median) && busy.median > 0)
		snprintf(sbusy, sizeof(sbusy), "%.0f%%", busy.median * 100);
	else
		snprintf(sbusy, sizeof(sbusy), "-");
	if (rep->nb_in > 1)
		cells[n++] = rep->in[g->key.src].label;
	cells[n++] = g->key.datapath;
	cells[n++] = g->variant;
	cells[n++] = g->key.direction;
	cells[n++] = rate;
	cells[n++] = results_frame_name(g->key.frame_len, fr, sizeof(fr));
	cells[n++] = trials;
	cells[n++] = mpps;
	cells[n++] = mint;
	cells[n++] = gbps;
	cells[n++] = s50;
	cells[n++] = s99;
	cells[n++] = s999;
	cells[n++] = score;
	cells[n++] = scyc;
	cells[n++] = cint;
	cells[n++] = sbusy;
	return table_add(&rep->tables[REPORT_T_RESULTS], cells);
}

static int report_failed_row(struct report *rep, const struct stats_group *g)
{
	char fr[16], rate[32], nb[24];
	const char *cells[TABLE_MAX_COLS];
	size_t n = 0;

	report_rate(&g->key, rate, sizeof(rate));
	snprintf(nb, sizeof(nb), "%zu of %zu", g->nb_failed,
		 g->nb_failed + g->nb_ok);
	if (rep->nb_in > 1)
		cells[n++] = rep->in[g->key.src].label;
	cells[n++] = g->key.datapath;
	cells[n++] = g->key.direction;
	cells[n++] = rate;
	cells[n++] = results_frame_name(g->key.frame_len, fr, sizeof(fr));
	cells[n++] = nb;
	cells[n++] = g->first_failure;
	return table_add(&rep->tables[REPORT_T_FAILED], cells);
}

static int report_check_row(struct report *rep, const struct stats_group *g)
{
	uint64_t tx = 0, rx = 0, lost = 0, bad = 0;
	int adds_up = 1;
	char fr[16], trials[48], stx[24], srx[24], slost[24], sbad[24];
	const char *cells[TABLE_MAX_COLS];
	size_t n = 0;

	for (size_t i = 0; i < g->nb_ok; i++) {
		const struct result_row *r = g->rows[i];

		tx += r->tx_pkts;
		rx += r->rx_pkts;
		lost += r->lost;
		bad += r->corrupted;
		if (r->tx_pkts != r->rx_pkts + r->lost + r->corrupted)
			adds_up = 0;
	}
	snprintf(trials, sizeof(trials), "%zu ok, %zu failed", g->nb_ok,
		 g->nb_failed);
	snprintf(stx, sizeof(stx), "%llu", (unsigned long long)tx);
	snprintf(srx, sizeof(srx), "%llu", (unsigned long long)rx);
	snprintf(slost, sizeof(slost), "%llu", (unsigned long long)lost);
	snprintf(sbad, sizeof(sbad), "%llu", (unsigned long long)bad);
	if (rep->nb_in > 1)
		cells[n++] = rep->in[g->key.src].label;
	cells[n++] = g->key.datapath;
	cells[n++] = g->variant;
	cells[n++] = g->key.direction;
	cells[n++] = results_frame_name(g->key.frame_len, fr, sizeof(fr));
	cells[n++] = trials;
	cells[n++] = stx;
	cells[n++] = srx;
	cells[n++] = slost;
	cells[n++] = sbad;
	cells[n++] = !g->nb_ok ? "no trial passed"
		     : adds_up ? "counters add up"
			       : "counters do NOT add up";
	return table_add(&rep->tables[REPORT_T_CHECKS], cells);
}

/* head[] with a leading "Run" column when several runs are shown */
static int report_init_table(struct report *rep, enum report_table t,
			     const char *title, const char *const *head,
			     size_t nb)
{
	const char *h[TABLE_MAX_COLS];
	size_t n = 0;

	if (rep->nb_in > 1)
		h[n++] = "Run";
	for (size_t i = 0; i < nb && n < TABLE_MAX_COLS; i++)
		h[n++] = head[i];
	return table_init(&rep->tables[t], title, h, n);
}

static int report_meta_table(struct report *rep, size_t i)
{
	static const char *const head[] = { "Field", "Value" };
	static const struct {
		const char *key, *name;
	} fields[] = {
		{ "run_id", "Run" },
		{ "start_time", "Start" },
		{ "end_time", "End" },
		{ "host", "Host" },
		{ "cpu_model", "CPU" },
		{ "tsc_hz", "TSC Hz" },
		{ "kernel", "Kernel" },
		{ "dpdk_version", "DPDK" },
		{ "vioperf_version", "vioperf" },
		{ "interrupted", "Interrupted" },
		{ "nb_rows", "Rows" },
		{ "nb_failed", "Failed rows" },
	};
	const struct report_input *in = &rep->in[i];
	struct table *t = &rep->meta[i];
	char title[128], cmd[2048];
	int ret;

	snprintf(title, sizeof(title), "Run %s", in->label);
	if ((ret = table_init(t, title, head, 2)) < 0)
		return ret;
	if (!in->meta.nb) {
		const char *cells[] = { "run.json", in->meta_why };

		return table_add(t, cells);
	}
	for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
		const char *v = runjson_get(&in->meta, fields[f].key);
		const char *cells[] = { fields[f].name, v };

		if (v && (ret = table_add(t, cells)) < 0)
			return ret;
	}
	cmd[0] = '\0';
	for (unsigned a = 0;; a++) {
		char key[32];
		const char *v;
		size_t used = strlen(cmd);

		snprintf(key, sizeof(key), "command[%u]", a);
		if (!(v = runjson_get(&in->meta, key)))
			break;
		snprintf(cmd + used, sizeof(cmd) - used, "%s%s%s%s", a ? " " : "",
			 strchr(v, ' ') ? "'" : "", v, strchr(v, ' ') ? "'" : "");
	}
	if (cmd[0]) {
		const char *cells[] = { "Command", cmd };

		if ((ret = table_add(t, cells)) < 0)
			return ret;
	}
	for (size_t k = 0; k < in->meta.nb; k++) {
		char name[128];
		const char *cells[] = { name, in->meta.kv[k].val };

		if (strncmp(in->meta.kv[k].key, "options.", 8))
			continue;
		snprintf(name, sizeof(name), "Option %s", in->meta.kv[k].key + 8);
		if ((ret = table_add(t, cells)) < 0)
			return ret;
	}
	return 0;
}

static int report_unavail_rows(struct report *rep, size_t i)
{
	const struct report_input *in = &rep->in[i];
	int ret;

	for (unsigned u = 0;; u++) {
		char kn[48], kr[48];
		const char *name, *reason;
		const char *cells[TABLE_MAX_COLS];
		size_t n = 0;

		snprintf(kn, sizeof(kn), "unavailable[%u].name", u);
		snprintf(kr, sizeof(kr), "unavailable[%u].reason", u);
		if (!(name = runjson_get(&in->meta, kn)))
			return 0;
		reason = runjson_get(&in->meta, kr);
		if (rep->nb_in > 1)
			cells[n++] = in->label;
		cells[n++] = name;
		cells[n++] = reason ? reason : "";
		if ((ret = table_add(&rep->tables[REPORT_T_UNAVAIL], cells)) < 0)
			return ret;
	}
}

int report_tables(struct report *rep)
{
	static const char *const h_res[] = {
		"Datapath", "Variant", "Dir", "Rate", ">Frame", ">Trials",
		">Mpps", ">Mpps interval", ">Gbit/s L1", ">p50 µs", ">p99 µs",
		">p99.9 µs", ">Cores", ">Cycles/pkt", ">Cycles interval",
		">Busy",
	};
	static const char *const h_fail[] = {
		"Datapath", "Dir", "Rate", ">Frame", ">Failed", "First reason",
	};
	static const char *const h_chk[] = {
		"Datapath", "Variant", "Dir", ">Frame", "Trials", ">Sent",
		">Received", ">Lost", ">Corrupted", "Check",
	};
	static const char *const h_un[] = { "Datapath", "Reason" };
	static const char *const h_ref[] = { "Figure", ">Mpps", "Note" };
	int ret;

	if ((ret = report_init_table(rep, REPORT_T_RESULTS, "Results", h_res,
				     ARRAY_SIZE(h_res))) < 0 ||
	    (ret = report_init_table(rep, REPORT_T_FAILED, "Failed trials",
				     h_fail, ARRAY_SIZE(h_fail))) < 0 ||
	    (ret = report_init_table(rep, REPORT_T_CHECKS,
				     "Function checks under emulation "
				     "(not speed figures)", h_chk,
				     ARRAY_SIZE(h_chk))) < 0 ||
	    (ret = report_init_table(rep, REPORT_T_UNAVAIL,
				     "Datapaths not available", h_un,
				     ARRAY_SIZE(h_un))) < 0 ||
	    (ret = table_init(&rep->tables[REPORT_T_REFS],
			      "Published reference figures (not measured here)",
			      h_ref, ARRAY_SIZE(h_ref))) < 0)
		return ret;
	snprintf(rep->tables[REPORT_T_RESULTS].note,
		 sizeof(rep->tables[REPORT_T_RESULTS].note),
		 "Medians over the ok trials of each datapath × direction × "
		 "rate × frame size. Intervals from the trial spread: min–max "
		 "for 2 to 5 trials, the 95 %% order-statistic confidence "
		 "interval of the median from 6 trials. Failed trials are left "
		 "out and counted. Gbit/s L1 = (frame + 20 B) × 8 × received "
		 "pps; frame sizes include the FCS. Latency is one-way.");
	snprintf(rep->tables[REPORT_T_CHECKS].note,
		 sizeof(rep->tables[REPORT_T_CHECKS].note),
		 "Rows with emulated=1 ran under software emulation (the kernel "
		 "lab). They show that packets pass and counters add up "
		 "(sent = received + lost + corrupted); their rates are not "
		 "performance and are left out of the results and charts.");
	snprintf(rep->tables[REPORT_T_REFS].note,
		 sizeof(rep->tables[REPORT_T_REFS].note),
		 "Figures published by others for orientation. They were not "
		 "measured by vioperf, on other hardware, with other methods; "
		 "they are never plotted with the measured data.");
	for (size_t i = 0; i < rep->groups.nb; i++) {
		const struct stats_group *g = &rep->groups.g[i];

		if (g->key.emulated)
			ret = report_check_row(rep, g);
		/* intermediate trials of an NDR/PDR search: the final ndr/pdr
		 * rows carry the result */
		else if (!strcmp(g->key.rate_kind, "search"))
			ret = 0;
		else if (g->nb_ok)
			ret = report_results_row(rep, g);
		else
			ret = 0;
		if (!ret && g->nb_failed && !g->key.emulated)
			ret = report_failed_row(rep, g);
		if (ret < 0)
			return ret;
	}
	rep->meta = calloc(rep->nb_in, sizeof(*rep->meta));
	if (!rep->meta)
		return -ENOMEM;
	for (size_t i = 0; i < rep->nb_in; i++)
		if ((ret = report_meta_table(rep, i)) < 0 ||
		    (ret = report_unavail_rows(rep, i)) < 0)
			return ret;
	for (size_t i = 0; i < ARRAY_SIZE(report_refs); i++) {
		char m[24];
		const char *cells[] = { report_refs[i].what, m,
					report_refs[i].note };

		snprintf(m, sizeof(m), "%g", report_refs[i].mpps);
		if ((ret = table_add(&rep->tables[REPORT_T_REFS], cells)) < 0)
			return ret;
	}
	return 0;
}

void report_free(struct report *rep)
{
	for (size_t t = 0; t < REPORT_NB_TABLES; t++)
		table_free(&rep->tables[t]);
	if (rep->meta)
		for (size_t i = 0; i < rep->nb_in; i++)
			table_free(&rep->meta[i]);
	free(rep->meta);
	stats_groups_free(&rep->groups);
	for (size_t i = 0; i < rep->nb_in; i++) {
		results_free(&rep->in[i].set);
		runjson_free(&rep->in[i].meta);
	}
	free(rep->in);
	memset(rep, 0, sizeof(*rep));
}
