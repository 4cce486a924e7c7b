/* Creating, configuring and binding the VFs of one PF, and putting back
 * exactly what was there before. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "jscan.h"
#include "ktopo.h"
#include "sriov.h"

static const char *const vf_macs[SRIOV_NB_VFS] = {
	"02:56:50:00:00:01",	/* pkt_cfg_default source */
	"02:56:50:00:00:02",	/* pkt_cfg_default destination */
};

const char *sriov_vfs_mac(int i)
{
	return i >= 0 && i < SRIOV_NB_VFS ? vf_macs[i] : NULL;
}

static int act_write(struct sriov_vfs *v, const char *path, const char *s)
{
	topo_action(&v->act, "sysfs write %s %s", path,
		    strcmp(s, "\n") ? s : "'\\n'");
	return v->act.dry_run ? 0 : sriov_write(path, s);
}

void sriov_vfs_print_end(const struct topology_cfg *cfg, const char *side,
			 const struct topo_end *e)
{
	char line[512];
	size_t used;

	used = (size_t)snprintf(line, sizeof(line), "end %s: %s", side,
				e->backend);
	for (int i = 0; i < e->nb_args && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 " %s", e->args[i]);
	topo_action(cfg, "%s", line);
}

int sriov_vfs_act(struct sriov_vfs *v, char *const argv[], char *out,
		  size_t outlen)
{
	char line[512] = "exec";
	int rc;

	for (int i = 0; argv[i]; i++) {
		size_t used = strlen(line);

		snprintf(line + used, sizeof(line) - used, " %s", argv[i]);
	}
	topo_action(&v->act, "%s", line);
	if (out && outlen)
		out[0] = '\0';
	if (v->act.dry_run)
		return 0;
	rc = sriov_run(argv, out, outlen);
	if (out && outlen) {
		size_t n = strlen(out);

		while (n && out[n - 1] == '\n')
			out[--n] = '\0';
	}
	return rc;
}

int sriov_vfs_conf_parse(const char *json, struct sriov_vf_conf *confs,
			 int max)
{
	struct jscan all, link, list, vf, x, it = { 0 };
	int nb = 0, rc;

	if (jscan_init(&all, json) || jscan_next(&all, &it, NULL, &link) != 1)
		return -EINVAL;
	if (jscan_get(&link, "vfinfo_list", &list))
		return 0;
	memset(&it, 0, sizeof(it));
	while ((rc = jscan_next(&list, &it, NULL, &vf)) > 0) {
		struct sriov_vf_conf *c;
		struct jscan vl, v0, it2 = { 0 };
		uint64_t n;

		if (jscan_get(&vf, "vf", &x) || jscan_u64(&x, &n) ||
		    n >= (uint64_t)max)
			continue;
		c = &confs[n];
		memset(c, 0, sizeof(*c));
		c->spoofchk = c->trust = -1;
		if (jscan_get(&vf, "address", &x) == 0)
			jscan_str(&x, c->mac, sizeof(c->mac));
		if (jscan_get(&vf, "vlan_list", &vl) == 0 &&
		    jscan_next(&vl, &it2, NULL, &v0) == 1) {
			if (jscan_get(&v0, "vlan", &x) == 0 &&
			    jscan_u64(&x, &n) == 0)
				c->vlan = (unsigned)n;
			if (jscan_get(&v0, "qos", &x) == 0 &&
			    jscan_u64(&x, &n) == 0)
				c->qos = (unsigned)n;
		}
		if (jscan_get(&vf, "spoofchk", &x) == 0)
			c->spoofchk = jscan_bool(&x);
		if (jscan_get(&vf, "trust", &x) == 0)
			c->trust = jscan_bool(&x);
		nb++;
	}
	return rc < 0 ? rc : nb;
}

/* Remember what the VFs a reset will destroy had set (read-only, so it
 * runs in dry-run too). */
