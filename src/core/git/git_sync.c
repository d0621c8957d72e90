/* crm sync: fetch, merge with the upstream branch (record files merged
 * field by field through a merge driver), push, and again while other
 * writers win the race to the remote.  Fetch and push run the system's
 * git for network remotes (OpenSSH as the user configured it), else
 * libgit2's clients, whose callbacks here ask for credentials and check
 * hosts against known_hosts. */
#include <errno.h>
#include <git2.h>
#include <git2/sys/merge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/child.h"
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

/* ---- the branch a sync follows ---- */

/* The current branch and the remote branch it syncs with: the upstream
 * git pull would use (branch.<name>.remote and .merge) when it is on this
 * remote, else the remote's branch of the same name (created by the first
 * push when the remote has none). */
struct sync_target {
	char branch[256];             /* "feature" */
	char remote_ref[300];         /* on the remote: "refs/heads/feature" */
	char tracking[600];           /* our copy: "refs/remotes/origin/feature" */
	char display[600];            /* "origin/feature", for messages */
	bool has_upstream;            /* branch.<name>.remote is set */
};

static void tracking_ref(git_remote *remote, const char *remote_name, struct sync_target *t)
{
	size_t i, n = git_remote_refspec_count(remote);

	for (i = 0; i < n; i++) {
		const git_refspec *spec = git_remote_get_refspec(remote, i);
		git_buf out = { 0 };
		if (git_refspec_direction(spec) != GIT_DIRECTION_FETCH ||
		    !git_refspec_src_matches(spec, t->remote_ref) ||
		    git_refspec_transform(&out, spec, t->remote_ref) < 0) {
			git_buf_dispose(&out);
			continue;
		}
		snprintf(t->tracking, sizeof(t->tracking), "%s", out.ptr);
		git_buf_dispose(&out);
		return;
	}
	snprintf(t->tracking, sizeof(t->tracking), "refs/remotes/%s/%s", remote_name,
		 t->remote_ref + strlen("refs/heads/"));
}

static int find_target(git_repository *repo, git_remote *remote, const char *remote_name,
		       struct sync_target *t)
{
	git_config *cfg = NULL;
	git_buf up_remote = { 0 }, up_merge = { 0 };
	char key[320];
	int err = current_branch(repo, t->branch, sizeof(t->branch));

	if (err)
		return err;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return git_fail(CRM_EIO, "cannot read git's configuration");
	snprintf(key, sizeof(key), "branch.%s.remote", t->branch);
	t->has_upstream = !git_config_get_string_buf(&up_remote, cfg, key);
	snprintf(key, sizeof(key), "branch.%s.merge", t->branch);
	if (t->has_upstream && !strcmp(up_remote.ptr, remote_name) &&
	    !git_config_get_string_buf(&up_merge, cfg, key) &&
	    !strncmp(up_merge.ptr, "refs/heads/", 11))
		snprintf(t->remote_ref, sizeof(t->remote_ref), "%s", up_merge.ptr);
	else
		snprintf(t->remote_ref, sizeof(t->remote_ref), "refs/heads/%s", t->branch);
	git_error_clear();
	tracking_ref(remote, remote_name, t);
	snprintf(t->display, sizeof(t->display), "%s/%s", remote_name,
		 t->remote_ref + strlen("refs/heads/"));
	git_buf_dispose(&up_remote);
	git_buf_dispose(&up_merge);
	git_config_free(cfg);
	return 0;
}

/* After the first push, as `git push -u` does: a later plain `git pull`
 * or `git status` then knows the branch's upstream. */
static int set_upstream(git_repository *repo, const char *remote_name,
			const struct sync_target *t)
{
	git_config *cfg = NULL;
	char key[320];
	int err = 0;

	if (t->has_upstream)
		return 0;
	if (git_repository_config(&cfg, repo) < 0)
		return git_fail(CRM_EIO, "cannot open git's configuration");
	snprintf(key, sizeof(key), "branch.%s.remote", t->branch);
	if (git_config_set_string(cfg, key, remote_name) < 0)
		err = git_fail(CRM_EIO, "cannot set the branch's upstream");
	snprintf(key, sizeof(key), "branch.%s.merge", t->branch);
	if (!err && git_config_set_string(cfg, key, t->remote_ref) < 0)
		err = git_fail(CRM_EIO, "cannot set the branch's upstream");
	git_config_free(cfg);
	return err;
}

