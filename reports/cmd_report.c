/* vioperf report: charts (gnuplot, PNG + SVG), index.html and summary.md
 * from one or more results directories. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/util.h"
#include "gnuplot.h"
#include "outdir.h"
#include "report.h"

static void cmd_report_usage(FILE *f)
{
	fprintf(f,
"usage: vioperf report DIR [DIR...] [--out OUTDIR] [--line-rate-gbps G]\n"
"\n"
"Charts, an HTML page and a Markdown summary of results directories\n"
"(results/<run-id>/, or their results.csv; run.json is read beside it).\n"
"\n"
"  --out OUTDIR        where to write (default: the first DIR's report/);\n"
"                      replaced as a whole, only if vioperf wrote it\n"
"  --line-rate-gbps G  reference line in the Gbit/s chart (default 10)\n"
"\n"
"Writes OUTDIR/index.html (self-contained: charts as relative SVG images,\n"
"every table, run metadata, unavailable datapaths), OUTDIR/summary.md (the\n"
"same tables), and per chart NAME.png, NAME.svg and the NAME.gp script\n"
"that draws them (mpps, gbps, latency, latency_load, cycles, cores; a\n"
"chart without data is left out). Values are medians over the ok trials\n"
"with an interval: min-max for 2-5 trials, the 95%% order-statistic CI of\n"
"the median from 6. Failed trials are counted and left out; emulated rows\n"
"are listed as function checks, never charted as speed.\n"
"\n"
"Exit status: 0 written, 2 bad input or unwritable output (nothing is\n"
"written then).\n");
}

static int cmd_report_default_out(const struct report *rep, char *out,
				  size_t len)
{
	const char *src = rep->in[0].set.source;
	const char *slash = strrchr(src, '/');

	if (!slash)
		return snprintf(out, len, "report") >= (int)len ? -ENAMETOOLONG : 0;
	if (snprintf(out, len, "%.*s/report", (int)(slash - src), src) >=
	    (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int cmd_report_write(struct report *rep, const char *final)
{
	struct outdir o;
	char why[1024], path[2300];
	int ret;

	if ((ret = outdir_begin(&o, final, why, sizeof(why))) < 0) {
		util_err("report: %s", why);
		return ret;
	}
	if ((ret = charts_write(rep, o.tmp, why, sizeof(why))) < 0)
		goto fail;
	for (size_t i = 0; i < rep->nb_charts; i++) {
		char script[64];

		snprintf(script, sizeof(script), "%s.gp", rep->charts[i].name);
		if ((ret = gp_run(o.tmp, script, why, sizeof(why))) < 0)
			goto fail;
	}
	outdir_path(&o, "summary.md", path, sizeof(path));
	if ((ret = md_write(rep, path)) < 0) {
		util_why(why, sizeof(why), ret, "%s: %s", path, strerror(-ret));
		goto fail;
	}
	outdir_path(&o, "index.html", path, sizeof(path));
	if ((ret = html_write(rep, path)) < 0) {
		util_why(why, sizeof(why), ret, "%s: %s", path, strerror(-ret));
		goto fail;
	}
	if ((ret = outdir_commit(&o, why, sizeof(why))) < 0) {
		util_err("report: %s", why);
		return ret;
	}
	return 0;
fail:
	util_err("report: %s; nothing was written", why);
	outdir_abort(&o);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "line-rate-gbps", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	double line_rate = 10;
	struct report rep;
	char why[1024], def_out[2048];
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'l':
			if (util_parse_double(optarg, 0.001, 1e6, &line_rate) < 0) {
				util_err("report: --line-rate-gbps '%s': give a "
					 "rate in Gbit/s such as 10", optarg);
				return VP_EXIT_USAGE;
			}
			break;
		case 'h':
			cmd_report_usage(stdout);
			return VP_EXIT_OK;
		default:
			util_err("report: unknown or incomplete option '%s'; "
				 "see 'vioperf report --help'", argv[optind - 1]);
			return VP_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		util_err("report: give at least one results directory; see "
			 "'vioperf report --help'");
		return VP_EXIT_USAGE;
	}
	ret = report_load(&rep, argv + optind, (size_t)(argc - optind), why,
			  sizeof(why));
	if (ret < 0) {
		util_err("report: %s", why);
		report_free(&rep);
		return VP_EXIT_USAGE;
	}
	rep.line_rate_gbps = line_rate;
	if ((ret = report_tables(&rep)) < 0) {
		util_errno(ret, "report");
		report_free(&rep);
		return VP_EXIT_USAGE;
	}
	if (!out) {
		if (cmd_report_default_out(&rep, def_out, sizeof(def_out)) < 0) {
			util_err("report: output path too long; give --out");
			report_free(&rep);
			return VP_EXIT_USAGE;
		}
		out = def_out;
	}
	ret = cmd_report_write(&rep, out);
	report_free(&rep);
	if (ret < 0)
		return VP_EXIT_USAGE;
	printf("%s/index.html\n", out);
	return VP_EXIT_OK;
}
