/* UTF-8 through utf8proc: validation, display width, case folding, search
 * keys, ids made from names (romanised by locale_format.c's ICU), and edit
 * distance for did-you-mean.  The only file that includes utf8proc.h. */
#include <string.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "crm/error.h"
#include "crm/locale_format.h"
#include "crm/utf8.h"

bool crm_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if ((unsigned char)s[i] - 1u < 0x7Fu) {   /* ASCII but NUL: no call */
			i++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp == 0) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += (size_t)n;
	}
	return true;
}

/* Decodes one code point; invalid bytes count as U+FFFD of one byte. */
static size_t next_cp(const char *s, utf8proc_int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, cp);
	if (n <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return (size_t)n;
}

static size_t cp_width(utf8proc_int32_t cp)
{
	int w;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	w = utf8proc_charwidth(cp);
	return w > 0 ? (size_t)w : 0;
}

size_t crm_utf8_width(const char *s)
{
	size_t w = 0;
	utf8proc_int32_t cp;
	while (*s) {
		s += next_cp(s, &cp);
		w += cp_width(cp);
	}
	return w;
}

size_t crm_utf8_truncate(struct crm_buf *out, const char *s, size_t cols)
{
	size_t total = crm_utf8_width(s), w = 0;
	utf8proc_int32_t cp;

	if (total <= cols) {
		crm_buf_adds(out, s);
		return total;
	}
	if (!cols)
		return 0;
	/* keep room for the ellipsis */
	while (*s) {
		size_t n = next_cp(s, &cp), cw = cp_width(cp);
		if (w + cw > cols - 1)
			break;
		crm_buf_add(out, s, n);
		w += cw;
		s += n;
	}
	/* combining marks that belong to the last kept character */
	while (*s) {
		size_t n = next_cp(s, &cp);
		if (cp_width(cp) || cp < 0x300)
			break;
		crm_buf_add(out, s, n);
		s += n;
	}
	crm_buf_adds(out, "\xe2\x80\xa6");
	return w + 1;
}

int crm_utf8_pad(struct crm_buf *out, const char *s, size_t cols, bool right)
{
	struct crm_buf cut = CRM_BUF_INIT;
	size_t w = crm_utf8_truncate(&cut, s, cols);
	int err = 0;
	if (right)
		err = crm_buf_addchars(out, ' ', cols - w);
	if (!err)
		err = crm_buf_add(out, cut.ptr, cut.len);
	if (!err && !right)
		err = crm_buf_addchars(out, ' ', cols - w);
	crm_buf_release(&cut);
	return err;
}

int crm_utf8_escape_controls(struct crm_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int err = 0;

	for (; !err && *p; p++) {
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)
			err = crm_buf_addf(out, "\\x%02x", *++p);
		else if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F)
			err = crm_buf_addf(out, "\\x%02x", *p);
		else
			err = crm_buf_addch(out, *p);
	}
	return err;
}

static int map_into(struct crm_buf *out, const char *s, utf8proc_option_t opts)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &mapped,
					  opts | UTF8PROC_NULLTERM);
	int err;
	if (n < 0)
		return crm_error_set(CRM_EINVALID, "cannot fold '%s': %s", s, utf8proc_errmsg(n));
	err = crm_buf_add(out, mapped, (size_t)n);
	free(mapped);
	return err;
}

int crm_utf8_casefold(struct crm_buf *out, const char *s)
{
	return map_into(out, s, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE |
			UTF8PROC_COMPAT);
}

static const char *latin_extra(utf8proc_int32_t cp);

int crm_utf8_match_key(struct crm_buf *out, const char *s)
{
	struct crm_buf folded = CRM_BUF_INIT;
	utf8proc_int32_t cp;
	size_t i = 0, n, start = out->len;
	bool space = true;   /* no leading space */
	int err;

	/* NFKC folds full-width forms; decomposing lets STRIPMARK drop accents */
	err = map_into(&folded, s, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE |
		       UTF8PROC_COMPAT | UTF8PROC_STRIPMARK);
	while (!err && i < folded.len) {
		n = next_cp(folded.ptr + i, &cp);
		if (!n)
			break;
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
		case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
		case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
			/* letters with no decomposition: "ł" is "l", "ß" "ss" */
			if (latin_extra(cp))
				err = crm_buf_adds(out, latin_extra(cp));
			else
				err = crm_buf_add(out, folded.ptr + i, n);
			space = false;
			break;
		default:
			if (!space)
				err = crm_buf_addch(out, ' ');
			space = true;
		}
		i += n;
	}
	if (out->len > start && out->ptr[out->len - 1] == ' ')
		crm_buf_truncate(out, out->len - 1);
	crm_buf_release(&folded);
	return err;
}

/* Accents of Latin, Greek and Cyrillic letters once decomposed (U+0300 to
 * U+036F).  Other combining marks carry meaning a searcher types: the kana
 * voicing marks (ガ is not カ) and the vowel signs of Indic scripts. */
static bool is_accent(utf8proc_int32_t cp)
{
	return cp >= 0x300 && cp <= 0x36F;
}

int crm_utf8_search_key(struct crm_buf *out, const char *s)
{
	struct crm_buf folded = CRM_BUF_INIT;
	utf8proc_int32_t cp;
	size_t i = 0, n;
	int err;

	/* NFKD: full-width and half-width forms become the usual ones, and an
	 * accent becomes a mark of its own that the loop drops */
	err = map_into(&folded, s, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STABLE |
		       UTF8PROC_COMPAT);
	while (!err && i < folded.len) {
		n = next_cp(folded.ptr + i, &cp);
		if (!n)
			break;
		if (latin_extra(cp))
			err = crm_buf_adds(out, latin_extra(cp));
		else if (!is_accent(cp))
			err = crm_buf_add(out, folded.ptr + i, n);
		i += n;
	}
	crm_buf_release(&folded);
	return err;
}

