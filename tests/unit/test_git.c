/* Unit tests of the git layer (src/core/git/): each case works in a fresh
 * folder under $TMPDIR (or /tmp) and checks what crm_git_* did with the real git
 * command line, which reads the repository independently of libgit2. */
#include <errno.h>
#include <ftw.h>
#include <git2.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "harness.h"
#include "git_sandbox.h"

static bool sandbox_open(struct sandbox *sb)
{
	return sandbox_open_named(sb, "git");
}

/* Writes `text` to `rel` below `base`, making folders on the way. */
static void put_file(const char *base, const char *rel, const char *text)
{
	struct crm_buf path = CRM_BUF_INIT;
	char *p;
	FILE *f;

	crm_buf_addf(&path, "%s/%s", base, rel);
	for (p = strchr(path.ptr + strlen(base) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path.ptr, 0777) && errno != EEXIST)
			CHECK(!"mkdir failed");
		*p = '/';
	}
	f = fopen(path.ptr, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		CHECK_INT(0, fclose(f));
	}
	crm_buf_release(&path);
}

static void remove_file(const char *base, const char *rel)
{
	struct crm_buf path = CRM_BUF_INIT;
	crm_buf_addf(&path, "%s/%s", base, rel);
	CHECK_INT(0, unlink(path.ptr));
	crm_buf_release(&path);
}

static void remove_dir(const char *base, const char *rel)
{
	struct crm_buf path = CRM_BUF_INIT;
	crm_buf_addf(&path, "%s/%s", base, rel);
	CHECK_INT(0, rmdir(path.ptr));
	crm_buf_release(&path);
}

/* Runs `git -C repo ARGS` and keeps its stdout in `out` (reset first);
 * returns git's exit status. */
static int run_git(struct crm_buf *out, const char *repo, const char *args)
{
	struct crm_buf cmd = CRM_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *p;
	int status;

	crm_buf_reset(out);
	crm_buf_addf(&cmd, "git -C '%s' %s", repo, args);
	p = popen(cmd.ptr, "r");
	crm_buf_release(&cmd);
	if (!p)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		crm_buf_add(out, chunk, n);
	status = pclose(p);
	return status;
}

/* Commits `paths` (NULL-terminated) with `message`; returns the id. */
static void commit(char id[41], struct crm_git *g, const char *message, const char *const *paths)
{
	size_t n = 0;

	while (paths[n])
		n++;
	if (crm_git_commit(g, id, paths, n, message)) {
		fprintf(stderr, "  commit failed: %s\n", crm_error_last());
		CHECK(!"commit failed");
	}
	CHECK_INT(40, strlen(id));
}

static void set_dates(const char *when)
{
	setenv("GIT_AUTHOR_DATE", when, 1);
	setenv("GIT_COMMITTER_DATE", when, 1);
}

static void test_git__init_and_commit(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL, *g2 = NULL;
	struct crm_buf out = CRM_BUF_INIT, want = CRM_BUF_INIT, sub = CRM_BUF_INIT;
	char id[41], head[41], shorty[9];
	bool created = false;

	if (!sandbox_open(&sb))
		return;
	/* a folder yet to be made, with no work tree around it */
	CHECK_INT(CRM_ENOTFOUND, crm_git_open(&g, sb.dir));
	CHECK(g == NULL);
	CHECK(strstr(crm_error_last(), "not inside a git work tree") != NULL);
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	CHECK(created);
	crm_buf_addf(&want, "%s/", sb.repo);
	CHECK_STR(want.ptr, crm_git_workdir(g));
	CHECK_INT(CRM_ENOTFOUND, crm_git_head(g, head, NULL));

	put_file(sb.repo, "crm.ini", "[crm]\ncurrency = EUR\n");
	put_file(sb.repo, "clients/acme.yaml", "name: Acme\n");
	put_file(sb.repo, "notes.txt", "not committed\n");
	{
		const char *paths[] = { "crm.ini", "clients/acme.yaml", NULL };
		commit(id, g, "crm: init\n\n\n", paths);
	}
	CHECK_INT(0, crm_git_head(g, head, shorty));
	CHECK_STR(id, head);
	CHECK_INT(8, strlen(shorty));
	CHECK(!strncmp(id, shorty, 8));

	CHECK_INT(0, run_git(&out, sb.repo, "rev-parse HEAD"));
	crm_buf_reset(&want);
	crm_buf_addf(&want, "%s\n", id);
	CHECK_STR(want.ptr, out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "symbolic-ref HEAD"));
	CHECK_STR("refs/heads/main\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "ls-tree -r --name-only HEAD"));
	CHECK_STR("clients/acme.yaml\ncrm.ini\n", out.ptr);
	/* the message as `git commit -m` would have left it */
	CHECK_INT(0, run_git(&out, sb.repo, "cat-file commit HEAD | sed -n '/^$/,$p'"));
	CHECK_STR("\ncrm: init\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR("?? notes.txt\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "fsck --strict --no-progress"));

	/* init of an existing work tree opens it, also from a folder below */
	crm_buf_addf(&sub, "%s/clients/new", sb.repo);
	CHECK_INT(0, crm_git_init(&g2, sub.ptr, &created));
	CHECK(!created);
	CHECK_STR(crm_git_workdir(g), crm_git_workdir(g2));
	crm_git_free(g2);
	g2 = NULL;
	crm_buf_reset(&sub);
	crm_buf_addf(&sub, "%s/clients", sb.repo);
	CHECK_INT(0, crm_git_open(&g2, sub.ptr));
	CHECK_STR(crm_git_workdir(g), crm_git_workdir(g2));
	{
		char *prefix = crm_git_prefix(g2, sub.ptr);
		CHECK_STR("clients/", prefix);
		free(prefix);
	}
	crm_git_free(g2);
	crm_git_free(g);
	crm_buf_release(&out);
	crm_buf_release(&want);
	crm_buf_release(&sub);
	sandbox_close(&sb);
}

