/* The record loader: libyaml's event parser turned into a crm_node tree that
 * remembers where every key and value stands (the common block style is
 * read by yaml_fast.c, to the same tree, faster).  Hostile input is bounded:
 * size, nesting depth and alias expansion all have limits, and invalid
 * UTF-8, NUL bytes and duplicate keys are reported at their place. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "crm/str.h"
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/json.h"
#include "crm/map.h"
#include "crm/node.h"
#include "crm/utf8.h"
#include "core/yaml/yaml_fast.h"

struct frame {
	struct crm_node *node;
	CRM_ARRAY(struct crm_node *) kids;   /* keys and values alternate in maps */
};

struct loader {
	struct crm_arena *arena;
	const char *path;
	const char *data;
	struct crm_diags *diags;
	struct frame stack[CRM_YAML_MAX_DEPTH + 1];
	int depth;
	struct crm_map anchors;
	struct crm_node *root;
	int failed;
	size_t len;
	size_t bom;                        /* 3 after a leading byte-order mark, else 0 */
	bool ascii;                        /* printable ASCII and line breaks only */
	size_t cursor_char, cursor_byte;   /* last converted mark */
};

/* libyaml's marks count characters; writers need bytes.  Marks come in
 * nearly increasing order, so a cursor makes the conversion linear. */
static size_t byte_offset(struct loader *l, size_t char_index)
{
	/* libyaml is given the text after the byte-order mark: its first
	 * character is the byte after it */
	if (l->ascii)
		return char_index;   /* a character is a byte, and there is no mark */
	if (char_index < l->cursor_char || l->cursor_byte < l->bom) {
		l->cursor_char = 0;
		l->cursor_byte = l->bom;
	}
	while (l->cursor_char < char_index && l->cursor_byte < l->len) {
		l->cursor_byte++;
		while (l->cursor_byte < l->len &&
		       ((unsigned char)l->data[l->cursor_byte] & 0xC0) == 0x80)
			l->cursor_byte++;
		l->cursor_char++;
	}
	return l->cursor_byte;
}

