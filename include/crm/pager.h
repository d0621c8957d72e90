/* Long output through a pager, as git does: stdout becomes a pipe into
 * $CRM_PAGER, $PAGER or `less` (with LESS=FRX and LV=-c when unset), and
 * the program waits for the pager before it exits. */
#ifndef CRM_PAGER_H
#define CRM_PAGER_H

/* The pager command to run (a shell command line): $CRM_PAGER, else
 * $PAGER, else "less".  NULL when it is empty or "cat": nothing to start. */
const char *crm_pager_command(void);

/* Starts `command` through /bin/sh with stdout (fd 1) piped into it; the
 * caller decides whether to page (stdout a terminal, no --no-pager).
 * Sets LESS=FRX and LV=-c when unset, and COLUMNS to the terminal's width
 * when unset, so tables keep that width in the pipe.  Registers
 * crm_pager_finish with atexit and for the signals that end a program
 * (a pager quit early ends crm by SIGPIPE, quietly).  0, or CRM_EIO with
 * the message set (stdout is then untouched). */
int crm_pager_start(const char *command);

/* Flushes and closes stdout, then waits for the pager to exit.  Does
 * nothing when no pager runs; safe to call twice. */
void crm_pager_finish(void);

#endif
