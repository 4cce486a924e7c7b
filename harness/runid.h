/* Names of one run: the run id (results/<run-id>/, run.json) and the short
 * tag that names its kernel objects and its private workdir. */
#ifndef VIOPERF_RUNID_H
#define VIOPERF_RUNID_H

#include <stddef.h>
#include <stdint.h>

#define RUNID_LEN 21	/* "20261122-013045-ab12" + NUL */
#define RUNID_TAG_LEN 7	/* "k3x9q2" + NUL */

/* Fill buf with "YYYYMMDD-HHMMSS-xxxx": UTC time of wall_ns and 4 random
 * [a-z0-9]. 0, or -ENOSPC when len < RUNID_LEN. */
int runid_make(char *buf, size_t len, uint64_t wall_ns);

/* Fill buf with 6 random [a-z0-9] (a tag for netns/interface/workdir
 * names). 0, or -ENOSPC when len < RUNID_TAG_LEN. */
int runid_tag(char *buf, size_t len);

/* 1 when s has the shape runid_make produces, else 0. */
int runid_valid(const char *s);

/* 1 when s has the shape runid_tag produces, else 0. */
int runid_tag_valid(const char *s);

#endif
