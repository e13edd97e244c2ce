/* hashread.h: read a file once, hashing it (SHA-256) in a second thread
 * while the caller parses the very same bytes.
 *
 * The file is read() once into a small ring of fixed-size chunks; a second
 * thread hashes each chunk while the caller parses it, so hashing overlaps
 * parsing and the digest covers exactly the bytes that were parsed (the
 * file is not opened twice).  Whichever thread is ahead does the read()s.
 * Memory is the ring (1 MiB), whatever the file's size.  The caller sees
 * the bytes either in place, chunk by chunk (the analyzer's own classic
 * pcap reader), or as a stdio stream (for libpcap).
 */
#ifndef TB_HASHREAD_H
#define TB_HASHREAD_H

#include <stdint.h>
#include <stdio.h>

#include "base/tb.h"

struct tb_hashread;

/* Open path and start the hashing thread; *stream yields the file's bytes.
 * TB_E_IO (with errno's text in d) when the file cannot be opened. */
TB_WUR enum tb_err tb_hashread_open(const char *path, struct tb_hashread **h, FILE **stream,
				    struct tb_diag *d);
/* The bytes of the current chunk not consumed yet, in place: *p and *n
 * (n > 0); 0 at the end of the file (or when a read failed: finish says
 * so).  They stay valid until tb_hashread_consume() consumes the last of
 * them.  Use either these two or the stream, not both, from the start of
 * the file. */
int tb_hashread_peek(struct tb_hashread *h, const uint8_t **p, size_t *n);
/* Done with the first n bytes of what tb_hashread_peek() gave (n <= its *n). */
void tb_hashread_consume(struct tb_hashread *h, size_t n);

/* After the consumer is done with the stream (closed or not): read and hash
 * whatever it did not consume, stop the thread, and give the digest and the
 * file's size.  TB_E_IO when a read failed (sum is then not the file's).
 * Frees h; the stream, if still open, must be closed by the caller before. */
TB_WUR enum tb_err tb_hashread_finish(struct tb_hashread *h, uint8_t sum[32], uint64_t *bytes);

#endif
