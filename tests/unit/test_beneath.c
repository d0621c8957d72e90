/* Unit tests of paths below a root without following links
 * (src/util/beneath.c): a link anywhere on the way is refused and named,
 * "..", and absolute paths are refused, a missing folder is no link;
 * files are written, removed and folders made beneath the root only, with
 * openat2 and with the walk that stands in for it on older kernels. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/beneath.h"
#include "crm/buf.h"
#include "crm/error.h"
#include "harness.h"

/* root/ with a/real.txt, a/link.txt -> real.txt, ln -> a, out -> /etc */
static char root[256];

static void path(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", root, rel);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char p[512];
	FILE *f;

	snprintf(root, sizeof(root), "%s/crm-beneath.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(2);
	}
	path(p, sizeof(p), "a");
	mkdir(p, 0777);
	path(p, sizeof(p), "a/real.txt");
	f = fopen(p, "w");
	if (f) {
		fputs("inside\n", f);
		fclose(f);
	}
	path(p, sizeof(p), "a/link.txt");
	if (symlink("real.txt", p))
		perror("symlink");
	path(p, sizeof(p), "ln");
	if (symlink("a", p))
		perror("symlink");
	path(p, sizeof(p), "out");
	if (symlink("/etc", p))
		perror("symlink");
}

static void cleanup(void)
{
	static const char *const names[] = { "a/real.txt", "a/link.txt", "ln", "out", "a" };
	char p[512];
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path(p, sizeof(p), names[i]);
		if (remove(p))
			perror(p);
	}
	rmdir(root);
}

static void test_beneath__plain_paths_pass(void)
{
	setup();
	CHECK_INT(0, crm_path_check_beneath(root, "a/real.txt"));
	CHECK_INT(0, crm_path_check_beneath(root, "a/new.txt"));
	CHECK_INT(0, crm_path_check_beneath(root, "b/c/new.txt"));   /* nothing there to follow */
	CHECK_INT(0, crm_path_check_beneath(root, "./a//real.txt"));
	cleanup();
}

static void test_beneath__links_are_refused_and_named(void)
{
	setup();
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "a/link.txt"));
	CHECK_STR("'a/link.txt' is a symbolic link to 'real.txt', which crm does not follow",
		  crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "ln/real.txt"));
	CHECK_STR("'ln' is a symbolic link to 'a', which crm does not follow", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "out/passwd"));
	CHECK_STR("'out' is a symbolic link to '/etc', which crm does not follow",
		  crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "ln"));
	cleanup();
}

static void test_beneath__climbing_is_refused(void)
{
	setup();
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "../x"));
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "a/../../x"));
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "a/.."));
	CHECK_INT(CRM_EINVALID, crm_path_check_beneath(root, "/etc/passwd"));
	cleanup();
}

static void test_beneath__read_follows_no_link(void)
{
	struct crm_buf b = CRM_BUF_INIT;

	setup();
	CHECK_INT(0, crm_buf_read_file_beneath(&b, root, "a/real.txt", 100));
	CHECK_STR("inside\n", b.ptr);
	crm_buf_reset(&b);
	CHECK_INT(CRM_EINVALID, crm_buf_read_file_beneath(&b, root, "a/link.txt", 100));
	CHECK_INT(CRM_EINVALID, crm_buf_read_file_beneath(&b, root, "out/passwd", 100));
	CHECK_INT(CRM_ENOTFOUND, crm_buf_read_file_beneath(&b, root, "a/none.txt", 100));
	CHECK_INT(CRM_ENOTFOUND, crm_buf_read_file_beneath(&b, root, "b/none.txt", 100));
	CHECK_INT(0, (int)b.len);
	crm_buf_release(&b);
	cleanup();
}

