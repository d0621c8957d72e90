/* libgit2 behind crm's own small interface (include/crm/git.h).  The only
 * file that includes git2.h; every libgit2 error is passed on with its own
 * message. */
#include <git2.h>
#include <git2/sys/merge.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/arena.h"
#include "crm/buf.h"
#include "core/index/cache.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/map.h"

struct crm_git {
	git_repository *repo;
};

/* libgit2 keeps global state (its own counter among it); ours makes the
 * last crm_git freed shut it down, so valgrind sees nothing left over. */
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

/* git_fail for a libgit2 return code that may say more than `code`. */
static int git_fail_rc(int rc, int code, const char *doing)
{
	if (rc == GIT_ELOCKED)
		code = CRM_ELOCKED;
	else if (rc == GIT_EMODIFIED || rc == GIT_EUNMERGED || rc == GIT_ECONFLICT)
		code = CRM_ECONFLICT;
	else if (rc == GIT_EINVALIDSPEC)
		code = CRM_EINVALID;
	return git_fail(code, doing);
}

static int oom(void)
{
	return crm_error_set(CRM_ENOMEM, "out of memory");
}

static int wrap(struct crm_git **out, git_repository *repo)
{
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		git_repository_free(repo);
		lib_release();
		return oom();
	}
	(*out)->repo = repo;
	return 0;
}

static bool env_true(const char *name)
{
	const char *v = getenv(name);
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
		     !strcasecmp(v, "on"));
}

int crm_git_open(struct crm_git **out, const char *path)
{
	git_repository *repo = NULL;
	unsigned int flags = 0;
	int rc;

	*out = NULL;
	if (env_true("GIT_DISCOVERY_ACROSS_FILESYSTEM"))
		flags |= GIT_REPOSITORY_OPEN_CROSS_FS;
	lib_acquire();
	rc = git_repository_open_ext(&repo, path, flags, getenv("GIT_CEILING_DIRECTORIES"));
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
		return crm_error_set(CRM_EINVALID, "'%s' is in a bare repository, which has no "
				     "work tree", path);
	}
	return wrap(out, repo);
}

/* init.defaultBranch from the user's configuration, else "main". */
static int default_branch(char **out)
{
	git_config *cfg = NULL, *snap = NULL;
	git_buf b = GIT_BUF_INIT;
	int rc, err = 0;

	*out = NULL;
	rc = git_config_open_default(&cfg);
	if (!rc)
		rc = git_config_snapshot(&snap, cfg);
	if (!rc)
		rc = git_config_get_string_buf(&b, snap, "init.defaultBranch");
	if (rc < 0 && rc != GIT_ENOTFOUND)
		err = git_fail(CRM_EIO, "cannot read the git configuration");
	else if (!(*out = strdup(!rc && b.ptr[0] ? b.ptr : "main")))
		err = oom();
	git_buf_dispose(&b);
	git_config_free(snap);
	git_config_free(cfg);
	return err;
}

/* The nearest folder from `dir` upwards that exists (malloc'ed): a work
 * tree around a folder yet to be made is still the one it will be in. */
static char *existing_ancestor(const char *dir)
{
	char *p = strdup(dir), *slash;
	struct stat st;

	while (p && stat(p, &st) && (errno == ENOENT || errno == ENOTDIR)) {
		slash = strrchr(p, '/');
		if (!slash) {
			p[0] = '.';
			p[1] = '\0';
			break;
		}
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return p;
}

int crm_git_init(struct crm_git **out, const char *dir, bool *created_out)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	char *branch = NULL, *start;
	int rc;

	*out = NULL;
	*created_out = false;
	start = existing_ancestor(dir);
	if (!start)
		return oom();
	rc = crm_git_open(out, start);
	free(start);
	if (rc != CRM_ENOTFOUND)
		return rc;
	lib_acquire();
	rc = default_branch(&branch);
	if (rc) {
		lib_release();
		return rc;
	}
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
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
	struct crm_buf b = CRM_BUF_INIT;

	while (n && wd[n - 1] == '/')
		n--;
	if (strlen(dir) <= n + 1 || strncmp(dir, wd, n) || dir[n] != '/')
		return strdup("");
	if (crm_buf_addf(&b, "%s/", dir + n + 1)) {
		crm_buf_release(&b);
		return NULL;
	}
	return crm_buf_detach(&b, NULL);
}

/* ---- identity and dates ---- */

/* The first of: environment variable `env`, configuration keys `key1` and
 * `key2`, environment variable `env2` (any may be NULL).  *out is NULL when
 * none is set; an empty value counts as unset. */
static int ident_part(char **out, git_config *cfg, const char *env, const char *key1,
		      const char *key2, const char *env2)
{
	const char *keys[2] = { key1, key2 };
	const char *v = env ? getenv(env) : NULL;
	git_buf b = GIT_BUF_INIT;
	size_t i;
	int rc;

	*out = NULL;
	if (v && *v)
		return (*out = strdup(v)) ? 0 : oom();
	for (i = 0; i < 2 && !*out; i++) {
		if (!keys[i])
			continue;
		rc = git_config_get_string_buf(&b, cfg, keys[i]);
		if (rc < 0 && rc != GIT_ENOTFOUND) {
			git_buf_dispose(&b);
			return git_fail(CRM_EIO, "cannot read the git configuration");
		}
		if (!rc && b.ptr[0] && !(*out = strdup(b.ptr))) {
			git_buf_dispose(&b);
			return oom();
		}
		git_buf_dispose(&b);
	}
	v = env2 ? getenv(env2) : NULL;
	if (!*out && v && *v && !(*out = strdup(v)))
		return oom();
	return 0;
}

/* The author's ("AUTHOR") or the committer's ("COMMITTER") name and email
 * the way git's ident.c finds them. */
static int ident(struct crm_git *g, const char *who, char **name_out, char **email_out)
{
	char env_name[32], env_email[32], key_name[32], key_email[32];
	git_config *cfg = NULL;
	bool author = !strcmp(who, "AUTHOR");
	int err;

	*name_out = *email_out = NULL;
	snprintf(env_name, sizeof(env_name), "GIT_%s_NAME", who);
	snprintf(env_email, sizeof(env_email), "GIT_%s_EMAIL", who);
	snprintf(key_name, sizeof(key_name), "%s.name", author ? "author" : "committer");
	snprintf(key_email, sizeof(key_email), "%s.email", author ? "author" : "committer");
	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot read the git configuration");
	err = ident_part(name_out, cfg, env_name, key_name, "user.name", NULL);
	if (!err)
		err = ident_part(email_out, cfg, env_email, key_email, "user.email", "EMAIL");
	git_config_free(cfg);
	if (!err && (!*name_out || !*email_out))
		err = crm_error_set(CRM_ENOTFOUND, "%s identity unknown: tell git who you are with "
				    "'git config --global user.email \"you@example.com\"' and "
				    "'git config --global user.name \"Your Name\"' (without "
				    "--global for this repository only)",
				    author ? "author" : "committer");
	if (err) {
		free(*name_out);
		free(*email_out);
		*name_out = *email_out = NULL;
	}
	return err;
}

