/* The one JSON emitter (include/crm/json.h): separators and layout kept
 * in a small stack, strings escaped per RFC 8259, decimals and money
 * written exactly.  Every JSON document of the tool goes through it. */
#include <string.h>

#include "crm/error.h"
#include "crm/json.h"
#include "crm/money.h"

void crm_json_init(struct crm_json *j, struct crm_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

static int fail(struct crm_json *j, int err)
{
	if (!j->err)
		j->err = err;
	return j->err;
}

static void newline(struct crm_json *j, int blocks)
{
	crm_buf_addch(j->out, '\n');
	crm_buf_addchars(j->out, ' ', (size_t)blocks * 2);
}

/* What goes before the next member of container `top`: a comma after the
 * first, then a new line (BLOCK) or a space (INLINE). */
static void separate(struct crm_json *j, int top)
{
	if (!j->level[top].empty)
		crm_buf_addch(j->out, ',');
	if (j->level[top].block)
		newline(j, j->blocks);
	else if (!j->level[top].empty)
		crm_buf_addch(j->out, ' ');
	j->level[top].empty = false;
}

/* The separator before a value: after a key nothing; in an array a comma
 * after the first member, then a new line (BLOCK) or a space (INLINE). */
static int before_value(struct crm_json *j)
{
	int top = j->depth - 1;

	if (j->err)
		return j->err;
	if (j->after_key) {
		j->after_key = false;
		return 0;
	}
	if (top < 0)
		return 0;
	if (j->level[top].object)
		return fail(j, crm_error_set(CRM_EINVALID, "json: a value where a key is due"));
	separate(j, top);
	return 0;
}

static int done(struct crm_json *j, int err)
{
	return err ? fail(j, err) : j->err;
}

static int open_container(struct crm_json *j, bool object, enum crm_json_layout layout)
{
	if (before_value(j))
		return j->err;
	if (j->depth == CRM_JSON_MAX_DEPTH)
		return fail(j, crm_error_set(CRM_EINVALID, "json: nested too deep"));
	j->level[j->depth].object = object;
	j->level[j->depth].block = layout == CRM_JSON_BLOCK;
	j->level[j->depth].empty = true;
	j->depth++;
	j->blocks += layout == CRM_JSON_BLOCK;
	return done(j, crm_buf_addch(j->out, object ? '{' : '['));
}

int crm_json_object(struct crm_json *j, enum crm_json_layout layout)
{
	return open_container(j, true, layout);
}

int crm_json_array(struct crm_json *j, enum crm_json_layout layout)
{
	return open_container(j, false, layout);
}

int crm_json_end(struct crm_json *j)
{
	int top = j->depth - 1;

	if (j->err)
		return j->err;
	if (top < 0 || j->after_key)
		return fail(j, crm_error_set(CRM_EINVALID, "json: nothing to close"));
	j->depth--;
	if (j->level[top].block) {
		j->blocks--;
		if (!j->level[top].empty)
			newline(j, j->blocks);
	}
	return done(j, crm_buf_addch(j->out, j->level[top].object ? '}' : ']'));
}

int crm_json_key(struct crm_json *j, const char *key)
{
	int top = j->depth - 1;

	if (j->err)
		return j->err;
	if (top < 0 || !j->level[top].object || j->after_key)
		return fail(j, crm_error_set(CRM_EINVALID, "json: key '%s' outside an object",
					     key));
	separate(j, top);
	crm_json_quote(j->out, key);
	j->after_key = true;
	return done(j, crm_buf_adds(j->out, ": "));
}

int crm_json_quote(struct crm_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int err = crm_buf_addch(b, '"');

	for (; !err && *p; p++) {
		switch (*p) {
		case '"': err = crm_buf_adds(b, "\\\""); break;
		case '\\': err = crm_buf_adds(b, "\\\\"); break;
		case '\n': err = crm_buf_adds(b, "\\n"); break;
		case '\r': err = crm_buf_adds(b, "\\r"); break;
		case '\t': err = crm_buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20)
				err = crm_buf_addf(b, "\\u%04x", *p);
			else
				err = crm_buf_addch(b, *p);
		}
	}
	return err ? err : crm_buf_addch(b, '"');
}

int crm_json_string(struct crm_json *j, const char *s)
{
	if (!s)
		return crm_json_null(j);
	if (before_value(j))
		return j->err;
	return done(j, crm_json_quote(j->out, s));
}

int crm_json_raw(struct crm_json *j, const char *json)
{
	if (before_value(j))
		return j->err;
	return done(j, crm_buf_adds(j->out, json));
}

int crm_json_null(struct crm_json *j)
{
	return crm_json_raw(j, "null");
}

int crm_json_bool(struct crm_json *j, bool v)
{
	return crm_json_raw(j, v ? "true" : "false");
}

int crm_json_int(struct crm_json *j, int64_t v)
{
	if (before_value(j))
		return j->err;
	return done(j, crm_buf_addf(j->out, "%lld", (long long)v));
}

int crm_json_decimal(struct crm_json *j, crm_dec v, bool trim)
{
	char tmp[64];

	if (trim)
		crm_dec_format_trim(tmp, sizeof(tmp), v);
	else
		crm_dec_format(tmp, sizeof(tmp), v);
	return crm_json_raw(j, tmp);
}

int crm_json_money(struct crm_json *j, crm_dec amount, const char *currency)
{
	char tmp[64];

	if (crm_money_format_dec(tmp, sizeof(tmp), amount, currency))
		return fail(j, crm_error_set(CRM_EOVERFLOW, "json: amount too long"));
	crm_json_object(j, CRM_JSON_INLINE);
	crm_json_key(j, "amount");
	crm_json_string(j, tmp);
	crm_json_key(j, "currency");
	crm_json_string(j, currency);
	return crm_json_end(j);
}
