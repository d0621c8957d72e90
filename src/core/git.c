/* libgit2 behind crm's own small interface (include/crm/git.h).  The only
 * file that includes git2.h; every libgit2 error is passed on with its own
 * message. */
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/arena.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/map.h"

struct crm_git {
	git_repository *repo;
};

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_count;

static void lib_acquire(void)
{
	pthread_mutex_lock(&init_lock);
	if (init_count++ == 0)
		git_libgit2_init();
	pthread_mutex_unlock(&init_lock);
}

static void lib_release(void)
{
	pthread_mutex_lock(&init_lock);
	if (--init_count == 0)
		git_libgit2_shutdown();
	pthread_mutex_unlock(&init_lock);
}

/* Passes libgit2's own message on, prefixed with what we were doing. */
static int git_fail(int code, const char *doing)
{
	const git_error *e = git_error_last();
	return crm_error_set(code, "%s: %s", doing, e && e->message ? e->message : "git error");
}

static int wrap(struct crm_git **out, git_repository *repo)
{
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		git_repository_free(repo);
		lib_release();
		return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	(*out)->repo = repo;
	return 0;
}

int crm_git_open(struct crm_git **out, const char *path)
{
	git_repository *repo = NULL;
	int rc;

	*out = NULL;
	lib_acquire();
	rc = git_repository_open_ext(&repo, path, 0, NULL);
	if (rc < 0) {
		int err = rc == GIT_ENOTFOUND
			? crm_error_set(CRM_ENOTFOUND, "'%s' is not inside a git work tree", path)
			: git_fail(CRM_EIO, "cannot open the git repository");
		lib_release();
		return err;
	}
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		lib_release();
		return crm_error_set(CRM_EINVALID, "'%s' is a bare repository", path);
	}
	return wrap(out, repo);
}

static char *default_branch(void)
{
	git_config *cfg = NULL;
	git_buf b = GIT_BUF_INIT;
	char *name = NULL;

	if (!git_config_open_default(&cfg) &&
	    !git_config_get_string_buf(&b, cfg, "init.defaultBranch"))
		name = strdup(b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	return name ? name : strdup("main");
}

int crm_git_init(struct crm_git **out, const char *dir, bool *created_out)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	char *branch;
	int rc;

	*created_out = false;
	if (!crm_git_open(out, dir))
		return 0;
	lib_acquire();
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	branch = default_branch();
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = branch;
	rc = git_repository_init_ext(&repo, dir, &opts);
	free(branch);
	if (rc < 0) {
		rc = git_fail(CRM_EIO, "cannot create a git repository");
		lib_release();
		return rc;
	}
	*created_out = true;
	return wrap(out, repo);
}

void crm_git_free(struct crm_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g);
	lib_release();
}

const char *crm_git_workdir(const struct crm_git *g)
{
	return git_repository_workdir(g->repo);
}

const char *crm_git_gitdir(const struct crm_git *g)
{
	return git_repository_path(g->repo);
}

char *crm_git_prefix(const struct crm_git *g, const char *dir)
{
	const char *wd = git_repository_workdir(g->repo);
	size_t n = strlen(wd);
	char *p;

	while (n && wd[n - 1] == '/')
		n--;
	if (strlen(dir) <= n + 1 || strncmp(dir, wd, n) || dir[n] != '/')
		return strdup("");
	p = malloc(strlen(dir + n + 1) + 2);
	if (p)
		snprintf(p, strlen(dir + n + 1) + 2, "%s/", dir + n + 1);
	return p;
}

