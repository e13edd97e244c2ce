/* p_http.h: HTTP/1.x response head and chunked body parsers (RFC 9110,
 * RFC 9112) for bytes received from a device under test.
 *
 * Nothing here allocates or copies device strings: views point into the
 * caller's buffer and are valid as long as it is.
 */
#ifndef TB_P_HTTP_H
#define TB_P_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_HTTP_MAX_HEADERS 100
/* Longest chunk-size or trailer line accepted by tb_p_http_dechunk. */
#define TB_HTTP_CHUNK_LINE_MAX 4096

struct tb_http_resp {
	int major, minor, status; /* status 100..999 */
	size_t header_len;        /* bytes up to and including the blank line */
	long long content_length; /* -1 when absent */
	int chunked;              /* Transfer-Encoding: chunked (last coding) */
	int www_auth_basic;       /* a WWW-Authenticate header offers Basic */
	const uint8_t *location;  /* NULL when absent (first occurrence) */
	size_t location_len;
	const uint8_t *content_type; /* NULL when absent (first occurrence) */
	size_t content_type_len;
	unsigned nheaders;
};

/* Parse the status line and headers of buf[0..len).
 * TB_E_TRUNC if the blank line that ends the header block has not arrived yet
 * (the caller reads more, up to its own cap).  TB_E_FORMAT for a malformed
 * status line, a header line without colon or with a bad name, obs-fold, bare
 * CR, NUL in a value, conflicting or non-numeric Content-Length, more than
 * TB_HTTP_MAX_HEADERS headers, or both Content-Length and chunked.  Complete
 * lines are checked as they arrive, so TB_E_FORMAT can come before the blank
 * line does.  LF-only line endings are accepted; header names are
 * case-insensitive; values are trimmed of spaces and tabs.  Content-Length
 * may repeat (or be a list) only with identical values. */
TB_WUR enum tb_err tb_p_http_response(const uint8_t *buf, size_t len, struct tb_http_resp *out);

/* Decode a chunked body in[0..len) into out (cap).  Sets *outlen (bytes of
 * body written) and *consumed (input bytes up to and including the final
 * CRLF on success; on error, up to the last complete chunk).
 * TB_E_TRUNC if the terminating 0-size chunk and trailer section have not
 * arrived; TB_E_FORMAT on bad hex, size overflow, missing CRLF (LF alone is
 * accepted), bare CR or a line longer than TB_HTTP_CHUNK_LINE_MAX;
 * TB_E_TOOBIG as soon as a chunk size exceeds the room left in out (chunk
 * sizes are only trusted against the bytes actually present).
 * Chunk extensions and trailer fields are accepted and ignored. */
TB_WUR enum tb_err tb_p_http_dechunk(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
				     size_t *outlen, size_t *consumed);

/* Find the first header field called name (given in lower case; matched
 * case-insensitively) in a header
 * block buf[0..header_len) already accepted by tb_p_http_response.  Returns 1
 * and a trimmed view of its value, or 0 when absent. */
int tb_p_http_header(const uint8_t *buf, size_t header_len, const char *name, const uint8_t **val,
		     size_t *vlen);

/* Retry-After as delta-seconds (RFC 9110 10.2.3), clamped to max_s.  An
 * HTTP-date or a malformed value gives dflt. */
long tb_p_http_retry_after(const uint8_t *val, size_t vlen, long dflt, long max_s);

#endif
