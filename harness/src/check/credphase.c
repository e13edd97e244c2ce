/* credphase.c: the run's credential phase (check/credphase.h): find the
 * login interfaces, guess on all of them at once, keep every timed
 * attempt, write the evidence into the case that ran it. */
#include "check/credphase.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "check/credphase_internal.h"
#include "check/ctx.h"
#include "check/family.h"
#include "check/http_common.h"
#include "check/login_httpform.h"
#include "check/login_rtsp.h"
#include "check/login_snmp.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/httpc.h"
#include "net/net.h"
#include "net/sshc.h"
#include "result/result.h"

#define ATTEMPT_MS 10000
/* Most waiting for one guess while the device throttles. */
#define THROTTLE_MAX_S 60
#define LIST_MAX_BYTES (256 * 1024)
#define LIST_MAX_ENTRIES 4096
#define MAX_IFACES 64
/* An interface that gave no clear answer this many times in a row is not
 * offering a usable login: stop guessing there. */
#define MAX_UNANSWERED_IN_A_ROW 3

const char *const tb_credphase_services[] = { "telnet", "http", "ssh",  "mqtt",
					      "ftp",    "snmp", "rtsp", NULL };

/* ---- the lists, read when the suite is loaded ---- */

void credlist_free(struct credlist *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		free(l->v[i].user);
		free(l->v[i].pass);
	}
	if (l) {
		free(l->v);
		l->v = NULL;
		l->n = 0;
	}
}

static int credlist_has(const struct credlist *l, const char *u, const char *p)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].user, u) == 0 && strcmp(l->v[i].pass, p) == 0)
			return 1;
	return 0;
}

