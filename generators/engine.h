/* The traffic engine: one process at one end of a topology, generating
 * (role tx) or receiving (role rx) through one I/O backend, publishing its
 * counters and latency histogram in a shared stats block (stats.h).
 *
 * The harness starts it as
 *   vioperf engine --role tx|rx --io NAME [--io-arg ARG]... --stats-fd FD
 *                  [--cpu N] [--sizes LIST] [--flows N] [--vlan ID]
 *                  [--burst N]
 * and drives it through stats->ctl.phase:
 *   tx: READY, waits while IDLE; sends (at ctl.rate_pps, 0 = max) in
 *       WARMUP/MEASURE; stops sending at DRAIN; exits 0 at STOP.
 *   rx: READY, receives from the start; records latency only in MEASURE;
 *       exits 0 at STOP after a final publication.
 * On any error it sets ENG_FAILED with a message in stats->error and exits
 * non-zero. It also exits when its parent dies (PR_SET_PDEATHSIG).
 * It polls as an ordinary task: a real-time policy it inherits is dropped
 * (a polling RT task starves the harness on its core). A --vlan tag makes
 * every frame 4 B longer than its --sizes entry. At STOP the receiver
 * first takes what is still queued; a path whose queued frames die with
 * the sending process (vhost-user: the vring) must be drained (DRAIN,
 * until rx stops growing) before STOP. */
#ifndef VIOPERF_ENGINE_H
#define VIOPERF_ENGINE_H

/* Entry point: cmd_engine() in commands.h. */

#endif
