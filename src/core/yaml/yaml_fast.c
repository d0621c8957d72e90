/* The loader's fast path.  libyaml reads a record through a tokenizer, an
 * event parser and a malloc or two per token; a cold load (no index cache:
 * the first command after a clone, --no-cache, --rev) spent two fifths of
 * its time there.  Nearly every record is written in one small part of
 * YAML, the block style crm itself writes, and that part is read here
 * line by line into the same tree, positions included, at several times
 * the speed.  Whatever falls outside it is declined and parsed by libyaml
 * (yaml_load.c), which stays the reference: tests/unit/test_yaml_fast.c
 * and the yaml fuzz target hold every tree built here to libyaml's.
 *
 * The marks follow libyaml's: a block mapping or sequence starts at its
 * first key or dash and ends where the next less indented token starts
 * (or at the end of the text); a key with nothing after its colon has an
 * empty plain scalar just after the colon; a plain scalar ends after its
 * last non-blank character; quoted scalars and [..] {..} end after their
 * closing character.  Columns count characters, offsets bytes. */
#include <string.h>

#include "core/yaml/yaml_fast.h"

/* two levels short of the loader's limit, so that libyaml reports it */
#define FAST_MAX_DEPTH (CRM_YAML_MAX_DEPTH - 2)
/* libyaml refuses a key longer than 1024 characters; well short of it */
#define FAST_MAX_KEY 512
/* keys of a mapping compared pairwise for duplicates; more are declined */
#define FAST_MAX_KEYS 256

struct level {
	struct crm_node *node;
	size_t indent;                       /* column of its keys or dashes */
	/* keys and values alternate in maps; in the arena, kept for the
	 * next collection at this depth (no malloc a level a file) */
	struct crm_node **kids;
	size_t nkids, cap;
};

/* A scalar found in the text, before it becomes a node. */
struct span {
	size_t start, end;   /* the node's marks */
	size_t after;        /* where reading stopped: past quotes and blanks */
	bool colon;          /* a ':' and a blank follow at `after`: a key */
	unsigned char style;
	size_t doubled;      /* '' in a single-quoted scalar */
};

struct fast {
	const char *s;
	size_t len;
	struct crm_arena *arena;
	bool ascii;
	bool declined, nomem;
	int line;              /* the line being read, 1-based */
	size_t line_start;     /* its first byte */
	size_t nodes;
	int depth;
	struct level stack[FAST_MAX_DEPTH + 1];
	struct crm_node *root;
	/* a key with nothing after its colon: its value is the block on the
	 * lines below, or an empty scalar just after the colon */
	bool pending;
	size_t pending_at;
	int pending_line, pending_col;
};

static bool decline(struct fast *f)
{
	f->declined = true;
	return false;
}

static size_t declined_at(struct fast *f)
{
	f->declined = true;
	return 0;
}

static bool failed(const struct fast *f)
{
	return f->declined || f->nomem;
}

static char at(const struct fast *f, size_t i)
{
	return i < f->len ? f->s[i] : '\0';
}

/* A blank, a line break or the end: what ends a token. */
static bool blankz(const struct fast *f, size_t i)
{
	char c = at(f, i);
	return c == ' ' || c == '\n' || c == '\0';
}

static size_t skip_spaces(const struct fast *f, size_t i)
{
	while (at(f, i) == ' ')
		i++;
	return i;
}

static int column_of(const struct fast *f, size_t off)
{
	size_t i, chars = 0;

	if (f->ascii)
		return (int)(off - f->line_start) + 1;
	for (i = f->line_start; i < off; i++)
		chars += ((unsigned char)f->s[i] & 0xC0) != 0x80;
	return (int)chars + 1;
}

static struct crm_node *new_node(struct fast *f, enum crm_node_kind kind, size_t start,
				 size_t end)
{
	struct crm_node *n;

	if (++f->nodes > CRM_YAML_MAX_NODES) {
		decline(f);
		return NULL;
	}
	/* every field set here: not zeroed first */
	n = crm_arena_alloc_raw(f->arena, sizeof(*n));
	if (!n) {
		f->nomem = true;
		return NULL;
	}
	n->kind = (unsigned char)kind;
	n->style = CRM_STYLE_PLAIN;
	n->line = f->line;
	n->col = column_of(f, start);
	n->start = (uint32_t)start;
	n->end = (uint32_t)end;
	n->len = 0;
	n->text = NULL;
	n->pairs = NULL;
	n->count = 0;
	n->weight = 1;
	return n;
}

