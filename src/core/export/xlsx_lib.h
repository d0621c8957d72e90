/* The libxlsxwriter functions the spreadsheet writers call (report_xlsx.c,
 * export_xlsx.c), loaded the first time a spreadsheet is written
 * (crm/dlib.h) rather than by every command. */
#ifndef CRM_EXPORT_XLSX_LIB_H
#define CRM_EXPORT_XLSX_LIB_H

#include <xlsxwriter.h>

#define XLSX_FUNCTIONS(X) \
	X(format_set_bold) \
	X(format_set_num_format) \
	X(lxw_strerror) \
	X(workbook_add_format) \
	X(workbook_add_worksheet) \
	X(workbook_close) \
	X(workbook_new) \
	X(workbook_set_properties) \
	X(worksheet_freeze_panes) \
	X(worksheet_set_column) \
	X(worksheet_write_boolean) \
	X(worksheet_write_datetime) \
	X(worksheet_write_number) \
	X(worksheet_write_string)

struct xlsx_lib {
#define XLSX_POINTER(fn) __typeof__(fn) *fn;
	XLSX_FUNCTIONS(XLSX_POINTER)
#undef XLSX_POINTER
};

/* The loaded functions, once xlsx_lib_load has succeeded. */
extern struct xlsx_lib xlsx_lib;

/* Loads the library (once per process): 0, or CRM_EIO saying why. */
int xlsx_lib_load(void);

#endif
