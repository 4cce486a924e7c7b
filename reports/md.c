/* summary.md: the report's tables in Markdown (report.h: md_write). The
 * text depends on the results only (no dates, no paths), so that it can
 * be kept under version control and compared. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' ||
		    *s == '`' || *s == '<')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void md_table(FILE *f, const struct table *t, const char *empty)
{
	fprintf(f, "## %s\n\n", t->title);
	if (t->note[0])
		fprintf(f, "%s\n\n", t->note);
	if (!t->nb_rows) {
		fprintf(f, "%s\n\n", empty);
		return;
	}
	fputc('|', f);
	for (size_t c = 0; c < t->nb_cols; c++) {
		fputc(' ', f);
		md_cell(f, t->head[c]);
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (size_t c = 0; c < t->nb_cols; c++)
		fputs(t->numeric[c] ? "---:|" : "---|", f);
	fputc('\n', f);
	for (size_t r = 0; r < t->nb_rows; r++) {
		fputc('|', f);
		for (size_t c = 0; c < t->nb_cols; c++) {
			fputc(' ', f);
			md_cell(f, table_cell(t, r, c));
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

int md_write(const struct report *rep, const char *path)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f)
		return -errno;
	fputs("# vioperf report\n\n", f);
	fprintf(f, "%zu result row%s from %zu run%s: ", rep->nb_rows,
		rep->nb_rows == 1 ? "" : "s", rep->nb_in,
		rep->nb_in == 1 ? "" : "s");
	for (size_t i = 0; i < rep->nb_in; i++) {
		fputs(i ? ", " : "", f);
		md_cell(f, rep->in[i].label);
	}
	fprintf(f, ". %zu failed trial%s (left out, counted below), %zu "
		   "emulated row%s (function checks, not speed figures).\n\n",
		rep->nb_failed, rep->nb_failed == 1 ? "" : "s", rep->nb_emulated,
		rep->nb_emulated == 1 ? "" : "s");
	md_table(f, &rep->tables[REPORT_T_RESULTS], "No ok trial measured.");
	if (rep->nb_charts) {
		fputs("## Charts\n\n", f);
		for (size_t i = 0; i < rep->nb_charts; i++)
			fprintf(f, "- [%s](%s.svg) ([PNG](%s.png), "
				   "[gnuplot](%s.gp)): %s\n",
				rep->charts[i].title, rep->charts[i].name,
				rep->charts[i].name, rep->charts[i].name,
				rep->charts[i].caption);
		fputc('\n', f);
	}
	md_table(f, &rep->tables[REPORT_T_FAILED], "None.");
	md_table(f, &rep->tables[REPORT_T_CHECKS], "None.");
	md_table(f, &rep->tables[REPORT_T_UNAVAIL],
		 "None listed (or no run.json).");
	for (size_t i = 0; i < rep->nb_in; i++)
		md_table(f, &rep->meta[i], "No metadata.");
	md_table(f, &rep->tables[REPORT_T_REFS], "");
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return -EIO;
	return 0;
}
