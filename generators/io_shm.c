/* io_shm: the "shm" backend, one end of an IVSHMEM shared-memory region
 * (shmring.h). Arguments: path=FILE and side=a|b, as separate arguments or
 * one comma list ("path=/dev/hugepages/x,side=a"). Side a sends on ring 0
 * and receives on ring 1; side b the reverse.
 *
 * tx writes frames straight into the shared slots (tx_reserve lends them,
 * tx_commit publishes the producer index once per burst); rx lends frames
 * in place and gives the slots back in rx_release. Slots keep what the
 * producer last wrote, so tx buffers are persistent (prefill).
 *
 * Liveness: every burst call and every info call bump this side's
 * heartbeat; info reports link_up = 0 (and says why in desc) when the
 * peer never attached, speaks another layout, or its heartbeat has not
 * moved for SHMRING_PEER_TIMEOUT_NS (a peer that closed cleanly shows as
 * "not attached" at once). An engine that waits must still call
 * info (or a burst function) at least every 0.5 s to stay alive. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "io.h"
#include "pkt.h"
#include "shmring.h"

struct io_port {
	struct shmring_region region;
	struct shmring_prod prod;	/* is_tx */
	struct shmring_cons cons;	/* !is_tx */
	uint64_t beat;			/* private copy of our heartbeat */
	uint32_t gen;			/* our attach generation, 0: not attached */
	struct shmring_peer peer;
	unsigned side;
	int is_tx;
	int nb_flushed;			/* stale frames dropped at open */
	uint64_t nb_tx, nb_rx;
	char path[256];
};

static int parse_one(struct io_port *p, const char *kv, int *have_side,
		     char *why, size_t len)
{
	if (!strncmp(kv, "path=", 5)) {
		if (util_strlcpy(p->path, kv + 5, sizeof(p->path)) < 0 ||
		    !kv[5])
			return util_why(why, len, EINVAL,
					"shm: path '%s' is empty or longer than %zu bytes",
					kv + 5, sizeof(p->path) - 1);
		return 0;
	}
	if (!strcmp(kv, "side=a") || !strcmp(kv, "side=b")) {
		p->side = kv[5] == 'a' ? SHMRING_SIDE_A : SHMRING_SIDE_B;
		*have_side = 1;
		return 0;
	}
	return util_why(why, len, EINVAL,
			"shm: unknown argument '%s' (expected path=FILE and side=a|b)",
			kv);
}

static int parse_args(struct io_port *p, const struct io_cfg *cfg, char *why,
		      size_t len)
{
	int have_side = 0;

	for (int i = 0; i < cfg->nb_args; i++) {
		char buf[512], *save = NULL, *kv;
		int rc;

		if (util_strlcpy(buf, cfg->args[i], sizeof(buf)) < 0)
			return util_why(why, len, EINVAL,
					"shm: argument too long: %.64s...",
					cfg->args[i]);
		for (kv = strtok_r(buf, ",", &save); kv;
		     kv = strtok_r(NULL, ",", &save)) {
			rc = parse_one(p, kv, &have_side, why, len);
			if (rc < 0)
				return rc;
		}
	}
	if (!p->path[0] || !have_side)
		return util_why(why, len, EINVAL,
				"shm: needs path=FILE and side=a|b (the ivshmem topology passes both)");
	return 0;
}

static void shm_close(struct io_port *p)
{
	if (!p)
		return;
	/* The peer sees us gone at once instead of after the timeout. */
	if (p->region.hdr && p->gen)
		shmring_side_detach(p->region.hdr, p->side, p->gen);
	shmring_detach(&p->region);
	free(p);
}

