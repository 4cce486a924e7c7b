/* AF_PACKET backend ("afpacket"): one packet socket bound to one interface.
 *
 * Arguments (key=value):
 *   ifname=NAME     the interface (mandatory; in the engine's netns)
 *   tx=mmsg|ring    transmit with sendmmsg() from a fixed set of buffers
 *                   (default), or through a PACKET_TX_RING (frames handed
 *                   over in place, one send() per burst). Measured on veth
 *                   (2-core VM, one core, bursts of 32-64): sendmmsg 0.81-0.83
 *                   Mpps vs ring 0.68-0.74 Mpps at 64 B, and 0.46-0.76 vs
 *                   0.44-0.65 at 1518 B; the ring's per-slot completion
 *                   (skb destructor) costs more than the copy it saves.
 *   qdisc_bypass=1|0  PACKET_QDISC_BYPASS on the tx socket (default 1)
 *   tx_frames=N     tx ring slots (default 4096; in-flight skbs keep theirs)
 *   block_kb=N nb_blocks=N tov_ms=N   TPACKET_V3 rx ring geometry and block
 *                   retire timeout (defaults 64 KiB x 512, 1 ms). At low
 *                   rates the timer retires blocks nearly empty (one per
 *                   tov_ms), so the block count, not the size, is what lets
 *                   a descheduled receiver catch up without loss: 512
 *                   blocks ride out ~0.5 s at any rate up to ~250 kpps.
 *                   A frame waits up to tov_ms in an open block: receive
 *                   latency through this backend includes that delay.
 *   rx=v3|v2        receive ring: TPACKET_V3 blocks (default), or a
 *                   TPACKET_V2 ring of frames, each visible as soon as the
 *                   kernel wrote it (no block timer in the latency; more
 *                   memory per frame): rx_frames=N slots (default 32768)
 *
 * Receive uses a TPACKET_V3 ring: the kernel fills whole blocks, the engine
 * walks a block's frames in place and the block goes back to the kernel at
 * rx_release once every frame of it was lent. Outgoing frames are ignored
 * (PACKET_IGNORE_OUTGOING), so the receiver sees what arrives only.
 *
 * Transmit with sendmmsg: IO_MAX_BURST buffers, reused each burst (the
 * kernel copies them), so their contents persist.
 * Transmit with the ring (TPACKET_V2): a slot is free while its status is
 * TP_STATUS_AVAILABLE; the kernel keeps a sent slot until the skb that
 * points into it is freed, so slots keep their contents (persistent_tx) and
 * prefill writes every slot once. The tx socket binds protocol 0: it never
 * receives. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../harness/util.h"
#include "io.h"

#ifndef PACKET_QDISC_BYPASS
#define PACKET_QDISC_BYPASS 20
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define AFP_SNDBUF_BYTES (64 << 20)
#define AFP_RING_FRAME 2048	/* nominal V3 frame size (validation only) */

enum afp_tx_mode { AFP_TX_RING, AFP_TX_MMSG };
enum afp_rx_mode { AFP_RX_V3, AFP_RX_V2 };

struct io_port {
	int fd;
	int ifindex;
	char ifname[IF_NAMESIZE];
	int is_tx;
	enum afp_tx_mode tx_mode;
	enum afp_rx_mode rx_mode;
	int qdisc_bypass;
	uint16_t max_frame;

	uint8_t *map;		/* rx or tx ring */
	size_t map_len;

	/* rx: TPACKET_V3 */
	unsigned block_size, nb_blocks, tov_ms;
	unsigned blk;		/* block the engine reads from */
	unsigned blk_left;	/* frames of blk not yet lent */
	uint8_t *blk_next;	/* next frame of blk */
	int blk_open;		/* blk belongs to us */
	int blk_release;	/* hand blk back at rx_release */

	/* rx: TPACKET_V2 ring (frames, nb_frames/frame_size shared with tx) */
	unsigned nb_rx_lent;	/* frames lent from head by the last burst */

	/* tx: TPACKET_V2 ring */
	unsigned frame_size, nb_frames, data_off;
	unsigned head;		/* next slot to lend */
	unsigned nb_lent;

