/* The sub-commands of vioperf. Each one lives in its own file and is listed
 * once in main.c; each parses its own options and prints its own --help.
 * Every entry point returns the process exit code (util.h VP_EXIT_*). */
#ifndef VIOPERF_COMMANDS_H
#define VIOPERF_COMMANDS_H

struct command {
	const char *name;
	const char *summary;	/* one line for `vioperf --help` */
	int (*main)(int argc, char **argv);	/* argv[0] is the command name */
};

int cmd_list(int argc, char **argv);	/* harness/cmd_list.c */
int cmd_run(int argc, char **argv);	/* harness/cmd_run.c */
int cmd_report(int argc, char **argv);	/* reports/cmd_report.c */
int cmd_compare(int argc, char **argv);	/* reports/cmd_compare.c */
int cmd_plan(int argc, char **argv);	/* reports/cmd_plan.c */
int cmd_cleanup(int argc, char **argv);	/* harness/cmd_cleanup.c */
int cmd_engine(int argc, char **argv);	/* generators/engine.c */

/* The version compiled in (git describe). */
extern const char vioperf_version[];

#endif
