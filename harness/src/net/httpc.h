/* httpc.h: a minimal HTTP/1.1 client for talking to a device.
 *
 * One request per connection, through tb_net (scope and rate limit), with
 * one deadline for the whole exchange and a cap on the response size.  The
 * response bytes are parsed by the pure parser in proto/p_http.c.  With
 * `tls` set the same exchange runs inside TLS (net/tls.c) on the scoped
 * socket; the device's certificate is not verified here (the tls check
 * judges it).
 */
#ifndef TB_HTTPC_H
#define TB_HTTPC_H

#include "net/net.h"
#include "proto/p_http.h"

#define TB_HTTP_MAX_RESPONSE (256 * 1024)

/* An HTTP Digest credential (RFC 7616) for one challenge of the device:
 * the Authorization header is computed for each request's own path. */
struct tb_http_digest {
	char realm[128], nonce[160], opaque[160];
	int has_opaque;
	int sha256;   /* algorithm=SHA-256, else MD5 */
	int qop_auth; /* qop "auth" offered; else the RFC 2069 form */
	const char *user, *pass;
	unsigned nc; /* requests made with this nonce so far */
};

/* A request trustbench sends to the device. */
struct tb_http_req {
	uint32_t addr;
	uint16_t port;
	const char *path;              /* must start with '/', no spaces or control bytes */
	const char *authorization;     /* full header value ("Basic ...") or NULL */
	int timeout_ms;                /* for the whole exchange */
	int tls;                       /* speak HTTP inside TLS (HTTPS) */
	struct tb_http_digest *digest; /* instead of authorization: Digest for this path */
	const char *cookie;            /* Cookie header value ("a=1; b=2") or NULL */
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
	char request[8192]; /* the request head as sent (room for a Cookie header) */
	size_t reqlen;
	int tls;             /* the exchange ran inside TLS */
	char tls_cipher[64]; /* negotiated suite when tls */
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

/* A body held in memory: tb_http_body_mem fills b to read the len bytes at
 * p through src (both must outlive the POST). */
struct tb_http_memsrc {
	const uint8_t *p;
	size_t len, off;
};
void tb_http_body_mem(struct tb_http_body *b, struct tb_http_memsrc *src, const char *content_type,
		      const void *p, size_t len);

/* POST the body, streamed in 64 KiB pieces, under the same single deadline
 * and response cap as tb_http_get.  If the peer stops taking the body, its
 * early answer (e.g. 413) is still read.  Outcome in res->err/why. */
void tb_http_post(struct tb_net *net, const struct tb_http_req *rq, struct tb_http_body *body,
		  struct tb_http_exchange *res);
void tb_http_exchange_free(struct tb_http_exchange *res);
/* "Basic base64(user:pass)" into out. */
void tb_http_basic_auth(const char *user, const char *pass, char *out, size_t outlen);
/* Read a Digest challenge (the value of WWW-Authenticate, device bytes)
 * into d: TB_OK, or TB_E_FORMAT with the reason (not Digest, no realm or
 * nonce, an algorithm other than MD5 or SHA-256, a qop without "auth",
 * overlong fields).  d->user, d->pass are left alone; d->nc is reset. */
TB_WUR enum tb_err tb_http_digest_challenge(const uint8_t *v, size_t len, struct tb_http_digest *d,
					    struct tb_diag *why);
/* The Authorization value for method and uri with client nonce cnonce;
 * counts the use in d->nc.  0, or -1 when it does not fit in out. */
int tb_http_digest_auth(struct tb_http_digest *d, const char *method, const char *uri,
			const char *cnonce, char *out, size_t outlen);

/* "http://a.b.c.d:port/path" or "https://..." for the request, into out. */
void tb_http_url(const struct tb_http_req *rq, char *out, size_t outlen);

/* ---- redirects within the scope ---- */

#define TB_HTTP_MAX_HOPS 8

/* One request of a followed chain. */
struct tb_http_hop {
	char url[700];
	int status;    /* 0 when no complete response */
	int auth_sent; /* the request carried the Authorization header */
};

enum tb_http_follow_end {
	TB_FOLLOW_DONE,     /* the last exchange is the answer (it may have failed: last.err) */
	TB_FOLLOW_REFUSED,  /* a redirect pointed where we do not follow (why says where) */
	TB_FOLLOW_TOO_MANY, /* still redirected after max_hops redirects */
};

struct tb_http_follow {
	enum tb_http_follow_end end;
	char why[700];                /* for REFUSED and TOO_MANY */
	struct tb_http_exchange last; /* the last exchange; free with tb_http_follow_free */
	struct tb_http_req final;     /* the target of the last request (path points into path) */
	char path[600];
	int nhops; /* requests made (1 + redirects followed) */
	struct tb_http_hop hops[TB_HTTP_MAX_HOPS + 1];
	int auth_dropped; /* a hop left the address and port: Authorization dropped */
};

/* Called after every request of the chain with its exchange (for evidence). */
typedef void (*tb_http_hop_fn)(void *arg, const struct tb_http_hop *hop,
			       const struct tb_http_exchange *x);

/* Is this status one the follower follows (301, 302, 303, 307, 308)? */
int tb_http_is_redirect(int status);

/* GET rq, following 301/302/303/307/308 to the same device only, by
 * proto/p_location.h's rules (a path, or http://<address>[:port]/...; the
 * one connect path refuses an address outside the scope), at most max_hops
 * times (capped at TB_HTTP_MAX_HOPS).  The Authorization header is kept
 * (or Digest credential) only while the chain stays on the original address and port; TLS is
 * kept on the same address and port and dropped for an http:// URL that
 * names another port.  The Cookie header is kept under the same rule as
 * Authorization (auth_dropped says either was dropped).  Each request has rq->timeout_ms.  on_hop may
 * be NULL. */
void tb_http_get_follow(struct tb_net *net, const struct tb_http_req *rq, int max_hops,
			tb_http_hop_fn on_hop, void *arg, struct tb_http_follow *out);
void tb_http_follow_free(struct tb_http_follow *f);

#endif
