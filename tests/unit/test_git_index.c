/* Unit tests of the index file read as a stream (src/core/git/
 * git_index_file.c, crm_git_worktree_dirty): small repositories made with
 * the git command line, where the reader's answer must equal libgit2's,
 * and the indexes it leaves to libgit2 (unusual, truncated, damaged). */
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_index_file.h"
#include "core/git/git_internal.h"
#include "core/index/cache.h"
#include "harness.h"
#include "git_sandbox.h"

static bool sandbox_open(struct sandbox *sb)
{
	return sandbox_open_named(sb, "gitidx");
}

/* Runs the shell command `cmd` in the work tree, quietly; its status. */
static int sh(const struct sandbox *sb, const char *cmd)
{
	struct crm_buf line = CRM_BUF_INIT;
	int status;

	crm_buf_addf(&line, "cd '%s' && { %s; } >/dev/null 2>&1", sb->repo, cmd);
	status = system(line.ptr);
	crm_buf_release(&line);
	return status;
}

/* A repository of records below `prefix` ("" or "crm/"): two folders of
 * records, crm.ini and a file outside the folders, all committed. */
static bool make_repo(struct sandbox *sb, const char *prefix)
{
	struct crm_buf cmd = CRM_BUF_INIT;
	int status;

	if (!sandbox_open(sb))
		return false;
	crm_buf_addf(&cmd, "git init -q -b main '%s' && cd '%s' && mkdir -p %sclients/2025 "
		     "%sdeals && echo 'a: 1' >%sclients/2025/a.yaml && "
		     "echo 'b: 1' >%sclients/2025/b.yaml && echo 'x: 1' >%sdeals/x.yaml && "
		     "echo '[crm]' >%scrm.ini && echo notes >%snotes.txt && git add -A && "
		     "git commit -q -m first", sb->repo, sb->repo, prefix, prefix, prefix, prefix,
		     prefix, prefix, prefix);
	status = system(cmd.ptr);
	crm_buf_release(&cmd);
	CHECK_INT(0, status);
	return !status;
}

/* The record files below the folders, found the way the index's walk
 * finds them; nftw has no payload, so they gather here. */
static struct {
	char *paths[64];
	struct crm_file_stamp stamps[64];
	size_t n, root_len;
} walked;

static int walk_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)ftw;
	if (flag == FTW_F && len > 5 && !strcmp(path + len - 5, ".yaml") && walked.n < 64) {
		walked.paths[walked.n] = strdup(path + walked.root_len);
		crm_file_stamp_from_stat(&walked.stamps[walked.n], st);
		walked.n++;
	}
	return 0;
}

struct answers {
	int stream_rc, libgit2_rc, rc;
	bool stream, libgit2, dirty;
};

/* Asks the stream reader, libgit2 and crm_git_worktree_dirty. */
static void ask(struct answers *a, const struct sandbox *sb, const char *prefix)
{
	struct crm_git *g = NULL;
	struct crm_buf c = CRM_BUF_INIT, d = CRM_BUF_INIT, dir = CRM_BUF_INIT;
	const char *folders[2];
	size_t i;

	memset(a, 0, sizeof(*a));
	crm_buf_addf(&c, "%sclients/", prefix);
	crm_buf_addf(&d, "%sdeals/", prefix);
	folders[0] = c.ptr;
	folders[1] = d.ptr;
	walked.n = 0;
	walked.root_len = strlen(sb->repo) + 1;
	for (i = 0; i < 2; i++) {
		crm_buf_reset(&dir);
		crm_buf_addf(&dir, "%s/%s", sb->repo, folders[i]);
		nftw(dir.ptr, walk_entry, 16, FTW_PHYS);
	}
	if (crm_git_open(&g, sb->repo)) {
		CHECK(!"crm_git_open failed");
		goto done;
	}
	a->stream = a->libgit2 = a->dirty = true;
	a->stream_rc = crm_git_worktree_dirty_stream(g, prefix, folders, 2,
						     (const char *const *)walked.paths,
						     walked.stamps, walked.n, &a->stream);
	a->libgit2_rc = crm_git_worktree_dirty_libgit2(g, prefix, folders, 2,
						       (const char *const *)walked.paths,
						       walked.stamps, walked.n, &a->libgit2);
	a->rc = crm_git_worktree_dirty(g, prefix, folders, 2, (const char *const *)walked.paths,
				       walked.stamps, walked.n, &a->dirty);
done:
	for (i = 0; i < walked.n; i++)
		free(walked.paths[i]);
	crm_git_free(g);
	crm_buf_release(&c);
	crm_buf_release(&d);
	crm_buf_release(&dir);
}

