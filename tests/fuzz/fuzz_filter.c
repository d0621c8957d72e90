/* Fuzz target: the filter language against the bundled example repository.
 * Each input line is one term (the first line may be a --sort spec after
 * "sort:"); terms either parse and match every opportunity, or are refused
 * with a message, never a crash.  The index is loaded once, without the
 * cache, so the example's folder is never written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crm/filter.h"
#include "crm/index.h"
#include "crm/repo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TERMS 8

static struct crm_repo repo;
static struct crm_index *idx;

static struct crm_index *example_index(void)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;

	if (idx)
		return idx;
	o.no_cache = true;
	o.git_dates = false;
	o.threads = 1;
	if (crm_repo_open(&repo, CRM_SRCDIR "/examples/agency") ||
	    crm_index_load(&idx, &repo, &o))
		abort();
	return idx;
}

static void match_all(struct crm_index *ix, const struct crm_schema *s,
		      const char *const *terms, size_t n, const char *sort)
{
	struct crm_filter *f;
	struct crm_record **all, **sorted;
	size_t count, i;

	if (crm_filter_parse(&f, ix, s, terms, n))
		return;
	all = crm_index_records(ix, s->type, &count);
	for (i = 0; i < count; i++)
		crm_filter_match(f, ix, all[i]);
	/* the index's own array stays in path order: sort a copy */
	sorted = sort && count ? malloc(count * sizeof(*sorted)) : NULL;
	if (sorted) {
		memcpy(sorted, all, count * sizeof(*sorted));
		crm_records_sort(sorted, count, ix, s, sort);
	}
	free(sorted);
	crm_filter_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_index *ix = example_index();
	const struct crm_schema *s = crm_repo_schema(&repo, "opportunity");
	const char *terms[MAX_TERMS], *sort = NULL;
	char *text = malloc(size + 1), *line, *save = NULL;
	size_t n = 0;

	if (!text || !s) {
		free(text);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line && n < MAX_TERMS;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!sort && !n && !strncmp(line, "sort:", 5))
			sort = line + 5;
		else
			terms[n++] = line;
	}
	match_all(ix, s, terms, n, sort);
	free(text);
	return 0;
}
