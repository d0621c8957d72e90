/* vCard reading and writing (RFC 2426, RFC 6350, and the 2.1 that old
 * phones still export): lines are unfolded, QUOTED-PRINTABLE soft breaks
 * joined, parameters read in every spelling, values unescaped; cards are
 * written back folded at 75 octets with CRLF line ends. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crm/error.h"
#include "crm/utf8.h"
#include "crm/vcard.h"

void crm_vcards_init(struct crm_vcards *v)
{
	crm_arena_init(&v->arena);
	memset(&v->cards, 0, sizeof(v->cards));
}

void crm_vcards_release(struct crm_vcards *v)
{
	size_t i;
	for (i = 0; i < v->cards.len; i++) {
		CRM_ARRAY_RELEASE(v->cards.ptr[i].tels);
		CRM_ARRAY_RELEASE(v->cards.ptr[i].emails);
		CRM_ARRAY_RELEASE(v->cards.ptr[i].adrs);
	}
	CRM_ARRAY_RELEASE(v->cards);
	crm_arena_release(&v->arena);
}

/* ---- reading ---- */

/* Physical lines of the input.  A file with any LF ends its lines at LF,
 * and the CRs before it go with the line end: Thunderbird's own test
 * cards end lines "\r\r\n" (so does ez-vcard's iPhone export), and
 * Thunderbird writes a CR typed into a field as a raw CR mid-line.  Only
 * a file without any LF (old Mac) ends its lines at CR. */
struct lines {
	const char *p, *end;
	int lineno;
	char eol;
};

static bool next_line(struct lines *l, const char **start, size_t *len)
{
	const char *s = l->p, *e;

	if (s >= l->end)
		return false;
	for (e = s; e < l->end && *e != l->eol; e++)
		;
	*start = s;
	*len = (size_t)(e - s);
	while (l->eol == '\n' && *len && s[*len - 1] == '\r')
		(*len)--;
	l->p = e < l->end ? e + 1 : e;
	l->lineno++;
	return true;
}

static bool peek_continuation(const struct lines *l)
{
	return l->p < l->end && (*l->p == ' ' || *l->p == '\t');
}

/* A content line's pieces. */
struct prop {
	char name[16];
	struct crm_buf types;     /* lowercase, comma-joined, "pref" last */
	bool pref, qp, binary;
	char charset[32];
	struct crm_buf value;     /* raw, then decoded */
};

static void add_type(struct prop *p, const char *t, size_t n)
{
	size_t i;

	while (n && (*t == '"' || *t == ' ')) {
		t++;
		n--;
	}
	while (n && (t[n - 1] == '"' || t[n - 1] == ' '))
		n--;
	if (!n)
		return;
	if (n == 4 && !strncasecmp(t, "pref", 4)) {
		p->pref = true;
		return;
	}
	if (p->types.len)
		crm_buf_addch(&p->types, ',');
	for (i = 0; i < n; i++)
		crm_buf_addch(&p->types, tolower((unsigned char)t[i]));
}

static void add_types(struct prop *p, const char *v, size_t n)
{
	size_t i, start = 0;
	for (i = 0; i <= n; i++) {
		if (i == n || v[i] == ',') {
			add_type(p, v + start, i - start);
			start = i + 1;
		}
	}
}

static void copy_upper(char *dst, size_t size, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n && i + 1 < size; i++)
		dst[i] = (char)toupper((unsigned char)s[i]);
	dst[i] = '\0';
}

static void read_param(struct prop *p, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	char key[16], val[32];

	if (!eq) {   /* 2.1: TEL;WORK;VOICE, ;QUOTED-PRINTABLE, ;BASE64 */
		copy_upper(val, sizeof(val), s, n);
		if (!strcmp(val, "QUOTED-PRINTABLE"))
			p->qp = true;
		else if (!strcmp(val, "BASE64") || !strcmp(val, "B"))
			p->binary = true;
		else
			add_types(p, s, n);
		return;
	}
	copy_upper(key, sizeof(key), s, (size_t)(eq - s));
	copy_upper(val, sizeof(val), eq + 1, n - (size_t)(eq - s) - 1);
	if (!strcmp(key, "TYPE"))
		add_types(p, eq + 1, n - (size_t)(eq - s) - 1);
	else if (!strcmp(key, "ENCODING") && !strcmp(val, "QUOTED-PRINTABLE"))
		p->qp = true;
	else if (!strcmp(key, "ENCODING") && (!strcmp(val, "BASE64") || !strcmp(val, "B")))
		p->binary = true;
	else if (!strcmp(key, "CHARSET"))
		snprintf(p->charset, sizeof(p->charset), "%s", val);
	else if (!strcmp(key, "PREF"))
		p->pref = true;
}

