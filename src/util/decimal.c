/* Exact decimal numbers as int64 units and a power-of-ten scale.  Every
 * intermediate is a __int128, so overflow is judged on the exact result
 * instead of being detected after a wrap. */
#include <inttypes.h>
#include <stdio.h>

#include "crm/decimal.h"
#include "crm/error.h"

typedef __int128 wide;

/* 10^n for 0 <= n <= 36; callers stay far below that */
static wide pow10w(int n)
{
	wide p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

static wide wabs(wide v)
{
	return v < 0 ? -v : v;
}

/* INT64_MIN is excluded so that negation never overflows */
static bool fits(wide v)
{
	return v <= INT64_MAX && v >= -INT64_MAX;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int check_scale(int scale)
{
	if (scale < 0 || scale > CRM_DEC_MAX_SCALE)
		return crm_error_set(CRM_EINVALID, "decimal scale %d out of range 0..%d",
				     scale, CRM_DEC_MAX_SCALE);
	return 0;
}

static int overflow(const char *op)
{
	return crm_error_set(CRM_EOVERFLOW, "number too large: the %s overflows "
			     "19 significant digits", op);
}

/* n / d rounded half away from zero; d > 0.  Comparing r with d - r rather
 * than 2r with d keeps the test itself from overflowing. */
static wide div_round(wide n, wide d)
{
	wide q = wabs(n) / d, r = wabs(n) % d;
	if (r >= d - r)
		q++;
	return n < 0 ? -q : q;
}

/* Stores v / 10^scale, dropping trailing zeros only when that is what it
 * takes to fit in int64: the value stays exact either way. */
static int store(crm_dec *out, wide v, int scale, const char *op)
{
	while (!fits(v) && scale > 0 && v % 10 == 0) {
		v /= 10;
		scale--;
	}
	if (!fits(v))
		return overflow(op);
	out->units = (int64_t)v;
	out->scale = scale;
	return 0;
}

static int parse_error(const char *s, size_t len, const char *why)
{
	return crm_error_set(CRM_EINVALID, "invalid number '%.*s'%s", (int)len, s, why);
}

int crm_dec_parse(crm_dec *out, const char *s, size_t len)
{
	size_t i = 0;
	int digits = 0, scale = 0;
	bool neg = false, dot = false, too_big = false;
	wide v = 0;

	if (len && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i++;
	}
	for (; i < len; i++) {
		if (s[i] == '.' && !dot && digits) {
			dot = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return parse_error(s, len, "");
		scale += dot;
		digits++;
		/* keep scanning after an overflow: bad syntax is the better message */
		if (!too_big)
			v = v * 10 + (s[i] - '0');
		too_big = too_big || v > INT64_MAX;
	}
	if (!digits || (dot && !scale))
		return parse_error(s, len, "");
	if (scale > CRM_DEC_MAX_SCALE)
		return parse_error(s, len, ": more than 12 decimals");
	if (too_big)
		return crm_error_set(CRM_EOVERFLOW, "number '%.*s' is too large",
				     (int)len, s);
	out->units = (int64_t)(neg ? -v : v);
	out->scale = scale;
	return 0;
}

int crm_dec_format(char *buf, size_t size, crm_dec d)
{
	char digits[32];
	/* -(units + 1) + 1 is the magnitude even for INT64_MIN, without wrapping */
	uint64_t mag = d.units < 0 ? (uint64_t)-(d.units + 1) + 1 : (uint64_t)d.units;
	int n, w, scale = d.scale < 0 ? 0 : d.scale;

	/* zero-padded to at least one integer digit: 5 at scale 2 is "005" */
	n = snprintf(digits, sizeof(digits), "%0*" PRIu64, scale + 1, mag);
	w = snprintf(buf, size, "%s%.*s%s%s", d.units < 0 ? "-" : "", n - scale,
		     digits, scale ? "." : "", digits + n - scale);
	if (w < 0 || (size_t)w >= size)
		return crm_error_set(CRM_EOVERFLOW, "a buffer of %zu bytes is too small "
				     "for the number", size);
	return 0;
}

int crm_dec_format_trim(char *buf, size_t size, crm_dec d)
{
	return crm_dec_format(buf, size, crm_dec_normalize(d));
}

crm_dec crm_dec_from_int(int64_t v)
{
	crm_dec d = { v, 0 };
	return d;
}

static int add_signed(crm_dec *out, crm_dec a, crm_dec b, int sign, const char *op)
{
	int scale;
	wide v;

	if (check_scale(a.scale) || check_scale(b.scale))
		return CRM_EINVALID;
	scale = max_int(a.scale, b.scale);
	v = (wide)a.units * pow10w(scale - a.scale) +
	    sign * (wide)b.units * pow10w(scale - b.scale);
	return store(out, v, scale, op);
}

int crm_dec_add(crm_dec *out, crm_dec a, crm_dec b)
{
	return add_signed(out, a, b, 1, "sum");
}

int crm_dec_sub(crm_dec *out, crm_dec a, crm_dec b)
{
	return add_signed(out, a, b, -1, "difference");
}

/* The exact product a * b brought to `scale` digits with one rounding. */
static int mul_to_scale(crm_dec *out, crm_dec a, crm_dec b, int scale)
{
	wide p = (wide)a.units * b.units;
	int ps = a.scale + b.scale;

	if (ps > scale)
		return store(out, div_round(p, pow10w(ps - scale)), scale, "product");
	/* a product that does not fit already will not fit with more digits */
	if (!fits(p))
		return store(out, p, ps, "product");
	return store(out, p * pow10w(scale - ps), scale, "product");
}

int crm_dec_mul(crm_dec *out, crm_dec a, crm_dec b)
{
	int ps = a.scale + b.scale;

	if (check_scale(a.scale) || check_scale(b.scale))
		return CRM_EINVALID;
	return mul_to_scale(out, a, b, ps < CRM_DEC_MAX_SCALE ? ps : CRM_DEC_MAX_SCALE);
}

int crm_dec_mul_round(crm_dec *out, crm_dec a, crm_dec b, int scale)
{
	if (check_scale(a.scale) || check_scale(b.scale) || check_scale(scale))
		return CRM_EINVALID;
	return mul_to_scale(out, a, b, scale);
}

/* Long division |n| / d to `extra` more decimal digits, stopping as soon as
 * the quotient is past int64: further digits only make it larger. */
static bool long_divide(wide *q_out, wide *r_out, wide n, wide d, int extra)
{
	wide q = n / d, r = n % d;

	while (extra-- > 0 && q <= INT64_MAX) {
		r *= 10;
		q = q * 10 + r / d;
		r %= d;
	}
	*q_out = q;
	*r_out = r;
	return q <= INT64_MAX;
}

int crm_dec_div(crm_dec *out, crm_dec a, crm_dec b, int scale)
{
	/* units of the quotient = a.units * 10^e / b.units */
	int e = scale + b.scale - a.scale;
	wide d, q, r;
	bool neg;

	if (check_scale(a.scale) || check_scale(b.scale) || check_scale(scale))
		return CRM_EINVALID;
	if (b.units == 0)
		return crm_error_set(CRM_EINVALID, "division by zero");
	d = wabs(b.units) * pow10w(e < 0 ? -e : 0);
	if (!long_divide(&q, &r, wabs(a.units), d, e > 0 ? e : 0))
		return overflow("quotient");
	if (r >= d - r)
		q++;
	if (!fits(q))
		return overflow("quotient");
	neg = (a.units < 0) != (b.units < 0);
	out->units = (int64_t)(neg ? -q : q);
	out->scale = scale;
	return 0;
}

int crm_dec_round(crm_dec *out, crm_dec d, int scale)
{
	wide v;

	if (check_scale(d.scale) || check_scale(scale))
		return CRM_EINVALID;
	if (scale < d.scale) {
		v = div_round(d.units, pow10w(d.scale - scale));
	} else {
		v = (wide)d.units * pow10w(scale - d.scale);
		if (!fits(v))
			return crm_error_set(CRM_EOVERFLOW, "number too large for %d decimals",
					     scale);
	}
	out->units = (int64_t)v;
	out->scale = scale;
	return 0;
}

int crm_dec_cmp(crm_dec a, crm_dec b)
{
	int scale = max_int(a.scale, b.scale);
	wide x = (wide)a.units * pow10w(scale - a.scale);
	wide y = (wide)b.units * pow10w(scale - b.scale);

	return (x > y) - (x < y);
}

bool crm_dec_is_zero(crm_dec d)
{
	return d.units == 0;
}

crm_dec crm_dec_neg(crm_dec d)
{
	/* only crm_dec_from_int(INT64_MIN) can hold it; saturate, never trap */
	d.units = d.units == INT64_MIN ? INT64_MAX : -d.units;
	return d;
}

crm_dec crm_dec_normalize(crm_dec d)
{
	while (d.scale > 0 && d.units % 10 == 0) {
		d.units /= 10;
		d.scale--;
	}
	return d;
}
