/* Loads cairo and pango for the invoice PDF writer (see pdf_libs.h). */
#include "crm/dlib.h"
#include "core/invoice/pdf_libs.h"

struct pdf_libs pdf_lib;

static void resolve(struct crm_dlib *d, void *handle)
{
#define PDF_LIB_RESOLVE(name) *(void **)&pdf_lib.name = crm_dlib_sym(d, handle, #name);
	PDF_LIB_FUNCTIONS(PDF_LIB_RESOLVE)
#undef PDF_LIB_RESOLVE
}

/* pangocairo depends on pango, cairo (its PDF surface included) and
 * gobject: a symbol looked up through its handle is found in any of them. */
static struct crm_dlib pdf_dlib = CRM_DLIB_INIT("libpangocairo-1.0.so.0",
						"libpangocairo-1.0-0", resolve);

int pdf_libs_load(void)
{
	return crm_dlib_load(&pdf_dlib, "draw a PDF");
}
