/* p_http.c: HTTP/1.x response head and chunked body (RFC 9110, RFC 9112).
 *
 * Response head (RFC 9112 section 2.1, 4, 5):
 *   status-line  = HTTP-version SP status-code [ SP reason-phrase ] CRLF
 *   HTTP-version = "HTTP/" DIGIT "." DIGIT
 *   status-code  = 3DIGIT
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *   field-name   = 1*tchar
 *   head ends with an empty line (CRLF); bare LF is accepted for CRLF.
 *
 * Chunked body (RFC 9112 section 7.1):
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   chunk-size   = 1*HEXDIG
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 *   trailer-section = *( field-line CRLF )
 */
#include "proto/p_http.h"
#include "proto/p_ascii.h"

#include <limits.h>
#include <string.h>

#include "base/rd.h"

enum line_res { LINE_OK, LINE_MORE, LINE_BAD };

/* Take the next line from r (without its LF or CRLF) into *line, *n.
 * LINE_MORE if no LF within the first max bytes (max 0: no bound), LINE_BAD
 * for a CR not followed by LF. */
static enum line_res next_line(struct tb_rd *r, size_t max, const uint8_t **line, size_t *n)
{
	size_t left = tb_rd_left(r), k, m;
	const uint8_t *p, *lf;

	if (left == 0)
		return LINE_MORE;
	p = r->p + r->off;
	if (max && left > max)
		left = max;
	lf = memchr(p, '\n', left);
	if (!lf)
		return LINE_MORE;
	k = (size_t)(lf - p);
	m = k;
	if (m > 0 && p[m - 1] == '\r')
		m--;
	if (memchr(p, '\r', m))
		return LINE_BAD;
	tb_rd_bytes(r, k + 1, line);
	*n = m;
	return LINE_OK;
}

static int is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int is_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static void trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && is_ows((*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_ows((*p)[*n - 1]))
		(*n)--;
}

/* Split off the next comma-separated element of s[0..*n); quoted strings
 * are honoured when quotes is set.  Returns 0 when nothing is left. */
static int next_elem(const uint8_t **s, size_t *n, int quotes, const uint8_t **e, size_t *en)
{
	size_t i = 0;
	int inq = 0;

	if (*s == NULL)
		return 0;
	while (i < *n) {
		uint8_t c = (*s)[i];

		if (inq && c == '\\' && i + 1 < *n)
			i++;
		else if (quotes && c == '"')
			inq = !inq;
		else if (!inq && c == ',')
			break;
		i++;
	}
	*e = *s;
	*en = i;
	trim(e, en);
	if (i < *n) {
		*s += i + 1;
		*n -= i + 1;
	} else {
		*s = NULL;
		*n = 0;
	}
	return 1;
}

/* Content-Length: 1*DIGIT, or a list of identical values (RFC 9110 8.6). */
static enum tb_err parse_clen(const uint8_t *v, size_t n, long long *cl)
{
	const uint8_t *e;
	size_t en;

	while (next_elem(&v, &n, 0, &e, &en)) {
		long long x = 0;

		if (en == 0)
			return TB_E_FORMAT;
		for (size_t i = 0; i < en; i++) {
			if (!is_digit(e[i]) || x > (LLONG_MAX - (e[i] - '0')) / 10)
				return TB_E_FORMAT;
			x = x * 10 + (e[i] - '0');
		}
		if (*cl >= 0 && *cl != x)
			return TB_E_FORMAT;
		*cl = x;
	}
	return TB_OK;
}

/* Transfer-Encoding: is the last coding "chunked"?  -1 if the list is empty. */
static int te_last_chunked(const uint8_t *v, size_t n)
{
	const uint8_t *e;
	size_t en;
	int last = -1;

	while (next_elem(&v, &n, 1, &e, &en)) {
		size_t k = 0;

		if (en == 0)
			continue;
		while (k < en && e[k] != ';')
			k++;
		while (k > 0 && is_ows(e[k - 1]))
			k--;
		last = tb_ascii_eq_ci(e, k, "chunked");
	}
	return last;
}

