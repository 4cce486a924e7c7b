/* A fake kernel for SR-IOV unit tests, included by test_sriov.c and
 * test_tc_offload.c: sysfs writes into a writable copy of a fixture tree
 * (tests/fixtures/sysfs/<name>) behave as the kernel's would (sriov_numvfs
 * creates and removes VF devices, unbind / drivers_probe move driver
 * links, driver_override holds its value), and commands (ip, devlink,
 * ethtool, tc) answer from the fixture's cmd/ directory. Every write and
 * command is appended to fk_log, one per line. Include after cmocka.h. */
#ifndef VIOPERF_TEST_FAKE_KERNEL_H
#define VIOPERF_TEST_FAKE_KERNEL_H

/* test paths are short; truncation checks would only add noise here */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../harness/util.h"
#include "../../topologies/sriov.h"

static char fk_root[PATH_MAX];	/* the tree: fk_root/sys, fk_root/proc */
static char fk_sys[PATH_MAX + 8];
static char fk_proc[PATH_MAX + 8];
static char fk_log[32768];
static const char *fk_fail;	/* a command line starting so fails */
static const char *fk_fail_msg;	/* ... printing this */
static const char *fk_warn;	/* a command line starting so succeeds */
static const char *fk_warn_msg;	/* ... printing this */

static void fk_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fk_logf(const char *fmt, ...)
{
	size_t used = strlen(fk_log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fk_log + used, sizeof(fk_log) - used, fmt, ap);
	va_end(ap);
	used = strlen(fk_log);
	if (used + 1 < sizeof(fk_log))
		strcat(fk_log, "\n");
}

/* The source tree (tests run from the repository root). */
static const char *fk_srcdir(void)
{
	const char *s = getenv("VIOPERF_SRCDIR");

	return s ? s : ".";
}

static void fk_host(struct host *h)
{
	host_default(h);
	h->sysfs = fk_sys;
	h->proc = fk_proc;
}

static char fk_tmp[PATH_MAX];	/* the current writable copy, or "" */

/* Remove the writable copy, if any (also at exit: a failed assertion
 * skips the test's own cleanup). */
static void fk_cleanup(void)
{
	char *argv[] = { "rm", "-rf", fk_tmp, NULL };

	if (fk_tmp[0])
		util_run(argv, NULL, 0);
	fk_tmp[0] = '\0';
}

/* Point the fake kernel at fixture name (read-only, in place). */
static void fk_use(const char *name)
{
	fk_cleanup();
	snprintf(fk_root, sizeof(fk_root), "%s/tests/fixtures/sysfs/%s",
		 fk_srcdir(), name);
	snprintf(fk_sys, sizeof(fk_sys), "%s/sys", fk_root);
	snprintf(fk_proc, sizeof(fk_proc), "%s/proc", fk_root);
	fk_log[0] = '\0';
	fk_fail = fk_fail_msg = fk_warn = fk_warn_msg = NULL;
}

/* Copy fixture name to a fresh temp dir and use the copy; 0 or -errno. */
static int fk_copy(const char *name, char *tmp, size_t len)
{
	char src[PATH_MAX];
	char *argv[] = { "cp", "-a", src, tmp, NULL };

	static int registered;

	fk_cleanup();
	if (!registered++)
		atexit(fk_cleanup);
	snprintf(tmp, len, "/tmp/vioperf-fk-XXXXXX");
	if (!mkdtemp(tmp))
		return -errno;
	snprintf(fk_tmp, sizeof(fk_tmp), "%s", tmp);
	snprintf(src, sizeof(src), "%s/tests/fixtures/sysfs/%s/.", fk_srcdir(),
		 name);
	if (util_run(argv, NULL, 0) != 0)
		return -EIO;
	snprintf(fk_root, sizeof(fk_root), "%s", tmp);
	snprintf(fk_sys, sizeof(fk_sys), "%s/sys", fk_root);
	snprintf(fk_proc, sizeof(fk_proc), "%s/proc", fk_root);
	fk_log[0] = '\0';
	fk_fail = fk_fail_msg = fk_warn = fk_warn_msg = NULL;
	return 0;
}

