/* Unit tests of the loader's fast path (src/core/yaml/yaml_fast.c): every
 * tree it builds must be libyaml's, node for node, positions included,
 * and what it does not know it must decline.  Held to libyaml on written
 * cases, on every record file of the examples and the tests, and on
 * thousands of one-byte mutations of a typical record. */
#include <dirent.h>
#include <sys/stat.h>

#include "crm/buf.h"
#include "harness.h"
#include "yaml_same.h"

static enum outcome compare(const char *text, size_t len, const char *name)
{
	char why[512];
	enum outcome out = compare_paths(text, len, name, why, sizeof(why));

	if (out == WRONG)
		fprintf(stderr, "  %s: the fast path differs from libyaml: %s\n  text: %.*s\n", name,
			why, (int)(len > 300 ? 300 : len), text);
	return out;
}

static void expect_built(const char *text)
{
	CHECK_INT(BUILT_SAME, compare(text, strlen(text), "built.yaml"));
}

static void expect_declined(const char *text)
{
	CHECK_INT(DECLINED, compare(text, strlen(text), "declined.yaml"));
}

static const char typical[] =
	"# a deal\n"
	"title: \"Retargeting campaign\"\n"
	"client: cafe-322\n"
	"stage: proposal-sent   # moved on Monday\n"
	"amount: \"4500.00 EUR\"\n"
	"confidence: 5\n"
	"tags: [facebook-ads, 'it''s', \"q\"]\n"
	"empty: []\n"
	"none: {}\n"
	"notes:\n"
	"owner: alice\n"
	"url: http://example.com/a#b\n"
	"time: 08:30\n"
	"history:\n"
	"  - {date: 2019-03-25, stage: unqualified, by: alice}\n"
	"  # between the items\n"
	"  - {date: 2019-04-08, stage: qualifying , by: \"alice\"}\n"
	"lines:\n"
	"  - product: consulting-hour\n"
	"    description: Neue Webseite\n"
	"    quantity: 2\n"
	"    tags:\n"
	"      - a\n"
	"      - b\n"
	"    extra:\n"
	"  - product: x\n"
	"address:\n"
	"  street: Main Street 1\n"
	"  city:\n"
	"\n"
	"  country: DE\n"
	"'quoted key': 1\n"
	"\"double key\": two words here \n"
	"last:\n"
	"# the end\n";

static void test_yaml_fast__typical_records_are_libyamls_trees(void)
{
	expect_built(typical);
	expect_built("a: 1");                      /* no line break at the end */
	expect_built("a:");                        /* an empty value at the end */
	expect_built("a:\n  b:\n");
	expect_built("a:\n  - x\n  - y\nb: 2\n");
	expect_built("a:\n    - x\n    - y\n# c\n\nb: 2\n");
	expect_built("a:\n  - k: 1\n    l: 2\n  - k: 3\n");
	expect_built("a:\n  -   k: 1\n      l:\n  - z\n");
	expect_built("\n\n# top\nname: x\n");
	expect_built("a: [ x , y ]\nb: { k: v , l: 'w' }\n");
	/* columns count characters: Chinese, Polish, Khmer */
	expect_built("name: 北京办公室\ncity: Łódź\nnote: ភ្នំពេញ\nx: [北京, Łódź]\n"
		     "y: {ភ្នំពេញ: 1, z: 北京}\nlist:\n  - Zażółć: gęślą\n    jaźń: 1\n");
}

