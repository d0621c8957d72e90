/* An invoice as an e-mail (crm invoice send): the message (a text body in
 * the invoice's language, the PDF, the UBL XML when the buyer is on Peppol
 * or asked for) built from crm.ini [mail] and [org], and handed to the
 * transport [mail] names: an SMTP relay or a sendmail-compatible command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/index.h"
#include "crm/invoice_render.h"
#include "crm/node.h"
#include "crm/mailsend.h"
#include "crm/mime.h"

#define SENDMAIL_DEFAULT "sendmail -t -oi"
#define SMTP_TIMEOUT 60
#define MAX_ARGS 32

static const char *label(const struct crm_invoice_doc *d, enum crm_invoice_label key)
{
	const char *t = crm_invoice_label(d->lang, key);
	return t ? t : crm_invoice_label("en", key);
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* The buyer's address: the client's e-mail, else the first of its
 * contacts that has one. */
static const char *buyer_email(struct crm_index *idx, const struct crm_invoice_doc *d)
{
	struct crm_record **contacts;
	size_t n, i;

	if (nonempty(d->buyer.email))
		return d->buyer.email;
	contacts = crm_index_records(idx, "contact", &n);
	for (i = 0; d->buyer.id && i < n; i++) {
		const char *client, *email;
		crm_index_materialize(idx, contacts[i]);
		if (!contacts[i]->root)
			continue;
		client = crm_node_text(contacts[i]->root, "client");
		email = crm_node_text(contacts[i]->root, "email");
		if (client && !strcmp(client, d->buyer.id) && nonempty(email))
			return email;
	}
	return NULL;
}

/* {number}, {total}, {due_total}, {currency}, {due}, {client}, {seller}
 * of the invoice; anything else in braces is kept as written. */
static void expand(struct crm_buf *out, const char *tmpl, const struct crm_invoice_doc *d)
{
	char total[64], due_total[64];
	const char *p = tmpl;

	crm_invoice_doc_amount(total, sizeof(total), d, d->totals.tax_inclusive_total);
	crm_invoice_doc_amount(due_total, sizeof(due_total), d, d->totals.due_total);
	while (*p) {
		const struct { const char *name, *value; } vars[] = {
			{ "{number}", d->number }, { "{total}", total },
			{ "{due_total}", due_total }, { "{currency}", d->currency },
			{ "{due}", d->due_date ? d->due_date : "" },
			{ "{client}", d->buyer.name ? d->buyer.name : "" },
			{ "{seller}", d->seller.name ? d->seller.name : "" },
		};
		size_t i, n = sizeof(vars) / sizeof(*vars);
		for (i = 0; i < n; i++) {
			size_t len = strlen(vars[i].name);
			if (!strncmp(p, vars[i].name, len)) {
				crm_buf_adds(out, vars[i].value ? vars[i].value : "");
				p += len;
				break;
			}
		}
		if (i == n)
			crm_buf_addch(out, *p++);
	}
}

/* The body without a template: what the invoice is, its total, what is
 * due and by when, in the invoice's language. */
static void default_body(struct crm_buf *out, const struct crm_invoice_doc *d)
{
	char total[64], due[64];

	crm_invoice_doc_amount(total, sizeof(total), d, d->totals.tax_inclusive_total);
	crm_invoice_doc_amount(due, sizeof(due), d, d->totals.due_total);
	crm_buf_addf(out, "%s %s\n\n", crm_invoice_doc_title(d), d->number);
	crm_buf_addf(out, "%s: %s %s\n", label(d, CRM_L_TOTAL), total, d->currency);
	if (!d->credit_note)
		crm_buf_addf(out, "%s: %s %s\n", label(d, CRM_L_AMOUNT_DUE), due, d->currency);
	if (d->due_date && !d->credit_note)
		crm_buf_addf(out, "%s: %s\n", label(d, CRM_L_DUE_DATE), d->due_date);
	if (d->seller.name)
		crm_buf_addf(out, "\n%s\n", d->seller.name);
}

