/* vioperf run: validate everything, then build each datapath, run the
 * plan's trials on it, write results/<run-id>/ (results.csv + run.json),
 * tear down, summarize. Nothing is acquired before every option checked
 * out; after that one owner (struct runctx) releases all of it. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../generators/pcapsrc.h"
#include "../generators/pkt.h"
#include "../generators/tsc.h"
#include "../topologies/topology.h"
#include "commands.h"
#include "plan.h"
#include "runctx.h"
#include "runid.h"
#include "runmeta.h"
#include "search.h"
#include "summary.h"
#include "trial.h"
#include "util.h"
#include "workdir.h"

#define MAX_SIZES 16
#define MAX_DPS 16
#define MAX_LAT_AT 8

struct run_opts {
	const struct topology_ops *dps[MAX_DPS];
	int nb_dps;
	const char *dp_arg;
	enum plan_dir dirs[2];
	int nb_dirs;
	const char *dir_arg;
	uint16_t sizes[MAX_SIZES];
	int nb_sizes;
	const char *size_arg;
	uint64_t rate_pps;		/* 0: max */
	const char *rate_arg;
	/* --rate ndr|pdr: one search per datapath/direction/size finds both */
	int search;
	struct search_cfg scfg;		/* ratio/precision/trial cap */
	double search_duration_s;
	double lat_at[MAX_LAT_AT];	/* % of NDR for latency trials */
	int nb_lat_at;
	double duration_s, warmup_s;
	int nb_trials;
	uint32_t nb_flows;
	char out[4096];
	int out_given, force, dry_run, quiet;
	const char *pf;			/* --pf: the PF the user allows */
	int allow_vf_reset;
	int fail_fast;		/* stop at the first failed row */
	int cpus[2];
	char exe[4096];		/* this binary, for the engines */
	char pcap[4096];	/* --pcap: absolute path, "" none */
	char traffic[64];	/* "built" or "pcap:<name>" */
	uint16_t pcap_max_frame;	/* largest frame in it, with FCS */
	uint64_t capture_frames;	/* --capture N: 0 none */
	/* datapaths this host cannot build (for run.json) */
	struct runmeta_dp unavail[MAX_DPS];
	int nb_unavail;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: vioperf run [OPTIONS]\n\n"
"Build each datapath, move traffic through it, and write one row per trial\n"
"to <out>/results.csv (schema: results/SCHEMA.md) with <out>/run.json.\n\n"
"  --datapath LIST|all   datapaths to run, comma separated (default: all this\n"
"                        host can build; see 'vioperf list')\n"
"  --direction h2g|g2h|both   host->guest, guest->host or both (default both)\n"
"  --sizes LIST          frame sizes with FCS, 64..1518 or imix\n"
"                        (default 64,512,1518)\n"
"  --rate max|PPS|ndr|pdr  offered load: maximum (MRR), a fixed rate in\n"
"                        frames/s (k/M/G suffixes), or ndr/pdr: search the\n"
"                        highest rate with zero loss (NDR) and with loss <=\n"
"                        --pdr-loss (PDR) in one search, then run a full\n"
"                        trial at each and latency trials (default max)\n"
"  --pdr-loss PCT        PDR loss ratio in percent (default 0.5)\n"
"  --precision PCT       search precision, percent of the rate (default 0.5)\n"
"  --precision-pps N     ... or absolute, whichever is larger (default 10k)\n"
"  --search-duration S   length of each search trial (default 1)\n"
"  --search-trials N     cap on search trials per size/direction (default 30)\n"
"  --latency-at LIST     with ndr/pdr: fixed-rate latency trials at these\n"
"                        percentages of NDR (default 10,50,90)\n"
"  --pcap FILE           replay the Ethernet frames of FILE as the traffic\n"
"                        (instead of --sizes); UDP/IPv4 frames with room are\n"
"                        stamped and tracked one by one, the others counted\n"
"  --capture N           save the first N frames each receiver sees to\n"
"                        <out>/captures/<trial>.pcap\n"
"  --duration SECONDS    measured window per trial, 0.1..86400 (default 5)\n"
"  --warmup SECONDS      traffic before the window, 0..3600 (default 1)\n"
"  --trials N            trials per datapath/direction/size, 1..1000\n"
"                        (default 1)\n"
"  --flows N             UDP flows, 1..65535 (default 1)\n"
"  --out DIR             output directory (default results/<run-id>); an\n"
"                        existing non-empty one is refused without --force\n"
"  --force               reuse a non-empty --out (replaces results.csv,\n"
"                        run.json and logs/ in it)\n"
"  --cpus A,B            cores of the host end and the guest end (default 0,1)\n"
"  --pf DEV              sriov-*/tc-offload*: the physical function to use\n"
"                        (else one that carries no address, route, bond or\n"
"                        bridge is picked; see 'vioperf list')\n"
"  --allow-vf-reset      with --pf: may recreate that PF's existing VFs (their\n"
"                        count and settings are restored at the end)\n"
"  --fail-fast           stop at the first failed trial or datapath (tear\n"
"                        down, keep the rows so far, exit 1); by default a\n"
"                        failed trial is recorded and the run goes on\n"
"  --dry-run             print the plan and the topology actions, do nothing\n"
"  --quiet               no progress lines\n\n"
"Exit: 0 every trial ok, 1 a trial or datapath failed, 2 bad options or a\n"
"host that cannot run them (nothing written),\n"
"130/143 interrupted (finished rows are kept, run.json says interrupted).\n");
}

static int bad(const char *opt, const char *val, const char *valid)
{
	util_err("%s: '%s' is not valid; %s", opt, val, valid);
	return -EINVAL;
}

static int add_dp(struct run_opts *o, const struct topology_ops *t)
{
	for (int i = 0; i < o->nb_dps; i++)
		if (o->dps[i] == t)
			return 0;
	if (o->nb_dps >= MAX_DPS)
		return -E2BIG;
	o->dps[o->nb_dps++] = t;
	return 0;
}

