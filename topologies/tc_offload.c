/* tc-offload: OVS-style forwarding between two VMs on a switchdev SmartNIC.
 * Two VFs (DPDK engines on vfio-pci, as sriov-vf) and their representors;
 * tc flower rules with skip_sw between the representors, so the NIC's
 * eswitch moves the packets (variant "flower"). tc-offload-vxlan puts a
 * VXLAN encap rule (tunnel_key set) on one representor and the decap rule
 * (tunnel_key unset) on a vxlan device, the case NICs find hard to offload;
 * it needs the uplink looped back (cable or switch hairpin) to carry
 * traffic.
 *
 * Every rule must end up in hardware: after setup each one is read back
 * (tc -j -s filter show) and one that is not in_hw, or that the kernel
 * refused, fails setup with the kernel's message. Never a silently slower
 * software path: that is tc-sw. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"
#include "jscan.h"
#include "sriov.h"
#include "tc_filter.h"
#include "topology.h"

#define TC_OFF_MAX_DEVS 3
#define TC_OFF_MAX_RULES 8
#define TC_OFF_VNI "42"
#define TC_OFF_LOCAL_IP "198.18.255.1"
#define TC_OFF_REMOTE_IP "198.18.255.2"

struct tc_off {
	struct sriov_vfs vfs;
	char rep[SRIOV_NB_VFS][IF_NAMESIZE];
	int rep_set_up[SRIOV_NB_VFS];
	int rep_tc_on[SRIOV_NB_VFS];
	char vx[IF_NAMESIZE];
	int vx_added, addr_added, neigh_added;
	int nb_qdiscs;
	char qdisc_dev[TC_OFF_MAX_DEVS][IF_NAMESIZE];
	int nb_rule_devs;
	char rule_dev[TC_OFF_MAX_DEVS][IF_NAMESIZE];
	char rule_msg[TC_OFF_MAX_DEVS][256];	/* what tc add printed */
};

/* Tool output as one line for a message: JSON lines dropped (devlink
 * prints '{"dev":{}}' beside its error), newlines joined, blanks trimmed. */
static void one_line(char *s)
{
	char *w = s, *line = s;

	while (*line) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n && line[0] != '{' && line[0] != '[') {
			if (w != s)
				*w++ = ' ';
			memmove(w, line, n);
			w += n;
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	*w = '\0';
}

/* Current devlink eswitch mode of pci into mode; 0, or -errno with the
 * tool's own message in msg. */
static int eswitch_mode(const char *pci, char *mode, size_t mlen, char *msg,
			size_t msglen)
{
	char dev[32], out[2048];
	char *argv[] = { "devlink", "-j", "dev", "eswitch", "show", dev, NULL };
	struct jscan all, devs, it = { 0 }, one, m;
	int rc;

	snprintf(dev, sizeof(dev), "pci/%s", pci);
	rc = sriov_run(argv, out, sizeof(out));
	if (rc == 127 || rc == -ENOENT)
		return util_why(msg, msglen, ENOENT, "devlink is not installed "
				"(apt-get install iproute2)");
	if (rc != 0) {
		one_line(out);
		return util_why(msg, msglen, ENOTSUP, "devlink dev eswitch show "
				"%s: %s", dev, out[0] ? out : "failed");
	}
	if (jscan_init(&all, out) || jscan_get(&all, "dev", &devs) ||
	    jscan_next(&devs, &it, NULL, &one) != 1 ||
	    jscan_get(&one, "mode", &m) || jscan_str(&m, mode, mlen))
		return util_why(msg, msglen, EINVAL, "devlink dev eswitch show "
				"%s: unexpected output: %.200s", dev, out);
	return 0;
}

/* hw-tc-offload of dev per `ethtool -k`: 1 on, 0 off (can be turned on),
 * or -errno with the reason in msg. */
