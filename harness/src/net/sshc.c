/* sshc.c: the SSH client probe and the one-password login (libssh).  See sshc.h.
 *
 * libssh runs non-blocking and this file does the waiting with poll(), so
 * the caller's deadline bounds the whole probe whatever the device sends
 * (a stall, a drip, garbage).  libssh gets a dup() of the caller's socket
 * because ssh_free() closes the descriptor it was given.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "base/clock.h"
#include "net/net.h"
#include "net/sshc.h"

/* Client algorithm lists: libssh's modern defaults first, then a legacy
 * tail.  SSH picks the first client algorithm the server also offers, so a
 * legacy algorithm is negotiated only when the server offers nothing
 * better in that category; these lists exist only in this probing session
 * so that an old device can still be asked which methods it offers. */
#define LEGACY_KEX \
	"diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1"
#define LEGACY_HOSTKEY "ssh-rsa"
#define LEGACY_CIPHERS "aes256-cbc,aes192-cbc,aes128-cbc,3des-cbc"
#define LEGACY_MACS "hmac-sha1-etm@openssh.com,hmac-sha1"

static const char kex_list[] =
	"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
	"ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group18-sha512,"
	"diffie-hellman-group16-sha512,diffie-hellman-group-exchange-sha256,"
	"diffie-hellman-group14-sha256," LEGACY_KEX;
static const char hostkey_list[] =
	"ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256," LEGACY_HOSTKEY;
static const char cipher_list[] =
	"chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,"
	"aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr," LEGACY_CIPHERS;
static const char mac_list[] =
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
	"hmac-sha2-256,hmac-sha2-512," LEGACY_MACS;

int tb_sshc_is_legacy_algorithm(const char *name)
{
	static const char *const lists[] = { LEGACY_KEX, LEGACY_HOSTKEY, LEGACY_CIPHERS, LEGACY_MACS };
	size_t n = name ? strlen(name) : 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		for (const char *p = lists[i]; *p;) {
			size_t len = strcspn(p, ",");
			if (len == n && memcmp(p, name, n) == 0)
				return 1;
			p += len + (p[len] == ',');
		}
	}
	return 0;
}

unsigned tb_sshc_from_libssh(int mask)
{
	unsigned m = 0;
	m |= (mask & SSH_AUTH_METHOD_PASSWORD) ? TB_SSHC_M_PASSWORD : 0;
	m |= (mask & SSH_AUTH_METHOD_INTERACTIVE) ? TB_SSHC_M_KBDINT : 0;
	m |= (mask & SSH_AUTH_METHOD_PUBLICKEY) ? TB_SSHC_M_PUBKEY : 0;
	m |= (mask & SSH_AUTH_METHOD_HOSTBASED) ? TB_SSHC_M_HOSTBASED : 0;
	m |= (mask & SSH_AUTH_METHOD_GSSAPI_MIC) ? TB_SSHC_M_GSSAPI : 0;
	return m;
}

int tb_sshc_password_like(unsigned methods)
{
	return (methods & (TB_SSHC_M_PASSWORD | TB_SSHC_M_KBDINT)) != 0;
}

void tb_sshc_methods_text(unsigned methods, char *out, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { TB_SSHC_M_PASSWORD, "password" },
		      { TB_SSHC_M_KBDINT, "keyboard-interactive" },
		      { TB_SSHC_M_PUBKEY, "publickey" },
		      { TB_SSHC_M_HOSTBASED, "hostbased" },
		      { TB_SSHC_M_GSSAPI, "gssapi-with-mic" } };
	size_t len = 0;

	if (cap == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(methods & names[i].bit))
			continue;
		int w = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", names[i].name);
		if (w < 0 || (size_t)w >= cap - len)
			return; /* truncated, still terminated */
		len += (size_t)w;
	}
	if (len == 0)
		snprintf(out, cap, "none listed");
}

/* Configure a session that touches nothing outside this probe.  login: the
 * session may answer with a password (the credential phase), else it may
 * not even try. */
