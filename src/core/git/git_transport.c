/* How crm sync reaches a remote: the system's git for fetch and push
 * (OpenSSH with the user's ~/.ssh/config and known_hosts, git's credential
 * helpers), else libgit2's clients, whose callbacks here find credentials
 * and check host keys against known_hosts (hashed entries, @revoked,
 * @cert-authority), and a compare-and-swap push to a local remote. */
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/child.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"
#include "core/git/git_transport.h"

static int try_key_file(git_credential **out, const char *user, const char *key)
{
	char pub[4096];
	FILE *f = fopen(key, "r");
	if (!f)
		return -1;
	fclose(f);
	snprintf(pub, sizeof(pub), "%s.pub", key);
	return git_credential_ssh_key_new(out, user, access(pub, R_OK) ? NULL : pub, key, NULL);
}

/* Asks git's credential helpers (`git credential fill`), as git itself
 * does for https: the helpers the user configured answer. */
static int helper_credentials(git_credential **out, const char *url, const char *user)
{
	char tmpl[] = "/tmp/crm-cred-XXXXXX", cmd[128], line[1024];
	char name[1024] = "", pass[1024] = "";
	FILE *f, *p;
	int fd, rc = -1;

	fd = mkstemp(tmpl);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmpl);
		return -1;
	}
	fprintf(f, "url=%s\n", url);
	if (user)
		fprintf(f, "username=%s\n", user);
	fputc('\n', f);
	fclose(f);
	/* never prompt on a terminal from inside crm: helpers only */
	snprintf(cmd, sizeof(cmd), "GIT_TERMINAL_PROMPT=0 git credential fill <%s 2>/dev/null", tmpl);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "username=", 9))
			snprintf(name, sizeof(name), "%s", line + 9);
		else if (!strncmp(line, "password=", 9))
			snprintf(pass, sizeof(pass), "%s", line + 9);
	}
	if (p && !pclose(p) && name[0] && pass[0])
		rc = git_credential_userpass_plaintext_new(out, name, pass);
	unlink(tmpl);
	memset(pass, 0, sizeof(pass));
	return rc;
}

static int credentials(git_credential **out, const char *url, const char *user_from_url,
		       unsigned int allowed, void *payload)
{
	struct cred_state *st = payload;
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	const char *user = user_from_url ? user_from_url : "git";
	const char *home = getenv("HOME"), *env_key = getenv("CRM_SSH_KEY");
	char path[4096];

	(void)url;
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		/* one try: a helper that answers wrongly would answer the same */
		if (st->attempt++ == 0 && !helper_credentials(out, url, user_from_url))
			return 0;
		git_error_set_str(GIT_ERROR_HTTP, "no credentials accepted; configure a git "
				  "credential helper (git config credential.helper ...)");
		return -1;
	}
	if (!(allowed & GIT_CREDENTIAL_SSH_KEY))
		return GIT_PASSTHROUGH;
	/* each call is one more try: agent, then the key files in turn */
	while (st->attempt < 5) {
		int a = st->attempt++;
		if (a == 0 && getenv("SSH_AUTH_SOCK"))
			return git_credential_ssh_key_from_agent(out, user);
		if (a == 1 && env_key && !try_key_file(out, user, env_key))
			return 0;
		if (a >= 2 && home) {
			snprintf(path, sizeof(path), "%s/.ssh/%s", home, keys[a - 2]);
			if (!try_key_file(out, user, path))
				return 0;
		}
	}
	git_error_set_str(GIT_ERROR_SSH, "no ssh credential was accepted (tried the agent, "
			  "$CRM_SSH_KEY and ~/.ssh/id_*)");
	return -1;
}

