/* DPDK ethdev backend: the first port the EAL arguments create (a
 * net_vhost or net_virtio_user vdev, a VF's PCI address ...), one rx and
 * one tx queue.
 *
 * Speed notes:
 *  - tx frames come from a dedicated, small mempool (hot in cache) whose
 *    buffers are prefilled once with a whole frame; nothing else writes
 *    into them (rx uses its own pool), so the engine only rewrites the
 *    first cache line of each frame;
 *  - tx_reserve hands out mbufs taken one burst ahead, whose header and
 *    data lines were prefetched for writing during the previous burst;
 *  - mbufs in a mempool have refcnt 1, one segment and no next (a DPDK
 *    invariant kept by every free path), and nothing sets offload flags on
 *    this pool, so a sent mbuf needs only data_off and its lengths set
 *    instead of a full rte_pktmbuf_reset, and its data address is known
 *    without loading from it;
 *  - frames the PMD refuses stay with the backend and are lent again first.
 * rte_eal_init may run once per process: this backend opens once. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "../harness/util.h"
#include "io.h"

#define DPDK_NB_DESC 1024
#define DPDK_POOL_CACHE 256
#define DPDK_MAX_ARGV (IO_MAX_ARGS + 4)

struct io_port {
	uint16_t port_id;
	int eal_up, configured, started;
	unsigned burst;
	struct rte_mempool *tx_pool, *rx_pool;
	uint16_t tx_buf_len;		/* usable bytes per tx buffer */
	/* tx: lent mbufs, and mbufs taken ahead (prefetched) */
	unsigned nb_lent, nb_ahead;
	struct rte_mbuf *lent[IO_MAX_BURST];
	struct rte_mbuf *ahead[2 * IO_MAX_BURST];
	/* rx: mbufs lent by the last rx_burst */
	unsigned nb_rx;
	struct rte_mbuf *rx[IO_MAX_BURST];
	char driver[48];
};

static int has_lcore_opt(const struct io_cfg *cfg)
{
	for (int i = 0; i < cfg->nb_args; i++) {
		const char *a = cfg->args[i];

		/* -l, -lLIST, -c, -cMASK, --lcores[=...] */
		if (!strncmp(a, "-l", 2) || !strncmp(a, "-c", 2) ||
		    !strncmp(a, "--lcores", 8))
			return 1;
	}
	return 0;
}

/* Mempool size for need buffers plus per-lcore caches: 2^k - 1 (the size
 * a ring-backed mempool uses best). */
static unsigned pool_size(unsigned need)
{
	unsigned n = 1;

	need += 2 * DPDK_POOL_CACHE + 4 * IO_MAX_BURST;
	while (n - 1 < need)
		n <<= 1;
	return n - 1;
}

static int eal_start(struct io_port *p, const struct io_cfg *cfg, char *why,
		     size_t len)
{
	char *argv[DPDK_MAX_ARGV + 1];
	char lcore[16];
	int argc = 0, rc;

	argv[argc++] = "vioperf-engine";
	if (cfg->cpu >= 0 && !has_lcore_opt(cfg)) {
		snprintf(lcore, sizeof(lcore), "%d", cfg->cpu);
		argv[argc++] = "-l";
		argv[argc++] = lcore;
	}
	if (cfg->nb_args > IO_MAX_ARGS)
		return util_why(why, len, E2BIG, "dpdk: more than %d EAL "
				"arguments", IO_MAX_ARGS);
	for (int i = 0; i < cfg->nb_args; i++)
		argv[argc++] = cfg->args[i];
	argv[argc] = NULL;
	/* the engine parsed its own options with getopt before */
	optind = 1;
	rc = rte_eal_init(argc, argv);
	optind = 1;
	if (rc < 0)
		return util_why(why, len, rte_errno ? rte_errno : EINVAL,
				"dpdk: rte_eal_init failed (%s); check the EAL "
				"arguments and that hugepages are reserved and "
				"mounted (/proc/meminfo HugePages_Free)",
				rte_strerror(rte_errno));
	p->eal_up = 1;
	return 0;
}

/* The tx pool: buffers just big enough for max_frame, few of them, so
 * they stay in cache; prefilled once (dpdk_prefill). */
