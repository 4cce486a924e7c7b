/* vioperf cleanup: remove what interrupted runs left behind (see
 * cleanup.h for what is considered; nothing without vioperf's marking). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "commands.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vioperf cleanup [--dry-run]\n\n"
		"Find and remove what interrupted vioperf runs left behind:\n"
		"their private dirs under /run/vioperf, network namespaces\n"
		"vioperf-<tag> (with every interface inside), and shared-memory\n"
		"files vioperf-<tag>-* in /dev/hugepages and /dev/shm, DPDK runtime\n"
		"dirs vioperf-<tag>* in /var/run/dpdk. A run that\n"
		"is still alive is left alone; nothing without vioperf's run-tag\n"
		"marking is ever touched. Needs root to remove namespaces.\n\n"
		"  --dry-run   print what would be removed, remove nothing\n");
}

int cmd_cleanup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cleanup_paths p;
	struct cleanup_stats st;
	int dry_run = 0, c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': dry_run = 1; break;
		case 'h': usage(stdout); return VP_EXIT_OK;
		default: usage(stderr); return VP_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		util_err("cleanup: unexpected argument '%s'; see 'vioperf cleanup --help'",
			 argv[optind]);
		return VP_EXIT_USAGE;
	}
	if (!dry_run && geteuid() != 0) {
		util_err("cleanup: needs root to remove namespaces and files "
			 "(or use --dry-run to only look)");
		return VP_EXIT_USAGE;
	}
	cleanup_paths_default(&p);
	rc = cleanup_sweep(&p, &cleanup_ops_real, dry_run, &st);
	printf("cleanup: %d stale object(s) %s, %d live run(s) left alone%s\n",
	       dry_run ? st.nb_found : st.nb_removed,
	       dry_run ? "found" : "removed", st.nb_in_use,
	       st.nb_errors ? ", some could not be removed (see above)" : "");
	return rc < 0 ? VP_EXIT_FAIL : VP_EXIT_OK;
}