/* `text` with every line ended by CRLF, as a text/plain part carries it. */
static void to_crlf(struct crm_buf *out, const struct crm_buf *text)
{
	size_t i;
	for (i = 0; i < text->len; i++) {
		if (text->ptr[i] == '\n' && (!i || text->ptr[i - 1] != '\r'))
			crm_buf_addch(out, '\r');
		crm_buf_addch(out, text->ptr[i]);
	}
}

static int body_text(struct crm_buf *out, struct crm_index *idx,
		     const struct crm_invoice_doc *d)
{
	const struct crm_repo *repo = crm_index_repo(idx);
	const char *tmpl = crm_config_get(&repo->config, "mail", NULL, "template");
	struct crm_buf path = CRM_BUF_INIT, text = CRM_BUF_INIT, raw = CRM_BUF_INIT;
	int err = 0;

	if (nonempty(tmpl)) {
		crm_buf_addf(&path, "%s/%s", repo->root, tmpl);
		err = crm_buf_read_file(&text, tmpl[0] == '/' ? tmpl : path.ptr, 1 << 20);
		if (err)
			err = crm_error_set(CRM_EINVALID, "[mail] template '%s': %s", tmpl,
					    crm_error_last());
		else
			expand(&raw, text.ptr, d);
	} else {
		default_body(&raw, d);
	}
	if (!err)
		to_crlf(out, &raw);
	crm_buf_release(&path);
	crm_buf_release(&text);
	crm_buf_release(&raw);
	return err ? err : crm_buf_check(out);
}

static void subject(struct crm_buf *out, const struct crm_config *cfg,
		    const struct crm_invoice_doc *d)
{
	const char *tmpl = crm_config_get(cfg, "mail", NULL, "subject");

	if (nonempty(tmpl))
		expand(out, tmpl, d);
	else if (d->seller.name)
		crm_buf_addf(out, "%s %s - %s", crm_invoice_doc_title(d), d->number,
			     d->seller.name);
	else
		crm_buf_addf(out, "%s %s", crm_invoice_doc_title(d), d->number);
}

/* A file name for an attachment: the number with anything but letters,
 * digits, dot, dash and underscore made a dash. */
static void file_name(char *out, size_t size, const char *number, const char *ext)
{
	size_t i;
	snprintf(out, size, "%s.%s", number, ext);
	for (i = 0; out[i] && i + strlen(ext) + 1 < strlen(out); i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    out[i]))
			out[i] = '-';
}

static int headers(struct crm_buf *out, const struct crm_config *cfg,
		   const struct crm_invoice_doc *d, const char *from, const char *to, time_t now)
{
	struct crm_buf subj = CRM_BUF_INIT;
	const char *domain = strchr(from, '@') + 1;

	crm_buf_adds(out, "Date: ");
	crm_mime_date(out, now);
	crm_buf_adds(out, "\r\nFrom: ");
	crm_mime_mailbox(out, d->seller.name, from);
	crm_buf_adds(out, "\r\nTo: ");
	crm_mime_mailbox(out, d->buyer.name, to);
	subject(&subj, cfg, d);
	crm_buf_adds(out, "\r\nSubject: ");
	crm_mime_header_text(out, subj.ptr);
	crm_buf_addf(out, "\r\nMessage-ID: <%lld.%ld.crm@%s>\r\n", (long long)now, (long)getpid(),
		     domain);
	crm_buf_release(&subj);
	return crm_buf_check(out);
}