static int configure(ssh_session s, int fd, const char *host, const char *user, int login)
{
	int off = 0, rsa_min = 768, pw = login ? 1 : 0;
	long tmo = 1;
	int verbosity = SSH_LOG_NOLOG;

	return ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &off) ||
	       ssh_options_set(s, SSH_OPTIONS_HOST, host) ||
	       ssh_options_set(s, SSH_OPTIONS_USER, user) ||
	       ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) ||
	       ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null") ||
	       ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") ||
	       ssh_options_set(s, SSH_OPTIONS_STRICTHOSTKEYCHECK, &off) ||
	       ssh_options_set(s, SSH_OPTIONS_PASSWORD_AUTH, &pw) ||
	       ssh_options_set(s, SSH_OPTIONS_KBDINT_AUTH, &pw) ||
	       ssh_options_set(s, SSH_OPTIONS_GSSAPI_AUTH, &off) ||
	       ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &tmo) ||
	       ssh_options_set(s, SSH_OPTIONS_RSA_MIN_SIZE, &rsa_min) ||
	       ssh_options_set(s, SSH_OPTIONS_KEY_EXCHANGE, kex_list) ||
	       ssh_options_set(s, SSH_OPTIONS_HOSTKEYS, hostkey_list) ||
	       ssh_options_set(s, SSH_OPTIONS_CIPHERS_C_S, cipher_list) ||
	       ssh_options_set(s, SSH_OPTIONS_CIPHERS_S_C, cipher_list) ||
	       ssh_options_set(s, SSH_OPTIONS_HMAC_C_S, mac_list) ||
	       ssh_options_set(s, SSH_OPTIONS_HMAC_S_C, mac_list) ||
	       /* last: once libssh holds the descriptor, ssh_free() closes it */
	       ssh_options_set(s, SSH_OPTIONS_FD, &fd);
}

/* Wait for the socket as libssh needs it, at most until the deadline.
 * Returns 0 to call libssh again, -1 when the deadline has passed. */
static int wait_io(ssh_session s, int fd, int64_t deadline_ms)
{
	int64_t left = deadline_ms - tb_now_ms();
	if (left <= 0 || tb_net_stop_requested()) /* a run being stopped counts as late */
		return -1;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (ssh_get_poll_flags(s) & SSH_WRITE_PENDING)
		p.events |= POLLOUT;
	/* Short slices: libssh may have buffered work without new bytes. */
	(void)poll(&p, 1, left > 50 ? 50 : (int)left);
	return 0;
}

/* wait_io for a userauth request: also 1 when the session has ended (a
 * DISCONNECT, a close, a reset).  Non-blocking libssh keeps answering
 * SSH_AUTH_AGAIN after that and the closed socket is always readable, so
 * without this check the loop would spin until the deadline and call the
 * server's DISCONNECT a timeout. */
static int wait_auth(ssh_session s, int fd, int64_t deadline_ms)
{
	if (ssh_get_status(s) & (SSH_CLOSED | SSH_CLOSED_ERROR))
		return 1;
	return wait_io(s, fd, deadline_ms);
}

