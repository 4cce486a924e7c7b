/* The plan of a run: every trial it will make, in a stable order
 * (datapath, then direction, then frame size, then trial number), so a
 * topology is built once and every row has a predictable place. */
#ifndef VIOPERF_PLAN_H
#define VIOPERF_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum plan_dir { PLAN_H2G = 0, PLAN_G2H = 1 };

struct plan_item {
	int dp;			/* index into the run's datapath list */
	enum plan_dir dir;
	uint16_t frame_len;	/* with FCS; PKT_IMIX (0) for imix */
	int trial;		/* 1-based */
};

struct plan {
	struct plan_item *items;
	size_t nb_items;
};

/* Build datapaths x dirs x sizes x trials (each list in the given order).
 * 0, -EINVAL for an empty list or nb_trials < 1, -ENOMEM. */
int plan_build(struct plan *p, int nb_dps, const enum plan_dir *dirs,
	       int nb_dirs, const uint16_t *sizes, int nb_sizes, int nb_trials);

/* Free the items; p may be half-built or freed already. */
void plan_free(struct plan *p);

/* "h2g" or "g2h". */
const char *plan_dir_name(enum plan_dir d);

/* Parse "h2g", "g2h" or "both" into dirs[2]; returns the count or -EINVAL. */
int plan_parse_dirs(const char *s, enum plan_dir dirs[2]);

/* Largest frame_len of sizes (IMIX counts as 1518). */
uint16_t plan_max_frame(const uint16_t *sizes, int nb_sizes);

#endif