int crm_git_identity(struct crm_git *g, char **name_out, char **email_out)
{
	return ident(g, "AUTHOR", name_out, email_out);
}

/* The local zone's offset at instant `when`, minutes east of UTC. */
static int32_t local_offset(int64_t when)
{
	time_t t = (time_t)when;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (int32_t)(tm.tm_gmtoff / 60);
}

/* The instant of a wall-clock time in the local zone, given as if it were
 * UTC: the offset is looked up near the answer, twice for a zone change. */
static int64_t from_local(int64_t as_utc, int32_t *offset_min)
{
	int32_t off = local_offset(as_utc);
	int32_t again = local_offset(as_utc - (int64_t)off * 60);

	if (again != off)
		off = again;
	*offset_min = off;
	return as_utc - (int64_t)off * 60;
}

/* Reads `min` to `max` decimal digits at *s into *out and moves past them. */
static bool take_digits(const char **s, size_t min, size_t max, int *out)
{
	size_t n = 0;
	int v = 0;

	while (n < max && (*s)[n] >= '0' && (*s)[n] <= '9') {
		v = v * 10 + ((*s)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*s += n;
	*out = v;
	return true;
}

static void skip_spaces(const char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
}

/* A zone: "Z", "UTC", "GMT", "+HH", "+HHMM", "+HH:MM" (or '-').  Moves *s
 * past it; false when there is none. */
static bool take_zone(const char **s, int32_t *out)
{
	const char *p = *s;
	int sign, hh, mm = 0;

	if (*p == 'Z' || *p == 'z') {
		*s = p + 1;
		*out = 0;
		return true;
	}
	if (!strncmp(p, "UTC", 3) || !strncmp(p, "GMT", 3)) {
		*s = p + 3;
		*out = 0;
		return true;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!take_digits(&p, 2, 2, &hh))
		return false;
	if (*p == ':')
		p++;
	if (*p >= '0' && *p <= '9' && !take_digits(&p, 2, 2, &mm))
		return false;
	if (hh > 23 || mm > 59)
		return false;
	*out = sign * (hh * 60 + mm);
	*s = p;
	return true;
}

/* HH:MM[:SS[.fraction]] */
static bool take_time(const char **s, int *h, int *mi, int *sec)
{
	const char *p = *s;
	int frac;

	*sec = 0;
	if (!take_digits(&p, 1, 2, h) || *p++ != ':' || !take_digits(&p, 2, 2, mi))
		return false;
	if (*p == ':') {
		p++;
		if (!take_digits(&p, 2, 2, sec))
			return false;
		if (*p == '.' || *p == ',') {
			p++;
			if (!take_digits(&p, 1, 9, &frac))
				return false;
			while (*p >= '0' && *p <= '9')
				p++;   /* fractions of a second: git drops them too */
		}
	}
	if (*h > 23 || *mi > 59 || *sec > 60)
		return false;
	*s = p;
	return true;
}

/* "@1717243200 +0000", "1717243200 +0000", "@1717243200". */
static bool parse_raw(int64_t *when, int32_t *offset_min, const char *s)
{
	const char *p = s + (*s == '@');
	char *end;
	long long v;

	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno || (*end && *end != ' '))
		return false;
	/* like git, a bare number is seconds only from nine digits on */
	if (*s != '@' && end - p < 9)
		return false;
	p = end;
	skip_spaces(&p);
	*offset_min = 0;
	if (*p && !take_zone(&p, offset_min))
		return false;
	if (*p)
		return false;
	*when = (int64_t)v;
	return true;
}

/* "2025-06-01T12:00:00Z", "2025-06-01 12:00:00 +0200", ... */
static bool parse_iso(int64_t *when, int32_t *offset_min, const char *s)
{
	const char *p = s;
	int y, m, d, h, mi, sec;
	int32_t off;
	bool zone;
	int64_t t;

	if (!take_digits(&p, 4, 4, &y) || *p++ != '-' || !take_digits(&p, 2, 2, &m) ||
	    *p++ != '-' || !take_digits(&p, 2, 2, &d) || !crm_date_valid(y, m, d))
		return false;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	if (!take_time(&p, &h, &mi, &sec))
		return false;
	skip_spaces(&p);
	zone = take_zone(&p, &off);
	if (*p)
		return false;
	t = (int64_t)crm_date_from_ymd(y, m, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (zone) {
		*when = t - (int64_t)off * 60;
		*offset_min = off;
	} else {
		*when = from_local(t, offset_min);
	}
	return true;
}

/* "Sun, 01 Jun 2025 12:00:00 +0200" (the weekday optional). */
static bool parse_rfc2822(int64_t *when, int32_t *offset_min, const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = s, *comma = strchr(s, ',');
	int y, m, d, h, mi, sec;
	int32_t off;
	size_t i;

	if (comma)
		p = comma + 1;
	skip_spaces(&p);
	if (!take_digits(&p, 1, 2, &d) || *p++ != ' ')
		return false;
	for (i = 0, m = 0; i < 12 && !m; i++) {
		if (!strncasecmp(p, months + 3 * i, 3))
			m = (int)i + 1;
	}
	if (!m || p[3] != ' ')
		return false;
	p += 4;
	if (!take_digits(&p, 4, 4, &y) || *p++ != ' ' || !crm_date_valid(y, m, d) ||
	    !take_time(&p, &h, &mi, &sec))
		return false;
	skip_spaces(&p);
	if (!take_zone(&p, &off) || *p)
		return false;
	*when = (int64_t)crm_date_from_ymd(y, m, d) * 86400 + h * 3600 + mi * 60 + sec -
		(int64_t)off * 60;
	*offset_min = off;
	return true;
}

static bool parse_date(int64_t *when, int32_t *offset_min, const char *s)
{
	return parse_raw(when, offset_min, s) || parse_iso(when, offset_min, s) ||
	       parse_rfc2822(when, offset_min, s);
}

int crm_git_parse_date(int64_t *when, int32_t *offset_min, const char *s)
{
	if (parse_date(when, offset_min, s))
		return 0;
	return crm_error_set(CRM_EINVALID, "invalid date format '%s'", s);
}

/* A signature for `who` ("AUTHOR" or "COMMITTER") dated by GIT_<who>_DATE
 * when set, else now. */
static int signature_for(git_signature **out, struct crm_git *g, const char *who)
{
	char env[32], *name = NULL, *email = NULL;
	const char *date;
	int64_t when = (int64_t)time(NULL);
	int32_t offset = local_offset(when);
	int err;

	*out = NULL;
	snprintf(env, sizeof(env), "GIT_%s_DATE", who);
	date = getenv(env);
	err = ident(g, who, &name, &email);
	if (!err && date && *date && !parse_date(&when, &offset, date))
		err = crm_error_set(CRM_EINVALID, "invalid date format '%s' in %s", date, env);
	if (!err && git_signature_new(out, name, email, (git_time_t)when, offset) < 0)
		err = git_fail(CRM_EINVALID, "invalid identity");
	free(name);
	free(email);
	return err;
}

/* Everything a commit needs besides its tree and parent, made before any
 * change: a missing identity or a bad date leaves the index untouched. */
struct commit_meta {
	git_signature *author, *committer;
	git_buf message;
};

static int meta_init(struct commit_meta *m, struct crm_git *g, const char *message)
{
	git_buf clean = GIT_BUF_INIT;
	int err;

	memset(m, 0, sizeof(*m));
	err = signature_for(&m->author, g, "AUTHOR");
	if (!err)
		err = signature_for(&m->committer, g, "COMMITTER");
	/* cleaned as `git commit -m` does: no trailing blanks, one final
	 * newline; comment lines stay */
	if (!err && git_message_prettify(&clean, message ? message : "", 0, '#') < 0)
		err = git_fail(CRM_EINVALID, "bad commit message");
	if (!err && !clean.size)
		err = crm_error_set(CRM_EINVALID, "empty commit message");
	m->message = clean;
	return err;
}

static void meta_release(struct commit_meta *m)
{
	git_signature_free(m->author);
	git_signature_free(m->committer);
	git_buf_dispose(&m->message);
	memset(m, 0, sizeof(*m));
}

/* ---- committing ---- */

/* Refuses while the index or the repository is in the middle of something
 * a commit of ours would cut across. */
static int refuse_unfinished(git_repository *repo, git_index *index)
{
	const char *what = NULL;

	if (git_index_has_conflicts(index))
		return crm_error_set(CRM_ECONFLICT, "the git index has unmerged files; resolve "
				     "them ('git add' or 'git rm') and commit first");
	switch (git_repository_state(repo)) {
	case GIT_REPOSITORY_STATE_MERGE:
		what = "merge";
		break;
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		what = "revert";
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		what = "cherry-pick";
		break;
	default:
		return 0;
	}
	return crm_error_set(CRM_ECONFLICT, "a %s is in progress; finish it with 'git commit' "
			     "(or abort it) first", what);
}

/* The repository's index, brought up to date with the file on disk (an
 * earlier `git add` of the user's, or another crm process). */
static int load_index(git_index **out, git_repository *repo)
{
	int rc;

	*out = NULL;
	rc = git_repository_index(out, repo);
	if (!rc)
		rc = git_index_read(*out, 0);
	if (rc < 0) {
		rc = git_fail_rc(rc, CRM_EIO, "cannot read the git index");
		git_index_free(*out);
		*out = NULL;
	}
	return rc;
}

/* HEAD's commit into *out, NULL on an unborn branch. */
static int head_commit(git_commit **out, git_repository *repo)
{
	git_oid id;
	int rc;

	*out = NULL;
	rc = git_reference_name_to_id(&id, repo, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return 0;
	if (rc < 0 || git_commit_lookup(out, repo, &id) < 0)
		return git_fail(CRM_EIO, "cannot read HEAD");
	return 0;
}

/* Stages `path` in the repository's index from the work tree: added when
 * it exists, removed (a folder with everything below it) when not. */
static int stage_path(git_index *index, const char *workdir, const char *path)
{
	struct crm_buf full = CRM_BUF_INIT;
	struct stat st;
	int rc, err = 0;

	if (!*path || path[0] == '/')
		return crm_error_set(CRM_EINVALID, "cannot commit '%s': not a path inside the "
				     "work tree", path);
	if (crm_buf_addf(&full, "%s%s", workdir, path))
		return oom();
	if (!lstat(full.ptr, &st)) {
		if (S_ISDIR(st.st_mode))
			err = crm_error_set(CRM_EINVALID, "cannot commit '%s': it is a folder; "
					    "name its files", path);
		else if (git_index_add_bypath(index, path) < 0)
			err = git_fail(CRM_EIO, "cannot stage a file");
	} else if (errno == ENOENT || errno == ENOTDIR) {
		rc = git_index_remove_bypath(index, path);
		if (!rc)
			rc = git_index_remove_directory(index, path, 0);
		if (rc < 0 && rc != GIT_ENOTFOUND)
			err = git_fail(CRM_EIO, "cannot unstage a file");
	} else {
		err = crm_error_errno(CRM_EIO, "cannot read '%s'", full.ptr);
	}
	crm_buf_release(&full);
	return err;
}

/* The tree of `parent` (none: empty) with `paths` as the index now has
 * them, written to the object database: what `git commit --only` commits. */
static int only_tree(git_oid *out, git_repository *repo, git_index *index,
		     git_commit *parent, const char *const *paths, size_t npaths)
{
	git_index *tmp = NULL;
	git_tree *base = NULL;
	const git_index_entry *e;
	size_t i;
	int rc;

	rc = git_index_new(&tmp);
	if (!rc && parent)
		rc = git_commit_tree(&base, parent);
	if (!rc && base)
		rc = git_index_read_tree(tmp, base);
	for (i = 0; !rc && i < npaths; i++) {
		e = git_index_get_bypath(index, paths[i], 0);
		if (e) {
			rc = git_index_add(tmp, e);
			continue;
		}
		rc = git_index_remove(tmp, paths[i], 0);
		if (rc == GIT_ENOTFOUND)
			rc = 0;
		if (!rc)
			rc = git_index_remove_directory(tmp, paths[i], 0);
		if (rc == GIT_ENOTFOUND)
			rc = 0;
	}
	if (!rc)
		rc = git_index_write_tree_to(out, tmp, repo);
	if (rc < 0)
		rc = git_fail(CRM_EIO, "cannot write the tree");
	git_tree_free(base);
	git_index_free(tmp);
	return rc;
}

/* `tree` (NULL: none) with the entry at `path` replaced by `e` (NULL:
 * removed, a folder with everything below it), written to the object
 * database as *out; *empty_out tells that nothing is left.  Only the trees
 * on the path are read and written, so the cost does not grow with the
 * repository (what `git commit` does with its cache-tree). */
static int replace_in_tree(git_oid *out, bool *empty_out, git_repository *repo,
			   const git_tree *tree, const char *path, const git_index_entry *e)
{
	const char *slash = strchr(path, '/');
	git_treebuilder *tb = NULL;
	git_tree *sub = NULL;
	char name[1024];
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	int rc;

	if (!n || n >= sizeof(name))
		return -1;
	memcpy(name, path, n);
	name[n] = '\0';
	rc = git_treebuilder_new(&tb, repo, tree);
	if (!rc && slash) {
		const git_tree_entry *te = tree ? git_tree_entry_byname(tree, name) : NULL;
		git_oid sub_id;
		bool empty = false;

		if (te && git_tree_entry_type(te) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&sub, repo, git_tree_entry_id(te));
		if (!rc)
			rc = replace_in_tree(&sub_id, &empty, repo, sub, slash + 1, e);
		if (!rc && empty) {
			rc = git_treebuilder_remove(tb, name);
			if (rc == GIT_ENOTFOUND)
				rc = 0;
		} else if (!rc)
			rc = git_treebuilder_insert(NULL, tb, name, &sub_id, GIT_FILEMODE_TREE);
	} else if (!rc && e) {
		rc = git_treebuilder_insert(NULL, tb, name, &e->id, (git_filemode_t)e->mode);
	} else if (!rc) {
		rc = git_treebuilder_remove(tb, name);
		if (rc == GIT_ENOTFOUND)
			rc = 0;
	}
	if (!rc) {
		*empty_out = git_treebuilder_entrycount(tb) == 0;
		rc = git_treebuilder_write(out, tb);
	}
	git_tree_free(sub);
	git_treebuilder_free(tb);
	return rc;
}

/* What only_tree makes, for a few paths: their trees rewritten one path
 * at a time from `parent`'s. */
static int path_tree(git_oid *out, git_repository *repo, git_index *index,
		     git_commit *parent, const char *const *paths, size_t npaths)
{
	git_tree *tree = NULL, *next = NULL;
	git_oid id;
	size_t i;
	bool empty;
	int rc = git_commit_tree(&tree, parent);

	for (i = 0; !rc && i < npaths; i++) {
		rc = replace_in_tree(&id, &empty, repo, tree, paths[i],
				     git_index_get_bypath(index, paths[i], 0));
		if (!rc)
			rc = git_tree_lookup(&next, repo, &id);
		git_tree_free(tree);
		tree = next;
		next = NULL;
	}
	if (!rc)
		git_oid_cpy(out, git_tree_id(tree));
	git_tree_free(tree);
	return rc < 0 ? git_fail(CRM_EIO, "cannot write the tree") : 0;
}

/* Commits tree `tree_id` on HEAD with `parent` (NULL: a root commit). */
static int make_commit(struct crm_git *g, char out_id[41], const struct commit_meta *m,
		       git_commit *parent, const git_oid *tree_id)
{
	git_tree *tree = NULL;
	git_oid id;
	int rc, err = 0;

	if (git_tree_lookup(&tree, g->repo, tree_id) < 0)
		return git_fail(CRM_EIO, "cannot read the new tree");
	rc = git_commit_create(&id, g->repo, "HEAD", m->author, m->committer, NULL,
			       m->message.ptr, tree, parent ? 1 : 0,
			       (const git_commit **)&parent);
	if (rc < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot commit");
	else
		git_oid_tostr(out_id, 41, &id);
	git_tree_free(tree);
	return err;
}

/* What every commit starts from: identity and dates, the index (refused
 * while a merge is unfinished) and HEAD's commit (NULL on an unborn
 * branch). */
static int commit_begin(struct commit_meta *meta, git_index **index, git_commit **parent,
			struct crm_git *g, const char *message)
{
	int err = meta_init(meta, g, message);
	if (!err)
		err = load_index(index, g->repo);
	if (!err)
		err = refuse_unfinished(g->repo, *index);
	if (!err)
		err = head_commit(parent, g->repo);
	return err;
}

int crm_git_commit(struct crm_git *g, char out_id[41], const char *const *paths,
		   size_t npaths, const char *message)
{
	struct commit_meta meta;
	git_index *index = NULL;
	git_commit *parent = NULL;
	git_oid tree_id;
	size_t i;
	int rc, err;

	out_id[0] = '\0';
	err = commit_begin(&meta, &index, &parent, g, message);
	for (i = 0; !err && i < npaths; i++)
		err = stage_path(index, git_repository_workdir(g->repo), paths[i]);
	/* a few paths below an existing commit: rewrite only their trees */
	if (!err && parent && npaths <= 64)
		err = path_tree(&tree_id, g->repo, index, parent, paths, npaths);
	else if (!err)
		err = only_tree(&tree_id, g->repo, index, parent, paths, npaths);
	if (!err && (rc = git_index_write(index)) < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot write the git index");
	if (!err)
		err = make_commit(g, out_id, &meta, parent, &tree_id);
	git_commit_free(parent);
	git_index_free(index);
	meta_release(&meta);
	return err;
}

int crm_git_commit_all(struct crm_git *g, char out_id[41], const char *message)
{
	struct commit_meta meta;
	git_index *index = NULL;
	git_commit *parent = NULL;
	git_oid tree_id;
	int rc, err;

	out_id[0] = '\0';
	err = commit_begin(&meta, &index, &parent, g, message);
	if (!err && (git_index_add_all(index, NULL, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
		     git_index_update_all(index, NULL, NULL, NULL) < 0))
		err = git_fail(CRM_EIO, "cannot stage the work tree");
	if (!err && (rc = git_index_write(index)) < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot write the git index");
	if (!err && git_index_write_tree(&tree_id, index) < 0)
		err = git_fail(CRM_EIO, "cannot write the tree");
	if (!err)
		err = make_commit(g, out_id, &meta, parent, &tree_id);
	git_commit_free(parent);
	git_index_free(index);
	meta_release(&meta);
	return err;
}

/* ---- history ---- */

struct added_state {
	struct crm_map paths;     /* path -> struct added (NULL once deleted) */
	struct crm_arena arena;
	struct added *now;        /* the date of the commit being read */
};

struct added {
	int64_t when;
	int32_t offset;
};

/* Records `date` for `path`; NULL marks it deleted. */
static int remember_path(struct added_state *st, const char *path, struct added *date)
{
	const char *key = path;

	if (date && !crm_map_get(&st->paths, path)) {
		/* a new key must outlive the diff it came from */
		key = crm_arena_strdup(&st->arena, path);
		if (!key)
			return -1;
	}
	if (!date && !crm_map_get(&st->paths, path))
		return 0;
	/* an existing key stays the map's key; only the value changes */
	return crm_map_put(&st->paths, key, date, NULL) ? -1 : 0;
}

static int on_delta(const git_diff_delta *d, float progress, void *payload)
{
	struct added_state *st = payload;
	struct added *was;

	(void)progress;
	switch (d->status) {
	case GIT_DELTA_DELETED:
		return remember_path(st, d->old_file.path, NULL);
	case GIT_DELTA_ADDED:
		return remember_path(st, d->new_file.path, st->now);
	case GIT_DELTA_RENAMED:
		was = crm_map_get(&st->paths, d->old_file.path);
		if (remember_path(st, d->old_file.path, NULL))
			return -1;
		return remember_path(st, d->new_file.path, was ? was : st->now);
	default:
		return 0;
	}
}

static int diff_commit(git_repository *repo, git_commit *c, struct added_state *st)
{
	const git_signature *author = git_commit_author(c);
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_diff_find_options fo;
	git_diff_options dopts;
	size_t i, n;
	bool deletions = false;
	int rc;

	st->now = crm_arena_alloc(&st->arena, sizeof(*st->now));
	if (!st->now)
		return -1;
	st->now->when = (int64_t)author->when.time;
	st->now->offset = author->when.offset;
	rc = git_commit_tree(&tree, c);
	if (!rc && git_commit_parentcount(c) > 0) {
		rc = git_commit_parent(&parent, c, 0);
		if (!rc)
			rc = git_commit_tree(&ptree, parent);
	}
	/* only names and statuses matter here */
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	if (!rc)
		rc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &dopts);
	n = rc ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !deletions; i++)
		deletions = git_diff_get_delta(diff, i)->status == GIT_DELTA_DELETED;
	if (!rc && deletions) {
		/* only a commit that deleted something can have renamed it */
		git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
		fo.flags = GIT_DIFF_FIND_RENAMES;
		rc = git_diff_find_similar(diff, &fo);
	}
	/* not git_diff_foreach: it loads a diff driver per file, through the
	 * attributes, which is a realpath() per path */
	n = rc ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !rc; i++)
		rc = on_delta(git_diff_get_delta(diff, i), 0, st);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc;
}

/* Calls step with every commit of HEAD's first-parent chain, oldest first
 * (nothing on an unborn branch). */
static int walk_first_parents(struct crm_git *g,
			      int (*step)(git_repository *repo, git_commit *c, void *state),
			      void *state)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc, err = 0;

	if (git_revwalk_new(&walk, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot walk the history");
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_revwalk_simplify_first_parent(walk);
	rc = git_repository_head_unborn(g->repo);
	if (rc == 1)
		goto done;   /* no commit yet */
	if (!rc)
		rc = git_revwalk_push_head(walk);
	if (rc < 0) {
		err = git_fail(CRM_EIO, "cannot walk the history");
		goto done;
	}
	while (!err && !(rc = git_revwalk_next(&id, walk))) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id) < 0 || step(g->repo, c, state) < 0)
			err = git_fail(CRM_EIO, "cannot read the history");
		git_commit_free(c);
	}
	if (!err && rc != GIT_ITEROVER)
		err = git_fail(CRM_EIO, "cannot walk the history");
done:
	git_revwalk_free(walk);
	return err;
}

static int added_step(git_repository *repo, git_commit *c, void *state)
{
	return diff_commit(repo, c, state);
}

int crm_git_added_dates(struct crm_git *g,
			int (*cb)(const char *path, int64_t commit_time, int32_t offset_min,
				  void *payload),
			void *payload)
{
	struct added_state st;
	struct crm_map_slot *slot;
	size_t pos = 0;
	int err;

	memset(&st, 0, sizeof(st));
	crm_arena_init(&st.arena);
	err = walk_first_parents(g, added_step, &st);
	while (!err && (slot = crm_map_next(&st.paths, &pos))) {
		const struct added *a = slot->value;
		if (a)
			err = cb(slot->key, a->when, a->offset, payload);
	}
	crm_map_release(&st.paths);
	crm_arena_release(&st.arena);
	return err;
}

/* ---- the version each file had when it was added ---- */

struct first_state {
	struct crm_map paths;     /* path -> git_oid of its blob when added (NULL once deleted) */
	struct crm_arena arena;
	const char *prefix;       /* the folder compared */
};

static int on_first_delta(const git_diff_delta *d, float progress, void *payload)
{
	struct first_state *st = payload;
	const char *key = d->new_file.path;
	git_oid *blob;

	(void)progress;
	if (d->status == GIT_DELTA_DELETED)
		return crm_map_get(&st->paths, d->old_file.path)
			? (crm_map_put(&st->paths, d->old_file.path, NULL, NULL) ? -1 : 0) : 0;
	if (d->status != GIT_DELTA_ADDED || crm_map_get(&st->paths, key))
		return 0;
	blob = crm_arena_alloc(&st->arena, sizeof(*blob));
	if (!blob)
		return -1;
	git_oid_cpy(blob, &d->new_file.id);
	/* the key must outlive the diff it came from */
	key = crm_arena_strdup(&st->arena, key);
	if (!key)
		return -1;
	return crm_map_put(&st->paths, key, blob, NULL) ? -1 : 0;
}

static int first_versions_of(git_repository *repo, git_commit *c, void *state)
{
	struct first_state *st = state;
	const char *prefix = st->prefix;
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec[1] = { (char *)prefix };
	size_t i, n;
	int rc;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		/* a literal folder prefix: only its files are compared */
		opts.pathspec.strings = spec;
		opts.pathspec.count = 1;
		opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	rc = git_commit_tree(&tree, c);
	if (!rc && git_commit_parentcount(c) > 0) {
		rc = git_commit_parent(&parent, c, 0);
		if (!rc)
			rc = git_commit_tree(&ptree, parent);
	}
	if (!rc)
		rc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &opts);
	/* deltas one by one, not git_diff_foreach: that reads the attributes
	 * for a diff driver per file, which loads git's whole index */
	n = rc ? 0 : git_diff_num_deltas(diff);
	for (i = 0; i < n && !rc; i++)
		rc = on_first_delta(git_diff_get_delta(diff, i), 0, st);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc;
}

int crm_git_first_versions(struct crm_git *g, const char *prefix,
			   int (*cb)(const char *path, const char *data, size_t len, void *payload),
			   void *payload)
{
	struct first_state st;
	struct crm_map_slot *slot;
	size_t pos = 0;
	int err;

	memset(&st, 0, sizeof(st));
	crm_arena_init(&st.arena);
	st.prefix = prefix;
	err = walk_first_parents(g, first_versions_of, &st);
	while (!err && (slot = crm_map_next(&st.paths, &pos))) {
		git_blob *blob = NULL;
		if (!slot->value)
			continue;
		if (git_blob_lookup(&blob, g->repo, slot->value) < 0) {
			err = git_fail(CRM_EIO, "cannot read a file's first version");
			break;
		}
		err = cb(slot->key, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
			 payload);
		git_blob_free(blob);
	}
	crm_map_release(&st.paths);
	crm_arena_release(&st.arena);
	return err;
}

static int lookup_commit(git_commit **out, git_repository *repo, const char *rev);

int crm_git_merge_base(struct crm_git *g, char out_id[41], const char *a, const char *b)
{
	git_commit *ca = NULL, *cb = NULL;
	git_oid base;
	int rc, err = lookup_commit(&ca, g->repo, a);

	if (!err)
		err = lookup_commit(&cb, g->repo, b);
	if (!err) {
		rc = git_merge_base(&base, g->repo, git_commit_id(ca), git_commit_id(cb));
		if (rc == GIT_ENOTFOUND)
			err = crm_error_set(CRM_ENOTFOUND, "'%s' and '%s' have no common history", a, b);
		else if (rc < 0)
			err = git_fail(CRM_EIO, "cannot find the merge base");
		else
			git_oid_tostr(out_id, 41, &base);
	}
	git_commit_free(ca);
	git_commit_free(cb);
	return err;
}

int crm_git_head(struct crm_git *g, char out_id[41], char short_out[9])
{
	git_oid id;
	char full[41];
	int rc = git_reference_name_to_id(&id, g->repo, "HEAD");

	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return crm_error_set(CRM_ENOTFOUND, "the repository has no commit yet");
	if (rc < 0)
		return git_fail(CRM_EIO, "cannot read HEAD");
	git_oid_tostr(full, sizeof(full), &id);
	if (out_id)
		memcpy(out_id, full, 41);
	if (short_out)
		snprintf(short_out, 9, "%.8s", full);
	return 0;
}

/* "YYYY-MM-DD" in form (validity is crm_date_parse's business). */
static bool looks_like_date(const char *s)
{
	size_t i;

	if (strlen(s) != 10)
		return false;
	for (i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	}
	return true;
}

/* The newest commit on HEAD's first-parent chain made before `end`. */
static int commit_before(git_oid *out, git_repository *repo, int64_t end, const char *day)
{
	git_commit *c = NULL, *parent = NULL;
	int err = head_commit(&c, repo);

	while (!err && c && (int64_t)git_commit_time(c) >= end) {
		if (!git_commit_parentcount(c)) {
			git_commit_free(c);
			c = NULL;
			break;
		}
		if (git_commit_parent(&parent, c, 0) < 0)
			err = git_fail(CRM_EIO, "cannot read the history");
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	if (!err && !c)
		err = crm_error_set(CRM_ENOTFOUND, "no commit on HEAD before the end of %s", day);
	if (!err)
		git_oid_cpy(out, git_commit_id(c));
	git_commit_free(c);
	return err;
}

/* `rev` (NULL: HEAD) peeled to a commit. */
static int lookup_commit(git_commit **out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	if (!rev)
		rev = "HEAD";
	rc = git_revparse_single(&obj, repo, rev);
	if (!rc)
		rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC ||
	    rc == GIT_EPEEL || rc == GIT_EUNBORNBRANCH)
		return crm_error_set(CRM_ENOTFOUND, "unknown revision '%s': %s", rev,
				     git_error_last() ? git_error_last()->message : "not found");
	if (rc < 0)
		return git_fail(CRM_EIO, "cannot read a revision");
	return 0;
}

int crm_git_resolve_at(struct crm_git *g, char out_id[41], const char *rev_or_date)
{
	git_commit *c = NULL;
	crm_date day;
	git_oid id;
	int err;

	out_id[0] = '\0';
	if (looks_like_date(rev_or_date)) {
		err = crm_date_parse(&day, rev_or_date, 10);
		if (!err)
			err = commit_before(&id, g->repo, ((int64_t)day + 1) * 86400, rev_or_date);
		if (!err)
			git_oid_tostr(out_id, 41, &id);
		return err;
	}
	err = lookup_commit(&c, g->repo, rev_or_date);
	if (!err)
		git_oid_tostr(out_id, 41, git_commit_id(c));
	git_commit_free(c);
	return err;
}

int crm_git_commit_time(struct crm_git *g, const char *commit_id, int64_t *when,
			int32_t *offset_min)
{
	git_commit *c = NULL;
	int err = lookup_commit(&c, g->repo, commit_id);

	if (!err) {
		*when = (int64_t)git_commit_time(c);
		*offset_min = (int32_t)git_commit_time_offset(c);
	}
	git_commit_free(c);
	return err;
}

int crm_git_read_file_at(struct crm_git *g, const char *commit_id, const char *path,
			 char **data_out, size_t *len_out)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int err;

	*data_out = NULL;
	*len_out = 0;
	err = lookup_commit(&c, g->repo, commit_id);
	if (!err && git_commit_tree(&tree, c) < 0)
		err = git_fail(CRM_EIO, "cannot read the commit");
	if (err)
		goto done;
	if (git_tree_entry_bypath(&entry, tree, path) < 0 ||
	    git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not in commit %.8s", path,
				    git_oid_tostr_s(git_commit_id(c)));
		goto done;
	}
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(entry)) < 0) {
		err = git_fail(CRM_EIO, "cannot read a file of the commit");
		goto done;
	}
	*len_out = (size_t)git_blob_rawsize(blob);
	*data_out = malloc(*len_out + 1);
	if (!*data_out) {
		*len_out = 0;
		err = oom();
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

struct list_state {
	const char *base;         /* the folder walked, "" or "a/b/" */
	const char *prefix;
	size_t prefix_len;
	struct crm_buf path;
	int (*cb)(const char *path, void *payload);
	void *payload;
	int err;                  /* what cb or we returned to stop the walk */
};

static int list_entry(const char *root, const git_tree_entry *e, void *payload)
{
	struct list_state *st = payload;
	git_object_t type = git_tree_entry_type(e);
	size_t n;

	crm_buf_reset(&st->path);
	if (crm_buf_addf(&st->path, "%s%s%s%s", st->base, root, git_tree_entry_name(e),
			 type == GIT_OBJECT_TREE ? "/" : "")) {
		st->err = oom();
		return -1;
	}
	n = st->path.len < st->prefix_len ? st->path.len : st->prefix_len;
	if (strncmp(st->path.ptr, st->prefix, n))
		return 1;   /* outside the prefix: skip it (and all below) */
	if (type != GIT_OBJECT_BLOB || st->path.len < st->prefix_len)
		return 0;
	st->err = st->cb(st->path.ptr, st->payload);
	return st->err ? -1 : 0;
}

int crm_git_list_files_at(struct crm_git *g, const char *commit_id, const char *prefix,
			  int (*cb)(const char *path, void *payload), void *payload)
{
	struct list_state st;
	git_commit *c = NULL;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *entry = NULL;
	char *base = NULL;
	const char *slash;
	int rc, err;

	memset(&st, 0, sizeof(st));
	crm_buf_init(&st.path);
	st.prefix = prefix ? prefix : "";
	st.prefix_len = strlen(st.prefix);
	st.cb = cb;
	st.payload = payload;
	err = lookup_commit(&c, g->repo, commit_id);
	if (!err && git_commit_tree(&tree, c) < 0)
		err = git_fail(CRM_EIO, "cannot read the commit");
	if (err)
		goto done;
	/* start in the deepest folder the prefix names, not at the root */
	slash = strrchr(st.prefix, '/');
	base = strndup(st.prefix, slash ? (size_t)(slash - st.prefix) + 1 : 0);
	if (!base) {
		err = oom();
		goto done;
	}
	st.base = base;
	if (*base) {
		base[strlen(base) - 1] = '\0';
		rc = git_tree_entry_bypath(&entry, tree, base);
		base[strlen(base)] = '/';
		if (rc == GIT_ENOTFOUND || (!rc && git_tree_entry_type(entry) != GIT_OBJECT_TREE))
			goto done;   /* no such folder: nothing to list */
		if (rc < 0 || git_tree_lookup(&sub, g->repo, git_tree_entry_id(entry)) < 0) {
			err = git_fail(CRM_EIO, "cannot read a folder of the commit");
			goto done;
		}
	}
	rc = git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, list_entry, &st);
	if (st.err)
		err = st.err;
	else if (rc < 0)
		err = git_fail(CRM_EIO, "cannot read the files of the commit");
done:
	crm_buf_release(&st.path);
	free(base);
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(c);
	return err;
}

