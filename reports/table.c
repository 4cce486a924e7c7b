/* Text tables shared by the report writers (table.h). */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/util.h"

int table_init(struct table *t, const char *title, const char *const *head,
	       size_t nb_cols)
{
	memset(t, 0, sizeof(*t));
	if (!nb_cols || nb_cols > TABLE_MAX_COLS)
		return -EINVAL;
	util_strlcpy(t->title, title, sizeof(t->title));
	t->nb_cols = nb_cols;
	for (size_t i = 0; i < nb_cols; i++) {
		t->numeric[i] = head[i][0] == '>';
		t->head[i] = head[i] + t->numeric[i];
	}
	return 0;
}

int table_add(struct table *t, const char *const *cells)
{
	if (t->nb_rows == t->cap) {
		size_t n = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, n * t->nb_cols * sizeof(*c));

		if (!c)
			return -ENOMEM;
		t->cells = c;
		t->cap = n;
	}
	char **row = t->cells + t->nb_rows * t->nb_cols;

	for (size_t i = 0; i < t->nb_cols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -ENOMEM;
		}
	}
	t->nb_rows++;
	return 0;
}

const char *table_cell(const struct table *t, size_t r, size_t c)
{
	return t->cells[r * t->nb_cols + c];
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nb_rows * t->nb_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nb_rows = t->cap = 0;
}
