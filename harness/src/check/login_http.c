/* login_http.c: one HTTP(S) login guess, Basic or Digest (check/login.h).
 * A login counts only when the resource that answered 401 without
 * credentials answers 2xx with them, directly or after redirects within the
 * scope (http_confirm); a 429 or 503 is the device throttling guesses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/credphase_internal.h"
#include "check/ctx.h"
#include "check/http_common.h"
#include "check/login.h"
#include "net/httpc.h"
#include "proto/p_http.h"

#define THROTTLE_MAX_S 60

enum tb_login_outcome http_confirm(const struct http_chain *c, char *detail, size_t dl)
{
	if (c->noconnect) {
		snprintf(detail, dl, "nothing listens");
		return TB_LOGIN_NOCONNECT;
	}
	if (c->err || c->stopped)
		return TB_LOGIN_UNCONFIRMED; /* the caller put the reason in detail */
	int ok = c->status >= 200 && c->status < 300;
	if (ok && !c->auth_on_final) {
		snprintf(
			detail, dl,
			"HTTP %d at %s, reached by a redirect off the address and port: the credential "
			"was not sent there",
			c->status, c->final);
		return TB_LOGIN_UNCONFIRMED;
	}
	if (ok && c->moved && c->unauth_status != 401 && c->unauth_status != 403) {
		snprintf(detail, dl,
			 "redirected to %s, which answers HTTP %d without credentials too: a page, "
			 "not a login",
			 c->final, c->unauth_status);
		return TB_LOGIN_REJECTED;
	}
	if (ok) {
		snprintf(detail, dl, "HTTP %d with the credential where it was 401 without%s%s",
			 c->status, c->final ? ", at " : "", c->final ? c->final : "");
		return TB_LOGIN_ACCEPTED;
	}
	if (c->status == 401 || c->status == 403) {
		snprintf(detail, dl, "HTTP %d%s%s", c->status, c->final ? " at " : "",
			 c->final ? c->final : "");
		return TB_LOGIN_REJECTED;
	}
	snprintf(detail, dl, "HTTP %d neither grants nor refuses", c->status);
	return TB_LOGIN_UNCONFIRMED;
}

/* Which scheme a 401 offers: 0 Basic, 1 Digest (MD5 or SHA-256), -1
 * neither (why says what it offered). */
int tb_login_http_scheme(const struct tb_http_exchange *hr, struct tb_http_digest *dg,
			 struct tb_diag *why)
{
	const uint8_t *v;
	size_t vn;
	if (hr->resp.www_auth_basic)
		return 0;
	if (!tb_p_http_header(hr->raw, hr->resp.header_len, "www-authenticate", &v, &vn)) {
		tb_diag_set(why, TB_E_FORMAT, "no WWW-Authenticate header");
		return -1;
	}
	return tb_http_digest_challenge(v, vn, dg, why) == TB_OK ? 1 : -1;
}

/* A fresh Digest challenge for the attempt: GET without credentials. */
static int fresh_digest(struct tb_login_try *t, const struct tb_http_req *at, struct tb_http_digest *dg)
{
	struct tb_http_req rq = *at;
	struct tb_http_exchange hr;
	struct tb_diag why = { .msg = "" };
	rq.authorization = NULL;
	rq.digest = NULL;
	tb_http_get(&t->ctx->net, &rq, &hr);
	tb_login_log_add(t->log, ">>", hr.request, hr.reqlen);
	tb_login_log_add(t->log, "<<", hr.raw, hr.rawlen > 512 ? 512 : hr.rawlen);
	int ok = !hr.err && hr.resp.status == 401 && tb_login_http_scheme(&hr, dg, &why) == 1;
	if (!ok)
		snprintf(t->detail, sizeof t->detail, "no fresh Digest challenge: %s",
			 hr.err       ? hr.why
			 : why.msg[0] ? why.msg
				      : "not a 401");
	tb_http_exchange_free(&hr);
	return ok ? 0 : -1;
}

static void log_hop(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	struct tb_login_try *t = arg;
	int secret = t->secret && hop->auth_sent;
	tb_login_log_add(t->log, "--", hop->url, strlen(hop->url));
	tb_login_log_add(t->log, ">>", secret ? "GET (declared credential withheld)" : x->request,
			 secret ? 34 : x->reqlen);
	tb_login_log_add(t->log, "<<", x->raw, x->rawlen > 512 ? 512 : x->rawlen);
}

