/* Replays a fuzz target on every file of a corpus folder, so each corpus is
 * checked by every `make check` (under the sanitizers in `make asan`);
 * `make fuzz` links the same targets with libFuzzer instead. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	struct crm_buf path = CRM_BUF_INIT, data = CRM_BUF_INIT;
	struct dirent *e;
	uint8_t *exact;
	DIR *d;
	int passed = 0, failed = 0;

	if (argc != 2 || !(d = opendir(argv[1]))) {
		fprintf(stderr, "usage: %s CORPUS-FOLDER\n", argv[0]);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		crm_buf_reset(&path);
		crm_buf_addf(&path, "%s/%s", argv[1], e->d_name);
		crm_buf_reset(&data);
		if (crm_buf_read_file(&data, path.ptr, 1 << 24)) {
			fprintf(stderr, "FAIL cannot read %s\n", path.ptr);
			failed++;
			continue;
		}
		/* a crash or a sanitizer report ends the process: reaching the
		 * next line is the pass.  The input goes in a buffer of its exact
		 * size, as libFuzzer gives it: no NUL after it to hide a read
		 * past the end from the sanitizers */
		exact = malloc(data.len ? data.len : 1);
		if (!exact) {
			fprintf(stderr, "FAIL out of memory for %s\n", path.ptr);
			failed++;
			continue;
		}
		memcpy(exact, data.ptr, data.len);
		LLVMFuzzerTestOneInput(exact, data.len);
		free(exact);
		passed++;
	}
	closedir(d);
	crm_buf_release(&path);
	crm_buf_release(&data);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