static void credlist_add(struct credlist *l, const char *u, size_t ul, const char *p, size_t pl)
{
	char *user = tb_xstrndup(u, ul), *pass = tb_xstrndup(p, pl);
	if (credlist_has(l, user, pass)) {
		free(user);
		free(pass);
		return;
	}
	l->v = tb_xrealloc(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = (struct cred){ .user = user, .pass = pass };
}

int parse_credlist(const char *text, size_t len, struct credlist *out, struct tb_diag *d)
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
			credlist_add(out, p, (size_t)(tab - p), pw, (size_t)(pwend - pw));
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

void tb_credphase_unprepare(void *prep)
{
	struct tb_cp_lists *l = prep;
	if (!l)
		return;
	credlist_free(l->creds);
	credlist_free(l->communities);
	free(l->creds);
	free(l->communities);
	free(l);
}

/* The prepare hook of every family that may run the phase: the list is
 * read and checked when the suite is loaded, so `validate` reports a bad
 * list and a run reads it before it drops privileges. */
enum tb_err tb_credphase_prepare(const struct tb_case *tc, const char *suite_dir, void **prep,
				 struct tb_diag *d)
{
	struct tb_cp_lists *l = tb_xcalloc(1, sizeof *l);
	l->creds = tb_xcalloc(1, sizeof *l->creds);
	l->communities = tb_xcalloc(1, sizeof *l->communities);
	if (load_credlist(suite_dir, tb_param_str(&tc->params, "list"), l->creds, d)) {
		tb_credphase_unprepare(l);
		return TB_E_CONFIG;
	}
	const struct tb_param *c = tb_param_get(&tc->params, "snmp-communities");
	for (size_t i = 0; c && i < c->n; i++)
		credlist_add(l->communities, "", 0, c->sl[i], strlen(c->sl[i]));
	*prep = l;
	return TB_OK;
}

/* ---- guessing ---- */

static void pause_ms(int64_t ms)
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

static void record(struct tb_cp_iface *f, int64_t start, int64_t took, enum tb_login_outcome o,
		   enum tb_cp_kind kind, int retry_after)
{
	if (f->natt == f->capatt) {
		f->capatt = f->capatt ? 2 * f->capatt : 64;
		f->att = tb_xrealloc(f->att, f->capatt, sizeof *f->att);
	}
	f->att[f->natt++] = (struct tb_cp_attempt){
		.at_ms = start - f->t0_ms,
		.took_ms = (int32_t)(took > INT32_MAX ? INT32_MAX : took),
		.outcome = (uint8_t)o,
		.kind = (uint8_t)kind,
		.retry_after_s = (int16_t)(retry_after > 3600 ? 3600 : retry_after),
	};
}

static const char *kind_name(enum tb_cp_kind k)
{
	switch (k) {
	case TB_CP_CONTROL: return "declared credential";
	case TB_CP_NEGATIVE: return "random credential";
	case TB_CP_GUESS: return "guess";
	case TB_CP_BURST: return "wrong password (brute-force measurement)";
	case TB_CP_RECHECK: return "declared credential again";
	}
	return "?";
}

static int is_secret(enum tb_cp_kind kind)
{
	return kind == TB_CP_CONTROL || kind == TB_CP_RECHECK;
}

/* "root/xc3511", "community 'public'", or the declared one withheld. */
static void cred_text(const struct tb_cp_iface *f, const char *user, const char *pass,
		      enum tb_cp_kind kind, char *out, size_t cap)
{
	int snmp = strcmp(f->ifc.drv->service, "snmp") == 0;
	if (is_secret(kind))
		snprintf(out, cap, "<declared credential>");
	else if (snmp)
		snprintf(out, cap, "community '%s'", pass);
	else
		snprintf(out, cap, "%s/%s", user, pass[0] ? pass : "<empty>");
}

static void keep_proof(struct tb_cp_iface *f, const struct tb_login_try *t, const char *cred)
{
	if (f->proof_label[0])
		return;
	snprintf(f->proof_label, sizeof f->proof_label, "%s login as %s", f->ifc.name, cred);
	snprintf(f->proof_detail, sizeof f->proof_detail, "%s", t->detail);
	memcpy(f->sent, t->sent, t->sentlen);
	f->sentlen = t->sentlen;
	memcpy(f->got, t->got, t->gotlen);
	f->gotlen = t->gotlen;
}

/* What a driver established beyond the login: the first finding, or a
 * write access found later (SNMP: 'public' reads, 'private' writes). */
static void keep_finding(struct tb_cp_iface *f, const struct tb_login_try *t)
{
	if (t->finding[0] && (!f->finding[0] || (t->can_write && !f->can_write)))
		snprintf(f->finding, sizeof f->finding, "%s", t->finding);
	if (t->can_write)
		f->can_write = 1;
}

enum tb_login_outcome tb_credphase_guess(struct tb_ctx *ctx, struct tb_credphase *p,
					 struct tb_cp_iface *f, const char *user, const char *pass,
					 enum tb_cp_kind kind)
{
	char cred[300];
	cred_text(f, user, pass, kind, cred, sizeof cred);
	if (!f->t0_ms)
		f->t0_ms = tb_now_ms();
	int64_t waited = 0; /* s, waiting out this guess's throttling */
	for (int tries = 0;; tries++) {
		struct tb_login_try t = { .ctx = ctx,
					  .ifc = &f->ifc,
					  .user = user,
					  .pass = pass,
					  .secret = is_secret(kind),
					  .deadline_ms = tb_now_ms() + ATTEMPT_MS,
					  .intrusive_write =
						  ctx->profile->intrusive && kind == TB_CP_GUESS,
					  .log = &f->log,
					  .retry_after_s = -1 };
		int64_t start = tb_now_ms();
		enum tb_login_outcome o = f->ifc.drv->attempt(&t);
		int64_t took = tb_now_ms() - start;
		record(f, start, took, o, kind, t.retry_after_s);
		__atomic_add_fetch(&p->attempts, 1, __ATOMIC_RELAXED);
		tb_login_log_note(&f->log, "== %s %s: %s in %lld ms (%s)", kind_name(kind), cred,
				  tb_login_outcome_name(o), (long long)took,
				  t.detail[0] ? t.detail : "no detail");
		if (o == TB_LOGIN_ACCEPTED && !is_secret(kind)) {
			keep_proof(f, &t, cred);
			keep_finding(f, &t);
		}
		char *first = o == TB_LOGIN_REJECTED      ? f->first_refusal
			      : o == TB_LOGIN_UNCONFIRMED ? f->first_unclear
							  : NULL;
		if (first && !first[0] && !is_secret(kind))
			snprintf(first, sizeof f->first_refusal, "%s: %s", cred,
				 t.detail[0] ? t.detail : "no detail");
		if (o == TB_LOGIN_THROTTLED)
			f->throttled++;
		if (o != TB_LOGIN_THROTTLED)
			return o;
		/* Wait as long as the device asks (Retry-After), else back off
		 * 1, 2, 4, 8, 16 s; give the guess up after THROTTLE_MAX_S of
		 * waiting or at the phase's budget (the judges then say so). */
		int64_t wait = t.retry_after_s >= 0 ? t.retry_after_s : 1LL << (tries < 4 ? tries : 4);
		if (wait < 1)
			wait = 1;
		if (wait > THROTTLE_MAX_S - waited)
			wait = THROTTLE_MAX_S - waited;
		if (wait <= 0 || tb_now_ms() + wait * 1000 > p->budget_end)
			return o;
		waited += wait;
		tb_login_log_note(&f->log, "the device throttles: waiting %lld s, then the same guess",
				  (long long)wait);
		pause_ms(wait * 1000);
	}
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char r[32] = { 0 };
	if (bytes > sizeof r)
		bytes = sizeof r;
	(void)RAND_bytes(r, (int)bytes);
	for (size_t i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

struct worker {
	struct tb_ctx *ctx;
	struct tb_credphase *p;
	struct tb_cp_iface *f;
	const struct tb_cp_lists *lists;
	int max_attempts;
	pthread_t th;
	int started;
};

static const struct tb_auth *control_for(const struct tb_cp_iface *f)
{
	const struct tb_auth *a = f->ifc.declared;
	return a && a->test_user ? a : NULL;
}

/* 1 when the list goes on; 0 with f->stopped set when it must stop. */
static int may_go_on(struct worker *w, int in_a_row)
{
	struct tb_cp_iface *f = w->f;
	if (tb_net_stop_requested())
		snprintf(f->stopped, sizeof f->stopped, "the run was interrupted");
	else if (tb_now_ms() > w->p->budget_end)
		snprintf(f->stopped, sizeof f->stopped, "the phase's time budget ran out");
	else if (in_a_row >= MAX_UNANSWERED_IN_A_ROW)
		snprintf(f->stopped, sizeof f->stopped, "%d attempts in a row without a clear answer",
			 in_a_row);
	return f->stopped[0] == 0;
}

/* SNMP goes through its whole (short) community list: one community may
 * only read and another write, and both are findings. */
static void guess_list(struct worker *w, const struct credlist *l, int in_a_row)
{
	struct tb_cp_iface *f = w->f;
	int every = strcmp(f->ifc.drv->service, "snmp") == 0;
	for (size_t i = 0; i < l->n && (int)i < w->max_attempts; i++) {
		if (!may_go_on(w, in_a_row))
			return; /* f->stopped says why: the judges read it */
		const struct cred *c = &l->v[i];
		enum tb_login_outcome o =
			tb_credphase_guess(w->ctx, w->p, f, c->user, c->pass, TB_CP_GUESS);
		in_a_row = o == TB_LOGIN_REJECTED || o == TB_LOGIN_ACCEPTED ? 0 : in_a_row + 1;
		if (o == TB_LOGIN_ACCEPTED) {
			char cred[300];
			cred_text(f, c->user, c->pass, TB_CP_GUESS, cred, sizeof cred);
			size_t fl = strlen(f->first_guess);
			if (!f->guessed++)
				snprintf(f->first_guess, sizeof f->first_guess, "%s as %s", f->ifc.name,
					 cred);
			else
				snprintf(f->first_guess + fl, sizeof f->first_guess - fl, ", %s", cred);
			if (!every)
				return; /* one confirmed login is enough; stop hammering */
			pause_ms(w->p->delay_ms);
			continue;
		}
		if (o == TB_LOGIN_REJECTED)
			f->rejected++;
		else
			f->unconfirmed++;
		pause_ms(w->p->delay_ms);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct tb_cp_iface *f = w->f;
	int snmp = strcmp(f->ifc.drv->service, "snmp") == 0;
	f->t0_ms = tb_now_ms();
	const struct tb_auth *ctl = control_for(f);
	if (ctl) {
		f->control_tried = 1;
		f->control_ok = tb_credphase_guess(w->ctx, w->p, f, ctl->test_user, ctl->test_pass,
						   TB_CP_CONTROL) == TB_LOGIN_ACCEPTED;
		pause_ms(w->p->delay_ms);
	}
	/* The negative control: a credential nobody set.  When it logs in, the
	 * interface checks no password, and guessing would prove nothing. */
	char ru[16] = "tb-", rp[40];
	random_hex(ru + 3, 4);
	random_hex(rp, 12);
	enum tb_login_outcome o =
		tb_credphase_guess(w->ctx, w->p, f, snmp ? "" : ru, rp, TB_CP_NEGATIVE);
	if (o == TB_LOGIN_ACCEPTED) {
		f->random_accepted = 1;
		snprintf(f->first_guess, sizeof f->first_guess,
			 "%s accepts any credential (a random one logged in): no password protects it",
			 f->ifc.name);
		return NULL;
	}
	/* An unclear answer to the negative control counts towards giving up:
	 * a device that never answers clearly costs three deadlines, not four. */
	int unclear = o != TB_LOGIN_REJECTED;
	if (o == TB_LOGIN_REJECTED)
		f->rejected++;
	else
		f->unconfirmed++;
	pause_ms(w->p->delay_ms);
	if (strcmp(f->ifc.drv->service, "ftp") == 0) {
		struct credlist anon = { 0 };
		credlist_add(&anon, "anonymous", 9, "anonymous@", 10);
		guess_list(w, &anon, unclear);
		credlist_free(&anon);
		if (f->guessed || f->stopped[0])
			return NULL;
	}
	guess_list(w, snmp ? w->lists->communities : w->lists->creds, unclear);
	return NULL;
}

/* ---- finding the interfaces ---- */

struct finder {
	struct tb_ctx *ctx;
	const struct tb_case *tc;
	struct tb_result *res;
	struct tb_credphase *p;
	char host[16];
};

static struct tb_cp_iface *add_iface(struct finder *fd, const struct tb_login_driver *drv,
				     uint16_t port, int tls, const char *path,
				     const struct tb_auth *declared)
{
	struct tb_credphase *p = fd->p;
	for (size_t i = 0; i < p->n; i++) {
		struct tb_login_iface *x = &p->v[i].ifc;
		if (x->drv == drv && x->port == port && strcmp(x->path, path ? path : "") == 0)
			return NULL;
	}
	if (p->n >= MAX_IFACES) {
		tb_ev_note(fd->res, "interfaces", "more than %d login interfaces: the rest not tried",
			   MAX_IFACES);
		return NULL;
	}
	struct tb_cp_iface *f = &p->v[p->n++];
	memset(f, 0, sizeof *f);
	f->ifc.drv = drv;
	f->ifc.addr = fd->ctx->profile->address;
	f->ifc.port = port;
	f->ifc.tls = tls;
	f->ifc.declared = declared;
	snprintf(f->ifc.path, sizeof f->ifc.path, "%s", path ? path : "");
	snprintf(f->ifc.name, sizeof f->ifc.name, "%s%s/%u%s", drv->service,
		 tls && strcmp(drv->service, "http") == 0 ? "s"
		 : tls                                    ? "+tls"
							  : "",
		 port, path ? path : "");
	return f;
}

static int wants(const struct tb_case *tc, const char *svc)
{
	const struct tb_param *v = tb_param_get(&tc->params, "services");
	if (!v)
		return 1;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->sl[i], svc) == 0)
			return 1;
	return 0;
}

/* Ports where a service may listen: the profile's declared services and
 * authentication entries of that protocol, the ports this run's exposure
 * sweep identified as it, and the usual ports when no sweep of the
 * transport ran (a sweep that found nothing there is believed). */
struct cand {
	uint16_t port;
	int tls;
	const struct tb_auth *declared;
};

static size_t add_cand(struct cand *c, size_t n, size_t cap, long port, int tls,
		       const struct tb_auth *declared)
{
	if (port < 1 || port > 65535)
		return n;
	for (size_t i = 0; i < n; i++)
		if (c[i].port == port) {
			c[i].tls |= tls;
			if (!c[i].declared)
				c[i].declared = declared;
			return n;
		}
	if (n < cap)
		c[n++] = (struct cand){ .port = (uint16_t)port, .tls = tls, .declared = declared };
	return n;
}

static size_t candidates(struct finder *fd, const char *service, const char *transport,
			 const uint16_t *usual, size_t nusual, const uint16_t *usual_tls,
			 size_t nusual_tls, struct cand *c, size_t cap)
{
	const struct tb_profile *pr = fd->ctx->profile;
	size_t n = 0;
	for (size_t i = 0; i < pr->nauths; i++)
		if (strcmp(pr->auths[i].protocol, service) == 0)
			n = add_cand(c, n, cap, pr->auths[i].port ? pr->auths[i].port : usual[0], 0,
				     &pr->auths[i]);
	for (size_t i = 0; i < pr->nservices; i++) {
		const struct tb_service *s = &pr->services[i];
		const char *tr = s->transport ? s->transport : "tcp";
		if (strcmp(s->protocol, service) == 0 && strcmp(tr, transport) == 0)
			n = add_cand(c, n, cap, s->port, s->tls, NULL);
	}
	const struct tb_surface *sf = fd->ctx->surface;
	int swept = sf && (strcmp(transport, "tcp") == 0 ? sf->tcp_case[0] : sf->udp_case[0]);
	for (size_t i = 0; sf && i < sf->n; i++) {
		const struct tb_endpoint *e = &sf->v[i];
		if (strcmp(e->transport, transport) != 0 || strcmp(e->addr, fd->host) != 0)
			continue;
		if (strcmp(e->protocol, service) == 0)
			n = add_cand(c, n, cap, e->port, 0, NULL);
		for (size_t k = 0; k < nusual_tls; k++)
			if (e->port == usual_tls[k] && strcmp(e->protocol, "tls") == 0)
				n = add_cand(c, n, cap, e->port, 1, NULL);
	}
	if (!swept) {
		for (size_t k = 0; k < nusual; k++)
			n = add_cand(c, n, cap, usual[k], 0, NULL);
		for (size_t k = 0; k < nusual_tls; k++)
			n = add_cand(c, n, cap, usual_tls[k], 1, NULL);
	}
	return n;
}

/* Does anything accept a TCP connection on port? (notes why not) */
static int listens(struct finder *fd, const char *name, uint16_t port, int quiet)
{
	int s;
	struct tb_diag d;
	if (tb_net_connect(&fd->ctx->net, fd->ctx->profile->address, port, &s, &d) != TB_OK) {
		if (!quiet)
			tb_ev_note(fd->res, name, "not tried: %s", d.msg);
		return 0;
	}
	tb_net_close(&s);
	return 1;
}

static void find_telnet(struct finder *fd)
{
	static const uint16_t usual[] = { 23 };
	struct cand c[64];
	size_t n = candidates(fd, "telnet", "tcp", usual, 1, NULL, 0, c, 64);
	const struct tb_param *tp = tb_param_get(&fd->tc->params, "telnet-ports");
	for (size_t i = 0; tp && i < tp->n; i++)
		n = add_cand(c, n, 64, tp->il[i], 0, NULL);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "telnet/%u", c[i].port);
		if (listens(fd, name, c[i].port, 0))
			add_iface(fd, &tb_login_telnet, c[i].port, 0, NULL, c[i].declared);
	}
}