/* Decodes standard base64 into out; returns the length, or 0 on bad input. */
static size_t base64_decode(unsigned char *out, size_t cap, const char *in)
{
	static const char table[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0;

	for (; *in && *in != '='; in++) {
		const char *p = strchr(table, *in);
		if (!p || !*in)
			return 0;
		acc = (acc << 6) | (uint32_t)(p - table);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return 0;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n;
}

/* Does a known_hosts host field name `host` (on `port`)?  Hashed entries
 * (|1|...) are not matched: use plain ones, or the agent's ssh config. */
static bool host_matches(const char *field, size_t len, const char *host, int port)
{
	char want[300], item[300];
	const char *p = field, *end = field + len;

	if (port && port != 22)
		snprintf(want, sizeof(want), "[%s]:%d", host, port);
	else
		snprintf(want, sizeof(want), "%s", host);
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (!strcmp(item, want))
			return true;
		p += n + 1;
	}
	return false;
}

/* The ssh host key must be in ~/.ssh/known_hosts (or $CRM_KNOWN_HOSTS),
 * as OpenSSH would insist: an unknown key is refused with what to do. */
static int check_host_key(git_cert *cert, int valid, const char *host, void *payload)
{
	struct cred_state *st = payload;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;
	const char *env = getenv("CRM_KNOWN_HOSTS"), *home = getenv("HOME");
	unsigned char key[4096];
	char path[4096], line[8192];
	FILE *f;
	bool ok = false;

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2 || valid)
		return valid ? 0 : GIT_PASSTHROUGH;   /* libssh2 found it in known_hosts */
	if (!(hk->type & GIT_CERT_SSH_RAW))
		return GIT_PASSTHROUGH;
	snprintf(path, sizeof(path), "%s%s", env ? env : home ? home : "",
		 env ? "" : "/.ssh/known_hosts");
	f = fopen(path, "r");
	while (f && !ok && fgets(line, sizeof(line), f)) {
		char *sp1 = strchr(line, ' '), *sp2, *nl;
		size_t n;
		if (!sp1 || line[0] == '#' || !host_matches(line, (size_t)(sp1 - line), host,
							    st->port))
			continue;
		sp2 = strchr(sp1 + 1, ' ');
		if (!sp2)
			continue;
		nl = strpbrk(sp2 + 1, " \n");
		if (nl)
			*nl = '\0';
		n = base64_decode(key, sizeof(key), sp2 + 1);
		ok = n == hk->hostkey_len && !memcmp(key, hk->hostkey, n);
	}
	if (f)
		fclose(f);
	if (ok)
		return 0;
	git_error_set_str(GIT_ERROR_SSH, "the host key of this server is not in your "
			  "known_hosts; connect once with ssh to check and record it");
	return -1;
}

static int push_status(const char *refname, const char *status, void *data)
{
	struct crm_sync_result *r = ((struct cred_state *)data)->result;
	if (status)
		snprintf(r->message, sizeof(r->message), "%s: %s", refname, status);
	return 0;
}

/* A remote on this machine: a path or file://.  Anything else (ssh://,
 * user@host:path, https://) goes over the network. */
static bool local_url(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	if (!strncmp(url, "file://", 7))
		return true;
	if (strstr(url, "://"))
		return false;
	/* scp-like "host:path" has its colon before any slash, as git reads it */
	return !colon || (slash && slash < colon);
}

/* Whether to fetch and push with the system's git (which runs OpenSSH
 * with the user's ~/.ssh/config and known_hosts as they are, git's own
 * credential helpers and proxy settings, and moves a local remote's branch
 * only from the value it expects) or libgit2's built-in clients: git
 * whenever it is on PATH.  CRM_SYNC_TRANSPORT=git or =libgit2 forces one. */
int crm_transport_choose(bool *out, const char *url, struct crm_sync_result *r)
{
	const char *force = getenv("CRM_SYNC_TRANSPORT");
	bool have_git = crm_child_in_path("git");

	*out = false;
	if (force && *force && strcmp(force, "auto")) {
		if (!strcmp(force, "libgit2"))
			return 0;
		if (strcmp(force, "git"))
			return crm_error_set(CRM_EINVALID, "CRM_SYNC_TRANSPORT is '%s'; it takes git, "
					     "libgit2 or auto", force);
		if (!have_git)
			return crm_error_set(CRM_ENOTFOUND, "CRM_SYNC_TRANSPORT=git, but there is no "
					     "git on PATH");
		*out = true;
		return 0;
	}
	*out = have_git;
	if (!have_git && !local_url(url))
		snprintf(r->note, sizeof(r->note), "git is not on PATH, so crm talks to '%s' itself: "
			 "it reads known_hosts, but not ~/.ssh/config (install git for "
			 "that)", url);
	return 0;
}

