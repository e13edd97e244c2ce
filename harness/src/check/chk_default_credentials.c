/* chk_default_credentials.c: try well-known default credentials against the
 * device's telnet and HTTP (Basic or Digest) logins (EN 303 645 5.1-1,
 * 5.1-2; UK CoP 1).
 *
 * Intrusive: runs only with lab.intrusive: true.  A login counts only when
 * confirmed: on telnet a command we send is evaluated by the device (the
 * output of `echo TB$((A+B))` contains the sum, which an echo of our own
 * input would not); over HTTP a resource that answered 401 without
 * credentials answers 2xx with them, also after redirects within the scope
 * (http_confirm).  HTTP logins are the declared http-basic resources plus
 * the usual admin paths (`admin-paths`, http-auth's default) on every web
 * port that answer 401 without credentials; a port declared `tls: true` or
 * identified as TLS by this run's sweep is spoken to over TLS.  A 401 that
 * offers only Digest is guessed with Digest (a fresh challenge per guess).
 * Where the profile declares a test credential for an interface, it is
 * tried first as a positive control:
 * if it does not log in, rejections of guesses prove little and the verdict
 * is INCONCLUSIVE.  Declared credentials are never shown in evidence.
 */
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/text.h"
#include "check/family.h"
#include "check/chk_default_credentials_internal.h"
#include "check/http_common.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/httpc.h"
#include "net/net.h"
#include "proto/p_ascii.h"
#include "proto/p_telnet.h"
#include "result/result.h"

#define TEXT_MAX 8192
#define TRANSCRIPT_MAX (128 * 1024)
#define STEP_MS 4000
#define ATTEMPT_MS 10000
#define LIST_MAX_BYTES (256 * 1024)
#define LIST_MAX_ENTRIES 4096

static const char *const service_names[] = { "telnet", "http", NULL };

static const struct tb_param_def params[] = {
	{ .name = "services",
	  .type = TB_P_STRLIST,
	  .choices = service_names,
	  .help = "interfaces to try: telnet, http",
	  .dflt = "[telnet, http]" },
	{ .name = "telnet-ports",
	  .type = TB_P_INTLIST,
	  .min = 1,
	  .max = 65535,
	  .help = "telnet ports to try besides declared ones",
	  .dflt = "[23, 2323]" },
	{ .name = "admin-paths",
	  .type = TB_P_STRLIST,
	  .help = "web paths probed for an HTTP login besides the declared http-basic resources",
	  .dflt = TB_HTTP_ADMIN_PATHS_DEFAULT },
	{ .name = "list",
	  .type = TB_P_STR,
	  .help = "credential list, relative to the suite",
	  .dflt = "data/mirai-default-credentials.tsv" },
	{ .name = "max-attempts",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 10000,
	  .help = "most guesses per interface",
	  .dflt = "100" },
	{ .name = "attempt-delay-ms",
	  .type = TB_P_INT,
	  .min = 0,
	  .max = 60000,
	  .help = "pause between guesses",
	  .dflt = "50" },
	{ .name = "time-budget-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 86400,
	  .help = "stop guessing after this long; the verdict is then inconclusive",
	  .dflt = "300" },
};

/* ---- credential list ---- */

static void credlist_free(struct credlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].user);
		free(l->v[i].pass);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int credlist_has(const struct credlist *l, const char *u, const char *p)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].user, u) == 0 && strcmp(l->v[i].pass, p) == 0)
			return 1;
	return 0;
}

