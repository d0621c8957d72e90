/* Which record files there are: each type folder walked (in path order, so
 * every listing is reproducible), or the files git's index or a commit holds
 * (--staged, --rev, --at), or the files the cache names for trust_cache.  index_load.c loads them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "core/index/cache.h"
#include "core/index/index_internal.h"

/* The most entries of a folder one job states: a longer run of files in a
 * type folder is several jobs, and the files of a longer folder below it
 * are stated by the load's workers. */
#define WALK_RUN_MAX 256

/* Where a walk puts what it finds: the index's own lists, or one job's
 * of the walk on all cores (see crm_index_collect_files). */
struct walk_out {
	struct pending_files *files;
	struct crm_arena *paths;
	struct crm_diags *diags;
	bool stat_files;             /* a cache to match stamps against */
};

struct walk_name {
	const char *name;
	unsigned char type;          /* DT_DIR, DT_REG, ... from readdir */
};

static int walk_folder(const struct walk_out *out, const struct crm_schema *s,
		       struct crm_buf *rel, int parent_fd, const char *name, int depth);

/* A record file to load (files read from git have no stamp). */
static struct pending_file *add_file(const struct walk_out *out, const struct crm_schema *s,
				     const char *rel, int *err)
{
	struct pending_file *f = CRM_ARRAY_PUSH(*out->files);

	if (f) {
		f->schema = s;
		f->path = crm_arena_strdup(out->paths, rel);
	}
	if (!f || !f->path)
		*err = CRM_ENOMEM;
	return *err ? NULL : f;
}

/* A record file of the work tree, stated here, beside the folder's listing,
 * while its name is fresh in the kernel's caches (the walk runs on every
 * core).  One that is not a plain file now, or cannot be stated, is stated
 * again by the worker that loads it, which reports why. */
static int add_walked_file(const struct walk_out *out, const struct crm_schema *s,
			   const char *rel, int dfd, const char *name)
{
	int err = 0;
	struct pending_file *f = add_file(out, s, rel, &err);

	if (!f)
		return err;
	f->unstated = true;
	if (out->stat_files)   /* else stated when loaded */
		crm_index_state_file(f, dfd, name);
	return 0;
}

void crm_index_state_file(struct pending_file *f, int dfd, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
		return;
	crm_file_stamp_from_stat(&f->stamp, &st);
	f->unstated = false;
}

/* A symbolic link in a type folder is reported, never followed: it could
 * lead out of the repository (a clone brings links along), or back into
 * it, in a loop.  Links that are neither record files nor folders are
 * ignored like any other file. */
static void report_link(const struct walk_out *out, const char *rel, int dfd, const char *name)
{
	char target[4096];
	size_t n = strlen(name);
	ssize_t len;
	struct stat st;

	if (!(n > 5 && !strcmp(name + n - 5, ".yaml")) &&
	    (fstatat(dfd, name, &st, 0) || !S_ISDIR(st.st_mode)))
		return;
	len = readlinkat(dfd, name, target, sizeof(target) - 1);
	target[len > 0 ? len : 0] = '\0';
	crm_diags_add(out->diags, rel, 0, 0, CRM_SEV_ERROR, "symlink",
		      "symbolic link to '%s' is not followed", target);
}

/* One entry of a folder.  The type readdir gave is enough to tell record
 * files from folders and links. */
static int walk_entry(const struct walk_out *out, const struct crm_schema *s,
		      struct crm_buf *rel, int dfd, const struct walk_name *e, int depth)
{
	size_t keep = rel->len, n = strlen(e->name);
	bool dir = e->type == DT_DIR, reg = e->type == DT_REG, link = e->type == DT_LNK;
	struct stat st;
	int err = 0;