static void record_probe(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	tb_ev_exchange(arg, hop->url, x->request, x->reqlen, x->raw,
		       x->err ? x->rawlen : x->resp.header_len);
}

/* Probe port/path without credentials: an interface when it answers 401
 * (after redirects within the scope).  declared: the profile's resource
 * (a miss is noted), else one of the usual admin paths (a miss is quiet
 * unless the port answered something other than a plain HTTP status). */
static void http_probe(struct finder *fd, uint16_t port, const char *path,
		       const struct tb_auth *declared, int *no_http)
{
	if (!path || path[0] != '/' || strlen(path) >= sizeof fd->p->v[0].ifc.path)
		return;
	for (size_t i = 0; i < fd->p->n; i++)
		if (fd->p->v[i].ifc.drv == &tb_login_http && fd->p->v[i].ifc.port == port &&
		    strcmp(fd->p->v[i].ifc.path, path) == 0)
			return;
	int tls = tb_http_port_tls(fd->ctx, port);
	char name[700];
	snprintf(name, sizeof name, "%s/%u%s%s", tls ? "https" : "http", port, path,
		 declared ? "" : " (found by probing)");
	struct tb_http_req rq = { .addr = fd->ctx->profile->address,
				  .port = port,
				  .path = path,
				  .timeout_ms = 5000,
				  .tls = tls };
	struct tb_http_follow f;
	struct tb_http_digest dg = { 0 };
	struct tb_diag why = { .msg = "" };
	tb_http_get_follow(&fd->ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, declared ? record_probe : NULL,
			   fd->res, &f);
	const struct tb_http_exchange *hr = &f.last;
	int digest = 0;
	if (no_http && hr->err)
		*no_http = 1;
	if (f.end != TB_FOLLOW_DONE)
		tb_ev_note(fd->res, name, "not tried: %s", f.why);
	else if (hr->err && (declared || hr->err != TB_E_REFUSED || hr->rawlen))
		tb_ev_note(fd->res, name, "not tried: %s", hr->why);
	else if (!hr->err && hr->resp.status != 401 && declared)
		tb_ev_note(fd->res, name,
			   "not tried: answered HTTP %d without credentials (not a Basic login)",
			   hr->resp.status);
	else if (!hr->err && hr->resp.status == 401 &&
		 (digest = tb_login_http_scheme(hr, &dg, &why)) < 0)
		tb_ev_note(fd->res, name,
			   "not tried: HTTP 401 without a Basic or supported Digest challenge (%s)",
			   why.msg);
	else if (!hr->err && hr->resp.status == 401) {
		struct tb_cp_iface *x = add_iface(fd, &tb_login_http, port, tls, path, declared);
		if (x) {
			x->ifc.digest = digest;
			x->ifc.found_by_probing = !declared;
			snprintf(x->ifc.name, sizeof x->ifc.name, "%s", name);
		}
		if (digest)
			tb_ev_note(fd->res, name, "HTTP Digest (%s): guessed with Digest",
				   dg.sha256 ? "SHA-256" : "MD5");
		if (!declared) {
			record_probe(fd->res, &f.hops[f.nhops - 1], hr);
			tb_ev_note(fd->res, name,
				   "asks for credentials (HTTP 401) although no login is declared "
				   "there: tried");
		}
	}
	tb_http_follow_free(&f);
}

