/* vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350): a parser that reads what
 * address books and old phones export (folded lines, escapes, TYPE
 * parameters in every spelling, 2.1's QUOTED-PRINTABLE and CHARSET) into
 * cards, and a writer of cards as 3.0 or 4.0.  No CRM words here: mapping
 * cards to contact records is export_vcard.c's job. */
#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include <stddef.h>

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"

/* A TEL or EMAIL: its TYPE parameters lowercased and comma-joined ("work,
 * voice"; "" when none), "pref" included when the card marks it
 * preferred (TYPE=pref, PREF=1, 2.1's bare PREF). */
struct crm_vcard_typed {
	const char *type;
	const char *value;
};

/* ADR: the seven components of RFC 6350 6.3.1, each "" when empty. */
struct crm_vcard_adr {
	const char *type;
	const char *pobox, *ext, *street, *locality, *region, *code, *country;
};

enum { CRM_VCARD_N_FAMILY, CRM_VCARD_N_GIVEN, CRM_VCARD_N_ADDITIONAL,
       CRM_VCARD_N_PREFIX, CRM_VCARD_N_SUFFIX, CRM_VCARD_N__COUNT };

/* One card; every text is UTF-8, unescaped, NULL when absent. */
struct crm_vcard {
	const char *fn;
	const char *n[CRM_VCARD_N__COUNT];
	const char *org;          /* ORG's first component: the organisation */
	const char *title;
	const char *note;
	const char *bday;         /* YYYY-MM-DD when the card gave a full date,
				     else as written ("--0402") */
	const char *uid;
	CRM_ARRAY(struct crm_vcard_typed) tels;
	CRM_ARRAY(struct crm_vcard_typed) emails;
	CRM_ARRAY(struct crm_vcard_adr) adrs;
};

struct crm_vcards {
	struct crm_arena arena;   /* every text of every card */
	CRM_ARRAY(struct crm_vcard) cards;
};

void crm_vcards_init(struct crm_vcards *v);
void crm_vcards_release(struct crm_vcards *v);

/* Parses every BEGIN:VCARD..END:VCARD of data[0..len) into v->cards
 * (appending).  Unknown properties are skipped; text in a CHARSET other
 * than UTF-8, or not valid UTF-8 at all, is read as ISO-8859-1 (what old
 * phones wrote).  CRM_EINVALID with "line N: ..." for a card that is not
 * closed or a line without a colon; CRM_ENOMEM. */
int crm_vcard_parse(struct crm_vcards *v, const char *data, size_t len);

/* Appends `c` as a vCard of `version` 3 or 4: CRLF line ends, lines
 * folded at 75 octets between UTF-8 characters, values escaped. */
int crm_vcard_write(struct crm_buf *out, const struct crm_vcard *c, int version);

#endif
