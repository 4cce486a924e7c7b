/* tc-offload: the in_hw parser on captured `tc -j -s filter show` output,
 * probe verdicts per fixture NIC, dry-run plans against golden files, and
 * setup against a fake kernel: offloaded rules pass and their hardware
 * counters are read; a rule left in software or refused fails setup with
 * the kernel's message; teardown leaves the tree as it was every time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "../../topologies/tc_filter.h"
#include "../../topologies/topology.h"

extern const struct topology_ops topo_tc_offload_ops;
extern const struct topology_ops topo_tc_offload_vxlan_ops;

#define REP0 "enp8s0f0npf0vf0"
#define REP1 "enp8s0f0npf0vf1"

static void sample(const char *name, char *buf, size_t len)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/tests/fixtures/tc/%s", fk_srcdir(), name);
	if (util_read_file(p, buf, len) < 0)
		fail_msg("cannot read %s", p);
}

static void test_parse_offloaded(void **state)
{
	struct tc_filter_rule r[4];
	char buf[8192];

	(void)state;
	sample("offloaded.json", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), 1);
	assert_string_equal(r[0].kind, "flower");
	assert_int_equal(r[0].pref, 1);
	assert_int_equal(r[0].handle, 1);
	assert_true(r[0].skip_sw);
	assert_false(r[0].skip_hw);
	assert_int_equal(r[0].in_hw, 1);
	assert_int_equal(r[0].nb_in_hw, 1);
	assert_int_equal(r[0].nb_packets, 150000);
	assert_int_equal(r[0].nb_bytes, 9600000);
	assert_true(r[0].has_hw_stats);
	assert_int_equal(r[0].nb_hw_packets, 150000);
	assert_int_equal(r[0].nb_hw_bytes, 9600000);
}

static void test_parse_vxlan(void **state)
{
	struct tc_filter_rule r[4];
	char buf[8192];

	(void)state;
	sample("offloaded-vxlan.json", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), 1);
	assert_int_equal(r[0].in_hw, 1);
	assert_int_equal(r[0].nb_hw_packets, 10);	/* first action */
	assert_int_equal(r[0].nb_hw_bytes, 640);
}

static void test_parse_not_in_hw(void **state)
{
	struct tc_filter_rule r[4];
	char buf[8192];

	(void)state;
	sample("not-in-hw.json", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), 1);
	assert_int_equal(r[0].in_hw, 0);
	assert_false(r[0].skip_sw);
	assert_int_equal(r[0].nb_packets, 70);
	assert_false(r[0].has_hw_stats);
	sample("in-hw-count0.json", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), 1);
	assert_int_equal(r[0].in_hw, 0);
}

/* Real output from the kernel lab (igb PF, Linux 6.12, iproute2 6.1). */
static void test_parse_lab_igb(void **state)
{
	struct tc_filter_rule r[4];
	char buf[8192];

	(void)state;
	sample("lab-igb-not-in-hw.json", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), 2);
	assert_int_equal(r[0].pref, 2);
	assert_true(r[0].skip_hw);
	assert_int_equal(r[0].in_hw, 0);
	assert_int_equal(r[1].pref, 3);
	assert_false(r[1].skip_hw);
	assert_int_equal(r[1].in_hw, 0);
	sample("lab-igb-refused.txt", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), -EINVAL);
}

static void test_parse_bad(void **state)
{
	struct tc_filter_rule r[4];
	char buf[8192];

	(void)state;
	assert_int_equal(tc_filter_parse("[]", r, 4), 0);
	assert_int_equal(tc_filter_parse("", r, 4), -EINVAL);
	sample("refused.txt", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 4), -EINVAL);
	assert_int_equal(tc_filter_parse("[{\"kind\":\"flower\",\"options\":{",
					 r, 4), -EINVAL);
	/* max bounds what is written */
	sample("offloaded.json", buf, sizeof(buf));
	assert_int_equal(tc_filter_parse(buf, r, 0), 0);
}

static int probe_fixture(const char *name, char *why, size_t len)
{
	struct host h;

	fk_use(name);
	fk_host(&h);
	return topo_tc_offload_ops.probe(&h, why, len);
}

static void test_probe_mlx5(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("mlx5", why, sizeof(why)), 0);
	assert_string_equal(why, "tc-offload: would use enp8s0f0np0 "
			    "(0000:08:00.0, mlx5_core, eswitch legacy, "
			    "hw-tc-offload off)");
}