/* ASCII text needs no Unicode folding: compared byte by byte in lower
 * case, it is the common case of a search and costs no allocation. */
static bool ascii_contains(const char *haystack, const char *key)
{
	size_t klen = strlen(key), i;
	const char *h;

	for (h = haystack; *h; h++) {
		for (i = 0; i < klen && h[i]; i++) {
			unsigned char c = (unsigned char)h[i];
			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)key[i])
				break;
		}
		if (i == klen)
			return true;
	}
	return klen == 0;
}

static bool is_ascii(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			return false;
	}
	return true;
}

bool crm_utf8_search_hit(const char *haystack, const char *key)
{
	struct crm_buf h = CRM_BUF_INIT;
	bool found;

	if (is_ascii(haystack))   /* folds to ASCII, so only an ASCII key can be in it */
		return is_ascii(key) && ascii_contains(haystack, key);
	found = !crm_utf8_search_key(&h, haystack) && strstr(h.ptr, key) != NULL;
	crm_buf_release(&h);
	return found;
}

bool crm_utf8_contains_fold(const char *haystack, const char *needle)
{
	struct crm_buf n = CRM_BUF_INIT;
	bool found;

	found = !crm_utf8_search_key(&n, needle) && crm_utf8_search_hit(haystack, n.ptr);
	crm_buf_release(&n);
	return found;
}

/* Latin letters that Unicode does not decompose into base + mark. */
static const char *latin_extra(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x141: case 0x142: return "l";     /* Ł ł */
	case 0xD8: case 0xF8: return "o";       /* Ø ø */
	case 0x110: case 0x111: return "d";     /* Đ đ */
	case 0xDF: return "ss";
	case 0xC6: case 0xE6: return "ae";
	case 0x152: case 0x153: return "oe";
	case 0xDE: case 0xFE: return "th";
	case 0x131: return "i";
	case 0xD0: case 0xF0: return "d";
	default: return NULL;
	}
}

/* `name` with Cyrillic, Greek and the like romanised (ICU); NULL when out
 * of memory.  ASCII needs none of it, and skips ICU. */
static char *romanized(const char *name)
{
	size_t size = strlen(name) * 4 + 64;
	char *buf;

	if (is_ascii(name))
		return strdup(name);
	buf = malloc(size);
	if (buf)
		crm_locale_romanize(buf, size, name);   /* unchanged when it cannot */
	return buf;
}

size_t crm_utf8_slug(struct crm_buf *out, const char *name)
{
	struct crm_buf base = CRM_BUF_INIT;
	const char *p;
	size_t start = out->len, letters = 0;
	bool dash = false;
	utf8proc_int32_t cp;
	char *latin = romanized(name);

	if (!latin || map_into(&base, latin, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
			       UTF8PROC_CASEFOLD | UTF8PROC_COMPAT)) {
		free(latin);
		crm_buf_release(&base);
		return 0;
	}
	free(latin);
	for (p = base.ptr; *p && out->len - start < 48; ) {
		const char *extra;
		p += next_cp(p, &cp);
		extra = latin_extra(cp);
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || extra) {
			if (dash && out->len > start)
				crm_buf_addch(out, '-');
			dash = false;
			if (extra)
				crm_buf_adds(out, extra);
			else
				crm_buf_addch(out, (char)cp);
			letters++;
		} else {
			dash = true;
		}
	}
	crm_buf_release(&base);
	while (out->len > start && out->ptr[out->len - 1] == '-')
		crm_buf_truncate(out, out->len - 1);
	if (!letters)
		crm_buf_truncate(out, start);
	return out->len - start;
}

static size_t decode_all(utf8proc_int32_t **out, const char *s)
{
	size_t n = 0, cap = strlen(s) + 1;
	utf8proc_int32_t *cps = malloc(cap * sizeof(*cps));
	if (!cps) {
		*out = NULL;
		return 0;
	}
	while (*s)
		s += next_cp(s, &cps[n++]);
	*out = cps;
	return n;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t crm_edit_distance(const char *a, const char *b, size_t max)
{
	utf8proc_int32_t *x, *y;
	size_t nx = decode_all(&x, a), ny = decode_all(&y, b), i, j, result;
	/* Three rows of the table: two back for transpositions ("emial"). */
	size_t *rows = calloc(3 * (ny + 1), sizeof(*rows));
	size_t *back2, *back1, *cur, prev_best = 0;

	if (!x || !y || !rows) {
		result = max + 1;
		goto done;
	}
	back2 = rows;
	back1 = rows + (ny + 1);
	cur = rows + 2 * (ny + 1);
	for (j = 0; j <= ny; j++)
		back1[j] = j;
	for (i = 1; i <= nx; i++) {
		size_t best = cur[0] = i, *spare;
		for (j = 1; j <= ny; j++) {
			size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
			size_t v = min3(back1[j - 1] + cost, back1[j] + 1, cur[j - 1] + 1);
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
			    back2[j - 2] + 1 < v)
				v = back2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		/* A transposition reaches back two rows, so stop only when both
		 * of the last rows are already past `max`. */
		if (best > max && prev_best > max) {
			result = max + 1;
			goto done;
		}
		prev_best = best;
		spare = back2;
		back2 = back1;
		back1 = cur;
		cur = spare;
	}
	result = back1[ny] > max ? max + 1 : back1[ny];
done:
	free(x);
	free(y);
	free(rows);
	return result;
}
