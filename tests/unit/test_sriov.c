/* sriov-vf: probe verdicts per fixture NIC, dry-run plans against golden
 * files, and setup/teardown against a fake kernel on a writable copy of a
 * fixture (teardown must leave the tree exactly as it was). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_kernel.h"
#include "../../topologies/jscan.h"
#include "../../topologies/topology.h"

extern const struct topology_ops topo_sriov_vf_ops;
extern const struct topology_ops topo_sriov_pf_vf_ops;

static int probe_fixture(const char *name, char *why, size_t len)
{
	struct host h;

	fk_use(name);
	fk_host(&h);
	return topo_sriov_vf_ops.probe(&h, why, len);
}

static void test_probe_ixgbe(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("ixgbe", why, sizeof(why)), 0);
	assert_string_equal(why, "sriov-vf: would use enp3s0f0 (0000:03:00.0, "
			    "ixgbe, 0/63 VFs, link down); not enp3s0f1 "
			    "(0000:03:00.1, ixgbe, 0/63 VFs, link up): is a port "
			    "of bond0, which may carry this host's traffic (pass "
			    "--pf enp3s0f1 to use it anyway)");
}

static void test_probe_i40e_refused(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("i40e", why, sizeof(why)), -EPERM);
	assert_string_equal(why, "sriov-vf: no usable SR-IOV PF: ens1f0 "
		"(0000:05:00.0, i40e, 0/64 VFs, link up): carries an IP address "
		"(pass --pf ens1f0 to use it anyway); ens1f1 (0000:05:00.1, "
		"i40e, 4/64 VFs, link up): already has 4 VFs (pass --pf ens1f1 "
		"--allow-vf-reset to destroy and recreate them)");
}

static void test_scan_i40e_allowed(void **state)
{
	struct sriov_scan s;
	struct host h;

	(void)state;
	fk_use("i40e");
	fk_host(&h);
	/* named but no reset allowed: still refused */
	assert_int_equal(sriov_scan(&h, "ens1f1", 0, &s), 0);
	assert_int_equal(s.chosen, -1);
	assert_non_null(strstr(s.pf[1].refusal, "already has 4 VFs"));
	assert_string_equal(s.pf[0].refusal, "not the PF given with --pf");
	assert_int_equal(sriov_scan(&h, "ens1f1", 1, &s), 0);
	assert_int_equal(s.chosen, 1);
	assert_true(s.has_hugepages);
	/* the user may name a PF that carries an address */
	assert_int_equal(sriov_scan(&h, "ens1f0", 0, &s), 0);
	assert_int_equal(s.chosen, 0);
	assert_int_equal(s.pf[0].has_addr, 1);
	assert_int_equal(s.pf[0].iommu_group, 20);
}

static void test_probe_ice_no_vfio(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("ice", why, sizeof(why)), -ENOTSUP);
	assert_string_equal(why, "sriov-vf: vfio-pci is neither loaded nor "
		"installed (modprobe vfio-pci; kernel CONFIG_VFIO_PCI); PFs: "
		"ens785f0 (0000:17:00.0, ice, 0/128 VFs, link up)");
}

static void test_probe_mlx5_skips_representor(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("mlx5", why, sizeof(why)), 0);
	assert_string_equal(why, "sriov-vf: would use enp8s0f0np0 "
			    "(0000:08:00.0, mlx5_core, 0/8 VFs, link up)");
}

static void test_probe_noiommu(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("noiommu", why, sizeof(why)), -ENOTSUP);
	assert_non_null(strstr(why, "no IOMMU groups under "));
	assert_non_null(strstr(why, "intel_iommu=on"));
}

static void test_probe_none(void **state)
{
	char why[1024], want[1024];

	(void)state;
	assert_int_equal(probe_fixture("none", why, sizeof(why)), -ENODEV);
	snprintf(want, sizeof(want), "sriov-vf: no SR-IOV capable NIC (no "
		 "%s/class/net/*/device/sriov_totalvfs > 0)", fk_sys);
	assert_string_equal(why, want);
}

static void test_probe_igb_default_route(void **state)
{
	char why[1024];

	(void)state;
	assert_int_equal(probe_fixture("igb", why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "ens3 (0000:00:03.0, igb, 0/7 VFs, link "
			       "up): carries the default route (pass --pf ens3"));
}