static void save_confs(struct sriov_vfs *v)
{
	char *out = malloc(65536);
	char *argv[] = { "ip", "-j", "link", "show", "dev", v->pf.ifname,
			 NULL };
	int nb;

	if (!out)
		return;
	if (sriov_run(argv, out, 65536) == 0) {
		nb = sriov_vfs_conf_parse(out, v->saved, SRIOV_MAX_SAVED_VFS);
		v->nb_saved = nb < 0 ? 0 : nb;
	}
	if (!v->nb_saved)
		util_info("%s: could not read its VFs' settings (ip -j link "
			  "show dev %s); they will come back with defaults",
			  v->pf.ifname, v->pf.ifname);
	free(out);
}

static int pf_is_up(const char *sysfs, const char *ifname)
{
	char path[PATH_MAX], buf[32];

	snprintf(path, sizeof(path), "%s/class/net/%s/flags", sysfs, ifname);
	if (util_read_file(path, buf, sizeof(buf)) <= 0)
		return 1;	/* unknown: leave the link alone */
	return strtoul(buf, NULL, 0) & 1;	/* IFF_UP */
}

static int set_link(struct sriov_vfs *v, const char *state)
{
	char *argv[] = { "ip", "link", "set", "dev", v->pf.ifname, (char *)state,
			 NULL };

	return sriov_vfs_act(v, argv, NULL, 0);
}

static int write_nb_vfs(struct sriov_vfs *v, unsigned nb, char *why,
			size_t len)
{
	char path[PATH_MAX], val[16];
	int rc;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/sriov_numvfs",
		 v->sysfs, v->pf.pci);
	snprintf(val, sizeof(val), "%u", nb);
	rc = act_write(v, path, val);
	if (rc < 0)
		return util_why(why, len, rc, "%s: writing %u to %s failed: %s "
				"(is the PF's driver SR-IOV capable and are VFs "
				"enabled in its firmware/BIOS?)", v->pf.ifname,
				nb, path, strerror(-rc));
	return 0;
}

static int set_eswitch(struct sriov_vfs *v, const char *mode, char *why,
		       size_t len)
{
	char dev[32], out[1024];
	char *argv[] = { "devlink", "dev", "eswitch", "set", dev, "mode",
			 (char *)mode, NULL };
	int rc;

	snprintf(dev, sizeof(dev), "pci/%s", v->pf.pci);
	rc = sriov_vfs_act(v, argv, out, sizeof(out));
	if (rc != 0)
		return util_why(why, len, rc < 0 ? rc : EIO,
				"%s: devlink dev eswitch set %s mode %s failed: "
				"%s", v->pf.ifname, dev, mode,
				rc < 0 ? strerror(-rc) : out);
	return 0;
}

/* ip link set dev PF vf I <what...>; required settings fail the setup,
 * the others are noted (not every driver has trust or spoofchk). */
static int vf_set(struct sriov_vfs *v, int i, const char *key,
		  const char *val, int required, char *why, size_t len)
{
	char idx[12], out[1024];
	char *argv[] = { "ip", "link", "set", "dev", v->pf.ifname, "vf", idx,
			 (char *)key, (char *)val, NULL };
	int rc;

	snprintf(idx, sizeof(idx), "%d", i);
	rc = sriov_vfs_act(v, argv, out, sizeof(out));
	if (rc == 0)
		return 0;
	if (!required) {
		util_info("%s: ip link set dev %s vf %d %s %s: %s (continuing)",
			  v->pf.ifname, v->pf.ifname, i, key, val,
			  rc < 0 ? strerror(-rc) : out);
		return 0;
	}
	return util_why(why, len, rc < 0 ? rc : EIO,
			"%s: ip link set dev %s vf %d %s %s failed: %s",
			v->pf.ifname, v->pf.ifname, i, key, val,
			rc < 0 ? strerror(-rc) : out);
}

