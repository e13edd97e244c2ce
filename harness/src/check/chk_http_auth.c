/* chk_http_auth.c: is any administrative path of the device's web
 * interface reachable without authentication (5.5-5)?
 *
 * Paths: the declared http-basic resources of the profile plus the suite's
 * `paths` on every declared web service (http or https) and every port this
 * run's exposure sweep identified as HTTP.  Each is fetched once without
 * credentials, over TLS where the port speaks TLS (check/http_common.h),
 * following redirects within the scope (net/httpc.h): 401/403 is
 * protected, 404 means the path does not exist, a 2xx is judged by its page
 * (proto/p_loginform.h): a login form and nothing else asks for
 * authentication (many devices answer 200 with their login page), a page
 * without a login form is a device function served unauthenticated (FAIL),
 * a login form beside other controls is undecided; other statuses are
 * recorded and left undecided.  A 2xx reached by a redirect to another page
 * that is no login form is undecided, not open: only the same resource
 * ("/admin" -> "/admin/") counts.
 *
 * Settings changed through other interfaces come from the run's credential
 * phase (check/credphase.h) when a case ran it earlier: an SNMP community
 * from the well-known list that could write (set and restored), or an
 * interface that lets any credential in, changes settings without real
 * authentication (FAIL).  This family never runs the intrusive phase
 * itself; without it the report says what was not examined.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check/credphase.h"
#include "check/surface.h"
#include "proto/p_location.h"

#include "check/family.h"
#include "check/chk_http_auth_internal.h"
#include "check/http_common.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/httpc.h"
#include "proto/p_loginform.h"
#include "result/result.h"

#define MAX_TARGETS 32

static const struct tb_param_def params[] = {
	{ .name = "paths",
	  .type = TB_P_STRLIST,
	  .help = "admin paths tried on every http service",
	  .dflt = TB_HTTP_ADMIN_PATHS_DEFAULT },
	{ .name = "timeout-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 60000,
	  .help = "deadline per request",
	  .dflt = "5000" },
};

struct target {
	uint16_t port;
	const char *path;
};

/* OUT_TO_TLS: the path only redirects to HTTPS on the device itself, where
 * a target of its own judges the same path. */
enum outcome { OUT_OPEN, OUT_PROTECTED, OUT_ABSENT, OUT_UNDECIDED, OUT_TO_TLS, OUT_CLOSED };

/* Classify one unauthenticated answer. */
TB_UNITTEST int http_auth_classify(int status)
{
	if (status >= 200 && status < 300)
		return OUT_OPEN;
	if (status == 401 || status == 403)
		return OUT_PROTECTED;
	if (status == 404 || status == 410)
		return OUT_ABSENT;
	return OUT_UNDECIDED;
}

/* Classify a 2xx answer by its page: does it grant the admin function or
 * only ask for a login?  why gets what the page showed. */
TB_UNITTEST int http_auth_classify_page(const uint8_t *body, size_t len, char *why, size_t cap)
{
	struct tb_page_facts f;
	enum tb_page_kind k = tb_p_login_page(body, len, &f);
	if (k == TB_PAGE_LOGIN_FORM) {
		snprintf(why, cap, "a login form (1 password field, no other control)");
		return OUT_PROTECTED;
	}
	if (k == TB_PAGE_UNJUDGED) {
		snprintf(why, cap,
			 "a page too long or with too many tags to judge (%zu bytes, %u tags)", len,
			 f.tags);
		return OUT_UNDECIDED;
	}
	if (k == TB_PAGE_MIXED) {
		snprintf(why, cap,
			 "a login form beside %u other control(s) in %u form(s): whether the page "
			 "grants anything needs an examiner",
			 f.other_controls, f.forms);
		return OUT_UNDECIDED;
	}
	snprintf(why, cap,
		 "a page with no login form (%zu bytes, %u form(s), %u data control(s), %u password "
		 "field(s))",
		 len, f.forms, f.other_controls, f.password_fields);
	return OUT_OPEN;
}

static size_t add(struct target *t, size_t n, uint16_t port, const char *path)
{
	if (!path || path[0] != '/' || n >= MAX_TARGETS)
		return n;
	for (size_t i = 0; i < n; i++)
		if (t[i].port == port && strcmp(t[i].path, path) == 0)
			return n;
	t[n].port = port;
	t[n].path = path;
	return n + 1;
}

static int is_web(const char *protocol)
{
	return strcmp(protocol, "http") == 0 || strcmp(protocol, "https") == 0;
}

