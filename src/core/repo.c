/* Finding and opening a data repository: crm.ini plus the schemas, the
 * repository's schema/ folder taking precedence over the tool's own. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/repo.h"

static bool has_ini(const char *dir)
{
	struct crm_buf p = CRM_BUF_INIT;
	struct stat st;
	bool ok;

	crm_buf_addf(&p, "%s/crm.ini", dir);
	ok = !stat(p.ptr, &st) && S_ISREG(st.st_mode);
	crm_buf_release(&p);
	return ok;
}

int crm_repo_discover(char **out, const char *start)
{
	const char *env = getenv("CRM_DIR");
	char *dir, *slash;

	*out = NULL;
	dir = realpath(env && *env ? env : start, NULL);
	if (!dir)
		return crm_error_errno(CRM_ENOTFOUND, "cannot open '%s'",
				       env && *env ? env : start);
	if (env && *env) {
		if (!has_ini(dir)) {
			free(dir);
			return crm_error_set(CRM_ENOTFOUND, "CRM_DIR '%s' holds no crm.ini", env);
		}
		*out = dir;
		return 0;
	}
	for (;;) {
		if (has_ini(dir)) {
			*out = dir;
			return 0;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	if (has_ini("/")) {
		free(dir);
		*out = strdup("/");
		return *out ? 0 : CRM_ENOMEM;
	}
	free(dir);
	return crm_error_set(CRM_ENOTFOUND, "not a crm repository (or any parent up to /): "
			     "no crm.ini found; run 'crm init' to make one");
}

/* Parses one schema file's text; the repository's copy overrides the tool's. */
static int add_schema_data(struct crm_repo *repo, const char *data, size_t len,
			   const char *shown, bool builtin)
{
	struct crm_schema s, *slot;
	size_t i;

	if (crm_schema_parse(&s, &repo->arena, data, len, shown, &repo->diags) || !s.type)
		return 0;   /* the findings say why */
	s.builtin = builtin;
	if (!s.folder)
		s.folder = crm_arena_printf(&repo->arena, "%ss", s.type);
	for (i = 0; i < repo->schemas.len; i++) {
		if (!strcmp(repo->schemas.ptr[i].type, s.type)) {
			if (!builtin)
				repo->schemas.ptr[i] = s;
			return 0;
		}
	}
	slot = CRM_ARRAY_PUSH(repo->schemas);
	if (!slot)
		return CRM_ENOMEM;
	*slot = s;
	return 0;
}

static int add_schema(struct crm_repo *repo, const char *dir, const char *name,
		      bool builtin)
{
	struct crm_buf path = CRM_BUF_INIT, data = CRM_BUF_INIT, shown = CRM_BUF_INIT;
	int err;

	crm_buf_addf(&path, "%s/%s", dir, name);
	if (builtin)
		crm_buf_adds(&shown, path.ptr);
	else
		crm_buf_addf(&shown, "schema/%s", name);
	err = crm_buf_read_file(&data, path.ptr, CRM_BUF_MAX);
	if (!err)
		err = add_schema_data(repo, data.ptr, data.len, shown.ptr, builtin);
	crm_buf_release(&path);
	crm_buf_release(&data);
	crm_buf_release(&shown);
	return err;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every *.yaml of `dir` in name order; a missing folder is fine. */
static int add_schemas_from(struct crm_repo *repo, const char *dir, bool builtin)
{
	CRM_ARRAY(char *) names = CRM_ARRAY_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;
	char **slot;
	size_t i, n;
	int err = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".yaml"))
			continue;
		slot = CRM_ARRAY_PUSH(names);
		if (slot)
			*slot = strdup(e->d_name);
		if (!slot || !*slot) {
			names.len -= slot ? 1 : 0;
			err = crm_error_set(CRM_ENOMEM, "out of memory");
			break;
		}
	}
	closedir(d);
	if (names.len)
		qsort(names.ptr, names.len, sizeof(char *), compare_names);
	for (i = 0; i < names.len; i++) {
		if (!err)
			err = add_schema(repo, dir, names.ptr[i], builtin);
		free(names.ptr[i]);
	}
	CRM_ARRAY_RELEASE(names);
	return err;
}