static void credlist_add(struct credlist *l, const char *u, size_t ul, const char *p, size_t pl,
			 int control)
{
	char *user = tb_xstrndup(u, ul), *pass = tb_xstrndup(p, pl);
	if (credlist_has(l, user, pass)) {
		free(user);
		free(pass);
		return;
	}
	l->v = tb_xrealloc(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = (struct cred){ .user = user, .pass = pass, .control = control };
}

/* Parse "user<TAB>password[<TAB>weight]" lines; '#' starts a comment line;
 * a header line "username<TAB>password..." is skipped; duplicates dropped.
 * Returns 0, or -1 with the line number in d's message. */
TB_UNITTEST int parse_credlist(const char *text, size_t len, struct credlist *out, struct tb_diag *d)
{
	size_t line = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		const char *tab = memchr(p, '\t', n);
		int skip = n == 0 || p[0] == '#' || (n >= 9 && memcmp(p, "username\t", 9) == 0);
		if (!skip) {
			if (!tab || tab == p || memchr(p, '\0', n) || out->n >= LIST_MAX_ENTRIES) {
				tb_diag_set(d, TB_E_CONFIG, "line %zu: expected username<TAB>password",
					    line);
				return -1;
			}
			const char *pw = tab + 1;
			const char *pwend = memchr(pw, '\t', (size_t)(p + n - pw));
			if (!pwend)
				pwend = p + n;
			credlist_add(out, p, (size_t)(tab - p), pw, (size_t)(pwend - pw), 0);
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int load_credlist(const char *dir, const char *rel, struct credlist *out, struct tb_diag *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	char *buf;
	size_t n;
	struct tb_diag fd;
	int r = -1;
	if (tb_file_read(path, LIST_MAX_BYTES + 1, &buf, &n, &fd) != TB_OK)
		tb_diag_set(d, TB_E_CONFIG, "the credential list %s: %s", path, fd.msg);
	else if (n > LIST_MAX_BYTES)
		tb_diag_set(d, TB_E_CONFIG, "the credential list %s is larger than %d bytes", path,
			    LIST_MAX_BYTES);
	else
		r = parse_credlist(buf, n, out, d);
	free(buf);
	return r;
}

/* The prepare hook (family.h): the credential list is read and checked when
 * the suite is loaded, so `validate` reports a bad list and a run reads it
 * before it drops privileges. */
static enum tb_err prepare(const struct tb_case *tc, const char *suite_dir, void **prep,
			   struct tb_diag *d)
{
	struct credlist *l = tb_xcalloc(1, sizeof *l);
	if (load_credlist(suite_dir, tb_param_str(&tc->params, "list"), l, d)) {
		credlist_free(l);
		free(l);
		return TB_E_CONFIG;
	}
	*prep = l;
	return TB_OK;
}

static void unprepare(void *prep)
{
	credlist_free(prep);
	free(prep);
}

/* ---- one attempt ---- */

static const char *outcome_name(enum outcome o)
{
	switch (o) {
	case ATT_REJECTED: return "rejected";
	case ATT_ACCEPTED: return "ACCEPTED";
	case ATT_UNCONFIRMED: return "unconfirmed";
	case ATT_NOCONNECT: return "no connection";
	}
	return "?";
}

/* Bounded log of what went each way, for the evidence file. */
struct transcript {
	char *buf;
	size_t len;
	int full;
};

static void tr_add(struct transcript *t, const char *dir, const void *data, size_t len)
{
	if (!t->buf)
		t->buf = tb_xmalloc(TRANSCRIPT_MAX);
	/* A plain-ASCII transcript, one line per message: CRs dropped. */
	char *safe = tb_text_escape_with(data, len, TB_ESC_ASCII | TB_ESC_DROP_CR);
	int w = snprintf(t->buf + t->len, TRANSCRIPT_MAX - t->len, "%s %s\n", dir, safe);
	free(safe);
	if (w < 0 || (size_t)w >= TRANSCRIPT_MAX - t->len) {
		t->full = 1;
		t->len = TRANSCRIPT_MAX - 1;
	} else {
		t->len += (size_t)w;
	}
}

struct tn_session {
	int fd;
	struct tb_telnet_state st;
	uint8_t text[TEXT_MAX]; /* device text since our last line */
	size_t tlen;
	int64_t end; /* overall deadline of the attempt */
	struct transcript *tr;
	uint8_t sent[TB_EV_INLINE_MAX], got[TB_EV_INLINE_MAX];
	size_t sentlen, gotlen;
};

static void keep(uint8_t *dst, size_t *dlen, const void *src, size_t n)
{
	size_t room = TB_EV_INLINE_MAX - *dlen;
	if (n > room)
		n = room;
	memcpy(dst + *dlen, src, n);
	*dlen += n;
}

/* Send a line; secret lines are logged as withheld. */
static enum tb_err tn_send(struct tn_session *s, const char *line, int secret)
{
	char buf[600];
	int n = snprintf(buf, sizeof buf, "%s\r\n", line);
	if (n < 0 || (size_t)n >= sizeof buf)
		return TB_E_TOOBIG;
	s->tlen = 0;
	const char *shown = secret ? "<declared credential withheld>\r\n" : buf;
	tr_add(s->tr, ">>", shown, strlen(shown));
	keep(s->sent, &s->sentlen, shown, strlen(shown));
	return tb_net_send_all(s->fd, buf, (size_t)n, s->end);
}

/* Read one chunk: filter telnet commands, answer them, append the text.
 * Returns TB_OK, TB_E_TIMEOUT at the step deadline (also when the device is
 * still sending: tb_net_recv checks the deadline before every read), or
 * TB_E_REFUSED on close. */
static enum tb_err tn_read(struct tn_session *s, int64_t step_deadline)
{
	uint8_t in[2048], data[2048], reply[2048]; /* a reply is never longer than its request */
	size_t got, dlen, rlen;
	int64_t dl = step_deadline < s->end ? step_deadline : s->end;
	enum tb_err e = tb_net_recv(s->fd, in, sizeof in, &got, dl);
	if (e)
		return e;
	if (got == 0)
		return TB_E_REFUSED;
	/* data and reply are as large as in, so TB_E_TOOBIG cannot happen; what
	 * the filter wrote is whole and used either way. */
	e = tb_p_telnet_filter(&s->st, in, got, data, sizeof data, &dlen, reply, sizeof reply, &rlen);
	if (rlen && tb_net_send_all(s->fd, reply, rlen, s->end) != TB_OK)
		return TB_E_REFUSED;
	tr_add(s->tr, "<<", data, dlen);
	keep(s->got, &s->gotlen, data, dlen);
	/* Keep the tail: prompts are at the end.  dlen < TEXT_MAX always. */
	if (s->tlen + dlen > TEXT_MAX) {
		size_t drop = s->tlen + dlen - TEXT_MAX;
		memmove(s->text, s->text + drop, s->tlen - drop);
		s->tlen -= drop;
	}
	memcpy(s->text + s->tlen, data, dlen);
	s->tlen += dlen;
	return TB_OK;
}

enum tn_phase { PH_WAIT_PROMPT, PH_SENT_USER, PH_SENT_PASS, PH_SENT_CMD };

static enum outcome tn_step(struct tn_session *s, enum tn_phase *ph, const struct cred *c,
			    const char *marker, const char *cmd, char *detail, size_t dl)
{
	enum tb_telnet_prompt pr = tb_p_telnet_prompt(s->text, s->tlen);
	switch (*ph) {
	case PH_WAIT_PROMPT:
		if (pr == TB_TN_LOGIN) {
			*ph = PH_SENT_USER;
			return tn_send(s, c->user, 0) ? ATT_UNCONFIRMED : (enum outcome) - 1;
		}
		if (pr == TB_TN_PASSWORD) {
			*ph = PH_SENT_PASS;
			return tn_send(s, c->pass, c->control) ? ATT_UNCONFIRMED : (enum outcome) - 1;
		}
		break;
	case PH_SENT_USER:
		if (pr == TB_TN_PASSWORD) {
			*ph = PH_SENT_PASS;
			return tn_send(s, c->pass, c->control) ? ATT_UNCONFIRMED : (enum outcome) - 1;
		}
		if (pr == TB_TN_FAILED || pr == TB_TN_LOGIN) {
			snprintf(detail, dl, "login refused after the user name");
			return ATT_REJECTED;
		}
		break;
	case PH_SENT_PASS:
		if (pr == TB_TN_FAILED || pr == TB_TN_LOGIN || pr == TB_TN_PASSWORD) {
			snprintf(detail, dl, "the device refused the password");
			return ATT_REJECTED;
		}
		if (pr == TB_TN_SHELL) {
			*ph = PH_SENT_CMD;
			return tn_send(s, cmd, 0) ? ATT_UNCONFIRMED : (enum outcome) - 1;
		}
		break;
	case PH_SENT_CMD:
		if (tb_mem_contains(s->text, s->tlen, (const uint8_t *)marker, strlen(marker))) {
			snprintf(detail, dl, "logged in: the device evaluated `%s` and printed %s", cmd,
				 marker);
			return ATT_ACCEPTED;
		}
		break;
	}
	return (enum outcome) - 1;
}

static enum outcome telnet_attempt(struct tb_ctx *ctx, uint16_t port, const struct cred *c,
				   struct transcript *tr, struct tb_result *res, char *detail,
				   size_t dl)
{
	struct tn_session s = { .fd = -1, .tr = tr };
	struct tb_diag d;
	tb_p_telnet_init(&s.st);
	if (tb_net_connect(&ctx->net, ctx->profile->address, port, &s.fd, &d) != TB_OK) {
		snprintf(detail, dl, "%s", d.msg);
		return ATT_NOCONNECT;
	}
	unsigned char rnd[4] = { 0 };
	(void)RAND_bytes(rnd, sizeof rnd);
	unsigned a = 10000u + ((unsigned)rnd[0] << 8 | rnd[1]) % 80000u;
	unsigned b = 10000u + ((unsigned)rnd[2] << 8 | rnd[3]) % 80000u;
	char cmd[64], marker[32];
	snprintf(cmd, sizeof cmd, "echo TB$((%u+%u))", a, b);
	snprintf(marker, sizeof marker, "TB%u", a + b);
	s.end = tb_now_ms() + ATTEMPT_MS;
	enum tn_phase ph = PH_WAIT_PROMPT;
	enum outcome o = (enum outcome) - 1;
	int nudged = 0;
	tr_add(tr, "--", "new connection", 14);
	while ((int)o < 0) {
		/* Checked on every pass, not only when a read has to wait: a device
		 * that streams bytes without end (an IAC SB that is never closed)
		 * never makes a read wait. */
		enum tb_err e = tb_net_deadline_passed(s.end) ? TB_E_TIMEOUT
							      : tn_read(&s, tb_now_ms() + STEP_MS);
		if (e == TB_OK) {
			o = tn_step(&s, &ph, c, marker, cmd, detail, dl);
		} else if (e == TB_E_TIMEOUT && ph == PH_SENT_PASS && !nudged &&
			   !tb_net_deadline_passed(s.end)) {
			/* Quiet after the password with no prompt we recognise: ask the
			 * shell directly; only its answer can confirm a login. */
			nudged = 1;
			ph = PH_SENT_CMD;
			if (tn_send(&s, cmd, 0) != TB_OK)
				o = ATT_UNCONFIRMED;
		} else {
			static const char *const where[] = { "before a login prompt",
							     "after the user name",
							     "after the password",
							     "after the test command" };
			snprintf(detail, dl, "%s %s%s",
				 e == TB_E_TIMEOUT ? "no recognisable answer" : "connection closed",
				 where[ph],
				 tb_net_stop_requested() ? " (the run was interrupted)"
				 : e == TB_E_TIMEOUT && tb_now_ms() >= s.end
					 ? " within the attempt's deadline"
					 : "");
			o = ATT_UNCONFIRMED;
		}
	}
	if (o == ATT_ACCEPTED) {
		char label[160];
		snprintf(label, sizeof label, "telnet/%u login as %s", port, c->user);
		tb_ev_exchange(res, label, s.sent, s.sentlen, s.got, s.gotlen);
	}
	tb_net_close(&s.fd);
	return o;
}

/* Sleep, in short slices so that a stop request ends the pause. */
static void pause_ms(int ms)
{
	int64_t end = tb_now_ms() + (ms > 0 ? ms : 0);
	while (!tb_net_deadline_passed(end)) {
		int64_t left = end - tb_now_ms();
		if (left > TB_NET_POLL_SLICE_MS)
			left = TB_NET_POLL_SLICE_MS;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)left * 1000000L };
		nanosleep(&ts, NULL);
	}
}

#define THROTTLE_RETRIES 3
#define THROTTLE_MAX_S 10

TB_UNITTEST enum outcome http_confirm(const struct http_chain *c, char *detail, size_t dl)
{
	if (c->noconnect) {
		snprintf(detail, dl, "nothing listens");
		return ATT_NOCONNECT;
	}
	if (c->err || c->stopped)
		return ATT_UNCONFIRMED; /* the caller put the reason in detail */
	int ok = c->status >= 200 && c->status < 300;
	if (ok && !c->auth_on_final) {
		snprintf(
			detail, dl,
			"HTTP %d at %s, reached by a redirect off the address and port: the credential "
			"was not sent there",
			c->status, c->final);
		return ATT_UNCONFIRMED;
	}
	if (ok && c->moved && c->unauth_status != 401 && c->unauth_status != 403) {
		snprintf(detail, dl,
			 "redirected to %s, which answers HTTP %d without credentials too: a page, "
			 "not a login",
			 c->final, c->unauth_status);
		return ATT_REJECTED;
	}
	if (ok) {
		snprintf(detail, dl, "HTTP %d with the credential where it was 401 without%s%s",
			 c->status, c->final ? ", at " : "", c->final ? c->final : "");
		return ATT_ACCEPTED;
	}
	if (c->status == 401 || c->status == 403) {
		snprintf(detail, dl, "HTTP %d%s%s", c->status, c->final ? " at " : "",
			 c->final ? c->final : "");
		return ATT_REJECTED;
	}
	snprintf(detail, dl, "HTTP %d neither grants nor refuses", c->status);
	return ATT_UNCONFIRMED;
}

/* An HTTP login: a resource that answered 401 without credentials. */
struct http_login {
	uint16_t port;
	int tls;
	char path[600];
	char unauth_path[600]; /* cache: a moved-to resource probed without credentials */
	int unauth_status;
	int digest; /* the 401 offers HTTP Digest only (RFC 7616), not Basic */
};

/* Which scheme a 401 offers: 0 Basic, 1 Digest (MD5 or SHA-256), -1
 * neither (why says what it offered). */
static int auth_scheme(const struct tb_http_exchange *hr, struct tb_http_digest *dg,
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
static int fresh_digest(struct tb_ctx *ctx, const struct tb_http_req *at, struct tb_http_digest *dg,
			struct transcript *tr, char *detail, size_t dl)
{
	struct tb_http_req rq = *at;
	struct tb_http_exchange hr;
	struct tb_diag why = { .msg = "" };
	rq.authorization = NULL;
	rq.digest = NULL;
	tb_http_get(&ctx->net, &rq, &hr);
	tr_add(tr, ">>", hr.request, hr.reqlen);
	tr_add(tr, "<<", hr.raw, hr.rawlen > 512 ? 512 : hr.rawlen);
	int ok = !hr.err && hr.resp.status == 401 && auth_scheme(&hr, dg, &why) == 1;
	if (!ok)
		snprintf(detail, dl, "no fresh Digest challenge: %s",
			 hr.err       ? hr.why
			 : why.msg[0] ? why.msg
				      : "not a 401");
	tb_http_exchange_free(&hr);
	return ok ? 0 : -1;
}

/* Transcript and evidence of each request of a credentialed chain. */
struct hop_log {
	struct transcript *tr;
	const struct cred *c;
};

static void log_hop(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	struct hop_log *l = arg;
	int secret = l->c->control && hop->auth_sent;
	tr_add(l->tr, "--", hop->url, strlen(hop->url));
	tr_add(l->tr, ">>", secret ? "GET (declared credential withheld)" : x->request,
	       secret ? 34 : x->reqlen);
	tr_add(l->tr, "<<", x->raw, x->rawlen > 512 ? 512 : x->rawlen);
}

/* The status of a resource fetched without credentials (0: no answer). */
static int unauth_status(struct tb_ctx *ctx, struct http_login *h, const struct tb_http_req *at)
{
	if (strcmp(h->unauth_path, at->path) == 0)
		return h->unauth_status;
	struct tb_http_req rq = *at;
	struct tb_http_exchange hr;
	rq.authorization = NULL;
	tb_http_get(&ctx->net, &rq, &hr);
	snprintf(h->unauth_path, sizeof h->unauth_path, "%s", at->path);
	h->unauth_status = hr.err ? 0 : hr.resp.status;
	tb_http_exchange_free(&hr);
	return h->unauth_status;
}

/* One GET with the credential, following redirects within the scope.  A
 * 429/503 answer is the device throttling guesses (brute-force protection,
 * evidence for 5.1-5): wait as long as its Retry-After asks (at most
 * THROTTLE_MAX_S) and ask again. */
static enum outcome http_attempt(struct tb_ctx *ctx, struct http_login *h, const struct cred *c,
				 struct transcript *tr, struct tb_result *res, char *detail, size_t dl)
{
	char auth[700];
	tb_http_basic_auth(c->user, c->pass, auth, sizeof auth);
	struct tb_http_req rq = { .addr = ctx->profile->address,
				  .port = h->port,
				  .path = h->path,
				  .authorization = auth,
				  .timeout_ms = 5000,
				  .tls = h->tls };
	struct tb_http_digest dg = { .user = c->user, .pass = c->pass };
	struct hop_log lg = { .tr = tr, .c = c };
	struct tb_http_follow f;
	for (int tries = 0;; tries++) {
		if (h->digest) {
			rq.authorization = NULL;
			rq.digest = &dg;
			if (fresh_digest(ctx, &rq, &dg, tr, detail, dl))
				return ATT_UNCONFIRMED;
		}
		tb_http_get_follow(&ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, log_hop, &lg, &f);
		const struct tb_http_exchange *hr = &f.last;
		int throttled = !hr->err && (hr->resp.status == 429 || hr->resp.status == 503);
		if (!throttled || tries == THROTTLE_RETRIES)
			break;
		const uint8_t *v;
		size_t vn;
		long wait = tb_p_http_header(hr->raw, hr->resp.header_len, "retry-after", &v, &vn)
				    ? tb_p_http_retry_after(v, vn, 1, THROTTLE_MAX_S)
				    : 1;
		tb_ev_note(res, "throttling", "HTTP %d: the device throttles guessing; waiting %ld s",
			   hr->resp.status, wait);
		tb_http_follow_free(&f);
		pause_ms((int)(wait ? wait : 1) * 1000);
	}
	const struct tb_http_exchange *hr = &f.last;
	const struct tb_http_hop *last = &f.hops[f.nhops - 1];
	struct http_chain ch = { .stopped = f.end != TB_FOLLOW_DONE,
				 .err = hr->err,
				 .noconnect = hr->err == TB_E_REFUSED && !hr->rawlen && f.nhops == 1,
				 .status = hr->err ? 0 : hr->resp.status,
				 .auth_on_final = last->auth_sent,
				 .moved = f.final.port != h->port || f.final.addr != rq.addr ||
					  !tb_http_same_resource(h->path, f.final.path),
				 .final = f.nhops > 1 ? last->url : NULL };
	if (f.end != TB_FOLLOW_DONE)
		snprintf(detail, dl, "%s", f.why);
	else if (hr->err)
		snprintf(detail, dl, "%s", hr->why);
	int ok = !ch.err && !ch.stopped && ch.status >= 200 && ch.status < 300;
	if (ok && ch.moved && ch.auth_on_final)
		ch.unauth_status = unauth_status(ctx, h, &f.final);
	enum outcome o = http_confirm(&ch, detail, dl);
	if (o == ATT_ACCEPTED && !c->control) {
		char label[800];
		snprintf(label, sizeof label, "%s://%s login as %s", h->tls ? "https" : "http",
			 f.hops[0].url + (h->tls ? 8 : 7), c->user);
		tb_ev_exchange(res, label, hr->request, hr->reqlen, hr->raw, hr->resp.header_len);
	}
	tb_http_follow_free(&f);
	return o;
}

/* ---- targets ---- */

enum target_kind { T_TELNET, T_HTTP };

struct target {
	enum target_kind kind;
	uint16_t port;
	const struct tb_auth *auth; /* declared http-basic resource, NULL when found by probing */
	struct http_login http;     /* T_HTTP */
	char name[700];
	int guessed, rejected, unconfirmed, control_ok, control_tried;
	char first_guess[160];
};

struct dc {
	struct tb_ctx *ctx;
	struct tb_result *res;
	const struct credlist *list; /* prepared at load time */
	int max_attempts, delay_ms;
	int64_t budget_end; /* tb_now_ms() deadline for the whole check */
	int out_of_time;
};

/* An interface that gave no clear answer this many times in a row is not
 * offering a usable login: stop guessing there. */
#define MAX_UNANSWERED_IN_A_ROW 3

static enum outcome attempt(struct dc *dc, struct target *t, const struct cred *c,
			    struct transcript *tr)
{
	char detail[256] = "";
	enum outcome o =
		t->kind == T_TELNET
			? telnet_attempt(dc->ctx, t->port, c, tr, dc->res, detail, sizeof detail)
			: http_attempt(dc->ctx, &t->http, c, tr, dc->res, detail, sizeof detail);
	tb_ev_note(dc->res, t->name, "%s/%s: %s (%s)", c->user,
		   c->control ? "<declared credential>" : (c->pass[0] ? c->pass : "<empty>"),
		   outcome_name(o), detail);
	return o;
}

static const struct tb_auth *control_for(const struct tb_profile *p, const struct target *t)
{
	for (size_t i = 0; i < p->nauths; i++) {
		const struct tb_auth *a = &p->auths[i];
		int same = t->kind == T_HTTP ? t->auth && a == t->auth
					     : strcmp(a->protocol, "telnet") == 0 &&
						       (a->port == 0 ? 23 : a->port) == t->port;
		if (same && a->test_user)
			return a;
	}
	return NULL;
}

/* "http-80.log" for "/", "http-80-cgi-bin-admin.log" for "/cgi-bin/admin". */
static void path_file_name(char *out, size_t cap, const char *scheme, uint16_t port, const char *path)
{
	int n = snprintf(out, cap, "%s-%u", scheme, port);
	for (const char *p = path; *p && n > 0 && (size_t)n + 6 < cap; p++) {
		char ch = *p;
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9');
		if (!alnum && out[n - 1] == '-')
			continue;
		out[n++] = alnum ? ch : '-';
		out[n] = '\0';
	}
	if (n > 0 && out[n - 1] == '-')
		out[--n] = '\0';
	snprintf(out + n, cap - (size_t)n, ".log");
}

static void try_target(struct dc *dc, struct target *t)
{
	struct transcript tr = { 0 };
	const struct tb_auth *ctl = control_for(dc->ctx->profile, t);
	if (ctl) {
		struct cred c = { .user = ctl->test_user, .pass = ctl->test_pass, .control = 1 };
		t->control_tried = 1;
		t->control_ok = attempt(dc, t, &c, &tr) == ATT_ACCEPTED;
		pause_ms(dc->delay_ms);
	}
	int in_a_row = 0;
	for (size_t i = 0; i < dc->list->n && (int)i < dc->max_attempts; i++) {
		const struct cred *c = &dc->list->v[i];
		if (tb_net_stop_requested()) {
			t->unconfirmed++;
			tb_ev_note(dc->res, t->name, "stopped: the run was interrupted");
			break;
		}
		if (tb_now_ms() > dc->budget_end) {
			dc->out_of_time = 1;
			t->unconfirmed++;
			tb_ev_note(dc->res, t->name, "stopped: the check's time budget ran out");
			break;
		}
		if (in_a_row >= MAX_UNANSWERED_IN_A_ROW) {
			tb_ev_note(dc->res, t->name,
				   "stopped after %d attempts in a row without a clear answer",
				   in_a_row);
			break;
		}
		enum outcome o = attempt(dc, t, c, &tr);
		in_a_row = o == ATT_UNCONFIRMED || o == ATT_NOCONNECT ? in_a_row + 1 : 0;
		if (o == ATT_ACCEPTED) {
			t->guessed++;
			snprintf(t->first_guess, sizeof t->first_guess, "%s as %s/%s", t->name, c->user,
				 c->pass[0] ? c->pass : "<empty>");
			break; /* one confirmed login is enough; stop hammering */
		}
		if (o == ATT_REJECTED)
			t->rejected++;
		else
			t->unconfirmed++;
		pause_ms(dc->delay_ms);
	}
	char fname[96];
	if (t->kind == T_TELNET)
		snprintf(fname, sizeof fname, "telnet-%u.log", t->port);
	else
		path_file_name(fname, sizeof fname, t->http.tls ? "https" : "http", t->port,
			       t->http.path);
	if (tr.full)
		tr_add(&tr, "--", "transcript truncated", 20);
	if (tr.buf && tb_ev_file(dc->ctx, dc->res, fname, tr.buf, tr.len) != TB_OK)
		tb_ev_note(dc->res, t->name, "could not write %s", fname);
	free(tr.buf);
}

static int wants(const struct tb_params *p, const char *svc)
{
	const struct tb_param *v = tb_param_get(p, "services");
	if (!v)
		return 1;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->sl[i], svc) == 0)
			return 1;
	return 0;
}