/* 1 when the trees a and b hold the same files, links and contents. */
static int fk_same_tree(const char *a, const char *b)
{
	char *argv[] = { "diff", "-r", "--no-dereference", (char *)a, (char *)b,
			 NULL };
	char out[4096];
	int rc = util_run(argv, out, sizeof(out));

	if (rc)
		fprintf(stderr, "trees differ:\n%s\n", out);
	return rc == 0;
}

static int fk_put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "%s\n", s);
	return fclose(f) ? -errno : 0;
}

/* symlink at link (absolute) to target_abs, relative like the kernel's. */
static int fk_symlink(const char *target_abs, const char *link)
{
	char rel[PATH_MAX] = "", dir[PATH_MAX];
	const char *l;
	size_t common = 0, i;

	snprintf(dir, sizeof(dir), "%s", link);
	l = dirname(dir);
	for (i = 0; target_abs[i] && target_abs[i] == l[i]; i++)
		if (l[i] == '/')
			common = i + 1;
	if (!l[i] && target_abs[i] == '/')
		common = i + 1;	/* the target is below the link's dir */
	else
		for (const char *p = l + common; *p; p++)
			if (*p == '/' || !p[1])
				strcat(rel, "../");
	strcat(rel, target_abs + common);
	unlink(link);
	return symlink(rel, link) ? -errno : 0;
}

static void fk_readlink_abs(const char *path, char *out, size_t len)
{
	char *r = realpath(path, NULL);

	snprintf(out, len, "%s", r ? r : "");
	free(r);
}

/* The driver a fresh VF of a PF with driver pf_drv gets. */
static const char *fk_vf_driver(const char *pf_drv)
{
	if (!strcmp(pf_drv, "ixgbe"))
		return "ixgbevf";
	if (!strcmp(pf_drv, "i40e") || !strcmp(pf_drv, "ice"))
		return "iavf";
	if (!strcmp(pf_drv, "igb"))
		return "igbvf";
	return pf_drv;
}

static void fk_rm_dangling(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX + 512];
	struct stat st;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && stat(p, &st))
			unlink(p);
		else if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
			 strstr(dir, "iommu_groups") && !strchr(e->d_name, ':')) {
			char devs[PATH_MAX + 600];

			snprintf(devs, sizeof(devs), "%s/devices", p);
			fk_rm_dangling(devs);
			if (rmdir(devs) == 0)
				rmdir(p);
		}
	}
	closedir(d);
}

static void fk_sweep(void)
{
	char p[PATH_MAX + 64];
	DIR *d;
	struct dirent *e;

	snprintf(p, sizeof(p), "%s/class/net", fk_sys);
	fk_rm_dangling(p);
	snprintf(p, sizeof(p), "%s/bus/pci/devices", fk_sys);
	fk_rm_dangling(p);
	snprintf(p, sizeof(p), "%s/kernel/iommu_groups", fk_sys);
	fk_rm_dangling(p);
	snprintf(p, sizeof(p), "%s/bus/pci/drivers", fk_sys);
	d = opendir(p);
	while (d && (e = readdir(d))) {
		char q[PATH_MAX + 400];

		if (e->d_name[0] == '.')
			continue;
		snprintf(q, sizeof(q), "%s/%s", p, e->d_name);
		fk_rm_dangling(q);
	}
	if (d)
		closedir(d);
}

static void fk_bind(const char *dev_abs, const char *pci, const char *drv)
{
	char l[PATH_MAX + 64], t[PATH_MAX + 64];

	snprintf(t, sizeof(t), "%s/bus/pci/drivers/%s", fk_sys, drv);
	fk_readlink_abs(t, t, sizeof(t));
	snprintf(l, sizeof(l), "%s/driver", dev_abs);
	fk_symlink(t, l);
	snprintf(l, sizeof(l), "%s/bus/pci/drivers/%s/%s", fk_sys, drv, pci);
	fk_symlink(dev_abs, l);
}

/* A switchdev PF (its netdev's phys_port_name is "p0") gets a VF
 * representor netdev <uplink minus "np0">npf0vf<i> per VF, on the PF's own
 * PCI device, as mlx5 does (phys_port_name per fk_rep_port); nb 0 removes
 * them. */
