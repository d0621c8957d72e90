/* crm remind [--user U | --all] [--dry-run]: for cron or a systemd timer.
 * Fires the reminders that came due since the last run, each once per
 * clone, through the channels of crm.ini [remind] (src/core/day/remind.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/day.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/store.h"

static const char usage[] = "[--user U | --all] [--dry-run]";

/* The user whose reminders fire: --user, else everyone's with --all, else
 * the crm.ini user the git identity matches. */
static char *remind_user(struct cli_ctx *ctx, const char *user, bool all)
{
	struct crm_git *g = NULL;
	char *who;

	if (all)
		return NULL;
	if (user)
		return strdup(user);
	if (crm_git_open(&g, ctx->repo.root))
		return NULL;
	who = crm_store_user(&ctx->repo, g);
	crm_git_free(g);
	return who;
}

int cmd_remind(struct cli_ctx *ctx, int argc, char **argv)
{
	struct crm_remind_options ro;
	struct crm_remind_result res;
	const char *user_arg = NULL;
	bool all = false, dry_run = false;
	const struct cli_option opts[] = {
		{ "user", 'u', CLI_OPT_STRING, &user_arg, "U",
		  "this user's reminders (default: the user the git identity matches)" },
		{ "all", 'a', CLI_OPT_FLAG, &all, NULL, "everyone's reminders" },
		{ "dry-run", 'n', CLI_OPT_FLAG, &dry_run, NULL,
		  "list what would fire on stdout; deliver nothing, remember nothing" },
		CLI_ARG(CLI_ARG_NONE, ""),
		CLI_OPT_END
	};
	char *user = NULL, *state = NULL;
	int rc = cli_parse(ctx, usage, opts, argc, argv, &argc), err;

	if (rc)
		return rc;
	if (all && user_arg) {
		cli_error(ctx->command, "--all and --user exclude each other");
		return EXIT_USAGE;
	}
	user = remind_user(ctx, user_arg, all);
	if (!all && !user) {
		cli_error(ctx->command, "no user to remind: give --user U or --all");
		return EXIT_USAGE;
	}
	err = crm_remind_state_path(&state, ctx->idx);
	memset(&ro, 0, sizeof(ro));
	ro.user = user;
	ro.dry_run = dry_run;
	ro.state_path = state;
	ro.out = stdout;
	ro.err = stderr;
	if (!err)
		err = crm_remind_run(&res, ctx->idx, &ro);
	if (err)
		cli_error(ctx->command, "%s", crm_error_last());
	free(user);
	free(state);
	if (err)
		return cli_status(err);
	return res.failed ? EXIT_PROBLEMS : EXIT_OK;
}
