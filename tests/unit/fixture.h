/* A small data repository that a unit test writes itself: its files put
 * into a fresh temporary folder, the repository opened and indexed
 * (without git dates: the folder is no git work tree), and everything
 * removed at the end.  For tests of the core that need an index. */
#ifndef CRM_TEST_FIXTURE_H
#define CRM_TEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/error.h"
#include "crm/index.h"
#include "crm/repo.h"

struct fixture_file {
	const char *path, *text;   /* relative to the repository */
};

struct fixture {
	char root[64];             /* the temporary folder */
	struct crm_repo repo;
	struct crm_index *idx;
};

static void fixture_write(const struct fixture *fx, const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	for (slash = strchr(path + strlen(fx->root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

/* Writes `files` into a new folder named after `name`, then opens and
 * indexes it with "today" pinned to 2025-06-01.  The schemas come from
 * `schema_dir` (NULL: the repository's own schema/ folder, so the test
 * reads only what it wrote).  Exits when any of it fails. */
static void fixture_load(struct fixture *fx, const char *name, const struct fixture_file *files,
			 size_t n, const char *schema_dir, bool no_cache)
{
	struct crm_index_options o = CRM_INDEX_OPTIONS_INIT;
	char own_schemas[128];
	size_t i;

	memset(fx, 0, sizeof(*fx));
	snprintf(fx->root, sizeof(fx->root), "/tmp/crm-test-%s-XXXXXX", name);
	if (!mkdtemp(fx->root)) {
		perror("mkdtemp");
		exit(1);
	}
	for (i = 0; i < n; i++)
		fixture_write(fx, files[i].path, files[i].text);
	snprintf(own_schemas, sizeof(own_schemas), "%s/schema", fx->root);
	setenv("CRM_SCHEMA_DIR", schema_dir ? schema_dir : own_schemas, 1);
	setenv("CRM_TODAY", "2025-06-01", 1);
	o.git_dates = false;
	o.no_cache = no_cache;
	if (crm_repo_open(&fx->repo, fx->root) || crm_index_load(&fx->idx, &fx->repo, &o)) {
		fprintf(stderr, "cannot load %s: %s\n", fx->root, crm_error_last());
		exit(1);
	}
}

static int fixture_remove_entry(const char *path, const struct stat *st, int flag,
				struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Frees the index and the repository and removes the folder: 0 or -1. */
static int fixture_cleanup(struct fixture *fx)
{
	crm_index_free(fx->idx);
	crm_repo_release(&fx->repo);
	return nftw(fx->root, fixture_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
