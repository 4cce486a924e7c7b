/* index.html: charts and tables in one self-contained page (no network),
 * readable on a phone and on paper (report.h: html_write). */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char html_css[] =
	":root{color-scheme:light}\n"
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"margin:0 auto;max-width:1200px;padding:0 1rem 2rem;color:#1a1a1a;"
	"background:#fff;line-height:1.45}\n"
	"h1{font-size:1.6rem;margin:1rem 0 .3rem}\n"
	"h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #ccc}\n"
	"p.note{color:#444;font-size:.92rem;max-width:60rem}\n"
	"nav{font-size:.92rem;margin:.5rem 0 1rem;display:flex;flex-wrap:wrap;"
	"gap:.3rem 1rem}\n"
	"nav a{white-space:nowrap}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(min(100%,700px),1fr));gap:1.2rem}\n"
	"figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.5rem;"
	"break-inside:avoid}\n"
	"figure img{width:100%;height:auto;display:block}\n"
	"figcaption{font-size:.85rem;color:#333;margin-top:.4rem}\n"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}\n"
	"table{border-collapse:collapse;font-size:.85rem;margin:.3rem 0 1rem}\n"
	"th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;"
	"vertical-align:top;white-space:nowrap}\n"
	"td.w{white-space:normal;min-width:16rem}\n"
	"th{background:#f0f0f0;position:sticky;top:0}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n"
	"tr:nth-child(even) td{background:#fafafa}\n"
	".warn{background:#fff4e0;border-left:4px solid #e0a000;padding:.4rem .8rem}\n"
	"@media (max-width:600px){body{padding:0 .5rem}h1{font-size:1.3rem}"
	"table{font-size:.78rem}}\n"
	"@media print{nav,.noprint{display:none}body{max-width:none;padding:0;"
	"font-size:10pt}.scroll{overflow:visible}.charts{display:block}"
	"figure{border:0;page-break-inside:avoid;margin-bottom:1rem}"
	"figure img{max-width:16cm}table{font-size:7pt;page-break-inside:auto}"
	"th,td{padding:1px 3px;white-space:normal}th{position:static}"
	"tr{page-break-inside:avoid}h2{page-break-after:avoid}"
	"a{color:inherit;text-decoration:none}}\n";

/* Marks images that did not load, so a headless browser can check the
 * page (body data-images-broken). */
static const char html_js[] =
	"window.addEventListener('load',function(){var im=document.images,"
	"bad=0;for(var i=0;i<im.length;i++){if(!im[i].complete||"
	"im[i].naturalWidth===0){bad++;im[i].setAttribute('data-broken','1');}}"
	"document.body.setAttribute('data-images',im.length);"
	"document.body.setAttribute('data-images-broken',bad);});\n";

