/* The YAML document tree of one record or schema file, as the loader builds
 * it: every node keeps its line, column and byte range so diagnostics can
 * point at it and writers can replace one value without touching the rest
 * of the file.  Nodes live in an arena. */
#ifndef CRM_NODE_H
#define CRM_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crm/arena.h"

struct crm_diags;

enum crm_node_kind { CRM_NODE_SCALAR, CRM_NODE_MAP, CRM_NODE_SEQ };

enum crm_scalar_style {
	CRM_STYLE_PLAIN, CRM_STYLE_SINGLE, CRM_STYLE_DOUBLE,
	CRM_STYLE_LITERAL, CRM_STYLE_FOLDED
};

struct crm_node;

struct crm_pair {
	struct crm_node *key;     /* always a scalar */
	struct crm_node *value;
};

/* Packed to 48 bytes: a million records hold tens of millions of nodes.
 * Files are at most CRM_YAML_MAX_BYTES, so offsets fit 32 bits. */
struct crm_node {
	unsigned char kind;       /* enum crm_node_kind */
	unsigned char style;      /* enum crm_scalar_style */
	int line, col;            /* 1-based, where the node starts */
	uint32_t start, end;      /* byte offsets of the node in the file */
	uint32_t len;             /* scalars: bytes of text */
	const char *text;         /* scalars: the value, NUL-terminated */
	union {
		struct crm_pair *pairs;   /* maps */
		struct crm_node **items;  /* sequences */
	};
	uint32_t count;           /* pairs or items */
	uint32_t weight;          /* nodes below, aliases expanded */
};

/* Limits that keep hostile files from becoming outages. */
#define CRM_YAML_MAX_BYTES ((size_t)8 << 20)
#define CRM_YAML_MAX_DEPTH 32
#define CRM_YAML_MAX_NODES 100000

/* Parses one YAML document that must be a mapping.  Problems (syntax,
 * invalid UTF-8, NUL bytes, duplicate keys, limits, non-scalar keys) are
 * added to `diags` against `path` with their line and column; the return
 * value is 0 when *out was built, CRM_EINVALID otherwise.  An empty file
 * yields an empty mapping. */
int crm_yaml_parse(struct crm_node **out, struct crm_arena *arena,
		   const char *data, size_t len, const char *path,
		   struct crm_diags *diags);

/* The value of key `key` in mapping `map`, or NULL. */
struct crm_node *crm_node_get(const struct crm_node *map, const char *key);
/* The scalar text of key `key`, or NULL when absent or not a scalar. */
const char *crm_node_text(const struct crm_node *map, const char *key);
/* True for a plain scalar that YAML 1.1 reads as null ("", "~", "null"). */
bool crm_node_is_null(const struct crm_node *n);
/* Do two values mean the same, whatever their quoting or flow/block style
 * ("12" and '12', [a, b] and a block list)?  An absent value (NULL) and a
 * null scalar are the same. */
bool crm_node_same(const struct crm_node *a, const struct crm_node *b);

#endif
