/* vioperf run: validate everything, then build each datapath, run the
 * plan's trials on it, write results/<run-id>/ (results.csv + run.json),
 * tear down, summarize. Nothing is acquired before every option checked
 * out; after that one owner (struct runctx) releases all of it. */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "../generators/pkt.h"
#include "../generators/tsc.h"
#include "../topologies/topology.h"
#include "commands.h"
#include "plan.h"
#include "runctx.h"
#include "runid.h"
#include "runmeta.h"
#include "summary.h"
#include "trial.h"
#include "util.h"
#include "workdir.h"

#define MAX_SIZES 16
#define MAX_DPS 16

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
	double duration_s, warmup_s;
	int nb_trials;
	uint32_t nb_flows;
	char out[4096];
	int out_given, force, dry_run, quiet;
	int cpus[2];
	char exe[4096];		/* this binary, for the engines */
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
"  --rate max|PPS        offered load: maximum (MRR) or a fixed rate in\n"
"                        frames/s, k/M/G suffixes (default max)\n"
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
"  --dry-run             print the plan and the topology actions, do nothing\n"
"  --quiet               no progress lines\n\n"
"Exit: 0 every trial ok, 1 a trial or datapath failed, 2 bad options,\n"
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
			snprintf(path, sizeof(path), "%s/logs", o->out);
		}
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

static int parse_opts(struct run_opts *o, int argc, char **argv,
		      const struct host *h, int *help)
{
	static const struct option opts[] = {
		{ "datapath", required_argument, NULL, 'd' },
		{ "direction", required_argument, NULL, 'D' },
		{ "sizes", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "trials", required_argument, NULL, 'n' },
		{ "flows", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cpus = NULL, *dur = "5", *warm = "1", *trials = "1",
		   *flows = "1";
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
		case 's': o->size_arg = optarg; break;
		case 'r': o->rate_arg = optarg; break;
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
	if (!strcmp(o->rate_arg, "max"))
		o->rate_pps = 0;
	else if (util_parse_u64(o->rate_arg, 1, 1000000000ull, 1,
				&o->rate_pps) < 0)
		return bad("--rate", o->rate_arg,
			   "valid: max, or frames/s from 1 to 1G (k/M/G suffixes)");
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
	runmeta_opt(m, "rate_pps", 1, "%llu", (unsigned long long)o->rate_pps);
	runmeta_opt(m, "duration_s", 1, "%g", o->duration_s);
	runmeta_opt(m, "warmup_s", 1, "%g", o->warmup_s);
	runmeta_opt(m, "trials", 1, "%d", o->nb_trials);
	runmeta_opt(m, "flows", 1, "%u", o->nb_flows);
	runmeta_opt(m, "cpus", 0, "%d,%d", o->cpus[0], o->cpus[1]);
	runmeta_opt(m, "out", 0, "%s", o->out);
	runmeta_opt(m, "force", 1, "%s", o->force ? "true" : "false");
}

static void print_plan(const struct run_opts *o, const struct plan *p)
{
	char sz[16];

	printf("plan: %zu trials (%d datapaths x %d directions x %d sizes x %d "
	       "trials), %g s warm-up + %g s each, rate %s\n", p->nb_items,
	       o->nb_dps, o->nb_dirs, o->nb_sizes, o->nb_trials, o->warmup_s,
	       o->duration_s, o->rate_arg);
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
			.max_frame = plan_max_frame(o->sizes, o->nb_sizes),
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

struct run_state {
	struct runctx ctx;
	struct runmeta meta;
	struct result_row *rows;
	size_t nb_rows;
	int nb_failed;
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
	}
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
		.host = h, .max_frame = plan_max_frame(o->sizes, o->nb_sizes),
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
	for (size_t i = 0; i < p->nb_items && !runctx_stop; i++) {
		const struct plan_item *it = &p->items[i];
		char base[128], sz[16];
		struct trial_cfg tc = {
			.exe = o->exe, .log_dir = logdir, .log_base = base,
			.proc = h->proc, .dir = it->dir,
			.frame_len = it->frame_len, .nb_flows = o->nb_flows,
			.rate_pps = o->rate_pps, .warmup_s = o->warmup_s,
			.duration_s = o->duration_s,
			.cpus = { o->cpus[0], o->cpus[1] }, .stop = &runctx_stop,
		};

		if (it->dp != d)
			continue;
		snprintf(base, sizeof(base), "%s-%s-%s-t%d", dp->name,
			 plan_dir_name(it->dir),
			 pkt_size_name(it->frame_len, sz, sizeof(sz)), it->trial);
		row_base(&row, o, s->meta.run_id, dp, s->ctx.topo.variant, it);
		row.emulated = !!(s->ctx.topo.flags & TOPO_F_EMULATED);
		rc = trial_run(&s->ctx.trial, &s->ctx.topo, &tc, &row);
		if (rc == -EINTR)
			break;
		record(s, &row);
		summary_progress(&row, o->nb_trials);
	}
	runctx_topo_release(&s->ctx);
	return 0;
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
	util_info("run %s: %zu trials -> %s", run_id, p->nb_items, o->out);
	for (int i = 0; i < o->nb_unavail; i++)
		util_info("%s: skipped, this host cannot build it: %s",
			  o->unavail[i].name, o->unavail[i].status);
	for (int d = 0; d < o->nb_dps && !runctx_stop; d++)
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
	if (make_out(&o) < 0) {
		plan_free(&p);
		return VP_EXIT_USAGE;
	}
	code = run(&o, &p, &h, argc + 1, argv - 1, run_id);
	plan_free(&p);
	return code;
}
