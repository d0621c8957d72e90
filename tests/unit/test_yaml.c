/* Unit tests of the record loader (src/core/yaml_load.c): places of keys
 * and values, duplicate keys, invalid UTF-8, NUL bytes and the limits that
 * keep hostile files from becoming outages. */
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/node.h"
#include "harness.h"

struct parsed {
	struct crm_arena arena;
	struct crm_diags diags;
	struct crm_node *root;
	int rc;
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	crm_arena_init(&p->arena);
	crm_diags_init(&p->diags);
	p->rc = crm_yaml_parse(&p->root, &p->arena, text, len, "t.yaml", &p->diags);
}

static void release(struct parsed *p)
{
	crm_arena_release(&p->arena);
	crm_diags_release(&p->diags);
}

static const struct crm_diag *first(const struct parsed *p)
{
	return p->diags.list.len ? &p->diags.list.ptr[0] : NULL;
}

static void test_yaml__positions(void)
{
	struct parsed p;
	const char *text = "name: Acme\n# comment\ntags:\n  - seo\n  - web\namount: \"12.00 EUR\"\n";
	struct crm_node *tags, *amount;

	parse(&p, text, strlen(text));
	CHECK_INT(0, p.rc);
	CHECK_INT(3, p.root->count);
	CHECK_STR("Acme", crm_node_text(p.root, "name"));
	tags = crm_node_get(p.root, "tags");
	CHECK(tags && tags->kind == CRM_NODE_SEQ && tags->count == 2);
	CHECK_INT(4, tags->items[0]->line);
	CHECK_INT(5, tags->items[0]->col);
	amount = crm_node_get(p.root, "amount");
	CHECK_INT(6, amount->line);
	CHECK_INT(9, amount->col);
	CHECK_INT(CRM_STYLE_DOUBLE, amount->style);
	/* the byte range covers the quotes, so a writer can replace it */
	CHECK(!strncmp(text + amount->start, "\"12.00 EUR\"", amount->end - amount->start));
	release(&p);
}

static void test_yaml__offsets_are_bytes(void)
{
	struct parsed p;
	const char *text = "a: 北京青云 Łódź\nb: x\n";
	struct crm_node *b;
	parse(&p, text, strlen(text));
	CHECK_INT(0, p.rc);
	b = crm_node_get(p.root, "b");
	/* libyaml counts characters; writers need byte offsets */
	CHECK_INT((long long)(strchr(text, 'x') - text), b->start);
	CHECK_INT(b->start + 1, b->end);
	CHECK_INT(4, b->col);
	release(&p);
}

static void test_yaml__columns_count_code_points(void)
{
	struct parsed p;
	const char *text = "name: 北京青云\nemail: [x\n";
	parse(&p, text, strlen(text));
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK(first(&p) && first(&p)->line == 3);
	release(&p);
	parse(&p, "a: 北京\nb: 1\n", strlen("a: 北京\nb: 1\n"));
	CHECK_INT(0, p.rc);
	CHECK_INT(2, crm_node_get(p.root, "b")->line);
	release(&p);
}

static void test_yaml__duplicate_key(void)
{
	struct parsed p;
	const char *text = "name: One\nemail: a@b.example\nname: Two\n";
	parse(&p, text, strlen(text));
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_INT(1, p.diags.list.len);
	CHECK_STR("duplicate-key", first(&p)->code);
	CHECK_INT(3, first(&p)->line);
	CHECK_INT(1, first(&p)->col);
	CHECK_STR("duplicate key 'name' (first at line 1)", first(&p)->message);
	release(&p);
}

static void test_yaml__invalid_utf8(void)
{
	struct parsed p;
	const char text[] = "name: ok\nnote: caf\xe9 bar\n";
	parse(&p, text, sizeof(text) - 1);
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("invalid-utf8", first(&p)->code);
	CHECK_INT(2, first(&p)->line);
	CHECK_INT(10, first(&p)->col);
	release(&p);
}

static void test_yaml__nul_byte(void)
{
	struct parsed p;
	const char text[] = "name: a\0b\n";
	parse(&p, text, sizeof(text) - 1);
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("nul-byte", first(&p)->code);
	CHECK_INT(1, first(&p)->line);
	CHECK_INT(8, first(&p)->col);
	release(&p);
}

