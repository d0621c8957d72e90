/* The git layer's doors: libgit2 started and shut down, a repository
 * opened or created, its local configuration, the user's identity, and
 * git's date formats (GIT_AUTHOR_DATE) for the commits we make. */
#include <git2.h>
#include <git2/sys/repository.h>   /* git_repository_set_index */
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/date.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"

/* libgit2 keeps global state, and its initialisation is not cheap: with
 * Debian's mbedTLS build it parses every CA certificate of the system
 * (about 10 ms), which a crm command opening the repository five times
 * paid five times.  So it is initialised once per process, on first use,
 * and shut down at exit, which still leaves nothing over for valgrind.
 * (A child crm forks leaves with _exit, never running the handler.) */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static bool initialised;

static void lib_shutdown(void)
{
	git_libgit2_shutdown();
}

static void lib_acquire(void)
{
	pthread_mutex_lock(&init_lock);
	if (!initialised) {
		git_libgit2_init();
		initialised = true;
		atexit(lib_shutdown);
	}
	pthread_mutex_unlock(&init_lock);
}

/* A write's repository, opened and git's index read on a thread of its
 * own while the command loads and checks its change (crm_git_prepare):
 * at a million records reading git's index is most of a one-record
 * commit's libgit2 work, and nothing of the change needs it before the
 * commit.  The commit's transaction takes it (crm_git_open_prepared);
 * git_index_read there reads the file again only if it changed since. */
static struct {
	pthread_t thread;
	bool running;                /* started, not joined */
	char *path;                  /* what it was opened for */
	git_repository *repo;        /* NULL: not (or no longer) there */
} prepared;

/* libgit2 started on a thread of its own while the command reads its
 * configuration, takes its lock and loads its records: a write needs git
 * only at its end, and the start is the same 5 ms wherever it runs. */
static pthread_t warm_thread;
static bool warming;

static void *warm_main(void *arg)
{
	(void)arg;
	lib_acquire();
	return NULL;
}

void crm_git_warm_up_begin(void)
{
	if (!warming && !initialised)
		warming = !pthread_create(&warm_thread, NULL, warm_main, NULL);
}

static void prepare_join(void)
{
	if (prepared.running)
		pthread_join(prepared.thread, NULL);
	prepared.running = false;
}

void crm_git_warm_up_end(void)
{
	if (warming)
		pthread_join(warm_thread, NULL);
	warming = false;
	prepare_join();
}

void crm_git_warm_up_release(void)
{
	crm_git_warm_up_end();
	git_repository_free(prepared.repo);   /* a write that never committed */
	prepared.repo = NULL;
	free(prepared.path);
	prepared.path = NULL;
}

static int wrap(struct crm_git **out, git_repository *repo)
{
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		git_repository_free(repo);
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

/* The nearest folder at or above `path` holding a .git entry, as git
 * searches for it, into *top (empty when there is none, or when `path`
 * does not exist), with that entry's lstat in *st. */
static int nearest_git_entry(struct crm_buf *top, struct stat *st, const char *path)
{
	char *dir = realpath(path, NULL);
	char *slash;
	int err = 0;

	crm_buf_reset(top);
	if (!dir)
		return 0;
	for (;;) {
		crm_buf_reset(top);
		if (crm_buf_addf(top, "%s/.git", dir)) {
			err = oom();
			break;
		}
		if (!lstat(top->ptr, st)) {
			crm_buf_reset(top);
			if (crm_buf_adds(top, dir))
				err = oom();
			break;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			crm_buf_reset(top);
			break;
		}
		*slash = '\0';
	}
	free(dir);
	return err;
}

/* The work tree holding `path` into *top when another user owns it, else
 * *top stays empty. */
static int foreign_work_tree(struct crm_buf *top, const char *path)
{
	struct stat st;
	int err = nearest_git_entry(top, &st, path);

	if (!err && top->len && (stat(top->ptr, &st) || st.st_uid == geteuid()))
		crm_buf_reset(top);
	return err;
}

/* Whether `dir` holds what makes a folder a git directory to libgit2: a
 * HEAD file and the objects and refs folders. */
static bool looks_like_git_dir(const char *dir)
{
	static const char *const parts[] = { "HEAD", "objects", "refs" };
	struct crm_buf p = CRM_BUF_INIT;
	struct stat st;
	bool ok = true;
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(*parts) && ok; i++) {
		crm_buf_reset(&p);
		ok = !crm_buf_addf(&p, "%s%s", dir, parts[i]) && !stat(p.ptr, &st);
	}
	crm_buf_release(&p);
	return ok;
}

static bool same_device(const char *path, const struct stat *top)
{
	struct stat st;
	return !stat(path, &st) && st.st_dev == top->st_dev;
}