	crm_buf_addch(rel, '/');
	crm_buf_add(rel, e->name, n);
	if (!dir && !reg && !link) {   /* a file system that does not say */
		if (fstatat(dfd, e->name, &st, AT_SYMLINK_NOFOLLOW)) {
			crm_diags_add(out->diags, rel->ptr, 0, 0, CRM_SEV_ERROR, "unreadable",
				      "cannot stat the file");
			goto done;
		}
		dir = S_ISDIR(st.st_mode);
		reg = S_ISREG(st.st_mode);
		link = S_ISLNK(st.st_mode);
	}
	if (link) {
		report_link(out, rel->ptr, dfd, e->name);
	} else if (dir) {
		err = walk_folder(out, s, rel, dfd, e->name, depth + 1);
	} else if (reg && n > 5 && !strcmp(e->name + n - 5, ".yaml")) {
		err = add_walked_file(out, s, rel->ptr, dfd, e->name);
	} else if (reg && n > 4 && !strcmp(e->name + n - 4, ".yml")) {
		crm_diags_add(out->diags, rel->ptr, 0, 0, CRM_SEV_WARNING, "bad-id",
			      "record files end in '.yaml'; this file is ignored");
	}
done:
	crm_buf_truncate(rel, keep);
	return err;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(((const struct walk_name *)a)->name, ((const struct walk_name *)b)->name);
}

struct walk_names {                  /* a CRM_ARRAY */
	struct walk_name *ptr;
	size_t len, cap;
};

/* The entries of folder `rel` (`name` in the folder open as `parent_fd`),
 * but the hidden ones, in path order, which makes every listing and
 * diagnostic reproducible; NULL when it cannot be opened (or is a link:
 * reported at depth 0, a type folder that is one).  The names live in
 * `paths`. */
static DIR *list_folder(struct walk_names *names, const struct walk_out *out,
			const char *rel, int parent_fd, const char *name, int depth, int *err)
{
	struct dirent *e;
	DIR *d;
	int fd;

	/* O_NOFOLLOW: the type folder itself may be a link (the walk saw the
	 * folders below it are not) */
	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && depth == 0 && (errno == ELOOP || errno == ENOTDIR))
		report_link(out, rel, parent_fd, name);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((e = readdir(d)) && !*err) {
		struct walk_name *slot;
		if (e->d_name[0] == '.')
			continue;
		slot = CRM_ARRAY_PUSH(*names);
		if (!slot || !(slot->name = crm_arena_strdup(out->paths, e->d_name))) {
			*err = CRM_ENOMEM;
			break;
		}
		slot->type = e->d_type;
	}
	if (names->len)
		qsort(names->ptr, names->len, sizeof(*names->ptr), compare_names);
	return d;
}

static int walk_folder(const struct walk_out *out, const struct crm_schema *s,
		       struct crm_buf *rel, int parent_fd, const char *name, int depth)
{
	struct walk_names names = CRM_ARRAY_INIT;
	struct walk_out here = *out;
	DIR *d;
	size_t i;
	int err = 0;

	if (depth > 16)
		return 0;
	d = list_folder(&names, out, rel->ptr, parent_fd, name, depth, &err);
	/* a folder of many files (the year an import wrote them all in) is
	 * one job: its files are stated by the load's workers, on every core,
	 * not here on one (index_load.c, state_by_name) */
	if (names.len > WALK_RUN_MAX)
		here.stat_files = false;
	for (i = 0; d && i < names.len && !err; i++)
		err = walk_entry(&here, s, rel, dirfd(d), &names.ptr[i], depth);
	if (d)
		closedir(d);
	CRM_ARRAY_RELEASE(names);
	return err;
}

bool crm_id_valid(const char *id, size_t len)
{
	size_t i;
	if (len < 1 || len > 64)
		return false;
	for (i = 0; i < len; i++) {
		char c = id[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i && c == '-');
		if (!ok)
			return false;
	}
	return true;
}
/* One slot a schema for the files of each type, from either walk. */
static int alloc_types(struct crm_index *idx)
{
	idx->ntypes = idx->repo->schemas.len;
	idx->types = calloc(idx->ntypes + 1, sizeof(*idx->types));
	return idx->types ? 0 : crm_error_set(CRM_ENOMEM, "out of memory");
}

