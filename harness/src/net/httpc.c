/* httpc.c: minimal HTTP/1.1 GET over tb_net (see httpc.h). */
#include "net/httpc.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

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

static int path_ok(const char *p)
{
	if (!p || p[0] != '/' || strlen(p) > 512)
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
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
static void read_response(int fd, struct tb_http_exchange *res, int64_t deadline)
{
	int have_headers = 0;
	res->raw = tb_xmalloc(TB_HTTP_MAX_RESPONSE + 1);
	for (;;) {
		size_t got = 0;
		enum tb_err e =
			res->rawlen < TB_HTTP_MAX_RESPONSE
				? tb_net_recv(fd, res->raw + res->rawlen,
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
static enum tb_err send_body(int fd, struct tb_http_body *b, int64_t deadline,
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
		e = tb_net_send_all(fd, buf, (size_t)n, deadline);
		if (e == TB_OK)
			b->sent += (uint64_t)n;
	}
	free(buf);
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
	char host[16], entity[160] = "";
	tb_ipv4_format(rq->addr, host);
	if (body)
		snprintf(entity, sizeof entity, "Content-Type: %s\r\nContent-Length: %llu\r\n",
			 body->content_type, (unsigned long long)body->length);
	int n = snprintf(res->request, sizeof res->request,
			 "%s %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: trustbench/" TB_VERSION
			 "\r\nAccept: */*\r\nConnection: close\r\n%s%s%s%s\r\n",
			 method, rq->path, host, rq->port, entity,
			 rq->authorization ? "Authorization: " : "",
			 rq->authorization ? rq->authorization : "", rq->authorization ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof res->request)
		return fail(res, TB_E_TOOBIG, "request too long");
	res->reqlen = (size_t)n;
	int64_t deadline = tb_now_ms() + (rq->timeout_ms > 0 ? rq->timeout_ms : 5000);
	int fd;
	struct tb_diag d;
	enum tb_err e = tb_net_connect(net, rq->addr, rq->port, &fd, &d);
	if (e)
		return fail(res, e, d.msg);
	e = tb_net_send_all(fd, res->request, res->reqlen, deadline);
	if (!e && body)
		e = send_body(fd, body, deadline, res);
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
		read_response(fd, res, deadline);
		if (e && res->err)
			fail(res, e, "the device closed the connection while the body was being sent");
	}
	tb_net_close(&fd);
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
