/* chk_ssh.c: the SSH server's identification and offered algorithms, read
 * without logging in (RFC 4253 4.2 and 7.1), judged against the suite's
 * lists of broken algorithms (5.1-3), and the authentication methods it
 * offers, judged by the suite's allow-password-auth rule.  Password login
 * that the rule allows (or with no rule) is still recorded as a finding:
 * it is no cryptography fault, but it is what brute-force protection
 * (5.1-5, EN 18031 AUM) has to defend.
 *
 * Two connections per port.  The first is ours alone: the harness sends its
 * identification line, reads the server's, then the server's first binary
 * packet, which must be its KEXINIT (the pure parser in p_sshkex.c sees the
 * raw bytes).  The second is a libssh session (sshc.c) that completes key
 * exchange and sends a userauth "none" request (RFC 4252 5.2): the failure
 * reply lists the methods that can continue.  No credential is ever sent.
 * When key exchange cannot be completed the methods stay "not determined",
 * which decides nothing unless the suite has a rule about them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check/family.h"
#include "check/chk_ssh_internal.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "proto/p_sshkex.h"
#include "result/result.h"
#include "net/sshc.h"

#define MAX_PORTS 8
#define READ_CAP (TB_SSH_PREAMBLE_MAX + TB_SSH_IDENT_MAX + TB_SSH_PACKET_MAX + 4)

static const struct tb_param_def params[] = {
	{ .name = "ports",
	  .type = TB_P_INTLIST,
	  .min = 1,
	  .max = 65535,
	  .help = "ports probed besides declared ssh services (default: 22)" },
	{ .name = "forbidden-kex",
	  .type = TB_P_STRLIST,
	  .help = "rule: key exchange methods not allowed" },
	{ .name = "forbidden-hostkey",
	  .type = TB_P_STRLIST,
	  .help = "rule: host key algorithms not allowed" },
	{ .name = "forbidden-ciphers", .type = TB_P_STRLIST, .help = "rule: ciphers not allowed" },
	{ .name = "forbidden-macs", .type = TB_P_STRLIST, .help = "rule: MACs not allowed" },
	{ .name = "allow-password-auth",
	  .type = TB_P_BOOL,
	  .help = "rule: may the server offer password or keyboard-interactive authentication" },
	{ .name = "auth-probe-user",
	  .type = TB_P_STR,
	  .help = "user name in the userauth \"none\" request",
	  .dflt = "trustbench-probe" },
	{ .name = "timeout-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 60000,
	  .help = "deadline per connection",
	  .dflt = "5000" },
};

struct rule_list {
	const char *param, *what;
	enum tb_ssh_list lists[2];
};

static const struct rule_list rule_lists[] = {
	{ "forbidden-kex", "key exchange", { TB_SSH_KEX, TB_SSH_KEX } },
	{ "forbidden-hostkey", "host key", { TB_SSH_HOSTKEY, TB_SSH_HOSTKEY } },
	{ "forbidden-ciphers", "cipher", { TB_SSH_ENC_CS, TB_SSH_ENC_SC } },
	{ "forbidden-macs", "MAC", { TB_SSH_MAC_CS, TB_SSH_MAC_SC } },
};

/* Judge a parsed KEXINIT: note every offered list and every forbidden
 * algorithm offered.  Returns the number of rules broken. */
