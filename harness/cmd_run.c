#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

int cmd_run(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf run (not implemented yet: issue #2)\n");
		return VP_EXIT_OK;
	}
	util_err("run: not implemented yet (issue #2)");
	return VP_EXIT_USAGE;
}
