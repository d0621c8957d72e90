/* Handing a finished mail message to a transport: a sendmail-compatible
 * command (the message on its standard input, run without a shell), or
 * plain SMTP (RFC 5321) to a relay without TLS or authentication. */
#ifndef CRM_MAILSEND_H
#define CRM_MAILSEND_H

#include <stddef.h>

#include "crm/buf.h"

/* Runs `argv` (argv[0] looked up in PATH, never through a shell) with the
 * message on its standard input and waits for it.  0, or CRM_EIO with the
 * command named and its exit status when it could not be run or failed. */
int crm_mail_pipe(char *const argv[], const char *msg, size_t len);

/* Sends the message to the SMTP server at `host`:`port`: EHLO (HELO when
 * refused), MAIL FROM `from`, RCPT TO each of `to`, DATA with the message
 * dot-stuffed (CRLF line ends expected), QUIT.  Each reply is awaited for
 * at most `timeout` seconds.  0, or CRM_EIO with the server's reply. */
int crm_mail_smtp(const char *host, const char *port, const char *from,
		  const char *const *to, size_t nto, const char *msg, size_t len,
		  int timeout);

/* Appends the message as DATA carries it: a line that starts with a dot
 * gets a second one (RFC 5321 4.5.2), and CRLF . CRLF ends it. */
void crm_mail_dot_stuff(struct crm_buf *out, const char *msg, size_t len);

#endif
