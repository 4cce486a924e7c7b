/* libFuzzer target: the results CSV reader (compare/report/plan input). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"

#include "../../harness/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32];
	char why[512];
	struct result_set set;

	if (fuzz_file(data, size, path) < 0)
		return 0;
	memset(&set, 0, sizeof(set));
	if (results_read(path, &set, why, sizeof(why)) == 0) {
		if (set.nb_rows == 0)
			abort();	/* "no rows" must be an error */
		results_free(&set);
	} else if (why[0] == '\0') {
		abort();		/* every refusal says why */
	}
	unlink(path);
	return 0;
}
