/* tls.h: every OpenSSL call the harness makes lives in tls.c.
 *
 * A probe is one TLS client handshake on a socket from tb_net_connect()
 * (scope-checked, rate-limited, non-blocking): OpenSSL never opens a
 * connection itself.  The probing SSL_CTX is deliberately permissive
 * (security level 0, legacy renegotiation and server connect allowed,
 * compression not disabled) so that the harness can see what a device
 * accepts; it never verifies the peer, it records certificate facts.
 */
#ifndef TB_TLS_H
#define TB_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "base/tb.h"

/* Protocol versions probed, oldest first. */
enum tb_tls_ver { TB_TLS10, TB_TLS11, TB_TLS12, TB_TLS13, TB_TLS_NVER };
const char *tb_tls_ver_name(enum tb_tls_ver v); /* "1.0" .. "1.3" */

/* Cipher suite groups (the rule table in the suite names these). */
enum tb_tls_group { TB_TLSG_AEAD_FS, TB_TLSG_AEAD_NOFS, TB_TLSG_CBC, TB_TLSG_BROKEN, TB_TLSG_N };
const char *tb_tls_group_name(enum tb_tls_group g); /* "aead-fs", "aead-nofs", "cbc", "broken" */

enum tb_tls_outcome {
	TB_TLS_OK,      /* handshake completed */
	TB_TLS_REFUSED, /* alert, close or version/cipher refusal: not accepted */
	TB_TLS_NOT_TLS, /* the peer's bytes are not a TLS handshake */
	TB_TLS_TIMEOUT, /* the deadline passed (stall, drip) */
	TB_TLS_CLOSED,  /* nothing listens (TCP refused) */
	TB_TLS_LOCAL,   /* scope refusal or a local failure */
};

struct tb_tls_cert {
	char key_type[16]; /* "RSA", "EC", "ED25519", "DSA", ... */
	int key_bits;
	char curve[32];                /* EC group name, "" otherwise */
	char sig_alg[64];              /* e.g. "sha256WithRSAEncryption" */
	int sig_weak_hash;             /* signature over MD5 or SHA-1 */
	int64_t not_before, not_after; /* Unix time; 0 when unreadable */
	int self_signed;
	int chain_len; /* certificates the server sent */
	int has_san;
	int san_matches; /* a SAN IP entry equals the address used */
	char subject[160], issuer[160];
};

struct tb_tls_probe {
	enum tb_tls_ver ver;
	const char *ciphers;      /* TLS <= 1.2 cipher string (OpenSSL syntax) */
	const char *ciphersuites; /* TLS 1.3 suites */
	int timeout_ms;           /* connect + handshake */
};

struct tb_tls_result {
	enum tb_tls_outcome outcome;
	char why[256];
	char cipher[64]; /* negotiated suite (OpenSSL name) */
	enum tb_tls_group group;
	int secure_reneg; /* RFC 5746 offered by the server (TLS <= 1.2) */
	int compression;  /* compression negotiated */
	int have_cert;
	struct tb_tls_cert cert;
};

struct tb_tls_conn;

/* Run one handshake to addr:port.  Never fails hard: the outcome is in
 * res.  With keep != NULL and TB_TLS_OK the connection stays open in *keep
 * (for an application protocol over TLS); otherwise it is closed. */
void tb_tls_handshake(struct tb_net *net, uint32_t addr, uint16_t port, const struct tb_tls_probe *pr,
		      struct tb_tls_result *res, struct tb_tls_conn **keep);
TB_WUR enum tb_err tb_tls_send(struct tb_tls_conn *c, const void *buf, size_t len, int64_t deadline_ms);
/* TB_OK with *got == 0: the peer closed. */
TB_WUR enum tb_err tb_tls_recv(struct tb_tls_conn *c, void *buf, size_t cap, size_t *got,
			       int64_t deadline_ms);
void tb_tls_close(struct tb_tls_conn *c);
/* Open a TLS connection for an application exchange within timeout_ms:
 * TLS 1.3 first, then 1.2 when the device refuses it (which versions it
 * should accept is the tls check's business).  The outcome and why are in
 * res; on TB_TLS_OK *conn is open. */
void tb_tls_open(struct tb_net *net, uint32_t addr, uint16_t port, int timeout_ms,
		 struct tb_tls_result *res, struct tb_tls_conn **conn);

/* The byte stream of one exchange: the scoped socket, or TLS over it, behind
 * one pair of calls (HTTP, MQTT and the login drivers speak both). */
struct tb_chan {
	int fd;
	struct tb_tls_conn *tls;
};
enum tb_err tb_chan_send(struct tb_chan *c, const void *buf, size_t len, int64_t deadline_ms);
/* TB_OK with *got == 0: the peer closed. */
TB_WUR enum tb_err tb_chan_recv(struct tb_chan *c, void *buf, size_t cap, size_t *got,
				int64_t deadline_ms);
/* Say the request is complete: a TCP half-close, or TLS's close_notify (the
 * peer reads the end of its input; answers can still be read). */
void tb_chan_end_input(struct tb_chan *c);
/* Close either; abortive: reset a plain socket rather than close it
 * gracefully (nothing left to say to a device). */
void tb_chan_close(struct tb_chan *c, int abortive);

/* Can this OpenSSL build offer TLS compression at all? */
int tb_tls_can_offer_compression(void);
/* The client's full cipher list for TLS <= 1.2 and the TLS 1.3 suites. */
extern const char tb_tls_all_ciphers[];
extern const char tb_tls_all_suites13[];

#endif
