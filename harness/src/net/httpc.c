/* httpc.c: minimal HTTP/1.1 GET/POST over tb_net, plain or inside TLS,
 * and a redirect follower that stays on the device (see httpc.h). */
#include "net/httpc.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "net/tls.h"
#include "proto/p_location.h"

void tb_http_basic_auth(const char *user, const char *pass, char *out, size_t outlen)
{
	char plain[512];
	unsigned char enc[700];
	int n = snprintf(plain, sizeof plain, "%s:%s", user, pass);
	if (n < 0 || (size_t)n >= sizeof plain)
		n = 0;
	EVP_EncodeBlock(enc, (const unsigned char *)plain, n);
	snprintf(out, outlen, "Basic %s", enc);
}

/* ---- HTTP Digest (RFC 7616) ---- */

/* One auth-param value: a token or a quoted-string, unescaped into out.
 * Returns the bytes consumed, or 0 when malformed or longer than cap-1. */
static size_t param_value(const uint8_t *v, size_t len, char *out, size_t cap)
{
	size_t i = 0, o = 0;
	if (len && v[0] == '"') {
		for (i = 1; i < len && v[i] != '"'; i++) {
			if (v[i] == '\\' && i + 1 < len)
				i++;
			if (o + 1 >= cap || v[i] < 0x20 || v[i] == 0x7f)
				return 0;
			out[o++] = (char)v[i];
		}
		if (i >= len)
			return 0; /* unterminated */
		i++;
	} else {
		for (; i < len && v[i] != ',' && v[i] != ' ' && v[i] != '\t'; i++) {
			if (o + 1 >= cap || v[i] < 0x21 || v[i] == 0x7f)
				return 0;
			out[o++] = (char)v[i];
		}
		if (i == 0)
			return 0;
	}
	out[o] = '\0';
	return i;
}

static int is_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

enum tb_err tb_http_digest_challenge(const uint8_t *v, size_t len, struct tb_http_digest *d,
				     struct tb_diag *why)
{
	char algorithm[32] = "MD5", qop[64] = "", name[32], val[200];
	int have_realm = 0, have_nonce = 0, have_qop = 0;
	d->has_opaque = 0;
	d->nc = 0;
	if (len < 7 || strncasecmp((const char *)v, "Digest", 6) != 0 || !is_ws(v[6]))
		return tb_diag_set(why, TB_E_FORMAT, "not a Digest challenge");
	size_t i = 7;
	while (i < len) {
		while (i < len && (is_ws(v[i]) || v[i] == ','))
			i++;
		size_t n = 0;
		while (i < len && n + 1 < sizeof name && (isalnum(v[i]) || v[i] == '-' || v[i] == '_'))
			name[n++] = (char)v[i++];
		name[n] = '\0';
		while (i < len && is_ws(v[i]))
			i++;
		if (!n || i >= len || v[i] != '=')
			return tb_diag_set(why, TB_E_FORMAT, "malformed Digest challenge");
		i++;
		while (i < len && is_ws(v[i]))
			i++;
		size_t used = param_value(v + i, len - i, val, sizeof val);
		if (!used)
			return tb_diag_set(why, TB_E_FORMAT,
					   "malformed or overlong Digest parameter %s", name);
		i += used;
		if (!strcasecmp(name, "realm") && strlen(val) < sizeof d->realm)
			have_realm = snprintf(d->realm, sizeof d->realm, "%s", val) >= 0;
		else if (!strcasecmp(name, "nonce") && strlen(val) < sizeof d->nonce)
			have_nonce = snprintf(d->nonce, sizeof d->nonce, "%s", val) >= 0;
		else if (!strcasecmp(name, "opaque") && strlen(val) < sizeof d->opaque)
			d->has_opaque = snprintf(d->opaque, sizeof d->opaque, "%s", val) >= 0;
		else if (!strcasecmp(name, "algorithm"))
			snprintf(algorithm, sizeof algorithm, "%s", val);
		else if (!strcasecmp(name, "qop"))
			have_qop = snprintf(qop, sizeof qop, "%s", val) >= 0;
	}
	if (!have_realm || !have_nonce)
		return tb_diag_set(why, TB_E_FORMAT, "Digest challenge without realm or nonce");
	if (strcasecmp(algorithm, "MD5") && strcasecmp(algorithm, "SHA-256"))
		return tb_diag_set(why, TB_E_FORMAT, "Digest algorithm %s not supported", algorithm);
	d->sha256 = strcasecmp(algorithm, "SHA-256") == 0;
	/* qop is a comma-separated list: is "auth" in it? */
	d->qop_auth = 0;
	for (const char *tok = qop; *tok;) {
		size_t n = strcspn(tok, ", \t");
		if (n == 4 && strncmp(tok, "auth", 4) == 0)
			d->qop_auth = 1;
		tok += n;
		tok += strspn(tok, ", \t");
	}
	if (have_qop && !d->qop_auth)
		return tb_diag_set(why, TB_E_FORMAT, "Digest qop without \"auth\"");
	return TB_OK;
}