static char *config_string(git_repository *repo, const char *key)
{
	git_config *cfg = NULL;
	git_buf b = GIT_BUF_INIT;
	char *s = NULL;

	if (!git_repository_config_snapshot(&cfg, repo) &&
	    !git_config_get_string_buf(&b, cfg, key))
		s = strdup(b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	return s;
}

int crm_git_identity(struct crm_git *g, char **name_out, char **email_out)
{
	const char *env_name = getenv("GIT_AUTHOR_NAME");
	const char *env_email = getenv("GIT_AUTHOR_EMAIL");

	*name_out = env_name && *env_name ? strdup(env_name) : config_string(g->repo, "user.name");
	*email_out = env_email && *env_email ? strdup(env_email)
					     : config_string(g->repo, "user.email");
	if (!*name_out || !*email_out) {
		free(*name_out);
		free(*email_out);
		*name_out = *email_out = NULL;
		return crm_error_set(CRM_ENOTFOUND, "who are you? tell git with "
				     "'git config --global user.name \"Your Name\"' and "
				     "'git config --global user.email you@example.com'");
	}
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return n > 0;
}

/* "+0200" or "+02:00" or "Z" into minutes. */
static int parse_offset(int32_t *out, const char *s)
{
	int sign;
	if (!strcmp(s, "Z") || !strcmp(s, "z")) {
		*out = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return CRM_EINVALID;
	sign = *s == '-' ? -1 : 1;
	s++;
	if (strlen(s) == 4 && all_digits(s, 4))
		*out = sign * (((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[2] - '0') * 10 + (s[3] - '0'));
	else if (strlen(s) == 5 && s[2] == ':' && all_digits(s, 2) && all_digits(s + 3, 2))
		*out = sign * (((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0'));
	else
		return CRM_EINVALID;
	return 0;
}

int crm_git_parse_date(int64_t *when, int32_t *offset_min, const char *s)
{
	char buf[64];
	char *space, *end;
	struct crm_datetime dt;
	long long raw;

	if (*s == '@')
		s++;
	snprintf(buf, sizeof(buf), "%s", s);
	space = strchr(buf, ' ');
	if (space && all_digits(buf, (size_t)(space - buf))) {
		/* raw "<seconds> <offset>" */
		raw = strtoll(buf, &end, 10);
		if (parse_offset(offset_min, space + 1))
			goto bad;
		*when = raw;
		return 0;
	}
	if (space && space - buf == 10) {
		/* "2025-06-01 12:00:00 +0200" */
		char *zone = strchr(space + 1, ' ');
		*space = 'T';
		if (zone) {
			*zone = '\0';
			if (parse_offset(offset_min, zone + 1))
				goto bad;
			if (crm_datetime_parse(&dt, buf, strlen(buf), *offset_min))
				goto bad;
			*when = dt.epoch;
			return 0;
		}
	}
	if (crm_datetime_parse(&dt, buf, strlen(buf), 0))
		goto bad;
	*when = dt.epoch;
	*offset_min = dt.offset_min;
	return 0;
bad:
	return crm_error_set(CRM_EINVALID, "cannot read the date '%s'", s);
}

static int signature_for(git_signature **out, struct crm_git *g, const char *name,
			 const char *email, const char *date_env)
{
	const char *date = getenv(date_env);
	int64_t when = (int64_t)time(NULL);
	int32_t offset = 0;

	if (date && *date && crm_git_parse_date(&when, &offset, date))
		return CRM_EINVALID;
	(void)g;
	if (git_signature_new(out, name, email, (git_time_t)when, offset) < 0)
		return git_fail(CRM_EINVALID, "bad identity");
	return 0;
}

static int stage_paths(git_index *index, const char *workdir, const char *const *paths,
		       size_t n)
{
	char full[4096];
	size_t i;
	FILE *f;

	for (i = 0; i < n; i++) {
		snprintf(full, sizeof(full), "%s%s", workdir, paths[i]);
		f = fopen(full, "rb");
		if (f) {
			fclose(f);
			if (git_index_add_bypath(index, paths[i]) < 0)
				return git_fail(CRM_EIO, "cannot stage a file");
		} else if (git_index_remove_bypath(index, paths[i]) < 0) {
			return git_fail(CRM_EIO, "cannot unstage a file");
		}
	}
	return 0;
}

int crm_git_commit(struct crm_git *g, char out_id[41], const char *const *paths,
		   size_t npaths, const char *message)
{
	git_index *index = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, parent_id, commit_id;
	char *name = NULL, *email = NULL;
	int err;

	err = crm_git_identity(g, &name, &email);
	if (!err)
		err = signature_for(&author, g, name, email, "GIT_AUTHOR_DATE");
	if (!err)
		err = signature_for(&committer, g, getenv("GIT_COMMITTER_NAME") ?
				    getenv("GIT_COMMITTER_NAME") : name,
				    getenv("GIT_COMMITTER_EMAIL") ? getenv("GIT_COMMITTER_EMAIL")
								  : email, "GIT_COMMITTER_DATE");
	if (err)
		goto done;
	if (git_repository_index(&index, g->repo) < 0) {
		err = git_fail(CRM_EIO, "cannot read the index");
		goto done;
	}
	if (git_index_has_conflicts(index)) {
		err = crm_error_set(CRM_ECONFLICT, "the git index has unresolved conflicts; "
				    "finish the merge first");
		goto done;
	}
	err = stage_paths(index, git_repository_workdir(g->repo), paths, npaths);
	if (err)
		goto done;
	if (git_index_write(index) < 0 || git_index_write_tree(&tree_id, index) < 0 ||
	    git_tree_lookup(&tree, g->repo, &tree_id) < 0) {
		err = git_fail(CRM_EIO, "cannot write the tree");
		goto done;
	}
	if (!git_reference_name_to_id(&parent_id, g->repo, "HEAD") &&
	    git_commit_lookup(&parent, g->repo, &parent_id) < 0) {
		err = git_fail(CRM_EIO, "cannot read HEAD");
		goto done;
	}
	if (git_commit_create(&commit_id, g->repo, "HEAD", author, committer, NULL, message,
			      tree, parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		err = git_fail(CRM_EIO, "cannot commit");
		goto done;
	}
	git_oid_tostr(out_id, 41, &commit_id);
done:
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(index);
	git_signature_free(author);
	git_signature_free(committer);
	free(name);
	free(email);
	return err;
}

struct added_state {
	struct crm_map paths;     /* path -> struct added (NULL once deleted) */
	struct crm_arena arena;
	int64_t when;
	int32_t offset;
};

struct added {
	int64_t when;
	int32_t offset;
};

static int on_delta(const git_diff_delta *d, float progress, void *payload)
{
	struct added_state *st = payload;
	struct added *a;
	char *key;
	void *old;

	(void)progress;
	if (d->status == GIT_DELTA_DELETED) {
		if (crm_map_get(&st->paths, d->old_file.path))
			crm_map_put(&st->paths, d->old_file.path, NULL, NULL);
		return 0;
	}
	if (d->status != GIT_DELTA_ADDED)
		return 0;
	a = crm_arena_alloc(&st->arena, sizeof(*a));
	key = crm_arena_strdup(&st->arena, d->new_file.path);
	if (!a || !key)
		return -1;
	a->when = st->when;
	a->offset = st->offset;
	/* the key stored first stays the map's key; only the value changes */
	return crm_map_put(&st->paths, key, a, &old) ? -1 : 0;
}

static int diff_commit(git_repository *repo, git_commit *c, struct added_state *st)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	int rc;

	st->when = (int64_t)git_commit_time(c);
	st->offset = git_commit_time_offset(c);
	rc = git_commit_tree(&tree, c);
	if (!rc && git_commit_parentcount(c) > 0) {
		rc = git_commit_parent(&parent, c, 0);
		if (!rc)
			rc = git_commit_tree(&ptree, parent);
	}
	if (!rc)
		rc = git_diff_tree_to_tree(&diff, repo, ptree, tree, NULL);
	if (!rc)
		rc = git_diff_foreach(diff, on_delta, NULL, NULL, NULL, st);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc;
}

int crm_git_added_dates(struct crm_git *g,
			int (*cb)(const char *path, int64_t when, int32_t offset_min,
				  void *payload),
			void *payload)
{
	struct added_state st;
	git_revwalk *walk = NULL;
	git_oid id;
	struct crm_map_slot *slot;
	size_t pos = 0;
	int rc, err = 0;

	memset(&st, 0, sizeof(st));
	crm_arena_init(&st.arena);
	if (git_revwalk_new(&walk, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_simplify_first_parent(walk);
	rc = git_revwalk_push_head(walk);
	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND)
		goto done;   /* no commit yet: nothing was added */
	if (rc < 0) {
		err = git_fail(CRM_EIO, "cannot walk the history");
		goto done;
	}
	while (!err && !git_revwalk_next(&id, walk)) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0 || diff_commit(g->repo, c, &st) < 0)
			err = git_fail(CRM_EIO, "cannot read the history");
		git_commit_free(c);
	}
	while (!err && (slot = crm_map_next(&st.paths, &pos))) {
		struct added *a = slot->value;
		if (a)
			err = cb(slot->key, a->when, a->offset, payload);
	}
done:
	git_revwalk_free(walk);
	crm_map_release(&st.paths);
	crm_arena_release(&st.arena);
	return err;
}

int crm_git_head(struct crm_git *g, char out_id[41], char short_out[9])
{
	git_oid id;
	char full[41];
	if (git_reference_name_to_id(&id, g->repo, "HEAD") < 0)
		return crm_error_set(CRM_ENOTFOUND, "the repository has no commit yet");
	git_oid_tostr(full, sizeof(full), &id);
	if (out_id)
		memcpy(out_id, full, 41);
	if (short_out)
		snprintf(short_out, 9, "%.8s", full);
	return 0;
}

int crm_git_read_file_at(struct crm_git *g, const char *commit_id, const char *path,
			 char **data_out, size_t *len_out)
{
	git_oid id;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int err = 0;

	*data_out = NULL;
	*len_out = 0;
	if (git_oid_fromstr(&id, commit_id) < 0 || git_commit_lookup(&c, g->repo, &id) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		err = git_fail(CRM_ENOTFOUND, "cannot read the commit");
		goto done;
	}
	if (git_tree_entry_bypath(&entry, tree, path) < 0 ||
	    git_blob_lookup(&blob, g->repo, git_tree_entry_id(entry)) < 0) {
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not in commit %.8s", path, commit_id);
		goto done;
	}
	*len_out = (size_t)git_blob_rawsize(blob);
	*data_out = malloc(*len_out + 1);
	if (!*data_out) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	memcpy(*data_out, git_blob_rawcontent(blob), *len_out);
	(*data_out)[*len_out] = '\0';
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(c);
	return err;
}

int crm_git_config_set(struct crm_git *g, const char *key, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int err = 0;
	if (git_repository_config(&cfg, g->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, key, value) < 0)
		err = git_fail(CRM_EIO, "cannot write the git configuration");
	git_config_free(local);
	git_config_free(cfg);
	return err;
}

int crm_git_config_get(struct crm_git *g, const char *key, char **out)
{
	*out = config_string(g->repo, key);
	return *out ? 0 : CRM_ENOTFOUND;
}

static int blob_at(git_repository *repo, git_tree *tree, const char *path, git_blob **out)
{
	git_tree_entry *e = NULL;
	int rc;
	*out = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0)
		return GIT_ENOTFOUND;
	rc = git_blob_lookup(out, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return rc;
}

/* The path `path` had in the parent, when this commit renamed it. */
static char *renamed_from(git_repository *repo, git_tree *ptree, git_tree *tree, const char *path)
{
	git_diff *diff = NULL;
	git_diff_find_options fo;
	char *old = NULL;
	size_t i, n;

	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, repo, ptree, tree, NULL) < 0 ||
	    git_diff_find_similar(diff, &fo) < 0) {
		git_diff_free(diff);
		return NULL;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !old; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_RENAMED && !strcmp(d->new_file.path, path))
			old = strdup(d->old_file.path);
	}
	git_diff_free(diff);
	return old;
}

static void fill_commit(struct crm_git_change *c, git_commit *commit)
{
	const git_signature *a = git_commit_author(commit);
	git_oid_tostr(c->id, sizeof(c->id), git_commit_id(commit));
	c->author = a->name;
	c->when = (int64_t)a->when.time;
	c->offset_min = a->when.offset;
	c->summary = git_commit_summary(commit);
}

/* Reports `commit` when it changed *path; moves *path back across a rename.
 * Sets *done once the file's creation is passed. */
static int log_step(git_repository *repo, git_commit *commit, char **path, bool *done,
		    int (*cb)(const struct crm_git_change *, void *), void *payload)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_blob *nb = NULL, *ob = NULL;
	struct crm_git_change c;
	char *old = NULL;
	int err = 0;

	memset(&c, 0, sizeof(c));
	git_commit_tree(&tree, commit);
	if (git_commit_parentcount(commit) && !git_commit_parent(&parent, commit, 0))
		git_commit_tree(&ptree, parent);
	blob_at(repo, tree, *path, &nb);
	blob_at(repo, ptree, *path, &ob);
	if (nb && !ob)
		old = renamed_from(repo, ptree, tree, *path);
	if (old)
		blob_at(repo, ptree, old, &ob);
	if ((nb || ob) && (old || !(nb && ob && !git_oid_cmp(git_blob_id(nb), git_blob_id(ob))))) {
		fill_commit(&c, commit);
		c.new_path = nb ? *path : NULL;
		c.old_path = ob ? (old ? old : *path) : NULL;
		c.new_text = nb ? git_blob_rawcontent(nb) : NULL;
		c.new_len = nb ? (size_t)git_blob_rawsize(nb) : 0;
		c.old_text = ob ? git_blob_rawcontent(ob) : NULL;
		c.old_len = ob ? (size_t)git_blob_rawsize(ob) : 0;
		err = cb(&c, payload);
	}
	if (nb && !ob)
		*done = true;   /* added here: nothing older to report */
	if (old) {
		free(*path);
		*path = old;
	}
	git_blob_free(nb);
	git_blob_free(ob);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return err;
}

int crm_git_file_log(struct crm_git *g, const char *path,
		     int (*cb)(const struct crm_git_change *c, void *payload), void *payload)
{
	git_revwalk *walk = NULL;
	git_oid id;
	char *cur = strdup(path);
	bool done = false;
	int err = 0;

	if (!cur || git_revwalk_new(&walk, g->repo) < 0) {
		free(cur);
		return git_fail(CRM_EIO, "cannot walk the history");
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(walk);
	if (git_revwalk_push_head(walk) < 0)
		done = true;   /* no commits yet */
	while (!done && !err && !git_revwalk_next(&id, walk)) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0)
			err = git_fail(CRM_EIO, "cannot read a commit");
		else
			err = log_step(g->repo, c, &cur, &done, cb, payload);
		git_commit_free(c);
	}
	git_revwalk_free(walk);
	free(cur);
	return err;
}

