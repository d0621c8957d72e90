/* Loads libxlsxwriter for the spreadsheet writers (see xlsx_lib.h). */
#include "crm/dlib.h"
#include "core/export/xlsx_lib.h"

struct xlsx_lib xlsx_lib;

static void resolve(struct crm_dlib *d, void *handle)
{
#define XLSX_RESOLVE(fn) *(void **)&xlsx_lib.fn = crm_dlib_sym(d, handle, #fn);
	XLSX_FUNCTIONS(XLSX_RESOLVE)
#undef XLSX_RESOLVE
}

static struct crm_dlib xlsx_dlib = CRM_DLIB_INIT("libxlsxwriter.so." LXW_SOVERSION,
						 "libxlsxwriter" LXW_SOVERSION, resolve);

int xlsx_lib_load(void)
{
	return crm_dlib_load(&xlsx_dlib, "write a spreadsheet");
}
