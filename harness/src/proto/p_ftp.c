/* p_ftp.c: FTP control replies (RFC 959 section 4.2), from a hostile device.
 *
 *   reply      = single / multi
 *   single     = code SP text CRLF
 *   multi      = code "-" text CRLF *line code SP text CRLF
 *   code       = %x31-35 DIGIT DIGIT
 *
 * A line inside a multi-line reply may begin with anything, even digits
 * (RFC 959 asks servers to indent such lines; not all do): only the same
 * code followed by a space ends the reply.  A bare code line ("220" CRLF) is
 * taken as "220 " with no text.
 */
#include "proto/p_ftp.h"

#include <string.h>

static int is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Do the first n (<= 4) bytes of p start a reply line? */
static int code_prefix_ok(const uint8_t *p, size_t n)
{
	if (n > 0 && (p[0] < '1' || p[0] > '5'))
		return 0;
	if (n > 1 && !is_digit(p[1]))
		return 0;
	if (n > 2 && !is_digit(p[2]))
		return 0;
	if (n > 3 && p[3] != ' ' && p[3] != '-' && p[3] != '\r' && p[3] != '\n')
		return 0;
	return 1;
}

/* Does line l[0..n) (its end of line stripped) end a reply with code c? */
static int ends_reply(const uint8_t *l, size_t n, const uint8_t c[3])
{
	return n >= 3 && memcmp(l, c, 3) == 0 && (n == 3 || l[3] == ' ');
}

/* Append a line's text (without a leading "DDD " or "DDD-") to out. */
static void add_text(struct tb_ftp_reply *out, size_t *tl, const uint8_t *l, size_t n)
{
	if (n >= 3 && is_digit(l[0]) && is_digit(l[1]) && is_digit(l[2]) &&
	    (n == 3 || l[3] == ' ' || l[3] == '-')) {
		l += n == 3 ? 3 : 4;
		n -= n == 3 ? 3 : 4;
	}
	while (n > 0 && (l[0] == ' ' || l[0] == '\t')) {
		l++;
		n--;
	}
	if (n == 0)
		return;
	if (*tl > 0) {
		for (const char *s = " | "; *s && *tl + 1 < TB_FTP_TEXT_MAX; s++)
			out->text[(*tl)++] = *s;
	}
	for (size_t i = 0; i < n && *tl + 1 < TB_FTP_TEXT_MAX; i++)
		out->text[(*tl)++] = (l[i] >= 0x20 && l[i] < 0x7f) ? (char)l[i] : '?';
	out->text[*tl] = '\0';
}

enum tb_err tb_p_ftp_reply(const uint8_t *buf, size_t len, struct tb_ftp_reply *out)
{
	size_t off = 0, tl = 0, lim = len < TB_FTP_REPLY_MAX ? len : TB_FTP_REPLY_MAX;
	int multi = 0;

	memset(out, 0, sizeof *out);
	if (!buf || !code_prefix_ok(buf, len < 4 ? len : 4))
		return buf ? TB_E_FORMAT : TB_E_TRUNC;
	for (;;) {
		const uint8_t *l = buf + off, *lf = memchr(l, '\n', lim - off);
		size_t n;

		if (!lf)
			return len >= TB_FTP_REPLY_MAX ? TB_E_TOOBIG : TB_E_TRUNC;
		n = (size_t)(lf - l);
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (memchr(l, '\r', n) || memchr(l, '\0', n))
			return TB_E_FORMAT;
		off += (size_t)(lf - l) + 1;
		out->lines++;
		if (out->lines == 1) {
			if (n < 3)
				return TB_E_FORMAT;
			out->code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
			multi = n > 3 && l[3] == '-';
		}
		add_text(out, &tl, l, n);
		if (!multi || (out->lines > 1 && ends_reply(l, n, buf))) {
			out->len = off;
			return TB_OK;
		}
	}
}

int tb_p_ftp_257_path(const char *text, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (text[0] != '"')
		return 0;
	for (const char *p = text + 1; *p; p++) {
		if (*p == '"' && p[1] != '"') {
			out[o] = '\0';
			return 1;
		}
		if (*p == '"')
			p++; /* a doubled quote is one quote in the name */
		if (o + 1 >= outlen)
			break;
		out[o++] = *p;
	}
	out[0] = '\0';
	return 0;
}