TB_UNITTEST unsigned ssh_judge(const struct tb_ssh_kexinit *k, const struct tb_params *p,
			       struct tb_result *res, const char *label)
{
	unsigned broken = 0;
	for (size_t i = 0; i < sizeof rule_lists / sizeof rule_lists[0]; i++) {
		const struct rule_list *rl = &rule_lists[i];
		const struct tb_param *f = tb_param_get(p, rl->param);
		for (int d = 0; d < 2; d++) {
			enum tb_ssh_list l = rl->lists[d];
			if (d == 1 && l == rl->lists[0])
				break;
			tb_ev_note(res, label, "%s offered (%s): %.*s", rl->what,
				   d                              ? "server to client"
				   : rl->lists[0] == rl->lists[1] ? "server"
								  : "client to server",
				   (int)k->list_len[l], (const char *)k->list[l]);
			for (size_t j = 0; f && j < f->n; j++) {
				if (!tb_p_ssh_list_has(k->list[l], k->list_len[l], f->sl[j]))
					continue;
				broken++;
				tb_ev_note(res, label, "%s %s offered — rule %s: broken", rl->what,
					   f->sl[j], rl->param);
			}
			if (!f)
				tb_ev_note(res, label, "%s list — no rule in the suite", rl->what);
		}
	}
	return broken;
}

static void add_port(uint16_t *ports, size_t *n, long p)
{
	for (size_t i = 0; i < *n; i++)
		if (ports[i] == p)
			return;
	if (*n < MAX_PORTS)
		ports[(*n)++] = (uint16_t)p;
}

enum probe_out { PROBE_CLOSED, PROBE_OK, PROBE_UNDECIDED };

/* Password login that no rule forbids: a finding for the provisions it
 * matters to, never a verdict here. */
static void note_password_finding(struct tb_result *res, const char *label)
{
	tb_ev_note(res, label,
		   "finding: password login offered — not a cryptography fault under 5.1-3, but "
		   "it matters for brute-force protection (EN 303 645 5.1-5, EN 18031 AUM)");
}

/* Read until parse() stops asking for more, the cap, or the deadline. */
static enum probe_out probe(struct tb_ctx *ctx, uint16_t port, int tmo, const struct tb_params *pp,
			    struct tb_result *res, const char *label, unsigned *broken)
{
	static const char hello[] = "SSH-2.0-trustbench_" TB_VERSION "\r\n";
	struct tb_diag d = { .msg = "" };
	int fd = -1;
	int64_t deadline = tb_now_ms() + tmo;
	enum tb_err e = tb_net_connect(&ctx->net, ctx->profile->address, port, &fd, &d);
	if (e == TB_E_REFUSED)
		return PROBE_CLOSED;
	if (e) {
		tb_ev_note(res, label, "connect failed: %s", d.msg[0] ? d.msg : tb_strerror(e));
		return PROBE_UNDECIDED;
	}
	uint8_t *buf = tb_xmalloc(READ_CAP);
	size_t len = 0, got;
	struct tb_ssh_ident id;
	struct tb_ssh_kexinit k;
	const uint8_t *pl = NULL;
	size_t plen = 0, used;
	enum tb_err pe = TB_E_TRUNC, ke = TB_E_TRUNC;
	enum probe_out out = PROBE_UNDECIDED;
	char why[200] = "";

	if (tb_net_send_all(fd, hello, sizeof hello - 1, deadline) != TB_OK)
		snprintf(why, sizeof why, "could not send our identification");
	while (!why[0]) {
		e = tb_net_recv(fd, buf + len, READ_CAP - len, &got, deadline);
		if (e == TB_E_TIMEOUT) {
			snprintf(why, sizeof why,
				 "no identification and KEXINIT within %d ms (stalled "
				 "or dripping; %zu bytes received)",
				 tmo, len);
			break;
		}
		if (e || got == 0) {
			snprintf(why, sizeof why, "connection closed after %zu bytes", len);
			break;
		}
		len += got;
		pe = tb_p_ssh_ident(buf, len, &id);
		if (pe == TB_OK)
			ke = tb_p_ssh_packet(buf + id.consumed, len - id.consumed, &pl, &plen, &used);
		if (pe != TB_E_TRUNC && pe != TB_OK) {
			snprintf(why, sizeof why, "not an SSH identification line: %s",
				 tb_strerror(pe));
		} else if (pe == TB_OK && ke != TB_E_TRUNC) {
			if (ke != TB_OK)
				snprintf(why, sizeof why, "first packet unusable: %s", tb_strerror(ke));
			break;
		} else if (len == READ_CAP) {
			snprintf(why, sizeof why, "more than %d bytes without a KEXINIT", READ_CAP);
		}
	}
	tb_ev_exchange(res, label, hello, sizeof hello - 1, buf, len);
	if (pe == TB_OK)
		tb_ev_note(res, label, "identification: protocol %.*s, software %.*s",
			   (int)id.proto_len, (const char *)id.proto, (int)id.software_len,
			   (const char *)id.software);
	if (!why[0] && (ke = tb_p_ssh_kexinit(pl, plen, &k)) != TB_OK)
		snprintf(why, sizeof why, "first packet is not a valid KEXINIT: %s", tb_strerror(ke));
	if (why[0]) {
		tb_ev_note(res, label, "not determined: %s", why);
	} else {
		*broken += ssh_judge(&k, pp, res, label);
		out = PROBE_OK;
	}
	free(buf);
	tb_net_abortive_close(fd);
	return out;
}