static size_t add_telnet_port(struct target *ts, size_t n, long port)
{
	for (size_t i = 0; i < n; i++)
		if (ts[i].kind == T_TELNET && ts[i].port == port)
			return n;
	ts[n] = (struct target){ .kind = T_TELNET, .port = (uint16_t)port };
	snprintf(ts[n].name, sizeof ts[n].name, "telnet/%ld", port);
	return n + 1;
}

/* Telnet ports that accept a connection: declared ones and the usual ones. */
static size_t telnet_targets(struct dc *dc, const struct tb_case *tc, struct target *ts, size_t n)
{
	const struct tb_profile *p = dc->ctx->profile;
	for (size_t i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].protocol, "telnet") == 0)
			n = add_telnet_port(ts, n, p->services[i].port);
	for (size_t i = 0; i < p->nauths; i++)
		if (strcmp(p->auths[i].protocol, "telnet") == 0)
			n = add_telnet_port(ts, n, p->auths[i].port ? p->auths[i].port : 23);
	const struct tb_param *tp = tb_param_get(&tc->params, "telnet-ports");
	for (size_t i = 0; tp && i < tp->n && n < 64; i++)
		n = add_telnet_port(ts, n, tp->il[i]);
	/* Keep the ports where something listens. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		int fd;
		struct tb_diag d;
		if (ts[i].kind == T_TELNET &&
		    tb_net_connect(&dc->ctx->net, p->address, ts[i].port, &fd, &d) != TB_OK) {
			tb_ev_note(dc->res, ts[i].name, "not tried: %s", d.msg);
			continue;
		}
		if (ts[i].kind == T_TELNET)
			tb_net_close(&fd);
		ts[kept++] = ts[i];
	}
	return kept;
}

/* Is there already an HTTP target for port and path? */
static int have_http(const struct target *ts, size_t n, uint16_t port, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (ts[i].kind == T_HTTP && ts[i].port == port && strcmp(ts[i].http.path, path) == 0)
			return 1;
	return 0;
}

