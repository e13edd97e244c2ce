/* p_ftp.h: FTP control-connection replies (RFC 959 section 4.2) from a
 * device under test.
 *
 * A reply is a 3-digit code then either a space (one line) or a hyphen (the
 * first line of several; the reply ends at the first later line that starts
 * with the same code and a space).  Nothing here allocates or keeps state;
 * the reply text kept is capped and made printable.
 */
#ifndef TB_P_FTP_H
#define TB_P_FTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Most bytes one reply (all its lines) may take before it is refused: a
 * reply that never ends is an error, not a reason to keep reading. */
#define TB_FTP_REPLY_MAX 8192
/* Most bytes of reply text kept (with its NUL). */
#define TB_FTP_TEXT_MAX 256

struct tb_ftp_reply {
	int code;                   /* 100..599 */
	char text[TB_FTP_TEXT_MAX]; /* the lines' text without the codes, joined by
				       " | ", bytes outside printable ASCII as '?' */
	size_t len;                 /* bytes of buf the reply took, its last line end included */
	unsigned lines;
};

/* Parse the reply at the start of buf[0..len).  TB_OK with *out filled;
 * TB_E_TRUNC when its last line has not arrived yet (read more, then call
 * again with all the bytes); TB_E_FORMAT when the first line is not
 * "DDD " or "DDD-" with a first digit 1..5, or a line holds a NUL or a CR
 * not followed by LF; TB_E_TOOBIG when no end came within
 * TB_FTP_REPLY_MAX bytes.  LF alone is accepted for CRLF. */
TB_WUR enum tb_err tb_p_ftp_reply(const uint8_t *buf, size_t len, struct tb_ftp_reply *out);

/* The directory name of a 257 reply's text ("\"/pub\" is the current
 * directory"; RFC 959 doubles a quote inside the name) into out.  1 when the
 * text starts with a quoted name, else 0 (out is ""). */
int tb_p_ftp_257_path(const char *text, char *out, size_t outlen);

#endif
