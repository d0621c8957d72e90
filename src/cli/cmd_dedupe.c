/* crm dedupe TYPE [--threshold 0.8] [--json]: the pairs of records that
 * are likely the same client (or contact) twice, best first, with their
 * score and what they agree on; crm merge then makes one of each pair. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crm/dedupe.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/json.h"
#include "crm/table.h"

static const char usage[] = "TYPE [--threshold 0.8] [--json]";

/* "0.8", "1", ".75": a number from 0 to 1. */
static int parse_threshold(double *out, const char *text)
{
	char *end = NULL;

	*out = strtod(text, &end);
	if (!*text || *end || !(*out >= 0 && *out <= 1))
		return crm_error_set(CRM_EUSAGE, "--threshold '%s' is not a number from 0 to 1",
				     text);
	return 0;
}

static void add_ref(struct crm_buf *out, const struct crm_record *r)
{
	crm_buf_addf(out, "%s/%s", r->schema->type, r->id);
}

static int print_table(struct cli_ctx *ctx, const struct crm_dedupe *d)
{
	static const char *const headers[] = { "score", "record", "duplicate", "matched" };
	struct crm_buf cell = CRM_BUF_INIT;
	struct crm_table t;
	size_t i;
	int err;

	crm_table_init(&t, 4, headers);
	crm_table_align_right(&t, 0, true);
	for (i = 0; i < d->pairs.len; i++) {
		const struct crm_dedupe_pair *p = &d->pairs.ptr[i];
		crm_buf_reset(&cell);
		crm_buf_addf(&cell, "%.2f", p->score);
		crm_table_add(&t, cell.ptr);
		crm_buf_reset(&cell);
		add_ref(&cell, p->a);
		crm_table_add(&t, cell.ptr);
		crm_buf_reset(&cell);
		add_ref(&cell, p->b);
		crm_table_add(&t, cell.ptr);
		crm_buf_reset(&cell);
		crm_dedupe_fields_text(&cell, d, p->fields);
		crm_table_add(&t, cell.ptr);
	}
	err = crm_buf_check(&cell);
	if (!err)
		err = crm_table_print(stdout, &t, cli_table_width(&t, true), ctx->color);
	crm_table_release(&t);
	crm_buf_release(&cell);
	return err;
}

static void json_fields(struct crm_json *j, const struct crm_dedupe *d, unsigned fields)
{
	crm_json_array(j, CRM_JSON_INLINE);
	if (fields & CRM_DEDUPE_EMAIL)
		crm_json_string(j, d->email_field);
	if (fields & CRM_DEDUPE_PHONE)
		crm_json_string(j, d->phone_field);
	if (fields & CRM_DEDUPE_NAME)
		crm_json_string(j, d->name_field);
	crm_json_end(j);
}

static int print_json(const struct crm_dedupe *d)
{
	struct crm_buf out = CRM_BUF_INIT, num = CRM_BUF_INIT;
	struct crm_json j;
	size_t i;
	int err;

	crm_json_init(&j, &out);
	crm_json_array(&j, CRM_JSON_BLOCK);
	for (i = 0; i < d->pairs.len; i++) {
		const struct crm_dedupe_pair *p = &d->pairs.ptr[i];
		crm_json_object(&j, CRM_JSON_INLINE);
		crm_json_key(&j, "score");
		crm_buf_reset(&num);
		crm_buf_addf(&num, "%.2f", p->score);
		crm_json_raw(&j, num.ptr);
		crm_json_key(&j, "record");
		crm_json_string(&j, p->a->id);
		crm_json_key(&j, "duplicate");
		crm_json_string(&j, p->b->id);
		crm_json_key(&j, "matched");
		json_fields(&j, d, p->fields);
		crm_json_end(&j);
	}
	crm_json_end(&j);
	crm_buf_addch(&out, '\n');
	err = j.err ? j.err : cli_write(&out);
	crm_buf_release(&out);
	crm_buf_release(&num);
	return err;
}

int cmd_dedupe(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *threshold_arg = "0.8";
	bool json = false;
	const struct cli_option opts[] = {
		{ "threshold", 't', CLI_OPT_STRING, &threshold_arg, "SCORE",
		  "list pairs scoring at least this, from 0 to 1 (default 0.8)" },
		{ "json", 0, CLI_OPT_FLAG, &json, NULL, "the pairs as JSON" },
		CLI_ARG(CLI_ARG_ONE, "TYPE"),
		CLI_OPT_END
	};
	const struct crm_schema *s;
	struct crm_dedupe d;
	double threshold;
	size_t unreadable;
	int err, rc = cli_parse(ctx, usage, opts, argc, argv, &argc);

	if (rc)
		return rc;
	s = cli_find_type(ctx, argv[0]);
	if (!s)
		return EXIT_USAGE;
	err = parse_threshold(&threshold, threshold_arg);
	if (!err)
		err = crm_dedupe_find(&d, ctx->idx, s, threshold);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	if (json)
		err = print_json(&d);
	else if (!d.pairs.len)
		printf("no likely duplicates among the %s records (threshold %.2f)\n", s->type,
		       threshold);
	else
		err = print_table(ctx, &d);
	crm_dedupe_release(&d);
	if (err) {
		cli_error(ctx->command, "%s", crm_error_last());
		return cli_status(err);
	}
	/* as ls does: pairs among what could be read, the rest counted */
	unreadable = crm_index_unreadable(ctx->idx, s->type);
	cli_report_unreadable(ctx->command, unreadable, false);
	return unreadable ? EXIT_PROBLEMS : EXIT_OK;
}
