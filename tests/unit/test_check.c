/* The diagnostics catalogue (doc/diagnostics.md) and the codes crm check
 * can emit (crm_check_codes) must name the same set, each with an example. */
#include "crm/buf.h"
#include "crm/check.h"
#include "harness.h"

static bool catalogue_has(const char *doc, const char *code)
{
	const char *p = doc;
	size_t n = strlen(code);
	while ((p = strstr(p, "\n### "))) {
		const char *line = p + 5, *end = strchr(line, '\n');
		const char *q = line;
		while (q && q < end) {
			if (!strncmp(q, code, n) && (q[n] == ',' || q[n] == '\n'))
				return true;
			q = strstr(q, ", ");
			q = q && q < end ? q + 2 : NULL;
		}
		p = end;
	}
	return false;
}

static bool known_code(const char *code, size_t n)
{
	size_t i;
	for (i = 0; crm_check_codes[i]; i++) {
		if (strlen(crm_check_codes[i]) == n && !strncmp(crm_check_codes[i], code, n))
			return true;
	}
	return false;
}

static void test_check__every_code_is_in_the_catalogue(void)
{
	struct crm_buf doc = CRM_BUF_INIT;
	size_t i;
	CHECK_INT(0, crm_buf_read_file(&doc, CRM_SRCDIR "/doc/diagnostics.md", 1 << 20));
	for (i = 0; crm_check_codes[i]; i++) {
		if (!catalogue_has(doc.ptr, crm_check_codes[i])) {
			fprintf(stderr, "  code '%s' is missing from doc/diagnostics.md\n",
				crm_check_codes[i]);
			CHECK(0);
		}
		/* and its example line shows the code in brackets */
		{
			char tag[64];
			snprintf(tag, sizeof(tag), "[%s]", crm_check_codes[i]);
			if (!strstr(doc.ptr, tag)) {
				fprintf(stderr, "  code '%s' has no example\n", crm_check_codes[i]);
				CHECK(0);
			}
		}
	}
	crm_buf_release(&doc);
}

static void test_check__every_catalogue_entry_is_a_code(void)
{
	struct crm_buf doc = CRM_BUF_INIT;
	const char *p;
	CHECK_INT(0, crm_buf_read_file(&doc, CRM_SRCDIR "/doc/diagnostics.md", 1 << 20));
	for (p = doc.ptr; (p = strstr(p, "\n### ")); ) {
		const char *q = p + 5, *end = strchr(q, '\n');
		while (q < end) {
			size_t n = strcspn(q, ",\n");
			if (!known_code(q, n)) {
				fprintf(stderr, "  catalogue entry '%.*s' is no code\n", (int)n, q);
				CHECK(0);
			}
			q += n;
			while (q < end && (*q == ',' || *q == ' '))
				q++;
		}
		p = end;
	}
	crm_buf_release(&doc);
}

TESTS(TEST(test_check__every_code_is_in_the_catalogue),
      TEST(test_check__every_catalogue_entry_is_a_code))