static int tx_pool_create(struct io_port *p, const struct io_cfg *cfg,
			  uint16_t nb_txd, char *why, size_t len)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned room = RTE_ALIGN_CEIL(cfg->max_frame < 64 ? 64 : cfg->max_frame,
				       RTE_CACHE_LINE_SIZE);

	snprintf(name, sizeof(name), "vp_tx_%d", (int)getpid());
	p->tx_pool = rte_pktmbuf_pool_create(name, pool_size(nb_txd),
					     DPDK_POOL_CACHE, 0,
					     (uint16_t)(RTE_PKTMBUF_HEADROOM + room),
					     (int)rte_socket_id());
	if (!p->tx_pool)
		return util_why(why, len, rte_errno, "dpdk: cannot create the "
				"tx mempool (%s); give the EAL more memory (-m) "
				"or reserve more hugepages",
				rte_strerror(rte_errno));
	p->tx_buf_len = (uint16_t)room;
	if (rte_pktmbuf_priv_size(p->tx_pool) != 0)
		return util_why(why, len, EINVAL, "dpdk: tx mempool has a "
				"private area (DPDK changed its mbuf layout)");
	return 0;
}

/* The rx pool: what the PMD fills (also needed, unused, by a sender). */
static int rx_pool_create(struct io_port *p, uint16_t nb_rxd, char *why,
			  size_t len)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "vp_rx_%d", (int)getpid());
	p->rx_pool = rte_pktmbuf_pool_create(name, pool_size(nb_rxd),
					     DPDK_POOL_CACHE, 0,
					     RTE_MBUF_DEFAULT_BUF_SIZE,
					     (int)rte_socket_id());
	if (!p->rx_pool)
		return util_why(why, len, rte_errno, "dpdk: cannot create the "
				"rx mempool (%s); give the EAL more memory (-m) "
				"or reserve more hugepages",
				rte_strerror(rte_errno));
	return 0;
}

static int port_start(struct io_port *p, const struct io_cfg *cfg, char *why,
		      size_t len)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info dev_info;
	uint16_t nb_rxd = DPDK_NB_DESC, nb_txd = DPDK_NB_DESC;
	int socket, rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_info_get(p->port_id, &dev_info);
	if (rc < 0)
		return util_why(why, len, rc, "dpdk: port %u: no device info "
				"(%s)", p->port_id, rte_strerror(-rc));
	snprintf(p->driver, sizeof(p->driver), "%s",
		 dev_info.driver_name ? dev_info.driver_name : "?");
	rc = rte_eth_dev_configure(p->port_id, 1, 1, &conf);
	if (rc < 0)
		return util_why(why, len, rc, "dpdk: port %u (%s): configure "
				"failed (%s)", p->port_id, p->driver,
				rte_strerror(-rc));
	p->configured = 1;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nb_rxd, &nb_txd);
	if (rc < 0)
		return util_why(why, len, rc, "dpdk: port %u (%s): descriptor "
				"counts refused (%s)", p->port_id, p->driver,
				rte_strerror(-rc));
	rc = rx_pool_create(p, nb_rxd, why, len);
	if (rc == 0 && cfg->is_tx)
		rc = tx_pool_create(p, cfg, nb_txd, why, len);
	if (rc < 0)
		return rc;
	socket = rte_eth_dev_socket_id(p->port_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	rc = rte_eth_rx_queue_setup(p->port_id, 0, nb_rxd, (unsigned)socket,
				    NULL, p->rx_pool);
	if (rc < 0)
		return util_why(why, len, rc, "dpdk: port %u (%s): rx queue "
				"setup failed (%s)", p->port_id, p->driver,
				rte_strerror(-rc));
	rc = rte_eth_tx_queue_setup(p->port_id, 0, nb_txd, (unsigned)socket,
				    NULL);
	if (rc < 0)
		return util_why(why, len, rc, "dpdk: port %u (%s): tx queue "
				"setup failed (%s)", p->port_id, p->driver,
				rte_strerror(-rc));
	rc = rte_eth_dev_start(p->port_id);
	if (rc < 0)
		return util_why(why, len, rc, "dpdk: port %u (%s): start failed "
				"(%s)", p->port_id, p->driver, rte_strerror(-rc));
	p->started = 1;
	/* vhost and virtio_user accept every frame anyway; some PMDs refuse */
	(void)rte_eth_promiscuous_enable(p->port_id);
	return 0;
}

