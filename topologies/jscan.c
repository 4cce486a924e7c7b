/* Read-only JSON scanning in place (see jscan.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"

#define JSCAN_MAX_DEPTH 64

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* End of the value starting at p (one past its last char), or NULL. */
static const char *skip_value(const char *p, const char *end, int depth)
{
	if (p >= end || depth > JSCAN_MAX_DEPTH)
		return NULL;
	if (*p == '"') {
		for (p++; p < end; p++) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				return p + 1;
		}
		return NULL;
	}
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = skip_ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (p >= end || *p != '"')
					return NULL;
				p = skip_value(p, end, depth + 1);
				if (!p)
					return NULL;
				p = skip_ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p = skip_ws(p + 1, end);
			}
			p = skip_value(p, end, depth + 1);
			if (!p)
				return NULL;
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == close)
				return p + 1;
			return NULL;
		}
	}
	/* number, true, false, null */
	{
		const char *q = p;

		while (q < end && (strchr("+-.eE", *q) || (*q >= '0' && *q <= '9') ||
				   (*q >= 'a' && *q <= 'z')))
			q++;
		return q > p ? q : NULL;
	}
}

int jscan_init(struct jscan *v, const char *text)
{
	const char *end = text + strlen(text);
	const char *p = skip_ws(text, end);
	const char *q = skip_value(p, end, 0);

	if (!q)
		return -EINVAL;
	v->s = p;
	v->len = (size_t)(q - p);
	return 0;
}

int jscan_next(const struct jscan *v, struct jscan *it, struct jscan *key,
	       struct jscan *elem)
{
	const char *end = v->s + v->len;
	const char *p;
	int is_obj;

	if (!v->len || (v->s[0] != '{' && v->s[0] != '['))
		return -EINVAL;
	is_obj = v->s[0] == '{';
	if (!it->s) {
		p = skip_ws(v->s + 1, end);
	} else {
		p = skip_ws(it->s + it->len, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	if (p >= end || *p == '}' || *p == ']')
		return 0;
	if (is_obj) {
		const char *k = p;

		p = skip_value(p, end, 1);
		if (!p || *k != '"')
			return -EINVAL;
		if (key) {
			key->s = k;
			key->len = (size_t)(p - k);
		}
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			return -EINVAL;
		p = skip_ws(p + 1, end);
	}
	elem->s = p;
	p = skip_value(p, end, 1);
	if (!p)
		return -EINVAL;
	elem->len = (size_t)(p - elem->s);
	*it = *elem;
	return 1;
}

int jscan_str_eq(const struct jscan *v, const char *name)
{
	size_t n = strlen(name);

	return v->len == n + 2 && v->s[0] == '"' && !memcmp(v->s + 1, name, n);
}

int jscan_get(const struct jscan *v, const char *name, struct jscan *out)
{
	struct jscan it = { 0 }, key, val;
	int rc;

	if (!v->len || v->s[0] != '{')
		return -EINVAL;
	while ((rc = jscan_next(v, &it, &key, &val)) > 0) {
		if (jscan_str_eq(&key, name)) {
			*out = val;
			return 0;
		}
	}
	return rc < 0 ? rc : -ENOENT;
}

int jscan_str(const struct jscan *v, char *buf, size_t len)
{
	size_t o = 0;

	if (v->len < 2 || v->s[0] != '"' || !len)
		return -EINVAL;
	for (size_t i = 1; i + 1 < v->len; i++) {
		char c = v->s[i];

		if (c == '\\' && i + 2 < v->len &&
		    (v->s[i + 1] == '"' || v->s[i + 1] == '\\'))
			c = v->s[++i];
		if (o + 1 >= len) {
			buf[o] = '\0';
			return -ENAMETOOLONG;
		}
		buf[o++] = c;
	}
	buf[o] = '\0';
	return 0;
}

int jscan_u64(const struct jscan *v, uint64_t *out)
{
	char tmp[32];
	char *end;

	if (!v->len || v->len >= sizeof(tmp) || v->s[0] < '0' || v->s[0] > '9')
		return -EINVAL;
	memcpy(tmp, v->s, v->len);
	tmp[v->len] = '\0';
	errno = 0;
	*out = strtoull(tmp, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

int jscan_bool(const struct jscan *v)
{
	if (v->len == 4 && !memcmp(v->s, "true", 4))
		return 1;
	if (v->len == 5 && !memcmp(v->s, "false", 5))
		return 0;
	return -EINVAL;
}
