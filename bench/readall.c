/* bench-readall DIR THREADS: reads every record file (*.yaml) below DIR on
 * THREADS threads (open, read to the end, close), after one walk of its
 * folders, and prints how many files and bytes.  The least time any tool
 * that reads every record a system call at a time can take on this
 * machine, crm cold or the Python script of bench/dashboard.py: bench/run.sh
 * sets the Python script's time against it, the largest ratio a cold crm
 * reading that way could reach (crm reads runs of files through io_uring,
 * with fewer calls: src/util/file_batch.c). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 64

struct files {
	char **paths;
	size_t len, cap;
	atomic_size_t next;          /* the next file a thread takes */
	atomic_ullong bytes;
};

static int add_path(struct files *f, const char *path)
{
	if (f->len == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		char **p = realloc(f->paths, cap * sizeof(*p));
		if (!p)
			return -1;
		f->paths = p;
		f->cap = cap;
	}
	f->paths[f->len] = strdup(path);
	return f->paths[f->len++] ? 0 : -1;
}

static bool is_record(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

/* Every *.yaml below `dir`, hidden folders (.git) left out. */
static int walk(struct files *f, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int err = 0;

	if (!d)
		return 0;
	while (!err && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (e->d_type == DT_DIR)
			err = walk(f, path);
		else if (e->d_type == DT_REG && is_record(e->d_name))
			err = add_path(f, path);
	}
	closedir(d);
	return err;
}

static void *reader(void *arg)
{
	struct files *f = arg;
	static _Thread_local char buf[1 << 16];
	unsigned long long got = 0;
	size_t i;
	ssize_t n;

	while ((i = atomic_fetch_add(&f->next, 1)) < f->len) {
		int fd = open(f->paths[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			got += (unsigned long long)n;
		close(fd);
	}
	atomic_fetch_add(&f->bytes, got);
	return NULL;
}

int main(int argc, char **argv)
{
	struct files f = { 0 };
	pthread_t threads[MAX_THREADS];
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 2;
	int i, started = 0;
	size_t k;

	if (argc < 2 || n < 1 || n > MAX_THREADS) {
		fprintf(stderr, "usage: bench-readall DIR [THREADS]\n");
		return 2;
	}
	if (walk(&f, argv[1])) {
		fprintf(stderr, "bench-readall: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++)
		started += !pthread_create(&threads[started], NULL, reader, &f);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	printf("%zu files, %llu bytes\n", f.len, (unsigned long long)f.bytes);
	for (k = 0; k < f.len; k++)
		free(f.paths[k]);
	free(f.paths);
	return started ? 0 : 1;
}
