/* fuzz_p_dns.c: DNS response answers; names stay terminated and bounded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_dns_a a[4];
	size_t n = 0;
	if (tb_p_dns_answers(data, size, a, 4, &n) == TB_OK)
		for (size_t i = 0; i < n; i++)
			if (n > 4 || strnlen(a[i].name, sizeof a[i].name) == sizeof a[i].name)
				abort();
	return 0;
}
