/* Small helpers shared by every part of vioperf: messages, string and
 * number parsing, time. Nothing here allocates behind the caller's back. */
#ifndef VIOPERF_UTIL_H
#define VIOPERF_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes shared by every command. */
enum {
	VP_EXIT_OK = 0,
	VP_EXIT_FAIL = 1,	/* the command ran and found a failure/regression */
	VP_EXIT_USAGE = 2,	/* bad input: options, files; nothing was written */
	VP_EXIT_SKIP = 77,	/* (tests) this host cannot run it */
};

/* Prefix for messages on stderr ("vioperf" by default, "vioperf engine"
 * inside engine processes). */
void util_set_prog(const char *name);

/* "vioperf: <msg>\n" on stderr. */
void util_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, with " (strerror(errnum))" appended. */
void util_errno(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Progress/info line on stderr unless quiet was set. */
void util_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_set_quiet(int quiet);

/* snprintf into why[len]; returns -err so probes can `return util_why(...)`. */
int util_why(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Bounded copy that always terminates; returns -ENAMETOOLONG on truncation. */
int util_strlcpy(char *dst, const char *src, size_t size);

/* Parse a whole decimal unsigned integer (suffixes k, M, G multiply by
 * 1e3/1e6/1e9 when allow_suffix) within [min, max]. 0 or -EINVAL/-ERANGE. */
int util_parse_u64(const char *s, uint64_t min, uint64_t max, int allow_suffix,
		   uint64_t *out);
/* Parse a whole finite double within [min, max]. 0 or -EINVAL/-ERANGE. */
int util_parse_double(const char *s, double min, double max, double *out);

/* CLOCK_MONOTONIC in ns. */
uint64_t util_now_ns(void);
/* CLOCK_REALTIME in ns. */
uint64_t util_wall_ns(void);
/* Sleep ns, restarting after signals unless *stop becomes non-zero. */
void util_sleep_ns(uint64_t ns, volatile int *stop);

/* Read a whole small file (sysfs, /proc) into buf, NUL-terminated, trailing
 * newline stripped. Returns length or -errno. */
int util_read_file(const char *path, char *buf, size_t len);
/* Write a string to a file (sysfs, /proc). 0 or -errno. */
int util_write_file(const char *path, const char *s);

/* Run argv (argv[0] looked up in PATH) and wait; stdout/stderr of the child
 * go to out (if non-NULL, up to outlen-1 bytes, NUL-terminated) else to
 * /dev/null. Returns the exit status (0..255), 128+signal, or -errno when
 * it could not be started. Never goes through a shell. */
int util_run(char *const argv[], char *out, size_t outlen);
/* The same, run in directory dir (NULL: here); 126 when dir cannot be
 * entered. The child's stdin is /dev/null. */
int util_run_in(char *const argv[], const char *dir, char *out,
		size_t outlen);

/* mkdir -p. 0 or -errno. */
int util_mkdir_p(const char *path, unsigned mode);
/* rm -rf of a directory this program created. 0 or -errno. */
int util_rm_rf(const char *path);

#endif