/* Hands a finished node to the open collection, or makes it the root. */
static bool attach(struct fast *f, struct crm_node *n)
{
	struct level *parent;

	if (!n)
		return false;
	if (!f->depth) {
		f->root = n;
		return true;
	}
	parent = &f->stack[f->depth - 1];
	parent->node->weight += n->weight;
	if (parent->nkids == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 32;
		struct crm_node **grown = crm_arena_alloc_raw(f->arena, cap * sizeof(*grown));
		if (!grown) {
			f->nomem = true;
			return false;
		}
		if (parent->nkids)
			memcpy(grown, parent->kids, parent->nkids * sizeof(*grown));
		parent->kids = grown;
		parent->cap = cap;
	}
	parent->kids[parent->nkids++] = n;
	return true;
}

static bool open_level(struct fast *f, enum crm_node_kind kind, size_t at_byte, size_t indent)
{
	struct crm_node *n;
	struct level *lv;

	if (f->depth >= FAST_MAX_DEPTH)
		return decline(f);
	n = new_node(f, kind, at_byte, at_byte);
	if (!n)
		return false;
	lv = &f->stack[f->depth++];
	lv->node = n;
	lv->indent = indent;
	lv->nkids = 0;
	return true;
}

static bool same_key(const struct crm_node *a, const struct crm_node *b)
{
	return a->len == b->len && !memcmp(a->text, b->text, a->len);
}

/* A duplicate key is libyaml's to report, at its place. */
static bool keys_unique(struct fast *f, const struct crm_node *map)
{
	size_t i, j;

	if (map->count > FAST_MAX_KEYS)
		return decline(f);
	for (i = 1; i < map->count; i++) {
		for (j = 0; j < i; j++) {
			if (same_key(map->pairs[i].key, map->pairs[j].key))
				return decline(f);
		}
	}
	return true;
}

/* Closes the innermost collection at byte `end` and attaches it. */
static bool close_level(struct fast *f, size_t end)
{
	struct level *lv = &f->stack[--f->depth];
	struct crm_node *n = lv->node;
	size_t i;

	n->end = (uint32_t)end;
	if (n->kind == CRM_NODE_MAP) {
		if (lv->nkids % 2)
			return decline(f);
		n->count = (uint32_t)(lv->nkids / 2);
		n->pairs = crm_arena_alloc_raw(f->arena, sizeof(*n->pairs) * (n->count + 1));
		if (!n->pairs) {
			f->nomem = true;
			return false;
		}
		for (i = 0; i < n->count; i++) {
			n->pairs[i].key = lv->kids[2 * i];
			n->pairs[i].value = lv->kids[2 * i + 1];
		}
		n->pairs[n->count].key = n->pairs[n->count].value = NULL;
		if (!keys_unique(f, n))
			return false;
	} else {
		n->count = (uint32_t)lv->nkids;
		n->items = crm_arena_alloc_raw(f->arena, sizeof(*n->items) * (n->count + 1));
		if (!n->items) {
			f->nomem = true;
			return false;
		}
		if (n->count)
			memcpy(n->items, lv->kids, sizeof(*n->items) * n->count);
		n->items[n->count] = NULL;
	}
	return attach(f, n);
}

/* Closes the collections indented deeper than `indent`, ending at `end`. */
static bool close_deeper(struct fast *f, size_t indent, size_t end)
{
	while (f->depth && f->stack[f->depth - 1].indent > indent) {
		if (!close_level(f, end))
			return false;
	}
	return true;
}

/* Byte classes, looked up where a strchr on every scalar and every byte
 * of a flow scalar was a tenth of the fast path. */
enum {
	NO_PLAIN_START = 1,   /* libyaml's indicators, NUL, blank, line break */
	FLOW_END = 2          /* ends a plain scalar inside [..] or {..} */
};

