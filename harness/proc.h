/* One child process of a run (an engine): started with an argv array,
 * optionally inside a network namespace, its stats block on a fixed fd,
 * its output in a log file; watched, reaped and stopped by the harness. */
#ifndef VIOPERF_PROC_H
#define VIOPERF_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROC_STATS_FD 3		/* where the child finds its stats block */

struct proc {
	char name[32];		/* "tx (host end)", for messages */
	pid_t pid;		/* 0: not started or reaped */
	int exited;		/* 1 once reaped; status is then valid */
	int status;		/* wait status */
};

struct proc_spec {
	const char *name;	/* copied into proc.name */
	const char *exe;	/* file to exec, e.g. "/proc/self/exe" */
	char *const *argv;	/* NULL-terminated */
	const char *netns;	/* enter /run/netns/<netns> first; NULL/"" none */
	int stats_fd;		/* becomes PROC_STATS_FD in the child; -1 none */
	const char *log_path;	/* stdout+stderr (created/appended) */
};

/* Start the child. 0 once it has exec'd, or -errno with the reason (netns,
 * log file, exec) in why; nothing is left running on failure. The child
 * runs in its own process group (a terminal's ^C reaches only the harness,
 * which stops it in order) and gets SIGTERM if the harness dies. */
int proc_start(struct proc *p, const struct proc_spec *spec, char *why,
	       size_t len);

/* 1 while the child runs, 0 once it has exited (reaped, status set);
 * never blocks. A never-started proc reads as exited. */
int proc_alive(struct proc *p);

/* Wait up to timeout_ns for the child to exit. 0 when it exited (status
 * set), -ETIMEDOUT otherwise. */
int proc_wait(struct proc *p, uint64_t timeout_ns);

/* Stop the child: SIGTERM (and SIGCONT, so a stopped child can act on
 * it), then SIGKILL after timeout_ns; reap it.
 * Idempotent; a never-started or reaped proc is a no-op. */
void proc_stop(struct proc *p, uint64_t timeout_ns);

/* 1 when the child exited with status 0. */
int proc_ok(const struct proc *p);

/* "<name> exited (status N)" / "<name> exited (signal N)" /
 * "<name> is running" into buf; returns buf. */
const char *proc_describe(const struct proc *p, char *buf, size_t len);

#endif
