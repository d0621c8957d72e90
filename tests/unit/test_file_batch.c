/* Runs of files opened, read and closed together (src/util/file_batch.c):
 * through io_uring and one call at a time, the same descriptors' worth of
 * files, the same bytes, the same errors, and no descriptor left open. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/file_batch.h"
#include "harness.h"

#define FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)

static char folder[256];

static void write_file(const char *name, const char *text, size_t len)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

/* A folder of files each case reads: one of a few bytes, an empty one,
 * one of 5000, a link, a folder, and a name that is not there. */
static int setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char big[5000], path[400];
	int dir;

	snprintf(folder, sizeof(folder), "%s/crm-file-batch.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(folder)) {
		perror("mkdtemp");
		exit(2);
	}
	memset(big, 'x', sizeof(big));
	write_file("a.yaml", "name: A\n", 8);
	write_file("empty.yaml", "", 0);
	write_file("big.yaml", big, sizeof(big));
	snprintf(path, sizeof(path), "%s/link.yaml", folder);
	if (symlink("a.yaml", path))
		perror("symlink");
	snprintf(path, sizeof(path), "%s/sub", folder);
	mkdir(path, 0700);
	dir = open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		perror(folder);
		exit(2);
	}
	return dir;
}

static void cleanup(int dir)
{
	static const char *const names[] = { "a.yaml", "empty.yaml", "big.yaml", "link.yaml" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		unlinkat(dir, names[i], 0);
	unlinkat(dir, "sub", AT_REMOVEDIR);
	close(dir);
	rmdir(folder);
}

/* How many descriptors this process has open. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Opens and reads the folder's files with `b` (NULL: no batch at all) and
 * checks each result. */
static void read_the_folder(struct crm_file_batch *b, int dir)
{
	static const char *const names[] = { "a.yaml", "empty.yaml", "big.yaml",
					      "link.yaml", "missing.yaml", "sub" };
	char bufs[4][4096], *ptrs[4];
	size_t room[4], i;
	ssize_t got[4];
	int fds[6], before = open_fds();

	crm_file_batch_open(b, dir, names, 6, FLAGS, fds);
	for (i = 0; i < 3; i++)
		CHECK(fds[i] >= 0);
	CHECK_INT(-ELOOP, fds[3]);     /* not followed */
	CHECK_INT(-ENOENT, fds[4]);
	CHECK(fds[5] >= 0);            /* a folder opens; its read fails */
	fds[3] = fds[5];
	for (i = 0; i < 4; i++) {
		memset(bufs[i], '?', sizeof(bufs[i]));
		ptrs[i] = bufs[i];
		room[i] = sizeof(bufs[i]);
	}
	room[0] = 9;                   /* one more than there is: all of it */
	crm_file_batch_read_close(b, fds, ptrs, room, 4, got);
	CHECK_INT(8, got[0]);
	CHECK(!memcmp(bufs[0], "name: A\n", 8));
	CHECK_INT(0, got[1]);
	CHECK_INT(4096, got[2]);       /* the room, not more */
	CHECK(bufs[2][0] == 'x' && bufs[2][4095] == 'x');
	CHECK_INT(-EISDIR, got[3]);
	CHECK_INT(before, open_fds()); /* every one closed */
}

static void test_file_batch__ring_reads_what_plain_calls_read(void)
{
	int dir = setup();
	struct crm_file_batch *b = crm_file_batch_new();
	bool ring = crm_file_batch_uses_ring(b);

	CHECK(b != NULL);
	read_the_folder(b, dir);
	read_the_folder(b, dir);       /* the ring is used again */
	CHECK(crm_file_batch_uses_ring(b) == ring);   /* and kept */
	read_the_folder(NULL, dir);
	crm_file_batch_free(b);
	cleanup(dir);
	if (!ring)
		SKIP("io_uring is not allowed here: the one-by-one calls were checked");
}

static void test_file_batch__without_io_uring_when_told(void)
{
	int dir = setup();
	struct crm_file_batch *b;

	setenv("CRM_NO_IO_URING", "1", 1);
	b = crm_file_batch_new();
	unsetenv("CRM_NO_IO_URING");
	CHECK(b != NULL);
	CHECK(!crm_file_batch_uses_ring(b));
	read_the_folder(b, dir);
	crm_file_batch_free(b);
	cleanup(dir);
}

/* A whole run: as many files as one call takes, each its own bytes. */
static void test_file_batch__a_full_run(void)
{
	static char bufs[CRM_FILE_BATCH_MAX][32];
	char names_buf[CRM_FILE_BATCH_MAX][16], text[32], *ptrs[CRM_FILE_BATCH_MAX];
	const char *names[CRM_FILE_BATCH_MAX];
	size_t room[CRM_FILE_BATCH_MAX], i;
	ssize_t got[CRM_FILE_BATCH_MAX];
	int fds[CRM_FILE_BATCH_MAX], dir = setup(), before;
	struct crm_file_batch *b = crm_file_batch_new();

	before = open_fds();   /* the ring's own descriptor counted */

	for (i = 0; i < CRM_FILE_BATCH_MAX; i++) {
		snprintf(names_buf[i], sizeof(names_buf[i]), "f%zu.yaml", i);
		names[i] = names_buf[i];
		snprintf(text, sizeof(text), "id: %zu\n", i * 7);
		write_file(names[i], text, strlen(text));
		ptrs[i] = bufs[i];
		room[i] = sizeof(bufs[i]);
	}
	crm_file_batch_open(b, dir, names, CRM_FILE_BATCH_MAX, FLAGS, fds);
	crm_file_batch_read_close(b, fds, ptrs, room, CRM_FILE_BATCH_MAX, got);
	for (i = 0; i < CRM_FILE_BATCH_MAX; i++) {
		snprintf(text, sizeof(text), "id: %zu\n", i * 7);
		CHECK_INT((long long)strlen(text), got[i]);
		CHECK(got[i] > 0 && !memcmp(bufs[i], text, (size_t)got[i]));
		unlinkat(dir, names[i], 0);
	}
	CHECK_INT(before, open_fds());
	crm_file_batch_free(b);
	cleanup(dir);
}

TESTS(TEST(test_file_batch__ring_reads_what_plain_calls_read),
      TEST(test_file_batch__without_io_uring_when_told),
      TEST(test_file_batch__a_full_run))
