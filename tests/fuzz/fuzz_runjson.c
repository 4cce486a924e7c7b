/* libFuzzer target: the run.json reader of the reports. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../reports/runjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char why[256];
	struct runjson j;
	int ret;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	why[0] = '\0';
	ret = runjson_parse(s, &j, why, sizeof(why));
	if (ret == 0) {
		/* every member found is a terminated key/value */
		for (size_t i = 0; i < j.nb; i++)
			if (strlen(j.kv[i].key) >= sizeof(j.kv[i].key) ||
			    strlen(j.kv[i].val) >= sizeof(j.kv[i].val))
				abort();
		runjson_free(&j);
	} else if (ret != -EINVAL && ret != -ENOMEM) {
		abort();
	} else if (ret == -EINVAL && why[0] == '\0') {
		abort();	/* every refusal says why */
	}
	free(s);
	return 0;
}
