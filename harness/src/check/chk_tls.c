/* chk_tls.c: what each TLS endpoint of the device accepts, judged against
 * a rule table that lives in the suite (5.5-1, 5.5-7).
 *
 * Endpoints: the profile's services declared `tls: true`, plus the suite's
 * `ports` (a closed port there is noted and skipped).  Per endpoint:
 *   - TLS 1.0, 1.1, 1.2 and 1.3, each offered alone;
 *   - for each accepted version, the accepted cipher suites, found by
 *     elimination (offer all, remove the one chosen, repeat) and grouped
 *     aead-fs / aead-nofs / cbc / broken;
 *   - certificate facts from the highest version's handshake;
 *   - compression and RFC 5746 secure renegotiation.
 * Every fact is noted beside the rule it met or broke ("no rule" when the
 * suite sets none: such a fact never decides the verdict).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/family.h"
#include "check/chk_tls_internal.h"
#include "load/profile.h"
#include "load/suite.h"
#include "result/result.h"
#include "net/tls.h"

#define MAX_ENDPOINTS 16

static const char *const versions[] = { "1.0", "1.1", "1.2", "1.3", NULL };
static const char *const groups[] = { "aead-fs", "aead-nofs", "cbc", "broken", NULL };

static const struct tb_param_def params[] = {
	{ .name = "ports",
	  .type = TB_P_INTLIST,
	  .min = 1,
	  .max = 65535,
	  .help = "ports probed besides the services declared tls: true" },
	{ .name = "min-version",
	  .type = TB_P_STR,
	  .choices = versions,
	  .help = "rule: oldest protocol version allowed" },
	{ .name = "allowed-groups",
	  .type = TB_P_STRLIST,
	  .choices = groups,
	  .help = "rule: cipher suite groups allowed (aead-fs, aead-nofs, cbc, broken)" },
	{ .name = "min-rsa-bits",
	  .type = TB_P_INT,
	  .min = 512,
	  .max = 16384,
	  .help = "rule: smallest RSA certificate key" },
	{ .name = "min-ec-bits",
	  .type = TB_P_INT,
	  .min = 160,
	  .max = 571,
	  .help = "rule: smallest EC certificate key" },
	{ .name = "allow-weak-signature-hash",
	  .type = TB_P_BOOL,
	  .help = "rule: accept certificates signed over MD5 or SHA-1" },
	{ .name = "require-valid-dates",
	  .type = TB_P_BOOL,
	  .help = "rule: the certificate is valid at the run time" },
	{ .name = "allow-self-signed",
	  .type = TB_P_BOOL,
	  .help = "rule: accept a self-signed certificate" },
	{ .name = "require-san-match",
	  .type = TB_P_BOOL,
	  .help = "rule: a subjectAltName IP entry names the address used" },
	{ .name = "allow-compression", .type = TB_P_BOOL, .help = "rule: accept TLS compression" },
	{ .name = "allow-insecure-renegotiation",
	  .type = TB_P_BOOL,
	  .help = "rule: accept a server without RFC 5746 secure renegotiation" },
	{ .name = "timeout-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 60000,
	  .help = "deadline per handshake",
	  .dflt = "3000" },
};

static int rule_bool(const struct tb_params *p, const char *name)
{
	const struct tb_param *v = tb_param_get(p, name);
	return v ? v->b : -1;
}

static long rule_int(const struct tb_params *p, const char *name)
{
	const struct tb_param *v = tb_param_get(p, name);
	return v ? (long)v->i : -1;
}

static void load_rules(const struct tb_params *p, struct tls_rules *r)
{
	const char *mv = tb_param_str(p, "min-version");
	r->min_version = -1;
	for (int i = 0; mv && versions[i]; i++)
		if (strcmp(mv, versions[i]) == 0)
			r->min_version = i;
	const struct tb_param *g = tb_param_get(p, "allowed-groups");
	for (int i = 0; i < TB_TLSG_N; i++) {
		r->allowed[i] = g ? 0 : -1;
		for (size_t j = 0; g && j < g->n; j++)
			if (strcmp(g->sl[j], groups[i]) == 0)
				r->allowed[i] = 1;
	}
	r->min_rsa = rule_int(p, "min-rsa-bits");
	r->min_ec = rule_int(p, "min-ec-bits");
	r->weak_sig_ok = rule_bool(p, "allow-weak-signature-hash");
	r->need_dates = rule_bool(p, "require-valid-dates");
	r->self_signed_ok = rule_bool(p, "allow-self-signed");
	r->need_san = rule_bool(p, "require-san-match");
	r->compression_ok = rule_bool(p, "allow-compression");
	r->insecure_reneg_ok = rule_bool(p, "allow-insecure-renegotiation");
}

/* Note one fact beside its rule: ok 1 met, 0 broken, -1 no rule. */
static void fact(struct tb_result *res, struct tally *t, const char *label, int ok, const char *rule,
		 const char *fmt, const char *what)
{
	t->facts++;
	if (ok == 0)
		t->broken++;
	if (ok < 0)
		tb_ev_note(res, label, "%s%s — no rule in the suite", fmt, what);
	else
		tb_ev_note(res, label, "%s%s — rule %s: %s", fmt, what, rule, ok ? "met" : "broken");
}

