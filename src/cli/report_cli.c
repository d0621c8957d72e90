/* What `crm dashboard` and `crm report` share: loading the records as they
 * stand in the work tree or at a commit (--at), the filters every report
 * takes, and writing a report to the terminal, JSON, CSV, HTML or xlsx. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/term.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/report.h"
#include "crm/stats.h"

static void commit_fields(struct crm_report *r, struct crm_git *git, const char *id)
{
	int64_t when = 0;
	int32_t off = 0;
	int64_t local;

	snprintf(r->commit, sizeof(r->commit), "%s", id);
	snprintf(r->short_commit, sizeof(r->short_commit), "%.8s", id);
	if (crm_git_commit_time(git, id, &when, &off))
		return;
	local = when + (int64_t)off * 60;
	crm_date_format(r->commit_date, sizeof(r->commit_date),
			(crm_date)(local / 86400 - (local % 86400 < 0 ? 1 : 0)));
}

/* Figures as of a past commit count their days (stalled deals, aging,
 * today()) from that day: the date given to --at, else the commit's date.
 * CRM_TODAY, when set, still wins. */
static void count_from_at_day(struct crm_index *idx, const char *at, const struct crm_report *r)
{
	const char *env = getenv("CRM_TODAY");
	crm_date day;

	if (env && *env)
		return;
	if (!crm_date_parse(&day, at, strlen(at)) ||
	    (r->commit_date[0] && !crm_date_parse(&day, r->commit_date, strlen(r->commit_date))))
		crm_index_set_today(idx, day);
}

/* A file of the commit that could not be read (a missing or corrupt
 * object) makes figures of part of the history: an error, not a finding. */
static int unreadable_at(struct crm_index *idx)
{
	const struct crm_diags *d = crm_index_diags(idx);
	size_t i;

	for (i = 0; i < d->list.len; i++)
		if (!strcmp(d->list.ptr[i].code, "unreadable"))
			return crm_error_set(CRM_EIO, "%s", d->list.ptr[i].message);
	return 0;
}

int cli_report_load(struct cli_ctx *ctx, const char *at, struct crm_report *r)
{
	struct crm_index_options opts = CRM_INDEX_OPTIONS_INIT;
	struct crm_git *git = NULL;
	char id[41] = "", *root = NULL, at_day[16];
	int err;

	/* a day as people type it ("yesterday", "last fri", "eom"); anything
	 * else is a revision */
	if (at && !cli_typed_date(at_day, sizeof(at_day), ctx, "at", at))
		at = at_day;
	crm_error_clear();
	if (!at) {
		/* the work tree first: libgit2 is starting beside it, on the
		 * merge guard's thread (cli_merge_guard_begin) */
		err = crm_index_load(&ctx->idx, &ctx->repo, &opts);
		if (err || crm_git_open(&git, ctx->repo.root))
			goto done;   /* not in git: no commit to name */
		crm_git_head(git, id, NULL);
		if (id[0])
			commit_fields(r, git, id);
		/* from the stat data the load read (no second walk of the work
		 * tree), on the other core while the report is built: see
		 * cli_report_run */
		if (id[0])
			err = crm_index_uncommitted_begin(ctx->idx);
		r->dirty_pending = !err && id[0];
		goto done;
	}
	err = crm_git_open(&git, ctx->repo.root);
	if (!err)
		err = crm_git_resolve_at(git, id, at);
	if (!err)
		root = strdup(ctx->repo.root);
	if (!err && !root)
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	if (err)
		goto done;
	/* the guard reads the repository this replaces: it finishes first,
	 * and the caller hears its refusal from cli_merge_guard_end again */
	if (cli_merge_guard_end(ctx))
		goto done;
	crm_repo_release(&ctx->repo);
	ctx->has_repo = false;
	err = crm_repo_open_git(&ctx->repo, root, CRM_SOURCE_COMMIT, id);
	ctx->has_repo = true;
	commit_fields(r, git, id);
	if (!err)
		err = crm_index_load(&ctx->idx, &ctx->repo, &opts);
	if (!err)
		err = unreadable_at(ctx->idx);
	if (!err)
		count_from_at_day(ctx->idx, at, r);
done:
	crm_git_free(git);
	free(root);
	return err;
}