/* ---- configuration ---- */

/* The repository's own configuration file, alone. */
static int local_config(git_config **out, git_repository *repo)
{
	git_config *cfg = NULL;
	int rc = git_repository_config(&cfg, repo);

	*out = NULL;
	if (!rc)
		rc = git_config_open_level(out, cfg, GIT_CONFIG_LEVEL_LOCAL);
	git_config_free(cfg);
	return rc < 0 ? git_fail(CRM_EIO, "cannot open the repository's git configuration") : 0;
}

int crm_git_config_set(struct crm_git *g, const char *key, const char *value)
{
	git_config *local = NULL;
	int rc, err = local_config(&local, g->repo);

	if (!err && (rc = git_config_set_string(local, key, value)) < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot write the git configuration");
	git_config_free(local);
	return err;
}

int crm_git_config_get(struct crm_git *g, const char *key, char **out)
{
	git_config *local = NULL;
	git_buf b = GIT_BUF_INIT;
	int rc, err;

	*out = NULL;
	err = local_config(&local, g->repo);
	if (err)
		return err;
	rc = git_config_get_string_buf(&b, local, key);
	if (rc == GIT_ENOTFOUND)
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not set in the repository's git "
				    "configuration", key);
	else if (rc < 0)
		err = git_fail_rc(rc, CRM_EIO, "cannot read the git configuration");
	else if (!(*out = strdup(b.ptr)))
		err = oom();
	git_buf_dispose(&b);
	git_config_free(local);
	return err;
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

int crm_git_status_dirty(struct crm_git *g, const char *prefix,
			 int (*cb)(const char *path, void *payload), void *payload)
{
	git_status_options opts;
	git_status_list *list = NULL;
	char *spec = (char *)prefix;
	size_t i, n, plen = prefix ? strlen(prefix) : 0;
	int err = 0;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		     GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
	if (plen) {
		/* literal, so that a folder named "a*" means itself; the check
		 * below keeps "clients/" from matching a file "clients-x" */
		opts.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_status_list_new(&list, g->repo, &opts) < 0)
		return git_fail(CRM_EIO, "cannot read the status of the work tree");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n && !err; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir
							      : e->head_to_index;
		const char *path;

		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED) || !d)
			continue;
		path = d->new_file.path ? d->new_file.path : d->old_file.path;
		if (!path || strncmp(path, prefix ? prefix : "", plen))
			continue;
		err = cb(path, payload);
	}
	git_status_list_free(list);
	return err;
}

