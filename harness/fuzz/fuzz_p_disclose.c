/* fuzz_p_disclose.c: libFuzzer target for sorting disclosed items into kinds
 * and finding product versions in device text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_disclose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char tok[4][64];
	size_t n = tb_version_tokens(data, size, tok, 4);
	if (n > 4)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!memchr(tok[i], '\0', sizeof tok[i]) || !tok[i][0])
			abort();
	/* The first line is the key, the rest the value, as C strings. */
	char buf[512];
	size_t k = size < sizeof buf - 1 ? size : sizeof buf - 1;
	memcpy(buf, data, k);
	buf[k] = '\0';
	char *nl = strchr(buf, '\n');
	const char *value = nl ? nl + 1 : "";
	if (nl)
		*nl = '\0';
	if (tb_disc_kinds(buf, value) >= (1u << TB_DISC_COUNT))
		abort();
	return 0;
}