	/* tx: sendmmsg */
	uint8_t *bufs;
	struct mmsghdr *msgs;
	struct iovec *iov;
	unsigned buf_size;

	struct io_counters cnt;
};

static int arg_u(const char *v, uint64_t min, uint64_t max, unsigned *out)
{
	uint64_t x;
	int rc = util_parse_u64(v, min, max, 0, &x);

	if (rc == 0)
		*out = (unsigned)x;
	return rc;
}

static int afp_parse(struct io_port *p, const struct io_cfg *cfg, char *why,
		     size_t len)
{
	unsigned block_kb = 64, bypass = 1;

	p->nb_blocks = 512;
	p->tov_ms = 1;
	p->nb_frames = 0;
	p->tx_mode = AFP_TX_MMSG;
	p->rx_mode = AFP_RX_V3;
	for (int i = 0; i < cfg->nb_args; i++) {
		const char *a = cfg->args[i], *v = strchr(a, '=');
		size_t k = v ? (size_t)(v - a) : strlen(a);
		int rc = 0;

		if (!v)
			return util_why(why, len, EINVAL,
					"afpacket: argument '%s' is not key=value", a);
		v++;
		if (k == 6 && !strncmp(a, "ifname", k))
			rc = util_strlcpy(p->ifname, v, sizeof(p->ifname));
		else if (k == 2 && !strncmp(a, "tx", k)) {
			if (!strcmp(v, "ring"))
				p->tx_mode = AFP_TX_RING;
			else if (!strcmp(v, "mmsg"))
				p->tx_mode = AFP_TX_MMSG;
			else
				rc = -EINVAL;
		} else if (k == 2 && !strncmp(a, "rx", k)) {
			if (!strcmp(v, "v3"))
				p->rx_mode = AFP_RX_V3;
			else if (!strcmp(v, "v2"))
				p->rx_mode = AFP_RX_V2;
			else
				rc = -EINVAL;
		} else if (k == 9 && !strncmp(a, "rx_frames", k))
			rc = arg_u(v, 64, 1 << 22, &p->nb_frames);
		else if (k == 12 && !strncmp(a, "qdisc_bypass", k))
			rc = arg_u(v, 0, 1, &bypass);
		else if (k == 9 && !strncmp(a, "tx_frames", k))
			rc = arg_u(v, 64, 1 << 20, &p->nb_frames);
		else if (k == 8 && !strncmp(a, "block_kb", k))
			rc = arg_u(v, 4, 64 << 10, &block_kb);
		else if (k == 9 && !strncmp(a, "nb_blocks", k))
			rc = arg_u(v, 2, 1 << 16, &p->nb_blocks);
		else if (k == 6 && !strncmp(a, "tov_ms", k))
			rc = arg_u(v, 1, 1000, &p->tov_ms);
		else
			return util_why(why, len, EINVAL,
					"afpacket: unknown argument '%s' (known: ifname, "
					"tx, qdisc_bypass, tx_frames, rx, rx_frames, "
					"block_kb, nb_blocks, tov_ms)", a);
		if (rc < 0)
			return util_why(why, len, EINVAL,
					"afpacket: bad value in '%s'", a);
	}
	if (!p->ifname[0])
		return util_why(why, len, EINVAL,
				"afpacket: ifname=NAME is missing (the interface "
				"to bind to)");
	if (!p->nb_frames)
		p->nb_frames = cfg->is_tx ? 4096 : 32768;
	p->qdisc_bypass = (int)bypass;
	p->block_size = block_kb << 10;
	if (p->block_size % (unsigned)getpagesize())
		return util_why(why, len, EINVAL,
				"afpacket: block_kb=%u is not a multiple of the "
				"page size", block_kb);
	return 0;
}