/* ---- uncommitted record edits, from the stat data a walk already has ---- */

/* Does the work tree file agree with its index entry?  Stat data first, as
 * git does; the content when the stat data differs or is racy (written in
 * the same second as the index). */
static bool entry_matches(git_repository *repo, const git_index_entry *e, const char *path,
			  const struct crm_file_stamp *st, int64_t index_mtime_s)
{
	struct crm_buf full = CRM_BUF_INIT;
	git_oid oid;
	bool same;

	if ((uint64_t)e->file_size == (st->size & 0xffffffffu) &&
	    (int64_t)e->mtime.seconds * 1000000000 + e->mtime.nanoseconds == st->mtime_ns &&
	    (uint64_t)e->ino == (st->ino & 0xffffffffu) && (int64_t)e->mtime.seconds < index_mtime_s)
		return true;
	crm_buf_addf(&full, "%s%s", git_repository_workdir(repo), path);
	same = !git_odb_hashfile(&oid, full.ptr, GIT_OBJECT_BLOB) && git_oid_equal(&oid, &e->id);
	crm_buf_release(&full);
	return same;
}

static bool under_any(const char *path, const char *const *folders, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strncmp(path, folders[i], strlen(folders[i])))
			return true;
	return false;
}

/* Tracked files below `prefix` outside the record folders (crm.ini,
 * schemas): few, so each asks git for its status. */