static const unsigned char byte_class[256] = {
	['\0'] = NO_PLAIN_START, [' '] = NO_PLAIN_START, ['\n'] = NO_PLAIN_START,
	['-'] = NO_PLAIN_START, ['?'] = NO_PLAIN_START, [':'] = NO_PLAIN_START,
	[','] = NO_PLAIN_START | FLOW_END, ['['] = NO_PLAIN_START | FLOW_END,
	[']'] = NO_PLAIN_START | FLOW_END, ['{'] = NO_PLAIN_START | FLOW_END,
	['}'] = NO_PLAIN_START | FLOW_END, ['#'] = NO_PLAIN_START, ['&'] = NO_PLAIN_START,
	['*'] = NO_PLAIN_START, ['!'] = NO_PLAIN_START, ['|'] = NO_PLAIN_START,
	['>'] = NO_PLAIN_START, ['\''] = NO_PLAIN_START, ['"'] = NO_PLAIN_START,
	['%'] = NO_PLAIN_START, ['@'] = NO_PLAIN_START, ['`'] = NO_PLAIN_START,
};

/* Whether a plain scalar may start with `c` (libyaml's indicators may
 * not, and the few that may when a non-blank follows are declined). */
static bool plain_start(char c)
{
	return !(byte_class[(unsigned char)c] & NO_PLAIN_START);
}

/* The scanners read and allocate nothing: false means "not in the
 * subset", for the caller to decline. */

/* A plain scalar from `p`: in a block it ends at the line's end, at " #"
 * or at ": "; in [..] or {..} also at , [ ] { }.  A ':' inside a flow
 * scalar or a comment inside a flow is not in the subset; the line's end
 * ends the scalar, and a next line going on with it is declined by the
 * indentation it has. */
static bool scan_plain(const struct fast *f, size_t p, bool flow, struct span *sp)
{
	size_t q = p;

	sp->start = sp->end = p;
	sp->style = CRM_STYLE_PLAIN;
	sp->colon = false;
	sp->doubled = 0;
	for (;;) {
		if (q > p && at(f, q) == '#') {   /* after a blank: a comment */
			if (flow)
				return false;
			break;
		}
		while (!blankz(f, q)) {
			char c = f->s[q];
			if (c == ':' && blankz(f, q + 1)) {
				sp->colon = true;
				sp->after = q;
				return true;
			}
			if (flow && c == ':')
				return false;
			if (flow && (byte_class[(unsigned char)c] & FLOW_END))
				break;
			sp->end = ++q;
		}
		if (!blankz(f, q))
			break;   /* a flow indicator */
		q = skip_spaces(f, q);
		if (at(f, q) == '\n' || at(f, q) == '\0')   /* the line's or the text's end */
			break;
	}
	sp->after = q;
	return true;
}

/* A quoted scalar on one line, without escapes but a single quote's ''. */
static bool scan_quoted(const struct fast *f, size_t p, struct span *sp)
{
	char quote = f->s[p];
	size_t q = p + 1;

	sp->start = p;
	sp->style = quote == '"' ? CRM_STYLE_DOUBLE : CRM_STYLE_SINGLE;
	sp->doubled = 0;
	for (;; q++) {
		char c = at(f, q);
		if (c == '\0' || c == '\n' || (c == '\\' && quote == '"'))
			return false;
		if (c != quote)
			continue;
		if (quote == '\'' && at(f, q + 1) == '\'') {
			sp->doubled++;
			q++;
			continue;
		}
		break;
	}
	sp->end = sp->after = q + 1;
	sp->colon = at(f, sp->after) == ':' && blankz(f, sp->after + 1);
	return true;
}

static bool scan_scalar(const struct fast *f, size_t p, bool flow, struct span *sp)
{
	char c = at(f, p);

	if (c == '"' || c == '\'')
		return scan_quoted(f, p, sp);
	return plain_start(c) && scan_plain(f, p, flow, sp);
}

static struct crm_node *make_scalar(struct fast *f, const struct span *sp)
{
	struct crm_node *n = new_node(f, CRM_NODE_SCALAR, sp->start, sp->end);
	const char *from = f->s + sp->start;
	size_t len = sp->end - sp->start, i, o;
	char *text;