static void copy_name(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void record_negotiated(ssh_session s, struct tb_sshc_auth *out)
{
	ssh_key key = NULL;

	copy_name(out->kex, sizeof out->kex, ssh_get_kex_algo(s));
	copy_name(out->cipher, sizeof out->cipher, ssh_get_cipher_out(s));
	copy_name(out->mac, sizeof out->mac, ssh_get_hmac_out(s));
	if (ssh_get_server_publickey(s, &key) == SSH_OK) {
		copy_name(out->hostkey, sizeof out->hostkey, ssh_key_type_to_char(ssh_key_type(key)));
		ssh_key_free(key);
	}
	/* AEAD ciphers have no separate MAC: libssh names it "aead-...". */
	out->legacy_algorithms =
		tb_sshc_is_legacy_algorithm(out->kex) || tb_sshc_is_legacy_algorithm(out->hostkey) ||
		tb_sshc_is_legacy_algorithm(out->cipher) || tb_sshc_is_legacy_algorithm(out->mac);
}

static void fail(struct tb_sshc_auth *out, enum tb_sshc_outcome o, const char *what, ssh_session s)
{
	const char *err = s ? ssh_get_error(s) : "";
	out->outcome = o;
	snprintf(out->why, sizeof out->why, "%s%s%s", what, err && err[0] ? ": " : "", err ? err : "");
}

static void run_probe(ssh_session s, int fd, int64_t deadline_ms, struct tb_sshc_auth *out)
{
	int rc;

	ssh_set_blocking(s, 0);
	while ((rc = ssh_connect(s)) == SSH_AGAIN) {
		if (wait_io(s, fd, deadline_ms)) {
			fail(out, TB_SSHC_TIMEOUT,
			     "key exchange did not finish before the deadline "
			     "(stalled or dripping)",
			     NULL);
			return;
		}
	}
	if (rc != SSH_OK) {
		fail(out, TB_SSHC_KEX_FAILED, "key exchange failed", s);
		return;
	}
	record_negotiated(s, out);
	while ((rc = ssh_userauth_none(s, NULL)) == SSH_AUTH_AGAIN) {
		int w = wait_auth(s, fd, deadline_ms);
		if (w > 0) {
			rc = SSH_AUTH_ERROR; /* the server ended the session */
			break;
		}
		if (w) {
			fail(out, TB_SSHC_TIMEOUT,
			     "no answer to the userauth \"none\" request "
			     "before the deadline",
			     NULL);
			return;
		}
	}
	if (rc == SSH_AUTH_SUCCESS) {
		out->outcome = TB_SSHC_NONE_OK;
		return;
	}
	if (rc == SSH_AUTH_ERROR) {
		fail(out, TB_SSHC_KEX_FAILED, "userauth \"none\" request failed", s);
		return;
	}
	/* SSH_AUTH_DENIED or SSH_AUTH_PARTIAL: the server listed what can continue. */
	out->methods = tb_sshc_from_libssh(ssh_userauth_list(s, NULL));
	out->outcome = TB_SSHC_LISTED;
}

void tb_sshc_auth_methods(int fd, const char *host, const char *user, int64_t deadline_ms,
			  struct tb_sshc_auth *out)
{
	memset(out, 0, sizeof *out);
	int mine = dup(fd);
	if (mine < 0) {
		out->outcome = TB_SSHC_LOCAL;
		snprintf(out->why, sizeof out->why, "dup: %s", strerror(errno));
		return;
	}
	ssh_session s = ssh_new();
	if (!s) {
		close(mine);
		out->outcome = TB_SSHC_LOCAL;
		snprintf(out->why, sizeof out->why, "libssh could not create a session");
		return;
	}
	if (configure(s, mine, host, user, 0)) {
		fail(out, TB_SSHC_LOCAL, "libssh refused the probe's options", s);
		close(mine); /* the descriptor option comes last: not handed over */
	} else {
		run_probe(s, mine, deadline_ms, out);
	}
	ssh_free(s); /* closes mine once libssh owns it */
}

/* ---- One password guess (the credential phase's SSH driver). ---- */

/* Most keyboard-interactive INFO_REQUEST rounds followed: information-only
 * rounds (no prompt) may precede the password prompt. */
#define KBDINT_ROUNDS 4

const char *tb_sshc_login_outcome_name(enum tb_sshc_login_outcome o)
{
	switch (o) {
	case TB_SSHC_LOGIN_ACCEPTED: return "accepted";
	case TB_SSHC_LOGIN_NONE_OK: return "none-ok";
	case TB_SSHC_LOGIN_DENIED: return "denied";
	case TB_SSHC_LOGIN_PARTIAL: return "partial";
	case TB_SSHC_LOGIN_NO_PASSWORD: return "no-password-method";
	case TB_SSHC_LOGIN_PROMPTS: return "unexpected-prompts";
	case TB_SSHC_LOGIN_ENDED: return "ended";
	case TB_SSHC_LOGIN_KEX_FAILED: return "kex-failed";
	case TB_SSHC_LOGIN_TIMEOUT: return "timeout";
	case TB_SSHC_LOGIN_LOCAL: return "local-error";
	}
	return "?";
}

/* Device text into a fixed buffer, printable ASCII only. */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < cap; src++)
		dst[n++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
	if (cap)
		dst[n] = '\0';
}

