/* p_cloudlog.c: the lab cloud's control-channel answers (see p_cloudlog.h). */
#include "proto/p_cloudlog.h"

#include <arpa/inet.h>
#include <string.h>

#define NTOK 10    /* "EV" and its nine fields */
#define DEC_MAX 19 /* digits of a decimal field: no overflow of uint64_t */

/* A token: [p, p + n) of the line. */
struct tok {
	const uint8_t *p;
	size_t n;
};

/* Split on single spaces into exactly want tokens, none empty. */
static int split(const uint8_t *p, size_t n, struct tok *t, size_t want)
{
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != ' ')
			continue;
		if (i == start || k == want)
			return 0;
		t[k++] = (struct tok){ p + start, i - start };
		start = i + 1;
	}
	return k == want;
}

static int tok_is(struct tok t, const char *s)
{
	return t.n == strlen(s) && memcmp(t.p, s, t.n) == 0;
}

static int dec(struct tok t, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (t.n == 0 || t.n > DEC_MAX || (t.n > 1 && t.p[0] == '0'))
		return 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.p[i] < '0' || t.p[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(t.p[i] - '0');
	}
	if (v > max)
		return 0;
	*out = v;
	return 1;
}

/* Copy a text token ("-": empty) into out[cap], non-printable bytes as '?'. */
static int text(struct tok t, char *out, size_t cap)
{
	if (t.n >= cap)
		return 0;
	if (tok_is(t, "-")) {
		out[0] = '\0';
		return 1;
	}
	for (size_t i = 0; i < t.n; i++)
		out[i] = t.p[i] > 0x20 && t.p[i] < 0x7f ? (char)t.p[i] : '?';
	out[t.n] = '\0';
	return 1;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Lower-case hex ("-": no bytes) into out[TB_CLOG_DATA_MAX]. */
static int hex(struct tok t, uint8_t *out, size_t *len)
{
	*len = 0;
	if (tok_is(t, "-"))
		return 1;
	if (t.n % 2 || t.n / 2 > TB_CLOG_DATA_MAX)
		return 0;
	for (size_t i = 0; i < t.n; i += 2) {
		int hi = hexval(t.p[i]), lo = hexval(t.p[i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = t.n / 2;
	return 1;
}

/* A dotted IPv4 address (inet_pton's strict form) into *out, host order. */
static int ipv4(struct tok t, uint32_t *out)
{
	char s[INET_ADDRSTRLEN];
	struct in_addr a;
	if (t.n >= sizeof s)
		return 0;
	memcpy(s, t.p, t.n);
	s[t.n] = '\0';
	if (inet_pton(AF_INET, s, &a) != 1)
		return 0;
	*out = ntohl(a.s_addr);
	return 1;
}

enum tb_err tb_p_cloudlog_line(const uint8_t *p, size_t n, struct tb_clog_event *ev)
{
	struct tok t[NTOK];
	uint64_t port;
	memset(ev, 0, sizeof *ev);
	if (n > TB_CLOG_LINE_MAX || !split(p, n, t, NTOK) || !tok_is(t[0], "EV"))
		return TB_E_FORMAT;
	if (!dec(t[1], UINT64_MAX, &ev->seq) || !dec(t[2], UINT64_MAX, &ev->epoch) ||
	    !dec(t[3], 65535, &port) || port == 0 || !dec(t[5], UINT64_MAX, &ev->appbytes))
		return TB_E_FORMAT;
	ev->port = (uint16_t)port;
	if (tok_is(t[4], "accepted"))
		ev->result = TB_CLOG_ACCEPTED;
	else if (tok_is(t[4], "refused"))
		ev->result = TB_CLOG_REFUSED;
	else
		return TB_E_FORMAT;
	if (!text(t[6], ev->sni, sizeof ev->sni) || !text(t[7], ev->detail, sizeof ev->detail) ||
	    !hex(t[8], ev->data, &ev->datalen) || !ipv4(t[9], &ev->client))
		return TB_E_FORMAT;
	/* The relayed bytes are the first of those counted; a refused
	 * handshake carries none. */
	if (ev->datalen > ev->appbytes || (ev->result == TB_CLOG_REFUSED && ev->appbytes))
		return TB_E_FORMAT;
	return TB_OK;
}

/* "END <next-seq>" */
static int end_line(const uint8_t *p, size_t n, uint64_t *next)
{
	struct tok t[2];
	return split(p, n, t, 2) && tok_is(t[0], "END") && dec(t[1], UINT64_MAX, next);
}

enum tb_err tb_p_cloudlog(const uint8_t *p, size_t n, struct tb_clog *out, size_t *bad_line)
{
	size_t line = 0, off = 0;
	out->n = 0;
	out->next_seq = 0;
	if (bad_line)
		*bad_line = 0;
	while (off < n) {
		const uint8_t *nl = memchr(p + off, '\n', n - off);
		size_t len = nl ? (size_t)(nl - (p + off)) : n - off;
		line++;
		if (len > TB_CLOG_LINE_MAX)
			goto bad;
		if (!nl)
			return TB_E_TRUNC;
		if (end_line(p + off, len, &out->next_seq)) {
			if (off + len + 1 != n)
				goto bad_after;
			return TB_OK;
		}
		if (out->n == TB_CLOG_MAX_EVENTS || tb_p_cloudlog_line(p + off, len, &out->ev[out->n]))
			goto bad;
		out->n++;
		off += len + 1;
	}
	return TB_E_TRUNC;
bad_after:
	line++;
bad:
	if (bad_line)
		*bad_line = line;
	return TB_E_FORMAT;
}

enum tb_err tb_p_cloud_answer(const uint8_t *p, size_t n, uint64_t *epoch, char *why, size_t whycap)
{
	struct tok t[2];
	const uint8_t *nl = memchr(p, '\n', n);
	if (why && whycap)
		why[0] = '\0';
	if (!nl)
		return n > TB_CLOG_ANSWER_MAX ? TB_E_FORMAT : TB_E_TRUNC;
	size_t len = (size_t)(nl - p);
	if (len > TB_CLOG_ANSWER_MAX || len + 1 != n)
		return TB_E_FORMAT;
	if (split(p, len, t, 2) && tok_is(t[0], "OK"))
		return dec(t[1], UINT64_MAX, epoch) ? TB_OK : TB_E_FORMAT;
	if (len > 4 && memcmp(p, "ERR ", 4) == 0) {
		size_t k = 0;
		for (size_t i = 4; i < len && why && k + 1 < whycap; i++)
			why[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
		if (why && whycap)
			why[k] = '\0';
		return TB_E_REFUSED;
	}
	return TB_E_FORMAT;
}