/* The walk on every core.  Reading folders is most of a warm command's
 * load (ext4 hashes every name it lists), so each folder in a type folder
 * (a year's, say) is a job, and so is each run of other entries between
 * them, up to WALK_RUN_MAX of them (a type folder of 10 000 files and no
 * folders, as an import makes, is 40 jobs, not one stated on one core);
 * the threads take the jobs in turn.  A job keeps what it finds
 * apart, and the jobs are joined in path order: the list is the one a
 * single walk makes. */
struct walk_job {
	const struct crm_schema *s;
	size_t type;
	int dfd;                         /* the type folder, open while jobs run */
	const struct walk_name *entries; /* the entries of it this job walks */
	size_t n;
	struct pending_files files;
	struct crm_diags diags;
	int err;
};

struct walk_jobs {                   /* a CRM_ARRAY */
	struct walk_job *ptr;
	size_t len, cap;
};

struct walk_crew {
	struct walk_jobs *jobs;
	atomic_size_t next;
	bool stat_files;
};

static void run_jobs(struct walk_crew *crew, struct crm_arena *paths)
{
	struct crm_buf rel = CRM_BUF_INIT;
	size_t i, k;

	while ((i = atomic_fetch_add(&crew->next, 1)) < crew->jobs->len) {
		struct walk_job *j = &crew->jobs->ptr[i];
		struct walk_out out = { &j->files, paths, &j->diags, crew->stat_files };
		crm_buf_reset(&rel);
		j->err = crm_buf_adds(&rel, j->s->folder);
		for (k = 0; k < j->n && !j->err; k++)
			j->err = walk_entry(&out, j->s, &rel, j->dfd, &j->entries[k], 0);
	}
	crm_buf_release(&rel);
}

struct walk_thread {
	struct walk_crew *crew;
	struct crm_arena *paths;
	pthread_t thread;
};

static void *walk_thread_main(void *arg)
{
	struct walk_thread *t = arg;
	run_jobs(t->crew, t->paths);
	return NULL;
}

/* A folder, or what readdir could not tell from one. */
static bool maybe_folder(const struct walk_name *e)
{
	return e->type == DT_DIR || e->type == DT_UNKNOWN;
}

/* The jobs of type folder `t`, whose entries go in *names and which is
 * left open in *dir. */
static int plan_type(struct crm_index *idx, struct walk_jobs *jobs, struct walk_names *names,
		     DIR **dir, size_t t)
{
	const struct crm_schema *s = &idx->repo->schemas.ptr[t];
	struct walk_out out = { &idx->files, &idx->arena, &idx->diags, idx->walk_stats };
	struct crm_buf top = CRM_BUF_INIT;
	size_t i, end;
	int err = crm_buf_addf(&top, "%s/%s", idx->repo->root, s->folder);

	*dir = err ? NULL : list_folder(names, &out, s->folder, AT_FDCWD, top.ptr, 0, &err);
	for (i = 0; *dir && i < names->len && !err; i = end) {
		struct walk_job *j = CRM_ARRAY_PUSH(*jobs);
		if (!j) {
			err = CRM_ENOMEM;
			break;
		}
		end = i + 1;
		if (!maybe_folder(&names->ptr[i]))
			while (end < names->len && end - i < WALK_RUN_MAX &&
			       !maybe_folder(&names->ptr[end]))
				end++;
		j->s = s;
		j->type = t;
		j->dfd = dirfd(*dir);
		j->entries = names->ptr + i;
		j->n = end - i;
		crm_diags_init(&j->diags);
	}
	crm_buf_release(&top);
	return err;
}

/* Runs the jobs on this thread and up to n - 1 more, each thread's paths
 * in an arena of its own. */
static void run_crew(struct crm_index *idx, struct walk_jobs *jobs, int n)
{
	struct walk_crew crew = { jobs, 0, idx->walk_stats };
	struct walk_thread threads[MAX_WORKERS];
	int i, started = 0;

	for (i = 1; i < n; i++) {
		threads[i].crew = &crew;
		threads[i].paths = &idx->walk_arenas[i];
		if (pthread_create(&threads[i].thread, NULL, walk_thread_main, &threads[i]))
			break;
		started++;
	}
	run_jobs(&crew, &idx->walk_arenas[0]);
	for (i = 1; i <= started; i++)
		pthread_join(threads[i].thread, NULL);
}

