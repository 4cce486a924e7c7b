/* ivshmem topology against fake host trees: probe (hugetlbfs with free
 * pages, /dev/shm fallback, neither), setup (region created and valid,
 * ends side a/b, variant by backing, dry run creates nothing), teardown
 * (removes the region, idempotent). */
#include <errno.h>
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

#include "../../generators/shmring.h"
#include "../../harness/util.h"
#include "../../topologies/topology.h"

struct fake {
	char root[128], sysfs[PATH_MAX], proc[PATH_MAX], dev[PATH_MAX];
	char huge[PATH_MAX];
	struct host h;
};

static void put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

static void mk(const char *fmt, const char *a)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), fmt, a);
	assert_int_equal(util_mkdir_p(p, 0755), 0);
}

/* A tree with: /proc/mounts (a hugetlbfs line pointing at <root>/huge
 * when with_mount), a 2 MB pool with nb_free pages, <dev>/shm. */
static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	char p[PATH_MAX * 2];

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/vioperf-test-%d-ivshmem",
		 (int)getpid());
	util_rm_rf(f->root);
	snprintf(f->sysfs, sizeof(f->sysfs), "%s/sys", f->root);
	snprintf(f->proc, sizeof(f->proc), "%s/proc", f->root);
	snprintf(f->dev, sizeof(f->dev), "%s/dev", f->root);
	snprintf(f->huge, sizeof(f->huge), "%s/huge", f->root);
	mk("%s/kernel/mm/hugepages/hugepages-2048kB", f->sysfs);
	mk("%s", f->proc);
	mk("%s/shm", f->dev);
	mk("%s", f->huge);
	snprintf(p, sizeof(p), "%s/mounts", f->proc);
	put(p, "");
	f->h.sysfs = f->sysfs;
	f->h.proc = f->proc;
	f->h.dev = f->dev;
	f->h.is_root = 0;	/* never raise pools or mount in a test */
	f->h.nb_cpus = 2;
	*state = f;
	return 0;
}

static int fake_teardown(void **state)
{
	struct fake *f = *state;

	util_rm_rf(f->root);
	free(f);
	return 0;
}

static void fake_pool(struct fake *f, int with_mount, long nb_free)
{
	char p[PATH_MAX * 2], v[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/mounts", f->proc);
	if (with_mount)
		snprintf(v, sizeof(v),
			 "nodev %s hugetlbfs rw,relatime,pagesize=2M 0 0\n",
			 f->huge);
	else
		v[0] = '\0';
	put(p, v);
	snprintf(p, sizeof(p), "%s/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
		 f->sysfs);
	snprintf(v, sizeof(v), "%ld", nb_free + 10);
	put(p, v);
	snprintf(p, sizeof(p), "%s/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		 f->sysfs);
	snprintf(v, sizeof(v), "%ld", nb_free);
	put(p, v);
}

static const struct topology_ops *ops(void)
{
	const struct topology_ops *o = topo_find("ivshmem");

	assert_non_null(o);
	return o;
}

static void test_probe(void **state)
{
	struct fake *f = *state;
	char why[512], shm[PATH_MAX * 2];

	fake_pool(f, 1, 100);
	assert_int_equal(ops()->probe(&f->h, why, sizeof(why)), 0);
	fake_pool(f, 0, 0);	/* no hugepages: /dev/shm will do */
	assert_int_equal(ops()->probe(&f->h, why, sizeof(why)), 0);
	snprintf(shm, sizeof(shm), "%s/shm", f->dev);
	assert_int_equal(rmdir(shm), 0);	/* neither */
	assert_true(ops()->probe(&f->h, why, sizeof(why)) < 0);
	assert_non_null(strstr(why, "ivshmem: no place for the shared region"));
	assert_non_null(strstr(why, shm));
	mk("%s/shm", f->dev);
}

static void check_ends(const struct topology *t, const char *path)
{
	char want[PATH_MAX * 2];

	snprintf(want, sizeof(want), "path=%s", path);
	for (int e = 0; e < 2; e++) {
		assert_string_equal(t->end[e].backend, "shm");
		assert_int_equal(t->end[e].nb_args, 2);
		assert_string_equal(t->end[e].args[0], want);
		assert_string_equal(t->end[e].args[1],
				    e == TOPO_HOST ? "side=a" : "side=b");
	}
	assert_int_equal(t->flags & TOPO_F_KERNEL, 0);
}

static void run_setup(struct fake *f, const char *dir, const char *variant)
{
	struct topology t = { .ops = ops() };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = f->root, .host = &f->h,
				    .max_frame = 1518 };
	struct shmring_region r;
	char why[512], path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/vioperf-t1-ivshmem", dir);
	if (t.ops->setup(&t, &cfg, why, sizeof(why)) < 0)
		print_error("setup: %s\n", why);
	assert_string_equal(t.variant, variant);
	check_ends(&t, path);
	/* The region is there, valid, and a power of two. */
	assert_int_equal(shmring_attach(&r, path, why, sizeof(why)), 0);
	assert_int_equal(r.hdr->nb_slots, SHMRING_DEF_SLOTS);
	assert_int_equal(r.size & (r.size - 1), 0);
	shmring_detach(&r);
	t.ops->teardown(&t);
	assert_int_equal(access(path, F_OK), -1);
	t.ops->teardown(&t);	/* idempotent */
	topo_ends_free(&t);
}

static void test_setup_devshm(void **state)
{
	struct fake *f = *state;
	char dir[PATH_MAX * 2];

	fake_pool(f, 0, 0);
	snprintf(dir, sizeof(dir), "%s/shm", f->dev);
	run_setup(f, dir, "shm-ring-devshm");
}

static void test_setup_hugetlbfs(void **state)
{
	struct fake *f = *state;

	/* The fake mount is a plain directory: the file lands there, which
	 * is what we check (the real hugetlbfs is the integration test's). */
	fake_pool(f, 1, 100);
	run_setup(f, f->huge, "shm-ring-hugetlbfs");
}

static void test_setup_existing_and_dry_run(void **state)
{
	struct fake *f = *state;
	struct topology t = { .ops = ops() };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t2",
				    .workdir = f->root, .host = &f->h,
				    .max_frame = 1518, .dry_run = 1 };
	char why[512], path[PATH_MAX * 2];

	fake_pool(f, 0, 0);
	snprintf(path, sizeof(path), "%s/shm/vioperf-t2-ivshmem", f->dev);
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), 0);
	assert_int_equal(access(path, F_OK), -1);	/* nothing created */
	check_ends(&t, path);
	t.ops->teardown(&t);
	topo_ends_free(&t);

	/* A file left behind is not taken over, and not removed. */
	put(path, "x");
	cfg.dry_run = 0;
	memset(&t, 0, sizeof(t));
	t.ops = ops();
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, "already exists"));
	t.ops->teardown(&t);
	topo_ends_free(&t);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);

	/* Frames larger than a slot are refused. */
	cfg.max_frame = 9000;
	memset(&t, 0, sizeof(t));
	t.ops = ops();
	assert_int_equal(t.ops->setup(&t, &cfg, why, sizeof(why)), -EINVAL);
	t.ops->teardown(&t);
	topo_ends_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_probe, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_setup_devshm, fake_setup,
						fake_teardown),
		cmocka_unit_test_setup_teardown(test_setup_hugetlbfs,
						fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_setup_existing_and_dry_run,
						fake_setup, fake_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
