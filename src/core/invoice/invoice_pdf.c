/* The PDF writer of invoices: A4 pages drawn with cairo, text shaped by
 * pango with fonts found through fontconfig (so Polish diacritics and
 * Chinese come out right), the line table paginated with its header
 * repeated.  The only file that draws with cairo and pango (loaded on
 * first use, see pdf_libs.h).  Doubles here are
 * drawing geometry only; every figure arrives as formatted exact text. */
#include <stdio.h>
#include <string.h>

#include "crm/error.h"
#include "crm/invoice_render.h"
#include "core/invoice/pdf_libs.h"

#define PAGE_W 595.28          /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 50.0
#define BOTTOM (PAGE_H - 64.0) /* the footer lives below */
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans, WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif"

enum align { LEFT, RIGHT, CENTER };

struct pdf {
	cairo_t *cr;
	PangoLayout *layout;
	const struct crm_invoice_doc *d;
	cairo_surface_t *logo;
	double y;
	int page, pages;        /* pages: the count from the measuring pass */
};

/* Columns of the line table: x offset, width, alignment. */
static const struct { double x, w; enum align a; } col[7] = {
	{ 0, 18, RIGHT }, { 24, 160, LEFT }, { 188, 52, RIGHT }, { 246, 40, LEFT },
	{ 290, 74, RIGHT }, { 370, 50, RIGHT }, { 426, 69, RIGHT },
};

static void set_font(struct pdf *p, double size, bool bold)
{
	PangoFontDescription *fd = pdf_lib.pango_font_description_from_string(FONT);
	pdf_lib.pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
	pdf_lib.pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pdf_lib.pango_layout_set_font_description(p->layout, fd);
	pdf_lib.pango_font_description_free(fd);
}

/* Draws `s` in a box of width `w` at (x, y); returns the height used. */
static double text_at(struct pdf *p, double x, double y, double w, enum align a, const char *s)
{
	int tw, th;
	pdf_lib.pango_layout_set_text(p->layout, s ? s : "", -1);
	pdf_lib.pango_layout_set_width(p->layout, (int)(w * PANGO_SCALE));
	pdf_lib.pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	pdf_lib.pango_layout_set_alignment(p->layout, a == RIGHT ? PANGO_ALIGN_RIGHT
				   : a == CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pdf_lib.pango_layout_get_size(p->layout, &tw, &th);
	pdf_lib.cairo_move_to(p->cr, x, y);
	pdf_lib.pango_cairo_show_layout(p->cr, p->layout);
	return (double)th / PANGO_SCALE;
}

/* Draws `s` on one line ending at x + w (figures never wrap). */
static double right_at(struct pdf *p, double x, double y, double w, const char *s)
{
	int tw, th;
	pdf_lib.pango_layout_set_text(p->layout, s ? s : "", -1);
	pdf_lib.pango_layout_set_width(p->layout, -1);
	pdf_lib.pango_layout_set_alignment(p->layout, PANGO_ALIGN_LEFT);
	pdf_lib.pango_layout_get_size(p->layout, &tw, &th);
	pdf_lib.cairo_move_to(p->cr, x + w - (double)tw / PANGO_SCALE, y);
	pdf_lib.pango_cairo_show_layout(p->cr, p->layout);
	return (double)th / PANGO_SCALE;
}

static double text_height(struct pdf *p, double w, const char *s)
{
	int tw, th;
	pdf_lib.pango_layout_set_text(p->layout, s ? s : "", -1);
	pdf_lib.pango_layout_set_width(p->layout, (int)(w * PANGO_SCALE));
	pdf_lib.pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	pdf_lib.pango_layout_get_size(p->layout, &tw, &th);
	return (double)th / PANGO_SCALE;
}

static void rule(struct pdf *p, double y, double width)
{
	pdf_lib.cairo_set_line_width(p->cr, width);
	pdf_lib.cairo_move_to(p->cr, MARGIN, y);
	pdf_lib.cairo_line_to(p->cr, MARGIN + CONTENT_W, y);
	pdf_lib.cairo_stroke(p->cr);
}

static const char *L(const struct pdf *p, enum crm_invoice_label key)
{
	return crm_invoice_label(p->d->lang, key);
}

static void footer(struct pdf *p)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s %d / %d", L(p, CRM_L_PAGE), p->page,
		 p->pages ? p->pages : p->page);
	set_font(p, 7.5, false);
	pdf_lib.cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	text_at(p, MARGIN, PAGE_H - 44, CONTENT_W, LEFT, p->d->seller.name);
	text_at(p, MARGIN, PAGE_H - 44, CONTENT_W, RIGHT, buf);
	pdf_lib.cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void table_header(struct pdf *p)
{
	static const enum crm_invoice_label keys[7] = {
		CRM_L_COUNT, CRM_L_DESCRIPTION, CRM_L_QUANTITY, CRM_L_UNIT, CRM_L_UNIT_PRICE,
		CRM_L_VAT_RATE, CRM_L_NET
	};
	double h = 0, t;
	size_t i;

	set_font(p, 8, true);
	for (i = 0; i < 7; i++) {
		t = text_at(p, MARGIN + col[i].x, p->y, col[i].w, col[i].a,
			    i ? L(p, keys[i]) : "#");
		if (t > h)
			h = t;
	}
	p->y += h + 3;
	rule(p, p->y, 1.0);
	p->y += 4;
}

