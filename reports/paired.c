/* compare --paired: alternate two builds in one job (paired.h). */
#include "paired.h"

#include <stdio.h>
#include <string.h>

#include "../harness/util.h"

int paired_main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: vioperf compare --paired OLD_VIOPERF NEW_VIOPERF "
		       "[RUN OPTIONS...]\n(not yet available)\n");
		return VP_EXIT_OK;
	}
	util_err("compare --paired: not yet available; run both builds with "
		 "'vioperf run' and compare the two results directories");
	return VP_EXIT_USAGE;
}
