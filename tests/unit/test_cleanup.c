/* vioperf cleanup against a fake tree: stale objects of dead runs go, a
 * live run's objects and anything without vioperf's marking stay. */
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

#include "../../harness/cleanup.h"
#include "../../harness/util.h"

static char root[256], wd[300], ns[300], huge[300], shm[300], dpdk[300];

static void put(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *dir, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int fake_netns_delete(const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", ns, name);
	return unlink(path) == 0 ? 0 : -1;
}

static int fake_alive(const struct cleanup_paths *p, pid_t pid)
{
	(void)p;
	return pid == 4242;
}

static const struct cleanup_ops fake_ops = {
	.netns_delete = fake_netns_delete,
	.owner_alive = fake_alive,
};

static int setup(void **state)
{
	char d[400];

	(void)state;
	snprintf(root, sizeof(root), "/tmp/vioperf-test-cleanup-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(wd, sizeof(wd), "%s/run/vioperf", root);
	snprintf(ns, sizeof(ns), "%s/run/netns", root);
	snprintf(huge, sizeof(huge), "%s/hugepages", root);
	snprintf(shm, sizeof(shm), "%s/shm", root);
	snprintf(dpdk, sizeof(dpdk), "%s/dpdk", root);
	assert_int_equal(util_mkdir_p(wd, 0755), 0);
	assert_int_equal(util_mkdir_p(ns, 0755), 0);
	assert_int_equal(util_mkdir_p(huge, 0755), 0);
	assert_int_equal(util_mkdir_p(shm, 0755), 0);
	assert_int_equal(util_mkdir_p(dpdk, 0755), 0);
	/* dead run "dead01", live run "live02", netns-only leftover "orph03" */
	snprintf(d, sizeof(d), "%s/dead01", wd);
	mkdir(d, 0700);
	put(d, "owner", "run_id=20261122-010000-aaaa\npid=999999\n");
	put(d, "vhost-user.sock", "");
	snprintf(d, sizeof(d), "%s/live02", wd);
	mkdir(d, 0700);
	put(d, "owner", "run_id=20261122-010000-bbbb\npid=4242\n");
	put(ns, "vioperf-dead01", "");
	put(ns, "vioperf-live02", "");
	put(ns, "vioperf-orph03", "");
	put(ns, "customer-ns", "");
	put(ns, "vioperf-NOTATAG", "");
	put(huge, "vioperf-dead01-ivshmem", "");
	put(huge, "vioperf-live02-ivshmem", "");
	put(huge, "rtemap_0", "");
	put(shm, "vioperf-orph03-ivshmem", "");
	put(shm, "other-app", "");
	/* DPDK runtime dir of a --no-huge end of the dead run, a hugepage
	 * file of a --file-prefix, and a foreign prefix */
	snprintf(d, sizeof(d), "%s/vioperf-dead01-vf0", dpdk);
	mkdir(d, 0700);
	put(d, "config", "");
	put(huge, "vioperf-dead01map_0", "");
	put(dpdk, "rte", "");
	put(dpdk, "vioperf-dead01x", "");	/* not a tag boundary */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	util_rm_rf(root);
	return 0;
}

static struct cleanup_paths paths(void)
{
	struct cleanup_paths p = { .workdir_root = wd, .netns_dir = ns,
				   .huge_dir = huge, .shm_dir = shm,
				   .dpdk_dir = dpdk, .proc = "/proc" };

	return p;
}

static void test_dry_run_removes_nothing(void **state)
{
	struct cleanup_paths p = paths();
	struct cleanup_stats st;

	(void)state;
	assert_int_equal(cleanup_sweep(&p, &fake_ops, 1, &st), 0);
	/* dead01 dir+ns+huge+hugemap+dpdk dir, orph03 ns+shm */
	assert_int_equal(st.nb_found, 7);
	assert_int_equal(st.nb_removed, 0);
	assert_int_equal(st.nb_in_use, 1);
	assert_true(exists(wd, "dead01"));
	assert_true(exists(ns, "vioperf-orph03"));
}

static void test_sweep(void **state)
{
	struct cleanup_paths p = paths();
	struct cleanup_stats st;

	(void)state;
	assert_int_equal(cleanup_sweep(&p, &fake_ops, 0, &st), 0);
	assert_int_equal(st.nb_removed, 7);
	assert_false(exists(dpdk, "vioperf-dead01-vf0"));
	assert_false(exists(huge, "vioperf-dead01map_0"));
	assert_true(exists(dpdk, "rte"));
	assert_true(exists(dpdk, "vioperf-dead01x"));
	assert_int_equal(st.nb_errors, 0);
	/* stale: gone */
	assert_false(exists(wd, "dead01"));
	assert_false(exists(ns, "vioperf-dead01"));
	assert_false(exists(ns, "vioperf-orph03"));
	assert_false(exists(huge, "vioperf-dead01-ivshmem"));
	assert_false(exists(shm, "vioperf-orph03-ivshmem"));
	/* live run and foreign objects: untouched */
	assert_true(exists(wd, "live02"));
	assert_true(exists(ns, "vioperf-live02"));
	assert_true(exists(huge, "vioperf-live02-ivshmem"));
	assert_true(exists(ns, "customer-ns"));
	assert_true(exists(ns, "vioperf-NOTATAG"));
	assert_true(exists(huge, "rtemap_0"));
	assert_true(exists(shm, "other-app"));
	/* a second sweep finds nothing more */
	assert_int_equal(cleanup_sweep(&p, &fake_ops, 0, &st), 0);
	assert_int_equal(st.nb_found, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dry_run_removes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
