/* fuzz_pcapfile.c: a whole classic pcap file through the in-place header
 * and record readers (pcapfile.h), walking records as the analyzer does:
 * no length is trusted beyond the bytes there are. */
#include <stdint.h>
#include <stdlib.h>

#include "capture/pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_pcapfile f;
	if (!tb_pcapfile_header(data, size, &f))
		return 0;
	if (f.snaplen == 0 || f.snaplen > TB_PCAPFILE_MAX_CAPLEN)
		abort();
	size_t off = TB_PCAPFILE_HDR;
	char why[160];
	while (size - off >= TB_PCAPFILE_REC) {
		struct tb_pcaprec r;
		if (tb_pcapfile_record(&f, data + off, &r, why, sizeof why) != TB_OK)
			break;
		if (r.caplen > f.snaplen || (uint64_t)r.caplen + r.skip > TB_PCAPFILE_MAX_CAPLEN)
			abort();
		off += TB_PCAPFILE_REC;
		size_t whole = (size_t)r.caplen + r.skip;
		if (whole > size - off)
			break; /* cut short */
		volatile uint8_t sink = r.caplen ? data[off + r.caplen - 1] : 0;
		(void)sink;
		off += whole;
	}
	return 0;
}
