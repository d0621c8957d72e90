/* crm sync: fetch, merge with the upstream branch (record files merged
 * field by field through a merge driver), push; the transport callbacks
 * ask for credentials (ssh keys, git's credential helper) and check hosts
 * against known_hosts. */
#include <git2.h>
#include <git2/sys/merge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/git.h"
#include "core/git/git_internal.h"

/* ---- sync: fetch, merge, push ---- */

typedef int (*record_merge_fn)(struct crm_buf *out, size_t *conflicts, const char *base,
			       size_t base_len, const char *ours, size_t ours_len,
			       const char *theirs, size_t theirs_len);

static record_merge_fn record_merge;
static size_t merge_conflicts;

static int read_entry(git_repository *repo, const git_index_entry *e, git_blob **out)
{
	*out = NULL;
	return e ? git_blob_lookup(out, repo, &e->id) : 0;
}

static int driver_apply(git_merge_driver *self, const char **path_out, uint32_t *mode_out,
			git_buf *merged_out, const char *filter_name,
			const git_merge_driver_source *src)
{
	git_repository *repo = (git_repository *)git_merge_driver_source_repo(src);
	const git_index_entry *o = git_merge_driver_source_ours(src);
	const git_index_entry *t = git_merge_driver_source_theirs(src);
	const git_index_entry *b = git_merge_driver_source_ancestor(src);
	git_blob *ob = NULL, *tb = NULL, *bb = NULL;
	struct crm_buf out = CRM_BUF_INIT;
	size_t conflicts = 0;
	int rc = GIT_PASSTHROUGH;

	(void)self;
	(void)filter_name;
	if (!o || !t || read_entry(repo, o, &ob) || read_entry(repo, t, &tb) ||
	    read_entry(repo, b, &bb))
		goto done;
	if (record_merge(&out, &conflicts, bb ? git_blob_rawcontent(bb) : "",
			 bb ? (size_t)git_blob_rawsize(bb) : 0, git_blob_rawcontent(ob),
			 (size_t)git_blob_rawsize(ob), git_blob_rawcontent(tb),
			 (size_t)git_blob_rawsize(tb)))
		goto done;   /* a version that does not parse: git's own conflict */
	merge_conflicts += conflicts;
	*path_out = o->path;
	*mode_out = o->mode;
	rc = git_buf_set(merged_out, out.ptr, out.len) < 0 ? -1 : 0;
done:
	crm_buf_release(&out);
	git_blob_free(ob);
	git_blob_free(tb);
	git_blob_free(bb);
	return rc;
}

static git_merge_driver crm_driver = { GIT_MERGE_DRIVER_VERSION, NULL, NULL, driver_apply };

int crm_git_register_merge(struct crm_git *g, record_merge_fn merge)
{
	int rc;
	/* registered drivers live until libgit2 shuts down, which happens when
	 * the last crm_git is freed: hence the open repository */
	(void)g;
	record_merge = merge;
	rc = git_merge_driver_register("crm", &crm_driver);
	return rc < 0 && rc != GIT_EEXISTS ? git_fail(CRM_ERROR, "cannot register the merge driver")
					  : 0;
}

/* One payload for every callback of a fetch or push. */
struct cred_state {
	int attempt;
	int port;                      /* of an ssh:// URL, for known_hosts */
	struct crm_sync_result *result;
};

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

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return valid ? 0 : GIT_PASSTHROUGH;
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

static int current_branch(git_repository *repo, char *out, size_t size)
{
	git_reference *head = NULL;
	int rc = git_repository_head(&head, repo);
	if (rc == GIT_EUNBORNBRANCH || rc < 0) {
		git_reference_free(head);
		return crm_error_set(CRM_ENOTFOUND, "there is no commit to sync yet");
	}
	if (!git_reference_is_branch(head)) {
		git_reference_free(head);
		return crm_error_set(CRM_EINVALID, "HEAD is detached; check out a branch first");
	}
	snprintf(out, size, "%s", git_reference_shorthand(head));
	git_reference_free(head);
	return 0;
}

static int fast_forward(git_repository *repo, const git_oid *target)
{
	git_checkout_options co;
	git_object *obj = NULL;
	git_reference *head = NULL, *moved = NULL;
	int err = 0;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_object_lookup(&obj, repo, target, GIT_OBJECT_COMMIT) < 0 ||
	    git_checkout_tree(repo, obj, &co) < 0 || git_repository_head(&head, repo) < 0 ||
	    git_reference_set_target(&moved, head, target, "crm sync: fast-forward") < 0)
		err = git_fail(CRM_EIO, "cannot fast-forward");
	git_reference_free(moved);
	git_reference_free(head);
	git_object_free(obj);
	return err;
}

static int first_conflict(git_index *index, struct crm_sync_result *r)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;
	if (git_index_conflict_iterator_new(&it, index) < 0)
		return 0;
	if (!git_index_conflict_next(&a, &o, &t, it)) {
		const git_index_entry *e = o ? o : t ? t : a;
		snprintf(r->conflict_path, sizeof(r->conflict_path), "%s", e->path);
	}
	git_index_conflict_iterator_free(it);
	return 0;
}