static int dpdk_open(struct io_port **pp, const struct io_cfg *cfg, char *why,
		     size_t len)
{
	struct io_port *p = calloc(1, sizeof(*p));
	uint16_t pid;
	int rc, found = 0;

	*pp = p;
	if (!p)
		return util_why(why, len, ENOMEM, "dpdk: out of memory");
	p->burst = cfg->burst ? cfg->burst : 32;
	if (p->burst > IO_MAX_BURST)
		p->burst = IO_MAX_BURST;
	rc = eal_start(p, cfg, why, len);
	if (rc < 0)
		return rc;
	RTE_ETH_FOREACH_DEV(pid) {
		p->port_id = pid;
		found = 1;
		break;
	}
	if (!found)
		return util_why(why, len, ENODEV, "dpdk: the EAL arguments "
				"created no port; add a --vdev (net_vhost0,"
				"iface=... or net_virtio_user0,path=...) or a "
				"PCI device (-a)");
	return port_start(p, cfg, why, len);
}

static void dpdk_info(struct io_port *p, struct io_info *info)
{
	struct rte_eth_link link;

	memset(info, 0, sizeof(*info));
	if (!p || !p->eal_up)
		return;
	snprintf(info->desc, sizeof(info->desc), "dpdk port %u (%s)",
		 p->port_id, p->driver[0] ? p->driver : "?");
	if (p->started && rte_eth_link_get_nowait(p->port_id, &link) == 0)
		info->link_up = link.link_status == RTE_ETH_LINK_UP;
	info->persistent_tx = 1;
}

/* Data start of a tx mbuf without loading from it: pools made by
 * rte_pktmbuf_pool_create with no private area put the buffer right after
 * the mbuf header (rte_pktmbuf_init), and tx_commit resets data_off. */
static inline uint8_t *tx_data(struct rte_mbuf *m)
{
	return (uint8_t *)m + sizeof(struct rte_mbuf) + RTE_PKTMBUF_HEADROOM;
}

/* Take up to n mbufs from the pool into ahead[], prefetching for writing
 * the lines the engine and tx_commit will write a burst later. */
static void take_ahead(struct io_port *p, unsigned n)
{
	struct rte_mbuf **m = &p->ahead[p->nb_ahead];

	if (n == 0 || !p->tx_pool ||
	    rte_mempool_get_bulk(p->tx_pool, (void **)m, n) < 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		__builtin_prefetch(m[i], 1, 3);
		__builtin_prefetch(tx_data(m[i]), 1, 3);
	}
	p->nb_ahead += n;
}

static unsigned dpdk_tx_reserve(struct io_port *p, uint8_t **bufs, unsigned n)
{
	unsigned rest;

	if (n > IO_MAX_BURST)
		n = IO_MAX_BURST;
	if (p->nb_ahead < n)
		take_ahead(p, n - p->nb_ahead);
	if (p->nb_ahead < n)
		n = p->nb_ahead;	/* pool dry: lend what there is */
	for (unsigned i = 0; i < n; i++) {
		p->lent[i] = p->ahead[i];
		bufs[i] = tx_data(p->ahead[i]);
	}
	p->nb_lent = n;
	rest = p->nb_ahead - n;
	if (rest)
		memmove(p->ahead, p->ahead + n, rest * sizeof(p->ahead[0]));
	p->nb_ahead = rest;
	if (rest < p->burst)
		take_ahead(p, p->burst - rest);
	return n;
}