static int tc_offload_feature(const char *dev, char *msg, size_t msglen)
{
	char out[8192];
	char *argv[] = { "ethtool", "-k", (char *)dev, NULL };
	const char *p;
	int rc = sriov_run(argv, out, sizeof(out));

	if (rc == 127 || rc == -ENOENT)
		return util_why(msg, msglen, ENOENT, "ethtool is not installed "
				"(apt-get install ethtool; needed to check "
				"hw-tc-offload)");
	if (rc != 0) {
		one_line(out);
		return util_why(msg, msglen, EIO, "ethtool -k %s: %s", dev, out);
	}
	p = strstr(out, "hw-tc-offload: ");
	if (!p)
		return util_why(msg, msglen, ENOTSUP, "%s has no hw-tc-offload "
				"feature (ethtool -k %s)", dev, dev);
	p += strlen("hw-tc-offload: ");
	if (!strncmp(p, "on", 2))
		return 1;
	if (!strncmp(p, "off [fixed]", 11))
		return util_why(msg, msglen, ENOTSUP, "%s: hw-tc-offload is off "
				"[fixed] (the driver cannot offload tc rules)",
				dev);
	return 0;
}

/* Pick, among the PFs the scan allows, the first whose eswitch devlink
 * can show; fills mode. 0, or -errno with the reason in why. */
static int choose_pf(const struct host *h, struct sriov_scan *s,
		     const char *name, char *mode, size_t mlen, char *why,
		     size_t len)
{
	char msg[256], all[768] = "";
	int rc = sriov_scan_why(h, s, name, why, len);

	if (rc < 0)
		return rc;
	for (int i = 0; i < s->nb_pfs; i++) {
		struct sriov_pf *pf = &s->pf[i];
		size_t used = strlen(all);

		if (pf->refusal[0])
			continue;
		rc = eswitch_mode(pf->pci, mode, mlen, msg, sizeof(msg));
		if (rc == 0) {
			s->chosen = i;
			rc = tc_offload_feature(pf->ifname, msg, sizeof(msg));
			if (rc < 0)
				return util_why(why, len, rc, "%s: %s", name,
						msg);
			return util_why(why, len, 0, "%s: would use %s (%s, %s, "
					"eswitch %s, hw-tc-offload %s)", name,
					pf->ifname, pf->pci, pf->driver, mode,
					rc ? "on" : "off");
		}
		snprintf(all + used, sizeof(all) - used, "%s%s (%s, %s): %s",
			 used ? "; " : "", pf->ifname, pf->pci, pf->driver, msg);
	}
	return util_why(why, len, ENOTSUP, "%s: no switchdev-capable PF: %s "
			"(tc-offload needs a NIC whose eswitch devlink can put "
			"in switchdev mode, e.g. mlx5_core or ice)", name, all);
}

static int probe_named(const struct host *h, const char *name, char *why,
		       size_t len)
{
	struct sriov_scan *s;
	char mode[32];
	int rc = sriov_scan_alloc(h, NULL, 0, name, &s, why, len);

	if (rc == 0)
		rc = choose_pf(h, s, name, mode, sizeof(mode), why, len);
	free(s);
	return rc;
}

static int probe(const struct host *h, char *why, size_t len)
{
	return probe_named(h, "tc-offload", why, len);
}

static int probe_vxlan(const struct host *h, char *why, size_t len)
{
	return probe_named(h, "tc-offload-vxlan", why, len);
}

/* The representor netdev of VF vf of the PF at pci: a netdev on the PF's
 * PCI device whose phys_port_name is "pf<N>vf<vf>" (devlink's name, also
 * "c<C>pf<N>vf<vf>") or "pf<N>vfr<vf>" (ice's own). */
static int find_rep(const char *sysfs, const char *pci, int vf, char *ifname,
		    size_t len)
{
	char path[PATH_MAX];
	struct dirent **names;
	int nb, found = -ENOENT;

	snprintf(path, sizeof(path), "%s/class/net", sysfs);
	nb = scandir(path, &names, NULL, alphasort);
	if (nb < 0)
		return -errno;
	for (int i = 0; i < nb; i++) {
		char p[PATH_MAX + 300], dev[SRIOV_PCI_LEN], port[64];
		const char *pf;
		unsigned n, v;
		int end = 0;

		snprintf(p, sizeof(p), "%s/%s/device", path, names[i]->d_name);
		if (found == 0 || names[i]->d_name[0] == '.' ||
		    sriov_link_name(p, dev, sizeof(dev)) || strcmp(dev, pci))
			continue;
		snprintf(p, sizeof(p), "%s/%s/phys_port_name", path,
			 names[i]->d_name);
		if (util_read_file(p, port, sizeof(port)) <= 0)
			continue;
		pf = strstr(port, "pf");
		if (!pf || sscanf(pf, "pf%u%n", &n, &end) != 1 ||
		    strncmp(pf + end, "vf", 2))
			continue;
		pf += end + 2;
		pf += *pf == 'r';	/* ice without a devlink port: "pf0vfr3" */
		end = 0;
		if (sscanf(pf, "%u%n", &v, &end) == 1 && !pf[end] &&
		    (int)v == vf)
			found = util_strlcpy(ifname, names[i]->d_name, len);
	}
	for (int i = 0; i < nb; i++)
		free(names[i]);
	free(names);
	return found;
}

