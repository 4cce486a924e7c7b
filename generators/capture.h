/* The receiver's sample of what a datapath delivered: the first N frames
 * of a trial written to a pcap file beside the results (--capture N). */
#ifndef VIOPERF_CAPTURE_H
#define VIOPERF_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture;

/* Open path for up to nb_frames frames. 0 with *cp set, or -errno with a
 * message in why. */
int capture_open(struct capture **cp, const char *path, uint64_t nb_frames,
		 char *why, size_t len);

/* Save one frame if the quota is not used up; returns 1 while more frames
 * are wanted, 0 once the quota is full (the caller can stop calling). */
int capture_frame(struct capture *c, const uint8_t *buf, uint16_t buf_len,
		  uint64_t wall_ns);

/* Flush and close; cp may be NULL. */
void capture_close(struct capture *c);

#endif
