/* pcap traffic: capture -> load round trip, stamping rules, bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../generators/capture.h"
#include "../../generators/pcapsrc.h"
#include "../../generators/pkt.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vioperf-test-pcap-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd_path[128];

	(void)state;
	for (int i = 0; i < 4; i++) {
		snprintf(cmd_path, sizeof(cmd_path), "%s/f%d.pcap", dir, i);
		unlink(cmd_path);
	}
	rmdir(dir);
	return 0;
}

static void test_roundtrip_and_stamping(void **state)
{
	struct pkt_cfg cfg;
	struct capture *c;
	struct pcapsrc ps;
	uint8_t buf[1600], arp[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	char path[128], why[256];
	int n64, n1518;

	(void)state;
	snprintf(path, sizeof(path), "%s/f0.pcap", dir);
	pkt_cfg_default(&cfg);
	assert_int_equal(capture_open(&c, path, 3, why, sizeof(why)), 0);
	n64 = pkt_build(buf, sizeof(buf), &cfg, 64, 0);
	buf[40] = 0xab;		/* a UDP checksum that must be cleared */
	assert_int_equal(capture_frame(c, buf, (uint16_t)n64, 1), 1);
	n1518 = pkt_build(buf, sizeof(buf), &cfg, 1518, 0);
	assert_int_equal(capture_frame(c, buf, (uint16_t)n1518, 2), 1);
	arp[12] = 0x08;
	arp[13] = 0x06;		/* ARP: no room/shape for a stamp */
	assert_int_equal(capture_frame(c, arp, sizeof(arp), 3), 0);
	/* quota full: further frames are not written */
	assert_int_equal(capture_frame(c, buf, (uint16_t)n64, 4), 0);
	capture_close(c);

	assert_int_equal(pcapsrc_load(path, &ps, why, sizeof(why)), 0);
	assert_int_equal(ps.nb_frames, 3);
	assert_int_equal(ps.nb_stampable, 2);
	assert_int_equal(ps.frames[0].buf_len, 60);
	assert_int_equal(ps.frames[0].hdr_off, PKT_HDR_OFF);
	assert_int_equal(ps.frames[0].data[40], 0);
	assert_int_equal(ps.frames[0].data[41], 0);
	assert_int_equal(ps.frames[1].buf_len, 1514);
	assert_int_equal(ps.frames[2].hdr_off, PCAPSRC_NO_STAMP);
	assert_int_equal(ps.frames[2].buf_len, 60);	/* padded to the minimum */
	assert_int_equal(ps.max_buf_len, 1514);
	pcapsrc_free(&ps);
	pcapsrc_free(&ps);
}

static void test_bad_files(void **state)
{
	struct pcapsrc ps;
	struct capture *c;
	char path[128], why[256];
	FILE *f;

	(void)state;
	assert_true(pcapsrc_load("/nonexistent.pcap", &ps, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "/nonexistent.pcap"));

	snprintf(path, sizeof(path), "%s/f1.pcap", dir);
	f = fopen(path, "w");
	fputs("this is not a pcap file at all", f);
	fclose(f);
	assert_true(pcapsrc_load(path, &ps, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, path));

	/* a valid file with no frames */
	snprintf(path, sizeof(path), "%s/f2.pcap", dir);
	assert_int_equal(capture_open(&c, path, 1, why, sizeof(why)), 0);
	capture_close(c);
	assert_true(pcapsrc_load(path, &ps, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "no usable frames"));
	assert_null(ps.frames);

	assert_true(capture_open(&c, "/nonexistent-dir/x.pcap", 1, why,
				 sizeof(why)) < 0);
	assert_null(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_and_stamping),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
