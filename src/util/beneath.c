/* Paths below a root folder, opened without following any symbolic link:
 * the folder that holds a file is opened with openat2's RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS where the kernel has it, else one component at a
 * time with openat and O_NOFOLLOW; files are then read, written, renamed
 * and removed relative to that folder, so nothing can swap a link in
 * between a check and the write. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif
#endif

#include "crm/beneath.h"
#include "crm/error.h"
#include "crm/lockfile.h"
#include "util/testhook.h"

/* The error for the link `rel`[0..len) found in folder `dfd` as `name`. */
static int link_error(int dfd, const char *name, const char *rel, size_t len)
{
	char target[4096];
	ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);

	target[n > 0 ? n : 0] = '\0';
	return crm_error_set(CRM_EINVALID, "'%.*s' is a symbolic link to '%s', which crm "
			     "does not follow", (int)len, rel, target);
}

/* Whether `name` in folder `dfd` is a symbolic link. */
static int is_link(int dfd, const char *name)
{
	struct stat st;
	return !fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode);
}

static int is_dot_dot(const char *comp, size_t len)
{
	return len == 2 && comp[0] == '.' && comp[1] == '.';
}

/* CRM_EINVALID for a path that is empty, absolute or has a ".." component. */
static int check_relative(const char *root, const char *rel)
{
	const char *p = rel;

	if (!*rel)
		return crm_error_set(CRM_EINVALID, "an empty path names no file below '%s'", root);
	if (rel[0] == '/')
		return crm_error_set(CRM_EINVALID, "'%s' is absolute, not a path below '%s'", rel,
				     root);
	for (;;) {
		size_t len = strcspn(p, "/");
		if (is_dot_dot(p, len))
			return crm_error_set(CRM_EINVALID, "'%s' leads out of '%s'", rel, root);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* The folder `dir` (a path below the open folder `rootfd`, no ".." in it)
 * opened by the kernel without following any link or leaving rootfd; -1
 * with errno when the kernel cannot (ENOSYS before Linux 5.6) or the path
 * does not resolve so.  CRM_TEST_FAIL=openat2 makes it always fail, so the
 * tests reach the walk below on any kernel. */
static int open_dir_openat2(int rootfd, const char *dir)
{
#if defined(SYS_openat2) && defined(RESOLVE_BENEATH)
	struct open_how how;

	if (crm_test_fail("openat2")) {
		errno = ENOSYS;
		return -1;
	}
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, rootfd, dir, &how, sizeof(how));
#else
	(void)rootfd;
	(void)dir;
	errno = ENOSYS;
	return -1;
#endif
}

/* Replaces the open folder *dfd by its subfolder `comp`, without following
 * a link; `rel`[0..len) names it in a message. */
static int enter(int *dfd, const char *comp, const char *rel, size_t len)
{
	int next = openat(*dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int saved = errno;

	if (next < 0 && is_link(*dfd, comp))
		return link_error(*dfd, comp, rel, len);
	if (next < 0 && saved == ENOENT)
		return crm_error_set(CRM_ENOTFOUND, "'%.*s' does not exist", (int)len, rel);
	if (next < 0) {
		errno = saved;
		return crm_error_errno(CRM_EIO, "cannot open '%.*s'", (int)len, rel);
	}
	close(*dfd);
	*dfd = next;
	return 0;
}

/* Walks `copy` (a scratch copy of `rel`, cut at its last slash: the folder
 * part) from `rootfd` with openat and O_NOFOLLOW, one component at a time,
 * into *dfd_out.  This is also what names the link, or the missing folder,
 * when openat2 refused. */
static int walk_dirs(int *dfd_out, int rootfd, char *copy, const char *rel)
{
	char *comp = copy, *slash = NULL;
	int dfd = dup(rootfd), err = 0;

	if (dfd < 0)
		return crm_error_errno(CRM_EIO, "cannot open the folder of '%s'", rel);
	for (; !err && comp; comp = slash ? slash + 1 : NULL) {
		slash = strchr(comp, '/');
		if (slash)
			*slash = '\0';
		/* "a//b" and "./a" name the same folders as "a/b" and "a" */
		if (*comp && strcmp(comp, "."))
			err = enter(&dfd, comp, rel, (size_t)(comp - copy) + strlen(comp));
	}
	if (err)
		close(dfd);
	else
		*dfd_out = dfd;
	return err;
}

/* Opens the folder that holds the last component of `rel` into *dfd_out
 * and points *last_out at that component (in `copy`, a scratch copy of
 * `rel`).  CRM_ENOTFOUND when a folder on the way is missing. */
static int open_parent(int *dfd_out, char **last_out, char *copy, const char *root,
		       const char *rel)
{
	char *slash = strrchr(copy, '/');
	int rootfd, err = 0;

	*dfd_out = -1;
	err = check_relative(root, rel);
	if (err)
		return err;
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return crm_error_errno(CRM_EIO, "cannot open '%s'", root);
	if (!slash) {
		*dfd_out = rootfd;
		*last_out = copy;
		return 0;
	}
	*slash = '\0';
	*last_out = slash + 1;
	*dfd_out = open_dir_openat2(rootfd, *copy ? copy : ".");
	if (*dfd_out < 0)
		err = walk_dirs(dfd_out, rootfd, copy, rel);
	close(rootfd);
	return err;
}

int crm_path_check_beneath(const char *root, const char *rel)
{
	char *copy = strdup(rel), *last = NULL;
	int dfd = -1, err;

	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = open_parent(&dfd, &last, copy, root, rel);
	if (err == CRM_ENOTFOUND)
		err = 0;
	else if (!err && *last && is_link(dfd, last))
		err = link_error(dfd, last, rel, strlen(rel));
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return err;
}

/* ---- a batch of files below one root ---- */

void crm_beneath_release(struct crm_beneath *b)
{
	if (b->dfd >= 0)
		close(b->dfd);
	if (b->rootfd >= 0)
		close(b->rootfd);
	free(b->dir);
	b->dfd = b->rootfd = -1;
	b->dir = NULL;
}

/* The open folder holding `rel`'s last component (owned by `b`: the same
 * one again while the folder part stays the same) and that component. */
static int beneath_parent(struct crm_beneath *b, const char *rel, int *dfd_out,
			  const char **last_out)
{
	const char *slash = strrchr(rel, '/');
	size_t dlen = slash ? (size_t)(slash - rel) : 0;
	char *dir;
	int err = check_relative(b->root, rel), dfd = -1;

	*dfd_out = -1;
	*last_out = slash ? slash + 1 : rel;
	if (err)
		return err;
	if (b->dir && strlen(b->dir) == dlen && !memcmp(b->dir, rel, dlen)) {
		*dfd_out = b->dfd;
		return 0;
	}
	if (b->rootfd < 0 && (b->rootfd = open(b->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return crm_error_errno(CRM_EIO, "cannot open '%s'", b->root);
	if (!(dir = strndup(rel, dlen)))
		return crm_error_set(CRM_ENOMEM, "out of memory");
	if (!dlen)
		dfd = dup(b->rootfd);
	else if ((dfd = open_dir_openat2(b->rootfd, dir)) < 0)
		err = walk_dirs(&dfd, b->rootfd, dir, rel);
	if (!err && dfd < 0)
		err = crm_error_errno(CRM_EIO, "cannot open the folder of '%s'", rel);
	if (err) {
		free(dir);
		return err;
	}
	/* walk_dirs cut its copy at each slash: keep the folder as asked */
	memcpy(dir, rel, dlen);
	if (b->dfd >= 0)
		close(b->dfd);
	free(b->dir);
	b->dir = dir;
	b->dfd = dfd;
	*dfd_out = dfd;
	return 0;
}

int crm_beneath_read(struct crm_beneath *b, struct crm_buf *out, const char *rel, size_t max)
{
	const char *last;
	int dfd, fd, saved, err = beneath_parent(b, rel, &dfd, &last);

	if (err == CRM_ENOTFOUND)
		return crm_error_set(CRM_ENOTFOUND, "cannot open '%s': no such file", rel);
	if (err)
		return err;
	fd = openat(dfd, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	saved = errno;
	if (fd < 0 && is_link(dfd, last))
		return link_error(dfd, last, rel, strlen(rel));
	if (fd < 0) {
		errno = saved;
		return crm_error_errno(saved == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				       "cannot open '%s'", rel);
	}
	return crm_buf_read_fd(out, fd, rel, max, 0);
}

int crm_beneath_create(struct crm_beneath *b, const char *rel, const void *data, size_t len,
		       bool flush, struct stat *st_out)
{
	const char *last;
	int dfd, fd, err = beneath_parent(b, rel, &dfd, &last);

	if (!err && (!*last || !strcmp(last, ".")))
		err = crm_error_set(CRM_EINVALID, "'%s' names a folder, not a file", rel);
	if (err)
		return err;
	fd = openat(dfd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return crm_error_errno(errno == EEXIST ? CRM_EEXISTS : CRM_EIO,
				       "cannot create '%s'", rel);
	if (crm_fd_write_all(fd, data, len) || (flush && fsync(fd)) ||
	    (st_out && fstat(fd, st_out)))
		err = crm_error_errno(CRM_EIO, "cannot write '%s'", rel);
	if (close(fd) && !err)
		err = crm_error_errno(CRM_EIO, "cannot write '%s'", rel);
	if (err)
		unlinkat(dfd, last, 0);
	else if (flush)
		fsync(dfd);
	return err;
}

int crm_buf_read_file_beneath(struct crm_buf *b, const char *root, const char *rel,
			      size_t max)
{
	struct crm_beneath one = CRM_BENEATH_INIT(root);
	int err = crm_beneath_read(&one, b, rel, max);

	crm_beneath_release(&one);
	return err;
}

int crm_create_file_beneath(const char *root, const char *rel, const void *data, size_t len,
			    bool flush)
{
	struct crm_beneath one = CRM_BENEATH_INIT(root);
	int err = crm_beneath_create(&one, rel, data, len, flush, NULL);

	crm_beneath_release(&one);
	return err;
}

int crm_write_file_beneath(const char *root, const char *rel, const void *data, size_t len,
			   bool flush)
{
	char *copy = strdup(rel), *last = NULL;
	int dfd = -1, err;

	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = open_parent(&dfd, &last, copy, root, rel);
	if (!err && (!*last || !strcmp(last, ".")))
		err = crm_error_set(CRM_EINVALID, "'%s' names a folder, not a file", rel);
	/* a link in the last place is replaced by the rename, never written
	 * through; it is refused all the same, as a write there is a mistake */
	if (!err && is_link(dfd, last))
		err = link_error(dfd, last, rel, strlen(rel));
	if (!err)
		err = crm_write_file_atomic_at(dfd, last, data, len, flush);
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return err;
}

int crm_unlink_beneath(const char *root, const char *rel)
{
	char *copy = strdup(rel), *last = NULL;
	int dfd = -1, err;

	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = open_parent(&dfd, &last, copy, root, rel);
	if (!err && unlinkat(dfd, last, 0))
		err = crm_error_errno(errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				      "cannot remove '%s'", rel);
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return err;
}

int crm_mkdir_beneath(bool *made_out, const char *root, const char *rel)
{
	char *copy = strdup(rel), *last = NULL;
	struct stat st;
	int dfd = -1, err;

	*made_out = false;
	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = open_parent(&dfd, &last, copy, root, rel);
	if (err)
		goto done;
	if (!mkdirat(dfd, last, 0777))
		*made_out = true;
	else if (errno != EEXIST)
		err = crm_error_errno(CRM_EIO, "cannot create '%s'", rel);
	else if (is_link(dfd, last))
		err = link_error(dfd, last, rel, strlen(rel));
	else if (fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
		err = crm_error_set(CRM_EINVALID, "'%s' is not a folder", rel);
done:
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return err;
}

int crm_rmdir_beneath(const char *root, const char *rel)
{
	char *copy = strdup(rel), *last = NULL;
	int dfd = -1, err;

	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = open_parent(&dfd, &last, copy, root, rel);
	if (!err && unlinkat(dfd, last, AT_REMOVEDIR))
		err = crm_error_errno(errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				      "cannot remove the folder '%s'", rel);
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return err;
}