static int run_ok(struct tc_off *o, char *const argv[], const char *what,
		  char *why, size_t len)
{
	char out[1024];
	int rc = sriov_vfs_act(&o->vfs, argv, out, sizeof(out));

	if (rc == 0)
		return 0;
	one_line(out);
	return util_why(why, len, rc < 0 ? rc : EIO, "%s failed: %s", what,
			rc < 0 ? strerror(-rc) : out);
}

static int add_qdisc(struct tc_off *o, const char *dev, char *why, size_t len)
{
	char *argv[] = { "tc", "qdisc", "add", "dev", (char *)dev, "ingress",
			 NULL };
	int rc = run_ok(o, argv, "tc qdisc add ingress", why, len);

	if (rc == 0)
		util_strlcpy(o->qdisc_dev[o->nb_qdiscs++], dev, IF_NAMESIZE);
	return rc;
}

/* tc filter add dev DEV ingress protocol all prio 1 flower skip_sw
 * <match...> <actions...>; a refusal is the kernel's message. */
static int add_rule(struct tc_off *o, const char *dev, const char *const *tail,
		    char *why, size_t len)
{
	char *argv[40] = { "tc", "filter", "add", "dev", (char *)dev, "ingress",
			   "protocol", "all", "prio", "1", "flower", "skip_sw" };
	int n = 12, rc, d;
	char *msg;

	for (int i = 0; tail[i] && n < 39; i++)
		argv[n++] = (char *)tail[i];
	argv[n] = NULL;
	d = o->nb_rule_devs;
	for (int i = 0; i < o->nb_rule_devs; i++)
		if (!strcmp(o->rule_dev[i], dev))
			d = i;
	if (d == TC_OFF_MAX_DEVS)
		return util_why(why, len, E2BIG, "too many rule devices");
	msg = o->rule_msg[d];
	rc = sriov_vfs_act(&o->vfs, argv, msg, sizeof(o->rule_msg[d]));
	one_line(msg);
	if (rc != 0)
		return util_why(why, len, rc < 0 ? rc : EOPNOTSUPP,
				"rule on %s not offloaded (refused): %s", dev,
				rc < 0 ? strerror(-rc) : msg[0] ? msg :
				"(the kernel gave no message)");
	if (d == o->nb_rule_devs)
		util_strlcpy(o->rule_dev[o->nb_rule_devs++], dev, IF_NAMESIZE);
	return 0;
}

/* Read dev's ingress rules back into rules; count or -errno. */
static int read_rules(const char *dev, struct tc_filter_rule *rules, int max,
		      char *why, size_t len)
{
	char *out = malloc(65536);
	char *argv[] = { "tc", "-j", "-s", "filter", "show", "dev", (char *)dev,
			 "ingress", NULL };
	int rc;

	if (!out)
		return util_why(why, len, ENOMEM, "out of memory");
	rc = sriov_run(argv, out, 65536);
	if (rc != 0) {
		one_line(out);
		rc = util_why(why, len, rc < 0 ? rc : EIO, "tc -j -s filter show "
			      "dev %s ingress: %s", dev, out);
	} else {
		rc = tc_filter_parse(out, rules, max);
		if (rc < 0)
			util_why(why, len, rc, "tc -j -s filter show dev %s "
				 "ingress: output not understood", dev);
	}
	free(out);
	return rc;
}

