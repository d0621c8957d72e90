/* Schema files: the field list of a record type, its options, and the
 * formulas they carry, parsed once when the repository is loaded. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/str.h"
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/formula.h"
#include "crm/node.h"
#include "crm/schema.h"
#include "crm/utf8.h"

static const char *const type_names[CRM_F__COUNT] = {
	"text", "email", "phone", "url", "date", "datetime", "number", "integer",
	"money", "percent", "rating", "enum", "tags", "ref", "refs", "lookup",
	"formula", "files", "stage", "user", "list", "duration", "map"
};

const char *crm_field_type_name(enum crm_field_type t)
{
	return t < CRM_F__COUNT ? type_names[t] : "?";
}

enum crm_field_type crm_field_type_parse(const char *name)
{
	int i;
	for (i = 0; i < CRM_F__COUNT; i++) {
		if (!strcmp(type_names[i], name))
			return (enum crm_field_type)i;
	}
	return CRM_F__COUNT;
}

bool crm_field_is_computed(const struct crm_field *f)
{
	return f->type == CRM_F_LOOKUP || f->type == CRM_F_FORMULA;
}

struct schema_ctx {
	struct crm_arena *arena;
	const char *path;
	struct crm_diags *diags;
	int errors;
};

static void schema_error(struct schema_ctx *c, const struct crm_node *at,
			 const char *fmt, const char *a, const char *b)
{
	crm_diags_add(c->diags, c->path, at ? at->line : 1, at ? at->col : 1,
		      CRM_SEV_ERROR, "bad-schema", fmt, a, b);
	c->errors++;
}

static bool parse_bool(const char *s)
{
	return s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"));
}

static int parse_values(struct schema_ctx *c, struct crm_field *f, const struct crm_node *n)
{
	size_t i;
	if (n->kind != CRM_NODE_SEQ) {
		schema_error(c, n, "'values' of field '%s' must be a list%s", f->name, "");
		return 0;
	}
	f->values = crm_arena_alloc(c->arena, sizeof(char *) * (n->count + 1));
	if (!f->values)
		return CRM_ENOMEM;
	for (i = 0; i < n->count; i++) {
		if (n->items[i]->kind != CRM_NODE_SCALAR)
			schema_error(c, n->items[i], "values of field '%s' must be plain text%s",
				     f->name, "");
		else
			f->values[f->nvalues++] = n->items[i]->text;
	}
	return 0;
}

static void parse_formula(struct schema_ctx *c, struct crm_formula **out,
			  const char *expr, const struct crm_node *at, const char *field)
{
	int col = 0;
	if (crm_formula_parse(out, c->arena, expr, &col)) {
		crm_diags_add(c->diags, c->path, at->line, at->col + (col > 0 ? col - 1 : 0),
			      CRM_SEV_ERROR, "bad-schema", "formula of field '%s': %s",
			      field, crm_error_last());
		c->errors++;
		*out = NULL;
	}
}

static void parse_bound(struct schema_ctx *c, struct crm_field *f, const struct crm_node *v,
			bool is_max)
{
	crm_dec d;
	if (v->kind != CRM_NODE_SCALAR || crm_dec_parse(&d, v->text, v->len)) {
		schema_error(c, v, "'%s' of field '%s' must be a number", is_max ? "max" : "min",
			     f->name);
		return;
	}
	if (is_max) {
		f->max = d;
		f->has_max = true;
	} else {
		f->min = d;
		f->has_min = true;
	}
}

static int parse_fields(struct schema_ctx *c, struct crm_field **out, size_t *nout,
			const struct crm_node *map);

static int parse_option(struct schema_ctx *c, struct crm_field *f,
			const struct crm_node *k, const struct crm_node *v)
{
	const char *key = k->text;
	const char *text = v->kind == CRM_NODE_SCALAR ? v->text : NULL;

	if (!strcmp(key, "fields"))
		return parse_fields(c, &f->fields, &f->nfields, v);
	if (!strcmp(key, "values"))
		return parse_values(c, f, v);
	if (!text) {
		schema_error(c, v, "option '%s' of field '%s' must be a plain value", key, f->name);
		return 0;
	}
	if (!strcmp(key, "type")) {
		f->type = crm_field_type_parse(text);
		if (f->type == CRM_F__COUNT) {
			schema_error(c, v, "unknown field type '%s' (field '%s')", text, f->name);
			f->type = CRM_F_TEXT;
		}
	} else if (!strcmp(key, "required")) {
		f->required = parse_bool(text);
	} else if (!strcmp(key, "unique")) {
		f->unique = parse_bool(text);
	} else if (!strcmp(key, "required_if")) {
		f->required_if = text;
		parse_formula(c, &f->required_if_f, text, v, f->name);
	} else if (!strcmp(key, "expr")) {
		f->expr = text;
		parse_formula(c, &f->formula, text, v, f->name);
	} else if (!strcmp(key, "default")) {
		f->default_value = text;
	} else if (!strcmp(key, "to")) {
		f->to = text;
	} else if (!strcmp(key, "via")) {
		f->via = text;
	} else if (!strcmp(key, "field")) {
		f->field = text;
	} else if (!strcmp(key, "min") || !strcmp(key, "max")) {
		parse_bound(c, f, v, key[1] == 'a');
	} else if (strcmp(key, "label") && strcmp(key, "help") && strcmp(key, "unit")) {
		schema_error(c, k, "unknown option '%s' of field '%s'", key, f->name);
	}
	return 0;
}

static void check_field(struct schema_ctx *c, struct crm_field *f, const struct crm_node *at)
{
	if ((f->type == CRM_F_REF || f->type == CRM_F_REFS) && !f->to)
		schema_error(c, at, "field '%s' of type %s needs 'to'", f->name,
			     crm_field_type_name(f->type));
	if (f->type == CRM_F_LOOKUP && (!f->via || !f->field))
		schema_error(c, at, "lookup field '%s' needs 'via' and 'field'%s", f->name, "");
	if (f->type == CRM_F_FORMULA && !f->expr)
		schema_error(c, at, "formula field '%s' needs 'expr'%s", f->name, "");
	if (f->type == CRM_F_ENUM && !f->nvalues)
		schema_error(c, at, "enum field '%s' needs 'values'%s", f->name, "");
	if (f->type == CRM_F_RATING && !f->has_max) {
		f->max = crm_dec_from_int(5);
		f->has_max = true;
	}
}

static int parse_field(struct schema_ctx *c, struct crm_field *f,
		       const struct crm_node *k, const struct crm_node *v)
{
	size_t i;
	int err = 0;

	f->name = k->text;
	f->line = k->line;
	f->col = k->col;
	f->type = CRM_F_TEXT;
	if (v->kind == CRM_NODE_SCALAR) {
		/* shorthand: `notes: text` */
		f->type = crm_field_type_parse(v->text);
		if (f->type == CRM_F__COUNT) {
			schema_error(c, v, "unknown field type '%s' (field '%s')", v->text, f->name);
			f->type = CRM_F_TEXT;
		}
		return 0;
	}
	if (v->kind != CRM_NODE_MAP) {
		schema_error(c, v, "field '%s' must be a mapping of options%s", f->name, "");
		return 0;
	}
	for (i = 0; i < v->count && !err; i++)
		err = parse_option(c, f, v->pairs[i].key, v->pairs[i].value);
	check_field(c, f, k);
	return err;
}

