/* The filter language of `crm ls` (and of every report's filters):
 *   amount>5000   stage=negotiation   stage>=proposal-sent (pipeline order)
 *   tag:seo       owner:alice         name~łódź (case-insensitive contains)
 *   created=2025-03 (a month)  closed=2025 (a year)
 *   expected_close=2025-01-01..2025-03-31 (a range, either end optional)
 *   -tag:seo or !stage=won (negation)   acme (free text in any text field)
 * Terms are ANDed.  Values compare by the field's type: money as money
 * (other currencies converted through crm.ini's rates), dates as dates,
 * stages by pipeline order, text case-insensitively. */
#ifndef CRM_FILTER_H
#define CRM_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "crm/index.h"
#include "crm/order.h"   /* sorting what a filter selects (crm ls --sort) */

struct crm_filter;

/* The details:
 *  - A term is [-|!]NAME OP VALUE, NAME matching [a-z_][a-z0-9_.]* and OP
 *    the longest of = == != > >= < <= ~ : at the first character after
 *    NAME.  Any other term is free text: it matches when the id or a
 *    text-like field as written (text, email, phone, url, enum, stage,
 *    user, ref, items of tags and refs) contains it, case-insensitively.
 *  - NAME:VALUE on tags, refs and files means the list holds VALUE; on
 *    other fields it is =.  tag:x is tags:x.  list.field (history.stage=won)
 *    matches when some entry of the list does.  created is the record's
 *    crm_record_created; outcome the outcome of its stage.
 *  - A month, a year or a range A..B is a period: = inside it, != outside,
 *    > after its end, >= from its start, < before its start, <= up to its
 *    end.  Ranges work for numbers, money and stages too; in "1000..5000
 *    USD" the bare end takes the other end's currency.
 *  - NULL as in SQL: a record whose value is absent, empty, does not parse
 *    or cannot be converted (no rate) matches no term on that field, !=
 *    included; only a negated term (-amount>0, -tag:seo) selects it. */

/* Parses the terms for records of schema `s`.  On a bad term returns
 * CRM_EUSAGE with a message that quotes the term and says what is wrong
 * ("unknown field 'amout' (did you mean 'amount'?)", "'abc' is not a
 * number for field 'amount'").  *out is heap-allocated; free with
 * crm_filter_free.  Zero terms give a filter that matches everything. */
int crm_filter_parse(struct crm_filter **out, struct crm_index *idx,
		     const struct crm_schema *s, const char *const *terms, size_t n);
bool crm_filter_match(const struct crm_filter *f, struct crm_index *idx,
		      struct crm_record *rec);
/* Whether `f` lets every record through: NULL, or no terms. */
bool crm_filter_is_empty(const struct crm_filter *f);
void crm_filter_free(struct crm_filter *f);

#endif