int crm_git_dir_of(struct crm_buf *out, const char *path)
{
	struct crm_git *git = NULL;
	struct stat st, top;
	int err;

	crm_buf_reset(out);
	/* a .git file (a linked work tree, a submodule) points elsewhere,
	 * libgit2 refuses a work tree another user owns, and its search stops
	 * at a ceiling and at another file system: only libgit2 answers those
	 * (crm_git_open searches from `path` as this does, GIT_DIR unread) */
	err = getenv("GIT_CEILING_DIRECTORIES") ? 0 : nearest_git_entry(out, &st, path);
	if (err)
		return err;
	if (out->len && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	    !stat(out->ptr, &top) && top.st_uid == geteuid() && same_device(path, &top) &&
	    !crm_buf_adds(out, "/.git/") && looks_like_git_dir(out->ptr))
		return 0;
	crm_buf_reset(out);
	err = crm_git_open(&git, path);
	if (!err && crm_buf_adds(out, crm_git_gitdir(git)))
		err = oom();
	crm_git_free(git);
	return err;
}

/* Why git_repository_open_ext failed, in words.  libgit2 refuses a work
 * tree another user owns (GIT_EOWNER; 1.5 says only GIT_ENOTFOUND), and
 * git's own remedy is a safe.directory entry, so the refusal names it. */
static int open_failure(int rc, const char *path)
{
	struct crm_buf top;
	int err;

	if (rc != GIT_ENOTFOUND && rc != GIT_EOWNER)
		return git_fail(CRM_EIO, "cannot open the git repository");
	crm_buf_init(&top);
	err = foreign_work_tree(&top, path);
	if (!err && top.len)
		err = crm_error_set(CRM_EIO,
				    "git refuses '%s': it is owned by another user; to trust it, "
				    "run: git config --global --add safe.directory %s",
				    top.ptr, top.ptr);
	else if (!err)
		err = crm_error_set(CRM_ENOTFOUND, "'%s' is not inside a git work tree", path);
	crm_buf_release(&top);
	return err;
}

/* Opens the repository around `path`, bare or not. */
static int open_repository(git_repository **out, const char *path)
{
	unsigned int flags = 0;
	int rc;

	if (env_true("GIT_DISCOVERY_ACROSS_FILESYSTEM"))
		flags |= GIT_REPOSITORY_OPEN_CROSS_FS;
	lib_acquire();
	rc = git_repository_open_ext(out, path, flags, getenv("GIT_CEILING_DIRECTORIES"));
	if (rc < 0)
		rc = open_failure(rc, path);
	return rc;
}

/* While git's pre-receive hook runs, the pushed objects wait in a
 * quarantine folder that only the hook sees (GIT_QUARANTINE_PATH): read
 * from it too, or the commit being pushed is not there. */
static int add_quarantine(git_repository *repo)
{
	const char *dir = getenv("GIT_QUARANTINE_PATH");
	git_odb *odb = NULL;
	int rc;

	if (!dir || !*dir)
		return 0;
	rc = git_repository_odb(&odb, repo);
	if (!rc)
		rc = git_odb_add_disk_alternate(odb, dir);
	git_odb_free(odb);
	return rc < 0 ? git_fail(CRM_EIO, "cannot read the pushed objects") : 0;
}

int crm_git_open_any(struct crm_git **out, const char *path)
{
	git_repository *repo = NULL;
	int err;

	*out = NULL;
	err = open_repository(&repo, path);
	if (!err)
		err = add_quarantine(repo);
	if (err && repo) {
		git_repository_free(repo);
	}
	return err ? err : wrap(out, repo);
}

int crm_git_reopen(git_repository **out, struct crm_git *g)
{
	int err = 0;

	if (git_repository_open(out, git_repository_path(g->repo)) < 0)
		return git_fail(CRM_EIO, "cannot open the git repository again");
	err = add_quarantine(*out);
	if (err) {
		git_repository_free(*out);
		*out = NULL;
	}
	return err;
}

char *crm_git_hooks_dir(const struct crm_git *g)
{
	git_config *cfg = NULL;
	git_buf b = GIT_BUF_INIT;
	struct crm_buf dir = CRM_BUF_INIT;
	const char *base;

	if (git_repository_config_snapshot(&cfg, g->repo) == 0 &&
	    git_config_get_path(&b, cfg, "core.hooksPath") == 0 && b.ptr[0]) {
		/* relative: to where hooks run, the work tree's top or a bare
		 * repository's folder */
		base = git_repository_workdir(g->repo);
		if (!base)
			base = git_repository_path(g->repo);
		crm_buf_addf(&dir, "%s%s/", b.ptr[0] == '/' ? "" : base, b.ptr);
	} else if (git_repository_item_path(&b, g->repo, GIT_REPOSITORY_ITEM_HOOKS) == 0) {
		crm_buf_adds(&dir, b.ptr);
		if (dir.len && dir.ptr[dir.len - 1] != '/')
			crm_buf_addch(&dir, '/');
	}
	git_buf_dispose(&b);
	git_config_free(cfg);
	if (!dir.len) {
		crm_buf_release(&dir);
		return NULL;
	}
	return crm_buf_detach(&dir, NULL);
}

bool crm_git_is_bare(const struct crm_git *g)
{
	return git_repository_is_bare(g->repo);
}