static void login_fail(struct tb_sshc_login *out, enum tb_sshc_login_outcome o, const char *what,
		       ssh_session s)
{
	const char *err = s ? ssh_get_error(s) : "";
	char why[sizeof out->why];

	out->outcome = o;
	snprintf(why, sizeof why, "%s%s%s", what, err && err[0] ? ": " : "", err ? err : "");
	copy_text(out->why, sizeof out->why, why);
}

/* What a finished userauth request (password or keyboard-interactive
 * response) got from the server. */
static void auth_answer(ssh_session s, int rc, struct tb_sshc_login *out)
{
	char more[128];

	switch (rc) {
	case SSH_AUTH_SUCCESS: out->outcome = TB_SSHC_LOGIN_ACCEPTED; break;
	case SSH_AUTH_DENIED: out->outcome = TB_SSHC_LOGIN_DENIED; break;
	case SSH_AUTH_PARTIAL:
		out->outcome = TB_SSHC_LOGIN_PARTIAL;
		tb_sshc_methods_text(tb_sshc_from_libssh(ssh_userauth_list(s, NULL)), more,
				     sizeof more);
		snprintf(out->why, sizeof out->why,
			 "the password passed but the server requires a further method (%s)", more);
		break;
	default:
		snprintf(more, sizeof more, "no answer to the %s request", out->method);
		login_fail(out, TB_SSHC_LOGIN_ENDED, more, s);
	}
}

static void send_password(ssh_session s, int fd, const char *pass, int64_t deadline_ms,
			  struct tb_sshc_login *out)
{
	int rc;

	out->method = "password";
	out->password_sent = 1;
	while ((rc = ssh_userauth_password(s, NULL, pass)) == SSH_AUTH_AGAIN) {
		int w = wait_auth(s, fd, deadline_ms);
		if (w > 0) {
			rc = SSH_AUTH_ERROR; /* the server ended the session */
			break;
		}
		if (w) {
			login_fail(out, TB_SSHC_LOGIN_TIMEOUT,
				   "no answer to the password before the deadline", NULL);
			return;
		}
	}
	auth_answer(s, rc, out);
}

/* One keyboard-interactive round has prompts: answer the single echo-off
 * prompt with the password, once.  Returns 0 when answered, -1 with out
 * set when the prompts are something else. */
static int answer_prompt(ssh_session s, const char *pass, int answered, struct tb_sshc_login *out)
{
	int n = ssh_userauth_kbdint_getnprompts(s);
	char echo = 0;
	const char *p = n > 0 ? ssh_userauth_kbdint_getprompt(s, 0, &echo) : NULL;

	copy_text(out->prompt, sizeof out->prompt, p);
	out->outcome = TB_SSHC_LOGIN_PROMPTS;
	if (n != 1) {
		snprintf(out->why, sizeof out->why,
			 "keyboard-interactive asked %d questions at once, not one password", n);
		return -1;
	}
	if (echo) {
		snprintf(out->why, sizeof out->why,
			 "keyboard-interactive asked for something echoed as typed, not a password");
		return -1;
	}
	if (answered) {
		/* No USERAUTH_FAILURE: a device that asks again may mean "wrong",
		 * but it did not say so. */
		snprintf(out->why, sizeof out->why,
			 "keyboard-interactive asked for the password again instead of answering");
		return -1;
	}
	if (ssh_userauth_kbdint_setanswer(s, 0, pass) < 0) {
		login_fail(out, TB_SSHC_LOGIN_LOCAL, "libssh did not take the answer", s);
		return -1;
	}
	return 0;
}

static void send_kbdint(ssh_session s, int fd, const char *pass, int64_t deadline_ms,
			struct tb_sshc_login *out)
{
	int answered = 0;

