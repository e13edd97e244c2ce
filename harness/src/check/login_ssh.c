/* login_ssh.c: the credential phase's SSH driver: one password guess per
 * connection (net/sshc.c does the SSH), judged by what the server said. */
#include <stdio.h>
#include <string.h>

#include "check/ctx.h"
#include "check/login.h"
#include "check/login_mask.h"
#include "check/login_ssh_mqtt_internal.h"
#include "net/net.h"
#include "net/scope.h"
#include "net/sshc.h"

/* The session ended or never got going: throttling when it says so. */
static enum tb_login_outcome ended(const struct tb_sshc_login *r, const char *what, char *detail,
				   size_t cap)
{
	int slow = tb_login_text_throttled(r->why);
	snprintf(detail, cap, "%s: %s%s", what, r->why, slow ? " (the server says slow down)" : "");
	return slow ? TB_LOGIN_THROTTLED : TB_LOGIN_UNCONFIRMED;
}

static enum tb_login_outcome judge(const struct tb_sshc_login *r, const char *user, char *detail,
				   size_t cap)
{
	const char *m = r->method ? r->method : "?"; /* set for every outcome that names it */

	switch (r->outcome) {
	case TB_SSHC_LOGIN_ACCEPTED:
		snprintf(detail, cap,
			 "SSH userauth %s for \"%s\": SSH_MSG_USERAUTH_SUCCESS (the server granted "
			 "access)",
			 m, user);
		return TB_LOGIN_ACCEPTED;
	case TB_SSHC_LOGIN_NONE_OK:
		snprintf(detail, cap,
			 "SSH userauth \"none\" for \"%s\" succeeded: the server grants access with "
			 "no authentication at all (no password was sent)",
			 user);
		return TB_LOGIN_ACCEPTED;
	case TB_SSHC_LOGIN_DENIED:
		snprintf(detail, cap, "SSH userauth %s for \"%s\": SSH_MSG_USERAUTH_FAILURE (refused)",
			 m, user);
		return TB_LOGIN_REJECTED;
	case TB_SSHC_LOGIN_PARTIAL:
		snprintf(detail, cap, "SSH userauth %s for \"%s\": %s; no access shown", m, user,
			 r->why);
		return TB_LOGIN_UNCONFIRMED;
	case TB_SSHC_LOGIN_NO_PASSWORD:
		snprintf(detail, cap, "not tried: %s", r->why);
		return TB_LOGIN_UNCONFIRMED;
	case TB_SSHC_LOGIN_PROMPTS:
		snprintf(detail, cap, "not decided: %s (prompt \"%s\")", r->why, r->prompt);
		return TB_LOGIN_UNCONFIRMED;
	case TB_SSHC_LOGIN_ENDED: return ended(r, "the server ended the session", detail, cap);
	case TB_SSHC_LOGIN_KEX_FAILED: return ended(r, "no SSH session", detail, cap);
	case TB_SSHC_LOGIN_TIMEOUT: snprintf(detail, cap, "not decided: %s", r->why); break;
	case TB_SSHC_LOGIN_LOCAL: snprintf(detail, cap, "local failure: %s", r->why); break;
	}
	return TB_LOGIN_UNCONFIRMED;
}

enum tb_login_outcome tb_login_ssh_judge(const struct tb_sshc_login *r, const char *user,
					 const char *withhold, char *detail, size_t cap)
{
	enum tb_login_outcome o = judge(r, user, detail, cap);
	tb_login_mask(detail, strlen(detail), withhold);
	return o;
}

/* A "<<" line of device text, with the secret masked in it. */
static void log_device(struct tb_login_try *t, const char *fmt_prefix, const char *text)
{
	char line[512];

	snprintf(line, sizeof line, "%s%s", fmt_prefix, text);
	tb_login_mask(line, strlen(line), t->secret ? t->pass : NULL);
	tb_login_log_add(t->log, "<<", line, strlen(line));
}

static void log_request(struct tb_login_try *t, const char *method)
{
	char line[512];

	if (t->secret)
		snprintf(line, sizeof line,
			 "SSH_MSG_USERAUTH_REQUEST user \"%s\" method \"%s\": "
			 "<password withheld>",
			 t->user, method);
	else
		snprintf(line, sizeof line,
			 "SSH_MSG_USERAUTH_REQUEST user \"%s\" method \"%s\": password \"%s\"", t->user,
			 method, t->pass);
	tb_login_log_add(t->log, ">>", line, strlen(line));
}

