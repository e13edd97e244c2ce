/* sshc.c: the SSH client probe (libssh).  See sshc.h.
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

/* Configure a session that touches nothing outside this probe. */
static int configure(ssh_session s, int fd, const char *host, const char *user)
{
	int off = 0, rsa_min = 768;
	long tmo = 1;
	int verbosity = SSH_LOG_NOLOG;

	return ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &off) ||
	       ssh_options_set(s, SSH_OPTIONS_HOST, host) ||
	       ssh_options_set(s, SSH_OPTIONS_USER, user) ||
	       ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) ||
	       ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null") ||
	       ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") ||
	       ssh_options_set(s, SSH_OPTIONS_STRICTHOSTKEYCHECK, &off) ||
	       ssh_options_set(s, SSH_OPTIONS_PASSWORD_AUTH, &off) ||
	       ssh_options_set(s, SSH_OPTIONS_KBDINT_AUTH, &off) ||
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
		if (wait_io(s, fd, deadline_ms)) {
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
	if (configure(s, mine, host, user)) {
		fail(out, TB_SSHC_LOCAL, "libssh refused the probe's options", s);
		close(mine); /* the descriptor option comes last: not handed over */
	} else {
		run_probe(s, mine, deadline_ms, out);
	}
	ssh_free(s); /* closes mine once libssh owns it */
}
