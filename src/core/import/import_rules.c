/* Import rules files (INI, read with inih like crm.ini in config.c): one
 * section per record type and file pattern, whose keys are the record's
 * fields (templates over the CSV columns) and a few directives; and where
 * the shipped presets live. */
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/import.h"

struct parse_state {
	struct crm_import_rules *r;
	const char *display;
	int err;
};

static struct crm_import_section *section_for(struct parse_state *st, const char *name)
{
	struct crm_import_rules *r = st->r;
	struct crm_import_section *s = CRM_ARRAY_LAST(r->sections);

	if (s && !strcmp(s->name, name))
		return s;
	s = CRM_ARRAY_PUSH(r->sections);
	if (!s)
		return NULL;
	s->name = crm_arena_strdup(&r->arena, name);
	s->decimal_mark = '.';
	return s;
}

static struct crm_import_field *field_for(struct crm_import_rules *r,
					  struct crm_import_section *s, const char *name,
					  size_t len)
{
	size_t i;
	struct crm_import_field *f;

	for (i = 0; i < s->fields.len; i++)
		if (strlen(s->fields.ptr[i].field) == len && !strncmp(s->fields.ptr[i].field, name, len))
			return &s->fields.ptr[i];
	f = CRM_ARRAY_PUSH(s->fields);
	if (f)
		f->field = crm_arena_strndup(&r->arena, name, len);
	return f;
}

static bool is_yes(const char *v)
{
	return !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1");
}

/* map.FIELD.FROM = TO */
static int add_map(struct parse_state *st, struct crm_import_section *s, const char *key,
		   const char *value)
{
	const char *dot = strchr(key, '.');
	struct crm_import_map *m;

	if (!dot || dot == key || !dot[1])
		return crm_error_set(CRM_EINVALID, "%s: [%s] '%s': write map.FIELD.VALUE = NEW",
				     st->display, s->name, key);
	m = CRM_ARRAY_PUSH(s->maps);
	if (!m)
		return CRM_ENOMEM;
	m->field = crm_arena_strndup(&st->r->arena, key, (size_t)(dot - key));
	m->from = crm_arena_strdup(&st->r->arena, dot + 1);
	m->to = crm_arena_strdup(&st->r->arena, value);
	return 0;
}

static int set_directive(struct parse_state *st, struct crm_import_section *s,
			 const char *key, const char *value)
{
	struct crm_arena *a = &st->r->arena;
	const char *v = crm_arena_strdup(a, value);

	if (!strcmp(key, "type"))
		s->type = v;
	else if (!strcmp(key, "files"))
		s->files = v;
	else if (!strcmp(key, "id"))
		s->id = v;
	else if (!strcmp(key, "date-format"))
		s->date_format = v;
	else if (!strcmp(key, "decimal-mark")) {
		if (strcmp(v, ".") && strcmp(v, ","))
			return crm_error_set(CRM_EINVALID, "%s: [%s] decimal-mark must be '.' or ','",
					     st->display, s->name);
		s->decimal_mark = v[0];
	} else
		return 1;
	return 0;
}

static int set_key(struct parse_state *st, struct crm_import_section *s, const char *key,
		   const char *value)
{
	struct crm_arena *a = &st->r->arena;
	const char *dot = strchr(key, '.');
	struct crm_import_field *f;
	struct crm_import_skip *sk;
	int rc = set_directive(st, s, key, value);

	if (rc <= 0)
		return rc;
	if (!strncmp(key, "map.", 4))
		return add_map(st, s, key + 4, value);
	if (!strncmp(key, "skip.", 5)) {
		sk = CRM_ARRAY_PUSH(s->skips);
		if (!sk)
			return CRM_ENOMEM;
		sk->column = crm_arena_strdup(a, key + 5);
		sk->values = crm_arena_strdup(a, value);
		return 0;
	}
	f = field_for(st->r, s, key, dot ? (size_t)(dot - key) : strlen(key));
	if (!f)
		return CRM_ENOMEM;
	if (!dot)
		f->tmpl = crm_arena_strdup(a, value);
	else if (!strcmp(dot, ".match"))
		f->match = crm_arena_strdup(a, value);
	else if (!strcmp(dot, ".else"))
		f->else_tmpl = crm_arena_strdup(a, value);
	else if (!strcmp(dot, ".create"))
		f->create = is_yes(value);
	else if (!strcmp(dot, ".date-format"))
		f->date_format = crm_arena_strdup(a, value);
	else
		return crm_error_set(CRM_EINVALID, "%s: [%s] unknown option '%s' (.match, "
				     ".create, .else or .date-format)", st->display, s->name, key);
	return 0;
}