/* The usual admin paths on one port; a port that gives no complete HTTP
 * answer to one of them is not asked again (a stalling device would cost
 * a deadline per path). */
static void probe_admin_paths(struct finder *fd, uint16_t port)
{
	const struct tb_param *paths = tb_param_get(&fd->tc->params, "admin-paths");
	int no_http = 0;
	for (size_t i = 0; paths && i < paths->n && !no_http; i++)
		http_probe(fd, port, paths->sl[i], NULL, &no_http);
	if (no_http)
		tb_ev_note(fd->res, "admin paths",
			   "port %u gave no complete HTTP answer: its other admin paths not probed",
			   port);
}

static int is_web(const struct tb_service *s)
{
	return (strcmp(s->protocol, "http") == 0 || strcmp(s->protocol, "https") == 0) &&
	       (!s->transport || strcmp(s->transport, "tcp") == 0);
}

/* HTTP logins: declared http-basic resources and the usual admin paths on
 * every web port (declared, or identified as HTTP by this run's sweep)
 * that really answer 401 without credentials. */
static void find_http(struct finder *fd)
{
	const struct tb_profile *p = fd->ctx->profile;
	for (size_t i = 0; i < p->nauths; i++) {
		const struct tb_auth *a = &p->auths[i];
		if (strcmp(a->protocol, "http-basic") == 0 || strcmp(a->protocol, "http-digest") == 0)
			http_probe(fd, (uint16_t)(a->port ? a->port : 80), a->path, a, NULL);
		else if (strcmp(a->protocol, "http-form") == 0)
			/* Declared forms only: the driver checks on its first attempt
			 * that the protected page refuses without a session. */
			add_iface(fd, &tb_login_httpform, (uint16_t)a->port,
				  tb_http_port_tls(fd->ctx, (uint16_t)a->port), a->path, a);
	}
	for (size_t s = 0; s < p->nservices; s++)
		if (is_web(&p->services[s]))
			probe_admin_paths(fd, (uint16_t)p->services[s].port);
	const struct tb_surface *sf = fd->ctx->surface;
	for (size_t s = 0; sf && s < sf->n; s++) {
		const struct tb_endpoint *e = &sf->v[s];
		if (strcmp(e->transport, "tcp") == 0 && strcmp(e->addr, fd->host) == 0 &&
		    strcmp(e->protocol, "http") == 0)
			probe_admin_paths(fd, e->port);
	}
}