static int afp_rx_ring(struct io_port *p, char *why, size_t len)
{
	int v = TPACKET_V3, one = 1;
	struct tpacket_req3 req = {
		.tp_block_size = p->block_size,
		.tp_block_nr = p->nb_blocks,
		.tp_frame_size = AFP_RING_FRAME,
		.tp_frame_nr = p->block_size / AFP_RING_FRAME * p->nb_blocks,
		.tp_retire_blk_tov = p->tov_ms,
	};

	if (setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return util_why(why, len, errno,
				"afpacket %s: TPACKET_V3 not supported: %s "
				"(needs Linux >= 3.2)", p->ifname, strerror(errno));
	if (setsockopt(p->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return util_why(why, len, errno,
				"afpacket %s: PACKET_RX_RING of %u x %u KiB: %s "
				"(lower nb_blocks/block_kb)", p->ifname,
				p->nb_blocks, p->block_size >> 10, strerror(errno));
	p->map_len = (size_t)p->block_size * p->nb_blocks;
	p->map = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_LOCKED | MAP_POPULATE, p->fd, 0);
	if (p->map == MAP_FAILED)
		p->map = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE,
			      MAP_SHARED, p->fd, 0);
	if (p->map == MAP_FAILED) {
		p->map = NULL;
		return util_why(why, len, errno, "afpacket %s: mmap rx ring: %s",
				p->ifname, strerror(errno));
	}
	/* Older kernels lack it; then the receiver counts its own
	 * frames as foreign, which is harmless on a receive-only port. */
	(void)setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			 sizeof(one));
	return 0;
}

/* A TPACKET_V2 ring of nb_frames slots (opt PACKET_TX_RING or
 * PACKET_RX_RING). A received frame starts at tp_mac, after the header, a
 * sockaddr_ll and alignment padding (up to 16 + TPACKET_ALIGNMENT bytes). */
static int afp_v2_ring(struct io_port *p, int opt, char *why, size_t len)
{
	int v = TPACKET_V2, one = 1;
	unsigned page = (unsigned)getpagesize(), per_block;
	unsigned need = opt == PACKET_TX_RING
		? TPACKET2_HDRLEN - sizeof(struct sockaddr_ll) + p->max_frame
		: TPACKET_ALIGN(TPACKET2_HDRLEN) + 16 + TPACKET_ALIGNMENT +
		  p->max_frame;
	struct tpacket_req req;

	p->data_off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	p->frame_size = 128;
	while (p->frame_size < need)
		p->frame_size <<= 1;
	/* Blocks of at least one page, a power of two, so that slots are
	 * contiguous across blocks. */
	req.tp_block_size = page;
	while (req.tp_block_size < p->frame_size * 4)
		req.tp_block_size <<= 1;
	per_block = req.tp_block_size / p->frame_size;
	req.tp_block_nr = (p->nb_frames + per_block - 1) / per_block;
	req.tp_frame_size = p->frame_size;
	req.tp_frame_nr = req.tp_block_nr * per_block;
	p->nb_frames = req.tp_frame_nr;

	if (setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return util_why(why, len, errno,
				"afpacket %s: TPACKET_V2: %s", p->ifname,
				strerror(errno));
	if (setsockopt(p->fd, SOL_PACKET, opt, &req, sizeof(req)) < 0)
		return util_why(why, len, errno,
				"afpacket %s: %s of %u frames: %s (lower %s)",
				p->ifname, opt == PACKET_TX_RING ? "PACKET_TX_RING"
				: "PACKET_RX_RING", p->nb_frames, strerror(errno),
				opt == PACKET_TX_RING ? "tx_frames, or use tx=mmsg"
				: "rx_frames, or use rx=v3");
	p->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	p->map = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_POPULATE, p->fd, 0);
	if (p->map == MAP_FAILED) {
		p->map = NULL;
		return util_why(why, len, errno, "afpacket %s: mmap ring: %s",
				p->ifname, strerror(errno));
	}
	if (opt == PACKET_RX_RING)
		(void)setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING,
				 &one, sizeof(one));
	return 0;
}

/* Slot i of the tx ring: frame_size is a power of two that divides the
 * block size, so the slots are contiguous. */
static inline struct tpacket2_hdr *afp_slot(struct io_port *p, unsigned i)
{
	return (struct tpacket2_hdr *)(p->map + (size_t)i * p->frame_size);
}

