/* Kernel datapaths (virtio-tap, kni, tc-sw, vhost-net) and their netns
 * helpers: names from the run tag, probes against fake /dev trees, dry-run
 * setups that fill both ends and touch nothing, and (as root) real setups
 * whose teardown leaves no namespace behind, refuses to adopt a namespace
 * it did not make, and finds vhost workers by their owner's namespace. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../harness/util.h"
#include "../../topologies/ktopo.h"
#include "../../topologies/topology.h"

static char fake[256];

static void touch(const char *rel)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", fake, rel);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static void put(const char *rel, const char *text)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", fake, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void mkd(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", fake, rel);
	assert_int_equal(util_mkdir_p(p, 0700), 0);
}

static int setup_fake(void **state)
{
	(void)state;
	snprintf(fake, sizeof(fake), "/tmp/vioperf-test-ktopo-%d", (int)getpid());
	return util_mkdir_p(fake, 0700);
}

static int teardown_fake(void **state)
{
	(void)state;
	util_rm_rf(fake);
	return 0;
}

static void fake_host(struct host *h, const char *dev)
{
	static char devp[PATH_MAX];

	host_default(h);
	snprintf(devp, sizeof(devp), "%s/%s", fake, dev);
	h->dev = devp;
	h->is_root = 1;
}

static void test_names(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(netns_name(b, sizeof(b), "ab12"), 0);
	assert_string_equal(b, "vioperf-ab12");
	assert_int_equal(netns_name(b, sizeof(b), ""), -EINVAL);
	assert_int_equal(netns_name(b, sizeof(b), "AB"), -EINVAL);
	assert_int_equal(netns_name(b, sizeof(b), "a-b"), -EINVAL);
	assert_int_equal(netns_name(b, sizeof(b), "123456789"), -EINVAL);
	assert_int_equal(netns_ifname(b, sizeof(b), "abcdefgh", "a0"), 0);
	assert_string_equal(b, "vpabcdefgha0");
	/* 15 chars is the limit (IFNAMSIZ - 1) */
	assert_int_equal(netns_ifname(b, sizeof(b), "abcdefgh", "abcde"), 0);
	assert_int_equal(netns_ifname(b, sizeof(b), "abcdefgh", "abcdef"),
			 -ENAMETOOLONG);
}

static void test_probes(void **state)
{
	const struct topology_ops *vt = topo_find("virtio-tap");
	const struct topology_ops *vn = topo_find("vhost-net");
	const struct topology_ops *kni = topo_find("kni");
	struct host h;
	char why[512];

	(void)state;
	assert_non_null(vt);
	assert_non_null(vn);
	assert_non_null(kni);
	mkd("empty");
	fake_host(&h, "empty");
	assert_true(vt->probe(&h, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "net/tun"));
	assert_int_equal(vn->probe(&h, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "/dev") || strstr(why, "vhost-net"));
	assert_non_null(strstr(why, "CONFIG_VHOST_NET"));
	assert_non_null(strstr(why, "modprobe vhost_net"));
	h.is_root = 0;
	assert_int_equal(vt->probe(&h, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "root"));

	/* A /dev with both nodes (plain files open like devices here). */
	mkd("full/net");
	touch("full/net/tun");
	touch("full/vhost-net");
	fake_host(&h, "full");
	assert_int_equal(vt->probe(&h, why, sizeof(why)), 0);
	if (topo_pmd_present("librte_net_virtio.so"))
		assert_int_equal(vn->probe(&h, why, sizeof(why)), 0);
	if (topo_pmd_present("librte_net_tap.so"))
		assert_int_equal(kni->probe(&h, why, sizeof(why)), 0);
}

static int count_arg(const struct topo_end *e, const char *s)
{
	int n = 0;

	for (int i = 0; i < e->nb_args; i++)
		n += !strcmp(e->args[i], s);
	return n;
}

/* Dry-run: every kernel path fills both ends inside vioperf-<tag> and
 * creates nothing. */
