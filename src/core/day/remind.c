/* crm remind: the reminders of the agenda that came due and that this
 * clone has not fired yet, delivered through crm.ini [remind] channels
 * (stdout, notify-send, e-mail through the [mail] transport, a hook
 * command with the reminder as JSON on stdin).  What fired is kept in
 * <git dir>/crm/remind-state, keyed by kind, record and instant, so a
 * sync never fires anything twice. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "crm/child.h"
#include "crm/config.h"
#include "crm/day.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/invoice_render.h"
#include "crm/json.h"
#include "crm/lockfile.h"
#include "crm/map.h"
#include "crm/mime.h"
#include "core/day/day_internal.h"

#define STATE_MAX ((size_t)64 << 20)
#define LOCK_TIMEOUT_MS 10000
#define STATE_HEADER "# crm remind: the reminders fired in this clone (kind record instant)\n"

struct run {
	struct crm_index *idx;
	const struct crm_config *cfg;
	const struct crm_remind_options *opts;
	struct crm_agenda agenda;
	struct crm_map fired;       /* keys of the state file */
	struct crm_buf state;       /* its text, new lines appended */
	unsigned channels;
	bool notify_noted;
	struct crm_remind_result *result;
};

int crm_remind_state_path(char **out, struct crm_index *idx)
{
	struct crm_git *g = NULL;
	struct crm_buf path = CRM_BUF_INIT;
	int err = crm_git_open(&g, crm_index_repo(idx)->root);

	*out = NULL;
	if (!err) {
		crm_buf_addf(&path, "%scrm", crm_git_gitdir(g));
		if (mkdir(path.ptr, 0777) && errno != EEXIST)
			err = crm_error_errno(CRM_EIO, "cannot create '%s'", path.ptr);
		crm_buf_adds(&path, "/remind-state");
		if (!err)
			err = crm_buf_check(&path);
	}
	if (!err)
		*out = crm_buf_detach(&path, NULL);
	crm_buf_release(&path);
	crm_git_free(g);
	return err;
}

/* ---- channels ---- */

static int parse_channels(unsigned *out, const struct crm_config *cfg)
{
	static const char *const names[] = { "stdout", "notify", "mail", "hook" };
	const char *p = crm_config_get(cfg, "remind", NULL, "channels");
	size_t n, i;

	*out = 0;
	if (!p) {
		*out = CRM_REMIND_STDOUT;
		return 0;
	}
	while (*p) {
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (!n)
			break;
		for (i = 0; i < 4; i++) {
			if (strlen(names[i]) == n && !strncmp(p, names[i], n))
				break;
		}
		if (i == 4)
			return crm_error_set(CRM_EINVALID, "crm.ini: [remind] channels: unknown "
					     "channel '%.*s' (stdout, notify, mail, hook)", (int)n, p);
		*out |= 1u << i;
		p += n;
	}
	return 0;
}

static void when_text(char *buf, size_t size, const struct crm_config *cfg,
		      const struct crm_agenda_item *it)
{
	char date[16], time[8];

	crm_date_format(date, sizeof(date), it->date);
	if (it->has_time) {
		crm_agenda_time(time, sizeof(time), cfg, it->at);
		snprintf(buf, size, "%s %s", date, time);
	} else {
		snprintf(buf, size, "%s", date);
	}
}

static void headline(struct crm_buf *out, struct run *r, const struct crm_agenda_item *it)
{
	char when[32];

	when_text(when, sizeof(when), r->cfg, it);
	crm_buf_addf(out, "%s %s: ", when, crm_agenda_kind_name(it->kind));
	crm_agenda_one_line(out, it->text);
	crm_buf_addf(out, " [%s]", it->ref);
}

static int deliver_stdout(struct run *r, const struct crm_agenda_item *it)
{
	struct crm_buf line = CRM_BUF_INIT;
	int err;

	headline(&line, r, it);
	crm_buf_addch(&line, '\n');
	err = crm_buf_check(&line);
	if (!err && fwrite(line.ptr, 1, line.len, r->opts->out) != line.len)
		err = crm_error_set(CRM_EIO, "cannot write to standard output");
	crm_buf_release(&line);
	return err;
}

/* notify-send takes its text as arguments: run without a shell, after
 * "--" so that no text is read as an option. */