/* Line and column (1-based, columns in code points) of a byte offset. */
static void locate(const char *data, size_t off, int *line, int *col)
{
	size_t i;
	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int fail_at(struct loader *l, int line, int col, const char *code,
		   const char *msg)
{
	crm_diags_add(l->diags, l->path, line, col, CRM_SEV_ERROR, code, "%s", msg);
	l->failed = 1;
	return CRM_EINVALID;
}

static int fail_mark(struct loader *l, yaml_mark_t m, const char *code,
		     const char *msg)
{
	return fail_at(l, (int)m.line + 1, (int)m.column + 1, code, msg);
}

static struct crm_node *new_node(struct loader *l, enum crm_node_kind kind,
				 const yaml_event_t *ev)
{
	struct crm_node *n = crm_arena_alloc(l->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	n->start = byte_offset(l, ev->start_mark.index);
	n->end = byte_offset(l, ev->end_mark.index);
	n->weight = 1;
	return n;
}

static enum crm_scalar_style style_of(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return CRM_STYLE_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return CRM_STYLE_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return CRM_STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return CRM_STYLE_FOLDED;
	default: return CRM_STYLE_PLAIN;
	}
}

static int remember_anchor(struct loader *l, const yaml_char_t *anchor,
			   struct crm_node *n)
{
	char *name;
	if (!anchor)
		return 0;
	name = crm_arena_strdup(l->arena, (const char *)anchor);
	if (!name)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	return crm_map_put(&l->anchors, name, n, NULL);
}

/* Hands a finished node to its parent (or makes it the root), keeping the
 * running count of nodes that alias expansion would produce. */
static int attach(struct loader *l, struct crm_node *n)
{
	struct frame *parent;
	struct crm_node **slot;

	if (l->depth == 0) {
		l->root = n;
		return 0;
	}
	parent = &l->stack[l->depth - 1];
	parent->node->weight += n->weight;
	if (parent->node->weight > CRM_YAML_MAX_NODES) {
		crm_diags_add(l->diags, l->path, n->line, n->col, CRM_SEV_ERROR,
			      "yaml-limit", "document expands to more than %d nodes "
			      "(alias expansion?)", CRM_YAML_MAX_NODES);
		l->failed = 1;
		return CRM_EINVALID;
	}
	if (parent->node->kind == CRM_NODE_MAP && parent->kids.len % 2 == 0 &&
	    n->kind != CRM_NODE_SCALAR)
		return fail_at(l, n->line, n->col, "yaml-syntax",
			       "mapping keys must be plain text");
	slot = CRM_ARRAY_PUSH(parent->kids);
	if (!slot)
		return CRM_ENOMEM;
	*slot = n;
	return 0;
}

static int open_collection(struct loader *l, enum crm_node_kind kind,
			   const yaml_event_t *ev, const yaml_char_t *anchor)
{
	struct crm_node *n;
	struct frame *f;

	if (l->depth >= CRM_YAML_MAX_DEPTH)
		return fail_mark(l, ev->start_mark, "yaml-limit",
				 "nesting deeper than 32 levels");
	n = new_node(l, kind, ev);
	if (!n || remember_anchor(l, anchor, n))
		return CRM_ENOMEM;
	f = &l->stack[l->depth++];
	f->node = n;
	f->kids.len = 0;
	return 0;
}

static int check_duplicate_keys(struct loader *l, struct crm_node *map)
{
	struct crm_map seen = CRM_MAP_INIT;
	size_t i;
	int err = 0;

	for (i = 0; i < map->count && !err; i++) {
		struct crm_node *key = map->pairs[i].key;
		struct crm_node *first = crm_map_get(&seen, key->text);
		if (first) {
			crm_diags_add(l->diags, l->path, key->line, key->col, CRM_SEV_ERROR,
				      "duplicate-key", "duplicate key '%s' (first at line %d)",
				      key->text, first->line);
			l->failed = 1;
		} else {
			err = crm_map_put(&seen, key->text, key, NULL);
		}
	}
	crm_map_release(&seen);
	return err;
}

static int close_collection(struct loader *l, const yaml_event_t *ev)
{
	struct frame *f = &l->stack[--l->depth];
	struct crm_node *n = f->node;
	size_t i;

	n->end = byte_offset(l, ev->end_mark.index);
	if (n->kind == CRM_NODE_MAP) {
		n->count = f->kids.len / 2;
		n->pairs = crm_arena_alloc(l->arena, sizeof(*n->pairs) * (n->count + 1));
		if (!n->pairs)
			return CRM_ENOMEM;
		for (i = 0; i < n->count; i++) {
			n->pairs[i].key = f->kids.ptr[2 * i];
			n->pairs[i].value = f->kids.ptr[2 * i + 1];
		}
		if (check_duplicate_keys(l, n))
			return CRM_ENOMEM;
	} else {
		n->count = f->kids.len;
		n->items = crm_arena_alloc(l->arena, sizeof(*n->items) * (n->count + 1));
		if (!n->items)
			return CRM_ENOMEM;
		if (n->count)
			memcpy(n->items, f->kids.ptr, sizeof(*n->items) * n->count);
	}
	return attach(l, n);
}

static int on_scalar(struct loader *l, const yaml_event_t *ev)
{
	struct crm_node *n = new_node(l, CRM_NODE_SCALAR, ev);
	if (!n)
		return CRM_ENOMEM;
	n->text = crm_arena_strndup(l->arena, (const char *)ev->data.scalar.value,
				    ev->data.scalar.length);
	if (!n->text)
		return CRM_ENOMEM;
	if (memchr(n->text, '\0', ev->data.scalar.length))
		return fail_mark(l, ev->start_mark, "nul-byte", "value contains a NUL character");
	n->len = ev->data.scalar.length;
	n->style = style_of(ev->data.scalar.style);
	if (remember_anchor(l, ev->data.scalar.anchor, n))
		return CRM_ENOMEM;
	return attach(l, n);
}

static int on_alias(struct loader *l, const yaml_event_t *ev)
{
	struct crm_node *target = crm_map_get(&l->anchors,
					      (const char *)ev->data.alias.anchor);
	int i;

	if (!target)
		return fail_mark(l, ev->start_mark, "yaml-syntax", "unknown alias");
	for (i = 0; i < l->depth; i++) {
		if (l->stack[i].node == target)
			return fail_mark(l, ev->start_mark, "yaml-limit",
					 "alias refers to a node that contains it");
	}
	/* The alias shares the anchored node; attach() counts its weight
	 * again, which is what bounds billion-laughs documents. */
	return attach(l, target);
}

static int on_event(struct loader *l, const yaml_event_t *ev, int *documents)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*documents > 1)
			return fail_mark(l, ev->start_mark, "yaml-syntax",
					 "more than one YAML document in a record file");
		return 0;
	case YAML_MAPPING_START_EVENT:
		return open_collection(l, CRM_NODE_MAP, ev, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(l, CRM_NODE_SEQ, ev, ev->data.sequence_start.anchor);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return close_collection(l, ev);
	case YAML_SCALAR_EVENT:
		return on_scalar(l, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(l, ev);
	default:
		return 0;
	}
}

