/* The time-stamp counter: read inline on the hot path, its rate measured
 * (never assumed from /proc/cpuinfo) at engine start. Both engines of a
 * trial run on one host, so their TSCs share one time base (invariant TSC,
 * constant_tsc + nonstop_tsc). */
#ifndef VIOPERF_TSC_H
#define VIOPERF_TSC_H

#include <stdint.h>
#include <time.h>

/* Current TSC (x86 rdtsc; elsewhere CLOCK_MONOTONIC_RAW in ns, so the
 * measured rate is then 1e9). No serialization: one read per burst. */
static inline uint64_t tsc_read(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
#endif
}

/* Measure the TSC rate against CLOCK_MONOTONIC_RAW over window_ms
 * (50..100 ms is enough for better than 10 ppm). Returns Hz, or 0 when the
 * clock could not be read. */
uint64_t tsc_measure_hz(unsigned window_ms);

/* Convert cycles to ns at hz. */
static inline double tsc_to_ns(uint64_t cycles, uint64_t hz)
{
	return hz ? (double)cycles * 1e9 / (double)hz : 0.0;
}

#endif