static void test_has_addr_parse(void **state)
{
	(void)state;
	fk_use("ixgbe");
	assert_int_equal(sriov_has_addr("eno1"), 1);
	assert_int_equal(sriov_has_addr("enp3s0f0"), 0);	/* link-local only */
	assert_true(sriov_has_addr("nosuch") < 0);
}

static void test_plan_ixgbe_vf_vf(void **state)
{
	(void)state;
	sriov_set_sys(&fk_sysops);
	fk_dry_run_golden(&topo_sriov_vf_ops, "ixgbe", NULL, 0,
		       "sriov-vf-ixgbe.txt");
	sriov_set_sys(NULL);
}

static void test_plan_i40e_reset(void **state)
{
	(void)state;
	sriov_set_sys(&fk_sysops);
	fk_dry_run_golden(&topo_sriov_vf_ops, "i40e", "ens1f1", 1,
		       "sriov-vf-i40e-reset.txt");
	sriov_set_sys(NULL);
}

static void test_plan_mlx5_pf_vf(void **state)
{
	(void)state;
	sriov_set_sys(&fk_sysops);
	fk_dry_run_golden(&topo_sriov_pf_vf_ops, "mlx5", NULL, 0,
		       "sriov-pf-vf-mlx5.txt");
	sriov_set_sys(NULL);
}

static void vf_driver(const char *pf_pci, int i, char *drv, size_t len)
{
	char p[PATH_MAX + 64], abs[PATH_MAX];

	snprintf(p, sizeof(p), "%s/bus/pci/devices/%s/virtfn%d/driver", fk_sys,
		 pf_pci, i);
	fk_readlink_abs(p, abs, sizeof(abs));
	snprintf(drv, len, "%s", strrchr(abs, '/') ? strrchr(abs, '/') + 1 :
		 "");
}

/* Setup for real against the fake kernel: VFs created, configured and on
 * vfio-pci; teardown leaves the tree exactly as the fixture. */
static void test_setup_teardown_ixgbe(void **state)
{
	struct topology t = { .ops = &topo_sriov_vf_ops };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp" };
	struct host h;
	char tmp[PATH_MAX], why[512], drv[64], fixture[PATH_MAX], log2[32768];
	char *rm[] = { "rm", "-rf", tmp, NULL };

	(void)state;
	assert_int_equal(fk_copy("ixgbe", tmp, sizeof(tmp)), 0);
	fk_host(&h);
	cfg.host = &h;
	sriov_set_sys(&fk_sysops);
	if (t.ops->setup(&t, &cfg, why, sizeof(why)))
		fail_msg("setup: %s", why);
	vf_driver("0000:03:00.0", 0, drv, sizeof(drv));
	assert_string_equal(drv, "vfio-pci");
	vf_driver("0000:03:00.0", 1, drv, sizeof(drv));
	assert_string_equal(drv, "vfio-pci");
	assert_non_null(strstr(fk_log, "exec ip link set dev enp3s0f0 up\n"));
	assert_non_null(strstr(fk_log, "exec ip link set dev enp3s0f0 vf 1 mac "
			       "02:56:50:00:00:02\n"));
	assert_string_equal(t.end[TOPO_HOST].backend, "dpdk");
	assert_int_equal(t.end[TOPO_HOST].nb_args, 8);
	assert_string_equal(t.end[TOPO_HOST].args[1], "0000:03:0a.0");
	assert_string_equal(t.end[TOPO_GUEST].args[1], "0000:03:0a.1");
	assert_string_equal(t.end[TOPO_GUEST].args[3], "--no-huge");
	assert_string_equal(t.end[TOPO_GUEST].args[7], "vioperf-t1-vf1");
	assert_string_equal(t.variant, "vf-vf ixgbe");
	t.ops->teardown(&t);
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sysfs/ixgbe",
		 fk_srcdir());
	assert_true(fk_same_tree(fixture, tmp));
	assert_non_null(strstr(fk_log, "exec ip link set dev enp3s0f0 down\n"));
	/* idempotent: a second teardown does nothing */
	memcpy(log2, fk_log, sizeof(log2));
	t.ops->teardown(&t);
	assert_string_equal(fk_log, log2);
	topo_ends_free(&t);
	sriov_set_sys(NULL);
	util_run(rm, NULL, 0);
}

