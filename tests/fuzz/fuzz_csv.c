/* Fuzz target: the CSV reader (libcsv under crm_csv_read) turns any bytes
 * into rows or a located error, as UTF-8 and through iconv from another
 * encoding, and every cell it returns can be read; never a crash, hang or
 * leak. */
#include <stdint.h>
#include <string.h>

#include "crm/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_as(const uint8_t *data, size_t size, const char *encoding)
{
	struct crm_csv_file f;
	struct crm_csv_read_options o = { "fuzz.csv", encoding };
	size_t r, c, total = 0;

	memset(&f, 0, sizeof(f));
	if (crm_csv_read(&f, (const char *)data, size, &o) == 0) {
		for (r = 0; r < f.rows.len; r++)
			for (c = 0; c <= f.ncols; c++)
				total += strlen(crm_csv_cell(&f, r, c));
		(void)crm_csv_column(&f, "Email");
		(void)total;
	}
	crm_csv_file_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_as(data, size, NULL);
	/* one byte in eight picks a legacy encoding, as --encoding would */
	if (size && (data[0] & 7) == 0)
		read_as(data, size, "Windows-1250");
	return 0;
}
