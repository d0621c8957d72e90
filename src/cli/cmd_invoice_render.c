/* crm invoice render ID --format pdf|html|txt [-o FILE] and crm invoice
 * export ID --ubl [-o FILE]: an invoice as a document to send, or as UBL
 * 2.1 XML (Peppol BIS Billing 3.0) for e-invoicing. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice_render.h"

static const char render_usage[] = "render ID [--format pdf|html|txt] [--language L] [-o FILE]";
static const char export_usage[] = "export ID --ubl [-o FILE]";

/* Writes `buf` to `path` ("-" is stdout) in one step, or to stdout when
 * `path` is NULL; says where a file went.  A path crm chose (`ours`, the
 * default ID.pdf) is held beneath the repository when it lies inside. */
static int emit(struct cli_ctx *ctx, const struct crm_buf *buf, const char *path, bool ours)
{
	if (!path || !strcmp(path, "-")) {
		if (cli_write(buf)) {
			cli_error(ctx->command, "%s", crm_error_last());
			return EXIT_PROBLEMS;
		}
		return EXIT_OK;
	}
	if (ours ? cli_write_repo_file(ctx, path, buf) : cli_write_file(path, buf)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	fprintf(stderr, "wrote %s\n", path);
	return EXIT_OK;
}

/* Loads the document, runs `writer`, emits the result. */
static int produce(struct cli_ctx *ctx, const char *id, const char *lang, const char *path,
		   bool ours, int (*writer)(struct crm_buf *, const struct crm_invoice_doc *))
{
	struct crm_record *r = invoice_find(ctx, id);
	struct crm_invoice_doc doc;
	struct crm_buf out = CRM_BUF_INIT;
	int rc;

	if (!r)
		return EXIT_PROBLEMS;
	if (crm_invoice_doc_load(&doc, ctx->idx, r, lang)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_PROBLEMS;
	}
	if (writer(&out, &doc)) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = EXIT_PROBLEMS;
	} else {
		rc = emit(ctx, &out, path, ours);
	}
	crm_buf_release(&out);
	crm_invoice_doc_release(&doc);
	return rc;
}

int cmd_invoice_render(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *format = "txt", *output = NULL, *lang = NULL;
	const struct cli_option opts[] = {
		{ "format", 'f', CLI_OPT_STRING, &format, "FMT",
		  "pdf, html or txt (default txt)" },
		{ "language", 0, CLI_OPT_STRING, &lang, "L",
		  "labels in en, pl or zh (default: the invoice's language)" },
		{ "output", 'o', CLI_OPT_STRING, &output, "FILE",
		  "write FILE (- for stdout); a PDF goes to ID.pdf without it" },
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	struct crm_buf pdfname = CRM_BUF_INIT;
	int rc = cli_parse(ctx, render_usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (lang && !crm_invoice_label(lang, CRM_L_INVOICE)) {
		cli_error(ctx->command, "no labels for language '%s' (have %s)", lang,
			  crm_invoice_languages());
		return EXIT_USAGE;
	}
	if (!strcmp(format, "txt"))
		return produce(ctx, argv[0], lang, output, false, crm_invoice_render_txt);
	if (!strcmp(format, "html"))
		return produce(ctx, argv[0], lang, output, false, crm_invoice_render_html);
	if (strcmp(format, "pdf")) {
		cli_error(ctx->command, "unknown format '%s' (use pdf, html or txt)", format);
		return EXIT_USAGE;
	}
	/* a PDF is binary: never to a terminal by surprise */
	if (!output) {
		crm_buf_addf(&pdfname, "%s.pdf", argv[0]);
		output = pdfname.ptr;
	}
	rc = produce(ctx, argv[0], lang, output, output == pdfname.ptr, crm_invoice_render_pdf);
	crm_buf_release(&pdfname);
	return rc;
}

int cmd_invoice_export(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *output = NULL;
	bool ubl = false;
	const struct cli_option opts[] = {
		{ "ubl", 0, CLI_OPT_FLAG, &ubl, NULL,
		  "UBL 2.1 Invoice or CreditNote per Peppol BIS Billing 3.0" },
		{ "output", 'o', CLI_OPT_STRING, &output, "FILE", "write FILE (default stdout)" },
		CLI_ARG(CLI_ARG_ONE, "ID"),
		CLI_OPT_END
	};
	int rc = cli_parse(ctx, export_usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (!ubl) {
		cli_error(ctx->command, "export needs a format: --ubl");
		cli_usage(stderr, ctx->command, export_usage, opts);
		return EXIT_USAGE;
	}
	return produce(ctx, argv[0], NULL, output, false, crm_invoice_export_ubl);
}
