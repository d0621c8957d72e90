/* Editing a record in $VISUAL or $EDITOR (crm edit, and crm add without
 * --set): the copy the editor gets under .git, the editor run without our
 * signals, the file checked on save and reopened with its findings as
 * comments on top until it is right or saved unchanged. */
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "crm/check.h"
#include "crm/error.h"
#include "crm/git.h"
#include "crm/index.h"

static const char marker[] = "# crm: ";

static const char *editor(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

static int run_editor(const char *path)
{
	struct sigaction ignore, old_int, old_quit;
	pid_t pid = fork();
	int status, waited;

	if (pid < 0)
		return crm_error_errno(CRM_EIO, "cannot start the editor");
	if (pid == 0) {
		/* through the shell, as git does, so EDITOR may carry options */
		execl("/bin/sh", "sh", "-c", "$CRM_EDITOR \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	/* ^C and ^\ reach the editor too, which decides what they mean (as
	 * git does): crm waits for it */
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	waited = waitpid(pid, &status, 0);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (waited < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return crm_error_set(CRM_EIO, "the editor '%s' failed; nothing was changed", editor());
	return 0;
}

/* The text without the comment lines crm put at its top. */
static void strip_messages(struct crm_buf *text)
{
	struct crm_buf out = CRM_BUF_INIT;
	const char *p = text->ptr;
	while (!strncmp(p, marker, sizeof(marker) - 1)) {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	crm_buf_adds(&out, p);
	crm_buf_release(text);
	*text = out;
}

static bool blank(const struct crm_buf *b)
{
	size_t i;
	for (i = 0; i < b->len; i++) {
		if (!strchr(" \t\r\n", b->ptr[i]))
			return false;
	}
	return true;
}

/* Findings for the edited text, as comment lines; empty when it brings no
 * new error (the rule of every write, see cli_check_write).  *nerrors_out
 * counts them. */
static void findings(struct crm_buf *out, size_t *nerrors_out, struct cli_ctx *ctx,
		     struct crm_record *orig, const struct crm_buf *text)
{
	struct crm_diags diags;
	size_t i, n = 0;

	crm_diags_init(&diags);
	crm_buf_reset(out);
	if (!crm_check_change(ctx->idx, orig, text->ptr, text->len, &diags))
		diags.list.len = 0;
	for (i = 0; i < diags.list.len; i++)
		n += diags.list.ptr[i].severity == CRM_SEV_ERROR;
	for (i = 0; i < diags.list.len; i++) {
		const struct crm_diag *d = &diags.list.ptr[i];
		if (d->severity != CRM_SEV_ERROR)
			continue;
		/* the numbers are those of the file the editor shows: below
		 * the n messages and the line that ends them */
		crm_buf_addf(out, "%sline %d, column %d: %s [%s]\n", marker,
			     d->line ? d->line + (int)n + 1 : 0, d->col, d->message, d->code);
	}
	if (out->len)
		crm_buf_addf(out, "%sfix the errors above and save; save it unchanged or "
			     "empty to abort\n", marker);
	*nerrors_out = n;
	crm_diags_release(&diags);
}

static bool same_text(const struct crm_buf *a, const struct crm_buf *b)
{
	return a->len == b->len && !memcmp(a->ptr, b->ptr, a->len);
}

/* The file being edited, for the signal handler: a crm killed while its
 * editor runs removes it (kill -9 cannot be caught: the next editing
 * command removes what it left, see cli_editor_file). */
static char editing[4096];
static const int editing_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
static struct sigaction editing_saved[sizeof(editing_signals) / sizeof(*editing_signals)];

static void remove_editing(int sig)
{
	unlink(editing);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Removes `path` when a signal ends crm, until watch_editing(NULL) puts
 * the handlers back as they were. */
static void watch_editing(const char *path)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = remove_editing;
	sigemptyset(&sa.sa_mask);
	if (path)
		snprintf(editing, sizeof(editing), "%s", path);
	for (i = 0; i < sizeof(editing_signals) / sizeof(*editing_signals); i++) {
		if (!path)
			sigaction(editing_signals[i], &editing_saved[i], NULL);
		else if (!sigaction(editing_signals[i], NULL, &editing_saved[i]) &&
			 editing_saved[i].sa_handler != SIG_IGN)
			sigaction(editing_signals[i], &sa, NULL);   /* an ignored one stays so */
	}
}

int cli_edit_in_editor(struct cli_ctx *ctx, struct crm_record *rec, const char *tmp,
		       const struct crm_buf *original, struct crm_buf *result)
{
	struct crm_buf shown = CRM_BUF_INIT, messages = CRM_BUF_INIT, before = CRM_BUF_INIT;
	size_t nerrors = 0;
	int err = 0;

	/* the environment changes under no other thread: libgit2 reads it
	 * as it starts */
	crm_git_warm_up_end();
	setenv("CRM_EDITOR", editor(), 1);
	crm_buf_add(&shown, original->ptr, original->len);
	crm_buf_add(&before, original->ptr, original->len);
	watch_editing(tmp);
	for (;;) {
		err = cli_write_repo_file(ctx, tmp, &shown);
		if (!err)
			err = run_editor(tmp);
		crm_buf_reset(result);
		if (!err)
			err = crm_buf_read_file(result, tmp, CRM_YAML_MAX_BYTES);
		if (err)
			break;
		strip_messages(result);
		if (blank(result) || same_text(result, original)) {
			err = crm_error_set(CRM_ENOTFOUND, "no change; nothing was written");
			break;
		}
		/* saved as it was reopened: the user gives up on the errors */
		if (nerrors && same_text(result, &before)) {
			err = crm_error_set(CRM_ERROR, "saved unchanged with %zu error%s; nothing "
					    "was written", nerrors, nerrors == 1 ? "" : "s");
			break;
		}
		findings(&messages, &nerrors, ctx, rec, result);
		if (!messages.len)
			break;
		crm_buf_reset(&before);
		crm_buf_add(&before, result->ptr, result->len);
		crm_buf_reset(&shown);
		crm_buf_add(&shown, messages.ptr, messages.len);
		crm_buf_add(&shown, result->ptr, result->len);
	}
	unlink(tmp);
	watch_editing(NULL);
	crm_buf_release(&shown);
	crm_buf_release(&messages);
	crm_buf_release(&before);
	return err;
}

/* Removes the files of editing commands whose process is gone (a crm
 * killed with SIGKILL while its editor ran): "crm-editing-<pid>-..." in
 * the git folder `gitdir`. */
static void remove_stale(const char *gitdir)
{
	static const char prefix[] = "crm-editing-";
	struct crm_buf path = CRM_BUF_INIT;
	struct dirent *ent;
	DIR *dir = opendir(gitdir);

	while (dir && (ent = readdir(dir))) {
		char *end;
		long pid;
		if (strncmp(ent->d_name, prefix, sizeof(prefix) - 1))
			continue;
		errno = 0;
		pid = strtol(ent->d_name + sizeof(prefix) - 1, &end, 10);
		if (errno || *end != '-' || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		crm_buf_reset(&path);
		crm_buf_addf(&path, "%s%s", gitdir, ent->d_name);
		if (!crm_buf_check(&path))
			unlink(path.ptr);
	}
	if (dir)
		closedir(dir);
	crm_buf_release(&path);
}

int cli_editor_file(struct crm_buf *out, struct cli_ctx *ctx, const char *what, bool saved)
{
	struct crm_git *git = NULL;
	int err = crm_git_open(&git, ctx->repo.root);

	crm_buf_reset(out);
	if (!err && !saved)
		remove_stale(crm_git_gitdir(git));
	if (!err && saved)
		err = crm_buf_addf(out, "%scrm-edit-%s.yaml", crm_git_gitdir(git), what);
	else if (!err)
		err = crm_buf_addf(out, "%scrm-editing-%ld-%s.yaml", crm_git_gitdir(git),
				   (long)getpid(), what);
	crm_git_free(git);
	return err;
}

