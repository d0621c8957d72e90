/* crm export TYPE --csv|--xlsx|--json|--vcard|--ical [-o FILE] [--bom]
 * and crm export --all DIR: every record of a type, computed fields too,
 * in a file other tools read (the formats live in src/core/export). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/export.h"

static const char usage[] =
	"(TYPE | --all DIR) [--csv | --xlsx | --json | --vcard | --ical] [-o FILE] [--bom]";

struct export_opts {
	const char *output, *all;
	bool csv, xlsx, json, vcard, ical, bom;
	long vcard_version;
};

static int pick_format(struct crm_export_options *o, const struct export_opts *eo)
{
	int n = eo->csv + eo->xlsx + eo->json + eo->vcard + eo->ical;

	if (n > 1)
		return crm_error_set(CRM_EUSAGE, "give one of --csv, --xlsx, --json, --vcard, --ical");
	o->format = eo->xlsx ? CRM_EXPORT_XLSX : eo->json ? CRM_EXPORT_JSON
		  : eo->vcard ? CRM_EXPORT_VCARD : eo->ical ? CRM_EXPORT_ICAL : CRM_EXPORT_CSV;
	if (eo->all && (eo->vcard || eo->ical))
		return crm_error_set(CRM_EUSAGE, "--all writes CSV, xlsx or JSON");
	o->bom = eo->bom;
	o->vcard_version = eo->vcard_version ? (int)eo->vcard_version : 3;
	if (eo->vcard_version && !eo->vcard)
		return crm_error_set(CRM_EUSAGE, "--vcard-version goes with --vcard");
	return 0;
}

/* DIR/<folder>.<ext> for every type the repository knows */
static int export_all(struct cli_ctx *ctx, const char *dir, const struct crm_export_options *o)
{
	struct crm_buf path = CRM_BUF_INIT;
	struct stat st;
	size_t i;
	int err = 0;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return crm_error_errno(CRM_EIO, "cannot create '%s'", dir);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return crm_error_set(CRM_EUSAGE, "'%s' is not a folder", dir);
	for (i = 0; i < ctx->repo.schemas.len && !err; i++) {
		const struct crm_schema *s = &ctx->repo.schemas.ptr[i];
		crm_buf_reset(&path);
		crm_buf_addf(&path, "%s/%s.%s", dir, s->folder, crm_export_extension(o->format));
		err = crm_export_type(ctx->idx, s, path.ptr, o);
		if (!err)
			fprintf(stderr, "wrote %s\n", path.ptr);
	}
	crm_buf_release(&path);
	return err;
}

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	struct export_opts eo;
	struct crm_export_options o = CRM_EXPORT_OPTIONS_INIT;
	const struct cli_option opts[] = {
		{ "csv", 0, CLI_OPT_FLAG, &eo.csv, NULL, "CSV, one row a record (the default)" },
		{ "xlsx", 0, CLI_OPT_FLAG, &eo.xlsx, NULL, "an xlsx workbook with typed cells (needs -o)" },
		{ "json", 0, CLI_OPT_FLAG, &eo.json, NULL, "a JSON array of records, as crm show --json" },
		{ "vcard", 0, CLI_OPT_FLAG, &eo.vcard, NULL, "contacts as vCards" },
		{ "vcard-version", 0, CLI_OPT_INT, &eo.vcard_version, "3|4",
		  "vCard 3.0 (RFC 2426, the default) or 4.0 (RFC 6350)" },
		{ "ical", 0, CLI_OPT_FLAG, &eo.ical, NULL,
		  "tasks or activities as iCalendar (RFC 5545)" },
		{ "output", 'o', CLI_OPT_STRING, &eo.output, "FILE", "write FILE, not stdout" },
		{ "bom", 0, CLI_OPT_FLAG, &eo.bom, NULL, "CSV: start with a UTF-8 byte-order mark (Excel)" },
		{ "all", 0, CLI_OPT_STRING, &eo.all, "DIR", "every type, one file each, into DIR" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	const struct crm_schema *s;
	int rc, err;

	memset(&eo, 0, sizeof(eo));
	rc = cli_parse(ctx, usage, opts, argc, argv, &argc);
	if (rc)
		return rc;
	if ((eo.all != NULL) == (argc == 1) || argc > 1 || (eo.all && eo.output)) {
		cli_usage(stderr, ctx->command, usage, opts);
		return EXIT_USAGE;
	}
	err = pick_format(&o, &eo);
	if (err)
		goto done;
	if (eo.all) {
		err = export_all(ctx, eo.all, &o);
		goto done;
	}
	s = cli_find_type(ctx, argv[0]);
	if (!s)
		return EXIT_USAGE;
	err = crm_export_type(ctx->idx, s, eo.output, &o);
done:
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	return EXIT_OK;
}
