/* Mail transports: a sendmail-compatible command fed on its standard input
 * (crm_child_run: no shell), and a plain SMTP client (RFC 5321: EHLO,
 * MAIL, RCPT, DATA with dot-stuffing) for a relay on the local network. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/child.h"
#include "crm/error.h"
#include "crm/lockfile.h"
#include "crm/mailsend.h"

int crm_mail_pipe(char *const argv[], const char *msg, size_t len)
{
	struct crm_child_options o = CRM_CHILD_OPTIONS_INIT;
	int status, err;

	o.in = msg;
	o.in_len = len;
	err = crm_child_run(&status, (const char *const *)argv, &o);
	if (err)
		return err;
	if (status == 127)
		return crm_error_set(CRM_EIO, "cannot run '%s' (not found?)", argv[0]);
	if (status > 128)
		return crm_error_set(CRM_EIO, "'%s' was killed by signal %d; the message may not "
				     "have gone out", argv[0], status - 128);
	if (status)
		return crm_error_set(CRM_EIO, "'%s' failed with exit status %d; the message did "
				     "not go out", argv[0], status);
	return 0;
}

/* ---- SMTP ---- */

struct smtp {
	int fd;
	char in[4096];
	size_t have;
	struct crm_buf reply;          /* the last reply's text, for messages */
};

/* Reads one line (without CRLF) into s->reply's end; -1 on a closed or
 * silent connection. */
static int read_line(struct smtp *s)
{
	for (;;) {
		char *nl = memchr(s->in, '\n', s->have);
		ssize_t n;
		if (nl) {
			size_t len = (size_t)(nl - s->in) + 1, text = len - 1;
			if (text && s->in[text - 1] == '\r')
				text--;
			crm_buf_add(&s->reply, s->in, text);
			memmove(s->in, s->in + len, s->have - len);
			s->have -= len;
			return 0;
		}
		if (s->have == sizeof(s->in))
			return -1;
		n = read(s->fd, s->in + s->have, sizeof(s->in) - s->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s->have += (size_t)n;
	}
}

/* Reads a whole reply ("250-..." lines up to "250 ...") and returns its
 * code, or -1. */
static int read_reply(struct smtp *s)
{
	crm_buf_reset(&s->reply);
	for (;;) {
		size_t start = s->reply.len;
		if (start)
			crm_buf_adds(&s->reply, " / ");
		start = s->reply.len;
		if (read_line(s) || s->reply.len - start < 3)
			return -1;
		if (s->reply.len - start == 3 || s->reply.ptr[start + 3] != '-') {
			const char *p = s->reply.ptr + start;
			return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		}
	}
}

/* Sends `line` and expects a reply of class `want` (2 or 3). */
static int command(struct smtp *s, const char *line, int want, const char *what)
{
	int code;

	if (line && crm_fd_write_all(s->fd, line, strlen(line)))
		return crm_error_set(CRM_EIO, "SMTP: the connection closed during %s", what);
	code = read_reply(s);
	if (code < 0)
		return crm_error_set(CRM_EIO, "SMTP: no reply to %s", what);
	if (code / 100 != want)
		return crm_error_set(CRM_EIO, "SMTP: %s refused: %s", what, s->reply.ptr);
	return 0;
}

static int connect_to(int *out, const char *host, const char *port, int timeout)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct timeval tv = { timeout, 0 };
	int fd = -1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc)
		return crm_error_set(CRM_EIO, "SMTP: cannot resolve '%s': %s", host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return crm_error_errno(CRM_EIO, "SMTP: cannot connect to %s port %s", host, port);
	*out = fd;
	return 0;
}

void crm_mail_dot_stuff(struct crm_buf *out, const char *msg, size_t len)
{
	size_t i;
	bool line_start = true;

	for (i = 0; i < len; i++) {
		if (line_start && msg[i] == '.')
			crm_buf_addch(out, '.');
		crm_buf_addch(out, msg[i]);
		line_start = msg[i] == '\n';
	}
	if (len && msg[len - 1] != '\n')
		crm_buf_adds(out, "\r\n");
	crm_buf_adds(out, ".\r\n");
}

int crm_mail_smtp(const char *host, const char *port, const char *from,
		  const char *const *to, size_t nto, const char *msg, size_t len,
		  int timeout)
{
	void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
	struct smtp s = { -1, { 0 }, 0, CRM_BUF_INIT };
	struct crm_buf line = CRM_BUF_INIT, data = CRM_BUF_INIT;
	char me[256];
	size_t i;
	int err;

	if (gethostname(me, sizeof(me)) || !*me)
		snprintf(me, sizeof(me), "localhost");
	me[sizeof(me) - 1] = '\0';
	err = connect_to(&s.fd, host, port, timeout);
	if (!err)
		err = command(&s, NULL, 2, "the greeting");
	crm_buf_addf(&line, "EHLO %s\r\n", me);
	if (!err && command(&s, line.ptr, 2, "EHLO")) {
		crm_buf_reset(&line);
		crm_buf_addf(&line, "HELO %s\r\n", me);
		err = command(&s, line.ptr, 2, "HELO");
	}
	crm_buf_reset(&line);
	crm_buf_addf(&line, "MAIL FROM:<%s>\r\n", from);
	if (!err)
		err = command(&s, line.ptr, 2, "MAIL FROM");
	for (i = 0; i < nto && !err; i++) {
		crm_buf_reset(&line);
		crm_buf_addf(&line, "RCPT TO:<%s>\r\n", to[i]);
		err = command(&s, line.ptr, 2, "RCPT TO");
	}
	if (!err)
		err = command(&s, "DATA\r\n", 3, "DATA");
	if (!err) {
		crm_mail_dot_stuff(&data, msg, len);
		err = crm_buf_check(&data);
	}
	if (!err && crm_fd_write_all(s.fd, data.ptr, data.len))
		err = crm_error_set(CRM_EIO, "SMTP: the connection closed while sending the message");
	if (!err)
		err = command(&s, NULL, 2, "the message");
	if (!err)
		command(&s, "QUIT\r\n", 2, "QUIT");   /* it went out: a lost goodbye is no failure */
	if (s.fd >= 0)
		close(s.fd);
	crm_buf_release(&s.reply);
	crm_buf_release(&line);
	crm_buf_release(&data);
	signal(SIGPIPE, old_pipe);
	return err;
}
