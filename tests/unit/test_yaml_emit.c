/* Unit tests of the one YAML scalar writer (src/core/yaml/yaml_emit.c): a
 * reviewed table of scalars and their written form, and a property test
 * that whatever is written reads back through the loader as the same
 * string, in block and in flow context. */
#include "crm/diag.h"
#include "crm/edit.h"
#include "crm/node.h"
#include "crm/yaml_emit.h"
#include "harness.h"

#define R CRM_YAML_RECORD
#define S CRM_YAML_STRING
#define F CRM_YAML_FLOW

static const struct {
	const char *text;
	unsigned flags;
	const char *written;
} golden[] = {
	{ "Acme", R, "Acme" },
	{ "Zakład Pogrzebowy", R, "Zakład Pogrzebowy" },
	{ "", R, "\"\"" },
	{ " lead", R, "\" lead\"" },
	{ "trail ", R, "\"trail \"" },
	/* indicators that open something else when first */
	{ "-x", R, "\"-x\"" }, { "?x", R, "\"?x\"" }, { ":x", R, "\":x\"" },
	{ ",x", R, "\",x\"" }, { "[x", R, "\"[x\"" }, { "]x", R, "\"]x\"" },
	{ "{x", R, "\"{x\"" }, { "}x", R, "\"}x\"" }, { "#x", R, "\"#x\"" },
	{ "&x", R, "\"&x\"" }, { "*x", R, "\"*x\"" }, { "!x", R, "\"!x\"" },
	{ "|x", R, "\"|x\"" }, { ">x", R, "\">x\"" }, { "'x", R, "\"'x\"" },
	{ "\"x", R, "\"\\\"x\"" }, { "%x", R, "\"%x\"" }, { "@x", R, "\"@x\"" },
	{ "`x", R, "\"`x\"" }, { "...", R, "\"...\"" },
	/* sequences that end a plain scalar */
	{ "a: b", R, "\"a: b\"" }, { "a #b", R, "\"a #b\"" }, { "a:", R, "\"a:\"" },
	{ "a:b", R, "a:b" }, { "a#b", R, "a#b" },
	/* booleans and null, any case */
	{ "yes", R, "\"yes\"" }, { "No", R, "\"No\"" }, { "ON", R, "\"ON\"" },
	{ "off", R, "\"off\"" }, { "True", R, "\"True\"" }, { "FALSE", R, "\"FALSE\"" },
	{ "y", R, "\"y\"" }, { "N", R, "\"N\"" }, { "null", R, "\"null\"" },
	{ "NuLL", R, "\"NuLL\"" }, { "~", R, "\"~\"" }, { "<<", R, "\"<<\"" },
	/* numbers and dates: canonical ones stay plain in a record ... */
	{ "12", R, "12" }, { "-5", R, "\"-5\"" }, { "47000.00", R, "47000.00" },
	{ "0", R, "0" }, { "2025-01-01", R, "2025-01-01" },
	/* ... and every other form is quoted */
	{ "0123", R, "\"0123\"" }, { "0x1F", R, "\"0x1F\"" }, { "0b101", R, "\"0b101\"" },
	{ "0o17", R, "\"0o17\"" }, { "1e3", R, "\"1e3\"" }, { "1.5e-3", R, "\"1.5e-3\"" },
	{ ".5", R, "\".5\"" }, { "1.", R, "\"1.\"" }, { "1_000", R, "\"1_000\"" },
	{ "12:30", R, "\"12:30\"" }, { "+7", R, "\"+7\"" }, { ".inf", R, "\".inf\"" },
	{ "-.Inf", R, "\"-.Inf\"" }, { ".NaN", R, "\".NaN\"" },
	{ "2025-01-01T10:00", R, "2025-01-01T10:00" }, { "2025-01-01T10:00:00Z", R,
							     "2025-01-01T10:00:00Z" },
	{ "2025-01-01T10:00+01:00", R, "2025-01-01T10:00+01:00" },
	{ "2025-01-01t10:00:00", R, "\"2025-01-01t10:00:00\"" },
	{ "2025-01-01T10:00:00Z", S, "\"2025-01-01T10:00:00Z\"" },
	{ "2025-1-1", R, "\"2025-1-1\"" }, { "2001-12-14 21:59:43.10 -5", R,
					       "\"2001-12-14 21:59:43.10 -5\"" },
	{ "12 apples", R, "12 apples" }, { "v1.2", R, "v1.2" },
	/* for any YAML 1.1 reader (ls --format yaml) canonical forms too */
	{ "12", S, "\"12\"" }, { "47000.00", S, "\"47000.00\"" },
	{ "2025-01-01", S, "\"2025-01-01\"" }, { "0123", S, "\"0123\"" }, { "Acme", S, "Acme" },
	/* flow context: indicators anywhere */
	{ "x}", F, "\"x}\"" }, { "a, b", F, "\"a, b\"" }, { "a,b", F, "\"a,b\"" },
	{ "[x]", F, "\"[x]\"" }, { "a:b", F, "\"a:b\"" }, { "a b", F, "a b" },
	{ "a, b", R, "a, b" },
	/* control characters: escaped, never raw */
	{ "a\nb", R, "\"a\\nb\"" }, { "a\tb", R, "\"a\\tb\"" }, { "a\rb", R, "\"a\\rb\"" },
	{ "\x1b[2J\x1b]0;PWNED\a", R, "\"\\e[2J\\e]0;PWNED\\a\"" },
	{ "a\x01" "b", R, "\"a\\x01b\"" }, { "a\x7f" "b", R, "\"a\\x7Fb\"" },
	{ "a\xc2\x85" "b", R, "\"a\\Nb\"" }, { "a\xc2\x9b" "b", R, "\"a\\x9Bb\"" },
	{ "a\xe2\x80\xa8" "b", R, "\"a\\Lb\"" }, { "a\xe2\x80\xa9" "b", R, "\"a\\Pb\"" },
	{ "a\xef\xbb\xbf" "b", R, "\"a\\uFEFFb\"" }, { "back\\slash", R, "back\\slash" },
	{ "q\"\\\n", R, "\"q\\\"\\\\\\n\"" }, { "a\xc2\xa0" "b", R, "a\xc2\xa0" "b" },
};

