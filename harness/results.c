/* The results schema: the column table, the crash-safe CSV writer and the
 * libcsv reader (results.h, results/SCHEMA.md). */
#include "results.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define COL(field, type, req) \
	{ #field, type, offsetof(struct result_row, field), \
	  sizeof(((struct result_row *)0)->field), req }

const struct result_col result_cols[] = {
	COL(run_id, COL_STR, 1),
	COL(datapath, COL_STR, 1),
	COL(variant, COL_STR, 1),
	COL(direction, COL_STR, 1),
	COL(frame_len, COL_U16_FRAME, 1),
	COL(trial, COL_INT, 1),
	COL(duration_s, COL_DBL, 1),
	COL(offered_pps, COL_DBL, 1),
	COL(tx_pps, COL_DBL, 1),
	COL(rx_pps, COL_DBL, 1),
	COL(loss_ratio, COL_DBL, 1),
	COL(lost, COL_U64, 1),
	COL(reordered, COL_U64, 1),
	COL(duplicated, COL_U64, 1),
	COL(corrupted, COL_U64, 1),
	COL(lat_p50_ns, COL_DBL, 1),
	COL(lat_p90_ns, COL_DBL, 1),
	COL(lat_p99_ns, COL_DBL, 1),
	COL(lat_p999_ns, COL_DBL, 1),
	COL(lat_max_ns, COL_DBL, 1),
	COL(cpu_cores, COL_DBL, 1),
	COL(cycles_per_pkt, COL_DBL, 1),
	COL(busy_ratio, COL_DBL, 1),
	COL(status, COL_STR, 1),
	COL(rate_kind, COL_STR, 0),
	COL(target_pps, COL_DBL, 0),
	COL(tx_pkts, COL_U64, 0),
	COL(rx_pkts, COL_U64, 0),
	COL(lat_samples, COL_U64, 0),
	COL(cpu_tx_cores, COL_DBL, 0),
	COL(cpu_rx_cores, COL_DBL, 0),
	COL(cpu_kernel_cores, COL_DBL, 0),
	COL(busy_ratio_tx, COL_DBL, 0),
	COL(busy_ratio_rx, COL_DBL, 0),
	COL(tsc_hz, COL_DBL, 0),
	COL(emulated, COL_INT, 0),
	COL(load_pct, COL_DBL, 0),
	COL(search_lo_pps, COL_DBL, 0),
	COL(search_hi_pps, COL_DBL, 0),
	COL(offered_short, COL_INT, 0),
	COL(hw_cycles, COL_U64, 0),
	COL(hw_instructions, COL_U64, 0),
	COL(hw_rule_pkts, COL_U64, 0),
	COL(hw_rule_bytes, COL_U64, 0),
	COL(traffic, COL_STR, 0),
	COL(tx_unstamped, COL_U64, 0),
	COL(rx_foreign, COL_U64, 0),
};
const size_t result_nb_cols = sizeof(result_cols) / sizeof(result_cols[0]);

/* Numbers are written and read in the "C" locale whatever the process
 * locale is, so a results.csv means the same on every host. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t results_c_locale(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale;
}

/* A bounded output buffer; overflow is remembered, not written past. */
struct results_buf {
	char *p;
	size_t len, used;
	int overflow;
};

static void results_buf_put(struct results_buf *b, const char *s, size_t n)
{
	if (b->overflow || b->used + n >= b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->used, s, n);
	b->used += n;
	b->p[b->used] = '\0';
}

static void results_buf_str(struct results_buf *b, const char *s)
{
	results_buf_put(b, s, strlen(s));
}

/* A CSV field: quoted (quotes doubled) when it holds a delimiter, a quote or
 * surrounding blanks. Control characters become spaces so that a row is
 * always exactly one line. */
