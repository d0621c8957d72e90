/* A folder for a unit test of the git layer, with git's environment
 * pinned: HOME inside it (no ~/.gitconfig of the user's), no system
 * configuration for the git command, discovery stopped at the folder,
 * TZ=UTC, a known identity and dates.  Shared by test_git.c and
 * test_git_index.c; include after harness.h. */
#ifndef CRM_TEST_GIT_SANDBOX_H
#define CRM_TEST_GIT_SANDBOX_H

#include <ftw.h>
#include <git2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

struct sandbox {
	char dir[256];    /* the temporary folder, below $TMPDIR or /tmp */
	char repo[300];   /* dir + "/repo", where the cases make their repository */
};

/* crm keeps libgit2 initialised for the whole process, and libgit2 finds
 * the global and XDG configuration from $HOME when it is initialised: a
 * case that moves HOME has it look again (NULL: from the environment). */
static inline void follow_home(void)
{
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, NULL);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, NULL);
	git_libgit2_shutdown();
}

/* A fresh folder named after `name`; false (and a failed check) when it
 * cannot be made. */
static inline bool sandbox_open_named(struct sandbox *sb, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	char home[300];

	snprintf(sb->dir, sizeof(sb->dir), "%s/crm-test-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
		 name);
	if (!mkdtemp(sb->dir)) {
		CHECK(!"mkdtemp failed");
		return false;
	}
	snprintf(sb->repo, sizeof(sb->repo), "%s/repo", sb->dir);
	snprintf(home, sizeof(home), "%s/home", sb->dir);
	CHECK_INT(0, mkdir(home, 0777));
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CEILING_DIRECTORIES", sb->dir, 1);
	setenv("TZ", "UTC", 1);
	setenv("LANG", "C", 1);
	setenv("GIT_AUTHOR_NAME", "Alice Example", 1);
	setenv("GIT_AUTHOR_EMAIL", "alice@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Alice Example", 1);
	setenv("GIT_COMMITTER_EMAIL", "alice@example.com", 1);
	setenv("GIT_AUTHOR_DATE", "2025-06-01T12:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2025-06-01T12:00:00Z", 1);
	unsetenv("EMAIL");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	follow_home();
	return true;
}

static inline int sandbox_remove_entry(const char *path, const struct stat *st, int flag,
				       struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void sandbox_close(struct sandbox *sb)
{
	CHECK_INT(0, nftw(sb->dir, sandbox_remove_entry, 16, FTW_DEPTH | FTW_PHYS));
}

#endif
