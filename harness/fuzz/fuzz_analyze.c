/* fuzz_analyze.c: whole frames (IPv4, IPv6) through every analyzer; data[0] picks the
 * link type, the rest is split into frames by a length byte each. */
#include <stdint.h>
#include <stdlib.h>

#include "capture/analyze.h"
#include "proto/p_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = { TB_DLT_EN10MB, TB_DLT_RAW_LT, TB_DLT_LINUX_SLL2 };
	if (size < 1)
		return 0;
	/* 198.18.1.10, 2001:2::10 and fe80::10 */
	static const uint8_t g6[16] = { 0x20, 0x01, 0, 2, [15] = 0x10 };
	static const uint8_t ll6[16] = { 0xfe, 0x80, [15] = 0x10 };
	struct tb_analysis *a = tb_analysis_new(0xc612010a);
	(void)tb_analysis_add_dut6(a, g6);
	(void)tb_analysis_add_dut6(a, ll6);
	int dlt = links[data[0] % 3];
	size_t off = 1;
	double ts = 1.0;
	while (off < size) {
		size_t n = data[off++] * 4u;
		if (n > size - off)
			n = size - off;
		tb_analysis_frame(a, dlt, ts, data + off, n, n);
		off += n;
		ts += 0.5;
	}
	tb_analysis_finish(a);
	if (a->nflows > TB_AN_MAX_FLOWS || a->nsecrets > TB_AN_MAX_SECRETS ||
	    a->nprobes > TB_AN_MAX_PROBES || a->nconns != 0 || a->npeers6 > TB_AN_MAX_PEERS6)
		abort();
	/* every group's frames lie inside the capture */
	for (size_t i = 0; i < a->nflows; i++)
		if (a->flows[i].first_frame > a->flows[i].last_frame ||
		    a->flows[i].last_frame > a->frames || a->flows[i].connections == 0)
			abort();
	tb_analysis_free(a);
	return 0;
}