static void results_put_field(struct results_buf *b, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	int quote = n && (s[0] == ' ' || s[n - 1] == ' ');

	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || (unsigned char)s[i] < 0x20)
			quote = 1;
	if (quote)
		results_buf_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == '"')
			results_buf_put(b, "\"", 1);
		results_buf_put(b, &c, 1);
	}
	if (quote)
		results_buf_put(b, "\"", 1);
}

/* Shortest decimal that reads back to the same double; NaN (not
 * measured) is an empty field, infinities are clamped to an empty field
 * too because no column has a meaning for them. */
static void results_put_double(struct results_buf *b, double v)
{
	char tmp[40];
	locale_t old;

	if (!isfinite(v))
		return;
	old = uselocale(results_c_locale());
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod_l(tmp, NULL, results_c_locale()) == v)
			break;
	}
	uselocale(old);
	results_buf_str(b, tmp);
}

const char *results_frame_name(uint16_t frame_len, char *buf, size_t len)
{
	if (frame_len == 0)
		snprintf(buf, len, "imix");
	else
		snprintf(buf, len, "%u", (unsigned)frame_len);
	return buf;
}

static void results_put_header(struct results_buf *b)
{
	for (size_t i = 0; i < result_nb_cols; i++) {
		if (i)
			results_buf_put(b, ",", 1);
		results_buf_str(b, result_cols[i].name);
	}
	results_buf_put(b, "\n", 1);
}

int results_write_header(FILE *f)
{
	char line[2048];
	struct results_buf b = { line, sizeof(line), 0, 0 };

	results_put_header(&b);
	if (b.overflow)
		return -ENOSPC;
	if (fputs(line, f) == EOF)
		return -EIO;
	return 0;
}

int results_format_row(const struct result_row *r, char *buf, size_t len)
{
	struct results_buf b = { buf, len, 0, 0 };
	const char *base = (const char *)r;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (size_t i = 0; i < result_nb_cols; i++) {
		const struct result_col *c = &result_cols[i];
		const void *p = base + c->off;
		char tmp[32];

		if (i)
			results_buf_put(&b, ",", 1);
		switch (c->type) {
		case COL_STR:
			results_put_field(&b, p, c->size);
			break;
		case COL_U16_FRAME: {
			uint16_t v;

			memcpy(&v, p, sizeof(v));
			results_buf_str(&b, results_frame_name(v, tmp, sizeof(tmp)));
			break;
		}
		case COL_INT: {
			int v;

			memcpy(&v, p, sizeof(v));
			snprintf(tmp, sizeof(tmp), "%d", v);
			results_buf_str(&b, tmp);
			break;
		}
		case COL_U64: {
			uint64_t v;

			memcpy(&v, p, sizeof(v));
			snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
			results_buf_str(&b, tmp);
			break;
		}
		case COL_DBL: {
			double v;

			memcpy(&v, p, sizeof(v));
			results_put_double(&b, v);
			break;
		}
		}
	}
	results_buf_put(&b, "\n", 1);
	if (b.overflow)
		return -ENOSPC;
	return (int)b.used;
}

/* ------------------------------------------------------------------ */
/* Writer                                                               */

struct results_file {
	int fd;
	off_t size;		/* bytes of complete lines written */
	char path[4096];
};

/* Write all of buf at rf->size or nothing: a short write (disk full) is cut
 * back so that the file never ends in half a row. */
static int results_write_line(struct results_file *rf, const char *buf,
			      size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = pwrite(rf->fd, buf + done, n - done,
				   rf->size + (off_t)done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;

			if (ftruncate(rf->fd, rf->size) < 0) {
				/* nothing better to do: the reader will flag
				 * the truncated line */
			}
			return -e;
		}
		done += (size_t)w;
	}
	if (fdatasync(rf->fd) < 0)
		return -errno;
	rf->size += (off_t)n;
	return 0;
}

