/* tap backend: frames written to a tap fd (with a virtio_net_hdr) all arrive
 * intact, once, at an afpacket receiver on the tap netdev, and frames the
 * kernel sends out of the tap (afpacket tx) are all read back from the fd;
 * also through an inherited fd (fd=N). Runs in a private network namespace
 * (unshare), so nothing outside it is touched. Skips unless root. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/io.h"
#include "../../generators/pkt.h"
#include "../../harness/util.h"

#define NB_FRAMES 3000u

static int in_netns;

static int run_ip(const char *a0, const char *a1, const char *a2,
		  const char *a3, const char *a4, const char *a5,
		  const char *a6, const char *a7)
{
	char *argv[] = { "ip", (char *)a0, (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, (char *)a5, (char *)a6, (char *)a7, NULL };

	return util_run(argv, NULL, 0);
}

static int setup_netns(void **state)
{
	(void)state;
	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) < 0 ||
	    unshare(CLONE_NEWNET) < 0)
		return 0;
	if (run_ip("tuntap", "add", "dev", "vptt", "mode", "tap", "vnet_hdr",
		   NULL) != 0 ||
	    run_ip("link", "set", "dev", "vptt", "addrgenmode", "none", NULL,
		   NULL) != 0 ||
	    run_ip("link", "set", "dev", "vptt", "up", NULL, NULL, NULL) != 0)
		return 0;
	in_netns = 1;
	return 0;
}

static struct io_port *open_port(const struct io_ops *o,
				 const char *const *args, int nb_args,
				 int is_tx)
{
	struct io_cfg cfg = {
		.nb_args = nb_args, .args = (char *const *)args,
		.is_tx = is_tx, .cpu = -1, .max_frame = 1514, .burst = 32,
	};
	struct io_port *p = NULL;
	char why[256] = "";

	if (o->open(&p, &cfg, why, sizeof(why)) < 0)
		fail_msg("open %s: %s", o->name, why);
	return p;
}

static unsigned drain(const struct io_ops *o, struct io_port *rx,
		      uint8_t *seen, unsigned *nb_bad, uint16_t frame_len)
{
	const uint8_t *bufs[IO_MAX_BURST];
	uint16_t len[IO_MAX_BURST];
	unsigned got = 0, n;

	while ((n = o->rx_burst(rx, bufs, len, IO_MAX_BURST)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			struct pkt_meta m;
			enum pkt_parse r = pkt_parse(bufs[i], len[i],
						     PKT_HDR_OFF, &m);

			if (r == PKT_FOREIGN)
				continue;
			if (r != PKT_OK || len[i] != frame_len - PKT_FCS_LEN ||
			    m.seq >= NB_FRAMES || seen[m.seq]) {
				(*nb_bad)++;
				continue;
			}
			seen[m.seq] = 1;
			got++;
		}
		o->rx_release(rx);
	}
	return got;
}

/* Send NB_FRAMES from tx to rx in bursts of 32, draining as we go. */
static void move_frames(const struct io_ops *to, struct io_port *tx,
			const struct io_ops *ro, struct io_port *rx,
			uint16_t frame_len)
{
	struct pkt_cfg pc;
	uint8_t frame[2048], *seen = calloc(NB_FRAMES, 1);
	uint16_t buf_len = frame_len - PKT_FCS_LEN, lens[IO_MAX_BURST];
	unsigned seq = 0, got = 0, bad = 0;
	uint64_t deadline = util_now_ns() + 5000000000ull;

	assert_non_null(seen);
	pkt_cfg_default(&pc);
	assert_int_equal(pkt_build(frame, sizeof(frame), &pc, frame_len, 0),
			 buf_len);
	assert_int_equal(to->prefill(tx, frame, buf_len), 0);
	for (unsigned i = 0; i < IO_MAX_BURST; i++)
		lens[i] = buf_len;
	while ((seq < NB_FRAMES || got < NB_FRAMES) &&
	       util_now_ns() < deadline) {
		uint8_t *bufs[IO_MAX_BURST];
		unsigned want = NB_FRAMES - seq < 32 ? NB_FRAMES - seq : 32;
		unsigned n = want ? to->tx_reserve(tx, bufs, want) : 0;

		for (unsigned i = 0; i < n; i++)
			pkt_stamp(bufs[i], PKT_HDR_OFF, 0, seq + i, 0, buf_len);
		if (n)
			seq += to->tx_commit(tx, lens, n);
		got += drain(ro, rx, seen, &bad, frame_len);
		if (seq == NB_FRAMES)
			usleep(200);
	}
	free(seen);
	assert_int_equal(bad, 0);
	assert_int_equal(got, NB_FRAMES);
}

