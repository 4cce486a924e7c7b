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
	int pfd[2];
	char out[2048];
	size_t got = 0;
	pid_t pid;
	int status;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return util_why(why, len, errno, "gnuplot: pipe: %s",
				strerror(errno));
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(pfd[0]);
		close(pfd[1]);
		return util_why(why, len, e, "gnuplot: fork: %s", strerror(e));
	}
	if (pid == 0) {
		char *const argv[] = { "gnuplot", (char *)script, NULL };
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		if (chdir(dir) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		char tmp[512];
		ssize_t n = read(pfd[0], tmp, sizeof(tmp));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got < sizeof(out) - 1) {
			size_t c = (size_t)n;

			if (c > sizeof(out) - 1 - got)
				c = sizeof(out) - 1 - got;
			memcpy(out + got, tmp, c);
			got += c;
		}
	}
	out[got] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return util_why(why, len, errno, "gnuplot: wait: %s",
					strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return util_why(why, len, ENOENT, "gnuplot not found; install "
				"it (apt-get install gnuplot-nox, or "
				"scripts/setup.sh)");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
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
