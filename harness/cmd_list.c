/* vioperf list: every datapath of DESIGN.md, and whether this host can
 * build it, or exactly why not. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../topologies/topology.h"
#include "commands.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vioperf list [--available]\n\n"
		"One line per datapath: 'yes' when this host can build it,\n"
		"else 'no' and what is missing with how to get it.\n\n"
		"  --available   print only the names this host can build\n"
		"                (the default of 'vioperf run --datapath all')\n");
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "available", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int only_avail = 0, c, w = 8;
	struct host h;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		switch (c) {
		case 'a': only_avail = 1; break;
		case 'h': usage(stdout); return VP_EXIT_OK;
		default: usage(stderr); return VP_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		util_err("list: unexpected argument '%s'", argv[optind]);
		return VP_EXIT_USAGE;
	}
	host_default(&h);
	for (const struct topology_ops *const *o = topo_table; *o; o++)
		if ((int)strlen((*o)->name) > w)
			w = (int)strlen((*o)->name);
	if (!only_avail)
		printf("%-*s %-4s %s\n", w, "DATAPATH", "OK", "DETAIL");
	for (const struct topology_ops *const *o = topo_table; *o; o++) {
		char why[512] = "";
		int rc = (*o)->probe(&h, why, sizeof(why));

		if (only_avail) {
			if (rc == 0)
				printf("%s\n", (*o)->name);
			continue;
		}
		printf("%-*s %-4s %s\n", w, (*o)->name, rc == 0 ? "yes" : "no",
		       rc == 0 ? (*o)->summary : why);
	}
	return VP_EXIT_OK;
}