/* Guest to host: the tap fd writes, the kernel receives on vptt. */
static void test_tap_tx(void **state)
{
	const struct io_ops *tap = io_find("tap"), *afp = io_find("afpacket");
	const char *targs[] = { "ifname=vptt" };
	const char *aargs[] = { "ifname=vptt" };
	struct io_port *rx, *tx;
	struct io_counters c;

	(void)state;
	if (!in_netns)
		skip();
	assert_non_null(tap);
	rx = open_port(afp, aargs, 1, 0);
	tx = open_port(tap, targs, 1, 1);
	move_frames(tap, tx, afp, rx, 64);
	tap->counters(tx, &c);
	assert_int_equal(c.nb_tx, NB_FRAMES);
	tap->close(tx);
	afp->close(rx);
}

/* Host to guest: the kernel sends out of vptt, the tap fd reads. */
static void test_tap_rx(void **state)
{
	const struct io_ops *tap = io_find("tap"), *afp = io_find("afpacket");
	const char *targs[] = { "ifname=vptt", "vnet_hdr_sz=10" };
	const char *aargs[] = { "ifname=vptt" };
	struct io_port *rx, *tx;

	(void)state;
	if (!in_netns)
		skip();
	rx = open_port(tap, targs, 2, 0);
	tx = open_port(afp, aargs, 1, 1);
	move_frames(afp, tx, tap, rx, 1518);
	afp->close(tx);
	tap->close(rx);
}

/* An inherited fd, attached by someone else (as QEMU gets one). */
static void test_tap_fd(void **state)
{
	const struct io_ops *tap = io_find("tap"), *afp = io_find("afpacket");
	const char *aargs[] = { "ifname=vptt" };
	char fd_arg[32];
	const char *targs[] = { fd_arg };
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	struct io_port *rx, *tx;
	struct io_cfg cfg = { .nb_args = 1, .args = (char *const *)targs,
			      .is_tx = 1, .cpu = -1, .max_frame = 1514 };
	char why[256];
	int fd;

	(void)state;
	if (!in_netns)
		skip();
	fd = open("/dev/net/tun", O_RDWR);
	assert_true(fd >= 0);
	strcpy(ifr.ifr_name, "vptt");
	/* Without IFF_VNET_HDR the backend must refuse it. */
	assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);
	snprintf(fd_arg, sizeof(fd_arg), "fd=%d", fd);
	assert_int_equal(tap->open(&tx, &cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "IFF_VNET_HDR"));
	close(fd);

	fd = open("/dev/net/tun", O_RDWR);
	assert_true(fd >= 0);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	assert_int_equal(ioctl(fd, TUNSETIFF, &ifr), 0);
	snprintf(fd_arg, sizeof(fd_arg), "fd=%d", fd);
	rx = open_port(afp, aargs, 1, 0);
	tx = open_port(tap, targs, 1, 1);
	move_frames(tap, tx, afp, rx, 512);
	tap->close(tx);
	afp->close(rx);
	close(fd);
}

static void test_bad_args(void **state)
{
	const struct io_ops *tap = io_find("tap");
	const char *none[] = { "vnet_hdr_sz=12" };
	const char *badsz[] = { "ifname=vptt", "vnet_hdr_sz=11" };
	struct io_cfg cfg = { .nb_args = 1, .args = (char *const *)none,
			      .is_tx = 1, .cpu = -1, .max_frame = 1514 };
	struct io_port *p = NULL;
	char why[256];

	(void)state;
	assert_non_null(tap);
	assert_int_equal(tap->open(&p, &cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "ifname"));
	cfg.nb_args = 2;
	cfg.args = (char *const *)badsz;
	assert_int_equal(tap->open(&p, &cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "vnet_hdr_sz"));
	tap->close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_tap_tx),
		cmocka_unit_test(test_tap_rx),
		cmocka_unit_test(test_tap_fd),
	};

	return cmocka_run_group_tests(tests, setup_netns, NULL);
}
