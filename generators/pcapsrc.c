#include "pcapsrc.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "pkt.h"

#define MIN_BUF 60

/* Offset of the payload header when the frame can carry one, else
 * PCAPSRC_NO_STAMP. */
static uint16_t stamp_offset(const uint8_t *f, uint16_t len)
{
	unsigned off = 12;
	unsigned type = (unsigned)(f[12] << 8 | f[13]);

	if (type == 0x8100) {
		off += 4;
		if (len < off + 2)
			return PCAPSRC_NO_STAMP;
		type = (unsigned)(f[off] << 8 | f[off + 1]);
	}
	off += 2;
	if (type != 0x0800 || len < off + 28)
		return PCAPSRC_NO_STAMP;
	if (f[off] != 0x45 || f[off + 9] != 17)	/* IPv4, no options, UDP */
		return PCAPSRC_NO_STAMP;
	if ((f[off + 6] & 0x3f) | f[off + 7])	/* a fragment */
		return PCAPSRC_NO_STAMP;
	if (len < off + 28 + PKT_PHDR_LEN)
		return PCAPSRC_NO_STAMP;
	return (uint16_t)(off + 28);
}

int pcapsrc_load(const char *path, struct pcapsrc *ps, char *why, size_t len)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t cap = 1024;
	pcap_t *p;
	int rc;

	memset(ps, 0, sizeof(*ps));
	p = pcap_open_offline(path, err);
	if (!p)
		return util_why(why, len, EINVAL, "pcap %s: %s", path, err);
	if (pcap_datalink(p) != DLT_EN10MB) {
		rc = util_why(why, len, EINVAL,
			      "pcap %s: link type %s is not Ethernet; capture on "
			      "an Ethernet interface (not 'any' or a tun device)",
			      path, pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return rc;
	}
	ps->frames = calloc(cap, sizeof(*ps->frames));
	if (!ps->frames) {
		pcap_close(p);
		return util_why(why, len, ENOMEM, "pcap %s: out of memory", path);
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		struct pcapsrc_frame *fr;
		uint16_t buf_len;

		/* Truncated captures (snaplen) and jumbo frames cannot be
		 * replayed as they were. */
		if (h->caplen < h->len || h->len < 14 ||
		    h->len > PKT_MAX_FRAME - PKT_FCS_LEN + PKT_VLAN_LEN) {
			ps->nb_skipped++;
			continue;
		}
		if (ps->nb_frames == PCAPSRC_MAX_FRAMES)
			break;
		if (ps->nb_frames == cap) {
			void *n = realloc(ps->frames, 2 * cap * sizeof(*ps->frames));

			if (!n) {
				pcapsrc_free(ps);
				pcap_close(p);
				return util_why(why, len, ENOMEM,
						"pcap %s: out of memory", path);
			}
			ps->frames = n;
			cap *= 2;
		}
		buf_len = (uint16_t)(h->len < MIN_BUF ? MIN_BUF : h->len);
		fr = &ps->frames[ps->nb_frames];
		fr->data = calloc(1, buf_len);
		if (!fr->data) {
			pcapsrc_free(ps);
			pcap_close(p);
			return util_why(why, len, ENOMEM, "pcap %s: out of memory",
					path);
		}
		memcpy(fr->data, data, h->len);
		fr->buf_len = buf_len;
		fr->hdr_off = stamp_offset(fr->data, buf_len);
		if (fr->hdr_off != PCAPSRC_NO_STAMP) {
			/* The payload changes: no UDP checksum (valid in IPv4). */
			fr->data[fr->hdr_off - 2] = 0;
			fr->data[fr->hdr_off - 1] = 0;
			ps->nb_stampable++;
		}
		if (buf_len > ps->max_buf_len)
			ps->max_buf_len = buf_len;
		ps->nb_frames++;
	}
	if (rc == -1) {
		rc = util_why(why, len, EINVAL, "pcap %s: %s", path,
			      pcap_geterr(p));
		pcapsrc_free(ps);
		pcap_close(p);
		return rc;
	}
	pcap_close(p);
	if (ps->nb_frames == 0) {
		rc = util_why(why, len, EINVAL,
			      "pcap %s: no usable frames (%u skipped: truncated "
			      "by the capture's snaplen, shorter than an Ethernet "
			      "header, or longer than %u B); capture with -s 0",
			      path, ps->nb_skipped, PKT_MAX_FRAME);
		pcapsrc_free(ps);
		return rc;
	}
	return 0;
}

void pcapsrc_free(struct pcapsrc *ps)
{
	if (!ps->frames)
		return;
	for (uint32_t i = 0; i < ps->nb_frames; i++)
		free(ps->frames[i].data);
	free(ps->frames);
	memset(ps, 0, sizeof(*ps));
}