/* ssh's words in git's message, and what to do about them. */
static const struct {
	const char *said, *advice;
} git_failures[] = {
	{ "REMOTE HOST IDENTIFICATION HAS CHANGED",
	  "the server's host key has CHANGED since it was recorded in known_hosts, which is "
	  "what an attacker in the middle would look like; sync nothing until the server's "
	  "administrator confirms the new key, then replace the old entry "
	  "('ssh-keygen -R HOST')" },
	{ "REVOKED HOST KEY",
	  "the server's host key is marked @revoked in known_hosts; sync nothing until the "
	  "server's administrator gives it a new key" },
	{ "Host key verification failed",
	  "the server's host key is not in your known_hosts; check its fingerprint with the "
	  "server's administrator and record it by connecting once with ssh "
	  "(or 'ssh-keyscan HOST >>~/.ssh/known_hosts' after checking)" },
	{ "Authentication failed",
	  "the server refused the user name and password; correct what your git credential "
	  "helper stores (git config credential.helper)" },
	{ "Permission denied",
	  "the server refused the login; check the user and key (IdentityFile in "
	  "~/.ssh/config, or ssh-add)" },
};

/* git's failure, with what to do when ssh's words in its message say. */
static int explain_git_failure(const char *doing, const char *remote_name, int status,
			       const struct crm_buf *said)
{
	size_t i;

	for (i = 0; i < sizeof(git_failures) / sizeof(*git_failures); i++) {
		if (strstr(said->ptr, git_failures[i].said))
			return crm_error_set(CRM_EIO, "cannot %s '%s': %s", doing, remote_name,
					     git_failures[i].advice);
	}
	return crm_error_set(CRM_EIO, "cannot %s '%s': git %s failed (exit status %d; its "
			     "message is above)", doing, remote_name, doing, status);
}

/* `git fetch` in the background: its few words on stderr wait in the pipe
 * until crm_transport_fetch_finish reads them. */
static int git_cli_fetch_start(struct fetch_run *f, git_repository *repo, const char *remote_name)
{
	const char *argv[] = { "git", "--git-dir", git_repository_path(repo), "fetch", "--quiet",
			       "--", remote_name, NULL };
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	int err;

	o.err_copy = &f->said;
	err = crm_child_start(&f->child, argv, &o);
	f->running = !err;
	return err;
}

static int git_cli_fetch_finish(struct fetch_run *f, const char *remote_name, bool quiet)
{
	int status, err;

	f->running = false;
	f->child.opts.quiet_err = quiet;
	err = crm_child_finish(&status, &f->child);
	if (!err && status)
		err = explain_git_failure("fetch", remote_name, status, &f->said);
	crm_buf_release(&f->said);
	return err;
}

/* Whether a refusal in `git push --porcelain` (its "!" line) means the
 * remote moved while we merged: another writer got there first. */
static bool raced(const char *reason)
{
	static const char *const moved[] = { "fetch first", "non-fast-forward", "stale info",
					     "failed to lock", "failed to update ref",
					     "cannot lock ref", "incorrect old value" };
	size_t i;

	for (i = 0; i < sizeof(moved) / sizeof(*moved); i++)
		if (strstr(reason, moved[i]))
			return true;
	return false;
}