/* WWW-Authenticate (RFC 9110 11.6.1): a list of challenges, each
 * auth-scheme [ 1*SP ( token68 / #auth-param ) ].  An element that starts
 * with a token not followed by "=" begins a challenge. */
static int offers_basic(const uint8_t *v, size_t n)
{
	const uint8_t *e;
	size_t en;

	while (next_elem(&v, &n, 1, &e, &en)) {
		size_t k = 0, j;

		while (k < en && is_tchar(e[k]))
			k++;
		if (k == 0)
			continue;
		j = k;
		while (j < en && is_ows(e[j]))
			j++;
		if (j < en && e[j] == '=')
			continue; /* auth-param */
		if (tb_ascii_eq_ci(e, k, "basic"))
			return 1;
	}
	return 0;
}

static enum tb_err parse_status(const uint8_t *l, size_t n, struct tb_http_resp *out)
{
	if (n < 12 || memcmp(l, "HTTP/", 5) != 0 || !is_digit(l[5]) || l[6] != '.' || !is_digit(l[7]) ||
	    l[8] != ' ' || l[9] < '1' || l[9] > '9' || !is_digit(l[10]) || !is_digit(l[11]))
		return TB_E_FORMAT;
	if (n > 12 && l[12] != ' ')
		return TB_E_FORMAT;
	for (size_t i = 13; i < n; i++)
		if (l[i] != '\t' && (l[i] < 0x20 || l[i] == 0x7f))
			return TB_E_FORMAT;
	out->major = l[5] - '0';
	out->minor = l[7] - '0';
	out->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	return TB_OK;
}

static enum tb_err parse_field(const uint8_t *l, size_t n, struct tb_http_resp *out)
{
	size_t k = 0;
	const uint8_t *v;
	size_t vn;

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
	if (vn > 0 && memchr(v, '\0', vn))
		return TB_E_FORMAT;

	if (tb_ascii_eq_ci(l, k, "content-length")) {
		return parse_clen(v, vn, &out->content_length);
	} else if (tb_ascii_eq_ci(l, k, "transfer-encoding")) {
		int c = te_last_chunked(v, vn);

		if (c >= 0)
			out->chunked = c;
	} else if (tb_ascii_eq_ci(l, k, "www-authenticate")) {
		if (offers_basic(v, vn))
			out->www_auth_basic = 1;
	} else if (tb_ascii_eq_ci(l, k, "location")) {
		if (!out->location) {
			out->location = v;
			out->location_len = vn;
		}
	} else if (tb_ascii_eq_ci(l, k, "content-type")) {
		if (!out->content_type) {
			out->content_type = v;
			out->content_type_len = vn;
		}
	}
	return TB_OK;
}

enum tb_err tb_p_http_response(const uint8_t *buf, size_t len, struct tb_http_resp *out)
{
	struct tb_rd r;
	const uint8_t *l;
	size_t n;
	enum line_res lr;
	enum tb_err err;

	memset(out, 0, sizeof(*out));
	out->content_length = -1;
	tb_rd_init(&r, buf, len);

	lr = next_line(&r, 0, &l, &n);
	if (lr != LINE_OK)
		return lr == LINE_MORE ? TB_E_TRUNC : TB_E_FORMAT;
	err = parse_status(l, n, out);
	if (err)
		return err;

	for (;;) {
		lr = next_line(&r, 0, &l, &n);
		if (lr != LINE_OK)
			return lr == LINE_MORE ? TB_E_TRUNC : TB_E_FORMAT;
		if (n == 0)
			break;
		if (out->nheaders >= TB_HTTP_MAX_HEADERS)
			return TB_E_FORMAT;
		out->nheaders++;
		err = parse_field(l, n, out);
		if (err)
			return err;
	}
	if (out->chunked && out->content_length >= 0)
		return TB_E_FORMAT;
	out->header_len = r.off;
	return TB_OK;
}

