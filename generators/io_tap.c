/* Tap backend ("tap"): moves frames through a tap fd with a virtio_net_hdr
 * in front of each, the way QEMU's user-space virtio-net backend (vhost=off)
 * moves a guest's packets: one read() or write() per frame, non-blocking.
 *
 * Arguments (key=value):
 *   ifname=NAME       a tap the topology created (persistent, in the engine's
 *                     netns); attached with TUNSETIFF IFF_TAP|IFF_NO_PI|
 *                     IFF_VNET_HDR
 *   fd=N              or an inherited, already attached tap fd
 *   vnet_hdr_sz=10|12 header size (default 12: virtio 1.0 / mergeable rx
 *                     buffers, what a modern guest negotiates)
 *
 * The header of every frame sent is all zero (no checksum offload, no GSO);
 * offloads are switched off (TUNSETOFFLOAD 0) so the kernel never hands the
 * reader a GSO or checksum-partial frame. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../harness/util.h"
#include "io.h"

struct io_port {
	int fd;
	int own_fd;		/* 1: opened here, closed at close */
	int ctl_fd;		/* AF_INET socket for SIOCGIFFLAGS */
	char ifname[IF_NAMESIZE];
	unsigned hdr_len;	/* virtio_net_hdr size */
	unsigned slot_size;	/* hdr_len + max_frame, cache-line rounded */
	uint16_t max_frame;
	uint8_t *tx_slots, *rx_slots;	/* IO_MAX_BURST each */
	unsigned nb_lent;
	struct io_counters cnt;
};

static int tap_parse(struct io_port *p, const struct io_cfg *cfg, int *fd,
		     char *why, size_t len)
{
	*fd = -1;
	p->hdr_len = 12;
	for (int i = 0; i < cfg->nb_args; i++) {
		const char *a = cfg->args[i], *v = strchr(a, '=');
		uint64_t x;
		int rc = 0;

		if (!v)
			return util_why(why, len, EINVAL,
					"tap: argument '%s' is not key=value", a);
		v++;
		if (!strncmp(a, "ifname=", 7)) {
			rc = util_strlcpy(p->ifname, v, sizeof(p->ifname));
		} else if (!strncmp(a, "fd=", 3)) {
			rc = util_parse_u64(v, 0, 1 << 20, 0, &x);
			*fd = (int)x;
		} else if (!strncmp(a, "vnet_hdr_sz=", 12)) {
			rc = util_parse_u64(v, 10, 12, 0, &x);
			if (rc == 0 && x != 10 && x != 12)
				rc = -EINVAL;
			p->hdr_len = (unsigned)x;
		} else {
			return util_why(why, len, EINVAL,
					"tap: unknown argument '%s' (known: ifname, "
					"fd, vnet_hdr_sz)", a);
		}
		if (rc < 0)
			return util_why(why, len, EINVAL, "tap: bad value in '%s'",
					a);
	}
	if (!p->ifname[0] && *fd < 0)
		return util_why(why, len, EINVAL,
				"tap: ifname=NAME or fd=N is missing (the tap to "
				"attach to)");
	return 0;
}

/* Attach to the persistent tap p->ifname. */
static int tap_attach(struct io_port *p, char *why, size_t len)
{
	struct ifreq ifr;

	p->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (p->fd < 0)
		return util_why(why, len, errno,
				"tap: /dev/net/tun: %s (kernel without CONFIG_TUN, "
				"or the device node is missing)", strerror(errno));
	p->own_fd = 1;
	memset(&ifr, 0, sizeof(ifr));
	util_strlcpy(ifr.ifr_name, p->ifname, sizeof(ifr.ifr_name));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(p->fd, TUNSETIFF, &ifr) < 0)
		return util_why(why, len, errno,
				"tap %s: TUNSETIFF: %s (is it a tap, single-queue, "
				"in this netns, and not attached elsewhere?)",
				p->ifname, strerror(errno));
	return 0;
}

static void tap_close(struct io_port *p)
{
	if (!p)
		return;
	if (p->own_fd && p->fd >= 0)
		close(p->fd);
	if (p->ctl_fd >= 0)
		close(p->ctl_fd);
	free(p->tx_slots);
	free(p->rx_slots);
	free(p);
}