static int parse_fields(struct schema_ctx *c, struct crm_field **out, size_t *nout,
			const struct crm_node *map)
{
	size_t i;
	int err = 0;

	if (map->kind != CRM_NODE_MAP) {
		schema_error(c, map, "'fields' must be a mapping of name: options%s%s", "", "");
		return 0;
	}
	*out = crm_arena_alloc(c->arena, sizeof(**out) * (map->count + 1));
	if (!*out)
		return CRM_ENOMEM;
	*nout = map->count;
	for (i = 0; i < map->count && !err; i++)
		err = parse_field(c, &(*out)[i], map->pairs[i].key, map->pairs[i].value);
	return err;
}

/* `columns: [title, client, stage]`: what `crm ls` shows by default. */
static int parse_columns(struct schema_ctx *c, struct crm_schema *s, const struct crm_node *n)
{
	size_t i;
	if (!n)
		return 0;
	if (n->kind != CRM_NODE_SEQ) {
		schema_error(c, n, "'columns' must be a list of field names%s%s", "", "");
		return 0;
	}
	s->columns = crm_arena_alloc(c->arena, sizeof(char *) * (n->count + 1));
	if (!s->columns)
		return CRM_ENOMEM;
	for (i = 0; i < n->count; i++) {
		if (n->items[i]->kind == CRM_NODE_SCALAR)
			s->columns[s->ncolumns++] = n->items[i]->text;
	}
	return 0;
}

