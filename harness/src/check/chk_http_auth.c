/* chk_http_auth.c: is any administrative path of the device's web
 * interface reachable without authentication (5.5-5)?
 *
 * Paths: the declared http-basic resources of the profile plus the suite's
 * `paths`.  Each is fetched once without credentials: 2xx is a device
 * function served unauthenticated (FAIL), 401/403 is protected, 404 means
 * the path does not exist, anything else is recorded and left undecided.
 */
#include <stdio.h>
#include <string.h>

#include "check/family.h"
#include "check/chk_http_auth_internal.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/httpc.h"
#include "result/result.h"

#define MAX_TARGETS 32

static const struct tb_param_def params[] = {
	{ .name = "paths", .type = TB_P_STRLIST, .help = "admin paths tried on every http service" },
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

enum outcome { OUT_OPEN, OUT_PROTECTED, OUT_ABSENT, OUT_UNDECIDED, OUT_CLOSED };

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

static size_t targets(const struct tb_profile *p, const struct tb_params *pp, struct target *t)
{
	size_t n = 0;
	const struct tb_param *paths = tb_param_get(pp, "paths");
	for (size_t i = 0; i < p->nauths; i++)
		if (strcmp(p->auths[i].protocol, "http-basic") == 0)
			n = add(t, n, (uint16_t)(p->auths[i].port ? p->auths[i].port : 80),
				p->auths[i].path);
	for (size_t s = 0; s < p->nservices; s++) {
		if (strcmp(p->services[s].protocol, "http") != 0 || p->services[s].tls)
			continue;
		for (size_t i = 0; paths && i < paths->n; i++)
			n = add(t, n, (uint16_t)p->services[s].port, paths->sl[i]);
	}
	return n;
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct target t[MAX_TARGETS];
	size_t n = targets(ctx->profile, &tc->params, t);
	unsigned cnt[OUT_CLOSED + 1] = { 0 };
	char first_open[300] = "", host[16];
	int tmo = (int)tb_param_int(&tc->params, "timeout-ms");

	tb_ipv4_format(ctx->profile->address, host);
	for (size_t i = 0; i < n; i++) {
		char url[300];
		struct tb_http_req rq = { .addr = ctx->profile->address,
					  .port = t[i].port,
					  .path = t[i].path,
					  .timeout_ms = tmo };
		struct tb_http_exchange hr;
		int o;

		snprintf(url, sizeof url, "http://%s:%u%s", host, t[i].port, t[i].path);
		tb_http_get(&ctx->net, &rq, &hr);
		tb_ev_exchange(res, url, hr.request, hr.reqlen, hr.raw, hr.rawlen);
		if (hr.err == TB_E_REFUSED && hr.rawlen == 0)
			o = OUT_CLOSED;
		else if (hr.err)
			o = OUT_UNDECIDED;
		else
			o = http_auth_classify(hr.resp.status);
		static const char *const what[] = { "served WITHOUT authentication",
						    "asks for authentication", "does not exist",
						    "undecided", "port closed" };
		if (hr.err && o != OUT_CLOSED)
			tb_ev_note(res, url, "undecided: %s", hr.why);
		else
			tb_ev_note(res, url, "HTTP %d without credentials: %s",
				   hr.err ? 0 : hr.resp.status, what[o]);
		if (o == OUT_OPEN && !first_open[0])
			snprintf(first_open, sizeof first_open, "%s", url);
		cnt[o]++;
		tb_http_exchange_free(&hr);
	}
	if (cnt[OUT_OPEN])
		tb_result_set(res, TB_V_FAIL,
			      "%u admin path(s) answer without authentication, first %s", cnt[OUT_OPEN],
			      first_open);
	else if (cnt[OUT_UNDECIDED])
		tb_result_set(res, TB_V_INCONCLUSIVE, "%u admin path(s) gave no usable answer",
			      cnt[OUT_UNDECIDED]);
	else if (cnt[OUT_PROTECTED])
		tb_result_set(res, TB_V_PASS,
			      "every admin path that exists (%u) requires authentication",
			      cnt[OUT_PROTECTED]);
	else
		tb_result_set(res, TB_V_INCONCLUSIVE, "none of the %zu admin path(s) tried exists", n);
}

const struct tb_check_family tb_check_http_auth = {
	.name = "http-auth",
	.summary = "fetches declared and configured admin paths without credentials: any 2xx fails",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
