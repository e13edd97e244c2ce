/* testcerts.h: TEST ONLY certificates minted at test time (the
 * cloud-identity check presents them to the device as if from its cloud).
 *
 * Every key is a fresh EC P-256 key, every subject says TEST ONLY, and
 * nothing here is written anywhere by itself: the caller decides what
 * becomes evidence (certificates, never keys).
 */
#ifndef TB_TESTCERTS_H
#define TB_TESTCERTS_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <time.h>

#include "base/tb.h"

/* A certificate authority that signs test certificates: the profile's
 * trusted test CA, or one made at test time that nobody trusts. */
struct tb_tc_ca {
	X509 *cert;
	EVP_PKEY *key;
};

/* A minted leaf. */
struct tb_testcert {
	char *cert_pem; /* the certificate alone, PEM */
	char *key_pem;  /* its private key, PEM (for the cloud only: never evidence) */
	char subject[256];
};

/* Load a CA from PEM files (an unencrypted key that matches the certificate). */
TB_WUR enum tb_err tb_tc_ca_load(const char *cert_path, const char *key_path, struct tb_tc_ca *ca,
				 struct tb_diag *d);
/* Make a self-signed CA "<what> (TEST ONLY)" valid from now - 1 h to now + 1 day. */
TB_WUR enum tb_err tb_tc_ca_make(const char *what, time_t now, struct tb_tc_ca *ca, struct tb_diag *d);
void tb_tc_ca_free(struct tb_tc_ca *ca);

/* Mint a server certificate for name (CN and SAN DNS), valid from
 * not_before to not_after, signed by issuer (NULL: self-signed).  what
 * goes into the subject's OU beside "TEST ONLY". */
TB_WUR enum tb_err tb_tc_mint(const char *name, const char *what, const struct tb_tc_ca *issuer,
			      time_t not_before, time_t not_after, struct tb_testcert *out,
			      struct tb_diag *d);
void tb_testcert_free(struct tb_testcert *c);

#endif
