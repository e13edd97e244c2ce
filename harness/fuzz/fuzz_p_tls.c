/* fuzz_p_tls.c: TLS hellos; version list and SNI stay bounded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_tls_hello h;
	char v[8];
	if (tb_p_tls_hello(data, size, &h) == TB_OK) {
		if (h.nversions > TB_TLS_MAX_VERSIONS || strnlen(h.sni, sizeof h.sni) == sizeof h.sni)
			abort();
		for (size_t i = 0; i < h.nversions; i++)
			tb_p_tls_version_name(h.versions[i], v);
	}
	(void)tb_p_tls_looks_like(data, size);
	return 0;
}
