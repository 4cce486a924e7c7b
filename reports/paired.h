/* `vioperf compare --paired OLD NEW [run options]`: two vioperf builds run
 * alternately in one job so that both see the same noise, then compared. */
#ifndef VIOPERF_PAIRED_H
#define VIOPERF_PAIRED_H

/* argv[0] is "--paired". Returns the process exit code (VP_EXIT_*). */
int paired_main(int argc, char **argv);

#endif