static size_t targets(const struct tb_ctx *ctx, const struct tb_params *pp, struct target *t)
{
	const struct tb_profile *p = ctx->profile;
	size_t n = 0;
	const struct tb_param *paths = tb_param_get(pp, "paths");
	for (size_t i = 0; i < p->nauths; i++)
		if (strcmp(p->auths[i].protocol, "http-basic") == 0)
			n = add(t, n, (uint16_t)(p->auths[i].port ? p->auths[i].port : 80),
				p->auths[i].path);
	for (size_t s = 0; s < p->nservices; s++) {
		if (!is_web(p->services[s].protocol) ||
		    (p->services[s].transport && strcmp(p->services[s].transport, "tcp") != 0))
			continue;
		for (size_t i = 0; paths && i < paths->n; i++)
			n = add(t, n, (uint16_t)p->services[s].port, paths->sl[i]);
	}
	char host[16];
	tb_ipv4_format(p->address, host);
	const struct tb_surface *sf = ctx->surface;
	for (size_t s = 0; sf && s < sf->n; s++) {
		const struct tb_endpoint *e = &sf->v[s];
		if (strcmp(e->transport, "tcp") != 0 || strcmp(e->addr, host) != 0 ||
		    strcmp(e->protocol, "http") != 0)
			continue;
		for (size_t i = 0; paths && i < paths->n; i++)
			n = add(t, n, e->port, paths->sl[i]);
	}
	return n;
}

/* Every request of a chain goes into the evidence under its URL. */
static void record_hop(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	tb_ev_exchange(arg, hop->url, x->request, x->reqlen, x->raw, x->rawlen);
}

/* A redirect the client refused to follow that goes to https:// on the
 * device itself, to a port and path probed as a target of their own over
 * TLS: then the plain-HTTP path serves nothing and the HTTPS one is judged
 * where it is.  Returns 1 and the URL in out. */
static int redirect_to_own_tls(struct tb_ctx *ctx, const struct tb_http_resp *h,
			       const struct target *all, size_t n, char *out, size_t cap)
{
	static const char https[] = "https://";
	const size_t k = sizeof https - 1;
	char v[TB_LOCATION_MAX + 1], path[TB_LOCATION_MAX + 1];
	if (!h->location || h->location_len <= k || h->location_len > TB_LOCATION_MAX - 1 ||
	    strncasecmp((const char *)h->location, https, k) != 0)
		return 0;
	/* Read it as the http:// URL it would be, then put the TLS default port. */
	int len = snprintf(v, sizeof v, "http://%.*s", (int)(h->location_len - k),
			   (const char *)h->location + k);
	uint32_t addr = ctx->profile->address;
	uint16_t port = 80;
	struct tb_diag d = { .msg = "" };
	if (len <= 0 || tb_p_location((const uint8_t *)v, (size_t)len, &addr, &port, path, sizeof path,
				      &d) != TB_OK)
		return 0;
	const char *host = v + 7;
	if (host[strcspn(host, ":/")] != ':')
		port = 443;
	if (addr != ctx->profile->address || !tb_http_port_tls(ctx, port))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].port == port && tb_http_same_resource(all[i].path, path)) {
			snprintf(out, cap, "https://%.*s", (int)(h->location_len - k),
				 (const char *)h->location + k);
			return 1;
		}
	return 0;
}

/* Fetch one admin path without credentials and classify it. */
static int probe(struct tb_ctx *ctx, const struct target *t, const struct target *all, size_t n,
		 int tmo, struct tb_result *res, char *url, size_t urlcap)
{
	struct tb_http_req rq = { .addr = ctx->profile->address,
				  .port = t->port,
				  .path = t->path,
				  .timeout_ms = tmo,
				  .tls = tb_http_port_tls(ctx, t->port) };
	struct tb_http_follow f;
	static const char *const what[] = { "served WITHOUT authentication",
					    "asks for authentication",
					    "does not exist",
					    "undecided",
					    "redirects to HTTPS",
					    "port closed" };
	int o;
	char tls_url[TB_LOCATION_MAX + 1];
	tb_http_url(&rq, url, urlcap);
	tb_http_get_follow(&ctx->net, &rq, TB_HTTP_AUTH_MAX_HOPS, record_hop, res, &f);
	const struct tb_http_exchange *hr = &f.last;
	const char *via = f.nhops > 1 ? f.hops[f.nhops - 1].url : NULL;
	if (f.end == TB_FOLLOW_REFUSED &&
	    redirect_to_own_tls(ctx, &hr->resp, all, n, tls_url, sizeof tls_url)) {
		o = OUT_TO_TLS;
		tb_ev_note(res, url,
			   "HTTP %d to %s: served only over HTTPS on the device, where that path is "
			   "probed as a target of its own",
			   hr->resp.status, tls_url);
	} else if (f.end != TB_FOLLOW_DONE) {
		o = OUT_UNDECIDED;
		tb_ev_note(res, url, "undecided: %s", f.why);
	} else if (hr->err == TB_E_REFUSED && hr->rawlen == 0 && f.nhops == 1) {
		o = OUT_CLOSED;
		tb_ev_note(res, url, "port closed%s", rq.tls ? " (TLS port)" : "");
	} else if (hr->err) {
		o = OUT_UNDECIDED;
		tb_ev_note(res, url, "undecided: %s", hr->why);
	} else {
		o = http_auth_classify(hr->resp.status);
		char page[200];
		if (o == OUT_OPEN) {
			o = http_auth_classify_page(hr->body, hr->bodylen, page, sizeof page);
			tb_ev_note(res, url, "HTTP %d page: %s", hr->resp.status, page);
		}
		if (o == OUT_OPEN && via && !tb_http_same_resource(t->path, f.final.path))
			o = OUT_UNDECIDED; /* another page that is no login form */
		tb_ev_note(res, url, "HTTP %d without credentials%s%s%s: %s", hr->resp.status,
			   via ? " after redirects to " : "", via ? via : "",
			   hr->tls ? " (over TLS)" : "", what[o]);
	}
	tb_http_follow_free(&f);
	return o;
}