static int afp_tx_mmsg(struct io_port *p, char *why, size_t len)
{
	p->buf_size = (p->max_frame + 63u) & ~63u;
	p->bufs = aligned_alloc(64, (size_t)p->buf_size * IO_MAX_BURST);
	p->msgs = calloc(IO_MAX_BURST, sizeof(*p->msgs));
	p->iov = calloc(IO_MAX_BURST, sizeof(*p->iov));
	if (!p->bufs || !p->msgs || !p->iov)
		return util_why(why, len, ENOMEM, "afpacket %s: out of memory",
				p->ifname);
	memset(p->bufs, 0, (size_t)p->buf_size * IO_MAX_BURST);
	for (unsigned i = 0; i < IO_MAX_BURST; i++) {
		p->iov[i].iov_base = p->bufs + (size_t)i * p->buf_size;
		p->msgs[i].msg_hdr.msg_iov = &p->iov[i];
		p->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

static void afp_close(struct io_port *p)
{
	if (!p)
		return;
	if (p->map)
		munmap(p->map, p->map_len);
	if (p->fd >= 0)
		close(p->fd);
	free(p->bufs);
	free(p->msgs);
	free(p->iov);
	free(p);
}

static int afp_open(struct io_port **pp, const struct io_cfg *cfg, char *why,
		    size_t len)
{
	struct io_port *p = calloc(1, sizeof(*p));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int rc, sndbuf = AFP_SNDBUF_BYTES;

	if (!p)
		return util_why(why, len, ENOMEM, "afpacket: out of memory");
	p->fd = -1;
	p->is_tx = cfg->is_tx;
	p->max_frame = cfg->max_frame ? cfg->max_frame : 1514;
	rc = afp_parse(p, cfg, why, len);
	if (rc < 0)
		goto fail;
	p->ifindex = (int)if_nametoindex(p->ifname);
	if (!p->ifindex) {
		rc = util_why(why, len, ENODEV,
			      "afpacket: no interface %s in this network namespace "
			      "(does the topology run the engine in its netns?)",
			      p->ifname);
		goto fail;
	}
	/* Protocol 0: nothing is received before bind (and never on tx). */
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		rc = util_why(why, len, errno,
			      "afpacket: socket(AF_PACKET): %s (needs root or "
			      "CAP_NET_RAW)", strerror(errno));
		goto fail;
	}
	if (p->is_tx) {
		int bypass = p->qdisc_bypass;

		if (setsockopt(p->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
			       sizeof(sndbuf)) < 0)
			(void)setsockopt(p->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
					 sizeof(sndbuf));
		if (bypass && setsockopt(p->fd, SOL_PACKET, PACKET_QDISC_BYPASS,
					 &bypass, sizeof(bypass)) < 0)
			p->qdisc_bypass = 0;
		rc = p->tx_mode == AFP_TX_RING
			? afp_v2_ring(p, PACKET_TX_RING, why, len)
			: afp_tx_mmsg(p, why, len);
		sll.sll_protocol = 0;
	} else {
		rc = p->rx_mode == AFP_RX_V2
			? afp_v2_ring(p, PACKET_RX_RING, why, len)
			: afp_rx_ring(p, why, len);
		sll.sll_protocol = htons(ETH_P_ALL);
	}
	if (rc < 0)
		goto fail;
	sll.sll_ifindex = p->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = util_why(why, len, errno, "afpacket: bind to %s: %s",
			      p->ifname, strerror(errno));
		goto fail;
	}
	*pp = p;
	return 0;
fail:
	afp_close(p);
	return rc;
}

static void afp_info(struct io_port *p, struct io_info *info)
{
	struct ifreq ifr;

	memset(info, 0, sizeof(*info));
	snprintf(info->desc, sizeof(info->desc), "afpacket %s (%s%s)",
		 p->ifname,
		 !p->is_tx ? (p->rx_mode == AFP_RX_V2 ? "rx TPACKET_V2"
						      : "rx TPACKET_V3") :
		 p->tx_mode == AFP_TX_RING ? "tx PACKET_TX_RING" : "tx sendmmsg",
		 p->is_tx && p->qdisc_bypass ? ", qdisc bypass" : "");
	memset(&ifr, 0, sizeof(ifr));
	util_strlcpy(ifr.ifr_name, p->ifname, sizeof(ifr.ifr_name));
	if (ioctl(p->fd, SIOCGIFFLAGS, &ifr) == 0)
		info->link_up = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
				(IFF_UP | IFF_RUNNING);
	info->persistent_tx = 1;
}