/* SSH: an interface where the server offers a password (or lets anyone
 * in); a server that offers only keys has no password to guess. */
static void find_ssh(struct finder *fd)
{
	static const uint16_t usual[] = { 22 };
	struct cand c[32];
	size_t n = candidates(fd, "ssh", "tcp", usual, 1, NULL, 0, c, 32);
	for (size_t i = 0; i < n; i++) {
		char name[32], methods[128];
		snprintf(name, sizeof name, "ssh/%u", c[i].port);
		int s;
		struct tb_diag d;
		if (tb_net_connect(&fd->ctx->net, fd->ctx->profile->address, c[i].port, &s, &d) !=
		    TB_OK) {
			if (c[i].declared || !fd->ctx->surface || !fd->ctx->surface->tcp_case[0])
				tb_ev_note(fd->res, name, "not tried: %s", d.msg);
			continue;
		}
		struct tb_sshc_auth a;
		tb_sshc_auth_methods(s, fd->host, "root", tb_now_ms() + ATTEMPT_MS, &a);
		tb_net_close(&s);
		if (a.outcome == TB_SSHC_NONE_OK ||
		    (a.outcome == TB_SSHC_LISTED && tb_sshc_password_like(a.methods))) {
			add_iface(fd, &tb_login_ssh, c[i].port, 0, NULL, c[i].declared);
		} else if (a.outcome == TB_SSHC_LISTED) {
			tb_sshc_methods_text(a.methods, methods, sizeof methods);
			tb_ev_note(fd->res, name, "no password login: the server offers %s", methods);
		} else {
			tb_ev_note(fd->res, name, "not tried: %s", a.why);
		}
	}
}