static int on_pair(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	struct crm_import_section *s;

	if (st->err)
		return 0;
	if (!*section) {
		st->err = crm_error_set(CRM_EINVALID, "%s: '%s' stands before any [section]",
					st->display, key);
		return 0;
	}
	if (!strcmp(section, "preset")) {
		if (!strcmp(key, "description"))
			st->r->description = crm_arena_strdup(&st->r->arena, value);
		return 1;
	}
	s = section_for(st, section);
	st->err = s ? set_key(st, s, key, value) : CRM_ENOMEM;
	return !st->err;
}

int crm_import_rules_parse(struct crm_import_rules *out, const char *text, size_t len,
			   const char *display)
{
	struct parse_state st = { out, display, 0 };
	char *copy = strndup(text, len);
	size_t i;
	int line;

	memset(out, 0, sizeof(*out));
	crm_arena_init(&out->arena);
	out->path = crm_arena_strdup(&out->arena, display);
	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	line = ini_parse_string(copy, on_pair, &st);
	free(copy);
	if (st.err)
		return st.err;
	if (line)
		return crm_error_set(CRM_EINVALID, "%s:%d: not a rules line (INI: [section] "
				     "or key = value)", display, line);
	for (i = 0; i < out->sections.len; i++) {
		const struct crm_import_section *s = &out->sections.ptr[i];
		if (!s->type)
			return crm_error_set(CRM_EINVALID, "%s: [%s] has no 'type = ...'",
					     display, s->name);
	}
	if (!out->sections.len)
		return crm_error_set(CRM_EINVALID, "%s: no [section] with rules", display);
	return 0;
}

int crm_import_rules_load(struct crm_import_rules *out, const char *path)
{
	struct crm_buf text = CRM_BUF_INIT;
	int err = crm_buf_read_file(&text, path, 1 << 20);

	if (err) {
		memset(out, 0, sizeof(*out));
		crm_arena_init(&out->arena);
		return err;
	}
	err = crm_import_rules_parse(out, text.ptr, text.len, path);
	crm_buf_release(&text);
	return err;
}

void crm_import_rules_release(struct crm_import_rules *r)
{
	size_t i;

	for (i = 0; i < r->sections.len; i++) {
		CRM_ARRAY_RELEASE(r->sections.ptr[i].fields);
		CRM_ARRAY_RELEASE(r->sections.ptr[i].maps);
		CRM_ARRAY_RELEASE(r->sections.ptr[i].skips);
	}
	CRM_ARRAY_RELEASE(r->sections);
	crm_arena_release(&r->arena);
}

const char *crm_import_preset_dir(void)
{
	const char *env = getenv("CRM_PRESET_DIR");

	if (env && *env)
		return env;
	/* installed beside the schemas, found the way the schemas are */
	if (!access(CRM_DATADIR "/import/presets", R_OK))
		return CRM_DATADIR "/import/presets";
	return CRM_SRCDIR "/import/presets";
}

int crm_import_preset_path(char **out, const char *name)
{
	struct crm_buf path = CRM_BUF_INIT;

	*out = NULL;
	if (!*name || strchr(name, '/') || name[0] == '.')
		return crm_error_set(CRM_ENOTFOUND, "no preset '%s'", name);
	crm_buf_addf(&path, "%s/%s.ini", crm_import_preset_dir(), name);
	if (access(path.ptr, R_OK)) {
		crm_buf_release(&path);
		return crm_error_set(CRM_ENOTFOUND, "no preset '%s' (crm import --preset list)",
				     name);
	}
	*out = crm_buf_detach(&path, NULL);
	return 0;
}
