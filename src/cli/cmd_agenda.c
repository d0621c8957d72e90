/* crm agenda [--user U | --all] [--days N] [--json | --ical]: what asks for
 * attention today and in the days ahead, grouped by day (Overdue, Today,
 * Tomorrow, then dates), with progress against the user's targets. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/day.h"
#include "crm/error.h"
#include "crm/export.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/json.h"
#include "crm/store.h"

static const char usage[] = "[--user U | --all] [--days N] [--json | --ical]";

/* Whose agenda: --user, else everyone's with --all, else the crm.ini user
 * the git identity matches (as crm_store_user finds it for commits). */
static int pick_user(char **out, struct cli_ctx *ctx, const char *user, bool all)
{
	struct crm_git *g = NULL;

	*out = NULL;
	if (all)
		return 0;
	if (user) {
		*out = strdup(user);
		return *out ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
	}
	if (crm_git_open(&g, ctx->repo.root))
		return crm_error_set(CRM_EUSAGE, "no git identity to take the user from "
				     "(%s): give --user U or --all", crm_error_last());
	*out = crm_store_user(&ctx->repo, g);
	crm_git_free(g);
	return *out ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
}

static const char *group_label(const char *group, crm_date d, char *buf, size_t size)
{
	static const char *const days[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					    "Friday", "Saturday", "Sunday" };
	if (!strcmp(group, "overdue"))
		return "Overdue";
	if (!strcmp(group, "today"))
		return "Today";
	if (!strcmp(group, "tomorrow"))
		return "Tomorrow";
	snprintf(buf, size, "%s %s", days[crm_date_weekday(d)], group);
	return buf;
}

/* "  10:00  task            Call back (about client/acme)  [task/call-back]";
 * an overdue item shows its date too. */
static void text_item(struct crm_buf *out, const struct crm_agenda *a,
		      const struct crm_agenda_item *it, const struct crm_config *cfg,
		      bool everyone)
{
	char when[32] = "", date[16], group[16];
	bool overdue = !strcmp(crm_agenda_group(a, it, group, sizeof(group)), "overdue");

	crm_date_format(date, sizeof(date), it->date);
	if (overdue)
		snprintf(when, sizeof(when), "%s", date);
	if (it->has_time) {
		char time[8];
		crm_agenda_time(time, sizeof(time), cfg, it->at);
		snprintf(when + strlen(when), sizeof(when) - strlen(when), "%s%s",
			 overdue ? " " : "", time);
	}
	crm_buf_addf(out, "  %-*s  %-14s  ", overdue ? 16 : 5, when,
		     crm_agenda_kind_name(it->kind));
	crm_agenda_one_line(out, it->text);
	crm_buf_addf(out, "  [%s]", it->ref);
	/* everyone's agenda says whose each item is */
	if (everyone)
		crm_buf_addf(out, " %s", it->user ? it->user : "(nobody)");
	crm_buf_addch(out, '\n');
}

static void text_targets(struct crm_buf *out, const struct crm_targets *t)
{
	size_t i;

	if (!t->items.len)
		return;
	crm_buf_adds(out, "\nTargets\n");
	for (i = 0; i < t->items.len; i++) {
		crm_buf_adds(out, "  ");
		crm_target_describe(out, &t->items.ptr[i]);
		crm_buf_addch(out, '\n');
	}
}

static void text_agenda(struct crm_buf *out, const struct crm_agenda *a,
			const struct crm_targets *t, const char *user, int days,
			const struct crm_config *cfg)
{
	char today[16], group[16], prev[16] = "", label[40];
	size_t i;

	crm_date_format(today, sizeof(today), a->today);
	crm_buf_addf(out, "Agenda of %s for %s, %d day%s\n", user ? user : "everyone",
		     group_label(today, a->today, label, sizeof(label)), days, days == 1 ? "" : "s");
	if (!a->items.len)
		crm_buf_adds(out, "\nNothing due.\n");
	for (i = 0; i < a->items.len; i++) {
		const struct crm_agenda_item *it = &a->items.ptr[i];
		const char *g = crm_agenda_group(a, it, group, sizeof(group));
		if (strcmp(g, prev)) {
			crm_buf_addf(out, "\n%s\n", group_label(g, it->date, label, sizeof(label)));
			snprintf(prev, sizeof(prev), "%s", g);
		}
		text_item(out, a, it, cfg, !user);
	}
	text_targets(out, t);
}

