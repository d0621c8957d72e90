/* Runs a program as a child process with fork and execvp, without a shell,
 * and collects its stdout and a copy of its stderr through pipes read with
 * poll, so that neither pipe can fill up and stall the child. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/child.h"
#include "crm/error.h"

bool crm_child_in_path(const char *name)
{
	const char *path = getenv("PATH"), *p;
	struct crm_buf full = CRM_BUF_INIT;
	bool found = false;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	for (p = path ? path : "/usr/bin:/bin"; !found; p++) {
		const char *colon = strchrnul(p, ':');
		struct stat st;

		crm_buf_reset(&full);
		/* an empty entry means the current folder, as for execvp */
		crm_buf_addf(&full, "%.*s/%s", (int)(colon - p), colon == p ? "." : p, name);
		found = !stat(full.ptr, &st) && S_ISREG(st.st_mode) && !access(full.ptr, X_OK);
		if (!*colon)
			break;
		p = colon;
	}
	crm_buf_release(&full);
	return found;
}

/* Reads what is there on `fd` into `into` (and our stderr when `echo`);
 * false at end of file or on an error other than an interrupt. */
static bool drain(int fd, struct crm_buf *into, bool echo)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (into)
		crm_buf_add(into, chunk, (size_t)n);
	if (echo && fwrite(chunk, 1, (size_t)n, stderr) != (size_t)n)
		return true;   /* our stderr is gone: keep collecting anyway */
	return true;
}

static void collect(int out_fd, int err_fd, const struct crm_child_options *o)
{
	struct pollfd fds[2];
	bool out_open = out_fd >= 0, err_open = err_fd >= 0;

	while (out_open || err_open) {
		fds[0].fd = out_open ? out_fd : -1;
		fds[0].events = POLLIN;
		fds[1].fd = err_open ? err_fd : -1;
		fds[1].events = POLLIN;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			out_open = drain(out_fd, o->out, false);
		if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			err_open = drain(err_fd, o->err_copy, !o->quiet_err);
	}
	fflush(stderr);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

int crm_child_run(int *status_out, const char *const *argv, const struct crm_child_options *opts)
{
	struct crm_child_options none = CRM_CHILD_OPTIONS_INIT;
	const struct crm_child_options *o = opts ? opts : &none;
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	int status, err = 0;
	pid_t pid;

	*status_out = 127;
	fflush(stdout);
	fflush(stderr);
	if ((o->out && pipe2(out_pipe, O_CLOEXEC)) || (o->err_copy && pipe2(err_pipe, O_CLOEXEC))) {
		err = crm_error_errno(CRM_EIO, "cannot make a pipe for '%s'", argv[0]);
		goto done;
	}
	pid = fork();
	if (pid < 0) {
		err = crm_error_errno(CRM_EIO, "cannot start '%s'", argv[0]);
		goto done;
	}
	if (pid == 0) {
		if (out_pipe[1] >= 0)
			dup2(out_pipe[1], STDOUT_FILENO);
		if (err_pipe[1] >= 0)
			dup2(err_pipe[1], STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	collect(out_pipe[0], err_pipe[0], o);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err = crm_error_errno(CRM_EIO, "cannot wait for '%s'", argv[0]);
			goto done;
		}
	}
	*status_out = WIFEXITED(status) ? WEXITSTATUS(status)
		    : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
done:
	close_pair(out_pipe);
	close_pair(err_pipe);
	return err;
}
