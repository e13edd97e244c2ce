/* fuzz_synscan.c: the SYN sweep's reply parser and judge on any bytes.  An
 * accepted packet's headers lie inside the input; only a reply carrying the
 * cookie of its port counts as an answer. */
#include <stdint.h>
#include <stdlib.h>

#include "net/synscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[16] = { 7 };
	struct tb_syn_reply r;
	if (tb_syn_parse(data, size, &r) != TB_OK)
		return 0;
	size_t ihl = (size_t)(data[0] & 15) * 4;
	if (size < ihl + 20)
		abort();
	enum tb_syn_answer a = tb_syn_judge(&r, key, r.dst, r.src, r.dport);
	if (a != TB_SYN_IGNORE && r.ack != tb_syn_cookie(key, r.dst, r.src, r.dport, r.sport) + 1)
		abort();
	return 0;
}
