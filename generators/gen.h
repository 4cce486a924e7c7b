/* The generator (role tx): builds one template per frame size, then sends
 * frames through a backend following the phases of the stats block
 * (stats.h): waits in IDLE, sends in WARMUP/MEASURE at ctl.rate_pps (0 =
 * as fast as the backend takes them), stops at DRAIN or after ctl.max_pkts,
 * returns at STOP.
 *
 * Every frame carries seq (0, 1, 2 ... in send order: frames the backend
 * refuses keep their seq, size and flow for the next burst, so backpressure
 * leaves no gap) and a TSC stamp: at maximum rate the TSC of its burst, when
 * paced its intended send time (pace.h, against coordinated omission).
 * Sizes cycle through the --sizes list (imix expanded as
 * pkt_imix_pattern), flows rotate frame by frame. */
#ifndef VIOPERF_GEN_H
#define VIOPERF_GEN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"
#include "linkpoll.h"
#include "pcapsrc.h"
#include "pkt.h"
#include "stats.h"

#define GEN_MAX_SIZES 16		/* entries of a --sizes list */
#define GEN_MAX_SLOTS (GEN_MAX_SIZES * 12)
#define GEN_MAX_TMPL (GEN_MAX_SIZES + 3)
#define GEN_TMPL_LEN (PKT_MAX_FRAME + PKT_VLAN_LEN)

/* One position of the size cycle. */
struct gen_slot {
	const uint8_t *tmpl;		/* built frame of this size, flow 0 */
	uint16_t buf_len;		/* bytes in the buffer */
	uint16_t frame_len;		/* with FCS (counted in tx_bytes) */
};

struct gen {
	/* set by the caller before gen_run */
	const struct io_ops *io;
	struct io_port *port;
	struct eng_stats *st;
	volatile sig_atomic_t *stop;	/* non-zero: leave as soon as possible */
	unsigned burst;
	/* set by gen_setup */
	unsigned hdr_off;		/* payload header offset (42/46) */
	uint32_t nb_flows;
	uint16_t max_buf_len;		/* largest buffer the cycle uses */
	int prefilled;			/* backend buffers hold the body */
	unsigned nb_slots, nb_tmpl;
	/* set by gen_setup_pcap: replay these frames instead of templates */
	const struct pcapsrc *pcap;
	/* test only (VIOPERF_TEST_TX_SLOWDOWN_PCT): after each burst, spin
	 * this percentage of the time the burst took (a known slowdown for
	 * checking the regression gate); 0 off */
	unsigned test_slowdown_pct;
	struct gen_slot slot[GEN_MAX_SLOTS];
	uint8_t tmpl[GEN_MAX_TMPL][GEN_TMPL_LEN] __attribute__((aligned(64)));
};

/* Build the templates and the size cycle for sizes[0..nb_sizes) (frame_len
 * with FCS, PKT_IMIX for imix; a VLAN tag in pc adds 4 bytes to each).
 * 0, or -EINVAL with a message in why. */
int gen_setup(struct gen *g, const struct pkt_cfg *pc, const uint16_t *sizes,
	      int nb_sizes, char *why, size_t len);

/* Replay ps's frames in order, over and over, instead of built frames:
 * frames with room for the payload header at the offset the receiver reads
 * (ps->frames[i].hdr_off == pkt_hdr_off(pc)) are stamped with seq and TSC,
 * the others are sent unchanged and counted in tx_unstamped. ps must
 * outlive the generator. 0, or -EINVAL with a message in why. */
int gen_setup_pcap(struct gen *g, const struct pkt_cfg *pc,
		   const struct pcapsrc *ps, char *why, size_t len);

/* Write the largest template into every backend tx buffer when the backend
 * keeps buffer contents (io_info.persistent_tx) and has prefill; then only
 * the first cache line of each frame is rewritten per send. 0 (also when
 * the backend cannot prefill: every frame is then copied whole) or -errno. */
int gen_prefill(struct gen *g);

/* Run the tx side until PHASE_STOP (or *stop); c holds the counters,
 * published into g->st as it goes and once more before returning.
 * 0, or -errno with a message in why. */
int gen_run(struct gen *g, struct linkpoll *lp, struct eng_counters *c,
	    char *why, size_t len);

#endif
