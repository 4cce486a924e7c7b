/* Reading tc filters back from the kernel: `tc -j -s filter show dev DEV
 * ingress` parsed into one record per rule, whether the hardware holds it
 * (in_hw / in_hw_count / not_in_hw) and its counters. Used by tc-offload
 * to refuse a rule that fell back to software and to read the hardware
 * rule counters. */
#ifndef VIOPERF_TC_FILTER_H
#define VIOPERF_TC_FILTER_H

#include <stdint.h>

struct tc_filter_rule {
	unsigned pref;
	unsigned handle;
	char kind[16];		/* "flower", "u32", ... */
	int skip_sw, skip_hw;
	int in_hw;		/* 1 the hardware holds it, 0 it does not */
	unsigned nb_in_hw;	/* in_hw_count: devices holding it */
	/* counters of the rule's first action (every matched packet passes
	 * it); hw_* are the part the hardware counted, when reported */
	uint64_t nb_packets, nb_bytes;
	uint64_t nb_hw_packets, nb_hw_bytes;
	int has_hw_stats;
};

/* Parse json (the whole output of `tc -j [-s] filter show ...`) into up to
 * max rules (chain-head entries without options are skipped). Returns the
 * number of rules, or -EINVAL when the text is not that JSON. */
int tc_filter_parse(const char *json, struct tc_filter_rule *rules, int max);

#endif
