/* libFuzzer target: the option value parsers (size lists, numbers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../generators/pkt.h"
#include "../../harness/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[512], why[256];
	uint16_t sizes[16];
	uint64_t u;
	double d;
	int n;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	n = pkt_parse_sizes(s, sizes, 16, why, sizeof(why));
	if (n > 16)
		abort();
	for (int i = 0; i < n; i++)
		if (sizes[i] != PKT_IMIX &&
		    (sizes[i] < PKT_MIN_FRAME || sizes[i] > PKT_MAX_FRAME))
			abort();
	if (util_parse_u64(s, 1, 1000000, 1, &u) == 0 && (u < 1 || u > 1000000))
		abort();
	if (util_parse_double(s, 0.1, 3600, &d) == 0 && (d < 0.1 || d > 3600))
		abort();
	return 0;
}