static void known_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct topology_ops *const *t = topo_table; *t; t++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", (*t)->name);

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static int parse_datapaths(struct run_opts *o, const struct host *h)
{
	char why[512], names[256], *list, *save = NULL;
	int rc = 0;

	if (!strcmp(o->dp_arg, "all")) {
		for (const struct topology_ops *const *t = topo_table; *t; t++) {
			if ((*t)->probe(h, why, sizeof(why)) == 0) {
				add_dp(o, *t);
			} else if (o->nb_unavail < MAX_DPS) {
				struct runmeta_dp *u = &o->unavail[o->nb_unavail++];

				util_strlcpy(u->name, (*t)->name, sizeof(u->name));
				util_strlcpy(u->status, why, sizeof(u->status));
			}
		}
		if (!o->nb_dps) {
			util_err("--datapath all: this host can build no datapath; "
				 "'vioperf list' says what each one needs");
			return -ENOENT;
		}
		return 0;
	}
	list = strdup(o->dp_arg);
	if (!list)
		return -ENOMEM;
	known_names(names, sizeof(names));
	for (char *n = strtok_r(list, ",", &save); n;
	     n = strtok_r(NULL, ",", &save)) {
		const struct topology_ops *t = topo_find(n);

		if (!t) {
			util_err("--datapath: unknown datapath '%s'; valid: %s, "
				 "or all", n, names);
			rc = -EINVAL;
			break;
		}
		if (t->probe(h, why, sizeof(why)) < 0) {
			util_err("--datapath: %s cannot run on this host: %s",
				 n, why);
			rc = -ENOENT;
			break;
		}
		if (add_dp(o, t) < 0) {
			rc = bad("--datapath", o->dp_arg, "too many datapaths");
			break;
		}
	}
	if (!rc && !o->nb_dps)
		rc = bad("--datapath", o->dp_arg,
			 "give datapath names (see 'vioperf list') or all");
	free(list);
	return rc;
}

static int cpu_allowed(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return 0;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return CPU_ISSET(cpu, &set);
}

static int parse_cpus(struct run_opts *o, const char *s)
{
	char a[32], b[32], extra;
	uint64_t v[2];
	const char *valid =
		"give two cores this process may run on, like 0,1 (see nproc)";

	if (sscanf(s, "%31[^,],%31[^,]%c", a, b, &extra) != 2 ||
	    util_parse_u64(a, 0, CPU_SETSIZE - 1, 0, &v[0]) < 0 ||
	    util_parse_u64(b, 0, CPU_SETSIZE - 1, 0, &v[1]) < 0)
		return bad("--cpus", s, valid);
	for (int i = 0; i < 2; i++) {
		if (!cpu_allowed((int)v[i])) {
			util_err("--cpus: core %llu is not online or not allowed "
				 "for this process; %s", (unsigned long long)v[i],
				 valid);
			return -EINVAL;
		}
		o->cpus[i] = (int)v[i];
	}
	if (v[0] == v[1])
		util_err("--cpus: both ends on core %d: two polling engines will "
			 "share one core and the figures show that",
			 o->cpus[0]);
	return 0;
}

/* 0,1 where both may be used; else the first two allowed cores (or one
 * core for both on a single-core host). */
static void default_cpus(struct run_opts *o)
{
	int n = 0;

	o->cpus[0] = o->cpus[1] = 0;
	if (cpu_allowed(0) && cpu_allowed(1)) {
		o->cpus[1] = 1;
		return;
	}
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (cpu_allowed(c))
			o->cpus[n++] = c;
	if (n == 1)
		o->cpus[1] = o->cpus[0];
}

static int dir_empty(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* The out dir may be used: exists and is (empty or forced) and writable,
 * or can be created under a writable existing ancestor. */
static int check_out(const struct run_opts *o)
{
	struct stat sb;
	char anc[4096];

	if (stat(o->out, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			util_err("--out: %s exists and is not a directory; choose "
				 "another path", o->out);
			return -ENOTDIR;
		}
		if (!o->force && !dir_empty(o->out)) {
			util_err("--out: %s exists and is not empty; choose another "
				 "directory or add --force", o->out);
			return -EEXIST;
		}
		if (access(o->out, W_OK | X_OK) < 0) {
			util_errno(errno, "--out: %s is not writable; choose another "
				   "directory", o->out);
			return -EACCES;
		}
		return 0;
	}
	util_strlcpy(anc, o->out, sizeof(anc));
	for (;;) {
		char *slash = strrchr(anc, '/');

		if (!slash) {
			util_strlcpy(anc, ".", sizeof(anc));
			break;
		}
		if (slash == anc) {
			anc[1] = '\0';
			break;
		}
		*slash = '\0';
		if (stat(anc, &sb) == 0)
			break;
	}
	if (stat(anc, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
	    access(anc, W_OK | X_OK) < 0) {
		util_err("--out: cannot create %s: %s is not a writable "
			 "directory; choose another path", o->out, anc);
		return -EACCES;
	}
	return 0;
}

/* Create the out dir (and logs/); on failure remove what this call made.
 * With --force, replace the files a run writes. */
/* Before anything is written: the run's private workdir must be
 * possible, or the run would stop after creating --out. */
static int check_workdir_root(void)
{
	int rc = util_mkdir_p(WORKDIR_ROOT, 0755);

	if (rc == 0 && access(WORKDIR_ROOT, W_OK | X_OK) < 0)
		rc = -errno;
	if (rc < 0) {
		util_errno(rc, "run: cannot create the run's workdir under %s "
			   "(run as root, or make %s writable)", WORKDIR_ROOT,
			   WORKDIR_ROOT);
		return rc;
	}
	return 0;
}

static int make_out(const struct run_opts *o)
{
	char first[4096], path[4200];
	struct stat sb;
	int rc;

	/* the topmost component that does not exist yet */
	util_strlcpy(first, o->out, sizeof(first));
	for (;;) {
		char up[4096], *slash;

		util_strlcpy(up, first, sizeof(up));
		slash = strrchr(up, '/');
		if (!slash || slash == up)
			break;
		*slash = '\0';
		if (stat(up, &sb) == 0)
			break;
		util_strlcpy(first, up, sizeof(first));
	}
	int existed = stat(first, &sb) == 0;

	rc = util_mkdir_p(o->out, 0755);
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s/logs", o->out);
		if (o->force) {
			util_rm_rf(path);
			snprintf(path, sizeof(path), "%s/results.csv", o->out);
			unlink(path);
			snprintf(path, sizeof(path), "%s/run.json", o->out);
			unlink(path);
			snprintf(path, sizeof(path), "%s/captures", o->out);
			util_rm_rf(path);
			snprintf(path, sizeof(path), "%s/logs", o->out);
		}
		rc = util_mkdir_p(path, 0755);
	}
	if (rc == 0 && o->capture_frames) {
		snprintf(path, sizeof(path), "%s/captures", o->out);
		rc = util_mkdir_p(path, 0755);
	}
	if (rc < 0) {
		util_errno(rc, "--out: cannot create %s; choose another directory",
			   o->out);
		if (!existed)
			util_rm_rf(first);
		return rc;
	}
	return 0;
}

/* --pcap: the file must hold usable frames; the run's one "size" is their
 * mean frame length, its largest frame sizes the path. */
static int parse_pcap(struct run_opts *o, const char *path)
{
	struct pcapsrc ps;
	char why[512];
	const char *base;
	double sum = 0;

	if (pcapsrc_load(path, &ps, why, sizeof(why)) < 0) {
		util_err("--pcap: %s", why);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < ps.nb_frames; i++)
		sum += ps.frames[i].buf_len + PKT_FCS_LEN;
	o->sizes[0] = (uint16_t)llround(sum / ps.nb_frames);
	o->nb_sizes = 1;
	o->pcap_max_frame = (uint16_t)(ps.max_buf_len + PKT_FCS_LEN);
	util_info("--pcap %s: %u frames (%u with room for the payload "
		  "header, %u skipped), mean %u B", path, ps.nb_frames,
		  ps.nb_stampable, ps.nb_skipped, o->sizes[0]);
	pcapsrc_free(&ps);
	if (!realpath(path, o->pcap)) {
		util_errno(errno, "--pcap: %s", path);
		return -EINVAL;
	}
	base = strrchr(o->pcap, '/');
	snprintf(o->traffic, sizeof(o->traffic), "pcap:%.58s",
		 base ? base + 1 : o->pcap);
	return 0;
}

/* The largest frame of the run, with FCS (sizes the path's MTU). */
static uint16_t run_max_frame(const struct run_opts *o)
{
	uint16_t m = plan_max_frame(o->sizes, o->nb_sizes);

	return o->pcap_max_frame > m ? o->pcap_max_frame : m;
}

/* The --latency-at list: percentages of NDR, 1..100. */
static int parse_lat_at(struct run_opts *o, const char *arg)
{
	char buf[256], *save = NULL;

	if (util_strlcpy(buf, arg, sizeof(buf)) < 0)
		return bad("--latency-at", arg, "too long");
	o->nb_lat_at = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		double v;

		if (o->nb_lat_at == MAX_LAT_AT)
			return bad("--latency-at", arg, "at most 8 loads");
		if (util_parse_double(t, 1, 100, &v) < 0)
			return bad("--latency-at", arg,
				   "give percentages of NDR from 1 to 100, like "
				   "10,50,90");
		o->lat_at[o->nb_lat_at++] = v;
	}
	if (!o->nb_lat_at)
		return bad("--latency-at", arg,
			   "give percentages of NDR from 1 to 100, like 10,50,90");
	return 0;
}