static int shm_open(struct io_port **pp, const struct io_cfg *cfg, char *why,
		    size_t len)
{
	struct io_port *p = calloc(1, sizeof(*p));
	struct shmring_hdr *h;
	unsigned ring;
	int rc;

	if (!p)
		return util_why(why, len, ENOMEM, "shm: out of memory");
	p->is_tx = cfg->is_tx;
	rc = parse_args(p, cfg, why, len);
	if (rc < 0)
		goto fail;
	rc = shmring_attach(&p->region, p->path, why, len);
	if (rc < 0)
		goto fail;
	h = p->region.hdr;
	if (cfg->max_frame > PKT_FCS_LEN &&
	    (uint32_t)(cfg->max_frame - PKT_FCS_LEN) > p->region.slot_size) {
		rc = util_why(why, len, EINVAL,
			      "shm: region %s has %u B slots, too small for %u B frames; recreate it with larger slots",
			      p->path, p->region.slot_size, cfg->max_frame);
		goto fail;
	}
	/* Side a produces on ring 0, side b on ring 1. */
	ring = p->is_tx ? p->side : !p->side;
	if (p->is_tx) {
		rc = shmring_prod_init(&p->prod, &p->region, ring);
	} else {
		/* A new receiver starts on an empty ring: frames an earlier
		 * trial left behind would count as received. */
		rc = shmring_cons_init(&p->cons, &p->region, ring, 1);
		if (rc >= 0)
			p->nb_flushed = rc;
	}
	if (rc < 0) {
		util_why(why, len, -rc, "shm: cannot bind ring %u of %s", ring,
			 p->path);
		goto fail;
	}
	p->gen = shmring_side_attach(h, p->side);
	shmring_beat(h, p->side, &p->beat);
	*pp = p;
	return 0;
fail:
	shm_close(p);
	return rc;
}

static void shm_info(struct io_port *p, struct io_info *info)
{
	struct shmring_hdr *h = p->region.hdr;
	unsigned peer = !p->side;
	uint64_t still_ns;
	enum shmring_peer_state st;
	char state[60];

	shmring_beat(h, p->side, &p->beat);
	st = shmring_peer_check(&p->peer, h, peer, util_now_ns(),
				SHMRING_PEER_TIMEOUT_NS, &still_ns);
	const char *base = strrchr(p->path, '/');

	base = base ? base + 1 : p->path;
	if (st == SHMRING_PEER_STOPPED)
		snprintf(state, sizeof(state), "peer side %c stopped (no heartbeat for %.1f s)",
			 'a' + peer, (double)still_ns / 1e9);
	else
		snprintf(state, sizeof(state), "peer side %c %s", 'a' + peer,
			 shmring_peer_name(st));
	/* The state first: it is what a user needs when the link is down. */
	snprintf(info->desc, sizeof(info->desc), "shm side %c %s ring %c, %.40s; %.59s",
		 'a' + p->side, p->is_tx ? "tx" : "rx",
		 p->is_tx ? '0' + p->side : '1' - p->side, base, state);
	info->link_up = st == SHMRING_PEER_ALIVE;
	info->persistent_tx = 1;
}

static unsigned shm_tx_reserve(struct io_port *p, uint8_t **bufs, unsigned n)
{
	shmring_beat(p->region.hdr, p->side, &p->beat);
	return shmring_reserve(&p->prod, bufs, n);
}

static unsigned shm_tx_commit(struct io_port *p, const uint16_t *len,
			      unsigned n)
{
	n = shmring_commit(&p->prod, len, n);
	p->nb_tx += n;
	return n;
}

static unsigned shm_rx_burst(struct io_port *p, const uint8_t **bufs,
			     uint16_t *len, unsigned n)
{
	shmring_beat(p->region.hdr, p->side, &p->beat);
	n = shmring_peek(&p->cons, bufs, len, n);
	p->nb_rx += n;
	return n;
}

static void shm_rx_release(struct io_port *p)
{
	shmring_release(&p->cons);
}

static int shm_prefill(struct io_port *p, const uint8_t *frame, uint16_t len)
{
	if (!p->is_tx)
		return 0;
	if (len > p->prod.slot_size)
		return -EINVAL;
	/* Every slot of our tx ring; the receiver flushed what was in it
	 * when it opened, and nothing is sent before the engine starts. */
	for (uint32_t i = 0; i < p->prod.nb_slots; i++)
		memcpy(shmring_slot(p->prod.bufs, p->prod.slot_size, i,
				    p->prod.mask), frame, len);
	return 0;
}

static void shm_counters(struct io_port *p, struct io_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->nb_tx = p->nb_tx;
	c->nb_rx = p->nb_rx;
	c->nb_rx_err = p->cons.nb_bad;
}

const struct io_ops io_shm_ops = {
	.name = "shm",
	.open = shm_open,
	.info = shm_info,
	.tx_reserve = shm_tx_reserve,
	.tx_commit = shm_tx_commit,
	.rx_burst = shm_rx_burst,
	.rx_release = shm_rx_release,
	.prefill = shm_prefill,
	.counters = shm_counters,
	.close = shm_close,
};