static int hexval(uint8_t c)
{
	if (is_digit(c))
		return c - '0';
	c = tb_ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* chunk-size [ chunk-ext ]: BWS after the size is tolerated. */
static enum tb_err parse_size(const uint8_t *l, size_t n, size_t *size)
{
	size_t k = 0, v = 0;
	int h;

	while (k < n && (h = hexval(l[k])) >= 0) {
		if (v > (SIZE_MAX >> 4))
			return TB_E_FORMAT;
		v = (v << 4) | (size_t)h;
		k++;
	}
	if (k == 0)
		return TB_E_FORMAT;
	while (k < n && is_ows(l[k]))
		k++;
	if (k < n && l[k] != ';')
		return TB_E_FORMAT;
	*size = v;
	return TB_OK;
}

static enum tb_err line_err(enum line_res lr, const struct tb_rd *r)
{
	if (lr == LINE_BAD)
		return TB_E_FORMAT;
	return tb_rd_left(r) >= TB_HTTP_CHUNK_LINE_MAX ? TB_E_FORMAT : TB_E_TRUNC;
}

enum tb_err tb_p_http_dechunk(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *outlen,
			      size_t *consumed)
{
	struct tb_rd r;
	size_t on = 0, done = 0, n, size;
	const uint8_t *l, *d;
	enum line_res lr;
	enum tb_err err;

	if (!out)
		cap = 0;
	tb_rd_init(&r, in, len);
	for (;;) {
		lr = next_line(&r, TB_HTTP_CHUNK_LINE_MAX, &l, &n);
		if (lr != LINE_OK) {
			err = line_err(lr, &r);
			goto fail;
		}
		err = parse_size(l, n, &size);
		if (err)
			goto fail;
		if (size == 0)
			break;
		if (size > cap - on) {
			err = TB_E_TOOBIG;
			goto fail;
		}
		tb_rd_bytes(&r, size, &d);
		if (!d) {
			err = TB_E_TRUNC;
			goto fail;
		}
		memcpy(out + on, d, size);
		on += size;
		/* chunk-data is followed by CRLF (or LF). */
		switch (tb_rd_peek(&r)) {
		case -1: err = TB_E_TRUNC; goto fail;
		case '\n': tb_rd_skip(&r, 1); break;
		case '\r':
			if (!tb_rd_avail(&r, 2)) {
				err = TB_E_TRUNC;
				goto fail;
			}
			if (r.p[r.off + 1] != '\n') {
				err = TB_E_FORMAT;
				goto fail;
			}
			tb_rd_skip(&r, 2);
			break;
		default: err = TB_E_FORMAT; goto fail;
		}
		done = r.off;
	}
	/* trailer-section, then the empty line. */
	for (;;) {
		lr = next_line(&r, TB_HTTP_CHUNK_LINE_MAX, &l, &n);
		if (lr != LINE_OK) {
			err = line_err(lr, &r);
			goto fail;
		}
		if (n == 0)
			break;
		if (is_ows(l[0]) || !memchr(l, ':', n)) {
			err = TB_E_FORMAT;
			goto fail;
		}
	}
	*outlen = on;
	*consumed = r.off;
	return TB_OK;
fail:
	*outlen = on;
	*consumed = done;
	return err;
}

int tb_p_http_header(const uint8_t *buf, size_t header_len, const char *name, const uint8_t **val,
		     size_t *vlen)
{
	size_t nlen = strlen(name), i = 0;
	*val = NULL;
	*vlen = 0;
	/* Skip the status line. */
	while (i < header_len && buf[i] != '\n')
		i++;
	while (++i < header_len) {
		size_t start = i;
		while (i < header_len && buf[i] != '\n')
			i++;
		size_t n = i - start;
		const uint8_t *l = buf + start;
		if (n && l[n - 1] == '\r')
			n--;
		if (n > nlen && l[nlen] == ':' && tb_ascii_eq_ci(l, nlen, name)) {
			const uint8_t *v = l + nlen + 1;
			size_t vn = n - nlen - 1;
			trim(&v, &vn);
			*val = v;
			*vlen = vn;
			return 1;
		}
	}
	return 0;
}

long tb_p_http_retry_after(const uint8_t *val, size_t vlen, long dflt, long max_s)
{
	long v = 0;
	if (!val || vlen == 0 || vlen > 9)
		return dflt;
	for (size_t i = 0; i < vlen; i++) {
		if (!is_digit(val[i]))
			return dflt;
		v = v * 10 + (val[i] - '0');
	}
	return v > max_s ? max_s : v;
}
