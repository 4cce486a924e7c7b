/* libFuzzer target: the receiver's view of arbitrary frames (payload
 * header parse + sequence classification); invariants must hold for any
 * input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../generators/pkt.h"
#include "../../generators/seqtrack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct seqtrack st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_meta m;
	uint64_t nb_classified = 0;

	seqtrack_reset(&st);
	/* The input is a sequence of frames: u16 length, then bytes. */
	while (size >= 2) {
		uint16_t len = (uint16_t)(data[0] | data[1] << 8) % 1600;

		data += 2;
		size -= 2;
		if (len > size)
			len = (uint16_t)size;
		if (pkt_parse(data, len, PKT_HDR_OFF, &m) == PKT_OK) {
			seqtrack_add(&st, m.seq);
			nb_classified++;
		}
		data += len;
		size -= len;
	}
	if (st.nb_unique + st.nb_dup != nb_classified)
		abort();
	if (st.nb_unique > st.head || st.nb_reordered > st.nb_unique)
		abort();
	return 0;
}