static void judge_versions(const struct tls_ep *ep, const struct tls_rules *r, struct tb_result *res,
			   const char *label, struct tally *t)
{
	char rule[64];
	snprintf(rule, sizeof rule, "min-version %s",
		 r->min_version >= 0 ? versions[r->min_version] : "-");
	for (int v = 0; v < TB_TLS_NVER; v++) {
		char what[200];
		if (ep->ver[v] == TB_TLS_OK) {
			snprintf(what, sizeof what, "TLS %s accepted", versions[v]);
			fact(res, t, label, r->min_version < 0 ? -1 : v >= r->min_version, rule, "",
			     what);
		} else if (ep->ver[v] == TB_TLS_REFUSED) {
			snprintf(what, sizeof what, "TLS %s refused (%s)", versions[v], ep->ver_why[v]);
			fact(res, t, label, r->min_version < 0 ? -1 : 1, rule, "", what);
		} else {
			t->undetermined++;
			tb_ev_note(res, label, "TLS %s not determined: %s", versions[v],
				   ep->ver_why[v]);
		}
	}
}

static void judge_suites(const struct tls_ep *ep, const struct tls_rules *r, struct tb_result *res,
			 const char *label, struct tally *t)
{
	for (int v = 0; v < TB_TLS_NVER; v++) {
		if (ep->ver[v] != TB_TLS_OK)
			continue;
		for (int i = 0; i < ep->nsuites[v]; i++) {
			char what[160], rule[64];
			enum tb_tls_group g = ep->suite_group[v][i];
			snprintf(what, sizeof what, "TLS %s suite %s (%s) accepted", versions[v],
				 ep->suites[v][i], tb_tls_group_name(g));
			snprintf(rule, sizeof rule, "allowed-groups");
			fact(res, t, label, r->allowed[g], rule, "", what);
		}
		if (!ep->suites_complete[v]) {
			t->undetermined++;
			tb_ev_note(res, label,
				   "TLS %s suite list incomplete: the enumeration was cut short",
				   versions[v]);
		}
	}
}

static int bool_rule(int allowed, int present)
{
	if (allowed < 0)
		return -1;
	return allowed || !present;
}

static void judge_cert(const struct tls_ep *ep, const struct tls_rules *r, int64_t now,
		       struct tb_result *res, const char *label, struct tally *t)
{
	const struct tb_tls_cert *c = &ep->cert;
	char what[400], rule[64];
	if (!ep->have_cert) {
		tb_ev_note(res, label, "no certificate was presented (anonymous suites only)");
		return;
	}
	tb_ev_note(res, label, "certificate subject %s, issuer %s, %d in chain", c->subject, c->issuer,
		   c->chain_len);
	int is_rsa = strcmp(c->key_type, "rsaEncryption") == 0 || strcmp(c->key_type, "RSA") == 0;
	int is_ec = strcmp(c->key_type, "id-ecPublicKey") == 0 || strcmp(c->key_type, "EC") == 0;
	snprintf(what, sizeof what, "certificate key %s %d bits%s%s", c->key_type, c->key_bits,
		 c->curve[0] ? " " : "", c->curve);
	long min = is_rsa ? r->min_rsa : is_ec ? r->min_ec : -1;
	snprintf(rule, sizeof rule, "%s %ld", is_rsa ? "min-rsa-bits" : "min-ec-bits", min);
	fact(res, t, label, min < 0 ? -1 : c->key_bits >= min, rule, "", what);
	snprintf(what, sizeof what, "certificate signature %s", c->sig_alg);
	fact(res, t, label, bool_rule(r->weak_sig_ok, c->sig_weak_hash), "allow-weak-signature-hash",
	     "", what);
	int dates_ok = c->not_before && c->not_after && c->not_before <= now && now <= c->not_after;
	snprintf(what, sizeof what, "certificate valid %lld..%lld (Unix time), run at %lld: %s",
		 (long long)c->not_before, (long long)c->not_after, (long long)now,
		 dates_ok ? "in validity" : "NOT in validity");
	fact(res, t, label, r->need_dates < 0 ? -1 : !r->need_dates || dates_ok, "require-valid-dates",
	     "", what);
	snprintf(what, sizeof what, "certificate %s",
		 c->self_signed ? "self-signed" : "issued by another key");
	fact(res, t, label, bool_rule(r->self_signed_ok, c->self_signed), "allow-self-signed", "",
	     what);
	snprintf(what, sizeof what, "subjectAltName %s the address used",
		 !c->has_san      ? "absent: does not name"
		 : c->san_matches ? "names"
				  : "does not name");
	fact(res, t, label, r->need_san < 0 ? -1 : !r->need_san || c->san_matches, "require-san-match",
	     "", what);
}

