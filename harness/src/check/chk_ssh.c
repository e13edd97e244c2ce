/* chk_ssh.c: the SSH server's identification and offered algorithms, read
 * without logging in (RFC 4253 4.2 and 7.1), judged against the suite's
 * lists of broken algorithms (5.1-3).
 *
 * The harness sends its own identification line, reads the server's, then
 * reads the server's first binary packet, which must be its KEXINIT.  It
 * does not complete key exchange, so whether password authentication is
 * offered (visible only after a userauth "none" request, RFC 4252 5.2) is
 * recorded as not determined: it never decides the verdict either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../proto/p_sshkex.h"
#include "../result.h"

#define MAX_PORTS 8
#define READ_CAP (TB_SSH_PREAMBLE_MAX + TB_SSH_IDENT_MAX + TB_SSH_PACKET_MAX + 4)

static const struct tb_param_def params[] = {
	{ .name = "ports", .type = TB_P_INTLIST, .min = 1, .max = 65535,
	  .help = "ports probed besides declared ssh services (default: 22)" },
	{ .name = "forbidden-kex", .type = TB_P_STRLIST, .help = "rule: key exchange methods not allowed" },
	{ .name = "forbidden-hostkey", .type = TB_P_STRLIST, .help = "rule: host key algorithms not allowed" },
	{ .name = "forbidden-ciphers", .type = TB_P_STRLIST, .help = "rule: ciphers not allowed" },
	{ .name = "forbidden-macs", .type = TB_P_STRLIST, .help = "rule: MACs not allowed" },
	{ .name = "timeout-ms", .type = TB_P_INT, .min = 100, .max = 60000,
	  .help = "deadline per connection (default 5000)" },
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
				   d ? "server to client" : rl->lists[0] == rl->lists[1] ? "server" :
				   "client to server", (int)k->list_len[l], (const char *)k->list[l]);
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
			snprintf(why, sizeof why, "no identification and KEXINIT within %d ms (stalled "
				 "or dripping; %zu bytes received)", tmo, len);
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
			snprintf(why, sizeof why, "not an SSH identification line: %s", tb_strerror(pe));
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
		tb_ev_note(res, label, "identification: protocol %.*s, software %.*s", (int)id.proto_len,
			   (const char *)id.proto, (int)id.software_len, (const char *)id.software);
	if (!why[0] && (ke = tb_p_ssh_kexinit(pl, plen, &k)) != TB_OK)
		snprintf(why, sizeof why, "first packet is not a valid KEXINIT: %s", tb_strerror(ke));
	if (why[0]) {
		tb_ev_note(res, label, "not determined: %s", why);
	} else {
		*broken += ssh_judge(&k, pp, res, label);
		tb_ev_note(res, label, "password authentication offered: not determined (needs a "
				       "completed key exchange, which this check does not perform)");
		out = PROBE_OK;
	}
	free(buf);
	tb_net_abortive_close(fd);
	return out;
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	uint16_t ports[MAX_PORTS];
	size_t n = 0;
	const struct tb_profile *p = ctx->profile;
	const struct tb_param *pp = tb_param_get(&tc->params, "ports");
	int tmo = (int)tb_param_int(&tc->params, "timeout-ms", 5000);
	unsigned broken = 0, ok = 0, undecided = 0;
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
	}
	if (broken)
		tb_result_set(res, TB_V_FAIL, "the SSH server offers %u algorithm(s) the suite forbids", broken);
	else if (undecided)
		tb_result_set(res, TB_V_INCONCLUSIVE, "%u SSH port(s) answered but their algorithms could "
			      "not be read; see the notes", undecided);
	else if (ok == 0)
		tb_result_set(res, TB_V_NA, "no SSH server listens on the %zu port(s) probed", n);
	else
		tb_result_set(res, TB_V_PASS, "%u SSH server(s) offer no forbidden algorithm (password "
			      "authentication not determined)", ok);
}

const struct tb_check_family tb_check_ssh = {
	.name = "ssh",
	.summary = "SSH identification and KEXINIT algorithm lists without logging in, judged by the suite's forbidden lists",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
