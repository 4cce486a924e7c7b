#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>

#include "../harness/util.h"

struct capture {
	pcap_t *dead;
	pcap_dumper_t *dump;
	uint64_t left;
};

int capture_open(struct capture **cp, const char *path, uint64_t nb_frames,
		 char *why, size_t len)
{
	struct capture *c = calloc(1, sizeof(*c));

	*cp = NULL;
	if (!c)
		return util_why(why, len, ENOMEM, "capture: out of memory");
	c->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!c->dead) {
		free(c);
		return util_why(why, len, ENOMEM, "capture: pcap_open_dead failed");
	}
	c->dump = pcap_dump_open(c->dead, path);
	if (!c->dump) {
		int rc = util_why(why, len, EIO, "capture %s: %s", path,
				  pcap_geterr(c->dead));

		pcap_close(c->dead);
		free(c);
		return rc;
	}
	c->left = nb_frames;
	*cp = c;
	return 0;
}

int capture_frame(struct capture *c, const uint8_t *buf, uint16_t buf_len,
		  uint64_t wall_ns)
{
	struct pcap_pkthdr h;

	if (!c || c->left == 0)
		return 0;
	h.ts.tv_sec = (time_t)(wall_ns / 1000000000ull);
	/* nanosecond precision file: tv_usec holds nanoseconds */
	h.ts.tv_usec = (suseconds_t)(wall_ns % 1000000000ull);
	h.caplen = h.len = buf_len;
	pcap_dump((u_char *)c->dump, &h, buf);
	return --c->left > 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	pcap_dump_close(c->dump);
	pcap_close(c->dead);
	free(c);
}