static int parse_search(struct run_opts *o, const char *pdr, const char *prec,
			const char *prec_pps, const char *sdur,
			const char *strials, const char *lat_at)
{
	uint64_t v;
	double d;

	search_cfg_default(&o->scfg);
	if (util_parse_double(pdr, 0.001, 50, &d) < 0)
		return bad("--pdr-loss", pdr, "valid: 0.001 to 50 (percent)");
	o->scfg.pdr_ratio = d / 100;
	if (util_parse_double(prec, 0.01, 50, &d) < 0)
		return bad("--precision", prec, "valid: 0.01 to 50 (percent)");
	o->scfg.precision_rel = d / 100;
	if (util_parse_u64(prec_pps, 1, 1000000000ull, 1, &v) < 0)
		return bad("--precision-pps", prec_pps,
			   "valid: 1 to 1G frames/s (k/M/G suffixes)");
	o->scfg.precision_pps = (double)v;
	if (util_parse_double(sdur, 0.1, 3600, &o->search_duration_s) < 0)
		return bad("--search-duration", sdur, "valid: 0.1 to 3600 seconds");
	if (util_parse_u64(strials, 3, 200, 0, &v) < 0)
		return bad("--search-trials", strials, "valid: 3 to 200");
	o->scfg.max_trials = (int)v;
	if (lat_at && !o->search) {
		util_err("--latency-at: needs --rate ndr or pdr (latency is "
			 "measured at fractions of the NDR it finds)");
		return -EINVAL;
	}
	if (o->search)
		return parse_lat_at(o, lat_at ? lat_at : "10,50,90");
	return 0;
}

