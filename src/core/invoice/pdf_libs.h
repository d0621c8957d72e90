/* The cairo and pango functions the invoice PDF writer calls, loaded
 * with dlopen the first time a PDF is drawn.  Linked directly, the
 * graphics stack (cairo, pango, glib, fontconfig, harfbuzz, X11...: some
 * 35 libraries) was loaded by every crm command, a third of the start-up
 * time of a `crm set`, for the one command that draws. */
#ifndef CRM_INVOICE_PDF_LIBS_H
#define CRM_INVOICE_PDF_LIBS_H

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define PDF_LIB_FUNCTIONS(X) \
	X(cairo_create) \
	X(cairo_destroy) \
	X(cairo_image_surface_create_from_png_stream) \
	X(cairo_image_surface_get_height) \
	X(cairo_image_surface_get_width) \
	X(cairo_line_to) \
	X(cairo_move_to) \
	X(cairo_paint) \
	X(cairo_pdf_surface_create_for_stream) \
	X(cairo_pdf_surface_set_metadata) \
	X(cairo_restore) \
	X(cairo_save) \
	X(cairo_scale) \
	X(cairo_set_line_width) \
	X(cairo_set_source_rgb) \
	X(cairo_set_source_surface) \
	X(cairo_show_page) \
	X(cairo_status) \
	X(cairo_status_to_string) \
	X(cairo_stroke) \
	X(cairo_surface_destroy) \
	X(cairo_surface_finish) \
	X(cairo_surface_status) \
	X(cairo_translate) \
	X(g_object_unref) \
	X(pango_cairo_context_set_resolution) \
	X(pango_cairo_font_map_new) \
	X(pango_cairo_show_layout) \
	X(pango_cairo_update_context) \
	X(pango_context_set_language) \
	X(pango_font_description_free) \
	X(pango_font_description_from_string) \
	X(pango_font_description_set_size) \
	X(pango_font_description_set_weight) \
	X(pango_font_map_create_context) \
	X(pango_language_from_string) \
	X(pango_layout_context_changed) \
	X(pango_layout_get_context) \
	X(pango_layout_get_size) \
	X(pango_layout_new) \
	X(pango_layout_set_alignment) \
	X(pango_layout_set_font_description) \
	X(pango_layout_set_text) \
	X(pango_layout_set_width) \
	X(pango_layout_set_wrap)

struct pdf_libs {
#define PDF_LIB_POINTER(name) __typeof__(name) *name;
	PDF_LIB_FUNCTIONS(PDF_LIB_POINTER)
#undef PDF_LIB_POINTER
};

/* The loaded functions, once pdf_libs_load has succeeded. */
extern struct pdf_libs pdf_lib;

/* Loads the libraries (once per process): 0, or CRM_EIO naming the
 * library that could not be loaded and why. */
int pdf_libs_load(void);

#endif
