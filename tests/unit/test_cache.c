/* Unit tests of the persistent index cache: trees come back as parsed,
 * and every kind of change, corruption or race makes it miss, never lie. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "core/index/cache.h"
#include "crm/diag.h"
#include "harness.h"

static char dir[64], cache_path[128];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/crm-cache-test.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(cache_path, sizeof(cache_path), "%s/cache", dir);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "  cannot remove %s\n", dir);
}

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void stamp_of(struct crm_file_stamp *out, const char *name)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st))
		abort();
	crm_file_stamp_from_stat(out, &st);
}

static const char record[] =
	"name: \"Łódź Studio\"\ntags: [a, b]\nhistory:\n  - {date: 2025-01-02, stage: won}\n"
	"notes: |\n  two\n  lines\n";

/* Writes a cache of one parsed file "r.yaml" with its current stamp, and
 * makes the cache file's time later than the record's (not racy). */
static void write_one(const char *text)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_cache_item item;
	struct timespec later[2];

	crm_diags_init(&diags);
	memset(&item, 0, sizeof(item));
	put("r.yaml", text);
	CHECK_INT(0, crm_yaml_parse((struct crm_node **)&item.root, &arena, text, strlen(text),
				    "r.yaml", &diags));
	item.path = "r.yaml";
	stamp_of(&item.stamp, "r.yaml");
	item.hash = crm_cache_hash(text, strlen(text));
	CHECK_INT(0, crm_cache_write(cache_path, "/repo", NULL, &item, 1));
	clock_gettime(CLOCK_REALTIME, &later[0]);
	later[0].tv_sec += 2;
	later[1] = later[0];
	CHECK_INT(0, utimensat(AT_FDCWD, cache_path, later, 0));
	crm_arena_release(&arena);
	crm_diags_release(&diags);
}

static enum crm_cache_match match_now(struct crm_cache *c)
{
	struct crm_file_stamp now;
	const struct crm_cache_entry *e = crm_cache_find(c, "r.yaml", 0);
	if (!e)
		return CRM_CACHE_MISS;
	stamp_of(&now, "r.yaml");
	return crm_cache_match(c, e, &now);
}

static void test_cache__round_trip(void)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_cache *c = NULL;
	struct crm_node *root, *h;

	setup();
	write_one(record);
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c != NULL);
	CHECK_INT(1, crm_cache_count(c));
	CHECK_INT(CRM_CACHE_HIT, match_now(c));
	root = crm_cache_tree(c, crm_cache_find(c, "r.yaml", 7), &arena);
	CHECK(root != NULL);
	if (root) {
		CHECK_STR("Łódź Studio", crm_node_text(root, "name"));
		CHECK_STR("two\nlines\n", crm_node_text(root, "notes"));
		CHECK_INT(CRM_STYLE_LITERAL, crm_node_get(root, "notes")->style);
		h = crm_node_get(root, "history");
		CHECK(h && h->kind == CRM_NODE_SEQ && h->count == 1);
		if (h && h->count == 1) {
			CHECK_STR("won", crm_node_text(h->items[0], "stage"));
			CHECK_INT(4, h->items[0]->line);
			CHECK_INT(5, h->items[0]->col);
		}
		CHECK_INT(2, crm_node_get(root, "tags")->count);
		CHECK_INT(2, crm_node_get(root, "tags")->line);
		/* byte offsets survive, for writers that splice values */
		CHECK_INT(strstr(record, "[a, b]") - record, crm_node_get(root, "tags")->start);
	}
	CHECK(crm_cache_find(c, "other.yaml", 0) == NULL);
	crm_cache_free(c);
	crm_arena_release(&arena);
	teardown();
}

static void test_cache__edit_misses(void)
{
	struct crm_cache *c = NULL;

	setup();
	write_one(record);
	put("r.yaml", "name: changed, and longer\n");
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK_INT(CRM_CACHE_MISS, match_now(c));
	crm_cache_free(c);
	teardown();
}

static void test_cache__same_size_same_mtime_rewrite_is_verified(void)
{
	struct crm_cache *c = NULL;
	struct crm_file_stamp before;
	struct timespec t[2];
	char path[256];

	setup();
	write_one("name: aaaa\n");
	stamp_of(&before, "r.yaml");
	/* an in-place rewrite that puts the old mtime back: ctime moves */
	usleep(20000);
	put("r.yaml", "name: bbbb\n");
	t[0].tv_sec = before.mtime_ns / 1000000000;
	t[0].tv_nsec = before.mtime_ns % 1000000000;
	t[1] = t[0];
	snprintf(path, sizeof(path), "%s/r.yaml", dir);
	CHECK_INT(0, utimensat(AT_FDCWD, path, t, 0));
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK_INT(CRM_CACHE_VERIFY, match_now(c));
	/* and the content id tells the truth */
	CHECK(crm_cache_entry_hash(crm_cache_find(c, "r.yaml", 0)) !=
	      crm_cache_hash("name: bbbb\n", 11));
	CHECK(crm_cache_entry_hash(crm_cache_find(c, "r.yaml", 0)) ==
	      crm_cache_hash("name: aaaa\n", 11));
	crm_cache_free(c);
	/* a rename over it (editors, git checkout) gives a new inode */
	write_one("name: aaaa\n");
	put("tmp.yaml", "name: cccc\n");
	snprintf(path, sizeof(path), "%s/tmp.yaml", dir);
	{
		char to[256];
		snprintf(to, sizeof(to), "%s/r.yaml", dir);
		CHECK_INT(0, rename(path, to));
	}
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK_INT(CRM_CACHE_VERIFY, match_now(c));
	crm_cache_free(c);
	teardown();
}