/* The bytes of `rel` below root, or "(none)". */
static const char *contents(const char *rel)
{
	static char text[256];
	char p[512];
	FILE *f;
	size_t n;

	path(p, sizeof(p), rel);
	f = fopen(p, "r");
	if (!f)
		return "(none)";
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Every writer, with openat2 when `walk` is 0 and with the walk one
 * component at a time (CRM_TEST_FAIL=openat2) when 1: both give the same
 * answers and the same messages. */
static void check_writers(int walk)
{
	char p[512], expect[600];
	bool made;

	if (walk)
		setenv("CRM_TEST_FAIL", "openat2", 1);
	setup();
	/* plain paths work */
	CHECK_INT(0, crm_write_file_beneath(root, "a/real.txt", "new\n", 4, true));
	CHECK_STR("new\n", contents("a/real.txt"));
	CHECK_INT(0, crm_write_file_beneath(root, "./a//fresh.txt", "fresh\n", 6, false));
	CHECK_STR("fresh\n", contents("a/fresh.txt"));
	CHECK_INT(0, crm_unlink_beneath(root, "a/fresh.txt"));
	CHECK_STR("(none)", contents("a/fresh.txt"));
	CHECK_INT(CRM_ENOTFOUND, crm_unlink_beneath(root, "a/fresh.txt"));
	CHECK_INT(0, crm_mkdir_beneath(&made, root, "a/sub"));
	CHECK(made);
	CHECK_INT(0, crm_mkdir_beneath(&made, root, "a/sub"));
	CHECK(!made);
	CHECK_INT(0, crm_write_file_beneath(root, "a/sub/x.txt", "x", 1, true));
	CHECK_INT(0, crm_unlink_beneath(root, "a/sub/x.txt"));
	CHECK_INT(0, crm_rmdir_beneath(root, "a/sub"));
	/* a new file is created in place, never over one that is there */
	CHECK_INT(0, crm_create_file_beneath(root, "a//created.txt", "made\n", 5, true));
	CHECK_STR("made\n", contents("a/created.txt"));
	CHECK_INT(CRM_EEXISTS,
		  crm_create_file_beneath(root, "a/created.txt", "again\n", 6, false));
	CHECK_STR("made\n", contents("a/created.txt"));
	CHECK_INT(CRM_EEXISTS, crm_create_file_beneath(root, "a/link.txt", "evil", 4, false));
	CHECK_STR("new\n", contents("a/real.txt"));
	CHECK_INT(0, crm_unlink_beneath(root, "a/created.txt"));
	/* a folder on the way that is missing is named */
	CHECK_INT(CRM_ENOTFOUND, crm_write_file_beneath(root, "b/c/new.txt", "x", 1, true));
	CHECK_STR("'b' does not exist", crm_error_last());

	/* a link as an intermediate folder: nothing written where it leads */
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "ln/real.txt", "evil", 4, true));
	CHECK_STR("'ln' is a symbolic link to 'a', which crm does not follow", crm_error_last());
	CHECK_STR("new\n", contents("a/real.txt"));
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "ln/made.txt", "evil", 4, true));
	CHECK_STR("(none)", contents("a/made.txt"));
	CHECK_INT(CRM_EINVALID, crm_create_file_beneath(root, "ln/made.txt", "evil", 4, false));
	CHECK_STR("'ln' is a symbolic link to 'a', which crm does not follow", crm_error_last());
	CHECK_STR("(none)", contents("a/made.txt"));
	CHECK_INT(CRM_EINVALID, crm_unlink_beneath(root, "ln/real.txt"));
	CHECK_STR("new\n", contents("a/real.txt"));
	CHECK_INT(CRM_EINVALID, crm_mkdir_beneath(&made, root, "ln/sub"));
	CHECK(!made);
	CHECK_INT(CRM_EINVALID, crm_mkdir_beneath(&made, root, "ln"));
	CHECK_STR("'ln' is a symbolic link to 'a', which crm does not follow", crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "out/crm-beneath-test", "x", 1,
							true));
	CHECK_STR("'out' is a symbolic link to '/etc', which crm does not follow",
		  crm_error_last());

	/* a link as the file itself is neither written through nor replaced */
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "a/link.txt", "evil", 4, true));
	CHECK_STR("'a/link.txt' is a symbolic link to 'real.txt', which crm does not follow",
		  crm_error_last());
	CHECK_STR("new\n", contents("a/real.txt"));
	path(p, sizeof(p), "a/link.txt");
	CHECK_INT(8, (int)readlink(p, expect, sizeof(expect)));

	/* climbing and absolute paths */
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "../x", "x", 1, true));
	snprintf(expect, sizeof(expect), "'../x' leads out of '%s'", root);
	CHECK_STR(expect, crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "a/../../x", "x", 1, true));
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "a/..", "x", 1, true));
	CHECK_INT(CRM_EINVALID, crm_unlink_beneath(root, "a/../a/real.txt"));
	CHECK_STR("new\n", contents("a/real.txt"));
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "/tmp/crm-beneath-abs", "x", 1, true));
	snprintf(expect, sizeof(expect), "'/tmp/crm-beneath-abs' is absolute, not a path below "
		 "'%s'", root);
	CHECK_STR(expect, crm_error_last());
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "", "x", 1, true));
	CHECK_INT(CRM_EINVALID, crm_write_file_beneath(root, "a/", "x", 1, true));
	CHECK_STR("'a/' names a folder, not a file", crm_error_last());
	cleanup();
	unsetenv("CRM_TEST_FAIL");
}