int results_open(struct results_file **out, const char *dir)
{
	struct results_file *rf;
	char line[2048];
	struct results_buf b = { line, sizeof(line), 0, 0 };
	int ret, dfd;

	*out = NULL;
	ret = util_mkdir_p(dir, 0755);
	if (ret < 0)
		return ret;
	rf = calloc(1, sizeof(*rf));
	if (!rf)
		return -ENOMEM;
	if (snprintf(rf->path, sizeof(rf->path), "%s/results.csv", dir) >=
	    (int)sizeof(rf->path)) {
		free(rf);
		return -ENAMETOOLONG;
	}
	rf->fd = open(rf->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (rf->fd < 0) {
		ret = -errno;
		free(rf);
		return ret;
	}
	results_put_header(&b);
	ret = b.overflow ? -ENOSPC : results_write_line(rf, line, b.used);
	if (ret < 0) {
		close(rf->fd);
		unlink(rf->path);
		free(rf);
		return ret;
	}
	/* make the new directory entry durable too */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	*out = rf;
	return 0;
}

int results_append(struct results_file *rf, const struct result_row *r)
{
	char line[8192];
	int n;

	if (!rf)
		return -EINVAL;
	n = results_format_row(r, line, sizeof(line));
	if (n < 0)
		return n;
	return results_write_line(rf, line, (size_t)n);
}

void results_close(struct results_file *rf)
{
	if (!rf)
		return;
	if (rf->fd >= 0)
		close(rf->fd);
	free(rf);
}

/* ------------------------------------------------------------------ */
/* Reader                                                               */

#define RESULTS_MAX_FIELDS 256

struct results_parse {
	const char *file;
	struct result_set *set;
	size_t cap;
	char *why;
	size_t why_len;
	int err;		/* first error, -EINVAL */
	unsigned long line;	/* line the current record started on */
	unsigned long next_nl;	/* newlines inside quoted fields of it */
	int have_header;
	size_t nb_hdr;
	int map[RESULTS_MAX_FIELDS];	/* header field -> column or -1 */
	char hdr_names[RESULTS_MAX_FIELDS][64];
	size_t nb_fields;	/* fields of the current record */
	struct result_row row;
};

static int results_parse_value(const struct result_col *c, const char *s,
			       size_t n, void *dst)
{
	char *end;

	switch (c->type) {
	case COL_STR:
		if (n >= c->size)
			return -ENAMETOOLONG;
		memcpy(dst, s, n);
		((char *)dst)[n] = '\0';
		return 0;
	case COL_U16_FRAME: {
		uint64_t v;
		uint16_t f;

		if (!strcmp(s, "imix")) {
			f = 0;
		} else {
			if (util_parse_u64(s, 1, UINT16_MAX, 0, &v) < 0)
				return -EINVAL;
			f = (uint16_t)v;
		}
		memcpy(dst, &f, sizeof(f));
		return 0;
	}
	case COL_INT: {
		long v;

		if (!n || s[0] == ' ')
			return -EINVAL;
		errno = 0;
		v = strtol(s, &end, 10);
		if (*end || errno || v < INT_MIN || v > INT_MAX)
			return -EINVAL;
		int iv = (int)v;

		memcpy(dst, &iv, sizeof(iv));
		return 0;
	}
	case COL_U64: {
		uint64_t v;

		if (util_parse_u64(s, 0, UINT64_MAX, 0, &v) < 0)
			return -EINVAL;
		memcpy(dst, &v, sizeof(v));
		return 0;
	}
	case COL_DBL: {
		double v;

		if (!n) {
			v = NAN;	/* not measured */
		} else {
			if (s[0] == ' ')
				return -EINVAL;
			errno = 0;
			v = strtod_l(s, &end, results_c_locale());
			if (*end || errno == ERANGE || isinf(v))
				return -EINVAL;
		}
		memcpy(dst, &v, sizeof(v));
		return 0;
	}
	}
	return -EINVAL;
}

static const char *results_type_hint(enum col_type t)
{
	switch (t) {
	case COL_STR: return "text";
	case COL_U16_FRAME: return "a frame length 1..65535 or \"imix\"";
	case COL_INT: return "an integer";
	case COL_U64: return "a non-negative integer";
	case COL_DBL: return "a decimal number (empty = not measured)";
	}
	return "?";
}

static void results_fail(struct results_parse *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void results_fail(struct results_parse *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->err)
		return;
	ps->err = -EINVAL;
	if (!ps->why || !ps->why_len)
		return;
	n = snprintf(ps->why, ps->why_len, "%s:%lu: ", ps->file, ps->line);
	if (n < 0 || (size_t)n >= ps->why_len)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->why + n, ps->why_len - (size_t)n, fmt, ap);
	va_end(ap);
}

