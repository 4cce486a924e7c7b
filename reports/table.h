/* A table of text cells built once and written by both the Markdown and
 * the HTML writers, so that summary.md and index.html always agree. */
#ifndef VIOPERF_TABLE_H
#define VIOPERF_TABLE_H

#include <stddef.h>

#define TABLE_MAX_COLS 20

struct table {
	char title[128];
	char note[512];		/* a paragraph under the title, may be "" */
	size_t nb_cols, nb_rows;
	const char *head[TABLE_MAX_COLS];	/* static strings */
	int numeric[TABLE_MAX_COLS];	/* right-aligned column */
	char **cells;		/* nb_rows * nb_cols, owned */
	size_t cap;
};

/* Start a table with nb_cols columns named head[] (strings that outlive
 * the table); a leading '>' in a name marks a numeric column (and is not
 * shown). 0 or -EINVAL. */
int table_init(struct table *t, const char *title, const char *const *head,
	       size_t nb_cols);

/* Add a row of nb_cols strings (copied; NULL is written as ""). 0 or
 * -ENOMEM. */
int table_add(struct table *t, const char *const *cells);

/* Cell of row r, column c. */
const char *table_cell(const struct table *t, size_t r, size_t c);

void table_free(struct table *t);

#endif
