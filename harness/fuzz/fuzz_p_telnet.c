/* fuzz_p_telnet.c: libFuzzer target for the Telnet filter and classifier.
 *
 * data[0] picks a split point and small output capacities; the rest is the
 * device's byte stream, fed in two calls and checked against one call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_ascii.h"
#include "proto/p_telnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_telnet_state st;
	uint8_t out1[4096 + 1], rep1[3 * 4096 + 1], out2[4096 + 1], rep2[3 * 4096 + 1];
	size_t dn1, rn1, dn2, rn2, dn3, rn3, cut, dcap, rcap;
	enum tb_err e1, e2, e3;
	const uint8_t *in;
	size_t n;

	if (size < 1)
		return 0;
	in = data + 1;
	n = size - 1;
	if (n > 4096)
		n = 4096; /* the buffers below hold any 4096-byte input */
	cut = n ? data[0] % (n + 1) : 0;

	/* Whole input with ample room: the reference. */
	tb_p_telnet_init(&st);
	e1 = tb_p_telnet_filter(&st, in, n, out1, sizeof(out1) - 1, &dn1, rep1, sizeof(rep1) - 1, &rn1);
	if (e1 != TB_OK || dn1 > n || rn1 > 3 * n)
		abort();

	/* Split in two: the same bytes come out. */
	tb_p_telnet_init(&st);
	e2 = tb_p_telnet_filter(&st, in, cut, out2, sizeof(out2) - 1, &dn2, rep2, sizeof(rep2) - 1,
				&rn2);
	e3 = tb_p_telnet_filter(&st, in + cut, n - cut, out2 + dn2, sizeof(out2) - 1 - dn2, &dn3,
				rep2 + rn2, sizeof(rep2) - 1 - rn2, &rn3);
	if (e2 != TB_OK || e3 != TB_OK || dn2 + dn3 != dn1 || rn2 + rn3 != rn1 ||
	    memcmp(out1, out2, dn1) != 0 || memcmp(rep1, rep2, rn1) != 0)
		abort();

	/* Small capacities with guard bytes: never written past. */
	dcap = data[0] & 0x0f;
	rcap = data[0] >> 4;
	memset(out2, 0xa5, dcap + 1);
	memset(rep2, 0xa5, rcap + 1);
	tb_p_telnet_init(&st);
	e2 = tb_p_telnet_filter(&st, in, n, out2, dcap, &dn2, rep2, rcap, &rn2);
	if ((e2 != TB_OK && e2 != TB_E_TOOBIG) || dn2 > dcap || rn2 > rcap || out2[dcap] != 0xa5 ||
	    rep2[rcap] != 0xa5 || memcmp(out1, out2, dn2) != 0 || memcmp(rep1, rep2, rn2) != 0)
		abort();

	(void)tb_p_telnet_prompt(out1, dn1);
	(void)tb_p_telnet_prompt(data, size);
	(void)tb_mem_contains(out1, dn1, in, cut < 16 ? cut : 16);
	return 0;
}