/* Judge what the libssh probe found against the allow-password-auth rule.
 * A fact without a rule is noted and decides nothing. */
TB_UNITTEST enum auth_out ssh_judge_auth(const struct tb_sshc_auth *a, const struct tb_params *p,
					 struct tb_result *res, const char *label)
{
	const struct tb_param *rule = tb_param_get(p, "allow-password-auth");
	char methods[160];

	if (a->outcome == TB_SSHC_LISTED) {
		int pw = tb_sshc_password_like(a->methods);
		tb_sshc_methods_text(a->methods, methods, sizeof methods);
		tb_ev_note(res, label, "authentication methods offered: %s", methods);
		if (!rule) {
			tb_ev_note(res, label,
				   "password authentication offered: %s — no rule in the "
				   "suite",
				   pw ? "yes" : "no");
			if (pw)
				note_password_finding(res, label);
			return pw ? AUTH_PASSWORD_FINDING : AUTH_MET;
		}
		int ok = !pw || rule->b;
		tb_ev_note(res, label,
			   "password authentication offered: %s — rule "
			   "allow-password-auth %s: %s",
			   pw ? "yes" : "no", rule->b ? "true" : "false", ok ? "met" : "broken");
		if (!ok)
			return AUTH_BROKEN;
		if (pw)
			note_password_finding(res, label);
		return pw ? AUTH_PASSWORD_FINDING : AUTH_MET;
	}
	if (a->outcome == TB_SSHC_NONE_OK) {
		int ok = rule && rule->b;
		tb_ev_note(res, label,
			   "login accepted with no authentication at all (userauth "
			   "\"none\" succeeded)%s%s",
			   rule ? " — rule allow-password-auth: "
				: " — no "
				  "rule in the suite",
			   rule ? ok ? "met" : "broken" : "");
		return !rule || ok ? AUTH_MET : AUTH_BROKEN;
	}
	tb_ev_note(res, label, "password authentication offered: not determined: %s%s", a->why,
		   rule ? "" : " — no rule in the suite");
	return rule ? AUTH_UNDETERMINED : AUTH_MET;
}

/* Second connection: libssh key exchange and userauth "none". */
static enum auth_out auth_probe(struct tb_ctx *ctx, uint16_t port, int tmo, const struct tb_params *pp,
				struct tb_result *res, const char *label)
{
	struct tb_diag d = { .msg = "" };
	struct tb_sshc_auth a;
	const char *user = tb_param_str(pp, "auth-probe-user");
	int64_t deadline = tb_now_ms() + tmo;
	char host[16];
	int fd = -1;

