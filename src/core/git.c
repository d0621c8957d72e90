/* libgit2 behind crm's own small interface (include/crm/git.h).  The only
 * file that includes git2.h; every libgit2 error is passed on with its own
 * message. */
#include <git2.h>
#include <git2/sys/merge.h>
#include <unistd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/arena.h"
#include "crm/buf.h"
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

/* ---- sync: fetch, merge, push ---- */

typedef int (*record_merge_fn)(struct crm_buf *out, size_t *conflicts, const char *base,
			       size_t base_len, const char *ours, size_t ours_len,
			       const char *theirs, size_t theirs_len);

static record_merge_fn record_merge;
static size_t merge_conflicts;

static int read_entry(git_repository *repo, const git_index_entry *e, git_blob **out)
{
	*out = NULL;
	return e ? git_blob_lookup(out, repo, &e->id) : 0;
}

static int driver_apply(git_merge_driver *self, const char **path_out, uint32_t *mode_out,
			git_buf *merged_out, const char *filter_name,
			const git_merge_driver_source *src)
{
	git_repository *repo = (git_repository *)git_merge_driver_source_repo(src);
	const git_index_entry *o = git_merge_driver_source_ours(src);
	const git_index_entry *t = git_merge_driver_source_theirs(src);
	const git_index_entry *b = git_merge_driver_source_ancestor(src);
	git_blob *ob = NULL, *tb = NULL, *bb = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	size_t conflicts = 0;
	int rc = GIT_PASSTHROUGH;

	(void)self;
	(void)filter_name;
	if (!o || !t || read_entry(repo, o, &ob) || read_entry(repo, t, &tb) ||
	    read_entry(repo, b, &bb))
		goto done;
	if (record_merge(&out, &conflicts, bb ? git_blob_rawcontent(bb) : "",
			 bb ? (size_t)git_blob_rawsize(bb) : 0, git_blob_rawcontent(ob),
			 (size_t)git_blob_rawsize(ob), git_blob_rawcontent(tb),
			 (size_t)git_blob_rawsize(tb)))
		goto done;   /* a version that does not parse: git's own conflict */
	merge_conflicts += conflicts;
	*path_out = o->path;
	*mode_out = o->mode;
	rc = git_buf_set(merged_out, out.ptr, out.len) < 0 ? -1 : 0;
done:
	crm_buf_release(&out);
	git_blob_free(ob);
	git_blob_free(tb);
	git_blob_free(bb);
	return rc;
}

static git_merge_driver crm_driver = { GIT_MERGE_DRIVER_VERSION, NULL, NULL, driver_apply };

int crm_git_register_merge(struct crm_git *g, record_merge_fn merge)
{
	int rc;
	/* registered drivers live until libgit2 shuts down, which happens when
	 * the last crm_git is freed: hence the open repository */
	(void)g;
	record_merge = merge;
	rc = git_merge_driver_register("crm", &crm_driver);
	return rc < 0 && rc != GIT_EEXISTS ? git_fail(CRM_ERROR, "cannot register the merge driver")
					  : 0;
}

int crm_git_dirty(struct crm_git *g, const char *prefix,
		  int (*cb)(const char *path, void *payload), void *payload, size_t *count_out)
{
	git_status_options opts;
	git_status_list *list = NULL;
	char *spec = (char *)prefix;
	size_t i, n;
	int err = 0;

	*count_out = 0;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	if (prefix && *prefix) {
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_status_list_new(&list, g->repo, &opts) < 0)
		return git_fail(CRM_EIO, "cannot read the status");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n && !err; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		if (e->status == GIT_STATUS_CURRENT || e->status & GIT_STATUS_IGNORED || !d)
			continue;
		(*count_out)++;
		if (cb)
			err = cb(d->new_file.path ? d->new_file.path : d->old_file.path, payload);
	}
	git_status_list_free(list);
	return err;
}

/* One payload for every callback of a fetch or push. */
struct cred_state {
	int attempt;
	int port;                      /* of an ssh:// URL, for known_hosts */
	struct crm_sync_result *result;
};

static int try_key_file(git_credential **out, const char *user, const char *key)
{
	char pub[4096];
	FILE *f = fopen(key, "r");
	if (!f)
		return -1;
	fclose(f);
	snprintf(pub, sizeof(pub), "%s.pub", key);
	return git_credential_ssh_key_new(out, user, access(pub, R_OK) ? NULL : pub, key, NULL);
}