static int parse_opts(struct run_opts *o, int argc, char **argv,
		      const struct host *h, int *help)
{
	static const struct option opts[] = {
		{ "datapath", required_argument, NULL, 'd' },
		{ "direction", required_argument, NULL, 'D' },
		{ "sizes", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "pdr-loss", required_argument, NULL, 'L' },
		{ "precision", required_argument, NULL, 'P' },
		{ "precision-pps", required_argument, NULL, 'A' },
		{ "search-duration", required_argument, NULL, 'S' },
		{ "search-trials", required_argument, NULL, 'T' },
		{ "latency-at", required_argument, NULL, 'l' },
		{ "pcap", required_argument, NULL, 'x' },
		{ "capture", required_argument, NULL, 'K' },
		{ "duration", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "trials", required_argument, NULL, 'n' },
		{ "flows", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'N' },
		{ "pf", required_argument, NULL, 'p' },
		{ "allow-vf-reset", no_argument, NULL, 'R' },
		{ "fail-fast", no_argument, NULL, 'X' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cpus = NULL, *dur = "5", *warm = "1", *trials = "1",
		   *flows = "1", *pdr = "0.5", *prec = "0.5", *prec_pps = "10k",
		   *sdur = "1", *strials = "30", *lat_at = NULL, *pcap = NULL,
		   *capture = NULL;
	int sizes_given = 0;
	char why[256];
	uint64_t v;
	int c, rc;

	o->dp_arg = "all";
	o->dir_arg = "both";
	o->size_arg = "64,512,1518";
	o->rate_arg = "max";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->dp_arg = optarg; break;
		case 'D': o->dir_arg = optarg; break;
		case 's': o->size_arg = optarg; sizes_given = 1; break;
		case 'r': o->rate_arg = optarg; break;
		case 'L': pdr = optarg; break;
		case 'P': prec = optarg; break;
		case 'A': prec_pps = optarg; break;
		case 'S': sdur = optarg; break;
		case 'T': strials = optarg; break;
		case 'l': lat_at = optarg; break;
		case 'x': pcap = optarg; break;
		case 'K': capture = optarg; break;
		case 't': dur = optarg; break;
		case 'w': warm = optarg; break;
		case 'n': trials = optarg; break;
		case 'f': flows = optarg; break;
		case 'o':
			if (util_strlcpy(o->out, optarg, sizeof(o->out)) < 0 ||
			    !optarg[0])
				return bad("--out", optarg, "give a directory path");
			o->out_given = 1;
			break;
		case 'F': o->force = 1; break;
		case 'c': cpus = optarg; break;
		case 'N': o->dry_run = 1; break;
		case 'p': o->pf = optarg; break;
		case 'R': o->allow_vf_reset = 1; break;
		case 'X': o->fail_fast = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': *help = 1; return 0;
		default:
			if (optopt)
				util_err("run: option '%s' needs a value or is "
					 "unknown; see 'vioperf run --help'",
					 argv[optind - 1]);
			else
				util_err("run: unknown option '%s'; see 'vioperf "
					 "run --help'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		util_err("run: unexpected argument '%s'; see 'vioperf run --help'",
			 argv[optind]);
		return -EINVAL;
	}
	o->nb_dirs = plan_parse_dirs(o->dir_arg, o->dirs);
	if (o->nb_dirs < 0)
		return bad("--direction", o->dir_arg, "valid: h2g, g2h, both");
	rc = pkt_parse_sizes(o->size_arg, o->sizes, MAX_SIZES, why, sizeof(why));
	if (rc < 0) {
		util_err("--sizes: %s", why);
		return rc;
	}
	o->nb_sizes = rc;
	util_strlcpy(o->traffic, "built", sizeof(o->traffic));
	if (pcap) {
		if (sizes_given) {
			util_err("--pcap: the capture's frames are the traffic; "
				 "leave out --sizes");
			return -EINVAL;
		}
		rc = parse_pcap(o, pcap);
		if (rc < 0)
			return rc;
	}
	if (capture && util_parse_u64(capture, 1, 1000000, 1,
				      &o->capture_frames) < 0)
		return bad("--capture", capture,
			   "give how many frames of each trial to save, 1 to 1M");
	if (!strcmp(o->rate_arg, "max"))
		o->rate_pps = 0;
	else if (!strcmp(o->rate_arg, "ndr") || !strcmp(o->rate_arg, "pdr"))
		o->search = 1;
	else if (util_parse_u64(o->rate_arg, 1, 1000000000ull, 1,
				&o->rate_pps) < 0)
		return bad("--rate", o->rate_arg,
			   "valid: max, ndr, pdr, or frames/s from 1 to 1G "
			   "(k/M/G suffixes)");
	rc = parse_search(o, pdr, prec, prec_pps, sdur, strials, lat_at);
	if (rc < 0)
		return rc;
	if (util_parse_double(dur, 0.1, 86400, &o->duration_s) < 0)
		return bad("--duration", dur, "valid: 0.1 to 86400 seconds");
	if (util_parse_double(warm, 0, 3600, &o->warmup_s) < 0)
		return bad("--warmup", warm, "valid: 0 to 3600 seconds");
	if (util_parse_u64(trials, 1, 1000, 0, &v) < 0)
		return bad("--trials", trials, "valid: 1 to 1000");
	o->nb_trials = (int)v;
	if (util_parse_u64(flows, 1, PKT_MAX_FLOWS, 0, &v) < 0)
		return bad("--flows", flows, "valid: 1 to 65535");
	o->nb_flows = (uint32_t)v;
	if (o->allow_vf_reset && !o->pf) {
		util_err("--allow-vf-reset: needs --pf DEV naming the physical "
			 "function whose VFs may be recreated");
		return -EINVAL;
	}
	if (!cpus)
		default_cpus(o);
	else if ((rc = parse_cpus(o, cpus)) < 0)
		return rc;
	if (o->out_given) {
		rc = check_out(o);
		if (rc < 0)
			return rc;
	}
	return parse_datapaths(o, h);
}

static void meta_options(struct runmeta *m, const struct run_opts *o)
{
	char sizes[128] = "";
	size_t used = 0;

	for (int i = 0; i < o->nb_sizes; i++) {
		char s[16];
		int n = snprintf(sizes + used, sizeof(sizes) - used, "%s%s",
				 i ? "," : "", pkt_size_name(o->sizes[i], s,
							     sizeof(s)));

		if (n > 0 && (size_t)n < sizeof(sizes) - used)
			used += (size_t)n;
	}
	runmeta_opt(m, "datapath", 0, "%s", o->dp_arg);
	runmeta_opt(m, "direction", 0, "%s", o->dir_arg);
	runmeta_opt(m, "sizes", 0, "%s", sizes);
	runmeta_opt(m, "rate", 0, "%s", o->rate_arg);
	runmeta_opt(m, "rate_pps", 1, "%llu", (unsigned long long)o->rate_pps);
	if (o->search) {
		char lat[96] = "";
		size_t used = 0;

		for (int i = 0; i < o->nb_lat_at; i++) {
			int n = snprintf(lat + used, sizeof(lat) - used, "%s%g",
					 i ? "," : "", o->lat_at[i]);

			if (n > 0 && (size_t)n < sizeof(lat) - used)
				used += (size_t)n;
		}
		runmeta_opt(m, "pdr_loss_pct", 1, "%g", o->scfg.pdr_ratio * 100);
		runmeta_opt(m, "precision_pct", 1, "%g",
			    o->scfg.precision_rel * 100);
		runmeta_opt(m, "precision_pps", 1, "%g", o->scfg.precision_pps);
		runmeta_opt(m, "search_duration_s", 1, "%g",
			    o->search_duration_s);
		runmeta_opt(m, "search_trials", 1, "%d", o->scfg.max_trials);
		runmeta_opt(m, "latency_at_pct", 0, "%s", lat);
	}
	runmeta_opt(m, "duration_s", 1, "%g", o->duration_s);
	runmeta_opt(m, "warmup_s", 1, "%g", o->warmup_s);
	runmeta_opt(m, "trials", 1, "%d", o->nb_trials);
	runmeta_opt(m, "flows", 1, "%u", o->nb_flows);
	runmeta_opt(m, "cpus", 0, "%d,%d", o->cpus[0], o->cpus[1]);
	runmeta_opt(m, "out", 0, "%s", o->out);
	runmeta_opt(m, "force", 1, "%s", o->force ? "true" : "false");
	runmeta_opt(m, "fail_fast", 1, "%s", o->fail_fast ? "true" : "false");
}

static void print_plan(const struct run_opts *o, const struct plan *p)
{
	char sz[16];

	printf("plan: %zu trials (%d datapaths x %d directions x %d sizes x %d "
	       "trials), %g s warm-up + %g s each, rate %s\n", p->nb_items,
	       o->nb_dps, o->nb_dirs, o->nb_sizes, o->nb_trials, o->warmup_s,
	       o->duration_s, o->rate_arg);
	if (o->search)
		printf("  per item: at trial 1 an MRR trial and an NDR/PDR search "
		       "(<= %d trials of %g s, PDR loss %g %%, precision %g %% or "
		       "%g pps); per trial a full NDR and PDR trial and %d "
		       "latency trials at fractions of NDR\n",
		       o->scfg.max_trials, o->search_duration_s,
		       o->scfg.pdr_ratio * 100, o->scfg.precision_rel * 100,
		       o->scfg.precision_pps, o->nb_lat_at);
	for (size_t i = 0; i < p->nb_items; i++) {
		const struct plan_item *it = &p->items[i];

		printf("  %3zu  %-11s %s %-5s trial %d\n", i + 1,
		       o->dps[it->dp]->name, plan_dir_name(it->dir),
		       pkt_size_name(it->frame_len, sz, sizeof(sz)), it->trial);
	}
	for (int i = 0; i < o->nb_unavail; i++)
		printf("  skipped %s: %s\n", o->unavail[i].name,
		       o->unavail[i].status);
}

static void print_end(const struct topology *t, int end, int is_tx,
		      const struct run_opts *o)
{
	printf("    exec vioperf engine --role %s --io %s", is_tx ? "tx" : "rx",
	       t->end[end].backend);
	for (int i = 0; i < t->end[end].nb_args; i++)
		printf(" --io-arg=%s", t->end[end].args[i]);
	printf(" --stats-fd 3 --cpu %d --sizes SIZE --flows %u%s%s\n",
	       o->cpus[end], o->nb_flows, t->end[end].netns[0] ? "  (netns " : "",
	       t->end[end].netns[0] ? t->end[end].netns : "");
}

static int dry_run(const struct run_opts *o, const struct plan *p,
		   const struct host *h)
{
	char tag[RUNID_TAG_LEN], run_id[RUNID_LEN], wd[256], why[512];
	int rc = VP_EXIT_OK;

	runid_make(run_id, sizeof(run_id), util_wall_ns());
	runid_tag(tag, sizeof(tag));
	snprintf(wd, sizeof(wd), "%s/%s", WORKDIR_ROOT, tag);
	print_plan(o, p);
	printf("out: %s\nworkdir: %s (marker %s)\n", o->out, wd, WORKDIR_MARKER);
	for (int d = 0; d < o->nb_dps; d++) {
		struct topology t = { .ops = o->dps[d] };
		struct topology_cfg cfg = {
			.run_id = run_id, .tag = tag, .workdir = wd, .host = h,
			.max_frame = run_max_frame(o),
			.pf = o->pf, .allow_vf_reset = o->allow_vf_reset,
			.dry_run = 1,
		};

		printf("%s:\n", o->dps[d]->name);
		if (o->dps[d]->setup(&t, &cfg, why, sizeof(why)) < 0) {
			printf("  setup would fail: %s\n", why);
			rc = VP_EXIT_FAIL;
		} else {
			int first = t.flags & TOPO_F_START_GUEST_FIRST;

			printf("  variant %s; per trial, %s end first:\n",
			       t.variant, first ? "guest" : "host");
			printf("   host end:\n");
			print_end(&t, TOPO_HOST, 1, o);
			printf("   guest end:\n");
			print_end(&t, TOPO_GUEST, 0, o);
			printf("   (h2g: host end tx, guest end rx; g2h the "
			       "reverse)\n");
		}
		o->dps[d]->teardown(&t);
		topo_ends_free(&t);
	}
	return rc;
}

/* The search result of each direction x size of the datapath being run,
 * found at trial 1 and used again by its later trials. */
struct search_memo {
	int valid;
	enum plan_dir dir;
	uint16_t frame_len;
	struct search_result res;
	char why[320];		/* when the search could not run */
};

struct run_state {
	struct runctx ctx;
	struct search_memo memo[2 * MAX_SIZES];
	struct runmeta meta;
	struct result_row *rows;
	size_t nb_rows;
	int nb_failed;
	const struct run_opts *opts;
	int fail_fast;			/* --fail-fast */
	int halted;			/* a row failed under --fail-fast */
};

static void keep_row(struct run_state *s, const struct result_row *r)
{
	struct result_row *n = realloc(s->rows, (s->nb_rows + 1) * sizeof(*n));

	if (!n)
		return;
	s->rows = n;
	s->rows[s->nb_rows++] = *r;
}

static void row_base(struct result_row *r, const struct run_opts *o,
		     const char *run_id, const struct topology_ops *dp,
		     const char *variant, const struct plan_item *it)
{
	memset(r, 0, sizeof(*r));
	util_strlcpy(r->run_id, run_id, sizeof(r->run_id));
	util_strlcpy(r->datapath, dp->name, sizeof(r->datapath));
	util_strlcpy(r->variant, variant, sizeof(r->variant));
	util_strlcpy(r->direction, plan_dir_name(it->dir), sizeof(r->direction));
	r->frame_len = it->frame_len;
	r->trial = it->trial;
	util_strlcpy(r->rate_kind, o->rate_pps ? "fixed" : "mrr",
		     sizeof(r->rate_kind));
	r->target_pps = (double)o->rate_pps;
}

static void record(struct run_state *s, const struct result_row *r)
{
	int rc = results_append(s->ctx.rf, r);

	if (rc < 0)
		util_errno(rc, "writing a row to results.csv");
	keep_row(s, r);
	s->meta.nb_rows++;
	if (strcmp(r->status, "ok")) {
		s->meta.nb_failed++;
		s->nb_failed++;
		if (s->fail_fast && !s->halted) {
			s->halted = 1;
			util_err("%s: %s; stopping (--fail-fast)", r->datapath,
				 r->status);
		}
	}
}

/* One plan item being run on the built topology s->ctx.topo. */
struct item_run {
	struct run_state *s;
	const struct run_opts *o;
	const struct plan_item *it;
	const struct topology_ops *dp;
	const struct host *h;
	const char *logdir;
	int nb_search;			/* search trials so far */
	const struct search_bound *bounds;	/* for ndr/pdr rows */
	char search_fail[256];		/* why a search trial failed */
};

/* Run one trial of ir's item at rate_pps (0: max) for duration_s, record
 * its row (rate_kind kind, load_pct) and print progress. 0, or -EINTR
 * when a signal stopped it (no row). The row is copied to *out. */
static int item_trial(struct item_run *ir, double rate_pps, double duration_s,
		      const char *kind, double load_pct, struct result_row *out)
{
	const struct run_opts *o = ir->o;
	const struct plan_item *it = ir->it;
	struct run_state *s = ir->s;
	char base[160], sz[16], capdir[4200];
	struct trial_cfg tc = {
		.exe = o->exe, .log_dir = ir->logdir, .log_base = base,
		.proc = ir->h->proc, .dir = it->dir,
		.frame_len = it->frame_len, .nb_flows = o->nb_flows,
		.rate_pps = (uint64_t)llround(rate_pps), .warmup_s = o->warmup_s,
		.duration_s = duration_s,
		.cpus = { o->cpus[0], o->cpus[1] }, .stop = &runctx_stop,
		.pcap = o->pcap[0] ? o->pcap : NULL,
		.capture_dir = o->capture_frames ? capdir : NULL,
		.capture_frames = o->capture_frames,
	};
	int rc;

	snprintf(capdir, sizeof(capdir), "%s/captures", o->out);

	if (!strcmp(kind, "search"))
		snprintf(base, sizeof(base), "%s-%s-%s-t%d-search%d",
			 ir->dp->name, plan_dir_name(it->dir),
			 pkt_size_name(it->frame_len, sz, sizeof(sz)), it->trial,
			 ++ir->nb_search);
	else
		snprintf(base, sizeof(base), "%s-%s-%s-t%d-%s%.0f",
			 ir->dp->name, plan_dir_name(it->dir),
			 pkt_size_name(it->frame_len, sz, sizeof(sz)), it->trial,
			 kind, load_pct);
	row_base(out, o, s->meta.run_id, ir->dp, s->ctx.topo.variant, it);
	util_strlcpy(out->rate_kind, kind, sizeof(out->rate_kind));
	out->target_pps = (double)tc.rate_pps;
	out->load_pct = load_pct;
	util_strlcpy(out->traffic, o->traffic, sizeof(out->traffic));
	if (ir->bounds) {
		out->search_lo_pps = ir->bounds->lo_pps;
		out->search_hi_pps = ir->bounds->hi_pps;
	}
	out->emulated = !!(s->ctx.topo.flags & TOPO_F_EMULATED);
	/* Under emulation an EAL start alone can take half a minute. */
	if (out->emulated)
		tc.ready_timeout_ns = 180000000000ull;
	rc = trial_run(&s->ctx.trial, &s->ctx.topo, &tc, out);
	if (rc == -EINTR)
		return rc;
	record(s, out);
	summary_progress(out, o->nb_trials);
	return s->halted ? -ECANCELED : 0;
}

/* A row that could not be measured (the search found no rate). */
static void item_failed(struct item_run *ir, const char *kind,
			double load_pct, const char *why)
{
	struct result_row row;

	row_base(&row, ir->o, ir->s->meta.run_id, ir->dp,
		 ir->s->ctx.topo.variant, ir->it);
	util_strlcpy(row.rate_kind, kind, sizeof(row.rate_kind));
	row.load_pct = load_pct;
	(void)!(snprintf(row.status, sizeof(row.status), "failed: %s", why) >= 0);
	record(ir->s, &row);
	summary_progress(&row, ir->o->nb_trials);
}

/* search_run's trial: a short fixed-rate trial, recorded as a "search"
 * row. A trial that failed outright (an engine died) ends the search. */
static int run_search_trial(void *ctx, double rate_pps, struct search_trial *t)
{
	struct item_run *ir = ctx;
	struct result_row row;
	int rc = item_trial(ir, rate_pps, ir->o->search_duration_s, "search",
			    0, &row);

	if (rc < 0)
		return rc;
	if (strcmp(row.status, "ok")) {
		util_strlcpy(ir->search_fail, row.status, sizeof(ir->search_fail));
		return -EIO;
	}
	t->target_pps = rate_pps;
	t->offered_pps = row.offered_pps;
	t->loss_ratio = row.loss_ratio;
	return 0;
}

static struct search_memo *memo_find(struct run_state *s,
				     const struct plan_item *it, int create)
{
	struct search_memo *m = s->memo;

	for (size_t i = 0; i < ARRAY_SIZE(s->memo); i++)
		if (m[i].valid && m[i].dir == it->dir &&
		    m[i].frame_len == it->frame_len)
			return &m[i];
	if (!create)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(s->memo); i++)
		if (!m[i].valid) {
			memset(&m[i], 0, sizeof(m[i]));
			m[i].valid = 1;
			m[i].dir = it->dir;
			m[i].frame_len = it->frame_len;
			return &m[i];
		}
	return NULL;
}

