/* crm import's plan: each CSV row, through its rules section, becomes a
 * record to create, an existing record to update, or a row skipped with a
 * reason; references are resolved (creating targets when the rule says
 * so); every record is checked as a write would check it.  Nothing is
 * written here: the command writes the plan in one transaction.
 * Some 950 lines: one planner whose state (ids claimed, rows matched,
 * records planned) every step of a row reads and writes. */
#include <fnmatch.h>
#include <libgen.h>
#include <string.h>
#include <strings.h>

#include "core/import/import_internal.h"
#include "crm/check.h"
#include "crm/edit.h"
#include "crm/error.h"
#include "crm/export.h"
#include "crm/store.h"
#include "crm/utf8.h"

/* One piece of a template: literal text, then (when col >= 0) a column
 * with its default. */
struct segment {
	const char *lit;
	size_t litlen;
	long col;
	const char *def;
	size_t deflen;
};

struct compiled_field {
	const struct crm_import_field *rule;
	const struct crm_field *f;
	CRM_ARRAY(struct segment) segs;  /* the template's, then field.else's */
	size_t nmain;             /* how many of segs are the template's */
	long first_col;           /* for messages: where the value came from */
};

/* Where each field of an item came from, to locate check findings. */
struct item_source {
	const char *file;
	size_t row;
	const char *fields[64];
	long cols[64];
	size_t n;
};

struct planner {
	struct crm_index *idx;
	const struct crm_import_options *opts;
	struct crm_import *out;
	struct crm_matcher m;
	struct crm_arena arena;
	CRM_ARRAY(struct item_source) sources;
	struct crm_map ids;       /* "type\037id" of every planned record */
};

/* One field's value of the row being mapped. */
struct kv {
	const struct crm_field *f;
	char *value;
	long col;
};

struct row_values {
	CRM_ARRAY(struct kv) kvs;
};

static const char *const action_names[] = {
	"create", "update", "unchanged", "skip", "error"
};

const char *crm_import_action_name(enum crm_import_action a)
{
	return a < CRM_IMPORT__COUNT ? action_names[a] : "?";
}