/* Ends the page (with its footer) and starts the next, whose top repeats
 * the title and, when `with_table`, the table's header. */
static void next_page(struct pdf *p, bool with_table)
{
	struct crm_buf title = CRM_BUF_INIT;
	footer(p);
	pdf_lib.cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
	crm_buf_addf(&title, "%s %s", crm_invoice_doc_title(p->d),
		     p->d->number ? p->d->number : p->d->id);
	set_font(p, 9, true);
	p->y += text_at(p, MARGIN, p->y, CONTENT_W, LEFT, title.ptr) + 12;
	crm_buf_release(&title);
	if (with_table)
		table_header(p);
}

static double party_block(struct pdf *p, double x, double w, const struct crm_party *party,
			  enum crm_invoice_label heading)
{
	struct crm_buf vat = CRM_BUF_INIT;
	double y = p->y;
	set_font(p, 7.5, true);
	pdf_lib.cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	y += text_at(p, x, y, w, LEFT, L(p, heading)) + 2;
	pdf_lib.cairo_set_source_rgb(p->cr, 0, 0, 0);
	set_font(p, 10, true);
	y += text_at(p, x, y, w, LEFT, party->name);
	set_font(p, 9, false);
	if (party->address)
		y += text_at(p, x, y, w, LEFT, party->address);
	if (party->vat_id) {
		crm_buf_addf(&vat, "%s: %s", crm_invoice_doc_vat_id_label(p->d, party),
			     party->vat_id);
		y += text_at(p, x, y, w, LEFT, vat.ptr);
		crm_buf_release(&vat);
	}
	if (party->email)
		y += text_at(p, x, y, w, LEFT, party->email);
	return y - p->y;
}

static void draw_logo(struct pdf *p)
{
	double w, h, s;
	if (!p->logo)
		return;
	w = pdf_lib.cairo_image_surface_get_width(p->logo);
	h = pdf_lib.cairo_image_surface_get_height(p->logo);
	if (w <= 0 || h <= 0)
		return;
	s = 120.0 / w < 60.0 / h ? 120.0 / w : 60.0 / h;
	pdf_lib.cairo_save(p->cr);
	pdf_lib.cairo_translate(p->cr, MARGIN + CONTENT_W - w * s, MARGIN);
	pdf_lib.cairo_scale(p->cr, s, s);
	pdf_lib.cairo_set_source_surface(p->cr, p->logo, 0, 0);
	pdf_lib.cairo_paint(p->cr);
	pdf_lib.cairo_restore(p->cr);
}

