/* chk_security_txt.c: fetch /.well-known/security.txt (RFC 9116) from the
 * device's web interface and check its Contact and Expires fields; together
 * with the declared disclosure policy it feeds EN 303 645 5.2-1.
 *
 * Redirects are followed (at most 3) only to the same device: a relative
 * Location, or http://<address>[:port]/... whose address lies in the lab
 * scope (proto/p_location.h, through tb_http_get_follow); anything else is
 * refused and recorded.  A port declared `tls: true`, or identified as TLS
 * by this run's exposure sweep, is fetched over HTTPS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/family.h"
#include "check/http_common.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/httpc.h"
#include "proto/p_securitytxt.h"
#include "result/result.h"

#define MAX_REDIRECTS 3

static const struct tb_param_def params[] = {
	{ .name = "path",
	  .type = TB_P_STR,
	  .help = "path to fetch",
	  .dflt = "/.well-known/security.txt" },
	{ .name = "port",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 65535,
	  .help = "web port (default: the first declared http service, else 80)" },
};

static uint16_t web_port(const struct tb_ctx *ctx, const struct tb_case *tc)
{
	const struct tb_param *pp = tb_param_get(&tc->params, "port");
	if (pp)
		return (uint16_t)pp->i;
	const struct tb_profile *p = ctx->profile;
	for (size_t i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].protocol, "http") == 0)
			return (uint16_t)p->services[i].port;
	return 80;
}

/* No security.txt: the declared policy decides between examiner and FAIL. */
static void no_file(struct tb_ctx *ctx, struct tb_result *res, const char *what)
{
	const struct tb_vdp *v = &ctx->profile->vdp;
	if (v->policy_url)
		tb_result_set(
			res, TB_V_EXAMINER,
			"%s; the supplier declares the policy at %s: an examiner must confirm it is "
			"published there with a contact point",
			what, v->policy_url);
	else
		tb_result_set(res, TB_V_FAIL, "%s, and no disclosure policy URL is declared", what);
}

static void judge_file(struct tb_ctx *ctx, struct tb_result *res, const struct tb_http_exchange *hr,
		       const char *url)
{
	struct tb_sectxt st;
	char warn[256] = "";
	struct tb_diag why = { .msg = "" };
	if (tb_p_securitytxt(hr->body, hr->bodylen, &st) != TB_OK) {
		tb_result_set(res, TB_V_FAIL, "%s is not UTF-8 text (RFC 9116 requires it)", url);
		return;
	}
	if (st.nbad_lines)
		tb_ev_note(res, "security.txt", "%u malformed lines (first at line %lu)", st.nbad_lines,
			   st.first_bad_line);
	int ok = tb_sectxt_judge(&st, (long long)ctx->now, &why, warn, sizeof warn);
	if (warn[0])
		tb_ev_note(res, "security.txt", "%s", warn);
	if (hr->tls)
		tb_ev_note(res, "security.txt",
			   "fetched over HTTPS (TLS %s, certificate not verified here) from the device",
			   hr->tls_cipher);
	else
		tb_ev_note(res, "security.txt",
			   "fetched over plain HTTP from the device; RFC 9116 asks for HTTPS when "
			   "published on the web");
	if (ok)
		tb_result_set(res, TB_V_PASS, "%s names %u contact(s) and a valid, future Expires", url,
			      st.ncontact);
	else
		tb_result_set(res, TB_V_FAIL, "%s does not conform to RFC 9116: %s", url, why.msg);
}

/* Every request of the chain goes into the evidence under its URL. */
static void record_hop(void *arg, const struct tb_http_hop *hop, const struct tb_http_exchange *x)
{
	tb_ev_exchange(arg, hop->url, x->request, x->reqlen, x->raw, x->rawlen);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	uint16_t port = web_port(ctx, tc);
	struct tb_http_req rq = { .addr = ctx->profile->address,
				  .port = port,
				  .path = tb_param_str(&tc->params, "path"),
				  .timeout_ms = 5000,
				  .tls = tb_http_port_tls(ctx, port) };
	struct tb_http_follow f;
	tb_http_get_follow(&ctx->net, &rq, MAX_REDIRECTS, record_hop, res, &f);
	const struct tb_http_exchange *hr = &f.last;
	const char *url = f.hops[f.nhops - 1].url;
	if (f.end != TB_FOLLOW_DONE) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%s", f.why);
	} else if (hr->err == TB_E_SCOPE) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "redirected outside the lab scope: %s (refused)",
			      hr->why);
	} else if (hr->err == TB_E_REFUSED && hr->rawlen == 0 && f.nhops == 1) {
		no_file(ctx, res, "the device has no web interface on that port");
	} else if (hr->err) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%s: %s", url, hr->why);
	} else if (hr->resp.status == 200) {
		judge_file(ctx, res, hr, url);
	} else {
		char what[800];
		snprintf(what, sizeof what, "%s answered HTTP %d", url, hr->resp.status);
		no_file(ctx, res, what);
	}
	tb_http_follow_free(&f);
}

const struct tb_check_family tb_check_security_txt = {
	.name = "security-txt",
	.summary = "fetches RFC 9116 security.txt from the device and checks Contact and Expires",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