/* The reader decides (`stream_rc` 0) or leaves it to libgit2
 * (INDEX_FILE_UNUSUAL); either way crm_git_worktree_dirty says `dirty`,
 * as libgit2 does. */
#define CHECK_ANSWER(sb, prefix, stream_rc_, dirty_) do { \
	struct answers ans_; \
	ask(&ans_, (sb), (prefix)); \
	CHECK_INT((stream_rc_), ans_.stream_rc); \
	CHECK_INT(0, ans_.libgit2_rc); \
	CHECK_INT(0, ans_.rc); \
	CHECK_INT((dirty_), ans_.libgit2); \
	CHECK_INT((dirty_), ans_.dirty); \
	if (!ans_.stream_rc) \
		CHECK_INT((dirty_), ans_.stream); \
} while (0)

static void test_git_index__clean(void)
{
	struct sandbox sb;

	if (!make_repo(&sb, ""))
		return;
	CHECK_ANSWER(&sb, "", 0, false);
	/* older stamps: the stat data alone says unchanged, nothing hashed */
	CHECK_INT(0, sh(&sb, "touch -d '2020-01-01 00:00:00' clients/2025/a.yaml clients/2025/b.yaml "
			"deals/x.yaml crm.ini notes.txt && git update-index --refresh"));
	CHECK_ANSWER(&sb, "", 0, false);
	sandbox_close(&sb);
}

static void test_git_index__below_a_prefix(void)
{
	struct sandbox sb;

	if (!make_repo(&sb, "crm/"))
		return;
	CHECK_ANSWER(&sb, "crm/", 0, false);
	/* a change outside the prefix does not count */
	CHECK_INT(0, sh(&sb, "echo other >README && git add README && git commit -q -m readme && "
			"echo changed >README"));
	CHECK_ANSWER(&sb, "crm/", 0, false);
	CHECK_INT(0, sh(&sb, "echo 'a: 2' >crm/clients/2025/a.yaml"));
	CHECK_ANSWER(&sb, "crm/", 0, true);
	sandbox_close(&sb);
}

static void test_git_index__edited_deleted_new(void)
{
	struct sandbox sb;

	if (!make_repo(&sb, ""))
		return;
	CHECK_INT(0, sh(&sb, "echo 'a: 2' >clients/2025/a.yaml"));   /* same size, new content */
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "git checkout -q -- clients && rm deals/x.yaml"));
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "git checkout -q -- deals && echo 'c: 1' >clients/2025/c.yaml"));
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "rm clients/2025/c.yaml && echo '[crm] x' >crm.ini"));
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "git checkout -q -- crm.ini && chmod +x notes.txt"));
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "chmod -x notes.txt && rm notes.txt"));
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "git checkout -q -- notes.txt"));
	CHECK_ANSWER(&sb, "", 0, false);
	/* an untracked file outside the record folders does not count */
	CHECK_INT(0, sh(&sb, "echo new >other.txt"));
	CHECK_ANSWER(&sb, "", 0, false);
	sandbox_close(&sb);
}

static void test_git_index__staged(void)
{
	struct sandbox sb;

	if (!make_repo(&sb, ""))
		return;
	/* git add invalidates the cache tree up to the root: the tree is built */
	CHECK_INT(0, sh(&sb, "echo 'a: 2' >clients/2025/a.yaml && git add clients/2025/a.yaml"));
	CHECK_ANSWER(&sb, "", 0, true);
	/* git write-tree makes the cache tree valid again: staged, not committed */
	CHECK_INT(0, sh(&sb, "git write-tree"));
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "git commit -q -m second"));
	CHECK_ANSWER(&sb, "", 0, false);
	/* staged removal */
	CHECK_INT(0, sh(&sb, "git rm -q deals/x.yaml && git write-tree"));
	CHECK_ANSWER(&sb, "", 0, true);
	sandbox_close(&sb);
}

/* An invalid cache tree over an index that equals HEAD, and crm's own
 * commits (which write trees without the index's cache): the tree the
 * index would commit is built from its entries. */
