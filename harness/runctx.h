/* The one owner of everything a `vioperf run` acquires: the topology being
 * measured, the engines of the current trial and their stats blocks, the
 * private workdir, the hugepage changes, the open results file. Its
 * destroy releases all of it on every path out (normal end, error,
 * SIGINT/SIGTERM, a child that died), accepts a half-built context and is
 * safe to call twice.
 *
 * Signals only set a flag (runctx_stop); the run notices it between steps
 * and unwinds through runctx_destroy. */
#ifndef VIOPERF_RUNCTX_H
#define VIOPERF_RUNCTX_H

#include <signal.h>

#include "../topologies/topology.h"
#include "results.h"
#include "trial.h"

struct runctx {
	struct topology topo;
	int topo_built;			/* setup was called: teardown owed */
	struct trial trial;
	char workdir[256];		/* "" until created */
	struct results_file *rf;
};

/* Set to the signal number by SIGINT/SIGTERM/SIGHUP once
 * runctx_signals() ran; 0 otherwise. */
extern volatile int runctx_stop;

/* An empty context. */
void runctx_init(struct runctx *c);

/* Catch SIGINT, SIGTERM and SIGHUP into runctx_stop (no SA_RESTART, so
 * sleeps end early) and ignore SIGPIPE. */
void runctx_signals(void);

/* Tear down the current topology (if built) and free its end arguments;
 * idempotent. */
void runctx_topo_release(struct runctx *c);

/* Release everything c holds: engines, topology, workdir, hugepage
 * changes, results file. Idempotent. */
void runctx_destroy(struct runctx *c);

#endif
