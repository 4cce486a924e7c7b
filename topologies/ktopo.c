/* Shared plumbing of the kernel datapaths: the run's netns, its taps, and
 * the two kinds of ends (afpacket on a netdev, DPDK on a vdev). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_build_config.h>

#include "../harness/hugepages.h"
#include "../harness/util.h"
#include "ktopo.h"

/* 2 MB pages for -m KTOPO_DPDK_MEM_MB, plus a little for the EAL. */
#define KTOPO_NB_PAGES (KTOPO_DPDK_MEM_MB / 2 + 8)

/* 1 when prog is an executable in PATH. */
static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (!path || !*path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && n < sizeof(buf) - strlen(prog) - 2) {
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
			if (access(buf, X_OK) == 0)
				return 1;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

int ktopo_probe_base(const struct host *h, const char *name, int need_tc,
		     char *why, size_t len)
{
	if (!h->is_root)
		return util_why(why, len, EPERM,
				"%s: needs root (creates a network namespace, "
				"veth/tap interfaces and packet sockets); run as root",
				name);
	if (!in_path("ip"))
		return util_why(why, len, ENOENT,
				"%s: the ip command is missing; apt-get install "
				"iproute2", name);
	if (need_tc && !in_path("tc"))
		return util_why(why, len, ENOENT,
				"%s: the tc command is missing; apt-get install "
				"iproute2", name);
	return 0;
}

int ktopo_begin(struct topology *t, const struct topology_cfg *cfg, char *why,
		size_t len)
{
	struct ktopo *k = calloc(1, sizeof(*k));
	struct stat st;
	char path[PATH_MAX];
	int rc;

	if (!k)
		return util_why(why, len, ENOMEM, "out of memory");
	t->priv = k;
	t->flags |= TOPO_F_KERNEL;
	if (getenv("VIOPERF_LAB") && !strcmp(getenv("VIOPERF_LAB"), "1"))
		t->flags |= TOPO_F_EMULATED;
	k->dry_run = cfg->dry_run;
	util_strlcpy(k->proc, cfg->host && cfg->host->proc ? cfg->host->proc
			      : "/proc", sizeof(k->proc));
	if (netns_name(k->ns, sizeof(k->ns), cfg->tag) < 0)
		return util_why(why, len, EINVAL,
				"run tag '%s' must be 1-8 chars of [a-z0-9]",
				cfg->tag ? cfg->tag : "");
	rc = netns_create(cfg, k->ns, why, len);
	if (rc < 0)
		return rc;
	k->ns_made = 1;
	if (!cfg->dry_run) {
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, k->ns);
		if (stat(path, &st) == 0) {
			k->ns_ino = st.st_ino;
			k->ns_dev = st.st_dev;
		}
	}
	{
		char *argv[] = { "ip", "netns", "exec", k->ns, "sysctl", "-q",
				 "-w", "net.ipv6.conf.all.disable_ipv6=1",
				 "net.ipv6.conf.default.disable_ipv6=1", NULL };

		topo_action(cfg, "exec ip netns exec %s sysctl -q -w "
			    "net.ipv6.conf.all.disable_ipv6=1 "
			    "net.ipv6.conf.default.disable_ipv6=1", k->ns);
		/* Without it the receivers only count a few foreign frames. */
		if (!cfg->dry_run)
			(void)util_run(argv, NULL, 0);
	}
	return 0;
}

int ktopo_link_up(struct topology *t, const struct topology_cfg *cfg,
		  const char *ifname, char *why, size_t len)
{
	return netns_link_up(cfg, ktopo_of(t)->ns, ifname, cfg->max_frame, why,
			     len);
}

int ktopo_tap(struct topology *t, const struct topology_cfg *cfg,
	      const char *suffix, char *name, char *why, size_t len)
{
	struct ktopo *k = ktopo_of(t);
	int rc;

	if (k->nb_taps >= KTOPO_MAX_TAPS)
		return util_why(why, len, E2BIG, "too many taps");
	if (netns_ifname(name, IF_NAMESIZE, cfg->tag, suffix) < 0)
		return util_why(why, len, ENAMETOOLONG,
				"interface name vp%s%s is longer than IFNAMSIZ",
				cfg->tag, suffix);
	rc = netns_tap_add(cfg, k->ns, name, 1, why, len);
	if (rc < 0)
		return rc;
	util_strlcpy(k->taps[k->nb_taps++], name, IF_NAMESIZE);
	return ktopo_link_up(t, cfg, name, why, len);
}

int ktopo_end_afpacket(struct topology *t, int end, const char *ifname)
{
	struct topo_end *e = &t->end[end];
	const char *rx = getenv("VIOPERF_AFPACKET_RX");
	int rc;

	util_strlcpy(e->backend, "afpacket", sizeof(e->backend));
	util_strlcpy(e->netns, ktopo_of(t)->ns, sizeof(e->netns));
	rc = topo_end_arg(e, "ifname=%s", ifname);
	if (rc == 0 && rx && *rx)
		rc = topo_end_arg(e, "rx=%s", rx);
	return rc;
}