static void test_git__init_default_branch(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	bool created = false;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, run_git(&out, sb.dir, "config --global init.defaultBranch trunk"));
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	CHECK(created);
	CHECK_INT(0, run_git(&out, sb.repo, "symbolic-ref HEAD"));
	CHECK_STR("refs/heads/trunk\n", out.ptr);
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

static void test_git__identity(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	char *name = NULL, *email = NULL, id[41];
	bool created;
	const char *paths[] = { "a.yaml", NULL };

	if (!sandbox_open(&sb))
		return;
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));

	/* nothing configured: git's advice, and nothing staged */
	CHECK_INT(CRM_ENOTFOUND, crm_git_identity(g, &name, &email));
	CHECK(name == NULL && email == NULL);
	CHECK(strstr(crm_error_last(), "author identity unknown") != NULL);
	CHECK(strstr(crm_error_last(), "git config --global user.email") != NULL);
	put_file(sb.repo, "a.yaml", "name: A\n");
	CHECK_INT(CRM_ENOTFOUND, crm_git_commit(g, id, paths, 1, "crm: add a"));
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR("?? a.yaml\n", out.ptr);

	/* the configuration, then the environment over it */
	CHECK_INT(0, crm_git_config_set(g, "user.name", "Carol Config"));
	CHECK_INT(0, crm_git_config_set(g, "user.email", "carol@example.com"));
	CHECK_INT(0, crm_git_identity(g, &name, &email));
	CHECK_STR("Carol Config", name);
	CHECK_STR("carol@example.com", email);
	free(name);
	free(email);
	setenv("GIT_AUTHOR_NAME", "Erin Env", 1);
	CHECK_INT(0, crm_git_identity(g, &name, &email));
	CHECK_STR("Erin Env", name);
	CHECK_STR("carol@example.com", email);
	free(name);
	free(email);
	setenv("GIT_AUTHOR_EMAIL", "erin@example.com", 1);
	CHECK_INT(0, crm_git_identity(g, &name, &email));
	CHECK_STR("erin@example.com", email);
	free(name);
	free(email);

	/* a commit is authored by the environment's identity and committed by
	 * the configuration's, as git does */
	commit(id, g, "crm: add a", paths);
	CHECK_INT(0, run_git(&out, sb.repo, "log -1 --format='%an <%ae>|%cn <%ce>'"));
	CHECK_STR("Erin Env <erin@example.com>|Carol Config <carol@example.com>\n", out.ptr);
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

static void test_git__commit_dates(void)
{
	static const struct {
		const char *author, *committer, *expect;
	} cases[] = {
		{ "2025-06-01T12:00:00Z", "2025-06-01T12:00:00+02:00",
		  "1748779200 +0000|1748772000 +0200" },
		{ "2025-06-01 12:00:00 +0200", "@1717243200 +0000",
		  "1748772000 +0200|1717243200 +0000" },
		{ "1717243200 -0130", "Sun, 01 Jun 2025 12:00:00 +0200",
		  "1717243200 -0130|1748772000 +0200" },
		{ "2025-06-01T12:00:00.250+0530", "2025-06-01 12:00",
		  "1748759400 +0530|1748779200 +0000" },
	};
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT, want = CRM_BUF_INIT, text = CRM_BUF_INIT;
	char id[41];
	bool created;
	size_t i;
	const char *paths[] = { "a.yaml", NULL };

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		crm_buf_reset(&text);
		crm_buf_addf(&text, "n: %zu\n", i);
		put_file(sb.repo, "a.yaml", text.ptr);
		setenv("GIT_AUTHOR_DATE", cases[i].author, 1);
		setenv("GIT_COMMITTER_DATE", cases[i].committer, 1);
		commit(id, g, "crm: date", paths);
		CHECK_INT(0, run_git(&out, sb.repo, "cat-file commit HEAD | "
				     "sed -n 's/^author [^>]*> //p; s/^committer [^>]*> //p' | "
				     "paste -sd'|'"));
		crm_buf_reset(&want);
		crm_buf_addf(&want, "%s\n", cases[i].expect);
		CHECK_STR(want.ptr, out.ptr);
	}
	CHECK_INT(0, run_git(&out, sb.repo, "log --format=%at%n%an"));
	CHECK_STR("1748759400\nAlice Example\n1717243200\nAlice Example\n"
		  "1748772000\nAlice Example\n1748779200\nAlice Example\n", out.ptr);

	/* a date git would refuse stops the commit */
	setenv("GIT_AUTHOR_DATE", "next tuesday", 1);
	put_file(sb.repo, "a.yaml", "n: bad\n");
	CHECK_INT(CRM_EINVALID, crm_git_commit(g, id, paths, 1, "crm: bad date"));
	CHECK(strstr(crm_error_last(), "'next tuesday'") != NULL);
	CHECK(strstr(crm_error_last(), "GIT_AUTHOR_DATE") != NULL);
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR(" M a.yaml\n", out.ptr);

	/* unset: now, give or take the test's run time */
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_DATE");
	{
		int64_t before = (int64_t)time(NULL);
		commit(id, g, "crm: now", paths);
		CHECK_INT(0, run_git(&out, sb.repo, "log -1 --format=%at"));
		CHECK(strtoll(out.ptr, NULL, 10) >= before);
		CHECK(strtoll(out.ptr, NULL, 10) <= (int64_t)time(NULL));
	}
	crm_git_free(g);
	crm_buf_release(&out);
	crm_buf_release(&want);
	crm_buf_release(&text);
	sandbox_close(&sb);
}

