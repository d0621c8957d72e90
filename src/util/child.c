/* Runs a program as a child process with fork and execvp, without a shell:
 * feeds its stdin from a buffer and collects its stdout and a copy of its
 * stderr through pipes served with poll, so that no pipe can fill up and
 * stall the child. */
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

static bool is_executable_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

char *crm_child_which(const char *name)
{
	const char *path = getenv("PATH"), *p;
	struct crm_buf full = CRM_BUF_INIT;

	if (strchr(name, '/'))
		return is_executable_file(name) ? strdup(name) : NULL;
	for (p = path ? path : "/usr/bin:/bin";; p++) {
		const char *colon = strchrnul(p, ':');

		crm_buf_reset(&full);
		/* an empty entry means the current folder, as for execvp */
		crm_buf_addf(&full, "%.*s/%s", (int)(colon - p), colon == p ? "." : p, name);
		if (is_executable_file(full.ptr))
			return crm_buf_detach(&full, NULL);
		if (!*colon)
			break;
		p = colon;
	}
	crm_buf_release(&full);
	return NULL;
}

bool crm_child_in_path(const char *name)
{
	char *found = crm_child_which(name);
	free(found);
	return found != NULL;
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

/* Writes what is left of the input to `fd` (non-blocking); false when it
 * is all written or the child closed its end. */
static bool feed(int fd, const char **in, size_t *left)
{
	ssize_t n = write(fd, *in, *left);

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	*in += n;
	*left -= (size_t)n;
	return *left > 0;
}

/* Feeds the child's stdin and drains its stdout and stderr at once, so
 * that no pipe can fill up and stall it; *unread is what it did not take. */
static void collect(int in_fd, int out_fd, int err_fd, const struct crm_child_options *o,
		    size_t *unread)
{
	struct pollfd fds[3];
	const char *in = o->in;
	size_t left = o->in_len;
	bool in_open = in_fd >= 0 && left, out_open = out_fd >= 0, err_open = err_fd >= 0;

	while (in_open || out_open || err_open) {
		fds[0].fd = in_open ? in_fd : -1;
		fds[0].events = POLLOUT;
		fds[1].fd = out_open ? out_fd : -1;
		fds[1].events = POLLIN;
		fds[2].fd = err_open ? err_fd : -1;
		fds[2].events = POLLIN;
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (in_open && (fds[0].revents & (POLLOUT | POLLHUP | POLLERR)))
			in_open = (fds[0].revents & POLLOUT) && feed(in_fd, &in, &left);
		if (in_fd >= 0 && !in_open) {
			close(in_fd);   /* the child sees the end of its input */
			in_fd = -1;
		}
		if (out_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			out_open = drain(out_fd, o->out, false);
		if (err_open && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
			err_open = drain(err_fd, o->err_copy, !o->quiet_err);
	}
	if (in_fd >= 0)
		close(in_fd);
	*unread = left;
	fflush(stderr);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

int crm_child_start(struct crm_child *c, const char *const *argv,
		    const struct crm_child_options *opts)
{
	struct crm_child_options none = CRM_CHILD_OPTIONS_INIT;
	int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	int err = 0;

	memset(c, 0, sizeof(*c));
	c->opts = opts ? *opts : none;
	c->pid = -1;
	c->in_fd = c->out_fd = c->err_fd = -1;
	c->old_pipe = SIG_DFL;
	c->name = argv[0];
	fflush(stdout);
	fflush(stderr);
	if ((c->opts.in && pipe2(in_pipe, O_CLOEXEC)) ||
	    (c->opts.out && pipe2(out_pipe, O_CLOEXEC)) ||
	    (c->opts.err_copy && pipe2(err_pipe, O_CLOEXEC))) {
		err = crm_error_errno(CRM_EIO, "cannot make a pipe for '%s'", argv[0]);
		goto fail;
	}
	/* a child that stops reading must not kill us with SIGPIPE */
	if (c->opts.in) {
		fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
		c->old_pipe = signal(SIGPIPE, SIG_IGN);
	}
	c->pid = fork();
	if (c->pid < 0) {
		err = crm_error_errno(CRM_EIO, "cannot start '%s'", argv[0]);
		goto fail;
	}
	if (c->pid == 0) {
		if (in_pipe[0] >= 0)
			dup2(in_pipe[0], STDIN_FILENO);
		if (out_pipe[1] >= 0)
			dup2(out_pipe[1], STDOUT_FILENO);
		if (err_pipe[1] >= 0)
			dup2(err_pipe[1], STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* the child's ends */
	if (in_pipe[0] >= 0)
		close(in_pipe[0]);
	if (out_pipe[1] >= 0)
		close(out_pipe[1]);
	if (err_pipe[1] >= 0)
		close(err_pipe[1]);
	c->in_fd = in_pipe[1];
	c->out_fd = out_pipe[0];
	c->err_fd = err_pipe[0];
	return 0;
fail:
	if (c->opts.in)
		signal(SIGPIPE, c->old_pipe);
	close_pair(in_pipe);
	close_pair(out_pipe);
	close_pair(err_pipe);
	c->pid = -1;
	return err;
}

int crm_child_finish(int *status_out, struct crm_child *c)
{
	size_t unread = 0;
	int status, err = 0;

	*status_out = 127;
	if (c->pid < 0)
		return crm_error_set(CRM_EIO, "'%s' was not started", c->name);
	collect(c->in_fd, c->out_fd, c->err_fd, &c->opts, &unread);   /* closes in_fd */
	while (waitpid(c->pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err = crm_error_errno(CRM_EIO, "cannot wait for '%s'", c->name);
			goto done;
		}
	}
	*status_out = WIFEXITED(status) ? WEXITSTATUS(status)
		    : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
	if (!*status_out && unread)
		err = crm_error_set(CRM_EIO, "'%s' did not read all of its input", c->name);
done:
	if (c->opts.in)
		signal(SIGPIPE, c->old_pipe);
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	c->in_fd = c->out_fd = c->err_fd = -1;
	c->pid = -1;
	return err;
}

int crm_child_run(int *status_out, const char *const *argv, const struct crm_child_options *opts)
{
	struct crm_child c;
	int err = crm_child_start(&c, argv, opts);

	if (err) {
		*status_out = 127;
		return err;
	}
	return crm_child_finish(status_out, &c);
}