static void judge_options(const struct tls_ep *ep, const struct tls_rules *r, struct tb_result *res,
			  const char *label, struct tally *t)
{
	if (ep->compression_offered)
		fact(res, t, label, bool_rule(r->compression_ok, ep->compression), "allow-compression",
		     "", ep->compression ? "TLS compression negotiated" : "TLS compression refused");
	else
		tb_ev_note(res, label,
			   "TLS compression not determined: this OpenSSL build cannot "
			   "offer it (no rule applied)");
	if (ep->reneg_known)
		fact(res, t, label, bool_rule(r->insecure_reneg_ok, !ep->secure_reneg),
		     "allow-insecure-renegotiation", "",
		     ep->secure_reneg
			     ? "RFC 5746 secure renegotiation supported"
			     : "no RFC 5746 secure renegotiation (insecure renegotiation possible)");
}

/* Judge one endpoint's facts against the rules; returns the tally. */
TB_UNITTEST struct tally tls_judge(const struct tls_ep *ep, const struct tls_rules *r, int64_t now,
				   struct tb_result *res, const char *label)
{
	struct tally t = { 0, 0, 0 };
	int any = 0;
	for (int v = 0; v < TB_TLS_NVER; v++)
		any |= ep->ver[v] == TB_TLS_OK;
	if (!any) {
		t.undetermined++;
		tb_ev_note(res, label, "no TLS version could be negotiated: nothing to judge");
	}
	judge_versions(ep, r, res, label, &t);
	judge_suites(ep, r, res, label, &t);
	judge_cert(ep, r, now, res, label, &t);
	judge_options(ep, r, res, label, &t);
	return t;
}

/* Append ":!NAME" to an OpenSSL cipher string / remove NAME from a TLS 1.3
 * suite list. */
static void exclude(char *list, size_t cap, const char *name, int tls13)
{
	if (!tls13) {
		size_t n = strlen(list);
		snprintf(list + n, cap - n, ":!%s", name);
		return;
	}
	char out[512] = "";
	char *save = NULL, copy[512];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
		if (strcmp(tok, name) != 0)
			snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", out[0] ? ":" : "",
				 tok);
	snprintf(list, cap, "%s", out);
}

static void enumerate_suites(struct tb_ctx *ctx, uint16_t port, enum tb_tls_ver v, int tmo,
			     struct tls_ep *ep)
{
	char list[8192];
	snprintf(list, sizeof list, "%s",
		 v == TB_TLS13 ? tb_tls_all_suites13 : "ALL:COMPLEMENTOFALL:!PSK:!SRP");
	ep->suites_complete[v] = 0;
	while (ep->nsuites[v] < MAX_SUITES && list[0]) {
		char full[8300];
		snprintf(full, sizeof full, "%s:@SECLEVEL=0", list);
		struct tb_tls_probe pr = { .ver = v, .timeout_ms = tmo };
		if (v == TB_TLS13)
			pr.ciphersuites = list;
		else
			pr.ciphers = full;
		struct tb_tls_result r;
		tb_tls_handshake(&ctx->net, ctx->profile->address, port, &pr, &r, NULL);
		if (r.outcome == TB_TLS_REFUSED || (r.outcome == TB_TLS_LOCAL && v == TB_TLS13)) {
			ep->suites_complete[v] = 1;
			return;
		}
		if (r.outcome != TB_TLS_OK)
			return;
		int i = ep->nsuites[v]++;
		snprintf(ep->suites[v][i], sizeof ep->suites[v][i], "%s", r.cipher);
		ep->suite_group[v][i] = r.group;
		for (int k = 0; k < i; k++)
			if (strcmp(ep->suites[v][k], r.cipher) == 0)
				return; /* the server chose an excluded suite: stop, incomplete */
		exclude(list, sizeof list, r.cipher, v == TB_TLS13);
	}
	ep->suites_complete[v] = list[0] == '\0';
}

