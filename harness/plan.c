/* Plan: the cross product of what the user asked for, in a stable order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../generators/pkt.h"
#include "plan.h"

int plan_build(struct plan *p, int nb_dps, const enum plan_dir *dirs,
	       int nb_dirs, const uint16_t *sizes, int nb_sizes, int nb_trials)
{
	size_t n, k = 0;

	p->items = NULL;
	p->nb_items = 0;
	if (nb_dps < 1 || nb_dirs < 1 || nb_sizes < 1 || nb_trials < 1)
		return -EINVAL;
	n = (size_t)nb_dps * (size_t)nb_dirs * (size_t)nb_sizes *
	    (size_t)nb_trials;
	p->items = calloc(n, sizeof(*p->items));
	if (!p->items)
		return -ENOMEM;
	for (int d = 0; d < nb_dps; d++)
		for (int i = 0; i < nb_dirs; i++)
			for (int s = 0; s < nb_sizes; s++)
				for (int t = 1; t <= nb_trials; t++) {
					struct plan_item *it = &p->items[k++];

					it->dp = d;
					it->dir = dirs[i];
					it->frame_len = sizes[s];
					it->trial = t;
				}
	p->nb_items = n;
	return 0;
}

void plan_free(struct plan *p)
{
	free(p->items);
	p->items = NULL;
	p->nb_items = 0;
}

const char *plan_dir_name(enum plan_dir d)
{
	return d == PLAN_G2H ? "g2h" : "h2g";
}

int plan_parse_dirs(const char *s, enum plan_dir dirs[2])
{
	if (!strcmp(s, "h2g")) {
		dirs[0] = PLAN_H2G;
		return 1;
	}
	if (!strcmp(s, "g2h")) {
		dirs[0] = PLAN_G2H;
		return 1;
	}
	if (!strcmp(s, "both")) {
		dirs[0] = PLAN_H2G;
		dirs[1] = PLAN_G2H;
		return 2;
	}
	return -EINVAL;
}

uint16_t plan_max_frame(const uint16_t *sizes, int nb_sizes)
{
	uint16_t m = 0;

	for (int i = 0; i < nb_sizes; i++) {
		uint16_t f = sizes[i] == PKT_IMIX ? PKT_MAX_FRAME : sizes[i];

		if (f > m)
			m = f;
	}
	return m;
}