static void test_yaml_emit__golden_table(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(golden) / sizeof(*golden); i++) {
		crm_buf_reset(&out);
		CHECK_INT(0, crm_yaml_emit_scalar(&out, golden[i].text, golden[i].flags));
		if (strcmp(out.ptr, golden[i].written))
			fprintf(stderr, "  row %zu: '%s' written as '%s'\n", i, golden[i].text,
				out.ptr);
		CHECK_STR(golden[i].written, out.ptr);
	}
	crm_buf_release(&out);
}

static void test_yaml_emit__single_quoted_falls_back_to_escapes(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	CHECK_INT(0, crm_yaml_emit_single_quoted(&out, "it's"));
	CHECK_STR("'it''s'", out.ptr);
	crm_buf_reset(&out);
	CHECK_INT(0, crm_yaml_emit_single_quoted(&out, "a\xc2\x85" "b"));
	CHECK_STR("\"a\\Nb\"", out.ptr);
	crm_buf_release(&out);
}

/* The pieces random strings are made of: the characters and sequences
 * that have tripped YAML writers. */
static const char *const pieces[] = {
	"a", "Z", "0", "1", "7", "x", "e", "E", ".", "_", "+", "-", ":", " ", "  ", "#",
	",", "[", "]", "{", "}", "?", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`",
	"\\", "~", "y", "n", "yes", "null", "on", "2025-01-01", "0x", ".inf", "\t", "\n",
	"\r", "\x1b", "\a", "\x01", "\x7f", "\xc2\x85", "\xc2\x9f", "\xc2\xa0",
	"\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbf", "\xc3\xa9", "\xe4\xb8\xad",
	"\xf0\x9f\x98\x80", "---", "...", "<<", "=",
};

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned next_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state >> 16);
}

/* Writes `text` in a document as `flags` say (a block value, an item of
 * a flow list, a key of a flow mapping) and reads it back. */
static bool round_trips(const char *text, unsigned flags, bool as_key)
{
	struct crm_buf doc = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root = NULL;
	const struct crm_node *v;
	bool ok = false;

	crm_diags_init(&diags);
	crm_buf_adds(&doc, "k: ");
	if (flags & CRM_YAML_FLOW)
		crm_buf_adds(&doc, as_key ? "{" : "[");
	crm_yaml_emit_scalar(&doc, text, flags);
	if (flags & CRM_YAML_FLOW)
		crm_buf_adds(&doc, as_key ? ": v}" : ", last]");
	crm_buf_adds(&doc, "\n");
	if (!crm_yaml_parse(&root, &arena, doc.ptr, doc.len, "t.yaml", &diags)) {
		v = crm_node_get(root, "k");
		if (v && (flags & CRM_YAML_FLOW) && as_key)
			v = v->kind == CRM_NODE_MAP && v->count == 1 ? v->pairs[0].key : NULL;
		else if (v && (flags & CRM_YAML_FLOW))
			v = v->kind == CRM_NODE_SEQ && v->count == 2 ? v->items[0] : NULL;
		ok = v && v->kind == CRM_NODE_SCALAR && !crm_node_is_null(v) &&
		     !strcmp(v->text, text);
	}
	if (!ok)
		fprintf(stderr, "  does not round-trip: %s", doc.ptr);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	crm_buf_release(&doc);
	return ok;
}

static void test_yaml_emit__random_strings_round_trip(void)
{
	static const unsigned modes[] = { R, S, R | F, S | F };
	struct crm_buf text = CRM_BUF_INIT;
	size_t i, j, m, failures = 0;

	for (i = 0; i < 20000 && failures < 5; i++) {
		size_t n = next_random() % 6;
		crm_buf_reset(&text);
		for (j = 0; j < n; j++)
			crm_buf_adds(&text, pieces[next_random() % (sizeof(pieces) / sizeof(*pieces))]);
		for (m = 0; m < sizeof(modes) / sizeof(*modes); m++) {
			if (!round_trips(text.ptr, modes[m], false))
				failures++;
			if ((modes[m] & F) && !round_trips(text.ptr, modes[m], true))
				failures++;
		}
	}
	CHECK_INT(0, failures);
	crm_buf_release(&text);
}

/* set's splice goes through the same writer (the NEL finding). */
static void test_yaml_emit__set_escapes_nel(void)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *root;
	const char *src = "name: A\nnotes: \"x\"\n";

	crm_diags_init(&diags);
	CHECK_INT(0, crm_yaml_parse(&root, &arena, src, strlen(src), "t.yaml", &diags));
	CHECK_INT(0, crm_edit_set(&out, src, strlen(src), root, "notes", "a\xc2\x85" "b"));
	CHECK_STR("name: A\nnotes: \"a\\Nb\"\n", out.ptr);
	crm_buf_release(&out);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
}

TESTS(TEST(test_yaml_emit__golden_table), TEST(test_yaml_emit__single_quoted_falls_back_to_escapes),
      TEST(test_yaml_emit__random_strings_round_trip), TEST(test_yaml_emit__set_escapes_nel))