static void record_probe(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	tb_ev_exchange(arg, hop->url, x->request, x->reqlen, x->raw,
		       x->err ? x->rawlen : x->resp.header_len);
}

/* Probe port/path without credentials: a target when it answers 401
 * (after redirects within the scope).  declared: the profile's resource
 * (a miss is noted), else one of the usual admin paths (a miss is quiet
 * unless the port answered something other than a plain HTTP status). */
static size_t http_probe(struct dc *dc, struct target *ts, size_t n, uint16_t port, const char *path,
			 const struct tb_auth *declared, int *no_http)
{
	if (n >= 128 || !path || path[0] != '/' || strlen(path) >= sizeof ts[0].http.path ||
	    have_http(ts, n, port, path))
		return n;
	const struct tb_profile *p = dc->ctx->profile;
	struct target t = { .kind = T_HTTP, .port = port, .auth = declared };
	t.http.port = port;
	t.http.tls = tb_http_port_tls(dc->ctx, port);
	snprintf(t.http.path, sizeof t.http.path, "%s", path);
	snprintf(t.name, sizeof t.name, "%s/%u%s%s", t.http.tls ? "https" : "http", port, path,
		 declared ? "" : " (found by probing)");
	struct tb_http_req rq = { .addr = p->address,
				  .port = port,
				  .path = path,
				  .timeout_ms = 5000,
				  .tls = t.http.tls };
	struct tb_http_follow f;
	struct tb_http_digest dg = { 0 };
	struct tb_diag why = { .msg = "" };
	tb_http_get_follow(&dc->ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, declared ? record_probe : NULL,
			   dc->res, &f);
	const struct tb_http_exchange *hr = &f.last;
	if (no_http && hr->err)
		*no_http = 1;
	if (f.end != TB_FOLLOW_DONE)
		tb_ev_note(dc->res, t.name, "not tried: %s", f.why);
	else if (hr->err && (declared || hr->err != TB_E_REFUSED || hr->rawlen))
		tb_ev_note(dc->res, t.name, "not tried: %s", hr->why);
	else if (!hr->err && hr->resp.status != 401 && declared)
		tb_ev_note(dc->res, t.name,
			   "not tried: answered HTTP %d without credentials (not a Basic login)",
			   hr->resp.status);
	else if (!hr->err && hr->resp.status == 401 && (t.http.digest = auth_scheme(hr, &dg, &why)) < 0)
		tb_ev_note(dc->res, t.name,
			   "not tried: HTTP 401 without a Basic or supported Digest challenge (%s)",
			   why.msg);
	else if (!hr->err && hr->resp.status == 401) {
		if (t.http.digest)
			tb_ev_note(dc->res, t.name, "HTTP Digest (%s): guessed with Digest",
				   dg.sha256 ? "SHA-256" : "MD5");
		if (!declared) {
			record_probe(dc->res, &f.hops[f.nhops - 1], hr);
			tb_ev_note(
				dc->res, t.name,
				"asks for credentials (HTTP 401) although no login is declared there: "
				"tried");
		}
		ts[n++] = t;
	}
	tb_http_follow_free(&f);
	return n;
}