static int bind_vfio(struct sriov_vfs *v, struct sriov_vf *vf, char *why,
		     size_t len)
{
	char path[PATH_MAX], drv[32];
	int rc;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", v->sysfs,
		 vf->pci);
	sriov_link_name(path, vf->orig_driver, sizeof(vf->orig_driver));
	if (vf->pci[0] == '<')	/* dry-run, VF not created: autoprobe binds it */
		util_strlcpy(vf->orig_driver, "<VF driver>",
			     sizeof(vf->orig_driver));
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override",
		 v->sysfs, vf->pci);
	rc = act_write(v, path, "vfio-pci");
	if (rc < 0)
		return util_why(why, len, rc, "VF %s: writing vfio-pci to %s "
				"failed: %s", vf->pci, path, strerror(-rc));
	vf->overridden = 1;
	if (vf->orig_driver[0] && strcmp(vf->orig_driver, "vfio-pci")) {
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver/unbind",
			 v->sysfs, vf->pci);
		rc = act_write(v, path, vf->pci);
		if (rc < 0)
			return util_why(why, len, rc, "VF %s: unbinding it from "
					"%s failed: %s", vf->pci,
					vf->orig_driver, strerror(-rc));
	}
	vf->bound = 1;
	if (!strcmp(vf->orig_driver, "vfio-pci"))
		return 0;
	snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe", v->sysfs);
	rc = act_write(v, path, vf->pci);
	if (v->act.dry_run)
		return 0;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", v->sysfs,
		 vf->pci);
	sriov_link_name(path, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci"))
		return util_why(why, len, rc < 0 ? rc : EIO,
				"VF %s did not bind to vfio-pci (driver now: "
				"%s%s%s); check dmesg: the VF needs an IOMMU "
				"group of its own (ACS) or vfio noiommu mode",
				vf->pci, drv[0] ? drv : "none",
				rc < 0 ? ", drivers_probe: " : "",
				rc < 0 ? strerror(-rc) : "");
	return 0;
}