static void html_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void html_table(FILE *f, const struct table *t, const char *id,
		       const char *empty)
{
	fprintf(f, "<section id=\"%s\"><h2>", id);
	html_esc(f, t->title);
	fputs("</h2>\n", f);
	if (t->note[0]) {
		fputs("<p class=\"note\">", f);
		html_esc(f, t->note);
		fputs("</p>\n", f);
	}
	if (!t->nb_rows) {
		fputs("<p>", f);
		html_esc(f, empty);
		fputs("</p></section>\n", f);
		return;
	}
	fputs("<div class=\"scroll\"><table>\n<thead><tr>", f);
	for (size_t c = 0; c < t->nb_cols; c++) {
		fprintf(f, "<th%s>", t->numeric[c] ? " class=\"n\"" : "");
		html_esc(f, t->head[c]);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t r = 0; r < t->nb_rows; r++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < t->nb_cols; c++) {
			const char *v = table_cell(t, r, c);

			/* long text (reasons, commands) wraps, short cells
			 * stay on one line */
			fprintf(f, "<td%s>", t->numeric[c]	? " class=\"n\""
					     : strlen(v) > 40 ? " class=\"w\""
							      : "");
			html_esc(f, v);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div></section>\n", f);
}

int html_write(const struct report *rep, const char *path)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f)
		return -errno;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,"
	      "initial-scale=1\">\n<title>vioperf report: ", f);
	for (size_t i = 0; i < rep->nb_in; i++) {
		fputs(i ? ", " : "", f);
		html_esc(f, rep->in[i].label);
	}
	fprintf(f, "</title>\n<style>\n%s</style>\n<script>\n%s</script>\n"
		   "</head><body>\n<h1>vioperf report</h1>\n<p>", html_css,
		html_js);
	fprintf(f, "%zu result row%s from %zu run%s: ", rep->nb_rows,
		rep->nb_rows == 1 ? "" : "s", rep->nb_in,
		rep->nb_in == 1 ? "" : "s");
	for (size_t i = 0; i < rep->nb_in; i++) {
		fputs(i ? ", " : "", f);
		fputs("<code>", f);
		html_esc(f, rep->in[i].label);
		fputs("</code>", f);
	}
	fprintf(f, ". %zu failed trial%s (left out, counted below), %zu "
		   "emulated row%s (function checks, not speed figures).</p>\n",
		rep->nb_failed, rep->nb_failed == 1 ? "" : "s", rep->nb_emulated,
		rep->nb_emulated == 1 ? "" : "s");
	for (size_t i = 0; i < rep->nb_in; i++) {
		const char *intr = runjson_get(&rep->in[i].meta, "interrupted");

		if (intr && !strcmp(intr, "true")) {
			fputs("<p class=\"warn\">Run <code>", f);
			html_esc(f, rep->in[i].label);
			fputs("</code> was interrupted: its rows are valid but "
			      "the set is incomplete.</p>\n", f);
		}
	}
	fputs("<nav><a href=\"#charts\">Charts</a><a href=\"#results\">Results"
	      "</a><a href=\"#failed\">Failed trials</a><a href=\"#checks\">"
	      "Function checks</a><a href=\"#unavailable\">Unavailable</a>"
	      "<a href=\"#metadata\">Run metadata</a><a href=\"#references\">"
	      "References</a><a href=\"summary.md\">summary.md</a></nav>\n", f);
	fputs("<section id=\"charts\"><h2>Charts</h2>\n", f);
	if (!rep->nb_charts)
		fputs("<p>No measured (non-emulated, ok) trial to chart.</p>\n", f);
	else
		fputs("<div class=\"charts\">\n", f);
	for (size_t i = 0; i < rep->nb_charts; i++) {
		const struct report_chart *c = &rep->charts[i];

		fprintf(f, "<figure id=\"chart-%s\"><img src=\"%s.svg\" "
			   "width=\"900\" height=\"540\" alt=\"", c->name, c->name);
		html_esc(f, c->title);
		fputs("\"><figcaption><b>", f);
		html_esc(f, c->title);
		fputs(".</b> ", f);
		html_esc(f, c->caption);
		fprintf(f, " <span class=\"noprint\"><a href=\"%s.png\">PNG</a> "
			   "<a href=\"%s.svg\">SVG</a> <a href=\"%s.gp\">gnuplot"
			   "</a></span></figcaption></figure>\n",
			c->name, c->name, c->name);
	}
	if (rep->nb_charts)
		fputs("</div>\n", f);
	fputs("</section>\n", f);
	html_table(f, &rep->tables[REPORT_T_RESULTS], "results",
		   "No ok trial measured.");
	html_table(f, &rep->tables[REPORT_T_FAILED], "failed", "None.");
	html_table(f, &rep->tables[REPORT_T_CHECKS], "checks", "None.");
	html_table(f, &rep->tables[REPORT_T_UNAVAIL], "unavailable",
		   "None listed (or no run.json).");
	fputs("<div id=\"metadata\">\n", f);
	for (size_t i = 0; i < rep->nb_in; i++) {
		char id[32];

		snprintf(id, sizeof(id), "metadata-%zu", i + 1);
		html_table(f, &rep->meta[i], id, "No metadata.");
	}
	fputs("</div>\n", f);
	html_table(f, &rep->tables[REPORT_T_REFS], "references", "");
	fputs("</body></html>\n", f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return -EIO;
	return 0;
}