/* Trial 1 of a direction x size: MRR, then the NDR/PDR search. */
static int search_once(struct item_run *ir, struct search_memo *m)
{
	struct search_cfg cfg = ir->o->scfg;
	struct result_row mrr;
	int rc;

	rc = item_trial(ir, 0, ir->o->search_duration_s, "search", 0, &mrr);
	if (rc < 0)
		return rc;	/* -EINTR, or -ECANCELED (--fail-fast) */
	if (strcmp(mrr.status, "ok")) {
		snprintf(m->why, sizeof(m->why), "the MRR trial failed (%s)",
			 mrr.status);
		return 0;
	}
	cfg.max_pps = mrr.offered_pps;
	cfg.mrr_pps = mrr.rx_pps;
	if (cfg.min_pps >= cfg.max_pps)
		cfg.min_pps = cfg.max_pps / 10;
	rc = search_run(&cfg, run_search_trial, ir, &m->res);
	if (rc == -EINTR || rc == -ECANCELED)
		return rc;
	if (rc < 0)
		snprintf(m->why, sizeof(m->why), "a search trial failed (%s)",
			 ir->search_fail);
	else if (m->res.hit_cap)
		util_info("%s: search stopped at %d trials before reaching the "
			  "precision; NDR/PDR are the best bounds found",
			  ir->dp->name, m->res.nb_trials);
	return 0;
}

