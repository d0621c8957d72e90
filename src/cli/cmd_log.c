/* crm log REF: a record's history from git, as field changes: who changed
 * which field from what to what, when, in which commit; renames followed. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/merge.h"
#include "crm/utf8.h"

static const char usage[] = "REF";

static int print_change(const struct crm_git_change *c, void *payload)
{
	struct crm_buf lines = CRM_BUF_INIT, head = CRM_BUF_INIT;
	char date[16];
	size_t n = 0;
	int err;

	(void)payload;
	crm_date_format(date, sizeof(date),
			(crm_date)((c->when + c->offset_min * 60) / 86400 -
				   ((c->when + c->offset_min * 60) % 86400 < 0)));
	err = crm_record_diff(&lines, &n, "    ", c->old_text, c->old_len, c->new_text,
			      c->new_len);
	crm_utf8_escape_controls(&head, c->author);
	crm_buf_adds(&head, "\n    ");
	crm_utf8_escape_controls(&head, c->summary ? c->summary : "");
	printf("commit %.8s  %s  %s\n", c->id, date, head.ptr);
	if (!c->old_path)
		fputs("    (record added)\n", stdout);
	else if (!c->new_path)
		fputs("    (record removed)\n", stdout);
	else if (strcmp(c->old_path, c->new_path))
		printf("    (renamed from %s)\n", c->old_path);
	if (err)
		printf("    (a version does not parse: %s)\n", crm_error_last());
	fputs(lines.ptr, stdout);
	fputc('\n', stdout);
	crm_buf_release(&lines);
	crm_buf_release(&head);
	return 0;
}

int cmd_log(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { { NULL, 0, 0, NULL, NULL, NULL } };
	struct crm_git *git = NULL;
	struct crm_record *rec;
	struct crm_buf path = CRM_BUF_INIT;
	char *prefix = NULL;
	bool bad_type = false;
	int err, rc = cli_parse("log", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc != 1) {
		cli_usage(stderr, "log", usage, opts);
		return EXIT_USAGE;
	}
	rec = cli_find_record(ctx, argv[0], &bad_type);
	if (!rec)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	err = crm_git_open(&git, ctx->repo.root);
	if (!err) {
		prefix = crm_git_prefix(git, ctx->repo.root);
		crm_buf_addf(&path, "%s%s", prefix ? prefix : "", rec->path);
		err = crm_git_file_log(git, path.ptr, print_change, NULL);
	}
	if (err)
		cli_error("log", "%s", crm_error_last());
	free(prefix);
	crm_buf_release(&path);
	crm_git_free(git);
	return err ? EXIT_USAGE : EXIT_OK;
}