static void test_git__parse_date(void)
{
	static const struct {
		const char *in;
		int64_t when;
		int32_t offset;
	} good[] = {
		{ "2025-06-01T12:00:00Z", 1748779200, 0 },
		{ "2025-06-01T12:00:00+02:00", 1748772000, 120 },
		{ "2025-06-01T12:00:00-0330", 1748791800, -210 },
		{ "2025-06-01 12:00:00 +0200", 1748772000, 120 },
		{ "2025-06-01t12:00z", 1748779200, 0 },
		{ "2025-06-01T12:00:00", 1748779200, 0 },   /* local time: TZ=UTC */
		{ "@1717243200 +0000", 1717243200, 0 },
		{ "@1717243200", 1717243200, 0 },
		{ "1717243200 +0000", 1717243200, 0 },
		{ "1717243200 +0530", 1717243200, 330 },
		{ "Sun, 01 Jun 2025 12:00:00 +0200", 1748772000, 120 },
		{ "1 Jun 2025 12:00:00 GMT", 1748779200, 0 },
		{ "2024-02-29T23:59:59Z", 1709251199, 0 },
		{ "1970-01-01T00:00:00Z", 0, 0 },
	};
	static const char *const bad[] = {
		"", "tomorrow", "2025-06-01", "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
		"2025-06-01T25:00:00Z", "2025-06-01T12:00:00+2500", "2025-06-01T12:00:00Zjunk",
		"2025", "12345678 +0000", "1717243200 +0", "Sun, 31 Jun 2025 12:00:00 +0000",
		"1717243200 junk", "@", "99999999999999999999999",
	};
	int64_t when;
	int32_t offset;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		when = -1;
		offset = -1;
		CHECK_INT(0, crm_git_parse_date(&when, &offset, good[i].in));
		if (when != good[i].when || offset != good[i].offset)
			fprintf(stderr, "  for '%s':\n", good[i].in);
		CHECK_INT(good[i].when, when);
		CHECK_INT(good[i].offset, offset);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = crm_git_parse_date(&when, &offset, bad[i]);
		if (rc != CRM_EINVALID)
			fprintf(stderr, "  '%s' was accepted\n", bad[i]);
		CHECK_INT(CRM_EINVALID, rc);
	}
	CHECK_INT(CRM_EINVALID, crm_git_parse_date(&when, &offset, "soon"));
	CHECK_STR("invalid date format 'soon'", crm_error_last());

	/* local time follows TZ, summer time included */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	CHECK_INT(0, crm_git_parse_date(&when, &offset, "2025-06-01 12:00:00"));
	CHECK_INT(1748772000, when);
	CHECK_INT(120, offset);
	CHECK_INT(0, crm_git_parse_date(&when, &offset, "2025-01-15T12:00:00"));
	CHECK_INT(1736938800, when);
	CHECK_INT(60, offset);
	setenv("TZ", "UTC", 1);
	tzset();
}