/* A final full-length trial at a found rate. */
static int search_final(struct item_run *ir, const struct search_bound *b,
			const char *kind)
{
	struct result_row row;
	char why[128];
	int rc;

	if (b->lo_pps <= 0) {
		snprintf(why, sizeof(why), "no rate passed the %s criterion "
			 "(down to the search's lowest rate)", kind);
		item_failed(ir, kind, 0, why);
		return ir->s->halted ? -ECANCELED : 0;
	}
	ir->bounds = b;
	rc = item_trial(ir, b->lo_pps, ir->o->duration_s, kind, 0, &row);
	ir->bounds = NULL;
	return rc;
}

/* --rate ndr|pdr for one plan item. */
static int search_item(struct item_run *ir)
{
	struct search_memo *m = memo_find(ir->s, ir->it, 0);
	int rc;

	if (!m) {
		m = memo_find(ir->s, ir->it, 1);
		if (!m)
			return -ENOMEM;
		rc = search_once(ir, m);
		if (rc < 0)
			return rc;
	}
	if (m->why[0]) {
		item_failed(ir, "ndr", 0, m->why);
		if (ir->s->halted)
			return -ECANCELED;
		item_failed(ir, "pdr", 0, m->why);
		for (int i = 0; i < ir->o->nb_lat_at; i++)
			item_failed(ir, "fixed", ir->o->lat_at[i], m->why);
		return 0;
	}
	rc = search_final(ir, &m->res.ndr, "ndr");
	if (rc < 0)
		return rc;
	rc = search_final(ir, &m->res.pdr, "pdr");
	if (rc < 0)
		return rc;
	for (int i = 0; i < ir->o->nb_lat_at; i++) {
		struct result_row row;
		double pct = ir->o->lat_at[i];

		if (m->res.ndr.lo_pps <= 0) {
			item_failed(ir, "fixed", pct, "no NDR to take a fraction of");
			if (ir->s->halted)
				return -ECANCELED;
			continue;
		}
		rc = item_trial(ir, m->res.ndr.lo_pps * pct / 100,
				ir->o->duration_s, "fixed", pct, &row);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Tear datapath dp down and set it up again after a failed trial. 0, or
 * -EIO when setup failed: then the items of d from index `from` on are
 * recorded as failed with the reason. */
static int rebuild(struct run_state *s, const struct topology_ops *dp,
		   const struct topology_cfg *cfg, const struct plan *p, int d,
		   size_t from)
{
	char why[512] = "";
	struct result_row row;
	int more = 0;

	for (size_t i = from; i < p->nb_items; i++)
		more |= p->items[i].dp == d;
	if (!more)
		return 0;
	util_info("%s: a trial failed; building the datapath afresh", dp->name);
	runctx_topo_release(&s->ctx);
	memset(&s->ctx.topo, 0, sizeof(s->ctx.topo));
	s->ctx.topo.ops = dp;
	s->ctx.topo_built = 1;
	if (dp->setup(&s->ctx.topo, cfg, why, sizeof(why)) == 0)
		return 0;
	util_err("%s: setup after a failed trial failed: %s", dp->name, why);
	for (size_t i = from; i < p->nb_items && !s->halted; i++) {
		if (p->items[i].dp != d)
			continue;
		row_base(&row, s->opts, s->meta.run_id, dp, "", &p->items[i]);
		if (snprintf(row.status, sizeof(row.status), "failed: setup: %s",
			     why) >= (int)sizeof(row.status))
			row.status[sizeof(row.status) - 1] = '\0';
		record(s, &row);
	}
	runctx_topo_release(&s->ctx);
	return -EIO;
}

/* Build datapath d, run its part of the plan, tear it down. */
static int run_datapath(struct run_state *s, const struct run_opts *o,
			const struct plan *p, int d, const struct host *h,
			const char *tag)
{
	const struct topology_ops *dp = o->dps[d];
	struct runmeta_dp *md = &s->meta.dps[d];
	struct topology_cfg cfg = {
		.run_id = s->meta.run_id, .tag = tag, .workdir = s->ctx.workdir,
		.host = h, .max_frame = run_max_frame(o),
		.pf = o->pf, .allow_vf_reset = o->allow_vf_reset,
	};
	char why[512] = "", logdir[4200];
	struct result_row row;
	int rc;

	snprintf(logdir, sizeof(logdir), "%s/logs", o->out);
	memset(&s->ctx.topo, 0, sizeof(s->ctx.topo));
	s->ctx.topo.ops = dp;
	s->ctx.topo_built = 1;
	util_info("%s: setting up", dp->name);
	rc = dp->setup(&s->ctx.topo, &cfg, why, sizeof(why));
	util_strlcpy(md->variant, s->ctx.topo.variant, sizeof(md->variant));
	if (rc < 0) {
		util_err("%s: setup failed: %s", dp->name, why);
		/* a long reason is cut to the column's size */
		if (snprintf(md->status, sizeof(md->status), "failed: setup: %s",
			     why) >= (int)sizeof(md->status))
			md->status[sizeof(md->status) - 1] = '\0';
		for (size_t i = 0; i < p->nb_items; i++) {
			if (p->items[i].dp != d)
				continue;
			row_base(&row, o, s->meta.run_id, dp, "", &p->items[i]);
			util_strlcpy(row.status, md->status, sizeof(row.status));
			record(s, &row);
		}
		runctx_topo_release(&s->ctx);
		return 0;
	}
	util_strlcpy(md->status, "ran", sizeof(md->status));
	memset(s->memo, 0, sizeof(s->memo));
	for (size_t i = 0; i < p->nb_items && !runctx_stop; i++) {
		struct item_run ir = { .s = s, .o = o, .it = &p->items[i],
				       .dp = dp, .h = h, .logdir = logdir };
		int nb_failed = s->nb_failed;

		if (p->items[i].dp != d)
			continue;
		if (o->search)
			rc = search_item(&ir);
		else
			rc = item_trial(&ir, (double)o->rate_pps, o->duration_s,
					o->rate_pps ? "fixed" : "mrr", 0, &row);
		if (rc == -EINTR || rc == -ECANCELED)
			break;
		/* An engine that died or hung can leave the path unusable for
		 * the next trial (a vhost-user socket nobody listens on, a
		 * ring half written): build it afresh before going on. */
		if (s->nb_failed > nb_failed && !runctx_stop &&
		    rebuild(s, dp, &cfg, p, d, i + 1) < 0)
			break;
	}
	runctx_topo_release(&s->ctx);
	return 0;
}

/* Record this run's --cpus in its workdir ("cpus": "A,B") and warn when
 * another live run (its owner marker names a live pid) uses one of them:
 * two runs polling one core both measure the sharing. */
static void note_cpus(const struct run_opts *o, const char *workdir)
{
	char path[4200], buf[160], mine[32], *pid_s;
	struct dirent *e;
	DIR *d;
	int n, fd;

	n = snprintf(mine, sizeof(mine), "%d,%d", o->cpus[0], o->cpus[1]);
	snprintf(path, sizeof(path), "%s/cpus", workdir);
	/* a missing file only costs another run this warning */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, mine, (size_t)n);
		close(fd);
	}
	d = opendir(WORKDIR_ROOT);
	if (!d)
		return;
	while ((e = readdir(d))) {
		int c[2];
		long pid;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/" WORKDIR_MARKER,
			 WORKDIR_ROOT, e->d_name);
		if (util_read_file(path, buf, sizeof(buf)) < 0 ||
		    !(pid_s = strstr(buf, "pid=")))
			continue;
		pid = strtol(pid_s + 4, NULL, 10);
		if (pid <= 0 || pid == (long)getpid() ||
		    (kill((pid_t)pid, 0) < 0 && errno != EPERM))
			continue;
		snprintf(path, sizeof(path), "%s/%s/cpus", WORKDIR_ROOT,
			 e->d_name);
		if (util_read_file(path, buf, sizeof(buf)) < 0 ||
		    sscanf(buf, "%d,%d", &c[0], &c[1]) != 2)
			continue;
		for (int i = 0; i < 2; i++)
			if (c[i] >= 0 && (c[i] == o->cpus[0] ||
					  c[i] == o->cpus[1])) {
				util_err("warning: core %d is also used by "
					 "the run of pid %ld (--cpus %d,%d): "
					 "the figures of both runs will show "
					 "the sharing; give each run its own "
					 "cores with --cpus", c[i], pid, c[0],
					 c[1]);
				break;
			}
	}
	closedir(d);
}

