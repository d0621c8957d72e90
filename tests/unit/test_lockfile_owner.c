/* The repository lock's owner line: a lock of a live process is waited for
 * and reported, one whose process died is taken over exactly once, one
 * without an owner line (an older crm) counts as alive. */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "crm/buf.h"
#include "crm/error.h"
#include "crm/lockfile.h"

/* A fresh folder and "<folder>/crm" in *path. */
static void scratch(struct crm_buf *path)
{
	char dir[] = "/tmp/crm-lockfile-XXXXXX";
	crm_buf_init(path);
	CHECK(mkdtemp(dir) != NULL);
	crm_buf_addf(path, "%s/crm", dir);
}

static void cleanup(struct crm_buf *path)
{
	char *slash = strrchr(path->ptr, '/');
	struct crm_buf lock = CRM_BUF_INIT;
	crm_buf_addf(&lock, "%s.lock", path->ptr);
	unlink(lock.ptr);
	*slash = '\0';
	rmdir(path->ptr);
	crm_buf_release(&lock);
	crm_buf_release(path);
}

/* The pid of a process that has exited (and been reaped). */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void write_lock(const char *path, const char *text)
{
	struct crm_buf lock = CRM_BUF_INIT;
	int fd;
	crm_buf_addf(&lock, "%s.lock", path);
	fd = open(lock.ptr, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	crm_buf_release(&lock);
}

static void test_lockfile_owner__live_owner_is_waited_for(void)
{
	struct crm_lockfile a = CRM_LOCKFILE_INIT, b = CRM_LOCKFILE_INIT;
	struct crm_buf path;
	long dead = -1;

	scratch(&path);
	CHECK_INT(0, crm_lockfile_acquire_owned(&a, path.ptr, 0, &dead));
	CHECK_INT(0, dead);
	CHECK_INT(CRM_ELOCKED, crm_lockfile_acquire_owned(&b, path.ptr, 60, &dead));
	CHECK(strstr(crm_error_last(), "crm.lock' exists") != NULL);
	crm_lockfile_rollback(&a);
	CHECK_INT(0, crm_lockfile_acquire_owned(&b, path.ptr, 0, &dead));
	crm_lockfile_rollback(&b);
	cleanup(&path);
}

static void test_lockfile_owner__dead_owner_is_taken_over(void)
{
	struct crm_lockfile a = CRM_LOCKFILE_INIT, b = CRM_LOCKFILE_INIT;
	struct crm_buf path, line = CRM_BUF_INIT;
	char host[256];
	pid_t gone = dead_pid();
	long dead = 0;

	scratch(&path);
	CHECK_INT(0, gethostname(host, sizeof(host)));
	crm_buf_addf(&line, "%ld %s\n", (long)gone, host);
	write_lock(path.ptr, line.ptr);
	CHECK_INT(0, crm_lockfile_acquire_owned(&a, path.ptr, 0, &dead));
	CHECK_INT(gone, dead);
	/* now ours, and alive: not taken over again */
	CHECK_INT(CRM_ELOCKED, crm_lockfile_acquire_owned(&b, path.ptr, 0, &dead));
	crm_lockfile_rollback(&a);
	crm_buf_release(&line);
	cleanup(&path);
}

static void test_lockfile_owner__no_owner_or_other_host_counts_as_alive(void)
{
	struct crm_lockfile a = CRM_LOCKFILE_INIT;
	struct crm_buf path, line = CRM_BUF_INIT;
	long dead = 0;

	scratch(&path);
	write_lock(path.ptr, "");
	CHECK_INT(CRM_ELOCKED, crm_lockfile_acquire_owned(&a, path.ptr, 0, &dead));
	crm_buf_addf(&line, "%ld elsewhere.example\n", (long)dead_pid());
	write_lock(path.ptr, line.ptr);
	CHECK_INT(CRM_ELOCKED, crm_lockfile_acquire_owned(&a, path.ptr, 0, &dead));
	CHECK_INT(0, dead);
	crm_buf_release(&line);
	cleanup(&path);
}

TESTS(TEST(test_lockfile_owner__live_owner_is_waited_for),
      TEST(test_lockfile_owner__dead_owner_is_taken_over),
      TEST(test_lockfile_owner__no_owner_or_other_host_counts_as_alive))
