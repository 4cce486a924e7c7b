/* A small reader for run.json (results/SCHEMA.md): the document is
 * flattened into key/value strings, nested members named by path
 * ("options.trials", "unavailable[1].reason", "command[0]"). Enough for
 * the reports; not a general JSON library. */
#ifndef VIOPERF_RUNJSON_H
#define VIOPERF_RUNJSON_H

#include <stddef.h>

struct runjson_kv {
	char key[96];
	char val[512];		/* strings unescaped; numbers, true, false,
				 * null as written */
};

struct runjson {
	struct runjson_kv *kv;
	size_t nb;
};

/* Parse the JSON text s (NUL-terminated). 0, or -EINVAL with "line N:
 * what" in why, or -ENOMEM. */
int runjson_parse(const char *s, struct runjson *j, char *why, size_t len);

/* Read and parse path. -ENOENT when it does not exist (why says so too). */
int runjson_read(const char *path, struct runjson *j, char *why, size_t len);

/* The value of key, or NULL. */
const char *runjson_get(const struct runjson *j, const char *key);

void runjson_free(struct runjson *j);

#endif