static inline uint32_t slot_status(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static unsigned afp_tx_reserve(struct io_port *p, uint8_t **bufs, unsigned n)
{
	unsigned i;

	if (p->tx_mode == AFP_TX_MMSG) {
		if (n > IO_MAX_BURST)
			n = IO_MAX_BURST;
		for (i = 0; i < n; i++)
			bufs[i] = p->bufs + (size_t)i * p->buf_size;
		p->nb_lent = n;
		return n;
	}
	for (i = 0; i < n; i++) {
		unsigned s = (p->head + i) % p->nb_frames;
		struct tpacket2_hdr *h = afp_slot(p, s);
		uint32_t st = slot_status(h);

		if (st & TP_STATUS_WRONG_FORMAT) {
			/* A frame the kernel refused (bad length): count it
			 * and reuse the slot. */
			p->cnt.nb_tx_drop++;
			__atomic_store_n(&h->tp_status, TP_STATUS_AVAILABLE,
					 __ATOMIC_RELEASE);
		} else if (st != TP_STATUS_AVAILABLE) {
			break;
		}
		bufs[i] = (uint8_t *)h + p->data_off;
	}
	p->nb_lent = i;
	return i;
}

static unsigned afp_commit_mmsg(struct io_port *p, const uint16_t *len,
				unsigned n)
{
	int r;

	for (unsigned i = 0; i < n; i++)
		p->iov[i].iov_len = len[i];
	r = sendmmsg(p->fd, p->msgs, n, MSG_DONTWAIT);
	if (r < 0)
		return 0;
	return (unsigned)r;
}

static unsigned afp_commit_ring(struct io_port *p, const uint16_t *len,
				unsigned n)
{
	unsigned sent = 0;

	for (unsigned i = 0; i < n; i++) {
		struct tpacket2_hdr *h = afp_slot(p, (p->head + i) % p->nb_frames);

		h->tp_len = len[i];
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST,
				 __ATOMIC_RELEASE);
	}
	/* One kick sends every requested slot in ring order (MSG_DONTWAIT:
	 * the kernel does not wait for completions). */
	(void)send(p->fd, NULL, 0, MSG_DONTWAIT);
	/* Slots the kernel did not take (socket buffer full, device gone)
	 * go back to the engine unsent, keeping the kernel's ring head and
	 * ours in step. */
	for (unsigned i = 0; i < n; i++) {
		struct tpacket2_hdr *h = afp_slot(p, (p->head + i) % p->nb_frames);

		if (slot_status(h) == TP_STATUS_SEND_REQUEST) {
			for (unsigned j = i; j < n; j++)
				__atomic_store_n(&afp_slot(p, (p->head + j) %
							   p->nb_frames)->tp_status,
						 TP_STATUS_AVAILABLE,
						 __ATOMIC_RELEASE);
			break;
		}
		sent++;
	}
	p->head = (p->head + sent) % p->nb_frames;
	return sent;
}

static unsigned afp_tx_commit(struct io_port *p, const uint16_t *len,
			      unsigned n)
{
	unsigned sent;

	if (n > p->nb_lent)
		n = p->nb_lent;
	p->nb_lent = 0;
	if (!n)
		return 0;
	sent = p->tx_mode == AFP_TX_RING ? afp_commit_ring(p, len, n)
					 : afp_commit_mmsg(p, len, n);
	p->cnt.nb_tx += sent;
	return sent;
}

static inline struct tpacket_block_desc *afp_block(struct io_port *p,
						   unsigned b)
{
	return (struct tpacket_block_desc *)(p->map + (size_t)b * p->block_size);
}

