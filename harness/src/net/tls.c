/* tls.c: TLS handshakes with the device through libssl (see tls.h); the
 * harness's only TLS client (libcrypto alone serves hashing and signing
 * elsewhere).
 *
 * Each probe builds its own SSL_CTX: versions pinned to exactly one, the
 * security level lowered to 0 and legacy options enabled in that context
 * only, so that TLS 1.0, small keys and broken suites can be seen when a
 * device accepts them.  ERR_clear_error() precedes every SSL_ call so the
 * error queue read afterwards belongs to that call.
 */
#include "net/tls.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/clock.h"

struct tb_tls_conn {
	SSL *ssl;
	SSL_CTX *ctx;
	int fd;
};

const char tb_tls_all_ciphers[] = "ALL:COMPLEMENTOFALL:!PSK:!SRP:@SECLEVEL=0";
const char tb_tls_all_suites13[] =
	"TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
	"TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:"
	"TLS_AES_128_CCM_8_SHA256";

const char *tb_tls_ver_name(enum tb_tls_ver v)
{
	static const char *const n[] = { "1.0", "1.1", "1.2", "1.3" };
	return v < TB_TLS_NVER ? n[v] : "?";
}

const char *tb_tls_group_name(enum tb_tls_group g)
{
	static const char *const n[] = { "aead-fs", "aead-nofs", "cbc", "broken" };
	return g < TB_TLSG_N ? n[g] : "?";
}

static int ver_const(enum tb_tls_ver v)
{
	static const int c[] = { TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION };
	return c[v];
}

/* Broken: no encryption, no authentication, RC4, (3)DES, export grade or
 * under 112 bits of strength. */
static enum tb_tls_group classify(const SSL_CIPHER *c)
{
	int enc = SSL_CIPHER_get_cipher_nid(c), auth = SSL_CIPHER_get_auth_nid(c);
	int kx = SSL_CIPHER_get_kx_nid(c), alg_bits = 0;
	int bits = SSL_CIPHER_get_bits(c, &alg_bits);
	const char *name = SSL_CIPHER_get_name(c);

	if (enc == NID_undef || auth == NID_auth_null || enc == NID_rc4 || enc == NID_rc4_40 ||
	    enc == NID_des_ede3_cbc || enc == NID_des_cbc || bits < 112 || strstr(name, "EXP"))
		return TB_TLSG_BROKEN;
	int fs = kx == NID_kx_ecdhe || kx == NID_kx_dhe || kx == NID_kx_any;
	if (SSL_CIPHER_is_aead(c))
		return fs ? TB_TLSG_AEAD_FS : TB_TLSG_AEAD_NOFS;
	return TB_TLSG_CBC;
}

int tb_tls_can_offer_compression(void)
{
	STACK_OF(SSL_COMP) *m = SSL_COMP_get_compression_methods();
	return m && sk_SSL_COMP_num(m) > 0;
}

/* A client context offering exactly the probe's version and suites; NULL
 * with d's message set when this OpenSSL cannot. */
