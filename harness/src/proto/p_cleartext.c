/* p_cleartext.c: HTTP, FTP and telnet credentials (see p_cleartext.h). */
#include "proto/p_cleartext.h"
#include "proto/p_ascii.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define HTTP_MAX_HEADERS 64

static const char *const methods[] = { "GET",     "POST",  "PUT",     "HEAD", "DELETE",
				       "OPTIONS", "PATCH", "CONNECT", NULL };

/* Copy at most cap-1 printable bytes as a C string. */
static void copy_text(char *dst, size_t cap, const uint8_t *p, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;
	for (size_t i = 0; i < k; i++)
		dst[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	dst[k] = '\0';
}

static int b64val(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 into out (at most cap bytes); stops at '=' or junk. */
static size_t b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64val(in[i]);
		if (v < 0)
			break;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < cap)
				out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return o;
}

/* The k bytes at p equal s (lower case, k long), ignoring case. */
static int ieq_k(const uint8_t *p, const char *s, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (tb_ascii_lower(p[i]) != (uint8_t)s[i])
			return 0;
	return 1;
}

static int ieq(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n == k && ieq_k(p, s, k);
}

static int icontains(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (tb_ascii_lower(p[i]) == (uint8_t)s[0] && ieq_k(p + i, s, k))
			return 1;
	return 0;
}

static void authorization(struct tb_http_sniffed *r, const uint8_t *v, size_t n)
{
	size_t sp = 0;
	while (sp < n && v[sp] != ' ')
		sp++;
	const uint8_t *cred = v + sp;
	size_t cn = n - sp;
	while (cn && *cred == ' ')
		cred++, cn--;
	if (ieq(v, sp, "basic")) {
		uint8_t dec[TB_CT_VALUE_MAX * 2];
		size_t dn = b64_decode(cred, cn, dec, sizeof dec);
		uint8_t *colon = memchr(dec, ':', dn);
		if (!colon)
			return;
		r->has_basic = 1;
		r->user_len = (size_t)(colon - dec) < TB_CT_VALUE_MAX ? (size_t)(colon - dec)
								      : TB_CT_VALUE_MAX;
		memcpy(r->user, dec, r->user_len);
		size_t pl = dn - (size_t)(colon - dec) - 1;
		r->secret_len = pl < TB_CT_VALUE_MAX ? pl : TB_CT_VALUE_MAX;
		memcpy(r->secret, colon + 1, r->secret_len);
		return;
	}
	r->has_token = 1;
	snprintf(r->token_header, sizeof r->token_header, "Authorization");
	r->token_len = cn < TB_CT_VALUE_MAX ? cn : TB_CT_VALUE_MAX;
	memcpy(r->token, cred, r->token_len);
}

/* Does a header or parameter name say that it carries a secret? */
static int names_a_secret(const uint8_t *name, size_t n)
{
	return icontains(name, n, "token") || icontains(name, n, "api-key") ||
	       icontains(name, n, "apikey") || icontains(name, n, "api_key") ||
	       icontains(name, n, "secret") || icontains(name, n, "passw") || ieq(name, n, "key") ||
	       ieq(name, n, "pass") || ieq(name, n, "pwd") || ieq(name, n, "auth");
}

/* The first query parameter of the request target whose name says it
 * carries a secret (the value is kept as sent, not percent-decoded). */
static void query_token(struct tb_http_sniffed *r, const uint8_t *target, size_t n)
{
	const uint8_t *q = memchr(target, '?', n);
	if (!q)
		return;
	size_t off = (size_t)(q - target) + 1;
	while (off < n && !r->has_query_token) {
		size_t end = off;
		while (end < n && target[end] != '&' && target[end] != '#')
			end++;
		const uint8_t *eq = memchr(target + off, '=', end - off);
		if (eq && names_a_secret(target + off, (size_t)(eq - target) - off)) {
			size_t nl = (size_t)(eq - target) - off, vn = end - (size_t)(eq - target) - 1;
			r->has_query_token = 1;
			copy_text(r->query_param, sizeof r->query_param, target + off, nl);
			r->qtoken_len = vn < TB_CT_VALUE_MAX ? vn : TB_CT_VALUE_MAX;
			memcpy(r->qtoken, eq + 1, r->qtoken_len);
		}
		if (end < n && target[end] == '#')
			break;
		off = end + 1;
	}
}