static bool other_file_changed(git_repository *repo, const char *path)
{
	unsigned int flags = 0;
	return git_status_file(&flags, repo, path) < 0 ||
	       (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED | GIT_STATUS_WT_TYPECHANGE |
			 GIT_STATUS_WT_RENAMED));
}

/* The id of the tree (or blob) at `prefix` ("crm/", or "" for the root)
 * below tree `root`; zero when there is nothing there. */
static int tree_id_at(git_oid *out, git_repository *repo, const git_oid *root, const char *prefix)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	char *path;
	size_t len = strlen(prefix);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!len) {
		git_oid_cpy(out, root);
		return 0;
	}
	path = strndup(prefix, prefix[len - 1] == '/' ? len - 1 : len);
	if (!path || git_tree_lookup(&tree, repo, root) < 0) {
		free(path);
		return -1;
	}
	rc = git_tree_entry_bypath(&e, tree, path);
	if (!rc)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(tree);
	free(path);
	return rc == GIT_ENOTFOUND ? 0 : rc;
}

/* Whether the index stages anything HEAD does not have below `prefix`.
 * The quick way compares the tree the index would commit with HEAD's:
 * git's cache of tree ids in the index (its TREE extension, which git and
 * libgit2 keep) leaves only the folders of changed entries to hash, where
 * a diff reads HEAD's whole tree.  Building that tree may store tree
 * objects for staged changes, as git write-tree does.  The diff remains
 * for when it cannot (a read-only object store). */