/* Services where a connection is all discovery can ask: MQTT, FTP. */
static void find_by_connect(struct finder *fd, const struct tb_login_driver *drv, const uint16_t *usual,
			    size_t nusual, const uint16_t *usual_tls, size_t nusual_tls)
{
	struct cand c[32];
	size_t n = candidates(fd, drv->service, "tcp", usual, nusual, usual_tls, nusual_tls, c, 32);
	for (size_t i = 0; i < n; i++) {
		char name[48];
		snprintf(name, sizeof name, "%s/%u", drv->service, c[i].port);
		int quiet = !c[i].declared && !(fd->ctx->surface && fd->ctx->surface->tcp_case[0]);
		if (listens(fd, name, c[i].port, quiet))
			add_iface(fd, drv, c[i].port, c[i].tls, NULL, c[i].declared);
	}
}

static void find_rtsp(struct finder *fd)
{
	static const uint16_t usual[] = { 554 };
	static const char *const paths[] = { "/", "/live", "/stream1", "/h264", "/ch0_0.h264" };
	struct cand c[16];
	size_t n = candidates(fd, "rtsp", "tcp", usual, 1, NULL, 0, c, 16);
	for (size_t i = 0; i < n; i++) {
		char name[48], why[256] = "";
		snprintf(name, sizeof name, "rtsp/%u", c[i].port);
		int quiet = !c[i].declared && !(fd->ctx->surface && fd->ctx->surface->tcp_case[0]);
		if (!listens(fd, name, c[i].port, quiet))
			continue;
		/* The declared stream first, then the usual ones. */
		const char *try[sizeof paths / sizeof paths[0] + 1];
		size_t ntry = 0;
		if (c[i].declared && c[i].declared->path && c[i].declared->path[0] == '/')
			try[ntry++] = c[i].declared->path;
		for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++)
			try[ntry++] = paths[k];
		int found = 0;
		for (size_t k = 0; k < ntry && !found; k++) {
			int needs_auth = 0, digest = 0;
			if (tb_login_rtsp_probe(fd->ctx, fd->ctx->profile->address, c[i].port, try[k],
						&needs_auth, &digest, why, sizeof why) != 0)
				break; /* not RTSP: no other path will be */
			if (!needs_auth)
				continue;
			struct tb_cp_iface *x =
				add_iface(fd, &tb_login_rtsp, c[i].port, 0, try[k], c[i].declared);
			if (x)
				x->ifc.digest = digest;
			found = 1;
		}
		if (!found)
			tb_ev_note(fd->res, name, "no RTSP login found%s%s", why[0] ? ": " : "", why);
	}
}

