/* Changing many records in one commit: crm set, tag and move with --where
 * FILTER, and crm handover.  Every record is edited and held to the write
 * check first; only when all of them pass are they written, in one
 * transaction, so that one refusal leaves the tree untouched. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/index.h"
#include "crm/store.h"

void cli_bulk_release(struct cli_bulk *b)
{
	CRM_ARRAY_RELEASE(b->recs);
}

int cli_bulk_select(struct cli_bulk *b, struct cli_ctx *ctx, const struct crm_schema *s,
		    const char *const *terms, size_t n)
{
	struct crm_filter *filter = NULL;
	struct crm_record **all, **slot;
	size_t i, count;
	int err = crm_filter_parse(&filter, ctx->idx, s, terms, n);

	if (err)
		return err;
	all = crm_index_list(ctx->idx, s->type, &count);
	for (i = 0; i < count && !err; i++) {
		crm_index_materialize(ctx->idx, all[i]);
		if (!crm_filter_match(filter, ctx->idx, all[i]))
			continue;
		slot = CRM_ARRAY_PUSH(b->recs);
		if (slot)
			*slot = all[i];
		else
			err = crm_error_set(CRM_ENOMEM, "out of memory");
	}
	crm_filter_free(filter);
	return err;
}

/* The blank-separated words of `text` (pointers into `copy`). */
static int split_words(struct cli_list *out, char *copy)
{
	char *p = copy;
	int err = 0;

	while (*p && !err) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		err = cli_list_push(out, p);
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return err;
}

bool cli_bulk_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--where") || !strncmp(argv[i], "--where=", 8))
			return true;
	return false;
}

int cli_bulk_where(struct cli_bulk *b, struct cli_ctx *ctx, const char *where, const char *type,
		   bool (*accepts)(const struct crm_schema *s, void *payload), void *payload)
{
	struct cli_list terms = { NULL, 0, 0 };
	const struct crm_schema *only = NULL;
	char *copy;
	size_t i, types = 0;
	int err;

	/* a change of many records hears the merge guard out before it
	 * selects them (one record's change waits only where it writes) */
	if (cli_merge_guard_end(ctx))
		return EXIT_PROBLEMS;
	copy = strdup(where);
	err = copy ? split_words(&terms, copy) : crm_error_set(CRM_ENOMEM, "out of memory");

	/* the index may have been listed from the cache: a filter sees all */
	if (!err && cli_index_complete(ctx) < 0)
		return EXIT_PROBLEMS;   /* printed */
	if (!err && !terms.len)
		err = crm_error_set(CRM_EUSAGE, "--where needs a filter (crm ls filters)");
	if (!err && type) {
		only = cli_find_type(ctx, type);
		if (!only)
			return EXIT_USAGE;   /* printed */
	}
	for (i = 0; !err && i < ctx->repo.schemas.len; i++) {
		const struct crm_schema *s = &ctx->repo.schemas.ptr[i];
		struct crm_filter *probe = NULL;

		if ((only && s != only) || (!only && !accepts(s, payload)))
			continue;
		/* without --type, the types whose fields the filter names */
		if (!only && crm_filter_parse(&probe, ctx->idx, s, terms.items, terms.len))
			continue;
		crm_filter_free(probe);
		if (only && !accepts(s, payload))
			err = crm_error_set(CRM_EUSAGE, "this change does not apply to %s records",
					    s->type);
		if (!err)
			err = cli_bulk_select(b, ctx, s, terms.items, terms.len);
		types++;
	}
	if (!err && !types)
		err = crm_error_set(CRM_EUSAGE, "no record type has the fields of --where '%s' "
				    "and of the change", where);
	if (err)
		cli_error(ctx->command, "%s", crm_error_last());
	cli_list_release(&terms);
	free(copy);
	return err ? cli_status(err) : EXIT_OK;
}

/* Each record's new text, once every one has passed the write check. */
struct bulk_result {
	struct crm_record *rec;
	struct crm_buf text;
};

static int edit_one(struct cli_ctx *ctx, struct bulk_result *r, struct crm_record *rec,
		    cli_bulk_edit_fn edit, void *payload, bool *changed)
{
	struct cli_edit e;
	struct crm_buf before = CRM_BUF_INIT;
	int err = cli_edit_open(&e, ctx, rec->path);

	e.rec = rec;
	if (!err)
		err = crm_buf_add(&before, e.text.ptr, e.text.len);
	if (!err)
		err = edit(ctx, &e, rec, payload);
	*changed = !err && (before.len != e.text.len || memcmp(before.ptr, e.text.ptr, before.len));
	if (!err && *changed)
		err = cli_check_write(ctx, rec, &e.text);
	if (!err && *changed) {
		r->rec = rec;
		r->text = e.text;
		crm_buf_init(&e.text);
	}
	crm_buf_release(&before);
	cli_edit_release(&e);
	return err;
}

int cli_bulk_commit(struct cli_ctx *ctx, struct cli_bulk *b, cli_bulk_edit_fn edit,
		    void *payload, const char *what, const char *where, size_t *changed_out)
{
	CRM_ARRAY(struct bulk_result) done = CRM_ARRAY_INIT;
	struct crm_buf msg = CRM_BUF_INIT;
	struct bulk_result r;
	struct crm_txn txn;
	bool changed = false;
	size_t i;
	int err = 0, rc;

	*changed_out = 0;
	for (i = 0; i < b->recs.len && !err; i++) {
		memset(&r, 0, sizeof(r));
		crm_buf_init(&r.text);
		err = edit_one(ctx, &r, b->recs.ptr[i], edit, payload, &changed);
		if (err)
			cli_error(ctx->command, "%s/%s: %s", b->recs.ptr[i]->schema->type,
				  b->recs.ptr[i]->id, crm_error_last());
		else if (changed && !CRM_ARRAY_PUSH(done))
			err = crm_error_set(CRM_ENOMEM, "out of memory");
		if (!err && changed)
			*CRM_ARRAY_LAST(done) = r;
		else
			crm_buf_release(&r.text);
	}
	if (err) {
		fprintf(stderr, "crm %s: nothing was changed\n", ctx->command);
		rc = cli_status(err);
		goto release;
	}
	if (!done.len) {
		printf("%zu record%s matched, none needed the change; nothing to commit\n",
		       b->recs.len, b->recs.len == 1 ? "" : "s");
		rc = EXIT_OK;
		goto release;
	}
	*changed_out = done.len;
	err = crm_txn_begin(&txn, &ctx->repo);
	for (i = 0; i < done.len && !err; i++)
		err = cli_write_record(&txn, done.ptr[i].rec->path, &done.ptr[i].text);
	crm_buf_addf(&msg, "crm: %s on %zu record%s", what, done.len, done.len == 1 ? "" : "s");
	if (where)
		crm_buf_addf(&msg, " where %s", where);
	rc = cli_txn_finish(ctx, &txn, msg.ptr, err);
	if (rc != EXIT_OK)
		*changed_out = 0;
release:
	for (i = 0; i < done.len; i++)
		crm_buf_release(&done.ptr[i].text);
	CRM_ARRAY_RELEASE(done);
	crm_buf_release(&msg);
	return rc;
}
