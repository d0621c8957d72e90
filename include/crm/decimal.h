/* Exact decimal numbers: value = units / 10^scale, with overflow-checked
 * arithmetic and rounding half away from zero.  No binary floating point is
 * used anywhere on the path from text to total. */
#ifndef CRM_DECIMAL_H
#define CRM_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRM_DEC_MAX_SCALE 12

/* Values stay within -INT64_MAX .. INT64_MAX units: arithmetic reports
 * CRM_EOVERFLOW rather than produce INT64_MIN, so negation is always safe.
 * When an exact result only fits with fewer trailing zeros, add, sub, mul and
 * mul_round return it at a smaller scale. */
typedef struct crm_dec {
	int64_t units;
	int scale;      /* 0 .. CRM_DEC_MAX_SCALE */
} crm_dec;

/* Parses "12", "-3.5", "+0.0125", "1000000.00".  No exponent, no grouping,
 * no spaces.  Returns 0, CRM_EINVALID or CRM_EOVERFLOW. */
int crm_dec_parse(crm_dec *out, const char *s, size_t len);
/* Writes the number with exactly its scale's digits ("3.50"). */
int crm_dec_format(char *buf, size_t size, crm_dec d);
/* Writes the number without trailing fractional zeros ("3.5", "12"). */
int crm_dec_format_trim(char *buf, size_t size, crm_dec d);

crm_dec crm_dec_from_int(int64_t v);
/* Each returns 0 or CRM_EOVERFLOW (message set); *out untouched on error. */
int crm_dec_add(crm_dec *out, crm_dec a, crm_dec b);
int crm_dec_sub(crm_dec *out, crm_dec a, crm_dec b);
/* Exact product; when the scale would exceed CRM_DEC_MAX_SCALE the result
 * is rounded (half away from zero) to CRM_DEC_MAX_SCALE. */
int crm_dec_mul(crm_dec *out, crm_dec a, crm_dec b);
/* The exact product rounded once, half away from zero, to `scale` digits
 * (0 .. CRM_DEC_MAX_SCALE): quantity x price or amount x rate without the
 * double rounding that crm_dec_mul followed by crm_dec_round could give. */
int crm_dec_mul_round(crm_dec *out, crm_dec a, crm_dec b, int scale);
/* Quotient rounded half away from zero to `scale` digits; CRM_EINVALID on
 * division by zero. */
int crm_dec_div(crm_dec *out, crm_dec a, crm_dec b, int scale);
/* Rounds half away from zero to `scale` digits (scale may be larger than
 * d.scale, which just rescales; CRM_EOVERFLOW when that does not fit). */
int crm_dec_round(crm_dec *out, crm_dec d, int scale);
/* -1, 0 or 1; exact for any two scales. */
int crm_dec_cmp(crm_dec a, crm_dec b);
bool crm_dec_is_zero(crm_dec d);
crm_dec crm_dec_neg(crm_dec d);
/* Removes trailing fractional zeros. */
crm_dec crm_dec_normalize(crm_dec d);

#endif