static void test_git__only_named_paths(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	char id[41];
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, "a.yaml", "a: 1\n");
	put_file(sb.repo, "b.yaml", "b: 1\n");
	put_file(sb.repo, "d.yaml", "d: 1\n");
	{
		const char *paths[] = { "a.yaml", "b.yaml", "d.yaml", NULL };
		commit(id, g, "crm: first", paths);
	}
	/* the user's own work: b staged, d changed, c new */
	put_file(sb.repo, "a.yaml", "a: 2\n");
	put_file(sb.repo, "b.yaml", "b: 2\n");
	put_file(sb.repo, "d.yaml", "d: 2\n");
	put_file(sb.repo, "c.yaml", "c: 1\n");
	CHECK_INT(0, run_git(&out, sb.repo, "add b.yaml"));
	{
		const char *paths[] = { "a.yaml", NULL };
		commit(id, g, "crm: only a", paths);
	}
	CHECK_INT(0, run_git(&out, sb.repo, "show --format= --name-status HEAD"));
	CHECK_STR("M\ta.yaml\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "show HEAD:a.yaml HEAD:b.yaml HEAD:d.yaml"));
	CHECK_STR("a: 2\nb: 1\nd: 1\n", out.ptr);
	/* b is still staged (and only b), d still changed, c still new */
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR("M  b.yaml\n M d.yaml\n?? c.yaml\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "show :b.yaml"));
	CHECK_STR("b: 2\n", out.ptr);

	/* a path staged by the user and named by us goes in as the work tree
	 * has it */
	put_file(sb.repo, "b.yaml", "b: 3\n");
	{
		const char *paths[] = { "b.yaml", "c.yaml", NULL };
		commit(id, g, "crm: b and c", paths);
	}
	CHECK_INT(0, run_git(&out, sb.repo, "show HEAD:b.yaml HEAD:c.yaml"));
	CHECK_STR("b: 3\nc: 1\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR(" M d.yaml\n", out.ptr);

	/* a folder is refused, an absolute path too */
	{
		const char *paths[] = { "sub", NULL };
		put_file(sb.repo, "sub/x.yaml", "x: 1\n");
		CHECK_INT(CRM_EINVALID, crm_git_commit(g, id, paths, 1, "crm: folder"));
		paths[0] = "/etc/passwd";
		CHECK_INT(CRM_EINVALID, crm_git_commit(g, id, paths, 1, "crm: abs"));
	}
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

static void test_git__removal_and_rename(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	char first[41], id[41], *data = NULL;
	size_t len = 0;
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, "clients/a.yaml", "name: A\n");
	put_file(sb.repo, "clients/b.yaml", "name: B\n");
	put_file(sb.repo, "old/deep/x.yaml", "x: 1\n");
	{
		const char *paths[] = { "clients/a.yaml", "clients/b.yaml", "old/deep/x.yaml", NULL };
		commit(first, g, "crm: first", paths);
	}
	remove_file(sb.repo, "clients/a.yaml");
	{
		const char *paths[] = { "clients/a.yaml", NULL };
		commit(id, g, "crm: rm a", paths);
	}
	CHECK_INT(0, run_git(&out, sb.repo, "ls-files"));
	CHECK_STR("clients/b.yaml\nold/deep/x.yaml\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "ls-tree -r --name-only HEAD"));
	CHECK_STR("clients/b.yaml\nold/deep/x.yaml\n", out.ptr);
	CHECK_INT(CRM_ENOTFOUND, crm_git_read_file_at(g, id, "clients/a.yaml", &data, &len));
	CHECK(data == NULL);
	CHECK_INT(0, crm_git_read_file_at(g, first, "clients/a.yaml", &data, &len));
	CHECK_STR("name: A\n", data);
	CHECK_INT(8, len);
	free(data);

	/* a rename is the old path gone and the new one added, in one commit */
	put_file(sb.repo, "clients/2025/b.yaml", "name: B\n");
	remove_file(sb.repo, "clients/b.yaml");
	{
		const char *paths[] = { "clients/b.yaml", "clients/2025/b.yaml", NULL };
		commit(id, g, "crm: mv b", paths);
	}
	CHECK_INT(0, run_git(&out, sb.repo, "show -M --format= --name-status HEAD"));
	CHECK_STR("R100\tclients/b.yaml\tclients/2025/b.yaml\n", out.ptr);

	/* a vanished folder, named as such, goes with everything it held */
	remove_file(sb.repo, "old/deep/x.yaml");
	remove_dir(sb.repo, "old/deep");
	remove_dir(sb.repo, "old");
	{
		const char *paths[] = { "old", NULL };
		commit(id, g, "crm: rm old", paths);
	}
	CHECK_INT(0, run_git(&out, sb.repo, "ls-files"));
	CHECK_STR("clients/2025/b.yaml\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR("", out.ptr);
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

static void test_git__refuses_during_conflicts(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	char id[41], before[41], after[41];
	bool created;
	const char *paths[] = { "a.yaml", NULL };

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, "a.yaml", "a: base\n");
	commit(id, g, "crm: base", paths);
	CHECK_INT(0, run_git(&out, sb.repo, "checkout -q -b other"));
	put_file(sb.repo, "a.yaml", "a: theirs\n");
	CHECK_INT(0, run_git(&out, sb.repo, "commit -q -am theirs"));
	CHECK_INT(0, run_git(&out, sb.repo, "checkout -q main"));
	put_file(sb.repo, "a.yaml", "a: ours\n");
	commit(id, g, "crm: ours", paths);
	CHECK(run_git(&out, sb.repo, "merge -q other 2>/dev/null") != 0);
	CHECK_INT(0, crm_git_head(g, before, NULL));

	put_file(sb.repo, "a.yaml", "a: mine\n");
	CHECK_INT(CRM_ECONFLICT, crm_git_commit(g, id, paths, 1, "crm: during the merge"));
	CHECK(strstr(crm_error_last(), "unmerged") != NULL);
	CHECK_INT(CRM_ECONFLICT, crm_git_commit_all(g, id, "crm: all"));
	/* resolved but not committed: still a merge in progress */
	CHECK_INT(0, run_git(&out, sb.repo, "add a.yaml"));
	CHECK_INT(CRM_ECONFLICT, crm_git_commit(g, id, paths, 1, "crm: during the merge"));
	CHECK(strstr(crm_error_last(), "merge is in progress") != NULL);
	CHECK_INT(0, crm_git_head(g, after, NULL));
	CHECK_STR(before, after);
	/* once git made the merge commit, crm commits again */
	CHECK_INT(0, run_git(&out, sb.repo, "commit -q --no-edit"));
	put_file(sb.repo, "a.yaml", "a: later\n");
	commit(id, g, "crm: after the merge", paths);
	CHECK_INT(0, run_git(&out, sb.repo, "log -1 --format=%P"));
	CHECK_INT(41, out.len);   /* one parent: the merge */
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

static void test_git__commit_all(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	char id[41];
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, ".gitignore", "*.log\n/cache/\n");
	put_file(sb.repo, "crm.ini", "[crm]\n");
	put_file(sb.repo, "schema/client.yaml", "type: client\n");
	put_file(sb.repo, "debug.log", "noise\n");
	put_file(sb.repo, "cache/x", "cached\n");
	CHECK_INT(0, crm_git_commit_all(g, id, "crm: init data repository"));
	CHECK_INT(40, strlen(id));
	CHECK_INT(0, run_git(&out, sb.repo, "ls-tree -r --name-only HEAD"));
	CHECK_STR(".gitignore\ncrm.ini\nschema/client.yaml\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "log --format=%s"));
	CHECK_STR("crm: init data repository\n", out.ptr);

	/* changes and deletions too, like `git add -A` */
	remove_file(sb.repo, "schema/client.yaml");
	put_file(sb.repo, "crm.ini", "[crm]\ncurrency = EUR\n");
	CHECK_INT(0, crm_git_commit_all(g, id, "crm: second"));
	CHECK_INT(0, run_git(&out, sb.repo, "show --format= --name-status HEAD"));
	CHECK_STR("M\tcrm.ini\nD\tschema/client.yaml\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR("", out.ptr);
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

struct seen {
	struct crm_buf text;   /* "path when offset\n" lines, sorted by the test */
	size_t calls;
	int stop_after;        /* > 0: return 42 from that call on */
};

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of `b` in sorted order (the callbacks promise no order). */
static void sort_lines(struct crm_buf *b)
{
	char *lines[64], *copy = strdup(b->ptr), *p = copy, *nl;
	size_t n = 0, i;

	while (copy && n < 64 && (nl = strchr(p, '\n'))) {
		*nl = '\0';
		lines[n++] = p;
		p = nl + 1;
	}
	qsort(lines, n, sizeof(lines[0]), compare_lines);
	crm_buf_reset(b);
	for (i = 0; i < n; i++)
		crm_buf_addf(b, "%s\n", lines[i]);
	free(copy);
}

static int on_added(const char *path, int64_t when, int32_t offset, void *payload)
{
	struct seen *s = payload;

	s->calls++;
	crm_buf_addf(&s->text, "%s %lld %d\n", path, (long long)when, (int)offset);
	return s->stop_after && (int)s->calls >= s->stop_after ? 42 : 0;
}

static void test_git__added_dates(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct seen seen = { CRM_BUF_INIT, 0, 0 };
	char id[41];
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	CHECK_INT(0, crm_git_added_dates(g, on_added, &seen));
	CHECK_INT(0, seen.calls);   /* unborn: nothing */

	/* 1: a, b and c added */
	set_dates("2025-01-10T09:00:00+01:00");
	put_file(sb.repo, "clients/a.yaml", "name: Alpha Company\ncity: Dublin\n");
	put_file(sb.repo, "clients/b.yaml", "name: Beta Corporation\ncity: Cork\nemail: b@b.example\n");
	put_file(sb.repo, "clients/c.yaml", "name: Gamma\n");
	{
		const char *paths[] = { "clients/a.yaml", "clients/b.yaml", "clients/c.yaml", NULL };
		commit(id, g, "crm: add a, b, c", paths);
	}
	/* 2: a changed, d added, c deleted */
	set_dates("2025-02-20T10:00:00Z");
	put_file(sb.repo, "clients/a.yaml", "name: Alpha Company\ncity: Galway\n");
	put_file(sb.repo, "clients/d.yaml", "name: Delta\n");
	remove_file(sb.repo, "clients/c.yaml");
	{
		const char *paths[] = { "clients/a.yaml", "clients/d.yaml", "clients/c.yaml", NULL };
		commit(id, g, "crm: change a, add d, rm c", paths);
	}
	/* 3: b renamed (and touched), c added again */
	set_dates("2025-03-30T11:00:00-05:00");
	put_file(sb.repo, "clients/2025/b2.yaml",
		 "name: Beta Corporation\ncity: Cork\nemail: b@b.example\ntags: [x]\n");
	remove_file(sb.repo, "clients/b.yaml");
	put_file(sb.repo, "clients/c.yaml", "name: Gamma again\n");
	{
		const char *paths[] = { "clients/b.yaml", "clients/2025/b2.yaml", "clients/c.yaml",
					NULL };
		commit(id, g, "crm: mv b b2, add c", paths);
	}
	if (crm_git_added_dates(g, on_added, &seen))
		CHECK_STR("", crm_error_last());
	CHECK_INT(4, seen.calls);
	sort_lines(&seen.text);
	CHECK_STR("clients/2025/b2.yaml 1736496000 60\n"
		  "clients/a.yaml 1736496000 60\n"
		  "clients/c.yaml 1743350400 -300\n"
		  "clients/d.yaml 1740045600 0\n", seen.text.ptr);

	/* a callback's non-zero return stops the walk and comes back */
	seen.calls = 0;
	seen.stop_after = 2;
	CHECK_INT(42, crm_git_added_dates(g, on_added, &seen));
	CHECK_INT(2, seen.calls);
	crm_buf_release(&seen.text);
	crm_git_free(g);
	sandbox_close(&sb);
}

static int on_listed(const char *path, void *payload)
{
	struct seen *s = payload;

	s->calls++;
	crm_buf_addf(&s->text, "%s\n", path);
	return s->stop_after && (int)s->calls >= s->stop_after ? 7 : 0;
}

static void test_git__read_and_list_at(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct seen seen = { CRM_BUF_INIT, 0, 0 };
	char first[41], second[41], *data = NULL;
	size_t len = 0;
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, "crm.ini", "[crm]\n");
	put_file(sb.repo, "clients/acme.yaml", "name: Acme\n");
	put_file(sb.repo, "clients/2025/zed.yaml", "name: Zed\n");
	put_file(sb.repo, "clients-old/x.yaml", "name: X\n");
	put_file(sb.repo, "contacts/ann.yaml", "name: Ann\n");
	{
		const char *paths[] = { "crm.ini", "clients/acme.yaml", "clients/2025/zed.yaml",
					"clients-old/x.yaml", "contacts/ann.yaml", NULL };
		commit(first, g, "crm: first", paths);
	}
	put_file(sb.repo, "clients/acme.yaml", "name: Acme Ltd\n");
	put_file(sb.repo, "clients/beta.yaml", "name: Beta\n");
	{
		const char *paths[] = { "clients/acme.yaml", "clients/beta.yaml", NULL };
		commit(second, g, "crm: second", paths);
	}

	CHECK_INT(0, crm_git_read_file_at(g, first, "clients/acme.yaml", &data, &len));
	CHECK_STR("name: Acme\n", data);
	CHECK_INT(11, len);
	free(data);
	CHECK_INT(0, crm_git_read_file_at(g, NULL, "clients/acme.yaml", &data, &len));
	CHECK_STR("name: Acme Ltd\n", data);
	free(data);
	CHECK_INT(0, crm_git_read_file_at(g, "HEAD~1", "clients/acme.yaml", &data, &len));
	CHECK_STR("name: Acme\n", data);
	free(data);
	CHECK_INT(CRM_ENOTFOUND, crm_git_read_file_at(g, first, "clients/beta.yaml", &data, &len));
	CHECK(data == NULL && len == 0);
	CHECK_INT(CRM_ENOTFOUND, crm_git_read_file_at(g, first, "clients", &data, &len));
	CHECK_INT(CRM_ENOTFOUND, crm_git_read_file_at(g, "0123456789012345678901234567890123456789",
						       "crm.ini", &data, &len));

	CHECK_INT(0, crm_git_list_files_at(g, first, "clients/", on_listed, &seen));
	CHECK_STR("clients/2025/zed.yaml\nclients/acme.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_list_files_at(g, second, "clients/", on_listed, &seen));
	CHECK_STR("clients/2025/zed.yaml\nclients/acme.yaml\nclients/beta.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_list_files_at(g, first, NULL, on_listed, &seen));
	CHECK_STR("clients-old/x.yaml\nclients/2025/zed.yaml\nclients/acme.yaml\n"
		  "contacts/ann.yaml\ncrm.ini\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_list_files_at(g, first, "clients", on_listed, &seen));
	CHECK_STR("clients-old/x.yaml\nclients/2025/zed.yaml\nclients/acme.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_list_files_at(g, second, "clients/2025/", on_listed, &seen));
	CHECK_STR("clients/2025/zed.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_list_files_at(g, second, "nowhere/", on_listed, &seen));
	CHECK_INT(0, crm_git_list_files_at(g, second, "crm.ini/", on_listed, &seen));
	CHECK_STR("", seen.text.ptr);
	CHECK_INT(CRM_ENOTFOUND, crm_git_list_files_at(g, "no-such-rev", NULL, on_listed, &seen));
	seen.calls = 0;
	seen.stop_after = 2;
	CHECK_INT(7, crm_git_list_files_at(g, second, "", on_listed, &seen));
	CHECK_INT(2, seen.calls);
	crm_buf_release(&seen.text);
	crm_git_free(g);
	sandbox_close(&sb);
}

static void test_git__resolve_at(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	char c1[41], c2[41], c3[41], id[41], abbrev[9];
	bool created;
	const char *paths[] = { "a.yaml", NULL };

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	CHECK_INT(CRM_ENOTFOUND, crm_git_resolve_at(g, id, "2025-01-11"));
	CHECK_INT(CRM_ENOTFOUND, crm_git_resolve_at(g, id, "HEAD"));
	set_dates("2025-01-10T10:00:00Z");
	put_file(sb.repo, "a.yaml", "v: 1\n");
	commit(c1, g, "crm: one", paths);
	/* late on the 12th in UTC, though the 13th where it was written */
	set_dates("2025-01-12T23:59:59-00:00");
	put_file(sb.repo, "a.yaml", "v: 2\n");
	commit(c2, g, "crm: two", paths);
	set_dates("2025-01-15T01:00:00+02:00");
	put_file(sb.repo, "a.yaml", "v: 3\n");
	commit(c3, g, "crm: three", paths);

	CHECK_INT(0, crm_git_resolve_at(g, id, "2025-01-10"));
	CHECK_STR(c1, id);
	CHECK_INT(0, crm_git_resolve_at(g, id, "2025-01-11"));
	CHECK_STR(c1, id);
	CHECK_INT(0, crm_git_resolve_at(g, id, "2025-01-12"));
	CHECK_STR(c2, id);
	CHECK_INT(0, crm_git_resolve_at(g, id, "2025-01-14"));
	CHECK_STR(c3, id);   /* 2025-01-14T23:00Z */
	CHECK_INT(0, crm_git_resolve_at(g, id, "2030-01-01"));
	CHECK_STR(c3, id);
	CHECK_INT(CRM_ENOTFOUND, crm_git_resolve_at(g, id, "2025-01-09"));
	CHECK(strstr(crm_error_last(), "2025-01-09") != NULL);
	CHECK_INT(CRM_EINVALID, crm_git_resolve_at(g, id, "2025-02-30"));

	CHECK_INT(0, crm_git_resolve_at(g, id, "HEAD~1"));
	CHECK_STR(c2, id);
	CHECK_INT(0, crm_git_resolve_at(g, id, "main"));
	CHECK_STR(c3, id);
	snprintf(abbrev, sizeof(abbrev), "%.8s", c1);
	CHECK_INT(0, crm_git_resolve_at(g, id, abbrev));
	CHECK_STR(c1, id);
	CHECK_INT(CRM_ENOTFOUND, crm_git_resolve_at(g, id, "no-such-branch"));
	CHECK(strstr(crm_error_last(), "'no-such-branch'") != NULL);
	crm_git_free(g);
	sandbox_close(&sb);
}

static void test_git__status_dirty(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct seen seen = { CRM_BUF_INIT, 0, 0 };
	struct crm_buf out = CRM_BUF_INIT;
	char id[41];
	size_t count = 0;
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, ".gitignore", "*.tmp\n");
	put_file(sb.repo, "clients/a.yaml", "a: 1\n");
	put_file(sb.repo, "clients/b.yaml", "b: 1\n");
	put_file(sb.repo, "clients/same.yaml", "s: 1\n");
	put_file(sb.repo, "other/x.yaml", "x: 1\n");
	{
		const char *paths[] = { ".gitignore", "clients/a.yaml", "clients/b.yaml",
					"clients/same.yaml", "other/x.yaml", NULL };
		commit(id, g, "crm: first", paths);
	}
	CHECK_INT(0, crm_git_status_dirty(g, NULL, on_listed, &seen));
	CHECK_STR("", seen.text.ptr);

	put_file(sb.repo, "clients/a.yaml", "a: 2\n");          /* modified */
	remove_file(sb.repo, "clients/b.yaml");                 /* deleted */
	put_file(sb.repo, "clients/new/c.yaml", "c: 1\n");      /* in a new folder */
	put_file(sb.repo, "clients/junk.tmp", "ignored\n");     /* ignored */
	put_file(sb.repo, "clients-x.yaml", "not below\n");     /* a look-alike */
	put_file(sb.repo, "other/x.yaml", "x: 2\n");
	put_file(sb.repo, "other/y.yaml", "y: 1\n");
	CHECK_INT(0, run_git(&out, sb.repo, "add other/y.yaml"));   /* staged */

	CHECK_INT(0, crm_git_status_dirty(g, "clients/", on_listed, &seen));
	CHECK_STR("clients/a.yaml\nclients/b.yaml\nclients/new/c.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_status_dirty(g, "", on_listed, &seen));
	CHECK_STR("clients-x.yaml\nclients/a.yaml\nclients/b.yaml\nclients/new/c.yaml\n"
		  "other/x.yaml\nother/y.yaml\n", seen.text.ptr);
	CHECK_INT(0, crm_git_dirty(g, "other/", NULL, NULL, &count));
	CHECK_INT(2, count);

	/* committing some of them leaves the rest dirty */
	{
		const char *paths[] = { "clients/a.yaml", "clients/b.yaml", NULL };
		commit(id, g, "crm: a and b", paths);
	}
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_status_dirty(g, "clients/", on_listed, &seen));
	CHECK_STR("clients/new/c.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_status_dirty(g, "nowhere/", on_listed, &seen));
	CHECK_STR("", seen.text.ptr);
	seen.calls = 0;
	seen.stop_after = 1;
	CHECK_INT(7, crm_git_status_dirty(g, NULL, on_listed, &seen));
	CHECK_INT(1, seen.calls);
	crm_buf_release(&seen.text);
	crm_buf_release(&out);
	crm_git_free(g);
	sandbox_close(&sb);
}

static void test_git__config(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	char *value = NULL;
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, run_git(&out, sb.dir, "config --global merge.crm.name global-only"));
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	CHECK_INT(CRM_ENOTFOUND, crm_git_config_get(g, "merge.crm.driver", &value));
	CHECK(value == NULL);
	CHECK(strstr(crm_error_last(), "'merge.crm.driver'") != NULL);
	/* the user's ~/.gitconfig is not the repository's */
	CHECK_INT(CRM_ENOTFOUND, crm_git_config_get(g, "merge.crm.name", &value));

	CHECK_INT(0, crm_git_config_set(g, "merge.crm.driver", "crm merge-driver %O %A %B %P"));
	CHECK_INT(0, crm_git_config_set(g, "merge.crm.name", "crm field-by-field record merge"));
	CHECK_INT(0, crm_git_config_get(g, "merge.crm.driver", &value));
	CHECK_STR("crm merge-driver %O %A %B %P", value);
	free(value);
	CHECK_INT(0, run_git(&out, sb.repo, "config --local --get merge.crm.driver"));
	CHECK_STR("crm merge-driver %O %A %B %P\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "config --local --get merge.crm.name"));
	CHECK_STR("crm field-by-field record merge\n", out.ptr);

	/* what git itself set since is read, not a stale copy */
	CHECK_INT(0, run_git(&out, sb.repo, "config --local merge.crm.driver changed"));
	CHECK_INT(0, crm_git_config_get(g, "merge.crm.driver", &value));
	CHECK_STR("changed", value);
	free(value);
	CHECK_INT(CRM_EINVALID, crm_git_config_set(g, "nodot", "x"));
	crm_git_free(g);
	crm_buf_release(&out);
	sandbox_close(&sb);
}

/* What crm stages is what `git add` would: plain files hashed from their
 * bytes (in small commits and in bulk ones, which pack the objects), a
 * file with CRs through the crlf filter of core.autocrlf, one with $Id$
 * through the ident filter; and git's index keeps their stat data, so
 * `git status` finds nothing to re-read. */
static void staged_like_git_add(size_t nfiles)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct crm_buf out = CRM_BUF_INIT, want = CRM_BUF_INIT, name = CRM_BUF_INIT;
	const char **paths = calloc(nfiles + 4, sizeof(*paths));
	char **names = calloc(nfiles, sizeof(*names));
	char id[41];
	bool created;
	size_t i;

	if (!paths || !names || !sandbox_open(&sb)) {
		free(paths);
		free(names);
		return;
	}
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	CHECK_INT(0, run_git(&out, sb.repo, "config core.autocrlf true"));
	put_file(sb.repo, ".gitattributes", "ident.yaml ident\n");
	put_file(sb.repo, "crlf.yaml", "name: Windows\r\nkind: company\r\n");
	put_file(sb.repo, "ident.yaml", "# $Id: stale $\nname: Ident\n");
	for (i = 0; i < nfiles; i++) {
		crm_buf_reset(&name);
		crm_buf_addf(&name, "clients/c%zu.yaml", i);
		names[i] = crm_buf_detach(&name, NULL);
		put_file(sb.repo, names[i], "name: Plain \xc5\x81\xc3\xb3" "d\xc5\xba\n");
		paths[i] = names[i];
	}
	paths[nfiles] = ".gitattributes";
	paths[nfiles + 1] = "crlf.yaml";
	paths[nfiles + 2] = "ident.yaml";
	commit(id, g, "crm: staged", paths);
	CHECK_INT(0, run_git(&out, sb.repo, "status --porcelain"));
	CHECK_STR("", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "cat-file blob HEAD:crlf.yaml"));
	CHECK_STR("name: Windows\nkind: company\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "cat-file blob HEAD:ident.yaml"));
	CHECK_STR("# $Id$\nname: Ident\n", out.ptr);
	/* every blob as git hashes the work-tree file */
	CHECK_INT(0, run_git(&out, sb.repo, "ls-files -s | awk '{ print $2 }' | "
			     "sort | uniq | wc -l"));
	CHECK_STR("4\n", out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "ls-files -s clients/c0.yaml | cut -d' ' -f2"));
	CHECK_INT(0, run_git(&want, sb.repo, "hash-object clients/c0.yaml"));
	CHECK_STR(want.ptr, out.ptr);
	CHECK_INT(0, run_git(&out, sb.repo, "fsck --strict --no-progress"));
	for (i = 0; i < nfiles; i++)
		free(names[i]);
	free(names);
	free(paths);
	crm_git_free(g);
	crm_buf_release(&out);
	crm_buf_release(&want);
	crm_buf_release(&name);
	sandbox_close(&sb);
}

static void test_git__staged_like_git_add(void)
{
	staged_like_git_add(2);      /* a few paths: loose objects */
	staged_like_git_add(300);    /* a bulk commit: one pack */
}

/* Nothing staged: the status comes from the index's stat data and the
 * folders (no libgit2 status), and says what git status says. */
static void test_git__status_quick(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct seen seen = { CRM_BUF_INIT, 0, 0 };
	struct crm_buf path = CRM_BUF_INIT;
	char id[41];
	bool created;

	if (!sandbox_open(&sb))
		return;
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	put_file(sb.repo, ".gitignore", "*.tmp\nbuild/\n");
	put_file(sb.repo, "clients/a.yaml", "a: 1\n");
	put_file(sb.repo, "clients/b.yaml", "b: 1\n");
	put_file(sb.repo, "clients/c.yaml", "c: 1\n");
	put_file(sb.repo, "clients/2025/d.yaml", "d: 1\n");
	put_file(sb.repo, "other/x.yaml", "x: 1\n");
	{
		const char *paths[] = { ".gitignore", "clients/a.yaml", "clients/b.yaml",
					"clients/c.yaml", "clients/2025/d.yaml", "other/x.yaml",
					NULL };
		commit(id, g, "crm: first", paths);
	}
	/* the index's stat data older than the index itself: not racy */
	set_dates("2025-06-01T12:00:00Z");
	sleep(1);
	put_file(sb.repo, "clients/c.yaml", "c: 1\n");          /* rewritten, same */
	put_file(sb.repo, "clients/a.yaml", "a: 22\n");         /* modified */
	remove_file(sb.repo, "clients/b.yaml");                 /* deleted */
	put_file(sb.repo, "clients/2025/e.yaml", "e: 1\n");     /* new, tracked folder */
	put_file(sb.repo, "clients/new/f/g.yaml", "g: 1\n");    /* new folder, nested */
	put_file(sb.repo, "clients/junk.tmp", "ignored\n");
	put_file(sb.repo, "build/out.yaml", "ignored folder\n");
	put_file(sb.repo, "top.txt", "untracked at the root\n");
	crm_buf_addf(&path, "%s/other/x.yaml", sb.repo);
	CHECK_INT(0, chmod(path.ptr, 0755));                    /* mode changed */
	CHECK_INT(0, crm_git_status_dirty(g, "clients/", on_listed, &seen));
	CHECK_STR("clients/2025/e.yaml\nclients/a.yaml\nclients/b.yaml\n"
		  "clients/new/f/g.yaml\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_status_dirty(g, NULL, on_listed, &seen));
	CHECK_STR("clients/2025/e.yaml\nclients/a.yaml\nclients/b.yaml\n"
		  "clients/new/f/g.yaml\nother/x.yaml\ntop.txt\n", seen.text.ptr);
	crm_buf_reset(&seen.text);
	CHECK_INT(0, crm_git_status_dirty(g, "clients/2025/", on_listed, &seen));
	CHECK_STR("clients/2025/e.yaml\n", seen.text.ptr);
	crm_buf_release(&seen.text);
	crm_buf_release(&path);
	crm_git_free(g);
	sandbox_close(&sb);
}

/* Enough tracked files for the stats to run on two threads: changes in
 * either half are found, as git status finds them. */
static void test_git__status_quick_two_threads(void)
{
	enum { N = 3000 };
	struct sandbox sb;
	struct crm_git *g = NULL;
	struct seen seen = { CRM_BUF_INIT, 0, 0 };
	struct crm_buf path = CRM_BUF_INIT;
	char (*names)[32] = calloc(N, sizeof(*names));
	const char **paths = calloc(N + 1, sizeof(*paths));
	char id[41];
	bool created;
	size_t i;

	if (!names || !paths || !sandbox_open(&sb)) {
		free(names);
		free(paths);
		return;
	}
	CHECK_INT(0, crm_git_init(&g, sb.repo, &created));
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "clients/c%04zu.yaml", i);
		put_file(sb.repo, names[i], "name: x\n");
		paths[i] = names[i];
	}
	commit(id, g, "crm: many", paths);
	set_dates("2025-06-01T12:00:00Z");
	sleep(1);
	put_file(sb.repo, "clients/c0010.yaml", "name: changed\n");   /* first half */
	put_file(sb.repo, "clients/c2990.yaml", "name: changed\n");   /* second half */
	put_file(sb.repo, "clients/c0020.yaml", "name: x\n");         /* rewritten, same */
	remove_file(sb.repo, "clients/c1500.yaml");
	crm_buf_addf(&path, "%s/clients/c2500.yaml", sb.repo);
	CHECK_INT(0, chmod(path.ptr, 0755));
	CHECK_INT(0, crm_git_status_dirty(g, "clients/", on_listed, &seen));
	CHECK_STR("clients/c0010.yaml\nclients/c1500.yaml\nclients/c2500.yaml\n"
		  "clients/c2990.yaml\n", seen.text.ptr);
	crm_buf_release(&seen.text);
	crm_buf_release(&path);
	crm_git_free(g);
	sandbox_close(&sb);
	free(names);
	free(paths);
}

TESTS(TEST(test_git__init_and_commit), TEST(test_git__init_default_branch),
      TEST(test_git__identity), TEST(test_git__commit_dates), TEST(test_git__parse_date),
      TEST(test_git__only_named_paths), TEST(test_git__removal_and_rename),
      TEST(test_git__refuses_during_conflicts), TEST(test_git__commit_all),
      TEST(test_git__added_dates), TEST(test_git__read_and_list_at),
      TEST(test_git__resolve_at), TEST(test_git__status_dirty), TEST(test_git__config),
      TEST(test_git__staged_like_git_add), TEST(test_git__status_quick),
      TEST(test_git__status_quick_two_threads))
