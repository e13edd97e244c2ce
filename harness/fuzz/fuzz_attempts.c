/* fuzz_attempts.c: a captured frame read as a connection attempt
 * (capture/attempts.h); data[0] picks the link type, the rest is the frame,
 * fed twice (the second must be a retransmission).  The only bytes read
 * beyond proto/p_pkt's decode are the TCP header's, found backwards from
 * the payload: they must stay inside the frame. */
#include <stdint.h>
#include <stdlib.h>

#include "capture/attempts.h"
#include "proto/p_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = { TB_DLT_EN10MB, TB_DLT_RAW, TB_DLT_LINUX_SLL, TB_DLT_NULL };
	struct tb_attempts a;
	if (size < 1)
		return 0;
	int dlt = links[data[0] % (sizeof links / sizeof *links)];
	tb_attempts_init(&a, 0xc6120a0au, 0xc6120901u, 0, 10);
	int first = tb_attempts_frame(&a, dlt, 1.0, data + 1, size - 1);
	int again = tb_attempts_frame(&a, dlt, 2.0, data + 1, size - 1);
	if (again || a.n != (size_t)first || a.retransmits != (unsigned long)first)
		abort();
	tb_attempts_free(&a);
	return 0;
}
