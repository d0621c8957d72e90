/* The pack of a large commit, written by crm: every new object whole (no
 * deltas; git gc finds those later, as it does for what git add writes),
 * deflated with one zlib stream reset between objects, and handed to
 * libgit2's indexer in one piece, which checks it and writes the .pack and
 * its .idx.  libgit2's pack builder searched deltas among ten neighbours of
 * every record and started a new zlib stream for each object: most of the
 * time of an import's commit. */
#include <git2.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <mbedtls/sha1.h>
#include <mbedtls/version.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "core/git/git_internal.h"

/* A pack entry's header: its type and inflated size, four bits of the size
 * beside the type and seven in each following byte (pack-format.txt). */
static int add_object_header(struct crm_buf *pack, git_object_t type, size_t size)
{
	unsigned char h[16];
	size_t n = 0;

	h[n] = (unsigned char)(((unsigned)type << 4) | (size & 15));
	size >>= 4;
	while (size) {
		h[n++] |= 0x80;
		h[n] = (unsigned char)(size & 0x7f);
		size >>= 7;
	}
	return crm_buf_add(pack, h, n + 1);
}

static int add_deflated(struct crm_buf *pack, z_stream *z, const void *data, size_t len)
{
	uLong bound;

	if (len > UINT_MAX || deflateReset(z) != Z_OK)
		return crm_error_set(CRM_EIO, "cannot compress an object of %zu bytes", len);
	bound = deflateBound(z, (uLong)len);
	if (crm_buf_grow(pack, bound))
		return CRM_ENOMEM;
	z->next_in = (Bytef *)(uintptr_t)data;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)pack->ptr + pack->len;
	z->avail_out = (uInt)bound;
	if (deflate(z, Z_FINISH) != Z_STREAM_END)
		return crm_error_set(CRM_EIO, "cannot compress an object of %zu bytes", len);
	pack->len += bound - z->avail_out;
	pack->ptr[pack->len] = '\0';
	return 0;
}

static int add_trailer(struct crm_buf *pack)
{
	unsigned char sum[20];
	int rc;

#if MBEDTLS_VERSION_MAJOR >= 3
	rc = mbedtls_sha1((const unsigned char *)pack->ptr, pack->len, sum);
#else
	rc = mbedtls_sha1_ret((const unsigned char *)pack->ptr, pack->len, sum);
#endif
	return rc ? crm_error_set(CRM_EIO, "cannot checksum the pack") : crm_buf_add(pack, sum, 20);
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Two zlib streams, reset for each object: a reset clears the stream's
 * hash table, 64 KiB at zlib's default memLevel, which costs more than
 * deflating a record of a few hundred bytes; small objects go through a
 * stream with a table of 512 bytes. */
enum { SMALL_OBJECT = 4096 };

struct deflaters {
	z_stream small, large;
	bool small_on, large_on;
};

/* Level 1, as git writes loose objects. */
static int deflaters_init(struct deflaters *d)
{
	memset(d, 0, sizeof(*d));
	d->small_on = deflateInit2(&d->small, Z_BEST_SPEED, Z_DEFLATED, 15, 1,
				   Z_DEFAULT_STRATEGY) == Z_OK;
	d->large_on = deflateInit(&d->large, Z_BEST_SPEED) == Z_OK;
	return d->small_on && d->large_on ? 0 : crm_error_set(CRM_ENOMEM, "cannot start zlib");
}

static void deflaters_end(struct deflaters *d)
{
	if (d->small_on)
		deflateEnd(&d->small);
	if (d->large_on)
		deflateEnd(&d->large);
}

/* The pack of objects `ids` (no two the same), read from `odb`. */
static int build_pack(struct crm_buf *pack, git_odb *odb, const git_oid *ids, size_t n)
{
	unsigned char head[12] = { 'P', 'A', 'C', 'K' };
	struct deflaters d;
	size_t i;
	int err;

	if (n > UINT32_MAX)
		return crm_error_set(CRM_EINVALID, "too many objects for one pack");
	put_be32(head + 4, 2);
	put_be32(head + 8, (uint32_t)n);
	err = deflaters_init(&d);
	if (!err)
		err = crm_buf_add(pack, head, sizeof(head));
	for (i = 0; !err && i < n; i++) {
		git_odb_object *obj = NULL;
		size_t size;

		if (git_odb_read(&obj, odb, &ids[i]) < 0) {
			err = git_fail(CRM_EIO, "cannot read an object to pack");
			break;
		}
		size = git_odb_object_size(obj);
		err = add_object_header(pack, git_odb_object_type(obj), size);
		if (!err)
			err = add_deflated(pack, size < SMALL_OBJECT ? &d.small : &d.large,
					   git_odb_object_data(obj), size);
		git_odb_object_free(obj);
	}
	deflaters_end(&d);
	return err ? err : add_trailer(pack);
}

static int compare_oids(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int crm_git_pack_write(git_repository *repo, git_oid *ids, size_t n, const char *dir)
{
	struct crm_buf pack = CRM_BUF_INIT;
	git_indexer *ix = NULL;
	git_indexer_progress stats;
	git_odb *odb = NULL;
	size_t i, kept = 0;
	int err = 0;

	if (n)   /* qsort of NULL is undefined, even for none */
		qsort(ids, n, sizeof(*ids), compare_oids);
	for (i = 0; i < n; i++)
		if (!kept || git_oid_cmp(&ids[i], &ids[kept - 1]))
			ids[kept++] = ids[i];
	crm_buf_set_max(&pack, SIZE_MAX);
	if (git_repository_odb(&odb, repo) < 0)
		err = git_fail(CRM_EIO, "cannot open the object database");
	if (!err)
		err = build_pack(&pack, odb, ids, kept);
	if (!err && (git_indexer_new(&ix, dir, 0, NULL, NULL) < 0 ||
		     git_indexer_append(ix, pack.ptr, pack.len, &stats) < 0 ||
		     git_indexer_commit(ix, &stats) < 0))
		err = git_fail(CRM_EIO, "cannot write the pack");
	git_indexer_free(ix);
	git_odb_free(odb);
	crm_buf_release(&pack);
	return err;
}
