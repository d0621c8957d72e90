/* Format-preserving edits of one record file: comments, key order, quoting
 * and blank lines survive; only the changed values change.  Edits work on
 * the file's text and the node tree the loader built from it (whose byte
 * offsets say where each value stands). */
#ifndef CRM_EDIT_H
#define CRM_EDIT_H

#include "crm/buf.h"
#include "crm/node.h"

/* Renders `text` as a YAML scalar for a record file (block context) through
 * the one emitter, crm/yaml_emit.h with CRM_YAML_RECORD: plain when YAML
 * reads it back as the same string, double-quoted with escapes otherwise
 * (keeping the original node's quoting style when `like` is a quoted
 * scalar). */
int crm_edit_render_scalar(struct crm_buf *out, const char *text, const struct crm_node *like);

/* Returns in `out` the text of `src` (whose parse is `root`) with top-level
 * key `key` set to the scalar `value`: replaced in place when present,
 * appended as "key: value" otherwise. */
int crm_edit_set(struct crm_buf *out, const char *src, size_t len,
		 const struct crm_node *root, const char *key, const char *value);
/* The same with `key` removed (its whole line or block, with comments on
 * the lines above it left alone); CRM_ENOTFOUND when absent. */
int crm_edit_unset(struct crm_buf *out, const char *src, size_t len,
		   const struct crm_node *root, const char *key);
/* Sets entry `sub` of the mapping field `key` ("next_step" and "date") to
 * the scalar `value`: replaced in place when present, added after the
 * mapping's last entry (in its block or flow style) otherwise; a mapping
 * that is absent or empty is written as a block with that one entry.
 * CRM_EINVALID when the file holds something else than a mapping there. */
int crm_edit_set_entry(struct crm_buf *out, const char *src, size_t len,
		       const struct crm_node *root, const char *key, const char *sub,
		       const char *value);
/* Removes entry `sub` of mapping `key`, and the mapping with its last
 * entry; CRM_ENOTFOUND when the file has no such entry. */
int crm_edit_unset_entry(struct crm_buf *out, const char *src, size_t len,
			 const struct crm_node *root, const char *key, const char *sub);
/* Sets `key` to a list of scalars, in the style the file used for it (flow
 * `[a, b]` or block `- a`); flow for a new key. */
int crm_edit_set_list(struct crm_buf *out, const char *src, size_t len,
		      const struct crm_node *root, const char *key,
		      const char *const *items, size_t n);
/* Appends one entry, given as the inside of a flow mapping such as
 * "date: 2025-03-01, stage: won, by: alice", to the list `key`, creating it
 * as a block list when absent. */
int crm_edit_append_entry(struct crm_buf *out, const char *src, size_t len,
			  const struct crm_node *root, const char *key, const char *entry);

/* Replaces the whole `key: value` block of top-level `key` (from the key's
 * line to the value's last line) with `block`, which must be complete
 * lines; appends it when the key is absent. */
int crm_edit_replace_pair(struct crm_buf *out, const char *src, size_t len,
			  const struct crm_node *root, const char *key, const char *block);
/* The text of the `key: value` block of top-level `key` in `src`, as
 * crm_edit_replace_pair would replace it; CRM_ENOTFOUND when absent. */
int crm_edit_pair_text(struct crm_buf *out, const char *src, size_t len,
		       const struct crm_node *root, const char *key);
/* Appends `n` as a flow-style YAML value ("[a, b]", "{k: v}", scalars and
 * keys quoted as flow context needs) on one line. */
int crm_edit_render_flow(struct crm_buf *out, const struct crm_node *n);

#endif
