#include "perfctr.h"

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

static int open_counter(pid_t tid, uint64_t config)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = config;
	a.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &a, tid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static const char *explain(int err)
{
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return "this CPU/VM exposes no hardware counters";
	case EACCES:
	case EPERM:
		return "not permitted: run as root or lower "
		       "/proc/sys/kernel/perf_event_paranoid";
	case ESRCH:
		return "the engine process is gone";
	default:
		return strerror(err);
	}
}

int perfctr_open(struct perfctr *pc, const char *proc, pid_t pid, char *why,
		 size_t len)
{
	char path[256];
	DIR *d;
	struct dirent *de;
	int rc = 0;

	memset(pc, 0, sizeof(*pc));
	snprintf(path, sizeof(path), "%s/%d/task", proc, (int)pid);
	d = opendir(path);
	if (!d)
		return util_why(why, len, errno, "hardware counters: %s: %s",
				path, explain(errno));
	while ((de = readdir(d)) != NULL) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		int fc, fi;

		if (*end || tid <= 0)
			continue;
		if (pc->nb_fds == PERFCTR_MAX_TASKS)
			break;
		fc = open_counter((pid_t)tid, PERF_COUNT_HW_CPU_CYCLES);
		if (fc < 0) {
			rc = util_why(why, len, errno,
				      "hardware counters: perf_event_open(cycles) failed: %s",
				      explain(errno));
			break;
		}
		fi = open_counter((pid_t)tid, PERF_COUNT_HW_INSTRUCTIONS);
		if (fi < 0) {
			rc = util_why(why, len, errno,
				      "hardware counters: perf_event_open(instructions) failed: %s",
				      explain(errno));
			close(fc);
			break;
		}
		pc->fd_cycles[pc->nb_fds] = fc;
		pc->fd_instr[pc->nb_fds] = fi;
		pc->nb_fds++;
	}
	closedir(d);
	if (rc == 0 && pc->nb_fds == 0)
		rc = util_why(why, len, ESRCH, "hardware counters: %s has no threads",
			      path);
	if (rc < 0)
		perfctr_close(pc);
	return rc;
}

int perfctr_read(const struct perfctr *pc, struct perfctr_sample *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < pc->nb_fds; i++) {
		uint64_t c, n;

		if (read(pc->fd_cycles[i], &c, sizeof(c)) != sizeof(c) ||
		    read(pc->fd_instr[i], &n, sizeof(n)) != sizeof(n))
			return -EIO;
		out->cycles += c;
		out->instructions += n;
	}
	return 0;
}

void perfctr_close(struct perfctr *pc)
{
	for (int i = 0; i < pc->nb_fds; i++) {
		close(pc->fd_cycles[i]);
		close(pc->fd_instr[i]);
	}
	pc->nb_fds = 0;
}
