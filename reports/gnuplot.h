/* gnuplot scripts for the charts of report and plan: each script draws one
 * chart twice, as NAME.png (pngcairo when this gnuplot has it, else png)
 * and NAME.svg, with its data inline (datablocks) so the script alone
 * redraws the chart: `gnuplot NAME.gp` in the output directory. */
#ifndef VIOPERF_GNUPLOT_H
#define VIOPERF_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

/* Header of NAME.gp: terminal, output NAME.png, title and axis labels
 * (all passed through gp_label). */
void gp_begin(FILE *f, const char *name, const char *title,
	      const char *xlabel, const char *ylabel);

/* Footer: draw the same plot again into NAME.svg. */
void gp_end(FILE *f, const char *name);

/* s made safe for a gnuplot '...' string or a quoted data label: every
 * ASCII character outside letters, digits, blank and ._:@%+/=()[],-
 * becomes '_' (UTF-8 bytes pass). Returns buf. */
const char *gp_label(char *buf, size_t len, const char *s);

/* Run `gnuplot SCRIPT` with dir as the working directory (argv exec, no
 * shell). 0, or -errno / -EIO with gnuplot's first error line and the fix
 * in why. */
int gp_run(const char *dir, const char *script, char *why, size_t len);

#endif