/* The files and findings of n jobs after the index's, in job order. */
static int join_jobs(struct crm_index *idx, struct walk_job *jobs, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		struct walk_job *j = &jobs[i];
		err = j->err;
		if (!err && CRM_ARRAY_RESERVE(idx->files, idx->files.len + j->files.len))
			err = CRM_ENOMEM;
		if (!err && j->files.len) {
			memcpy(idx->files.ptr + idx->files.len, j->files.ptr,
			       j->files.len * sizeof(*j->files.ptr));
			idx->files.len += j->files.len;
		}
		CRM_ARRAY_RELEASE(j->files);   /* at a million records, 100 MB in all */
		if (!err)
			err = crm_diags_merge(&idx->diags, &j->diags);
	}
	return err;
}

int crm_index_collect_files(struct crm_index *idx)
{
	struct walk_jobs jobs = CRM_ARRAY_INIT;
	struct walk_names *names = NULL;
	DIR **dirs = NULL;
	size_t i, first, end, total;
	int err = alloc_types(idx);

	if (!err) {
		dirs = calloc(idx->ntypes + 1, sizeof(*dirs));
		names = calloc(idx->ntypes + 1, sizeof(*names));
		if (!dirs || !names)
			err = crm_error_set(CRM_ENOMEM, "out of memory");
	}
	for (i = 0; i < idx->ntypes && !err; i++) {
		idx->types[i].schema = &idx->repo->schemas.ptr[i];
		err = plan_type(idx, &jobs, &names[i], &dirs[i], i);
	}
	if (!err)
		run_crew(idx, &jobs, crm_index_threads(idx, jobs.len));
	/* room for every file at once, not doubled and copied as jobs join */
	for (i = 0, total = idx->files.len; i < jobs.len; i++)
		total += jobs.ptr[i].files.len;
	if (!err && CRM_ARRAY_RESERVE(idx->files, total))
		err = CRM_ENOMEM;
	/* the jobs come in type order: each type's files are its jobs' */
	for (i = 0, end = 0; i < idx->ntypes && !err; i++) {
		for (first = end; end < jobs.len && jobs.ptr[end].type == i; end++)
			;
		idx->types[i].first = idx->files.len;
		err = join_jobs(idx, jobs.ptr + first, end - first);
		idx->types[i].count = idx->files.len - idx->types[i].first;
	}
	for (i = 0; i < jobs.len; i++) {
		CRM_ARRAY_RELEASE(jobs.ptr[i].files);
		crm_diags_release(&jobs.ptr[i].diags);
	}
	for (i = 0; dirs && names && i < idx->ntypes; i++) {
		if (dirs[i])
			closedir(dirs[i]);
		CRM_ARRAY_RELEASE(names[i]);
	}
	free(dirs);
	free(names);
	CRM_ARRAY_RELEASE(jobs);
	return err;
}

struct collect_git {
	struct crm_index *idx;
	const struct crm_schema *schema;
	size_t skip;                     /* bytes of the data repository's prefix */
	CRM_ARRAY(const char *) links;   /* record files that are links */
	int err;
};

static int collect_git_file(const char *path, enum crm_git_entry kind, void *payload)
{
	struct collect_git *st = payload;
	const char *rel = path + st->skip, *base = strrchr(rel, '/');
	size_t n;

	base = base ? base + 1 : rel;
	n = strlen(base);
	if (strstr(rel, "/."))
		return 0;   /* hidden files and folders, as the folder walk skips them */
	if (kind == CRM_GIT_LINK && n > 5 && !strcmp(base + n - 5, ".yaml")) {
		const char **slot = CRM_ARRAY_PUSH(st->links);
		if (!slot || !(*slot = crm_arena_strdup(&st->idx->arena, path)))
			st->err = CRM_ENOMEM;
	} else if (kind == CRM_GIT_FILE && n > 5 && !strcmp(base + n - 5, ".yaml"))
		add_file(&(struct walk_out){ &st->idx->files, &st->idx->arena, &st->idx->diags, false },
			 st->schema, rel, &st->err);
	else if (kind == CRM_GIT_FILE && n > 4 && !strcmp(base + n - 4, ".yml"))
		crm_diags_add(&st->idx->diags, rel, 0, 0, CRM_SEV_WARNING, "bad-id",
			      "record files end in '.yaml'; this file is ignored");
	return st->err;
}