static void json_target(struct crm_json *j, const struct crm_target *t)
{
	char start[16], end[16];

	crm_date_format(start, sizeof(start), t->start);
	crm_date_format(end, sizeof(end), t->end);
	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "user");
	crm_json_string(j, t->user);
	crm_json_key(j, "metric");
	crm_json_string(j, crm_target_metric_name(t->metric));
	crm_json_key(j, "period");
	crm_json_string(j, crm_target_period_name(t->period));
	crm_json_key(j, "start");
	crm_json_string(j, start);
	crm_json_key(j, "end");
	crm_json_string(j, end);
	crm_json_key(j, "goal");
	if (t->metric == CRM_TARGET_WON)
		crm_json_money(j, t->goal, t->currency);
	else
		crm_json_decimal(j, t->goal, true);
	crm_json_key(j, "actual");
	if (t->metric == CRM_TARGET_WON)
		crm_json_money(j, t->actual, t->currency);
	else
		crm_json_decimal(j, t->actual, true);
	crm_json_key(j, "percent");
	crm_json_int(j, t->percent);
	crm_json_key(j, "elapsed_percent");
	crm_json_int(j, t->elapsed_percent);
	crm_json_end(j);
}

static void json_agenda(struct crm_buf *out, const struct crm_agenda *a,
			const struct crm_targets *t, const char *user, int days,
			const struct crm_config *cfg)
{
	struct crm_json j;
	char today[16];
	size_t i;

	crm_date_format(today, sizeof(today), a->today);
	crm_json_init(&j, out);
	crm_json_object(&j, CRM_JSON_BLOCK);
	crm_json_key(&j, "user");
	crm_json_string(&j, user);
	crm_json_key(&j, "today");
	crm_json_string(&j, today);
	crm_json_key(&j, "days");
	crm_json_int(&j, days);
	crm_json_key(&j, "items");
	crm_json_array(&j, CRM_JSON_BLOCK);
	for (i = 0; i < a->items.len; i++)
		crm_agenda_item_json(&j, a, &a->items.ptr[i], cfg, true);
	crm_json_end(&j);
	crm_json_key(&j, "targets");
	crm_json_array(&j, CRM_JSON_BLOCK);
	for (i = 0; i < t->items.len; i++)
		json_target(&j, &t->items.ptr[i]);
	crm_json_end(&j);
	crm_json_end(&j);
	crm_buf_addch(out, '\n');
}

int cmd_agenda(struct cli_ctx *ctx, int argc, char **argv)
{
	struct crm_agenda_options ao = CRM_AGENDA_OPTIONS_INIT;
	const char *user_arg = NULL;
	bool all = false, json = false, ical = false;
	long days = 7;
	const struct cli_option opts[] = {
		{ "user", 'u', CLI_OPT_STRING, &user_arg, "U",
		  "this user's agenda (default: the user the git identity matches)" },
		{ "all", 'a', CLI_OPT_FLAG, &all, NULL, "everyone's agenda" },
		{ "days", 'd', CLI_OPT_INT, &days, "N", "the next N days, today included (default 7)" },
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "one JSON document" },
		{ "ical", 0, CLI_OPT_FLAG, &ical, NULL, "an iCalendar file of the items" },
		CLI_ARG(CLI_ARG_NONE, ""),
		CLI_OPT_END
	};
	struct crm_agenda a;
	struct crm_targets t;
	struct crm_buf out = CRM_BUF_INIT;
	char *user = NULL;
	int rc = cli_parse(ctx, usage, opts, argc, argv, &argc), err;

	if (rc)
		return rc;
	if ((json && ical) || (all && user_arg) || days < 1 || days > 3660) {
		cli_error(ctx->command, "%s", json && ical ? "--json and --ical exclude each other"
					      : all && user_arg ? "--all and --user exclude each other"
					      : "--days takes a number from 1 to 3660");
		return EXIT_USAGE;
	}
	err = pick_user(&user, ctx, user_arg, all);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	ao.user = user;
	ao.days = (int)days;
	memset(&t, 0, sizeof(t));
	err = crm_agenda_build(&a, ctx->idx, &ao);
	if (!err && (err = crm_targets_measure(&t, ctx->idx, user)))
		crm_agenda_release(&a);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		free(user);
		return EXIT_PROBLEMS;
	}
	if (ical)
		err = crm_export_agenda_ical(&out, ctx->idx, &a);
	else if (json)
		json_agenda(&out, &a, &t, user, (int)days, &ctx->repo.config);
	else
		text_agenda(&out, &a, &t, user, (int)days, &ctx->repo.config);
	if (!err)
		err = cli_write(&out);
	if (err)
		cli_error(ctx->command, "%s", crm_error_last());
	crm_buf_release(&out);
	crm_targets_release(&t);
	crm_agenda_release(&a);
	free(user);
	return err ? EXIT_PROBLEMS : EXIT_OK;
}
