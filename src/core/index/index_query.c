/* Questions to a loaded index: records of a type, one record by id or by
 * reference, the id nearest a misspelt one, who refers to a record (found
 * on first use), whether the work tree holds uncommitted record edits. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crm/str.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/map.h"
#include "crm/utf8.h"
#include "core/index/index_internal.h"
#include "core/index/record_memo.h"

static struct type_entry *type_entry(const struct crm_index *cidx, const char *type)
{
	/* mapping a type late fills in what the index holds: see
	 * crm_index_materialize */
	struct crm_index *idx = (struct crm_index *)cidx;
	size_t i;

	for (i = 0; i < idx->ntypes; i++) {
		struct type_entry *t = &idx->types[i];
		if (!crm_str_eq(t->schema->type, type))
			continue;
		if (!t->mapped && crm_index_map_type(idx, t))
			crm_error_set(CRM_ENOMEM, "out of memory");
		return t;
	}
	return NULL;
}
/* The references to one record, found by a scan of every record's
 * reference fields: a value that does not end in the target's id is passed
 * over without a lookup, so only true candidates are resolved. */
struct backref_scan {
	struct crm_index *idx;
	struct crm_record *target;
	size_t idlen;
};

static bool names_target(const struct backref_scan *bs, const struct crm_node *at)
{
	const char *text = at->text;
	size_t len = strlen(text);

	if (len < bs->idlen || memcmp(text + len - bs->idlen, bs->target->id, bs->idlen) ||
	    (len > bs->idlen && text[len - bs->idlen - 1] != '/'))
		return false;
	return true;
}

static int add_backref(struct backref_scan *bs, struct crm_record *from, const char *prefix,
		       const struct crm_field *f, const struct crm_node *at)
{
	struct crm_backref *b;

	if (at->kind != CRM_NODE_SCALAR || crm_node_is_null(at) || !names_target(bs, at) ||
	    crm_index_resolve(bs->idx, at->text, f->to) != bs->target)
		return 0;
	b = crm_arena_alloc(&bs->idx->arena, sizeof(*b));
	if (!b)
		return CRM_ENOMEM;
	b->from = from;
	/* "client", or "lines.product" for a field of a list's entries */
	b->field = prefix ? crm_arena_printf(&bs->idx->arena, "%s.%s", prefix, f->name) : f->name;
	b->at = at;
	b->next = bs->target->memo->referenced_by;
	bs->target->memo->referenced_by = b;
	return b->field ? 0 : CRM_ENOMEM;
}

static int backrefs_of_fields(struct backref_scan *bs, struct crm_record *rec,
			      const struct crm_field *fields, size_t nfields,
			      const struct crm_node *map, const char *prefix);

static int backrefs_of_field(struct backref_scan *bs, struct crm_record *rec,
			     const struct crm_field *f, const struct crm_node *v,
			     const char *prefix)
{
	const char *nested = f->name;
	size_t i;
	int err = 0;

	if (f->type == CRM_F_REF)
		return add_backref(bs, rec, prefix, f, v);
	if (v->kind != CRM_NODE_SEQ || !v->count)
		return 0;
	if (f->type == CRM_F_LIST && prefix) {
		/* a list in a list's entries: "a.b.field" */
		nested = crm_arena_printf(&bs->idx->arena, "%s.%s", prefix, f->name);
		if (!nested)
			return CRM_ENOMEM;
	}
	for (i = 0; i < v->count && !err; i++) {
		if (f->type == CRM_F_REFS)
			err = add_backref(bs, rec, prefix, f, v->items[i]);
		else if (f->type == CRM_F_LIST)
			err = backrefs_of_fields(bs, rec, f->fields, f->nfields, v->items[i], nested);
	}
	return err;
}

static int backrefs_of_fields(struct backref_scan *bs, struct crm_record *rec,
			      const struct crm_field *fields, size_t nfields,
			      const struct crm_node *map, const char *prefix)
{
	size_t i;
	int err = 0;

	if (!map || map->kind != CRM_NODE_MAP)
		return 0;
	for (i = 0; i < nfields && !err; i++) {
		const struct crm_node *v;
		if (fields[i].type != CRM_F_REF && fields[i].type != CRM_F_REFS &&
		    fields[i].type != CRM_F_LIST)
			continue;
		v = crm_node_get(map, fields[i].name);
		if (v)
			err = backrefs_of_field(bs, rec, &fields[i], v, prefix);
	}
	return err;
}

/* Whether a record still in the cache may refer to `id`: a reference's
 * text holds the id, and the cache stores texts byte for byte. */
static bool may_name(const struct pending_file *f, const char *id, size_t idlen)
{
	return memmem(f->enc, f->enc_len, id, idlen) != NULL;
}

