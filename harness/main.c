/* vioperf: dispatch to the sub-commands. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static const struct command commands[] = {
	{ "list", "datapaths of DESIGN.md and whether this host can build them", cmd_list },
	{ "run", "build datapaths, move traffic, write results/<run-id>/", cmd_run },
	{ "report", "charts, index.html and summary.md from results", cmd_report },
	{ "compare", "verdict per metric between a baseline and a candidate", cmd_compare },
	{ "plan", "capacity planning from measured cycles per packet", cmd_plan },
	{ "cleanup", "remove what interrupted runs left behind", cmd_cleanup },
	{ "engine", "(internal) one generator or receiver process", cmd_engine },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vioperf COMMAND [OPTIONS]   (vioperf COMMAND --help)\n\n"
		   "vioperf %s: performance characterization of virtualization\n"
		   "network I/O paths (Mpps, latency, CPU cost).\n\ncommands:\n",
		vioperf_version);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return VP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return VP_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vioperf %s\n", vioperf_version);
		return VP_EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].main(argc - 1, argv + 1);
	util_err("unknown command '%s'; see 'vioperf --help'", argv[1]);
	return VP_EXIT_USAGE;
}