static void test_dry_run(void **state)
{
	static const char *const names[] = { "virtio-tap", "kni", "tc-sw",
					     "vhost-net" };
	struct host h;
	struct topology_cfg cfg = { .run_id = "r", .tag = "zz9dry",
				    .workdir = "/tmp", .max_frame = 1518,
				    .dry_run = 1 };
	char why[512];

	(void)state;
	host_default(&h);
	cfg.host = &h;
	setenv("VIOPERF_NO_HUGE", "1", 1);
	setenv("VIOPERF_KNI_VARIANT", "net_tap", 1);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct topology t = { .ops = topo_find(names[i]) };

		assert_non_null(t.ops);
		assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), 0);
		assert_true(t.flags & TOPO_F_KERNEL);
		assert_true(t.variant[0]);
		for (int e = 0; e < 2; e++) {
			assert_string_equal(t.end[e].netns, "vioperf-zz9dry");
			assert_true(t.end[e].nb_args > 0);
		}
		assert_string_equal(t.end[TOPO_HOST].backend, "afpacket");
		if (!strcmp(names[i], "kni") || !strcmp(names[i], "vhost-net")) {
			assert_string_equal(t.end[TOPO_GUEST].backend, "dpdk");
			assert_int_equal(count_arg(&t.end[TOPO_GUEST], "--no-huge"), 1);
			assert_int_equal(count_arg(&t.end[TOPO_GUEST], "--in-memory"), 0);
			assert_int_equal(count_arg(&t.end[TOPO_GUEST], "vioperf-zz9dry"), 1);
			assert_true(t.flags & TOPO_F_START_GUEST_FIRST);
		}
		t.ops->teardown(&t);
		t.ops->teardown(&t);
		assert_null(t.priv);
		topo_ends_free(&t);
		assert_false(netns_exists("vioperf-zz9dry"));
	}
	unsetenv("VIOPERF_NO_HUGE");
	unsetenv("VIOPERF_KNI_VARIANT");
}

static int can_run_real(void)
{
	return geteuid() == 0 && access("/dev/net/tun", R_OK | W_OK) == 0;
}

static int link_in_ns(const char *ns, const char *ifname)
{
	char *argv[] = { "ip", "-n", (char *)ns, "link", "show", "dev",
			 (char *)ifname, NULL };

	return util_run(argv, NULL, 0) == 0;
}

static void test_real_setup(void **state)
{
	struct host h;
	char tag[16], ns[64], ifn[32], why[512], p[PATH_MAX];
	struct topology_cfg cfg = { .run_id = "r", .workdir = "/tmp",
				    .max_frame = 1518 };

	(void)state;
	if (!can_run_real())
		skip();
	host_default(&h);
	cfg.host = &h;
	snprintf(tag, sizeof(tag), "ut%d", (int)(getpid() % 1000000));
	cfg.tag = tag;
	snprintf(ns, sizeof(ns), "vioperf-%s", tag);

	struct topology t = { .ops = topo_find("tc-sw") };
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), 0);
	assert_true(netns_exists(ns));
	snprintf(ifn, sizeof(ifn), "vp%sb0", tag);
	assert_true(link_in_ns(ns, ifn));
	assert_true(!strcmp(t.variant, "u32") ||
		    !strcmp(t.variant, "flower-skip_hw"));
	t.ops->teardown(&t);
	t.ops->teardown(&t);
	topo_ends_free(&t);
	assert_false(netns_exists(ns));

	struct topology v = { .ops = topo_find("virtio-tap") };
	assert_int_equal(v.ops->setup(&v, &cfg, why, sizeof(why)), 0);
	snprintf(ifn, sizeof(ifn), "vp%st", tag);
	assert_true(link_in_ns(ns, ifn));
	/* the tap never appears in the host's namespace */
	snprintf(p, sizeof(p), "/sys/class/net/%s", ifn);
	assert_int_equal(access(p, F_OK), -1);
	v.ops->teardown(&v);
	topo_ends_free(&v);
	assert_false(netns_exists(ns));
}

