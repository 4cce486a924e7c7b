/* Hugepage probing, raising and restoring against fake /proc and /sys. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../harness/hugepages.h"
#include "../../harness/util.h"

#define POOL "sys/kernel/mm/hugepages/hugepages-2048kB"

static char root[64], sys[128], proc[128], dev[128];

static void put(const char *rel, const char *text)
{
	char path[512], dir[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	util_strlcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	*slash = '\0';
	assert_int_equal(util_mkdir_p(dir, 0755), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void get(const char *rel, char *buf, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_true(util_read_file(path, buf, len) >= 0);
}

static const char mounts_huge[] =
	"proc /proc proc rw 0 0\n"
	"nodev /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n";
static const char mounts_1g[] =
	"proc /proc proc rw 0 0\n"
	"nodev /mnt/huge1g hugetlbfs rw,relatime,pagesize=1024M 0 0\n";
static const char mounts_none[] = "proc /proc proc rw 0 0\n";

static struct host fake(int is_root)
{
	struct host h = { .sysfs = sys, .proc = proc, .dev = dev,
			  .is_root = is_root, .nb_cpus = 2 };
	return h;
}

static void pool(const char *nr, const char *nb_free, const char *mounts)
{
	put(POOL "/nr_hugepages", nr);
	put(POOL "/free_hugepages", nb_free);
	put("proc/mounts", mounts);
}

static int setup_tree(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/vioperf-test-huge-XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	snprintf(dev, sizeof(dev), "%s/dev", root);
	put("dev/.keep", "");
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	util_rm_rf(root);
	return 0;
}

static void test_read(void **state)
{
	struct host h = fake(0);
	struct hugepages_info in;

	(void)state;
	pool("1024\n", "1000\n", mounts_huge);
	assert_int_equal(hugepages_read(&h, &in), 0);
	assert_int_equal(in.nr, 1024);
	assert_int_equal(in.nb_free, 1000);
	assert_true(in.has_mount);
	assert_string_equal(in.mount_path, "/dev/hugepages");
	/* a 1 GB mount does not serve 2 MB pages */
	pool("1024\n", "1000\n", mounts_1g);
	assert_int_equal(hugepages_read(&h, &in), 0);
	assert_false(in.has_mount);
}

static void test_probe_enough(void **state)
{
	struct host h = fake(0);
	char why[512] = "";

	(void)state;
	pool("1024\n", "300\n", mounts_huge);
	assert_int_equal(hugepages_probe(&h, 272, why, sizeof(why)), 0);
}

static void test_probe_no_pool(void **state)
{
	struct host h = fake(1);
	char why[512] = "", path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/" POOL, root);
	util_rm_rf(path);
	assert_true(hugepages_probe(&h, 10, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "no 2 MB hugepage pool"));
}

static void test_probe_user_short(void **state)
{
	struct host h = fake(0);
	char why[512] = "";

	(void)state;
	pool("100\n", "100\n", mounts_huge);
	assert_int_equal(hugepages_probe(&h, 272, why, sizeof(why)), -ENOMEM);
	assert_non_null(strstr(why, "needs 272 free 2 MB hugepages, 100 free"));
	/* the fix: the pool size that gives 272 free pages */
	assert_non_null(strstr(why, "echo 272 > /sys/kernel/mm/hugepages/"
				    "hugepages-2048kB/nr_hugepages"));
	assert_null(strstr(why, "mount -t"));
}

static void test_probe_user_no_mount(void **state)
{
	struct host h = fake(0);
	char why[512] = "";

	(void)state;
	pool("1024\n", "1024\n", mounts_none);
	assert_int_equal(hugepages_probe(&h, 272, why, sizeof(why)), -ENOMEM);
	assert_non_null(strstr(why, "no hugetlbfs mounted"));
	assert_non_null(strstr(why, "mount -t hugetlbfs -o pagesize=2M nodev "
				    "/dev/hugepages"));
}