static bool index_differs_from_head(git_repository *repo, git_index *index, const char *prefix)
{
	git_commit *head = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	git_oid staged, at_head, staged_root;
	char *spec[1] = { (char *)prefix };
	bool differs = true;

	if (head_commit(&head, repo) || !head)
		return true;
	if (!git_index_write_tree(&staged_root, index) &&
	    !tree_id_at(&staged, repo, &staged_root, prefix ? prefix : "") &&
	    !tree_id_at(&at_head, repo, git_commit_tree_id(head), prefix ? prefix : "")) {
		git_commit_free(head);
		return !git_oid_equal(&staged, &at_head);
	}
	git_error_clear();
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		o.pathspec.strings = spec;
		o.pathspec.count = 1;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (!git_commit_tree(&tree, head) && !git_diff_tree_to_index(&diff, repo, tree, index, &o))
		differs = git_diff_num_deltas(diff) > 0;
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(head);
	return differs;
}

int crm_git_worktree_dirty(struct crm_git *g, const char *prefix, const char *const *folders,
			   size_t nfolders, const char *const *paths,
			   const struct crm_file_stamp *stamps, size_t n, bool *dirty_out)
{
	git_index *index = NULL;
	struct crm_buf index_path = CRM_BUF_INIT;
	struct stat ist;
	size_t i, count, tracked = 0, plen = prefix ? strlen(prefix) : 0;
	int64_t index_mtime_s = 0;
	bool dirty = false;

	*dirty_out = true;
	if (git_repository_index(&index, g->repo) < 0 || git_index_read(index, 0) < 0) {
		git_index_free(index);
		return git_fail(CRM_EIO, "cannot read git's index");
	}
	crm_buf_addf(&index_path, "%sindex", git_repository_path(g->repo));
	if (!stat(index_path.ptr, &ist))
		index_mtime_s = (int64_t)ist.st_mtim.tv_sec;
	crm_buf_release(&index_path);
	dirty = git_index_has_conflicts(index) || index_differs_from_head(g->repo, index, prefix);
	for (i = 0; i < n && !dirty; i++) {
		const git_index_entry *e = git_index_get_bypath(index, paths[i], 0);
		dirty = !e || !entry_matches(g->repo, e, paths[i], &stamps[i], index_mtime_s);
	}
	count = git_index_entrycount(index);
	for (i = 0; i < count && !dirty; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		size_t len = strlen(e->path);
		if (strncmp(e->path, prefix ? prefix : "", plen))
			continue;
		if (!under_any(e->path, folders, nfolders))
			dirty = other_file_changed(g->repo, e->path);
		else if (len > 5 && !strcmp(e->path + len - 5, ".yaml"))
			tracked++;
	}
	/* a tracked record the walk did not find was deleted */
	*dirty_out = dirty || tracked != n;
	git_index_free(index);
	return 0;
}