static void test_probe_no_switchdev(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("ixgbe", why, sizeof(why)), -ENOTSUP);
	assert_string_equal(why, "tc-offload: no switchdev-capable PF: enp3s0f0 "
		"(0000:03:00.0, ixgbe): devlink dev eswitch show "
		"pci/0000:03:00.0: kernel answers: No such device "
		"(tc-offload needs a NIC whose eswitch devlink can put in "
		"switchdev mode, e.g. mlx5_core or ice)");
	assert_int_equal(probe_fixture("none", why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "tc-offload: no SR-IOV capable NIC"));
	assert_int_equal(probe_fixture("igb", why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "carries the default route"));
}

static void test_setup_unknown_pf(void **state)
{
	struct topology t = { .ops = &topo_tc_offload_ops };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp", .pf = "eth7" };
	struct host h;
	char why[512];

	(void)state;
	fk_use("mlx5");
	fk_host(&h);
	cfg.host = &h;
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "tc-offload: --pf eth7 is not an SR-IOV PF"));
	t.ops->teardown(&t);
	assert_null(strstr(fk_log, " set "));
	assert_null(strstr(fk_log, "write "));
}

static void test_plan_mlx5(void **state)
{
	(void)state;
	sriov_set_sys(&fk_sysops);
	fk_dry_run_golden(&topo_tc_offload_ops, "mlx5", NULL, 0,
			  "tc-offload-mlx5.txt");
	fk_dry_run_golden(&topo_tc_offload_vxlan_ops, "mlx5", NULL, 0,
			  "tc-offload-vxlan-mlx5.txt");
}

static void put_answer(const char *name, const char *sample_name)
{
	char buf[8192], p[PATH_MAX + 64];

	sample(sample_name, buf, sizeof(buf));
	snprintf(p, sizeof(p), "%s/cmd/%s", fk_root, name);
	assert_int_equal(fk_put(p, buf), 0);
}

static const struct topology_ops *run_ops = &topo_tc_offload_ops;

/* Setup on a copy of the mlx5 tree with the given answers; returns setup's
 * result; teardown is run and must restore the tree exactly. */
static int run_mlx5(const char *rep0_json, const char *rep1_json,
		    struct topology *t, char *why, size_t len,
		    uint64_t *nb_packets, const char *fail, const char *fail_msg,
		    const char *warn, const char *warn_msg)
{
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp" };
	struct host h;
	char tmp[PATH_MAX], fixture[PATH_MAX], cmd[PATH_MAX + 64];
	char *rm[] = { "rm", "-rf", tmp, NULL };
	uint64_t nb_bytes;
	int rc;

	assert_int_equal(fk_copy("mlx5", tmp, sizeof(tmp)), 0);
	put_answer("tc-filter-" REP0 ".json", rep0_json);
	put_answer("tc-filter-" REP1 ".json", rep1_json);
	fk_fail = fail;
	fk_fail_msg = fail_msg;
	fk_warn = warn;
	fk_warn_msg = warn_msg;
	fk_host(&h);
	cfg.host = &h;
	t->ops = run_ops;
	if (run_ops == &topo_tc_offload_vxlan_ops)
		put_answer("tc-filter-vpt1vx.json", "offloaded-vxlan.json");
	rc = t->ops->setup(t, &cfg, why, len);
	if (rc == 0 && nb_packets)
		assert_int_equal(t->ops->hw_counters(t, nb_packets, &nb_bytes,
						     why, len), 0);
	t->ops->teardown(t);
	t->ops->teardown(t);
	topo_ends_free(t);
	/* the answers are ours, not the kernel's: drop them before comparing */
	snprintf(cmd, sizeof(cmd), "%s/cmd/tc-filter-" REP0 ".json", tmp);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/cmd/tc-filter-" REP1 ".json", tmp);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/cmd/tc-filter-vpt1vx.json", tmp);
	unlink(cmd);
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sysfs/mlx5",
		 fk_srcdir());
	assert_true(fk_same_tree(fixture, tmp));
	util_run(rm, NULL, 0);
	return rc;
}

static void test_setup_offloaded(void **state)
{
	struct topology t = { 0 };
	char why[512];
	uint64_t nb_packets = 0;

	(void)state;
	sriov_set_sys(&fk_sysops);
	if (run_mlx5("offloaded.json", "offloaded.json", &t, why, sizeof(why),
		     &nb_packets, NULL, NULL, NULL, NULL))
		fail_msg("setup: %s\n%s", why, fk_log);
	assert_int_equal(nb_packets, 300000);
	assert_string_equal(t.variant, "flower-skip_sw mlx5_core");
	/* switchdev before the VFs, legacy again after they are gone */
	assert_non_null(strstr(fk_log, "exec devlink dev eswitch set "
			       "pci/0000:08:00.0 mode switchdev\nwrite "));
	assert_non_null(strstr(fk_log, "sriov_numvfs 0\nexec devlink dev "
			       "eswitch set pci/0000:08:00.0 mode legacy\n"));
	assert_non_null(strstr(fk_log, "exec tc filter add dev " REP0 " ingress "
			       "protocol all prio 1 flower skip_sw action mirred "
			       "egress redirect dev " REP1 "\n"));
	assert_non_null(strstr(fk_log, "exec tc qdisc del dev " REP0
			       " ingress\n"));
	/* mlx5 VFs stay on mlx5_core (bifurcated): no vfio-pci */
	assert_null(strstr(fk_log, "vfio-pci"));
}

