/* Transactions around record writes: one lock per repository, held by a
 * writing command from before its first read; files staged, then written
 * all or nothing through a journal under .git; one commit per command; and
 * the recovery of a write that a killed crm left half done. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/beneath.h"
#include "crm/date.h"
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/index.h"
#include "crm/store.h"
#include "util/testhook.h"
#include "crm/utf8.h"

/* ---- the repository's lock ---- */

/* The lock a writing command took before reading (crm_store_lock); a
 * transaction of the same command joins it instead of waiting for it. */
static struct {
	struct crm_lockfile lock;
	const struct crm_repo *repo;
} command_lock = { CRM_LOCKFILE_INIT, NULL };

/* "<git dir>/<name>". */
static int git_path(struct crm_buf *out, struct crm_git *git, const char *name)
{
	crm_buf_reset(out);
	return crm_buf_addf(out, "%s%s", crm_git_gitdir(git), name);
}

/* The repository's lock, "<git dir>crm", for the git folder `gitdir`. */
static int take_lock(struct crm_lockfile *lk, const char *gitdir, long timeout_ms,
		     long *dead_pid_out)
{
	struct crm_buf path = CRM_BUF_INIT;
	int err = crm_buf_addf(&path, "%scrm", gitdir);
	if (!err)
		err = crm_lockfile_acquire_owned(lk, path.ptr, timeout_ms, dead_pid_out);
	crm_buf_release(&path);
	return err;
}

int crm_store_lock(struct crm_repo *repo, long *dead_pid_out)
{
	struct crm_buf gitdir = CRM_BUF_INIT;
	int err;

	*dead_pid_out = 0;
	if (command_lock.repo)
		return crm_error_set(CRM_ERROR, "the repository is locked already");
	/* the git folder found without starting libgit2 when it is a plain
	 * .git: the lock comes first in every write, and libgit2's start
	 * (5 ms: every CA certificate parsed) runs on another thread
	 * meanwhile (crm_git_warm_up_begin) */
	err = crm_git_dir_of(&gitdir, repo->root);
	if (!err)
		err = take_lock(&command_lock.lock, gitdir.ptr, 5000, dead_pid_out);
	if (!err)
		command_lock.repo = repo;
	crm_buf_release(&gitdir);
	return err;
}

void crm_store_unlock(struct crm_repo *repo)
{
	if (command_lock.repo != repo)
		return;
	crm_lockfile_rollback(&command_lock.lock);
	command_lock.repo = NULL;
}

int crm_txn_begin(struct crm_txn *t, struct crm_repo *repo)
{
	long dead_pid;
	int err;

	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
	t->repo = repo;
	t->dirs = (struct crm_beneath)CRM_BENEATH_INIT(repo->root);
	err = crm_git_open_prepared(&t->git, repo->root);
	if (err)
		return err;
	t->prefix = crm_git_prefix(t->git, repo->root);
	t->joined = command_lock.repo == repo;
	return t->joined ? 0 : take_lock(&t->lock, crm_git_gitdir(t->git), 5000, &dead_pid);
}

/* ---- staging: nothing on disk changes before the commit ---- */

/* The entry staged for `path`, found through a map: an import stages tens
 * of thousands of files, and a scan per file made that quadratic. */
static struct crm_txn_file *staged(struct crm_txn *t, const char *path)
{
	uintptr_t slot = (uintptr_t)crm_map_get(&t->file_slot, path);
	return slot ? &t->files.ptr[slot - 1] : NULL;
}

/* Files crm reads whole, whatever their size: pre-images and git's index. */
#define ANY_SIZE ((size_t)1 << 40)

/* Reads `path` below `root` into *data (NULL when there is no such file);
 * a link on the way would take the write (and this read) out of the
 * repository, or make git see a tree where it was: CRM_EINVALID. */
