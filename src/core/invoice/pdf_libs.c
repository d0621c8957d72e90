/* Loads cairo and pango for the invoice PDF writer (see pdf_libs.h). */
#include <dlfcn.h>
#include <pthread.h>

#include "crm/error.h"
#include "core/invoice/pdf_libs.h"

struct pdf_libs pdf_lib;

/* pangocairo depends on pango, cairo (its PDF surface included) and
 * gobject: a symbol looked up through its handle is found in any of them. */
#define PDF_LIBRARY "libpangocairo-1.0.so.0"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_err;
static char load_msg[256];

static void load(void)
{
	void *h = dlopen(PDF_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (!h) {
		snprintf(load_msg, sizeof(load_msg), "%s", dlerror());
		load_err = CRM_EIO;
		return;
	}
#define PDF_LIB_RESOLVE(name) \
	if (!missing && !(*(void **)&pdf_lib.name = dlsym(h, #name))) \
		missing = #name;
	PDF_LIB_FUNCTIONS(PDF_LIB_RESOLVE)
#undef PDF_LIB_RESOLVE
	if (missing) {
		snprintf(load_msg, sizeof(load_msg), "%s has no %s", PDF_LIBRARY, missing);
		load_err = CRM_EIO;
	}
	/* the handle stays open for the life of the process */
}

int pdf_libs_load(void)
{
	pthread_once(&once, load);
	if (load_err)
		return crm_error_set(load_err, "cannot draw a PDF: %s (install libpangocairo-1.0-0)",
				     load_msg);
	return 0;
}
