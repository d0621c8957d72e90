/* The transport of crm sync (src/core/git/ only): fetching and pushing
 * through the system's git or libgit2's clients, and what the sync that
 * drives them (git_sync.c) hands over: the branch it follows and one
 * payload for libgit2's callbacks. */
#ifndef CRM_GIT_TRANSPORT_H
#define CRM_GIT_TRANSPORT_H

#include <git2.h>
#include <stdbool.h>

#include "crm/buf.h"
#include "crm/child.h"
#include "crm/git.h"

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

/* One payload for every callback of a fetch or push. */
struct cred_state {
	int attempt;
	int port;                      /* of an ssh:// URL, for known_hosts */
	struct crm_sync_result *result;
};

/* What a push came to: pushed, refused because the remote moved on
 * meanwhile (fetch, merge and try again), or refused for good. */
enum push_outcome { PUSHED, PUSH_RACED, PUSH_REFUSED };

/* Whether to fetch and push with the system's git: whenever it is on PATH
 * (CRM_SYNC_TRANSPORT=git or =libgit2 forces one); a note in r->note when
 * a network remote has to do without it. */
int crm_transport_choose(bool *system_git, const char *url, struct crm_sync_result *r);

/* A fetch: the system git's runs in the background from start to finish,
 * so that the sync can look at the work tree meanwhile (a fetch touches
 * only the remote-tracking refs and the object store); libgit2's runs in
 * finish.  A started fetch is finished, or abandoned: waited for, its
 * words and its outcome dropped. */
struct fetch_run {
	bool running;                  /* a git child to wait for */
	struct crm_child child;
	struct crm_buf said;           /* what it printed on stderr */
};
int crm_transport_fetch_start(struct fetch_run *f, git_repository *repo, const char *remote_name,
			      bool system_git);
int crm_transport_fetch_finish(struct fetch_run *f, git_remote *remote, const char *remote_name,
			       bool system_git, struct cred_state *cs);
void crm_transport_fetch_abandon(struct fetch_run *f, const char *remote_name);
/* Pushes t->branch to t->remote_ref; *out says whether the remote took it,
 * moved meanwhile (fetch, merge and try again) or refused it. */
int crm_transport_push(enum push_outcome *out, git_repository *repo, git_remote *remote,
		       const char *remote_name, bool system_git, const struct sync_target *t,
		       struct cred_state *cs);

#endif
