/* Fuzz target: the record merge.  The input is base, ours and theirs
 * separated by NUL bytes (which no record may hold).  Whatever the merge
 * writes must parse; a clean or conflicted merge must agree with both
 * sides where they agree, and merging its result with itself must give it
 * back unchanged; a merge that gives up must keep both versions whole. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/diag.h"
#include "crm/error.h"
#include "crm/merge.h"
#include "crm/node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct crm_buf *out)
{
	fprintf(stderr, "fuzz_merge: %s\n--- output ---\n%.*s\n", what, (int)out->len, out->ptr);
	abort();
}

/* Splits the next part off at a NUL byte (the rest when there is none). */
static const char *part(const char **p, const char *end, size_t *len)
{
	const char *start = *p, *nul = *p < end ? memchr(*p, '\0', (size_t)(end - *p)) : NULL;
	*len = (size_t)((nul ? nul : end) - start);
	*p = nul ? nul + 1 : end;
	return start;
}

static bool contains(const struct crm_buf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; n && i + n <= out->len; i++) {
		if (!memcmp(out->ptr + i, s, n))
			return true;
	}
	return !n;
}

/* Keys on which ours and theirs agree keep that value. */
static void check_agreement(const struct crm_node *merged, const char *o, size_t olen,
			    const char *t, size_t tlen, const struct crm_buf *out)
{
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *ours, *theirs;
	size_t i;

	crm_diags_init(&diags);
	if (!crm_yaml_parse(&ours, &arena, o, olen, "ours", &diags) &&
	    !crm_yaml_parse(&theirs, &arena, t, tlen, "theirs", &diags)) {
		for (i = 0; i < ours->count; i++) {
			const char *key = ours->pairs[i].key->text;
			const struct crm_node *ov = ours->pairs[i].value;
			if (crm_node_same(ov, crm_node_get(theirs, key)) &&
			    !crm_node_same(ov, crm_node_get(merged, key)))
				fail("a value both sides agree on changed", out);
		}
	}
	crm_diags_release(&diags);
	crm_arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *b, *o, *t;
	size_t blen, olen, tlen, conflicts = 0, again_conflicts = 0;
	struct crm_buf out = CRM_BUF_INIT, again = CRM_BUF_INIT;
	struct crm_arena arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *merged;
	int rc;

	b = part(&p, end, &blen);
	o = part(&p, end, &olen);
	t = part(&p, end, &tlen);
	crm_diags_init(&diags);
	rc = crm_merge_record(&out, &conflicts, b, blen, o, olen, t, tlen);
	if (rc == CRM_ECONFLICT) {
		if (!contains(&out, o, olen) || !contains(&out, t, tlen))
			fail("a merge that gave up lost a version", &out);
	} else if (rc == 0) {
		if (crm_yaml_parse(&merged, &arena, out.ptr, out.len, "merged", &diags))
			fail("the merged file does not parse", &out);
		check_agreement(merged, o, olen, t, tlen, &out);
		/* a merge of the result with itself is the result */
		if (crm_merge_record(&again, &again_conflicts, out.ptr, out.len, out.ptr, out.len,
				     out.ptr, out.len) ||
		    again.len != out.len || memcmp(again.ptr, out.ptr, out.len) || again_conflicts)
			fail("the merged file does not round-trip", &out);
	} else if (rc != CRM_EINVALID && rc != CRM_ENOMEM) {
		fail("unexpected error code", &out);
	}
	crm_buf_release(&out);
	crm_buf_release(&again);
	crm_diags_release(&diags);
	crm_arena_release(&arena);
	return 0;
}
