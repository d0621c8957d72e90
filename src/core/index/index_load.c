/* Loading every record of a data repository: the files index_walk.c found
 * are stated and read or parsed on all cores (each worker with an arena and
 * findings of its own), unchanged ones left encoded in the cache until a
 * record is asked for; then ids are mapped.  index_query.c answers. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/file_batch.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/map.h"
#include "core/index/index_internal.h"
#include "core/index/record_memo.h"

/* The text of a record file, from the repository's source: the work tree,
 * or git's index or a commit (--staged, --rev, --at). */
static int read_record_file(struct crm_index *idx, struct crm_buf *data, const char *path)
{
	return crm_repo_read_file(idx->repo, path, data, CRM_YAML_MAX_BYTES + 1);
}

/* The name of `path` in the folder the worker has open, or NULL when it
 * is in another (or the worker has none open). */
static const char *name_in_open_folder(const struct worker *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;

	if (!slash || w->dir_fd < 0 || w->dir.len != len || memcmp(w->dir.ptr, path, len))
		return NULL;
	return slash + 1;
}

/* The folder of `path` (relative to the data repository), open in the
 * worker, which keeps it while files of the same folder follow (they come
 * in path order): one name to look up per file, as find does it, not a
 * walk from the root.  Returns a descriptor to use with *name, or -1. */