static void test_git_index__tree_built(void)
{
	struct sandbox sb;
	struct crm_git *g = NULL;
	char id[41];
	const char *paths[] = { "crm/clients/2025/a.yaml", "crm/deals/y.yaml" };

	if (!make_repo(&sb, "crm/"))
		return;
	CHECK_INT(0, sh(&sb, "echo 'a: 2' >crm/clients/2025/a.yaml && git add crm/clients && "
			"git checkout -q HEAD -- crm/clients/2025/a.yaml"));
	CHECK_ANSWER(&sb, "crm/", 0, false);
	CHECK_ANSWER(&sb, "", 0, false);
	CHECK_INT(0, sh(&sb, "echo 'a: 3' >crm/clients/2025/a.yaml && echo 'y: 1' >crm/deals/y.yaml && "
			"mkdir -p crm/deals/z && echo 'z: 1' >crm/deals/z/z.yaml && "
			"git add crm/deals/z/z.yaml && git write-tree && git commit -q -m z"));
	CHECK_INT(0, crm_git_open(&g, sb.repo));
	if (g && crm_git_commit(g, id, paths, 2, "crm: a and y")) {
		fprintf(stderr, "  commit failed: %s\n", crm_error_last());
		CHECK(!"commit failed");
	}
	crm_git_free(g);
	CHECK_ANSWER(&sb, "crm/", 0, false);
	CHECK_ANSWER(&sb, "", 0, false);
	/* staged on top of it, in a folder of its own and at the root */
	CHECK_INT(0, sh(&sb, "echo 'w: 1' >crm/deals/z/w.yaml && git add crm/deals/z/w.yaml && "
			"git rm -q --cached crm/deals/z/w.yaml"));
	CHECK_ANSWER(&sb, "crm/", 0, true);   /* untracked w.yaml found */
	CHECK_INT(0, sh(&sb, "rm crm/deals/z/w.yaml && echo r >root.txt && git add root.txt"));
	CHECK_ANSWER(&sb, "crm/", 0, false);
	CHECK_ANSWER(&sb, "", 0, true);
	CHECK_INT(0, sh(&sb, "git rm -q --cached crm/notes.txt"));
	CHECK_ANSWER(&sb, "crm/", 0, true);
	sandbox_close(&sb);
}

static void test_git_index__left_to_libgit2(void)
{
	struct sandbox sb;

	if (!make_repo(&sb, ""))
		return;
	CHECK_INT(0, sh(&sb, "git update-index --index-version 4"));
	CHECK_ANSWER(&sb, "", INDEX_FILE_UNUSUAL, false);
	CHECK_INT(0, sh(&sb, "git update-index --index-version 2 && "
			"git update-index --skip-worktree notes.txt"));
	CHECK_ANSWER(&sb, "", INDEX_FILE_UNUSUAL, false);
	CHECK_INT(0, sh(&sb, "git update-index --no-skip-worktree notes.txt && "
			"echo 'n: 1' >clients/2025/n.yaml && git add -N clients/2025/n.yaml"));
	CHECK_ANSWER(&sb, "", INDEX_FILE_UNUSUAL, true);
	CHECK_INT(0, sh(&sb, "git rm -q --cached clients/2025/n.yaml && rm clients/2025/n.yaml && "
			"git update-index --split-index"));
	/* libgit2 cannot read a split index: its error, as before */
	{
		struct answers a;
		ask(&a, &sb, "");
		CHECK_INT(INDEX_FILE_UNUSUAL, a.stream_rc);
		CHECK(a.libgit2_rc < 0);
		CHECK_INT(a.libgit2_rc, a.rc);
	}
	CHECK_INT(0, sh(&sb, "git update-index --no-split-index && git write-tree"));
	CHECK_ANSWER(&sb, "", 0, false);
	sandbox_close(&sb);
}

static void test_git_index__conflict(void)
{
	struct sandbox sb;

	if (!make_repo(&sb, ""))
		return;
	CHECK_INT(0, sh(&sb, "git checkout -q -b other && echo 'a: other' >clients/2025/a.yaml && "
			"git commit -q -am other && git checkout -q main && "
			"echo 'a: main' >clients/2025/a.yaml && git commit -q -am main"));
	CHECK(sh(&sb, "git merge -q other") != 0);
	CHECK_ANSWER(&sb, "", INDEX_FILE_UNUSUAL, true);
	sandbox_close(&sb);
}

/* The index file's bytes, to damage copies of it. */
static bool read_index(struct crm_buf *out, const struct sandbox *sb)
{
	struct crm_buf path = CRM_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	crm_buf_addf(&path, "%s/.git/index", sb->repo);
	f = fopen(path.ptr, "rb");
	crm_buf_release(&path);
	if (!f)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		crm_buf_add(out, chunk, n);
	fclose(f);
	return true;
}

static void write_index(const struct sandbox *sb, const char *bytes, size_t len)
{
	struct crm_buf path = CRM_BUF_INIT;
	FILE *f;

	crm_buf_addf(&path, "%s/.git/index", sb->repo);
	f = fopen(path.ptr, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(len, fwrite(bytes, 1, len, f));
		CHECK_INT(0, fclose(f));
	}
	crm_buf_release(&path);
}

