/* crm dashboard: the sales figures of SPEC section 7 and more (pipeline,
 * weighted pipeline, won and lost, win rate, months, stages, tags, sources,
 * owners, stalled deals, invoices, aging alerts), now or --at a commit or
 * date. */
#include <string.h>

#include "cli.h"
#include "crm/alerts.h"
#include "crm/day.h"
#include "crm/report.h"
#include "crm/stats.h"

static const char usage[] =
	"[FILTER...] [--owner U] [--tag T] [--stage S] [--client ID] [--since D] [--until D] "
	"[--at REV|DATE] [--json | --csv [--table NAME]] [--html FILE] [--xlsx FILE] [--all]";

static int build(struct crm_report *r, struct crm_index *idx,
		 const struct crm_stats_options *opts, void *payload)
{
	struct crm_targets_filter targets;
	struct crm_automation a;
	struct crm_alerts al;
	struct crm_deals deals;
	/* the dashboard's deals are every deal: the alerts need not read them
	 * again */
	bool every_deal = crm_filter_is_empty(opts->filter) && !opts->has_since &&
			 !opts->has_until;
	int err;

	err = crm_stats_dashboard(r, idx, opts, &deals);
	if (err)
		return err;
	/* the aging alerts, a table of their own when there are any */
	memset(&al, 0, sizeof(al));
	crm_arena_init(&al.arena);
	err = crm_automation_load(&a, &crm_index_repo(idx)->config);
	if (!err && every_deal)
		err = crm_alerts_from_deals(&al, idx, &a, &deals);
	else if (!err)
		err = crm_alerts_compute(&al, idx, &a, opts->filter);
	if (!err)
		err = crm_alerts_report(r, &al);
	crm_alerts_release(&al);
	crm_automation_release(&a);
	crm_deals_release(&deals);
	/* progress against crm.ini's [target] quotas, when it has any: of the
	 * --owner's, in the periods of --since and --until */
	targets.user = ((const struct cli_report_opts *)payload)->owner;
	targets.has_since = opts->has_since;
	targets.since = opts->since;
	targets.has_until = opts->has_until;
	targets.until = opts->until;
	return err ? err : crm_targets_report(r, idx, &targets);
}

int cmd_dashboard(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_report_opts o = { 0 };
	const struct cli_option opts[] = {
		CLI_REPORT_OPTIONS(o),
		{ "stalled-days", 0, CLI_OPT_INT, &o.stalled_days, "N",
		  "a deal is stalled after N days without history or activity "
		  "(default: crm.ini [dashboard] stalled_days, else 30)" },
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_report r;
	int rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	crm_report_init(&r, "dashboard", "Dashboard");
	rc = cli_report_run(ctx, &o, (const char *const *)argv, (size_t)argc, build, &o, &r);
	crm_report_release(&r);
	return rc;
}