static int find_backrefs(struct crm_index *idx, struct crm_record *target)
{
	struct backref_scan bs = { idx, target, strlen(target->id) };
	size_t i, read = 0;
	int err = crm_index_map_all(idx);

	for (i = 0; i < idx->files.len && !err; i++) {
		struct crm_record *rec = &idx->records[i];
		const struct pending_file *f = &idx->files.ptr[i];
		if (f->lazy && !f->unverified) {
			read += f->enc_len;
			/* it reads every entry, hundreds of MiB at a million
			 * records, which would otherwise all stay resident */
			if (read >= CRM_CACHE_SHED_STEP) {
				crm_cache_shed_before(idx->cache, f->enc);
				read = 0;
			}
			if (!may_name(f, target->id, bs.idlen))
				continue;
		}
		crm_index_materialize(idx, rec);
		err = backrefs_of_fields(&bs, rec, rec->schema->fields, rec->schema->nfields,
					 rec->root, NULL);
	}
	return err;
}
struct crm_repo *crm_index_repo(const struct crm_index *idx)
{
	return idx->repo;
}

struct crm_diags *crm_index_diags(struct crm_index *idx)
{
	return &idx->diags;
}

struct crm_arena *crm_index_arena(struct crm_index *idx)
{
	return &idx->arena;
}

crm_date crm_index_today(const struct crm_index *idx)
{
	return idx->today;
}

const struct crm_index_options *crm_index_options(const struct crm_index *idx)
{
	return &idx->opts;
}

struct crm_backref *crm_index_backrefs(struct crm_index *idx, const struct crm_record *rec)
{
	/* Found on first use, for this record only: commands that change one
	 * record never pay for it, and show pays for one record's. */
	struct crm_record *r = (struct crm_record *)rec;
	struct crm_record_memo *m = crm_record_memo(idx, r);

	if (!m)
		return NULL;
	if (!m->backrefs_known) {
		m->backrefs_known = true;
		crm_index_touch(idx, r);
		if (find_backrefs(idx, r))
			crm_error_set(CRM_ENOMEM, "out of memory");
	}
	return m->referenced_by;
}

/* `prefix` and `path` as one text: `path` itself when the data
 * repository is the git work tree's top (no prefix), which it mostly is:
 * a printf for each of 10 000 paths was 2 % of a cold dashboard. */
static const char *prefixed(struct crm_arena *a, const char *prefix, size_t plen,
			    const char *path)
{
	size_t n = strlen(path);
	char *p;

	if (!plen)
		return path;
	p = crm_arena_alloc_raw(a, plen + n + 1);
	if (p) {
		memcpy(p, prefix, plen);
		memcpy(p + plen, path, n + 1);
	}
	return p;
}

