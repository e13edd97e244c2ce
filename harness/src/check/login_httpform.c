/* login_httpform.c: one HTTP(S) form login guess where the profile declares
 * the form (check/login.h, check/login_httpform.h).
 *
 * A login counts only on positive evidence: the declared protected page
 * refuses without a session (401/403, a redirect, or the login form), and
 * answers 2xx with a page that is not the login form when it gets the
 * cookies the form POST set.  No cookie, a page open to anyone, or a
 * redirect somewhere else proves nothing and is UNCONFIRMED with the reason.
 */
#include "check/login_httpform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/http_common.h"
#include "check/login_mask.h"
#include "load/profile.h"
#include "net/httpc.h"
#include "proto/p_cookie.h"
#include "proto/p_http.h"
#include "proto/p_location.h"
#include "proto/p_loginform.h"

#define THROTTLE_MAX_S 60
#define REQ_MS 5000
#define LOG_BYTES 512
#define BODY_MAX 2048
#define WITHHELD "<password withheld>"

long httpform_encode(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr("-_.~", c);
		size_t need = plain || c == ' ' ? 1 : 3;
		if (o + need + 1 > cap)
			return -1;
		if (c == ' ') {
			out[o++] = '+';
		} else if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o + 1 > cap)
		return -1;
	out[o] = '\0';
	return (long)o;
}

int httpform_body(const struct tb_auth *a, const char *user, const char *pass, char *body,
		  size_t bodycap, char *shown, size_t showncap)
{
	char u[700], p[700];
	if (httpform_encode(user, u, sizeof u) < 0 || httpform_encode(pass, p, sizeof p) < 0)
		return -1;
	const char *amp = a->form_extra ? "&" : "", *extra = a->form_extra ? a->form_extra : "";
	int n = snprintf(body, bodycap, "%s=%s&%s=%s%s%s", a->form_user_field, u, a->form_pass_field, p,
			 amp, extra);
	int m = snprintf(shown, showncap, "%s=%s&%s=" WITHHELD "%s%s", a->form_user_field, u,
			 a->form_pass_field, amp, extra);
	return n < 0 || (size_t)n >= bodycap || m < 0 || (size_t)m >= showncap ? -1 : 0;
}

/* How a page answered: open (2xx, no login form), refused (401/403, a
 * redirect, the login form), throttled, or something else. */
enum view { V_OPEN, V_REFUSED, V_THROTTLED, V_OTHER };

static enum view judge_page(const struct tb_http_exchange *x, char *why, size_t wl)
{
	if (x->err) {
		snprintf(why, wl, "%s", x->why);
		return V_OTHER;
	}
	int st = x->resp.status;
	if (st == 429 || st == 503) {
		snprintf(why, wl, "HTTP %d", st);
		return V_THROTTLED;
	}
	if (st == 401 || st == 403) {
		snprintf(why, wl, "HTTP %d", st);
		return V_REFUSED;
	}
	if (tb_http_is_redirect(st)) {
		const struct tb_http_resp *h = &x->resp;
		int n = h->location && h->location_len < 200 ? (int)h->location_len : 0;
		snprintf(why, wl, "HTTP %d to %.*s", st, n, n ? (const char *)h->location : "?");
		return V_REFUSED;
	}
	if (st < 200 || st > 299) {
		snprintf(why, wl, "HTTP %d", st);
		return V_OTHER;
	}
	switch (tb_p_login_page(x->body, x->bodylen, NULL)) {
	case TB_PAGE_LOGIN_FORM: snprintf(why, wl, "HTTP %d (the login form)", st); return V_REFUSED;
	case TB_PAGE_CONTENT: snprintf(why, wl, "HTTP %d (no login form)", st); return V_OPEN;
	default: snprintf(why, wl, "HTTP %d (a login form beside other controls)", st); return V_OTHER;
	}
}

/* What the interface remembers: how the protected page refused without a
 * session (asked once, on the first attempt that got a complete answer). */
struct form_state {
	int known;
	char before[200];
	char before_url[700]; /* where the refusal came from (after redirects) */
};

/* Mask the declared password out of buf, as it is and form-encoded (a
 * device may echo either). */
static void mask_secret(const struct tb_login_try *t, void *buf, size_t n)
{
	char enc[700];
	if (!t->secret)
		return;
	tb_login_mask(buf, n, t->pass);
	if (httpform_encode(t->pass, enc, sizeof enc) > 0)
		tb_login_mask(buf, n, enc);
}