/* Splits "group.NAME;P=V;P:value" at the first colon outside quotes. */
static int read_head(struct prop *p, const char *s, size_t n)
{
	size_t i, start = 0, colon = n;
	bool quoted = false, first = true;
	const char *dot;

	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ':' && !quoted) {
			colon = i;
			break;
		}
	}
	if (colon == n)
		return -1;
	for (i = 0; i <= colon; i++) {
		if (i < colon && (s[i] != ';' || quoted)) {
			quoted ^= s[i] == '"';
			continue;
		}
		if (first) {
			dot = memrchr(s, '.', i);
			start = dot ? (size_t)(dot - s) + 1 : 0;
			copy_upper(p->name, sizeof(p->name), s + start, i - start);
			first = false;
		} else {
			read_param(p, s + start, i - start);
		}
		start = i + 1;
	}
	crm_buf_add(&p->value, s + colon + 1, n - colon - 1);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)toupper((unsigned char)c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void decode_qp(struct crm_buf *v)
{
	size_t i, o = 0;
	for (i = 0; i < v->len; i++) {
		int hi = i + 2 < v->len ? hexval(v->ptr[i + 1]) : -1;
		int lo = i + 2 < v->len ? hexval(v->ptr[i + 2]) : -1;
		if (v->ptr[i] == '=' && hi >= 0 && lo >= 0) {
			v->ptr[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			v->ptr[o++] = v->ptr[i];
		}
	}
	crm_buf_truncate(v, o);
}

/* Latin-1 bytes to UTF-8: what a CHARSET other than UTF-8, or bytes that
 * are no UTF-8, most likely were on the phones that wrote 2.1 */
static void latin1_to_utf8(struct crm_buf *v)
{
	struct crm_buf out = CRM_BUF_INIT;
	size_t i;

	for (i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->ptr[i];
		if (c < 0x80) {
			crm_buf_addch(&out, c);
		} else {
			crm_buf_addch(&out, 0xC0 | c >> 6);
			crm_buf_addch(&out, 0x80 | (c & 0x3F));
		}
	}
	crm_buf_release(v);
	*v = out;
}

static bool charset_is_utf8(const char *cs)
{
	return !cs[0] || !strcmp(cs, "UTF-8") || !strcmp(cs, "UTF8") || !strcmp(cs, "US-ASCII");
}

static void decode_value(struct prop *p)
{
	if (p->qp)
		decode_qp(&p->value);
	/* NUL bytes cannot live in a C string: the value ends there */
	crm_buf_truncate(&p->value, strlen(p->value.ptr));
	if (!charset_is_utf8(p->charset) ||
	    !crm_utf8_valid(p->value.ptr, p->value.len, NULL))
		latin1_to_utf8(&p->value);
}

/* One component (up to an unescaped ';' when `structured`), unescaped. */
static const char *unescape(struct crm_arena *a, const char **cursor, const char *end,
			    bool structured)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *s = *cursor, *res;

	for (; s < end; s++) {
		if (*s == ';' && structured)
			break;
		if (*s == '\\' && s + 1 < end) {
			char c = s[1];
			s++;
			if (c == 'n' || c == 'N')
				crm_buf_addch(&b, '\n');
			else if (c == '\\' || c == ';' || c == ',' || c == ':' || c == '"')
				crm_buf_addch(&b, c);   /* Google and Apple write \" */
			else {
				crm_buf_addch(&b, '\\');
				crm_buf_addch(&b, c);
			}
			continue;
		}
		crm_buf_addch(&b, *s);
	}
	*cursor = s < end ? s + 1 : end;
	res = crm_arena_strndup(a, b.ptr, b.len);
	crm_buf_release(&b);
	return res;
}

static const char *text_value(struct crm_arena *a, const struct prop *p)
{
	const char *s = p->value.ptr;
	return unescape(a, &s, p->value.ptr + p->value.len, false);
}

/* "19800402", "1980-04-02", "1980-04-02T..." become "1980-04-02" */
static const char *bday_value(struct crm_arena *a, const char *v)
{
	size_t n = strlen(v), i;
	bool digits8 = n >= 8;

	for (i = 0; i < 8 && digits8; i++)
		digits8 = isdigit((unsigned char)v[i]);
	if (digits8 && (n == 8 || v[8] == 'T'))
		return crm_arena_printf(a, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
	if (n >= 10 && v[4] == '-' && v[7] == '-' && (n == 10 || v[10] == 'T'))
		return crm_arena_strndup(a, v, 10);
	return v;
}

/* "pref" goes last among the types, however the card said it, so a card
 * reads the same after a trip through either version */
static void take_pref(struct prop *p)
{
	if (!p->pref)
		return;
	p->pref = false;
	if (p->types.len)
		crm_buf_addch(&p->types, ',');
	crm_buf_adds(&p->types, "pref");
}

static int add_typed(struct crm_arena *a, struct prop *p, void *arr_p)
{
	CRM_ARRAY(struct crm_vcard_typed) *arr = arr_p;
	struct crm_vcard_typed *t = CRM_ARRAY_PUSH(*arr);

	if (!t)
		return CRM_ENOMEM;
	take_pref(p);
	t->type = crm_arena_strndup(a, p->types.ptr, p->types.len);
	t->value = text_value(a, p);
	return 0;
}

static int add_adr(struct crm_arena *a, struct prop *p, struct crm_vcard *c)
{
	struct crm_vcard_adr *adr = CRM_ARRAY_PUSH(c->adrs);
	const char *s = p->value.ptr, *end = p->value.ptr + p->value.len;
	const char **parts[7];
	size_t i;

	if (!adr)
		return CRM_ENOMEM;
	parts[0] = &adr->pobox; parts[1] = &adr->ext; parts[2] = &adr->street;
	parts[3] = &adr->locality; parts[4] = &adr->region; parts[5] = &adr->code;
	parts[6] = &adr->country;
	take_pref(p);
	adr->type = crm_arena_strndup(a, p->types.ptr, p->types.len);
	for (i = 0; i < 7; i++)
		*parts[i] = unescape(a, &s, end, true);
	return 0;
}

static int apply_prop(struct crm_arena *a, struct prop *p, struct crm_vcard *c)
{
	const char *s, *end;
	size_t i;

	if (p->binary)
		return 0;   /* PHOTO, LOGO, SOUND: not for a record */
	decode_value(p);
	s = p->value.ptr;
	end = p->value.ptr + p->value.len;
	if (!strcmp(p->name, "FN"))
		c->fn = text_value(a, p);
	else if (!strcmp(p->name, "N"))
		for (i = 0; i < CRM_VCARD_N__COUNT; i++)
			c->n[i] = unescape(a, &s, end, true);
	else if (!strcmp(p->name, "ORG"))
		c->org = unescape(a, &s, end, true);
	else if (!strcmp(p->name, "TITLE"))
		c->title = text_value(a, p);
	else if (!strcmp(p->name, "NOTE"))
		c->note = text_value(a, p);
	else if (!strcmp(p->name, "UID"))
		c->uid = text_value(a, p);
	else if (!strcmp(p->name, "BDAY"))
		c->bday = bday_value(a, text_value(a, p));
	else if (!strcmp(p->name, "TEL"))
		return add_typed(a, p, &c->tels);
	else if (!strcmp(p->name, "EMAIL"))
		return add_typed(a, p, &c->emails);
	else if (!strcmp(p->name, "ADR"))
		return add_adr(a, p, c);
	return 0;
}

/* The next logical line: folded lines joined, and for QUOTED-PRINTABLE
 * values the soft line breaks ("=" at a line's end) too. */
static int read_logical(struct lines *l, struct prop *p, int *lineno)
{
	const char *s;
	size_t n;

	crm_buf_reset(&p->types);
	crm_buf_reset(&p->value);
	memset(p->name, 0, sizeof(p->name));
	p->pref = p->qp = p->binary = false;
	p->charset[0] = '\0';
	{
		struct crm_buf line = CRM_BUF_INIT;
		int err = 0;

		do {
			if (!next_line(l, &s, &n)) {
				crm_buf_release(&line);
				return 1;
			}
		} while (n == 0);
		*lineno = l->lineno;
		crm_buf_add(&line, s, n);
		while (peek_continuation(l) && next_line(l, &s, &n))
			crm_buf_add(&line, s + 1, n - 1);
		if (read_head(p, line.ptr, line.len))
			err = -1;
		while (!err && p->qp && p->value.len && p->value.ptr[p->value.len - 1] == '=' &&
		       next_line(l, &s, &n)) {
			crm_buf_truncate(&p->value, p->value.len - 1);
			crm_buf_add(&p->value, s, n);
		}
		crm_buf_release(&line);
		return err;
	}
}

int crm_vcard_parse(struct crm_vcards *v, const char *data, size_t len)
{
	struct lines l = { data, data + len, 0, len && memchr(data, '\n', len) ? '\n' : '\r' };
	struct prop p;
	struct crm_vcard *card = NULL;
	int lineno = 0, rc, err = 0, open_line = 0;

	memset(&p, 0, sizeof(p));
	crm_buf_init(&p.types);
	crm_buf_init(&p.value);
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		l.p += 3;
	while (!err && (rc = read_logical(&l, &p, &lineno)) != 1) {
		if (rc < 0) {
			if (card)   /* outside a card, junk is not ours to judge */
				err = crm_error_set(CRM_EINVALID, "line %d: no ':' in a vCard line",
						    lineno);
			continue;
		}
		if (!strcmp(p.name, "BEGIN") && !strcasecmp(p.value.ptr, "VCARD") && !card) {
			card = CRM_ARRAY_PUSH(v->cards);
			open_line = lineno;
			if (!card)
				err = CRM_ENOMEM;
		} else if (!strcmp(p.name, "END") && !strcasecmp(p.value.ptr, "VCARD") && card) {
			card = NULL;
		} else if (card) {
			err = apply_prop(&v->arena, &p, card);
		}
	}
	if (!err && card)
		err = crm_error_set(CRM_EINVALID, "line %d: BEGIN:VCARD without END:VCARD",
				    open_line);
	crm_buf_release(&p.types);
	crm_buf_release(&p.value);
	return err;
}

/* ---- writing ---- */

static void add_escaped(struct crm_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			crm_buf_addch(b, '\\');
		if (*s == '\n')
			crm_buf_adds(b, "\\n");
		else if (*s != '\r')
			crm_buf_addch(b, *s);
	}
}

/* Writes `line` folded: at most 75 octets a line, never inside a UTF-8
 * character, continuation lines starting with one space */
static int add_folded(struct crm_buf *out, const struct crm_buf *line)
{
	size_t pos = 0, room = 75;

	while (line->len - pos > room) {
		size_t cut = pos + room;
		while (cut > pos && ((unsigned char)line->ptr[cut] & 0xC0) == 0x80)
			cut--;
		/* a longer run of continuation bytes than a line holds is not
		 * UTF-8: cut it anywhere rather than never */
		if (cut == pos)
			cut = pos + room;
		crm_buf_add(out, line->ptr + pos, cut - pos);
		crm_buf_adds(out, "\r\n ");
		pos = cut;
		room = 74;
	}
	crm_buf_add(out, line->ptr + pos, line->len - pos);
	return crm_buf_adds(out, "\r\n");
}

static void add_type_param(struct crm_buf *b, const char *type, int version)
{
	struct crm_buf t = CRM_BUF_INIT;
	const char *p = type;
	bool pref = false;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		if (n == 4 && !strncmp(p, "pref", 4))
			pref = true;
		else if (n) {
			crm_buf_adds(&t, t.len ? "," : "");
			crm_buf_add(&t, p, n);
		}
		p += n + (p[n] == ',');
	}
	if (pref && version == 3) {
		crm_buf_adds(&t, t.len ? "," : "");
		crm_buf_adds(&t, "pref");
	}
	if (t.len)
		crm_buf_addf(b, ";TYPE=%s", t.ptr);
	if (pref && version == 4)
		crm_buf_adds(b, ";PREF=1");
	crm_buf_release(&t);
}

