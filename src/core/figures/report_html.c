/* A report as one self-contained HTML page: inline CSS, stat cards, pie and
 * bar charts drawn as inline SVG, and every table.  No script and nothing
 * fetched from the network, so the page opens anywhere, offline. */
#include <math.h>
#include <string.h>

#include "crm/error.h"
#include "crm/report.h"

static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
};
#define NCOLORS (sizeof(palette) / sizeof(*palette))

/* The one HTML escape (crm_buf_add_xml), NULL read as empty. */
static void esc(struct crm_buf *b, const char *s)
{
	crm_buf_add_xml(b, s ? s : "");
}

static void esc_cell(struct crm_buf *b, const struct crm_cell *c)
{
	struct crm_buf t = CRM_BUF_INIT;
	crm_cell_format(&t, c, false);
	esc(b, t.ptr);
	crm_buf_release(&t);
}

static const char style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
	"'Noto Sans CJK SC',sans-serif;margin:24px;color:#222;background:#f6f7f9}"
	"h1{font-size:22px;margin:0 0 4px}p.meta{color:#555;margin:0 0 18px;font-size:13px}"
	"p.warning{color:#8a4b00;margin:0 0 18px;font-size:13px}"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:20px}"
	".card{background:#fff;border-radius:8px;padding:12px 16px;min-width:150px;"
	"box-shadow:0 1px 3px rgba(0,0,0,.12)}"
	".card .label{font-size:12px;color:#666;text-transform:uppercase;letter-spacing:.04em}"
	".card .value{font-size:22px;font-weight:600;margin-top:4px;white-space:nowrap}"
	".charts{display:flex;flex-wrap:wrap;gap:16px;margin-bottom:20px}"
	"figure{background:#fff;border-radius:8px;margin:0;padding:12px 16px;"
	"box-shadow:0 1px 3px rgba(0,0,0,.12)}"
	"figcaption{font-weight:600;margin-bottom:8px}"
	".legend{font-size:12px;list-style:none;padding:0;margin:8px 0 0}"
	".legend li{margin:2px 0}.sw{display:inline-block;width:10px;height:10px;"
	"margin-right:6px;border-radius:2px}"
	"section{background:#fff;border-radius:8px;padding:12px 16px;margin-bottom:16px;"
	"box-shadow:0 1px 3px rgba(0,0,0,.12);overflow-x:auto}"
	"h2{font-size:16px;margin:0 0 8px}table{border-collapse:collapse;font-size:13px}"
	"th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:left}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#fafafa}";

static void cards(struct crm_buf *b, const struct crm_report *r)
{
	size_t i;
	if (!r->cards.len)
		return;
	crm_buf_adds(b, "<div class=\"cards\">\n");
	for (i = 0; i < r->cards.len; i++) {
		crm_buf_addf(b, "<div class=\"card\" id=\"card-%s\"><div class=\"label\">",
			     r->cards.ptr[i].key);
		esc(b, r->cards.ptr[i].label);
		crm_buf_adds(b, "</div><div class=\"value\">");
		if (r->cards.ptr[i].value.kind == CRM_CELL_NULL)
			crm_buf_adds(b, "–");
		else
			esc_cell(b, &r->cards.ptr[i].value);
		crm_buf_adds(b, "</div></div>\n");
	}
	crm_buf_adds(b, "</div>\n");
}

static void legend_item(struct crm_buf *b, size_t i, const struct crm_cell *label,
			const struct crm_cell *value, double share)
{
	crm_buf_addf(b, "<li><span class=\"sw\" style=\"background:%s\"></span>",
		     palette[i % NCOLORS]);
	esc_cell(b, label);
	crm_buf_adds(b, ": ");
	esc_cell(b, value);
	crm_buf_addf(b, " (%.1f%%)</li>\n", share * 100);
}