int crm_git_unpushed_files(struct crm_git *g, const char *remote_name, const char *prefix,
			   int (*cb)(const char *path, void *payload), void *payload)
{
	git_remote *remote = NULL;
	git_commit *ours = NULL, *theirs = NULL;
	git_tree *ours_tree = NULL, *theirs_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	struct sync_target t;
	git_oid head, up;
	char *spec[1] = { (char *)prefix };
	size_t i, n;
	int err = 0;

	memset(&t, 0, sizeof(t));
	if (git_remote_lookup(&remote, g->repo, remote_name) < 0)
		return crm_error_set(CRM_ENOTFOUND, "no remote '%s'", remote_name);
	err = find_target(g->repo, remote, remote_name, &t);
	if (!err && git_reference_name_to_id(&up, g->repo, t.tracking) < 0)
		err = crm_error_set(CRM_ENOTFOUND, "no remote-tracking branch '%s'", t.tracking);
	if (!err && (git_reference_name_to_id(&head, g->repo, "HEAD") < 0 ||
		     git_commit_lookup(&ours, g->repo, &head) < 0 ||
		     git_commit_lookup(&theirs, g->repo, &up) < 0 ||
		     git_commit_tree(&ours_tree, ours) < 0 || git_commit_tree(&theirs_tree, theirs) < 0))
		err = git_fail(CRM_EIO, "cannot read the commits to compare");
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (prefix && *prefix) {
		o.pathspec.strings = spec;
		o.pathspec.count = 1;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (!err && git_diff_tree_to_tree(&diff, g->repo, theirs_tree, ours_tree, &o) < 0)
		err = git_fail(CRM_EIO, "cannot compare with the remote");
	n = diff ? git_diff_num_deltas(diff) : 0;
	for (i = 0; i < n && !err; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_DELETED)
			err = cb(d->new_file.path, payload);
	}
	git_diff_free(diff);
	git_tree_free(ours_tree);
	git_tree_free(theirs_tree);
	git_commit_free(ours);
	git_commit_free(theirs);
	git_remote_free(remote);
	return err;
}

/* ---- merging what was fetched ---- */

/* Collects the first paths a checkout refused to overwrite. */
static int note_blocked(git_checkout_notify_t why, const char *path, const git_diff_file *baseline,
			const git_diff_file *target, const git_diff_file *workdir, void *payload)
{
	struct crm_buf *paths = payload;

	(void)why;
	(void)baseline;
	(void)target;
	(void)workdir;
	if (paths->len < 400)
		crm_buf_addf(paths, "%s'%s'", paths->len ? ", " : "", path);
	return 0;
}

/* Checks out commit `target` over HEAD's tree and moves the branch there.
 * Safe: a file with uncommitted edits (or an untracked file) that the move
 * would overwrite stops it before anything changes, and edits to other
 * files, staged or not, stay as they are. */