/* The reader alone on a damaged index: it must not crash or read out of
 * bounds (the sanitizer build watches), and says 0 or UNUSUAL. */
static int stream_answer(const struct sandbox *sb, bool *dirty)
{
	struct crm_git *g = NULL;
	const char *folders[2] = { "clients/", "deals/" };
	int rc;

	if (crm_git_open(&g, sb->repo))
		return -1;
	rc = crm_git_worktree_dirty_stream(g, "", folders, 2, NULL, NULL, 0, dirty);
	crm_git_free(g);
	return rc;
}

static void test_git_index__truncated(void)
{
	struct sandbox sb;
	struct crm_buf index = CRM_BUF_INIT;
	const char *tree;
	size_t len;
	bool dirty;

	if (!make_repo(&sb, ""))
		return;
	CHECK(read_index(&index, &sb));
	tree = memmem(index.ptr, index.len, "TREE", 4);
	CHECK(tree != NULL);
	/* every shorter file: an extension or entry cut, the hash taken for
	 * data; except when the entries and 20 bytes are left, which is an
	 * index without extensions (its checksum is not verified, as git does
	 * not with index.skipHash) */
	for (len = 0; tree && len < index.len; len++) {
		write_index(&sb, index.ptr, len);
		CHECK_INT(len == (size_t)(tree - index.ptr) + 20 ? 0 : INDEX_FILE_UNUSUAL,
			  stream_answer(&sb, &dirty));
	}
	write_index(&sb, index.ptr, index.len);
	CHECK_ANSWER(&sb, "", 0, false);
	crm_buf_release(&index);
	sandbox_close(&sb);
}

static void put_be32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

static void test_git_index__corrupted(void)
{
	struct sandbox sb;
	struct crm_buf index = CRM_BUF_INIT, bad = CRM_BUF_INIT;
	size_t i;
	bool dirty;
	int rc;

	if (!make_repo(&sb, ""))
		return;
	CHECK(read_index(&index, &sb));
	/* more entries than the file holds */
	crm_buf_add(&bad, index.ptr, index.len);
	put_be32(bad.ptr + 8, 0x7fffffff);
	write_index(&sb, bad.ptr, bad.len);
	CHECK_INT(INDEX_FILE_UNUSUAL, stream_answer(&sb, &dirty));
	/* the first entry's name longer than the file */
	crm_buf_reset(&bad);
	crm_buf_add(&bad, index.ptr, index.len);
	bad.ptr[12 + 60] = (char)((bad.ptr[12 + 60] & 0xf0) | 0x0f);
	bad.ptr[12 + 61] = (char)0xff;
	write_index(&sb, bad.ptr, bad.len);
	CHECK_INT(INDEX_FILE_UNUSUAL, stream_answer(&sb, &dirty));
	/* an unknown version, and not an index at all */
	crm_buf_reset(&bad);
	crm_buf_add(&bad, index.ptr, index.len);
	put_be32(bad.ptr + 4, 5);
	write_index(&sb, bad.ptr, bad.len);
	CHECK_INT(INDEX_FILE_UNUSUAL, stream_answer(&sb, &dirty));
	memcpy(bad.ptr, "DIRT", 4);
	write_index(&sb, bad.ptr, bad.len);
	CHECK_INT(INDEX_FILE_UNUSUAL, stream_answer(&sb, &dirty));
	/* every byte flipped in turn: never a crash, an answer or UNUSUAL */
	for (i = 0; i < index.len; i++) {
		crm_buf_reset(&bad);
		crm_buf_add(&bad, index.ptr, index.len);
		bad.ptr[i] = (char)~bad.ptr[i];
		write_index(&sb, bad.ptr, bad.len);
		rc = stream_answer(&sb, &dirty);
		CHECK(rc == 0 || rc == INDEX_FILE_UNUSUAL);
	}
	write_index(&sb, index.ptr, index.len);
	CHECK_ANSWER(&sb, "", 0, false);
	crm_buf_release(&bad);
	crm_buf_release(&index);
	sandbox_close(&sb);
}

TESTS(TEST(test_git_index__clean), TEST(test_git_index__below_a_prefix),
      TEST(test_git_index__edited_deleted_new), TEST(test_git_index__staged),
      TEST(test_git_index__tree_built), TEST(test_git_index__left_to_libgit2), TEST(test_git_index__conflict),
      TEST(test_git_index__truncated), TEST(test_git_index__corrupted))