static SSL_CTX *probe_ctx(const struct tb_tls_probe *pr, struct tb_diag *d)
{
	ERR_clear_error();
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		tb_diag_set(d, TB_E_INTERNAL, "SSL_CTX_new failed");
		return NULL;
	}
	int v = ver_const(pr->ver);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_options(ctx,
			    SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION);
	SSL_CTX_clear_options(ctx, SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	ERR_clear_error();
	int ok = SSL_CTX_set_min_proto_version(ctx, v) && SSL_CTX_set_max_proto_version(ctx, v);
	if (ok && pr->ver == TB_TLS13) {
		ERR_clear_error();
		ok = SSL_CTX_set_ciphersuites(ctx, pr->ciphersuites ? pr->ciphersuites
								    : tb_tls_all_suites13);
	} else if (ok) {
		ERR_clear_error();
		ok = SSL_CTX_set_cipher_list(ctx, pr->ciphers ? pr->ciphers : tb_tls_all_ciphers);
	}
	if (!ok) {
		tb_diag_set(d, TB_E_INTERNAL,
			    "this OpenSSL cannot offer TLS %s with the requested suites",
			    tb_tls_ver_name(pr->ver));
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static void name_of(X509_NAME *n, char *out, size_t cap)
{
	out[0] = '\0';
	if (!n)
		return;
	BIO *b = BIO_new(BIO_s_mem());
	if (!b)
		return;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	int got = BIO_read(b, out, (int)cap - 1);
	out[got > 0 ? got : 0] = '\0';
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = '?';
	BIO_free(b);
}

static int64_t asn1_unix(const ASN1_TIME *t)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

static void cert_facts(SSL *ssl, uint32_t addr, struct tb_tls_cert *c)
{
	X509 *x = SSL_get0_peer_certificate(ssl);
	char ip[16];

	memset(c, 0, sizeof *c);
	if (!x)
		return;
	EVP_PKEY *k = X509_get0_pubkey(x);
	if (k) {
		const char *tn = OBJ_nid2sn(EVP_PKEY_get_base_id(k));
		snprintf(c->key_type, sizeof c->key_type, "%s", tn ? tn : "unknown");
		c->key_bits = EVP_PKEY_get_bits(k);
		size_t gl = 0;
		if (EVP_PKEY_get_group_name(k, c->curve, sizeof c->curve, &gl) != 1)
			c->curve[0] = '\0';
	}
	int sn = X509_get_signature_nid(x), md = NID_undef, pk = NID_undef;
	snprintf(c->sig_alg, sizeof c->sig_alg, "%s", OBJ_nid2ln(sn) ? OBJ_nid2ln(sn) : "unknown");
	if (OBJ_find_sigid_algs(sn, &md, &pk))
		c->sig_weak_hash = md == NID_md5 || md == NID_sha1 || md == NID_md4;
	c->not_before = asn1_unix(X509_get0_notBefore(x));
	c->not_after = asn1_unix(X509_get0_notAfter(x));
	c->self_signed = (X509_get_extension_flags(x) & EXFLAG_SS) != 0;
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	c->chain_len = chain ? sk_X509_num(chain) : 1;
	GENERAL_NAMES *san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	c->has_san = san != NULL;
	GENERAL_NAMES_free(san);
	tb_ipv4_format(addr, ip);
	c->san_matches = X509_check_ip_asc(x, ip, 0) == 1;
	name_of(X509_get_subject_name(x), c->subject, sizeof c->subject);
	name_of(X509_get_issuer_name(x), c->issuer, sizeof c->issuer);
}

/* Map a failed handshake to an outcome, with the reason as d's message. */
static enum tb_tls_outcome failure(SSL *ssl, int r, struct tb_diag *d)
{
	int e = SSL_get_error(ssl, r);
	unsigned long q = ERR_peek_error();
	int reason = ERR_GET_REASON(q);

	if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN ||
	    (e == SSL_ERROR_SSL && reason == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		tb_diag_set(d, TB_E_REFUSED, "the peer closed the connection during the handshake");
		return TB_TLS_REFUSED;
	}
	const char *rs = ERR_reason_error_string(q);
	if (e == SSL_ERROR_SSL && ERR_GET_LIB(q) == ERR_LIB_SSL) {
		if (reason >= SSL_AD_REASON_OFFSET) {
			tb_diag_set(d, TB_E_REFUSED, "refused with alert %d (%s)",
				    reason - SSL_AD_REASON_OFFSET, rs ? rs : "?");
			return TB_TLS_REFUSED;
		}
		switch (reason) {
		case SSL_R_UNSUPPORTED_PROTOCOL:
		case SSL_R_WRONG_SSL_VERSION:
		case SSL_R_VERSION_TOO_LOW:
		case SSL_R_VERSION_TOO_HIGH:
		case SSL_R_NO_SHARED_CIPHER:
		case SSL_R_WRONG_CIPHER_RETURNED:
		case SSL_R_NO_PROTOCOLS_AVAILABLE:
			tb_diag_set(d, TB_E_REFUSED, "refused: %s", rs ? rs : "?");
			return TB_TLS_REFUSED;
		default: break;
		}
	}
	tb_diag_set(d, TB_E_FORMAT, "not a TLS handshake: %s", rs ? rs : "unknown error");
	return TB_TLS_NOT_TLS;
}

/* Wait for what OpenSSL asked for; 0 ready, -1 deadline passed (or the run
 * is being stopped, see net.h). */
static int wait_io(int fd, int want_write, int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - tb_now_ms();
		if (left <= 0 || tb_net_stop_requested())
			return -1;
		struct pollfd p = { .fd = fd, .events = (short)(want_write ? POLLOUT : POLLIN) };
		int n = poll(&p, 1, (int)(left > TB_NET_POLL_SLICE_MS ? TB_NET_POLL_SLICE_MS : left));
		if (n > 0)
			return 0;
	}
}

static void fill_success(SSL *ssl, uint32_t addr, struct tb_tls_result *res)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
	res->outcome = TB_TLS_OK;
	snprintf(res->cipher, sizeof res->cipher, "%s", c ? SSL_CIPHER_get_name(c) : "?");
	res->group = c ? classify(c) : TB_TLSG_BROKEN;
	res->secure_reneg = SSL_get_secure_renegotiation_support(ssl) == 1;
	res->compression = SSL_get_current_compression(ssl) != NULL;
	res->have_cert = SSL_get0_peer_certificate(ssl) != NULL;
	if (res->have_cert)
		cert_facts(ssl, addr, &res->cert);
}

