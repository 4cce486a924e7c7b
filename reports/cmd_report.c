#include <stdio.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/util.h"

int cmd_report(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf report (not implemented yet: issue #6)\n");
		return VP_EXIT_OK;
	}
	util_err("report: not implemented yet (issue #6)");
	return VP_EXIT_USAGE;
}