static int run(const struct run_opts *o, const struct plan *p,
	       const struct host *h, int argc, char **argv, const char *run_id)
{
	struct run_state *s = calloc(1, sizeof(*s));
	char tag[RUNID_TAG_LEN];
	int rc, code = VP_EXIT_OK;

	if (!s) {
		util_err("run: out of memory");
		return VP_EXIT_FAIL;
	}
	runctx_init(&s->ctx);
	runctx_signals();
	s->fail_fast = o->fail_fast;
	s->opts = o;
	util_strlcpy(s->meta.run_id, run_id, sizeof(s->meta.run_id));
	s->meta.start_ns = util_wall_ns();
	runmeta_host(&s->meta, h->proc);
	s->meta.tsc_hz = (double)tsc_measure_hz(50);
	s->meta.argc = argc;
	s->meta.argv = argv;
	meta_options(&s->meta, o);
	for (int i = 0; i < o->nb_dps && i < RUNMETA_MAX_DPS; i++) {
		util_strlcpy(s->meta.dps[i].name, o->dps[i]->name,
			     sizeof(s->meta.dps[i].name));
		util_strlcpy(s->meta.dps[i].status, "planned",
			     sizeof(s->meta.dps[i].status));
	}
	s->meta.nb_dps = o->nb_dps;
	for (int i = 0; i < o->nb_unavail; i++)
		s->meta.unavail[i] = o->unavail[i];
	s->meta.nb_unavail = o->nb_unavail;

	rc = results_open(&s->ctx.rf, o->out);
	if (rc < 0) {
		util_errno(rc, "cannot create %s/results.csv", o->out);
		code = VP_EXIT_FAIL;
		goto out;
	}
	rc = runmeta_write(&s->meta, o->out);
	if (rc < 0)
		util_errno(rc, "cannot write %s/run.json", o->out);
	/* a fresh tag each attempt: a leftover dir of a crashed run with the
	 * same tag must not be taken over */
	for (int tries = 0; tries < 5; tries++) {
		runid_tag(tag, sizeof(tag));
		rc = workdir_create(s->ctx.workdir, sizeof(s->ctx.workdir),
				    WORKDIR_ROOT, tag, run_id);
		if (rc != -EEXIST)
			break;
	}
	if (rc < 0) {
		s->ctx.workdir[0] = '\0';
		util_errno(rc, "cannot create the workdir under %s (run as root, "
			   "or make %s writable)", WORKDIR_ROOT, WORKDIR_ROOT);
		code = VP_EXIT_FAIL;
		goto out;
	}
	note_cpus(o, s->ctx.workdir);
	util_info("run %s: %zu trials -> %s", run_id, p->nb_items, o->out);
	for (int i = 0; i < o->nb_unavail; i++)
		util_info("%s: skipped, this host cannot build it: %s",
			  o->unavail[i].name, o->unavail[i].status);
	for (int d = 0; d < o->nb_dps && !runctx_stop && !s->halted; d++)
		run_datapath(s, o, p, d, h, tag);
out:
	runctx_destroy(&s->ctx);
	s->meta.end_ns = util_wall_ns();
	/* an error before the plan was done counts as an interruption too */
	s->meta.interrupted = runctx_stop != 0 || code != VP_EXIT_OK;
	rc = runmeta_write(&s->meta, o->out);
	if (rc < 0)
		util_errno(rc, "cannot write %s/run.json", o->out);
	if (s->nb_rows) {
		summary_table(stdout, s->rows, s->nb_rows);
		printf("results: %s/results.csv\n", o->out);
	}
	if (runctx_stop) {
		util_err("interrupted by signal %d; finished rows are in %s",
			 runctx_stop, o->out);
		code = 128 + runctx_stop;
	} else if (s->nb_failed) {
		code = VP_EXIT_FAIL;
	}
	free(s->rows);
	free(s);
	return code;
}

