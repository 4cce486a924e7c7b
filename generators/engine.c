#include <stdio.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/util.h"

int cmd_engine(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf engine (not implemented yet: issue #2)\n");
		return VP_EXIT_OK;
	}
	util_err("engine: not implemented yet (issue #2)");
	return VP_EXIT_USAGE;
}
