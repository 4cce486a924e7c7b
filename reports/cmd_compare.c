#include <stdio.h>
#include <string.h>

#include "../harness/commands.h"
#include "../harness/util.h"

int cmd_compare(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf compare (not implemented yet: issue #6)\n");
		return VP_EXIT_OK;
	}
	util_err("compare: not implemented yet (issue #6)");
	return VP_EXIT_USAGE;
}