static const char *fk_rep_port = "pf0vf%u";	/* phys_port_name format */

static void fk_reps(const char *pf_abs, unsigned nb)
{
	char p[PATH_MAX + 64], uplink[64] = "";
	DIR *d;
	struct dirent *e;

	snprintf(p, sizeof(p), "%s/net", pf_abs);
	d = opendir(p);
	while (d && (e = readdir(d))) {
		char q[PATH_MAX + 400], port[32];

		snprintf(q, sizeof(q), "%s/%s/phys_port_name", p, e->d_name);
		if (util_read_file(q, port, sizeof(port)) > 0 &&
		    !strcmp(port, "p0"))
			snprintf(uplink, sizeof(uplink), "%s", e->d_name);
		if (strstr(e->d_name, "npf0vf") && !nb) {
			char *argv[] = { "rm", "-rf", q, NULL };

			snprintf(q, sizeof(q), "%s/%s", p, e->d_name);
			util_run(argv, NULL, 0);
		}
	}
	if (d)
		closedir(d);
	if (!uplink[0] || strlen(uplink) < 3)
		return;
	uplink[strlen(uplink) - 3] = '\0';	/* "enp59s0f0np0" -> "enp59s0f0" */
	for (unsigned i = 0; i < nb; i++) {
		char dir[PATH_MAX + 128], q[PATH_MAX + 256], name[64], v[64];

		snprintf(name, sizeof(name), "%snpf0vf%u", uplink, i);
		snprintf(dir, sizeof(dir), "%s/net/%s", pf_abs, name);
		mkdir(dir, 0755);
		snprintf(q, sizeof(q), "%s/phys_port_name", dir);
		snprintf(v, sizeof(v), fk_rep_port, i);
		fk_put(q, v);
		snprintf(q, sizeof(q), "%s/operstate", dir);
		fk_put(q, "down");
		snprintf(q, sizeof(q), "%s/flags", dir);
		fk_put(q, "0x1002");
		snprintf(q, sizeof(q), "%s/address", dir);
		snprintf(v, sizeof(v), "2e:00:00:00:01:%02x", i);
		fk_put(q, v);
		snprintf(q, sizeof(q), "%s/device", dir);
		fk_symlink(pf_abs, q);
		snprintf(q, sizeof(q), "%s/class/net/%s", fk_sys, name);
		fk_symlink(dir, q);
	}
}

static int fk_numvfs(const char *pf_abs, unsigned nb)
{
	char p[PATH_MAX + 64], drv[64] = "", pfdrv[PATH_MAX + 64];
	const char *pci = strrchr(pf_abs, '/') + 1;

	snprintf(p, sizeof(p), "%s/driver", pf_abs);
	fk_readlink_abs(p, pfdrv, sizeof(pfdrv));
	snprintf(drv, sizeof(drv), "%s", strrchr(pfdrv, '/') ?
		 strrchr(pfdrv, '/') + 1 : "");
	for (int i = 0; i < 256; i++) {	/* remove the VFs there are */
		char vf[PATH_MAX + 64];
		char *argv[] = { "rm", "-rf", vf, NULL };

		snprintf(p, sizeof(p), "%s/virtfn%d", pf_abs, i);
		fk_readlink_abs(p, vf, sizeof(vf));
		if (!vf[0])
			break;
		util_run(argv, NULL, 0);
		unlink(p);
	}
	fk_reps(pf_abs, 0);
	fk_sweep();
	fk_reps(pf_abs, nb);
	for (unsigned i = 0; i < nb; i++) {
		char vf[PATH_MAX + 64], vpci[32], l[PATH_MAX + 128];
		char bus[16];

		snprintf(bus, sizeof(bus), "%.7s", pci);	/* "0000:05" */
		snprintf(vpci, sizeof(vpci), "%s:%02x.%u", bus, 0x0a + i / 8,
			 i % 8);
		snprintf(vf, sizeof(vf), "%.*s/%s",
			 (int)(strrchr(pf_abs, '/') - pf_abs), pf_abs, vpci);
		mkdir(vf, 0755);
		snprintf(l, sizeof(l), "%s/driver_override", vf);
		fk_put(l, "(null)");
		snprintf(l, sizeof(l), "%s/physfn", vf);
		fk_symlink(pf_abs, l);
		snprintf(l, sizeof(l), "%s/virtfn%u", pf_abs, i);
		fk_symlink(vf, l);
		snprintf(l, sizeof(l), "%s/bus/pci/devices/%s", fk_sys, vpci);
		fk_symlink(vf, l);
		fk_bind(vf, vpci, fk_vf_driver(drv));
	}
	snprintf(p, sizeof(p), "%s/sriov_numvfs", pf_abs);
	{
		char v[16];

		snprintf(v, sizeof(v), "%u", nb);
		return fk_put(p, v);
	}
}

