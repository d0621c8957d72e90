/* Unit tests of the string hash map (src/util/map.c): lookups by content
 * rather than pointer, replacement that hands back the old value, growth
 * that keeps every entry, keys that collide in their hash, iteration. */
#include "crm/map.h"
#include "harness.h"

static void test_map__empty(void)
{
	struct crm_map m = CRM_MAP_INIT;
	size_t pos = 0;
	CHECK(crm_map_get(&m, "a") == NULL);
	CHECK(crm_map_next(&m, &pos) == NULL);
	crm_map_release(&m);
	crm_map_release(&m);
}

/* FNV-1a 32-bit: the published test values. */
static void test_map__hash(void)
{
	CHECK_INT(2166136261u, crm_hash_str(""));
	CHECK_INT(0xe40c292cu, crm_hash_str("a"));
	CHECK_INT(0xbf9cf968u, crm_hash_str("foobar"));
}

/* Keys compare by content: a different pointer to the same text finds it. */
static void test_map__put_get_replace(void)
{
	struct crm_map m = CRM_MAP_INIT;
	char key[] = "acme-corp";
	int one = 1, two = 2;
	void *old = &one;

	CHECK_INT(0, crm_map_put(&m, "acme-corp", &one, &old));
	CHECK(old == NULL);
	CHECK(crm_map_get(&m, key) == &one);
	CHECK(crm_map_get(&m, "acme-corp ") == NULL);
	CHECK(crm_map_get(&m, "acme") == NULL);
	CHECK_INT(0, crm_map_put(&m, key, &two, &old));
	CHECK(old == &one);
	CHECK(crm_map_get(&m, "acme-corp") == &two);
	CHECK_INT(1, m.len);
	CHECK_INT(0, crm_map_put(&m, "beta", NULL, NULL));
	CHECK_INT(2, m.len);
	crm_map_release(&m);
	CHECK(m.slots == NULL && m.cap == 0 && m.len == 0);
}

/* Thousands of keys: the table grows (a power of two, at most 3/4 full)
 * and every key still finds its own value. */
static void test_map__growth_keeps_every_entry(void)
{
	enum { N = 5000 };
	static char keys[N][16];
	static int values[N];
	struct crm_map m = CRM_MAP_INIT;
	int i, found = 0;

	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%d", i);
		values[i] = i;
		CHECK_INT(0, crm_map_put(&m, keys[i], &values[i], NULL));
	}
	CHECK_INT(N, m.len);
	CHECK(m.cap >= N * 4 / 3 && (m.cap & (m.cap - 1)) == 0);
	for (i = 0; i < N; i++) {
		int *v = crm_map_get(&m, keys[i]);
		found += v && *v == i;
	}
	CHECK_INT(N, found);
	CHECK(crm_map_get(&m, "key-5000") == NULL);
	crm_map_release(&m);
}

/* "costarring" and "liquid" share their FNV-1a hash: both must stay
 * apart (the probe compares the text after the hash). */
static void test_map__hash_collision(void)
{
	struct crm_map m = CRM_MAP_INIT;
	int a = 1, b = 2;

	CHECK_INT(crm_hash_str("costarring"), crm_hash_str("liquid"));
	CHECK_INT(0, crm_map_put(&m, "costarring", &a, NULL));
	CHECK_INT(0, crm_map_put(&m, "liquid", &b, NULL));
	CHECK_INT(2, m.len);
	CHECK(crm_map_get(&m, "costarring") == &a);
	CHECK(crm_map_get(&m, "liquid") == &b);
	crm_map_release(&m);
}

/* Iteration visits every entry exactly once. */
static void test_map__iteration(void)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
					     "k", "l", "m", "n", "o", "p", "q", "r", "s", "t" };
	struct crm_map m = CRM_MAP_INIT;
	struct crm_map_slot *s;
	int seen[20] = { 0 }, visits = 0;
	size_t pos = 0, i;

	for (i = 0; i < 20; i++)
		crm_map_put(&m, names[i], &seen[i], NULL);
	while ((s = crm_map_next(&m, &pos)) != NULL) {
		(*(int *)s->value)++;
		visits++;
	}
	CHECK_INT(20, visits);
	for (i = 0; i < 20; i++)
		CHECK_INT(1, seen[i]);
	crm_map_release(&m);
}

TESTS(TEST(test_map__empty), TEST(test_map__hash), TEST(test_map__put_get_replace),
      TEST(test_map__growth_keeps_every_entry), TEST(test_map__hash_collision),
      TEST(test_map__iteration))
