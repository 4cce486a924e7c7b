/* Finding an SR-IOV physical function this host lets vioperf use. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../harness/util.h"
#include "jscan.h"
#include "sriov.h"

static struct sriov_sys sys_now = { util_run, util_write_file };

void sriov_set_sys(const struct sriov_sys *sys)
{
	sys_now.run = sys && sys->run ? sys->run : util_run;
	sys_now.write = sys && sys->write ? sys->write : util_write_file;
}

int sriov_run(char *const argv[], char *out, size_t outlen)
{
	return sys_now.run(argv, out, outlen);
}

int sriov_write(const char *path, const char *s)
{
	return sys_now.write(path, s);
}

int sriov_link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *b;

	buf[0] = '\0';
	if (n < 0)
		return -errno;
	target[n] = '\0';
	b = strrchr(target, '/');
	return util_strlcpy(buf, b ? b + 1 : target, len);
}

static int read_uint(const char *path, unsigned *out)
{
	char buf[32];
	uint64_t v;
	int rc = util_read_file(path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	rc = util_parse_u64(buf, 0, UINT_MAX, 0, &v);
	if (rc == 0)
		*out = (unsigned)v;
	return rc;
}

static int dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		found = e->d_name[0] != '.';
	closedir(d);
	return found;
}

/* A VF representor ("pf0vf3", "c1pf0vf3") shares its PF's device. */
static int is_representor(const char *sysfs, const char *ifname)
{
	char path[PATH_MAX], name[64];

	snprintf(path, sizeof(path), "%s/class/net/%s/phys_port_name", sysfs,
		 ifname);
	if (util_read_file(path, name, sizeof(name)) <= 0)
		return 0;
	return strstr(name, "vf") != NULL || strstr(name, "sf") != NULL;
}

int sriov_has_addr(const char *ifname)
{
	char out[16384];
	char *argv[] = { "ip", "-j", "addr", "show", "dev", (char *)ifname,
			 NULL };
	struct jscan all, link, addrs, it = { 0 }, a, scope;
	int rc = sriov_run(argv, out, sizeof(out));

	if (rc != 0)
		return rc < 0 ? rc : -EIO;
	if (jscan_init(&all, out) || jscan_next(&all, &it, NULL, &link) != 1 ||
	    jscan_get(&link, "addr_info", &addrs))
		return -EINVAL;
	memset(&it, 0, sizeof(it));
	while ((rc = jscan_next(&addrs, &it, NULL, &a)) > 0) {
		if (jscan_get(&a, "scope", &scope) ||
		    (!jscan_str_eq(&scope, "link") &&
		     !jscan_str_eq(&scope, "host")))
			return 1;
	}
	return rc < 0 ? rc : 0;
}