/* Asks git's credential helpers (`git credential fill`), as git itself
 * does for https: the helpers the user configured answer. */
static int helper_credentials(git_credential **out, const char *url, const char *user)
{
	char tmpl[] = "/tmp/crm-cred-XXXXXX", cmd[128], line[1024];
	char name[1024] = "", pass[1024] = "";
	FILE *f, *p;
	int fd, rc = -1;

	fd = mkstemp(tmpl);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmpl);
		return -1;
	}
	fprintf(f, "url=%s\n", url);
	if (user)
		fprintf(f, "username=%s\n", user);
	fputc('\n', f);
	fclose(f);
	/* never prompt on a terminal from inside crm: helpers only */
	snprintf(cmd, sizeof(cmd), "GIT_TERMINAL_PROMPT=0 git credential fill <%s 2>/dev/null", tmpl);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "username=", 9))
			snprintf(name, sizeof(name), "%s", line + 9);
		else if (!strncmp(line, "password=", 9))
			snprintf(pass, sizeof(pass), "%s", line + 9);
	}
	if (p && !pclose(p) && name[0] && pass[0])
		rc = git_credential_userpass_plaintext_new(out, name, pass);
	unlink(tmpl);
	memset(pass, 0, sizeof(pass));
	return rc;
}

static int credentials(git_credential **out, const char *url, const char *user_from_url,
		       unsigned int allowed, void *payload)
{
	struct cred_state *st = payload;
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	const char *user = user_from_url ? user_from_url : "git";
	const char *home = getenv("HOME"), *env_key = getenv("CRM_SSH_KEY");
	char path[4096];

	(void)url;
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		/* one try: a helper that answers wrongly would answer the same */
		if (st->attempt++ == 0 && !helper_credentials(out, url, user_from_url))
			return 0;
		git_error_set_str(GIT_ERROR_HTTP, "no credentials accepted; configure a git "
				  "credential helper (git config credential.helper ...)");
		return -1;
	}
	if (!(allowed & GIT_CREDENTIAL_SSH_KEY))
		return GIT_PASSTHROUGH;
	/* each call is one more try: agent, then the key files in turn */
	while (st->attempt < 5) {
		int a = st->attempt++;
		if (a == 0 && getenv("SSH_AUTH_SOCK"))
			return git_credential_ssh_key_from_agent(out, user);
		if (a == 1 && env_key && !try_key_file(out, user, env_key))
			return 0;
		if (a >= 2 && home) {
			snprintf(path, sizeof(path), "%s/.ssh/%s", home, keys[a - 2]);
			if (!try_key_file(out, user, path))
				return 0;
		}
	}
	git_error_set_str(GIT_ERROR_SSH, "no ssh credential was accepted (tried the agent, "
			  "$CRM_SSH_KEY and ~/.ssh/id_*)");
	return -1;
}