/* A failure half way (the NIC refuses a VF MAC) is undone too. */
static void test_setup_fails_restores(void **state)
{
	struct topology t = { .ops = &topo_sriov_vf_ops };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp" };
	struct host h;
	char tmp[PATH_MAX], why[512], fixture[PATH_MAX];
	char *rm[] = { "rm", "-rf", tmp, NULL };

	(void)state;
	assert_int_equal(fk_copy("ixgbe", tmp, sizeof(tmp)), 0);
	fk_fail = "ip link set dev enp3s0f0 vf 1 mac";
	fk_fail_msg = "RTNETLINK answers: Resource busy";
	fk_host(&h);
	cfg.host = &h;
	sriov_set_sys(&fk_sysops);
	assert_true(t.ops->setup(&t, &cfg, why, sizeof(why)) < 0);
	assert_string_equal(why, "sriov-vf: enp3s0f0: ip link set dev enp3s0f0 "
			    "vf 1 mac 02:56:50:00:00:02 failed: RTNETLINK "
			    "answers: Resource busy");
	t.ops->teardown(&t);
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sysfs/ixgbe",
		 fk_srcdir());
	assert_true(fk_same_tree(fixture, tmp));
	topo_ends_free(&t);
	sriov_set_sys(NULL);
	util_run(rm, NULL, 0);
}

/* --pf with --allow-vf-reset: the 4 VFs come back, on their driver. */
static void test_setup_teardown_i40e_reset(void **state)
{
	struct topology t = { .ops = &topo_sriov_vf_ops };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp", .pf = "ens1f1",
				    .allow_vf_reset = 1 };
	struct host h;
	char tmp[PATH_MAX], why[512], drv[64], p[PATH_MAX + 64], buf[64];
	char *rm[] = { "rm", "-rf", tmp, NULL };

	(void)state;
	assert_int_equal(fk_copy("i40e", tmp, sizeof(tmp)), 0);
	fk_host(&h);
	cfg.host = &h;
	sriov_set_sys(&fk_sysops);
	if (t.ops->setup(&t, &cfg, why, sizeof(why)))
		fail_msg("setup: %s", why);
	snprintf(p, sizeof(p), "%s/bus/pci/devices/0000:05:00.1/sriov_numvfs",
		 fk_sys);
	assert_true(util_read_file(p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "2");
	/* hugepages are mounted: no --no-huge */
	assert_int_equal(t.end[TOPO_GUEST].nb_args, 4);
	/* the other PF is untouched */
	assert_null(strstr(fk_log, "set dev ens1f0"));
	assert_null(strstr(fk_log, "0000:05:00.0/"));
	t.ops->teardown(&t);
	assert_true(util_read_file(p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "4");
	for (int i = 0; i < 4; i++) {
		vf_driver("0000:05:00.1", i, drv, sizeof(drv));
		assert_string_equal(drv, "iavf");
	}
	assert_non_null(strstr(fk_log, "sriov_numvfs 0\n"));
	/* the old VFs come back with what the administrator had set */
	assert_non_null(strstr(fk_log, "sriov_numvfs 4\n"
		"exec ip link set dev ens1f1 vf 0 mac 3c:fd:fe:aa:00:00\n"
		"exec ip link set dev ens1f1 vf 0 spoofchk on\n"
		"exec ip link set dev ens1f1 vf 0 trust off\n"
		"exec ip link set dev ens1f1 vf 1 vlan 100 qos 3\n"
		"exec ip link set dev ens1f1 vf 1 spoofchk on\n"
		"exec ip link set dev ens1f1 vf 1 trust off\n"
		"exec ip link set dev ens1f1 vf 2 spoofchk off\n"
		"exec ip link set dev ens1f1 vf 2 trust on\n"));
	topo_ends_free(&t);
	sriov_set_sys(NULL);
	util_run(rm, NULL, 0);
}

/* A refused PF is never written to. */
static void test_setup_refused_writes_nothing(void **state)
{
	struct topology t = { .ops = &topo_sriov_vf_ops };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp", .pf = "ens1f1" };
	struct host h;
	char why[512];

	(void)state;
	fk_use("i40e");
	fk_host(&h);
	cfg.host = &h;
	sriov_set_sys(&fk_sysops);
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "--allow-vf-reset"));
	t.ops->teardown(&t);
	assert_null(strstr(fk_log, "write"));
	assert_null(strstr(fk_log, "exec ip link set"));
	cfg.pf = "eth7";
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "--pf eth7 is not an SR-IOV PF"));
	t.ops->teardown(&t);
	sriov_set_sys(NULL);
}