static void head(struct pdf *p)
{
	const struct crm_invoice_doc *d = p->d;
	const char *meta[5][2] = {
		{ L(p, CRM_L_ISSUE_DATE), d->issue_date_shown[0] ? d->issue_date_shown : NULL },
		{ L(p, CRM_L_DUE_DATE), d->due_date_shown[0] ? d->due_date_shown : NULL },
		{ L(p, CRM_L_PO_NUMBER), d->po_number }, { L(p, CRM_L_CORRECTS), d->corrects },
		{ L(p, CRM_L_CURRENCY), d->currency },
	};
	struct crm_buf title = CRM_BUF_INIT;
	double hl, hr;
	size_t i;

	draw_logo(p);
	crm_buf_addf(&title, "%s %s%s%s%s", crm_invoice_doc_title(d),
		     d->number ? d->number : d->id, d->number ? "" : " (",
		     d->number ? "" : L(p, CRM_L_DRAFT), d->number ? "" : ")");
	set_font(p, 17, true);
	p->y += text_at(p, MARGIN, p->y, p->logo ? CONTENT_W - 130 : CONTENT_W, LEFT,
			title.ptr) + 8;
	crm_buf_release(&title);
	for (i = 0; i < 5; i++) {
		if (!meta[i][1])
			continue;
		set_font(p, 9, false);
		pdf_lib.cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
		text_at(p, MARGIN, p->y, 110, LEFT, meta[i][0]);
		pdf_lib.cairo_set_source_rgb(p->cr, 0, 0, 0);
		p->y += text_at(p, MARGIN + 115, p->y, CONTENT_W - 275, LEFT, meta[i][1]) + 1;
	}
	if (p->y < MARGIN + 70)
		p->y = MARGIN + 70;
	p->y += 16;
	hl = party_block(p, MARGIN, CONTENT_W / 2 - 10, &d->seller, CRM_L_SELLER);
	hr = party_block(p, MARGIN + CONTENT_W / 2 + 10, CONTENT_W / 2 - 10, &d->buyer,
			 CRM_L_BUYER);
	p->y += (hl > hr ? hl : hr) + 16;
	if (d->consignee.name)
		p->y += party_block(p, MARGIN + CONTENT_W / 2 + 10, CONTENT_W / 2 - 10,
				    &d->consignee, CRM_L_DELIVER_TO) + 16;
	p->y += 8;
}

static void line_row(struct pdf *p, size_t i)
{
	const struct crm_invoice_doc *d = p->d;
	const struct crm_invoice_doc_line *l = &d->lines[i];
	char cells[7][64], rate[40];
	const char *texts[7];
	double h, t;
	size_t c;

	snprintf(cells[0], sizeof(cells[0]), "%zu", i + 1);
	crm_dec_format_trim(cells[2], sizeof(cells[2]), l->line->quantity);
	crm_invoice_doc_amount_shown(cells[4], sizeof(cells[4]), d, l->line->unit_price);
	crm_dec_format_trim(rate, sizeof(rate), l->line->rate);
	snprintf(cells[5], sizeof(cells[5]), "%s%%", rate);
	crm_invoice_doc_amount_shown(cells[6], sizeof(cells[6]), d, l->line->net);
	for (c = 0; c < 7; c++)
		texts[c] = cells[c];
	texts[1] = l->description;
	texts[3] = l->unit ? l->unit : "";
	set_font(p, 9, false);
	h = text_height(p, col[1].w, l->description);
	if (p->y + h + 6 > BOTTOM)
		next_page(p, true);
	set_font(p, 9, false);
	for (c = 0; c < 7; c++) {
		t = c == 1 || c == 3 ? text_at(p, MARGIN + col[c].x, p->y, col[c].w, LEFT, texts[c])
			: right_at(p, MARGIN + col[c].x, p->y, col[c].w, texts[c]);
		if (t > h)
			h = t;
	}
	p->y += h + 3;
	pdf_lib.cairo_set_source_rgb(p->cr, 0.8, 0.8, 0.8);
	rule(p, p->y, 0.5);
	pdf_lib.cairo_set_source_rgb(p->cr, 0, 0, 0);
	p->y += 3;
}

struct total_row {
	struct crm_buf label;
	char amount[80];
	bool bold;
};

