/* crm alerts [FILTER...] [--json]: the open deals that have stayed in their
 * stage too long, by the stage's limit or by the repository's own average
 * (src/core/automation/alerts.c says how); exit 0 whether or not there are
 * any, so that a script reads the list, not the status. */
#include <string.h>

#include "cli.h"
#include "crm/alerts.h"
#include "crm/error.h"
#include "crm/table.h"

static const char usage[] = "[FILTER...] [--json]";

static int print_table(const struct crm_alerts *al)
{
	static const char *const headers[] = { "DEAL", "STAGE", "OWNER", "SINCE", "DAYS", "WHY" };
	struct crm_buf cell = CRM_BUF_INIT;
	struct crm_table t;
	char since[16];
	size_t i;
	int err = crm_table_init(&t, 6, headers);

	crm_table_align_right(&t, 4, true);
	for (i = 0; i < al->list.len && !err; i++) {
		const struct crm_alert *x = &al->list.ptr[i];
		crm_date_format(since, sizeof(since), x->since);
		crm_table_add(&t, x->id);
		crm_table_add(&t, x->stage);
		crm_table_add(&t, x->owner ? x->owner : "");
		crm_table_add(&t, since);
		crm_buf_reset(&cell);
		crm_buf_addf(&cell, "%ld", x->days);
		crm_table_add(&t, cell.ptr);
		crm_buf_reset(&cell);
		crm_alert_why(&cell, al, x);
		err = crm_table_add(&t, cell.ptr);
	}
	if (!err && al->list.len)
		/* whole cells: the reasons are the point of the list */
		err = crm_table_print(stdout, &t, cli_table_width(&t, true), false);
	else if (!err)
		printf("no deal is over its stage's limit or average\n");
	crm_table_release(&t);
	crm_buf_release(&cell);
	return err;
}

int cmd_alerts(struct cli_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	const struct cli_option opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "one JSON document" },
		CLI_ARG(CLI_ARG_ANY, "FILTER"),
		CLI_OPT_END
	};
	struct crm_automation a;
	struct crm_alerts al;
	struct crm_filter *filter = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	const struct crm_schema *s;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	memset(&al, 0, sizeof(al));
	crm_arena_init(&al.arena);
	err = crm_automation_load(&a, &ctx->repo.config);
	s = crm_repo_schema(&ctx->repo, "opportunity");
	if (!err && !s)
		err = crm_error_set(CRM_EUSAGE, "this repository has no opportunity type");
	if (!err && argc)
		err = crm_filter_parse(&filter, ctx->idx, s, (const char *const *)argv, (size_t)argc);
	if (!err)
		err = crm_alerts_compute(&al, ctx->idx, &a, filter);
	if (!err && json) {
		err = crm_alerts_json(&out, &al);
		if (!err)
			err = cli_write(&out);
	} else if (!err) {
		err = print_table(&al);
	}
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
	}
	crm_buf_release(&out);
	crm_filter_free(filter);
	crm_alerts_release(&al);
	crm_automation_release(&a);
	return rc;
}