/* vfinfo_list as the lab's kernel reported it (QEMU igb). */
static void test_vf_conf_parse(void **state)
{
	struct sriov_vf_conf c[4];
	char buf[8192], p[PATH_MAX];

	(void)state;
	snprintf(p, sizeof(p), "%s/tests/fixtures/ip/lab-igb-link-vfs.json",
		 fk_srcdir());
	assert_true(util_read_file(p, buf, sizeof(buf)) > 0);
	assert_int_equal(sriov_vfs_conf_parse(buf, c, 4), 2);
	assert_string_equal(c[0].mac, "02:56:50:00:00:01");
	assert_int_equal(c[0].vlan, 12);
	assert_int_equal(c[0].qos, 0);
	assert_int_equal(c[0].spoofchk, 1);
	assert_int_equal(c[0].trust, 1);
	assert_string_equal(c[1].mac, "00:00:00:00:00:00");
	assert_int_equal(c[1].vlan, 0);
	assert_int_equal(c[1].spoofchk, 0);
	assert_int_equal(c[1].trust, 0);
	assert_int_equal(sriov_vfs_conf_parse("[{\"ifname\":\"x\"}]", c, 4), 0);
	assert_int_equal(sriov_vfs_conf_parse("nope", c, 4), -EINVAL);
}

static void test_jscan(void **state)
{
	struct jscan v, x, it = { 0 }, key, el;
	char buf[32];
	uint64_t n;
	int nb = 0;

	(void)state;
	assert_int_equal(jscan_init(&v, " {\"a\":[1,{\"b\":\"x\\\"y\"}],"
				    "\"c\":true,\"d\":12345}"), 0);
	assert_int_equal(jscan_get(&v, "d", &x), 0);
	assert_int_equal(jscan_u64(&x, &n), 0);
	assert_int_equal(n, 12345);
	assert_int_equal(jscan_get(&v, "c", &x), 0);
	assert_int_equal(jscan_bool(&x), 1);
	assert_int_equal(jscan_get(&v, "a", &x), 0);
	while (jscan_next(&x, &it, NULL, &el) > 0)
		nb++;
	assert_int_equal(nb, 2);
	assert_int_equal(jscan_get(&el, "b", &key), 0);
	assert_int_equal(jscan_str(&key, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "x\"y");
	assert_int_equal(jscan_get(&v, "zz", &x), -ENOENT);
	assert_int_equal(jscan_init(&v, "{\"a\":[1,2}"), -EINVAL);
	assert_int_equal(jscan_init(&v, "[\"unterminated"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_ixgbe),
		cmocka_unit_test(test_probe_i40e_refused),
		cmocka_unit_test(test_scan_i40e_allowed),
		cmocka_unit_test(test_probe_ice_no_vfio),
		cmocka_unit_test(test_probe_mlx5_skips_representor),
		cmocka_unit_test(test_probe_noiommu),
		cmocka_unit_test(test_probe_none),
		cmocka_unit_test(test_probe_igb_default_route),
		cmocka_unit_test(test_has_addr_parse),
		cmocka_unit_test(test_plan_ixgbe_vf_vf),
		cmocka_unit_test(test_plan_i40e_reset),
		cmocka_unit_test(test_plan_mlx5_pf_vf),
		cmocka_unit_test(test_setup_teardown_ixgbe),
		cmocka_unit_test(test_setup_fails_restores),
		cmocka_unit_test(test_setup_teardown_i40e_reset),
		cmocka_unit_test(test_setup_refused_writes_nothing),
		cmocka_unit_test(test_vf_conf_parse),
		cmocka_unit_test(test_jscan),
	};

	sriov_set_sys(&fk_sysops);
	unsetenv("VIOPERF_NO_HUGE");	/* the fixtures decide */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
