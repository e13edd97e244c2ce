/* pcapfile.c: classic pcap headers, read in place (see pcapfile.h). */
#include "capture/pcapfile.h"

#include <stdio.h>

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du
#define LINKTYPE_RAW 101
#define DLT_RAW_LINUX 12

static uint32_t u32(const uint8_t *p, int swapped)
{
	uint32_t le =
		(uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return swapped ? __builtin_bswap32(le) : le;
}

static uint16_t u16(const uint8_t *p, int swapped)
{
	uint16_t le = (uint16_t)(p[0] | p[1] << 8);
	return swapped ? __builtin_bswap16(le) : le;
}

/* The link types whose frames the analyzer decodes, as libpcap maps them
 * (only LINKTYPE_RAW has another DLT number); -1 for the rest. */
static int dlt_of(uint32_t linktype)
{
	switch (linktype) {
	case 0:
	case 1:
	case 113:
	case 228:
	case 276: return (int)linktype;
	case LINKTYPE_RAW: return DLT_RAW_LINUX;
	default: return -1;
	}
}

int tb_pcapfile_header(const uint8_t *p, size_t n, struct tb_pcapfile *f)
{
	if (n < TB_PCAPFILE_HDR)
		return 0;
	uint32_t magic = u32(p, 0);
	if (magic == MAGIC_USEC || magic == MAGIC_NSEC)
		f->swapped = 0;
	else if (__builtin_bswap32(magic) == MAGIC_USEC || __builtin_bswap32(magic) == MAGIC_NSEC)
		f->swapped = 1;
	else
		return 0;
	f->nsec = u32(p, f->swapped) == MAGIC_NSEC;
	if (u16(p + 4, f->swapped) != 2 || u16(p + 6, f->swapped) != 4)
		return 0;
	uint32_t snaplen = u32(p + 16, f->swapped), linktype = u32(p + 20, f->swapped);
	f->dlt = dlt_of(linktype); /* a linktype with FCS bits set is not in the list */
	if (f->dlt < 0)
		return 0;
	f->snaplen =
		snaplen == 0 || snaplen > TB_PCAPFILE_MAX_CAPLEN ? TB_PCAPFILE_MAX_CAPLEN : snaplen;
	return 1;
}

enum tb_err tb_pcapfile_record(const struct tb_pcapfile *f, const uint8_t *p, struct tb_pcaprec *r,
			       char *why, size_t cap)
{
	/* The seconds and sub-seconds are signed 32-bit fields, as libpcap
	 * reads them; nanoseconds are cut to microseconds as it does. */
	int32_t sec = (int32_t)u32(p, f->swapped), sub = (int32_t)u32(p + 4, f->swapped);
	uint32_t caplen = u32(p + 8, f->swapped);
	r->len = u32(p + 12, f->swapped);
	if (f->nsec)
		sub /= 1000;
	r->ts = (double)sec + (double)sub / 1e6;
	if (caplen > TB_PCAPFILE_MAX_CAPLEN) {
		snprintf(why, cap, "invalid packet capture length %u, bigger than snaplen of %u",
			 caplen, f->snaplen);
		return TB_E_FORMAT;
	}
	/* Longer than the file's snap length but within the limit: libpcap
	 * keeps snaplen bytes and drops the rest. */
	r->caplen = caplen > f->snaplen ? f->snaplen : caplen;
	r->skip = caplen - r->caplen;
	return TB_OK;
}
