/* crm forecast: expected revenue by month of expected close, by stage
 * probability, confidence rating or learnt win rates, with the deals behind
 * each figure (--explain); and --backtest, each method against the past.
 * The figures are computed in src/core/figures/forecast_report.c; this is
 * option handling and the choice of writer. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/forecast.h"
#include "crm/index.h"
#include "crm/money.h"
#include "crm/node.h"
#include "crm/report.h"
#include "crm/table.h"
#include "crm/term.h"
#include "crm/value.h"

static const char usage[] =
	"[--months N] [--method stage|confidence|historical] [--by month|owner|stage] "
	"[--explain] [--backtest] [--owner NAME] [--tag T] [--at REV|DATE] [FILTER...] "
	"[--json | --csv [--table NAME]] [--html FILE] [--xlsx FILE]";

struct fc_opts {
	long months;
	const char *method_name, *by_name, *owner;
	struct cli_list tags;
	bool explain, backtest, json, csv;
	const char *at;               /* --at REV|DATE */
	const char *html, *xlsx, *table;
};

/* --owner and --tag as filter terms, then the FILTER arguments. */
static int build_terms(struct cli_list *terms, struct crm_buf *store, const struct fc_opts *o,
		       int argc, char **argv)
{
	size_t i, off[64], n = 0;
	int a;

	if (o->owner) {
		off[n++] = store->len;
		crm_buf_addf(store, "owner=%s", o->owner);
		crm_buf_addch(store, '\0');
	}
	for (i = 0; i < o->tags.len && n < 64; i++) {
		off[n++] = store->len;
		crm_buf_addf(store, "tag:%s", o->tags.items[i]);
		crm_buf_addch(store, '\0');
	}
	if (o->tags.len >= 64)
		return crm_error_set(CRM_EUSAGE, "too many --tag options");
	terms->items = calloc(n + (size_t)argc + 1, sizeof(*terms->items));
	if (!terms->items)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		terms->items[terms->len++] = store->ptr + off[i];
	for (a = 0; a < argc; a++)
		terms->items[terms->len++] = argv[a];
	return 0;
}

static int parse_choices(struct crm_forecast_options *fo, const struct fc_opts *o)
{
	if (o->months < 1 || o->months > 120)
		return crm_error_set(CRM_EUSAGE, "--months must be between 1 and 120, not %ld",
				     o->months);
	fo->months = (int)o->months;
	fo->explain = o->explain;
	fo->backtest = o->backtest;
	if (o->method_name) {
		fo->method = crm_forecast_method_parse(o->method_name);
		if (fo->method == CRM_FORECAST__COUNT)
			return crm_error_set(CRM_EUSAGE, "unknown method '%s' (stage, confidence "
					     "or historical)", o->method_name);
	}
	if (o->by_name) {
		fo->by = crm_forecast_by_parse(o->by_name);
		if (fo->by == CRM_FORECAST_BY__COUNT)
			return crm_error_set(CRM_EUSAGE, "cannot group by '%s' (month, owner or "
					     "stage)", o->by_name);
	}
	if (o->json && o->csv)
		return crm_error_set(CRM_EUSAGE, "--json and --csv exclude each other");
	if (o->table && !o->csv)
		return crm_error_set(CRM_EUSAGE, "--table goes with --csv");
	if (o->backtest && (o->by_name || o->method_name || o->explain))
		return crm_error_set(CRM_EUSAGE, "--backtest compares every method by month; "
				     "it takes no --method, --by or --explain");
	return 0;
}

static int load(struct crm_forecast_data *data, struct cli_ctx *ctx, const struct fc_opts *o,
		int argc, char **argv)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "opportunity");
	struct cli_list terms = { NULL, 0, 0 };
	struct crm_buf store = CRM_BUF_INIT;
	struct crm_filter *filter = NULL;
	int err;

	memset(data, 0, sizeof(*data));
	if (!s)
		return crm_error_set(CRM_ENOTFOUND, "the repository has no opportunity schema");
	err = build_terms(&terms, &store, o, argc, argv);
	if (!err)
		err = crm_filter_parse(&filter, ctx->idx, s, terms.items, terms.len);
	if (!err)
		err = crm_forecast_data_load(data, ctx->idx, filter);
	/* amounts with no rate to the base currency: said, then left out */
	if (!err && data->warnings.len) {
		const char *line = data->warnings.ptr, *nl;
		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			fprintf(stderr, "crm forecast: warning: %.*s; deal left out\n",
				(int)(nl - line), line);
	}
	crm_filter_free(filter);
	free(terms.items);
	crm_buf_release(&store);
	return err;
}