/* Lower-case hex of MD5 or SHA-256 over the NUL-terminated text. */
static void digest_hex(int sha256, const char *text, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_Digest(text, strlen(text), md, &mdlen, sha256 ? EVP_sha256() : EVP_md5(), NULL);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[2 * mdlen] = '\0';
}

int tb_http_digest_auth(struct tb_http_digest *d, const char *method, const char *uri,
			const char *cnonce, char *out, size_t outlen)
{
	char buf[1200], ha1[65], ha2[65], resp[65], nc[9];
	snprintf(buf, sizeof buf, "%s:%s:%s", d->user, d->realm, d->pass);
	digest_hex(d->sha256, buf, ha1);
	snprintf(buf, sizeof buf, "%s:%s", method, uri);
	digest_hex(d->sha256, buf, ha2);
	d->nc++;
	snprintf(nc, sizeof nc, "%08x", d->nc);
	if (d->qop_auth)
		snprintf(buf, sizeof buf, "%s:%s:%s:%s:auth:%s", ha1, d->nonce, nc, cnonce, ha2);
	else
		snprintf(buf, sizeof buf, "%s:%s:%s", ha1, d->nonce, ha2);
	digest_hex(d->sha256, buf, resp);
	char opaque[200] = "", qop[120] = "";
	if (d->has_opaque)
		snprintf(opaque, sizeof opaque, ", opaque=\"%s\"", d->opaque);
	if (d->qop_auth)
		snprintf(qop, sizeof qop, ", qop=auth, nc=%s, cnonce=\"%s\"", nc, cnonce);
	int n = snprintf(out, outlen,
			 "Digest username=\"%s\", realm=\"%s\", uri=\"%s\", algorithm=%s, "
			 "nonce=\"%s\"%s, response=\"%s\"%s",
			 d->user, d->realm, uri, d->sha256 ? "SHA-256" : "MD5", d->nonce, qop, resp,
			 opaque);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static int path_ok(const char *p)
{
	if (!p || p[0] != '/' || strlen(p) > 512)
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* A header value we send: no control bytes (no CR/LF to split the head). */
static int header_value_ok(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return 0;
	return 1;
}

static void fail(struct tb_http_exchange *res, enum tb_err e, const char *why)
{
	res->err = e;
	snprintf(res->why, sizeof res->why, "%s", why);
}

/* Once the header block is complete: is the body complete too? */
static int body_done(struct tb_http_exchange *res, int closed)
{
	const struct tb_http_resp *h = &res->resp;
	size_t have = res->rawlen - h->header_len;
	if (h->status == 204 || h->status == 304 || (h->status >= 100 && h->status < 200))
		return 1;
	if (h->chunked) {
		size_t out, used;
		uint8_t *tmp = tb_xmalloc(have + 1);
		enum tb_err e =
			tb_p_http_dechunk(res->raw + h->header_len, have, tmp, have, &out, &used);
		free(tmp);
		return e != TB_E_TRUNC || closed;
	}
	if (h->content_length >= 0)
		return (long long)have >= h->content_length || closed;
	return closed;
}

static void decode_body(struct tb_http_exchange *res)
{
	const struct tb_http_resp *h = &res->resp;
	size_t have = res->rawlen - h->header_len;
	const uint8_t *src = res->raw + h->header_len;
	res->body = tb_xmalloc(have + 1);
	if (h->chunked) {
		size_t used;
		enum tb_err e = tb_p_http_dechunk(src, have, res->body, have, &res->bodylen, &used);
		if (e) {
			fail(res, e,
			     e == TB_E_TRUNC ? "chunked body cut short" : "malformed chunked body");
			res->bodylen = 0;
		}
	} else {
		size_t n = have;
		if (h->content_length >= 0 && (long long)n > h->content_length)
			n = (size_t)h->content_length;
		if (h->content_length >= 0 && (long long)n < h->content_length)
			fail(res, TB_E_TRUNC, "body shorter than Content-Length");
		memcpy(res->body, src, n);
		res->bodylen = n;
	}
	res->body[res->bodylen] = '\0';
}

/* Read until the response is complete, the cap, EOF or the deadline. */
static void read_response(struct tb_chan *ch, struct tb_http_exchange *res, int64_t deadline)
{
	int have_headers = 0;
	res->raw = tb_xmalloc(TB_HTTP_MAX_RESPONSE + 1);
	for (;;) {
		size_t got = 0;
		enum tb_err e =
			res->rawlen < TB_HTTP_MAX_RESPONSE
				? tb_chan_recv(ch, res->raw + res->rawlen,
					       TB_HTTP_MAX_RESPONSE - res->rawlen, &got, deadline)
				: TB_E_TOOBIG;
		int closed = (e == TB_OK && got == 0) || e == TB_E_REFUSED;
		res->rawlen += got;
		if (!have_headers) {
			enum tb_err pe = tb_p_http_response(res->raw, res->rawlen, &res->resp);
			if (pe == TB_E_FORMAT)
				return fail(res, pe, "malformed HTTP response header");
			have_headers = pe == TB_OK;
		}
		if (have_headers && body_done(res, closed)) {
			res->err = TB_OK;
			return decode_body(res);
		}
		if (e == TB_E_TOOBIG)
			return fail(res, e, "the device sent more than the response size limit");
		if (e == TB_E_TIMEOUT)
			return fail(res, e,
				    have_headers ? "response body not complete before the deadline"
						 : "no complete HTTP response before the deadline");
		if (closed)
			return fail(res, TB_E_TRUNC,
				    res->rawlen ? "connection closed mid-response"
						: "connection closed without a response");
		if (e != TB_OK)
			return fail(res, e, "receive error");
	}
}

#define POST_PIECE (64 * 1024)

/* Stream the body; TB_OK when all of it went out. */
static enum tb_err send_body(struct tb_chan *ch, struct tb_http_body *b, int64_t deadline,
			     struct tb_http_exchange *res)
{
	uint8_t *buf = tb_xmalloc(POST_PIECE);
	enum tb_err e = TB_OK;
	b->sent = 0;
	while (!e && b->sent < b->length) {
		size_t want =
			b->length - b->sent < POST_PIECE ? (size_t)(b->length - b->sent) : POST_PIECE;
		long n = b->read(b->arg, buf, want);
		if (n <= 0) {
			fail(res, TB_E_INTERNAL, "the request body ended before its Content-Length");
			e = TB_E_INTERNAL;
			break;
		}
		e = tb_chan_send(ch, buf, (size_t)n, deadline);
		if (e == TB_OK)
			b->sent += (uint64_t)n;
	}
	free(buf);
	return e;
}

/* Say in the reason that the exchange ran inside TLS. */
static void tls_why(struct tb_http_exchange *res)
{
	char tmp[sizeof res->why];
	snprintf(tmp, sizeof tmp, "%s", res->why);
	snprintf(res->why, sizeof res->why, "over TLS (%s): %s",
		 res->tls_cipher[0] ? res->tls_cipher : "no handshake", tmp);
}

/* Connect (and handshake, for TLS) within the exchange's deadline.  TLS
 * 1.3 is preferred and 1.2 then 1.0 tried when refused: which versions the
 * device should accept is the tls check's business, not this one's. */
static enum tb_err open_chan(struct tb_net *net, const struct tb_http_req *rq, int64_t deadline,
			     struct tb_chan *ch, struct tb_http_exchange *res)
{
	if (!rq->tls) {
		struct tb_diag d;
		enum tb_err e = tb_net_connect(net, rq->addr, rq->port, &ch->fd, &d);
		if (e)
			fail(res, e, d.msg);
		return e;
	}
	static const enum tb_tls_ver vers[] = { TB_TLS13, TB_TLS12, TB_TLS10 };
	struct tb_tls_result tr = { .outcome = TB_TLS_LOCAL };
	res->tls = 1;
	for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++) {
		int64_t left = deadline - tb_now_ms();
		if (left <= 0)
			break;
		struct tb_tls_probe pr = { .ver = vers[i], .timeout_ms = (int)left };
		tb_tls_handshake(net, rq->addr, rq->port, &pr, &tr, &ch->tls);
		if (tr.outcome == TB_TLS_OK) {
			snprintf(res->tls_cipher, sizeof res->tls_cipher, "%s %s",
				 tb_tls_ver_name(vers[i]), tr.cipher);
			return TB_OK;
		}
		if (tr.outcome != TB_TLS_REFUSED &&
		    (tr.outcome != TB_TLS_LOCAL || strncmp(tr.why, "connect:", 8) == 0))
			break; /* closed, not TLS, timed out, out of scope: no other version helps */
	}
	static const enum tb_err as_err[] = { [TB_TLS_OK] = TB_OK,
					      [TB_TLS_REFUSED] = TB_E_FORMAT,
					      [TB_TLS_NOT_TLS] = TB_E_FORMAT,
					      [TB_TLS_TIMEOUT] = TB_E_TIMEOUT,
					      [TB_TLS_CLOSED] = TB_E_REFUSED,
					      [TB_TLS_LOCAL] = TB_E_INTERNAL };
	enum tb_err e = as_err[tr.outcome];
	if (tr.outcome == TB_TLS_LOCAL && strstr(tr.why, "outside the lab scope"))
		e = TB_E_SCOPE;
	char why[300];
	snprintf(why, sizeof why, "TLS handshake failed: %s", tr.why[0] ? tr.why : "deadline passed");
	fail(res, e, why);
	tls_why(res);
	return e;
}

/* One request per connection: the head (with Content-Type and
 * Content-Length when there is a body), the body streamed, then the answer,
 * all under one deadline.  GET passes body == NULL. */
static void request(struct tb_net *net, const struct tb_http_req *rq, const char *method,
		    struct tb_http_body *body, struct tb_http_exchange *res)
{
	memset(res, 0, sizeof *res);
	res->err = TB_E_INTERNAL;
	if (!path_ok(rq->path))
		return fail(res, TB_E_CONFIG, "refused to send a malformed request path");
	char host[16], entity[160] = "", digest[1200];
	const char *authz = rq->authorization;
	tb_ipv4_format(rq->addr, host);
	if (rq->digest) {
		unsigned char rnd[12];
		char cnonce[25];
		if (RAND_bytes(rnd, sizeof rnd) != 1)
			return fail(res, TB_E_INTERNAL, "no random bytes for the Digest client nonce");
		for (size_t i = 0; i < sizeof rnd; i++)
			snprintf(cnonce + 2 * i, 3, "%02x", rnd[i]);
		if (tb_http_digest_auth(rq->digest, method, rq->path, cnonce, digest, sizeof digest))
			return fail(res, TB_E_TOOBIG, "Digest Authorization too long");
		authz = digest;
	}
	if (body)
		snprintf(entity, sizeof entity, "Content-Type: %s\r\nContent-Length: %llu\r\n",
			 body->content_type, (unsigned long long)body->length);
	if (rq->cookie && !header_value_ok(rq->cookie))
		return fail(res, TB_E_CONFIG, "refused to send a malformed Cookie header");
	int n = snprintf(res->request, sizeof res->request,
			 "%s %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: trustbench/" TB_VERSION
			 "\r\nAccept: */*\r\nConnection: close\r\n%s%s%s%s%s%s%s\r\n",
			 method, rq->path, host, rq->port, entity, authz ? "Authorization: " : "",
			 authz ? authz : "", authz ? "\r\n" : "", rq->cookie ? "Cookie: " : "",
			 rq->cookie ? rq->cookie : "", rq->cookie ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof res->request)
		return fail(res, TB_E_TOOBIG, "request too long");
	res->reqlen = (size_t)n;
	int64_t deadline = tb_now_ms() + (rq->timeout_ms > 0 ? rq->timeout_ms : 5000);
	struct tb_chan ch = { .fd = -1 };
	enum tb_err e = open_chan(net, rq, deadline, &ch, res);
	if (e)
		return;
	e = tb_chan_send(&ch, res->request, res->reqlen, deadline);
	if (!e && body)
		e = send_body(&ch, body, deadline, res);
	if (e == TB_E_INTERNAL) {
		/* send_body() already said why */
	} else if (e == TB_E_TIMEOUT) {
		fail(res, e,
		     body ? "the device stopped taking the request body before the deadline"
			  : "could not send the request before the deadline");
	} else if (e && !body) {
		fail(res, e, "could not send the request");
	} else {
		/* Complete, or refused mid-body: either way read what it answers. */
		read_response(&ch, res, deadline);
		if (e && res->err)
			fail(res, e, "the device closed the connection while the body was being sent");
	}
	tb_chan_close(&ch, 0);
	if (res->err && res->tls)
		tls_why(res);
}

void tb_http_get(struct tb_net *net, const struct tb_http_req *rq, struct tb_http_exchange *res)
{
	request(net, rq, "GET", NULL, res);
}

void tb_http_post(struct tb_net *net, const struct tb_http_req *rq, struct tb_http_body *body,
		  struct tb_http_exchange *res)
{
	request(net, rq, "POST", body, res);
}

void tb_http_exchange_free(struct tb_http_exchange *res)
{
	free(res->raw);
	free(res->body);
	res->raw = res->body = NULL;
}

void tb_http_url(const struct tb_http_req *rq, char *out, size_t outlen)
{
	char host[16];
	tb_ipv4_format(rq->addr, host);
	snprintf(out, outlen, "%s://%s:%u%s", rq->tls ? "https" : "http", host, rq->port,
		 rq->path ? rq->path : "");
}

int tb_http_is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Point f->final at the redirect's target.  0, or -1 with f->why set. */
static int next_target(struct tb_http_follow *f, const struct tb_http_req *first)
{
	const struct tb_http_resp *h = &f->last.resp;
	uint32_t addr = f->final.addr;
	uint16_t port = f->final.port;
	char path[sizeof f->path];
	struct tb_diag why = { .msg = "" };
	if (!h->location) {
		snprintf(f->why, sizeof f->why, "HTTP %d without a Location header", h->status);
		return -1;
	}
	if (tb_p_location(h->location, h->location_len, &addr, &port, path, sizeof path, &why)) {
		snprintf(f->why, sizeof f->why, "redirect not followed: %s", why.msg);
		return -1;
	}
	int same_place = addr == first->addr && port == first->port;
	/* An absolute http:// URL naming another port means plain HTTP there. */
	if (addr != f->final.addr || port != f->final.port)
		f->final.tls = same_place ? first->tls : 0;
	if (!same_place && (f->final.authorization || f->final.digest || f->final.cookie)) {
		f->final.authorization = NULL;
		f->final.digest = NULL;
		f->final.cookie = NULL;
		f->auth_dropped = 1;
	}
	f->final.addr = addr;
	f->final.port = port;
	memcpy(f->path, path, sizeof f->path);
	f->final.path = f->path;
	return 0;
}

void tb_http_get_follow(struct tb_net *net, const struct tb_http_req *rq, int max_hops,
			tb_http_hop_fn on_hop, void *arg, struct tb_http_follow *out)
{
	memset(out, 0, sizeof *out);
	if (max_hops < 0)
		max_hops = 0;
	if (max_hops > TB_HTTP_MAX_HOPS)
		max_hops = TB_HTTP_MAX_HOPS;
	out->final = *rq;
	snprintf(out->path, sizeof out->path, "%s", rq->path ? rq->path : "");
	out->final.path = out->path;
	for (;;) {
		struct tb_http_hop *hop = &out->hops[out->nhops++];
		tb_http_url(&out->final, hop->url, sizeof hop->url);
		hop->auth_sent = out->final.authorization || out->final.digest;
		tb_http_get(net, &out->final, &out->last);
		hop->status = out->last.err ? 0 : out->last.resp.status;
		if (on_hop)
			on_hop(arg, hop, &out->last);
		if (out->last.err || !tb_http_is_redirect(out->last.resp.status))
			return; /* TB_FOLLOW_DONE */
		if (out->nhops > max_hops) {
			out->end = TB_FOLLOW_TOO_MANY;
			snprintf(out->why, sizeof out->why, "more than %d redirects", max_hops);
			return;
		}
		if (next_target(out, rq)) {
			out->end = TB_FOLLOW_REFUSED;
			return;
		}
		tb_http_exchange_free(&out->last);
	}
}

void tb_http_follow_free(struct tb_http_follow *f)
{
	tb_http_exchange_free(&f->last);
}

static long memsrc_read(void *arg, uint8_t *buf, size_t cap)
{
	struct tb_http_memsrc *m = arg;
	size_t n = m->len - m->off < cap ? m->len - m->off : cap;
	if (n)
		memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (long)n;
}

void tb_http_body_mem(struct tb_http_body *b, struct tb_http_memsrc *src, const char *content_type,
		      const void *p, size_t len)
{
	*src = (struct tb_http_memsrc){ .p = p, .len = len };
	*b = (struct tb_http_body){ .content_type = content_type,
				    .length = len,
				    .read = memsrc_read,
				    .arg = src };
}