static size_t total_rows(struct total_row *rows, const struct pdf *p)
{
	const struct crm_invoice_doc *d = p->d;
	const struct crm_invoice_totals *t = &d->totals;
	struct crm_buf lbl = CRM_BUF_INIT;
	size_t n = 0, i;
	char a[64], r[40], b[64];

#define ROW(lbl, v, cur, bold_) do { \
		crm_invoice_doc_amount_shown(a, sizeof(a), d, (v)); \
		crm_buf_init(&rows[n].label); \
		crm_buf_adds(&rows[n].label, (lbl)); \
		snprintf(rows[n].amount, sizeof(rows[n].amount), "%s%s%s", a, (cur) ? " " : "", \
			 (cur) ? d->currency : ""); \
		rows[n++].bold = (bold_); \
	} while (0)
	ROW(L(p, CRM_L_LINE_TOTAL), t->line_total, false, false);
	for (i = 0; i < d->nadjs; i++) {
		const struct crm_invoice_doc_adj *x = &d->adjs[i];
		crm_buf_reset(&lbl);
		crm_buf_addf(&lbl, "%s%s%s", L(p, x->adj->is_charge ? CRM_L_CHARGE : CRM_L_ALLOWANCE),
			     x->reason ? ": " : "", x->reason ? x->reason : "");
		ROW(lbl.ptr, x->adj->is_charge ? x->amount : crm_dec_neg(x->amount), false, false);
	}
	ROW(L(p, CRM_L_TAX_EXCLUSIVE), t->tax_exclusive_total, true, false);
	for (i = 0; i < t->nrows; i++) {
		crm_dec_format_trim(r, sizeof(r), t->rows[i].rate);
		crm_invoice_doc_amount_shown(b, sizeof(b), d, t->rows[i].taxable);
		crm_buf_reset(&lbl);
		crm_buf_addf(&lbl, "%s %s%% (%s) %s %s", L(p, CRM_L_VAT), r, t->rows[i].category,
			     L(p, CRM_L_TAXABLE), b);
		ROW(lbl.ptr, t->rows[i].tax, false, false);
	}
	ROW(L(p, CRM_L_TAX_TOTAL), t->tax_total, true, false);
	crm_buf_reset(&lbl);
	crm_buf_init(&rows[n].label);
	if (crm_invoice_doc_tax_currency_row(&rows[n].label, rows[n].amount,
					      sizeof(rows[n].amount), d))
		rows[n++].bold = false;
	else
		crm_buf_release(&rows[n].label);
	ROW(L(p, CRM_L_TOTAL), t->tax_inclusive_total, true, true);
	if (!crm_dec_is_zero(t->paid_total))
		ROW(L(p, CRM_L_PAID), t->paid_total, true, false);
	ROW(L(p, CRM_L_AMOUNT_DUE), t->due_total, true, true);
#undef ROW
	crm_buf_release(&lbl);
	return n;
}

static void totals(struct pdf *p)
{
	struct total_row rows[CRM_INVOICE_MAX_ADJUSTMENTS + CRM_INVOICE_MAX_RATES + 8];
	size_t n = total_rows(rows, p), i;
	double x = MARGIN + CONTENT_W - 340;

	p->y += 8;
	if (p->y + (double)n * 14 > BOTTOM)
		next_page(p, false);
	for (i = 0; i < n; i++) {
		double h;
		set_font(p, rows[i].bold ? 10 : 9, rows[i].bold);
		h = text_at(p, x, p->y, 236, LEFT, rows[i].label.ptr);
		right_at(p, x + 240, p->y, 100, rows[i].amount);
		p->y += h + 2;
		crm_buf_release(&rows[i].label);
	}
}

static void notes(struct pdf *p)
{
	const struct crm_invoice_doc *d = p->d;
	struct crm_buf buf = CRM_BUF_INIT;
	size_t i;

	p->y += 16;
	set_font(p, 8.5, false);
	for (i = 0; i < d->totals.nrows + 3; i++) {
		crm_buf_reset(&buf);
		if (i < d->totals.nrows && d->vat_exemption[i])
			crm_buf_addf(&buf, "%s (%s): %s", L(p, CRM_L_VAT), d->totals.rows[i].category,
				     d->vat_exemption[i]);
		else if (i == d->totals.nrows && d->terms)
			crm_buf_addf(&buf, "%s: %s", L(p, CRM_L_TERMS), d->terms);
		else if (i == d->totals.nrows + 1 && d->seller.iban)
			crm_buf_addf(&buf, "IBAN: %s", d->seller.iban);
		else if (i == d->totals.nrows + 2 && d->notes)
			crm_buf_addf(&buf, "%s: %s", L(p, CRM_L_NOTES), d->notes);
		if (!buf.len)
			continue;
		if (p->y + text_height(p, CONTENT_W, buf.ptr) > BOTTOM)
			next_page(p, false);
		p->y += text_at(p, MARGIN, p->y, CONTENT_W, LEFT, buf.ptr) + 3;
	}
	crm_buf_release(&buf);
}

