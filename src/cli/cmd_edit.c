/* crm edit REF: opens the record in $VISUAL or $EDITOR, checks it on save,
 * and on errors reopens it with the messages as comments at the top (like
 * visudo or git commit); saving it unchanged, or emptying it, aborts. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] = "REF";
static const char marker[] = "# crm: ";

static const char *editor(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

static int run_editor(const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return crm_error_errno(CRM_EIO, "cannot start the editor");
	if (pid == 0) {
		/* through the shell, as git does, so EDITOR may carry options */
		execl("/bin/sh", "sh", "-c", "$CRM_EDITOR \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return crm_error_set(CRM_EIO, "the editor '%s' failed; nothing was changed", editor());
	return 0;
}

/* The text without the comment lines crm put at its top. */
static void strip_messages(struct crm_buf *text)
{
	struct crm_buf out = CRM_BUF_INIT;
	const char *p = text->ptr;
	while (!strncmp(p, marker, sizeof(marker) - 1)) {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	crm_buf_adds(&out, p);
	crm_buf_release(text);
	*text = out;
}

static bool blank(const struct crm_buf *b)
{
	size_t i;
	for (i = 0; i < b->len; i++) {
		if (!strchr(" \t\r\n", b->ptr[i]))
			return false;
	}
	return true;
}

/* Findings for the edited text, as comment lines; empty when it is fine. */
static void findings(struct crm_buf *out, struct cli_ctx *ctx, struct crm_record *orig,
		     const struct crm_buf *text)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_record tmp = *orig;
	size_t i;

	crm_diags_init(&diags);
	tmp.values = NULL;
	tmp.state = NULL;
	if (!crm_yaml_parse(&tmp.root, &arena, text->ptr, text->len, orig->path, &diags))
		crm_check_record(ctx->idx, &tmp, &diags);
	crm_buf_reset(out);
	for (i = 0; i < diags.list.len; i++) {
		const struct crm_diag *d = &diags.list.ptr[i];
		if (d->severity != CRM_SEV_ERROR)
			continue;
		/* the lines below the messages keep their numbers in the file */
		crm_buf_addf(out, "%sline %d, column %d: %s [%s]\n", marker, d->line, d->col,
			     d->message, d->code);
	}
	if (out->len)
		crm_buf_addf(out, "%sfix the errors above and save; save it unchanged or "
			     "empty to abort\n", marker);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
}

static int edit_loop(struct cli_ctx *ctx, struct crm_record *rec, const char *tmp,
		     const struct crm_buf *original, struct crm_buf *result)
{
	struct crm_buf shown = CRM_BUF_INIT, messages = CRM_BUF_INIT;
	int err = 0;

	crm_buf_add(&shown, original->ptr, original->len);
	for (;;) {
		err = crm_write_file_atomic(tmp, shown.ptr, shown.len);
		if (!err)
			err = run_editor(tmp);
		crm_buf_reset(result);
		if (!err)
			err = crm_buf_read_file(result, tmp, CRM_YAML_MAX_BYTES);
		if (err)
			break;
		strip_messages(result);
		if (blank(result) || (result->len == original->len &&
				      !memcmp(result->ptr, original->ptr, result->len))) {
			err = crm_error_set(CRM_ENOTFOUND, "no change; nothing was written");
			break;
		}
		findings(&messages, ctx, rec, result);
		if (!messages.len)
			break;
		crm_buf_reset(&shown);
		crm_buf_add(&shown, messages.ptr, messages.len);
		crm_buf_add(&shown, result->ptr, result->len);
	}
	crm_buf_release(&shown);
	crm_buf_release(&messages);
	return err;
}

int cmd_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_option opts[] = { { NULL, 0, 0, NULL, NULL, NULL } };
	struct crm_buf original = CRM_BUF_INIT, result = CRM_BUF_INIT, tmp = CRM_BUF_INIT;
	struct crm_buf msg = CRM_BUF_INIT, full = CRM_BUF_INIT;
	struct crm_record *rec;
	struct crm_txn txn;
	bool bad_type = false;
	int err, rc = cli_parse("edit", usage, opts, argc, argv, &argc);

	if (rc)
		return rc == CLI_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (argc != 1) {
		cli_usage(stderr, "edit", usage, opts);
		return EXIT_USAGE;
	}
	rec = cli_find_record(ctx, argv[0], &bad_type);
	if (!rec)
		return bad_type ? EXIT_USAGE : EXIT_PROBLEMS;
	setenv("CRM_EDITOR", editor(), 1);
	crm_buf_addf(&full, "%s/%s", ctx->repo.root, rec->path);
	/* the copy lives beside the record, so the editor sees a .yaml file */
	crm_buf_addf(&tmp, "%s/.crm-edit-%s.yaml", ctx->repo.root, rec->id);
	err = crm_buf_read_file(&original, full.ptr, CRM_YAML_MAX_BYTES);
	if (!err)
		err = edit_loop(ctx, rec, tmp.ptr, &original, &result);
	unlink(tmp.ptr);
	if (err) {
		cli_error("edit", "%s", crm_error_last());
		rc = err == CRM_ENOTFOUND ? EXIT_OK : EXIT_PROBLEMS;
		goto done;
	}
	crm_buf_addf(&msg, "crm: edit %s/%s", rec->schema->type, rec->id);
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = crm_store_write_record(&txn, rec->path, result.ptr, result.len);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
done:
	crm_buf_release(&original);
	crm_buf_release(&result);
	crm_buf_release(&tmp);
	crm_buf_release(&msg);
	crm_buf_release(&full);
	return rc;
}
