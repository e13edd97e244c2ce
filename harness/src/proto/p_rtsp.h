/* p_rtsp.h: RTSP/1.0 response heads (RFC 2326 section 7) from a device
 * under test, with the fields a login check needs: status, CSeq,
 * Content-Length, the WWW-Authenticate challenges, Retry-After.
 *
 * proto/p_http.h accepts only "HTTP/" status lines, hence this small
 * parser of its own.  Nothing here allocates: views point into the
 * caller's buffer.
 */
#ifndef TB_P_RTSP_H
#define TB_P_RTSP_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Most bytes of a response head (status line to blank line). */
#define TB_RTSP_HEAD_MAX 16384
#define TB_RTSP_MAX_HEADERS 64

struct tb_rtsp_resp {
	int major, minor, status; /* status 100..999 */
	size_t header_len;        /* bytes up to and including the blank line */
	long long content_length; /* -1 when absent */
	long cseq;                /* -1 when absent */
	int auth_basic;           /* a WWW-Authenticate header offers Basic */
	const uint8_t *digest;    /* the first WWW-Authenticate value that is a Digest
				     challenge (the whole value), NULL when none */
	size_t digest_len;
	const uint8_t *retry_after; /* NULL when absent */
	size_t retry_after_len;
	const uint8_t *server; /* NULL when absent */
	size_t server_len;
	unsigned nheaders;
};

/* Parse the status line and headers at the start of buf[0..len).
 * TB_E_TRUNC when the blank line has not arrived (read more);
 * TB_E_TOOBIG when it has not arrived within TB_RTSP_HEAD_MAX bytes;
 * TB_E_FORMAT as soon as the first bytes are not "RTSP/" (an HTTP or FTP
 * server on the port), for a status line other than "RTSP/D.D DDD[ reason]", a
 * header line without a colon or with a bad name, obs-fold, a bare CR, a
 * NUL or control byte in a value, more than TB_RTSP_MAX_HEADERS headers, a
 * CSeq or Content-Length that is not a number of at most 9 digits, or two
 * different Content-Lengths.  LF alone is accepted for CRLF.  Each
 * WWW-Authenticate header is read as one challenge, by its first token. */
TB_WUR enum tb_err tb_p_rtsp_response(const uint8_t *buf, size_t len, struct tb_rtsp_resp *out);

#endif
