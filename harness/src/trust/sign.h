/* sign.h: detached CMS (PKCS#7) signatures over a report's exact bytes.
 *
 * `trustbench sign` writes REPORT.xml.p7s in DER: a CMS SignedData with
 * the content left out (detached), signed attributes including the signing
 * time, the signer's certificate and any chain given.  Every evidence file
 * is bound into the report by its SHA-256, so the signature covers the
 * evidence as well.  `openssl cms -verify -binary -inform DER -content
 * REPORT.xml -in REPORT.xml.p7s -CAfile CA.pem` checks the same thing.
 */
#ifndef TB_SIGN_H
#define TB_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/tb.h"

/* Reports and signatures larger than these are refused. */
#define TB_SIGN_MAX_REPORT (64u * 1024 * 1024)
#define TB_SIGN_MAX_PEM (1024u * 1024)

/* Sign the file at report_path with the PEM key and certificate (chain_path
 * may be NULL) and write the DER signature atomically to out_path. */
TB_WUR enum tb_err tb_sign_file(const char *report_path, const char *key_path, const char *cert_path,
				const char *chain_path, const char *out_path, struct tb_diag *d);

struct tb_tsa_src;
/* The same, and with tsa (may be NULL) an RFC 3161 timestamp token over the
 * signature value, stored as the SignerInfo's unsigned attribute
 * id-aa-timeStampToken (trust/tsa.h).  Nothing is written when the TSA
 * fails. */
TB_WUR enum tb_err tb_sign_file_tsa(const char *report_path, const char *key_path,
				    const char *cert_path, const char *chain_path,
				    const struct tb_tsa_src *tsa, const char *out_path,
				    struct tb_diag *d);

/* What checking a signature found.  Each *_msg says why in one sentence. */
struct tb_sigcheck {
	int sig_ok;   /* the signature matches the bytes */
	int chain_ok; /* the signer chains to the CA, valid now */
	char sig_msg[512], chain_msg[768];
	char signing_time[32]; /* RFC 3339 UTC, "" when absent */
	char subject[512];     /* signer, RFC 2253 */
	char issuer[512];
	char sha256[65];    /* signer certificate fingerprint */
	char not_after[32]; /* signer certificate expiry, RFC 3339 */
	/* RFC 3161 timestamp token (unsigned attribute id-aa-timeStampToken). */
	int ts_present; /* the signature carries a token */
	int ts_ok;      /* intact, over this signature, and its TSA chains to the TSA CA */
	/* ts_time and ts_tsa are what the token says: vouched for only when ts_ok. */
	char ts_time[32]; /* the token's genTime, RFC 3339 UTC ("" when unread) */
	char ts_msg[512]; /* why ts_ok is 0 (or, with ts_ok, what was checked) */
	char ts_tsa[512]; /* the token's signer, RFC 2253 */
	int ts_broken;    /* the token is malformed, not over this signature, or fails */
	int chain_at_ts;  /* chain_ok was judged at ts_time, not now */
	int expired_now;  /* the signer certificate has expired by now */
};

/* What tb_sig_check_opts trusts and when. */
struct tb_sigopts {
	const char *ca_path;     /* trust anchors for the signer (PEM) */
	const char *tsa_ca_path; /* TSA certificates trusted for timestamps, or NULL */
	time_t now;
};

/* Check a detached signature (DER or PEM) over data against the trust
 * anchors in ca_path (a PEM file; nothing else is trusted).  now is the
 * time the chain must be valid at.  Returns TB_OK when the check ran
 * (whatever it found: see out), an error when the CA file is unusable. */
TB_WUR enum tb_err tb_sig_check(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
				const char *ca_path, time_t now, struct tb_sigcheck *out,
				struct tb_diag *d);

/* The same, and a timestamp token in the signature is checked.  Without
 * tsa_ca_path only its integrity and imprint are (ts_ok stays 0; ts_broken
 * when they fail) and the chain is judged at now, as tb_sig_check does.
 * With it, a token whose TSA chains to tsa_ca_path (ts_ok) makes the chain
 * judged at the token's genTime (chain_at_ts); one that fails sets
 * ts_broken and the chain is judged at now.  A token that is there but
 * broken is tampering: callers treat it as a broken signature.
 * TB_E_CONFIG also when the TSA CA file is unusable. */
TB_WUR enum tb_err tb_sig_check_opts(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
				     const struct tb_sigopts *o, struct tb_sigcheck *out,
				     struct tb_diag *d);

#endif
