/* Measuring the TSC rate. */
#include <time.h>

#include "tsc.h"

static uint64_t raw_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_RAW, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One (clock, tsc) pair, taken where the clock read was fastest of a few
 * tries, so a preemption between the reads does not skew the pair. */
static int pair(uint64_t *ns, uint64_t *tsc)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 8; i++) {
		uint64_t t0 = tsc_read(), n = raw_ns(), t1 = tsc_read();

		if (!n)
			return -1;
		if (t1 - t0 < best) {
			best = t1 - t0;
			*ns = n;
			*tsc = t0 + (t1 - t0) / 2;
		}
	}
	return 0;
}

uint64_t tsc_measure_hz(unsigned window_ms)
{
	uint64_t n0, c0, n1, c1;
	struct timespec req = { .tv_sec = window_ms / 1000,
				.tv_nsec = (long)(window_ms % 1000) * 1000000L };

	if (pair(&n0, &c0))
		return 0;
	while (nanosleep(&req, &req))
		;
	if (pair(&n1, &c1) || n1 <= n0)
		return 0;
	return (uint64_t)((double)(c1 - c0) * 1e9 / (double)(n1 - n0) + 0.5);
}
