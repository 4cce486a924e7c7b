/* Helpers every topology shares: host defaults, end arguments, dry-run. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topology.h"

void host_default(struct host *h)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	h->sysfs = "/sys";
	h->dev = "/dev";
	h->proc = "/proc";
	h->is_root = geteuid() == 0;
	h->nb_cpus = n > 0 ? (int)n : 1;
}

int topo_end_arg(struct topo_end *e, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (e->nb_args >= IO_MAX_ARGS)
		return -E2BIG;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	e->args[e->nb_args++] = s;
	return 0;
}

void topo_ends_free(struct topology *t)
{
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < t->end[i].nb_args; j++)
			free(t->end[i].args[j]);
		t->end[i].nb_args = 0;
	}
}

void topo_action(const struct topology_cfg *cfg, const char *fmt, ...)
{
	va_list ap;

	if (!cfg->dry_run)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int topo_pmd_present(const char *prefix)
{
	size_t n = strlen(prefix);
	struct dirent *de;
	DIR *d = opendir(RTE_EAL_PMD_PATH);
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d)))
		found = !strncmp(de->d_name, prefix, n);
	closedir(d);
	return found;
}