static void test_yaml_fast__declines_what_it_does_not_know(void)
{
	expect_declined("a: &x 1\nb: *x\n");                /* anchors, aliases */
	expect_declined("a: !tag 1\n");
	expect_declined("a: |\n  text\n");
	expect_declined("a: >\n  text\n");
	expect_declined("a: two\n  lines\n");               /* a folded plain scalar */
	expect_declined("a: \"esc\\n\"\n");
	expect_declined("a: \"two\n  lines\"\n");
	expect_declined("a:\t1\n");
	expect_declined("a: 1\r\nb: 2\r\n");
	expect_declined("a: 1\na: 2\n");                    /* a duplicate key */
	expect_declined("a:\n- x\n- y\n");                  /* a list beside its key */
	expect_declined("a: b: c\n");
	expect_declined("---\na: 1\n");
	expect_declined("a: 1\n...\n");
	expect_declined("a: [x, ]\n");
	expect_declined("a: [[x]]\n");
	expect_declined("a: [x,\n  y]\n");
	expect_declined("a : 1\n");
	expect_declined("a: [x: y]\n");
	expect_declined("a: {x}\n");
	expect_declined("a: -1\n");
	expect_declined("- a\n");
	expect_declined("  a: 1\n");
	expect_declined("a:\n  b: 1\n c: 2\n");
	expect_declined("a: x\u2028y\n");                  /* a line break to libyaml */
	expect_declined("a: 1 # c\n  b: 2\n");
	expect_declined("# only a comment\n");
	expect_declined("");
	expect_declined("a:\n  -\n    b: 1\n");
	expect_declined("a: 'x' y\n");
	expect_declined("a: \"x\"#c\n");
	expect_declined("? a\n: b\n");
}

/* A text the precheck would refuse is never given to the fast path. */
static bool prechecked(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F || c >= 0x80)
			return false;
	}
	return !strstr(text, "<<<<<<< ");
}

static void test_yaml_fast__mutations_of_a_record_agree_with_libyaml(void)
{
	static const char bytes[] = " :-#\n\"'[]{},x&*|>?!\\%@";
	size_t len = strlen(typical), i, j;
	char *text = malloc(len + 2);
	int built = 0, wrong = 0;

	for (i = 0; i < len && text; i++) {
		for (j = 0; j < sizeof(bytes) - 1; j++) {
			/* the byte replaced, then inserted before it */
			memcpy(text, typical, len + 1);
			text[i] = bytes[j];
			if (prechecked(text, len)) {
				enum outcome o = compare(text, len, "mutated.yaml");
				built += o == BUILT_SAME;
				wrong += o == WRONG;
			}
			memcpy(text, typical, i);
			text[i] = bytes[j];
			memcpy(text + i + 1, typical + i, len - i + 1);
			if (prechecked(text, len + 1)) {
				enum outcome o = compare(text, len + 1, "mutated.yaml");
				built += o == BUILT_SAME;
				wrong += o == WRONG;
			}
		}
	}
	free(text);
	CHECK_INT(0, wrong);
	CHECK(built > 1000);   /* most mutations stay in the subset */
}

struct corpus_count {
	int files, built, wrong;
};

/* Every .yaml file below `dir` compared, when libyaml reads it cleanly. */
static void walk_corpus(const char *dir, struct corpus_count *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct crm_buf path = CRM_BUF_INIT, data = CRM_BUF_INIT;
		struct stat st;
		size_t l = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		crm_buf_addf(&path, "%s/%s", dir, e->d_name);
		if (!lstat(path.ptr, &st) && S_ISDIR(st.st_mode)) {
			walk_corpus(path.ptr, n);
		} else if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml") &&
			   !crm_buf_read_file(&data, path.ptr, (size_t)8 << 20)) {
			enum outcome o = compare(data.ptr, data.len, path.ptr);
			n->files++;
			n->built += o == BUILT_SAME;
			n->wrong += o == WRONG;
		}
		crm_buf_release(&path);
		crm_buf_release(&data);
	}
	closedir(d);
}

static void test_yaml_fast__every_example_and_test_record_agrees(void)
{
	struct corpus_count n = { 0, 0, 0 };

	walk_corpus(CRM_SRCDIR "/examples", &n);
	walk_corpus(CRM_SRCDIR "/tests/data", &n);
	walk_corpus(CRM_SRCDIR "/tests/fuzz/corpus/yaml", &n);
	if (!n.files)
		SKIP("no record files below %s/examples and tests/data", CRM_SRCDIR);
	CHECK_INT(0, n.wrong);
	/* the examples are written in the block style: most are built */
	CHECK(n.built * 2 > n.files);
	printf("  %d record files, %d built by the fast path, the others declined\n", n.files,
	       n.built);
}

TESTS(TEST(test_yaml_fast__typical_records_are_libyamls_trees),
      TEST(test_yaml_fast__declines_what_it_does_not_know),
      TEST(test_yaml_fast__mutations_of_a_record_agree_with_libyaml),
      TEST(test_yaml_fast__every_example_and_test_record_agrees))