static int verify_in_hw(struct tc_off *o, char *why, size_t len)
{
	struct tc_filter_rule rules[TC_OFF_MAX_RULES];

	for (int d = 0; d < o->nb_rule_devs; d++) {
		const char *dev = o->rule_dev[d];
		int nb;

		topo_action(&o->vfs.act, "exec tc -j -s filter show dev %s "
			    "ingress   # every rule must report in_hw", dev);
		if (o->vfs.act.dry_run)
			continue;
		nb = read_rules(dev, rules, TC_OFF_MAX_RULES, why, len);
		if (nb < 0)
			return nb;
		if (nb == 0)
			return util_why(why, len, ENOENT, "rule on %s not "
					"offloaded (not in_hw): the rule is "
					"gone (tc filter show lists none)", dev);
		for (int i = 0; i < nb; i++)
			if (!rules[i].in_hw)
				return util_why(why, len, EOPNOTSUPP, "rule on %s "
						"not offloaded (not in_hw): %s",
						dev, o->rule_msg[d][0] ?
						o->rule_msg[d] :
						"(the kernel gave no message)");
	}
	return 0;
}

static int prepare_rep(struct tc_off *o, const struct topology_cfg *cfg,
		       int i, char *why, size_t len)
{
	char msg[256];
	const char *rep;
	int rc = find_rep(cfg->host->sysfs, o->vfs.pf.pci, i, o->rep[i],
			  sizeof(o->rep[i]));

	/* representors appear (and get renamed by udev) shortly after the
	 * VFs: wait up to 2 s */
	for (int tries = 0; rc < 0 && !cfg->dry_run && tries < 20; tries++) {
		util_sleep_ns(100000000ull, NULL);
		rc = find_rep(cfg->host->sysfs, o->vfs.pf.pci, i, o->rep[i],
			      sizeof(o->rep[i]));
	}
	if (rc < 0 && !cfg->dry_run)
		return util_why(why, len, ENODEV, "no representor for VF %d of "
				"%s (no netdev on %s with phys_port_name "
				"pf<N>vf%d): is the eswitch in switchdev mode?",
				i, o->vfs.pf.ifname, o->vfs.pf.pci, i);
	if (rc < 0)
		snprintf(o->rep[i], sizeof(o->rep[i]), "<rep-vf%c>",
			 (char)('0' + i));
	rep = o->rep[i];
	rc = rep[0] == '<' ? 0 : tc_offload_feature(rep, msg, sizeof(msg));
	if (rc < 0)
		return util_why(why, len, rc, "representor %s: %s", rep, msg);
	if (rc == 0) {
		char *argv[] = { "ethtool", "-K", (char *)rep, "hw-tc-offload",
				 "on", NULL };

		rc = run_ok(o, argv, "ethtool -K hw-tc-offload on", why, len);
		if (rc < 0)
			return rc;
		o->rep_tc_on[i] = 1;
	}
	{
		char *argv[] = { "ip", "link", "set", "dev", (char *)rep, "up",
				 NULL };

		rc = run_ok(o, argv, "ip link set up", why, len);
		if (rc < 0)
			return rc;
		o->rep_set_up[i] = 1;
	}
	return add_qdisc(o, rep, why, len);
}

static int rules_flower(struct tc_off *o, char *why, size_t len)
{
	const char *a[] = { "action", "mirred", "egress", "redirect", "dev",
			    o->rep[1], NULL };
	const char *b[] = { "action", "mirred", "egress", "redirect", "dev",
			    o->rep[0], NULL };
	int rc = add_rule(o, o->rep[0], a, why, len);

	return rc ? rc : add_rule(o, o->rep[1], b, why, len);
}