/* Decodes standard base64 into out; returns the length, or 0 on bad input. */
static size_t base64_decode(unsigned char *out, size_t cap, const char *in)
{
	static const char table[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0;

	for (; *in && *in != '='; in++) {
		const char *p = strchr(table, *in);
		if (!p || !*in)
			return 0;
		acc = (acc << 6) | (uint32_t)(p - table);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return 0;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n;
}

/* Does a known_hosts host field name `host` (on `port`)?  Hashed entries
 * (|1|...) are not matched: use plain ones, or the agent's ssh config. */
static bool host_matches(const char *field, size_t len, const char *host, int port)
{
	char want[300], item[300];
	const char *p = field, *end = field + len;

	if (port && port != 22)
		snprintf(want, sizeof(want), "[%s]:%d", host, port);
	else
		snprintf(want, sizeof(want), "%s", host);
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (!strcmp(item, want))
			return true;
		p += n + 1;
	}
	return false;
}

/* The ssh host key must be in ~/.ssh/known_hosts (or $CRM_KNOWN_HOSTS),
 * as OpenSSH would insist: an unknown key is refused with what to do. */
static int check_host_key(git_cert *cert, int valid, const char *host, void *payload)
{
	struct cred_state *st = payload;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;
	const char *env = getenv("CRM_KNOWN_HOSTS"), *home = getenv("HOME");
	unsigned char key[4096];
	char path[4096], line[8192];
	FILE *f;
	bool ok = false;

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return valid ? 0 : GIT_PASSTHROUGH;
	if (!(hk->type & GIT_CERT_SSH_RAW))
		return GIT_PASSTHROUGH;
	snprintf(path, sizeof(path), "%s%s", env ? env : home ? home : "",
		 env ? "" : "/.ssh/known_hosts");
	f = fopen(path, "r");
	while (f && !ok && fgets(line, sizeof(line), f)) {
		char *sp1 = strchr(line, ' '), *sp2, *nl;
		size_t n;
		if (!sp1 || line[0] == '#' || !host_matches(line, (size_t)(sp1 - line), host,
							    st->port))
			continue;
		sp2 = strchr(sp1 + 1, ' ');
		if (!sp2)
			continue;
		nl = strpbrk(sp2 + 1, " \n");
		if (nl)
			*nl = '\0';
		n = base64_decode(key, sizeof(key), sp2 + 1);
		ok = n == hk->hostkey_len && !memcmp(key, hk->hostkey, n);
	}
	if (f)
		fclose(f);
	if (ok)
		return 0;
	git_error_set_str(GIT_ERROR_SSH, "the host key of this server is not in your "
			  "known_hosts; connect once with ssh to check and record it");
	return -1;
}

static int push_status(const char *refname, const char *status, void *data)
{
	struct crm_sync_result *r = ((struct cred_state *)data)->result;
	if (status)
		snprintf(r->message, sizeof(r->message), "%s: %s", refname, status);
	return 0;
}

static int current_branch(git_repository *repo, char *out, size_t size)
{
	git_reference *head = NULL;
	int rc = git_repository_head(&head, repo);
	if (rc == GIT_EUNBORNBRANCH || rc < 0) {
		git_reference_free(head);
		return crm_error_set(CRM_ENOTFOUND, "there is no commit to sync yet");
	}
	if (!git_reference_is_branch(head)) {
		git_reference_free(head);
		return crm_error_set(CRM_EINVALID, "HEAD is detached; check out a branch first");
	}
	snprintf(out, size, "%s", git_reference_shorthand(head));
	git_reference_free(head);
	return 0;
}

static int fast_forward(git_repository *repo, const git_oid *target)
{
	git_checkout_options co;
	git_object *obj = NULL;
	git_reference *head = NULL, *moved = NULL;
	int err = 0;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_object_lookup(&obj, repo, target, GIT_OBJECT_COMMIT) < 0 ||
	    git_checkout_tree(repo, obj, &co) < 0 || git_repository_head(&head, repo) < 0 ||
	    git_reference_set_target(&moved, head, target, "crm sync: fast-forward") < 0)
		err = git_fail(CRM_EIO, "cannot fast-forward");
	git_reference_free(moved);
	git_reference_free(head);
	git_object_free(obj);
	return err;
}

static int first_conflict(git_index *index, struct crm_sync_result *r)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;
	if (git_index_conflict_iterator_new(&it, index) < 0)
		return 0;
	if (!git_index_conflict_next(&a, &o, &t, it)) {
		const git_index_entry *e = o ? o : t ? t : a;
		snprintf(r->conflict_path, sizeof(r->conflict_path), "%s", e->path);
	}
	git_index_conflict_iterator_free(it);
	return 0;
}