static void test_beneath__writes_follow_no_link(void)
{
	check_writers(0);
}

static void test_beneath__writes_follow_no_link_without_openat2(void)
{
	check_writers(1);
}

/* A batch keeps the folder open between files: files of one folder and
 * of the root go in, the stat data is the new file's, a link is refused as
 * it is one call at a time, and the folder is the one first opened. */
static void test_beneath__batch_creates_and_reads(void)
{
	static const char *const made[] = { "a/one.txt", "a/two.txt", "top.txt", "a/four.txt" };
	struct crm_beneath b = CRM_BENEATH_INIT(root);
	struct crm_buf text = CRM_BUF_INIT;
	struct stat st, want;
	char p[512];
	size_t i;

	setup();
	CHECK_INT(0, crm_beneath_create(&b, "a/one.txt", "1\n", 2, false, &st));
	CHECK_INT(0, crm_beneath_create(&b, "a/two.txt", "2\n", 2, false, NULL));
	CHECK_INT(0, crm_beneath_create(&b, "top.txt", "t\n", 2, false, NULL));
	CHECK_INT(CRM_EEXISTS, crm_beneath_create(&b, "a/one.txt", "x", 1, false, NULL));
	CHECK_INT(CRM_EINVALID, crm_beneath_create(&b, "ln/three.txt", "3", 1, false, NULL));
	CHECK_INT(CRM_EINVALID, crm_beneath_read(&b, &text, "a/link.txt", 100));
	CHECK_INT(0, crm_beneath_read(&b, &text, "a/real.txt", 100));
	CHECK_INT(0, crm_beneath_read(&b, &text, "a/two.txt", 100));
	CHECK_STR("inside\n2\n", text.ptr);
	CHECK_INT(CRM_ENOTFOUND, crm_beneath_read(&b, &text, "b/none.txt", 100));
	crm_beneath_release(&b);
	CHECK_INT(0, crm_beneath_create(&b, "a/four.txt", "4\n", 2, true, NULL));
	crm_beneath_release(&b);
	CHECK_STR("1\n", contents("a/one.txt"));
	CHECK_STR("t\n", contents("top.txt"));
	CHECK_STR("4\n", contents("a/four.txt"));
	path(p, sizeof(p), "a/one.txt");
	CHECK(!stat(p, &want) && want.st_ino == st.st_ino && want.st_size == 2 &&
	      want.st_mtim.tv_nsec == st.st_mtim.tv_nsec);
	for (i = 0; i < sizeof(made) / sizeof(*made); i++) {
		path(p, sizeof(p), made[i]);
		remove(p);
	}
	crm_buf_release(&text);
	cleanup();
}

TESTS(TEST(test_beneath__plain_paths_pass), TEST(test_beneath__links_are_refused_and_named),
      TEST(test_beneath__climbing_is_refused), TEST(test_beneath__read_follows_no_link),
      TEST(test_beneath__writes_follow_no_link),
      TEST(test_beneath__writes_follow_no_link_without_openat2),
      TEST(test_beneath__batch_creates_and_reads))