static int merge_commit(struct crm_git *g, const git_annotated_commit *theirs, const char *name,
			struct crm_sync_result *r)
{
	git_merge_options mo;
	git_checkout_options co;
	git_index *index = NULL;
	git_commit *ours = NULL, *other = NULL;
	git_tree *tree = NULL;
	struct commit_meta meta;
	git_oid tree_id, id, head_id;
	const git_commit *parents[2];
	char msg[600];
	int err = 0;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS;
	merge_conflicts = 0;
	if (git_merge(g->repo, &theirs, 1, &mo, &co) < 0)
		return git_fail(CRM_ECONFLICT, "cannot merge");
	r->field_conflicts = merge_conflicts;
	if (git_repository_index(&index, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot read the index");
	if (git_index_has_conflicts(index)) {
		first_conflict(index, r);
		git_index_free(index);
		return 0;   /* left for the user, with git's merge state */
	}
	snprintf(msg, sizeof(msg), "crm: sync: merge %s", name);
	err = crm_git_meta_init(&meta, g, msg);
	if (!err && (git_index_write_tree(&tree_id, index) < 0 ||
		     git_tree_lookup(&tree, g->repo, &tree_id) < 0 ||
		     git_reference_name_to_id(&head_id, g->repo, "HEAD") < 0 ||
		     git_commit_lookup(&ours, g->repo, &head_id) < 0 ||
		     git_commit_lookup(&other, g->repo, git_annotated_commit_id(theirs)) < 0))
		err = git_fail(CRM_EIO, "cannot write the merge");
	parents[0] = ours;
	parents[1] = other;
	if (!err && git_commit_create(&id, g->repo, "HEAD", meta.author, meta.committer,
				      NULL, meta.message.ptr, tree, 2, parents) < 0)
		err = git_fail(CRM_EIO, "cannot commit the merge");
	if (!err) {
		git_repository_state_cleanup(g->repo);
		r->merged = true;
	}
	crm_git_meta_release(&meta);
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(other);
	git_index_free(index);
	return err;
}

static int merge_upstream(struct crm_git *g, const char *remote, const char *branch,
			  crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
{
	git_reference *up = NULL;
	git_annotated_commit *ac = NULL;
	git_merge_analysis_t analysis;
	git_merge_preference_t pref;
	char name[512];
	int err = 0;

	snprintf(name, sizeof(name), "refs/remotes/%s/%s", remote, branch);
	if (git_reference_lookup(&up, g->repo, name) < 0) {
		r->up_to_date = true;   /* the remote has no such branch yet */
		return 0;
	}
	if (git_annotated_commit_from_ref(&ac, g->repo, up) < 0 ||
	    git_merge_analysis(&analysis, &pref, g->repo, (const git_annotated_commit **)&ac, 1) < 0)
		err = git_fail(CRM_EIO, "cannot compare with the remote");
	else if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE)
		r->up_to_date = true;
	else if (analysis & GIT_MERGE_ANALYSIS_FASTFORWARD) {
		err = fast_forward(g->repo, git_annotated_commit_id(ac));
		r->fast_forward = !err;
	} else {
		char ours[41], theirs[41];
		git_oid head;
		snprintf(name, sizeof(name), "%s/%s", remote, branch);
		git_oid_tostr(theirs, sizeof(theirs), git_annotated_commit_id(ac));
		if (git_reference_name_to_id(&head, g->repo, "HEAD") < 0) {
			err = git_fail(CRM_EIO, "cannot read HEAD");
			goto done;
		}
		git_oid_tostr(ours, sizeof(ours), &head);
		/* the caller may find what a merge of records cannot settle */
		if (hook && (err = hook(g, ours, theirs, payload)) > 0) {
			r->refused = true;
			err = 0;
		} else if (!err) {
			err = merge_commit(g, ac, name, r);
		}
	}
done:
	git_annotated_commit_free(ac);
	git_reference_free(up);
	return err;
}

int crm_git_sync(struct crm_git *g, const char *remote_name, bool push,
		 crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
{
	git_remote *remote = NULL;
	git_fetch_options fo;
	git_push_options po;
	struct cred_state cs = { 0, 0, r };
	const char *url, *colon;
	char branch[256], spec[600];
	char *specs[1] = { spec };
	git_strarray refspecs = { specs, 1 };
	int err;

	memset(r, 0, sizeof(*r));
	cs.result = r;
	err = current_branch(g->repo, branch, sizeof(branch));
	if (err)
		return err;
	if (git_remote_lookup(&remote, g->repo, remote_name) < 0)
		return crm_error_set(CRM_ENOTFOUND, "no remote '%s'; add one with 'git remote add "
				     "%s URL'", remote_name, remote_name);
	url = git_remote_url(remote);
	colon = url && !strncmp(url, "ssh://", 6) ? strchr(strchr(url + 6, '@') ?
		strchr(url + 6, '@') : url + 6, ':') : NULL;
	cs.port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks.certificate_check = check_host_key;
	fo.callbacks.credentials = credentials;
	fo.callbacks.payload = &cs;
	if (git_remote_fetch(remote, NULL, &fo, "crm sync: fetch") < 0) {
		err = git_fail(CRM_EIO, "cannot fetch");
		goto done;
	}
	r->fetched = true;
	err = merge_upstream(g, remote_name, branch, hook, payload, r);
	if (err || !push || r->refused || r->field_conflicts || r->conflict_path[0])
		goto done;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	cs.attempt = 0;
	po.callbacks.credentials = credentials;
	po.callbacks.payload = &cs;
	po.callbacks.push_update_reference = push_status;
	po.callbacks.certificate_check = check_host_key;
	snprintf(spec, sizeof(spec), "refs/heads/%s:refs/heads/%s", branch, branch);
	if (git_remote_push(remote, &refspecs, &po) < 0)
		err = git_fail(CRM_EIO, "cannot push");
	else if (r->message[0])
		err = crm_error_set(CRM_ECONFLICT, "the remote refused the push (%s); run 'crm "
				    "sync' again", r->message);
	else
		r->pushed = true;
done:
	git_remote_free(remote);
	return err;
}
