/* Paths below a root folder, walked one component at a time with openat
 * and O_NOFOLLOW (portable where openat2's RESOLVE_BENEATH is not), so that
 * a symbolic link anywhere on the way is refused and named. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/beneath.h"
#include "crm/error.h"

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

/* Opens the folder that holds the last component of `rel` into *dfd_out
 * and points *last_out at that component (in `copy`, a scratch copy of
 * `rel`).  CRM_ENOTFOUND when a folder on the way is missing. */
static int open_parent(int *dfd_out, char **last_out, char *copy, const char *root,
		       const char *rel)
{
	char *comp = copy, *slash;
	int dfd, err = 0;

	*dfd_out = -1;
	if (rel[0] == '/' || !strcmp(rel, "..") || !strncmp(rel, "../", 3) ||
	    strstr(rel, "/../") || (strlen(rel) >= 3 && !strcmp(rel + strlen(rel) - 3, "/..")))
		return crm_error_set(CRM_EINVALID, "'%s' leads out of '%s'", rel, root);
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return crm_error_errno(CRM_EIO, "cannot open '%s'", root);
	while ((slash = strchr(comp, '/'))) {
		int next;
		*slash = '\0';
		if (!*comp || !strcmp(comp, ".")) {
			comp = slash + 1;
			continue;
		}
		next = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			if (errno == ENOENT)
				err = CRM_ENOTFOUND;
			else if (is_link(dfd, comp))
				err = link_error(dfd, comp, rel, (size_t)(slash - copy));
			else
				err = crm_error_errno(CRM_EIO, "cannot open '%.*s'",
						      (int)(slash - copy), rel);
			goto done;
		}
		close(dfd);
		dfd = next;
		comp = slash + 1;
	}
	*last_out = comp;
done:
	if (err)
		close(dfd);
	else
		*dfd_out = dfd;
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

int crm_buf_read_file_beneath(struct crm_buf *b, const char *root, const char *rel,
			      size_t max)
{
	char *copy = strdup(rel), *last = NULL;
	int dfd = -1, fd, err;

	if (!copy)
		return crm_error_set(CRM_ENOMEM, "out of memory");
	err = open_parent(&dfd, &last, copy, root, rel);
	if (err == CRM_ENOTFOUND)
		err = crm_error_set(CRM_ENOTFOUND, "cannot open '%s': no such file", rel);
	if (err)
		goto done;
	fd = openat(dfd, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && is_link(dfd, last))
		err = link_error(dfd, last, rel, strlen(rel));
	else if (fd < 0)
		err = crm_error_errno(errno == ENOENT ? CRM_ENOTFOUND : CRM_EIO,
				      "cannot open '%s'", rel);
	else
		err = crm_buf_read_fd(b, fd, rel, max);
done:
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return err;
}
