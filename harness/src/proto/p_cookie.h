/* p_cookie.h: the session cookies a device sets (Set-Cookie, RFC 6265) and
 * the Cookie header that sends them back, for the HTTP form login driver.
 *
 * Pure and bounded: a jar holds at most TB_COOKIE_MAX cookies of at most
 * TB_COOKIE_LEN bytes ("name=value") each; what does not fit is counted,
 * not kept.  Attributes (Path, Domain, Secure, ...) are ignored: every
 * cookie goes back to the one device it came from, on the same port.
 */
#ifndef TB_P_COOKIE_H
#define TB_P_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#define TB_COOKIE_MAX 16
#define TB_COOKIE_LEN 4096

struct tb_cookie_jar {
	char v[TB_COOKIE_MAX][TB_COOKIE_LEN + 1]; /* "name=value", NUL-terminated */
	size_t n;
	unsigned dropped; /* malformed, overlong, or beyond TB_COOKIE_MAX */
};

/* Read one Set-Cookie value v[0..len) (device bytes): its "name=value"
 * pair into out (cap bytes, NUL-terminated), trimmed of spaces.  Returns
 * the pair's length, 0 when the cookie deletes itself (Max-Age=0 or
 * negative), or -1 when malformed (no '=', an empty or non-token name, a
 * control byte, space, comma, semicolon or backslash in the value) or longer
 * than cap - 1. */
long tb_p_set_cookie(const uint8_t *v, size_t len, char *out, size_t cap);

/* Take every Set-Cookie of the response head buf[0..head_len) into the
 * jar: a new name is added, a known one replaced (or removed when the
 * cookie deletes itself).  Returns how many Set-Cookie fields were read. */
unsigned tb_cookie_jar_take(struct tb_cookie_jar *j, const uint8_t *buf, size_t head_len);

/* The Cookie header value ("a=1; b=2") into out; -1 when the jar is empty
 * or it does not fit in cap. */
int tb_cookie_jar_header(const struct tb_cookie_jar *j, char *out, size_t cap);

#endif
