/* The loader's fast path (yaml_fast.c), for yaml_load.c and the tests that
 * hold it to libyaml's trees. */
#ifndef CRM_YAML_FAST_H
#define CRM_YAML_FAST_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/node.h"

/* What crm_yaml_fast_parse made of a text. */
enum crm_yaml_fast {
	CRM_YAML_FAST_BUILT,      /* *out is the tree libyaml would have built */
	CRM_YAML_FAST_DECLINED,   /* outside the subset: parse it with libyaml */
	CRM_YAML_FAST_NOMEM
};

/* Builds the tree of a record file written in the block style crm and
 * most people write (keys, nested blocks, "- " lists, one-line [..] and
 * {..}, plain and one-line quoted scalars, comments), exactly as the
 * libyaml loader builds it, positions included.  Anything else (anchors,
 * tags, block scalars, escapes, multi-line scalars, tabs, duplicate keys,
 * errors of any kind) is declined without a word, for libyaml to parse
 * and report.  The text has passed yaml_load.c's precheck (valid UTF-8,
 * no NUL, no control character); `ascii` says it is ASCII alone.  Nodes
 * of a declined text stay in `arena` unused. */
enum crm_yaml_fast crm_yaml_fast_parse(struct crm_node **out, struct crm_arena *arena,
					const char *data, size_t len, bool ascii);

/* crm_yaml_parse with the fast path on or off: the tests compare both. */
int crm_yaml_parse_with(struct crm_node **out, struct crm_arena *arena, const char *data,
			size_t len, const char *path, struct crm_diags *diags, bool fast);

#endif