/* VF 0 -> rep0 -> encap -> uplink (looped back) -> vxlan decap -> rep1. */
static int rules_vxlan(struct tc_off *o, const struct topology_cfg *cfg,
		       char *why, size_t len)
{
	const char *pf = o->vfs.pf.ifname;
	char mac[32] = "", path[PATH_MAX];
	int rc;

	snprintf(o->vx, sizeof(o->vx), "vp%svx", cfg->tag);
	{
		char *argv[] = { "ip", "link", "add", o->vx, "type", "vxlan",
				 "dstport", "4789", "external", NULL };

		rc = run_ok(o, argv, "ip link add type vxlan", why, len);
		if (rc < 0)
			return rc;
		o->vx_added = 1;
	}
	{
		char *argv[] = { "ip", "link", "set", "dev", o->vx, "up", NULL };

		rc = run_ok(o, argv, "ip link set up", why, len);
		if (rc < 0)
			return rc;
	}
	{
		char *argv[] = { "ip", "addr", "add", TC_OFF_LOCAL_IP "/24",
				 "dev", (char *)pf, NULL };

		rc = run_ok(o, argv, "ip addr add", why, len);
		if (rc < 0)
			return rc;
		o->addr_added = 1;
	}
	/* the tunnel's far end is this uplink itself (looped back) */
	snprintf(path, sizeof(path), "%s/class/net/%s/address",
		 cfg->host->sysfs, pf);
	if (util_read_file(path, mac, sizeof(mac)) <= 0)
		return util_why(why, len, ENODEV, "cannot read %s", path);
	{
		char *argv[] = { "ip", "neigh", "replace", TC_OFF_REMOTE_IP,
				 "lladdr", mac, "dev", (char *)pf, "nud",
				 "permanent", NULL };

		rc = run_ok(o, argv, "ip neigh replace", why, len);
		if (rc < 0)
			return rc;
		o->neigh_added = 1;
	}
	rc = add_qdisc(o, o->vx, why, len);
	if (rc < 0)
		return rc;
	{
		const char *encap[] = { "action", "tunnel_key", "set", "src_ip",
					TC_OFF_LOCAL_IP, "dst_ip",
					TC_OFF_REMOTE_IP, "id", TC_OFF_VNI,
					"dst_port", "4789", "action", "mirred",
					"egress", "redirect", "dev", o->vx,
					NULL };
		const char *decap[] = { "enc_src_ip", TC_OFF_LOCAL_IP,
					"enc_dst_ip", TC_OFF_REMOTE_IP,
					"enc_key_id", TC_OFF_VNI,
					"enc_dst_port", "4789", "action",
					"tunnel_key", "unset", "action",
					"mirred", "egress", "redirect", "dev",
					o->rep[1], NULL };

		rc = add_rule(o, o->rep[0], encap, why, len);
		return rc ? rc : add_rule(o, o->vx, decap, why, len);
	}
}

static int setup_named(struct topology *t, const struct topology_cfg *cfg,
		       const char *name, int vxlan, char *why, size_t len)
{
	struct tc_off *o = calloc(1, sizeof(*o));
	struct sriov_scan *s = NULL;
	char msg[512], mode[32];
	int rc;

	if (!o)
		return util_why(why, len, ENOMEM, "%s: out of memory", name);
	t->priv = o;
	rc = sriov_scan_alloc(cfg->host, cfg->pf, cfg->allow_vf_reset, name, &s,
			      why, len);
	if (rc < 0)
		goto out;
	rc = choose_pf(cfg->host, s, name, mode, sizeof(mode), why, len);
	if (rc < 0)
		goto out;
	util_strlcpy(o->vfs.eswitch_orig, mode, sizeof(o->vfs.eswitch_orig));
	rc = sriov_vfs_setup(&o->vfs, cfg, s, "switchdev", 1, msg, sizeof(msg));
	for (int i = 0; rc == 0 && i < SRIOV_NB_VFS; i++)
		rc = prepare_rep(o, cfg, i, msg, sizeof(msg));
	if (rc == 0)
		rc = vxlan ? rules_vxlan(o, cfg, msg, sizeof(msg)) :
			     rules_flower(o, msg, sizeof(msg));
	if (rc == 0)
		rc = verify_in_hw(o, msg, sizeof(msg));
	if (rc < 0) {
		util_why(why, len, rc, "%s: %s", name, msg);
		goto out;
	}
	rc = sriov_vfs_end(&o->vfs, 0, &t->end[TOPO_HOST]);
	rc = rc ? rc : sriov_vfs_end(&o->vfs, 1, &t->end[TOPO_GUEST]);
	if (rc < 0) {
		util_why(why, len, rc, "%s: end arguments: %s", name,
			 strerror(-rc));
		goto out;
	}
	snprintf(t->variant, sizeof(t->variant), "%s %s",
		 vxlan ? "vxlan-skip_sw" : "flower-skip_sw", o->vfs.pf.driver);
	if (sriov_emulated())
		t->flags |= TOPO_F_EMULATED;
	sriov_vfs_print_end(cfg, "host", &t->end[TOPO_HOST]);
	sriov_vfs_print_end(cfg, "guest", &t->end[TOPO_GUEST]);
out:
	free(s);
	return rc;
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	return setup_named(t, cfg, "tc-offload", 0, why, len);
}