/* A namespace with the run's name that the run did not make is refused,
 * and teardown leaves it alone. */
static void test_existing_netns(void **state)
{
	struct host h;
	char tag[16], ns[64], why[512];
	struct topology_cfg cfg = { .run_id = "r", .workdir = "/tmp",
				    .max_frame = 1518 };

	(void)state;
	if (!can_run_real())
		skip();
	host_default(&h);
	cfg.host = &h;
	snprintf(tag, sizeof(tag), "ux%d", (int)(getpid() % 1000000));
	cfg.tag = tag;
	snprintf(ns, sizeof(ns), "vioperf-%s", tag);
	char *add[] = { "ip", "netns", "add", ns, NULL };
	char *del[] = { "ip", "netns", "delete", ns, NULL };
	assert_int_equal(util_run(add, NULL, 0), 0);

	struct topology t = { .ops = topo_find("virtio-tap") };
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, "vioperf cleanup"));
	t.ops->teardown(&t);
	topo_ends_free(&t);
	assert_true(netns_exists(ns));
	assert_int_equal(util_run(del, NULL, 0), 0);
}

/* kernel_tasks: vhost-<pid> threads whose owner lives in the run's netns. */
static void test_vhost_tasks(void **state)
{
	struct host h;
	char tag[16], ns[64], why[512], p[PATH_MAX], nsp[PATH_MAX];
	struct topology_cfg cfg = { .run_id = "r", .workdir = "/tmp",
				    .max_frame = 1518 };
	pid_t tids[8];

	(void)state;
	if (!can_run_real() || !topo_pmd_present("librte_net_tap.so"))
		skip();
	snprintf(tag, sizeof(tag), "uv%d", (int)(getpid() % 1000000));
	snprintf(ns, sizeof(ns), "vioperf-%s", tag);
	/* fake /proc: 123 "vhost-456" (owner in our netns), 124
	 * "vhost-999" (owner elsewhere), 125 "kworker/0:1" */
	mkd("proc/123");
	mkd("proc/124");
	mkd("proc/125");
	mkd("proc/456/ns");
	mkd("proc/999/ns");
	put("proc/123/comm", "vhost-456\n");
	put("proc/124/comm", "vhost-999\n");
	put("proc/125/comm", "kworker/0:1\n");
	snprintf(p, sizeof(p), "%s/proc/999/ns/net", fake);
	assert_int_equal(symlink("/proc/self/ns/net", p), 0);

	host_default(&h);
	snprintf(nsp, sizeof(nsp), "%s/proc", fake);
	h.proc = nsp;
	cfg.host = &h;
	cfg.tag = tag;
	setenv("VIOPERF_KNI_VARIANT", "net_tap", 1);
	setenv("VIOPERF_NO_HUGE", "1", 1);
	struct topology t = { .ops = topo_find("kni") };
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), 0);
	snprintf(p, sizeof(p), "%s/proc/456/ns/net", fake);
	snprintf(nsp, sizeof(nsp), "/run/netns/%s", ns);
	assert_int_equal(symlink(nsp, p), 0);
	assert_non_null(t.ops->kernel_tasks);
	assert_int_equal(t.ops->kernel_tasks(&t, tids, 8), 1);
	assert_int_equal(tids[0], 123);
	assert_int_equal(t.ops->kernel_tasks(&t, tids, 0), 0);
	t.ops->teardown(&t);
	topo_ends_free(&t);
	assert_false(netns_exists(ns));
	unsetenv("VIOPERF_KNI_VARIANT");
	unsetenv("VIOPERF_NO_HUGE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_real_setup),
		cmocka_unit_test(test_existing_netns),
		cmocka_unit_test(test_vhost_tasks),
	};

	return cmocka_run_group_tests(tests, setup_fake, teardown_fake);
}
