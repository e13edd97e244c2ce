/* p_telnet.h: Telnet (RFC 854/855) byte filter and login prompt classifier.
 *
 * Every byte comes from a hostile device: nothing here allocates, keeps
 * globals or reads past the lengths it is given.
 */
#ifndef TB_P_TELNET_H
#define TB_P_TELNET_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Subnegotiation (IAC SB ... IAC SE) is skipped without buffering; after this
 * many bytes without IAC SE the filter gives up on it and returns to data. */
#define TB_TELNET_SB_MAX 4096

/* Streaming filter: strips IAC sequences from device bytes, produces refusals. */
struct tb_telnet_state {
	int st;        /* parser state; 0 = plain data */
	uint8_t verb;  /* WILL/WONT/DO/DONT awaiting its option byte */
	int in_sb;     /* inside IAC SB ... IAC SE */
	size_t sb_len; /* bytes skipped in the current subnegotiation */
};                     /* zero-init = start */

void tb_p_telnet_init(struct tb_telnet_state *st);

/* Consume in[0..inlen).  Data bytes (not IAC commands; IAC IAC -> one 0xFF;
 * NUL after CR dropped) are appended to data (cap datacap, *datalen set to the
 * count written).  Negotiation replies are appended to reply (cap replycap):
 * DO x -> IAC WONT x, WILL x -> IAC DONT x (every option is refused),
 * DONT/WONT -> nothing.  Subnegotiation is skipped, bounded by
 * TB_TELNET_SB_MAX.  State carries across calls, so sequences may be split
 * between chunks.
 *
 * Returns TB_OK, or TB_E_TOOBIG when data or reply capacity ran out: what was
 * written so far stays written, the byte that did not fit and the rest of in
 * are dropped (a 3-byte reply is never written partially), and st is left as
 * it was before that byte. */
TB_WUR enum tb_err tb_p_telnet_filter(struct tb_telnet_state *st, const uint8_t *in, size_t inlen,
				      uint8_t *data, size_t datacap, size_t *datalen, uint8_t *reply,
				      size_t replycap, size_t *replylen);

enum tb_telnet_prompt { TB_TN_NONE = 0, TB_TN_LOGIN, TB_TN_PASSWORD, TB_TN_FAILED, TB_TN_SHELL };

/* Classify the (already IAC-filtered) text a device has sent so far by its
 * tail, the last non-empty line (CR and LF both end lines; trailing spaces,
 * tabs, CR and LF ignored; matching is ASCII case-insensitive):
 *   LOGIN     tail ends with "login:", "username:", "user:" or "user name:"
 *   PASSWORD  tail ends with "password:" or "passcode:"
 *   SHELL     tail ends with '$', '#', '>' or '%' and is at most 64 bytes
 *   FAILED    "incorrect", "failed", "denied", "invalid" or "bad password"
 *             appears after the most recent earlier prompt keyword (one of
 *             the LOGIN/PASSWORD words above, anywhere, e.g. echoed as
 *             "login: admin").  For a LOGIN/PASSWORD tail the text looked at
 *             stops before the tail's own keyword, so
 *             "Password: \r\nLogin incorrect\r\nlogin: " is FAILED.  With no
 *             earlier prompt keyword (a banner) it is never FAILED.
 * Precedence when several match: FAILED > PASSWORD > LOGIN > SHELL > NONE. */
enum tb_telnet_prompt tb_p_telnet_prompt(const uint8_t *text, size_t len);

#endif
