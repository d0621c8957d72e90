/* Transactions around record writes: one lock per repository, atomic file
 * replacement, one commit per command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/diag.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/store.h"
#include "util/testhook.h"
#include "crm/utf8.h"

int crm_txn_begin(struct crm_txn *t, struct crm_repo *repo)
{
	struct crm_buf lockpath = CRM_BUF_INIT;
	int err;

	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
	t->repo = repo;
	err = crm_git_open(&t->git, repo->root);
	if (err)
		return err;
	t->prefix = crm_git_prefix(t->git, repo->root);
	crm_buf_addf(&lockpath, "%scrm", crm_git_gitdir(t->git));
	err = crm_lockfile_acquire(&t->lock, lockpath.ptr, 5000);
	crm_buf_release(&lockpath);
	return err;
}

static int make_parents(const char *full)
{
	char *copy = strdup(full), *p;
	int err = 0;
	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	for (p = strchr(copy + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(copy, 0777) && errno != EEXIST)
			err = crm_error_errno(CRM_EIO, "cannot create '%s'", copy);
		*p = '/';
	}
	free(copy);
	return err;
}

static int remember(struct crm_txn *t, const char *path)
{
	char **slot = CRM_ARRAY_PUSH(t->paths);
	struct crm_buf b = CRM_BUF_INIT;
	if (!slot)
		return CRM_ENOMEM;
	crm_buf_addf(&b, "%s%s", t->prefix ? t->prefix : "", path);
	*slot = crm_buf_detach(&b, NULL);
	return 0;
}

int crm_txn_write(struct crm_txn *t, const char *path, const char *data, size_t len)
{
	struct crm_buf full = CRM_BUF_INIT;
	int err;

	crm_buf_addf(&full, "%s/%s", t->repo->root, path);
	err = make_parents(full.ptr);
	if (!err)
		err = crm_write_file_atomic(full.ptr, data, len);
	if (!err)
		err = remember(t, path);
	crm_buf_release(&full);
	return err;
}

int crm_txn_remove(struct crm_txn *t, const char *path)
{
	struct crm_buf full = CRM_BUF_INIT;
	int err = 0;

	crm_buf_addf(&full, "%s/%s", t->repo->root, path);
	if (unlink(full.ptr) && errno != ENOENT)
		err = crm_error_errno(CRM_EIO, "cannot remove '%s'", path);
	if (!err)
		err = remember(t, path);
	crm_buf_release(&full);
	return err;
}

int crm_txn_commit(struct crm_txn *t, const char *message, char out_id[41])
{
	crm_test_pause("before-commit");
	return crm_git_commit(t->git, out_id, (const char *const *)t->paths.ptr, t->paths.len,
			      message);
}

void crm_txn_release(struct crm_txn *t)
{
	size_t i;
	crm_lockfile_rollback(&t->lock);
	for (i = 0; i < t->paths.len; i++)
		free(t->paths.ptr[i]);
	CRM_ARRAY_RELEASE(t->paths);
	free(t->prefix);
	crm_git_free(t->git);
	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
}

char *crm_store_user(struct crm_repo *repo, struct crm_git *git)
{
	char *name = NULL, *email = NULL, *id;
	size_t i;

	if (crm_git_identity(git, &name, &email))
		return strdup("unknown");
	for (i = 0; i < repo->config.users.len; i++) {
		const struct crm_user *u = &repo->config.users.ptr[i];
		if ((u->email && !strcmp(u->email, email)) || (u->name && !strcmp(u->name, name)) ||
		    !strcmp(u->id, name)) {
			free(name);
			free(email);
			return strdup(u->id);
		}
	}
	free(email);
	id = name;
	return id;
}

int crm_store_read(struct crm_buf *text_out, struct crm_node **root_out,
		   struct crm_arena *arena, struct crm_repo *repo, const char *path)
{
	struct crm_buf full = CRM_BUF_INIT;
	struct crm_diags diags;
	int err;

	crm_buf_addf(&full, "%s/%s", repo->root, path);
	err = crm_buf_read_file(text_out, full.ptr, CRM_YAML_MAX_BYTES);
	crm_buf_release(&full);
	if (err)
		return err;
	crm_diags_init(&diags);
	err = crm_yaml_parse(root_out, arena, text_out->ptr, text_out->len, path, &diags);
	if (err && diags.list.len)
		err = crm_error_set(CRM_EINVALID, "%s:%d:%d: %s; fix the file first (crm check)",
				    path, diags.list.ptr[0].line, diags.list.ptr[0].col,
				    diags.list.ptr[0].message);
	crm_diags_release(&diags);
	return err;
}

static void random_id(struct crm_buf *out)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	unsigned char r[6];
	size_t i;
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 7, sizeof(r));
	crm_buf_adds(out, "c-");
	for (i = 0; i < sizeof(r); i++)
		crm_buf_addch(out, alphabet[r[i] % 32]);
}

int crm_store_new_id(struct crm_buf *out, struct crm_index *idx, const char *type,
		     const char *name)
{
	size_t base_len, n = 2;
	crm_buf_reset(out);
	if (!name || !crm_utf8_slug(out, name))
		random_id(out);
	base_len = out->len;
	while (crm_index_find(idx, type, out->ptr)) {
		crm_buf_truncate(out, base_len);
		if (out->ptr[0] == 'c' && out->ptr[1] == '-' && base_len == 8) {
			crm_buf_reset(out);
			random_id(out);
			base_len = out->len;
		} else {
			crm_buf_addf(out, "-%zu", n++);
		}
	}
	return 0;
}

int crm_store_new_path(struct crm_buf *out, const struct crm_schema *s, const char *id,
		       crm_date created)
{
	int y, m, d;
	crm_date_to_ymd(created, &y, &m, &d);
	crm_buf_reset(out);
	return crm_buf_addf(out, "%s/%04d/%s.yaml", s->folder, y, id);
}

static int validate_ref(struct crm_index *idx, const struct crm_field *f, const char *value)
{
	const char *target = f->to, *id = value, *slash = strchr(value, '/');
	char type[64];
	const char *hint;

	if (slash) {
		snprintf(type, sizeof(type), "%.*s", (int)(slash - value), value);
		target = type;
		id = slash + 1;
	}
	if (crm_index_find(idx, target, id))
		return 0;
	hint = crm_index_suggest(idx, target, id);
	if (hint)
		return crm_error_set(CRM_EINVALID, "unknown %s '%s' (did you mean '%s'?)", target,
				     id, hint);
	return crm_error_set(CRM_EINVALID, "unknown %s '%s'", target, id);
}

int crm_store_validate(struct crm_index *idx, const struct crm_schema *s,
		       const char *field, const char *value)
{
	const struct crm_field *f = crm_schema_field(s, field);
	struct crm_node n;
	struct crm_value v;
	const char *hint;

	if (!f) {
		hint = crm_schema_suggest_field(s, field);
		if (hint)
			return crm_error_set(CRM_EINVALID, "%s has no field '%s' (did you mean "
					     "'%s'?)", s->type, field, hint);
		return crm_error_set(CRM_EINVALID, "%s has no field '%s'", s->type, field);
	}
	if (crm_field_is_computed(f))
		return crm_error_set(CRM_EINVALID, "field '%s' is computed (%s); it cannot be set",
				     field, crm_field_type_name(f->type));
	if (f->type == CRM_F_LIST || f->type == CRM_F_MAP)
		return crm_error_set(CRM_EINVALID, "field '%s' holds entries; edit the file "
				     "('crm edit')", field);
	if (f->type == CRM_F_TAGS || f->type == CRM_F_REFS || f->type == CRM_F_FILES)
		return 0;   /* items are checked by the caller one by one */
	memset(&n, 0, sizeof(n));
	n.kind = CRM_NODE_SCALAR;
	n.style = CRM_STYLE_DOUBLE;
	n.text = value;
	n.len = strlen(value);
	if (crm_index_parse_scalar(&v, idx, f, &n, NULL))
		return crm_error_set(CRM_EINVALID, "%s: %s", field, crm_error_last());
	if (f->type == CRM_F_REF && *value)
		return validate_ref(idx, f, value);
	return 0;
}

int crm_store_write_record(struct crm_txn *t, const char *path, const char *text,
			   size_t len)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root;
	int err;

	crm_diags_init(&diags);
	err = crm_yaml_parse(&root, &arena, text, len, path, &diags);
	if (err)
		err = crm_error_set(CRM_EINVALID, "the change would break '%s' (%s); nothing "
				    "was written", path, diags.list.len ? diags.list.ptr[0].message
									: "parse error");
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	return err ? err : crm_txn_write(t, path, text, len);
}
