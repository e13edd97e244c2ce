/* fuzz_p_pkt.c: frame decoding (IPv4 and IPv6); data[0] picks the link
 * type.  The payload view and the IPv6 addresses must stay inside the
 * input. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = { TB_DLT_NULL,       TB_DLT_EN10MB, TB_DLT_RAW, TB_DLT_LINUX_SLL,
				     TB_DLT_LINUX_SLL2, TB_DLT_IPV4,   105 };
	struct tb_pkt k;
	if (size < 1)
		return 0;
	int dlt = links[data[0] % (sizeof links / sizeof *links)];
	if (tb_p_pkt_decode(dlt, data + 1, size - 1, &k) != TB_OK)
		return 0;
	if (k.transport && (k.payload < data + 1 || k.payload + k.paylen > data + size))
		abort();
	if (k.ipv6 && (k.ipv4 || k.src6 < data + 1 || k.dst6 + 16 > data + size))
		abort();
	return 0;
}
