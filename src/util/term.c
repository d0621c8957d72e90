/* The one terminal-width helper: every table printer asks it how wide
 * the output may be. */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "crm/term.h"

size_t crm_term_width(int fd)
{
	const char *columns = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long n;

	if (columns && *columns) {
		errno = 0;
		n = strtol(columns, &end, 10);
		if (!errno && !*end && n > 0 && n <= 100000)
			return (size_t)n;
	}
	if (isatty(fd) && !ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return 0;
}
