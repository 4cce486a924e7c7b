/* The run's owner: one destroy for every way out. */
#include <string.h>

#include "hugepages.h"
#include "runctx.h"
#include "workdir.h"

volatile int runctx_stop;

static void on_signal(int sig)
{
	runctx_stop = sig;
}

void runctx_init(struct runctx *c)
{
	memset(c, 0, sizeof(*c));
	trial_init(&c->trial);
}

void runctx_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

void runctx_topo_release(struct runctx *c)
{
	if (c->topo_built && c->topo.ops) {
		c->topo.ops->teardown(&c->topo);
		topo_ends_free(&c->topo);
	}
	c->topo_built = 0;
}

void runctx_destroy(struct runctx *c)
{
	trial_release(&c->trial);
	runctx_topo_release(c);
	workdir_remove(c->workdir);
	c->workdir[0] = '\0';
	hugepages_restore();
	results_close(c->rf);
	c->rf = NULL;
}
