/* Frame build/parse round trips, IPv4 checksum, the check field, size lists. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../generators/pkt.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static int ip_csum_ok(const uint8_t *ip)
{
	uint32_t sum = 0;

	for (int i = 0; i < 20; i += 2)
		sum += be16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static void check_frame(uint16_t frame_len, uint16_t vlan, uint32_t flow)
{
	struct pkt_cfg cfg;
	uint8_t buf[2048];
	struct pkt_meta m;
	unsigned l2 = vlan ? 18 : 14, off;
	int n;

	pkt_cfg_default(&cfg);
	cfg.vlan = vlan;
	cfg.nb_flows = 8;
	off = pkt_hdr_off(&cfg);
	n = pkt_build(buf, sizeof(buf), &cfg, frame_len, flow);
	assert_int_equal(n, frame_len - PKT_FCS_LEN);
	if (vlan) {
		assert_int_equal(be16(buf + 12), 0x8100);
		assert_int_equal(be16(buf + 14) & 0xfff, vlan);
	}
	assert_int_equal(be16(buf + l2 - 2), 0x0800);
	assert_true(ip_csum_ok(buf + l2));
	assert_int_equal(be16(buf + l2 + 2), n - l2);
	assert_int_equal(be16(buf + l2 + 20), PKT_UDP_SPORT_BASE + flow);
	assert_int_equal(be16(buf + l2 + 22), PKT_UDP_DPORT);
	assert_int_equal(be16(buf + l2 + 24), n - l2 - 20);
	assert_int_equal(be16(buf + l2 + 26), 0);
	assert_int_equal(pkt_parse(buf, (uint16_t)n, off, &m), PKT_OK);
	assert_int_equal(m.flow, flow);
	assert_int_equal(m.seq, 0);
	assert_int_equal(m.tsc, 0);

	pkt_stamp(buf, off, (uint16_t)flow, 0xABCDEF123456ull, 0x123456789ABCull,
		  (uint16_t)n);
	assert_int_equal(pkt_parse(buf, (uint16_t)n, off, &m), PKT_OK);
	assert_int_equal(m.seq, 0xABCDEF123456ull);
	assert_int_equal(m.tsc, 0x123456789ABCull);
	/* a different length (truncated frame) must not check */
	assert_int_equal(pkt_parse(buf, (uint16_t)(n - 1), off, &m),
			 n - 1 >= (int)(off + PKT_PHDR_LEN) ? PKT_CORRUPT : PKT_FOREIGN);
}