/* What the run's credential phase showed that changes settings without
 * real authentication; the first such interface in first.  Returns how
 * many. */
static unsigned phase_findings(struct tb_ctx *ctx, struct tb_result *res, char *first, size_t cap)
{
	const struct tb_credphase *p = ctx->creds ? *ctx->creds : NULL;
	if (!p) {
		tb_ev_note(res, "credential phase",
			   "not run in this run (default-credentials runs it, with lab.intrusive: "
			   "true): settings changed through well-known SNMP communities or other "
			   "login interfaces were not examined here");
		return 0;
	}
	unsigned n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct tb_cp_iface *f = &p->v[i];
		char what[600] = "";
		if (f->can_write)
			snprintf(what, sizeof what, "%s: %s", f->ifc.name, f->finding);
		else if (f->random_accepted)
			snprintf(what, sizeof what, "%s", f->first_guess);
		if (!what[0])
			continue;
		tb_ev_note(res, f->ifc.name, "changes settings without real authentication: %s", what);
		if (!n++)
			snprintf(first, cap, "%s", what);
	}
	tb_ev_note(res, "credential phase",
		   "judged from the phase test case %s ran (%zu login interfaces): %u let settings "
		   "change without real authentication",
		   p->ran_by, p->n, n);
	return n;
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct target t[MAX_TARGETS];
	size_t n = targets(ctx, &tc->params, t);
	unsigned cnt[OUT_CLOSED + 1] = { 0 };
	char first_open[300] = "";
	int tmo = (int)tb_param_int(&tc->params, "timeout-ms");

	for (size_t i = 0; i < n; i++) {
		char url[300];
		int o = probe(ctx, &t[i], t, n, tmo, res, url, sizeof url);
		if (o == OUT_OPEN && !first_open[0])
			snprintf(first_open, sizeof first_open, "%s", url);
		cnt[o]++;
	}
	char first_other[600] = "";
	unsigned others = phase_findings(ctx, res, first_other, sizeof first_other);
	if (cnt[OUT_OPEN])
		tb_result_set(res, TB_V_FAIL,
			      "%u admin path(s) answer without authentication, first %s%s%s",
			      cnt[OUT_OPEN], first_open, others ? "; and " : "", first_other);
	else if (others)
		tb_result_set(
			res, TB_V_FAIL,
			"%u login interface(s) let settings change without real authentication: %s",
			others, first_other);
	else if (cnt[OUT_UNDECIDED])
		tb_result_set(res, TB_V_INCONCLUSIVE, "%u admin path(s) gave no usable answer",
			      cnt[OUT_UNDECIDED]);
	else if (cnt[OUT_TO_TLS] && !cnt[OUT_PROTECTED])
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "%u admin path(s) only redirect to HTTPS on the device, and no path "
			      "there gave an answer that could be judged",
			      cnt[OUT_TO_TLS]);
	else if (cnt[OUT_PROTECTED] && cnt[OUT_TO_TLS])
		tb_result_set(res, TB_V_PASS,
			      "every admin path that exists (%u) requires authentication; %u more "
			      "only redirect to HTTPS on the device, where they are judged",
			      cnt[OUT_PROTECTED], cnt[OUT_TO_TLS]);
	else if (cnt[OUT_PROTECTED])
		tb_result_set(res, TB_V_PASS,
			      "every admin path that exists (%u) requires authentication",
			      cnt[OUT_PROTECTED]);
	else
		tb_result_set(res, TB_V_INCONCLUSIVE, "none of the %zu admin path(s) tried exists", n);
}

const struct tb_check_family tb_check_http_auth = {
	.name = "http-auth",
	.summary =
		"fetches declared and configured admin paths without credentials: a 2xx page "
		"that is not a login form fails",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
