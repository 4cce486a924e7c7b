/* Frame format of vioperf traffic: Ethernet + IPv4 + UDP + an 18-byte
 * payload header that fits the smallest (64 B) frame.
 *
 * frame_len counts the 4-byte FCS, as RFC 2544 does: a 64 B frame is 60
 * bytes in the buffer. Every function here takes frame_len (with FCS)
 * unless its parameter is called buf_len.
 *
 * Payload header at offset 42 (no VLAN) or 46 (VLAN), little endian:
 *   u16 magic   PKT_MAGIC
 *   u16 flow    flow index (0..nb_flows-1); the UDP source port is
 *               PKT_UDP_SPORT_BASE + flow
 *   u16 check   pkt_check() of the fields below and the buffer length
 *   u48 seq     per-generator sequence number, from 0 in each trial
 *   u48 tsc     low 48 bits of the sender's TSC when the frame was stamped
 * The receiver rebuilds the TSC's high bits from its own clock (same host);
 * 48 bits of a 3 GHz TSC wrap after 26 hours. */
#ifndef VIOPERF_PKT_H
#define VIOPERF_PKT_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#define PKT_MAGIC 0x5650u		/* "VP" */
#define PKT_FCS_LEN 4
#define PKT_MIN_FRAME 64
#define PKT_MAX_FRAME 1518
#define PKT_HDR_OFF 42			/* payload header offset, no VLAN */
#define PKT_VLAN_LEN 4
#define PKT_PHDR_LEN 18
#define PKT_UDP_SPORT_BASE 1024
#define PKT_UDP_DPORT 4789
#define PKT_MAX_FLOWS 65535
#define PKT_SEQ_MASK ((1ull << 48) - 1)
#define PKT_TSC_MASK ((1ull << 48) - 1)

/* IMIX as 7:4:1 of 64/570/1518 B (frame_len 0 in a size list means IMIX). */
#define PKT_IMIX 0

/* Addresses and shape of generated frames. */
struct pkt_cfg {
	uint8_t src_mac[6], dst_mac[6];
	uint32_t src_ip, dst_ip;	/* host byte order */
	uint16_t vlan;			/* 0: untagged, else VLAN id 1..4094 */
	uint32_t nb_flows;		/* >= 1 */
};

/* Fill cfg with vioperf's defaults (locally administered MACs,
 * 198.18.0.1 -> 198.19.0.1 from the RFC 2544 benchmarking range, 1 flow). */
void pkt_cfg_default(struct pkt_cfg *cfg);

/* Build a complete frame of frame_len (with FCS; buf gets frame_len - 4
 * bytes) for flow into buf, payload header with seq 0 and tsc 0, payload
 * body a fixed pattern. Returns the buffer length, or -EINVAL when
 * frame_len is outside 64..1518 (+4 with VLAN) or flow >= nb_flows. */
int pkt_build(uint8_t *buf, size_t buf_size, const struct pkt_cfg *cfg,
	      uint16_t frame_len, uint32_t flow);

/* Parse "02:56:50:00:00:01" into mac[6]. 0 or -EINVAL. */
int pkt_parse_mac(const char *s, uint8_t mac[6]);

/* Offset of the payload header for cfg (42, or 46 with a VLAN tag). */
static inline unsigned pkt_hdr_off(const struct pkt_cfg *cfg)
{
	return PKT_HDR_OFF + (cfg->vlan ? PKT_VLAN_LEN : 0);
}

/* The check field: a 16-bit mix of flow, seq, tsc and the buffer length. */
static inline uint16_t pkt_check(uint16_t flow, uint64_t seq, uint64_t tsc,
				 uint16_t buf_len)
{
	uint64_t x = (seq & PKT_SEQ_MASK) * 0x9E3779B97F4A7C15ull;

	x ^= (tsc & PKT_TSC_MASK) * 0xC2B2AE3D27D4EB4Full;
	x ^= ((uint64_t)flow << 16 | buf_len) * 0x165667B19E3779F9ull;
	x ^= x >> 29;
	x ^= x >> 32;
	return (uint16_t)(x ^ (x >> 16));
}

/* Little-endian loads and stores of the payload header's words (one
 * instruction each on x86, instead of a loop over bytes). */
static inline uint64_t pkt_ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void pkt_st64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof(v));
}

/* Write the payload header into a frame built by pkt_build. */
static inline void pkt_stamp(uint8_t *buf, unsigned hdr_off, uint16_t flow,
			     uint64_t seq, uint64_t tsc, uint16_t buf_len)
{
	uint8_t *h = buf + hdr_off;
	uint16_t ck = pkt_check(flow, seq, tsc, buf_len);
	uint64_t s = seq & PKT_SEQ_MASK, t = tsc & PKT_TSC_MASK;

	/* bytes 0..7: magic, flow, check, seq[0..1]; 8..15: seq[2..5],
	 * tsc[0..3]; 16..17: tsc[4..5] */
	pkt_st64(h, PKT_MAGIC | (uint64_t)flow << 16 | (uint64_t)ck << 32 |
		    s << 48);
	pkt_st64(h + 8, s >> 16 | t << 32);
	h[16] = (uint8_t)(t >> 32);
	h[17] = (uint8_t)(t >> 40);
}

/* Result of reading a received frame. */
enum pkt_parse {
	PKT_OK = 0,		/* ours, check matches */
	PKT_FOREIGN,		/* not a vioperf frame (no magic / too short) */
	PKT_CORRUPT,		/* vioperf magic but the check does not match */
};

struct pkt_meta {
	uint16_t flow;
	uint64_t seq;
	uint64_t tsc;		/* low 48 bits */
};

/* Parse the payload header of a received frame of buf_len bytes. */
static inline enum pkt_parse pkt_parse(const uint8_t *buf, uint16_t buf_len,
				       unsigned hdr_off, struct pkt_meta *m)
{
	const uint8_t *h = buf + hdr_off;
	uint64_t w0;

	if (buf_len < hdr_off + PKT_PHDR_LEN)
		return PKT_FOREIGN;
	w0 = pkt_ld64(h);
	if ((uint16_t)w0 != PKT_MAGIC)
		return PKT_FOREIGN;
	m->flow = (uint16_t)(w0 >> 16);
	m->seq = pkt_ld64(h + 6) & PKT_SEQ_MASK;	/* bytes 6..11 */
	m->tsc = pkt_ld64(h + 10) >> 16;		/* bytes 12..17 */
	if ((uint16_t)(w0 >> 32) != pkt_check(m->flow, m->seq, m->tsc, buf_len))
		return PKT_CORRUPT;
	return PKT_OK;
}

/* Parse a size list "64,512,1518,imix" into frame_len values (PKT_IMIX for
 * imix). Returns the count, or -EINVAL with a message in why. */
int pkt_parse_sizes(const char *s, uint16_t *out, int max, char *why,
		    size_t len);

/* Expand IMIX 7:4:1 into a repeating 12-entry sequence of frame_len values
 * (interleaved so any window of the sequence keeps the mix). */
void pkt_imix_pattern(uint16_t out[12]);

/* Average frame_len of the size (IMIX: (7*64+4*570+1518)/12). */
double pkt_avg_frame_len(uint16_t frame_len);

/* "64" or "imix". */
const char *pkt_size_name(uint16_t frame_len, char *buf, size_t len);

#endif