static int prop_line(struct crm_buf *out, const char *name, const char *type, int version,
		     const char *value)
{
	struct crm_buf line = CRM_BUF_INIT;
	int err;

	crm_buf_adds(&line, name);
	if (type)
		add_type_param(&line, type, version);
	crm_buf_addch(&line, ':');
	crm_buf_adds(&line, value);
	err = add_folded(out, &line);
	crm_buf_release(&line);
	return err;
}

static int text_prop(struct crm_buf *out, const char *name, const char *value)
{
	struct crm_buf v = CRM_BUF_INIT;
	int err;

	if (!value)
		return 0;
	add_escaped(&v, value);
	err = prop_line(out, name, NULL, 0, v.ptr);
	crm_buf_release(&v);
	return err;
}

static int structured_prop(struct crm_buf *out, const char *name, const char *type,
			   int version, const char *const *parts, size_t n)
{
	struct crm_buf v = CRM_BUF_INIT;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		if (i)
			crm_buf_addch(&v, ';');
		add_escaped(&v, parts[i]);
	}
	err = prop_line(out, name, type, version, v.ptr);
	crm_buf_release(&v);
	return err;
}

static int typed_props(struct crm_buf *out, const char *name, const struct crm_vcard_typed *t,
		       size_t n, int version)
{
	struct crm_buf v = CRM_BUF_INIT;
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		crm_buf_reset(&v);
		add_escaped(&v, t[i].value);
		err = prop_line(out, name, t[i].type ? t[i].type : "", version, v.ptr);
	}
	crm_buf_release(&v);
	return err;
}

