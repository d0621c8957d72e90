/* Decoding ahead: a figure's pass reads every record of a type once, in
 * list order, and decoding each from the mapped cache is half of its time
 * (a warm dashboard at 10 000 records).  A helper thread decodes the
 * records a few batches ahead of the pass, each batch in an arena of its
 * own; crm_index_materialize takes a tree decoded ahead instead of
 * decoding it, and the batch's arena joins the index's trees, so that
 * crm_index_trim lets it go with the rest.
 *
 * Only the pass's thread touches the index: the helper reads the encoded
 * bytes noted when the pass began and writes its own arenas and slots.
 * A tree is taken only when that is plainly safe: the helper is done with
 * its batch, no inner pass (crm_index_pass_begin) holds the trees aside,
 * and the trees a taken batch joined have not been let go since (each
 * trim and pass changes idx->trees_epoch).  Otherwise the pass decodes the
 * record itself, as it always did. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "crm/index.h"
#include "core/index/cache.h"
#include "core/index/index_internal.h"

#define AHEAD_BATCH 64       /* records decoded into one arena */
#define AHEAD_BATCHES 8      /* batches decoded and not yet reached, at most */

struct ahead_batch {
	struct crm_arena arena;
	bool joined;                 /* its arena is in idx->trees ... */
	unsigned epoch;              /* ... since this epoch of theirs */
};

struct crm_index_ahead {
	struct crm_index *idx;
	pthread_t thread;
	struct crm_record **recs;    /* the type's list, in file order */
	size_t n, nbatches;
	const unsigned char **enc;   /* per record, noted at the start: the
					bytes to decode, NULL for none */
	size_t *len;
	struct crm_node **trees;     /* per record, set before done grows */
	struct ahead_batch *batches;
	atomic_bool *done;           /* per batch: the helper has finished it */
	pthread_mutex_t lock;
	pthread_cond_t moved;
	atomic_size_t reached;       /* the batch the pass is in (written
					under lock; the helper also reads it
					without, between records) */
	bool stop;                   /* (lock) */
};

/* The next batch for the helper, at least `b`: once the pass is close
 * enough, and never one the pass is in or has left (it decodes those
 * itself).  nbatches when there is nothing left to do. */
static size_t next_batch(struct crm_index_ahead *a, size_t b)
{
	pthread_mutex_lock(&a->lock);
	while (!a->stop && b >= a->reached + AHEAD_BATCHES)
		pthread_cond_wait(&a->moved, &a->lock);
	if (b <= a->reached)
		b = a->reached + 1;
	if (a->stop)
		b = a->nbatches;
	pthread_mutex_unlock(&a->lock);
	return b < a->nbatches ? b : a->nbatches;
}

/* Whether the pass has reached batch b, which it then decodes itself. */
static bool overtaken(struct crm_index_ahead *a, size_t b)
{
	return atomic_load_explicit(&a->reached, memory_order_relaxed) >= b;
}

static void *ahead_main(void *arg)
{
	struct crm_index_ahead *a = arg;
	size_t b, k, end;

	for (b = next_batch(a, 1); b < a->nbatches; b = next_batch(a, b + 1)) {
		end = (b + 1) * AHEAD_BATCH < a->n ? (b + 1) * AHEAD_BATCH : a->n;
		for (k = b * AHEAD_BATCH; k < end && !overtaken(a, b); k++)
			if (a->enc[k])
				a->trees[k] = crm_cache_decode(a->enc[k], a->len[k],
							       &a->batches[b].arena,
							       &a->idx->keys);
		if (k < end) {
			/* the pass caught up (this core is shared, with the
			 * work tree's status, say): the rest of the batch
			 * would be decoded twice, so the helper leaves it
			 * and starts again a batch further ahead than the
			 * next, which it may finish before the pass comes */
			b = atomic_load_explicit(&a->reached, memory_order_relaxed) + 1;
			continue;
		}
		atomic_store_explicit(&a->done[b], true, memory_order_release);
	}
	return NULL;
}

static void ahead_free(struct crm_index_ahead *a)
{
	size_t b;

	for (b = 0; a->batches && b < a->nbatches; b++)
		if (!a->batches[b].joined)
			crm_arena_release(&a->batches[b].arena);
	free(a->batches);
	free(a->done);
	free(a->trees);
	free(a->enc);
	free(a->len);
	free(a);
}