static int git_cli_push(enum push_outcome *out, git_repository *repo, const char *remote_name,
			const char *spec, struct crm_sync_result *r)
{
	/* --no-verify: crm runs no hooks (README, Security), whichever client
	 * carries the push */
	const char *argv[] = { "git", "--git-dir", git_repository_path(repo), "push", "--porcelain",
			       "--quiet", "--no-verify", "--", remote_name, spec, NULL };
	struct crm_buf said = CRM_BUF_INIT, report = CRM_BUF_INIT;
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	const char *bang;
	int status, err;

	o.out = &report;
	o.err_copy = &said;
	o.quiet_err = true;   /* git's advice to pull first is ours to follow */
	*out = PUSH_REFUSED;
	err = crm_child_run(&status, argv, &o);
	/* the refused ref's line: "!<TAB>from:to<TAB>[rejected] (reason)" */
	bang = report.ptr[0] == '!' ? report.ptr : strstr(report.ptr, "\n!\t");
	if (bang && *bang == '\n')
		bang++;
	if (err)
		goto done;
	if (!status && !bang) {
		*out = PUSHED;
		goto done;
	}
	if (bang) {
		const char *reason = strchr(bang + 2, '\t');
		size_t n = reason ? strcspn(reason + 1, "\n") : 0;
		snprintf(r->message, sizeof(r->message), "%.*s", (int)n, reason ? reason + 1 : "");
		*out = raced(r->message) ? PUSH_RACED : PUSH_REFUSED;
	}
	if (*out == PUSH_REFUSED) {
		fputs(said.ptr, stderr);
		err = bang ? crm_error_set(CRM_ECONFLICT, "the remote refused the push (%s)",
					   r->message)
			   : explain_git_failure("push", remote_name, status, &said);
	}
done:
	crm_buf_release(&said);
	crm_buf_release(&report);
	return err;
}

static void libgit2_callbacks(git_remote_callbacks *cb, struct cred_state *cs)
{
	cb->certificate_check = check_host_key;
	cb->credentials = credentials;
	cb->payload = cs;
	cs->attempt = 0;
}

/* Whether a fetch failed only because another writer's parked ref
 * (libgit2_push_local) went away between the listing of the remote's refs
 * and their reading: libgit2's local transport reads every ref it lists. */
static bool lost_parked_ref(void)
{
	const git_error *e = git_error_last();
	return e && e->message && strstr(e->message, "refs/crm-sync/");
}

static int libgit2_fetch(git_remote *remote, struct cred_state *cs)
{
	git_fetch_options fo;
	int tries = 0, rc;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	do {
		libgit2_callbacks(&fo.callbacks, cs);
		rc = git_remote_fetch(remote, NULL, &fo, "crm sync: fetch");
	} while (rc < 0 && lost_parked_ref() && ++tries < 5);
	if (rc < 0)
		return git_fail(CRM_EIO, "cannot fetch");
	return 0;
}

static int libgit2_push(enum push_outcome *out, git_remote *remote, char *spec,
			struct cred_state *cs)
{
	git_push_options po;
	git_strarray refspecs = { &spec, 1 };
	int tries = 0, rc;

	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	/* the remote's refs are listed first: a writer that deletes its
	 * parked ref meanwhile fails the listing, as for a fetch */
	do {
		libgit2_callbacks(&po.callbacks, cs);
		po.callbacks.push_update_reference = push_status;
		cs->result->message[0] = '\0';
		rc = git_remote_push(remote, &refspecs, &po);
	} while (rc < 0 && lost_parked_ref() && ++tries < 5);
	*out = PUSHED;
	if (rc == GIT_ENONFASTFORWARD || rc == GIT_ELOCKED || rc == GIT_EMODIFIED) {
		snprintf(cs->result->message, sizeof(cs->result->message), "%s",
			 git_error_last() ? git_error_last()->message : "non-fast-forward");
		*out = PUSH_RACED;
		return 0;
	}
	if (rc < 0) {
		*out = PUSH_REFUSED;
		return git_fail(CRM_EIO, "cannot push");
	}
	if (cs->result->message[0])
		*out = PUSH_RACED;   /* the local transport's failed update of the ref */
	return 0;
}

