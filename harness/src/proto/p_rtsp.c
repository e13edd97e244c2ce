/* p_rtsp.c: RTSP/1.0 response heads (RFC 2326 section 7.1, 12), from a
 * hostile device.
 *
 *   Status-Line = RTSP-Version SP Status-Code SP Reason-Phrase CRLF
 *   RTSP-Version = "RTSP/" 1*DIGIT "." 1*DIGIT   (one digit each here)
 *   headers as in HTTP/1.1: name ":" OWS value OWS CRLF; a blank line ends them.
 */
#include "proto/p_rtsp.h"
#include "proto/p_ascii.h"

#include <string.h>

static int is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int is_tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static void trim(const uint8_t **v, size_t *n)
{
	while (*n > 0 && is_ows((*v)[0])) {
		(*v)++;
		(*n)--;
	}
	while (*n > 0 && is_ows((*v)[*n - 1]))
		(*n)--;
}

/* A decimal of 1..9 digits, nothing else: its value, or -1. */
static long long small_number(const uint8_t *v, size_t n)
{
	long long x = 0;

	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(v[i]))
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	return x;
}

static enum tb_err parse_status(const uint8_t *l, size_t n, struct tb_rtsp_resp *out)
{
	if (n < 12 || memcmp(l, "RTSP/", 5) != 0 || !is_digit(l[5]) || l[6] != '.' || !is_digit(l[7]) ||
	    l[8] != ' ' || l[9] < '1' || l[9] > '9' || !is_digit(l[10]) || !is_digit(l[11]) ||
	    (n > 12 && l[12] != ' '))
		return TB_E_FORMAT;
	for (size_t i = 13; i < n; i++)
		if (l[i] != '\t' && (l[i] < 0x20 || l[i] == 0x7f))
			return TB_E_FORMAT;
	out->major = l[5] - '0';
	out->minor = l[7] - '0';
	out->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	return TB_OK;
}

/* The auth-scheme token that starts a challenge: "basic", "digest" or other. */
static void note_challenge(const uint8_t *v, size_t n, struct tb_rtsp_resp *out)
{
	size_t k = 0;

	while (k < n && is_tchar(v[k]))
		k++;
	if (k < n && !is_ows(v[k]))
		return;
	if (tb_ascii_eq_ci(v, k, "basic")) {
		out->auth_basic = 1;
	} else if (tb_ascii_eq_ci(v, k, "digest") && !out->digest) {
		out->digest = v;
		out->digest_len = n;
	}
}

static enum tb_err parse_field(const uint8_t *l, size_t n, struct tb_rtsp_resp *out)
{
	size_t k = 0, vn;
	const uint8_t *v;

	if (is_ows(l[0]))
		return TB_E_FORMAT; /* obs-fold */
	while (k < n && l[k] != ':')
		k++;
	if (k == n || k == 0)
		return TB_E_FORMAT;
	for (size_t i = 0; i < k; i++)
		if (!is_tchar(l[i]))
			return TB_E_FORMAT;
	v = l + k + 1;
	vn = n - k - 1;
	trim(&v, &vn);
	for (size_t i = 0; i < vn; i++)
		if (v[i] != '\t' && (v[i] < 0x20 || v[i] == 0x7f))
			return TB_E_FORMAT;
	if (tb_ascii_eq_ci(l, k, "content-length")) {
		long long c = small_number(v, vn);

		if (c < 0 || (out->content_length >= 0 && out->content_length != c))
			return TB_E_FORMAT;
		out->content_length = c;
	} else if (tb_ascii_eq_ci(l, k, "cseq")) {
		long long c = small_number(v, vn);

		if (c < 0)
			return TB_E_FORMAT;
		out->cseq = (long)c;
	} else if (tb_ascii_eq_ci(l, k, "www-authenticate")) {
		note_challenge(v, vn, out);
	} else if (tb_ascii_eq_ci(l, k, "retry-after") && !out->retry_after) {
		out->retry_after = v;
		out->retry_after_len = vn;
	} else if (tb_ascii_eq_ci(l, k, "server") && !out->server) {
		out->server = v;
		out->server_len = vn;
	}
	return TB_OK;
}

enum tb_err tb_p_rtsp_response(const uint8_t *buf, size_t len, struct tb_rtsp_resp *out)
{
	size_t off = 0, lim = len < TB_RTSP_HEAD_MAX ? len : TB_RTSP_HEAD_MAX;
	unsigned lines = 0;

	memset(out, 0, sizeof *out);
	out->content_length = -1;
	out->cseq = -1;
	if (!buf)
		return TB_E_TRUNC;
	/* Not RTSP at all: say so now, not after TB_RTSP_HEAD_MAX bytes. */
	if (memcmp(buf, "RTSP/", len < 5 ? len : 5) != 0)
		return TB_E_FORMAT;
	for (;;) {
		const uint8_t *l = buf + off, *lf = memchr(l, '\n', lim - off);
		size_t n;
		enum tb_err e;

		if (!lf)
			return len >= TB_RTSP_HEAD_MAX ? TB_E_TOOBIG : TB_E_TRUNC;
		n = (size_t)(lf - l);
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (memchr(l, '\r', n))
			return TB_E_FORMAT;
		off += (size_t)(lf - l) + 1;
		if (lines++ == 0) {
			e = parse_status(l, n, out);
		} else if (n == 0) {
			out->header_len = off;
			return TB_OK;
		} else if (++out->nheaders > TB_RTSP_MAX_HEADERS) {
			e = TB_E_FORMAT;
		} else {
			e = parse_field(l, n, out);
		}
		if (e)
			return e;
	}
}