static void test_cache__racy_stamp_is_not_trusted(void)
{
	struct crm_cache *c = NULL;
	struct timespec t[2];

	setup();
	write_one(record);
	/* the cache written in the same tick as the file was changed */
	t[0].tv_sec = 0;
	t[0].tv_nsec = UTIME_NOW;
	t[1] = t[0];
	put("r.yaml", record);
	CHECK_INT(0, utimensat(AT_FDCWD, cache_path, t, 0));
	{
		char path[256];
		struct stat st;
		struct timespec same[2];
		snprintf(path, sizeof(path), "%s/r.yaml", dir);
		stat(cache_path, &st);
		same[0] = st.st_mtim;
		same[1] = st.st_mtim;
		utimensat(AT_FDCWD, path, same, 0);
	}
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(match_now(c) != CRM_CACHE_HIT);
	crm_cache_free(c);
	teardown();
}

static void corrupt_at(long offset, unsigned char with)
{
	FILE *f = fopen(cache_path, "r+b");
	if (!f)
		abort();
	fseek(f, offset, SEEK_SET);
	fputc(with, f);
	fclose(f);
}

static void test_cache__corrupt_or_foreign_is_ignored(void)
{
	struct crm_cache *c = (struct crm_cache *)1;
	struct stat st;
	long i;

	setup();
	write_one(record);
	stat(cache_path, &st);
	/* every single flipped byte is caught, header and body */
	for (i = 0; i < st.st_size; i++) {
		FILE *f = fopen(cache_path, "rb");
		int was;
		fseek(f, i, SEEK_SET);
		was = fgetc(f);
		fclose(f);
		corrupt_at(i, (unsigned char)(was ^ 0x5a));
		CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
		if (c) {
			fprintf(stderr, "  byte %ld flipped went unnoticed\n", i);
			crm_cache_free(c);
			CHECK(0);
			break;
		}
		corrupt_at(i, (unsigned char)was);
	}
	/* a version from another crm */
	corrupt_at(8, 99);
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c == NULL);
	/* truncated, empty, or another repository's */
	write_one(record);
	CHECK_INT(0, truncate(cache_path, st.st_size / 2));
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c == NULL);
	CHECK_INT(0, truncate(cache_path, 0));
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c == NULL);
	write_one(record);
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/elsewhere", NULL));
	CHECK(c == NULL);
	unlink(cache_path);
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c == NULL);
	teardown();
}

static void test_cache__concurrent_writers_never_mix(void)
{
	struct crm_cache *c = NULL;
	pid_t kids[4];
	int i, status;

	setup();
	for (i = 0; i < 4; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			int k;
			for (k = 0; k < 20; k++)
				write_one(i % 2 ? record : "name: short\n");
			_exit(0);
		}
	}
	/* meanwhile every read sees one whole cache or none */
	for (i = 0; i < 200; i++) {
		CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
		if (c)
			CHECK_INT(1, crm_cache_count(c));
		crm_cache_free(c);
	}
	for (i = 0; i < 4; i++)
		waitpid(kids[i], &status, 0);
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c != NULL);
	crm_cache_free(c);
	{
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c tmp >/dev/null", dir);
		CHECK(system(cmd) != 0);   /* no temporary file left behind */
	}
	teardown();
}

/* Every node of `b` as in `a`: kind, style, place, bytes and text. */
static size_t differences(const struct crm_node *a, const struct crm_node *b)
{
	size_t i, d = 0;

	if (!a || !b)
		return a != b;
	d += a->kind != b->kind || a->style != b->style || a->line != b->line ||
	     a->col != b->col || a->start != b->start || a->end != b->end;
	if (a->kind == CRM_NODE_SCALAR)
		return d + (a->len != b->len || strcmp(a->text, b->text));
	if (a->count != b->count)
		return d + 1;
	for (i = 0; i < a->count; i++) {
		if (a->kind == CRM_NODE_MAP)
			d += differences(a->pairs[i].key, b->pairs[i].key) +
			     differences(a->pairs[i].value, b->pairs[i].value);
		else
			d += differences(a->items[i], b->items[i]);
	}
	return d;
}