static int deliver_notify(struct run *r, const struct crm_agenda_item *it)
{
	struct crm_buf title = CRM_BUF_INIT, body = CRM_BUF_INIT;
	const char *argv[6];
	char when[32];
	int status = 0, err;

	if (!crm_child_in_path("notify-send")) {
		if (!r->notify_noted)
			fprintf(r->opts->err, "crm remind: notify-send is not installed; "
				"desktop notifications skipped\n");
		r->notify_noted = true;
		return 0;
	}
	when_text(when, sizeof(when), r->cfg, it);
	crm_buf_addf(&title, "crm %s, %s", crm_agenda_kind_name(it->kind), when);
	crm_agenda_one_line(&body, it->text);
	crm_buf_addf(&body, " [%s]", it->ref);
	argv[0] = "notify-send";
	argv[1] = "--app-name=crm";
	argv[2] = "--";
	argv[3] = title.ptr;
	argv[4] = body.ptr;
	argv[5] = NULL;
	err = crm_buf_check(&body);
	if (!err)
		err = crm_child_run(&status, argv, NULL);
	if (!err && status)
		err = crm_error_set(CRM_EIO, "notify-send exited with status %d", status);
	crm_buf_release(&title);
	crm_buf_release(&body);
	return err;
}

static const char *mail_recipient(struct run *r, const struct crm_agenda_item *it)
{
	const char *to = crm_config_get(r->cfg, "remind", NULL, "mail_to");
	const struct crm_user *u;

	if (to && *to)
		return to;
	u = it->user ? crm_config_user(r->cfg, it->user) : NULL;
	return u && u->email && *u->email ? u->email : NULL;
}

/* The Subject header's text: printable ASCII folded before a space so
 * that no line passes 78 characters (RFC 5322 2.1.1); other text goes as
 * encoded-words, which crm_mime_header_text folds itself. */
static void subject_header(struct crm_buf *msg, const char *text)
{
	size_t col = strlen("Subject: "), n;
	const char *p;

	crm_buf_adds(msg, "Subject: ");
	for (p = text; *p; p++) {
		if ((unsigned char)*p >= 0x7f) {
			crm_mime_header_text(msg, text);
			return;
		}
	}
	for (p = text; *p; p += n) {
		n = strcspn(p + 1, " ") + 1;
		if (*p == ' ' && col + n > 78) {
			crm_buf_adds(msg, "\r\n");
			col = 0;
		}
		crm_buf_add(msg, p, n);
		col += n;
	}
}

static int mail_message(struct crm_buf *msg, struct run *r, const struct crm_agenda_item *it,
			const char *from, const char *to)
{
	struct crm_buf subject = CRM_BUF_INIT, body = CRM_BUF_INIT;
	int64_t now = r->agenda.now;

	crm_buf_adds(&subject, "crm reminder: ");
	crm_agenda_one_line(&subject, it->text);
	headline(&body, r, it);
	crm_buf_adds(&body, "\r\n\r\n-- \r\ncrm remind\r\n");
	crm_buf_adds(msg, "Date: ");
	crm_mime_date(msg, (time_t)now);
	crm_buf_adds(msg, "\r\nFrom: ");
	crm_mime_mailbox(msg, r->cfg->org_name, from);
	crm_buf_adds(msg, "\r\nTo: ");
	crm_mime_mailbox(msg, NULL, to);
	crm_buf_adds(msg, "\r\n");
	subject_header(msg, subject.ptr);
	crm_buf_addf(msg, "\r\nMessage-ID: <remind.%lld.%zu.crm@%s>\r\n", (long long)now,
		     r->result->fired, strchr(from, '@') + 1);
	crm_buf_adds(msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: base64\r\n\r\n");
	crm_mime_base64(msg, body.ptr, body.len);
	crm_buf_release(&subject);
	crm_buf_release(&body);
	return crm_buf_check(msg);
}

/* Through the transport `crm invoice send` uses (crm.ini [mail]). */
static int deliver_mail(struct run *r, const struct crm_agenda_item *it)
{
	const char *from = crm_config_get(r->cfg, "mail", NULL, "from");
	const char *to = mail_recipient(r, it);
	struct crm_invoice_mail_addr addr;
	struct crm_buf msg = CRM_BUF_INIT;
	int err;

	if (!from || !*from)
		from = r->cfg->org_email;
	if (!from || !crm_mime_address_ok(from))
		return crm_error_set(CRM_EINVALID, "mail: no sender address: set [mail] from "
				     "(or [org] email) in crm.ini");
	if (!to || !crm_mime_address_ok(to))
		return crm_error_set(CRM_EINVALID, "mail: no address for %s: set [remind] mail_to "
				     "or the user's email in [user \"%s\"]", it->ref,
				     it->user ? it->user : "NAME");
	memset(&addr, 0, sizeof(addr));
	snprintf(addr.from, sizeof(addr.from), "%s", from);
	snprintf(addr.to, sizeof(addr.to), "%s", to);
	err = mail_message(&msg, r, it, from, to);
	if (!err)
		err = crm_invoice_mail_send(r->cfg, &addr, &msg);
	crm_buf_release(&msg);
	return err;
}

/* The hook command runs through /bin/sh as written in crm.ini (the
 * user's own command); the reminder reaches it only on stdin. */
static int deliver_hook(struct run *r, const struct crm_agenda_item *it)
{
	const char *hook = crm_config_get(r->cfg, "remind", NULL, "hook");
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	struct crm_buf json = CRM_BUF_INIT;
	struct crm_json j;
	const char *argv[4];
	int status = 0, err;

	if (!hook || !*hook)
		return crm_error_set(CRM_EINVALID, "hook: [remind] hook names no command");
	crm_json_init(&j, &json);
	err = crm_agenda_item_json(&j, &r->agenda, it, r->cfg, false);
	if (!err)
		err = crm_buf_addch(&json, '\n');
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = hook;
	argv[3] = NULL;
	o.in = json.ptr;
	o.in_len = json.len;
	/* the hook's output is the user's, not part of ours */
	o.out = NULL;
	if (!err)
		err = crm_child_run(&status, argv, &o);
	if (!err && status)
		err = crm_error_set(CRM_EIO, "hook: '%s' exited with status %d", hook, status);
	crm_buf_release(&json);
	return err;
}

/* Every configured channel; true when at least one took it. */
static bool deliver(struct run *r, const struct crm_agenda_item *it)
{
	static int (*const fns[])(struct run *, const struct crm_agenda_item *) = {
		deliver_stdout, deliver_notify, deliver_mail, deliver_hook
	};
	bool any = false;
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!(r->channels & (1u << i)))
			continue;
		if (fns[i](r, it)) {
			fprintf(r->opts->err, "crm remind: %s: %s\n", it->ref, crm_error_last());
			r->result->failed++;
		} else {
			any = true;
		}
	}
	return any;
}