/* Probe one endpoint; returns 0 when nothing listens there. */
static int probe_endpoint(struct tb_ctx *ctx, uint16_t port, int tmo, struct tls_ep *ep)
{
	int best = -1;
	memset(ep, 0, sizeof *ep);
	ep->port = port;
	ep->compression_offered = tb_tls_can_offer_compression();
	for (int v = TB_TLS13; v >= TB_TLS10; v--) {
		struct tb_tls_probe pr = { .ver = (enum tb_tls_ver)v, .timeout_ms = tmo };
		struct tb_tls_result r;
		tb_tls_handshake(&ctx->net, ctx->profile->address, port, &pr, &r, NULL);
		if (r.outcome == TB_TLS_CLOSED && v == TB_TLS13)
			return 0;
		ep->ver[v] = r.outcome;
		snprintf(ep->ver_why[v], sizeof ep->ver_why[v], "%s", r.why);
		if (r.outcome != TB_TLS_OK)
			continue;
		if (best < 0) {
			best = v;
			ep->have_cert = r.have_cert;
			ep->cert = r.cert;
			ep->compression = r.compression;
		}
		if (v <= TB_TLS12 && !ep->reneg_known) {
			ep->reneg_known = 1;
			ep->secure_reneg = r.secure_reneg;
		}
	}
	for (int v = TB_TLS10; v < TB_TLS_NVER; v++)
		if (ep->ver[v] == TB_TLS_OK)
			enumerate_suites(ctx, port, (enum tb_tls_ver)v, tmo, ep);
	return 1;
}

static size_t endpoints(const struct tb_ctx *ctx, const struct tb_case *tc, uint16_t *out,
			int *declared)
{
	size_t n = 0;
	const struct tb_profile *p = ctx->profile;
	for (size_t i = 0; i < p->nservices && n < MAX_ENDPOINTS; i++)
		if (p->services[i].tls && strcmp(p->services[i].transport, "tcp") == 0) {
			declared[n] = 1;
			out[n++] = (uint16_t)p->services[i].port;
		}
	const struct tb_param *pp = tb_param_get(&tc->params, "ports");
	for (size_t i = 0; pp && i < pp->n && n < MAX_ENDPOINTS; i++) {
		int dup = 0;
		for (size_t j = 0; j < n; j++)
			dup |= out[j] == pp->il[i];
		if (!dup) {
			declared[n] = 0;
			out[n++] = (uint16_t)pp->il[i];
		}
	}
	return n;
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	uint16_t ports[MAX_ENDPOINTS];
	int declared[MAX_ENDPOINTS];
	size_t n = endpoints(ctx, tc, ports, declared);
	int tmo = (int)tb_param_int(&tc->params, "timeout-ms");
	struct tls_rules rules;
	struct tally all = { 0, 0, 0 };
	unsigned assessed = 0, silent_declared = 0;
	char addr[16];

	load_rules(&tc->params, &rules);
	tb_ipv4_format(ctx->profile->address, addr);
	struct tls_ep *ep = tb_xmalloc(sizeof *ep);
	for (size_t i = 0; i < n; i++) {
		char label[64];
		snprintf(label, sizeof label, "tls %s:%u", addr, ports[i]);
		if (!probe_endpoint(ctx, ports[i], tmo, ep)) {
			tb_ev_note(res, label, "closed (nothing listens)%s",
				   declared[i] ? ": declared as a TLS service" : "");
			silent_declared += (unsigned)declared[i];
			continue;
		}
		assessed++;
		struct tally t = tls_judge(ep, &rules, (int64_t)ctx->now, res, label);
		all.broken += t.broken;
		all.undetermined += t.undetermined;
		all.facts += t.facts;
	}
	free(ep);
	if (all.broken)
		tb_result_set(res, TB_V_FAIL,
			      "%u TLS fact(s) break the suite's rules on %u endpoint(s); "
			      "see the evidence notes marked 'broken'",
			      all.broken, assessed);
	else if (assessed == 0)
		tb_result_set(res, TB_V_INCONCLUSIVE, "no TLS endpoint answered (%zu probed%s)", n,
			      silent_declared ? ", declared ones among them" : "");
	else if (all.undetermined || silent_declared)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "%u fact(s) could not be determined (timeouts or "
			      "non-TLS answers)%s; nothing seen broke a rule",
			      all.undetermined,
			      silent_declared ? ", and a declared TLS service was closed" : "");
	else
		tb_result_set(res, TB_V_PASS, "%u TLS endpoint(s): all %u facts meet the suite's rules",
			      assessed, all.facts);
}

const struct tb_check_family tb_check_tls = {
	.name = "tls",
	.summary =
		"TLS versions, cipher suites, certificate, compression and renegotiation per endpoint, "
		"judged by the suite's rules",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