static void find_snmp(struct finder *fd)
{
	static const uint16_t usual[] = { 161 };
	struct cand c[16];
	size_t n = candidates(fd, "snmp", "udp", usual, 1, NULL, 0, c, 16);
	for (size_t i = 0; i < n; i++) {
		char name[48], why[256] = "";
		int64_t rtt = 0;
		snprintf(name, sizeof name, "snmp/%u", c[i].port);
		if (tb_login_snmp_probe(fd->ctx, fd->ctx->profile->address, c[i].port, why, sizeof why,
					&rtt) == 1) {
			struct tb_cp_iface *x =
				add_iface(fd, &tb_login_snmp, c[i].port, 0, NULL, c[i].declared);
			struct tb_login_snmp_state *st = x ? tb_xcalloc(1, sizeof *st) : NULL;
			if (x) {
				st->rtt_ms = rtt > 0 ? rtt : 1;
				x->ifc.state = st;
			}
		} else if (c[i].declared || (fd->ctx->surface && fd->ctx->surface->udp_case[0]))
			tb_ev_note(fd->res, name, "not tried: no SNMP agent answered%s%s",
				   why[0] ? ": " : "", why);
	}
}

static void find_interfaces(struct finder *fd)
{
	static const uint16_t mqtt[] = { 1883 }, mqtt_tls[] = { 8883 }, ftp[] = { 21 };
	if (wants(fd->tc, "telnet"))
		find_telnet(fd);
	if (wants(fd->tc, "http"))
		find_http(fd);
	if (wants(fd->tc, "ssh"))
		find_ssh(fd);
	if (wants(fd->tc, "mqtt"))
		find_by_connect(fd, &tb_login_mqtt, mqtt, 1, mqtt_tls, 1);
	if (wants(fd->tc, "ftp"))
		find_by_connect(fd, &tb_login_ftp, ftp, 1, NULL, 0);
	if (wants(fd->tc, "rtsp"))
		find_rtsp(fd);
	if (wants(fd->tc, "snmp"))
		find_snmp(fd);
}

/* ---- the evidence ---- */

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

static void write_evidence(struct tb_ctx *ctx, struct tb_result *res, struct tb_cp_iface *f)
{
	char fname[96], scheme[16];
	snprintf(scheme, sizeof scheme, "%s%s", f->ifc.drv->service,
		 f->ifc.tls ? (strcmp(f->ifc.drv->service, "http") == 0 ? "s" : "-tls") : "");
	path_file_name(fname, sizeof fname, scheme, f->ifc.port, f->ifc.path);
	if (f->log.buf && tb_ev_file(ctx, res, fname, f->log.buf, f->log.len) != TB_OK)
		tb_ev_note(res, f->ifc.name, "could not write %s", fname);
	if (f->proof_label[0])
		tb_ev_exchange(res, f->proof_label, f->sent, f->sentlen, f->got, f->gotlen);
	tb_ev_note(res, f->ifc.name,
		   "%zu guesses in %.1f s: %d rejected, %d without a clear answer, %d throttling "
		   "answers%s%s%s%s; transcript %s",
		   f->natt,
		   f->natt ? (double)(f->att[f->natt - 1].at_ms + f->att[f->natt - 1].took_ms) / 1000.0
			   : 0.0,
		   f->rejected, f->unconfirmed, f->throttled, f->first_guess[0] ? "; " : "",
		   f->first_guess, f->stopped[0] ? "; stopped: " : "", f->stopped, fname);
	if (f->control_tried)
		tb_ev_note(res, f->ifc.name, "the declared test credential %s",
			   f->control_ok ? "logged in (positive control)"
					 : "did NOT log in: refusals here prove little");
	if (f->finding[0])
		tb_ev_note(res, f->ifc.name, "%s", f->finding);
	/* The first refusal and unclear answer say why better than a count. */
	if (f->proof_label[0])
		tb_ev_note(res, f->ifc.name, "%s: %s", f->proof_label, f->proof_detail);
	if (f->first_refusal[0])
		tb_ev_note(res, f->ifc.name, "first refusal: %s", f->first_refusal);
	if (f->first_unclear[0])
		tb_ev_note(res, f->ifc.name, "first unclear answer: %s", f->first_unclear);
}

/* ---- the phase ---- */

void tb_cp_list_add(char *buf, size_t cap, const char *item)
{
	size_t l = strlen(buf);
	if (l + 4 < cap)
		snprintf(buf + l, cap - l, "%s%s", l ? "; " : "", item);
}

void tb_credphase_free(struct tb_credphase *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		tb_login_log_free(&p->v[i].log);
		free(p->v[i].att);
		free(p->v[i].ifc.state);
	}
	free(p->v);
	free(p);
}

