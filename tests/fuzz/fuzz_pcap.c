/* libFuzzer target: pcap input for --pcap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"

#include "../../generators/pcapsrc.h"
#include "../../generators/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32];
	char why[512];
	struct pcapsrc ps;

	if (fuzz_file(data, size, path) < 0)
		return 0;
	if (pcapsrc_load(path, &ps, why, sizeof(why)) == 0) {
		for (uint32_t i = 0; i < ps.nb_frames; i++) {
			const struct pcapsrc_frame *f = &ps.frames[i];

			if (f->buf_len < 60 || f->buf_len > PKT_MAX_FRAME)
				abort();
			if (f->hdr_off != PCAPSRC_NO_STAMP &&
			    f->hdr_off + PKT_PHDR_LEN > f->buf_len)
				abort();
		}
		pcapsrc_free(&ps);
	} else if (!why[0]) {
		abort();
	}
	unlink(path);
	return 0;
}
