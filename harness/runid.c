/* Run ids and tags: time-ordered ids for humans, random tags for objects. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "runid.h"

static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static void random_alnum(char *out, size_t n)
{
	uint8_t rnd[16];
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(rnd, n - got > sizeof(rnd) ? sizeof(rnd)
								  : n - got, 0);
		if (r <= 0) {
			/* getrandom only fails before the pool is ready or on
			 * EINTR; the clock is good enough for a name. */
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			rnd[0] = (uint8_t)(ts.tv_nsec ^ (ts.tv_nsec >> 8) ^ got);
			r = 1;
		}
		for (ssize_t i = 0; i < r; i++)
			out[got++] = alnum[rnd[i] % (sizeof(alnum) - 1)];
	}
	out[n] = '\0';
}

int runid_make(char *buf, size_t len, uint64_t wall_ns)
{
	time_t t = (time_t)(wall_ns / 1000000000ull);
	struct tm tm;

	if (len < RUNID_LEN)
		return -ENOSPC;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d-%H%M%S-", &tm);
	if (strlen(buf) != 16)
		return -ERANGE;
	random_alnum(buf + 16, 4);
	return 0;
}

int runid_tag(char *buf, size_t len)
{
	if (len < RUNID_TAG_LEN)
		return -ENOSPC;
	random_alnum(buf, RUNID_TAG_LEN - 1);
	return 0;
}

static int is_alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int runid_valid(const char *s)
{
	if (strlen(s) != RUNID_LEN - 1)
		return 0;
	for (int i = 0; i < RUNID_LEN - 1; i++) {
		if (i == 8 || i == 15) {
			if (s[i] != '-')
				return 0;
		} else if (i < 15) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
		} else if (!is_alnum_lower(s[i])) {
			return 0;
		}
	}
	return 1;
}

int runid_tag_valid(const char *s)
{
	if (strlen(s) != RUNID_TAG_LEN - 1)
		return 0;
	for (int i = 0; i < RUNID_TAG_LEN - 1; i++)
		if (!is_alnum_lower(s[i]))
			return 0;
	return 1;
}
