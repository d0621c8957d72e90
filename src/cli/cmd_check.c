/* crm check: every problem of the repository in one run, printed like a
 * compiler's diagnostics (with the source line and a caret) or as JSON;
 * exit status 1 when there is any error. */
#include <string.h>

#include "cli.h"
#include "crm/check.h"
#include "crm/error.h"
#include "crm/index.h"

static const char usage[] = "[--json] [--no-source] [--quiet]";

int cmd_check(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false, no_source = false, quiet = false;
	const struct cli_option opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "print the findings as one JSON document" },
		{ "no-source", 0, CLI_OPT_FLAG, &no_source, NULL,
		  "do not quote the offending line under each finding" },
		{ "quiet", 'q', CLI_OPT_FLAG, &quiet, NULL, "print errors only, no warnings or summary" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_diags diags;
	struct crm_diag_print_opts popts;
	struct crm_buf out = CRM_BUF_INIT;
	size_t errors, records = 0, i, n;
	int rc, err = 0;

	rc = cli_parse("check", usage, opts, argc, argv, &argc);
	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc) {
		cli_error("check", "unexpected argument '%s'", argv[0]);
		return EXIT_USAGE;
	}
	crm_diags_init(&diags);
	errors = crm_check_run(ctx->idx, &diags);
	for (i = 0; i < ctx->repo.schemas.len; i++) {
		crm_index_list(ctx->idx, ctx->repo.schemas.ptr[i].type, &n);
		records += n;
	}
	if (quiet) {
		size_t keep = 0;
		for (i = 0; i < diags.list.len; i++) {
			if (diags.list.ptr[i].severity == CRM_SEV_ERROR)
				diags.list.ptr[keep++] = diags.list.ptr[i];
		}
		diags.list.len = keep;
	}
	if (json) {
		struct crm_json j;

		crm_json_init(&j, &out);
		crm_json_object(&j, CRM_JSON_INLINE);
		crm_json_key(&j, "records");
		crm_json_int(&j, (int64_t)records);
		crm_json_key(&j, "errors");
		crm_json_int(&j, (int64_t)errors);
		crm_json_key(&j, "warnings");
		crm_json_int(&j, (int64_t)diags.warnings);
		crm_json_key(&j, "diagnostics");
		crm_diags_json(&j, &diags);
		crm_json_end(&j);
		err = j.err ? j.err : crm_buf_addch(&out, '\n');
		if (!err)
			err = cli_write(&out);
	} else {
		memset(&popts, 0, sizeof(popts));
		popts.root = ctx->repo.root;
		popts.color = ctx->color;
		popts.show_source = !no_source;
		err = crm_diags_print(stdout, &diags, &popts);
		if (!quiet)
			fprintf(stderr, "%zu error%s, %zu warning%s in %zu record%s\n", errors,
				errors == 1 ? "" : "s", diags.warnings, diags.warnings == 1 ? "" : "s",
				records, records == 1 ? "" : "s");
	}
	crm_buf_release(&out);
	crm_diags_release(&diags);
	if (err) {
		cli_error("check", "%s", crm_error_last());
		return EXIT_USAGE;
	}
	return errors ? EXIT_PROBLEMS : EXIT_OK;
}
