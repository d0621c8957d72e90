/* The terminal a command prints to: how many columns a table may use. */
#ifndef CRM_TERM_H
#define CRM_TERM_H

#include <stddef.h>

/* Columns available on `fd`: $COLUMNS when it holds a positive number (so
 * a user or a test can ask for a width, as with git and ls), else the
 * width of the terminal `fd` is, else 0, meaning no limit (a pipe or a
 * file). */
size_t crm_term_width(int fd);

#endif