/* The transcript: what each side said, as far as the session got. */
static void log_session(struct tb_login_try *t, const struct tb_sshc_login *r)
{
	const struct tb_sshc_auth *a = &r->probe;
	char m[128];

	if (r->ident[0])
		log_device(t, "", r->ident);
	if (a->kex[0])
		tb_login_log_note(t->log, "key exchange: %s, host key %s, cipher %s, mac %s%s", a->kex,
				  a->hostkey, a->cipher, a->mac,
				  a->legacy_algorithms ? " (legacy algorithms)" : "");
	if (a->kex[0]) { /* key exchange done: the "none" request went out */
		char line[200];
		snprintf(line, sizeof line, "SSH_MSG_USERAUTH_REQUEST user \"%s\" method \"none\"",
			 t->user);
		tb_login_log_add(t->log, ">>", line, strlen(line));
	}
	if (a->outcome == TB_SSHC_NONE_OK)
		log_device(t, "", "SSH_MSG_USERAUTH_SUCCESS");
	if (a->outcome == TB_SSHC_LISTED) {
		tb_sshc_methods_text(a->methods, m, sizeof m);
		log_device(t, "SSH_MSG_USERAUTH_FAILURE, methods that can continue: ", m);
	}
	if (r->banner[0])
		log_device(t, "SSH_MSG_USERAUTH_BANNER: ", r->banner);
	if (r->prompt[0])
		log_device(t, "keyboard-interactive prompt: ", r->prompt);
	if (r->password_sent)
		log_request(t, r->method);
	else if (r->method)
		tb_login_log_note(t->log, "userauth %s: no password sent", r->method);
	if (r->outcome == TB_SSHC_LOGIN_ACCEPTED)
		log_device(t, "", "SSH_MSG_USERAUTH_SUCCESS");
	else if (r->outcome == TB_SSHC_LOGIN_DENIED)
		log_device(t, "", "SSH_MSG_USERAUTH_FAILURE");
}

/* ACCEPTED: keep a bounded account of the exchange that proves it. */
static void keep_proof(struct tb_login_try *t, const struct tb_sshc_login *r)
{
	char s[256], g[512];
	int n;

	if (r->outcome == TB_SSHC_LOGIN_NONE_OK)
		n = snprintf(s, sizeof s, "userauth none for %s", t->user);
	else
		n = snprintf(s, sizeof s, "userauth %s for %s (%s)", r->method, t->user,
			     t->secret ? "password withheld" : t->pass);
	tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, s, n > 0 ? (size_t)n : 0);
	n = snprintf(g, sizeof g, "%s; kex %s, host key %s; SSH_MSG_USERAUTH_SUCCESS", r->ident,
		     r->probe.kex, r->probe.hostkey);
	tb_login_mask(g, strlen(g), t->secret ? t->pass : NULL);
	tb_login_keep(t->got, &t->gotlen, sizeof t->got, g, strlen(g));
}

static enum tb_login_outcome ssh_attempt(struct tb_login_try *t)
{
	const struct tb_login_iface *ifc = t->ifc;
	struct tb_diag d = { .msg = "" };
	struct tb_sshc_login r;
	char host[16];
	int fd = -1;

	t->retry_after_s = -1;
	tb_ipv4_format(ifc->addr, host);
	enum tb_err e = tb_net_connect(&t->ctx->net, ifc->addr, ifc->port, &fd, &d);
	if (e) {
		snprintf(t->detail, sizeof t->detail, "connect to %s:%u failed: %s", host, ifc->port,
			 d.msg[0] ? d.msg : tb_strerror(e));
		tb_login_log_note(t->log, "%s", t->detail);
		return TB_LOGIN_NOCONNECT;
	}
	tb_login_log_note(t->log, "ssh %s:%u: one password guess for user \"%s\"", host, ifc->port,
			  t->user);
	tb_sshc_password_login(fd, host, t->user, t->pass, t->deadline_ms, &r);
	tb_net_abortive_close(fd);
	log_session(t, &r);
	enum tb_login_outcome o = tb_login_ssh_judge(&r, t->user, t->secret ? t->pass : NULL, t->detail,
						     sizeof t->detail);
	if (o == TB_LOGIN_ACCEPTED)
		keep_proof(t, &r);
	tb_login_log_note(t->log, "outcome %s: %s", tb_login_outcome_name(o), t->detail);
	return o;
}

const struct tb_login_driver tb_login_ssh = {
	.service = "ssh",
	.transport = "tcp",
	.default_port = 22,
	.attempt = ssh_attempt,
};