static int setup_vxlan(struct topology *t, const struct topology_cfg *cfg,
		       char *why, size_t len)
{
	return setup_named(t, cfg, "tc-offload-vxlan", 1, why, len);
}

static int hw_counters(struct topology *t, uint64_t *nb_packets,
		       uint64_t *nb_bytes, char *why, size_t len)
{
	struct tc_off *o = t->priv;
	struct tc_filter_rule rules[TC_OFF_MAX_RULES];

	*nb_packets = *nb_bytes = 0;
	if (!o)
		return util_why(why, len, ENODEV, "tc-offload: not set up");
	for (int d = 0; d < o->nb_rule_devs; d++) {
		int nb;

		/* a tunnelled frame hits the encap rule on the representor
		 * and then the decap rule: count it once */
		if (o->vx_added && !strcmp(o->rule_dev[d], o->vx))
			continue;
		nb = read_rules(o->rule_dev[d], rules, TC_OFF_MAX_RULES, why,
				len);
		if (nb < 0)
			return nb;
		for (int i = 0; i < nb; i++) {
			const struct tc_filter_rule *r = &rules[i];

			*nb_packets += r->has_hw_stats ? r->nb_hw_packets :
						       r->nb_packets;
			*nb_bytes += r->has_hw_stats ? r->nb_hw_bytes :
						     r->nb_bytes;
		}
	}
	return 0;
}

static void undo(struct tc_off *o, char *const argv[])
{
	char out[512];

	if (sriov_vfs_act(&o->vfs, argv, out, sizeof(out)) != 0) {
		one_line(out);
		util_err("tc-offload teardown: %s %s %s %s: %s", argv[0],
			 argv[1], argv[2], argv[3], out);
	}
}

static void teardown(struct topology *t)
{
	struct tc_off *o = t->priv;

	if (!o)
		return;
	while (o->nb_qdiscs > 0) {
		char *dev = o->qdisc_dev[--o->nb_qdiscs];
		char *argv[] = { "tc", "qdisc", "del", "dev", dev, "ingress",
				 NULL };

		if (!(o->vx_added && !strcmp(dev, o->vx)))
			undo(o, argv);	/* the vxlan link takes its own */
	}
	o->nb_rule_devs = 0;
	if (o->neigh_added) {
		char *argv[] = { "ip", "neigh", "del", TC_OFF_REMOTE_IP, "dev",
				 o->vfs.pf.ifname, NULL };

		undo(o, argv);
		o->neigh_added = 0;
	}
	if (o->addr_added) {
		char *argv[] = { "ip", "addr", "del", TC_OFF_LOCAL_IP "/24",
				 "dev", o->vfs.pf.ifname, NULL };

		undo(o, argv);
		o->addr_added = 0;
	}
	if (o->vx_added) {
		char *argv[] = { "ip", "link", "del", "dev", o->vx, NULL };

		undo(o, argv);
		o->vx_added = 0;
	}
	for (int i = SRIOV_NB_VFS - 1; i >= 0; i--) {
		if (o->rep_tc_on[i]) {
			char *argv[] = { "ethtool", "-K", o->rep[i],
					 "hw-tc-offload", "off", NULL };

			undo(o, argv);
			o->rep_tc_on[i] = 0;
		}
		if (o->rep_set_up[i]) {
			char *argv[] = { "ip", "link", "set", "dev", o->rep[i],
					 "down", NULL };

			undo(o, argv);
			o->rep_set_up[i] = 0;
		}
	}
	sriov_vfs_restore(&o->vfs);
	free(o);
	t->priv = NULL;
}

const struct topology_ops topo_tc_offload_ops = {
	.name = "tc-offload",
	.summary = "tc flower skip_sw redirect between VF representors (SmartNIC)",
	.probe = probe,
	.setup = setup,
	.teardown = teardown,
	.hw_counters = hw_counters,
};

const struct topology_ops topo_tc_offload_vxlan_ops = {
	.name = "tc-offload-vxlan",
	.summary = "tc flower skip_sw VXLAN encap/decap between VF representors",
	.probe = probe_vxlan,
	.setup = setup_vxlan,
	.teardown = teardown,
	.hw_counters = hw_counters,
};
