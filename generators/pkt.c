/* Building vioperf frames and parsing frame-size lists (format in pkt.h).
 *
 * The payload body is a pattern that depends only on the byte's offset in
 * the buffer, so a shorter frame's body is a prefix of a longer one's: a
 * backend prefilled once with the largest frame serves every size, and the
 * engine only rewrites the first cache line (headers + payload header). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pkt.h"

#define ETH_HLEN 14
#define IP_HLEN 20
#define UDP_HLEN 8

void pkt_cfg_default(struct pkt_cfg *cfg)
{
	static const uint8_t src[6] = { 0x02, 0x56, 0x50, 0x00, 0x00, 0x01 };
	static const uint8_t dst[6] = { 0x02, 0x56, 0x50, 0x00, 0x00, 0x02 };

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->src_mac, src, 6);
	memcpy(cfg->dst_mac, dst, 6);
	cfg->src_ip = 198u << 24 | 18u << 16 | 1;	/* 198.18.0.1 */
	cfg->dst_ip = 198u << 24 | 19u << 16 | 1;	/* 198.19.0.1 */
	cfg->nb_flows = 1;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

/* RFC 1071 one's complement sum of an IPv4 header (checksum field zero). */
static uint16_t ip_checksum(const uint8_t *h, unsigned len)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int pkt_build(uint8_t *buf, size_t buf_size, const struct pkt_cfg *cfg,
	      uint16_t frame_len, uint32_t flow)
{
	unsigned vlan_len = cfg->vlan ? PKT_VLAN_LEN : 0;
	unsigned buf_len = (unsigned)frame_len - PKT_FCS_LEN;
	unsigned off = 0, hdr_off = pkt_hdr_off(cfg);
	uint8_t *ip, *udp;

	/* A tagged frame is 4 bytes longer on the wire: 68..1522 B. */
	if (frame_len < PKT_MIN_FRAME + vlan_len ||
	    frame_len > PKT_MAX_FRAME + vlan_len || buf_len > buf_size ||
	    cfg->nb_flows == 0 || flow >= cfg->nb_flows ||
	    flow > PKT_MAX_FLOWS - 1 || cfg->vlan > 4094)
		return -EINVAL;

	memcpy(buf, cfg->dst_mac, 6);
	memcpy(buf + 6, cfg->src_mac, 6);
	off = 12;
	if (cfg->vlan) {
		put_be16(buf + off, 0x8100);
		put_be16(buf + off + 2, cfg->vlan & 0x0fff);
		off += PKT_VLAN_LEN;
	}
	put_be16(buf + off, 0x0800);
	off += 2;

	ip = buf + off;
	ip[0] = 0x45;			/* IPv4, 20-byte header */
	ip[1] = 0;			/* DSCP/ECN */
	put_be16(ip + 2, (uint16_t)(buf_len - off));
	put_be16(ip + 4, 0);		/* id */
	put_be16(ip + 6, 0x4000);	/* don't fragment */
	ip[8] = 64;			/* ttl */
	ip[9] = 17;			/* UDP */
	put_be16(ip + 10, 0);
	put_be32(ip + 12, cfg->src_ip);
	put_be32(ip + 16, cfg->dst_ip);
	put_be16(ip + 10, ip_checksum(ip, IP_HLEN));

	udp = ip + IP_HLEN;
	put_be16(udp, (uint16_t)(PKT_UDP_SPORT_BASE + flow));
	put_be16(udp + 2, PKT_UDP_DPORT);
	put_be16(udp + 4, (uint16_t)(buf_len - off - IP_HLEN));
	put_be16(udp + 6, 0);		/* no UDP checksum (allowed in IPv4) */

	for (unsigned i = hdr_off + PKT_PHDR_LEN; i < buf_len; i++)
		buf[i] = (uint8_t)(i * 7 + 0x11);
	pkt_stamp(buf, hdr_off, (uint16_t)flow, 0, 0, (uint16_t)buf_len);
	return (int)buf_len;
}

int pkt_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &end) != 6 || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int parse_one(const char *tok, size_t n, uint16_t *out, char *why,
		     size_t len)
{
	char s[16];
	char *end;
	unsigned long v;

	while (n && (*tok == ' ' || *tok == '\t'))
		tok++, n--;
	while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
		n--;
	if (n == 0)
		return snprintf(why, len, "frame sizes: empty element in the "
			       "list; give sizes like 64,512,1518,imix"), -EINVAL;
	if (n >= sizeof(s))
		return snprintf(why, len, "frame sizes: '%.*s' is not a size; "
			       "valid: %u..%u or imix", (int)n, tok,
			       PKT_MIN_FRAME, PKT_MAX_FRAME), -EINVAL;
	memcpy(s, tok, n);
	s[n] = '\0';
	if (!strcasecmp(s, "imix")) {
		*out = PKT_IMIX;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno)
		return snprintf(why, len, "frame sizes: '%s' is not a size; "
			       "valid: %u..%u (bytes, with FCS) or imix", s,
			       PKT_MIN_FRAME, PKT_MAX_FRAME), -EINVAL;
	if (v < PKT_MIN_FRAME || v > PKT_MAX_FRAME)
		return snprintf(why, len, "frame sizes: '%s' is out of range; "
			       "valid: %u..%u (bytes, with FCS) or imix", s,
			       PKT_MIN_FRAME, PKT_MAX_FRAME), -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

int pkt_parse_sizes(const char *s, uint16_t *out, int max, char *why,
		    size_t len)
{
	int nb = 0;

	if (!s || !*s)
		return snprintf(why, len, "frame sizes: empty list; give sizes "
			       "like 64,512,1518,imix"), -EINVAL;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		int rc;

		if (nb >= max)
			return snprintf(why, len, "frame sizes: more than %d "
				       "sizes in the list", max), -EINVAL;
		rc = parse_one(s, n, &out[nb], why, len);
		if (rc < 0)
			return rc;
		nb++;
		if (!comma)
			return nb;
		s = comma + 1;
	}
}

void pkt_imix_pattern(uint16_t out[12])
{
	/* 7 x 64, 4 x 570, 1 x 1518, spread so that no size clusters. */
	static const uint16_t pat[12] = {
		64, 570, 64, 64, 570, 64, 1518, 64, 570, 64, 64, 570,
	};

	memcpy(out, pat, sizeof(pat));
}

double pkt_avg_frame_len(uint16_t frame_len)
{
	if (frame_len == PKT_IMIX)
		return (7.0 * 64 + 4.0 * 570 + 1518) / 12.0;
	return frame_len;
}

const char *pkt_size_name(uint16_t frame_len, char *buf, size_t len)
{
	if (frame_len == PKT_IMIX)
		snprintf(buf, len, "imix");
	else
		snprintf(buf, len, "%u", frame_len);
	return buf;
}
