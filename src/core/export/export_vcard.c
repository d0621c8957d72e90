/* Contacts and vCards: a contact record as a card (FN and N from the name,
 * ORG from its client's name, EMAIL, TEL, NOTE, a stable UID) and a card
 * as the fields of a contact record, matching ORG to a client by name. */
#include <stdlib.h>
#include <string.h>

#include "crm/error.h"
#include "crm/utf8.h"
#include "crm/vcard.h"
#include "core/export/export_internal.h"

/* A stored or computed field as text, "" when empty */
static const char *field_text(struct crm_arena *a, struct crm_index *idx,
			      struct crm_record *rec, const char *name)
{
	const struct crm_field *f = crm_schema_field(rec->schema, name);
	struct crm_buf b = CRM_BUF_INIT;
	const char *res;

	if (!f)
		return NULL;
	crm_export_cell_text(&b, idx, rec, f);
	res = b.len ? crm_arena_strndup(a, b.ptr, b.len) : NULL;
	crm_buf_release(&b);
	return res;
}

/* "Anna Maria Nowak": family "Nowak", given "Anna Maria"; one word (or a
 * name in a script without spaces) is all family name */
static void split_name(struct crm_vcard *c, struct crm_arena *a, const char *name)
{
	const char *sp = strrchr(name, ' ');

	if (!sp) {
		c->n[CRM_VCARD_N_FAMILY] = name;
		return;
	}
	c->n[CRM_VCARD_N_FAMILY] = sp + 1;
	c->n[CRM_VCARD_N_GIVEN] = crm_arena_strndup(a, name, (size_t)(sp - name));
}

static int push_typed(void *arr_p, const char *type, const char *value)
{
	CRM_ARRAY(struct crm_vcard_typed) *arr = arr_p;
	struct crm_vcard_typed *t;

	if (!value)
		return 0;
	t = CRM_ARRAY_PUSH(*arr);
	if (!t)
		return CRM_ENOMEM;
	t->type = type;
	t->value = value;
	return 0;
}

static const char *client_name(struct crm_arena *a, struct crm_index *idx,
			       struct crm_record *rec)
{
	const char *id = field_text(a, idx, rec, "client");
	struct crm_record *client = id ? crm_index_find(idx, "client", id) : NULL;

	if (!client)
		return NULL;
	crm_index_materialize(idx, client);
	return field_text(a, idx, client, "name");
}

static int record_card(struct crm_vcard *c, struct crm_arena *a, struct crm_index *idx,
		       struct crm_record *rec)
{
	const char *name = field_text(a, idx, rec, "name"), *address;
	int err;

	memset(c, 0, sizeof(*c));
	c->fn = name ? name : rec->id;
	split_name(c, a, c->fn);
	c->org = client_name(a, idx, rec);
	c->title = field_text(a, idx, rec, "title");
	c->note = field_text(a, idx, rec, "notes");
	c->bday = field_text(a, idx, rec, "birthday");
	/* the same card on every export, so address books update it */
	c->uid = crm_arena_printf(a, "urn:crm:contact:%s", rec->id);
	err = push_typed(&c->emails, "work", field_text(a, idx, rec, "email"));
	if (!err)
		err = push_typed(&c->tels, "work,voice", field_text(a, idx, rec, "phone"));
	address = field_text(a, idx, rec, "address");
	if (!err && address) {
		struct crm_vcard_adr *adr = CRM_ARRAY_PUSH(c->adrs);
		if (!adr)
			return CRM_ENOMEM;
		adr->type = "work";
		adr->pobox = adr->ext = adr->locality = adr->region = adr->code = adr->country = "";
		adr->street = address;
	}
	return err;
}

struct vcard_state {
	struct crm_buf *out;
	int version;
};

static int vcard_row(struct crm_index *idx, struct crm_record *rec, void *payload)
{
	struct vcard_state *st = payload;
	struct crm_arena a = CRM_ARENA_INIT;
	struct crm_vcard c;
	int err = record_card(&c, &a, idx, rec);

	if (!err)
		err = crm_vcard_write(st->out, &c, st->version);
	CRM_ARRAY_RELEASE(c.tels);
	CRM_ARRAY_RELEASE(c.emails);
	CRM_ARRAY_RELEASE(c.adrs);
	crm_arena_release(&a);
	return err;
}

int crm_export_vcards(struct crm_buf *out, struct crm_index *idx, const struct crm_schema *s,
		      int version)
{
	struct vcard_state st = { out, version };
	return crm_export_each(idx, s, vcard_row, &st);
}

/* ---- cards into contacts ---- */

static bool has_type(const char *types, const char *want)
{
	size_t n = strlen(want);
	const char *p = types;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, want, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

/* The preferred entry, else the first; SIZE_MAX when there is none */
static size_t pick_main(const struct crm_vcard_typed *t, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (has_type(t[i].type, "pref"))
			return i;
	}
	return n ? 0 : (size_t)-1;
}