int crm_schema_parse(struct crm_schema *out, struct crm_arena *arena,
		     const char *data, size_t len, const char *display_path,
		     struct crm_diags *diags)
{
	struct schema_ctx c = { arena, display_path, diags, 0 };
	struct crm_node *root, *fields;
	int err;

	memset(out, 0, sizeof(*out));
	out->path = crm_arena_strdup(arena, display_path);
	if (crm_yaml_parse(&root, arena, data, len, display_path, diags))
		return CRM_EINVALID;
	out->type = crm_node_text(root, "type");
	out->folder = crm_node_text(root, "folder");
	if (!out->type)
		schema_error(&c, root, "schema has no 'type'%s%s", "", "");
	err = parse_columns(&c, out, crm_node_get(root, "columns"));
	if (err)
		return err;
	fields = crm_node_get(root, "fields");
	if (!fields) {
		schema_error(&c, root, "schema has no 'fields'%s%s", "", "");
		return CRM_EINVALID;
	}
	err = parse_fields(&c, &out->fields, &out->nfields, fields);
	if (err)
		return err;
	return c.errors ? CRM_EINVALID : 0;
}

const struct crm_field *crm_fields_find(const struct crm_field *fields, size_t n,
					const char *name)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (crm_str_eq(fields[i].name, name))
			return &fields[i];
	}
	return NULL;
}

const char *crm_fields_suggest(const struct crm_field *fields, size_t n, const char *name)
{
	/* Two edits turn short names into each other ('stage' into 'tags'):
	 * only names of six letters or more may be two edits away. */
	size_t limit = strlen(name) >= 6 ? 2 : 1;
	size_t i, best_d = limit + 1;
	const char *best = NULL;
	for (i = 0; i < n; i++) {
		size_t d = crm_edit_distance(name, fields[i].name, limit);
		if (d < best_d) {
			best_d = d;
			best = fields[i].name;
		}
	}
	return best;
}

const char *crm_schema_suggest_field(const struct crm_schema *s, const char *name)
{
	return crm_fields_suggest(s->fields, s->nfields, name);
}

const struct crm_field *crm_schema_field(const struct crm_schema *s, const char *name)
{
	return crm_fields_find(s->fields, s->nfields, name);
}

const char *crm_schema_builtin_dir(void)
{
	static char from_exe[4096];
	const char *env = getenv("CRM_SCHEMA_DIR");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	if (!access(CRM_DATADIR "/schema", R_OK))
		return CRM_DATADIR "/schema";
	/* An installed tree: <prefix>/bin/crm next to <prefix>/share/crm. */
	n = readlink("/proc/self/exe", from_exe, sizeof(from_exe) - 32);
	if (n > 0) {
		from_exe[n] = '\0';
		slash = strrchr(from_exe, '/');
		if (slash) {
			snprintf(slash, sizeof(from_exe) - (size_t)(slash - from_exe),
				 "/../share/crm/schema");
			if (!access(from_exe, R_OK))
				return from_exe;
		}
	}
	return CRM_SRCDIR "/schema";
}