int sriov_vfs_setup(struct sriov_vfs *v, const struct topology_cfg *cfg,
		    const struct sriov_scan *scan, const char *eswitch,
		    int bind, char *why, size_t len)
{
	int rc;

	if (scan->chosen < 0)
		return util_why(why, len, ENODEV, "no SR-IOV PF chosen");
	rc = util_strlcpy(v->sysfs, cfg->host->sysfs, sizeof(v->sysfs));
	if (rc < 0)
		return util_why(why, len, rc, "sysfs path too long");
	v->act.dry_run = cfg->dry_run;
	v->pf = scan->pf[scan->chosen];
	v->orig_nb_vfs = v->pf.nb_vfs;
	v->hugepages = scan->has_hugepages;
	{
		const char *force = getenv("VIOPERF_NO_HUGE");

		if (force && *force && strcmp(force, "0"))
			v->hugepages = 0;
	}
	util_strlcpy(v->tag, cfg->tag ? cfg->tag : "x", sizeof(v->tag));
	bind = bind && !sriov_bifurcated(v->pf.driver);

	if (!pf_is_up(v->sysfs, v->pf.ifname)) {
		rc = set_link(v, "up");
		if (rc != 0)
			return util_why(why, len, rc < 0 ? rc : EIO,
					"%s: ip link set dev %s up failed",
					v->pf.ifname, v->pf.ifname);
		v->pf_set_up = 1;
	}
	if (bind && !scan->has_vfio) {
		char *argv[] = { "modprobe", "vfio-pci", NULL };
		char out[512];

		rc = sriov_vfs_act(v, argv, out, sizeof(out));
		if (rc != 0)
			return util_why(why, len, rc < 0 ? rc : EIO,
					"modprobe vfio-pci failed: %s",
					rc < 0 ? strerror(-rc) : out);
		v->vfio_loaded = 1;
	}
	if (v->pf.nb_vfs) {
		/* the scan allowed the reset (--pf, --allow-vf-reset) */
		save_confs(v);
		v->nb_vfs_written = 1;
		rc = write_nb_vfs(v, 0, why, len);
		if (rc < 0)
			return rc;
	}
	if (eswitch && v->eswitch_orig[0] && strcmp(eswitch, v->eswitch_orig)) {
		rc = set_eswitch(v, eswitch, why, len);
		if (rc < 0) {
			v->eswitch_orig[0] = '\0';
			return rc;
		}
	} else {
		v->eswitch_orig[0] = '\0';
	}
	v->nb_vfs_written = 1;
	rc = write_nb_vfs(v, SRIOV_NB_VFS, why, len);
	if (rc < 0)
		return rc;
	for (int i = 0; i < SRIOV_NB_VFS; i++) {
		rc = vf_set(v, i, "mac", vf_macs[i], 1, why, len);
		if (rc == 0)
			rc = vf_set(v, i, "spoofchk", "off", 0, why, len);
		if (rc == 0)
			rc = vf_set(v, i, "trust", "on", 0, why, len);
		if (rc < 0)
			return rc;
	}
	topo_action(&v->act, "# <virtfnN> stands for the PCI address of the "
		    "PF's virtfnN once it exists");
	for (int i = 0; i < SRIOV_NB_VFS; i++) {
		struct sriov_vf *vf = &v->vf[i];
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/virtfn%d",
			 v->sysfs, v->pf.pci, i);
		if (sriov_link_name(path, vf->pci, sizeof(vf->pci)) < 0) {
			if (!v->act.dry_run)
				return util_why(why, len, ENODEV,
						"%s: VF %d did not appear (%s "
						"missing after writing "
						"sriov_numvfs)", v->pf.ifname,
						i, path);
			snprintf(vf->pci, sizeof(vf->pci), "<virtfn%c>",
				 (char)('0' + i));
		}
		v->nb_vfs = i + 1;
		if (bind) {
			rc = bind_vfio(v, vf, why, len);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int sriov_vfs_end(struct sriov_vfs *v, int i, struct topo_end *e)
{
	int rc;

	if (i < 0 || i >= v->nb_vfs)
		return -EINVAL;
	util_strlcpy(e->backend, "dpdk", sizeof(e->backend));
	/* the NIC's switch forwards by MAC: senders address this VF */
	util_strlcpy(e->mac, vf_macs[i], sizeof(e->mac));
	rc = topo_end_arg(e, "-a");
	rc = rc ? rc : topo_end_arg(e, "%s", v->vf[i].pci);
	rc = rc ? rc : topo_end_arg(e, "--no-telemetry");
	if (v->hugepages)
		return rc ? rc : topo_end_arg(e, "--in-memory");
	rc = rc ? rc : topo_end_arg(e, "--no-huge");
	rc = rc ? rc : topo_end_arg(e, "-m");
	rc = rc ? rc : topo_end_arg(e, "256");
	rc = rc ? rc : topo_end_arg(e, "--file-prefix");
	rc = rc ? rc : topo_end_arg(e, "vioperf-%s-vf%d", v->tag, i);
	if (rc == 0)
		v->prefixes |= 1u << i;
	return rc;
}

static void restore_vf(struct sriov_vfs *v, struct sriov_vf *vf)
{
	char path[PATH_MAX];
	int rc;

	if (vf->overridden) {
		snprintf(path, sizeof(path),
			 "%s/bus/pci/devices/%s/driver_override", v->sysfs,
			 vf->pci);
		rc = act_write(v, path, "\n");
		if (rc < 0 && rc != -ENOENT)
			util_errno(rc, "VF %s: clearing %s", vf->pci, path);
		vf->overridden = 0;
	}
	if (vf->bound) {
		if (strcmp(vf->orig_driver, "vfio-pci")) {
			snprintf(path, sizeof(path),
				 "%s/bus/pci/drivers/vfio-pci/unbind", v->sysfs);
			rc = act_write(v, path, vf->pci);
			if (rc < 0 && rc != -ENODEV && rc != -ENOENT)
				util_errno(rc, "VF %s: unbinding vfio-pci",
					   vf->pci);
		}
		if (vf->orig_driver[0] && strcmp(vf->orig_driver, "vfio-pci")) {
			snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe",
				 v->sysfs);
			rc = act_write(v, path, vf->pci);
			if (rc < 0)
				util_errno(rc, "VF %s: probing %s again",
					   vf->pci, vf->orig_driver);
		}
		vf->bound = 0;
	}
}

/* Give the recreated VFs back what an administrator had set. */
static void restore_confs(struct sriov_vfs *v)
{
	char why[256];
	int nb = v->nb_saved < (int)v->orig_nb_vfs ? v->nb_saved :
						     (int)v->orig_nb_vfs;

	for (int i = 0; i < nb; i++) {
		const struct sriov_vf_conf *c = &v->saved[i];
		char vlan[16], qos[16];

		if (c->mac[0] && strcmp(c->mac, "00:00:00:00:00:00"))
			vf_set(v, i, "mac", c->mac, 0, why, sizeof(why));
		if (c->vlan) {
			char idx[12];
			char *argv[] = { "ip", "link", "set", "dev", v->pf.ifname,
					 "vf", idx, "vlan", vlan, "qos", qos,
					 NULL };

			snprintf(idx, sizeof(idx), "%d", i);
			snprintf(vlan, sizeof(vlan), "%u", c->vlan);
			snprintf(qos, sizeof(qos), "%u", c->qos);
			if (sriov_vfs_act(v, argv, NULL, 0) != 0)
				util_err("%s: restoring vf %d vlan %u failed",
					 v->pf.ifname, i, c->vlan);
		}
		if (c->spoofchk >= 0)
			vf_set(v, i, "spoofchk", c->spoofchk ? "on" : "off", 0,
			       why, sizeof(why));
		if (c->trust >= 0)
			vf_set(v, i, "trust", c->trust ? "on" : "off", 0, why,
			       sizeof(why));
	}
	v->nb_saved = 0;
}

void sriov_vfs_restore(struct sriov_vfs *v)
{
	char why[256];

	for (int i = 0; i < SRIOV_NB_VFS; i++) {
		char dir[PATH_MAX];

		if (!(v->prefixes & 1u << i))
			continue;
		snprintf(dir, sizeof(dir), "%s/vioperf-%s-vf%d",
			 KTOPO_DPDK_RUN_DIR, v->tag, i);
		topo_action(&v->act, "rm -rf %s", dir);
		if (!v->act.dry_run)
			(void)util_rm_rf(dir);
	}
	v->prefixes = 0;
	for (int i = v->nb_vfs - 1; i >= 0; i--)
		restore_vf(v, &v->vf[i]);
	v->nb_vfs = 0;
	if (v->nb_vfs_written) {
		if (write_nb_vfs(v, 0, why, sizeof(why)) < 0)
			util_err("%s", why);
	}
	if (v->eswitch_orig[0]) {
		if (set_eswitch(v, v->eswitch_orig, why, sizeof(why)) < 0)
			util_err("%s", why);
		v->eswitch_orig[0] = '\0';
	}
	if (v->nb_vfs_written) {
		if (v->orig_nb_vfs &&
		    write_nb_vfs(v, v->orig_nb_vfs, why, sizeof(why)) < 0)
			util_err("%s", why);
		else
			restore_confs(v);
		v->nb_vfs_written = 0;
	}
	if (v->pf_set_up) {
		if (set_link(v, "down") != 0)
			util_err("%s: ip link set dev %s down failed",
				 v->pf.ifname, v->pf.ifname);
		v->pf_set_up = 0;
	}
	if (v->vfio_loaded) {
		char *argv[] = { "modprobe", "-r", "vfio-pci", NULL };

		/* still in use by someone else: leave it loaded */
		sriov_vfs_act(v, argv, NULL, 0);
		v->vfio_loaded = 0;
	}
}