static void test_yaml__syntax_error_is_located(void)
{
	struct parsed p;
	const char *text = "name: a\n  bad: indent\n";
	parse(&p, text, strlen(text));
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("yaml-syntax", first(&p)->code);
	CHECK_INT(2, first(&p)->line);
	release(&p);
}

static void test_yaml__billion_laughs_is_refused(void)
{
	struct parsed p;
	const char *text =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
	parse(&p, text, strlen(text));
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("yaml-limit", first(&p)->code);
	/* refused as soon as the expansion passes the limit, on line 4 */
	CHECK_INT(4, first(&p)->line);
	release(&p);
}

static void test_yaml__small_aliases_are_fine(void)
{
	struct parsed p;
	const char *text = "a: &x {k: v}\nb: *x\n";
	parse(&p, text, strlen(text));
	CHECK_INT(0, p.rc);
	CHECK_STR("v", crm_node_text(crm_node_get(p.root, "b"), "k"));
	release(&p);
}

static void test_yaml__recursive_alias_is_refused(void)
{
	struct parsed p;
	const char *text = "a: &x [1, *x]\n";
	parse(&p, text, strlen(text));
	CHECK_INT(CRM_EINVALID, p.rc);
	release(&p);
}

static void test_yaml__depth_limit(void)
{
	struct parsed p;
	struct crm_buf b = CRM_BUF_INIT;
	int i;
	crm_buf_adds(&b, "a: ");
	for (i = 0; i < 100; i++)
		crm_buf_addch(&b, '[');
	for (i = 0; i < 100; i++)
		crm_buf_addch(&b, ']');
	crm_buf_addch(&b, '\n');
	parse(&p, b.ptr, b.len);
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("yaml-limit", first(&p)->code);
	release(&p);
	crm_buf_release(&b);
}

static void test_yaml__size_limit(void)
{
	struct parsed p;
	size_t n = CRM_YAML_MAX_BYTES + 1;
	char *big = malloc(n);
	memset(big, '#', n);
	parse(&p, big, n);
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("yaml-limit", first(&p)->code);
	release(&p);
	free(big);
}

static void test_yaml__not_a_mapping(void)
{
	struct parsed p;
	parse(&p, "- a\n- b\n", 8);
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("not-a-mapping", first(&p)->code);
	release(&p);
}

static void test_yaml__empty_file_is_empty_mapping(void)
{
	struct parsed p;
	parse(&p, "", 0);
	CHECK_INT(0, p.rc);
	CHECK(p.root && p.root->kind == CRM_NODE_MAP && p.root->count == 0);
	release(&p);
	parse(&p, "# only a comment\n", 17);
	CHECK_INT(0, p.rc);
	release(&p);
}

static void test_yaml__two_documents_refused(void)
{
	struct parsed p;
	const char *text = "a: 1\n---\nb: 2\n";
	parse(&p, text, strlen(text));
	CHECK_INT(CRM_EINVALID, p.rc);
	CHECK_STR("yaml-syntax", first(&p)->code);
	release(&p);
}

static void test_yaml__nulls(void)
{
	struct parsed p;
	const char *text = "a: ~\nb:\nc: null\nd: 'null'\n";
	parse(&p, text, strlen(text));
	CHECK_INT(0, p.rc);
	CHECK(crm_node_is_null(crm_node_get(p.root, "a")));
	CHECK(crm_node_is_null(crm_node_get(p.root, "b")));
	CHECK(crm_node_is_null(crm_node_get(p.root, "c")));
	CHECK(!crm_node_is_null(crm_node_get(p.root, "d")));
	release(&p);
}

TESTS(TEST(test_yaml__positions), TEST(test_yaml__offsets_are_bytes), TEST(test_yaml__columns_count_code_points),
      TEST(test_yaml__duplicate_key), TEST(test_yaml__invalid_utf8),
      TEST(test_yaml__nul_byte), TEST(test_yaml__syntax_error_is_located),
      TEST(test_yaml__billion_laughs_is_refused), TEST(test_yaml__small_aliases_are_fine),
      TEST(test_yaml__recursive_alias_is_refused), TEST(test_yaml__depth_limit),
      TEST(test_yaml__size_limit), TEST(test_yaml__not_a_mapping),
      TEST(test_yaml__empty_file_is_empty_mapping), TEST(test_yaml__two_documents_refused),
      TEST(test_yaml__nulls))
