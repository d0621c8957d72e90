/* crm resolve REF FIELD --ours|--theirs|--value V: settles a field that a
 * merge left in conflict, in one commit.  crm resolve FILE: merges a file
 * git left unmerged field by field, from the versions git's index holds. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/merge.h"
#include "crm/node.h"
#include "crm/store.h"

static const char usage[] = "REF FIELD --ours | --theirs | --value VALUE [--force]\n"
			    "   or: crm resolve FILE";

/* ---- crm resolve FILE ---- */

static bool is_record_file(const char *arg)
{
	size_t len = strlen(arg);
	return len > 5 && !strcmp(arg + len - 5, ".yaml");
}

/* The work-tree path of FILE: as named from the current folder, else (for
 * the path the advice prints) from the data repository's folder. */
static int unmerged_path(struct crm_buf *out, struct crm_git *git, const char *root,
			 const char *file, struct crm_git_stages *st)
{
	const char *workdir = crm_git_workdir(git);
	char cwd[PATH_MAX];
	struct crm_buf abs = CRM_BUF_INIT;
	int pass, err = CRM_ENOTFOUND;

	for (pass = 0; pass < 2 && err == CRM_ENOTFOUND; pass++) {
		crm_buf_reset(&abs);
		if (file[0] == '/')
			crm_buf_adds(&abs, file);
		else if (pass == 0 && getcwd(cwd, sizeof(cwd)))
			crm_buf_addf(&abs, "%s/%s", cwd, file);
		else
			crm_buf_addf(&abs, "%s/%s", root, file);
		crm_buf_reset(out);
		crm_buf_adds(out, strncmp(abs.ptr, workdir, strlen(workdir)) ? abs.ptr
									  : abs.ptr + strlen(workdir));
		err = crm_git_unmerged_read(git, out->ptr, st);
	}
	crm_buf_release(&abs);
	if (err == CRM_ENOTFOUND)
		crm_error_set(CRM_ENOTFOUND, "'%s' is not a file git left unmerged", file);
	return err;
}

struct count {
	size_t n;
};

static int count_path(const char *path, void *payload)
{
	(void)path;
	((struct count *)payload)->n++;
	return 0;
}

/* What is left to do once the file is staged. */
static void print_next_step(struct crm_git *git, const char *shown, size_t conflicts)
{
	struct count left = { 0 };

	crm_git_unmerged(git, NULL, count_path, &left);
	printf("merged %s field by field and staged it", shown);
	if (conflicts)
		printf("; %zu field%s in conflict (see 'crm check')", conflicts,
		       conflicts == 1 ? "" : "s");
	if (left.n)
		printf("; %zu more file%s unmerged\n", left.n, left.n == 1 ? " is" : "s are");
	else
		printf("; 'git commit' concludes the merge%s\n",
		       conflicts ? ", then 'crm resolve REF FIELD --ours|--theirs|--value V' "
				   "settles each field" : "");
}

/* Runs the merge git's driver would have run on the three versions git
 * kept, writes the result over the file and stages it (git add): fields in
 * conflict stay in the file as conflict blocks, the form crm resolve REF
 * FIELD settles.  A result that would not read back leaves both versions
 * between conflict markers and the file unmerged. */
static int resolve_file(struct cli_ctx *ctx, const char *file)
{
	struct crm_git_stages st = { CRM_BUF_INIT, CRM_BUF_INIT, CRM_BUF_INIT, false, false, false };
	struct crm_buf path = CRM_BUF_INIT, full = CRM_BUF_INIT, out = CRM_BUF_INIT;
	struct crm_git *git = NULL;
	size_t conflicts = 0;
	const char *shown;
	int err = crm_git_open(&git, ctx->repo.root);

	if (!err)
		err = unmerged_path(&path, git, ctx->repo.root, file, &st);
	if (err)
		goto done;
	shown = path.ptr;
	if (!st.has_ours || !st.has_theirs) {
		err = crm_error_set(CRM_EINVALID, "'%s' was deleted on %s side of the merge: keep "
				    "it with 'git add' or delete it with 'git rm'", shown,
				    st.has_ours ? "their" : "our");
		goto done;
	}
	err = crm_merge_record(&out, &conflicts, st.base.ptr, st.base.len, st.ours.ptr,
			       st.ours.len, st.theirs.ptr, st.theirs.len);
	if (err && err != CRM_ECONFLICT)
		goto done;
	crm_buf_addf(&full, "%s%s", crm_git_workdir(git), shown);
	if (err == CRM_ECONFLICT) {
		cli_error(ctx->command, "%s: %s; both versions are left in the file between "
			  "conflict markers", shown, crm_error_last());
		err = cli_write_file(full.ptr, &out);
		err = err ? err : CRM_ECONFLICT;
		goto done;
	}
	err = cli_write_file(full.ptr, &out);
	if (!err)
		err = crm_git_add(git, shown);
	if (!err)
		print_next_step(git, shown, conflicts);
done:
	if (err && err != CRM_ECONFLICT)
		cli_error(ctx->command, "%s", crm_error_last());
	crm_buf_release(&st.base);
	crm_buf_release(&st.ours);
	crm_buf_release(&st.theirs);
	crm_buf_release(&path);
	crm_buf_release(&full);
	crm_buf_release(&out);
	crm_git_free(git);
	return err ? EXIT_PROBLEMS : EXIT_OK;
}

