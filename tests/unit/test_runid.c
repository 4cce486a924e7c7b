/* Run ids, tags and the workdir with its owner marker. */
#include <errno.h>
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

#include "../../harness/runid.h"
#include "../../harness/util.h"
#include "../../harness/workdir.h"

static void test_runid_format(void **state)
{
	char id[RUNID_LEN], small[RUNID_LEN - 1];

	(void)state;
	/* 2026-11-22 01:30:45 UTC */
	assert_int_equal(runid_make(id, sizeof(id), 1795311045ull * 1000000000ull), 0);
	assert_int_equal(strlen(id), RUNID_LEN - 1);
	assert_memory_equal(id, "20261122-013045-", 16);
	assert_true(runid_valid(id));
	assert_int_equal(runid_make(small, sizeof(small), 0), -ENOSPC);
}

static void test_runid_unique(void **state)
{
	char a[RUNID_LEN], b[RUNID_LEN];
	int same = 0;

	(void)state;
	/* 4 random chars: 20 pairs all equal by chance is ~impossible */
	for (int i = 0; i < 20; i++) {
		runid_make(a, sizeof(a), 0);
		runid_make(b, sizeof(b), 0);
		same += !strcmp(a, b);
	}
	assert_true(same < 20);
}

static void test_runid_valid(void **state)
{
	(void)state;
	assert_true(runid_valid("20261122-013045-ab12"));
	assert_false(runid_valid("20261122-013045-AB12"));
	assert_false(runid_valid("20261122-013045-ab1"));
	assert_false(runid_valid("20261122_013045-ab12"));
	assert_false(runid_valid("2026112a-013045-ab12"));
	assert_false(runid_valid(""));
}

static void test_tag(void **state)
{
	char t[RUNID_TAG_LEN], u[RUNID_TAG_LEN];

	(void)state;
	assert_int_equal(runid_tag(t, sizeof(t)), 0);
	assert_int_equal(strlen(t), 6);
	assert_true(runid_tag_valid(t));
	for (int i = 0; i < 6; i++)
		assert_true((t[i] >= 'a' && t[i] <= 'z') ||
			    (t[i] >= '0' && t[i] <= '9'));
	runid_tag(u, sizeof(u));
	assert_true(runid_tag_valid(u));
	assert_false(runid_tag_valid("abc12"));
	assert_false(runid_tag_valid("abc-12"));
	assert_false(runid_tag_valid("abcdefg"));
	assert_int_equal(runid_tag(t, 6), -ENOSPC);
}

static void test_workdir(void **state)
{
	char root[] = "/tmp/vioperf-test-wd-XXXXXX", path[256], marker[512],
	     buf[256], expect[128];
	struct stat sb;

	(void)state;
	assert_non_null(mkdtemp(root));
	assert_int_equal(workdir_create(path, sizeof(path), root, "abc123",
					"20261122-013045-ab12"), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(marker, sizeof(marker), "%s/" WORKDIR_MARKER, path);
	assert_true(util_read_file(marker, buf, sizeof(buf)) > 0);
	snprintf(expect, sizeof(expect), "run_id=20261122-013045-ab12\npid=%ld",
		 (long)getpid());
	assert_string_equal(buf, expect);
	/* the same tag twice is refused */
	assert_int_equal(workdir_create(buf, sizeof(buf), root, "abc123", "x"),
			 -EEXIST);
	workdir_remove(path);
	assert_int_equal(stat(path, &sb), -1);
	workdir_remove(path);	/* idempotent */
	workdir_remove("");
	assert_int_equal(rmdir(root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runid_format),
		cmocka_unit_test(test_runid_unique),
		cmocka_unit_test(test_runid_valid),
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_workdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