/* crm_index_collect_files for a repository read from git (the index, or a
 * commit: --at, --staged, --rev): the record files of each type folder as
 * git holds them. */
int crm_index_collect_files_git(struct crm_index *idx)
{
	const struct crm_source *src = &idx->repo->source;
	struct collect_git st = { idx, NULL, strlen(src->prefix), CRM_ARRAY_INIT, 0 };
	struct crm_buf folder = CRM_BUF_INIT;
	size_t i;
	int err = alloc_types(idx);

	if (err)
		return err;
	for (i = 0; i < idx->ntypes && !err; i++) {
		st.schema = &idx->repo->schemas.ptr[i];
		idx->types[i].schema = st.schema;
		idx->types[i].first = idx->files.len;
		crm_buf_reset(&folder);
		crm_buf_addf(&folder, "%s%s/", src->prefix, st.schema->folder);
		err = crm_git_files_list(src->files, folder.ptr, collect_git_file, &st);
		idx->types[i].count = idx->files.len - idx->types[i].first;
	}
	/* reported as the folder walk reports them, with where they lead
	 * (read after the listing, which holds the snapshot's lock) */
	for (i = 0; i < st.links.len && !err; i++) {
		crm_buf_reset(&folder);
		crm_git_files_read_link(src->files, st.links.ptr[i], &folder);
		crm_diags_add(&idx->diags, st.links.ptr[i] + st.skip, 0, 0, CRM_SEV_ERROR,
			      "symlink", "symbolic link to '%s' is not followed",
			      folder.ptr ? folder.ptr : "");
	}
	CRM_ARRAY_RELEASE(st.links);
	crm_buf_release(&folder);
	return err;
}

/* crm_index_collect_files for trust_cache: the files the cache names, by the type
 * folder each lies in, stamped as the cache has them until stated. */
int crm_index_collect_cached_files(struct crm_index *idx)
{
	size_t i, j, n = crm_cache_count(idx->cache), next = 0;

	idx->ntypes = idx->repo->schemas.len;
	idx->types = calloc(idx->ntypes + 1, sizeof(*idx->types));
	if (!idx->types || CRM_ARRAY_RESERVE(idx->files, n))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	/* the cache holds the files in walk order: type by type, each type's
	 * files together */
	for (j = 0; j < idx->ntypes; j++) {
		struct type_entry *t = &idx->types[j];
		const char *folder = idx->repo->schemas.ptr[j].folder;
		size_t len = strlen(folder);

		t->schema = &idx->repo->schemas.ptr[j];
		t->first = idx->files.len;
		for (i = next; i < n; i++) {
			const struct crm_cache_entry *e = crm_cache_entry_at(idx->cache, i);
			const char *path = crm_cache_entry_path(e);
			struct pending_file *f;
			if (strncmp(path, folder, len) || path[len] != '/') {
				if (idx->files.len > t->first)
					break;   /* past this type's files */
				continue;
			}
			f = CRM_ARRAY_PUSH(idx->files);   /* reserved: cannot fail */
			f->schema = t->schema;
			f->path = path;
			f->stamp = *crm_cache_entry_stamp(e);
			f->cached = e;
			f->enc = crm_cache_entry_bytes(e, &f->enc_len);
			f->lazy = f->unverified = true;
			next = i + 1;
		}
		t->count = idx->files.len - t->first;
	}
	return crm_index_alloc_records(idx);
}