/* --since and --until as people type them: a day ("-30d", "last fri") or
 * a period ("last-quarter", "2025-Q1"), from its first day for --since and
 * to its last for --until. */
static int parse_day(bool *has, crm_date *out, struct cli_ctx *ctx, const char *opt,
		     const char *text, bool end)
{
	/* parsed before the index is loaded: today by the clock (or CRM_TODAY) */
	crm_date today = crm_today(ctx->repo.config.timezone);
	struct crm_period p;

	if (!text)
		return 0;
	if (crm_period_parse(&p, text, strlen(text), today, NULL))
		return crm_error_set(CRM_EUSAGE, "--%s: %s", opt, crm_error_last());
	*out = end ? p.last : p.first;
	*has = true;
	return 0;
}

/* The filter terms of --owner, --tag, --stage, --client and the FILTER
 * arguments, in the language of `crm ls`. */
static int build_filter(struct crm_filter **out, struct cli_ctx *ctx,
			const struct cli_report_opts *o, const char *const *terms, size_t n,
			struct crm_arena *arena)
{
	const struct crm_schema *s = crm_repo_schema(&ctx->repo, "opportunity");
	const char **all = crm_arena_alloc(arena, (n + 4) * sizeof(*all));
	size_t k = 0, i;

	if (!s)
		return crm_error_set(CRM_EUSAGE, "the repository has no opportunity schema");
	if (!all)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (o->owner)
		all[k++] = crm_arena_printf(arena, "owner=%s", o->owner);
	if (o->tag)
		all[k++] = crm_arena_printf(arena, "tag:%s", o->tag);
	if (o->stage)
		all[k++] = crm_arena_printf(arena, "stage=%s", o->stage);
	if (o->client)
		all[k++] = crm_arena_printf(arena, "client=%s", o->client);
	for (i = 0; i < n; i++)
		all[k++] = terms[i];
	for (i = 0; i < k; i++) {
		if (!all[i])
			return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	return crm_filter_parse(out, ctx->idx, s, all, k);
}

static void describe_scope(struct crm_report *r, const struct cli_report_opts *o,
			   const char *const *terms, size_t n)
{
	struct crm_buf b = CRM_BUF_INIT;
	size_t i;

	if (o->owner)
		crm_buf_addf(&b, "%sowner %s", b.len ? ", " : "", o->owner);
	if (o->tag)
		crm_buf_addf(&b, "%stag %s", b.len ? ", " : "", o->tag);
	if (o->stage)
		crm_buf_addf(&b, "%sstage %s", b.len ? ", " : "", o->stage);
	if (o->client)
		crm_buf_addf(&b, "%sclient %s", b.len ? ", " : "", o->client);
	if (o->since)
		crm_buf_addf(&b, "%ssince %s", b.len ? ", " : "", o->since);
	if (o->until)
		crm_buf_addf(&b, "%suntil %s", b.len ? ", " : "", o->until);
	for (i = 0; i < n; i++)
		crm_buf_addf(&b, "%s%s", b.len ? ", " : "", terms[i]);
	if (b.len)
		r->scope = crm_arena_strdup(&r->arena, b.ptr);
	crm_buf_release(&b);
}

int cli_report_write_files(const struct crm_report *r, const char *html, const char *xlsx)
{
	struct crm_buf b = CRM_BUF_INIT;
	int err = 0;

	if (html) {
		err = crm_report_write_html(&b, r);
		if (!err)
			err = cli_write_file(html, &b);
	}
	if (!err && xlsx)
		err = crm_report_write_xlsx(xlsx, r);
	crm_buf_release(&b);
	return err;
}

/* Files left out of the figures: the terminal page says it in its second
 * line; every other output says it inside (a JSON key, a CSV "# " line, an
 * HTML paragraph, a row of the xlsx figures sheet) and here on stderr, as
 * grep names a file it could not read and still prints what it found. */
void cli_report_unreadable(const char *command, size_t unreadable, bool page)
{
	struct crm_buf note = CRM_BUF_INIT;

	if (!unreadable || page)
		return;
	crm_report_unreadable_note(&note, unreadable);
	cli_error(command, "warning: %s", note.ptr);
	crm_buf_release(&note);
}

static int write_report(struct cli_ctx *ctx, const struct cli_report_opts *o,
			const struct crm_report *r)
{
	struct crm_buf b = CRM_BUF_INIT;
	int err = 0;

	err = cli_report_write_files(r, o->html, o->xlsx);
	if (!err && o->json) {
		err = crm_report_write_json(&b, r);
		if (!err)
			err = cli_write(&b);
	} else if (!err && o->csv) {
		err = crm_report_write_csv(stdout, r, o->table);
	} else if (!err && !o->html && !o->xlsx) {
		err = crm_report_write_text(stdout, r, crm_term_width(STDOUT_FILENO), ctx->color);
	}
	crm_buf_release(&b);
	return err;
}

int cli_report_run(struct cli_ctx *ctx, const struct cli_report_opts *o,
		   const char *const *terms, size_t nterms,
		   int (*build)(struct crm_report *r, struct crm_index *idx,
				const struct crm_stats_options *opts, void *payload),
		   void *payload, struct crm_report *r)
{
	struct crm_stats_options so = CRM_STATS_OPTIONS_INIT;
	struct crm_filter *filter = NULL;
	const char *sugg;
	int err, rc = EXIT_USAGE;

	if (o->json + o->csv > 1) {
		cli_error(ctx->command, "--json and --csv exclude each other");
		return EXIT_USAGE;
	}
	if (o->table && !o->csv) {
		cli_error(ctx->command, "--table goes with --csv");
		return EXIT_USAGE;
	}
	err = parse_day(&so.has_since, &so.since, ctx, "since", o->since, false);
	if (!err)
		err = parse_day(&so.has_until, &so.until, ctx, "until", o->until, true);
	if (!err && o->stalled_days < 0)
		err = crm_error_set(CRM_EUSAGE, "--stalled-days must be positive");
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	/* an --at that names no commit is a value the option does not take;
	 * a history that cannot be read is a failure */
	err = cli_report_load(ctx, o->at, r);
	/* a refusal of the merge guard says more than the load's error */
	if (cli_merge_guard_end(ctx))
		return EXIT_PROBLEMS;
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return err == CRM_EIO ? EXIT_PROBLEMS : EXIT_USAGE;
	}
	if (o->client && !crm_index_find(ctx->idx, "client", o->client)) {
		sugg = crm_index_suggest(ctx->idx, "client", o->client);
		if (sugg)
			cli_error(ctx->command, "unknown client '%s' (did you mean '%s'?)", o->client,
				  sugg);
		else
			cli_error(ctx->command, "unknown client '%s'", o->client);
		return EXIT_PROBLEMS;
	}
	if (build_filter(&filter, ctx, o, terms, nterms, &r->arena)) {
		cli_error(ctx->command, "%s", crm_error_last());
		return EXIT_USAGE;
	}
	so.filter = filter;
	so.client = o->client;
	so.stalled_days = (int)o->stalled_days;
	describe_scope(r, o, terms, nterms);
	if (o->all)
		r->list_rows = 0;
	r->text_only = !o->json && !o->csv && !o->html && !o->xlsx;
	err = build(r, ctx->idx, &so, payload);
	if (!err && r->dirty_pending)
		err = crm_index_uncommitted(ctx->idx, &r->dirty);
	r->unreadable = crm_index_unreadable(ctx->idx, NULL);
	if (!err)
		err = write_report(ctx, o, r);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		rc = cli_status(err);
	} else {
		cli_report_unreadable(ctx->command, r->unreadable,
				      !o->json && !o->csv && !o->html && !o->xlsx);
		/* figures of part of the repository: written, and a problem */
		rc = r->unreadable ? EXIT_PROBLEMS : EXIT_OK;
	}
	crm_filter_free(filter);
	return rc;
}