static unsigned dpdk_tx_commit(struct io_port *p, const uint16_t *len,
			       unsigned n)
{
	unsigned sent, unsent;

	if (n > p->nb_lent)
		n = p->nb_lent;
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = p->lent[i];

		m->data_off = RTE_PKTMBUF_HEADROOM;
		m->data_len = len[i];
		m->pkt_len = len[i];
	}
	sent = rte_eth_tx_burst(p->port_id, 0, p->lent, (uint16_t)n);
	/* refused frames (and any reserved but not committed) go back to the
	 * front of ahead[], to be lent first: they are hot */
	unsent = p->nb_lent - sent;
	if (unsent) {
		memmove(p->ahead + unsent, p->ahead,
			p->nb_ahead * sizeof(p->ahead[0]));
		memcpy(p->ahead, p->lent + sent, unsent * sizeof(p->ahead[0]));
		p->nb_ahead += unsent;
	}
	p->nb_lent = 0;
	return sent;
}

static unsigned dpdk_rx_burst(struct io_port *p, const uint8_t **bufs,
			      uint16_t *len, unsigned n)
{
	unsigned nb;

	if (n > IO_MAX_BURST)
		n = IO_MAX_BURST;
	nb = rte_eth_rx_burst(p->port_id, 0, p->rx, (uint16_t)n);
	for (unsigned i = 0; i < nb; i++)
		__builtin_prefetch(rte_pktmbuf_mtod(p->rx[i], void *), 0, 3);
	for (unsigned i = 0; i < nb; i++) {
		bufs[i] = rte_pktmbuf_mtod(p->rx[i], const uint8_t *);
		len[i] = (uint16_t)p->rx[i]->pkt_len;
	}
	p->nb_rx = nb;
	return nb;
}

static void dpdk_rx_release(struct io_port *p)
{
	if (p->nb_rx)
		rte_pktmbuf_free_bulk(p->rx, p->nb_rx);
	p->nb_rx = 0;
}

struct prefill_arg {
	const uint8_t *frame;
	uint16_t len;
};

static void prefill_one(struct rte_mempool *mp, void *opaque, void *obj,
			unsigned idx)
{
	const struct prefill_arg *a = opaque;
	struct rte_mbuf *m = obj;

	(void)mp;
	(void)idx;
	memcpy((uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM, a->frame, a->len);
}

static int dpdk_prefill(struct io_port *p, const uint8_t *frame, uint16_t len)
{
	struct prefill_arg a = { frame, len };

	if (!p->tx_pool)
		return -ENODEV;
	if (len > p->tx_buf_len)
		return -EMSGSIZE;
	rte_mempool_obj_iter(p->tx_pool, prefill_one, &a);
	return 0;
}

static void dpdk_counters(struct io_port *p, struct io_counters *c)
{
	struct rte_eth_stats s;

	memset(c, 0, sizeof(*c));
	if (!p->started || rte_eth_stats_get(p->port_id, &s) < 0)
		return;
	c->nb_tx = s.opackets;
	c->nb_rx = s.ipackets;
	c->nb_tx_drop = s.oerrors;
	c->nb_rx_drop = s.imissed + s.rx_nombuf;
	c->nb_rx_err = s.ierrors;
}

static void dpdk_close(struct io_port *p)
{
	if (!p)
		return;
	if (p->nb_rx)
		rte_pktmbuf_free_bulk(p->rx, p->nb_rx);
	if (p->nb_lent)
		rte_mempool_put_bulk(p->tx_pool, (void **)p->lent, p->nb_lent);
	if (p->nb_ahead)
		rte_mempool_put_bulk(p->tx_pool, (void **)p->ahead, p->nb_ahead);
	if (p->started)
		(void)rte_eth_dev_stop(p->port_id);
	if (p->configured)
		(void)rte_eth_dev_close(p->port_id);
	/* after the port: its queues held mbufs of these pools */
	rte_mempool_free(p->tx_pool);
	rte_mempool_free(p->rx_pool);
	if (p->eal_up)
		(void)rte_eal_cleanup();
	free(p);
}

const struct io_ops io_dpdk_ops = {
	.name = "dpdk",
	.open = dpdk_open,
	.info = dpdk_info,
	.tx_reserve = dpdk_tx_reserve,
	.tx_commit = dpdk_tx_commit,
	.rx_burst = dpdk_rx_burst,
	.rx_release = dpdk_rx_release,
	.prefill = dpdk_prefill,
	.counters = dpdk_counters,
	.close = dpdk_close,
};
