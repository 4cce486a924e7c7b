/* Network namespaces, veth pairs and taps for the kernel datapaths, built
 * with `ip` and `tc` argv arrays inside the run's own namespace. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../harness/util.h"
#include "netns.h"

#define NETNS_MAX_ARGV 32

int netns_name(char *buf, size_t len, const char *tag)
{
	size_t n = tag ? strlen(tag) : 0;

	if (n == 0 || n > 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!((tag[i] >= 'a' && tag[i] <= 'z') ||
		      (tag[i] >= '0' && tag[i] <= '9')))
			return -EINVAL;
	if ((size_t)snprintf(buf, len, "vioperf-%s", tag) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int netns_ifname(char *buf, size_t len, const char *tag, const char *suffix)
{
	int n = snprintf(buf, len, "vp%s%s", tag, suffix);

	if (n < 0 || (size_t)n >= len || n > IFNAMSIZ - 1)
		return -ENAMETOOLONG;
	return 0;
}

int netns_exists(const char *ns)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, ns);
	return access(path, F_OK) == 0;
}

/* "ip -n ns a b c" for messages and dry-run output. */
static void argv_join(char *const *argv, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; argv[i] && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s", i ? " " : "",
				 argv[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* Run argv; on failure put "<command>: <output>" into why. */
static int netns_exec(const struct topology_cfg *cfg, char *const *argv,
		      char *why, size_t len)
{
	char cmd[512], out[512];
	int rc;

	argv_join(argv, cmd, sizeof(cmd));
	if (cfg && cfg->dry_run) {
		topo_action(cfg, "exec %s", cmd);
		return 0;
	}
	rc = util_run(argv, out, sizeof(out));
	if (rc == 0)
		return 0;
	out[strcspn(out, "\n")] = '\0';
	if (rc < 0)
		return util_why(why, len, -rc, "%s: cannot start %s: %s", cmd,
				argv[0], strerror(-rc));
	return util_why(why, len, EIO, "%s: %s (exit %d)", cmd,
			out[0] ? out : "failed", rc);
}

int netns_run(const struct topology_cfg *cfg, const char *ns, const char *tool,
	      const char *const *args, char *why, size_t len)
{
	char *argv[NETNS_MAX_ARGV];
	int n = 0;

	argv[n++] = (char *)tool;
	argv[n++] = "-n";
	argv[n++] = (char *)ns;
	for (int i = 0; args[i]; i++) {
		if (n >= NETNS_MAX_ARGV - 1)
			return util_why(why, len, E2BIG, "%s: too many arguments",
					tool);
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
	return netns_exec(cfg, argv, why, len);
}

int netns_create(const struct topology_cfg *cfg, const char *ns, char *why,
		 size_t len)
{
	char *argv[] = { "ip", "netns", "add", (char *)ns, NULL };

	if (!cfg->dry_run && netns_exists(ns))
		return util_why(why, len, EEXIST,
				"netns %s already exists (a run with this tag is "
				"running, or a crashed run left it: vioperf cleanup)",
				ns);
	return netns_exec(cfg, argv, why, len);
}

void netns_delete(const struct topology_cfg *cfg, const char *ns)
{
	char *argv[] = { "ip", "netns", "delete", (char *)ns, NULL };
	char why[256];

	if (!ns || !ns[0])
		return;
	if (!cfg->dry_run && !netns_exists(ns))
		return;
	if (netns_exec(cfg, argv, why, sizeof(why)) < 0)
		util_err("%s (remove it by hand: ip netns delete %s)", why, ns);
}

int netns_veth_add(const struct topology_cfg *cfg, const char *ns,
		   const char *a, const char *b, char *why, size_t len)
{
	const char *args[] = { "link", "add", a, "type", "veth", "peer",
			       "name", b, NULL };

	return netns_run(cfg, ns, "ip", args, why, len);
}

int netns_tap_add(const struct topology_cfg *cfg, const char *ns,
		  const char *name, int vnet_hdr, char *why, size_t len)
{
	const char *args[] = { "tuntap", "add", "dev", name, "mode", "tap",
			       vnet_hdr ? "vnet_hdr" : NULL, NULL };

	return netns_run(cfg, ns, "ip", args, why, len);
}

void netns_tap_del(const struct topology_cfg *cfg, const char *ns,
		   const char *name)
{
	const char *args[] = { "link", "delete", "dev", name, NULL };
	char why[256];

	if (!ns || !ns[0] || !name || !name[0])
		return;
	if (!cfg->dry_run && !netns_exists(ns))
		return;
	/* Gone already (never created, or deleted with its netns) is fine. */
	(void)netns_run(cfg, ns, "ip", args, why, sizeof(why));
}

int netns_link_up(const struct topology_cfg *cfg, const char *ns,
		  const char *ifname, unsigned max_frame, char *why,
		  size_t len)
{
	/* Ethernet header 14 + FCS 4 (+ 4 for a VLAN tag fits the mtu slack
	 * the kernel allows tagged frames). */
	unsigned mtu = max_frame > 18 + 1500 ? max_frame - 18 : 1500;
	char mtu_s[16];
	const char *gen[] = { "link", "set", "dev", ifname, "addrgenmode",
			      "none", NULL };
	const char *up[] = { "link", "set", "dev", ifname, "mtu", mtu_s, "up",
			     NULL };
	int rc;

	snprintf(mtu_s, sizeof(mtu_s), "%u", mtu);
	rc = netns_run(cfg, ns, "ip", gen, why, len);
	if (rc < 0)
		return rc;
	return netns_run(cfg, ns, "ip", up, why, len);
}
