#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"

int cmd_cleanup(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf cleanup (not implemented yet: issue #8)\n");
		return VP_EXIT_OK;
	}
	util_err("cleanup: not implemented yet (issue #8)");
	return VP_EXIT_USAGE;
}