/* Log received bytes (bounded), the declared password masked out. */
static void log_got(struct tb_login_try *t, const struct tb_http_exchange *x)
{
	size_t n = x->rawlen > LOG_BYTES ? LOG_BYTES : x->rawlen;
	uint8_t copy[LOG_BYTES];
	if (!n)
		return;
	memcpy(copy, x->raw, n);
	mask_secret(t, copy, n);
	tb_login_log_add(t->log, "<<", copy, n);
}

static void log_exchange(struct tb_login_try *t, const char *url, const struct tb_http_exchange *x)
{
	tb_login_log_add(t->log, "--", url, strlen(url));
	tb_login_log_add(t->log, ">>", x->request, x->reqlen);
	log_got(t, x);
}

/* Collects the cookies every hop sets, and logs the hop. */
struct hop_ctx {
	struct tb_login_try *t;
	struct tb_cookie_jar *jar;
};

static void on_hop(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	struct hop_ctx *h = arg;
	log_exchange(h->t, hop->url, x);
	if (!x->err && h->jar)
		tb_cookie_jar_take(h->jar, x->raw, x->resp.header_len);
}

static int request_ms(const struct tb_login_try *t)
{
	int64_t left = t->deadline_ms - tb_now_ms();
	return left < REQ_MS ? (left > 0 ? (int)left : 1) : REQ_MS;
}

static struct tb_http_req base_req(const struct tb_login_try *t, const char *path)
{
	struct tb_http_req rq = { .addr = t->ifc->addr,
				  .port = t->ifc->port,
				  .path = path,
				  .timeout_ms = request_ms(t),
				  .tls = t->ifc->tls };
	return rq;
}

static enum tb_login_outcome throttled(struct tb_login_try *t, const struct tb_http_exchange *x,
				       const char *when)
{
	const uint8_t *v;
	size_t vn;
	t->retry_after_s = tb_p_http_header(x->raw, x->resp.header_len, "retry-after", &v, &vn)
				   ? (int)tb_p_http_retry_after(v, vn, -1, THROTTLE_MAX_S)
				   : -1;
	snprintf(t->detail, sizeof t->detail, "HTTP %d %s: the device throttles guessing%s",
		 x->resp.status, when, t->retry_after_s >= 0 ? " (Retry-After given)" : "");
	return TB_LOGIN_THROTTLED;
}

static int noconnect(const struct tb_http_exchange *x)
{
	return x->err == TB_E_REFUSED && !x->rawlen;
}

/* (a) The protected page without a session must refuse.  -1 with the
 * outcome in *o when it does not (or no answer came). */
static int protected_refuses(struct tb_login_try *t, enum tb_login_outcome *o)
{
	struct form_state *st = t->ifc->state;
	if (!st)
		st = t->ifc->state = tb_xcalloc(1, sizeof *st);
	if (st->known)
		return 0;
	const char *prot = t->ifc->declared->form_protected;
	struct tb_http_req rq = base_req(t, prot);
	struct hop_ctx hc = { t, NULL };
	struct tb_http_follow f;
	char why[300];
	tb_login_log_note(t->log, "the protected page without a session");
	/* Followed: a redirect to the page itself ("/settings" -> "/settings/")
	 * is no refusal; one to another page (the login form) is. */
	tb_http_get_follow(&t->ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, on_hop, &hc, &f);
	enum view v = judge_page(&f.last, why, sizeof why);
	const char *last_url = f.hops[f.nhops - 1].url;
	if (f.end != TB_FOLLOW_DONE) {
		v = V_REFUSED;
		snprintf(why, sizeof why, "a redirect (%s)", f.why);
	} else if (f.nhops > 1 && !tb_http_same_resource(prot, f.final.path) && !f.last.err &&
		   v != V_THROTTLED) {
		/* Sent elsewhere: refused, whatever that page is. */
		char page_why[300];
		snprintf(page_why, sizeof page_why, "%s", why);
		v = V_REFUSED;
		snprintf(why, sizeof why, "a redirect to %s, which answers %s", last_url, page_why);
	}
	int ret = -1;
	if (v == V_REFUSED) {
		st->known = 1;
		snprintf(st->before, sizeof st->before, "%s", why);
		snprintf(st->before_url, sizeof st->before_url, "%s", last_url);
		ret = 0;
	} else if (v == V_THROTTLED) {
		*o = throttled(t, &f.last, "on the protected page");
	} else if (noconnect(&f.last) && f.nhops == 1) {
		snprintf(t->detail, sizeof t->detail, "nothing listens");
		*o = TB_LOGIN_NOCONNECT;
	} else if (f.last.err) {
		snprintf(t->detail, sizeof t->detail, "%s without a login: %s", prot, why);
		*o = TB_LOGIN_UNCONFIRMED;
	} else {
		snprintf(t->detail, sizeof t->detail, "%s answers %s without a login%s", prot, why,
			 v == V_OPEN ? ": nothing to log in to" : ": it does not show a refusal");
		*o = TB_LOGIN_UNCONFIRMED;
	}
	tb_http_follow_free(&f);
	return ret;
}