static void header(struct tb_http_sniffed *r, const uint8_t *line, size_t n)
{
	const uint8_t *colon = memchr(line, ':', n);
	if (!colon)
		return;
	size_t nl = (size_t)(colon - line);
	const uint8_t *v = colon + 1;
	size_t vn = n - nl - 1;
	while (vn && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (ieq(line, nl, "host")) {
		copy_text(r->host, sizeof r->host, v, vn);
	} else if (ieq(line, nl, "authorization")) {
		authorization(r, v, vn);
	} else if (!r->has_token && names_a_secret(line, nl)) {
		r->has_token = 1;
		copy_text(r->token_header, sizeof r->token_header, line, nl);
		r->token_len = vn < TB_CT_VALUE_MAX ? vn : TB_CT_VALUE_MAX;
		memcpy(r->token, v, r->token_len);
	}
}

/* Next line (without CR LF) from *off; 0 when no complete line remains. */
static int next_line(const uint8_t *p, size_t n, size_t *off, const uint8_t **line, size_t *len)
{
	if (*off >= n)
		return 0;
	const uint8_t *nl = memchr(p + *off, '\n', n - *off);
	if (!nl)
		return 0;
	*line = p + *off;
	*len = (size_t)(nl - *line);
	if (*len && (*line)[*len - 1] == '\r')
		(*len)--;
	*off = (size_t)(nl - p) + 1;
	return 1;
}

/* Every field empty, without clearing the value buffers (kilobytes, for
 * every request a capture holds): a value is read only up to its length. */
static void sniffed_init(struct tb_http_sniffed *r)
{
	r->method[0] = r->path[0] = r->host[0] = '\0';
	r->has_basic = r->has_token = r->has_query_token = 0;
	r->user_len = r->secret_len = r->token_len = r->qtoken_len = 0;
	r->token_header[0] = r->query_param[0] = '\0';
}

enum tb_err tb_p_http_request(const uint8_t *p, size_t n, struct tb_http_sniffed *r)
{
	sniffed_init(r);
	size_t sp = 0;
	while (sp < n && sp < 8 && p[sp] != ' ')
		sp++;
	int known = 0;
	for (const char *const *m = methods; *m && !known; m++)
		known = sp == strlen(*m) && memcmp(p, *m, sp) == 0;
	if (sp >= n)
		return known || sp < 8 ? TB_E_TRUNC : TB_E_FORMAT;
	if (!known)
		return TB_E_FORMAT;
	copy_text(r->method, sizeof r->method, p, sp);
	size_t off = 0, len;
	const uint8_t *line;
	if (!next_line(p, n, &off, &line, &len))
		return TB_E_TRUNC;
	const uint8_t *path = line + sp + 1;
	size_t pl = len > sp + 1 ? len - sp - 1 : 0;
	const uint8_t *end = memchr(path, ' ', pl);
	if (!end || pl - (size_t)(end - path) < 9 || memcmp(end + 1, "HTTP/1.", 7) != 0)
		return TB_E_FORMAT;
	copy_text(r->path, sizeof r->path, path, (size_t)(end - path));
	query_token(r, path, (size_t)(end - path));
	for (int i = 0; i < HTTP_MAX_HEADERS; i++) {
		if (!next_line(p, n, &off, &line, &len))
			return TB_E_TRUNC;
		if (len == 0)
			return TB_OK;
		header(r, line, len);
	}
	return TB_E_FORMAT; /* more headers than any device needs */
}

enum tb_err tb_p_ftp_command(const uint8_t *p, size_t n, char verb[5], uint8_t *arg, size_t argcap,
			     size_t *arglen)
{
	size_t i = 0;
	*arglen = 0;
	verb[0] = '\0';
	while (i < n && i < 4 && isalpha(p[i])) {
		verb[i] = (char)toupper(p[i]);
		i++;
	}
	verb[i] = '\0';
	if (i == n)
		return TB_E_TRUNC;
	if (i < 3 || (p[i] != ' ' && p[i] != '\r' && p[i] != '\n'))
		return TB_E_FORMAT;
	const uint8_t *nl = memchr(p + i, '\n', n - i);
	if (!nl)
		return TB_E_TRUNC;
	size_t s = p[i] == ' ' ? i + 1 : i, e = (size_t)(nl - p);
	if (e > s && p[e - 1] == '\r')
		e--;
	*arglen = e - s < argcap ? e - s : argcap;
	memcpy(arg, p + s, *arglen);
	return TB_OK;
}

void tb_p_telnet_login_init(struct tb_telnet_login *s)
{
	memset(s, 0, sizeof *s);
}

/* Skip telnet commands: IAC x, IAC WILL/WONT/DO/DONT opt, IAC SB ... IAC SE.
 * Returns 1 when the byte belongs to a command. */
static int iac_byte(struct tb_telnet_login *s, uint8_t b)
{
	if (s->iac == -1) { /* in a subnegotiation: until IAC SE */
		if (b == 255)
			s->iac = -2;
		return 1;
	}
	if (s->iac == -2) {
		s->iac = b == 240 ? 0 : -1;
		return 1;
	}
	if (s->iac == 1) { /* command byte after IAC */
		if (b == 250)
			s->iac = -1;
		else if (b >= 251 && b <= 254)
			s->iac = 2;
		else
			s->iac = 0;
		return 1;
	}
	if (s->iac == 2) {
		s->iac = 0;
		return 1;
	}
	if (b == 255) {
		s->iac = 1;
		return 1;
	}
	return 0;
}

/* Does the server's open line end with word (lower case), trailing spaces
 * and tabs aside? */
static int line_ends_with(const struct tb_telnet_login *s, const char *word)
{
	size_t n = s->promptlen, k = strlen(word);
	while (n > 0 && (s->prompt[n - 1] == ' ' || s->prompt[n - 1] == '\t'))
		n--;
	return n >= k && memcmp(s->prompt + n - k, word, k) == 0;
}

/* What the server is waiting for, judged from its last line while that line
 * is still open (real telnetd/login: "login: ", "<host> login: ",
 * "Password: ", with no line end after them).  A keyword inside a finished
 * line, or a banner such as "Last login: Mon ... from ...", is no prompt. */
static enum tb_tl_expect open_line_prompt(const struct tb_telnet_login *s)
{
	if (line_ends_with(s, "password:"))
		return TB_TL_PASS;
	if (line_ends_with(s, "last login:"))
		return TB_TL_IDLE;
	if (line_ends_with(s, "login:") || line_ends_with(s, "username:") || line_ends_with(s, "user:"))
		return TB_TL_USER;
	return TB_TL_IDLE;
}

/* Keep the tail of the server's current line; a line end starts a new one. */
static void server_byte(struct tb_telnet_login *s, uint8_t b)
{
	if (b == '\r' || b == '\n') {
		s->promptlen = 0;
		return;
	}
	if (b == 0)
		return;
	if (s->promptlen == sizeof s->prompt) {
		memmove(s->prompt, s->prompt + 1, sizeof s->prompt - 1);
		s->promptlen--;
	}
	s->prompt[s->promptlen++] = (uint8_t)tolower(b);
}

enum tb_telnet_login_event tb_p_telnet_login_feed(struct tb_telnet_login *s, int from_server,
						  const uint8_t *p, size_t n, size_t *used)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		if (iac_byte(s, b))
			continue;
		if (from_server) {
			server_byte(s, b);
			continue;
		}
		if (b == '\r' || b == '\n' || b == 0) {
			if (s->expect == TB_TL_IDLE || s->linelen == 0)
				continue;
			enum tb_telnet_login_event ev =
				s->expect == TB_TL_USER ? TB_TL_GOT_USER : TB_TL_GOT_PASS;
			s->expect = TB_TL_IDLE;
			s->promptlen = 0;
			*used = i + 1;
			return ev;
		}
		if (s->expect == TB_TL_IDLE) {
			/* The client starts a line: is the server prompting for it?
			 * Decided now, when the server has stopped talking, not when a
			 * prompt word went by in its output. */
			s->expect = open_line_prompt(s);
			s->linelen = 0;
			if (s->expect == TB_TL_IDLE)
				continue;
		}
		if (s->linelen < sizeof s->line)
			s->line[s->linelen++] = b;
	}
	*used = n;
	return TB_TL_NONE;
}
