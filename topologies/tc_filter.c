/* `tc -j -s filter show` output -> rules with their in_hw state and
 * counters. iproute2 prints "in_hw":true with "in_hw_count":N for a rule a
 * device holds, "not_in_hw":true for one only the kernel runs; a rule that
 * reports neither came from a kernel too old to say, and counts as not in
 * hardware unless it is skip_sw (which the kernel refuses to keep in
 * software). */
#include <errno.h>
#include <string.h>

#include "jscan.h"
#include "tc_filter.h"

static uint64_t get_u64(const struct jscan *o, const char *name, int *found)
{
	struct jscan v;
	uint64_t n = 0;

	if (jscan_get(o, name, &v) == 0 && jscan_u64(&v, &n) == 0) {
		if (found)
			*found = 1;
		return n;
	}
	return 0;
}

static int get_bool(const struct jscan *o, const char *name)
{
	struct jscan v;

	return jscan_get(o, name, &v) == 0 && jscan_bool(&v) == 1;
}

static void parse_stats(const struct jscan *opts, struct tc_filter_rule *r)
{
	struct jscan acts, act, st, it = { 0 };

	if (jscan_get(opts, "actions", &acts))
		return;
	while (jscan_next(&acts, &it, NULL, &act) > 0) {
		int hw = 0;

		if (jscan_get(&act, "stats", &st))
			continue;
		r->nb_packets = get_u64(&st, "packets", NULL);
		r->nb_bytes = get_u64(&st, "bytes", NULL);
		r->nb_hw_packets = get_u64(&st, "hw_packets", &hw);
		r->nb_hw_bytes = get_u64(&st, "hw_bytes", &hw);
		r->has_hw_stats = hw;
		return;
	}
}

int tc_filter_parse(const char *json, struct tc_filter_rule *rules, int max)
{
	struct jscan all, f, opts, kind, it = { 0 };
	int nb = 0, rc;

	if (jscan_init(&all, json) || all.s[0] != '[')
		return -EINVAL;
	while ((rc = jscan_next(&all, &it, NULL, &f)) > 0) {
		struct tc_filter_rule *r;
		int has_count = 0;

		if (f.s[0] != '{')
			return -EINVAL;
		if (jscan_get(&f, "options", &opts))
			continue;	/* chain head, not a rule */
		if (nb == max)
			break;
		r = &rules[nb++];
		memset(r, 0, sizeof(*r));
		r->pref = (unsigned)get_u64(&f, "pref", NULL);
		if (jscan_get(&f, "kind", &kind) == 0)
			jscan_str(&kind, r->kind, sizeof(r->kind));
		r->handle = (unsigned)get_u64(&opts, "handle", NULL);
		r->skip_sw = get_bool(&opts, "skip_sw");
		r->skip_hw = get_bool(&opts, "skip_hw");
		r->nb_in_hw = (unsigned)get_u64(&opts, "in_hw_count", &has_count);
		if (get_bool(&opts, "not_in_hw"))
			r->in_hw = 0;
		else if (get_bool(&opts, "in_hw"))
			r->in_hw = !has_count || r->nb_in_hw > 0;
		else
			r->in_hw = r->skip_sw;
		parse_stats(&opts, r);
	}
	return rc < 0 ? rc : nb;
}