static int folder_of(struct crm_index *idx, struct worker *w, const char *path,
		     const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;

	*name = slash ? slash + 1 : path;
	if (!slash)
		return idx->root_fd;
	if (!name_in_open_folder(w, path)) {
		if (w->dir_fd >= 0)
			close(w->dir_fd);
		crm_buf_reset(&w->dir);
		crm_buf_add(&w->dir, path, len);
		w->dir_fd = openat(idx->root_fd, w->dir.ptr ? w->dir.ptr : ".",
				   O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	return w->dir_fd;
}

/* How a record file of the work tree is opened: not followed (the walk
 * saw a file, a link now would lead elsewhere), and not waited on if a
 * pipe took the file's place. */
#define RECORD_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)

/* Opens a record file of the work tree relative to its folder.  -1 with
 * errno set. */
static int open_in_folder(struct crm_index *idx, struct worker *w, const char *path)
{
	const char *name;
	int dir = folder_of(idx, w, path, &name);

	return dir < 0 ? -1 : openat(dir, name, RECORD_OPEN_FLAGS);
}

/* States `f`, which the walk did not state (no cache to match its stamp
 * against), once it is open as `fd` (or its open failed with `open_errno`):
 * one lookup of its name for both.  Returns the descriptor, or -1 with the
 * finding added. */
static int state_opened(struct worker *w, struct pending_file *f, int fd, int open_errno)
{
	struct stat st;

	if (fd < 0 && open_errno == ELOOP) {
		crm_diags_add(&w->diags, f->path, 0, 0, CRM_SEV_ERROR, "symlink",
			      "symbolic link is not followed");
		return -1;
	}
	if (fd < 0 || fstat(fd, &st)) {
		crm_diags_add(&w->diags, f->path, 0, 0, CRM_SEV_ERROR, "unreadable",
			      "cannot stat the file");
	} else if (!S_ISREG(st.st_mode)) {
		crm_diags_add(&w->diags, f->path, 0, 0, CRM_SEV_ERROR, "unreadable",
			      "not a regular file");
	} else {
		crm_file_stamp_from_stat(&f->stamp, &st);
		f->unstated = false;
		return fd;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

/* A record file of the work tree, which the walk stated, read on a worker
 * (git's index or a commit: read_record_file). */
static int read_in_folder(struct crm_index *idx, struct worker *w, struct crm_buf *data,
			  const struct pending_file *f)
{
	int fd;

	if (idx->root_fd < 0)
		return read_record_file(idx, data, f->path);
	fd = open_in_folder(idx, w, f->path);
	if (fd < 0)
		return crm_error_errno(errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				       "cannot open '%s/%s'", idx->repo->root, f->path);
	return crm_buf_read_fd(data, fd, f->path, CRM_YAML_MAX_BYTES + 1, f->stamp.size);
}

/* Whether the cache's entry for `f` still holds its tree: the stamp
 * matches, or, the stamp having changed (and the file `read`), the
 * content id of its bytes does.
 * Then the record's encoded tree is the entry's. */
static bool cache_fresh(struct crm_index *idx, struct pending_file *f, bool read)
{
	enum crm_cache_match m;

	if (!f->cached)
		return false;
	m = crm_cache_match(idx->cache, f->cached, &f->stamp);
	if (m == CRM_CACHE_MISS || (m == CRM_CACHE_VERIFY && !read))
		return false;
	if (m == CRM_CACHE_VERIFY && crm_cache_entry_hash(f->cached) != f->hash)
		return false;
	f->hash = crm_cache_entry_hash(f->cached);
	f->enc = crm_cache_entry_bytes(f->cached, &f->enc_len);
	f->lazy = f->cacheable = true;
	return true;
}

/* Where a load keeps what it builds: `keep` lives as long as the index,
 * `scratch` one file at a time. */
struct load_space {
	struct crm_arena *keep, *scratch;
	struct crm_buf *encoding;
	struct crm_buf *data;   /* what a file is read into, its room kept */
	struct crm_diags *diags;
	const struct crm_cache_keys *keys;
	struct worker *w;   /* the worker's open folder, or NULL after the load */
};

/* Parses the `len` bytes of `f` (NUL after them) and keeps the tree
 * encoded (about a tenth of its size as nodes), or, too big to encode, as
 * nodes in sp->keep. */
static void parse_file(struct pending_file *f, struct crm_record *rec, struct load_space *sp,
		       const char *bytes, size_t len)
{
	struct crm_diags again;
	struct crm_node *root = NULL;
	size_t before = sp->diags->list.len;
	void *copy;

	crm_yaml_parse(&root, sp->scratch, bytes, len, f->path, sp->diags);
	/* a file with findings is parsed every time, so they are reported */
	f->cacheable = root && sp->diags->list.len == before;
	crm_buf_reset(sp->encoding);
	if (root && !crm_cache_encode(sp->encoding, root, sp->keys) &&
	    (copy = crm_arena_memdup(sp->keep, sp->encoding->ptr, sp->encoding->len))) {
		f->enc = copy;
		f->enc_len = sp->encoding->len;
		f->lazy = true;
	} else if (root) {
		crm_diags_init(&again);   /* its findings are in already */
		crm_yaml_parse(&rec->root, sp->keep, bytes, len, f->path, &again);
		crm_diags_release(&again);
	}
	crm_arena_reset(sp->scratch);
}

/* The `len` bytes of `f` just read (NUL after them): its tree is the
 * cache's if they are the same, else parsed. */
static void take_bytes(struct crm_index *idx, struct pending_file *f, struct crm_record *rec,
		       struct load_space *sp, const char *bytes, size_t len)
{
	f->hash = crm_cache_hash(bytes, len);
	if (!cache_fresh(idx, f, true))
		parse_file(f, rec, sp, bytes, len);
}

/* Reads `f` by itself (from `fd` when the run opened it, else -1) and
 * gives `rec` its tree: the cache's if the bytes are the same, else
 * parsed; either way encoded, decoded on first use. */
static void read_alone(struct crm_index *idx, struct pending_file *f, struct crm_record *rec,
		       struct load_space *sp, int fd)
{
	struct crm_buf *data = sp->data;
	int err;

	crm_buf_reset(data);
	if (fd >= 0) {
		err = crm_buf_read_fd(data, fd, f->path, CRM_YAML_MAX_BYTES + 1, f->stamp.size);
	} else if (sp->w) {
		err = read_in_folder(idx, sp->w, data, f);
	} else {
		err = read_record_file(idx, data, f->path);
	}
	if (err) {
		crm_diags_add(sp->diags, f->path, 0, 0, CRM_SEV_ERROR, "unreadable", "%s",
			      crm_error_last());
		crm_buf_release(data);   /* a failed read leaves it refusing */
	} else {
		take_bytes(idx, f, rec, sp, data->ptr, data->len);
	}
}

/* Gives `rec` the tree of `f`: the cache's when the file's stamp is
 * unchanged, else read_alone's.  Returns whether the cache missed. */
static bool load_tree(struct crm_index *idx, struct pending_file *f, struct crm_record *rec,
		      struct load_space *sp)
{
	if (cache_fresh(idx, f, false))
		return false;
	read_alone(idx, f, rec, sp, -1);
	return true;
}

int crm_index_alloc_records(struct crm_index *idx)
{
	size_t n = idx->files.len;

	/* One allocation: the records, then their memos (both arrays of
	 * pointer-aligned structs, so the second starts aligned).  Each
	 * record is linked to its memo when it is named: an index listed
	 * from the cache names a type's records on first use, and the
	 * memos of the types a command never asks for stay untouched. */
	if (n + 1 > SIZE_MAX / (sizeof(*idx->records) + sizeof(*idx->memos)))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	idx->records = calloc(n + 1, sizeof(*idx->records) + sizeof(*idx->memos));
	if (!idx->records)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	idx->memos = (struct crm_record_memo *)(idx->records + n + 1);
	return 0;
}

struct crm_record_memo *crm_record_memo(struct crm_index *idx, const struct crm_record *rec)
{
	/* a record made outside the index shares the index's lifetime rules
	 * for what it computes: its memo lives in the index's arena */
	struct crm_record *r = (struct crm_record *)rec;

	if (!r->memo) {
		r->memo = crm_arena_alloc(&idx->arena, sizeof(*r->memo));
		if (!r->memo) {
			crm_error_set(CRM_ENOMEM, "out of memory");
			return NULL;
		}
		r->memo->added = -1;
	}
	return r->memo;
}

void crm_index_record_for_text(struct crm_index *idx, struct crm_record *out,
			       const struct crm_record *rec)
{
	const struct crm_record_memo *was = rec->memo;

	*out = *rec;
	out->root = NULL;
	out->memo = NULL;
	if (!was || !crm_record_memo(idx, out))
		return;
	out->memo->referenced_by = was->referenced_by;
	out->memo->backrefs_known = was->backrefs_known;
	out->memo->added = was->added;
}

/* The record's id and type from its file's name and folder; `memo` is
 * its place in idx->memos. */
static void name_record(struct pending_file *f, struct crm_record *rec,
			struct crm_record_memo *memo, struct crm_arena *arena,
			struct crm_diags *diags)
{
	const char *base = strrchr(f->path, '/');
	size_t n;

	base = base ? base + 1 : f->path;
	n = strlen(base) - 5;
	rec->schema = f->schema;
	rec->path = f->path;
	rec->id = crm_arena_strndup(arena, base, n);
	rec->memo = memo;
	rec->memo->added = -1;
	if (!crm_id_valid(base, n))
		crm_diags_add(diags, f->path, 0, 0, CRM_SEV_ERROR, "bad-id",
			      "'%s' is not a valid record id (lower-case letters, digits and "
			      "'-', at most 64, not starting with '-')", rec->id);
}

/* Loads one file of git's index or a commit into `rec`, on a worker
 * thread (the work tree's come in runs: load_run). */
static void load_one(struct crm_index *idx, struct worker *w, struct pending_file *f,
		     struct crm_record *rec)
{
	struct load_space sp = { &w->arena, &w->scratch, &w->encoding, &w->data, &w->diags,
				 &idx->keys, w };

	name_record(f, rec, &idx->memos[rec - idx->records], &w->arena, &w->diags);
	if (load_tree(idx, f, rec, &sp))
		w->cache_misses++;
}

/* ---- a run of files read at once (crm/file_batch.h) ---- */

/* The largest file read with a run, and the most bytes of one run: the
 * rest are read alone, into the worker's own buffer. */
#define RUN_FILE_MAX ((size_t)64 << 10)
#define RUN_BYTES_MAX ((size_t)1 << 20)

enum run_step {
	RUN_DONE,        /* its tree is the cache's, or it could not be stated */
	RUN_ALONE,       /* opened and read by itself (load_tree) */
	RUN_ALONE_OPEN,  /* read by itself from the descriptor the run opened */
	RUN_READ,        /* read with the run */
};

/* What a run does with each of its files that is read. */
struct run {
	size_t file[CRM_FILE_BATCH_MAX];    /* its index in idx->files */
	enum run_step step[CRM_FILE_BATCH_MAX];
	int fd[CRM_FILE_BATCH_MAX];         /* open, or minus errno */
	size_t room[CRM_FILE_BATCH_MAX], at[CRM_FILE_BATCH_MAX];
	ssize_t got[CRM_FILE_BATCH_MAX];
	size_t n;
};

/* Opens the run's files, a folder's files with one call: they come in
 * path order, and the worker's folder stays open while they last. */
static void open_run(struct crm_index *idx, struct worker *w, struct run *r)
{
	const char *names[CRM_FILE_BATCH_MAX];
	size_t k = 0, j;

	while (k < r->n) {
		const char *path = idx->files.ptr[r->file[k]].path;
		int dir = folder_of(idx, w, path, &names[k]);

		for (j = k + 1; j < r->n && dir != idx->root_fd; j++) {
			names[j] = name_in_open_folder(w, idx->files.ptr[r->file[j]].path);
			if (!names[j])
				break;
		}
		if (dir < 0) {
			for (; k < j; k++)
				r->fd[k] = -ENOENT;
		} else {
			crm_file_batch_open(w->batch, dir, names + k, j - k, RECORD_OPEN_FLAGS,
					    r->fd + k);
		}
		k = j;
	}
}

/* States the files the walk did not, and sees which are read with the run
 * and where their bytes go in w->run.  Returns the room they need. */
static size_t plan_run(struct crm_index *idx, struct worker *w, struct run *r)
{
	size_t k, bytes = 0;

	for (k = 0; k < r->n; k++) {
		struct pending_file *f = &idx->files.ptr[r->file[k]];
		int fd = r->fd[k];

		if (f->unstated) {
			fd = state_opened(w, f, fd < 0 ? -1 : fd, fd < 0 ? -fd : 0);
			if (fd < 0) {
				r->step[k] = RUN_DONE;
				continue;
			}
		} else if (fd < 0) {
			r->step[k] = RUN_ALONE;   /* opened again, to say why it cannot be */
			continue;
		}
		/* one byte more than stated: a file that grew fills it */
		r->room[k] = f->stamp.size < RUN_FILE_MAX ? (size_t)f->stamp.size + 1 : 0;
		if (!r->room[k] || bytes + r->room[k] > RUN_BYTES_MAX) {
			r->step[k] = RUN_ALONE_OPEN;
			r->fd[k] = fd;
			continue;
		}
		r->step[k] = RUN_READ;
		r->fd[k] = fd;
		r->at[k] = bytes;
		bytes += r->room[k];
	}
	return bytes;
}

/* Reads the run's files that go together, with one call, and closes them. */
static void read_run(struct worker *w, struct run *r, size_t bytes)
{
	char *bufs[CRM_FILE_BATCH_MAX];
	int fds[CRM_FILE_BATCH_MAX];
	size_t room[CRM_FILE_BATCH_MAX], map[CRM_FILE_BATCH_MAX], k, m = 0;
	ssize_t got[CRM_FILE_BATCH_MAX];

	if (!bytes)
		return;
	crm_buf_reset(&w->run);
	if (crm_buf_grow(&w->run, bytes)) {
		crm_buf_release(&w->run);   /* refusing now: read alone instead */
		for (k = 0; k < r->n; k++)
			if (r->step[k] == RUN_READ)
				r->step[k] = RUN_ALONE_OPEN;
		return;
	}
	for (k = 0; k < r->n; k++) {
		if (r->step[k] != RUN_READ)
			continue;
		bufs[m] = w->run.ptr + r->at[k];
		fds[m] = r->fd[k];
		room[m] = r->room[k];
		map[m++] = k;
	}
	crm_file_batch_read_close(w->batch, fds, bufs, room, m, got);
	for (k = 0; k < m; k++)
		r->got[map[k]] = got[k];
}

/* States `f`, which the walk left to the load (a folder of many files),
 * by its name in its folder, before its cache entry is matched: unchanged,
 * it is not read. */
static void state_by_name(struct crm_index *idx, struct worker *w, struct pending_file *f)
{
	const char *name;
	int dir = folder_of(idx, w, f->path, &name);

	if (dir >= 0)
		crm_index_state_file(f, dir, name);
}

/* Loads the files idx->files[first, end) of the work tree: those whose
 * trees are not the cache's opened together, stated, and read together,
 * then each parsed, in order. */
static void load_run(struct crm_index *idx, struct worker *w, size_t first, size_t end)
{
	struct load_space sp = { &w->arena, &w->scratch, &w->encoding, &w->data, &w->diags,
				 &idx->keys, w };
	struct run r;
	size_t i, k;

	r.n = 0;
	for (i = first; i < end; i++) {
		struct pending_file *f = &idx->files.ptr[i];
		name_record(f, &idx->records[i], &idx->memos[i], &w->arena, &w->diags);
		if (f->unstated && f->cached)
			state_by_name(idx, w, f);
		if (f->unstated || !cache_fresh(idx, f, false))
			r.file[r.n++] = i;
	}
	if (!r.n)
		return;
	/* set up at the first file to read (a warm load reads none), on the
	 * worker's thread, after its unshare: the ring's opens are its table's;
	 * without one (out of memory) the calls are made one by one */
	if (!w->batch_tried) {
		w->batch_tried = true;
		w->batch = crm_file_batch_new();
		w->ring = crm_file_batch_uses_ring(w->batch);
	}
	open_run(idx, w, &r);
	read_run(w, &r, plan_run(idx, w, &r));
	for (k = 0; k < r.n; k++) {
		struct pending_file *f = &idx->files.ptr[r.file[k]];
		struct crm_record *rec = &idx->records[r.file[k]];

		if (r.step[k] == RUN_READ && r.got[k] >= 0 && (size_t)r.got[k] < r.room[k]) {
			char *bytes = w->run.ptr + r.at[k];
			bytes[r.got[k]] = '\0';
			take_bytes(idx, f, rec, &sp, bytes, (size_t)r.got[k]);
			w->cache_misses++;
		} else if (r.step[k] != RUN_DONE) {
			/* alone, or a read that failed (or would have waited
			 * for the disk) or found the file grown: read again by
			 * itself, which says why it cannot be */
			read_alone(idx, f, rec, &sp, r.step[k] == RUN_ALONE_OPEN ? r.fd[k] : -1);
			w->cache_misses++;
		}
	}
}

/* Loads `f` on the calling thread after the load: what it keeps lives in
 * the index's arena. */
static void load_late(struct crm_index *idx, struct pending_file *f, struct crm_record *rec,
		      bool from_disk)
{
	struct crm_arena scratch = CRM_ARENA_INIT;
	struct crm_buf encoding = CRM_BUF_INIT, data = CRM_BUF_INIT;
	struct load_space sp = { &idx->arena, &scratch, &encoding, &data, &idx->diags, &idx->keys,
				 NULL };

	if (!from_disk) {
		load_tree(idx, f, rec, &sp);
	} else if (read_record_file(idx, &data, f->path)) {
		crm_diags_add(&idx->diags, f->path, 0, 0, CRM_SEV_ERROR, "unreadable", "%s",
			      crm_error_last());
	} else {
		parse_file(f, rec, &sp, data.ptr, data.len);
	}
	crm_arena_release(&scratch);
	crm_buf_release(&encoding);
	crm_buf_release(&data);
}

/* A file listed from the cache (trust_cache), stated on first use: gone,
 * changed (then read), or as the cache has it. */
static void verify_file(struct crm_index *idx, struct pending_file *f, struct crm_record *rec)
{
	struct crm_buf full = CRM_BUF_INIT;
	struct stat st;

	f->unverified = false;
	f->lazy = false;
	f->enc = NULL;
	crm_buf_addf(&full, "%s/%s", idx->repo->root, f->path);
	/* lstat: a record file the cache names that is now a link is gone,
	 * not followed */
	if (lstat(full.ptr, &st) || !S_ISREG(st.st_mode)) {
		f->gone = true;
	} else {
		crm_file_stamp_from_stat(&f->stamp, &st);
		load_late(idx, f, rec, false);
	}
	crm_buf_release(&full);
}

void crm_index_verify(const struct crm_index *cidx, struct crm_record *rec)
{
	/* like decoding, stating fills in what the index holds: see below */
	struct crm_index *idx = (struct crm_index *)cidx;
	struct pending_file *f;

	if (rec->root || !idx->records)
		return;
	f = crm_index_file_of(idx, rec);
	if (f->unverified)
		verify_file(idx, f, rec);
}

void crm_index_materialize(const struct crm_index *cidx, struct crm_record *rec)
{
	/* Decoding fills in what the index already holds in another form:
	 * the index means the same before and after, so readers that hold
	 * it const may decode. */
	struct crm_index *idx = (struct crm_index *)cidx;
	struct pending_file *f;

	if (rec->root || !idx->records)
		return;
	crm_index_verify(idx, rec);
	f = crm_index_file_of(idx, rec);
	if (!f->lazy || crm_index_ahead_take(idx, rec, f))
		return;
	f->lazy = false;
	crm_index_touch(idx, rec);
	rec->root = crm_cache_decode(f->enc, f->enc_len, &idx->trees, &idx->keys);
	if (!rec->root) {   /* an entry that does not decode: the file decides */
		f->enc = NULL;
		load_late(idx, f, rec, true);
		if (f->lazy) {
			f->lazy = false;
			rec->root = crm_cache_decode(f->enc, f->enc_len, &idx->trees, &idx->keys);
		}
	}
}

/* Lets every decoded tree go, and the cache's pages read for them. */
static void release_trees(struct crm_index *idx)
{
	crm_arena_release(&idx->trees);
	idx->trees_epoch++;
	crm_cache_shed(idx->cache);
}

/* Lets go of what record i points at in idx->trees. */
static void untouch(struct crm_index *idx, size_t i)
{
	struct pending_file *f = &idx->files.ptr[i];
	struct crm_record *rec = &idx->records[i];

	f->touched = false;
	if (f->enc && rec->root) {
		rec->root = NULL;
		f->lazy = true;
	}
	if (rec->memo) {
		rec->memo->values = NULL;
		rec->memo->state = NULL;
		rec->memo->referenced_by = NULL;
		rec->memo->backrefs_known = false;
	}
}

void crm_index_trim(struct crm_index *idx)
{
	size_t i;

	if (idx->trees.total <= idx->tree_budget)
		return;
	if (idx->touched_all) {
		for (i = 0; i < idx->files.len; i++)
			untouch(idx, i);
	} else {
		for (i = 0; i < idx->touched.len; i++)
			untouch(idx, idx->touched.ptr[i]);
	}
	idx->touched.len = 0;
	idx->touched_all = false;
	for (i = 0; i < idx->ntypes; i++)
		idx->types[i].materialized = false;
	release_trees(idx);
	idx->trims++;
}

/* ---- passes that let go of what they decode (index_internal.h) ---- */

enum { PASS_HAD_ROOT = 1, PASS_HAD_VALUES = 2, PASS_HAD_BACKREFS = 4 };

void crm_index_pass_begin(struct crm_index *idx, struct crm_index_pass *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!idx->records)
		return;
	p->before = calloc(idx->files.len + 1, 1);
	p->materialized = calloc(idx->ntypes + 1, sizeof(*p->materialized));
	if (!p->before || !p->materialized) {
		free(p->before);
		free(p->materialized);
		p->before = NULL;
		p->materialized = NULL;
		return;
	}
	for (i = 0; i < idx->files.len; i++) {
		const struct crm_record *rec = &idx->records[i];
		const struct crm_record_memo *m = rec->memo;
		p->before[i] = (unsigned char)((rec->root ? PASS_HAD_ROOT : 0) |
					       (m && m->values ? PASS_HAD_VALUES : 0) |
					       (m && (m->referenced_by || m->backrefs_known) ?
						PASS_HAD_BACKREFS : 0));
	}
	for (i = 0; i < idx->ntypes; i++)
		p->materialized[i] = idx->types[i].materialized;
	p->outer = idx->trees;
	crm_arena_init(&idx->trees);
	idx->trees_epoch++;
	p->on = true;
	p->lo = SIZE_MAX;
	p->prev = idx->pass;
	idx->pass = p;
}

/* Forgets what the pass decoded and computed (it is in idx->trees, the
 * pass's arena), then lets the arena go. */
static void pass_drop(struct crm_index *idx, struct crm_index_pass *p)
{
	size_t i, hi = p->hi < idx->files.len ? p->hi : idx->files.len;

	/* what the pass made points into its arena, and was touched since
	 * the pass's last drop */
	for (i = p->lo; i < hi; i++) {
		struct pending_file *f = &idx->files.ptr[i];
		struct crm_record *rec = &idx->records[i];
		struct crm_record_memo *m = rec->memo;

		if (!(p->before[i] & PASS_HAD_ROOT) && f->enc && rec->root) {
			rec->root = NULL;
			f->lazy = true;
		}
		if (m && !(p->before[i] & PASS_HAD_VALUES)) {
			m->values = NULL;
			m->state = NULL;
		}
		if (m && !(p->before[i] & PASS_HAD_BACKREFS)) {
			m->referenced_by = NULL;
			m->backrefs_known = false;
		}
	}
	p->lo = SIZE_MAX;
	p->hi = 0;
	for (i = 0; i < idx->ntypes; i++)
		idx->types[i].materialized = p->materialized[i];
	release_trees(idx);
}

void crm_index_pass_trim(struct crm_index *idx, struct crm_index_pass *p)
{
	if (p->on && idx->trees.total > idx->tree_budget) {
		pass_drop(idx, p);
		idx->trims++;
	}
}

void crm_index_pass_end(struct crm_index *idx, struct crm_index_pass *p)
{
	if (!p->on)
		return;
	pass_drop(idx, p);   /* changes trees_epoch */
	idx->trees = p->outer;
	idx->pass = p->prev;
	free(p->before);
	free(p->materialized);
	memset(p, 0, sizeof(*p));
}

/* Files are taken a run at a time: the files of a folder come together
 * (path order) and a worker keeps its folder open while they last, so
 * runs, not single files, keep the two workers out of each other's
 * folders (at 10 files a folder, one open in nine was a folder's).
 * Short enough that the last run ends with the other worker's, and as
 * many as one call opens and reads (load_run). */
#define FILES_A_CLAIM CRM_FILE_BATCH_MAX

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct crm_index *idx = w->idx;
	/* a table of descriptors of its own: its opens and closes do not
	 * queue on the lock of the table the other threads share.  Only for
	 * the work tree's files: a commit's are read through libgit2, which
	 * keeps the packs it opens for every thread */
	bool own_fds = w != &idx->workers[0] &&
		       idx->repo->source.kind == CRM_SOURCE_WORKTREE && unshare(CLONE_FILES) == 0;
	size_t i, end, shed_at = 8192;

	while ((i = atomic_fetch_add(&idx->next_file, FILES_A_CLAIM)) < idx->files.len) {
		end = i + FILES_A_CLAIM < idx->files.len ? i + FILES_A_CLAIM : idx->files.len;
		if (idx->root_fd >= 0)
			load_run(idx, w, i, end);
		else
			for (; i < end; i++)
				load_one(idx, w, &idx->files.ptr[i], &idx->records[i]);
		/* the walk over the cache's entries touches all of it: let go
		 * of what is behind us now and then */
		if (w == &idx->workers[0] && end >= shed_at) {
			crm_cache_shed(idx->cache);
			shed_at = end + 8192;
		}
	}
	if (own_fds && w->dir_fd >= 0) {
		close(w->dir_fd);   /* in its own table: nobody else can */
		w->dir_fd = -1;
	}
	crm_file_batch_free(w->batch);   /* its ring is in this table too */
	w->batch = NULL;
	return NULL;
}

int crm_index_threads(const struct crm_index *idx, size_t jobs)
{
	long n = idx->opts.threads;

	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	if ((size_t)n > jobs)
		n = (long)jobs;
	return n > 0 ? (int)n : 1;
}

static int parse_all(struct crm_index *idx)
{
	size_t i;
	int threads, started = 0, err = 0;

	err = crm_index_alloc_records(idx);
	if (err)
		return err;
	threads = crm_index_threads(idx, idx->files.len / 64 + 1);
	idx->nworkers = threads;
	for (i = 0; i < (size_t)threads; i++) {
		idx->workers[i].idx = idx;
		crm_arena_init(&idx->workers[i].arena);
		crm_arena_init(&idx->workers[i].scratch);
		crm_buf_init(&idx->workers[i].encoding);
		crm_buf_init(&idx->workers[i].data);
		crm_buf_init(&idx->workers[i].run);
		idx->workers[i].batch = NULL;
		idx->workers[i].batch_tried = idx->workers[i].ring = false;
		crm_buf_init(&idx->workers[i].dir);
		idx->workers[i].dir_fd = -1;
		crm_diags_init(&idx->workers[i].diags);
	}
	/* worker 0 is this thread */
	for (i = 1; i < (size_t)threads; i++) {
		if (pthread_create(&idx->workers[i].thread, NULL, worker_main, &idx->workers[i]))
			break;
		started++;
	}
	worker_main(&idx->workers[0]);
	for (i = 1; i <= (size_t)started; i++)
		pthread_join(idx->workers[i].thread, NULL);
	for (i = 0; i < (size_t)threads; i++) {
		crm_arena_release(&idx->workers[i].scratch);
		crm_buf_release(&idx->workers[i].encoding);
		crm_buf_release(&idx->workers[i].data);
		crm_buf_release(&idx->workers[i].run);
		crm_buf_release(&idx->workers[i].dir);
		if (idx->workers[i].dir_fd >= 0)
			close(idx->workers[i].dir_fd);
	}
	for (i = 0; i < (size_t)threads && !err; i++)
		err = crm_diags_merge(&idx->diags, &idx->workers[i].diags);
	return err;
}

/* Names a type's records and maps their ids: at the load, or, for an index
 * listed from the cache, when the type is first asked for (a command that
 * changes one opportunity never names the contacts). */
int crm_index_map_type(struct crm_index *idx, struct type_entry *t)
{
	size_t i;
	int err = 0;

	t->mapped = true;
	for (i = t->first; i < t->first + t->count && !err; i++) {
		struct crm_record *rec = &idx->records[i], *old;
		struct crm_record **slot;

		if (idx->trusting)
			name_record(&idx->files.ptr[i], rec, &idx->memos[i], &idx->arena,
				    &idx->diags);
		if (!rec->id)
			return CRM_ENOMEM;
		old = crm_map_get(&t->by_id, rec->id);
		if (old) {
			crm_diags_add(&idx->diags, rec->path, 0, 0, CRM_SEV_ERROR, "duplicate-id",
				      "%s id '%s' is already used by '%s'", rec->schema->type,
				      rec->id, old->path);
			continue;
		}
		err = crm_map_put(&t->by_id, rec->id, rec, NULL);
		slot = CRM_ARRAY_PUSH(t->records);
		if (!slot)
			return CRM_ENOMEM;
		*slot = rec;
	}
	return err;
}
int crm_index_map_all(struct crm_index *idx)
{
	size_t i;
	int err = 0;

	for (i = 0; i < idx->ntypes && !err; i++) {
		if (!idx->types[i].mapped)
			err = crm_index_map_type(idx, &idx->types[i]);
	}
	return err;
}
/* Where the cache lives: in the git directory, out of the work tree and
 * out of every commit; NULL outside git or with the cache turned off. */
static char *cache_path(struct crm_index *idx)
{
	const char *env = getenv("CRM_NO_CACHE");
	struct crm_buf path = CRM_BUF_INIT;

	if (idx->opts.no_cache || (env && *env && strcmp(env, "0")))
		return NULL;
	if (crm_git_dir_of(&path, idx->repo->root) || crm_buf_adds(&path, "crm-index-cache")) {
		crm_buf_release(&path);
		return NULL;
	}
	return crm_buf_detach(&path, NULL);
}

/* The cache being opened and checked on another core while the folders
 * are walked: its checksum reads every byte of it (380 MB at a million
 * records, 0.17 s), the walk reads folders; neither needs the other. */
struct cache_opening {
	struct crm_index *idx;       /* read only, by both threads */
	char *file;
	struct crm_cache *cache;
	int err;
	char message[256];           /* the error, set in the opening thread */
};

static void *open_cache_main(void *arg)
{
	struct cache_opening *o = arg;

	if (o->file)
		o->err = crm_cache_open(&o->cache, o->file, o->idx->repo->root, &o->idx->keys);
	if (o->err)
		snprintf(o->message, sizeof(o->message), "%s", crm_error_last());
	return NULL;
}

/* Takes the opened cache into the index and pairs each file with its
 * entry (files come in the order the cache was written, so this is mostly
 * one string compare). */
static int take_cache(struct crm_index *idx, struct cache_opening *o)
{
	size_t i;

	idx->cache_file = o->file;
	idx->cache = o->cache;
	if (o->err)
		return crm_error_set(o->err, "%s", o->message);
	for (i = 0; idx->cache && i < idx->files.len; i++)
		idx->files.ptr[i].cached = crm_cache_find(idx->cache, idx->files.ptr[i].path, i);
	return 0;
}

/* Rewrites the cache when anything was parsed or re-stamped, or a file
 * went away.  A cache that cannot be written is no error: it is a cache. */
static void update_cache(struct crm_index *idx)
{
	struct crm_cache_item *items;
	size_t i, misses = 0, count, changed;

	if (!idx->cache_file)
		return;
	for (i = 0; i < (size_t)idx->nworkers; i++)
		misses += idx->workers[i].cache_misses;
	/* A few changed, added or removed files are parsed each time rather
	 * than rewriting the whole cache after every one-record commit: the
	 * cache is rewritten once they pass 1/64 of the files. */
	count = crm_cache_count(idx->cache);
	changed = misses + (count > idx->files.len ? count - idx->files.len
						   : idx->files.len - count);
	if (idx->cache && changed * 64 <= idx->files.len && (changed == 0 || idx->files.len >= 4096))
		return;
	items = calloc(idx->files.len + 1, sizeof(*items));
	if (!items)
		return;
	for (i = 0; i < idx->files.len; i++) {
		const struct pending_file *f = &idx->files.ptr[i];
		items[i].path = f->path;
		items[i].stamp = f->stamp;
		items[i].hash = f->hash;
		items[i].root = f->cacheable ? idx->records[i].root : NULL;
		items[i].encoded = f->cacheable ? f->enc : NULL;
		items[i].encoded_len = f->enc_len;
	}
	crm_cache_write(idx->cache_file, idx->repo->root, &idx->keys, items, idx->files.len);
	free(items);
}

/* The load of every record file: walked (or listed from git), each
 * left in the cache or read and parsed, the cache brought up to date. */
static int load_files(struct crm_index *idx)
{
	bool at = crm_repo_from_git(idx->repo), opening = false;
	struct cache_opening o = { .idx = idx };
	pthread_t opener;
	int err, cerr = 0;

	/* the cache is the work tree's; without one, no stamp is matched and
	 * the walk states nothing: each file is stated once it is open */
	if (!at) {
		o.file = cache_path(idx);
		idx->walk_stats = o.file && !access(o.file, F_OK);
		opening = !pthread_create(&opener, NULL, open_cache_main, &o);
	}
	err = at ? crm_index_collect_files_git(idx) : crm_index_collect_files(idx);
	if (opening)
		pthread_join(opener, NULL);
	else if (!at)
		open_cache_main(&o);
	if (!at)
		cerr = take_cache(idx, &o);
	if (!err)
		err = cerr;
	if (!err && !at) {
		idx->root_fd = open(idx->repo->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (idx->root_fd < 0)
			err = crm_error_errno(CRM_EIO, "cannot open '%s'", idx->repo->root);
	}
	if (!err)
		err = parse_all(idx);
	if (!err)
		update_cache(idx);
	return err;
}

/* How many bytes of decoded trees crm_index_trim lets a pass keep: 4 MiB
 * and a sixteenth of the files' size, enough that records looked up again
 * and again (the clients of every deal) mostly stay decoded, little beside
 * the three times the files' size a command may use. */
static void set_tree_budget(struct crm_index *idx)
{
	const char *env = getenv("CRM_TREE_BUDGET");   /* bytes; 0: one record */
	uint64_t bytes = 0;
	size_t i;

	for (i = 0; i < idx->files.len; i++)
		bytes += idx->files.ptr[i].stamp.size;
	idx->tree_budget = ((size_t)4 << 20) + (size_t)(bytes / 16);
	if (env && *env)
		idx->tree_budget = (size_t)strtoull(env, NULL, 10);
}

/* With CRM_TRACE set, how the load went, on stderr (as GIT_TRACE does):
 * what a slow command spent its time on, and what the tests check. */
static bool tracing(void)
{
	const char *env = getenv("CRM_TRACE");
	return env && *env && strcmp(env, "0");
}

static void trace_load(const struct crm_index *idx)
{
	size_t i, parsed = 0;
	int ring = 0;

	if (!tracing())
		return;
	if (idx->trusting) {
		fprintf(stderr, "crm: index: %zu files listed from the cache, not walked\n",
			idx->files.len);
		return;
	}
	for (i = 0; i < (size_t)idx->nworkers; i++)
		parsed += idx->workers[i].cache_misses;
	for (i = 0; i < (size_t)idx->nworkers; i++)
		ring += idx->workers[i].ring;
	fprintf(stderr, "crm: index: %zu files walked, %zu read%s", idx->files.len, parsed,
		idx->cache ? "" : " (no cache)");
	if (parsed)
		fprintf(stderr, ", in runs: %d of %d workers through io_uring", ring,
			idx->nworkers);
	fputc('\n', stderr);
}

struct name_list {                 /* a CRM_ARRAY of names */
	const char **ptr;
	size_t len, cap;
};

static int add_key_names(struct name_list *names, const struct crm_field *fields, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		const char **slot = CRM_ARRAY_PUSH(*names);
		if (!slot)
			return CRM_ENOMEM;
		*slot = fields[i].name;
		err = add_key_names(names, fields[i].fields, fields[i].nfields);
	}
	return err;
}

/* The names records' keys are encoded with: every field name of every
 * schema, nested ones too, in schema order. */
static int key_names(struct crm_index *idx)
{
	struct name_list names = { NULL, 0, 0 };
	size_t i;
	int err = 0;

	for (i = 0; i < idx->repo->schemas.len && !err; i++) {
		const struct crm_schema *s = &idx->repo->schemas.ptr[i];
		err = add_key_names(&names, s->fields, s->nfields);
	}
	if (!err)
		err = crm_cache_keys_init(&idx->keys, names.ptr, names.len);
	CRM_ARRAY_RELEASE(names);
	return err;
}

/* The load of trust_cache: the files and records from the cache, when
 * there is a usable one. */
static int open_trusted(struct crm_index *idx)
{
	int err;

	idx->cache_file = cache_path(idx);
	if (!idx->cache_file)
		return 0;
	err = crm_cache_open(&idx->cache, idx->cache_file, idx->repo->root, &idx->keys);
	if (err || !idx->cache) {
		free(idx->cache_file);   /* the walk opens it again */
		idx->cache_file = NULL;
		return err;
	}
	idx->trusting = true;
	return crm_index_collect_cached_files(idx);
}

bool crm_index_trusting(const struct crm_index *idx)
{
	return idx->trusting;
}

int crm_index_load(struct crm_index **out, struct crm_repo *repo,
		   const struct crm_index_options *opts)
{
	struct crm_index_options defaults = CRM_INDEX_OPTIONS_INIT;
	struct crm_index *idx = calloc(1, sizeof(*idx));
	size_t i;
	int err;

	*out = NULL;
	if (!idx)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!opts)
		opts = &defaults;
	idx->repo = repo;
	idx->opts = *opts;
	idx->root_fd = -1;
	/* whatever the load leaves in `trees`: the first trim looks at all */
	idx->touched_all = true;
	crm_arena_init(&idx->arena);
	crm_arena_init(&idx->trees);
	for (i = 0; i < MAX_WORKERS; i++)
		crm_arena_init(&idx->walk_arenas[i]);
	crm_diags_init(&idx->diags);
	idx->today = crm_today(repo->config.timezone);
	err = key_names(idx);
	if (!err && opts->trust_cache && !crm_repo_from_git(repo))
		err = open_trusted(idx);
	if (!err && !idx->trusting)
		err = load_files(idx);
	if (!err && !idx->trusting)
		err = crm_index_map_all(idx);   /* else each type when first asked for */
	if (!err)
		set_tree_budget(idx);
	if (!err)
		trace_load(idx);
	crm_cache_shed(idx->cache);
	if (err) {
		crm_index_free(idx);
		return err == CRM_ENOMEM ? crm_error_set(err, "out of memory") : err;
	}
	*out = idx;
	return 0;
}

void crm_index_free(struct crm_index *idx)
{
	size_t i;
	if (!idx)
		return;
	if (idx->dirty.state == DIRTY_RUNNING)
		pthread_join(idx->dirty.thread, NULL);
	crm_index_decode_ahead_end(idx, idx->ahead);
	if (tracing() && idx->trims)
		fprintf(stderr, "crm: index: decoded records dropped %zu times\n", idx->trims);
	if (tracing() && idx->decoded_ahead)
		fprintf(stderr, "crm: index: %zu records decoded ahead on another core\n",
			idx->decoded_ahead);
	free(idx->dirty.message);
	for (i = 0; i < idx->ntypes; i++) {
		CRM_ARRAY_RELEASE(idx->types[i].records);
		crm_map_release(&idx->types[i].by_id);
	}
	for (i = 0; i < (size_t)idx->nworkers; i++)
		crm_arena_release(&idx->workers[i].arena);
	for (i = 0; i < MAX_WORKERS; i++)
		crm_arena_release(&idx->walk_arenas[i]);
	if (idx->root_fd >= 0)
		close(idx->root_fd);
	crm_cache_free(idx->cache);
	free(idx->cache_file);
	free(idx->types);
	free(idx->records);   /* and the memos after them */
	CRM_ARRAY_RELEASE(idx->touched);
	CRM_ARRAY_RELEASE(idx->files);
	crm_arena_release(&idx->trees);
	crm_arena_release(&idx->arena);
	crm_cache_keys_release(&idx->keys);
	crm_diags_release(&idx->diags);
	free(idx);
}
