/* pcapfile.h: the classic pcap file format (version 2.4), read in place.
 *
 * The analyzer reads the common case itself, straight from the bytes
 * hashread.h has already read and is hashing, with no copy through stdio:
 * measured, libpcap's stdio path over a second stream was close to half of
 * the analysis time.  Everything else (pcapng, old versions, link types with
 * extra bits, a file too short for a header) goes to libpcap, which stays
 * the reader of record; the fast reader follows its rules (the same limits,
 * the same handling of a record longer than the snap length, timestamps
 * scaled the same way) and a unit test compares the two on every capture
 * in fixtures/pcaps.  The file is untrusted: lengths are checked before use.
 */
#ifndef TB_PCAPFILE_H
#define TB_PCAPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_PCAPFILE_HDR 24
#define TB_PCAPFILE_REC 16
/* libpcap's limit on a record's captured length for the link types read
 * here (MAXIMUM_SNAPLEN). */
#define TB_PCAPFILE_MAX_CAPLEN 262144u

struct tb_pcapfile {
	int swapped;      /* written in the other byte order */
	int nsec;         /* timestamps in nanoseconds */
	uint32_t snaplen; /* as libpcap takes it: the file's, or the limit when 0 or larger */
	int dlt;          /* as libpcap reports it (LINKTYPE_RAW 101 is DLT_RAW 12) */
};

/* One record's header, read. */
struct tb_pcaprec {
	double ts;       /* seconds, microsecond resolution as libpcap gives them */
	uint32_t caplen; /* bytes handed to the analyzer (at most snaplen) */
	uint32_t len;    /* the frame's length on the wire */
	uint32_t skip;   /* bytes after those caplen the record still holds (dropped) */
};

/* Parse a file's first TB_PCAPFILE_HDR bytes.  1 when this reader takes the
 * file; 0 when it is not a classic version 2.4 capture of a supported link
 * type, and libpcap must read it (and say what is wrong, if anything). */
int tb_pcapfile_header(const uint8_t *p, size_t n, struct tb_pcapfile *f);

/* Parse a record header (TB_PCAPFILE_REC bytes).  TB_OK, or TB_E_FORMAT
 * with libpcap's reason in why when the length is impossible: the file is
 * corrupt from this record on. */
TB_WUR enum tb_err tb_pcapfile_record(const struct tb_pcapfile *f, const uint8_t *p,
				      struct tb_pcaprec *r, char *why, size_t cap);

#endif