/* The top-level key whose value holds byte `off`: the key of the nearest
 * line at or above it that starts in column 1 with a key.  Empty when
 * there is none (a control character in a comment at the top). */
static void key_above(char *key, size_t size, const char *data, size_t len, size_t off)
{
	size_t start = off, n;

	key[0] = '\0';
	for (;;) {
		while (start && data[start - 1] != '\n')
			start--;
		/* the text is not NUL-terminated: scan within len */
		for (n = 0; start + n < len && data[start + n] != ':' && data[start + n] != '\n'; n++)
			;
		if (start + n < len && data[start + n] == ':' && n && !strchr(" \t#-", data[start])) {
			if (n >= 2 && strchr("\"'", data[start]) && data[start + n - 1] == data[start])
				snprintf(key, size, "%.*s", (int)(n - 2), data + start + 1);
			else
				snprintf(key, size, "%.*s", (int)n, data + start);
			return;
		}
		if (!start)
			return;
		start--;
	}
}

/* Control characters written as they are (C0 but tab and line breaks,
 * DEL, C1): libyaml refuses most without saying where, and reads NEL as
 * a line break; crm names each one at its line and column. */
static int find_raw_controls(struct loader *l, const char *data, size_t len)
{
	size_t i, found = 0;
	int line, col;
	char key[128];

	for (i = 0; i < len && found < 20; i++) {
		unsigned char b = (unsigned char)data[i];
		unsigned cp = b;
		if (b == 0xC2 && i + 1 < len && (unsigned char)data[i + 1] < 0xA0)
			cp = (unsigned char)data[i + 1];   /* C1: U+0080..U+009F */
		else if ((b >= 0x20 && b != 0x7F) || b == '\t' || b == '\n' || b == '\r')
			continue;
		locate(data, i, &line, &col);
		key_above(key, sizeof(key), data, len, i);
		if (key[0])
			crm_diags_add(l->diags, l->path, line, col, CRM_SEV_ERROR, "control-character",
				      "control character U+%04X in '%s'", cp, key);
		else
			crm_diags_add(l->diags, l->path, line, col, CRM_SEV_ERROR, "control-character",
				      "control character U+%04X", cp);
		found++;
	}
	if (found)
		l->failed = 1;
	return found ? CRM_EINVALID : 0;
}

/* Invalid UTF-8 and NUL bytes are found before libyaml sees the text, so
 * the message can name the exact place. */
/* Whether the line at `p` (of `left` bytes) opens a git conflict:
 * "<<<<<<< " then the side's name, as git and crm's merge driver write. */
static bool conflict_marker(const char *p, size_t left)
{
	return left >= 8 && !memcmp(p, "<<<<<<< ", 8);
}

/* A file git (or a merge that would not read back) left with conflict
 * markers: one finding at the first marker, naming what to do, instead of
 * the YAML parser's puzzled syntax error further down. */
static int find_conflict_markers(struct loader *l, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int line = 1;

	/* nearly every text has no '<' at all: one search, not one a line */
	if (!memchr(data, '<', len))
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (conflict_marker(p, (size_t)(end - p)))
			return fail_at(l, line, 1, "conflict-markers",
				       "the file holds git conflict markers (a merge left both "
				       "versions): keep the right lines, remove the markers, then "
				       "'git add' the file");
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	return 0;
}

