#include <stdio.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/util.h"

int cmd_plan(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf plan (not implemented yet: issue #6)\n");
		return VP_EXIT_OK;
	}
	util_err("plan: not implemented yet (issue #6)");
	return VP_EXIT_USAGE;
}
