/* fuzz_p_upnp.c: libFuzzer target for the UPnP device description scanner. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_upnp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_upnp_item it[8];
	int more;
	size_t n = tb_p_upnp_desc_items(data, size, it, 8, &more);
	if (n > 8 || (more && n != 8))
		abort();
	for (size_t i = 0; i < n; i++)
		if (!memchr(it[i].key, '\0', sizeof it[i].key) ||
		    !memchr(it[i].value, '\0', sizeof it[i].value) || !it[i].key[0])
			abort();
	return 0;
}
