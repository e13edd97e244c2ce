/* login_rtsp.c: one RTSP login guess (check/login.h), and the probe that
 * finds RTSP logins (check/login_rtsp.h).
 *
 * A guess is two DESCRIBEs of the same stream on one connection (RFC 2326
 * section 10.2): the first without credentials must answer 401 (which also
 * brings a fresh Digest nonce), the second carries the credential (Basic
 * when the 401 offers it, else Digest, RFC 7616 with MD5 or SHA-256).  Only
 * 200 to the second, where the first was 401, counts as a login. */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "check/login_rtsp_internal.h"
#include "check/login_mask.h"
#include "check/login_rtsp.h"
#include "net/httpc.h"
#include "net/net.h"
#include "proto/p_ascii.h"
#include "proto/p_http.h"
#include "proto/p_rtsp.h"

#define STEP_MS 5000
#define PROBE_MS 5000
/* Most bytes of a response body (an SDP) read and kept. */
#define BODY_MAX 8192
#define RETRY_AFTER_MAX_S 3600

/* One RTSP connection: what has been read and not yet consumed. */
struct rtsp_conn {
	int fd;
	uint8_t buf[TB_RTSP_HEAD_MAX + BODY_MAX];
	size_t len;
	int broken;             /* a response was not read whole: no further request on it */
	struct tb_login_try *t; /* NULL for the probe */
	const char *mask[2];    /* secrets to keep out of the log (NULL: none) */
	int64_t end;            /* overall deadline */
};