static void results_on_field(void *s, size_t n, void *data)
{
	struct results_parse *ps = data;
	const char *str = s ? s : "";
	size_t idx = ps->nb_fields++;

	if (!s)
		n = 0;
	for (size_t i = 0; i < n; i++)
		if (str[i] == '\n')
			ps->next_nl++;
	if (ps->err)
		return;
	if (!ps->have_header) {
		if (idx >= RESULTS_MAX_FIELDS) {
			results_fail(ps, "more than %d columns in the header; "
				     "is this a vioperf results.csv?",
				     RESULTS_MAX_FIELDS);
			return;
		}
		snprintf(ps->hdr_names[idx], sizeof(ps->hdr_names[idx]), "%.*s",
			 (int)n, str);
		ps->map[idx] = -1;
		for (size_t c = 0; c < result_nb_cols; c++)
			if (strlen(result_cols[c].name) == n &&
			    !memcmp(result_cols[c].name, str, n))
				ps->map[idx] = (int)c;
		for (size_t j = 0; j < idx; j++)
			if (!strcmp(ps->hdr_names[j], ps->hdr_names[idx])) {
				results_fail(ps, "column %s: appears twice in "
					     "the header; remove one",
					     ps->hdr_names[idx]);
				return;
			}
		return;
	}
	if (idx >= ps->nb_hdr) {
		results_fail(ps, "%zu fields or more, but the header has %zu; "
			     "quote values that contain commas",
			     idx + 1, ps->nb_hdr);
		return;
	}
	if (ps->map[idx] < 0)
		return;
	const struct result_col *c = &result_cols[ps->map[idx]];
	int ret = results_parse_value(c, str, n, (char *)&ps->row + c->off);

	if (ret == -ENAMETOOLONG)
		results_fail(ps, "column %s: value is %zu bytes, at most %zu "
			     "fit; shorten it", c->name, n, c->size - 1);
	else if (ret < 0)
		results_fail(ps, "column %s: '%.*s' is not %s; fix or remove "
			     "the row", c->name, (int)(n > 40 ? 40 : n), str,
			     results_type_hint(c->type));
}

static void results_end_header(struct results_parse *ps)
{
	ps->nb_hdr = ps->nb_fields;
	ps->have_header = 1;
	for (size_t c = 0; c < result_nb_cols; c++) {
		int found = 0;

		if (!result_cols[c].required)
			continue;
		for (size_t i = 0; i < ps->nb_hdr; i++)
			if (ps->map[i] == (int)c)
				found = 1;
		if (!found) {
			results_fail(ps, "column %s: missing from the header; "
				     "a vioperf results.csv needs it (see "
				     "results/SCHEMA.md)", result_cols[c].name);
			return;
		}
	}
}

static void results_on_record(int term, void *data)
{
	struct results_parse *ps = data;

	if (!ps->err) {
		if (term == -1) {
			results_fail(ps, "truncated line (no end of line); the "
				     "writer was interrupted: remove the last "
				     "line");
		} else if (!ps->have_header) {
			results_end_header(ps);
		} else if (ps->nb_fields < ps->nb_hdr) {
			results_fail(ps, "column %s: missing; the line has %zu "
				     "fields, the header %zu (truncated line?)",
				     ps->hdr_names[ps->nb_fields],
				     ps->nb_fields, ps->nb_hdr);
		} else {
			if (ps->set->nb_rows == ps->cap) {
				size_t cap = ps->cap ? ps->cap * 2 : 64;
				struct result_row *r = realloc(ps->set->rows,
							       cap * sizeof(*r));

				if (!r) {
					ps->err = -ENOMEM;
					util_why(ps->why, ps->why_len, ENOMEM,
						 "%s: out of memory", ps->file);
					return;
				}
				ps->set->rows = r;
				ps->cap = cap;
			}
			ps->set->rows[ps->set->nb_rows++] = ps->row;
		}
	}
	memset(&ps->row, 0, sizeof(ps->row));
	ps->nb_fields = 0;
	ps->line += 1 + ps->next_nl;
	ps->next_nl = 0;
}