	if (!n)
		return NULL;
	if (sp->style != CRM_STYLE_PLAIN) {
		from++;
		len -= 2;
	}
	text = crm_arena_strndup(f->arena, from, len - sp->doubled);
	if (!text) {
		f->nomem = true;
		return NULL;
	}
	if (sp->doubled) {   /* '' is one quote */
		for (i = o = 0; i < len; i++, o++) {
			text[o] = from[i];
			if (from[i] == '\'')
				i++;
		}
		text[o] = '\0';
	}
	n->text = text;
	n->len = (uint32_t)(len - sp->doubled);
	n->style = sp->style;
	return n;
}

/* A key at `p` and its colon; returns the byte after the colon, or 0. */
static size_t map_key(struct fast *f, size_t p, bool flow)
{
	struct span sp;

	/* no blank between key and colon, and a key on one short line */
	if (!scan_scalar(f, p, flow, &sp) || !sp.colon ||
	    (sp.style == CRM_STYLE_PLAIN && sp.end != sp.after) ||
	    sp.end - sp.start > FAST_MAX_KEY) {
		decline(f);
		return 0;
	}
	return attach(f, make_scalar(f, &sp)) ? sp.after + 1 : 0;
}

/* [..] or {..} of scalars on one line, from `p`; returns the byte after
 * it, or 0. */
static size_t flow_collection(struct fast *f, size_t p)
{
	bool is_map = f->s[p] == '{';
	char close = is_map ? '}' : ']';
	size_t q = skip_spaces(f, p + 1);
	struct span sp;

	if (!open_level(f, is_map ? CRM_NODE_MAP : CRM_NODE_SEQ, p, 0))
		return 0;
	if (at(f, q) == close)
		return close_level(f, q + 1) ? q + 1 : 0;
	for (;;) {
		if (is_map) {
			q = map_key(f, q, true);
			if (!q)
				return 0;
			q = skip_spaces(f, q);
		}
		if (!scan_scalar(f, q, true, &sp) || sp.colon)
			return declined_at(f);
		if (!attach(f, make_scalar(f, &sp)))
			return 0;
		q = skip_spaces(f, sp.after);
		if (at(f, q) == close)
			return close_level(f, q + 1) ? q + 1 : 0;
		if (at(f, q) != ',')
			return declined_at(f);
		q = skip_spaces(f, q + 1);
		if (at(f, q) == close)   /* a trailing comma */
			return declined_at(f);
	}
}

/* What may follow a value on its line: blanks, then a comment (a '#'
 * after a blank) or the end. */
static bool line_ends(struct fast *f, size_t q)
{
	size_t r = skip_spaces(f, q);

	if (at(f, r) == '\n' || r >= f->len)
		return true;
	if (at(f, r) == '#' && f->s[r - 1] == ' ')
		return true;
	return decline(f);
}

/* A value written on the line of its key or dash, at `p`. */
static bool inline_value(struct fast *f, size_t p)
{
	struct span sp;
	size_t after;

	if (at(f, p) == '[' || at(f, p) == '{') {
		after = flow_collection(f, p);
		return after && line_ends(f, after);
	}
	if (!scan_scalar(f, p, false, &sp) || sp.colon)   /* "a: b: c" */
		return decline(f);
	return attach(f, make_scalar(f, &sp)) && line_ends(f, sp.after);
}

/* "key: value", or "key:" with its value on the lines below. */
static bool map_entry(struct fast *f, size_t p)
{
	size_t colon_end = map_key(f, p, false), r;

	if (!colon_end)
		return false;
	r = skip_spaces(f, colon_end);
	if (at(f, r) == '\n' || r >= f->len || at(f, r) == '#') {
		f->pending = true;
		f->pending_at = colon_end;
		f->pending_line = f->line;
		f->pending_col = column_of(f, colon_end);
		return true;
	}
	return inline_value(f, r);
}

static bool is_dash(const struct fast *f, size_t p)
{
	return at(f, p) == '-' && blankz(f, p + 1);
}

/* "- value", or "- key: value" opening a mapping at the key's column. */
static bool seq_item(struct fast *f, size_t p)
{
	struct span sp;
	size_t r;

	if (!is_dash(f, p))
		return decline(f);
	r = skip_spaces(f, p + 1);
	if (at(f, r) == '\n' || r >= f->len || at(f, r) == '#' || at(f, r) == '-')
		return decline(f);   /* the item on the lines below, or a list */
	if (at(f, r) != '[' && at(f, r) != '{') {
		if (!scan_scalar(f, r, false, &sp))
			return decline(f);
		if (sp.colon)
			return open_level(f, CRM_NODE_MAP, r, r - f->line_start) && map_entry(f, r);
	}
	return inline_value(f, r);
}

