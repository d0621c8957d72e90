/* The loader's fast path held to libyaml on one text, for the unit test
 * of the fast path and the yaml fuzz target (which aborts on WRONG). */
#ifndef CRM_TEST_YAML_SAME_H
#define CRM_TEST_YAML_SAME_H

#include <stdio.h>
#include <string.h>

#include "core/yaml/yaml_fast.h"
#include "crm/diag.h"

/* The first difference between two trees, into `why`; empty when none. */
static void differ(char *why, size_t size, const struct crm_node *a, const struct crm_node *b,
		   const char *where)
{
	size_t i;
	char sub[256];

	if (why[0])
		return;
	if (!a || !b) {
		if (a != b)
			snprintf(why, size, "%s: one tree lacks the node", where);
		return;
	}
	if (a->kind != b->kind || a->style != b->style || a->line != b->line ||
	    a->col != b->col || a->start != b->start || a->end != b->end ||
	    a->count != b->count || a->weight != b->weight || a->len != b->len) {
		snprintf(why, size,
			 "%s: kind %d/%d style %d/%d line %d/%d col %d/%d start %u/%u end %u/%u "
			 "count %u/%u weight %u/%u len %u/%u", where, a->kind, b->kind, a->style,
			 b->style, a->line, b->line, a->col, b->col, a->start, b->start, a->end,
			 b->end, a->count, b->count, a->weight, b->weight, a->len, b->len);
		return;
	}
	if (a->kind == CRM_NODE_SCALAR) {
		if (memcmp(a->text, b->text, a->len + 1))
			snprintf(why, size, "%s: text \"%s\" / \"%s\"", where, a->text, b->text);
		return;
	}
	for (i = 0; i < a->count; i++) {
		if (a->kind == CRM_NODE_MAP) {
			snprintf(sub, sizeof(sub), "%s/key%zu", where, i);
			differ(why, size, a->pairs[i].key, b->pairs[i].key, sub);
			snprintf(sub, sizeof(sub), "%s/%s", where, a->pairs[i].key->text);
			differ(why, size, a->pairs[i].value, b->pairs[i].value, sub);
		} else {
			snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
			differ(why, size, a->items[i], b->items[i], sub);
		}
	}
}

/* As yaml_load.c's precheck tells the fast path. */
static bool plain_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 || c > 0x7E) && c != '\n' && c != '\t' && c != '\r')
			return false;
	}
	return true;
}

enum outcome { DECLINED, BUILT_SAME, WRONG };

/* The loader's precheck refused the text: no parser is given it. */
static bool refused_before_parsing(const struct crm_diags *diags)
{
	static const char *const codes[] = { "nul-byte", "invalid-utf8", "control-character",
					     "conflict-markers" };
	size_t i;

	for (i = 0; diags->list.len && i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (!strcmp(diags->list.ptr[0].code, codes[i]))
			return true;
	}
	return false;
}

/* Parses `text` with libyaml alone and with the fast path alone; WRONG
 * (the reason in `why`) when the fast path built a tree libyaml does
 * not build or builds otherwise.  The text must pass the precheck. */
static enum outcome compare_paths(const char *text, size_t len, const char *name, char *why,
				  size_t why_size)
{
	struct crm_arena slow_arena = CRM_ARENA_INIT, fast_arena = CRM_ARENA_INIT;
	struct crm_diags diags;
	struct crm_node *slow = NULL, *fast = NULL;
	enum crm_yaml_fast got;
	enum outcome out = DECLINED;
	int rc;

	why[0] = '\0';
	crm_diags_init(&diags);
	rc = crm_yaml_parse_with(&slow, &slow_arena, text, len, name, &diags, false);
	got = refused_before_parsing(&diags) ? CRM_YAML_FAST_DECLINED :
	      crm_yaml_fast_parse(&fast, &fast_arena, text, len, plain_ascii(text, len));
	if (got == CRM_YAML_FAST_BUILT) {
		if (rc || diags.list.len)
			snprintf(why, why_size, "libyaml refuses it (%s)",
				 diags.list.len ? diags.list.ptr[0].message : "error");
		else
			differ(why, why_size, fast, slow, "");
		out = why[0] ? WRONG : BUILT_SAME;
	}
	crm_diags_release(&diags);
	crm_arena_release(&slow_arena);
	crm_arena_release(&fast_arena);
	return out;
}

#endif