static int tap_open(struct io_port **pp, const struct io_cfg *cfg, char *why,
		    size_t len)
{
	struct io_port *p = calloc(1, sizeof(*p));
	int hdr_sz, fd, rc, fl;
	size_t bytes;

	if (!p)
		return util_why(why, len, ENOMEM, "tap: out of memory");
	p->fd = -1;
	p->ctl_fd = -1;
	p->max_frame = cfg->max_frame ? cfg->max_frame : 1514;
	rc = tap_parse(p, cfg, &fd, why, len);
	if (rc < 0)
		goto fail;
	if (fd >= 0) {
		struct ifreq ifr;

		p->fd = fd;
		memset(&ifr, 0, sizeof(ifr));
		if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
			rc = util_why(why, len, errno,
				      "tap: fd=%d is not an attached tap fd: %s", fd,
				      strerror(errno));
			goto fail;
		}
		if (!(ifr.ifr_flags & IFF_VNET_HDR) || !(ifr.ifr_flags & IFF_TAP) ||
		    !(ifr.ifr_flags & IFF_NO_PI)) {
			rc = util_why(why, len, EINVAL,
				      "tap: fd=%d (%s) lacks IFF_TAP|IFF_NO_PI|"
				      "IFF_VNET_HDR; attach it with those flags", fd,
				      ifr.ifr_name);
			goto fail;
		}
		util_strlcpy(p->ifname, ifr.ifr_name, sizeof(p->ifname));
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
			rc = util_why(why, len, errno, "tap: fd=%d: O_NONBLOCK: %s",
				      fd, strerror(errno));
			goto fail;
		}
	} else {
		rc = tap_attach(p, why, len);
		if (rc < 0)
			goto fail;
	}
	hdr_sz = (int)p->hdr_len;
	if (ioctl(p->fd, TUNSETVNETHDRSZ, &hdr_sz) < 0) {
		rc = util_why(why, len, errno, "tap %s: TUNSETVNETHDRSZ %d: %s",
			      p->ifname, hdr_sz, strerror(errno));
		goto fail;
	}
	if (ioctl(p->fd, TUNSETOFFLOAD, 0UL) < 0) {
		rc = util_why(why, len, errno, "tap %s: TUNSETOFFLOAD 0: %s",
			      p->ifname, strerror(errno));
		goto fail;
	}
	p->slot_size = (p->hdr_len + p->max_frame + 63u) & ~63u;
	bytes = (size_t)p->slot_size * IO_MAX_BURST;
	p->tx_slots = aligned_alloc(64, bytes);
	p->rx_slots = aligned_alloc(64, bytes);
	if (!p->tx_slots || !p->rx_slots) {
		rc = util_why(why, len, ENOMEM, "tap %s: out of memory", p->ifname);
		goto fail;
	}
	/* Headers stay zero: no offload requested, no GSO. */
	memset(p->tx_slots, 0, bytes);
	memset(p->rx_slots, 0, bytes);
	p->ctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*pp = p;
	return 0;
fail:
	tap_close(p);
	return rc;
}

static void tap_info(struct io_port *p, struct io_info *info)
{
	struct ifreq ifr;

	memset(info, 0, sizeof(*info));
	snprintf(info->desc, sizeof(info->desc),
		 "tap %s (vnet_hdr %u, read/write per frame)", p->ifname,
		 p->hdr_len);
	info->link_up = 1;
	memset(&ifr, 0, sizeof(ifr));
	util_strlcpy(ifr.ifr_name, p->ifname, sizeof(ifr.ifr_name));
	if (p->ctl_fd >= 0 && ioctl(p->ctl_fd, SIOCGIFFLAGS, &ifr) == 0)
		info->link_up = !!(ifr.ifr_flags & IFF_UP);
	info->persistent_tx = 1;
}

static unsigned tap_tx_reserve(struct io_port *p, uint8_t **bufs, unsigned n)
{
	if (n > IO_MAX_BURST)
		n = IO_MAX_BURST;
	for (unsigned i = 0; i < n; i++)
		bufs[i] = p->tx_slots + (size_t)i * p->slot_size + p->hdr_len;
	p->nb_lent = n;
	return n;
}

static unsigned tap_tx_commit(struct io_port *p, const uint16_t *len,
			      unsigned n)
{
	unsigned i;

	if (n > p->nb_lent)
		n = p->nb_lent;
	p->nb_lent = 0;
	for (i = 0; i < n; i++) {
		ssize_t w = write(p->fd, p->tx_slots + (size_t)i * p->slot_size,
				  p->hdr_len + len[i]);

		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ENOBUFS)
				p->cnt.nb_tx_drop++;
			break;
		}
	}
	p->cnt.nb_tx += i;
	return i;
}

static unsigned tap_rx_burst(struct io_port *p, const uint8_t **bufs,
			     uint16_t *len, unsigned n)
{
	unsigned got = 0;

	if (n > IO_MAX_BURST)
		n = IO_MAX_BURST;
	while (got < n) {
		uint8_t *s = p->rx_slots + (size_t)got * p->slot_size;
		ssize_t r = read(p->fd, s, p->slot_size);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				p->cnt.nb_rx_err++;
			break;
		}
		if ((size_t)r <= p->hdr_len) {
			p->cnt.nb_rx_err++;
			continue;
		}
		bufs[got] = s + p->hdr_len;
		len[got] = (uint16_t)((size_t)r - p->hdr_len);
		got++;
	}
	p->cnt.nb_rx += got;
	return got;
}

static void tap_rx_release(struct io_port *p)
{
	(void)p;
}

static int tap_prefill(struct io_port *p, const uint8_t *frame, uint16_t len)
{
	if (len > p->max_frame)
		return -EINVAL;
	for (unsigned i = 0; i < IO_MAX_BURST; i++)
		memcpy(p->tx_slots + (size_t)i * p->slot_size + p->hdr_len, frame,
		       len);
	return 0;
}

static void tap_counters(struct io_port *p, struct io_counters *c)
{
	*c = p->cnt;
}

const struct io_ops io_tap_ops = {
	.name = "tap",
	.open = tap_open,
	.info = tap_info,
	.tx_reserve = tap_tx_reserve,
	.tx_commit = tap_tx_commit,
	.rx_burst = tap_rx_burst,
	.rx_release = tap_rx_release,
	.prefill = tap_prefill,
	.counters = tap_counters,
	.close = tap_close,
};
