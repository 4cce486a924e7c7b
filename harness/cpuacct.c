/* CPU time from /proc: schedstat per thread, per-CPU irq/softirq. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpuacct.h"
#include "util.h"

static uint64_t ticks_to_ns(uint64_t ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0)
		hz = 100;
	return ticks * (1000000000ull / (uint64_t)hz);
}

/* utime + stime (fields 14, 15) of a stat line; the comm field (2) may
 * hold spaces and parentheses, so fields are counted after the last ')'. */
static int stat_line_ns(const char *line, uint64_t *ns)
{
	const char *p = strrchr(line, ')');
	unsigned long long ut, st;

	if (!p)
		return -EINVAL;
	/* after ")": state(3) ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime(14) stime(15) */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &ut, &st) != 2)
		return -EINVAL;
	*ns = ticks_to_ns(ut + st);
	return 0;
}

static int task_ns(const char *dir, uint64_t *ns)
{
	char path[512], buf[1024];
	unsigned long long run;
	int rc;

	snprintf(path, sizeof(path), "%s/schedstat", dir);
	rc = util_read_file(path, buf, sizeof(buf));
	if (rc >= 0 && sscanf(buf, "%llu", &run) == 1) {
		*ns = run;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/stat", dir);
	rc = util_read_file(path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	return stat_line_ns(buf, ns);
}

int cpuacct_tid_ns(const char *proc, pid_t tid, uint64_t *ns)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "%s/%ld", proc, (long)tid);
	return task_ns(dir, ns);
}

int cpuacct_pid_ns(const char *proc, pid_t pid, uint64_t *ns)
{
	char dir[256], tdir[512];
	struct dirent *de;
	uint64_t sum = 0, one;
	int nb = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%ld/task", proc, (long)pid);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(tdir, sizeof(tdir), "%s/%s", dir, de->d_name);
		/* a thread may end between readdir and read: skip it */
		if (task_ns(tdir, &one) == 0) {
			sum += one;
			nb++;
		}
	}
	closedir(d);
	if (!nb)
		return -ESRCH;
	*ns = sum;
	return 0;
}

int cpuacct_cpu_irq_ns(const char *proc, int cpu, uint64_t *ns)
{
	char path[256], want[32], line[512];
	unsigned long long v[7];
	size_t wl;
	FILE *f;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), "%s/stat", proc);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	wl = (size_t)snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, want, wl))
			continue;
		/* user nice system idle iowait irq softirq (USER_HZ) */
		if (sscanf(line + wl, "%llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) != 7) {
			rc = -EINVAL;
			break;
		}
		*ns = ticks_to_ns(v[5] + v[6]);
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

int cpuacct_sample(const struct cpuacct_src *src, struct cpuacct_sample *s)
{
	uint64_t ns;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 2; i++) {
		int rc = cpuacct_pid_ns(src->proc, src->pid[i], &s->end_ns[i]);

		if (rc < 0)
			return rc;
	}
	for (int i = 0; i < src->nb_tids && i < CPUACCT_MAX_TIDS; i++)
		if (cpuacct_tid_ns(src->proc, src->tids[i], &ns) == 0)
			s->kernel_ns += ns;
	if (src->kernel)
		for (int i = 0; i < 2; i++) {
			if (src->cpus[i] < 0 ||
			    (i == 1 && src->cpus[1] == src->cpus[0]))
				continue;
			s->nb_cpus++;
			if (cpuacct_cpu_irq_ns(src->proc, src->cpus[i], &ns) == 0)
				s->irq_ns += ns;
		}
	return 0;
}

static double delta_cores(uint64_t a, uint64_t b, uint64_t window_ns)
{
	if (!window_ns || b < a)
		return 0.0;
	return (double)(b - a) / (double)window_ns;
}

void cpuacct_cores(const struct cpuacct_sample *a,
		   const struct cpuacct_sample *b, uint64_t window_ns,
		   struct cpuacct_cores *out)
{
	double irq = delta_cores(a->irq_ns, b->irq_ns, window_ns), room;

	out->tx = delta_cores(a->end_ns[0], b->end_ns[0], window_ns);
	out->rx = delta_cores(a->end_ns[1], b->end_ns[1], window_ns);
	out->kernel = delta_cores(a->kernel_ns, b->kernel_ns, window_ns);
	/* irq/softirq that the tasks' own time already holds cannot make the
	 * engine CPUs busier than 100 % (see cpuacct.h) */
	room = b->nb_cpus - out->tx - out->rx;
	out->kernel += irq < room ? irq : room > 0 ? room : 0;
	out->total = out->tx + out->rx + out->kernel;
}