/* Notes, for each record, the bytes the helper may decode: an encoded tree
 * not decoded yet, of a file stated at the load. */
static size_t note_work(struct crm_index_ahead *a)
{
	size_t k, work = 0;

	for (k = 0; k < a->n; k++) {
		const struct crm_record *rec = a->recs[k];
		const struct pending_file *f = crm_index_file_of(a->idx, rec);
		if (!rec->root && f->lazy && f->enc && !f->unverified) {
			a->enc[k] = f->enc;
			a->len[k] = f->enc_len;
			work++;
		}
	}
	return work;
}

struct crm_index_ahead *crm_index_decode_ahead(struct crm_index *idx, const char *type)
{
	struct crm_index_ahead *a;
	struct crm_record **recs;
	size_t n, b;

	recs = crm_index_list(idx, type, &n);
	/* one at a time: a pass inside another's decodes for itself */
	if (idx->ahead || idx->pass || n < 2 * AHEAD_BATCH || crm_index_threads(idx, 2) < 2)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->idx = idx;
	a->recs = recs;
	a->n = n;
	a->nbatches = (n + AHEAD_BATCH - 1) / AHEAD_BATCH;
	a->enc = calloc(n, sizeof(*a->enc));
	a->len = calloc(n, sizeof(*a->len));
	a->trees = calloc(n, sizeof(*a->trees));
	a->batches = calloc(a->nbatches, sizeof(*a->batches));
	a->done = calloc(a->nbatches, sizeof(*a->done));
	if (!a->enc || !a->len || !a->trees || !a->batches || !a->done ||
	    note_work(a) < AHEAD_BATCH) {
		ahead_free(a);
		return NULL;
	}
	for (b = 0; b < a->nbatches; b++) {
		crm_arena_init(&a->batches[b].arena);
		atomic_init(&a->done[b], false);
	}
	atomic_init(&a->reached, 0);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->moved, NULL);
	if (pthread_create(&a->thread, NULL, ahead_main, a)) {
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->moved);
		ahead_free(a);
		return NULL;
	}
	idx->ahead = a;
	return a;
}

void crm_index_decode_ahead_end(struct crm_index *idx, struct crm_index_ahead *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->moved);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->moved);
	if (idx->ahead == a)
		idx->ahead = NULL;
	ahead_free(a);
}

/* Where `rec` is in the list (which is in file order, so in the order of
 * the records' addresses); n when it is not there. */
static size_t position(const struct crm_index_ahead *a, const struct crm_record *rec)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->recs[mid] == rec)
			return mid;
		if ((uintptr_t)a->recs[mid] < (uintptr_t)rec)
			lo = mid + 1;
		else
			hi = mid;
	}
	return a->n;
}

/* The pass is in batch b: the helper may go on up to AHEAD_BATCHES past. */
static void reach(struct crm_index_ahead *a, size_t b)
{
	pthread_mutex_lock(&a->lock);
	if (b > a->reached) {
		a->reached = b;
		pthread_cond_signal(&a->moved);
	}
	pthread_mutex_unlock(&a->lock);
}

bool crm_index_ahead_take(struct crm_index *idx, struct crm_record *rec, struct pending_file *f)
{
	struct crm_index_ahead *a = idx->ahead;
	struct ahead_batch *batch;
	size_t k, b;

	if (!a || idx->pass)
		return false;
	k = position(a, rec);
	if (k == a->n)
		return false;
	b = k / AHEAD_BATCH;
	if (b > a->reached)
		reach(a, b);
	if (!atomic_load_explicit(&a->done[b], memory_order_acquire) || !a->trees[k] ||
	    f->enc != a->enc[k])
		return false;   /* not decoded yet, did not decode, or re-read */
	batch = &a->batches[b];
	if (batch->joined && batch->epoch != idx->trees_epoch)
		return false;   /* let go with the trees since */
	if (!batch->joined) {
		crm_arena_adopt(&idx->trees, &batch->arena);
		batch->joined = true;
		batch->epoch = idx->trees_epoch;
	}
	f->lazy = false;
	crm_index_touch(idx, rec);
	rec->root = a->trees[k];
	idx->decoded_ahead++;
	return true;
}