/* The running binary by its real path, so engines show as "vioperf" in
 * ps; /proc/self/exe when it was replaced or removed meanwhile. */
static void exe_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0 || (size_t)n >= len - 1 || access(buf, X_OK) < 0) {
		util_strlcpy(buf, "/proc/self/exe", len);
		return;
	}
	buf[n] = '\0';
	if (strstr(buf, " (deleted)"))
		util_strlcpy(buf, "/proc/self/exe", len);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct plan p = { 0 };
	char run_id[RUNID_LEN];
	struct host h;
	int help = 0, code;

	memset(&o, 0, sizeof(o));
	host_default(&h);
	if (parse_opts(&o, argc, argv, &h, &help) < 0)
		return VP_EXIT_USAGE;
	if (help) {
		usage(stdout);
		return VP_EXIT_OK;
	}
	util_set_quiet(o.quiet);
	exe_path(o.exe, sizeof(o.exe));
	runid_make(run_id, sizeof(run_id), util_wall_ns());
	if (!o.out_given) {
		snprintf(o.out, sizeof(o.out), "results/%s", run_id);
		if (check_out(&o) < 0)
			return VP_EXIT_USAGE;
	}
	if (plan_build(&p, o.nb_dps, o.dirs, o.nb_dirs, o.sizes, o.nb_sizes,
		       o.nb_trials) < 0) {
		util_err("run: out of memory building the plan");
		return VP_EXIT_FAIL;
	}
	if (o.dry_run) {
		code = dry_run(&o, &p, &h);
		plan_free(&p);
		return code;
	}
	if (check_workdir_root() < 0 || make_out(&o) < 0) {
		plan_free(&p);
		return VP_EXIT_USAGE;
	}
	code = run(&o, &p, &h, argc + 1, argv - 1, run_id);
	plan_free(&p);
	return code;
}
