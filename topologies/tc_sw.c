/* tc-sw: the software twin of tc-offload. Two veth pairs in the run's
 * netns; a tc ingress rule on each inner end redirects everything to the
 * other pair's inner end (mirred egress redirect), as an OVS / tc datapath
 * forwards between two VM ports. The rule is flower skip_hw where the
 * kernel has cls_flower (variant "flower-skip_hw"), else u32 match-all
 * (variant "u32").
 *
 *   host end  afpacket on vp<tag>a0 == vp<tag>a1 --tc--> vp<tag>b1 == vp<tag>b0
 *   guest end afpacket on vp<tag>b0 (and the mirror rule for g2h) */
#include <errno.h>
#include <stdio.h>

#include "../harness/util.h"
#include "ktopo.h"

static int probe(const struct host *h, char *why, size_t len)
{
	return ktopo_probe_base(h, "tc-sw", 1, why, len);
}

/* Redirect everything arriving at from to the egress of to, with flower
 * when use_flower, else u32. */
static int redirect(const struct topology_cfg *cfg, const char *ns,
		    const char *from, const char *to, int use_flower,
		    char *why, size_t len)
{
	const char *flower[] = { "filter", "add", "dev", from, "ingress",
				 "protocol", "all", "prio", "1", "flower",
				 "skip_hw", "action", "mirred", "egress",
				 "redirect", "dev", to, NULL };
	const char *u32[] = { "filter", "add", "dev", from, "ingress",
			      "protocol", "all", "prio", "1", "u32", "match",
			      "u32", "0", "0", "action", "mirred", "egress",
			      "redirect", "dev", to, NULL };

	return netns_run(cfg, ns, "tc", use_flower ? flower : u32, why, len);
}

static int setup(struct topology *t, const struct topology_cfg *cfg,
		 char *why, size_t len)
{
	static const char *const sfx[4] = { "a0", "a1", "b0", "b1" };
	char ifn[4][IF_NAMESIZE], fwhy[256];
	const char *ns;
	int rc, use_flower = 1;

	rc = ktopo_begin(t, cfg, why, len);
	if (rc < 0)
		return rc;
	ns = ktopo_of(t)->ns;
	for (int i = 0; i < 4; i++)
		if (netns_ifname(ifn[i], IF_NAMESIZE, cfg->tag, sfx[i]) < 0)
			return util_why(why, len, ENAMETOOLONG,
					"interface name vp%s%s is longer than "
					"IFNAMSIZ", cfg->tag, sfx[i]);
	for (int p = 0; p < 4; p += 2) {
		const char *ingress[] = { "qdisc", "add", "dev", ifn[p + 1],
					  "ingress", NULL };

		rc = netns_veth_add(cfg, ns, ifn[p], ifn[p + 1], why, len);
		if (rc == 0)
			rc = ktopo_link_up(t, cfg, ifn[p], why, len);
		if (rc == 0)
			rc = ktopo_link_up(t, cfg, ifn[p + 1], why, len);
		if (rc == 0)
			rc = netns_run(cfg, ns, "tc", ingress, why, len);
		if (rc < 0)
			return rc;
	}
	/* Try flower first; a kernel without cls_flower refuses the rule
	 * and leaves nothing behind. */
	if (redirect(cfg, ns, ifn[1], ifn[3], 1, fwhy, sizeof(fwhy)) < 0) {
		use_flower = 0;
		util_info("tc-sw: flower unavailable (%s); using u32\n", fwhy);
		rc = redirect(cfg, ns, ifn[1], ifn[3], 0, why, len);
		if (rc < 0)
			return rc;
	}
	rc = redirect(cfg, ns, ifn[3], ifn[1], use_flower, why, len);
	if (rc < 0)
		return rc;
	if (ktopo_end_afpacket(t, TOPO_HOST, ifn[0]) < 0 ||
	    ktopo_end_afpacket(t, TOPO_GUEST, ifn[2]) < 0)
		return util_why(why, len, ENOMEM, "building end arguments");
	util_strlcpy(t->variant, use_flower ? "flower-skip_hw" : "u32",
		     sizeof(t->variant));
	return 0;
}

const struct topology_ops topo_tc_sw_ops = {
	.name = "tc-sw",
	.summary = "tc ingress redirect between veth pairs (software twin of tc-offload)",
	.probe = probe,
	.setup = setup,
	.teardown = ktopo_teardown,
};
