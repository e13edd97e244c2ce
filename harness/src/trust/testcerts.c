/* testcerts.c: TEST ONLY certificates minted at test time (see testcerts.h). */
#include "trust/testcerts.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust/pemio.h"

#define TEST_ONLY_O "trustbench TEST ONLY"
#define HOUR 3600
#define DAY (24 * HOUR)

static enum tb_err ossl_fail(struct tb_diag *d, const char *what)
{
	char why[256];
	tb_ossl_reason(why, sizeof why);
	return tb_diag_set(d, TB_E_INTERNAL, "%s: %s", what, why);
}

static EVP_PKEY *new_p256(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* The text of a PEM writer's output, NUL-terminated; NULL on failure. */
static char *bio_text(BIO *b)
{
	char *p;
	long n = BIO_get_mem_data(b, &p);
	if (n <= 0)
		return NULL;
	char *s = tb_xmalloc((size_t)n + 1);
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	return s;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static int set_serial(X509 *x)
{
	unsigned char r[8];
	if (RAND_bytes(r, sizeof r) != 1)
		return 0;
	r[0] &= 0x7f; /* positive */
	r[0] |= 0x01; /* and never zero */
	BIGNUM *bn = BN_bin2bn(r, sizeof r, NULL);
	int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	return ok;
}

/* Subject CN=cn, O=trustbench TEST ONLY, OU=ou. */
static int set_subject(X509 *x, const char *cn, const char *ou)
{
	X509_NAME *n = X509_get_subject_name(x);
	return X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
					  0) &&
	       X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)TEST_ONLY_O, -1,
					  -1, 0) &&
	       X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_UTF8, (const unsigned char *)ou, -1, -1, 0);
}

/* A certificate for key with subject (cn, ou), valid [nb, na], signed by
 * (issuer, ikey), or by itself when issuer is NULL. */
static X509 *build(EVP_PKEY *key, const char *cn, const char *ou, X509 *issuer, EVP_PKEY *ikey,
		   time_t nb, time_t na, int is_ca)
{
	X509 *x = X509_new();
	int ok = x && X509_set_version(x, 2) && set_serial(x) && set_subject(x, cn, ou) &&
		 X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb) &&
		 X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &na) && X509_set_pubkey(x, key);
	if (!ok)
		goto fail;
	X509 *signer = issuer ? issuer : x;
	if (!X509_set_issuer_name(x, X509_get_subject_name(signer)))
		goto fail;
	ok = add_ext(x, signer, NID_subject_key_identifier, "hash") &&
	     add_ext(x, signer, NID_authority_key_identifier, "keyid");
	if (ok && is_ca)
		ok = add_ext(x, signer, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
	else if (ok) {
		char san[300];
		snprintf(san, sizeof san, "DNS:%s", cn);
		ok = add_ext(x, signer, NID_basic_constraints, "critical,CA:FALSE") &&
		     add_ext(x, signer, NID_key_usage, "critical,digitalSignature") &&
		     add_ext(x, signer, NID_ext_key_usage, "serverAuth") &&
		     add_ext(x, signer, NID_subject_alt_name, san);
	}
	if (ok && X509_sign(x, issuer ? ikey : key, EVP_sha256()) > 0)
		return x;
fail:
	X509_free(x);
	return NULL;
}

enum tb_err tb_tc_ca_load(const char *cert_path, const char *key_path, struct tb_tc_ca *ca,
			  struct tb_diag *d)
{
	memset(ca, 0, sizeof *ca);
	STACK_OF(X509) *certs = tb_pem_certs(cert_path, "trusted CA certificate", d);
	if (!certs)
		return TB_E_CONFIG;
	ca->cert = sk_X509_shift(certs);
	sk_X509_pop_free(certs, X509_free);
	ca->key = tb_pem_key(key_path, d);
	if (!ca->key) {
		tb_tc_ca_free(ca);
		return TB_E_CONFIG;
	}
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		ERR_clear_error();
		tb_tc_ca_free(ca);
		return tb_diag_set(d, TB_E_CONFIG, "%s: the key does not match the CA certificate %s",
				   key_path, cert_path);
	}
	return TB_OK;
}

enum tb_err tb_tc_ca_make(const char *what, time_t now, struct tb_tc_ca *ca, struct tb_diag *d)
{
	char cn[160];
	memset(ca, 0, sizeof *ca);
	snprintf(cn, sizeof cn, "%s (TEST ONLY)", what);
	ca->key = new_p256();
	if (!ca->key)
		return ossl_fail(d, "EC P-256 key generation");
	ca->cert = build(ca->key, cn, "TEST ONLY: certificate authority made at test time", NULL, NULL,
			 now - HOUR, now + DAY, 1);
	if (!ca->cert) {
		tb_tc_ca_free(ca);
		return ossl_fail(d, "test CA certificate");
	}
	return TB_OK;
}

void tb_tc_ca_free(struct tb_tc_ca *ca)
{
	X509_free(ca->cert);
	EVP_PKEY_free(ca->key);
	ca->cert = NULL;
	ca->key = NULL;
}

static char *cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = b && PEM_write_bio_X509(b, x) ? bio_text(b) : NULL;
	BIO_free(b);
	return s;
}

static char *key_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) ? bio_text(b) : NULL;
	BIO_free(b);
	return s;
}

enum tb_err tb_tc_mint(const char *name, const char *what, const struct tb_tc_ca *issuer,
		       time_t not_before, time_t not_after, struct tb_testcert *out, struct tb_diag *d)
{
	char ou[200];
	memset(out, 0, sizeof *out);
	if (!name || !*name || strlen(name) > 253)
		return tb_diag_set(d, TB_E_CONFIG, "test certificate: bad name");
	snprintf(ou, sizeof ou, "TEST ONLY: %s", what);
	EVP_PKEY *key = new_p256();
	if (!key)
		return ossl_fail(d, "EC P-256 key generation");
	X509 *x = build(key, name, ou, issuer ? issuer->cert : NULL, issuer ? issuer->key : NULL,
			not_before, not_after, 0);
	if (x) {
		out->cert_pem = cert_pem(x);
		out->key_pem = key_pem(key);
		tb_x509_name_text(X509_get_subject_name(x), out->subject, sizeof out->subject);
	}
	X509_free(x);
	EVP_PKEY_free(key);
	if (!out->cert_pem || !out->key_pem) {
		tb_testcert_free(out);
		return ossl_fail(d, "test certificate");
	}
	return TB_OK;
}

void tb_testcert_free(struct tb_testcert *c)
{
	free(c->cert_pem);
	if (c->key_pem) {
		OPENSSL_cleanse(c->key_pem, strlen(c->key_pem));
		free(c->key_pem);
	}
	c->cert_pem = NULL;
	c->key_pem = NULL;
}