/* ---- the state file ---- */

static char *item_key(struct run *r, const struct crm_agenda_item *it)
{
	char at[32];

	day_format_instant(at, sizeof(at), it->at);
	return crm_arena_printf(&r->agenda.arena, "%s %s %s", crm_agenda_kind_name(it->kind),
				it->ref, at);
}

/* Reads the keys of every "fired KEY" line. */
static int load_state(struct run *r)
{
	char *line, *nl;
	int err = crm_buf_read_file(&r->state, r->opts->state_path, STATE_MAX);

	if (err == CRM_ENOTFOUND) {
		crm_error_clear();
		return crm_buf_adds(&r->state, STATE_HEADER);
	}
	if (err)
		return err;
	for (line = r->state.ptr; *line; line = nl + 1) {
		char *key;
		nl = strchr(line, '\n');
		if (!nl)
			break;
		if (strncmp(line, "fired ", 6))
			continue;
		key = crm_arena_strndup(&r->agenda.arena, line + 6, (size_t)(nl - line - 6));
		if (!key || crm_map_put(&r->fired, key, key, NULL))
			return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	return 0;
}

static int fire_due(struct run *r)
{
	size_t i;

	for (i = 0; i < r->agenda.items.len; i++) {
		const struct crm_agenda_item *it = &r->agenda.items.ptr[i];
		char *key;

		if (!it->reminder || it->at > r->agenda.now)
			continue;
		key = item_key(r, it);
		if (!key)
			return crm_error_set(CRM_ENOMEM, "out of memory");
		if (crm_map_get(&r->fired, key))
			continue;
		if (r->opts->dry_run) {
			deliver_stdout(r, it);
			r->result->fired++;
			continue;
		}
		if (!deliver(r, it))
			continue;   /* not recorded: the next run tries again */
		r->result->fired++;
		if (crm_map_put(&r->fired, key, key, NULL) ||
		    crm_buf_addf(&r->state, "fired %s\n", key))
			return crm_error_set(CRM_ENOMEM, "out of memory");
	}
	return 0;
}

int crm_remind_run(struct crm_remind_result *out, struct crm_index *idx,
		   const struct crm_remind_options *opts)
{
	struct crm_agenda_options ao = CRM_AGENDA_OPTIONS_INIT;
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;
	struct run r;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	crm_buf_init(&r.state);
	r.idx = idx;
	r.cfg = &crm_index_repo(idx)->config;
	r.opts = opts;
	r.result = out;
	ao.user = opts->user;
	ao.days = 1;
	ao.every_reminder = true;
	err = parse_channels(&r.channels, r.cfg);
	/* held from reading the state to writing it: two runs at once (cron
	 * and a hand) never fire one reminder twice */
	if (!err && !opts->dry_run)
		err = crm_lockfile_acquire(&lk, opts->state_path, LOCK_TIMEOUT_MS);
	if (!err)
		err = crm_agenda_build(&r.agenda, idx, &ao);
	if (!err)
		err = load_state(&r);
	if (!err)
		err = fire_due(&r);
	if (!err && !opts->dry_run) {
		err = crm_lockfile_write(&lk, r.state.ptr, r.state.len);
		if (!err)
			err = crm_lockfile_commit(&lk);
	}
	crm_lockfile_rollback(&lk);
	crm_agenda_release(&r.agenda);
	crm_map_release(&r.fired);
	crm_buf_release(&r.state);
	return err;
}