static int fk_write(const char *path, const char *s)
{
	char dir[PATH_MAX], abs[PATH_MAX + 64];
	const char *base = strrchr(path, '/') + 1;
	char val[256];
	size_t n;

	fk_logf("write %s %s", path + strlen(fk_root), s);
	snprintf(val, sizeof(val), "%s", s);
	n = strlen(val);
	while (n && val[n - 1] == '\n')
		val[--n] = '\0';
	snprintf(dir, sizeof(dir), "%s", path);
	fk_readlink_abs(dirname(dir), abs, sizeof(abs));
	if (access(path, W_OK))
		return -ENOENT;
	if (!strcmp(base, "sriov_numvfs"))
		return fk_numvfs(abs, (unsigned)atoi(val));
	if (!strcmp(base, "driver_override"))
		return fk_put(path, n ? val : "(null)");
	if (!strcmp(base, "unbind")) {
		char l[PATH_MAX + 64];

		snprintf(l, sizeof(l), "%s/bus/pci/devices/%s/driver", fk_sys,
			 val);
		if (access(l, F_OK))
			return -ENODEV;
		unlink(l);
		snprintf(l, sizeof(l), "%s/%s", abs, val);
		unlink(l);
		return 0;
	}
	if (!strcmp(base, "drivers_probe")) {
		char dev[PATH_MAX + 64], l[PATH_MAX + 128], ov[64], pf[PATH_MAX];
		char pfdrv[PATH_MAX];

		snprintf(l, sizeof(l), "%s/bus/pci/devices/%s", fk_sys, val);
		fk_readlink_abs(l, dev, sizeof(dev));
		if (!dev[0])
			return -ENODEV;
		snprintf(l, sizeof(l), "%s/driver", dev);
		if (access(l, F_OK) == 0)
			return 0;
		snprintf(l, sizeof(l), "%s/driver_override", dev);
		if (util_read_file(l, ov, sizeof(ov)) < 0)
			return -EIO;
		if (strcmp(ov, "(null)")) {
			snprintf(l, sizeof(l), "%s/bus/pci/drivers/%s", fk_sys,
				 ov);
			if (access(l, F_OK) == 0)
				fk_bind(dev, val, ov);
			return 0;
		}
		snprintf(l, sizeof(l), "%s/physfn/driver", dev);
		fk_readlink_abs(l, pfdrv, sizeof(pfdrv));
		snprintf(pf, sizeof(pf), "%s", strrchr(pfdrv, '/') ?
			 strrchr(pfdrv, '/') + 1 : "");
		fk_bind(dev, val, fk_vf_driver(pf));
		return 0;
	}
	return util_write_file(path, s);
}

/* out gets the file cmd/<name> of the fixture; 0, or 1 (with the message
 * a tool prints) when it is absent. */
static int fk_answer(const char *name, const char *missing, char *out,
		     size_t outlen)
{
	char p[PATH_MAX + 128];

	snprintf(p, sizeof(p), "%s/cmd/%s", fk_root, name);
	if (out && util_read_file(p, out, outlen) >= 0)
		return 0;
	if (out)
		snprintf(out, outlen, "%s", missing);
	return 1;
}

