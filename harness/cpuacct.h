/* CPU accounting of a trial's measured window: the CPU time of everything
 * that moves the packets, read from /proc.
 *
 * - Each engine process: the sum over /proc/<pid>/task/<tid>/ of the
 *   first field of schedstat (ns on CPU), or utime+stime of stat (clock
 *   ticks) where schedstat is missing. DPDK's helper threads (interrupt,
 *   multi-process) are included: they are part of the path's cost.
 * - Kernel worker threads the topology names (vhost-<pid>, ...): the same
 *   per tid.
 * - With TOPO_F_KERNEL, the irq + softirq time of the engines' CPUs from
 *   the per-CPU lines of /proc/stat: the kernel's receive and transmit
 *   work done in interrupt context on those cores.
 *
 * Not counted: system time of tasks that are not the ends or named
 * workers, even on the engine CPUs (e.g. ksoftirqd on a kernel without
 * CONFIG_IRQ_TIME_ACCOUNTING, whose softirq work then shows as its own
 * system time): it cannot be told apart from unrelated work on a shared
 * host, and counting it would charge other tenants to the datapath. Pin
 * the ends to otherwise idle cores for clean figures. On kernels without
 * IRQ time accounting, softirq run on behalf of an engine's syscall is
 * part of that engine's time and of the CPU's softirq time: the kernel
 * share can then be counted twice (a small over-estimate, never an
 * under-estimate). The irq/softirq share is therefore capped: the ends
 * and the interrupt work on their cores cannot together have used more
 * than those cores over the window (kernel without IRQ time accounting:
 * busy-polling ends leave nothing to add, which is right, since the
 * softirq work they triggered is already in their own time). */
#ifndef VIOPERF_CPUACCT_H
#define VIOPERF_CPUACCT_H

#include <stdint.h>
#include <sys/types.h>

#define CPUACCT_MAX_TIDS 64

/* What to sample: fixed for a trial. */
struct cpuacct_src {
	const char *proc;		/* "/proc" (tests: a fake tree) */
	pid_t pid[2];			/* [0] tx engine, [1] rx engine */
	int nb_tids;
	pid_t tids[CPUACCT_MAX_TIDS];	/* kernel workers of the topology */
	int kernel;			/* TOPO_F_KERNEL: add irq+softirq */
	int cpus[2];			/* the engines' CPUs (-1: none) */
};

/* One reading, ns on CPU. */
struct cpuacct_sample {
	uint64_t end_ns[2];		/* [0] tx engine, [1] rx engine */
	uint64_t kernel_ns;		/* named kernel workers */
	uint64_t irq_ns;		/* irq + softirq of the engine CPUs */
	int nb_cpus;			/* distinct engine CPUs (for the cap) */
};

/* CPU time (ns) of every thread of process pid under proc. 0 or -errno
 * (-ESRCH when the process is gone). */
int cpuacct_pid_ns(const char *proc, pid_t pid, uint64_t *ns);

/* CPU time (ns) of one task (thread) tid. 0 or -errno. */
int cpuacct_tid_ns(const char *proc, pid_t tid, uint64_t *ns);

/* irq + softirq time (ns) of cpu from <proc>/stat. 0 or -errno (-ENOENT
 * when there is no line for that cpu). */
int cpuacct_cpu_irq_ns(const char *proc, int cpu, uint64_t *ns);

/* Read everything src names. A thread or worker that is gone counts as 0
 * from then on. 0, or -errno when an engine cannot be read at all. */
int cpuacct_sample(const struct cpuacct_src *src, struct cpuacct_sample *s);

/* Cores used over a window: (b - a) / window_ns of each part, the
 * irq/softirq share capped at what the engine CPUs had left. */
struct cpuacct_cores {
	double tx, rx, kernel, total;
};
void cpuacct_cores(const struct cpuacct_sample *a,
		   const struct cpuacct_sample *b, uint64_t window_ns,
		   struct cpuacct_cores *out);

#endif