	out->method = "keyboard-interactive";
	for (int round = 0; round < KBDINT_ROUNDS; round++) {
		int rc;
		out->password_sent = answered; /* the answer goes with this call */
		while ((rc = ssh_userauth_kbdint(s, NULL, NULL)) == SSH_AUTH_AGAIN) {
			int w = wait_auth(s, fd, deadline_ms);
			if (w > 0) {
				rc = SSH_AUTH_ERROR; /* the server ended the session */
				break;
			}
			if (w) {
				login_fail(
					out, TB_SSHC_LOGIN_TIMEOUT,
					answered ? "no answer to the password before the deadline"
						 : "no keyboard-interactive prompt before the deadline",
					NULL);
				return;
			}
		}
		if (rc != SSH_AUTH_INFO) {
			auth_answer(s, rc, out);
			return;
		}
		/* An information-only round (no prompt) is acknowledged by the
		 * next call with no answers. */
		if (ssh_userauth_kbdint_getnprompts(s) == 0)
			continue;
		if (answer_prompt(s, pass, answered, out))
			return;
		answered = 1;
	}
	out->outcome = TB_SSHC_LOGIN_PROMPTS;
	snprintf(out->why, sizeof out->why, "more than %d keyboard-interactive rounds", KBDINT_ROUNDS);
}

/* The "none" step went other than LISTED: say what that means for a login. */
static void probe_outcome(const struct tb_sshc_auth *a, struct tb_sshc_login *out)
{
	switch (a->outcome) {
	case TB_SSHC_NONE_OK: out->outcome = TB_SSHC_LOGIN_NONE_OK; return;
	case TB_SSHC_TIMEOUT: out->outcome = TB_SSHC_LOGIN_TIMEOUT; break;
	case TB_SSHC_LOCAL: out->outcome = TB_SSHC_LOGIN_LOCAL; break;
	default:
		/* Key exchange done (algorithms recorded) but the "none" request
		 * failed: the server ended the session. */
		out->outcome = a->kex[0] ? TB_SSHC_LOGIN_ENDED : TB_SSHC_LOGIN_KEX_FAILED;
		break;
	}
	copy_text(out->why, sizeof out->why, a->why);
}

static void run_login(ssh_session s, int fd, const char *pass, int64_t deadline_ms,
		      struct tb_sshc_login *out)
{
	char *banner;

	run_probe(s, fd, deadline_ms, &out->probe);
	copy_text(out->ident, sizeof out->ident, ssh_get_serverbanner(s));
	if (out->probe.outcome != TB_SSHC_LISTED) {
		probe_outcome(&out->probe, out);
	} else if (out->probe.methods & TB_SSHC_M_PASSWORD) {
		send_password(s, fd, pass, deadline_ms, out);
	} else if (out->probe.methods & TB_SSHC_M_KBDINT) {
		send_kbdint(s, fd, pass, deadline_ms, out);
	} else {
		char m[128];
		tb_sshc_methods_text(out->probe.methods, m, sizeof m);
		out->outcome = TB_SSHC_LOGIN_NO_PASSWORD;
		snprintf(out->why, sizeof out->why, "no password login offered (methods: %s)", m);
	}
	banner = ssh_get_issue_banner(s);
	if (banner) {
		copy_text(out->banner, sizeof out->banner, banner);
		ssh_string_free_char(banner);
	}
}

void tb_sshc_password_login(int fd, const char *host, const char *user, const char *pass,
			    int64_t deadline_ms, struct tb_sshc_login *out)
{
	memset(out, 0, sizeof *out);
	out->outcome = TB_SSHC_LOGIN_LOCAL;
	int mine = dup(fd);
	if (mine < 0) {
		snprintf(out->why, sizeof out->why, "dup: %s", strerror(errno));
		return;
	}
	ssh_session s = ssh_new();
	if (!s) {
		close(mine);
		snprintf(out->why, sizeof out->why, "libssh could not create a session");
		return;
	}
	if (configure(s, mine, host, user, 1)) {
		login_fail(out, TB_SSHC_LOGIN_LOCAL, "libssh refused the session's options", s);
		close(mine); /* the descriptor option comes last: not handed over */
	} else {
		run_login(s, mine, pass, deadline_ms, out);
	}
	ssh_free(s); /* closes mine once libssh owns it */
}
