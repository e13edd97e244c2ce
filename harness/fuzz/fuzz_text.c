/* fuzz_text.c: libFuzzer target for tb_text_clean and tb_text_escape.
 * The escape of any bytes must be clean text; clean text escapes to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int clean = tb_text_clean(data, size);
	if (clean != 0 && clean != 1)
		abort();
	char *esc = tb_text_escape(data, size);
	size_t n = strlen(esc);
	if (n < size || n > size * 4)
		abort();
	if (!tb_text_clean((const uint8_t *)esc, n))
		abort();
	if (clean && (n != size || memcmp(esc, data, size) != 0))
		abort();
	if (!clean && n == size && memcmp(esc, data, size) == 0)
		abort();
	/* A prefix of clean text that ends on a character boundary is clean. */
	if (clean && size && (data[size - 1] & 0x80) == 0 && !tb_text_clean(data, size - 1))
		abort();
	free(esc);
	return 0;
}