int crm_git_open(struct crm_git **out, const char *path)
{
	git_repository *repo = NULL;
	int err;

	*out = NULL;
	err = open_repository(&repo, path);
	if (err)
		return err;
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return crm_error_set(CRM_EINVALID, "'%s' is in a bare repository, which has no "
				     "work tree", path);
	}
	return wrap(out, repo);
}

/* crm_git_prepare's thread */
static void *prepare_main(void *arg)
{
	git_repository *repo = NULL;
	git_index *index = NULL;

	(void)arg;
	/* a failure here is the later crm_git_open's to report */
	if (open_repository(&repo, prepared.path) || git_repository_is_bare(repo)) {
		git_repository_free(repo);
		crm_error_clear();
		return NULL;
	}
	if (!git_repository_index(&index, repo))
		git_index_read(index, 0);
	git_index_free(index);   /* the repository holds its own reference */
	prepared.repo = repo;
	return NULL;
}

void crm_git_prepare(const char *path)
{
	if (prepared.running || prepared.path)
		return;
	prepared.path = strdup(path);
	if (prepared.path)
		prepared.running = !pthread_create(&prepared.thread, NULL, prepare_main, NULL);
}

int crm_git_open_prepared(struct crm_git **out, const char *path)
{
	git_repository *repo;

	prepare_join();
	if (!prepared.repo || strcmp(prepared.path, path))
		return crm_git_open(out, path);
	repo = prepared.repo;
	prepared.repo = NULL;
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
	if (rc)
		return rc;
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = branch;
	rc = git_repository_init_ext(&repo, dir, &opts);
	free(branch);
	if (rc < 0) {
		return git_fail(CRM_EIO, "cannot create a git repository");
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
	size_t n = wd ? strlen(wd) : 0;
	struct crm_buf b = CRM_BUF_INIT;

	if (!wd)
		return strdup("");   /* bare: a tree's paths start at its root */
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


int crm_git_meta_init(struct commit_meta *m, struct crm_git *g, const char *message)
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

void crm_git_meta_release(struct commit_meta *m)
{
	git_signature_free(m->author);
	git_signature_free(m->committer);
	git_buf_dispose(&m->message);
	memset(m, 0, sizeof(*m));
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

/* A handle on the repository for reading one attribute from the work
 * tree's files.  git reads attributes from the work tree, and from the
 * index only for a .gitattributes the work tree lacks; libgit2 loads the
 * whole index for that in any case (some 60 ms and 24 MB at 100 000
 * records, on every command that checks the merge driver).  When the work
 * tree has its top-level .gitattributes (crm init writes it), a second
 * handle with an empty index answers from the files alone; *out stays
 * NULL otherwise, and the caller asks its own handle. */
static int files_only_attributes(git_repository **out, struct crm_git *g)
{
	const char *wd = git_repository_workdir(g->repo);
	struct crm_buf path = CRM_BUF_INIT;
	git_index *empty = NULL;
	int err = 0;

	*out = NULL;
	if (!wd)
		return 0;
	crm_buf_addf(&path, "%s.gitattributes", wd);
	if (access(path.ptr, F_OK))
		goto done;
	if (git_repository_open_ext(out, wd, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_index_new(&empty) < 0 || git_repository_set_index(*out, empty) < 0) {
		err = git_fail(CRM_EIO, "cannot open the repository");
		git_repository_free(*out);
		*out = NULL;
	}
done:
	git_index_free(empty);
	crm_buf_release(&path);
	return err;
}

int crm_git_merge_driver(struct crm_git *g, const char *sample_path, char **name_out,
			 char **command_out)
{
	git_config *cfg = NULL, *snap = NULL;
	git_repository *files = NULL;
	git_buf b = GIT_BUF_INIT;
	struct crm_buf key = CRM_BUF_INIT;
	const char *value = NULL;
	int rc, err = 0;

	*name_out = NULL;
	*command_out = NULL;
	err = files_only_attributes(&files, g);
	if (err)
		return err;
	rc = git_attr_get(&value, files ? files : g->repo, 0, sample_path, "merge");
	if (rc < 0) {
		err = git_fail(CRM_EIO, "cannot read git's attributes");
		goto done;
	}
	if (git_attr_value(value) != GIT_ATTR_VALUE_STRING)
		goto done;   /* set, unset or unspecified: git's own merges */
	if (!(*name_out = strdup(value))) {
		err = oom();
		goto done;
	}
	/* every level of configuration, as git reads it when it merges */
	if (git_repository_config(&cfg, g->repo) < 0 || git_config_snapshot(&snap, cfg) < 0) {
		err = git_fail(CRM_EIO, "cannot read the git configuration");
		goto done;
	}
	crm_buf_addf(&key, "merge.%s.driver", value);
	rc = git_config_get_string_buf(&b, snap, key.ptr);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		err = git_fail(CRM_EIO, "cannot read the git configuration");
	else if (!rc && !(*command_out = strdup(b.ptr)))
		err = oom();
done:
	git_buf_dispose(&b);
	git_config_free(snap);
	git_config_free(cfg);
	git_repository_free(files);   /* after the value, which it owns */
	crm_buf_release(&key);
	return err;
}
