/* A pcap file as the traffic: its Ethernet frames are loaded once and
 * replayed in order by the generator. Frames with room for the payload
 * header (Ethernet [+ one VLAN tag] + IPv4 without options + UDP, at least
 * PKT_HDR_OFF + 18 bytes) are stamped with sequence and timestamp like
 * built frames (their UDP checksum is cleared, since the payload changes);
 * the others are sent as they are and counted separately (the receiver
 * sees them as foreign frames). */
#ifndef VIOPERF_PCAPSRC_H
#define VIOPERF_PCAPSRC_H

#include <stddef.h>
#include <stdint.h>

#define PCAPSRC_MAX_FRAMES 1000000
#define PCAPSRC_NO_STAMP 0xffff

struct pcapsrc_frame {
	uint8_t *data;		/* buf_len bytes (short frames zero-padded to 60) */
	uint16_t buf_len;	/* bytes in the buffer, no FCS */
	uint16_t hdr_off;	/* where to stamp, or PCAPSRC_NO_STAMP */
};

struct pcapsrc {
	struct pcapsrc_frame *frames;
	uint32_t nb_frames;
	uint32_t nb_stampable;
	uint32_t nb_skipped;	/* truncated, too long or not Ethernet-sized */
	uint16_t max_buf_len;
};

/* Load path. 0, or -errno with a message naming the file and the problem
 * in why (unreadable, not pcap, not Ethernet, no usable frames). */
int pcapsrc_load(const char *path, struct pcapsrc *ps, char *why, size_t len);

/* Free everything; safe on a zeroed or freed ps. */
void pcapsrc_free(struct pcapsrc *ps);

#endif
