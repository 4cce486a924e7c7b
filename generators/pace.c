/* Rate pacing: setting up the schedule (the hot path is inline in pace.h). */
#include <errno.h>
#include <string.h>

#include "pace.h"

int pace_init(struct pace *p, uint64_t tsc_hz, uint64_t rate_pps,
	      uint64_t now_tsc)
{
	memset(p, 0, sizeof(*p));
	p->start_tsc = now_tsc;
	if (!rate_pps)
		return 0;
	if (!tsc_hz || rate_pps > tsc_hz)
		return -EINVAL;
	p->rate_pps = rate_pps;
	p->cpp_fp = (uint64_t)((((unsigned __int128)tsc_hz << 32) + rate_pps - 1) /
			       rate_pps);
	return 0;
}