static void add_error(struct planner *p, const char *file, size_t row, long col,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add_error(struct planner *p, const char *file, size_t row, long col,
		      const char *fmt, ...)
{
	struct crm_buf b = CRM_BUF_INIT;
	char **slot = CRM_ARRAY_PUSH(p->out->errors);
	va_list ap;

	crm_buf_addf(&b, "%s:%zu:%ld: error: ", file, row, col + 1);
	va_start(ap, fmt);
	crm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (slot)
		*slot = crm_buf_detach(&b, NULL);
	else
		crm_buf_release(&b);
}

static struct crm_import_item *add_item(struct planner *p, const char *file, size_t row,
					enum crm_import_action a, const struct crm_schema *s)
{
	struct crm_import_item *it = CRM_ARRAY_PUSH(p->out->items);
	struct item_source *src = CRM_ARRAY_PUSH(p->sources);

	if (!it || !src)
		return NULL;
	it->file = file;
	it->row = row;
	it->action = a;
	it->schema = s;
	crm_buf_init(&it->text);
	src->file = file;
	src->row = row;
	p->out->counts[a]++;
	return it;
}

static void set_reason(struct crm_import_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_reason(struct crm_import_item *it, const char *fmt, ...)
{
	struct crm_buf b = CRM_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	crm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(it->reason);
	it->reason = crm_buf_detach(&b, NULL);
}

/* --- templates ------------------------------------------------------ */

static int compile_template(struct compiled_field *cf, const char *tmpl,
			    const struct crm_csv_file *csv, const char *file,
			    const char *section)
{
	const char *p = tmpl;
	struct segment *seg;

	for (;;) {
		const char *open = strchr(p, '{'), *close, *bar;
		char name[256];
		seg = CRM_ARRAY_PUSH(cf->segs);
		if (!seg)
			return CRM_ENOMEM;
		seg->lit = p;
		seg->col = -1;
		if (!open) {
			seg->litlen = strlen(p);
			return 0;
		}
		seg->litlen = (size_t)(open - p);
		close = strchr(open, '}');
		if (!close)
			return crm_error_set(CRM_EINVALID, "[%s] %s: '{' without '}' in '%s'",
					     section, cf->rule->field, tmpl);
		bar = memchr(open, '|', (size_t)(close - open));
		snprintf(name, sizeof(name), "%.*s", (int)((bar ? bar : close) - open - 1), open + 1);
		seg->col = crm_csv_column(csv, name);
		if (seg->col < 0)
			return crm_error_set(CRM_EINVALID, "%s: no column '%s' (rules [%s], field "
					     "'%s'); the header has '%s'...", file, name, section,
					     cf->rule->field, csv->ncols ? csv->columns[0] : "");
		if (cf->first_col < 0)
			cf->first_col = seg->col;
		if (bar) {
			seg->def = bar + 1;
			seg->deflen = (size_t)(close - bar - 1);
		}
		p = close + 1;
	}
}

/* Whether every column `tmpl` names is in the file's header */
static bool template_columns_present(const char *tmpl, const struct crm_csv_file *csv)
{
	const char *open, *close, *end;
	char name[256];

	for (open = strchr(tmpl, '{'); open; open = strchr(close, '{')) {
		close = strchr(open, '}');
		if (!close)
			return true;   /* compile_template reports it */
		end = memchr(open, '|', (size_t)(close - open));
		snprintf(name, sizeof(name), "%.*s", (int)((end ? end : close) - open - 1), open + 1);
		if (crm_csv_column(csv, name) < 0)
			return false;
	}
	return true;
}

/* A cell's text, trimmed, its line breaks made YAML's: CRLF and a lone CR
 * (spreadsheets write both inside quoted cells) become LF, so a record
 * never holds a carriage return, which crm check reports as a control
 * character. */
static void trim_into(struct crm_buf *out, const char *s, size_t len)
{
	size_t i;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	for (i = 0; i < len; i++) {
		if (s[i] != '\r')
			crm_buf_addch(out, s[i]);
		else if (i + 1 == len || s[i + 1] != '\n')
			crm_buf_addch(out, '\n');
	}
}

/* Literal text between columns separates values: it is kept only between
 * two values that are there ("{First} {Last}" with no first name is just
 * the last name), and the text around them only when any value is. */
static void render_segments(struct crm_buf *out, const struct segment *segs, size_t n,
			    const struct crm_csv_file *csv, size_t row)
{
	struct crm_buf val = CRM_BUF_INIT, raw = CRM_BUF_INIT;
	size_t i, shown = 0;
	const char *cell;

	if (n == 1) {
		trim_into(out, segs[0].lit, segs[0].litlen);
		return;
	}
	for (i = 0; i + 1 < n; i++) {
		const struct segment *s = &segs[i];
		/* a cell crm export guarded against formula injection ("'+353 ...")
		 * reads as the value it stands for */
		cell = crm_export_unneutralise(crm_csv_cell(csv, row, (size_t)s->col));
		crm_buf_reset(&val);
		trim_into(&val, cell, strlen(cell));
		if (!val.len && s->def)
			crm_buf_add(&val, s->def, s->deflen);
		if (!val.len)
			continue;
		if (shown || i == 0)
			crm_buf_add(&raw, s->lit, s->litlen);
		crm_buf_add(&raw, val.ptr, val.len);
		shown++;
	}
	if (shown)
		crm_buf_add(&raw, segs[n - 1].lit, segs[n - 1].litlen);
	trim_into(out, raw.ptr, raw.len);
	crm_buf_release(&val);
	crm_buf_release(&raw);
}

/* The field's template, and when it gives nothing, its field.else
 * (Thunderbird's "Display Name" else "{First Name} {Last Name}") */
static void render(struct crm_buf *out, const struct compiled_field *cf,
		   const struct crm_csv_file *csv, size_t row)
{
	if (cf->nmain)
		render_segments(out, cf->segs.ptr, cf->nmain, csv, row);
	if (!out->len && cf->segs.len > cf->nmain)
		render_segments(out, cf->segs.ptr + cf->nmain, cf->segs.len - cf->nmain, csv, row);
}

/* --- one section on one file ---------------------------------------- */

struct section_run {
	struct planner *p;
	const struct crm_import_section *sec;
	const struct crm_schema *s;
	const struct crm_csv_file *csv;
	const char *file;
	CRM_ARRAY(struct compiled_field) fields;
	long skip_cols[32];
	long id_cols[16];
	size_t nid;
	CRM_ARRAY(struct crm_import_field) identity;  /* rules made from the header */
};

static const char *name_field_of(const struct crm_schema *s)
{
	return crm_schema_field(s, "name") ? "name" : crm_schema_field(s, "title") ? "title" : NULL;
}

/* A section without fields maps each column named like a stored field. */
static int identity_rules(struct section_run *r)
{
	size_t i;
	for (i = 0; i < r->csv->ncols; i++) {
		const struct crm_field *f = crm_schema_field(r->s, r->csv->columns[i]);
		struct crm_import_field *rule;
		struct crm_buf t = CRM_BUF_INIT;
		if (!f || crm_field_is_computed(f))
			continue;
		rule = CRM_ARRAY_PUSH(r->identity);
		if (!rule)
			return CRM_ENOMEM;
		crm_buf_addf(&t, "{%s}", r->csv->columns[i]);
		rule->field = f->name;
		rule->tmpl = crm_arena_strdup(&r->p->arena, t.ptr);
		crm_buf_release(&t);
	}
	if (!r->identity.len)
		return crm_error_set(CRM_EUSAGE, "%s: no column is named like a field of %s; "
				     "write a rules file (--rules)", r->file, r->s->type);
	return 0;
}

static int compile_section(struct section_run *r)
{
	const struct crm_import_section *sec = r->sec;
	const struct crm_import_field *rules = sec->fields.ptr;
	size_t i, nrules = sec->fields.len;
	int err = 0;

	if (!nrules) {
		err = identity_rules(r);
		rules = r->identity.ptr;
		nrules = r->identity.len;
	}
	for (i = 0; i < nrules && !err; i++) {
		const struct crm_import_field *rule = &rules[i];
		struct compiled_field *cf;
		const struct crm_field *f = crm_schema_field(r->s, rule->field);
		const char *near = crm_schema_suggest_field(r->s, rule->field);
		if (!f || crm_field_is_computed(f))
			return crm_error_set(CRM_EINVALID, "rules [%s]: %s has no stored field "
					     "'%s'%s%s%s", sec->name, r->s->type, rule->field,
					     near ? " (did you mean '" : "", near ? near : "",
					     near ? "'?)" : "");
		if (!rule->tmpl)
			return crm_error_set(CRM_EINVALID, "rules [%s]: '%s.%s' without '%s = ...'",
					     sec->name, rule->field,
					     rule->match ? "match" : rule->else_tmpl ? "else" : "create",
					     rule->field);
		if (f->type == CRM_F_REF && !crm_repo_schema(crm_index_repo(r->p->idx), f->to))
			return crm_error_set(CRM_EINVALID, "rules [%s]: field '%s' refers to "
					     "'%s', which import cannot resolve", sec->name,
					     f->name, f->to);
		if (rule->match && strcmp(rule->match, "id") && strcmp(rule->match, "name") &&
		    strcmp(rule->match, "email"))
			return crm_error_set(CRM_EINVALID, "rules [%s]: %s.match = %s: match by "
					     "id, name or email", sec->name, f->name, rule->match);
		cf = CRM_ARRAY_PUSH(r->fields);
		if (!cf)
			return CRM_ENOMEM;
		cf->rule = rule;
		cf->f = f;
		cf->first_col = -1;
		/* a file without one of the template's columns takes field.else
		 * (Salesforce exports have CurrencyIsoCode only in orgs with
		 * several currencies) */
		if (!rule->else_tmpl || template_columns_present(rule->tmpl, r->csv))
			err = compile_template(cf, rule->tmpl, r->csv, r->file, sec->name);
		cf->nmain = cf->segs.len;
		if (!err && rule->else_tmpl)
			err = compile_template(cf, rule->else_tmpl, r->csv, r->file, sec->name);
	}
	for (i = 0; i < sec->skips.len && i < 32 && !err; i++) {
		r->skip_cols[i] = crm_csv_column(r->csv, sec->skips.ptr[i].column);
		if (r->skip_cols[i] < 0)
			err = crm_error_set(CRM_EINVALID, "%s: no column '%s' (rules [%s], skip)",
					    r->file, sec->skips.ptr[i].column, sec->name);
	}
	if (sec->id && !err) {
		const char *p = sec->id;
		while (*p && r->nid < 16 && !err) {
			size_t n = strcspn(p, ",");
			struct crm_buf name = CRM_BUF_INIT;
			trim_into(&name, p, n);
			r->id_cols[r->nid] = crm_csv_column(r->csv, name.ptr);
			if (r->id_cols[r->nid++] < 0)
				err = crm_error_set(CRM_EINVALID, "%s: no column '%s' (rules [%s], "
						    "id)", r->file, name.ptr, sec->name);
			crm_buf_release(&name);
			p += n + (p[n] == ',');
		}
	}
	return err;
}

static bool value_listed(const char *v, const char *values)
{
	const char *p = values;
	for (;;) {
		size_t n = strcspn(p, "|");
		struct crm_buf one = CRM_BUF_INIT;
		bool same;
		trim_into(&one, p, n);
		same = !strcasecmp(one.ptr, v);
		crm_buf_release(&one);
		if (same)
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

static const struct crm_import_skip *skip_rule(const struct section_run *r, size_t row,
					       const char **value)
{
	size_t i;
	for (i = 0; i < r->sec->skips.len && i < 32; i++) {
		struct crm_buf v = CRM_BUF_INIT;
		const char *cell = crm_csv_cell(r->csv, row, (size_t)r->skip_cols[i]);
		bool hit;
		trim_into(&v, cell, strlen(cell));
		hit = value_listed(v.ptr, r->sec->skips.ptr[i].values);
		crm_buf_release(&v);
		if (hit) {
			*value = cell;
			return &r->sec->skips.ptr[i];
		}
	}
	return NULL;
}

static const char *mapped(const struct crm_import_section *sec, const char *field,
			  const char *value)
{
	const char *other = NULL;
	size_t i;
	for (i = 0; i < sec->maps.len; i++) {
		if (strcmp(sec->maps.ptr[i].field, field))
			continue;
		if (!strcasecmp(sec->maps.ptr[i].from, value))
			return sec->maps.ptr[i].to;
		/* map.FIELD.* = X: what every value no other line names becomes */
		if (!strcmp(sec->maps.ptr[i].from, "*"))
			other = sec->maps.ptr[i].to;
	}
	return other ? other : value;
}

static bool id_taken(struct planner *p, const char *type, const char *id)
{
	struct crm_buf k = CRM_BUF_INIT;
	bool taken;
	crm_buf_addf(&k, "%s\037%s", type, id);
	taken = crm_map_get(&p->ids, k.ptr) || crm_index_find(p->idx, type, id);
	crm_buf_release(&k);
	return taken;
}

static int claim_id(struct planner *p, const char *type, const char *id)
{
	struct crm_buf k = CRM_BUF_INIT;
	const char *key;
	crm_buf_addf(&k, "%s\037%s", type, id);
	key = crm_arena_strdup(&p->arena, k.ptr);
	crm_buf_release(&k);
	return key ? crm_map_put(&p->ids, key, (void *)type, NULL) : CRM_ENOMEM;
}

/* A free id made from `base` (or from the row when it has no Latin
 * letters): "acme", "acme-2"... */
static char *free_id(struct planner *p, const char *type, const char *base, size_t row)
{
	struct crm_buf slug = CRM_BUF_INIT, id = CRM_BUF_INIT;
	int n;

	if (!base || !crm_utf8_slug(&slug, base))
		crm_buf_addf(&slug, "r%zu", row);
	crm_buf_adds(&id, slug.ptr);
	for (n = 2; id_taken(p, type, id.ptr); n++) {
		crm_buf_reset(&id);
		crm_buf_addf(&id, "%s-%d", slug.ptr, n);
	}
	crm_buf_release(&slug);
	claim_id(p, type, id.ptr);
	return crm_buf_detach(&id, NULL);
}

static void record_text(struct crm_buf *out, struct item_source *src,
			const struct crm_schema *s, const struct row_values *rv)
{
	size_t i, j;
	for (i = 0; i < s->nfields; i++) {
		for (j = 0; j < rv->kvs.len; j++) {
			const struct kv *kv = &rv->kvs.ptr[j];
			if (kv->f != &s->fields[i])
				continue;
			crm_buf_addf(out, "%s: ", kv->f->name);
			crm_edit_render_scalar(out, kv->value, NULL);
			crm_buf_addch(out, '\n');
			if (src && src->n < 64) {
				src->fields[src->n] = kv->f->name;
				src->cols[src->n++] = kv->col;
			}
		}
	}
}

/* A reference's target: by id, then by name (or the rule's match field);
 * created with that name when the rule says so. */
static const char *resolve_ref(struct section_run *r, const struct compiled_field *cf,
			       const char *value, size_t row)
{
	struct planner *p = r->p;
	const struct crm_schema *ts = crm_repo_schema(crm_index_repo(p->idx), cf->f->to);
	const char *how = cf->rule->match;
	struct crm_match m;
	struct crm_match_known *k = NULL;
	struct crm_buf slug = CRM_BUF_INIT;
	struct crm_import_item *it;
	const char *nf = name_field_of(ts);

	if (crm_matcher_load(&p->m, p->idx, ts))
		return NULL;
	if (!how || !strcmp(how, "id")) {
		k = crm_matcher_by_id(&p->m, ts->type, value);
		if (!k && crm_utf8_slug(&slug, value))
			k = crm_matcher_by_id(&p->m, ts->type, slug.ptr);
	}
	crm_buf_release(&slug);
	if (!k && (!how || strcmp(how, "id")) &&
	    crm_matcher_find(&m, &p->m, ts->type,
				how && !strcmp(how, "email") ? NULL : value,
				how && !strcmp(how, "email") ? value : NULL, NULL) &&
	    m.score >= 1.0)
		k = m.known;
	if (k)
		return k->id;
	if (!cf->rule->create || !nf) {
		add_error(p, r->file, row, cf->first_col, "%s: unknown %s '%s'%s%s%s",
			  cf->f->name, ts->type, value, nf ? " (" : "", nf ? cf->f->name : "",
			  nf ? ".create = yes makes it)" : "");
		return NULL;
	}
	it = add_item(p, r->file, row, CRM_IMPORT_CREATE, ts);
	if (!it)
		return NULL;
	it->id = free_id(p, ts->type, value, row);
	set_reason(it, "%s of row %zu", cf->f->name, row);
	crm_buf_addf(&it->text, "%s: ", nf);
	crm_edit_render_scalar(&it->text, value, NULL);
	crm_buf_addch(&it->text, '\n');
	{
		struct crm_buf path = CRM_BUF_INIT;
		crm_store_new_path(&path, ts, it->id, crm_index_today(p->idx));
		it->path = crm_buf_detach(&path, NULL);
	}
	p->sources.ptr[p->sources.len - 1].fields[0] = nf;
	p->sources.ptr[p->sources.len - 1].cols[0] = cf->first_col;
	p->sources.ptr[p->sources.len - 1].n = 1;
	crm_matcher_add(&p->m, ts->type, it->id, strcmp(nf, "name") ? NULL : value, NULL,
			   NULL, (long)p->out->items.len - 1, row);
	return p->out->items.ptr[p->out->items.len - 1].id;
}

static void release_values(struct row_values *rv)
{
	size_t i;
	for (i = 0; i < rv->kvs.len; i++)
		free(rv->kvs.ptr[i].value);
	CRM_ARRAY_RELEASE(rv->kvs);
}

/* Maps row `row` into field values; false when a value was refused
 * (reported). */
static bool map_row(struct section_run *r, size_t row, size_t number, struct row_values *rv)
{
	struct crm_buf raw = CRM_BUF_INIT, norm = CRM_BUF_INIT;
	size_t i;
	bool ok = true;

	for (i = 0; i < r->fields.len; i++) {
		const struct compiled_field *cf = &r->fields.ptr[i];
		const char *v;
		struct kv *kv;
		crm_buf_reset(&raw);
		crm_buf_reset(&norm);
		render(&raw, cf, r->csv, row);
		if (!raw.len)
			continue;
		v = mapped(r->sec, cf->f->name, raw.ptr);
		if (!*v)
			continue;
		if (cf->f->type == CRM_F_REF) {
			v = resolve_ref(r, cf, v, number);
			if (!v) {
				ok = false;
				continue;
			}
			crm_buf_adds(&norm, v);
		} else if (import_normalise(&norm, r->p->idx, cf->f, v,
					    cf->rule->date_format ? cf->rule->date_format
								  : r->sec->date_format,
					    r->sec->decimal_mark)) {
			add_error(r->p, r->file, number, cf->first_col, "%s: %s", cf->f->name,
				  crm_error_last());
			ok = false;
			continue;
		}
		kv = CRM_ARRAY_PUSH(rv->kvs);
		if (!kv)
			break;
		kv->f = cf->f;
		kv->value = strdup(norm.ptr);
		kv->col = cf->first_col;
	}
	crm_buf_release(&raw);
	crm_buf_release(&norm);
	return ok;
}

static const char *value_of(const struct row_values *rv, const char *field)
{
	size_t i;
	for (i = 0; i < rv->kvs.len; i++)
		if (!strcmp(rv->kvs.ptr[i].f->name, field))
			return rv->kvs.ptr[i].value;
	return NULL;
}

static const char *value_of_type(const struct row_values *rv, enum crm_field_type t)
{
	size_t i;
	for (i = 0; i < rv->kvs.len; i++)
		if (rv->kvs.ptr[i].f->type == t)
			return rv->kvs.ptr[i].value;
	return NULL;
}

/* The row against the record it matched: unchanged, updated (with
 * --update) or skipped with what differs. */
static void against_existing(struct section_run *r, size_t number, const struct row_values *rv,
			     const struct crm_match *m)
{
	struct planner *p = r->p;
	struct crm_record *rec = crm_index_find(p->idx, r->s->type, m->known->id);
	struct crm_buf text = CRM_BUF_INIT, next = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_node *root = NULL;
	struct crm_diags d;
	struct crm_import_item *it;
	size_t i, changed = 0;

	crm_diags_init(&d);
	it = add_item(p, r->file, number, CRM_IMPORT_UNCHANGED, r->s);
	if (!it || !rec || crm_store_read(&text, &root, &arena, crm_index_repo(p->idx), rec->path))
		goto done;
	it->id = strdup(rec->id);
	it->path = strdup(rec->path);
	for (i = 0; i < rv->kvs.len; i++) {
		const struct kv *kv = &rv->kvs.ptr[i];
		const char *cur = crm_node_text(root, kv->f->name);
		/* a field the file leaves to the schema's default holds that value
		 * (crm export writes it out) */
		if (!cur)
			cur = crm_record_default(rec, kv->f->name);
		/* a name matched by similarity keeps the record's spelling */
		if ((cur && !strcmp(cur, kv->value)) ||
		    (!strcmp(m->how, "name") && !strcmp(kv->f->name, "name")))
			continue;
		changed++;
		if (!p->opts->update)
			continue;
		crm_buf_reset(&next);
		if (crm_edit_set(&next, text.ptr, text.len, root, kv->f->name, kv->value))
			continue;
		crm_buf_release(&text);
		text = next;
		crm_buf_init(&next);
		crm_yaml_parse(&root, &arena, text.ptr, text.len, rec->path, &d);
		if (p->sources.ptr[p->sources.len - 1].n < 64) {
			struct item_source *src = &p->sources.ptr[p->sources.len - 1];
			src->fields[src->n] = kv->f->name;
			src->cols[src->n++] = kv->col;
		}
	}
	if (!changed) {
		set_reason(it, "same as %s/%s (%s)", r->s->type, rec->id, m->how);
		goto done;
	}
	p->out->counts[CRM_IMPORT_UNCHANGED]--;
	if (p->opts->update) {
		it->action = CRM_IMPORT_UPDATE;
		crm_buf_add(&it->text, text.ptr, text.len);
		set_reason(it, "%zu field%s of %s/%s (%s %.2f)", changed, changed == 1 ? "" : "s",
			   r->s->type, rec->id, m->how, m->score);
	} else {
		it->action = CRM_IMPORT_SKIP;
		set_reason(it, "matches %s/%s (%s %.2f), %zu field%s differ: --update",
			   r->s->type, rec->id, m->how, m->score, changed, changed == 1 ? "" : "s");
	}
	p->out->counts[it->action]++;
done:
	crm_buf_release(&text);
	crm_buf_release(&next);
	crm_diags_release(&d);
	crm_arena_release(&arena);
}

static char *row_id(struct section_run *r, size_t row)
{
	struct crm_buf joined = CRM_BUF_INIT, slug = CRM_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nid; i++) {
		const char *c = crm_csv_cell(r->csv, row, (size_t)r->id_cols[i]);
		if (!*c)
			continue;
		if (joined.len)
			crm_buf_addch(&joined, '-');
		crm_buf_adds(&joined, c);
	}
	crm_utf8_slug(&slug, joined.ptr);
	crm_buf_release(&joined);
	if (!slug.len) {
		crm_buf_release(&slug);
		return NULL;
	}
	return crm_buf_detach(&slug, NULL);
}

static void import_row(struct section_run *r, size_t row)
{
	struct planner *p = r->p;
	size_t number = r->csv->rows.ptr[row].number;
	const struct crm_import_skip *skip;
	const char *skipped_value = NULL, *nf = name_field_of(r->s);
	struct row_values rv = { CRM_ARRAY_INIT };
	struct crm_match m;
	struct crm_import_item *it;
	char *id = NULL;
	bool matched = false;

	skip = skip_rule(r, row, &skipped_value);
	if (skip) {
		it = add_item(p, r->file, number, CRM_IMPORT_SKIP, r->s);
		if (it)
			set_reason(it, "skip.%s = '%s'", skip->column, skipped_value);
		return;
	}
	if (!map_row(r, row, number, &rv))
		goto done;
	if (r->nid) {
		id = row_id(r, row);
		if (!id) {
			add_error(p, r->file, number, r->id_cols[0], "the id columns are empty");
			goto done;
		}
		memset(&m, 0, sizeof(m));
		m.known = crm_matcher_by_id(&p->m, r->s->type, id);
		m.how = "id";
		m.score = 1.0;
		matched = m.known != NULL;
	} else {
		matched = crm_matcher_find(&m, &p->m, r->s->type,
					      crm_schema_field(r->s, "name") ? value_of(&rv, "name")
									     : NULL,
					      value_of_type(&rv, CRM_F_EMAIL),
					      value_of_type(&rv, CRM_F_PHONE));
	}
	if (matched && m.known->item >= 0) {
		it = add_item(p, r->file, number, CRM_IMPORT_SKIP, r->s);
		if (it)
			set_reason(it, "duplicate of row %zu (%s %.2f)", m.known->row, m.how, m.score);
		goto done;
	}
	if (matched) {
		against_existing(r, number, &rv, &m);
		goto done;
	}
	it = add_item(p, r->file, number, CRM_IMPORT_CREATE, r->s);
	if (!it)
		goto done;
	if (id)
		claim_id(p, r->s->type, id);
	it->id = id ? id : free_id(p, r->s->type, nf ? value_of(&rv, nf) : NULL, number);
	id = NULL;
	{
		struct crm_buf path = CRM_BUF_INIT;
		const char *created = value_of(&rv, "created");
		crm_date day = crm_index_today(p->idx);
		if (created)
			crm_date_parse(&day, created, strlen(created));
		crm_store_new_path(&path, r->s, it->id, day);
		it->path = crm_buf_detach(&path, NULL);
	}
	record_text(&it->text, &p->sources.ptr[p->sources.len - 1], r->s, &rv);
	crm_matcher_add(&p->m, r->s->type, it->id,
			   crm_schema_field(r->s, "name") ? value_of(&rv, "name") : NULL,
			   value_of_type(&rv, CRM_F_EMAIL), value_of_type(&rv, CRM_F_PHONE),
			   (long)p->out->items.len - 1, number);
done:
	free(id);
	release_values(&rv);
}

/* The file's rows: a vCard file's cards (for contacts), else CSV. */
static int read_table(struct crm_csv_file *csv, struct planner *p,
		      const struct crm_import_section *sec, const struct crm_buf *data,
		      const struct crm_csv_read_options *ro)
{
	if (!import_is_vcard(data->ptr, data->len))
		return crm_csv_read(csv, data->ptr, data->len, ro);
	if (strcmp(sec->type, "contact"))
		return crm_error_set(CRM_EUSAGE, "%s: a vCard file holds contacts, not %s "
				     "records", ro->display, sec->type);
	return import_vcard_table(csv, p->idx, data->ptr, data->len, ro->display);
}

static int import_file(struct planner *p, const struct crm_import_section *sec,
		       const char *file)
{
	struct crm_csv_read_options ro = { file, p->opts->encoding };
	struct crm_csv_file csv;
	struct crm_buf data = CRM_BUF_INIT;
	struct section_run r;
	size_t i;
	int err;

	memset(&r, 0, sizeof(r));
	memset(&csv, 0, sizeof(csv));
	r.p = p;
	r.sec = sec;
	r.file = file;
	r.csv = &csv;
	r.s = crm_repo_schema(crm_index_repo(p->idx), sec->type);
	if (!r.s)
		return crm_error_set(CRM_EUSAGE, "rules [%s]: unknown type '%s'", sec->name,
				     sec->type);
	err = crm_buf_read_file(&data, file, CRM_BUF_MAX - 1);
	if (err)
		return err;
	if (read_table(&csv, p, sec, &data, &ro)) {
		/* a file that cannot be read as CSV is one located error */
		char **slot = CRM_ARRAY_PUSH(p->out->errors);
		if (slot)
			*slot = strdup(crm_error_last());
		goto done;
	}
	err = crm_matcher_load(&p->m, p->idx, r.s);
	if (!err)
		err = compile_section(&r);
	for (i = 0; !err && i < csv.rows.len; i++)
		import_row(&r, i);
done:
	for (i = 0; i < r.fields.len; i++)
		CRM_ARRAY_RELEASE(r.fields.ptr[i].segs);
	CRM_ARRAY_RELEASE(r.fields);
	CRM_ARRAY_RELEASE(r.identity);
	crm_csv_file_release(&csv);
	crm_buf_release(&data);
	return err;
}

static bool file_matches(const struct crm_import_section *sec, const char *file)
{
	char *copy = strdup(file);
	const char *base = copy ? basename(copy) : file, *p = sec->files;
	bool hit = false;

	while (p && *p && !hit) {
		size_t n = strcspn(p, ",");
		struct crm_buf pat = CRM_BUF_INIT;
		trim_into(&pat, p, n);
		hit = pat.len && !fnmatch(pat.ptr, base, FNM_CASEFOLD);
		crm_buf_release(&pat);
		p += n + (p[n] == ',');
	}
	free(copy);
	return hit;
}

/* Whether section `sec` reads `file`: its `files` globs match the file's
 * name, else it is the only section (of the type the command named). */
static bool section_reads(const struct crm_import_rules *rules,
			  const struct crm_import_section *sec, const char *type,
			  const char *file)
{
	size_t i, n = 0;

	if (type && strcmp(sec->type, type))
		return false;
	for (i = 0; i < rules->sections.len; i++)
		if ((!type || !strcmp(rules->sections.ptr[i].type, type)) &&
		    file_matches(&rules->sections.ptr[i], file))
			n++;
	if (n)
		return file_matches(sec, file);
	for (i = 0; i < rules->sections.len; i++)
		n += !type || !strcmp(rules->sections.ptr[i].type, type);
	return n == 1;
}

/* Locates a check finding of an item at the CSV cell its field came from. */
static void report_finding(struct planner *p, const struct item_source *src,
			   const struct crm_import_item *it, const struct crm_diag *d)
{
	const char *line = it->text.ptr;
	long col = -1;
	size_t i, len;
	int n;

	for (n = 1; n < d->line && line; n++) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	for (i = 0; line && i < src->n; i++) {
		len = strlen(src->fields[i]);
		if (!strncmp(line, src->fields[i], len) && line[len] == ':')
			col = src->cols[i];
	}
	add_error(p, src->file, src->row, col, "%s/%s: %s [%s]", it->schema->type, it->id,
		  d->message, d->code);
}

static void check_items(struct planner *p)
{
	size_t i, j;

	for (i = 0; i < p->out->items.len; i++) {
		struct crm_import_item *it = &p->out->items.ptr[i];
		struct crm_record rec;
		struct crm_diags d;
		size_t fresh;

		if (it->action != CRM_IMPORT_CREATE && it->action != CRM_IMPORT_UPDATE)
			continue;
		memset(&rec, 0, sizeof(rec));
		rec.schema = it->schema;
		rec.id = it->id;
		rec.path = it->path;
		crm_diags_init(&d);
		fresh = crm_check_change(p->idx, &rec, it->text.ptr, it->text.len, &d);
		for (j = 0; j < d.list.len && fresh; j++) {
			const struct crm_diag *g = &d.list.ptr[j];
			if (g->severity != CRM_SEV_ERROR)
				continue;
			/* every reference the plan writes was resolved against the
			 * repository or records this import creates, which the
			 * index does not hold yet */
			if (!strcmp(g->code, "dangling-ref")) {
				fresh--;
				continue;
			}
			report_finding(p, &p->sources.ptr[i], it, g);
		}
		crm_diags_release(&d);
	}
}

int crm_import_plan(struct crm_import *out, struct crm_index *idx,
		    const struct crm_import_rules *rules, const char *type,
		    const char *const *files, size_t nfiles,
		    const struct crm_import_options *opts)
{
	struct planner p;
	size_t i, f, n;
	int err = 0;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.idx = idx;
	p.opts = opts;
	p.out = out;
	crm_matcher_init(&p.m);
	crm_arena_init(&p.arena);
	for (f = 0; f < nfiles && !err; f++) {
		for (i = n = 0; i < rules->sections.len; i++)
			n += section_reads(rules, &rules->sections.ptr[i], type, files[f]);
		if (!n)
			err = crm_error_set(CRM_EUSAGE, "%s: no section of %s is for this file "
					    "(files = ...%s%s)", files[f], rules->path,
					    type ? " of type " : "", type ? type : "");
	}
	/* sections in the rules' order: accounts before the deals naming them;
	 * one file may feed several (companies and people of one export) */
	for (i = 0; i < rules->sections.len && !err; i++)
		for (f = 0; f < nfiles && !err; f++)
			if (section_reads(rules, &rules->sections.ptr[i], type, files[f]))
				err = import_file(&p, &rules->sections.ptr[i], files[f]);
	if (!err && !out->errors.len)
		check_items(&p);
	crm_matcher_release(&p.m);
	crm_map_release(&p.ids);
	crm_arena_release(&p.arena);
	CRM_ARRAY_RELEASE(p.sources);
	return err;
}

void crm_import_release(struct crm_import *imp)
{
	size_t i;
	for (i = 0; i < imp->items.len; i++) {
		free(imp->items.ptr[i].id);
		free(imp->items.ptr[i].path);
		free(imp->items.ptr[i].reason);
		crm_buf_release(&imp->items.ptr[i].text);
	}
	for (i = 0; i < imp->errors.len; i++)
		free(imp->errors.ptr[i]);
	CRM_ARRAY_RELEASE(imp->items);
	CRM_ARRAY_RELEASE(imp->errors);
}