int crm_invoice_mail_build(struct crm_buf *out, struct crm_invoice_mail_addr *addr,
			   struct crm_index *idx, const struct crm_invoice_doc *d,
			   const char *to, bool ubl, time_t now)
{
	const struct crm_config *cfg = &crm_index_repo(idx)->config;
	const char *from = crm_config_get(cfg, "mail", NULL, "from");
	struct crm_buf body = CRM_BUF_INIT, pdf = CRM_BUF_INIT, xml = CRM_BUF_INIT;
	struct crm_buf boundary = CRM_BUF_INIT;
	struct crm_mime_part parts[3];
	char pdf_name[160], xml_name[160];
	size_t nparts = 0;
	int err = 0;

	if (!nonempty(from))
		from = cfg->org_email;
	if (!to)
		to = buyer_email(idx, d);
	if (!d->number)
		return crm_error_set(CRM_EINVALID, "invoice/%s is a draft: issue it before sending "
				     "it ('crm invoice issue %s')", d->id, d->id);
	if (!nonempty(from) || !crm_mime_address_ok(from))
		return crm_error_set(CRM_EINVALID, "no sender address: set [mail] from (or [org] "
				     "email) in crm.ini to an address such as billing@example.com%s%s%s",
				     nonempty(from) ? " (not '" : "", nonempty(from) ? from : "",
				     nonempty(from) ? "')" : "");
	if (!nonempty(to))
		return crm_error_set(CRM_EINVALID, "client/%s has no e-mail address (its 'email', or "
				     "a contact's): set one, or give --to ADDRESS",
				     d->buyer.id ? d->buyer.id : "?");
	if (!crm_mime_address_ok(to))
		return crm_error_set(CRM_EINVALID, "'%s' is not an e-mail address", to);
	snprintf(addr->from, sizeof(addr->from), "%s", from);
	snprintf(addr->to, sizeof(addr->to), "%s", to);
	addr->with_ubl = ubl || d->buyer.endpoint.scheme[0];
	err = body_text(&body, idx, d);
	if (!err)
		err = crm_invoice_render_pdf(&pdf, d);
	if (!err && addr->with_ubl)
		err = crm_invoice_export_ubl(&xml, d);
	if (err)
		goto done;
	file_name(pdf_name, sizeof(pdf_name), d->number, "pdf");
	file_name(xml_name, sizeof(xml_name), d->number, "xml");
	parts[nparts++] = (struct crm_mime_part){ "text/plain; charset=UTF-8", NULL, body.ptr,
						  body.len };
	parts[nparts++] = (struct crm_mime_part){ "application/pdf", pdf_name, pdf.ptr, pdf.len };
	if (addr->with_ubl)
		parts[nparts++] = (struct crm_mime_part){ "application/xml", xml_name, xml.ptr,
							  xml.len };
	/* "=_" never occurs in base64, so no part can contain the boundary */
	crm_buf_addf(&boundary, "=_crm_%lld_%ld", (long long)now, (long)getpid());
	err = headers(out, cfg, d, from, to, now);
	if (!err)
		err = crm_mime_multipart(out, boundary.ptr, parts, nparts);
done:
	crm_buf_release(&body);
	crm_buf_release(&pdf);
	crm_buf_release(&xml);
	crm_buf_release(&boundary);
	return err;
}

/* Splits `cmd` at blanks into at most MAX_ARGS words, in place. */
static size_t split_words(char **argv, char *cmd)
{
	size_t n = 0;
	char *p = cmd;

	while (*p && n < MAX_ARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	argv[n] = NULL;
	return n;
}

int crm_invoice_mail_send(const struct crm_config *cfg, const struct crm_invoice_mail_addr *addr,
			  const struct crm_buf *msg)
{
	const char *smtp = crm_config_get(cfg, "mail", NULL, "smtp");
	const char *sendmail = crm_config_get(cfg, "mail", NULL, "sendmail");
	const char *to[1] = { addr->to };
	char *argv[MAX_ARGS + 1], *cmd, *colon, host[256];
	int err;

	if (nonempty(smtp)) {
		snprintf(host, sizeof(host), "%s", smtp);
		colon = strrchr(host, ':');
		if (colon)
			*colon = '\0';
		return crm_mail_smtp(host, colon ? colon + 1 : "25", addr->from, to, 1, msg->ptr,
				     msg->len, SMTP_TIMEOUT);
	}
	cmd = strdup(nonempty(sendmail) ? sendmail : SENDMAIL_DEFAULT);
	if (!cmd)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!split_words(argv, cmd))
		err = crm_error_set(CRM_EINVALID, "[mail] sendmail names no command");
	else
		err = crm_mail_pipe(argv, msg->ptr, msg->len);
	free(cmd);
	return err;
}
