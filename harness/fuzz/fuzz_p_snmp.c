/* fuzz_p_snmp.c: SNMP v1/v2c headers; the community stays bounded. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_snmp_msg m;
	if (tb_p_snmp(data, size, &m) == TB_OK &&
	    (m.community_len > TB_SNMP_COMMUNITY_MAX || m.community_len > size || m.version > 1))
		abort();
	return 0;
}