static void afp_block_give_back(struct io_port *p)
{
	struct tpacket_block_desc *bd = afp_block(p, p->blk);

	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
			 __ATOMIC_RELEASE);
	p->blk = (p->blk + 1) % p->nb_blocks;
	p->blk_open = 0;
	p->blk_release = 0;
}

static unsigned afp_rx_burst_v2(struct io_port *p, const uint8_t **bufs,
				uint16_t *len, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct tpacket2_hdr *h = afp_slot(p, (p->head + i) % p->nb_frames);

		if (!(slot_status(h) & TP_STATUS_USER))
			break;
		bufs[i] = (const uint8_t *)h + h->tp_mac;
		len[i] = (uint16_t)h->tp_snaplen;
	}
	p->nb_rx_lent = i;
	p->cnt.nb_rx += i;
	return i;
}

static unsigned afp_rx_burst(struct io_port *p, const uint8_t **bufs,
			     uint16_t *len, unsigned n)
{
	unsigned i;

	if (p->rx_mode == AFP_RX_V2)
		return afp_rx_burst_v2(p, bufs, len, n);
	if (!p->blk_open) {
		struct tpacket_block_desc *bd = afp_block(p, p->blk);

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status,
				      __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return 0;
		p->blk_open = 1;
		p->blk_left = bd->hdr.bh1.num_pkts;
		p->blk_next = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
		if (!p->blk_left) {
			afp_block_give_back(p);
			return 0;
		}
	}
	if (n > p->blk_left)
		n = p->blk_left;
	for (i = 0; i < n; i++) {
		struct tpacket3_hdr *h = (struct tpacket3_hdr *)p->blk_next;

		bufs[i] = (const uint8_t *)h + h->tp_mac;
		len[i] = (uint16_t)h->tp_snaplen;
		p->blk_next += h->tp_next_offset;
	}
	p->blk_left -= n;
	if (!p->blk_left)
		p->blk_release = 1;
	p->cnt.nb_rx += n;
	return n;
}

static void afp_rx_release(struct io_port *p)
{
	if (p->rx_mode == AFP_RX_V2) {
		for (unsigned i = 0; i < p->nb_rx_lent; i++)
			__atomic_store_n(&afp_slot(p, (p->head + i) %
						   p->nb_frames)->tp_status,
					 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		p->head = (p->head + p->nb_rx_lent) % p->nb_frames;
		p->nb_rx_lent = 0;
		return;
	}
	if (p->blk_release)
		afp_block_give_back(p);
}

static int afp_prefill(struct io_port *p, const uint8_t *frame, uint16_t len)
{
	if (len > p->max_frame)
		return -EINVAL;
	if (p->tx_mode == AFP_TX_MMSG) {
		for (unsigned i = 0; i < IO_MAX_BURST; i++)
			memcpy(p->bufs + (size_t)i * p->buf_size, frame, len);
		return 0;
	}
	for (unsigned i = 0; i < p->nb_frames; i++) {
		struct tpacket2_hdr *h = afp_slot(p, i);

		/* Slots in flight are rewritten when they come back, by the
		 * engine's per-frame stamp; the body stays the same. */
		if (slot_status(h) == TP_STATUS_AVAILABLE)
			memcpy((uint8_t *)h + p->data_off, frame, len);
	}
	return 0;
}

static void afp_counters(struct io_port *p, struct io_counters *c)
{
	if (!p->is_tx) {
		struct tpacket_stats_v3 st;
		socklen_t sl = p->rx_mode == AFP_RX_V2
			? sizeof(struct tpacket_stats) : sizeof(st);

		/* The kernel resets its counters on every read. */
		if (getsockopt(p->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0)
			p->cnt.nb_rx_drop += st.tp_drops;
	}
	*c = p->cnt;
}

const struct io_ops io_afpacket_ops = {
	.name = "afpacket",
	.open = afp_open,
	.info = afp_info,
	.tx_reserve = afp_tx_reserve,
	.tx_commit = afp_tx_commit,
	.rx_burst = afp_rx_burst,
	.rx_release = afp_rx_release,
	.prefill = afp_prefill,
	.counters = afp_counters,
	.close = afp_close,
};