static void test_cache__key_names_shrink_the_encoding_and_change_nothing(void)
{
	static const char text[] =
		"name: \"Łódź Studio\"\n"
		"'stage': won\n"                       /* a quoted key stays text */
		"owner: ala\n"
		"unknown_field: x\n"                   /* not a key name */
		"notes: plain text\n  going on\n"    /* folded: ends past its text */
		"lines:\n  - {product: a, quantity: 2}\n  - product: b\n    quantity: 3\n";
	const char *names[] = { "name", "stage", "owner", "lines", "product", "quantity",
				"name" };
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_cache_keys keys, other;
	struct crm_buf plain = CRM_BUF_INIT, named = CRM_BUF_INIT;
	struct crm_diags diags;
	struct crm_node *root = NULL, *back;
	struct crm_cache_item item;
	struct crm_cache *c = NULL;

	crm_diags_init(&diags);
	CHECK_INT(0, crm_cache_keys_init(&keys, names, 7));
	CHECK_INT(6, keys.n);   /* the repeated name keeps its first number */
	CHECK_INT(0, crm_cache_keys_init(&other, names, 5));
	CHECK(keys.id != other.id);
	CHECK_INT(0, crm_yaml_parse(&root, &arena, text, strlen(text), "r.yaml", &diags));
	CHECK_INT(0, crm_cache_encode(&plain, root, NULL));
	CHECK_INT(0, crm_cache_encode(&named, root, &keys));
	CHECK(named.len + 20 < plain.len);
	back = crm_cache_decode(plain.ptr, plain.len, &arena, NULL);
	CHECK_INT(0, differences(root, back));
	back = crm_cache_decode(named.ptr, named.len, &arena, &keys);
	CHECK_INT(0, differences(root, back));
	/* numbered keys cannot be read without the names */
	CHECK(crm_cache_decode(named.ptr, named.len, &arena, NULL) == NULL);
	/* a cache written with some names is not read with others */
	setup();
	memset(&item, 0, sizeof(item));
	item.path = "r.yaml";
	item.root = root;
	CHECK_INT(0, crm_cache_write(cache_path, "/repo", &keys, &item, 1));
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", &other));
	CHECK(c == NULL);
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", &keys));
	CHECK(c != NULL);
	if (c) {
		back = crm_cache_tree(c, crm_cache_find(c, "r.yaml", 0), &arena);
		CHECK_INT(0, differences(root, back));
	}
	crm_cache_free(c);
	teardown();
	crm_cache_keys_release(&keys);
	crm_cache_keys_release(&other);
	crm_buf_release(&plain);
	crm_buf_release(&named);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
}

/* A cache of several write steps (4 MiB each): the writer hashes as it
 * writes, the reader in steps; every entry comes back, and a byte flipped
 * in the last step is still caught. */
static void test_cache__larger_than_a_step_round_trips(void)
{
	enum { N = 3000 };
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_buf text = CRM_BUF_INIT, enc = CRM_BUF_INIT;
	struct crm_diags diags;
	struct crm_cache_item *items = calloc(N, sizeof(*items));
	char (*paths)[32] = calloc(N, sizeof(*paths));
	struct crm_cache *c = NULL;
	struct crm_node *root = NULL;
	struct stat st;
	size_t i;

	setup();
	crm_diags_init(&diags);
	crm_buf_adds(&text, "name: Big\nnotes: \"");
	crm_buf_addchars(&text, 'x', 3000);
	crm_buf_adds(&text, "\"\n");
	CHECK_INT(0, crm_yaml_parse(&root, &arena, text.ptr, text.len, "big.yaml", &diags));
	CHECK_INT(0, crm_cache_encode(&enc, root, NULL));
	for (i = 0; items && paths && i < N; i++) {
		snprintf(paths[i], sizeof(paths[i]), "clients/c-%zu.yaml", i);
		items[i].path = paths[i];
		items[i].stamp.size = text.len;
		items[i].stamp.mtime_ns = 1;
		items[i].hash = crm_cache_hash(text.ptr, text.len);
		items[i].encoded = enc.ptr;
		items[i].encoded_len = enc.len;
	}
	CHECK_INT(0, crm_cache_write(cache_path, "/repo", NULL, items, N));
	CHECK(!stat(cache_path, &st) && st.st_size > (off_t)8 << 20);   /* two steps and some */
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c != NULL);
	if (c) {
		const struct crm_cache_entry *e = crm_cache_find(c, "clients/c-2999.yaml", 0);
		CHECK_INT(N, crm_cache_count(c));
		root = e ? crm_cache_tree(c, e, &arena) : NULL;
		CHECK(root && crm_node_text(root, "notes") &&
		      strlen(crm_node_text(root, "notes")) == 3000);
		crm_cache_free(c);
	}
	corrupt_at((long)st.st_size - 40, 0x5a);
	c = (struct crm_cache *)1;
	CHECK_INT(0, crm_cache_open(&c, cache_path, "/repo", NULL));
	CHECK(c == NULL);
	free(items);
	free(paths);
	crm_buf_release(&text);
	crm_buf_release(&enc);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	teardown();
}

TESTS(TEST(test_cache__round_trip), TEST(test_cache__edit_misses),
      TEST(test_cache__key_names_shrink_the_encoding_and_change_nothing),
      TEST(test_cache__same_size_same_mtime_rewrite_is_verified),
      TEST(test_cache__racy_stamp_is_not_trusted),
      TEST(test_cache__corrupt_or_foreign_is_ignored),
      TEST(test_cache__concurrent_writers_never_mix),
      TEST(test_cache__larger_than_a_step_round_trips))