/* VXLAN: encap on the representor, decap on the vxlan device, both in_hw;
 * the counters count each frame once (at the representor). */
static void test_setup_vxlan(void **state)
{
	struct topology t = { 0 };
	char why[512];
	uint64_t nb_packets = 0;

	(void)state;
	sriov_set_sys(&fk_sysops);
	run_ops = &topo_tc_offload_vxlan_ops;
	if (run_mlx5("offloaded.json", "offloaded.json", &t, why, sizeof(why),
		     &nb_packets, NULL, NULL, NULL, NULL)) {
		run_ops = &topo_tc_offload_ops;
		fail_msg("setup: %s", why);
	}
	run_ops = &topo_tc_offload_ops;
	assert_int_equal(nb_packets, 150000);
	assert_string_equal(t.variant, "vxlan-skip_sw mlx5_core");
	assert_non_null(strstr(fk_log, "exec tc -j -s filter show dev vpt1vx "
			       "ingress\n"));
	assert_non_null(strstr(fk_log, "exec ip link del dev vpt1vx\n"));
	assert_non_null(strstr(fk_log, "exec ip addr del 198.18.255.1/24 dev "
			       "enp8s0f0np0\n"));
}

/* ice names its representors "pf0vfr<N>" when no devlink port does. */
static void test_setup_ice_rep_names(void **state)
{
	struct topology t = { 0 };
	char why[512];
	uint64_t nb_packets = 0;

	(void)state;
	sriov_set_sys(&fk_sysops);
	fk_rep_port = "pf0vfr%u";
	if (run_mlx5("offloaded.json", "offloaded.json", &t, why, sizeof(why),
		     &nb_packets, NULL, NULL, NULL, NULL))
		fail_msg("setup: %s", why);
	fk_rep_port = "pf0vf%u";
	assert_int_equal(nb_packets, 300000);
	assert_non_null(strstr(fk_log, "exec tc filter add dev " REP1));
}

static void test_setup_not_in_hw(void **state)
{
	struct topology t = { 0 };
	char why[512];

	(void)state;
	sriov_set_sys(&fk_sysops);
	assert_int_equal(run_mlx5("offloaded.json", "not-in-hw.json", &t, why,
				  sizeof(why), NULL, NULL, NULL,
				  "tc filter add dev " REP1,
				  "Warning: mlx5_core: rule kept in software: "
				  "hardware flow table full.\n"), -EOPNOTSUPP);
	assert_string_equal(why, "tc-offload: rule on " REP1 " not offloaded "
			    "(not in_hw): Warning: mlx5_core: rule kept in "
			    "software: hardware flow table full.");
}

static void test_setup_refused(void **state)
{
	struct topology t = { 0 };
	char why[512], msg[512];

	(void)state;
	sriov_set_sys(&fk_sysops);
	sample("refused.txt", msg, sizeof(msg));
	assert_int_equal(run_mlx5("offloaded.json", "offloaded.json", &t, why,
				  sizeof(why), NULL, "tc filter add dev " REP0,
				  msg, NULL, NULL), -EOPNOTSUPP);
	assert_string_equal(why, "tc-offload: rule on " REP0 " not offloaded "
			    "(refused): Error: mlx5_core: devices are not on "
			    "same switch HW, can't offload forwarding. We have "
			    "an error talking to the kernel");
	assert_non_null(strstr(fk_log, "exec tc qdisc del dev " REP1
			       " ingress\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_offloaded),
		cmocka_unit_test(test_parse_vxlan),
		cmocka_unit_test(test_parse_not_in_hw),
		cmocka_unit_test(test_parse_lab_igb),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_probe_mlx5),
		cmocka_unit_test(test_probe_no_switchdev),
		cmocka_unit_test(test_setup_unknown_pf),
		cmocka_unit_test(test_plan_mlx5),
		cmocka_unit_test(test_setup_offloaded),
		cmocka_unit_test(test_setup_vxlan),
		cmocka_unit_test(test_setup_ice_rep_names),
		cmocka_unit_test(test_setup_not_in_hw),
		cmocka_unit_test(test_setup_refused),
	};

	sriov_set_sys(&fk_sysops);
	unsetenv("VIOPERF_NO_HUGE");	/* the fixtures decide */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