static void note_line(struct crm_buf *notes, const char *label, const char *type,
		      const char *value)
{
	if (notes->len)
		crm_buf_addch(notes, '\n');
	crm_buf_adds(notes, label);
	if (type && *type)
		crm_buf_addf(notes, " (%s)", type);
	crm_buf_addf(notes, ": %s", value);
}

static void others_to_notes(struct crm_buf *notes, const char *label,
			    const struct crm_vcard_typed *t, size_t n, size_t main)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (i != main)
			note_line(notes, label, t[i].type, t[i].value);
	}
}

static void adr_text(struct crm_buf *b, const struct crm_vcard_adr *a)
{
	const char *parts[7] = { a->pobox, a->ext, a->street, a->locality, a->region,
				 a->code, a->country };
	size_t i;

	for (i = 0; i < 7; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (b->len)
			crm_buf_adds(b, ", ");
		crm_buf_adds(b, parts[i]);
	}
}

/* The client whose name is `org`, compared case-folded */
static const char *match_client(struct crm_index *idx, const char *org)
{
	struct crm_buf want = CRM_BUF_INIT, have = CRM_BUF_INIT;
	struct crm_record **clients;
	const char *found = NULL;
	size_t n, i;

	crm_utf8_casefold(&want, org);
	clients = crm_index_list(idx, "client", &n);
	for (i = 0; i < n && !found; i++) {
		const char *name;
		crm_index_materialize(idx, clients[i]);
		name = clients[i]->root ? crm_node_text(clients[i]->root, "name") : NULL;
		crm_buf_reset(&have);
		if (name && !crm_utf8_casefold(&have, name) && !strcmp(have.ptr, want.ptr))
			found = clients[i]->id;
	}
	crm_buf_release(&want);
	crm_buf_release(&have);
	return found;
}

static void add_field(struct crm_contact_field *out, size_t *n, const char *name,
		      const char *value)
{
	if (!value || !*value || *n >= CRM_CONTACT_MAX_FIELDS)
		return;
	out[*n].name = name;
	out[*n].value = value;
	(*n)++;
}

/* FN, else N; a card with neither (Android exports cards that hold only
 * an email address) is named by its ORG, else by its main email address,
 * as Thunderbird names such a card, so it still makes a contact. */
static const char *card_name(struct crm_arena *a, const struct crm_vcard *c, size_t email)
{
	const char *given = c->n[CRM_VCARD_N_GIVEN], *family = c->n[CRM_VCARD_N_FAMILY];

	if (c->fn && *c->fn)
		return c->fn;
	if (given && *given && family && *family)
		return crm_arena_printf(a, "%s %s", given, family);
	if (given && *given)
		return given;
	if (family && *family)
		return family;
	if (c->org && *c->org)
		return c->org;
	return email != (size_t)-1 ? c->emails.ptr[email].value : NULL;
}

int crm_vcard_contact_fields(struct crm_contact_field *out, size_t *n_out,
			     struct crm_arena *arena, struct crm_index *idx,
			     const struct crm_vcard *c)
{
	const struct crm_schema *s = crm_repo_schema(crm_index_repo(idx), "contact");
	struct crm_buf notes = CRM_BUF_INIT, adr = CRM_BUF_INIT;
	size_t email = pick_main(c->emails.ptr, c->emails.len);
	size_t tel = pick_main(c->tels.ptr, c->tels.len), i;
	const char *client = c->org && *c->org ? match_client(idx, c->org) : NULL;
	bool has_address = s && crm_schema_field(s, "address");
	bool has_birthday = s && crm_schema_field(s, "birthday");

	*n_out = 0;
	add_field(out, n_out, "name", card_name(arena, c, email));
	add_field(out, n_out, "client", client);
	add_field(out, n_out, "title", c->title);
	add_field(out, n_out, "email", email != (size_t)-1 ? c->emails.ptr[email].value : NULL);
	add_field(out, n_out, "phone", tel != (size_t)-1 ? c->tels.ptr[tel].value : NULL);
	if (c->note)
		crm_buf_adds(&notes, c->note);
	if (c->org && *c->org && !client)
		note_line(&notes, "Organisation", NULL, c->org);
	others_to_notes(&notes, "Email", c->emails.ptr, c->emails.len, email);
	others_to_notes(&notes, "Phone", c->tels.ptr, c->tels.len, tel);
	for (i = 0; i < c->adrs.len; i++) {
		crm_buf_reset(&adr);
		adr_text(&adr, &c->adrs.ptr[i]);
		if (i == 0 && has_address)
			add_field(out, n_out, "address", crm_arena_strdup(arena, adr.ptr));
		else if (adr.len)
			note_line(&notes, "Address", c->adrs.ptr[i].type, adr.ptr);
	}
	if (c->bday && has_birthday)
		add_field(out, n_out, "birthday", c->bday);
	else if (c->bday)
		note_line(&notes, "Birthday", NULL, c->bday);
	add_field(out, n_out, "notes", crm_arena_strndup(arena, notes.ptr, notes.len));
	crm_buf_release(&notes);
	crm_buf_release(&adr);
	return 0;
}