static int move_head(git_repository *repo, const git_oid *target, const char *why)
{
	git_checkout_options co;
	git_object *obj = NULL;
	git_reference *head = NULL, *moved = NULL;
	struct crm_buf blocked = CRM_BUF_INIT;
	int rc, err = 0;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	co.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
	co.notify_cb = note_blocked;
	co.notify_payload = &blocked;
	if (git_object_lookup(&obj, repo, target, GIT_OBJECT_COMMIT) < 0) {
		err = git_fail(CRM_EIO, why);
		goto done;
	}
	rc = git_checkout_tree(repo, obj, &co);
	if (rc == GIT_ECONFLICT && blocked.len) {
		err = crm_error_set(CRM_ECONFLICT, "the remote changed %s, which you changed too "
				    "and have not committed; commit that ('git add' and 'git "
				    "commit') or set it aside ('git stash -u'), then 'crm sync' "
				    "again (nothing was merged or pushed)", blocked.ptr);
		goto done;
	}
	if (rc < 0 || git_repository_head(&head, repo) < 0 ||
	    git_reference_set_target(&moved, head, target, why) < 0)
		err = git_fail(CRM_EIO, why);
done:
	crm_buf_release(&blocked);
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

/* A merge git cannot finish (a file edited on one side and deleted on the
 * other, a record that does not parse): done in the work tree, leaving
 * git's merge state (MERGE_HEAD, the conflicted index) for the user. */
static int merge_in_worktree(struct crm_git *g, const git_annotated_commit *theirs,
			     struct crm_sync_result *r)
{
	git_merge_options mo;
	git_checkout_options co;
	git_index *index = NULL;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS;
	merge_conflicts = 0;
	if (git_merge(g->repo, &theirs, 1, &mo, &co) < 0)
		return git_fail(CRM_ECONFLICT, "cannot merge");
	r->field_conflicts = merge_conflicts;
	if (git_repository_index(&index, g->repo) < 0)
		return git_fail(CRM_EIO, "cannot read the index");
	first_conflict(index, r);
	git_index_free(index);
	return 0;
}

/* Merges `theirs` into HEAD.  The merge is made from the two commits alone
 * (records field by field), committed, then checked out: what the user
 * has staged or edited outside the merged files is neither committed nor
 * touched.  Fields in conflict are committed as the record merge wrote
 * them (crm check reports them; nothing is pushed). */
static int merge_commit(struct crm_git *g, const git_annotated_commit *theirs, const char *name,
			struct crm_sync_result *r)
{
	git_merge_options mo;
	git_index *merged = NULL;
	git_commit *ours = NULL, *other = NULL;
	git_tree *tree = NULL;
	struct commit_meta meta = { 0 };
	git_oid tree_id, id, head_id;
	const git_commit *parents[2];
	char msg[700];
	int err = 0;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	if (git_reference_name_to_id(&head_id, g->repo, "HEAD") < 0 ||
	    git_commit_lookup(&ours, g->repo, &head_id) < 0 ||
	    git_commit_lookup(&other, g->repo, git_annotated_commit_id(theirs)) < 0) {
		err = git_fail(CRM_EIO, "cannot read the commits to merge");
		goto done;
	}
	merge_conflicts = 0;
	if (git_merge_commits(&merged, g->repo, ours, other, &mo) < 0) {
		err = git_fail(CRM_ECONFLICT, "cannot merge");
		goto done;
	}
	if (git_index_has_conflicts(merged)) {
		err = merge_in_worktree(g, theirs, r);
		goto done;
	}
	r->field_conflicts = merge_conflicts;
	snprintf(msg, sizeof(msg), "crm: sync: merge %s", name);
	err = crm_git_meta_init(&meta, g, msg);
	if (!err && (git_index_write_tree_to(&tree_id, merged, g->repo) < 0 ||
		     git_tree_lookup(&tree, g->repo, &tree_id) < 0))
		err = git_fail(CRM_EIO, "cannot write the merge");
	parents[0] = ours;
	parents[1] = other;
	if (!err && git_commit_create(&id, g->repo, NULL, meta.author, meta.committer,
				      NULL, meta.message.ptr, tree, 2, parents) < 0)
		err = git_fail(CRM_EIO, "cannot commit the merge");
	if (!err)
		err = move_head(g->repo, &id, "crm sync: merge");
	r->merged = !err;
done:
	crm_git_meta_release(&meta);
	git_tree_free(tree);
	git_commit_free(ours);
	git_commit_free(other);
	git_index_free(merged);
	return err;
}

static int merge_upstream(struct crm_git *g, const struct sync_target *t,
			  crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
{
	git_reference *up = NULL;
	git_annotated_commit *ac = NULL;
	git_merge_analysis_t analysis;
	git_merge_preference_t pref;
	int err = 0;

	if (git_reference_lookup(&up, g->repo, t->tracking) < 0) {
		git_error_clear();
		r->up_to_date = true;   /* the remote has no such branch yet */
		return 0;
	}
	if (git_annotated_commit_from_ref(&ac, g->repo, up) < 0 ||
	    git_merge_analysis(&analysis, &pref, g->repo, (const git_annotated_commit **)&ac, 1) < 0)
		err = git_fail(CRM_EIO, "cannot compare with the remote");
	else if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE)
		r->up_to_date = true;
	else if (analysis & GIT_MERGE_ANALYSIS_FASTFORWARD) {
		err = move_head(g->repo, git_annotated_commit_id(ac), "crm sync: fast-forward");
		r->fast_forward = !err;
	} else {
		char ours[41], theirs[41];
		git_oid head;
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
			err = merge_commit(g, ac, t->display, r);
		}
	}
done:
	git_annotated_commit_free(ac);
	git_reference_free(up);
	return err;
}

/* ---- transport: the system's git, or libgit2's own ---- */

/* What a push came to: pushed, refused because the remote moved on
 * meanwhile (fetch, merge and try again), or refused for good. */
enum push_outcome { PUSHED, PUSH_RACED, PUSH_REFUSED };

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
static int use_system_git(bool *out, const char *url, struct crm_sync_result *r)
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