	enum tb_err e = tb_net_connect(&ctx->net, ctx->profile->address, port, &fd, &d);
	if (e) {
		memset(&a, 0, sizeof a);
		a.outcome = TB_SSHC_LOCAL;
		snprintf(a.why, sizeof a.why, "second connection failed: %s",
			 d.msg[0] ? d.msg : tb_strerror(e));
		return ssh_judge_auth(&a, pp, res, label);
	}
	tb_ipv4_format(ctx->profile->address, host);
	int64_t t0 = tb_now_ms();
	tb_sshc_auth_methods(fd, host, user, deadline, &a);
	tb_net_abortive_close(fd);
	if (a.kex[0])
		tb_ev_note(res, label,
			   "probe session (libssh, user '%s', no credential sent) "
			   "negotiated kex %s, host key %s, cipher %s, MAC %s%s",
			   user, a.kex, a.hostkey, a.cipher, a.mac,
			   a.legacy_algorithms ? " (legacy algorithms, "
						 "used only because the server offered nothing better)"
					       : "");
	tb_ev_note(res, label, "probe session took %lld ms", (long long)(tb_now_ms() - t0));
	return ssh_judge_auth(&a, pp, res, label);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	uint16_t ports[MAX_PORTS];
	size_t n = 0;
	const struct tb_profile *p = ctx->profile;
	const struct tb_param *pp = tb_param_get(&tc->params, "ports");
	int tmo = (int)tb_param_int(&tc->params, "timeout-ms");
	unsigned broken = 0, ok = 0, undecided = 0, pw_broken = 0, pw_unknown = 0, pw_found = 0;
	char finding[96] = "";
	char addr[16];

	for (size_t i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].protocol, "ssh") == 0)
			add_port(ports, &n, p->services[i].port);
	for (size_t i = 0; pp && i < pp->n; i++)
		add_port(ports, &n, pp->il[i]);
	if (!pp && n == 0)
		add_port(ports, &n, 22);
	tb_ipv4_format(p->address, addr);
	for (size_t i = 0; i < n; i++) {
		char label[64];
		snprintf(label, sizeof label, "ssh %s:%u", addr, ports[i]);
		enum probe_out o = probe(ctx, ports[i], tmo, &tc->params, res, label, &broken);
		if (o == PROBE_CLOSED)
			tb_ev_note(res, label, "closed (nothing listens)");
		ok += o == PROBE_OK;
		undecided += o == PROBE_UNDECIDED;
		if (o != PROBE_OK)
			continue;
		enum auth_out ao = auth_probe(ctx, ports[i], tmo, &tc->params, res, label);
		pw_broken += ao == AUTH_BROKEN;
		pw_unknown += ao == AUTH_UNDETERMINED;
		pw_found += ao == AUTH_PASSWORD_FINDING;
	}
	if (pw_found)
		snprintf(finding, sizeof finding,
			 "; password login offered on %u port(s) (a finding for 5.1-5, not a fault "
			 "here)",
			 pw_found);
	if (broken || pw_broken)
		tb_result_set(res, TB_V_FAIL,
			      "the SSH server offers %u algorithm(s) the suite forbids; "
			      "%u port(s) offer password authentication the suite forbids%s",
			      broken, pw_broken, finding);
	else if (undecided)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "%u SSH port(s) answered but their algorithms could "
			      "not be read; see the notes",
			      undecided);
	else if (pw_unknown)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the authentication methods of %u SSH port(s) could "
			      "not be determined; see the notes",
			      pw_unknown);
	else if (ok == 0)
		/* No SSH server says nothing about the device's other ways to
		 * authenticate: the provision still applies, so a person judges them. */
		tb_result_set(res, TB_V_EXAMINER,
			      "no SSH server listens on the %zu port(s) probed; an examiner must judge "
			      "the device's other authentication mechanisms",
			      n);
	else
		tb_result_set(res, TB_V_PASS, "%u SSH server(s) offer no forbidden algorithm%s%s", ok,
			      tb_param_get(&tc->params, "allow-password-auth")
				      ? " and no authentication method the suite forbids"
				      : " (authentication methods: no rule in the suite)",
			      finding);
}

const struct tb_check_family tb_check_ssh = {
	.name = "ssh",
	.summary =
		"SSH identification, KEXINIT algorithm lists and offered authentication methods "
		"(userauth none, no credential sent), judged by the suite's rules",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