static int read_pre_image(char **data, size_t *len, struct crm_beneath *dirs, const char *path)
{
	struct crm_buf b = CRM_BUF_INIT;
	int err = crm_beneath_read(dirs, &b, path, ANY_SIZE);

	*data = NULL;
	*len = 0;
	if (err == CRM_ENOTFOUND)
		err = 0;
	else if (!err)
		*data = crm_buf_detach(&b, len);
	crm_buf_release(&b);
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

/* The entry for `path`, made with the file's pre-image on first use
 * (unless `absent`: the caller knows there is none). */
static int stage(struct crm_txn_file **out, struct crm_txn *t, const char *path, bool absent)
{
	struct crm_txn_file *f = staged(t, path);
	int err = 0;

	if (f)
		goto done;
	f = CRM_ARRAY_PUSH(t->files);
	if (!f) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (f->path && crm_map_put(&t->file_slot, f->path, (void *)(uintptr_t)t->files.len,
				   NULL))
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	if (err)
		goto done;
	if (!f->path)
		err = crm_error_set(CRM_ENOMEM, "out of memory");
	else if (!absent)
		err = read_pre_image(&f->old_data, &f->old_len, &t->dirs, path);
	if (!err)
		err = remember(t, path);
done:
	*out = f;
	return err;
}

static int stage_bytes(struct crm_txn *t, const char *path, const char *data, size_t len,
		       bool absent)
{
	struct crm_txn_file *f;
	int err = stage(&f, t, path, absent);
	if (err)
		return err;
	free(f->new_data);
	f->new_data = malloc(len + 1);
	if (!f->new_data)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	memcpy(f->new_data, data, len);
	f->new_data[len] = '\0';
	f->new_len = len;
	return 0;
}

int crm_txn_write(struct crm_txn *t, const char *path, const char *data, size_t len)
{
	return stage_bytes(t, path, data, len, false);
}

int crm_txn_create(struct crm_txn *t, const char *path, const char *data, size_t len)
{
	return stage_bytes(t, path, data, len, true);
}

int crm_txn_remove(struct crm_txn *t, const char *path)
{
	struct crm_txn_file *f;
	int err = stage(&f, t, path, false);
	if (err)
		return err;
	free(f->new_data);
	f->new_data = NULL;
	f->new_len = 0;
	return 0;
}

/* ---- the journal ----
 * .git/crm-journal, written (and fsynced) before the first file changes:
 *   crm-journal 1\nhead <id|none>\nindex <0|1>\n
 *   then per file "P <len>\n<path>\n" and "O <len>\n<bytes>\n" or "N\n"
 *   and "end\n".
 * .git/crm-journal.index is git's index as it was (a hard link). */

static void add_field(struct crm_buf *j, char tag, const char *data, size_t len)
{
	crm_buf_addf(j, "%c %zu\n", tag, len);
	crm_buf_add(j, data, len);
	crm_buf_addch(j, '\n');
}

static int write_journal(struct crm_txn *t, const char *head, bool index_saved)
{
	struct crm_buf j = CRM_BUF_INIT, path = CRM_BUF_INIT;
	size_t i;
	int err;

	crm_buf_addf(&j, "crm-journal 1\nhead %s\nindex %d\n", head, index_saved);
	for (i = 0; i < t->files.len; i++) {
		const struct crm_txn_file *f = &t->files.ptr[i];
		add_field(&j, 'P', f->path, strlen(f->path));
		if (f->old_data)
			add_field(&j, 'O', f->old_data, f->old_len);
		else
			crm_buf_adds(&j, "N\n");
	}
	crm_buf_adds(&j, "end\n");
	git_path(&path, t->git, "crm-journal.lock");
	unlink(path.ptr);   /* left by a crm killed while writing it */
	git_path(&path, t->git, "crm-journal");
	err = crm_write_file_atomic(path.ptr, j.ptr, j.len);
	crm_buf_release(&j);
	crm_buf_release(&path);
	return err;
}

/* Reads a "<tag> <len>\n<bytes>\n" field at *p. */
static bool read_field(const char **p, const char *end, char tag, const char **data,
		       size_t *len)
{
	char *after;
	unsigned long long n;

	if (end - *p < 3 || (*p)[0] != tag || (*p)[1] != ' ')
		return false;
	n = strtoull(*p + 2, &after, 10);
	/* the bytes and the newline after them within the journal (a cut one
	 * can end right after the length) */
	if (*after != '\n' || end - after < 2 || n > (unsigned long long)(end - after - 2) ||
	    after[1 + n] != '\n')
		return false;
	*data = after + 1;
	*len = (size_t)n;
	*p = after + 2 + n;
	return true;
}

/* Keeps git's index as it is now (a hard link: git replaces the file by
 * renaming, so the link keeps the old bytes); *saved false when there is
 * no index yet. */
static int save_index(struct crm_git *git, bool *saved)
{
	struct crm_buf index = CRM_BUF_INIT, copy = CRM_BUF_INIT, data = CRM_BUF_INIT;
	struct stat st;
	int err = 0;

	git_path(&index, git, "index");
	git_path(&copy, git, "crm-journal.index");
	unlink(copy.ptr);
	*saved = !stat(index.ptr, &st);
	if (*saved && link(index.ptr, copy.ptr)) {
		err = crm_buf_read_file(&data, index.ptr, ANY_SIZE);
		if (!err)
			err = crm_write_file_atomic(copy.ptr, data.ptr, data.len);
	}
	crm_buf_release(&index);
	crm_buf_release(&copy);
	crm_buf_release(&data);
	return err;
}

/* Puts git's index back as save_index kept it. */
static int restore_index(struct crm_git *git, bool saved)
{
	struct crm_buf index = CRM_BUF_INIT, copy = CRM_BUF_INIT;
	int err = 0;

	git_path(&index, git, "index");
	git_path(&copy, git, "crm-journal.index");
	if (saved && rename(copy.ptr, index.ptr) && errno != ENOENT)
		err = crm_error_errno(CRM_EIO, "cannot restore git's index");
	if (!saved && unlink(index.ptr) && errno != ENOENT)
		err = crm_error_errno(CRM_EIO, "cannot restore git's index");
	crm_buf_release(&index);
	crm_buf_release(&copy);
	return err;
}

static void drop_journal(struct crm_git *git)
{
	struct crm_buf path = CRM_BUF_INIT;
	git_path(&path, git, "crm-journal");
	unlink(path.ptr);
	git_path(&path, git, "crm-journal.index");
	unlink(path.ptr);
	crm_buf_release(&path);
}

/* Writes `data` (NULL: removes the file) at `path` below `root`, opening
 * its folder beneath the root so that no link is followed; a lock file a
 * killed crm left beside it goes first, as the repository's lock says no
 * other crm writes it.  `flush`: on disk when it returns. */
static int put_file(const char *root, const char *path, const char *data, size_t len,
		    bool stale_lock_possible, bool flush)
{
	struct crm_buf lock = CRM_BUF_INIT;
	int err = 0;

	if (stale_lock_possible) {
		crm_buf_addf(&lock, "%s.lock", path);
		crm_unlink_beneath(root, lock.ptr);
	}
	if (data)
		err = crm_write_file_beneath(root, path, data, len, flush);
	else
		err = crm_unlink_beneath(root, path);
	if (err == CRM_ENOTFOUND && !data)
		err = 0;
	crm_buf_release(&lock);
	return err;
}

/* ---- commit ---- */

/* Creates the missing folders of `path` (below the root, each beneath
 * it) and keeps the ones it made, for restore_files. */
static int make_parents(struct crm_txn *t, const char *path)
{
	char *copy = strdup(path), *p;
	struct crm_buf dir = CRM_BUF_INIT;
	bool made;
	int err = 0;
	struct stat st;
	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	/* most files go to a folder that is there: one stat, not a folder
	 * opened beneath the root for every folder on the way (a link there
	 * is still refused, by the write that opens it beneath the root) */
	p = strrchr(copy, '/');
	if (p && !crm_buf_addf(&dir, "%s/%.*s", t->repo->root, (int)(p - copy), copy) &&
	    !stat(dir.ptr, &st) && S_ISDIR(st.st_mode)) {
		crm_buf_release(&dir);
		free(copy);
		return 0;
	}
	crm_buf_release(&dir);
	for (p = strchr(copy + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		err = crm_mkdir_beneath(&made, t->repo->root, copy);
		if (!err && made) {
			char **slot = CRM_ARRAY_PUSH(t->made_dirs);
			if (!slot || !(*slot = strdup(copy)))
				err = crm_error_set(CRM_ENOMEM, "out of memory");
		}
		*p = '/';
	}
	free(copy);
	return err;
}

/* Up to this many files, each written is flushed with its folder; more,
 * or any removal, and the whole filesystem is flushed once at the end:
 * syncfs also waits for whatever other programs wrote, which one file's
 * fsync does not (the common `crm set` would wait on a busy machine's
 * every write). */
#define FLUSH_EACH_MAX 16

static bool flush_each_file(const struct crm_txn *t)
{
	size_t i;

	if (t->files.len > FLUSH_EACH_MAX)
		return false;
	for (i = 0; i < t->files.len; i++) {
		if (!t->files.ptr[i].new_data)
			return false;
	}
	return true;
}

static int apply_files(struct crm_txn *t)
{
	struct crm_txn_file *f;
	bool each = flush_each_file(t);
	size_t i;
	int err = 0;

	for (i = 0; i < t->files.len && !err; i++) {
		f = &t->files.ptr[i];
		if (f->new_data)
			err = make_parents(t, f->path);
		if (i == t->files.len / 2)
			crm_test_pause("txn-apply-half");
		if (!err && crm_test_fail("txn-apply") && i + 1 == t->files.len)
			err = crm_error_set(CRM_EIO, "cannot write '%s' (test hook)", f->path);
		/* a file that was not there is written in place: the journal
		 * removes it if crm is killed before the commit */
		if (!err && f->new_data && !f->old_data) {
			err = crm_beneath_create(&t->dirs, f->path, f->new_data, f->new_len, each,
						 &f->created);
			f->was_created = !err;
			if (err == CRM_EEXISTS)
				err = crm_error_set(err, "cannot create '%s': a file or link crm did "
						    "not read as a record is there", f->path);
		} else if (!err)
			err = put_file(t->repo->root, f->path, f->new_data, f->new_len, false, each);
	}
	/* the journal makes the files all or nothing; the flush makes them
	 * durable before the commit names them */
	return err || each ? err : crm_flush_filesystem(t->repo->root);
}

/* Every file back as it was before apply_files, the folders it made gone. */
static int restore_files(struct crm_txn *t)
{
	size_t i;
	int err = 0;

	crm_beneath_release(&t->dirs);   /* folders are removed below */
	for (i = t->files.len; i-- > 0;) {
		const struct crm_txn_file *f = &t->files.ptr[i];
		/* a file that was not there and that this write did not make
		 * (not reached, or made by someone else meanwhile) is not ours
		 * to remove */
		if (!f->old_data && f->new_data && !f->was_created)
			continue;
		if (put_file(t->repo->root, f->path, f->old_data, f->old_len, true, false))
			err = CRM_EIO;
	}
	for (i = t->made_dirs.len; i-- > 0;)
		crm_rmdir_beneath(t->repo->root, t->made_dirs.ptr[i]);
	return err ? err : crm_flush_filesystem(t->repo->root);
}

/* The commit of the files written, those created in place staged from
 * the bytes and stat data crm has (t->paths and t->files are in step). */
static int commit_files(struct crm_txn *t, const char *message, char out_id[41])
{
	struct crm_git_known_file *known = NULL;
	size_t i;
	int err;

	if (t->paths.len == t->files.len)
		known = calloc(t->files.len, sizeof(*known));
	for (i = 0; known && i < t->files.len; i++) {
		const struct crm_txn_file *f = &t->files.ptr[i];
		if (f->was_created) {
			known[i].data = f->new_data;
			known[i].len = f->new_len;
			known[i].st = f->created;
		}
	}
	err = crm_git_commit_known(t->git, out_id, (const char *const *)t->paths.ptr, known,
				   t->paths.len, message);
	free(known);
	return err;
}

int crm_txn_commit(struct crm_txn *t, const char *message, char out_id[41])
{
	char head[41] = "none", *failure;
	bool index_saved = false;
	int err;

	if (!t->files.len) {
		crm_test_pause("before-commit");
		return crm_git_commit(t->git, out_id, NULL, 0, message);
	}
	err = crm_git_head(t->git, head, NULL);
	if (err == CRM_ENOTFOUND) {
		memcpy(head, "none", 5);
		err = 0;
	}
	if (!err)
		err = save_index(t->git, &index_saved);
	if (!err)
		err = write_journal(t, head, index_saved);
	if (err)
		return err;
	err = apply_files(t);
	if (!err) {
		crm_test_pause("before-commit");
		err = commit_files(t, message, out_id);
	}
	if (!err) {
		drop_journal(t->git);
		return 0;
	}
	/* the journal stays when a file cannot be put back: the next crm
	 * tries again; the user reads why the write failed, not what the
	 * restore met on its way (a stale lock file that was not there) */
	failure = strdup(crm_error_last());
	if (!restore_files(t) && !restore_index(t->git, index_saved))
		drop_journal(t->git);
	if (failure)
		crm_error_set(err, "%s", failure);
	free(failure);
	return err;
}

void crm_txn_release(struct crm_txn *t)
{
	size_t i;
	if (!t->joined)
		crm_lockfile_rollback(&t->lock);
	for (i = 0; i < t->paths.len; i++)
		free(t->paths.ptr[i]);
	CRM_ARRAY_RELEASE(t->paths);
	for (i = 0; i < t->files.len; i++) {
		free(t->files.ptr[i].path);
		free(t->files.ptr[i].old_data);
		free(t->files.ptr[i].new_data);
	}
	CRM_ARRAY_RELEASE(t->files);
	crm_map_release(&t->file_slot);
	for (i = 0; i < t->made_dirs.len; i++)
		free(t->made_dirs.ptr[i]);
	CRM_ARRAY_RELEASE(t->made_dirs);
	free(t->prefix);
	crm_git_free(t->git);
	crm_beneath_release(&t->dirs);
	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
	t->dirs = (struct crm_beneath)CRM_BENEATH_INIT(NULL);
}

/* ---- recovery ---- */

static int damaged_journal(void)
{
	return crm_error_set(CRM_EINVALID, "the journal .git/crm-journal is damaged; see "
			     "'git status' and remove it");
}

/* Walks the files of a journal from `p`: with `repo`, puts each back as it
 * was (the count in *restored); without, only checks that the journal is
 * whole, so that a damaged one changes nothing. */
static int walk_journal(struct crm_repo *repo, const char *p, const char *end,
			size_t *restored)
{
	struct crm_buf path = CRM_BUF_INIT;
	const char *data, *old;
	size_t len, old_len;
	int err = 0;

	*restored = 0;
	while (!err && read_field(&p, end, 'P', &data, &len)) {
		crm_buf_reset(&path);
		crm_buf_add(&path, data, len);
		old = NULL;
		old_len = 0;
		if (end - p >= 2 && p[0] == 'N' && p[1] == '\n')
			p += 2;
		else if (!read_field(&p, end, 'O', &old, &old_len))
			break;
		if (repo)
			err = put_file(repo->root, path.ptr, old, old_len, true, false);
		++*restored;
	}
	if (!err && (end - p != 4 || memcmp(p, "end\n", 4)))
		err = damaged_journal();
	if (!err && repo)
		err = crm_flush_filesystem(repo->root);
	crm_buf_release(&path);
	return err;
}

/* The three lines a journal starts with, and where its files start. */
struct journal_header {
	char head[41];
	int index_saved;
	const char *files;
};

static int read_journal_header(struct journal_header *h, const char *text, size_t len)
{
	const char *p, *end = text + len;
	int lines;

	if (sscanf(text, "crm-journal 1\nhead %40s\nindex %d\n", h->head, &h->index_saved) != 2)
		return damaged_journal();
	for (p = text, lines = 0; p < end && lines < 3; p++)
		lines += *p == '\n';
	h->files = p;
	return 0;
}

int crm_store_journal_check(const char *text, size_t len)
{
	struct journal_header h;
	size_t files;
	int err = read_journal_header(&h, text, len);

	return err ? err : walk_journal(NULL, h.files, text + len, &files);
}

/* With the lock held: rolls the journal back or, when its commit was made,
 * only drops it. */
static int recover_locked(struct crm_repo *repo, struct crm_git *git, struct crm_buf *report)
{
	struct crm_buf path = CRM_BUF_INIT, j = CRM_BUF_INIT;
	struct journal_header was;
	char head[41] = "none";
	size_t restored = 0;
	int err;

	git_path(&path, git, "crm-journal");
	err = crm_buf_read_file(&j, path.ptr, ANY_SIZE);
	if (err) {
		err = access(path.ptr, F_OK) ? 0 : err;   /* gone: another crm finished it */
		goto done;
	}
	err = read_journal_header(&was, j.ptr, j.len);
	if (err)
		goto done;
	if (crm_git_head(git, head, NULL) && strcmp(was.head, "none")) {
		err = crm_error_set(CRM_EIO, "cannot read HEAD to finish the interrupted write");
		goto done;
	}
	if (strcmp(head, was.head)) {
		drop_journal(git);
		crm_buf_addf(report, "an interrupted write had been committed (%.8s); its journal "
			     "was removed\n", head);
		goto done;
	}
	/* a damaged journal changes nothing */
	err = walk_journal(NULL, was.files, j.ptr + j.len, &restored);
	if (!err)
		err = walk_journal(repo, was.files, j.ptr + j.len, &restored);
	if (!err)
		err = restore_index(git, was.index_saved);
	if (!err) {
		drop_journal(git);
		crm_buf_addf(report, "an interrupted write was rolled back: %zu file%s restored "
			     "as of %.8s\n", restored, restored == 1 ? "" : "s", head);
	}
done:
	crm_buf_release(&path);
	crm_buf_release(&j);
	return err;
}

int crm_store_recover(struct crm_repo *repo, struct crm_buf *report)
{
	struct crm_lockfile lock = CRM_LOCKFILE_INIT;
	struct crm_buf path = CRM_BUF_INIT;
	struct crm_git *git = NULL;
	long dead_pid = 0;
	int err = 0;

	/* the look for a journal needs no libgit2: a command that finds none
	 * has not started it */
	if (crm_git_dir_of(&path, repo->root) || crm_buf_adds(&path, "crm-journal"))
		goto done;   /* not a git work tree: nothing crm could have journaled */
	if (access(path.ptr, F_OK))
		goto done;
	err = crm_git_open(&git, repo->root);
	if (err) {
		err = 0;
		goto done;
	}
	/* a live writer's journal is its own business: a command that does
	 * not write goes on without waiting for it */
	if (command_lock.repo != repo) {
		err = take_lock(&lock, crm_git_gitdir(git), 0, &dead_pid);
		if (err == CRM_ELOCKED) {
			err = 0;
			goto done;
		}
	}
	if (dead_pid)
		crm_buf_addf(report, "took over the lock of crm process %ld, which had died\n",
			     dead_pid);
	if (!err)
		err = recover_locked(repo, git, report);
	crm_lockfile_rollback(&lock);
done:
	crm_buf_release(&path);
	crm_git_free(git);
	return err;
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
	struct crm_diags diags;
	int err;

	err = crm_buf_read_file_beneath(text_out, repo->root, path, CRM_YAML_MAX_BYTES);
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

int crm_store_unchanged(struct crm_repo *repo, const char *path,
			const struct crm_buf *expected)
{
	struct crm_buf now = CRM_BUF_INIT;
	int err;

	err = crm_buf_read_file_beneath(&now, repo->root, path, CRM_YAML_MAX_BYTES);
	if (!err && (now.len != expected->len || memcmp(now.ptr, expected->ptr, now.len)))
		err = crm_error_set(CRM_ECONFLICT, "'%s' was changed by another command while it "
				    "was being edited; nothing was written", path);
	crm_buf_release(&now);
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
	/* a record that does not exist, not a malformed value: exit 1, as
	 * for any other record the command line names and the index lacks */
	if (hint)
		return crm_error_set(CRM_ENOTFOUND, "unknown %s '%s' (did you mean '%s'?)", target,
				     id, hint);
	return crm_error_set(CRM_ENOTFOUND, "unknown %s '%s'", target, id);
}

/* For "next_step.dat": the closest entry of mapping field next_step. */
static const char *suggest_entry(const struct crm_schema *s, const char *field)
{
	const char *dot = strchr(field, '.');
	const struct crm_field *map;
	char head[128];

	if (!dot || (size_t)(dot - field) >= sizeof(head))
		return NULL;
	memcpy(head, field, (size_t)(dot - field));
	head[dot - field] = '\0';
	map = crm_schema_field(s, head);
	if (!map || map->type != CRM_F_MAP)
		return NULL;
	return crm_fields_suggest(map->fields, map->nfields, dot + 1);
}

int crm_store_validate(struct crm_index *idx, const struct crm_schema *s,
		       const char *field, const char *value)
{
	bool computed;
	const struct crm_field *f = crm_index_field(s, field, &computed);
	struct crm_node n;
	struct crm_value v;
	const char *hint;

	if (f && computed && !crm_field_is_computed(f))
		return crm_error_set(CRM_EINVALID, "field '%s' is computed from the activities "
				     "about the %s; it cannot be set", field, s->type);
	if (!f) {
		hint = suggest_entry(s, field);
		if (hint)
			return crm_error_set(CRM_EINVALID, "%s has no field '%s' (did you mean "
					     "'%.*s.%s'?)", s->type, field,
					     (int)(strchr(field, '.') - field), field, hint);
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
		return crm_error_set(CRM_EINVALID, "field '%s' holds entries; set one of them "
				     "('%s.%s=...') or edit the file ('crm edit')", field, field,
				     f->nfields ? f->fields[0].name : "key");
	if (strchr(field, '.') && (f->type == CRM_F_TAGS || f->type == CRM_F_REFS ||
				   f->type == CRM_F_FILES))
		return crm_error_set(CRM_EINVALID, "field '%s' holds a list inside a mapping; "
				     "edit the file ('crm edit')", field);
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

/* The field `name` of `s`, or of a mapping field for "next_step.date". */
static const struct crm_field *typed_field(const struct crm_schema *s, const char *name)
{
	const struct crm_field *f = crm_schema_field(s, name), *map;
	const char *dot = strchr(name, '.');
	char head[128];

	if (f || !dot || (size_t)(dot - name) >= sizeof(head))
		return f;
	snprintf(head, sizeof(head), "%.*s", (int)(dot - name), name);
	map = crm_schema_field(s, head);
	if (!map || map->type != CRM_F_MAP)
		return NULL;
	return crm_fields_find(map->fields, map->nfields, dot + 1);
}

int crm_store_typed_value(const char **out, char *buf, size_t size, struct crm_index *idx,
			  const struct crm_schema *s, const char *field, const char *value)
{
	const struct crm_field *f = typed_field(s, field);
	const struct crm_repo *repo = crm_index_repo(idx);
	int64_t now = crm_now();
	int32_t offset = 0;
	int err;

	*out = value;
	if (!f || !*value || (f->type != CRM_F_DATE && f->type != CRM_F_DATETIME))
		return 0;
	if (crm_tz_offset(&offset, repo->config.timezone, now))
		offset = 0;   /* crm check reports an unknown zone */
	err = crm_date_typed_text(buf, size, value, strlen(value), f->type == CRM_F_DATETIME,
				  crm_index_today(idx), now, offset, NULL);
	if (err)
		return crm_error_set(CRM_EINVALID, "%s: %s", field, crm_error_last());
	*out = buf;
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
