/* SR-IOV on the host, shared by the sriov-vf and tc-offload topologies:
 * finding a physical function (PF) that may be used (sriov.c), and
 * creating, configuring, binding and restoring its virtual functions
 * (sriov_vfs.c).
 *
 * Every sysfs path is built on host->sysfs, every /proc path on host->proc,
 * so unit tests run against fake trees. The tree's root (the parent of
 * host->sysfs) also holds lib/modules for the vfio-pci module check.
 *
 * Safety: a PF that carries an IP address or the default route is used only
 * when the user named it (--pf); a PF that already has VFs is reset only
 * when the user named it and allowed it (--pf, --allow-vf-reset). */
#ifndef VIOPERF_SRIOV_H
#define VIOPERF_SRIOV_H

#include <net/if.h>
#include <stddef.h>

#include "topology.h"

#define SRIOV_MAX_PFS 16
#define SRIOV_NB_VFS 2		/* VF 0: host end, VF 1: guest end */
#define SRIOV_PCI_LEN 16	/* "0000:03:00.0" */

/* How commands run and sysfs files are written. Tests replace them with a
 * fake kernel; the defaults are util_run and util_write_file. */
struct sriov_sys {
	int (*run)(char *const argv[], char *out, size_t outlen);
	int (*write)(const char *path, const char *s);
};

/* Use sys (copied) for every later command and sysfs write; NULL restores
 * the defaults. */
void sriov_set_sys(const struct sriov_sys *sys);

/* Run argv through the current sriov_sys (see util_run). */
int sriov_run(char *const argv[], char *out, size_t outlen);

/* Write s to path through the current sriov_sys (see util_write_file). */
int sriov_write(const char *path, const char *s);

/* The last component of the target of the symlink at path (a driver, PCI
 * address or IOMMU group) into buf; "" and -errno when there is none. */
int sriov_link_name(const char *path, char *buf, size_t len);

struct sriov_pf {
	char ifname[IF_NAMESIZE];
	char pci[SRIOV_PCI_LEN];
	char driver[32];	/* "" when unbound */
	char operstate[16];	/* "up", "down", ... */
	unsigned nb_vfs_total;
	unsigned nb_vfs;	/* sriov_numvfs now */
	int iommu_group;	/* -1: none */
	int has_addr;		/* a global/site IP address */
	int has_default_route;	/* IPv4 or IPv6 default route through it */
	char master[IF_NAMESIZE];	/* bond/bridge it is a port of, or "" */
	char refusal[160];	/* "" when usable, else why not */
};

struct sriov_scan {
	int nb_pfs;
	struct sriov_pf pf[SRIOV_MAX_PFS];
	int chosen;		/* index in pf[] of the PF to use, -1 none */
	int has_iommu;		/* IOMMU groups exist */
	int has_noiommu;	/* vfio's unsafe no-IOMMU mode is on */
	int has_vfio;		/* vfio-pci driver registered */
	int has_vfio_module;	/* vfio-pci module installed (not loaded) */
	int has_hugepages;	/* a hugetlbfs is mounted */
	char problem[160];	/* host-wide reason no PF can be used, or "" */
	char allowed[IF_NAMESIZE];	/* the PF named with --pf, or "" */
};

/* 1 when VFs of a PF with driver drv stay on their kernel driver for DPDK
 * (mlx5: the PMD works through the kernel driver, "bifurcated"), so they
 * need neither vfio-pci nor an IOMMU; else 0. */
int sriov_bifurcated(const char *drv);

/* Scan h for SR-IOV PFs with at least SRIOV_NB_VFS VFs and decide which one
 * to use: the first usable one, or only allowed_pf when it is non-NULL;
 * allow_vf_reset lets that PF's existing VFs be destroyed and recreated.
 * 0 (s filled, s->chosen may be -1) or -errno when sysfs is unreadable. */
int sriov_scan(const struct host *h, const char *allowed_pf,
	       int allow_vf_reset, struct sriov_scan *s);

/* sriov_scan into a zeroed struct it allocates (*out, for the caller to
 * free; NULL on failure). 0, or -errno with "<name>: ..." in why. */
int sriov_scan_alloc(const struct host *h, const char *allowed_pf,
		     int allow_vf_reset, const char *name,
		     struct sriov_scan **out, char *why, size_t len);

/* Write the scan's verdict into why: "<name>: would use PF ..." or
 * "<name>: no SR-IOV capable NIC ..." / "<name>: --pf X is not an SR-IOV
 * PF ..." / "<name>: no usable PF: ...", each refused PF with its reason
 * and the option that would allow it.
 * Returns 0 when a PF was chosen, else -ENODEV (no PF) / -EPERM (refused)
 * / -ENOTSUP (host-wide problem). */
int sriov_scan_why(const struct host *h, const struct sriov_scan *s,
		   const char *name, char *why, size_t len);

/* 1 when ifname carries an IP address of global or site scope, 0 when not,
 * -errno when `ip -j addr show dev IFNAME` failed. Runs through sriov_run. */