static int read_workdir_file(char **data, size_t *len, const char *workdir, const char *path)
{
	char full[4096];
	FILE *f;
	long n;

	*data = NULL;
	*len = 0;
	snprintf(full, sizeof(full), "%s%s", workdir, path);
	f = fopen(full, "rb");
	if (!f)
		return CRM_ENOTFOUND;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(*data = malloc((size_t)n + 1)) || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*data);
		*data = NULL;
		return crm_error_errno(CRM_EIO, "cannot read '%s'", full);
	}
	(*data)[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return 0;
}

int crm_git_diff_workdir(struct crm_git *g, const char *rev, const char *prefix,
			 int (*cb)(const struct crm_git_change *c, void *payload), void *payload)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = NULL;
	size_t i, n;
	int err = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	if (prefix && *prefix) {
		spec = (char *)prefix;
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_revparse_single(&obj, g->repo, rev ? rev : "HEAD") < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, commit) < 0 ||
	    git_diff_tree_to_workdir_with_index(&diff, g->repo, tree, &opts) < 0) {
		err = git_fail(CRM_ENOTFOUND, "cannot compare with that revision");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct crm_git_change c;
		git_blob *ob = NULL;
		char *nt = NULL;
		size_t nl = 0;

		memset(&c, 0, sizeof(c));
		blob_at(g->repo, tree, d->old_file.path, &ob);
		read_workdir_file(&nt, &nl, git_repository_workdir(g->repo), d->new_file.path);
		c.old_path = ob ? d->old_file.path : NULL;
		c.new_path = nt ? d->new_file.path : NULL;
		c.old_text = ob ? git_blob_rawcontent(ob) : NULL;
		c.old_len = ob ? (size_t)git_blob_rawsize(ob) : 0;
		c.new_text = nt;
		c.new_len = nl;
		if (ob || nt)
			err = cb(&c, payload);
		free(nt);
		git_blob_free(ob);
	}
done:
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return err;
}