static void test_round_trip(void **state)
{
	static const uint16_t sizes[] = { 64, 65, 128, 256, 512, 570, 1024, 1280, 1500, 1518 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (uint32_t flow = 0; flow < 8; flow += 7) {
			check_frame(sizes[i], 0, flow);
			check_frame((uint16_t)(sizes[i] + PKT_VLAN_LEN), 100, flow);
		}
	check_frame(64 + PKT_VLAN_LEN, 4094, 3);
}

static void test_build_errors(void **state)
{
	struct pkt_cfg cfg;
	uint8_t buf[2048];

	(void)state;
	pkt_cfg_default(&cfg);
	assert_int_equal(pkt_build(buf, sizeof(buf), &cfg, 63, 0), -EINVAL);
	assert_int_equal(pkt_build(buf, sizeof(buf), &cfg, 1519, 0), -EINVAL);
	assert_int_equal(pkt_build(buf, sizeof(buf), &cfg, 64, 1), -EINVAL);
	assert_int_equal(pkt_build(buf, 59, &cfg, 64, 0), -EINVAL);
	cfg.vlan = 10;
	assert_int_equal(pkt_build(buf, sizeof(buf), &cfg, 64, 0), -EINVAL);
	assert_int_equal(pkt_build(buf, sizeof(buf), &cfg, 1522, 0), 1518);
}

/* Flipping any bit of the payload header (but the magic) is caught. */
static void test_check_catches_flips(void **state)
{
	struct pkt_cfg cfg;
	uint8_t buf[256];
	struct pkt_meta m;
	int n;

	(void)state;
	pkt_cfg_default(&cfg);
	cfg.nb_flows = 4;
	n = pkt_build(buf, sizeof(buf), &cfg, 128, 2);
	assert_true(n > 0);
	pkt_stamp(buf, PKT_HDR_OFF, 2, 77, 123456789, (uint16_t)n);
	for (unsigned byte = 2; byte < PKT_PHDR_LEN; byte++)
		for (unsigned bit = 0; bit < 8; bit++) {
			buf[PKT_HDR_OFF + byte] ^= (uint8_t)(1u << bit);
			assert_int_equal(pkt_parse(buf, (uint16_t)n, PKT_HDR_OFF, &m),
					 PKT_CORRUPT);
			buf[PKT_HDR_OFF + byte] ^= (uint8_t)(1u << bit);
		}
	assert_int_equal(pkt_parse(buf, (uint16_t)n, PKT_HDR_OFF, &m), PKT_OK);
	/* the length is covered too */
	assert_int_equal(pkt_parse(buf, (uint16_t)(n + 1), PKT_HDR_OFF, &m),
			 PKT_CORRUPT);
	buf[PKT_HDR_OFF] ^= 1;
	assert_int_equal(pkt_parse(buf, (uint16_t)n, PKT_HDR_OFF, &m), PKT_FOREIGN);
	assert_int_equal(pkt_parse(buf, 40, PKT_HDR_OFF, &m), PKT_FOREIGN);
}

static void test_sizes(void **state)
{
	uint16_t out[8];
	char why[256], name[16];

	(void)state;
	assert_int_equal(pkt_parse_sizes("64,128,512,1518,imix", out, 8, why,
					 sizeof(why)), 5);
	assert_int_equal(out[0], 64);
	assert_int_equal(out[3], 1518);
	assert_int_equal(out[4], PKT_IMIX);
	assert_int_equal(pkt_parse_sizes(" 256 , IMIX", out, 8, why, sizeof(why)), 2);
	assert_int_equal(out[0], 256);
	assert_int_equal(out[1], PKT_IMIX);

	assert_int_equal(pkt_parse_sizes("64,63", out, 8, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "'63'"));
	assert_non_null(strstr(why, "64..1518"));
	assert_int_equal(pkt_parse_sizes("1519", out, 8, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "'1519'"));
	assert_int_equal(pkt_parse_sizes("64,abc", out, 8, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "'abc'"));
	assert_int_equal(pkt_parse_sizes("64,,128", out, 8, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "empty"));
	assert_int_equal(pkt_parse_sizes("", out, 8, why, sizeof(why)), -EINVAL);
	assert_int_equal(pkt_parse_sizes("64,", out, 8, why, sizeof(why)), -EINVAL);
	assert_int_equal(pkt_parse_sizes("64,64,64", out, 2, why, sizeof(why)), -EINVAL);
	assert_int_equal(pkt_parse_sizes("-64", out, 8, why, sizeof(why)), -EINVAL);

	assert_string_equal(pkt_size_name(PKT_IMIX, name, sizeof(name)), "imix");
	assert_string_equal(pkt_size_name(512, name, sizeof(name)), "512");
}

static void test_imix(void **state)
{
	uint16_t p[12];
	int n64 = 0, n570 = 0, n1518 = 0;
	double sum = 0;

	(void)state;
	pkt_imix_pattern(p);
	for (int i = 0; i < 12; i++) {
		n64 += p[i] == 64;
		n570 += p[i] == 570;
		n1518 += p[i] == 1518;
		sum += p[i];
		/* interleaved: never two 570s or a 1518 next to a 570 run */
		if (i)
			assert_false(p[i] != 64 && p[i - 1] != 64);
	}
	assert_int_equal(n64, 7);
	assert_int_equal(n570, 4);
	assert_int_equal(n1518, 1);
	assert_true(pkt_avg_frame_len(PKT_IMIX) > 353.8 &&
		    pkt_avg_frame_len(PKT_IMIX) < 353.9);
	assert_true(sum / 12 == pkt_avg_frame_len(PKT_IMIX));
	assert_true(pkt_avg_frame_len(128) == 128.0);
}

static void test_parse_mac(void **state)
{
	uint8_t m[6];

	(void)state;
	assert_int_equal(pkt_parse_mac("02:56:50:0a:Ff:01", m), 0);
	assert_int_equal(m[0], 0x02);
	assert_int_equal(m[3], 0x0a);
	assert_int_equal(m[4], 0xff);
	assert_int_equal(m[5], 0x01);
	assert_true(pkt_parse_mac("02:56:50:0a:ff", m) < 0);
	assert_true(pkt_parse_mac("02:56:50:0a:ff:01:02", m) < 0);
	assert_true(pkt_parse_mac("02-56-50-0a-ff-01", m) < 0);
	assert_true(pkt_parse_mac("2:56:50:a:ff:1", m) < 0);
	assert_true(pkt_parse_mac("", m) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_check_catches_flips),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_imix),
		cmocka_unit_test(test_parse_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
