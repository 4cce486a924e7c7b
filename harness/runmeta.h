/* run.json: the metadata of one run beside its results.csv: who, where,
 * what was asked (exact command line and options), which datapaths ran
 * (with the variant) and which could not (with the reason), and whether
 * the run was interrupted. Written atomically (tmp + rename) at the start
 * and rewritten at the end, so a reader never sees half a file. */
#ifndef VIOPERF_RUNMETA_H
#define VIOPERF_RUNMETA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RUNMETA_MAX_OPTS 24
#define RUNMETA_MAX_DPS 16

struct runmeta_opt {
	char key[32];
	char val[256];
	int is_num;		/* write val unquoted (it is a JSON number) */
};

struct runmeta_dp {
	char name[32];
	char variant[64];	/* "" until set up */
	char status[256];	/* "planned", "ran", "failed: ..." or, for an
				 * unavailable one, the probe's reason */
};

struct runmeta {
	char run_id[64];
	uint64_t start_ns, end_ns;	/* wall clock; end 0 while running */
	char host[256];
	char cpu_model[128];
	double tsc_hz;
	char kernel[400];		/* uname: sysname release version machine */
	char dpdk_version[64];
	const char *vioperf_version;
	int argc;
	char **argv;
	int nb_opts;
	struct runmeta_opt opts[RUNMETA_MAX_OPTS];
	int nb_dps, nb_unavail;
	struct runmeta_dp dps[RUNMETA_MAX_DPS];	/* the run's datapaths */
	struct runmeta_dp unavail[RUNMETA_MAX_DPS];	/* not buildable here */
	int nb_rows, nb_failed;
	int interrupted;
};

/* Fill the host facts (host, cpu_model, kernel, dpdk_version, version)
 * from the running system; proc is "/proc". */
void runmeta_host(struct runmeta *m, const char *proc);

/* Add an option; -E2BIG when full. */
int runmeta_opt(struct runmeta *m, const char *key, int is_num,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Write m as JSON to f. */
void runmeta_json(const struct runmeta *m, FILE *f);

/* Write <dir>/run.json atomically. 0 or -errno. */
int runmeta_write(const struct runmeta *m, const char *dir);

/* JSON string literal of s (quotes and escapes) to f. */
void runmeta_json_str(FILE *f, const char *s);

#endif
