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

/* An adopted arena's allocations live on in the adopter, which goes on
 * serving from its own newest chunk; the adopted arena is left empty and
 * usable, and adopting an empty one changes nothing. */
static void test_arena__adopted_allocations_live_in_the_adopter(void)
{
	struct crm_arena into = CRM_ARENA_INIT, from = CRM_ARENA_INIT, none = CRM_ARENA_INIT;
	char *mine, *theirs[3000], *next, want[64];
	size_t i, bad = 0, total;

	crm_arena_init(&into);
	crm_arena_init(&from);
	crm_arena_init(&none);
	into.debug_malloc = from.debug_malloc = 0;
	mine = crm_arena_strdup(&into, "mine");
	for (i = 0; i < 3000; i++) {   /* several chunks */
		snprintf(want, sizeof(want), "theirs-%zu-%s", i, "padding padding padding");
		theirs[i] = crm_arena_strdup(&from, want);
	}
	total = into.total + from.total;
	crm_arena_adopt(&into, &from);
	crm_arena_adopt(&into, &none);
	CHECK(from.chunks == NULL && from.total == 0);
	CHECK(into.total == total);
	next = crm_arena_strdup(&into, "next");
	CHECK(next == mine + 5);   /* the adopter's chunk still serves */
	CHECK_STR("mine", mine);
	for (i = 0; i < 3000; i++) {
		snprintf(want, sizeof(want), "theirs-%zu-%s", i, "padding padding padding");
		bad += strcmp(theirs[i], want) != 0;
	}
	CHECK_INT(0, bad);
	CHECK_STR("again", crm_arena_strdup(&from, "again"));
	crm_arena_adopt(&none, &from);   /* into an empty arena */
	CHECK(none.chunks != NULL && from.chunks == NULL);
	next = crm_arena_strdup(&none, "more");
	CHECK_STR("more", next);
	crm_arena_release(&into);
	crm_arena_release(&none);
	crm_arena_release(&from);
}

TESTS(TEST(test_arena__texts_are_packed_and_blocks_stay_aligned),
      TEST(test_arena__many_texts_across_chunks_keep_their_contents),
      TEST(test_arena__adopted_allocations_live_in_the_adopter))