static enum tb_tls_outcome connect_outcome(enum tb_err e)
{
	return e == TB_E_REFUSED ? TB_TLS_CLOSED : e == TB_E_TIMEOUT ? TB_TLS_TIMEOUT : TB_TLS_LOCAL;
}

void tb_tls_handshake(struct tb_net *net, uint32_t addr, uint16_t port, const struct tb_tls_probe *pr,
		      struct tb_tls_result *res, struct tb_tls_conn **keep)
{
	struct tb_diag d = { .msg = "" };
	int fd = -1;
	int64_t deadline = tb_now_ms() + pr->timeout_ms;

	memset(res, 0, sizeof *res);
	if (keep)
		*keep = NULL;
	SSL_CTX *ctx = probe_ctx(pr, &d);
	if (!ctx) {
		res->outcome = TB_TLS_LOCAL;
		snprintf(res->why, sizeof res->why, "%s", d.msg);
		return;
	}
	enum tb_err e = tb_net_connect(net, addr, port, &fd, &d);
	if (e) {
		res->outcome = connect_outcome(e);
		snprintf(res->why, sizeof res->why, "connect: %s", d.msg[0] ? d.msg : tb_strerror(e));
		SSL_CTX_free(ctx);
		return;
	}
	ERR_clear_error();
	SSL *ssl = SSL_new(ctx);
	ERR_clear_error();
	if (!ssl || !SSL_set_fd(ssl, fd)) {
		res->outcome = TB_TLS_LOCAL;
		snprintf(res->why, sizeof res->why, "SSL_new/SSL_set_fd failed");
		goto out;
	}
	SSL_set_connect_state(ssl);
	for (;;) {
		if (tb_net_deadline_passed(deadline)) { /* even while the device keeps sending */
			res->outcome = TB_TLS_TIMEOUT;
			snprintf(res->why, sizeof res->why, "no complete handshake within %d ms%s",
				 pr->timeout_ms,
				 tb_net_stop_requested() ? " (the run was interrupted)" : "");
			break;
		}
		ERR_clear_error();
		int r = SSL_do_handshake(ssl);
		if (r == 1) {
			fill_success(ssl, addr, res);
			break;
		}
		int se = SSL_get_error(ssl, r);
		if (se == SSL_ERROR_WANT_READ || se == SSL_ERROR_WANT_WRITE) {
			if (wait_io(fd, se == SSL_ERROR_WANT_WRITE, deadline) == 0)
				continue;
			res->outcome = TB_TLS_TIMEOUT;
			snprintf(res->why, sizeof res->why,
				 "no complete handshake within %d ms (stalled or dripping)",
				 pr->timeout_ms);
			break;
		}
		res->outcome = failure(ssl, r, &d);
		snprintf(res->why, sizeof res->why, "%s", d.msg);
		break;
	}
out:
	if (res->outcome == TB_TLS_OK && keep) {
		struct tb_tls_conn *c = tb_xcalloc(1, sizeof *c);
		c->ssl = ssl;
		c->ctx = ctx;
		c->fd = fd;
		*keep = c;
		return;
	}
	SSL_free(ssl); /* no close_notify: the probe is over either way */
	SSL_CTX_free(ctx);
	tb_net_close(&fd);
}