static void pie(struct crm_buf *b, const struct crm_report_table *t,
		const struct crm_report_chart *c)
{
	size_t rows = crm_report_rows(t), i, color = 0;
	double total = 0, angle = -M_PI / 2, cx = 110, cy = 110, rad = 100;

	for (i = 0; i < rows; i++) {
		double v = crm_cell_magnitude(crm_report_cell(t, i, c->value_col));
		total += v > 0 ? v : 0;
	}
	crm_buf_adds(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"220\" "
		     "height=\"220\" viewBox=\"0 0 220 220\" role=\"img\">\n");
	if (total <= 0)
		crm_buf_adds(b, "<circle cx=\"110\" cy=\"110\" r=\"100\" fill=\"#eee\"/>"
			     "<text x=\"110\" y=\"115\" text-anchor=\"middle\" font-size=\"13\">"
			     "no data</text>\n");
	for (i = 0; i < rows && total > 0; i++) {
		double v = crm_cell_magnitude(crm_report_cell(t, i, c->value_col));
		double sweep, end;
		if (v <= 0)
			continue;
		sweep = v / total * 2 * M_PI;
		end = angle + sweep;
		if (sweep >= 2 * M_PI - 1e-9)
			crm_buf_addf(b, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"%s\">",
				     cx, cy, rad, palette[color % NCOLORS]);
		else
			crm_buf_addf(b, "<path d=\"M%.0f,%.0f L%.2f,%.2f A%.0f,%.0f 0 %d,1 %.2f,%.2f Z\" "
				     "fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\">", cx, cy,
				     cx + rad * cos(angle), cy + rad * sin(angle), rad, rad,
				     sweep > M_PI ? 1 : 0, cx + rad * cos(end), cy + rad * sin(end),
				     palette[color % NCOLORS]);
		crm_buf_adds(b, "<title>");
		esc_cell(b, crm_report_cell(t, i, c->label_col));
		crm_buf_adds(b, "</title>");
		crm_buf_adds(b, sweep >= 2 * M_PI - 1e-9 ? "</circle>\n" : "</path>\n");
		angle = end;
		color++;
	}
	crm_buf_adds(b, "</svg>\n<ul class=\"legend\">\n");
	for (i = 0, color = 0; i < rows && total > 0; i++) {
		double v = crm_cell_magnitude(crm_report_cell(t, i, c->value_col));
		if (v <= 0)
			continue;
		legend_item(b, color++, crm_report_cell(t, i, c->label_col),
			    crm_report_cell(t, i, c->value_col), v / total);
	}
	crm_buf_adds(b, "</ul>\n");
}

/* The value axis: a faint line and a label, grouped as the tables are, at
 * each tick (crm_report_axis), so a bar's height reads as an amount. */
static void axis(struct crm_buf *b, double max, double top, double h, double width)
{
	double ticks[8], y;
	size_t n = crm_report_axis(ticks, 8, max), i;

	for (i = 1; i < n; i++) {
		y = top + h - ticks[i] / max * h;
		crm_buf_addf(b, "<line x1=\"50\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
			     "stroke=\"#e4e4e4\"/>\n", y, width, y);
	}
	for (i = 0; i < n; i++) {
		y = top + h - ticks[i] / max * h;
		crm_buf_addf(b, "<text x=\"46\" y=\"%.1f\" text-anchor=\"end\" "
			     "font-size=\"10\">", y + 3);
		crm_report_axis_label(b, ticks[i], ticks[1] - ticks[0]);
		crm_buf_adds(b, "</text>\n");
	}
}

