/* gnuplot script helpers and the gnuplot exec (gnuplot.h). */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/util.h"

#define GP_SIZE "900,540"

const char *gp_label(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	if (!len)
		return buf;
	for (; *s && n + 1 < len; s++) {
		char c = *s;

		/* bytes of UTF-8 sequences (µ, ×) pass: never a quote */
		if (!((unsigned char)c >= 0x80 ||
		      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(" ._:@%+/=()[],-", c)))
			c = '_';
		buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

void gp_begin(FILE *f, const char *name, const char *title,
	      const char *xlabel, const char *ylabel)
{
	char n[64], t[256], x[128], y[128];

	gp_label(n, sizeof(n), name);
	fprintf(f,
		"# %s.gp: written by vioperf; `gnuplot %s.gp` in this "
		"directory redraws %s.png and %s.svg\n"
		"set encoding utf8\n"
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"    set terminal pngcairo size " GP_SIZE " noenhanced "
		"font 'sans,13' background '#ffffff'\n"
		"} else {\n"
		"    set terminal png size " GP_SIZE " noenhanced "
		"background '#ffffff'\n"
		"}\n"
		"set output '%s.png'\n"
		"set title '%s'\n"
		"set xlabel '%s' offset 0,0.6\n"
		"set ylabel '%s'\n"
		"set key below\n"
		"set grid ytics\n"
		"set border 3\n"
		"set tics nomirror\n",
		n, n, n, n, n, gp_label(t, sizeof(t), title),
		gp_label(x, sizeof(x), xlabel), gp_label(y, sizeof(y), ylabel));
}

void gp_end(FILE *f, const char *name)
{
	char n[64];

	gp_label(n, sizeof(n), name);
	fprintf(f,
		"set terminal svg size " GP_SIZE " noenhanced font 'sans,13' "
		"background '#ffffff'\n"
		"set output '%s.svg'\n"
		"replot\n"
		"unset output\n",
		n);
}

int gp_run(const char *dir, const char *script, char *why, size_t len)
{
	char *const argv[] = { "gnuplot", (char *)script, NULL };
	char out[2048] = "";
	int rc = util_run_in(argv, dir, out, sizeof(out));

	if (rc < 0)
		return util_why(why, len, rc, "gnuplot: cannot start it: %s",
				strerror(-rc));
	if (rc == 0)
		return 0;
	if (rc == 127)
		return util_why(why, len, ENOENT, "gnuplot not found; install "
				"it (apt-get install gnuplot-nox, or "
				"scripts/setup.sh)");
	if (rc == 126)
		return util_why(why, len, ENOENT, "gnuplot: cannot enter %s",
				dir);
	/* first non-blank line of what gnuplot said */
	char *line = out;

	while (*line == '\n' || *line == ' ')
		line++;
	line[strcspn(line, "\n")] = '\0';
	return util_why(why, len, EIO, "gnuplot failed on %s: %s; check the "
			"gnuplot installation (gnuplot-nox)", script,
			*line ? line : "no message");
}