/* Whether the text is printable ASCII, tabs and line breaks alone, as
 * nearly every record is: no NUL, no invalid UTF-8, no control character
 * can be in it, and its characters are its bytes.  A compare a byte, where
 * checking the UTF-8 costs a call a character. */
static bool bytes_plain(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;

	for (; p < end; p++) {
		if ((unsigned)(*p - 0x20) >= 0x7F - 0x20 && *p != '\n' && *p != '\t' &&
		    *p != '\r')
			return false;
	}
	return true;
}

/* Eight bytes a step: a word whose bytes are all in 0x20..0x7E is plain
 * without a look at each (the high bit of a byte of `low` or `high` is set
 * for every byte below 0x20 or above 0x7E, and sometimes for a neighbour
 * of one); a flagged word, one with a line break say, byte by byte. */
static bool plain_ascii(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

	for (; end - p >= 8; p += 8) {
		uint64_t w, low, high;

		memcpy(&w, p, sizeof(w));
		low = (w - 0x20 * ones) & ~w;
		high = (w + ones) | w;
		if (((low | high) & highs) && !bytes_plain(p, 8))
			return false;
	}
	return bytes_plain(p, (size_t)(end - p));
}

static int precheck(struct loader *l, const char *data, size_t len)
{
	size_t bad = 0;
	int line, col;
	const char *nul;

	l->ascii = plain_ascii(data, len);
	if (l->ascii)
		return find_conflict_markers(l, data, len);
	nul = memchr(data, '\0', len);
	if (nul) {
		locate(data, (size_t)(nul - data), &line, &col);
		return fail_at(l, line, col, "nul-byte", "file contains a NUL byte");
	}
	if (!crm_utf8_valid(data, len, &bad)) {
		locate(data, bad, &line, &col);
		crm_diags_add(l->diags, l->path, line, col, CRM_SEV_ERROR, "invalid-utf8",
			      "invalid UTF-8 byte 0x%02x", (unsigned char)data[bad]);
		l->failed = 1;
		return CRM_EINVALID;
	}
	if (find_conflict_markers(l, data, len))
		return CRM_EINVALID;
	return find_raw_controls(l, data, len);
}

static void release_loader(struct loader *l)
{
	int i;
	for (i = 0; i < CRM_YAML_MAX_DEPTH + 1; i++)
		CRM_ARRAY_RELEASE(l->stack[i].kids);
	crm_map_release(&l->anchors);
}

static struct crm_node *empty_map(struct crm_arena *arena)
{
	struct crm_node *n = crm_arena_alloc(arena, sizeof(*n));
	if (n) {
		n->kind = CRM_NODE_MAP;
		n->line = n->col = 1;
		n->weight = 1;
	}
	return n;
}