int sriov_has_addr(const char *ifname);

/* 1 when <proc>/net/route or <proc>/net/ipv6_route holds a default route
 * through ifname, else 0. */
int sriov_has_default_route(const struct host *h, const char *ifname);

/* 1 inside the kernel lab (VIOPERF_LAB=1): the NIC is QEMU's emulated igb
 * and rows are function checks (TOPO_F_EMULATED), else 0. */
int sriov_emulated(void);

/* One VF as setup found it and left it. */
struct sriov_vf {
	char pci[SRIOV_PCI_LEN];
	char orig_driver[32];	/* driver before setup, "" none */
	int overridden;		/* driver_override written by setup */
	int bound;		/* setup bound it to vfio-pci */
};

#define SRIOV_MAX_SAVED_VFS 64

/* What an administrator set on a VF through its PF (ip link set PF vf N),
 * as `ip -j link show dev PF` reports it in vfinfo_list. */
struct sriov_vf_conf {
	char mac[18];		/* "" or 00:00:00:00:00:00: not set */
	unsigned vlan, qos;	/* 0: none */
	int spoofchk, trust;	/* 1 on, 0 off, -1 not reported */
};

/* Parse the output of `ip -j link show dev PF` into confs (VF i at index
 * i, up to max). Returns the number of VFs listed, or -EINVAL. */
int sriov_vfs_conf_parse(const char *json, struct sriov_vf_conf *confs,
			 int max);

/* Everything sriov_vfs_setup changed, so sriov_vfs_restore can undo exactly
 * that. Zero it before setup; restore is idempotent. */
struct sriov_vfs {
	char sysfs[256];
	struct topology_cfg act;	/* dry_run only: for topo_action */
	struct sriov_pf pf;
	unsigned orig_nb_vfs;
	int nb_vfs_written;	/* setup wrote sriov_numvfs */
	int pf_set_up;		/* setup brought the PF up */
	int vfio_loaded;	/* setup loaded vfio-pci */
	int nb_vfs;		/* VFs in vf[] */
	struct sriov_vf vf[SRIOV_NB_VFS];
	char eswitch_orig[16];	/* devlink mode before setup, "" untouched */
	int hugepages;		/* DPDK ends use hugepages (--in-memory) */
	char tag[16];		/* the run's tag: DPDK file prefixes */
	unsigned prefixes;	/* bit i: VF i's end got a --file-prefix */
	int nb_saved;		/* settings of the VFs a reset destroyed */
	struct sriov_vf_conf saved[SRIOV_MAX_SAVED_VFS];
};

/* The MAC address VF i gets: the engine's default source (VF 0, host end)
 * and destination (VF 1, guest end) addresses (pkt_cfg_default). */
const char *sriov_vfs_mac(int i);

/* Create SRIOV_NB_VFS VFs on the scan's chosen PF (resetting existing ones
 * when it has some, which the scan allowed); when eswitch is non-NULL
 * ("switchdev") and differs from v->eswitch_orig (the current devlink mode,
 * set by the caller), switch the eswitch first. Then set each VF's MAC,
 * spoof check off and trust on, and, when bind_vfio and the driver is not
 * bifurcated, bind the VFs to vfio-pci. Every action goes through
 * topo_action; in dry-run nothing is done. 0, or -errno with a message in
 * why; restore undoes a partial setup too. */
int sriov_vfs_setup(struct sriov_vfs *v, const struct topology_cfg *cfg,
		    const struct sriov_scan *scan, const char *eswitch,
		    int bind_vfio, char *why, size_t len);

/* Give end e the DPDK backend on VF i: EAL arguments
 * "-a PCI --no-telemetry" and "--in-memory" with hugepages, else
 * "--no-huge -m 256 --file-prefix vioperf-<tag>-vf<i>" (DPDK 22.11 refuses
 * --in-memory with --no-huge; restore removes that prefix's runtime dir).
 * No hugepages when none is mounted or VIOPERF_NO_HUGE=1. 0 or -errno. */
int sriov_vfs_end(struct sriov_vfs *v, int i, struct topo_end *e);

/* topo_action "end <side>: <backend> <args...>", so --dry-run shows what
 * each engine gets. */
void sriov_vfs_print_end(const struct topology_cfg *cfg, const char *side,
			 const struct topo_end *e);

/* Run argv as one action of this setup: printed through topo_action, not
 * run in dry-run (returns 0 then). Output (trailing newlines stripped) lands
 * in out when non-NULL. Returns what sriov_run returns. */
int sriov_vfs_act(struct sriov_vfs *v, char *const argv[], char *out,
		  size_t outlen);

/* Undo what setup did, in reverse: drivers (override cleared, vfio-pci
 * unbound, the original driver probed), VF count (and, after a reset, the
 * MAC / VLAN / spoof check / trust the old VFs had), eswitch mode, PF
 * link, vfio-pci module. Idempotent; never fails (problems go to stderr). */
void sriov_vfs_restore(struct sriov_vfs *v);

#endif
