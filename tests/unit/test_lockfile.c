/* Unit tests of the lock-file writer (src/util/lockfile.c): the new content
 * appears only on commit, a held or stale lock is refused with a message
 * that says how to remove it, and nothing is left behind either way. */
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "crm/buf.h"
#include "crm/error.h"
#include "crm/lockfile.h"
#include "harness.h"

/* A fresh folder per case under $TMPDIR; removed by cleanup(). */
static char folder[256];
static char target[300];
static char lock[310];

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(folder, sizeof(folder), "%s/crm-lockfile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(folder)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(target, sizeof(target), "%s/record.yaml", folder);
	snprintf(lock, sizeof(lock), "%s.lock", target);
}

static void cleanup(void)
{
	unlink(lock);
	unlink(target);
	rmdir(folder);
}

static void write_plain(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* The file's whole content ("(absent)" when it does not exist). */
static const char *content(const char *path)
{
	static char text[256];
	FILE *f = fopen(path, "r");
	size_t n;
	if (!f)
		return "(absent)";
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void test_lockfile__atomic_write_creates_and_replaces(void)
{
	setup();
	CHECK_INT(0, crm_write_file_atomic(target, "one\n", 4));
	CHECK_STR("one\n", content(target));
	CHECK_INT(0, crm_write_file_atomic(target, "two", 3));
	CHECK_STR("two", content(target));
	CHECK(!exists(lock));
	cleanup();
}

/* Until commit the old content stands; the lock file holds the new. */
static void test_lockfile__content_appears_on_commit(void)
{
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;

	setup();
	write_plain(target, "old\n");
	CHECK_INT(0, crm_lockfile_acquire(&lk, target, 0));
	CHECK_INT(0, crm_lockfile_write(&lk, "new\n", 4));
	CHECK_STR("old\n", content(target));
	CHECK_STR("new\n", content(lock));
	CHECK_INT(0, crm_lockfile_commit(&lk));
	CHECK_STR("new\n", content(target));
	CHECK(!exists(lock));
	CHECK_INT(-1, lk.fd);
	CHECK(lk.path == NULL && lk.lock_path == NULL);
	cleanup();
}

static void test_lockfile__rollback_leaves_the_file(void)
{
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;

	setup();
	write_plain(target, "old\n");
	CHECK_INT(0, crm_lockfile_acquire(&lk, target, 0));
	CHECK_INT(0, crm_lockfile_write(&lk, "new\n", 4));
	crm_lockfile_rollback(&lk);
	crm_lockfile_rollback(&lk);
	CHECK_STR("old\n", content(target));
	CHECK(!exists(lock));
	cleanup();
}

/* A lock another process holds (or a killed one left) is refused after the
 * timeout: the message names the lock and the command that removes it,
 * and the lock and the file are left as they were. */
static void test_lockfile__held_lock_is_refused(void)
{
	struct crm_lockfile lk = CRM_LOCKFILE_INIT;
	struct crm_buf head = CRM_BUF_INIT, tail = CRM_BUF_INIT;
	struct timeval hour_ago[2] = { { time(NULL) - 3600, 0 }, { time(NULL) - 3600, 0 } };
	const char *msg;
	char *end;
	long age;

	setup();
	write_plain(target, "old\n");
	write_plain(lock, "someone else's\n");
	utimes(lock, hour_ago);
	CHECK_INT(CRM_ELOCKED, crm_lockfile_acquire(&lk, target, 60));
	/* "'<lock>' exists (3600 s old): ... remove it with 'rm <lock>'" */
	msg = crm_error_last();
	crm_buf_addf(&head, "'%s' exists (", lock);
	crm_buf_addf(&tail, " s old): another crm process is writing, or one was killed; "
		     "if no crm is running, remove it with 'rm %s'", lock);
	CHECK(!strncmp(msg, head.ptr, head.len));
	age = strtol(msg + head.len, &end, 10);
	CHECK(age >= 3600 && age <= 3602);
	CHECK_STR(tail.ptr, end);
	CHECK_INT(CRM_ELOCKED, crm_write_file_atomic(target, "new\n", 4));
	CHECK_STR("old\n", content(target));
	CHECK_STR("someone else's\n", content(lock));
	CHECK(lk.path == NULL && lk.lock_path == NULL);
	crm_buf_release(&head);
	crm_buf_release(&tail);
	cleanup();
}

/* A second writer waits for the first one's lock and then gets it. */
static void test_lockfile__lock_freed_is_taken(void)
{
	struct crm_lockfile a = CRM_LOCKFILE_INIT, b = CRM_LOCKFILE_INIT;

	setup();
	CHECK_INT(0, crm_lockfile_acquire(&a, target, 0));
	CHECK_INT(CRM_ELOCKED, crm_lockfile_acquire(&b, target, 0));
	crm_lockfile_rollback(&a);
	CHECK_INT(0, crm_lockfile_acquire(&b, target, 0));
	CHECK_INT(0, crm_lockfile_write(&b, "b", 1));
	CHECK_INT(0, crm_lockfile_commit(&b));
	CHECK_STR("b", content(target));
	cleanup();
}

/* The mode the user gave the file survives the replacement. */
static void test_lockfile__keeps_the_mode(void)
{
	struct stat st;

	setup();
	write_plain(target, "old\n");
	chmod(target, 0640);
	CHECK_INT(0, crm_write_file_atomic(target, "new\n", 4));
	CHECK_INT(0, stat(target, &st));
	CHECK_INT(0640, st.st_mode & 07777);
	cleanup();
}

static void test_lockfile__missing_folder_is_an_io_error(void)
{
	struct crm_buf path = CRM_BUF_INIT;

	setup();
	crm_buf_addf(&path, "%s/no/such/folder/x.yaml", folder);
	CHECK_INT(CRM_EIO, crm_write_file_atomic(path.ptr, "x", 1));
	CHECK(strstr(crm_error_last(), "cannot create '") != NULL);
	CHECK(strstr(crm_error_last(), "x.yaml.lock'") != NULL);
	crm_buf_release(&path);
	cleanup();
}

TESTS(TEST(test_lockfile__atomic_write_creates_and_replaces),
      TEST(test_lockfile__content_appears_on_commit),
      TEST(test_lockfile__rollback_leaves_the_file), TEST(test_lockfile__held_lock_is_refused),
      TEST(test_lockfile__lock_freed_is_taken), TEST(test_lockfile__keeps_the_mode),
      TEST(test_lockfile__missing_folder_is_an_io_error))