/* The body source for tb_http_post: one buffer. */
struct mem_src {
	const char *p;
	size_t left;
};

static long mem_read(void *arg, uint8_t *buf, size_t cap)
{
	struct mem_src *m = arg;
	size_t n = m->left < cap ? m->left : cap;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (long)n;
}

/* After the POST: follow its redirect when it stays on the device's
 * address and port (cookies are never sent elsewhere), collecting cookies.
 * The answer that ends the chain goes to *v / why. */
static void follow_post(struct tb_login_try *t, const struct tb_http_exchange *px,
			struct tb_cookie_jar *jar, enum view *v, char *why, size_t wl)
{
	const struct tb_http_resp *h = &px->resp;
	uint32_t addr = t->ifc->addr;
	uint16_t port = t->ifc->port;
	char path[600], cookie[TB_COOKIE_MAX * (TB_COOKIE_LEN + 2)];
	struct tb_diag d = { .msg = "" };
	if (!h->location ||
	    tb_p_location(h->location, h->location_len, &addr, &port, path, sizeof path, &d) ||
	    addr != t->ifc->addr || port != t->ifc->port) {
		tb_login_log_note(t->log, "the form's redirect not followed: %s",
				  d.msg[0] ? d.msg : "not on the device's address and port");
		return;
	}
	struct tb_http_req rq = base_req(t, path);
	if (tb_cookie_jar_header(jar, cookie, sizeof cookie) == 0)
		rq.cookie = cookie;
	struct hop_ctx hc = { t, jar };
	struct tb_http_follow f;
	tb_http_get_follow(&t->ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS - 1, on_hop, &hc, &f);
	if (f.end == TB_FOLLOW_DONE)
		*v = judge_page(&f.last, why, wl);
	tb_http_follow_free(&f);
}

/* (b) POST the form.  -1 with the outcome in *o when the attempt ends
 * here (throttled, no answer, the form refused without a cookie). */
static int post_form(struct tb_login_try *t, struct tb_cookie_jar *jar, enum tb_login_outcome *o)
{
	char body[BODY_MAX], shown[BODY_MAX], url[700], why[300];
	if (httpform_body(t->ifc->declared, t->user, t->pass, body, sizeof body, shown, sizeof shown)) {
		snprintf(t->detail, sizeof t->detail, "the form's body would be too long");
		*o = TB_LOGIN_UNCONFIRMED;
		return -1;
	}
	struct tb_http_req rq = base_req(t, t->ifc->path);
	struct mem_src src = { body, strlen(body) };
	struct tb_http_body b = { .content_type = "application/x-www-form-urlencoded",
				  .length = src.left,
				  .read = mem_read,
				  .arg = &src };
	struct tb_http_exchange x;
	tb_http_post(&t->ctx->net, &rq, &b, &x);
	tb_http_url(&rq, url, sizeof url);
	tb_login_log_add(t->log, "--", url, strlen(url));
	tb_login_log_add(t->log, ">>", x.request, x.reqlen);
	tb_login_log_add(t->log, ">>", t->secret ? shown : body, strlen(t->secret ? shown : body));
	memset(body, 0, sizeof body);
	log_got(t, &x);
	int ret = -1;
	enum view v = judge_page(&x, why, sizeof why);
	if (v == V_THROTTLED) {
		*o = throttled(t, &x, "to the form");
	} else if (x.err) {
		snprintf(t->detail, sizeof t->detail, "%s", noconnect(&x) ? "nothing listens" : x.why);
		*o = noconnect(&x) ? TB_LOGIN_NOCONNECT : TB_LOGIN_UNCONFIRMED;
	} else {
		tb_cookie_jar_take(jar, x.raw, x.resp.header_len);
		if (tb_http_is_redirect(x.resp.status))
			follow_post(t, &x, jar, &v, why, sizeof why);
		if (v == V_THROTTLED) {
			snprintf(t->detail, sizeof t->detail,
				 "the form's redirect answered %s: the device throttles guessing", why);
			t->retry_after_s = -1;
			*o = TB_LOGIN_THROTTLED;
		} else if (jar->n) {
			ret = 0;
		} else if (v == V_REFUSED) {
			snprintf(t->detail, sizeof t->detail,
				 "the form answered %s and set no session cookie", why);
			*o = TB_LOGIN_REJECTED;
		} else {
			snprintf(t->detail, sizeof t->detail,
				 "the form answered %s but set no session cookie: no session to show",
				 why);
			*o = TB_LOGIN_UNCONFIRMED;
		}
	}
	tb_http_exchange_free(&x);
	return ret;
}

