/* The I/O backend contract: how the traffic engine moves frames through one
 * end of a datapath (a DPDK ethdev port, an AF_PACKET socket, a tap fd, a
 * shared-memory ring, a pcap file ...). One backend per file
 * (generators/io_<name>.c), listed once in io_table.c.
 *
 * Buffers are always owned by the backend. The engine borrows them between
 * tx_reserve and tx_commit (to write frames) and between rx_burst and
 * rx_release (to read frames); it never frees or keeps them.
 *
 * All calls except open/close run on the engine's hot loop: no allocation,
 * no syscalls that a faster design could avoid, no locks. */
#ifndef VIOPERF_IO_H
#define VIOPERF_IO_H

#include <stddef.h>
#include <stdint.h>

#define IO_MAX_BURST 64
#define IO_MAX_ARGS 48

struct io_port;		/* a backend's private state */

struct io_cfg {
	/* Backend arguments exactly as the topology gave them (for DPDK: EAL
	 * argv; for the others "key=value" strings). */
	int nb_args;
	char *const *args;
	int is_tx;		/* 1: this end generates, 0: it receives */
	int cpu;		/* the core the engine is pinned to, -1 none */
	uint16_t max_frame;	/* largest frame the engine will build, no FCS */
	unsigned burst;		/* frames per burst the engine asks for */
};

/* What a backend can report about itself after open. */
struct io_info {
	char desc[128];		/* e.g. "dpdk port 0 (net_virtio_user)" */
	int link_up;		/* 1 when the path can move frames now */
	int persistent_tx;	/* 1: tx buffers keep their contents between
				 * uses (prefill writes bodies once) */
};

/* Counters a backend may keep itself (e.g. rte_eth_stats); all optional. */
struct io_counters {
	uint64_t nb_tx, nb_rx, nb_tx_drop, nb_rx_drop, nb_rx_err;
};

struct io_ops {
	const char *name;	/* "dpdk", "afpacket", "tap", "shm", "pcap" */
	/* Open the backend on cfg. 0 and *pp set, or -errno and a message that
	 * names the problem and the fix in why. Mandatory. */
	int (*open)(struct io_port **pp, const struct io_cfg *cfg, char *why,
		    size_t len);
	/* Fill info; may be polled (link_up) while waiting for a peer.
	 * Mandatory. */
	void (*info)(struct io_port *p, struct io_info *info);
	/* Lend up to n tx buffers of at least cfg->max_frame bytes; returns how
	 * many were lent (0 when none is free right now). Mandatory for tx. */
	unsigned (*tx_reserve)(struct io_port *p, uint8_t **bufs, unsigned n);
	/* Send the first n reserved buffers with lengths len[i] (no FCS), in
	 * order. Returns how many were sent (a prefix); the rest go back to
	 * the backend unsent. Every reserved buffer is returned by this call.
	 * Mandatory for tx. */
	unsigned (*tx_commit)(struct io_port *p, const uint16_t *len,
			      unsigned n);
	/* Lend up to n received frames; bufs[i]/len[i] stay valid until
	 * rx_release. Returns the count, 0 when nothing is waiting.
	 * Mandatory for rx. */
	unsigned (*rx_burst)(struct io_port *p, const uint8_t **bufs,
			     uint16_t *len, unsigned n);
	/* Give back every frame lent by the last rx_burst. Mandatory for rx. */
	void (*rx_release)(struct io_port *p);
	/* Optional: write frame (len bytes) into every tx buffer the backend
	 * owns, so the hot loop only rewrites the first cache line. */
	int (*prefill)(struct io_port *p, const uint8_t *frame, uint16_t len);
	/* Optional: the backend's own counters. */
	void (*counters)(struct io_port *p, struct io_counters *c);
	/* Release everything; accepts a half-opened port; p may be NULL.
	 * Mandatory. */
	void (*close)(struct io_port *p);
};

/* NULL-terminated table of every backend built in (io_table.c). */
extern const struct io_ops *const io_table[];

/* The backend called name, or NULL. */
const struct io_ops *io_find(const char *name);

#endif
