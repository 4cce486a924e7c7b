/* DPDK ethdev backend: placeholder until the engine lands (issue #2). */
#include <errno.h>

#include "../harness/util.h"
#include "io.h"

static int dpdk_open(struct io_port **pp, const struct io_cfg *cfg, char *why,
		     size_t len)
{
	(void)pp;
	(void)cfg;
	return util_why(why, len, ENOSYS, "dpdk backend not built yet");
}

static void dpdk_info(struct io_port *p, struct io_info *info)
{
	(void)p;
	(void)info;
}

static void dpdk_close(struct io_port *p)
{
	(void)p;
}

const struct io_ops io_dpdk_ops = {
	.name = "dpdk",
	.open = dpdk_open,
	.info = dpdk_info,
	.close = dpdk_close,
};