/* (c) The protected page with the session: ACCEPTED only when it is now
 * served (2xx, no login form) where (a) refused. */
static enum tb_login_outcome protected_with_session(struct tb_login_try *t, struct tb_cookie_jar *jar)
{
	const char *prot = t->ifc->declared->form_protected;
	const struct form_state *st = t->ifc->state;
	char cookie[TB_COOKIE_MAX * (TB_COOKIE_LEN + 2)], why[300];
	if (tb_cookie_jar_header(jar, cookie, sizeof cookie)) {
		snprintf(t->detail, sizeof t->detail, "the session cookies do not fit a request");
		return TB_LOGIN_UNCONFIRMED;
	}
	struct tb_http_req rq = base_req(t, prot);
	rq.cookie = cookie;
	struct hop_ctx hc = { t, NULL };
	struct tb_http_follow f;
	tb_login_log_note(t->log, "the protected page with the session cookies the form set");
	tb_http_get_follow(&t->ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, on_hop, &hc, &f);
	const struct tb_http_exchange *x = &f.last;
	enum view v = judge_page(x, why, sizeof why);
	int same = f.nhops == 1 || tb_http_same_resource(prot, f.final.path);
	enum tb_login_outcome o;
	if (f.end != TB_FOLLOW_DONE) {
		snprintf(t->detail, sizeof t->detail, "%s with the session: %s", prot, f.why);
		o = TB_LOGIN_UNCONFIRMED;
	} else if (v == V_THROTTLED) {
		o = throttled(t, x, "on the protected page");
	} else if (f.nhops > 1 && strcmp(f.hops[f.nhops - 1].url, st->before_url) == 0) {
		snprintf(t->detail, sizeof t->detail,
			 "the form set a cookie but %s still leads to %s, as without a session", prot,
			 st->before_url);
		o = TB_LOGIN_REJECTED;
	} else if (v == V_OPEN && (!same || f.auth_dropped)) {
		snprintf(t->detail, sizeof t->detail,
			 "%s with the session led to %s (%s): not the protected page", prot,
			 f.hops[f.nhops - 1].url, why);
		o = TB_LOGIN_UNCONFIRMED;
	} else if (v == V_OPEN) {
		snprintf(t->detail, sizeof t->detail,
			 "%s answers %s with the session cookie the form set, where it answered %s "
			 "without one",
			 prot, why, st->before);
		o = TB_LOGIN_ACCEPTED;
	} else if (v == V_REFUSED) {
		snprintf(t->detail, sizeof t->detail,
			 "the form set a cookie but %s still refuses: %s%s%s", prot, why,
			 f.nhops > 1 ? " at " : "", f.nhops > 1 ? f.hops[f.nhops - 1].url : "");
		o = TB_LOGIN_REJECTED;
	} else {
		snprintf(t->detail, sizeof t->detail, "%s with the session: %s", prot, why);
		o = TB_LOGIN_UNCONFIRMED;
	}
	if (o == TB_LOGIN_ACCEPTED) {
		tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, x->request, x->reqlen);
		tb_login_keep(t->got, &t->gotlen, sizeof t->got, x->raw, x->resp.header_len);
		mask_secret(t, t->sent, t->sentlen);
		mask_secret(t, t->got, t->gotlen);
	}
	tb_http_follow_free(&f);
	return o;
}

static enum tb_login_outcome httpform_attempt(struct tb_login_try *t)
{
	const struct tb_auth *a = t->ifc->declared;
	enum tb_login_outcome o = TB_LOGIN_UNCONFIRMED;
	if (!a || !a->form_user_field || !a->form_pass_field || !a->form_protected) {
		snprintf(t->detail, sizeof t->detail, "no declared form to fill in");
		return TB_LOGIN_UNCONFIRMED;
	}
	t->retry_after_s = -1;
	if (protected_refuses(t, &o))
		return o;
	struct tb_cookie_jar *jar = tb_xcalloc(1, sizeof *jar);
	if (post_form(t, jar, &o) == 0)
		o = protected_with_session(t, jar);
	free(jar);
	mask_secret(t, t->detail, strlen(t->detail));
	return o;
}

const struct tb_login_driver tb_login_httpform = {
	.service = "http-form",
	.transport = "tcp",
	.default_port = 80,
	.attempt = httpform_attempt,
};
