/* httpc.h: a minimal HTTP/1.1 GET client for talking to a device.
 *
 * One request per connection, through tb_net (scope and rate limit), with
 * one deadline for the whole exchange and a cap on the response size.  The
 * response bytes are parsed by the pure parser in proto/p_http.c.
 */
#ifndef TB_HTTPC_H
#define TB_HTTPC_H

#include "net/net.h"
#include "proto/p_http.h"

#define TB_HTTP_MAX_RESPONSE (256 * 1024)

/* A request trustbench sends to the device. */
struct tb_http_req {
	uint32_t addr;
	uint16_t port;
	const char *path;          /* must start with '/', no spaces or control bytes */
	const char *authorization; /* full header value ("Basic ...") or NULL */
	int timeout_ms;            /* for the whole exchange */
};

/* One request and what came back: the parsed response head (proto/p_http.h),
 * the raw bytes and the decoded body. */
struct tb_http_exchange {
	enum tb_err err;          /* TB_OK: a complete response was parsed */
	char why[600];            /* what went wrong, for the report */
	struct tb_http_resp resp; /* valid when err == TB_OK */
	uint8_t *raw;             /* every byte received (capped) */
	size_t rawlen;
	uint8_t *body; /* decoded body (chunked decoded), NUL-terminated */
	size_t bodylen;
	char request[1024]; /* the request as sent */
	size_t reqlen;
};

/* Perform the GET.  Never fails hard: the outcome is in res->err/why. */
void tb_http_get(struct tb_net *net, const struct tb_http_req *rq, struct tb_http_exchange *res);
/* Body source for tb_http_post: fill buf with up to cap bytes; return the
 * count, 0 at the end, or -1 on a local error. */
typedef long (*tb_http_body_fn)(void *arg, uint8_t *buf, size_t cap);

struct tb_http_body {
	const char *content_type; /* e.g. "application/octet-stream" */
	uint64_t length;          /* Content-Length; the source must yield exactly this */
	tb_http_body_fn read;
	void *arg;
	uint64_t sent; /* out: body bytes the peer took */
};

/* POST the body, streamed in 64 KiB pieces, under the same single deadline
 * and response cap as tb_http_get.  If the peer stops taking the body, its
 * early answer (e.g. 413) is still read.  Outcome in res->err/why. */
void tb_http_post(struct tb_net *net, const struct tb_http_req *rq, struct tb_http_body *body,
		  struct tb_http_exchange *res);
void tb_http_exchange_free(struct tb_http_exchange *res);
/* "Basic base64(user:pass)" into out. */
void tb_http_basic_auth(const char *user, const char *pass, char *out, size_t outlen);

#endif