int ktopo_end_dpdk(struct topology *t, const struct topology_cfg *cfg,
		   int end, const char *vdev, int *on_huge, char *why,
		   size_t len)
{
	struct topo_end *e = &t->end[end];
	const char *force = getenv("VIOPERF_NO_HUGE");
	int huge = !(force && *force && strcmp(force, "0"));
	char hp[384];
	int rc = 0;

	if (huge) {
		topo_action(cfg, "hugepages: ensure %d free 2 MB pages (else "
			    "the DPDK end runs with --no-huge)", KTOPO_NB_PAGES);
		if (!cfg->dry_run &&
		    hugepages_ensure(cfg->host, KTOPO_NB_PAGES, hp, sizeof(hp)) < 0) {
			util_info("%s: no hugepages (%s); the DPDK end runs with "
				  "--no-huge\n", t->ops->name, hp);
			huge = 0;
		}
	}
	if (on_huge)
		*on_huge = huge;
	util_strlcpy(e->backend, "dpdk", sizeof(e->backend));
	util_strlcpy(e->netns, ktopo_of(t)->ns, sizeof(e->netns));
	/* DPDK 22.11 refuses --in-memory with --no-huge (legacy memory):
	 * then a file prefix named from the tag keeps its runtime files
	 * apart, and teardown removes them. */
	if (huge) {
		rc |= topo_end_arg(e, "--in-memory");
	} else {
		struct ktopo *k = ktopo_of(t);

		snprintf(k->dpdk_prefix, sizeof(k->dpdk_prefix), "vioperf-%s",
			 cfg->tag);
		rc |= topo_end_arg(e, "--no-huge");
		rc |= topo_end_arg(e, "--file-prefix");
		rc |= topo_end_arg(e, "%s", k->dpdk_prefix);
	}
	rc |= topo_end_arg(e, "--no-pci");
	rc |= topo_end_arg(e, "--no-telemetry");
	rc |= topo_end_arg(e, "-m");
	rc |= topo_end_arg(e, "%d", KTOPO_DPDK_MEM_MB);
	rc |= topo_end_arg(e, "--vdev");
	rc |= topo_end_arg(e, "%s", vdev);
	if (rc)
		return util_why(why, len, ENOMEM, "building EAL arguments");
	return 0;
}

void ktopo_teardown(struct topology *t)
{
	struct ktopo *k = ktopo_of(t);
	struct topology_cfg cfg;

	if (!k)
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.dry_run = k->dry_run;
	/* A persistent tap could outlive its netns (moved to the host's
	 * namespace on some kernels): delete it first. */
	for (int i = 0; i < k->nb_taps; i++)
		if (k->ns_made)
			netns_tap_del(&cfg, k->ns, k->taps[i]);
	if (k->ns_made)
		netns_delete(&cfg, k->ns);
	if (k->dpdk_prefix[0]) {
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s/%s", KTOPO_DPDK_RUN_DIR,
			 k->dpdk_prefix);
		topo_action(&cfg, "rm -rf %s", dir);
		if (!k->dry_run)
			(void)util_rm_rf(dir);
	}
	free(k);
	t->priv = NULL;
}

int ktopo_pid_in_ns(const struct ktopo *k, const char *proc, pid_t pid)
{
	char path[PATH_MAX];
	struct stat st;

	if (!k->ns_ino)
		return 0;
	snprintf(path, sizeof(path), "%s/%d/ns/net", proc, (int)pid);
	if (stat(path, &st) < 0)
		return 0;
	return st.st_ino == k->ns_ino && st.st_dev == k->ns_dev;
}

int ktopo_probe_vhost_net(const struct host *h, const char *name, char *why,
			  size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/vhost-net", h->dev);
	if (access(path, F_OK) < 0)
		return util_why(why, len, ENOENT,
				"%s: %s is missing (kernel built without "
				"CONFIG_VHOST_NET, or module vhost_net not loaded: "
				"modprobe vhost_net)", name, path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return util_why(why, len, errno,
				"%s: %s does not open: %s (run as root; check "
				"its permissions)", name, path, strerror(errno));
	close(fd);
	if (!topo_pmd_present("librte_net_virtio.so"))
		return util_why(why, len, ENOENT,
				"%s: DPDK virtio PMD missing (no librte_net_virtio.so "
				"in " RTE_EAL_PMD_PATH "); apt-get install dpdk",
				name);
	return 0;
}

void ktopo_vhost_net_vdev(char *buf, size_t len, const char *ifname)
{
	/* queue_size 1024: the ring depth QEMU gives a virtio-net guest
	 * (rx/tx_queue_size); the tap exists already (persistent, in the
	 * netns) and virtio_user attaches to it by name. */
	snprintf(buf, len,
		 "net_virtio_user0,path=/dev/vhost-net,iface=%s,queues=1,"
		 "queue_size=1024", ifname);
}

int ktopo_vhost_tasks(struct topology *t, pid_t *tids, int max)
{
	struct ktopo *k = ktopo_of(t);
	struct dirent *de;
	DIR *d;
	int nb = 0;

	if (!k || max <= 0)
		return 0;
	d = opendir(k->proc);
	if (!d)
		return 0;
	while (nb < max && (de = readdir(d))) {
		char path[PATH_MAX], comm[64];
		unsigned long owner;
		char *end;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", k->proc, de->d_name);
		if (util_read_file(path, comm, sizeof(comm)) < 0 ||
		    strncmp(comm, "vhost-", 6))
			continue;
		owner = strtoul(comm + 6, &end, 10);
		if (*end || !owner || !ktopo_pid_in_ns(k, k->proc, (pid_t)owner))
			continue;
		tids[nb++] = (pid_t)strtol(de->d_name, NULL, 10);
	}
	closedir(d);
	return nb;
}