static int fk_run(char *const argv[], char *out, size_t outlen)
{
	char line[1024] = "", name[256];
	int argc = 0;

	for (; argv[argc]; argc++) {
		size_t used = strlen(line);

		snprintf(line + used, sizeof(line) - used, "%s%s",
			 argc ? " " : "", argv[argc]);
	}
	fk_logf("exec %s", line);
	if (out && outlen)
		out[0] = '\0';
	if (fk_fail && !strncmp(line, fk_fail, strlen(fk_fail))) {
		if (out)
			snprintf(out, outlen, "%s", fk_fail_msg ? fk_fail_msg :
				 "RTNETLINK answers: Operation not permitted");
		return 2;
	}
	if (fk_warn && !strncmp(line, fk_warn, strlen(fk_warn))) {
		if (out)
			snprintf(out, outlen, "%s", fk_warn_msg);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[0], "ip") && !strcmp(argv[2], "link")) {
		snprintf(name, sizeof(name), "ip-link-%s.json", argv[5]);
		return fk_answer(name, "Device does not exist.", out, outlen);
	}
	if (argc == 6 && !strcmp(argv[0], "ip") && !strcmp(argv[2], "addr")) {
		snprintf(name, sizeof(name), "ip-addr-%s.json", argv[5]);
		return fk_answer(name, "Device does not exist.", out, outlen);
	}
	if (!strcmp(argv[0], "devlink") && argc == 6 &&
	    !strcmp(argv[4], "show")) {
		snprintf(name, sizeof(name), "devlink-eswitch-%s.json",
			 argv[5] + 4);
		/* what devlink (iproute2 6.1) prints for a NIC without a
		 * devlink instance, e.g. igb in the kernel lab */
		return fk_answer(name, "kernel answers: No such device\n"
				 "{\"dev\":{}}\n", out, outlen);
	}
	if (!strcmp(argv[0], "ethtool") && argc == 3) {
		snprintf(name, sizeof(name), "ethtool-k-%s.txt", argv[2]);
		return fk_answer(name, "netlink error: No such device", out,
				 outlen);
	}
	if (!strcmp(argv[0], "tc") && argc > 6 && !strcmp(argv[1], "-j")) {
		snprintf(name, sizeof(name), "tc-filter-%s.json", argv[6]);
		return fk_answer(name, "Cannot find device", out, outlen);
	}
	return 0;
}

static const struct sriov_sys fk_sysops = { fk_run, fk_write };

/* Run setup (and teardown) of ops on the fixture in dry-run; the printed
 * plan, fixture prefix removed, must equal tests/golden/<golden>. */
static void fk_dry_run_golden(const struct topology_ops *ops, const char *fixture,
			      const char *pf, int reset, const char *golden)
{
	struct topology t = { .ops = ops };
	struct topology_cfg cfg = { .run_id = "r1", .tag = "t1",
				    .workdir = "/tmp", .dry_run = 1, .pf = pf,
				    .allow_vf_reset = reset };
	struct host h;
	char tmpl[] = "/tmp/vioperf-plan-XXXXXX", why[512], path[PATH_MAX];
	char got[16384], want[16384], clean[16384];
	int fd = mkstemp(tmpl), saved, rc, rc2;
	size_t o = 0, rl;

	assert_true(fd >= 0);
	fk_use(fixture);
	fk_host(&h);
	cfg.host = &h;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	rc = ops->setup(&t, &cfg, why, sizeof(why));
	ops->teardown(&t);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	topo_ends_free(&t);
	rc2 = util_read_file(tmpl, got, sizeof(got));
	unlink(tmpl);
	if (rc)
		fail_msg("setup: %s", why);
	assert_true(rc2 >= 0);
	/* dry-run only read: no sysfs write, no change through ip */
	assert_null(strstr(fk_log, "write "));
	assert_null(strstr(fk_log, " set "));
	rl = strlen(fk_root);
	for (const char *p = got; *p && o + 1 < sizeof(clean);) {
		if (!strncmp(p, fk_root, rl)) {
			p += rl;
			continue;
		}
		clean[o++] = *p++;
	}
	clean[o] = '\0';
	snprintf(path, sizeof(path), "%s/tests/golden/%s", fk_srcdir(), golden);
	if (getenv("VIOPERF_UPDATE_GOLDEN")) {
		fk_put(path, clean);
		return;
	}
	if (util_read_file(path, want, sizeof(want)) < 0)
		fail_msg("missing %s (VIOPERF_UPDATE_GOLDEN=1 writes it)", path);
	assert_string_equal(clean, want);
}

#endif