/* Draws every page onto `surface`; returns the number of pages. */
static int draw(struct pdf *p, cairo_surface_t *surface)
{
	PangoFontMap *fontmap;
	PangoContext *ctx;
	size_t i;
	int err = 0;

	p->cr = pdf_lib.cairo_create(surface);
	/* a font map of our own, not pango's process-wide default: unref'd
	 * at the end, it takes its font caches with it */
	fontmap = pdf_lib.pango_cairo_font_map_new();
	ctx = pdf_lib.pango_font_map_create_context(fontmap);
	pdf_lib.pango_cairo_update_context(p->cr, ctx);
	p->layout = pdf_lib.pango_layout_new(ctx);
	/* font sizes in points: one PDF unit is one point */
	pdf_lib.pango_cairo_context_set_resolution(pdf_lib.pango_layout_get_context(p->layout), 72);
	if (!strcmp(p->d->lang, "zh"))
		pdf_lib.pango_context_set_language(pdf_lib.pango_layout_get_context(p->layout),
					   pdf_lib.pango_language_from_string("zh-cn"));
	else
		pdf_lib.pango_context_set_language(pdf_lib.pango_layout_get_context(p->layout),
					   pdf_lib.pango_language_from_string(p->d->lang));
	pdf_lib.pango_layout_context_changed(p->layout);
	p->page = 1;
	p->y = MARGIN;
	pdf_lib.cairo_set_source_rgb(p->cr, 0, 0, 0);
	head(p);
	table_header(p);
	for (i = 0; i < p->d->nlines; i++)
		line_row(p, i);
	totals(p);
	notes(p);
	footer(p);
	pdf_lib.cairo_show_page(p->cr);
	if (pdf_lib.cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		err = crm_error_set(CRM_EIO, "cannot draw the PDF: %s",
				    pdf_lib.cairo_status_to_string(pdf_lib.cairo_status(p->cr)));
	pdf_lib.g_object_unref(p->layout);
	pdf_lib.g_object_unref(ctx);
	pdf_lib.g_object_unref(fontmap);
	pdf_lib.cairo_destroy(p->cr);
	return err;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return crm_buf_add(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

struct reader {
	const struct crm_buf *b;
	size_t at;
};

static cairo_status_t from_buf(void *closure, unsigned char *data, unsigned int len)
{
	struct reader *r = closure;
	if (r->b->len - r->at < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->b->ptr + r->at, len);
	r->at += len;
	return CAIRO_STATUS_SUCCESS;
}

static int render(struct pdf *p, cairo_surface_t *surface)
{
	char date[32];
	int err;

	if (pdf_lib.cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
		return crm_error_set(CRM_EIO, "cannot create the PDF: %s",
				     pdf_lib.cairo_status_to_string(pdf_lib.cairo_surface_status(surface)));
	/* the issue date, not the clock: the same invoice gives the same file */
	if (p->d->issue_date) {
		snprintf(date, sizeof(date), "%.10sT00:00:00Z", p->d->issue_date);
		pdf_lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	}
	pdf_lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       crm_invoice_doc_title(p->d));
	pdf_lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "crm");
	if (p->d->seller.name)
		pdf_lib.cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
					       p->d->seller.name);
	err = draw(p, surface);
	pdf_lib.cairo_surface_finish(surface);
	if (!err && pdf_lib.cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
		err = crm_error_set(CRM_EIO, "cannot write the PDF: %s",
				    pdf_lib.cairo_status_to_string(pdf_lib.cairo_surface_status(surface)));
	return err;
}

int crm_invoice_render_pdf(struct crm_buf *out, const struct crm_invoice_doc *d)
{
	struct pdf p;
	struct reader rd = { &d->logo, 0 };
	cairo_surface_t *s;
	int err = 0;

	memset(&p, 0, sizeof(p));
	p.d = d;
	err = pdf_libs_load();
	if (err)
		return err;
	if (d->logo.len) {
		p.logo = pdf_lib.cairo_image_surface_create_from_png_stream(from_buf, &rd);
		if (pdf_lib.cairo_surface_status(p.logo) != CAIRO_STATUS_SUCCESS) {
			err = crm_error_set(CRM_EINVALID, "the logo cannot be read as a PNG: %s",
					    pdf_lib.cairo_status_to_string(pdf_lib.cairo_surface_status(p.logo)));
			goto done;
		}
	}
	/* a first pass counts the pages for "Page 1 / N" */
	s = pdf_lib.cairo_pdf_surface_create_for_stream(to_nowhere, NULL, PAGE_W, PAGE_H);
	err = render(&p, s);
	pdf_lib.cairo_surface_destroy(s);
	if (err)
		goto done;
	p.pages = p.page;
	s = pdf_lib.cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	err = render(&p, s);
	pdf_lib.cairo_surface_destroy(s);
done:
	if (p.logo)
		pdf_lib.cairo_surface_destroy(p.logo);
	return err;
}
