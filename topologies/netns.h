/* Network namespaces and links for the kernel datapaths. Every object is
 * named from the run's tag: the namespace "vioperf-<tag>", interfaces
 * "vp<tag><suffix>" (within IFNAMSIZ), and every interface lives inside that
 * namespace, so a run never touches an interface it did not create.
 *
 * Actions run `ip` / `tc` as argv arrays (util_run, never a shell) with
 * "-n <netns>". In dry-run mode (cfg->dry_run) each action is printed with
 * topo_action and nothing is done. Deletions are idempotent. */
#ifndef VIOPERF_NETNS_H
#define VIOPERF_NETNS_H

#include <stddef.h>

#include "topology.h"

#define NETNS_NAME_LEN 64
#define NETNS_RUN_DIR "/run/netns"

/* "vioperf-<tag>" into buf. 0, or -EINVAL for a tag that is empty, longer
 * than 8 chars or not [a-z0-9]. */
int netns_name(char *buf, size_t len, const char *tag);

/* "vp<tag><suffix>" into buf (IFNAMSIZ bytes). 0, or -ENAMETOOLONG when it
 * does not fit IFNAMSIZ - 1. */
int netns_ifname(char *buf, size_t len, const char *tag, const char *suffix);

/* 1 when /run/netns/<ns> exists, else 0. */
int netns_exists(const char *ns);

/* Create netns ns. 0, -EEXIST when it already exists (a run with the same
 * tag is alive, or a crashed run left it: `vioperf cleanup`), or -errno with
 * the tool's message in why. */
int netns_create(const struct topology_cfg *cfg, const char *ns, char *why,
		 size_t len);

/* Delete netns ns and everything in it; a no-op when it does not exist. */
void netns_delete(const struct topology_cfg *cfg, const char *ns);

/* Run `tool -n ns args...` (tool "ip" or "tc"; args NULL-terminated).
 * 0, or -EIO with "<command>: <its output>" in why. */
int netns_run(const struct topology_cfg *cfg, const char *ns, const char *tool,
	      const char *const *args, char *why, size_t len);

/* Create a veth pair a <-> b inside ns. 0 or -errno (why). */
int netns_veth_add(const struct topology_cfg *cfg, const char *ns,
		   const char *a, const char *b, char *why, size_t len);

/* Create a persistent tap inside ns (owned by the netns, no fd held), with
 * IFF_VNET_HDR when vnet_hdr. 0 or -errno (why). */
int netns_tap_add(const struct topology_cfg *cfg, const char *ns,
		  const char *name, int vnet_hdr, char *why, size_t len);

/* Delete a persistent tap in ns; a no-op when ns or the tap is gone. */
void netns_tap_del(const struct topology_cfg *cfg, const char *ns,
		   const char *name);

/* Prepare ifname for benchmark traffic and set it up: no IPv6 link-local
 * address (no ND/MLD chatter), MTU for frames of max_frame (with FCS; at
 * least 1500). 0 or -errno (why). */
int netns_link_up(const struct topology_cfg *cfg, const char *ns,
		  const char *ifname, unsigned max_frame, char *why,
		  size_t len);

#endif