static int results_resolve(const char *path, char *file, size_t len,
			   char *why, size_t why_len)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return util_why(why, why_len, errno, "%s: %s; give a results "
				"directory or its results.csv", path,
				strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);

		while (n > 1 && path[n - 1] == '/')
			n--;
		if (snprintf(file, len, "%.*s/results.csv", (int)n, path) >=
		    (int)len)
			return util_why(why, why_len, ENAMETOOLONG,
					"%s: path too long", path);
		if (stat(file, &st) < 0)
			return util_why(why, why_len, errno, "%s: %s; is %s a "
					"vioperf results directory?", file,
					strerror(errno), path);
	} else if (util_strlcpy(file, path, len) < 0) {
		return util_why(why, why_len, ENAMETOOLONG, "%s: path too long",
				path);
	}
	if (!S_ISREG(st.st_mode))
		return util_why(why, why_len, EINVAL, "%s: not a regular file",
				file);
	return 0;
}

int results_read(const char *path, struct result_set *set, char *why,
		 size_t len)
{
	struct results_parse *ps;
	struct csv_parser p;
	char buf[65536];
	int fd, ret = 0;
	size_t total = 0;

	memset(set, 0, sizeof(*set));
	ret = results_resolve(path, set->source, sizeof(set->source), why, len);
	if (ret < 0)
		return ret;
	fd = open(set->source, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return util_why(why, len, errno, "%s: %s", set->source,
				strerror(errno));
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		close(fd);
		return -ENOMEM;
	}
	ps->file = set->source;
	ps->set = set;
	ps->why = why;
	ps->why_len = len;
	ps->line = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(ps);
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = util_why(why, len, errno, "%s: %s", set->source,
				       strerror(errno));
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (csv_parse(&p, buf, (size_t)n, results_on_field,
			      results_on_record, ps) != (size_t)n) {
			results_fail(ps, "%s; check the quoting of this line",
				     csv_strerror(csv_error(&p)));
			break;
		}
		if (ps->err)
			break;
	}
	if (!ret && !ps->err && csv_fini(&p, results_on_field,
					 results_on_record, ps) != 0)
		results_fail(ps, "%s (an unterminated quote?); remove the "
			     "broken last line", csv_strerror(csv_error(&p)));
	csv_free(&p);
	close(fd);
	if (!ret && ps->err)
		ret = ps->err;
	if (!ret && total == 0)
		ret = util_why(why, len, EINVAL, "%s:1: empty file; a results.csv "
			       "starts with a header line (was the run "
			       "interrupted before it began?)", set->source);
	else if (!ret && !ps->have_header)
		ret = util_why(why, len, EINVAL, "%s:1: no header line; this is "
			       "not a vioperf results.csv", set->source);
	else if (!ret && set->nb_rows == 0)
		ret = util_why(why, len, EINVAL, "%s:%lu: header only, no rows; "
			       "the run finished no trial", set->source,
			       ps->line);
	free(ps);
	if (ret < 0) {
		char keep[sizeof(set->source)];

		memcpy(keep, set->source, sizeof(keep));
		results_free(set);
		memcpy(set->source, keep, sizeof(keep));
	}
	return ret;
}

void results_free(struct result_set *set)
{
	if (!set)
		return;
	free(set->rows);
	memset(set, 0, sizeof(*set));
}