static int run_parser(struct loader *l, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int documents = 0, done = 0, err = 0;

	if (!yaml_parser_initialize(&parser))
		return crm_error_set(CRM_ENOMEM, "cannot initialise the YAML parser");
	/* SPEC section 2 allows a leading byte-order mark (Windows editors
	 * write one); with the encoding set, libyaml would read it as text.
	 * It stays in the file: node offsets count it (byte_offset) */
	l->bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data + l->bom, len - l->bom);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done && !err && !l->failed) {
		if (!yaml_parser_parse(&parser, &ev)) {
			const char *problem = parser.problem ? parser.problem : "syntax error";
			err = fail_mark(l, parser.problem_mark, "yaml-syntax", problem);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		err = on_event(l, &ev, &documents);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return err ? err : (l->failed ? CRM_EINVALID : 0);
}

/* The tree of a text the precheck passed: the fast path's when the text
 * is in its subset (nearly every record), else libyaml's. */
static int build_tree(struct loader *l, const char *data, size_t len, bool fast)
{
	struct crm_node *root;

	if (fast) {
		switch (crm_yaml_fast_parse(&root, l->arena, data, len, l->ascii)) {
		case CRM_YAML_FAST_BUILT:
			l->root = root;
			return 0;
		case CRM_YAML_FAST_NOMEM:
			return CRM_ENOMEM;
		case CRM_YAML_FAST_DECLINED:
			break;
		}
	}
	return run_parser(l, data, len);
}

int crm_yaml_parse(struct crm_node **out, struct crm_arena *arena,
		   const char *data, size_t len, const char *path,
		   struct crm_diags *diags)
{
	return crm_yaml_parse_with(out, arena, data, len, path, diags, true);
}

int crm_yaml_parse_with(struct crm_node **out, struct crm_arena *arena, const char *data,
			size_t len, const char *path, struct crm_diags *diags, bool fast)
{
	struct loader l;
	int err;

	memset(&l, 0, sizeof(l));
	l.arena = arena;
	l.path = path;
	l.data = data;
	l.diags = diags;
	l.len = len;
	*out = NULL;
	if (len > CRM_YAML_MAX_BYTES) {
		crm_diags_add(diags, path, 1, 1, CRM_SEV_ERROR, "yaml-limit",
			      "file is larger than %zu bytes", CRM_YAML_MAX_BYTES);
		return CRM_EINVALID;
	}
	err = precheck(&l, data, len);
	if (!err)
		err = build_tree(&l, data, len, fast);
	release_loader(&l);
	if (err == CRM_ENOMEM)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (err)
		return CRM_EINVALID;
	if (!l.root || (l.root->kind == CRM_NODE_SCALAR && crm_node_is_null(l.root))) {
		*out = empty_map(arena);
		return *out ? 0 : CRM_ENOMEM;
	}
	if (l.root->kind != CRM_NODE_MAP) {
		crm_diags_add(diags, path, l.root->line, l.root->col, CRM_SEV_ERROR,
			      "not-a-mapping", "a record file must be a YAML mapping of field: value");
		return CRM_EINVALID;
	}
	*out = l.root;
	return 0;
}

struct crm_node *crm_node_get(const struct crm_node *map, const char *key)
{
	size_t i;
	if (!map || map->kind != CRM_NODE_MAP)
		return NULL;
	for (i = 0; i < map->count; i++) {
		const char *k = map->pairs[i].key->text;
		if (crm_str_eq(k, key))
			return map->pairs[i].value;
	}
	return NULL;
}

const char *crm_node_text(const struct crm_node *map, const char *key)
{
	struct crm_node *v = crm_node_get(map, key);
	if (!v || v->kind != CRM_NODE_SCALAR || crm_node_is_null(v))
		return NULL;
	return v->text;
}

bool crm_node_is_null(const struct crm_node *n)
{
	if (!n)
		return true;
	if (n->kind != CRM_NODE_SCALAR || n->style != CRM_STYLE_PLAIN)
		return false;
	/* by length first: every value of every record is asked this */
	switch (n->len) {
	case 0:
		return true;
	case 1:
		return n->text[0] == '~';
	case 4:
		return !strcmp(n->text, "null") || !strcmp(n->text, "Null") ||
		       !strcmp(n->text, "NULL");
	default:
		return false;
	}
}

/* Canonical text of a value: equal meaning gives equal text. */
static void canon(struct crm_buf *out, const struct crm_node *n)
{
	size_t i;
	if (!n || crm_node_is_null(n)) {
		crm_buf_adds(out, "~");
		return;
	}
	if (n->kind == CRM_NODE_SCALAR) {
		crm_json_quote(out, n->text);
		return;
	}
	crm_buf_addch(out, n->kind == CRM_NODE_SEQ ? '[' : '{');
	for (i = 0; i < n->count; i++) {
		if (n->kind == CRM_NODE_MAP) {
			crm_json_quote(out, n->pairs[i].key->text);
			crm_buf_addch(out, ':');
			canon(out, n->pairs[i].value);
		} else {
			canon(out, n->items[i]);
		}
		crm_buf_addch(out, ',');
	}
	crm_buf_addch(out, n->kind == CRM_NODE_SEQ ? ']' : '}');
}

bool crm_node_same(const struct crm_node *a, const struct crm_node *b)
{
	struct crm_buf x = CRM_BUF_INIT, y = CRM_BUF_INIT;
	bool eq;
	canon(&x, a);
	canon(&y, b);
	eq = x.len == y.len && !memcmp(x.ptr, y.ptr, x.len);
	crm_buf_release(&x);
	crm_buf_release(&y);
	return eq;
}