static int git_cli_fetch(git_repository *repo, const char *remote_name)
{
	const char *argv[] = { "git", "--git-dir", git_repository_path(repo), "fetch", "--quiet",
			       "--", remote_name, NULL };
	struct crm_buf said = CRM_BUF_INIT;
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	int status, err;

	o.err_copy = &said;
	err = crm_child_run(&status, argv, &o);
	if (!err && status)
		err = explain_git_failure("fetch", remote_name, status, &said);
	crm_buf_release(&said);
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

static int libgit2_fetch(git_remote *remote, struct cred_state *cs)
{
	git_fetch_options fo;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	libgit2_callbacks(&fo.callbacks, cs);
	if (git_remote_fetch(remote, NULL, &fo, "crm sync: fetch") < 0)
		return git_fail(CRM_EIO, "cannot fetch");
	return 0;
}

static int libgit2_push(enum push_outcome *out, git_remote *remote, char *spec,
			struct cred_state *cs)
{
	git_push_options po;
	git_strarray refspecs = { &spec, 1 };
	int rc;

	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	libgit2_callbacks(&po.callbacks, cs);
	po.callbacks.push_update_reference = push_status;
	cs->result->message[0] = '\0';
	rc = git_remote_push(remote, &refspecs, &po);
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

/* ---- the sync ---- */

/* How many times a sync fetches, merges and pushes before it gives up on
 * a remote that other writers keep moving, and how long it waits between
 * tries: doubling from 50 ms up to 1.6 s, each wait scattered by ±50% so
 * that writers who collided once do not collide again in step. */
enum { SYNC_TRIES = 10 };

static int sync_tries(void)
{
	const char *env = getenv("CRM_SYNC_TRIES");
	long n = env ? strtol(env, NULL, 10) : SYNC_TRIES;
	return n >= 1 && n <= 100 ? (int)n : SYNC_TRIES;
}

static void back_off(int attempt, unsigned int *seed)
{
	long ms = 50L << (attempt <= 6 ? attempt - 1 : 5);
	struct timespec ts;

	ms = ms / 2 + (long)(rand_r(seed) % (unsigned int)ms);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct sync_run {
	struct crm_git *g;
	git_remote *remote;
	const char *remote_name;
	bool system_git;
	struct sync_target target;
	struct cred_state cs;
};

static int fetch(struct sync_run *s)
{
	return s->system_git ? git_cli_fetch(s->g->repo, s->remote_name)
			     : libgit2_fetch(s->remote, &s->cs);
}

static int push(struct sync_run *s, enum push_outcome *out)
{
	char spec[700];

	snprintf(spec, sizeof(spec), "refs/heads/%s:%s", s->target.branch, s->target.remote_ref);
	if (s->system_git)
		return git_cli_push(out, s->g->repo, s->remote_name, spec, s->cs.result);
	if (local_url(git_remote_url(s->remote)))
		return libgit2_push_local(out, s->g->repo, s->remote, &s->target, &s->cs);
	return libgit2_push(out, s->remote, spec, &s->cs);
}

int crm_git_sync(struct crm_git *g, const char *remote_name, bool want_push,
		 crm_git_merge_hook hook, void *payload, struct crm_sync_result *r)
{
	struct sync_run s;
	const char *url, *colon;
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	int err, tries = sync_tries();

	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	s.g = g;
	s.remote_name = remote_name;
	s.cs.result = r;
	if (git_remote_lookup(&s.remote, g->repo, remote_name) < 0)
		return crm_error_set(CRM_ENOTFOUND, "no remote '%s'; add one with 'git remote add "
				     "%s URL'", remote_name, remote_name);
	err = find_target(g->repo, s.remote, remote_name, &s.target);
	url = git_remote_url(s.remote) ? git_remote_url(s.remote) : "";
	if (!err)
		err = use_system_git(&s.system_git, url, r);
	colon = !strncmp(url, "ssh://", 6) ? strchr(strchr(url + 6, '@') ?
		strchr(url + 6, '@') : url + 6, ':') : NULL;
	s.cs.port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
	for (r->attempts = 1; !err; r->attempts++) {
		enum push_outcome pushed;
		bool merged = r->merged, ff = r->fast_forward;

		r->up_to_date = false;
		err = fetch(&s);
		if (err)
			break;
		r->fetched = true;
		err = merge_upstream(g, &s.target, hook, payload, r);
		r->merged |= merged;
		r->fast_forward |= ff;
		if (err || !want_push || r->refused || r->field_conflicts || r->conflict_path[0])
			break;
		err = push(&s, &pushed);
		if (err || pushed == PUSHED) {
			r->pushed = !err;
			break;
		}
		if (r->attempts >= tries) {
			err = crm_error_set(CRM_ECONFLICT, "the remote refused the push (%s); gave up "
					    "after %d tries while others kept pushing: nothing of "
					    "yours is lost, run 'crm sync' again", r->message,
					    r->attempts);
			break;
		}
		back_off(r->attempts, &seed);
	}
	if (!err && r->pushed)
		err = set_upstream(g->repo, remote_name, &s.target);
	git_remote_free(s.remote);
	return err;
}