/* ---- crm resolve REF FIELD ---- */

/* The block that replaces the conflict: the chosen side's value. */
static int chosen_block(struct crm_buf *block, const char *field,
			const struct crm_node *conflict, const char *side, const char *value)
{
	const struct crm_node *v;
	crm_buf_reset(block);
	if (value) {
		crm_buf_addf(block, "%s: ", field);
		crm_edit_render_scalar(block, value, NULL);
		return crm_buf_addch(block, '\n');
	}
	v = crm_node_get(conflict, side);
	if (!v || crm_node_is_null(v))
		return 0;   /* that side had removed the field */
	crm_buf_addf(block, "%s: ", field);
	crm_edit_render_flow(block, v);
	return crm_buf_addch(block, '\n');
}

int cmd_resolve(struct cli_ctx *ctx, int argc, char **argv)
{
	bool ours = false, theirs = false;
	const char *value = NULL;
	const struct cli_option opts[] = {
		{ "ours", 0, CLI_OPT_FLAG, &ours, NULL, "keep our value" },
		{ "theirs", 0, CLI_OPT_FLAG, &theirs, NULL, "take their value" },
		{ "value", 0, CLI_OPT_STRING, &value, "V", "set another value" },
		CLI_FORCE_OPTION(ctx),
		CLI_ARG(CLI_ARG_ONE, "REF|FILE"),
		CLI_ARG(CLI_ARG_OPTIONAL, "FIELD"),
		CLI_OPT_END
	};
	struct crm_buf block = CRM_BUF_INIT, next = CRM_BUF_INIT, msg = CRM_BUF_INIT;
	const struct crm_node *conflict;
	struct crm_record *rec;
	struct cli_edit e;
	struct crm_txn txn;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	/* a record file is named with its extension, so that a REF whose
	 * FIELD was left out stays a usage error */
	if (argc == 1 && !ours && !theirs && !value && is_record_file(argv[0]))
		return resolve_file(ctx, argv[0]);
	if (argc != 2 || ours + theirs + (value != NULL) != 1) {
		if (argc != 2)
			cli_error(ctx->command, "missing FIELD (a file git left unmerged is named "
				  "with its .yaml)");
		cli_usage(stderr, ctx->command, usage, opts);
		return EXIT_USAGE;
	}
	/* the commit below could not be made; and the record may hold one
	 * side of a merge only */
	rc = cli_refuse_unmerged(ctx);
	if (rc)
		return rc;
	rc = cli_record_arg(&rec, ctx, argv[0]);
	if (rc)
		return rc;
	err = cli_edit_open(&e, ctx, rec->path);
	conflict = err ? NULL : crm_node_get(crm_node_get(e.root, argv[1]), "conflict");
	if (!err && !conflict) {
		cli_error(ctx->command, "field '%s' of %s/%s is not in conflict", argv[1],
			  rec->schema->type, rec->id);
		cli_edit_release(&e);
		return EXIT_PROBLEMS;
	}
	if (!err && value)
		err = crm_store_validate(ctx->idx, rec->schema, argv[1], value);
	if (!err)
		err = chosen_block(&block, argv[1], conflict, ours ? "ours" : "theirs", value);
	if (!err && block.len)
		err = crm_edit_replace_pair(&next, e.text.ptr, e.text.len, e.root, argv[1], block.ptr);
	else if (!err)
		err = crm_edit_unset(&next, e.text.ptr, e.text.len, e.root, argv[1]);
	if (!err)
		err = cli_edit_replace(&e, &next);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	crm_buf_addf(&msg, "crm: resolve %s/%s %s (%s)", rec->schema->type, rec->id, argv[1],
		     value ? "new value" : ours ? "ours" : "theirs");
	err = cli_check_write(ctx, rec, &e.text);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
		goto done;
	}
	err = crm_txn_begin(&txn, &ctx->repo);
	if (!err)
		err = cli_write_record(&txn, rec->path, &e.text);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
done:
	cli_edit_release(&e);
	crm_buf_release(&block);
	crm_buf_release(&next);
	crm_buf_release(&msg);
	return rc;
}