/* The empty value of a key whose colon ended its line. */
static bool attach_pending(struct fast *f)
{
	struct crm_node *n = new_node(f, CRM_NODE_SCALAR, f->pending_at, f->pending_at);

	f->pending = false;
	if (!n)
		return false;
	n->line = f->pending_line;
	n->col = f->pending_col;
	n->text = crm_arena_strndup(f->arena, "", 0);
	if (!n->text) {
		f->nomem = true;
		return false;
	}
	return attach(f, n);
}

/* One line with something on it, its first character at `p`. */
static bool content_line(struct fast *f, size_t p)
{
	size_t indent = p - f->line_start;   /* spaces: bytes are columns */
	struct level *top;

	if (!f->depth) {   /* the first: the root mapping */
		if (indent)
			return decline(f);
		if (!open_level(f, CRM_NODE_MAP, p, 0))
			return false;
	} else if (f->pending) {
		top = &f->stack[f->depth - 1];
		if (indent > top->indent) {
			f->pending = false;
			if (!open_level(f, is_dash(f, p) ? CRM_NODE_SEQ : CRM_NODE_MAP, p, indent))
				return false;
		} else if (indent == top->indent && is_dash(f, p)) {
			return decline(f);   /* a list beside its key */
		} else if (!attach_pending(f)) {
			return false;
		}
	}
	/* the root's indent is 0: it stays open */
	if (!close_deeper(f, indent, p))
		return false;
	top = &f->stack[f->depth - 1];
	if (top->indent != indent)
		return decline(f);
	return top->node->kind == CRM_NODE_MAP ? map_entry(f, p) : seq_item(f, p);
}

/* Characters libyaml reads differently from crm's precheck: the line and
 * paragraph separators (line breaks to it), a byte-order mark, and the
 * two non-characters it refuses; tabs and carriage returns besides. */
static bool unusual_text(const struct fast *f)
{
	const unsigned char *p = (const unsigned char *)f->s, *end = p + f->len;

	if (memchr(f->s, '\t', f->len) || memchr(f->s, '\r', f->len))
		return true;
	if (f->ascii)
		return false;
	for (; p + 2 < end; p++) {
		if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
			return true;
		if (p[0] == 0xEF && ((p[1] == 0xBB && p[2] == 0xBF) ||
				     (p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))))
			return true;
	}
	return false;
}

static void parse_lines(struct fast *f)
{
	size_t p = 0;

	f->line = 1;
	while (p < f->len && !failed(f)) {
		const char *nl = memchr(f->s + p, '\n', f->len - p);
		size_t end = nl ? (size_t)(nl - f->s) : f->len;
		size_t q = skip_spaces(f, p);

		f->line_start = p;
		if (p == q && end - p >= 3 && (!memcmp(f->s + p, "---", 3) ||
					      !memcmp(f->s + p, "...", 3)))
			decline(f);   /* document markers */
		else if (q < end && f->s[q] != '#')
			content_line(f, q);
		p = end + 1;
		f->line++;
	}
	if (failed(f))
		return;
	if (f->pending)
		attach_pending(f);
	while (f->depth && !failed(f))
		close_level(f, f->len);
}

enum crm_yaml_fast crm_yaml_fast_parse(struct crm_node **out, struct crm_arena *arena,
					const char *data, size_t len, bool ascii)
{
	struct fast state, *f = &state;
	enum crm_yaml_fast result;

	memset(f, 0, sizeof(*f));
	*out = NULL;
	f->s = data;
	f->len = len;
	f->arena = arena;
	f->ascii = ascii;
	if (unusual_text(f))
		f->declined = true;
	else
		parse_lines(f);
	if (f->nomem)
		result = CRM_YAML_FAST_NOMEM;
	else if (f->declined || !f->root)
		result = CRM_YAML_FAST_DECLINED;
	else
		result = CRM_YAML_FAST_BUILT;
	if (result == CRM_YAML_FAST_BUILT)
		*out = f->root;
	return result;
}
