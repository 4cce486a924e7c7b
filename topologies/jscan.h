/* A small read-only JSON scanner for the output of `ip -j`, `tc -j` and
 * `devlink -j`: no allocation, no tree; a value is a (pointer, length)
 * slice of the caller's text, and objects and arrays are walked in place.
 * Enough for iproute2's machine output, not a general-purpose parser. */
#ifndef VIOPERF_JSCAN_H
#define VIOPERF_JSCAN_H

#include <stddef.h>
#include <stdint.h>

/* One JSON value inside a text: s points at its first character. */
struct jscan {
	const char *s;
	size_t len;
};

/* The value that text (NUL-terminated) starts with, leading blanks skipped.
 * 0, or -EINVAL when it is not well-formed JSON. */
int jscan_init(struct jscan *v, const char *text);

/* Iterate an object or array: *it starts zeroed (it->s == NULL); each call
 * sets *elem (and *key for objects, a string slice with its quotes; may be
 * NULL for arrays) to the next member. 1 while there is one, 0 at the end,
 * -EINVAL when v is not an object/array or is malformed. */
int jscan_next(const struct jscan *v, struct jscan *it, struct jscan *key,
	       struct jscan *elem);

/* The member called name of object v. 0, or -ENOENT / -EINVAL. */
int jscan_get(const struct jscan *v, const char *name, struct jscan *out);

/* 1 when v is the string name (without quotes, no escapes), else 0. */
int jscan_str_eq(const struct jscan *v, const char *name);

/* Copy string v (unquoted; escapes other than \" and \\ kept as-is) into
 * buf. 0, -EINVAL when v is not a string, -ENAMETOOLONG when truncated. */
int jscan_str(const struct jscan *v, char *buf, size_t len);

/* v as an unsigned integer. 0, or -EINVAL. */
int jscan_u64(const struct jscan *v, uint64_t *out);

/* v as a boolean: 1 true, 0 false, -EINVAL otherwise. */
int jscan_bool(const struct jscan *v);

#endif