static void run_workers(struct tb_ctx *ctx, struct tb_credphase *p, const struct tb_case *tc,
			const struct tb_cp_lists *lists)
{
	struct worker *w = tb_xcalloc(p->n ? p->n : 1, sizeof *w);
	for (size_t i = 0; i < p->n; i++) {
		w[i] = (struct worker){ .ctx = ctx,
					.p = p,
					.f = &p->v[i],
					.lists = lists,
					.max_attempts =
						(int)tb_param_int(&tc->params, "max-attempts") };
		w[i].started = pthread_create(&w[i].th, NULL, work, &w[i]) == 0;
		if (!w[i].started)
			work(&w[i]); /* no thread to be had: this interface runs here */
	}
	for (size_t i = 0; i < p->n; i++)
		if (w[i].started)
			pthread_join(w[i].th, NULL);
	free(w);
}

static struct tb_credphase *run_phase(struct tb_ctx *ctx, const struct tb_case *tc,
				      struct tb_result *res, const struct tb_cp_lists *lists)
{
	struct tb_credphase *p = tb_xcalloc(1, sizeof *p);
	p->v = tb_xcalloc(MAX_IFACES, sizeof *p->v);
	snprintf(p->ran_by, sizeof p->ran_by, "%s", tc->id ? tc->id : "");
	p->ran_case = tc;
	p->delay_ms = (int)tb_param_int(&tc->params, "attempt-delay-ms");
	int64_t start = tb_now_ms();
	p->budget_end = start + 1000 * tb_param_int(&tc->params, "time-budget-s");
	struct finder fd = { .ctx = ctx, .tc = tc, .res = res, .p = p };
	tb_ipv4_format(ctx->profile->address, fd.host);
	find_interfaces(&fd);
	run_workers(ctx, p, tc, lists);
	p->took_ms = tb_now_ms() - start;
	p->interrupted = tb_net_stop_requested();
	p->out_of_time = tb_now_ms() > p->budget_end;
	for (size_t i = 0; i < p->n; i++)
		write_evidence(ctx, res, &p->v[i]);
	tb_ev_note(res, "credential phase",
		   "ran here: %zu login interfaces tried at once, %lu guesses, %.1f s; later cases of "
		   "this run judge these attempts instead of repeating them",
		   p->n, p->attempts, (double)p->took_ms / 1000.0);
	return p;
}

static int param_same(const struct tb_param *x, const struct tb_param *y)
{
	if (!x || !y)
		return x == y;
	if (x->i != y->i || x->b != y->b || x->n != y->n || !x->s != !y->s ||
	    (x->s && strcmp(x->s, y->s) != 0) || !x->sl != !y->sl || !x->il != !y->il)
		return 0;
	for (size_t k = 0; k < x->n; k++)
		if ((x->sl && strcmp(x->sl[k], y->sl[k]) != 0) || (x->il && x->il[k] != y->il[k]))
			return 0;
	return 1;
}

/* The phase's parameters this case sets otherwise than the case that ran
 * it, comma-separated into out ("" when none). */
static void params_differing(const struct tb_case *ran, const struct tb_case *tc, char *out, size_t cap)
{
	static const char *const names[] = { "services",         "telnet-ports",
					     "admin-paths",      "list",
					     "snmp-communities", "max-attempts",
					     "attempt-delay-ms", "time-budget-s" };
	out[0] = '\0';
	for (size_t i = 0; ran && i < sizeof names / sizeof *names; i++) {
		const struct tb_param *mine = tb_param_get(&tc->params, names[i]);
		/* a family that only reads the phase does not take them all */
		if (mine && !param_same(tb_param_get(&ran->params, names[i]), mine))
			tb_cp_list_add(out, cap, names[i]);
	}
}

struct tb_credphase *tb_credphase_get(struct tb_ctx *ctx, const struct tb_case *tc,
				      struct tb_result *res, int *mine)
{
	*mine = 0;
	if (ctx->creds && *ctx->creds) {
		struct tb_credphase *p = *ctx->creds;
		char differ[256];
		tb_ev_note(res, "credential phase",
			   "not repeated: judged from the phase test case %s ran (%zu login "
			   "interfaces, %lu guesses, %.1f s; its evidence is there)",
			   p->ran_by, p->n, p->attempts, (double)p->took_ms / 1000.0);
		params_differing(p->ran_case, tc, differ, sizeof differ);
		if (differ[0])
			tb_ev_note(res, "credential phase",
				   "this case sets %s otherwise than %s did; the phase ran once, "
				   "with the parameters of %s",
				   differ, p->ran_by, p->ran_by);
		return p;
	}
	const struct tb_cp_lists *lists = tc->prep;
	if (!lists) { /* a suite parsed from memory is never prepared */
		tb_result_set(res, TB_V_ERROR, "the credential list was not loaded with the suite");
		return NULL;
	}
	struct tb_credphase *p = run_phase(ctx, tc, res, lists);
	if (ctx->creds)
		*ctx->creds = p;
	else
		*mine = 1;
	return p;
}
