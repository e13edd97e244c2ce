/* fuzz_p_svcid.c: TCP service identity; byte 0 picks the probe and port, byte 1 splits banner from
 * reply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_svcid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	static const uint16_t ports[8] = { 21, 22, 23, 25, 80, 554, 1883, 5683 };
	struct tb_svcid sv;
	if (size < 2)
		return 0;
	enum tb_svc_probe sent = (enum tb_svc_probe)((data[0] & 0x0f) % TB_SVC_NPROBE);
	uint16_t port = ports[(data[0] >> 4) & 7];
	size_t blen = data[1] < size - 2 ? data[1] : size - 2;
	const uint8_t *banner = data + 2, *reply = data + 2 + blen;
	int r = tb_svcid_tcp(port, banner, blen, sent, reply, size - 2 - blen, &sv);
	if (r != sv.identified || !sv.protocol || sv.nitems > TB_UDP_MAX_ITEMS)
		abort();
	check_text(sv.product, sizeof sv.product);
	for (size_t i = 0; i < sv.nitems; i++) {
		check_text(sv.items[i].key, sizeof sv.items[i].key);
		check_text(sv.items[i].value, sizeof sv.items[i].value);
	}
	enum tb_svc_probe next = tb_svcid_next_probe(port, data[0], &sv);
	if (next != TB_SVC_NONE && ((unsigned)next >= TB_SVC_NPROBE || r))
		abort();
	uint8_t buf[1024];
	if (sent != TB_SVC_PASSIVE && tb_svcid_probe_build(sent, "198.18.0.5", buf, sizeof buf) == 0)
		abort();
	return 0;
}