int sriov_has_default_route(const struct host *h, const char *ifname)
{
	char path[PATH_MAX], line[512];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/net/route", h->proc);
	f = fopen(path, "re");
	if (f) {
		while (!found && fgets(line, sizeof(line), f)) {
			char dev[IF_NAMESIZE + 1], dst[16], gw[16], flags[16],
				refcnt[16], use[16], metric[16], mask[16];

			if (sscanf(line, "%16s %15s %15s %15s %15s %15s %15s %15s",
				   dev, dst, gw, flags, refcnt, use, metric,
				   mask) == 8 &&
			    !strcmp(dev, ifname) && !strcmp(dst, "00000000") &&
			    !strcmp(mask, "00000000"))
				found = 1;
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/net/ipv6_route", h->proc);
	f = fopen(path, "re");
	if (f) {
		while (!found && fgets(line, sizeof(line), f)) {
			char dst[40], plen[8], dev[IF_NAMESIZE + 1];
			char *last = strrchr(line, ' ');

			if (!last || sscanf(line, "%39s %7s", dst, plen) != 2 ||
			    sscanf(last, "%16s", dev) != 1)
				continue;
			if (!strcmp(dev, ifname) && !strcmp(plen, "00") &&
			    strspn(dst, "0") == 32)
				found = 1;
		}
		fclose(f);
	}
	return found;
}

static int modules_has_vfio(const char *sysfs)
{
	char root[PATH_MAX], path[PATH_MAX + 128], *slash;
	struct utsname u;
	FILE *f;
	char line[512];
	int found = 0;

	if (util_strlcpy(root, sysfs, sizeof(root)) || uname(&u))
		return 0;
	slash = strrchr(root, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/lib/modules/%s/modules.dep", root,
		 u.release);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "/vfio-pci.ko") != NULL &&
			strchr(line, ':') > strstr(line, "/vfio-pci.ko");
	fclose(f);
	return found;
}

static void scan_host(const struct host *h, struct sriov_scan *s)
{
	char path[PATH_MAX], buf[512];

	snprintf(path, sizeof(path), "%s/kernel/iommu_groups", h->sysfs);
	s->has_iommu = dir_has_entries(path);
	snprintf(path, sizeof(path),
		 "%s/module/vfio/parameters/enable_unsafe_noiommu_mode",
		 h->sysfs);
	s->has_noiommu = util_read_file(path, buf, sizeof(buf)) > 0 &&
			 (buf[0] == 'Y' || buf[0] == '1');
	snprintf(path, sizeof(path), "%s/bus/pci/drivers/vfio-pci", h->sysfs);
	s->has_vfio = access(path, F_OK) == 0;
	s->has_vfio_module = !s->has_vfio && modules_has_vfio(h->sysfs);
	snprintf(path, sizeof(path), "%s/mounts", h->proc);
	{
		FILE *f = fopen(path, "re");

		while (f && fgets(buf, sizeof(buf), f))
			if (strstr(buf, " hugetlbfs "))
				s->has_hugepages = 1;
		if (f)
			fclose(f);
	}
	if (!s->has_iommu && !s->has_noiommu)
		snprintf(s->problem, sizeof(s->problem),
			 "no IOMMU groups under %s/kernel/iommu_groups (enable "
			 "VT-d/AMD-Vi and boot with intel_iommu=on or "
			 "amd_iommu=on)", h->sysfs);
	else if (!s->has_vfio && !s->has_vfio_module)
		snprintf(s->problem, sizeof(s->problem),
			 "vfio-pci is neither loaded nor installed (modprobe "
			 "vfio-pci; kernel CONFIG_VFIO_PCI)");
}

static void scan_pf(const struct host *h, const char *ifname,
		    struct sriov_pf *pf)
{
	char path[PATH_MAX], buf[64];

	memset(pf, 0, sizeof(*pf));
	util_strlcpy(pf->ifname, ifname, sizeof(pf->ifname));
	snprintf(path, sizeof(path), "%s/class/net/%s/device", h->sysfs, ifname);
	sriov_link_name(path, pf->pci, sizeof(pf->pci));
	snprintf(path, sizeof(path), "%s/class/net/%s/device/driver", h->sysfs,
		 ifname);
	sriov_link_name(path, pf->driver, sizeof(pf->driver));
	snprintf(path, sizeof(path), "%s/class/net/%s/operstate", h->sysfs,
		 ifname);
	if (util_read_file(path, pf->operstate, sizeof(pf->operstate)) < 0)
		util_strlcpy(pf->operstate, "unknown", sizeof(pf->operstate));
	snprintf(path, sizeof(path), "%s/class/net/%s/device/sriov_totalvfs",
		 h->sysfs, ifname);
	read_uint(path, &pf->nb_vfs_total);
	snprintf(path, sizeof(path), "%s/class/net/%s/device/sriov_numvfs",
		 h->sysfs, ifname);
	read_uint(path, &pf->nb_vfs);
	snprintf(path, sizeof(path), "%s/class/net/%s/device/iommu_group",
		 h->sysfs, ifname);
	pf->iommu_group = sriov_link_name(path, buf, sizeof(buf)) == 0 ?
			  atoi(buf) : -1;
	snprintf(path, sizeof(path), "%s/class/net/%s/master", h->sysfs, ifname);
	sriov_link_name(path, pf->master, sizeof(pf->master));
	pf->has_addr = sriov_has_addr(ifname);
	pf->has_default_route = sriov_has_default_route(h, ifname);
}

static void judge_pf(struct sriov_pf *pf, const char *allowed_pf,
		     int allow_vf_reset)
{
	int named = allowed_pf && !strcmp(allowed_pf, pf->ifname);
	char r[sizeof(pf->refusal)] = "";
	size_t n = sizeof(r);

	if (allowed_pf && !named)
		snprintf(r, n, "not the PF given with --pf");
	else if (!pf->driver[0])
		snprintf(r, n, "no driver bound to %s (bind its NIC driver)",
			 pf->pci);
	else if (pf->nb_vfs_total < SRIOV_NB_VFS)
		snprintf(r, n, "supports %u VF(s), %d needed",
			 pf->nb_vfs_total, SRIOV_NB_VFS);
	else if (pf->has_addr < 0 && !named)
		snprintf(r, n, "its addresses could not be checked (ip -j addr "
			 "show dev %s failed; pass --pf %s to use it anyway)",
			 pf->ifname, pf->ifname);
	else if (pf->has_addr > 0 && !named)
		snprintf(r, n, "carries an IP address (pass --pf %s to use it "
			 "anyway)", pf->ifname);
	else if (pf->has_default_route && !named)
		snprintf(r, n, "carries the default route (pass --pf %s to use "
			 "it anyway)", pf->ifname);
	else if (pf->master[0] && !named)
		snprintf(r, n, "is a port of %s, which may carry this host's "
			 "traffic (pass --pf %s to use it anyway)", pf->master,
			 pf->ifname);
	else if (pf->nb_vfs && !(named && allow_vf_reset))
		snprintf(r, n, "already has %u VFs (pass --pf %s "
			 "--allow-vf-reset to destroy and recreate them)",
			 pf->nb_vfs, pf->ifname);
	memcpy(pf->refusal, r, sizeof(r));
}

int sriov_emulated(void)
{
	const char *lab = getenv("VIOPERF_LAB");

	return lab && !strcmp(lab, "1");
}

int sriov_bifurcated(const char *drv)
{
	return !strcmp(drv, "mlx5_core") || !strcmp(drv, "mlx4_core");
}

int sriov_scan(const struct host *h, const char *allowed_pf,
	       int allow_vf_reset, struct sriov_scan *s)
{
	char path[PATH_MAX];
	struct dirent **names;
	int nb;

	memset(s, 0, sizeof(*s));
	s->chosen = -1;
	if (allowed_pf)
		util_strlcpy(s->allowed, allowed_pf, sizeof(s->allowed));
	scan_host(h, s);
	snprintf(path, sizeof(path), "%s/class/net", h->sysfs);
	nb = scandir(path, &names, NULL, alphasort);
	if (nb < 0)
		return -errno;
	for (int i = 0; i < nb; i++) {
		const char *ifname = names[i]->d_name;
		char tv[PATH_MAX + 300];
		unsigned total = 0;
		struct sriov_pf *pf = &s->pf[s->nb_pfs];
		int dup = 0;

		snprintf(tv, sizeof(tv), "%s/%s/device/sriov_totalvfs", path,
			 ifname);
		if (ifname[0] == '.' || s->nb_pfs == SRIOV_MAX_PFS ||
		    read_uint(tv, &total) || !total ||
		    is_representor(h->sysfs, ifname))
			continue;
		scan_pf(h, ifname, pf);
		/* one netdev per PCI function (multi-port cards) */
		for (int j = 0; j < s->nb_pfs; j++)
			dup |= !strcmp(s->pf[j].pci, pf->pci);
		if (dup)
			continue;
		judge_pf(pf, allowed_pf, allow_vf_reset);
		if (!pf->refusal[0] && s->chosen < 0 &&
		    (!s->problem[0] || sriov_bifurcated(pf->driver)))
			s->chosen = s->nb_pfs;
		s->nb_pfs++;
	}
	for (int i = 0; i < nb; i++)
		free(names[i]);
	free(names);
	return 0;
}

int sriov_scan_alloc(const struct host *h, const char *allowed_pf,
		     int allow_vf_reset, const char *name,
		     struct sriov_scan **out, char *why, size_t len)
{
	struct sriov_scan *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return util_why(why, len, ENOMEM, "%s: out of memory", name);
	rc = sriov_scan(h, allowed_pf, allow_vf_reset, s);
	if (rc < 0) {
		free(s);
		return util_why(why, len, rc, "%s: cannot read %s/class/net "
				"(%s)", name, h->sysfs, strerror(-rc));
	}
	*out = s;
	return 0;
}

static void append(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

static void append_pf(char *why, size_t len, const struct sriov_pf *pf)
{
	append(why, len, "%s (%s, %s, %u/%u VFs, link %s)", pf->ifname, pf->pci,
	       pf->driver[0] ? pf->driver : "no driver", pf->nb_vfs,
	       pf->nb_vfs_total, pf->operstate);
}

int sriov_scan_why(const struct host *h, const struct sriov_scan *s,
		   const char *name, char *why, size_t len)
{
	int rc;

	if (!why || !len)
		return -EINVAL;
	why[0] = '\0';
	if (!s->nb_pfs)
		return util_why(why, len, ENODEV,
				"%s: no SR-IOV capable NIC (no %s/class/net/*/"
				"device/sriov_totalvfs > 0)", name, h->sysfs);
	if (s->allowed[0] && s->chosen < 0) {
		int found = 0;

		for (int i = 0; i < s->nb_pfs; i++)
			found |= !strcmp(s->pf[i].ifname, s->allowed);
		if (!found)
			return util_why(why, len, ENODEV, "%s: --pf %s is not an "
					"SR-IOV PF (no %s/class/net/%s/device/"
					"sriov_totalvfs > 0)", name, s->allowed,
					h->sysfs, s->allowed);
	}
	if (s->chosen >= 0) {
		append(why, len, "%s: would use ", name);
		append_pf(why, len, &s->pf[s->chosen]);
		rc = 0;
	} else if (s->problem[0]) {
		append(why, len, "%s: %s; PFs: ", name, s->problem);
		rc = -ENOTSUP;
	} else {
		append(why, len, "%s: no usable SR-IOV PF: ", name);
		rc = -EPERM;
	}
	for (int i = 0, first = 1; i < s->nb_pfs; i++) {
		const struct sriov_pf *pf = &s->pf[i];

		if (i == s->chosen)
			continue;
		append(why, len, rc == 0 && first ? "; not " : first ? "" : "; ");
		append_pf(why, len, pf);
		if (pf->refusal[0])
			append(why, len, ": %s", pf->refusal);
		first = 0;
	}
	return rc;
}