enum tb_err tb_tls_send(struct tb_tls_conn *c, const void *buf, size_t len, int64_t deadline_ms)
{
	size_t done = 0;
	while (done < len) {
		if (tb_net_deadline_passed(deadline_ms))
			return TB_E_TIMEOUT;
		size_t w = 0;
		ERR_clear_error();
		int r = SSL_write_ex(c->ssl, (const uint8_t *)buf + done, len - done, &w);
		if (r == 1) {
			done += w;
			continue;
		}
		int se = SSL_get_error(c->ssl, r);
		if (se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE)
			return TB_E_REFUSED;
		if (wait_io(c->fd, se == SSL_ERROR_WANT_WRITE, deadline_ms))
			return TB_E_TIMEOUT;
	}
	return TB_OK;
}

enum tb_err tb_tls_recv(struct tb_tls_conn *c, void *buf, size_t cap, size_t *got, int64_t deadline_ms)
{
	*got = 0;
	for (;;) {
		/* Before every read: records that keep coming must not outlast the
		 * caller's deadline (see tb_net_recv). */
		if (tb_net_deadline_passed(deadline_ms))
			return TB_E_TIMEOUT;
		ERR_clear_error();
		int r = SSL_read_ex(c->ssl, buf, cap, got);
		if (r == 1)
			return TB_OK;
		int se = SSL_get_error(c->ssl, r);
		if (se == SSL_ERROR_ZERO_RETURN || se == SSL_ERROR_SYSCALL ||
		    (se == SSL_ERROR_SSL &&
		     ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
			*got = 0;
			return TB_OK;
		}
		if (se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE)
			return TB_E_FORMAT;
		if (wait_io(c->fd, se == SSL_ERROR_WANT_WRITE, deadline_ms))
			return TB_E_TIMEOUT;
	}
}

void tb_tls_close(struct tb_tls_conn *c)
{
	if (!c)
		return;
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	tb_net_close(&c->fd);
	free(c);
}

void tb_tls_open(struct tb_net *net, uint32_t addr, uint16_t port, int timeout_ms,
		 struct tb_tls_result *res, struct tb_tls_conn **conn)
{
	static const enum tb_tls_ver vers[] = { TB_TLS13, TB_TLS12 };
	int64_t deadline = tb_now_ms() + timeout_ms;
	*conn = NULL;
	memset(res, 0, sizeof *res);
	res->outcome = TB_TLS_TIMEOUT;
	for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++) {
		int64_t left = deadline - tb_now_ms();
		if (left <= 0)
			return;
		struct tb_tls_probe pr = { .ver = vers[i], .timeout_ms = (int)left };
		tb_tls_handshake(net, addr, port, &pr, res, conn);
		if (res->outcome != TB_TLS_REFUSED)
			return; /* open, or closed, not TLS, timed out, out of scope */
	}
}

enum tb_err tb_chan_send(struct tb_chan *c, const void *buf, size_t len, int64_t deadline_ms)
{
	return c->tls ? tb_tls_send(c->tls, buf, len, deadline_ms)
		      : tb_net_send_all(c->fd, buf, len, deadline_ms);
}

enum tb_err tb_chan_recv(struct tb_chan *c, void *buf, size_t cap, size_t *got, int64_t deadline_ms)
{
	return c->tls ? tb_tls_recv(c->tls, buf, cap, got, deadline_ms)
		      : tb_net_recv(c->fd, buf, cap, got, deadline_ms);
}

void tb_chan_end_input(struct tb_chan *c)
{
	if (c->tls) {
		(void)SSL_shutdown(c->tls->ssl); /* sends close_notify; the peer's may follow */
		ERR_clear_error();
	} else if (c->fd >= 0) {
		(void)shutdown(c->fd, SHUT_WR);
	}
}

void tb_chan_close(struct tb_chan *c, int abortive)
{
	if (c->tls)
		tb_tls_close(c->tls);
	else if (c->fd >= 0 && abortive)
		tb_net_abortive_close(c->fd);
	else if (c->fd >= 0)
		tb_net_close(&c->fd);
	c->tls = NULL;
	c->fd = -1;
}