/* The usual admin paths on one port; a port that gives no complete HTTP
 * answer to one of them is not asked again (a stalling device would cost
 * a deadline per path). */
static size_t probe_admin_paths(struct dc *dc, struct target *ts, size_t n, uint16_t port,
				const struct tb_param *paths)
{
	int no_http = 0;
	for (size_t i = 0; paths && i < paths->n && !no_http; i++)
		n = http_probe(dc, ts, n, port, paths->sl[i], NULL, &no_http);
	if (no_http)
		tb_ev_note(dc->res, "admin paths",
			   "port %u gave no complete HTTP answer: its other admin paths not probed",
			   port);
	return n;
}

static int is_web(const struct tb_service *s)
{
	return (strcmp(s->protocol, "http") == 0 || strcmp(s->protocol, "https") == 0) &&
	       (!s->transport || strcmp(s->transport, "tcp") == 0);
}

/* HTTP logins: declared http-basic resources and the usual admin paths on
 * every web port (declared, or identified as HTTP by this run's sweep)
 * that really answer 401 without credentials. */
static size_t http_targets(struct dc *dc, const struct tb_case *tc, struct target *ts, size_t n)
{
	const struct tb_profile *p = dc->ctx->profile;
	for (size_t i = 0; i < p->nauths; i++) {
		const struct tb_auth *a = &p->auths[i];
		if (strcmp(a->protocol, "http-basic") == 0)
			n = http_probe(dc, ts, n, (uint16_t)(a->port ? a->port : 80), a->path, a, NULL);
	}
	const struct tb_param *paths = tb_param_get(&tc->params, "admin-paths");
	for (size_t s = 0; s < p->nservices; s++)
		if (is_web(&p->services[s]))
			n = probe_admin_paths(dc, ts, n, (uint16_t)p->services[s].port, paths);
	const struct tb_surface *sf = dc->ctx->surface;
	char host[16];
	tb_ipv4_format(p->address, host);
	for (size_t s = 0; sf && s < sf->n; s++) {
		const struct tb_endpoint *e = &sf->v[s];
		if (strcmp(e->transport, "tcp") != 0 || strcmp(e->addr, host) != 0 ||
		    strcmp(e->protocol, "http") != 0)
			continue;
		n = probe_admin_paths(dc, ts, n, e->port, paths);
	}
	return n;
}

