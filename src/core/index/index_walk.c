/* Which record files there are: each type folder walked (in path order, so
 * every listing is reproducible), or the files git's index or a commit holds
 * (--staged, --rev, --at), or the files the cache names for trust_cache.  index_load.c loads them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "core/index/index_internal.h"

static int walk_folder(struct crm_index *idx, const struct crm_schema *s,
		       struct crm_buf *rel, int depth);

struct walk_name {
	const char *name;
	unsigned char type;          /* DT_DIR, DT_REG, ... from readdir */
};

/* A record file to load; work tree files are stated by the worker that
 * loads them (files read from git have no stamp). */
static int add_file(struct crm_index *idx, const struct crm_schema *s, const char *rel,
		    bool unstated)
{
	struct pending_file *f = CRM_ARRAY_PUSH(idx->files);
	if (!f)
		return CRM_ENOMEM;
	f->schema = s;
	f->path = crm_arena_strdup(&idx->arena, rel);
	f->unstated = unstated;
	return f->path ? 0 : CRM_ENOMEM;
}

/* A symbolic link in a type folder is reported, never followed: it could
 * lead out of the repository (a clone brings links along), or back into
 * it, in a loop.  Links that are neither record files nor folders are
 * ignored like any other file. */
static void report_link(struct crm_index *idx, const char *rel, int dfd, const char *name)
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
	crm_diags_add(&idx->diags, rel, 0, 0, CRM_SEV_ERROR, "symlink",
		      "symbolic link to '%s' is not followed", target);
}

/* One entry of a folder.  The type readdir gave is enough to tell record
 * files from folders and links; the files are stated later, on all cores,
 * by the workers that load them. */
static int walk_entry(struct crm_index *idx, const struct crm_schema *s,
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
			crm_diags_add(&idx->diags, rel->ptr, 0, 0, CRM_SEV_ERROR, "unreadable",
				      "cannot stat the file");
			goto done;
		}
		dir = S_ISDIR(st.st_mode);
		reg = S_ISREG(st.st_mode);
		link = S_ISLNK(st.st_mode);
	}
	if (link) {
		report_link(idx, rel->ptr, dfd, e->name);
	} else if (dir) {
		err = walk_folder(idx, s, rel, depth + 1);
	} else if (reg && n > 5 && !strcmp(e->name + n - 5, ".yaml")) {
		err = add_file(idx, s, rel->ptr, true);
	} else if (reg && n > 4 && !strcmp(e->name + n - 4, ".yml")) {
		crm_diags_add(&idx->diags, rel->ptr, 0, 0, CRM_SEV_WARNING, "bad-id",
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

static int walk_folder(struct crm_index *idx, const struct crm_schema *s,
		       struct crm_buf *rel, int depth)
{
	CRM_ARRAY(struct walk_name) names = CRM_ARRAY_INIT;
	struct crm_buf full = CRM_BUF_INIT;
	struct dirent *e;
	DIR *d;
	size_t i;
	int fd, err = 0;

	if (depth > 16)
		return 0;
	crm_buf_addf(&full, "%s/%s", idx->repo->root, rel->ptr);
	/* O_NOFOLLOW: the type folder itself may be a link (the walk saw the
	 * folders below it are not) */
	fd = open(full.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && depth == 0 && (errno == ELOOP || errno == ENOTDIR))
		report_link(idx, rel->ptr, AT_FDCWD, full.ptr);
	crm_buf_release(&full);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) && !err) {
		struct walk_name *slot;
		if (e->d_name[0] == '.')
			continue;
		slot = CRM_ARRAY_PUSH(names);
		if (!slot) {
			err = CRM_ENOMEM;
			break;
		}
		slot->name = crm_arena_strdup(&idx->arena, e->d_name);
		slot->type = e->d_type;
	}
	/* path order makes every listing and diagnostic reproducible */
	if (names.len)
		qsort(names.ptr, names.len, sizeof(*names.ptr), compare_names);
	for (i = 0; i < names.len && !err; i++)
		err = walk_entry(idx, s, rel, dirfd(d), &names.ptr[i], depth);
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

int crm_index_collect_files(struct crm_index *idx)
{
	struct crm_buf rel = CRM_BUF_INIT;
	size_t i;
	int err = alloc_types(idx);

	if (err)
		return err;
	for (i = 0; i < idx->ntypes && !err; i++) {
		const struct crm_schema *s = &idx->repo->schemas.ptr[i];
		idx->types[i].schema = s;
		idx->types[i].first = idx->files.len;
		crm_buf_reset(&rel);
		crm_buf_adds(&rel, s->folder);
		err = walk_folder(idx, s, &rel, 0);
		idx->types[i].count = idx->files.len - idx->types[i].first;
	}
	crm_buf_release(&rel);
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
		st->err = add_file(st->idx, st->schema, rel, false);
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