struct dirty_count {
	int (*cb)(const char *path, void *payload);
	void *payload;
	size_t count;
};

static int count_dirty(const char *path, void *payload)
{
	struct dirty_count *dc = payload;

	dc->count++;
	return dc->cb ? dc->cb(path, dc->payload) : 0;
}

int crm_git_dirty(struct crm_git *g, const char *prefix,
		  int (*cb)(const char *path, void *payload), void *payload, size_t *count_out)
{
	struct dirty_count dc = { cb, payload, 0 };
	int err = crm_git_status_dirty(g, prefix, count_dirty, &dc);

	*count_out = dc.count;
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
	struct commit_meta meta;
	git_oid tree_id, id, head_id;
	const git_commit *parents[2];
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
	err = meta_init(&meta, g, msg);
	if (!err && (git_index_write_tree(&tree_id, index) < 0 ||
		     git_tree_lookup(&tree, g->repo, &tree_id) < 0 ||
		     git_reference_name_to_id(&head_id, g->repo, "HEAD") < 0 ||
		     git_commit_lookup(&ours, g->repo, &head_id) < 0 ||
		     git_commit_lookup(&other, g->repo, git_annotated_commit_id(theirs)) < 0))
		err = git_fail(CRM_EIO, "cannot write the merge");
	parents[0] = ours;
	parents[1] = other;
	if (!err && git_commit_create(&id, g->repo, "HEAD", meta.author, meta.committer,
				      NULL, meta.message.ptr, tree, 2, parents) < 0)
		err = git_fail(CRM_EIO, "cannot commit the merge");
	if (!err) {
		git_repository_state_cleanup(g->repo);
		r->merged = true;
	}
	meta_release(&meta);
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(other);
	git_index_free(index);
	return err;
}

static int merge_upstream(struct crm_git *g, const char *remote, const char *branch,
			  crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
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
		char ours[41], theirs[41];
		git_oid head;
		snprintf(name, sizeof(name), "%s/%s", remote, branch);
		git_oid_tostr(theirs, sizeof(theirs), git_annotated_commit_id(ac));
		if (git_reference_name_to_id(&head, g->repo, "HEAD") < 0) {
			err = git_fail(CRM_EIO, "cannot read HEAD");
			goto done;
		}
		git_oid_tostr(ours, sizeof(ours), &head);
		/* the caller may find what a merge of records cannot settle */
		if (hook && (err = hook(g, ours, theirs, payload)) > 0) {
			r->refused = true;
			err = 0;
		} else if (!err) {
			err = merge_commit(g, ac, name, r);
		}
	}
done:
	git_annotated_commit_free(ac);
	git_reference_free(up);
	return err;
}

int crm_git_sync(struct crm_git *g, const char *remote_name, bool push,
		 crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
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
	err = merge_upstream(g, remote_name, branch, hook, payload, r);
	if (err || !push || r->refused || r->field_conflicts || r->conflict_path[0])
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
