/* The pager: a child process reading our stdout through a pipe, started
 * once per run and waited for at exit or when a signal ends the program,
 * so that the shell's prompt never comes back while the pager still has
 * the terminal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/pager.h"
#include "crm/term.h"

static pid_t pager_pid;   /* 0: no pager runs */

const char *crm_pager_command(void)
{
	const char *pager = getenv("CRM_PAGER");

	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less";
	if (!*pager || !strcmp(pager, "cat"))
		return NULL;
	return pager;
}

static void wait_for_pager(void)
{
	int status;

	while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
		;
	pager_pid = 0;
}

void crm_pager_finish(void)
{
	if (!pager_pid)
		return;
	fflush(stdout);
	/* the pager sees the end of its input only when every copy of the
	 * pipe's write end is closed: fd 1 is the last one */
	fclose(stdout);
	wait_for_pager();
}

/* A signal that ends crm (SIGPIPE when the pager was quit early): close
 * the pipe, wait for the pager, then die of the signal as we would have. */
static void finish_on_signal(int sig)
{
	int status;

	close(STDOUT_FILENO);
	if (pager_pid)
		while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
			;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Environment for the pager, as git sets it: less quits when the text
 * fits one screen, passes colours, leaves the screen as it was. */
static void pager_environment(void)
{
	size_t width = crm_term_width(STDOUT_FILENO);
	char columns[32];

	setenv("LESS", "FRX", 0);
	setenv("LV", "-c", 0);
	if (width && !getenv("COLUMNS")) {
		snprintf(columns, sizeof(columns), "%zu", width);
		setenv("COLUMNS", columns, 0);
	}
}

static void run_pager(const char *command, int read_end, int write_end)
{
	close(write_end);
	if (read_end != STDIN_FILENO) {
		dup2(read_end, STDIN_FILENO);
		close(read_end);
	}
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	fprintf(stderr, "crm: cannot run the pager '%s': %s\n", command, strerror(errno));
	_exit(127);
}

int crm_pager_start(const char *command)
{
	int fds[2];
	pid_t pid;

	if (pager_pid)
		return 0;
	fflush(stdout);
	pager_environment();
	if (pipe(fds))
		return crm_error_set(CRM_EIO, "cannot start the pager: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return crm_error_set(CRM_EIO, "cannot start the pager: %s", strerror(errno));
	}
	if (pid == 0)
		run_pager(command, fds[0], fds[1]);
	close(fds[0]);
	dup2(fds[1], STDOUT_FILENO);
	close(fds[1]);
	pager_pid = pid;
	atexit(crm_pager_finish);
	signal(SIGPIPE, finish_on_signal);
	signal(SIGINT, finish_on_signal);
	signal(SIGTERM, finish_on_signal);
	signal(SIGHUP, finish_on_signal);
	return 0;
}
