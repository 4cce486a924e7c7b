/* vioperf plan: cores and VMs per host from measured cycles per packet. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/results.h"
#include "../harness/util.h"
#include "gnuplot.h"
#include "outdir.h"
#include "plan.h"
#include "runjson.h"

static void cmd_plan_usage(FILE *f)
{
	fprintf(f,
"usage: vioperf plan DIR --target-mpps N [--frame-len L] [--cores-per-host C]\n"
"                    [--per-vm-mpps R] [--out OUTDIR]\n"
"\n"
"From the cycles per packet measured in DIR (a results directory), per\n"
"datapath and direction: Mpps per core, cores needed for N Mpps and, with\n"
"--per-vm-mpps, the cores per VM of R Mpps and how many such VMs fit a\n"
"host of C cores.\n"
"\n"
"  --target-mpps N     the traffic to carry, in Mpps (required)\n"
"  --frame-len L       frame size the plan is for: 64..9216 or imix\n"
"                      (default 64; it must have been measured)\n"
"  --cores-per-host C  cores a host gives to packet work\n"
"  --per-vm-mpps R     traffic of one VM, in Mpps\n"
"  --out OUTDIR        where plan.md, plan.gp, plan.png and plan.svg go\n"
"                      (default DIR/plan)\n"
"\n"
"%s\n"
"Exit status: 0 written, 2 bad input (options, unreadable or malformed\n"
"results, nothing measured at that frame size) or unwritable output.\n",
		plan_model_text);
}

static int cmd_plan_frame(const char *s, uint16_t *out)
{
	uint64_t v;

	if (!strcmp(s, "imix")) {
		*out = 0;
		return 0;
	}
	if (util_parse_u64(s, 64, 9216, 0, &v) < 0)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

static double cmd_plan_tsc_from_json(const struct result_set *set)
{
	char path[600], why[256];
	const char *slash = strrchr(set->source, '/'), *v;
	struct runjson j;
	double tsc = 0;

	snprintf(path, sizeof(path), "%.*s/run.json",
		 slash ? (int)(slash - set->source) : 1,
		 slash ? set->source : ".");
	if (runjson_read(path, &j, why, sizeof(why)) < 0)
		return 0;
	v = runjson_get(&j, "tsc_hz");
	if (v && util_parse_double(v, 1, 1e12, &tsc) < 0)
		tsc = 0;
	runjson_free(&j);
	return tsc;
}

static int cmd_plan_write(const char *final, const struct plan_input *in,
			  const struct plan_line *lines, size_t nb)
{
	struct outdir o;
	char why[1024], path[2300];
	FILE *f;
	int ret, bad;

	if ((ret = outdir_begin(&o, final, why, sizeof(why))) < 0) {
		util_err("plan: %s", why);
		return ret;
	}
	outdir_path(&o, "plan.md", path, sizeof(path));
	if (!(f = fopen(path, "w")))
		goto io;
	fputs("# vioperf capacity plan\n\n", f);
	plan_print(f, in, lines, nb);
	fputs("\n![cores needed](plan.svg)\n", f);
	bad = ferror(f);
	if (fclose(f) || bad)
		goto io;
	outdir_path(&o, "plan.gp", path, sizeof(path));
	if (!(f = fopen(path, "w")))
		goto io;
	plan_chart(f, in, lines, nb);
	bad = ferror(f);
	if (fclose(f) || bad)
		goto io;
	if ((ret = gp_run(o.tmp, "plan.gp", why, sizeof(why))) < 0)
		goto fail;
	if ((ret = outdir_commit(&o, why, sizeof(why))) < 0) {
		util_err("plan: %s", why);
		return ret;
	}
	return 0;
io:
	ret = -errno;
	util_why(why, sizeof(why), ret, "%s: %s", path, strerror(errno));
fail:
	util_err("plan: %s; nothing was written", why);
	outdir_abort(&o);
	return ret;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target-mpps", required_argument, NULL, 't' },
		{ "frame-len", required_argument, NULL, 'f' },
		{ "cores-per-host", required_argument, NULL, 'c' },
		{ "per-vm-mpps", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct plan_input in = { .frame_len = 64 };
	struct plan_line *lines = NULL;
	struct result_set set;
	const char *out = NULL;
	char why[1024], def_out[700];
	size_t nb;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (util_parse_double(optarg, 1e-6, 1e6,
					      &in.target_mpps) < 0) {
				util_err("plan: --target-mpps '%s': give a rate "
					 "in Mpps such as 10", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'f':
			if (cmd_plan_frame(optarg, &in.frame_len) < 0) {
				util_err("plan: --frame-len '%s': give 64..9216 "
					 "or imix", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'c':
			if (util_parse_double(optarg, 1, 1e5,
					      &in.cores_per_host) < 0) {
				util_err("plan: --cores-per-host '%s': give a "
					 "number of cores such as 32", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'r':
			if (util_parse_double(optarg, 1e-6, 1e6,
					      &in.per_vm_mpps) < 0) {
				util_err("plan: --per-vm-mpps '%s': give a rate "
					 "in Mpps such as 1", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			cmd_plan_usage(stdout);
			return VP_EXIT_OK;
		default:
			util_err("plan: unknown or incomplete option '%s'; see "
				 "'vioperf plan --help'", argv[optind - 1]);
			return VP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		util_err("plan: give one results directory; see 'vioperf plan "
			 "--help'");
		return VP_EXIT_USAGE;
	}
	if (!(in.target_mpps > 0)) {
		util_err("plan: --target-mpps is required (the Mpps to carry)");
		return VP_EXIT_USAGE;
	}
	if ((ret = results_read(argv[optind], &set, why, sizeof(why))) < 0) {
		util_err("plan: %s", why);
		return VP_EXIT_USAGE;
	}
	in.tsc_hz = cmd_plan_tsc_from_json(&set);
	ret = plan_compute(&set, &in, &lines, &nb, why, sizeof(why));
	if (ret < 0) {
		util_err("plan: %s", why);
		results_free(&set);
		return VP_EXIT_USAGE;
	}
	if (!out) {
		const char *slash = strrchr(set.source, '/');

		snprintf(def_out, sizeof(def_out), "%.*s/plan",
			 slash ? (int)(slash - set.source) : 1,
			 slash ? set.source : ".");
		out = def_out;
	}
	ret = cmd_plan_write(out, &in, lines, nb);
	if (!ret) {
		plan_print(stdout, &in, lines, nb);
		printf("\nchart: %s/plan.svg (and plan.png)\n", out);
	}
	free(lines);
	results_free(&set);
	return ret < 0 ? VP_EXIT_USAGE : VP_EXIT_OK;
}