static int write_forecast(struct cli_ctx *ctx, const struct fc_opts *o,
			  const struct crm_forecast_options *fo,
			  const struct crm_forecast_data *data, struct crm_report *r, crm_date today)
{
	struct crm_buf b = CRM_BUF_INIT;
	int err = 0;

	if (o->json) {
		err = crm_forecast_write_json(&b, data, fo, today);
		if (!err)
			err = cli_write(&b);
		crm_buf_release(&b);
		if (err || (!o->html && !o->xlsx))
			return err;
	}
	err = crm_forecast_report(r, data, fo, today);
	if (!err && r->dirty_pending)
		err = crm_index_uncommitted(ctx->idx, &r->dirty);
	if (!err)
		err = cli_report_write_files(r, o->html, o->xlsx);
	if (err || o->json)
		return err;
	if (o->csv)
		return crm_report_write_csv(stdout, r, o->table);
	if (o->html || o->xlsx)
		return 0;
	err = crm_forecast_header(&b, data, fo, today);
	if (!err)
		err = crm_forecast_write_text(stdout, r, b.ptr, crm_term_width(STDOUT_FILENO), ctx->color);
	crm_buf_release(&b);
	return err;
}

int cmd_forecast(struct cli_ctx *ctx, int argc, char **argv)
{
	struct fc_opts o;
	const struct cli_option opts[] = {
		{ "months", 'n', CLI_OPT_INT, &o.months, "N",
		  "months ahead (default 6), or back for --backtest (default 12)" },
		{ "method", 'm', CLI_OPT_STRING, &o.method_name, "M",
		  "stage (default), confidence or historical" },
		{ "by", 0, CLI_OPT_STRING, &o.by_name, "G", "month (default), owner or stage" },
		{ "explain", 'e', CLI_OPT_FLAG, &o.explain, NULL, "list the deals behind each figure" },
		{ "backtest", 0, CLI_OPT_FLAG, &o.backtest, NULL,
		  "replay past months with each method and print its error" },
		{ "owner", 0, CLI_OPT_STRING, &o.owner, "NAME", "only this owner's deals" },
		{ "tag", 't', CLI_OPT_LIST, &o.tags, "T", "only deals with this tag (repeatable)" },
		{ "json", 0, CLI_OPT_FLAG, &o.json, NULL, "one JSON document" },
		{ "csv", 0, CLI_OPT_FLAG, &o.csv, NULL, "the tables as CSV" },
		{ "table", 0, CLI_OPT_STRING, &o.table, "NAME", "with --csv: only this table" },
		{ "html", 0, CLI_OPT_STRING, &o.html, "FILE", "write a self-contained HTML page" },
		{ "xlsx", 0, CLI_OPT_STRING, &o.xlsx, "FILE", "write an xlsx workbook, a sheet a table" },
		{ "at", 0, CLI_OPT_STRING, &o.at, "REV|DATE",
		  "as the repository stood at that commit or day (read from git)" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_forecast_options fo = CRM_FORECAST_OPTIONS_INIT;
	struct crm_forecast_data data;
	struct crm_report report;
	int rc, err;

	memset(&o, 0, sizeof(o));
	o.months = -1;
	memset(&data, 0, sizeof(data));
	rc = cli_parse(ctx, usage, opts, argc, argv, &argc);
	if (rc) {
		cli_list_release(&o.tags);
		return rc;
	}
	if (o.months == -1)
		o.months = o.backtest ? 12 : 6;
	crm_report_init(&report, "forecast", o.backtest ? "Forecast backtest" : "Forecast");
	err = parse_choices(&fo, &o);
	/* the report loader reads the commit's tree for --at, else the work tree */
	if (!err)
		err = cli_report_load(ctx, o.at, &report);
	/* a refusal of the merge guard says more than the load's error */
	if (cli_merge_guard_end(ctx)) {
		rc = EXIT_PROBLEMS;
		goto done;
	}
	if (!err)
		err = load(&data, ctx, &o, argc, argv);
	if (!err && o.at)
		fo.commit = report.commit;
	if (!err)
		err = write_forecast(ctx, &o, &fo, &data, &report, crm_index_today(ctx->idx));
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
	} else if (data.unreadable) {
		cli_report_unreadable(ctx->command, data.unreadable,
				      !o.json && !o.csv && !o.html && !o.xlsx);
		rc = EXIT_PROBLEMS;
	}
done:
	crm_report_release(&report);
	crm_forecast_data_release(&data);
	cli_list_release(&o.tags);
	return rc;
}
