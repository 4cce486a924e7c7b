/* Hardware cycle and instruction counters of the engine threads, through
 * perf_event_open, where the host has them. Many VMs (and this project's
 * CI hosts) have none: perfctr_open then fails cleanly with a reason and
 * the results leave the hw_* columns at 0. */
#ifndef VIOPERF_PERFCTR_H
#define VIOPERF_PERFCTR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PERFCTR_MAX_TASKS 64

struct perfctr {
	int nb_fds;
	int fd_cycles[PERFCTR_MAX_TASKS];
	int fd_instr[PERFCTR_MAX_TASKS];
};

struct perfctr_sample {
	uint64_t cycles, instructions;
};

/* Open cycle and instruction counters on every thread of pid (from
 * <proc>/<pid>/task). 0; or -errno with the reason in why (no hardware
 * counters, perf_event_paranoid, no such process) and pc left empty.
 * proc is "/proc" except in tests. */
int perfctr_open(struct perfctr *pc, const char *proc, pid_t pid, char *why,
		 size_t len);
/* Sum of all threads' counters so far. 0 or -errno. */
int perfctr_read(const struct perfctr *pc, struct perfctr_sample *out);
/* Close every counter; safe on an empty or closed pc. */
void perfctr_close(struct perfctr *pc);

#endif
