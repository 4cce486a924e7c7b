/* The results schema (results/SCHEMA.md): one row per trial in
 * results/<run-id>/results.csv. The column table below is the only place
 * that lists the columns: the writer, the reader, reports and compare all
 * walk it. Columns are only ever appended, never renamed or reordered. */
#ifndef VIOPERF_RESULTS_H
#define VIOPERF_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct result_row {
	char run_id[64];
	char datapath[32];
	char variant[64];
	char direction[8];	/* "h2g" or "g2h" */
	uint16_t frame_len;	/* with FCS; 0 = IMIX (written "imix") */
	int trial;		/* 1-based */
	double duration_s;	/* measured window */
	double offered_pps;	/* tx rate over the window */
	double tx_pps;		/* = offered_pps (frames the backend accepted) */
	double rx_pps;		/* unique good frames received over the window */
	double loss_ratio;	/* lost / tx_pkts over the whole trial */
	uint64_t lost, reordered, duplicated, corrupted;
	double lat_p50_ns, lat_p90_ns, lat_p99_ns, lat_p999_ns, lat_max_ns;
	double cpu_cores;	/* CPU seconds of everything moving packets / window */
	double cycles_per_pkt;	/* CPU seconds * tsc_hz / rx frames in window */
	double busy_ratio;	/* busy polls / all polls, both ends */
	char status[256];	/* "ok" or "failed: <reason>" */
	/* appended columns */
	char rate_kind[8];	/* mrr | fixed | ndr | pdr | search */
	double target_pps;	/* asked-for rate, 0 = max */
	uint64_t tx_pkts;	/* whole trial */
	uint64_t rx_pkts;	/* whole trial, unique good */
	uint64_t lat_samples;
	double cpu_tx_cores, cpu_rx_cores, cpu_kernel_cores;
	double busy_ratio_tx, busy_ratio_rx;
	double tsc_hz;
	int emulated;		/* 1: kernel lab / emulation, not a speed figure */
	double load_pct;	/* latency-under-load: % of NDR, 0 none */
	double search_lo_pps, search_hi_pps;
	int offered_short;	/* 1: offered < 99 % of target_pps */
	uint64_t hw_cycles;	/* both ends' threads over the window, from
				 * hardware counters; 0 where there are none */
	uint64_t hw_instructions;
	uint64_t hw_rule_pkts;	/* offloaded paths: frames the NIC's rules
				 * counted over the window; 0 elsewhere */
	uint64_t hw_rule_bytes;
	char traffic[64];	/* "built", or "pcap:<file name>" */
	uint64_t tx_unstamped;	/* pcap frames sent without a payload header */
	uint64_t rx_foreign;	/* frames received that were not vioperf's */
};

enum col_type { COL_STR, COL_U16_FRAME, COL_INT, COL_U64, COL_DBL };

struct result_col {
	const char *name;
	enum col_type type;
	size_t off;
	size_t size;		/* for COL_STR */
	int required;		/* must be present when reading */
};

extern const struct result_col result_cols[];
extern const size_t result_nb_cols;

/* Write the header line. */
int results_write_header(FILE *f);
/* Format one row as a complete CSV line (with '\n') into buf.
 * Returns the length or -ENOSPC. */
int results_format_row(const struct result_row *r, char *buf, size_t len);

/* An open results.csv being written. Each row is written with one write(2)
 * of a whole line followed by fdatasync, so a crash leaves only complete
 * rows. */
struct results_file;
/* Create dir/results.csv (O_EXCL) with its header. 0 or -errno. */
int results_open(struct results_file **rf, const char *dir);
int results_append(struct results_file *rf, const struct result_row *r);
void results_close(struct results_file *rf);

/* A table of rows read back. */
struct result_set {
	struct result_row *rows;
	size_t nb_rows;
	char source[512];	/* file it came from */
};

/* Read a results.csv (or a directory holding one) with libcsv. Columns are
 * matched by name (any order, unknown ones ignored, missing optional ones
 * zero). 0, or -EINVAL with a message naming the file, line and column in
 * why (truncated line, missing required column, bad number, no rows). */
int results_read(const char *path, struct result_set *set, char *why,
		 size_t len);
void results_free(struct result_set *set);

/* "64" or "imix" into buf. */
const char *results_frame_name(uint16_t frame_len, char *buf, size_t len);

#endif
