/* run.json: string escaping, the fixed members, atomic write. */
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

#include "../../harness/runmeta.h"
#include "../../harness/util.h"

static void to_string(char *buf, size_t len, void (*fn)(FILE *, const void *),
		      const void *arg)
{
	FILE *f = fmemopen(buf, len, "w");

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
}

static void str_fn(FILE *f, const void *s)
{
	runmeta_json_str(f, s);
}

static void json_fn(FILE *f, const void *m)
{
	runmeta_json(m, f);
}

static void test_escape(void **state)
{
	char buf[256];

	(void)state;
	to_string(buf, sizeof(buf), str_fn, "plain");
	assert_string_equal(buf, "\"plain\"");
	to_string(buf, sizeof(buf), str_fn, "a\"b\\c\nd\te\x01");
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
	to_string(buf, sizeof(buf), str_fn, "");
	assert_string_equal(buf, "\"\"");
}

static struct runmeta *sample(void)
{
	static char *argv[] = { "vioperf", "run", "--out", "x \"y\"", NULL };
	struct runmeta *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	util_strlcpy(m->run_id, "20261122-013045-ab12", sizeof(m->run_id));
	m->start_ns = 1795311045ull * 1000000000ull;
	util_strlcpy(m->host, "h", sizeof(m->host));
	m->tsc_hz = 2.5e9;
	m->argc = 4;
	m->argv = argv;
	runmeta_opt(m, "sizes", 0, "%s", "64,imix");
	runmeta_opt(m, "trials", 1, "%d", 3);
	m->nb_dps = 1;
	util_strlcpy(m->dps[0].name, "vhost-user", sizeof(m->dps[0].name));
	util_strlcpy(m->dps[0].variant, "virtio_user-vhost",
		     sizeof(m->dps[0].variant));
	util_strlcpy(m->dps[0].status, "ran", sizeof(m->dps[0].status));
	m->nb_unavail = 1;
	util_strlcpy(m->unavail[0].name, "sriov-vf", sizeof(m->unavail[0].name));
	util_strlcpy(m->unavail[0].status, "no NIC", sizeof(m->unavail[0].status));
	return m;
}

static void test_members(void **state)
{
	struct runmeta *m = sample();
	char *buf = calloc(1, 8192);

	(void)state;
	to_string(buf, 8192, json_fn, m);
	assert_non_null(strstr(buf, "\"run_id\": \"20261122-013045-ab12\""));
	assert_non_null(strstr(buf, "\"start_time\": \"2026-11-22T01:30:45Z\""));
	assert_non_null(strstr(buf, "\"end_time\": null"));
	assert_non_null(strstr(buf, "\"tsc_hz\": 2500000000"));
	assert_non_null(strstr(buf, "\"command\": [\"vioperf\", \"run\", \"--out\", "
				    "\"x \\\"y\\\"\"]"));
	assert_non_null(strstr(buf, "\"sizes\": \"64,imix\""));
	assert_non_null(strstr(buf, "\"trials\": 3"));
	assert_non_null(strstr(buf, "{ \"name\": \"vhost-user\", \"variant\": "
				    "\"virtio_user-vhost\", \"status\": \"ran\" }"));
	assert_non_null(strstr(buf, "{ \"name\": \"sriov-vf\", \"reason\": "
				    "\"no NIC\" }"));
	assert_non_null(strstr(buf, "\"interrupted\": false\n}\n"));
	m->interrupted = 1;
	m->end_ns = m->start_ns + 60000000000ull;
	to_string(buf, 8192, json_fn, m);
	assert_non_null(strstr(buf, "\"end_time\": \"2026-11-22T01:31:45Z\""));
	assert_non_null(strstr(buf, "\"interrupted\": true"));
	free(buf);
	free(m);
}

static void test_write_atomic(void **state)
{
	char dir[] = "/tmp/vioperf-test-meta-XXXXXX", path[256], buf[4096];
	struct runmeta *m = sample();

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(runmeta_write(m, dir), 0);
	m->interrupted = 1;
	assert_int_equal(runmeta_write(m, dir), 0);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	assert_true(util_read_file(path, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"interrupted\": true"));
	snprintf(path, sizeof(path), "%s/.run.json.tmp", dir);
	assert_int_equal(access(path, F_OK), -1);
	util_rm_rf(dir);
	assert_int_equal(runmeta_write(m, "/nonexistent-vioperf-dir"), -ENOENT);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_write_atomic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