/* Short of pages and unmounted: both problems named, both fixes given. */
static void test_probe_user_short_no_mount(void **state)
{
	struct host h = fake(0);
	char why[512] = "";

	(void)state;
	pool("0\n", "0\n", mounts_none);
	assert_int_equal(hugepages_probe(&h, 272, why, sizeof(why)), -ENOMEM);
	assert_non_null(strstr(why, "needs 272 free 2 MB hugepages, 0 free"));
	assert_non_null(strstr(why, "no hugetlbfs mounted"));
	assert_non_null(strstr(why, "echo 272 > "));
	assert_non_null(strstr(why, "mount -t hugetlbfs"));
}

static void test_probe_root_can_fix(void **state)
{
	struct host h = fake(1);
	char why[512] = "";

	(void)state;
	pool("0\n", "0\n", mounts_none);
	assert_int_equal(hugepages_probe(&h, 272, why, sizeof(why)), 0);
}

static void test_ensure_nothing_to_do(void **state)
{
	struct hugepages_state s;
	struct host h = fake(1);
	char why[512] = "", buf[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	pool("1024\n", "1024\n", mounts_huge);
	assert_int_equal(hugepages_ensure_at(&s, &h, 272, why, sizeof(why)), 0);
	assert_false(s.raised);
	assert_false(s.mounted);
	hugepages_restore_at(&s);
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "1024");
}

static void test_ensure_raise_and_restore(void **state)
{
	struct hugepages_state s;
	struct host h = fake(1);
	char why[512] = "", buf[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	pool("50\n", "40\n", mounts_huge);
	/* the fake kernel never frees pages: the raise is written, then
	 * reported as not granted */
	assert_int_equal(hugepages_ensure_at(&s, &h, 272, why, sizeof(why)),
			 -ENOMEM);
	assert_non_null(strstr(why, "asked the kernel for 272"));
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "282");	/* 50 + (272 - 40) */
	assert_true(s.raised);
	assert_int_equal(s.orig_nr, 50);
	/* the run's end puts the original size back, once */
	hugepages_restore_at(&s);
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "50");
	assert_false(s.raised);
	put(POOL "/nr_hugepages", "77\n");
	hugepages_restore_at(&s);
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "77");

	/* two overlapping runs: the first to end takes back only its own
	 * 232 pages, not the pool the second one raised further */
	memset(&s, 0, sizeof(s));
	pool("50\n", "40\n", mounts_huge);
	hugepages_ensure_at(&s, &h, 272, why, sizeof(why));
	put(POOL "/nr_hugepages", "400\n");	/* another run added 118 */
	hugepages_restore_at(&s);
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "168");
}

static void test_ensure_granted(void **state)
{
	struct hugepages_state s;
	struct host h = fake(1);
	char why[512] = "", buf[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	/* free_hugepages already shows what the raise will give */
	pool("10\n", "300\n", mounts_huge);
	assert_int_equal(hugepages_ensure_at(&s, &h, 272, why, sizeof(why)), 0);
	assert_false(s.raised);
	pool("10\n", "5\n", mounts_huge);
	put(POOL "/free_hugepages", "5\n");
	assert_int_equal(hugepages_ensure_at(&s, &h, 4, why, sizeof(why)), 0);
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "10");
}

static void test_ensure_user_refused(void **state)
{
	struct hugepages_state s;
	struct host h = fake(0);
	char why[512] = "", buf[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	pool("10\n", "10\n", mounts_huge);
	assert_int_equal(hugepages_ensure_at(&s, &h, 272, why, sizeof(why)),
			 -ENOMEM);
	get(POOL "/nr_hugepages", buf, sizeof(buf));
	assert_string_equal(buf, "10");
	assert_false(s.raised);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_probe_enough),
		cmocka_unit_test(test_probe_user_short),
		cmocka_unit_test(test_probe_user_no_mount),
		cmocka_unit_test(test_probe_user_short_no_mount),
		cmocka_unit_test(test_probe_root_can_fix),
		cmocka_unit_test(test_ensure_nothing_to_do),
		cmocka_unit_test(test_ensure_raise_and_restore),
		cmocka_unit_test(test_ensure_granted),
		cmocka_unit_test(test_ensure_user_refused),
		cmocka_unit_test(test_probe_no_pool),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