static int compute_uncommitted(struct crm_index *idx, bool *out)
{
	struct crm_arena scratch = CRM_ARENA_INIT;
	struct crm_git *git = NULL;
	const char **folders = NULL, **paths = NULL;
	struct crm_file_stamp *stamps = NULL;
	char *prefix = NULL;
	size_t i;
	int err;

	*out = false;
	if (crm_repo_from_git(idx->repo))
		return 0;   /* read from git: nothing uncommitted in it */
	err = crm_git_open(&git, idx->repo->root);
	if (err)
		return err;
	prefix = crm_git_prefix(git, idx->repo->root);
	folders = calloc(idx->repo->schemas.len + 1, sizeof(*folders));
	paths = calloc(idx->files.len + 1, sizeof(*paths));
	stamps = calloc(idx->files.len + 1, sizeof(*stamps));
	if (!prefix || !folders || !paths || !stamps) {
		err = crm_error_set(CRM_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < idx->repo->schemas.len; i++)
		folders[i] = crm_arena_printf(&scratch, "%s%s/", prefix,
					      idx->repo->schemas.ptr[i].folder);
	for (i = 0; i < idx->files.len; i++) {
		paths[i] = prefixed(&scratch, prefix, strlen(prefix), idx->files.ptr[i].path);
		if (!paths[i]) {
			err = crm_error_set(CRM_ENOMEM, "out of memory");
			goto done;
		}
		stamps[i] = idx->files.ptr[i].stamp;
	}
	err = crm_git_worktree_dirty(git, prefix, folders, idx->repo->schemas.len, paths, stamps,
				     idx->files.len, out);
done:
	free(folders);
	free(paths);
	free(stamps);
	free(prefix);
	crm_arena_release(&scratch);
	crm_git_free(git);
	return err;
}

static void *uncommitted_main(void *arg)
{
	struct crm_index *idx = arg;

	idx->dirty.err = compute_uncommitted(idx, &idx->dirty.answer);
	if (idx->dirty.err)
		idx->dirty.message = strdup(crm_error_last());
	return NULL;
}

int crm_index_uncommitted_begin(struct crm_index *idx)
{
	if (idx->dirty.state != DIRTY_NOT_ASKED)
		return 0;
	if (pthread_create(&idx->dirty.thread, NULL, uncommitted_main, idx))
		return 0;   /* then crm_index_uncommitted works it out itself */
	idx->dirty.state = DIRTY_RUNNING;
	return 0;
}

int crm_index_uncommitted(struct crm_index *idx, bool *out)
{
	if (idx->dirty.state == DIRTY_NOT_ASKED) {
		idx->dirty.err = compute_uncommitted(idx, &idx->dirty.answer);
		if (idx->dirty.err)
			idx->dirty.message = strdup(crm_error_last());
	} else if (idx->dirty.state == DIRTY_RUNNING) {
		pthread_join(idx->dirty.thread, NULL);
	}
	idx->dirty.state = DIRTY_KNOWN;
	*out = idx->dirty.answer;
	if (idx->dirty.err)   /* the message was set on the thread that failed */
		return crm_error_set(idx->dirty.err, "%s",
				     idx->dirty.message ? idx->dirty.message : "out of memory");
	return 0;
}

void crm_index_set_today(struct crm_index *idx, crm_date today)
{
	idx->today = today;
}

struct crm_record **crm_index_records(const struct crm_index *idx, const char *type,
				      size_t *n_out)
{
	struct type_entry *t = type_entry(idx, type);
	size_t i;

	if (t && !t->materialized) {
		for (i = 0; i < t->records.len; i++)
			crm_index_materialize(idx, t->records.ptr[i]);
		t->materialized = true;
	}
	return crm_index_list(idx, type, n_out);
}

struct crm_record **crm_index_list(const struct crm_index *idx, const char *type,
				   size_t *n_out)
{
	struct type_entry *t = type_entry(idx, type);

	*n_out = t ? t->records.len : 0;
	return t ? t->records.ptr : NULL;
}

/* The record of that type and id, stated when the cache was trusted (gone
 * ones left out), its tree left encoded. */
static struct crm_record *find_undecoded(const struct crm_index *idx, const char *type,
					 const char *id)
{
	struct type_entry *t = type_entry(idx, type);
	struct crm_record *rec = t ? crm_map_get(&t->by_id, id) : NULL;

	if (rec)
		crm_index_verify(idx, rec);
	return rec && !crm_index_file_of(idx, rec)->gone ? rec : NULL;
}

struct crm_record *crm_index_find(const struct crm_index *idx, const char *type,
				  const char *id)
{
	struct crm_record *rec = find_undecoded(idx, type, id);

	if (rec)
		crm_index_materialize(idx, rec);
	/* a tree that no longer decodes sends crm to the file, which may be gone */
	return rec && !crm_index_file_of(idx, rec)->gone ? rec : NULL;
}

typedef struct crm_record *finder(const struct crm_index *idx, const char *type,
				  const char *id);

static struct crm_record *resolve_with(finder *find, const struct crm_index *idx,
				       const char *ref, const char *default_type)
{
	const char *slash = strchr(ref, '/');
	char type[64];

	if (!slash) {
		if (!default_type || !strcmp(default_type, "any"))
			return NULL;
		return find(idx, default_type, ref);
	}
	if ((size_t)(slash - ref) >= sizeof(type))
		return NULL;
	memcpy(type, ref, (size_t)(slash - ref));
	type[slash - ref] = '\0';
	if (default_type && strcmp(default_type, "any") && strcmp(default_type, type))
		return NULL;
	return find(idx, type, slash + 1);
}

struct crm_record *crm_index_resolve(const struct crm_index *idx, const char *ref,
				     const char *default_type)
{
	return resolve_with(crm_index_find, idx, ref, default_type);
}

struct crm_record *crm_index_resolve_undecoded(const struct crm_index *idx, const char *ref,
					       const char *default_type)
{
	return resolve_with(find_undecoded, idx, ref, default_type);
}

size_t crm_index_unreadable(struct crm_index *idx, const char *type)
{
	size_t i, first = 0, end = idx->files.len, n = 0;

	for (i = 0; type && i < idx->ntypes; i++) {
		if (!strcmp(idx->types[i].schema->type, type))
			break;
	}
	if (type && i == idx->ntypes)
		return 0;
	if (type) {
		first = idx->types[i].first;
		end = first + idx->types[i].count;
	}
	for (i = first; i < end; i++) {
		struct pending_file *f = &idx->files.ptr[i];
		if (f->unverified)
			crm_index_materialize(idx, &idx->records[i]);
		/* a lazy file has its tree encoded: it parsed */
		if (!f->gone && !f->lazy && !idx->records[i].root)
			n++;
	}
	return n;
}

const char *crm_index_suggest(const struct crm_index *idx, const char *type,
			      const char *id)
{
	struct type_entry *t = type_entry(idx, type);
	size_t i, best_d, max = strlen(id) / 3 + 1;
	const char *best = NULL;

	if (!t)
		return NULL;
	if (max > 4)
		max = 4;
	best_d = max + 1;
	for (i = 0; i < t->records.len; i++) {
		size_t d = crm_edit_distance(id, t->records.ptr[i]->id, max);
		if (d < best_d) {
			best_d = d;
			best = t->records.ptr[i]->id;
		}
	}
	return best;
}
