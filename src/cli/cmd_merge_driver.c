/* crm merge-driver %O %A %B %P: git's custom merge driver for record files
 * (registered by crm init), so a plain `git pull` merges records field by
 * field.  Writes the result over %A; exit 0 when clean, 1 when fields are
 * left in conflict (git then lists the file as conflicted). */
#include "cli.h"
#include "crm/beneath.h"
#include "crm/error.h"
#include "crm/lockfile.h"
#include "crm/merge.h"
#include "crm/node.h"

static const char usage[] = "BASE OURS THEIRS [PATH]";

int cmd_merge_driver(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = {
		CLI_ARG(CLI_ARG_ONE, "BASE"), CLI_ARG(CLI_ARG_ONE, "OURS"),
		CLI_ARG(CLI_ARG_ONE, "THEIRS"), CLI_ARG(CLI_ARG_OPTIONAL, "PATH"), CLI_OPT_END
	};
	struct crm_buf base = CRM_BUF_INIT, ours = CRM_BUF_INIT, theirs = CRM_BUF_INIT;
	struct crm_buf out = CRM_BUF_INIT;
	const char *shown;
	size_t conflicts = 0;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	shown = argc == 4 ? argv[3] : argv[1];
	err = crm_buf_read_file(&base, argv[0], CRM_YAML_MAX_BYTES);
	if (!err)
		err = crm_buf_read_file(&ours, argv[1], CRM_YAML_MAX_BYTES);
	if (!err)
		err = crm_buf_read_file(&theirs, argv[2], CRM_YAML_MAX_BYTES);
	if (!err)
		err = crm_merge_record(&out, &conflicts, base.ptr, base.len, ours.ptr, ours.len,
				       theirs.ptr, theirs.len);
	/* ours stays as it was when the merge cannot run: git keeps theirs
	 * in its index, so nothing is lost; a merge that would not read back
	 * leaves both versions between conflict markers */
	/* git names its temporary copy of ours relative to the work tree's
	 * top, where it runs the driver: written beneath it, no link on the
	 * way is followed; an absolute name comes from a user's own call */
	if (!err || err == CRM_ECONFLICT) {
		int werr = crm_buf_check(&out);
		if (!werr)
			werr = argv[1][0] == '/'
				       ? crm_write_file_atomic(argv[1], out.ptr, out.len)
				       : crm_write_file_beneath(".", argv[1], out.ptr, out.len, true);
		err = werr ? werr : err;
	}
	if (err == CRM_ECONFLICT)
		cli_error(ctx->command, "%s: %s; both versions are left in the file between "
			  "conflict markers", shown, crm_error_last());
	else if (err)
		cli_error(ctx->command, "%s: %s", shown, crm_error_last());
	else if (conflicts)
		fprintf(stderr, "crm: %s: %zu field%s in conflict; see 'crm check', settle with "
			"'crm resolve'\n", shown, conflicts, conflicts == 1 ? "" : "s");
	crm_buf_release(&base);
	crm_buf_release(&ours);
	crm_buf_release(&theirs);
	crm_buf_release(&out);
	return err || conflicts ? EXIT_PROBLEMS : EXIT_OK;
}