static int merge_commit(struct crm_git *g, const git_annotated_commit *theirs, const char *name,
			struct crm_sync_result *r)
{
	git_merge_options mo;
	git_checkout_options co;
	git_index *index = NULL;
	git_commit *ours = NULL, *other = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, id, head_id;
	const git_commit *parents[2];
	char *uname = NULL, *email = NULL;
	char msg[600];
	int err = 0;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS;
	merge_conflicts = 0;
	if (git_merge(g->repo, &theirs, 1, &mo, &co) < 0)
		return git_fail(CRM_ECONFLICT, "cannot merge");
	r->field_conflicts = merge_conflicts;
	if (git_repository_index(&index, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot read the index");
	if (git_index_has_conflicts(index)) {
		first_conflict(index, r);
		git_index_free(index);
		return 0;   /* left for the user, with git's merge state */
	}
	snprintf(msg, sizeof(msg), "crm: sync: merge %s", name);
	err = crm_git_identity(g, &uname, &email);
	if (!err)
		err = signature_for(&sig, g, uname, email, "GIT_COMMITTER_DATE");
	if (!err && (git_index_write_tree(&tree_id, index) < 0 ||
		     git_tree_lookup(&tree, g->repo, &tree_id) < 0 ||
		     git_reference_name_to_id(&head_id, g->repo, "HEAD") < 0 ||
		     git_commit_lookup(&ours, g->repo, &head_id) < 0 ||
		     git_commit_lookup(&other, g->repo, git_annotated_commit_id(theirs)) < 0))
		err = git_fail(CRM_EIO, "cannot write the merge");
	parents[0] = ours;
	parents[1] = other;
	if (!err && git_commit_create(&id, g->repo, "HEAD", sig, sig, NULL, msg, tree, 2,
				      parents) < 0)
		err = git_fail(CRM_EIO, "cannot commit the merge");
	if (!err) {
		git_repository_state_cleanup(g->repo);
		r->merged = true;
	}
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(other);
	git_index_free(index);
	free(uname);
	free(email);
	return err;
}

static int merge_upstream(struct crm_git *g, const char *remote, const char *branch,
			  struct crm_sync_result *r)
{
	git_reference *up = NULL;
	git_annotated_commit *ac = NULL;
	git_merge_analysis_t analysis;
	git_merge_preference_t pref;
	char name[512];
	int err = 0;

	snprintf(name, sizeof(name), "refs/remotes/%s/%s", remote, branch);
	if (git_reference_lookup(&up, g->repo, name) < 0) {
		r->up_to_date = true;   /* the remote has no such branch yet */
		return 0;
	}
	if (git_annotated_commit_from_ref(&ac, g->repo, up) < 0 ||
	    git_merge_analysis(&analysis, &pref, g->repo, (const git_annotated_commit **)&ac, 1) < 0)
		err = git_fail(CRM_EIO, "cannot compare with the remote");
	else if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE)
		r->up_to_date = true;
	else if (analysis & GIT_MERGE_ANALYSIS_FASTFORWARD) {
		err = fast_forward(g->repo, git_annotated_commit_id(ac));
		r->fast_forward = !err;
	} else {
		snprintf(name, sizeof(name), "%s/%s", remote, branch);
		err = merge_commit(g, ac, name, r);
	}
	git_annotated_commit_free(ac);
	git_reference_free(up);
	return err;
}

int crm_git_sync(struct crm_git *g, const char *remote_name, bool push,
		 struct crm_sync_result *r)
{
	git_remote *remote = NULL;
	git_fetch_options fo;
	git_push_options po;
	struct cred_state cs = { 0, 0, r };
	const char *url, *colon;
	char branch[256], spec[600];
	char *specs[1] = { spec };
	git_strarray refspecs = { specs, 1 };
	int err;

	memset(r, 0, sizeof(*r));
	cs.result = r;
	err = current_branch(g->repo, branch, sizeof(branch));
	if (err)
		return err;
	if (git_remote_lookup(&remote, g->repo, remote_name) < 0)
		return crm_error_set(CRM_ENOTFOUND, "no remote '%s'; add one with 'git remote add "
				     "%s URL'", remote_name, remote_name);
	url = git_remote_url(remote);
	colon = url && !strncmp(url, "ssh://", 6) ? strchr(strchr(url + 6, '@') ?
		strchr(url + 6, '@') : url + 6, ':') : NULL;
	cs.port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks.certificate_check = check_host_key;
	fo.callbacks.credentials = credentials;
	fo.callbacks.payload = &cs;
	if (git_remote_fetch(remote, NULL, &fo, "crm sync: fetch") < 0) {
		err = git_fail(CRM_EIO, "cannot fetch");
		goto done;
	}
	r->fetched = true;
	err = merge_upstream(g, remote_name, branch, r);
	if (err || !push || r->field_conflicts || r->conflict_path[0])
		goto done;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	cs.attempt = 0;
	po.callbacks.credentials = credentials;
	po.callbacks.payload = &cs;
	po.callbacks.push_update_reference = push_status;
	po.callbacks.certificate_check = check_host_key;
	snprintf(spec, sizeof(spec), "refs/heads/%s:refs/heads/%s", branch, branch);
	if (git_remote_push(remote, &refspecs, &po) < 0)
		err = git_fail(CRM_EIO, "cannot push");
	else if (r->message[0])
		err = crm_error_set(CRM_ECONFLICT, "the remote refused the push (%s); run 'crm "
				    "sync' again", r->message);
	else
		r->pushed = true;
done:
	git_remote_free(remote);
	return err;
}