static void bars(struct crm_buf *b, const struct crm_report_table *t,
		 const struct crm_report_chart *c)
{
	size_t rows = crm_report_rows(t), i;
	double max = 0, slot, w, h = 180, top = 10, width;

	for (i = 0; i < rows; i++) {
		double v = crm_cell_magnitude(crm_report_cell(t, i, c->value_col));
		max = v > max ? v : max;
	}
	slot = rows > 24 ? 16 : 32;
	width = 60 + slot * (double)(rows ? rows : 1);
	w = slot * 0.7;
	crm_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		     "height=\"260\" viewBox=\"0 0 %.0f 260\" role=\"img\">\n", width, width);
	crm_buf_addf(b, "<line x1=\"50\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n",
		     top + h, width, top + h);
	axis(b, max, top, h, width);
	for (i = 0; i < rows; i++) {
		const struct crm_cell *vc = crm_report_cell(t, i, c->value_col);
		double v = crm_cell_magnitude(vc), bh = max > 0 && v > 0 ? v / max * h : 0;
		double x = 55 + slot * (double)i;

		crm_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			     "fill=\"%s\"><title>", x, top + h - bh, w, bh, palette[0]);
		esc_cell(b, crm_report_cell(t, i, c->label_col));
		crm_buf_adds(b, ": ");
		esc_cell(b, vc);
		crm_buf_adds(b, "</title></rect>\n");
		crm_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" "
			     "transform=\"rotate(-60 %.1f %.1f)\">", x + w / 2, top + h + 12,
			     x + w / 2, top + h + 12);
		esc_cell(b, crm_report_cell(t, i, c->label_col));
		crm_buf_adds(b, "</text>\n");
	}
	crm_buf_adds(b, "</svg>\n");
}

static void table(struct crm_buf *b, const struct crm_report_table *t)
{
	size_t rows = crm_report_rows(t), i, j;

	crm_buf_addf(b, "<section id=\"table-%s\"><h2>", t->name);
	esc(b, t->title);
	crm_buf_adds(b, "</h2>\n");
	if (!rows) {
		crm_buf_adds(b, "<p>(none)</p></section>\n");
		return;
	}
	crm_buf_adds(b, "<table><thead><tr>");
	for (j = 0; j < t->ncols; j++) {
		crm_buf_adds(b, "<th>");
		esc(b, t->cols[j].label);
		crm_buf_adds(b, "</th>");
	}
	crm_buf_adds(b, "</tr></thead><tbody>\n");
	for (i = 0; i < rows; i++) {
		crm_buf_adds(b, "<tr>");
		for (j = 0; j < t->ncols; j++) {
			const struct crm_cell *c = crm_report_cell(t, i, j);
			bool num = c->kind == CRM_CELL_INT || c->kind == CRM_CELL_MONEY ||
				   c->kind == CRM_CELL_NUMBER || c->kind == CRM_CELL_PERCENT;
			crm_buf_adds(b, num ? "<td class=\"n\">" : "<td>");
			esc_cell(b, c);
			crm_buf_adds(b, "</td>");
		}
		crm_buf_adds(b, "</tr>\n");
	}
	crm_buf_adds(b, "</tbody></table></section>\n");
}

int crm_report_write_html(struct crm_buf *b, const struct crm_report *r)
{
	struct crm_buf head = CRM_BUF_INIT;
	size_t i;

	crm_report_header(&head, r);
	crm_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<title>");
	esc(b, r->title);
	crm_buf_addf(b, "</title>\n<style>%s</style></head>\n<body>\n<h1>", style);
	esc(b, r->title);
	crm_buf_adds(b, "</h1>\n<p class=\"meta\" id=\"meta\">");
	esc(b, head.ptr);
	crm_buf_adds(b, "</p>\n");
	if (r->unreadable) {
		crm_buf_reset(&head);
		crm_report_unreadable_note(&head, r->unreadable);
		crm_buf_adds(b, "<p class=\"warning\" id=\"unreadable\">");
		esc(b, head.ptr);
		crm_buf_adds(b, "</p>\n");
	}
	cards(b, r);
	if (r->charts.len)
		crm_buf_adds(b, "<div class=\"charts\">\n");
	for (i = 0; i < r->charts.len; i++) {
		const struct crm_report_chart *c = &r->charts.ptr[i];
		crm_buf_adds(b, "<figure><figcaption>");
		esc(b, c->title);
		crm_buf_adds(b, "</figcaption>\n");
		if (c->kind == CRM_CHART_PIE)
			pie(b, r->tables.ptr[c->table], c);
		else
			bars(b, r->tables.ptr[c->table], c);
		crm_buf_adds(b, "</figure>\n");
	}
	if (r->charts.len)
		crm_buf_adds(b, "</div>\n");
	for (i = 0; i < r->tables.len; i++)
		table(b, r->tables.ptr[i]);
	crm_buf_release(&head);
	return crm_buf_adds(b, "</body></html>\n");
}
