/* The shared stats block between the harness and one engine process.
 *
 * The harness creates it (memfd, one per engine), passes the fd to the
 * engine (--stats-fd), and reads it while the engine runs, without a socket
 * and without stopping the hot loop (as trafgen's workers publish their
 * counters). Ownership of every field is fixed:
 *   ctl   written by the harness only, read by the engine once per burst;
 *   state, counters, hist   written by the engine only.
 * Counters are cumulative from the engine's start; the harness takes
 * differences between snapshots. A snapshot is consistent when `gen` was
 * even and unchanged around the copy (a seqlock; the engine bumps it around
 * each publication). */
#ifndef VIOPERF_STATS_H
#define VIOPERF_STATS_H

#include <stdint.h>
#include "hist.h"

#define STATS_MAGIC 0x56504553u	/* "VPES" */
#define STATS_VERSION 1

enum eng_state {
	ENG_STARTING = 0,	/* process up, backend opening */
	ENG_READY,		/* backend open; waiting for GO (tx) / receiving (rx) */
	ENG_RUNNING,		/* tx: sending */
	ENG_DONE,		/* stopped cleanly; counters final */
	ENG_FAILED,		/* error[] says why; counters as far as they got */
};

enum eng_phase {
	PHASE_IDLE = 0,		/* tx: do not send yet */
	PHASE_WARMUP,		/* tx: send; rx: count, no latency */
	PHASE_MEASURE,		/* tx: send; rx: count and record latency */
	PHASE_DRAIN,		/* tx: stop sending; rx: keep receiving */
	PHASE_STOP,		/* both: finish, publish, exit 0 */
};

/* Written by the harness. */
struct eng_ctl {
	volatile uint32_t phase;	/* enum eng_phase */
	uint32_t pad;
	volatile uint64_t rate_pps;	/* 0: maximum; read when leaving IDLE */
	volatile uint64_t max_pkts;	/* tx: stop after this many, 0 = no limit */
};

/* Written by the engine. */
struct eng_counters {
	uint64_t tsc;			/* engine TSC at publication */
	/* tx side */
	uint64_t tx_pkts, tx_bytes;	/* frames accepted by the backend; bytes
					 * count frame_len (with FCS) */
	uint64_t tx_unsent;		/* frames reserved but refused by the backend */
	uint64_t tx_late;		/* paced sends that were > 1 burst behind schedule */
	/* rx side */
	uint64_t rx_pkts, rx_bytes;	/* every frame seen (ours or not) */
	uint64_t rx_unique;		/* ours, check ok, first time seen */
	uint64_t reordered;		/* subset of rx_unique: arrived after a later seq */
	uint64_t duplicated;		/* ours, check ok, seq seen before */
	uint64_t corrupted;		/* ours (magic) but check failed */
	uint64_t foreign;		/* not vioperf frames (ARP, IPv6 ND ...) */
	uint64_t seq_max;		/* highest seq seen + 1 (0: none) */
	/* both */
	uint64_t polls_busy;		/* loop iterations that moved >= 1 frame */
	uint64_t polls_idle;		/* iterations that moved none */
	/* backend counters (io_counters), if the backend keeps them */
	uint64_t io_tx, io_rx, io_tx_drop, io_rx_drop, io_rx_err;
	/* tx, pcap traffic: frames sent without a payload header (no room
	 * for one); the receiver sees them as foreign */
	uint64_t tx_unstamped;
};

struct eng_stats {
	uint32_t magic, version;
	uint64_t tsc_hz;		/* measured by the engine at start */
	int32_t pid;
	volatile uint32_t state;	/* enum eng_state */
	volatile uint32_t link_up;	/* backend reports a link */
	uint32_t pad0;
	char desc[128];			/* backend description */
	char error[256];		/* set with ENG_FAILED */
	struct eng_ctl ctl __attribute__((aligned(64)));
	volatile uint64_t gen __attribute__((aligned(64)));
	struct eng_counters c;
	struct hist lat;		/* rx: one-way latency in TSC cycles,
					 * frames received in PHASE_MEASURE */
};

/* Create a zeroed block in a memfd; returns the fd (not CLOEXEC, so the
 * engine inherits it) and maps it at *st. -errno on failure. */
int stats_create(struct eng_stats **st);
/* Map an inherited fd (engine side). -errno, or -EPROTO on a bad magic. */
int stats_attach(int fd, struct eng_stats **st);
/* Unmap. */
void stats_detach(struct eng_stats *st);
/* Consistent copy of the counters (harness side). */
void stats_snapshot(const struct eng_stats *st, struct eng_counters *out);

/* Engine side: publish local counters under the seqlock. */
static inline void stats_publish(struct eng_stats *st,
				 const struct eng_counters *c)
{
	st->gen++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	st->c = *c;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	st->gen++;
}

#endif