/* BDAY: RFC 6350 wants ISO 8601's basic form (19800402), 2426 the
 * extended one */
static int bday_prop(struct crm_buf *out, const char *bday, int version)
{
	char basic[16];

	if (!bday)
		return 0;
	if (version == 4 && strlen(bday) == 10 && bday[4] == '-' && bday[7] == '-') {
		snprintf(basic, sizeof(basic), "%.4s%.2s%.2s", bday, bday + 5, bday + 8);
		return text_prop(out, "BDAY", basic);
	}
	return text_prop(out, "BDAY", bday);
}

int crm_vcard_write(struct crm_buf *out, const struct crm_vcard *c, int version)
{
	const char *n[CRM_VCARD_N__COUNT];
	size_t i;
	int err;

	if (version != 3 && version != 4)
		return crm_error_set(CRM_EINVALID, "vCard version %d: 3 or 4 only", version);
	crm_buf_adds(out, "BEGIN:VCARD\r\n");
	crm_buf_adds(out, version == 4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
	for (i = 0; i < CRM_VCARD_N__COUNT; i++)
		n[i] = c->n[i] ? c->n[i] : "";
	err = text_prop(out, "FN", c->fn ? c->fn : "");
	/* N is required in 3.0 and optional in 4.0: always written */
	if (!err)
		err = structured_prop(out, "N", NULL, version, n, CRM_VCARD_N__COUNT);
	if (!err && c->org)
		err = structured_prop(out, "ORG", NULL, version, &c->org, 1);
	if (!err)
		err = text_prop(out, "TITLE", c->title);
	if (!err)
		err = typed_props(out, "EMAIL", c->emails.ptr, c->emails.len, version);
	if (!err)
		err = typed_props(out, "TEL", c->tels.ptr, c->tels.len, version);
	for (i = 0; i < c->adrs.len && !err; i++) {
		const struct crm_vcard_adr *a = &c->adrs.ptr[i];
		const char *parts[7] = { a->pobox, a->ext, a->street, a->locality, a->region,
					 a->code, a->country };
		err = structured_prop(out, "ADR", a->type ? a->type : "", version, parts, 7);
	}
	if (!err)
		err = bday_prop(out, c->bday, version);
	if (!err)
		err = text_prop(out, "NOTE", c->note);
	if (!err)
		err = text_prop(out, "UID", c->uid);
	if (!err)
		err = crm_buf_adds(out, "END:VCARD\r\n");
	return err;
}