/* The folder of a local remote's repository, from its URL. */
static int open_local_remote(git_repository **out, const char *url)
{
	const char *path = !strncmp(url, "file://", 7) ? url + 7 : url;

	if (git_repository_open(out, path) < 0)
		return git_fail(CRM_EIO, "cannot open the remote repository");
	return 0;
}

/* A push to a repository on this machine without git.  libgit2's local
 * transport moves the remote's branch without checking that it is still
 * where it was (a forced update), so of two writers at once one would
 * lose the other's commits.  So the objects go up under a name of our own
 * (refs/crm-sync/<pid>), and the branch is then moved from the commit we
 * merged to ours, compare-and-swap, by git's lock-file protocol. */
static int libgit2_push_local(enum push_outcome *out, git_repository *repo, git_remote *remote,
			      const struct sync_target *t, struct cred_state *cs)
{
	git_repository *far = NULL;
	git_reference *moved = NULL, *parked = NULL;
	git_oid ours, seen;
	char spec[700], park[64];
	bool had_branch = !git_reference_name_to_id(&seen, repo, t->tracking);
	int rc, err;

	git_error_clear();
	snprintf(park, sizeof(park), "refs/crm-sync/%ld", (long)getpid());
	snprintf(spec, sizeof(spec), "+refs/heads/%s:%s", t->branch, park);
	err = libgit2_push(out, remote, spec, cs);
	if (err || *out != PUSHED)
		return err;
	if (git_reference_name_to_id(&ours, repo, "HEAD") < 0)
		return git_fail(CRM_EIO, "cannot read HEAD");
	err = open_local_remote(&far, git_remote_url(remote));
	if (err)
		return err;
	rc = had_branch ? git_reference_create_matching(&moved, far, t->remote_ref, &ours, 1, &seen,
							"crm sync: push")
			: git_reference_create(&moved, far, t->remote_ref, &ours, 0, "crm sync: push");
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ELOCKED) {
		snprintf(cs->result->message, sizeof(cs->result->message), "%s moved meanwhile",
			 t->remote_ref);
		*out = PUSH_RACED;
	} else if (rc < 0) {
		err = git_fail(CRM_EIO, "cannot push");
		*out = PUSH_REFUSED;
	} else {
		git_reference_free(moved);
		moved = NULL;
		if (git_reference_create(&moved, repo, t->tracking, &ours, 1, "crm sync: push") < 0)
			err = git_fail(CRM_EIO, "cannot update the remote-tracking branch");
	}
	if (!git_reference_lookup(&parked, far, park))
		git_reference_delete(parked);
	git_error_clear();
	git_reference_free(parked);
	git_reference_free(moved);
	git_repository_free(far);
	return err;
}

int crm_transport_fetch_start(struct fetch_run *f, git_repository *repo, const char *remote_name,
			      bool system_git)
{
	memset(f, 0, sizeof(*f));
	return system_git ? git_cli_fetch_start(f, repo, remote_name) : 0;
}

int crm_transport_fetch_finish(struct fetch_run *f, git_remote *remote, const char *remote_name,
			       bool system_git, struct cred_state *cs)
{
	if (system_git)
		return git_cli_fetch_finish(f, remote_name, false);
	return libgit2_fetch(remote, cs);
}

void crm_transport_fetch_abandon(struct fetch_run *f, const char *remote_name)
{
	if (f->running && git_cli_fetch_finish(f, remote_name, true))
		crm_error_clear();
}

int crm_transport_push(enum push_outcome *out, git_repository *repo, git_remote *remote,
		       const char *remote_name, bool system_git, const struct sync_target *t,
		       struct cred_state *cs)
{
	char spec[700];

	snprintf(spec, sizeof(spec), "refs/heads/%s:%s", t->branch, t->remote_ref);
	if (system_git)
		return git_cli_push(out, repo, remote_name, spec, cs->result);
	if (local_url(git_remote_url(remote)))
		return libgit2_push_local(out, repo, remote, t, cs);
	return libgit2_push(out, remote, spec, cs);
}
