/* Every I/O backend built into vioperf, one line each. */
#include <string.h>

#include "io.h"

extern const struct io_ops io_dpdk_ops;
extern const struct io_ops io_shm_ops;
extern const struct io_ops io_afpacket_ops;
extern const struct io_ops io_tap_ops;

const struct io_ops *const io_table[] = {
	&io_dpdk_ops,
	&io_shm_ops,
	&io_afpacket_ops,
	&io_tap_ops,
	NULL,
};

const struct io_ops *io_find(const char *name)
{
	for (const struct io_ops *const *o = io_table; *o; o++)
		if (!strcmp((*o)->name, name))
			return *o;
	return NULL;
}
