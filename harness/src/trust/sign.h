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
};

/* Check a detached signature (DER or PEM) over data against the trust
 * anchors in ca_path (a PEM file; nothing else is trusted).  now is the
 * time the chain must be valid at.  Returns TB_OK when the check ran
 * (whatever it found: see out), an error when the CA file is unusable. */
TB_WUR enum tb_err tb_sig_check(const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
				const char *ca_path, time_t now, struct tb_sigcheck *out,
				struct tb_diag *d);

#endif
