/* fuzz_p_udpprobe.c: UDP reply identifier; the first byte picks the probe kind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_udpprobe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keys and values are NUL-terminated printable ASCII. */
static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_udp_ident id;
	uint8_t probe[1500];
	if (size < 1)
		return 0;
	enum tb_udp_proto p = (enum tb_udp_proto)(data[0] % TB_UDP_NPROTO);
	/* the seeds answer probes sent with this txid */
	int m = tb_udp_identify(p, 0x01020304u, data + 1, size - 1, &id);
	if (m != id.matched || (m != 0 && m != 1) || !id.protocol || id.nitems > TB_UDP_MAX_ITEMS)
		abort();
	if (!m && (id.nitems || id.product[0] || strcmp(id.protocol, "unknown") != 0))
		abort();
	check_text(id.product, sizeof id.product);
	for (size_t i = 0; i < id.nitems; i++) {
		check_text(id.items[i].key, sizeof id.items[i].key);
		check_text(id.items[i].value, sizeof id.items[i].value);
	}
	/* Builders with a txid from the input: a probe is never its own answer. */
	uint32_t tx = size >= 5 ? (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 |
					  (uint32_t)data[3] << 8 | data[4]
				: 0;
	for (int v = 0; v < 2; v++) {
		size_t n = tb_udp_probe_build(p, (enum tb_udp_variant)v, tx, "198.18.0.5", probe,
					      sizeof probe);
		if (n == 0 || n > sizeof probe ||
		    (p != TB_UDP_GENERIC && tb_udp_identify(p, tx, probe, n, &id)))
			abort();
	}
	return 0;
}