/* What an interface remembers across guesses: the status of a moved-to
 * resource fetched without credentials. */
struct http_state {
	char unauth_path[600];
	int unauth_status;
};

/* The status of a resource fetched without credentials (0: no answer). */
static int unauth_status(struct tb_login_try *t, const struct tb_http_req *at)
{
	struct http_state *st = t->ifc->state;
	if (!st)
		st = t->ifc->state = tb_xcalloc(1, sizeof *st);
	if (strcmp(st->unauth_path, at->path) == 0)
		return st->unauth_status;
	struct tb_http_req rq = *at;
	struct tb_http_exchange hr;
	rq.authorization = NULL;
	rq.digest = NULL;
	tb_http_get(&t->ctx->net, &rq, &hr);
	snprintf(st->unauth_path, sizeof st->unauth_path, "%s", at->path);
	st->unauth_status = hr.err ? 0 : hr.resp.status;
	tb_http_exchange_free(&hr);
	return st->unauth_status;
}

static enum tb_login_outcome throttled(struct tb_login_try *t, const struct tb_http_exchange *hr)
{
	const uint8_t *v;
	size_t vn;
	t->retry_after_s = tb_p_http_header(hr->raw, hr->resp.header_len, "retry-after", &v, &vn)
				   ? (int)tb_p_http_retry_after(v, vn, -1, THROTTLE_MAX_S)
				   : -1;
	snprintf(t->detail, sizeof t->detail, "HTTP %d: the device throttles guessing%s",
		 hr->resp.status, t->retry_after_s >= 0 ? " (Retry-After given)" : "");
	return TB_LOGIN_THROTTLED;
}

/* One GET with the credential, following redirects within the scope. */
static enum tb_login_outcome http_attempt(struct tb_login_try *t)
{
	const struct tb_login_iface *h = t->ifc;
	char auth[700];
	tb_http_basic_auth(t->user, t->pass, auth, sizeof auth);
	int64_t left = t->deadline_ms - tb_now_ms();
	struct tb_http_req rq = { .addr = h->addr,
				  .port = h->port,
				  .path = h->path,
				  .authorization = auth,
				  .timeout_ms = left < 5000 ? (left > 0 ? (int)left : 1) : 5000,
				  .tls = h->tls };
	struct tb_http_digest dg = { .user = t->user, .pass = t->pass };
	if (h->digest) {
		rq.authorization = NULL;
		rq.digest = &dg;
		if (fresh_digest(t, &rq, &dg))
			return TB_LOGIN_UNCONFIRMED;
	}
	struct tb_http_follow f;
	tb_http_get_follow(&t->ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, log_hop, t, &f);
	const struct tb_http_exchange *hr = &f.last;
	const struct tb_http_hop *last = &f.hops[f.nhops - 1];
	if (!hr->err && (hr->resp.status == 429 || hr->resp.status == 503)) {
		enum tb_login_outcome o = throttled(t, hr);
		tb_http_follow_free(&f);
		return o;
	}
	struct http_chain ch = { .stopped = f.end != TB_FOLLOW_DONE,
				 .err = hr->err,
				 .noconnect = hr->err == TB_E_REFUSED && !hr->rawlen && f.nhops == 1,
				 .status = hr->err ? 0 : hr->resp.status,
				 .auth_on_final = last->auth_sent,
				 .moved = f.final.port != h->port || f.final.addr != rq.addr ||
					  !tb_http_same_resource(h->path, f.final.path),
				 .final = f.nhops > 1 ? last->url : NULL };
	if (f.end != TB_FOLLOW_DONE)
		snprintf(t->detail, sizeof t->detail, "%s", f.why);
	else if (hr->err)
		snprintf(t->detail, sizeof t->detail, "%s", hr->why);
	int ok = !ch.err && !ch.stopped && ch.status >= 200 && ch.status < 300;
	if (ok && ch.moved && ch.auth_on_final)
		ch.unauth_status = unauth_status(t, &f.final);
	enum tb_login_outcome o = http_confirm(&ch, t->detail, sizeof t->detail);
	if (o == TB_LOGIN_ACCEPTED && !t->secret) {
		tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, hr->request, hr->reqlen);
		tb_login_keep(t->got, &t->gotlen, sizeof t->got, hr->raw, hr->resp.header_len);
	}
	tb_http_follow_free(&f);
	return o;
}

const struct tb_login_driver tb_login_http = {
	.service = "http",
	.transport = "tcp",
	.default_port = 80,
	.attempt = http_attempt,
};