static int path_ok(const char *p)
{
	if (!p || p[0] != '/' || strlen(p) > 512)
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static void rtsp_url(uint32_t addr, uint16_t port, const char *path, char *out, size_t cap)
{
	char a[16];

	tb_ipv4_format(addr, a);
	snprintf(out, cap, "rtsp://%s:%u%s", a, (unsigned)port, path);
}

TB_UNITTEST size_t rtsp_describe(char *out, size_t cap, uint32_t addr, uint16_t port, const char *path,
				 unsigned cseq, const char *authorization)
{
	char url[600];
	int n;

	if (!path_ok(path) || (authorization && strpbrk(authorization, "\r\n")))
		return 0;
	rtsp_url(addr, port, path, url, sizeof url);
	n = snprintf(out, cap,
		     "DESCRIBE %s RTSP/1.0\r\nCSeq: %u\r\nAccept: application/sdp\r\n"
		     "User-Agent: trustbench/" TB_VERSION "\r\n%s%s%s\r\n",
		     url, cseq, authorization ? "Authorization: " : "",
		     authorization ? authorization : "", authorization ? "\r\n" : "");
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

TB_UNITTEST void rtsp_shown(const char *req, size_t n, char *out, size_t cap)
{
	static const char hdr[] = "\r\nAuthorization: ";
	const char *a = NULL;

	for (size_t i = 0; i + sizeof hdr - 1 <= n && !a; i++)
		if (memcmp(req + i, hdr, sizeof hdr - 1) == 0)
			a = req + i;
	if (!a) {
		snprintf(out, cap, "%.*s", (int)n, req);
		return;
	}
	const char *eol = memchr(a + 2, '\r', n - (size_t)(a + 2 - req));
	size_t tail = eol ? n - (size_t)(eol - req) : 0;
	snprintf(out, cap, "%.*s\r\nAuthorization: <credential withheld>%.*s", (int)(a - req), req,
		 (int)tail, eol ? eol : "");
}

/* Does v[0..n) contain lit (lower case), ASCII case-insensitive? */
static int has_ci(const uint8_t *v, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	for (size_t i = 0; v && i + k <= n; i++)
		if (tb_ascii_eq_ci(v + i, k, lit))
			return 1;
	return 0;
}

/* 503, 429, or 453 with Retry-After: the device says slow down. */
static int throttled(const struct tb_rtsp_resp *r, char *detail, size_t dl, int *retry_after_s)
{
	long ra = tb_p_http_retry_after(r->retry_after, r->retry_after_len, -1, RETRY_AFTER_MAX_S);

	if (r->status != 503 && r->status != 429 && !(r->status == 453 && r->retry_after))
		return 0;
	*retry_after_s = (int)ra;
	if (ra >= 0)
		snprintf(detail, dl, "RTSP %d, Retry-After %ld s", r->status, ra);
	else
		snprintf(detail, dl, "RTSP %d", r->status);
	return 1;
}

TB_UNITTEST enum tb_login_outcome rtsp_judge(const struct tb_rtsp_resp *r, char *detail, size_t dl,
					     int *retry_after_s)
{
	*retry_after_s = -1;
	if (throttled(r, detail, dl, retry_after_s))
		return TB_LOGIN_THROTTLED;
	if (r->status == 200) {
		snprintf(detail, dl,
			 "DESCRIBE answered 200 with the credential where it was 401 without");
		return TB_LOGIN_ACCEPTED;
	}
	if (r->status == 401 && r->digest && has_ci(r->digest, r->digest_len, "stale=true")) {
		snprintf(detail, dl,
			 "RTSP 401 with stale=true: the nonce expired, the guess was not judged");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (r->status == 401 || r->status == 403) {
		snprintf(detail, dl, "RTSP %d with the credential", r->status);
		return TB_LOGIN_REJECTED;
	}
	if (r->status >= 300 && r->status < 400)
		snprintf(detail, dl, "RTSP %d with the credential: a redirect, not followed",
			 r->status);
	else
		snprintf(detail, dl, "RTSP %d with the credential neither grants nor refuses",
			 r->status);
	return TB_LOGIN_UNCONFIRMED;
}

/* One transcript line per line of p[0..n): device bytes cannot start a line
 * of their own in the transcript (tb_login_log_add keeps LF). */
static void log_lines(struct tb_login_log *log, const char *dir, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		const uint8_t *lf = memchr(b, '\n', n);
		size_t k = lf ? (size_t)(lf - b) : n;

		tb_login_log_add(log, dir, b, k);
		n -= lf ? k + 1 : k;
		b += lf ? k + 1 : k;
	}
}

static void conn_log(struct rtsp_conn *c, const char *dir, const void *p, size_t n)
{
	uint8_t copy[sizeof c->buf];

	if (!c->t)
		return;
	if (n > sizeof copy)
		n = sizeof copy;
	memcpy(copy, p, n);
	for (int i = 0; i < 2; i++)
		tb_login_mask(copy, n, c->mask[i]);
	log_lines(c->t->log, dir, copy, n);
}

/* Read one response (head, and its body up to BODY_MAX) before deadline.
 * TB_OK: *r's views point into c->buf and *used bytes belong to it;
 * TB_E_TIMEOUT, TB_E_REFUSED (closed before a whole head), TB_E_FORMAT,
 * TB_E_TOOBIG (not RTSP, or a head without end). */
static enum tb_err read_response(struct rtsp_conn *c, struct tb_rtsp_resp *r, size_t *used,
				 int64_t deadline)
{
	int head = 0;

	for (;;) {
		size_t got, want = 0;
		enum tb_err e;

		if (!head) {
			e = tb_p_rtsp_response(c->buf, c->len, r);
			if (e != TB_OK && e != TB_E_TRUNC)
				return e;
			head = e == TB_OK;
		}
		if (head) {
			size_t body = r->content_length > 0 ? (size_t)r->content_length : 0;

			want = r->header_len + (body < BODY_MAX ? body : BODY_MAX);
			if (body > BODY_MAX)
				c->broken = 1;
			if (c->len >= want) {
				*used = want;
				return TB_OK;
			}
		}
		e = tb_net_deadline_passed(deadline)
			    ? TB_E_TIMEOUT
			    : tb_net_recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, &got,
					  deadline);
		if (!e && got == 0)
			e = TB_E_REFUSED;
		if (e && head) {
			/* The head is what counts; a body that never came ends the connection. */
			c->broken = 1;
			*used = c->len;
			return TB_OK;
		}
		if (e)
			return e;
		c->len += got;
	}
}

static void consume(struct rtsp_conn *c, size_t used)
{
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
}

/* Send req and read its response; shown is what the log says was sent. */
static enum tb_err roundtrip(struct rtsp_conn *c, const char *req, size_t n, const char *shown,
			     struct tb_rtsp_resp *r, size_t *used)
{
	int64_t deadline = tb_now_ms() + STEP_MS;
	enum tb_err e;

	if (deadline > c->end)
		deadline = c->end;
	conn_log(c, ">>", shown, strlen(shown));
	e = tb_net_send_all(c->fd, req, n, deadline);
	if (e == TB_OK)
		e = read_response(c, r, used, deadline);
	if (e == TB_OK)
		conn_log(c, "<<", c->buf, *used);
	else if (c->len)
		conn_log(c, "<<", c->buf, c->len);
	return e;
}

static void err_detail(enum tb_err e, const char *what, char *detail, size_t dl)
{
	if (e == TB_E_TIMEOUT)
		snprintf(detail, dl, "no answer to %s in time%s", what,
			 tb_net_stop_requested() ? " (the run was interrupted)" : "");
	else if (e == TB_E_REFUSED)
		snprintf(detail, dl, "connection closed, no answer to %s", what);
	else if (e == TB_E_FORMAT || e == TB_E_TOOBIG)
		snprintf(detail, dl, "not an RTSP answer to %s", what);
	else
		snprintf(detail, dl, "could not send %s: %s", what, tb_strerror(e));
}

/* The credentialed request's Authorization value: Basic when the 401
 * offered it, else Digest for this request's URL.  -1 with the reason. */
static int make_auth(struct tb_login_try *t, const char *path, const struct tb_rtsp_resp *r, char *out,
		     size_t cap)
{
	struct tb_http_digest dg = { .user = t->user, .pass = t->pass };
	struct tb_diag why = { .msg = "" };
	unsigned char rnd[8] = { 0 };
	char cnonce[17], url[600];

	if (r->auth_basic) {
		tb_http_basic_auth(t->user, t->pass, out, cap);
		return 0;
	}
	if (!r->digest) {
		snprintf(t->detail, sizeof t->detail, "the 401 offers neither Basic nor Digest");
		return -1;
	}
	if (tb_http_digest_challenge(r->digest, r->digest_len, &dg, &why) != TB_OK) {
		snprintf(t->detail, sizeof t->detail, "Digest challenge not usable: %s", why.msg);
		return -1;
	}
	if (strpbrk(t->user, "\"\\") || RAND_bytes(rnd, sizeof rnd) != 1) {
		snprintf(t->detail, sizeof t->detail, "cannot make a Digest response for this user");
		return -1;
	}
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(cnonce + 2 * i, 3, "%02x", rnd[i]);
	rtsp_url(t->ifc->addr, t->ifc->port, path, url, sizeof url);
	if (tb_http_digest_auth(&dg, "DESCRIBE", url, cnonce, out, cap) != 0) {
		snprintf(t->detail, sizeof t->detail, "Digest response too long");
		return -1;
	}
	return 0;
}

/* A fresh connection for the next request when the last one cannot carry it. */
static int reconnect(struct rtsp_conn *c, struct tb_login_try *t)
{
	struct tb_diag d = { .msg = "" };

	tb_net_close(&c->fd);
	c->len = 0;
	c->broken = 0;
	if (tb_net_connect(&t->ctx->net, t->ifc->addr, t->ifc->port, &c->fd, &d) != TB_OK) {
		snprintf(t->detail, sizeof t->detail, "%s", d.msg);
		return -1;
	}
	return 0;
}

/* The first DESCRIBE, without credentials: NOT_YET (401 in *r) or an outcome. */
#define NOT_YET ((enum tb_login_outcome) - 1)
static enum tb_login_outcome ask_unauth(struct rtsp_conn *c, const char *path, struct tb_rtsp_resp *r,
					size_t *used)
{
	struct tb_login_try *t = c->t;
	char req[1200];
	size_t n = rtsp_describe(req, sizeof req, t->ifc->addr, t->ifc->port, path, 1, NULL);
	enum tb_err e;

	if (n == 0) {
		snprintf(t->detail, sizeof t->detail, "stream path not usable in a request");
		return TB_LOGIN_UNCONFIRMED;
	}
	e = roundtrip(c, req, n, req, r, used);
	if (e) {
		err_detail(e, "DESCRIBE without credentials", t->detail, sizeof t->detail);
		return TB_LOGIN_UNCONFIRMED;
	}
	if (r->cseq != 1) {
		snprintf(t->detail, sizeof t->detail, "answer without our CSeq 1");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (throttled(r, t->detail, sizeof t->detail, &t->retry_after_s))
		return TB_LOGIN_THROTTLED;
	if (r->status == 200) {
		snprintf(t->detail, sizeof t->detail,
			 "DESCRIBE answered 200 without credentials: nothing to log in to");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (r->status != 401) {
		snprintf(t->detail, sizeof t->detail,
			 "DESCRIBE without credentials answered %d, not 401", r->status);
		return TB_LOGIN_UNCONFIRMED;
	}
	return NOT_YET;
}

/* The second DESCRIBE, with the credential. */
static enum tb_login_outcome ask_auth(struct rtsp_conn *c, const char *path, const char *auth)
{
	struct tb_login_try *t = c->t;
	struct tb_rtsp_resp r;
	char req[2400], shown[2400];
	size_t n = rtsp_describe(req, sizeof req, t->ifc->addr, t->ifc->port, path, 2, auth), used;
	enum tb_err e;
	enum tb_login_outcome o;

	if (n == 0) {
		snprintf(t->detail, sizeof t->detail, "credential not usable in a request");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (t->secret)
		rtsp_shown(req, n, shown, sizeof shown);
	else
		snprintf(shown, sizeof shown, "%s", req);
	e = roundtrip(c, req, n, shown, &r, &used);
	if (e == TB_E_REFUSED && c->len == 0 && reconnect(c, t) == 0) /* closed after the 401 */
		e = roundtrip(c, req, n, shown, &r, &used);
	if (e) {
		err_detail(e, "DESCRIBE with the credential", t->detail, sizeof t->detail);
		return TB_LOGIN_UNCONFIRMED;
	}
	if (r.cseq != 2) {
		snprintf(t->detail, sizeof t->detail, "answer without our CSeq 2");
		return TB_LOGIN_UNCONFIRMED;
	}
	o = rtsp_judge(&r, t->detail, sizeof t->detail, &t->retry_after_s);
	if (o == TB_LOGIN_ACCEPTED) {
		tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, shown, strlen(shown));
		uint8_t copy[sizeof c->buf];
		memcpy(copy, c->buf, used);
		for (int i = 0; i < 2; i++)
			tb_login_mask(copy, used, c->mask[i]);
		tb_login_keep(t->got, &t->gotlen, sizeof t->got, copy, used);
	}
	return o;
}

static enum tb_login_outcome rtsp_attempt(struct tb_login_try *t)
{
	struct rtsp_conn *c = tb_xcalloc(1, sizeof *c);
	const char *path = t->ifc->path[0] ? t->ifc->path : "/";
	char auth[1600], basic[700] = "";
	struct tb_rtsp_resp r;
	size_t used;
	enum tb_login_outcome o;

	c->fd = -1;
	c->t = t;
	c->end = t->deadline_ms;
	t->retry_after_s = -1;
	if (t->ifc->tls) {
		snprintf(t->detail, sizeof t->detail, "RTSP over TLS (rtsps) not supported yet");
		free(c);
		return TB_LOGIN_UNCONFIRMED;
	}
	if (strpbrk(t->user, "\r\n") || strpbrk(t->pass, "\r\n")) {
		snprintf(t->detail, sizeof t->detail, "credential with a line break: not sent");
		free(c);
		return TB_LOGIN_UNCONFIRMED;
	}
	if (t->secret) {
		/* Basic's token, as a device could echo it, besides the password. */
		tb_http_basic_auth(t->user, t->pass, basic, sizeof basic);
		c->mask[0] = t->pass;
		c->mask[1] = basic[0] ? basic + 6 : NULL;
	}
	tb_login_log_note(t->log, "new connection");
	if (reconnect(c, t) != 0) {
		free(c);
		return TB_LOGIN_NOCONNECT;
	}
	o = ask_unauth(c, path, &r, &used);
	if (o == NOT_YET && make_auth(t, path, &r, auth, sizeof auth) != 0)
		o = TB_LOGIN_UNCONFIRMED;
	if (o == NOT_YET) {
		consume(c, used);
		if (c->broken && reconnect(c, t) != 0)
			o = TB_LOGIN_NOCONNECT;
		else
			o = ask_auth(c, path, auth);
	}
	if (o != TB_LOGIN_ACCEPTED)
		t->sentlen = t->gotlen = 0;
	if (t->secret)
		tb_login_mask(t->detail, strlen(t->detail), t->pass);
	tb_net_close(&c->fd);
	free(c);
	return o;
}

int tb_login_rtsp_probe(struct tb_ctx *ctx, uint32_t addr, uint16_t port, const char *path,
			int *needs_auth, int *digest, char *why, size_t wl)
{
	struct rtsp_conn *c = tb_xcalloc(1, sizeof *c);
	struct tb_diag d = { .msg = "" };
	struct tb_rtsp_resp r;
	char req[1200], tmp[320];
	size_t n = rtsp_describe(req, sizeof req, addr, port, path, 1, NULL), used;
	enum tb_err e;
	int rc = -1;

	if (!why) {
		why = tmp;
		wl = sizeof tmp;
	}
	*needs_auth = *digest = 0;
	c->fd = -1;
	c->end = tb_now_ms() + PROBE_MS;
	if (n == 0) {
		snprintf(why, wl, "stream path not usable in a request");
	} else if (tb_net_connect(&ctx->net, addr, port, &c->fd, &d) != TB_OK) {
		snprintf(why, wl, "%s", d.msg);
	} else if ((e = roundtrip(c, req, n, req, &r, &used)) != TB_OK) {
		err_detail(e, "DESCRIBE", why, wl);
	} else {
		rc = 0;
		*needs_auth = r.status == 401;
		*digest = *needs_auth && !r.auth_basic && r.digest;
		if (*needs_auth)
			snprintf(why, wl, "RTSP 401, %s",
				 r.auth_basic ? "Basic"
				 : r.digest   ? "Digest only"
					      : "no scheme we speak");
		else if (r.status == 200)
			snprintf(why, wl, "RTSP 200: served without credentials");
		else
			snprintf(why, wl, "RTSP %d", r.status);
	}
	tb_net_close(&c->fd);
	free(c);
	return rc;
}

const struct tb_login_driver tb_login_rtsp = {
	.service = "rtsp",
	.transport = "tcp",
	.default_port = 554,
	.attempt = rtsp_attempt,
};
