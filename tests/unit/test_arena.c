/* The arena (src/util/arena.c): texts packed without alignment, every
 * other allocation aligned for any type, contents kept across chunks. */
#include <stdint.h>
#include <string.h>

#include "crm/arena.h"
#include "harness.h"

static void test_arena__texts_are_packed_and_blocks_stay_aligned(void)
{
	struct crm_arena a = CRM_ARENA_INIT;
	char *s1, *s2, *p;
	void *block;

	crm_arena_init(&a);   /* the environment may not ask for one malloc each */
	a.debug_malloc = 0;
	s1 = crm_arena_strdup(&a, "won");
	s2 = crm_arena_strdup(&a, "EUR");
	CHECK_STR("won", s1);
	CHECK_STR("EUR", s2);
	CHECK(s2 == s1 + 4);   /* back to back: no padding between texts */
	block = crm_arena_alloc(&a, 24);
	CHECK(block != NULL && (uintptr_t)block % 16 == 0);
	p = crm_arena_printf(&a, "%s/%d", "opportunity", 42);
	CHECK_STR("opportunity/42", p);
	s1 = crm_arena_memdup(&a, "a\0b", 3);   /* bytes, NULs and all */
	CHECK(s1 && s1 == p + 15 && !memcmp(s1, "a\0b", 3));
	CHECK(crm_arena_alloc(&a, 1) != NULL);
	CHECK((uintptr_t)crm_arena_alloc(&a, 8) % 16 == 0);
	crm_arena_release(&a);
}

static void test_arena__many_texts_across_chunks_keep_their_contents(void)
{
	struct crm_arena a = CRM_ARENA_INIT;
	char *texts[20000], want[32];
	size_t i, bad = 0;

	crm_arena_init(&a);
	for (i = 0; i < 20000; i++) {
		snprintf(want, sizeof(want), "value-%zu", i);
		texts[i] = i % 3 ? crm_arena_strdup(&a, want) : crm_arena_printf(&a, "value-%zu", i);
		if (i % 7 == 0)
			CHECK((uintptr_t)crm_arena_alloc(&a, 40) % 16 == 0);
	}
	for (i = 0; i < 20000; i++) {
		snprintf(want, sizeof(want), "value-%zu", i);
		bad += !texts[i] || strcmp(texts[i], want);
	}
	CHECK_INT(0, bad);
	crm_arena_release(&a);
}

TESTS(TEST(test_arena__texts_are_packed_and_blocks_stay_aligned),
      TEST(test_arena__many_texts_across_chunks_keep_their_contents))
