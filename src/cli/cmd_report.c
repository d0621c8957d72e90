/* crm report NAME: funnel, cycle, winloss, won, activity, summary,
 * receivables, revenue and stalled, each in the terminal, as JSON, CSV, HTML or
 * xlsx, now or --at a commit or date. */
#include <string.h>

#include "cli.h"
#include "crm/report.h"
#include "crm/stats.h"

static const char usage[] =
	"funnel|cycle|winloss|won|activity|summary|receivables|revenue|stalled [FILTER...] "
	"[--owner U] [--tag T] [--stage S] [--client ID] [--since D] [--until D] "
	"[--at REV|DATE] [--json | --csv [--table NAME]] [--html FILE] [--xlsx FILE] [--all]";

static int build(struct crm_report *r, struct crm_index *idx,
		 const struct crm_stats_options *opts, void *payload)
{
	return crm_stats_report(r, idx, payload, opts);
}

int cmd_report(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_report_opts o = { 0 };
	const struct cli_option opts[] = {
		CLI_REPORT_OPTIONS(o),
		{ NULL, 0, 0, NULL, NULL, NULL }
	};
	struct crm_report r;
	size_t i;
	int rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	if (argc < 1) {
		cli_usage(stderr, "report", usage, opts);
		return EXIT_USAGE;
	}
	for (i = 0; crm_stats_report_names[i]; i++) {
		if (!strcmp(crm_stats_report_names[i], argv[0]))
			break;
	}
	if (!crm_stats_report_names[i]) {
		cli_error("report", "unknown report '%s' (reports: funnel, cycle, winloss, won, "
			  "activity, summary, receivables, revenue, stalled)", argv[0]);
		return EXIT_USAGE;
	}
	crm_report_init(&r, argv[0], argv[0]);
	rc = cli_report_run(ctx, &o, (const char *const *)argv + 1, (size_t)argc - 1, build,
			    argv[0], &r);
	crm_report_release(&r);
	return rc;
}
