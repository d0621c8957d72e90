/* The one YAML scalar writer: plain when every YAML 1.1 reader reads the
 * same string back, double-quoted with escapes otherwise.  Record files,
 * merge results, conflict blocks and `ls --format yaml` all come here. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "crm/yaml_emit.h"

/* Decodes one UTF-8 sequence at `p`; returns its length, or 0 for a byte
 * that does not start a valid sequence (which *cp then holds). */
static size_t decode(const unsigned char *p, unsigned long *cp)
{
	size_t n, i;
	unsigned long min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2, min = 0x80, *cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3, min = 0x800, *cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4, min = 0x10000, *cp = p[0] & 0x07;
	} else {
		*cp = p[0];
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*cp = p[0];
			return 0;
		}
		*cp = (*cp << 6) | (p[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp < 0xE000)) {
		*cp = p[0];
		return 0;
	}
	return n;
}

/* Characters a reader would not keep as written: controls, the Unicode
 * line and paragraph separators (line breaks to libyaml), the byte order
 * mark and the two non-characters libyaml refuses. */
static bool needs_escape_cp(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

bool crm_yaml_needs_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;

	while (*p) {
		size_t n = decode(p, &cp);
		if (n && needs_escape_cp(cp))
			return true;
		p += n ? n : 1;
	}
	return false;
}

static int add_escape(struct crm_buf *out, unsigned long cp)
{
	switch (cp) {
	case '\t': return crm_buf_adds(out, "\\t");
	case '\n': return crm_buf_adds(out, "\\n");
	case '\r': return crm_buf_adds(out, "\\r");
	case '\a': return crm_buf_adds(out, "\\a");
	case '\b': return crm_buf_adds(out, "\\b");
	case '\v': return crm_buf_adds(out, "\\v");
	case '\f': return crm_buf_adds(out, "\\f");
	case 0x1B: return crm_buf_adds(out, "\\e");
	case 0x85: return crm_buf_adds(out, "\\N");
	case 0x2028: return crm_buf_adds(out, "\\L");
	case 0x2029: return crm_buf_adds(out, "\\P");
	default:
		if (cp < 0x100)
			return crm_buf_addf(out, "\\x%02X", (unsigned)cp);
		return crm_buf_addf(out, "\\u%04lX", cp);
	}
}

int crm_yaml_emit_double_quoted(struct crm_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	int err = crm_buf_addch(out, '"');

	while (!err && *p) {
		size_t n = decode(p, &cp);
		if (!n)
			err = crm_buf_add(out, p, 1);   /* not UTF-8: the loader says so */
		else if (cp == '"' || cp == '\\')
			err = crm_buf_add(out, cp == '"' ? "\\\"" : "\\\\", 2);
		else if (needs_escape_cp(cp))
			err = add_escape(out, cp);
		else
			err = crm_buf_add(out, p, n);
		p += n ? n : 1;
	}
	return err ? err : crm_buf_addch(out, '"');
}

int crm_yaml_emit_single_quoted(struct crm_buf *out, const char *s)
{
	int err;

	if (crm_yaml_needs_escape(s))
		return crm_yaml_emit_double_quoted(out, s);
	err = crm_buf_addch(out, '\'');
	for (; !err && *s; s++)
		err = *s == '\'' ? crm_buf_adds(out, "''") : crm_buf_addch(out, *s);
	return err ? err : crm_buf_addch(out, '\'');
}

static bool all_of(const char *s, const char *set)
{
	return s[strspn(s, set)] == '\0';
}

static bool digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	return n > 0;
}

/* Could a YAML 1.1 reader take this for a number, a date or a timestamp?
 * A loose test on purpose: quoting a string that only looks numeric costs
 * two characters, leaving a number plain changes the value. */
static bool looks_typed(const char *s)
{
	const char *t = s + (*s == '+' || *s == '-');

	if (!strcasecmp(t, ".inf") || !strcasecmp(t, ".nan"))
		return true;
	if (*t == '.' && isdigit((unsigned char)t[1]))
		return true;
	if (!isdigit((unsigned char)*t))
		return false;
	/* dates and timestamps: 2001-12-14, 2001-12-14t21:59:43.10-05:00 */
	if (digits(t, 4) && t[4] == '-')
		return true;
	return all_of(t, "0123456789abcdefABCDEFxXoObB_.:eE+-");
}

static bool is_date(const char *s)
{
	return digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2);
}

/* YYYY-MM-DDTHH:MM, then :SS, then Z or +HH:MM / -HH:MM, each optional. */
static bool is_datetime(const char *s)
{
	if (!is_date(s) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2))
		return false;
	s += 16;
	if (s[0] == ':' && digits(s + 1, 2))
		s += 3;
	if (s[0] == 'Z')
		s++;
	else if ((s[0] == '+' || s[0] == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2))
		s += 6;
	return !*s;
}

/* The forms crm writes itself and reads back by schema type: -?(0|[1-9]d*)
 * with an optional .d+, YYYY-MM-DD and YYYY-MM-DDTHH:MM[:SS][zone]. */
static bool canonical_number_or_date(const char *s)
{
	const char *t = s + (*s == '-'), *dot;
	size_t n = strlen(t);

	if ((strlen(s) == 10 && is_date(s)) || is_datetime(s))
		return true;
	dot = strchr(t, '.');
	if (dot) {
		if (!digits(dot + 1, n - (size_t)(dot + 1 - t)))
			return false;
		n = (size_t)(dot - t);
	}
	return digits(t, n) && (n == 1 || t[0] != '0');
}

/* Words YAML 1.1 reads as booleans or null, in any case, and its merge
 * and value keys. */
static bool is_reserved_word(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on", "off", "true",
					     "false", "null", "~", "<<", "=", NULL };
	size_t i;
	for (i = 0; words[i]; i++) {
		if (!strcasecmp(s, words[i]))
			return true;
	}
	return false;
}

bool crm_yaml_plain_ok(const char *s, unsigned flags)
{
	size_t n = strlen(s);

	if (!n || crm_yaml_needs_escape(s))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[n - 1] == ' ' || s[n - 1] == ':')
		return false;
	if (strstr(s, ": ") || strstr(s, " #") || !strncmp(s, "...", 3))
		return false;
	if ((flags & CRM_YAML_FLOW) && strpbrk(s, ",[]{}:"))
		return false;
	if (is_reserved_word(s))
		return false;
	if (looks_typed(s))
		return !(flags & CRM_YAML_STRING) && canonical_number_or_date(s);
	return true;
}

int crm_yaml_emit_scalar(struct crm_buf *out, const char *s, unsigned flags)
{
	if (crm_yaml_plain_ok(s, flags))
		return crm_buf_adds(out, s);
	return crm_yaml_emit_double_quoted(out, s);
}