int crm_repo_open(struct crm_repo *repo, const char *root)
{
	struct crm_buf p = CRM_BUF_INIT;
	int err;

	memset(repo, 0, sizeof(*repo));
	crm_arena_init(&repo->arena);
	crm_diags_init(&repo->diags);
	repo->root = strdup(root);
	if (!repo->root)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	crm_buf_addf(&p, "%s/crm.ini", root);
	err = crm_config_load(&repo->config, p.ptr, "crm.ini", &repo->diags);
	crm_buf_reset(&p);
	crm_buf_addf(&p, "%s/schema", root);
	if (!err)
		err = add_schemas_from(repo, p.ptr, false);
	if (!err)
		err = add_schemas_from(repo, crm_schema_builtin_dir(), true);
	crm_buf_release(&p);
	return err;
}

void crm_repo_release(struct crm_repo *repo)
{
	crm_config_release(&repo->config);
	CRM_ARRAY_RELEASE(repo->schemas);
	crm_arena_release(&repo->arena);
	crm_diags_release(&repo->diags);
	free(repo->root);
	repo->root = NULL;
}

const struct crm_schema *crm_repo_schema(const struct crm_repo *repo, const char *type)
{
	size_t i;
	for (i = 0; i < repo->schemas.len; i++) {
		if (!strcmp(repo->schemas.ptr[i].type, type))
			return &repo->schemas.ptr[i];
	}
	return NULL;
}

const struct crm_schema *crm_repo_schema_by_folder(const struct crm_repo *repo,
						   const char *folder)
{
	size_t i;
	for (i = 0; i < repo->schemas.len; i++) {
		if (!strcmp(repo->schemas.ptr[i].folder, folder))
			return &repo->schemas.ptr[i];
	}
	return NULL;
}

struct schema_at {
	struct crm_repo *repo;
	struct crm_git *git;
	const char *commit;
	size_t prefix_len;        /* of "<data repo prefix>schema/" */
	int err;
};

static int schema_at_file(const char *path, void *payload)
{
	struct schema_at *st = payload;
	const char *name = path + st->prefix_len;
	size_t n = strlen(name), len;
	char *data = NULL, *shown;

	/* only schema/<type>.yaml, as crm_repo_open reads the folder */
	if (strchr(name, '/') || name[0] == '.' || n < 6 || strcmp(name + n - 5, ".yaml"))
		return 0;
	st->err = crm_git_read_file_at(st->git, st->commit, path, &data, &len);
	shown = crm_arena_printf(&st->repo->arena, "schema/%s", name);
	if (!st->err && !shown)
		st->err = crm_error_set(CRM_ENOMEM, "out of memory");
	if (!st->err)
		st->err = add_schema_data(st->repo, data, len, shown, false);
	free(data);
	return st->err;
}

int crm_repo_open_at(struct crm_repo *repo, const char *root, struct crm_git *git,
		     const char *commit)
{
	struct crm_buf p = CRM_BUF_INIT;
	struct schema_at st = { repo, git, commit, 0, 0 };
	char *prefix = crm_git_prefix(git, root), *ini = NULL;
	size_t len = 0;
	int err;

	memset(repo, 0, sizeof(*repo));
	crm_arena_init(&repo->arena);
	crm_diags_init(&repo->diags);
	repo->root = strdup(root);
	if (!repo->root || !prefix) {
		free(prefix);
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	crm_buf_addf(&p, "%scrm.ini", prefix);
	err = crm_git_read_file_at(git, commit, p.ptr, &ini, &len);
	if (err == CRM_ENOTFOUND)
		err = crm_error_set(CRM_ENOTFOUND, "commit %.8s has no crm.ini at '%s'",
				    commit, p.ptr);
	if (!err)
		err = crm_config_load_data(&repo->config, ini, len, "crm.ini", &repo->diags);
	else
		crm_config_load_data(&repo->config, "", 0, "crm.ini", &repo->diags);
	crm_buf_reset(&p);
	crm_buf_addf(&p, "%sschema/", prefix);
	st.prefix_len = p.len;
	if (!err)
		err = crm_git_list_files_at(git, commit, p.ptr, schema_at_file, &st);
	if (!err)
		err = add_schemas_from(repo, crm_schema_builtin_dir(), true);
	free(ini);
	free(prefix);
	crm_buf_release(&p);
	return err;
}
