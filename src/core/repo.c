/* Finding and opening a data repository: crm.ini plus the schemas, the
 * repository's schema/ folder taking precedence over the tool's own, read
 * from its source: the work tree, git's index or a commit. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/beneath.h"
#include "crm/buf.h"
#include "crm/score.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/repo.h"
#include "crm/task.h"

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

/* Whether `dir` is in a bare git repository (a server's), which has no
 * crm.ini to find. */
static bool in_bare_repository(const char *dir)
{
	struct crm_git *git = NULL;
	bool bare = !crm_git_open_any(&git, dir) && crm_git_is_bare(git);

	crm_git_free(git);
	return bare;
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
	if (in_bare_repository(start))
		return crm_error_set(CRM_EINVALID, "this is a bare git repository, which has no "
				     "work tree: only 'crm check --rev REV' reads one (a commit's "
				     "files)");
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
	if (!err)
		err = crm_task_apply_categories(repo);
	if (!err)
		err = crm_score_attach(repo);
	crm_buf_release(&p);
	return err;
}

void crm_repo_release(struct crm_repo *repo)
{
	crm_score_release(repo);
	crm_git_files_free(repo->source.files);
	crm_git_free(repo->source.git);
	free(repo->source.prefix);
	memset(&repo->source, 0, sizeof(repo->source));
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

/* ---- the source: the work tree, the index or a commit ---- */

bool crm_repo_from_git(const struct crm_repo *repo)
{
	return repo->source.kind != CRM_SOURCE_WORKTREE;
}

const char *crm_repo_source_name(const struct crm_repo *repo, char buf[24])
{
	if (repo->source.kind == CRM_SOURCE_INDEX)
		snprintf(buf, 24, "the index");
	else if (repo->source.kind == CRM_SOURCE_COMMIT)
		snprintf(buf, 24, "commit %.8s", repo->source.commit);
	else
		snprintf(buf, 24, "the work tree");
	return buf;
}

int crm_repo_read_file(const struct crm_repo *repo, const char *rel, struct crm_buf *out,
		       size_t max)
{
	struct crm_buf path = CRM_BUF_INIT;
	int err;

	if (repo->source.kind == CRM_SOURCE_WORKTREE) {
		crm_buf_addf(&path, "%s/%s", repo->root, rel);
		err = crm_buf_read_file(out, path.ptr, max);
	} else {
		crm_buf_addf(&path, "%s%s", repo->source.prefix, rel);
		err = crm_git_files_read(repo->source.files, path.ptr, out, max);
	}
	crm_buf_release(&path);
	return err;
}

/* crm_repo_exists in git: each folder on the way looked at, so that a
 * link among them is named as the work tree's check names it. */
static int exists_in_git(const struct crm_repo *repo, const char *rel, bool *out)
{
	struct crm_buf path = CRM_BUF_INIT;
	enum crm_git_entry kind = CRM_GIT_FOLDER;
	const char *p = rel;
	int err = 0;

	crm_buf_adds(&path, repo->source.prefix);
	while (!err && kind == CRM_GIT_FOLDER && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		crm_buf_add(&path, p, n);
		err = crm_git_files_kind(repo->source.files, path.ptr, &kind);
		crm_buf_addch(&path, '/');
		p += n + (slash ? 1 : 0);
	}
	*out = !err && kind != CRM_GIT_ABSENT;
	if (!err && kind == CRM_GIT_LINK) {
		crm_buf_truncate(&path, path.len - 1);
		err = crm_error_set(CRM_EINVALID, "'%s' is a symbolic link, which is not followed",
				    path.ptr + strlen(repo->source.prefix));
	}
	crm_buf_release(&path);
	return err;
}

int crm_repo_exists(const struct crm_repo *repo, const char *rel, bool *out)
{
	struct crm_buf full = CRM_BUF_INIT;
	struct stat st;
	int err;

	*out = false;
	if (repo->source.kind != CRM_SOURCE_WORKTREE)
		return exists_in_git(repo, rel, out);
	err = crm_path_check_beneath(repo->root, rel);
	if (!err) {
		crm_buf_addf(&full, "%s/%s", repo->root, rel);
		*out = !stat(full.ptr, &st);
		crm_buf_release(&full);
	}
	return err;
}

struct schema_list {
	struct crm_repo *repo;
	size_t skip;                  /* bytes of "<prefix>schema/" */
	CRM_ARRAY(char *) names;
};

static int remember_schema(const char *path, enum crm_git_entry kind, void *payload)
{
	struct schema_list *st = payload;
	const char *name = path + st->skip;
	size_t n = strlen(name);
	char **slot;

	/* only schema/<type>.yaml, as crm_repo_open reads the folder */
	if (kind != CRM_GIT_FILE || strchr(name, '/') || name[0] == '.' || n < 6 ||
	    strcmp(name + n - 5, ".yaml"))
		return 0;
	slot = CRM_ARRAY_PUSH(st->names);
	if (!slot)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	*slot = strdup(name);
	if (!*slot) {
		st->names.len--;
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	return 0;
}

/* The repository's schemas from git: listed while the lock is held, read
 * after (the listing's callback may not read). */
static int add_schemas_from_git(struct crm_repo *repo)
{
	struct schema_list st = { repo, 0, CRM_ARRAY_INIT };
	struct crm_buf folder = CRM_BUF_INIT, data = CRM_BUF_INIT, rel = CRM_BUF_INIT;
	size_t i;
	int err;

	crm_buf_addf(&folder, "%sschema/", repo->source.prefix);
	st.skip = folder.len;
	err = crm_git_files_list(repo->source.files, folder.ptr, remember_schema, &st);
	for (i = 0; i < st.names.len; i++) {
		crm_buf_reset(&rel);
		crm_buf_reset(&data);
		crm_buf_addf(&rel, "schema/%s", st.names.ptr[i]);
		if (!err)
			err = crm_repo_read_file(repo, rel.ptr, &data, CRM_BUF_MAX);
		if (!err)
			err = add_schema_data(repo, data.ptr, data.len,
					      crm_arena_strdup(&repo->arena, rel.ptr), false);
		free(st.names.ptr[i]);
	}
	CRM_ARRAY_RELEASE(st.names);
	crm_buf_release(&folder);
	crm_buf_release(&data);
	crm_buf_release(&rel);
	return err;
}

/* crm.ini and the schemas as the index or a commit holds them. */
static int load_from_git(struct crm_repo *repo)
{
	struct crm_buf ini = CRM_BUF_INIT;
	char name[24];
	int err;

	err = crm_repo_read_file(repo, "crm.ini", &ini, CRM_BUF_MAX);
	if (err == CRM_ENOTFOUND)
		err = crm_error_set(CRM_ENOTFOUND, "%s has no crm.ini at '%scrm.ini'",
				    crm_repo_source_name(repo, name), repo->source.prefix);
	if (!err)
		err = crm_config_load_data(&repo->config, ini.ptr, ini.len, "crm.ini",
					   &repo->diags);
	else
		crm_config_load_data(&repo->config, "", 0, "crm.ini", &repo->diags);
	if (!err)
		err = add_schemas_from_git(repo);
	if (!err)
		err = add_schemas_from(repo, crm_schema_builtin_dir(), true);
	if (!err)
		err = crm_task_apply_categories(repo);
	if (!err)
		err = crm_score_attach(repo);
	crm_buf_release(&ini);
	return err;
}

/* The data repository's folder: `root` in a work tree; a bare
 * repository's git folder (without its '/'). */
static char *root_of(struct crm_git *git, const char *root)
{
	const char *gitdir = crm_git_gitdir(git);
	size_t n = strlen(gitdir);

	if (!crm_git_is_bare(git))
		return strdup(root);
	while (n > 1 && gitdir[n - 1] == '/')
		n--;
	return strndup(gitdir, n);
}

static int open_source(struct crm_repo *repo, const char *root, enum crm_source_kind kind,
		       const char *rev)
{
	struct crm_source *src = &repo->source;
	const char *id;
	int err;

	src->kind = kind;
	err = kind == CRM_SOURCE_INDEX ? crm_git_open(&src->git, root)
		: crm_git_open_any(&src->git, root);
	if (!err)
		err = crm_git_files_open(&src->files, src->git,
					 kind == CRM_SOURCE_INDEX ? NULL : rev);
	if (err)
		return err;
	id = crm_git_files_commit(src->files);
	snprintf(src->commit, sizeof(src->commit), "%s", id ? id : "");
	src->prefix = crm_git_prefix(src->git, root);
	repo->root = root_of(src->git, root);
	if (!src->prefix || !repo->root)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	return 0;
}

int crm_repo_open_git(struct crm_repo *repo, const char *root, enum crm_source_kind kind,
		      const char *rev)
{
	int err;

	memset(repo, 0, sizeof(*repo));
	crm_arena_init(&repo->arena);
	crm_diags_init(&repo->diags);
	err = open_source(repo, root, kind, rev);
	if (!err)
		err = load_from_git(repo);
	else
		crm_config_load_data(&repo->config, "", 0, "crm.ini", &repo->diags);
	return err;
}
