/* run.json flattened into key/value pairs (runjson.h). */
#include "runjson.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/util.h"

#define RUNJSON_MAX_DEPTH 16
#define RUNJSON_MAX_BYTES (1 << 20)

struct runjson_parser {
	const char *p;
	const char *start;
	struct runjson *j;
	size_t cap;
	char *why;
	size_t why_len;
	int err;
};

static int runjson_fail(struct runjson_parser *ps, const char *what)
{
	unsigned line = 1;

	for (const char *q = ps->start; q < ps->p; q++)
		line += *q == '\n';
	if (!ps->err)
		util_why(ps->why, ps->why_len, EINVAL, "line %u: %s", line, what);
	ps->err = -EINVAL;
	return -EINVAL;
}

static void runjson_ws(struct runjson_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	       *ps->p == '\r')
		ps->p++;
}

static int runjson_add(struct runjson_parser *ps, const char *key,
		       const char *val)
{
	struct runjson *j = ps->j;

	if (j->nb == ps->cap) {
		size_t n = ps->cap ? ps->cap * 2 : 32;
		struct runjson_kv *kv = realloc(j->kv, n * sizeof(*kv));

		if (!kv)
			return -ENOMEM;
		j->kv = kv;
		ps->cap = n;
	}
	snprintf(j->kv[j->nb].key, sizeof(j->kv[j->nb].key), "%s", key);
	snprintf(j->kv[j->nb].val, sizeof(j->kv[j->nb].val), "%s", val);
	j->nb++;
	return 0;
}

/* Append UTF-8 of code point cp to out (bounded). */
static void runjson_utf8(char *out, size_t *n, size_t len, unsigned cp)
{
	char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	}
	for (size_t i = 0; i < k; i++)
		if (*n + 1 < len)
			out[(*n)++] = b[i];
	out[*n] = '\0';
}

static int runjson_string(struct runjson_parser *ps, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	if (*ps->p != '"')
		return runjson_fail(ps, "expected a string");
	ps->p++;
	while (*ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;

		if (!c)
			return runjson_fail(ps, "unterminated string");
		if (c < 0x20)
			return runjson_fail(ps, "control character in a string");
		ps->p++;
		if (c == '\\') {
			char e = *ps->p++;
			unsigned cp = 0;

			switch (e) {
			case '"': case '\\': case '/': c = (unsigned char)e; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				for (int i = 0; i < 4; i++) {
					char h = *ps->p++;

					cp <<= 4;
					if (h >= '0' && h <= '9')
						cp |= (unsigned)(h - '0');
					else if (h >= 'a' && h <= 'f')
						cp |= (unsigned)(h - 'a' + 10);
					else if (h >= 'A' && h <= 'F')
						cp |= (unsigned)(h - 'A' + 10);
					else
						return runjson_fail(ps, "bad \\u escape");
				}
				runjson_utf8(out, &n, len, cp);
				continue;
			default:
				return runjson_fail(ps, "bad escape in a string");
			}
		}
		if (n + 1 < len)
			out[n++] = (char)c;
		out[n] = '\0';
	}
	ps->p++;
	return 0;
}

static int runjson_value(struct runjson_parser *ps, const char *path,
			 int depth);

static int runjson_object(struct runjson_parser *ps, const char *path,
			  int depth)
{
	char key[96], sub[96];
	int ret;

	ps->p++;	/* { */
	runjson_ws(ps);
	if (*ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		runjson_ws(ps);
		if ((ret = runjson_string(ps, key, sizeof(key))) < 0)
			return ret;
		runjson_ws(ps);
		if (*ps->p != ':')
			return runjson_fail(ps, "expected ':' after a member name");
		ps->p++;
		if (snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
			     key) >= (int)sizeof(sub))
			return runjson_fail(ps, "member names nested too long");
		if ((ret = runjson_value(ps, sub, depth + 1)) < 0)
			return ret;
		runjson_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == '}') {
			ps->p++;
			return 0;
		}
		return runjson_fail(ps, "expected ',' or '}' in an object");
	}
}

