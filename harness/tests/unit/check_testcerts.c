/* check_testcerts.c: unit tests for the TEST ONLY certificates minted at
 * test time (trust/testcerts.h): each forged one fails OpenSSL's own
 * verification against the trusted CA for the reason it stands for, and a
 * genuine-style one verifies. */
#include <check.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "suites.h"
#include "trust/testcerts.h"

#define NAME "cloud.trustbench.lab"
#define DAY 86400

static struct tb_tc_ca trusted;
static time_t now;

static void setup(void)
{
	struct tb_diag d = { 0 };
	now = time(NULL);
	ck_assert_int_eq(tb_tc_ca_make("unit-test trusted CA", now, &trusted, &d), TB_OK);
}

static void teardown(void)
{
	tb_tc_ca_free(&trusted);
}

static X509 *parse(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	ck_assert_ptr_nonnull(x);
	return x;
}

/* OpenSSL's verdict on pem as a server certificate for NAME, with the
 * trusted CA as the only trust anchor. */
static int verify(const char *pem)
{
	X509 *x = parse(pem);
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	ck_assert_int_eq(X509_STORE_add_cert(st, trusted.cert), 1);
	ck_assert_int_eq(X509_STORE_CTX_init(ctx, st, x, NULL), 1);
	X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set1_host(vp, NAME, 0);
	X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_SSL_SERVER);
	int ok = X509_verify_cert(ctx);
	int err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	X509_free(x);
	ck_assert_int_eq(ok == 1, err == X509_V_OK);
	return err;
}

static void mint(const char *name, const char *what, const struct tb_tc_ca *by, time_t nb, time_t na,
		 struct tb_testcert *c)
{
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_tc_mint(name, what, by, nb, na, c, &d) == TB_OK, "%s", d.msg);
	ck_assert_ptr_nonnull(strstr(c->subject, "TEST ONLY"));
	/* The certificate alone (one PEM block, no key), and a key that fits. */
	ck_assert_ptr_null(strstr(c->cert_pem, "PRIVATE KEY"));
	ck_assert_ptr_null(strstr(strstr(c->cert_pem, "END CERTIFICATE") + 1, "BEGIN"));
	ck_assert_ptr_nonnull(strstr(c->key_pem, "PRIVATE KEY"));
	X509 *x = parse(c->cert_pem);
	BIO *b = BIO_new_mem_buf(c->key_pem, -1);
	EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(X509_check_private_key(x, k), 1);
	ck_assert_str_eq(EVP_PKEY_get0_type_name(k), "EC");
	EVP_PKEY_free(k);
	BIO_free(b);
	X509_free(x);
}

START_TEST(genuine_style_verifies)
{
	struct tb_testcert c;
	mint(NAME, "genuine style", &trusted, now - 3600, now + DAY, &c);
	ck_assert_int_eq(verify(c.cert_pem), X509_V_OK);
	tb_testcert_free(&c);
}
END_TEST

START_TEST(self_signed_fails_as_self_signed)
{
	struct tb_testcert c;
	mint(NAME, "self-signed", NULL, now - 3600, now + DAY, &c);
	ck_assert_int_eq(verify(c.cert_pem), X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	tb_testcert_free(&c);
}
END_TEST

START_TEST(another_name_fails_on_the_name)
{
	struct tb_testcert c;
	mint("not-" NAME ".invalid", "another name", &trusted, now - 3600, now + DAY, &c);
	ck_assert_int_eq(verify(c.cert_pem), X509_V_ERR_HOSTNAME_MISMATCH);
	tb_testcert_free(&c);
}
END_TEST

START_TEST(expired_fails_on_the_dates)
{
	struct tb_testcert c;
	mint(NAME, "expired", &trusted, now - 30 * DAY, now - DAY, &c);
	ck_assert_int_eq(verify(c.cert_pem), X509_V_ERR_CERT_HAS_EXPIRED);
	tb_testcert_free(&c);
}
END_TEST

START_TEST(untrusted_ca_fails_on_the_issuer)
{
	struct tb_tc_ca other;
	struct tb_testcert c;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_tc_ca_make("nobody trusts this", now, &other, &d), TB_OK);
	mint(NAME, "untrusted CA", &other, now - 3600, now + DAY, &c);
	ck_assert_int_eq(verify(c.cert_pem), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	tb_testcert_free(&c);
	tb_tc_ca_free(&other);
}
END_TEST

static void write_pem(const char *path, X509 *x, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	if (x)
		ck_assert_int_eq(PEM_write_X509(f, x), 1);
	if (k)
		ck_assert_int_eq(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
}

START_TEST(ca_loads_from_files_and_refuses_a_foreign_key)
{
	char dir[] = "/tmp/tb-testcerts-XXXXXX", crt[64], key[64], bad[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(crt, sizeof crt, "%s/ca.pem", dir);
	snprintf(key, sizeof key, "%s/ca.key", dir);
	snprintf(bad, sizeof bad, "%s/other.key", dir);
	struct tb_tc_ca other, loaded;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_tc_ca_make("other", now, &other, &d), TB_OK);
	write_pem(crt, trusted.cert, NULL);
	write_pem(key, NULL, trusted.key);
	write_pem(bad, NULL, other.key);
	ck_assert_int_eq(tb_tc_ca_load(crt, key, &loaded, &d), TB_OK);
	struct tb_testcert c;
	mint(NAME, "signed by the loaded CA", &loaded, now - 3600, now + DAY, &c);
	ck_assert_int_eq(verify(c.cert_pem), X509_V_OK);
	tb_testcert_free(&c);
	tb_tc_ca_free(&loaded);
	ck_assert_int_eq(tb_tc_ca_load(crt, bad, &loaded, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "does not match"));
	ck_assert_ptr_null(loaded.cert);
	ck_assert_int_eq(tb_tc_ca_load(crt, "/nonexistent/ca.key", &loaded, &d), TB_E_CONFIG);
	tb_tc_ca_free(&other);
	unlink(crt);
	unlink(key);
	unlink(bad);
	rmdir(dir);
}
END_TEST

Suite *testcerts_suite(void)
{
	Suite *s = suite_create("testcerts");
	TCase *t = tcase_create("core");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, genuine_style_verifies);
	tcase_add_test(t, self_signed_fails_as_self_signed);
	tcase_add_test(t, another_name_fails_on_the_name);
	tcase_add_test(t, expired_fails_on_the_dates);
	tcase_add_test(t, untrusted_ca_fails_on_the_issuer);
	tcase_add_test(t, ca_loads_from_files_and_refuses_a_foreign_key);
	suite_add_tcase(s, t);
	return s;
}
