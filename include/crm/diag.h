/* Diagnostics as a compiler reports them: path, line, column, severity,
 * message and a short code ([dangling-ref]).  Validation adds every finding
 * here and goes on; commands print them sorted, with the offending source
 * line and a caret, or as JSON. */
#ifndef CRM_DIAG_H
#define CRM_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/json.h"

enum crm_severity { CRM_SEV_ERROR, CRM_SEV_WARNING };

struct crm_diag {
	const char *path;      /* relative to the data repository */
	int line, col;         /* 1-based; 0 when the finding has no place */
	enum crm_severity severity;
	const char *code;      /* static string, e.g. "dangling-ref" */
	const char *message;
};

struct crm_diags {
	CRM_ARRAY(struct crm_diag) list;
	struct crm_arena arena;
	size_t errors, warnings;
};

void crm_diags_init(struct crm_diags *d);
void crm_diags_release(struct crm_diags *d);
void crm_diags_add(struct crm_diags *d, const char *path, int line, int col,
		   enum crm_severity sev, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Moves every finding of `from` into `into` (from is left empty). */
int crm_diags_merge(struct crm_diags *into, struct crm_diags *from);
/* Sorts by path, line, column. */
void crm_diags_sort(struct crm_diags *d);

struct crm_diag_print_opts {
	const char *root;      /* folder the paths are relative to, for source lines */
	bool color;
	bool show_source;      /* the offending line and a caret under the column */
	/* when set, reads the file a source line comes from (files read from
	 * git rather than below `root`): appends it to `out`, 0 or negative */
	int (*read_file)(void *payload, const char *path, struct crm_buf *out);
	void *payload;
};

/* Prints every diagnostic in gcc's form.  Returns 0 or CRM_EIO. */
int crm_diags_print(FILE *out, const struct crm_diags *d,
		    const struct crm_diag_print_opts *opts);
/* Emits a JSON array of {path, line, column, severity, code, message}, a
 * diagnostic a line. */
int crm_diags_json(struct crm_json *j, const struct crm_diags *d);

#endif