static int runjson_array(struct runjson_parser *ps, const char *path,
			 int depth)
{
	char sub[96];
	int ret;

	ps->p++;	/* [ */
	runjson_ws(ps);
	if (*ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (unsigned i = 0;; i++) {
		if (snprintf(sub, sizeof(sub), "%s[%u]", path, i) >=
		    (int)sizeof(sub))
			return runjson_fail(ps, "member names nested too long");
		if ((ret = runjson_value(ps, sub, depth + 1)) < 0)
			return ret;
		runjson_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == ']') {
			ps->p++;
			return 0;
		}
		return runjson_fail(ps, "expected ',' or ']' in an array");
	}
}

static int runjson_value(struct runjson_parser *ps, const char *path,
			 int depth)
{
	char val[512];
	size_t n = 0;
	int ret;

	if (depth > RUNJSON_MAX_DEPTH)
		return runjson_fail(ps, "nested too deeply");
	runjson_ws(ps);
	switch (*ps->p) {
	case '{':
		return runjson_object(ps, path, depth);
	case '[':
		return runjson_array(ps, path, depth);
	case '"':
		if ((ret = runjson_string(ps, val, sizeof(val))) < 0)
			return ret;
		break;
	default:
		/* number, true, false, null: copied as written */
		while (*ps->p && strchr("+-.0123456789eEtruefalsn", *ps->p)) {
			if (n + 1 < sizeof(val))
				val[n++] = *ps->p;
			ps->p++;
		}
		val[n] = '\0';
		if (!n)
			return runjson_fail(ps, "expected a value");
		break;
	}
	if ((ret = runjson_add(ps, path, val)) < 0)
		return ret;
	return 0;
}

int runjson_parse(const char *s, struct runjson *j, char *why, size_t len)
{
	struct runjson_parser ps = { s, s, j, 0, why, len, 0 };
	int ret;

	memset(j, 0, sizeof(*j));
	runjson_ws(&ps);
	if (*ps.p != '{')
		ret = runjson_fail(&ps, "expected a JSON object");
	else
		ret = runjson_value(&ps, "", 0);
	if (!ret) {
		runjson_ws(&ps);
		if (*ps.p)
			ret = runjson_fail(&ps, "text after the end of the object");
	}
	if (ret < 0) {
		runjson_free(j);
		if (ret == -ENOMEM)
			util_why(why, len, ENOMEM, "out of memory");
	}
	return ret;
}

int runjson_read(const char *path, struct runjson *j, char *why, size_t len)
{
	char *buf;
	size_t got = 0;
	int fd, ret;
	char inner[256];

	memset(j, 0, sizeof(*j));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return util_why(why, len, errno, "%s: %s", path, strerror(errno));
	buf = malloc(RUNJSON_MAX_BYTES + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, RUNJSON_MAX_BYTES - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = util_why(why, len, errno, "%s: %s", path,
				       strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == RUNJSON_MAX_BYTES) {
			ret = util_why(why, len, EFBIG, "%s: larger than %d bytes",
				       path, RUNJSON_MAX_BYTES);
			goto out;
		}
	}
	buf[got] = '\0';
	ret = runjson_parse(buf, j, inner, sizeof(inner));
	if (ret < 0)
		util_why(why, len, ret, "%s: %s", path, inner);
out:
	free(buf);
	close(fd);
	return ret;
}

const char *runjson_get(const struct runjson *j, const char *key)
{
	for (size_t i = 0; i < j->nb; i++)
		if (!strcmp(j->kv[i].key, key))
			return j->kv[i].val;
	return NULL;
}

void runjson_free(struct runjson *j)
{
	if (!j)
		return;
	free(j->kv);
	j->kv = NULL;
	j->nb = 0;
}
