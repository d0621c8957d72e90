/* Running another program as a child process: an argument vector passed
 * to execvp, never a shell, so no argument is ever reparsed.  The child
 * shares our stdin and terminal (a program such as ssh may prompt there);
 * its stdout may be captured, its stderr passed through and kept. */
#ifndef CRM_CHILD_H
#define CRM_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "crm/buf.h"

/* What to do with the child's output.  Initialise with
 * CRM_CHILD_OPTIONS_INIT. */
struct crm_child_options {
	struct crm_buf *out;          /* stdout is appended here; NULL: ours */
	struct crm_buf *err_copy;     /* stderr goes to ours AND is appended
				       * here; NULL: just ours */
	bool quiet_err;               /* with err_copy: do not pass it on */
	const char *in;               /* fed to its stdin, then closed; NULL: ours */
	size_t in_len;
};
#define CRM_CHILD_OPTIONS_INIT { NULL, NULL, false, NULL, 0 }

/* Runs argv[0] (looked up in PATH as execvp does) with argv, waits for it
 * and puts its exit status in *status_out (0..255; 128 + N when killed by
 * signal N; 127 when it could not be started).  Returns 0 when it ran,
 * CRM_EIO (errno's message) when no process could be made, or when it
 * exited 0 without reading all of `in`. */
int crm_child_run(int *status_out, const char *const *argv, const struct crm_child_options *o);

/* A child started and not yet waited for: crm_child_start runs it in the
 * background (its output piles up in the pipes, up to their size: for
 * children that say little, such as `git fetch --quiet`) while the caller
 * does other work; crm_child_finish then serves its pipes and waits, as
 * crm_child_run does.  Every started child must be finished. */
struct crm_child {
	pid_t pid;
	int in_fd, out_fd, err_fd;
	struct crm_child_options opts;   /* quiet_err may change before finish */
	void (*old_pipe)(int);
	const char *name;
};
int crm_child_start(struct crm_child *c, const char *const *argv,
		    const struct crm_child_options *o);
int crm_child_finish(int *status_out, struct crm_child *c);

/* The executable file execvp would run for `name` (a PATH lookup; `name`
 * itself when it holds a '/'), malloc'ed; NULL when there is none. */
char *crm_child_which(const char *name);
/* Whether crm_child_which finds `name`. */
bool crm_child_in_path(const char *name);

#endif