static void judge(struct dc *dc, struct target *ts, size_t n)
{
	char guessed[1024] = "", unsure[1024] = "";
	int rejected = 0;
	for (size_t i = 0; i < n; i++) {
		struct target *t = &ts[i];
		size_t gl = strlen(guessed), ul = strlen(unsure);
		if (t->guessed)
			snprintf(guessed + gl, sizeof guessed - gl, "%s%s", gl ? "; " : "",
				 t->first_guess);
		else if (t->control_tried && !t->control_ok)
			snprintf(unsure + ul, sizeof unsure - ul,
				 "%s%s: the declared test credential did not log in either",
				 ul ? "; " : "", t->name);
		else if (t->unconfirmed)
			snprintf(unsure + ul, sizeof unsure - ul,
				 "%s%s: %d attempts got no clear answer", ul ? "; " : "", t->name,
				 t->unconfirmed);
		rejected += t->rejected;
	}
	if (guessed[0])
		tb_result_set(dc->res, TB_V_FAIL,
			      "confirmed login with a well-known default credential: %s", guessed);
	else if (tb_net_stop_requested())
		tb_result_set(dc->res, TB_V_INCONCLUSIVE,
			      "the run was interrupted before every login interface was tried");
	else if (n == 0)
		tb_result_set(dc->res, TB_V_INCONCLUSIVE,
			      "no password login to test: no telnet port accepted a connection and no "
			      "declared HTTP Basic resource asked for credentials");
	else if (unsure[0])
		tb_result_set(dc->res, TB_V_INCONCLUSIVE, "%s", unsure);
	else
		tb_result_set(dc->res, TB_V_PASS,
			      "all %d guesses were explicitly refused on %zu login interfaces",
			      rejected, n);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct dc dc = { .ctx = ctx, .res = res };
	dc.max_attempts = (int)tb_param_int(&tc->params, "max-attempts");
	dc.delay_ms = (int)tb_param_int(&tc->params, "attempt-delay-ms");
	dc.budget_end = tb_now_ms() + 1000 * tb_param_int(&tc->params, "time-budget-s");
	dc.list = tc->prep;
	if (!dc.list) { /* a suite parsed from memory is never prepared */
		tb_result_set(res, TB_V_ERROR, "the credential list was not loaded with the suite");
		return;
	}
	struct target *ts = tb_xcalloc(128, sizeof *ts);
	size_t n = 0;
	if (wants(&tc->params, "telnet"))
		n = telnet_targets(&dc, tc, ts, n);
	if (wants(&tc->params, "http"))
		n = http_targets(&dc, tc, ts, n);
	for (size_t i = 0; i < n && !tb_net_stop_requested(); i++)
		try_target(&dc, &ts[i]);
	judge(&dc, ts, n);
	free(ts);
}

const struct tb_check_family tb_check_default_credentials = {
	.name = "default-credentials",
	.summary =
		"tries the Mirai default credentials on telnet and HTTP Basic/Digest (also over TLS); "
		"confirmed logins fail",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
	.prepare = prepare,
	.unprepare = unprepare,
};
