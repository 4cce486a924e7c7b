/* Engine processes: fork + exec of an argv array, never a shell. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

/* What the child reports through the CLOEXEC pipe when it fails before
 * exec: the step and errno. EOF without a message means exec succeeded. */
struct child_err {
	int step;
	int err;
};

enum { STEP_SETNS = 1, STEP_FDS, STEP_EXEC };

static void child_fail(int pipe_fd, int step, int err)
{
	struct child_err ce = { step, err };
	ssize_t w = write(pipe_fd, &ce, sizeof(ce));

	(void)w;
	_exit(127);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_run(const struct proc_spec *spec, int ns_fd, int log_fd,
		      int pipe_fd, pid_t parent)
{
	sigset_t none;
	int hi_log, hi_stats = -1, hi_pipe;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	if (ns_fd >= 0 && setns(ns_fd, CLONE_NEWNET) < 0)
		child_fail(pipe_fd, STEP_SETNS, errno);
	/* Move every fd we keep above the fixed slots first, so the dup2s
	 * below cannot overwrite one another. */
	hi_log = fcntl(log_fd, F_DUPFD_CLOEXEC, 64);
	hi_pipe = fcntl(pipe_fd, F_DUPFD_CLOEXEC, 64);
	if (spec->stats_fd >= 0)
		hi_stats = fcntl(spec->stats_fd, F_DUPFD, 64);
	if (hi_log < 0 || hi_pipe < 0 || (spec->stats_fd >= 0 && hi_stats < 0))
		child_fail(pipe_fd, STEP_FDS, errno);
	pipe_fd = hi_pipe;
	if (dup2(hi_log, STDOUT_FILENO) < 0 || dup2(hi_log, STDERR_FILENO) < 0)
		child_fail(pipe_fd, STEP_FDS, errno);
	if (hi_stats >= 0 && dup2(hi_stats, PROC_STATS_FD) < 0)
		child_fail(pipe_fd, STEP_FDS, errno);
	if (dup2(pipe_fd, PROC_STATS_FD + 1) < 0 ||
	    fcntl(PROC_STATS_FD + 1, F_SETFD, FD_CLOEXEC) < 0)
		child_fail(pipe_fd, STEP_FDS, errno);
	pipe_fd = PROC_STATS_FD + 1;
	/* Nothing else of the harness (results file, the other end's stats
	 * block, sockets) leaks into the engine. */
	syscall(SYS_close_range, PROC_STATS_FD + 2, ~0u, 0);
	if (hi_stats < 0)
		close(PROC_STATS_FD);
	execv(spec->exe, spec->argv);
	child_fail(pipe_fd, STEP_EXEC, errno);
}

int proc_start(struct proc *p, const struct proc_spec *spec, char *why,
	       size_t len)
{
	int ns_fd = -1, log_fd, pfd[2], rc = 0;
	struct child_err ce;
	ssize_t n;
	pid_t parent = getpid();

	memset(p, 0, sizeof(*p));
	util_strlcpy(p->name, spec->name, sizeof(p->name));
	log_fd = open(spec->log_path,
		      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return util_why(why, len, errno, "%s: cannot open log %s: %s",
				spec->name, spec->log_path, strerror(errno));
	if (spec->netns && spec->netns[0]) {
		char path[128];

		snprintf(path, sizeof(path), "/run/netns/%s", spec->netns);
		ns_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (ns_fd < 0) {
			rc = util_why(why, len, errno,
				      "%s: network namespace %s: %s", spec->name,
				      path, strerror(errno));
			close(log_fd);
			return rc;
		}
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = util_why(why, len, errno, "%s: pipe: %s", spec->name,
			      strerror(errno));
		goto out;
	}
	p->pid = fork();
	if (p->pid < 0) {
		rc = util_why(why, len, errno, "%s: fork: %s", spec->name,
			      strerror(errno));
		p->pid = 0;
		close(pfd[0]);
		close(pfd[1]);
		goto out;
	}
	if (p->pid == 0)
		child_run(spec, ns_fd, log_fd, pfd[1], parent);
	close(pfd[1]);
	/* Also set the group from the parent: whichever runs first wins, and
	 * a ^C right after fork then cannot reach the child. */
	setpgid(p->pid, p->pid);
	do
		n = read(pfd[0], &ce, sizeof(ce));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == (ssize_t)sizeof(ce)) {
		static const char *const steps[] = {
			[STEP_SETNS] = "entering the network namespace",
			[STEP_FDS] = "setting up its file descriptors",
			[STEP_EXEC] = "exec",
		};

		proc_wait(p, 5000000000ull);
		rc = util_why(why, len, ce.err, "%s: %s %s failed: %s",
			      spec->name,
			      ce.step == STEP_EXEC ? spec->exe : "",
			      ce.step >= STEP_SETNS && ce.step <= STEP_EXEC
				      ? steps[ce.step] : "start",
			      strerror(ce.err));
		if (!p->exited)
			proc_stop(p, 0);
	}
out:
	if (ns_fd >= 0)
		close(ns_fd);
	close(log_fd);
	return rc;
}

static int reap(struct proc *p, int flags)
{
	int st;
	pid_t r;

	if (!p->pid || p->exited)
		return 1;
	do
		r = waitpid(p->pid, &st, flags);
	while (r < 0 && errno == EINTR);
	if (r == p->pid || (r < 0 && errno == ECHILD)) {
		p->status = r == p->pid ? st : 0;
		p->exited = 1;
		return 1;
	}
	return 0;
}

int proc_alive(struct proc *p)
{
	return !reap(p, WNOHANG);
}

int proc_wait(struct proc *p, uint64_t timeout_ns)
{
	uint64_t end = util_now_ns() + timeout_ns;

	for (;;) {
		if (reap(p, WNOHANG))
			return 0;
		if (util_now_ns() >= end)
			return -ETIMEDOUT;
		util_sleep_ns(5000000, NULL);
	}
}

void proc_stop(struct proc *p, uint64_t timeout_ns)
{
	if (!p->pid || p->exited)
		return;
	kill(p->pid, SIGTERM);
	/* A stopped (SIGSTOP, ptrace) child only acts on SIGTERM once it
	 * runs again; SIGCONT is harmless to a running one. */
	kill(p->pid, SIGCONT);
	if (proc_wait(p, timeout_ns) == 0)
		return;
	kill(p->pid, SIGKILL);
	reap(p, 0);
}

int proc_ok(const struct proc *p)
{
	return p->pid && p->exited && WIFEXITED(p->status) &&
	       WEXITSTATUS(p->status) == 0;
}

const char *proc_describe(const struct proc *p, char *buf, size_t len)
{
	if (!p->pid)
		snprintf(buf, len, "%s was not started", p->name);
	else if (!p->exited)
		snprintf(buf, len, "%s is running", p->name);
	else if (WIFSIGNALED(p->status))
		snprintf(buf, len, "%s exited (signal %d)", p->name,
			 WTERMSIG(p->status));
	else
		snprintf(buf, len, "%s exited (status %d)", p->name,
			 WEXITSTATUS(p->status));
	return buf;
}
