/* check_tsa.c: unit tests for RFC 3161 timestamps (trust/tsa.c) and for
 * judging a signer's chain at the timestamped time (trust/sign.c). */
#include <check.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "trust/sign.h"
#include "trust/tsa.h"
#include "suites.h"

static char dir[] = "/tmp/tb-tsa-XXXXXX";
static const uint8_t sig_a[] = "the signature value of report A";
static const uint8_t sig_b[] = "the signature value of report B";

/* ---- A throw-away PKI, made once ---- */

struct ext {
	int nid;
	const char *value;
};

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey,
		       const struct ext *ext, long from_s, long to_s)
{
	static long serial = 1000;
	X509 *x = X509_new();
	ck_assert_ptr_nonnull(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_time_adj_ex(X509_getm_notBefore(x), 0, from_s, NULL);
	X509_time_adj_ex(X509_getm_notAfter(x), 0, to_s, NULL);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"trustbench test-only",
				   -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_set_pubkey(x, key);
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	for (; ext && ext->nid; ext++) {
		X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, ext->nid, ext->value);
		ck_assert_ptr_nonnull(e);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	ck_assert_int_gt(X509_sign(x, ikey ? ikey : key, EVP_sha256()), 0);
	return x;
}

static void write_pem(const char *rel, X509 *cert, EVP_PKEY *key)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	if (cert)
		ck_assert_int_eq(PEM_write_X509(f, cert), 1);
	if (key)
		ck_assert_int_eq(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
}

static void mkdir_in(const char *rel)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	ck_assert_int_eq(mkdir(p, 0700), 0);
}

static const struct ext ca_ext[] = { { NID_basic_constraints, "critical,CA:TRUE" },
				     { NID_key_usage, "critical,keyCertSign,cRLSign" },
				     { NID_subject_key_identifier, "hash" },
				     { 0, NULL } };
static const struct ext tsa_ext[] = { { NID_basic_constraints, "critical,CA:FALSE" },
				      { NID_key_usage, "critical,digitalSignature" },
				      { NID_ext_key_usage, "critical,timeStamping" },
				      { 0, NULL } };
static const struct ext leaf_ext[] = { { NID_basic_constraints, "critical,CA:FALSE" },
				       { NID_key_usage, "critical,digitalSignature" },
				       { 0, NULL } };

/* dir/ca.pem, dir/tsa/{tsa.key,tsa.pem} (a TSA under the CA),
 * dir/other-ca.pem, dir/notsa/{tsa.key,tsa.pem} (a lab certificate without
 * the time-stamping usage), dir/lab.{key,pem} (a signer valid 10 days; the
 * CAs and the TSA 100 days),
 * dir/old.{key,pem} (a signer that expired yesterday). */
static void make_pki(void)
{
	strcpy(dir, "/tmp/tb-tsa-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	EVP_PKEY *cak = EVP_EC_gen("P-256"), *ok = EVP_EC_gen("P-256"), *tk = EVP_EC_gen("P-256");
	EVP_PKEY *lk = EVP_EC_gen("P-256"), *oldk = EVP_EC_gen("P-256");
	X509 *ca = make_cert("tsa test CA", cak, NULL, NULL, ca_ext, -3600, 86400 * 100);
	X509 *other = make_cert("tsa test other CA", ok, NULL, NULL, ca_ext, -3600, 86400 * 100);
	X509 *tsa = make_cert("tsa test TSA", tk, ca, cak, tsa_ext, -3600, 86400 * 100);
	X509 *lab = make_cert("tsa test signer", lk, ca, cak, leaf_ext, -3600, 86400 * 10);
	X509 *old = make_cert("tsa test old signer", oldk, ca, cak, leaf_ext, -86400 * 2, -86400);
	write_pem("ca.pem", ca, NULL);
	write_pem("other-ca.pem", other, NULL);
	mkdir_in("tsa");
	write_pem("tsa/tsa.key", NULL, tk);
	write_pem("tsa/tsa.pem", tsa, NULL);
	mkdir_in("notsa");
	write_pem("notsa/tsa.key", NULL, lk);
	write_pem("notsa/tsa.pem", lab, NULL);
	write_pem("lab.key", NULL, lk);
	write_pem("lab.pem", lab, NULL);
	write_pem("old.key", NULL, oldk);
	write_pem("old.pem", old, NULL);
	write_pem("ca-key.pem", NULL, cak);
	X509_free(ca);
	X509_free(other);
	X509_free(tsa);
	X509_free(lab);
	X509_free(old);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(ok);
	EVP_PKEY_free(tk);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(oldk);
}

static void remove_pki(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *in_dir(const char *rel)
{
	static char p[16][256];
	static int i;
	i = (i + 1) % 16;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, rel);
	return p[i];
}

/* A token over sigval from the test TSA in dir/tsa. */
static void stamp(const uint8_t *sigval, size_t len, uint8_t **tok, size_t *toklen)
{
	struct tb_tsa_src src = { .dir = in_dir("tsa") };
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_tsa_stamp(&src, sigval, len, tok, toklen, &d) == TB_OK, "%s", d.msg);
	ck_assert_uint_gt(*toklen, 100);
}

static void check_token(const uint8_t *tok, size_t toklen, const uint8_t *sigval, size_t len,
			const char *ca, struct tb_tsa_check *out)
{
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_tsa_token_check(tok, toklen, sigval, len, ca, time(NULL), out, &d) == TB_OK,
		      "%s", d.msg);
}

/* ---- The URL: only plain http:// to the lab or loopback ---- */

START_TEST(url_outside_the_lab_is_refused)
{
	static const struct {
		const char *url;
		enum tb_err err;
		const char *why;
	} bad[] = {
		{ "http://192.0.2.1/", TB_E_SCOPE, "outside the lab" },
		{ "http://8.8.8.8:80/tsa", TB_E_SCOPE, "nothing was sent" },
		{ "http://198.20.0.1/", TB_E_SCOPE, "outside the lab" },
		{ "http://198.17.255.255/", TB_E_SCOPE, "outside the lab" },
		{ "http://10.0.0.1/", TB_E_SCOPE, "outside the lab" },
		{ "https://198.18.0.1/", TB_E_CONFIG, "only plain http://" },
		{ "ftp://198.18.0.1/", TB_E_CONFIG, "only plain http://" },
		{ "http://tsa.example.test/", TB_E_CONFIG, "never resolved" },
		{ "http://localhost/", TB_E_CONFIG, "never resolved" },
		{ "http://user@198.18.0.1/", TB_E_CONFIG, "never resolved" },
		{ "http://[2001:2::1]/", TB_E_CONFIG, "IPv6" },
		{ "http://198.18.0.1:0/", TB_E_CONFIG, "bad port" },
		{ "http://198.18.0.1:65536/", TB_E_CONFIG, "bad port" },
		{ "http://198.18.0.1:08/", TB_E_CONFIG, "bad port" },
		{ "http://198.18.0.1?x", TB_E_CONFIG, "malformed" },
		{ "http://198.18.0.1/a b", TB_E_CONFIG, "path" },
		{ "http://198.18.0.1/a#b", TB_E_CONFIG, "path" },
		{ "http:///", TB_E_CONFIG, "never resolved" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t a;
		uint16_t port;
		char path[64];
		struct tb_diag d = { 0 };
		enum tb_err e = tb_tsa_url_parse(bad[i].url, &a, &port, path, sizeof path, &d);
		ck_assert_msg(e == bad[i].err, "%s: %d", bad[i].url, e);
		ck_assert_msg(strstr(d.msg, bad[i].why), "%s: %s", bad[i].url, d.msg);
	}
}
END_TEST

START_TEST(url_inside_the_lab_is_read)
{
	uint32_t a;
	uint16_t port;
	char path[64];
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_tsa_url_parse("http://198.18.0.7:8318/tsa", &a, &port, path, sizeof path,
					  &d),
			 TB_OK);
	ck_assert_uint_eq(a, 0xc6120007u);
	ck_assert_uint_eq(port, 8318);
	ck_assert_str_eq(path, "/tsa");
	ck_assert_int_eq(tb_tsa_url_parse("http://127.0.0.1", &a, &port, path, sizeof path, &d), TB_OK);
	ck_assert_uint_eq(port, 80);
	ck_assert_str_eq(path, "/");
	ck_assert_int_eq(tb_tsa_url_parse("http://198.19.255.254/", &a, &port, path, sizeof path, &d),
			 TB_OK);
	ck_assert_int_eq(tb_tsa_url_parse("http://198.18.0.1/much-too-long-a-path-for-the-buffer-"
					  "that-was-given-here-by-the-caller",
					  &a, &port, path, 16, &d),
			 TB_E_CONFIG);
}
END_TEST

/* The refusal comes before a request is even built: at once, no token. */
START_TEST(stamp_refuses_out_of_lab_url_at_once)
{
	struct tb_tsa_src src = { .url = "http://192.0.2.1/" };
	struct tb_diag d = { 0 };
	uint8_t *tok = (uint8_t *)1;
	size_t toklen = 0;
	int64_t t0 = tb_now_ms();
	ck_assert_int_eq(tb_tsa_stamp(&src, sig_a, sizeof sig_a, &tok, &toklen, &d), TB_E_SCOPE);
	ck_assert_int_lt(tb_now_ms() - t0, 200);
	ck_assert_ptr_null(tok);
	ck_assert_ptr_nonnull(strstr(d.msg, "192.0.2.1 is outside the lab"));
}
END_TEST

/* ---- Tokens from the test-only TSA ---- */

START_TEST(local_tsa_token_verifies)
{
	uint8_t *tok;
	size_t toklen;
	struct tb_tsa_check c;
	time_t before = time(NULL);
	stamp(sig_a, sizeof sig_a, &tok, &toklen);
	check_token(tok, toklen, sig_a, sizeof sig_a, in_dir("ca.pem"), &c);
	ck_assert_msg(c.ok && c.trusted, "%s", c.msg);
	ck_assert_ptr_nonnull(strstr(c.tsa, "CN=tsa test TSA"));
	ck_assert_int_ge(c.gen_time, before - 1);
	ck_assert_int_le(c.gen_time, time(NULL) + 1);
	ck_assert_uint_eq(strlen(c.time), 20);
	/* Without a TSA CA: intact and over this signature, but not trusted. */
	check_token(tok, toklen, sig_a, sizeof sig_a, NULL, &c);
	ck_assert_msg(c.ok && !c.trusted, "%s", c.msg);
	free(tok);
}
END_TEST

START_TEST(token_of_another_signature_fails)
{
	uint8_t *tok;
	size_t toklen;
	struct tb_tsa_check c;
	stamp(sig_a, sizeof sig_a, &tok, &toklen);
	check_token(tok, toklen, sig_b, sizeof sig_b, in_dir("ca.pem"), &c);
	ck_assert(!c.ok);
	ck_assert_msg(strstr(c.msg, "over another signature"), "%s", c.msg);
	check_token(tok, toklen, sig_b, sizeof sig_b, NULL, &c);
	ck_assert(!c.ok);
	free(tok);
}
END_TEST

START_TEST(token_from_an_untrusted_tsa_fails)
{
	uint8_t *tok;
	size_t toklen;
	struct tb_tsa_check c;
	stamp(sig_a, sizeof sig_a, &tok, &toklen);
	check_token(tok, toklen, sig_a, sizeof sig_a, in_dir("other-ca.pem"), &c);
	ck_assert(!c.ok);
	ck_assert_msg(strstr(c.msg, "does not verify against the given TSA CA"), "%s", c.msg);
	free(tok);
}
END_TEST

/* Every single flipped bit anywhere in the token is caught, with the TSA
 * CA and (where the token carries what is needed) without. */
START_TEST(every_flipped_byte_in_a_token_fails)
{
	uint8_t *tok;
	size_t toklen;
	struct tb_tsa_check c;
	stamp(sig_a, sizeof sig_a, &tok, &toklen);
	size_t missed = 0;
	for (size_t i = 0; i < toklen; i++) {
		tok[i] ^= 1;
		check_token(tok, toklen, sig_a, sizeof sig_a, in_dir("ca.pem"), &c);
		if (c.ok) {
			fprintf(stderr, "flip at %zu/%zu not caught\n", i, toklen);
			missed++;
			if (getenv("TB_TSA_DUMP")) {
				FILE *f = fopen(getenv("TB_TSA_DUMP"), "wb");
				fwrite(tok, 1, toklen, f);
				fclose(f);
			}
		}
		tok[i] ^= 1;
	}
	ck_assert_uint_eq(missed, 0);
	check_token(tok, toklen, sig_a, sizeof sig_a, in_dir("ca.pem"), &c);
	ck_assert(c.ok);
	/* Truncated, or a byte after it. */
	check_token(tok, toklen - 1, sig_a, sizeof sig_a, in_dir("ca.pem"), &c);
	ck_assert(!c.ok);
	uint8_t *longer = malloc(toklen + 1);
	memcpy(longer, tok, toklen);
	longer[toklen] = 0;
	check_token(longer, toklen + 1, sig_a, sizeof sig_a, in_dir("ca.pem"), &c);
	ck_assert(!c.ok);
	free(longer);
	free(tok);
}
END_TEST

START_TEST(a_tsa_certificate_without_time_stamping_usage_is_refused)
{
	struct tb_tsa_src src = { .dir = in_dir("notsa") };
	struct tb_diag d = { 0 };
	uint8_t *tok;
	size_t toklen;
	ck_assert_int_eq(tb_tsa_stamp(&src, sig_a, sizeof sig_a, &tok, &toklen, &d), TB_E_CONFIG);
	ck_assert_msg(strstr(d.msg, "not a time-stamping certificate"), "%s", d.msg);
}
END_TEST

START_TEST(tsa_ca_file_unusable_is_a_config_error)
{
	uint8_t *tok;
	size_t toklen;
	struct tb_tsa_check c;
	struct tb_diag d = { 0 };
	stamp(sig_a, sizeof sig_a, &tok, &toklen);
	ck_assert_int_eq(tb_tsa_token_check(tok, toklen, sig_a, sizeof sig_a, in_dir("tsa/tsa.key"),
					    time(NULL), &c, &d),
			 TB_E_CONFIG);
	free(tok);
}
END_TEST

/* ---- Responses (untrusted bytes from a TSA) ---- */

static void answer(const uint8_t *req, size_t reqlen, uint8_t **resp, size_t *resplen)
{
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_tsa_answer_local(in_dir("tsa"), req, reqlen, resp, resplen, &d) == TB_OK, "%s",
		      d.msg);
}

START_TEST(response_must_answer_this_request)
{
	uint8_t *req1, *req2, *resp, *tok = NULL;
	size_t l1, l2, rl, tl;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_tsa_request(sig_a, sizeof sig_a, &req1, &l1, &d), TB_OK);
	/* Same bytes, another nonce: a replayed answer to req2 is refused. */
	ck_assert_int_eq(tb_tsa_request(sig_a, sizeof sig_a, &req2, &l2, &d), TB_OK);
	answer(req2, l2, &resp, &rl);
	ck_assert_int_eq(tb_tsa_response_check(resp, rl, req1, l1, &tok, &tl, &d), TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "does not answer our request"), "%s", d.msg);
	ck_assert_ptr_null(tok);
	ck_assert_int_eq(tb_tsa_response_check(resp, rl, req2, l2, &tok, &tl, &d), TB_OK);
	free(tok);
	tok = NULL;
	/* An answer over other bytes. */
	free(req2);
	ck_assert_int_eq(tb_tsa_request(sig_b, sizeof sig_b, &req2, &l2, &d), TB_OK);
	ck_assert_int_eq(tb_tsa_response_check(resp, rl, req2, l2, &tok, &tl, &d), TB_E_FORMAT);
	/* Garbage, a truncated answer, a byte after it, too large. */
	ck_assert_int_eq(tb_tsa_response_check((const uint8_t *)"\x30\x03\x02\x01", 4, req1, l1, &tok,
					       &tl, &d),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_tsa_response_check(resp, rl - 1, req1, l1, &tok, &tl, &d), TB_E_FORMAT);
	uint8_t *big = calloc(1, TB_TSA_MAX_RESPONSE + 2);
	memcpy(big, resp, rl);
	ck_assert_int_eq(tb_tsa_response_check(big, rl + 1, req1, l1, &tok, &tl, &d), TB_E_FORMAT);
	ck_assert_int_eq(tb_tsa_response_check(big, TB_TSA_MAX_RESPONSE + 1, req1, l1, &tok, &tl, &d),
			 TB_E_TOOBIG);
	ck_assert_ptr_null(tok);
	free(big);
	free(resp);
	free(req1);
	free(req2);
}
END_TEST

/* A request the TSA does not grant (SHA-1 imprint): the status is read. */
START_TEST(a_rejection_is_reported)
{
	TS_REQ *r = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	unsigned char md[20] = { 0 };
	X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha1), V_ASN1_NULL, NULL);
	TS_MSG_IMPRINT_set_algo(mi, alg);
	TS_MSG_IMPRINT_set_msg(mi, md, sizeof md);
	TS_REQ_set_version(r, 1);
	TS_REQ_set_msg_imprint(r, mi);
	unsigned char *der = NULL;
	int n = i2d_TS_REQ(r, &der);
	ck_assert_int_gt(n, 0);
	uint8_t *resp, *tok = NULL;
	size_t rl, tl;
	struct tb_diag d = { 0 };
	answer(der, (size_t)n, &resp, &rl);
	ck_assert_int_eq(tb_tsa_response_check(resp, rl, der, (size_t)n, &tok, &tl, &d), TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "did not grant the request: status 2 (rejection)"), "%s", d.msg);
	free(resp);
	OPENSSL_free(der);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(r);
}
END_TEST

/* ---- Signatures with a timestamp: the chain judged at its time ---- */

static char *slurp(const char *path, size_t *len)
{
	char *buf;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_file_read(path, 1 << 20, &buf, len, &d), TB_OK);
	return buf;
}

/* Sign dir/report.xml with NAME.key/NAME.pem (stamped when tsa), then check
 * it against ca.pem with tsa_ca at time now. */
static void sign_and_check(const char *name, int tsa, const char *tsa_ca, time_t now,
			   struct tb_sigcheck *sc)
{
	char key[64], cert[64];
	snprintf(key, sizeof key, "%s.key", name);
	snprintf(cert, sizeof cert, "%s.pem", name);
	FILE *f = fopen(in_dir("report.xml"), "w");
	ck_assert_ptr_nonnull(f);
	fputs("<report>bytes</report>\n", f);
	fclose(f);
	struct tb_tsa_src src = { .dir = in_dir("tsa") };
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_sign_file_tsa(in_dir("report.xml"), in_dir(key), in_dir(cert), NULL,
				       tsa ? &src : NULL, in_dir("report.xml.p7s"), &d) == TB_OK,
		      "%s", d.msg);
	size_t rl, sl;
	char *r = slurp(in_dir("report.xml"), &rl), *s = slurp(in_dir("report.xml.p7s"), &sl);
	struct tb_sigopts o = { .ca_path = in_dir("ca.pem"), .tsa_ca_path = tsa_ca, .now = now };
	ck_assert_int_eq(tb_sig_check_opts((uint8_t *)r, rl, (uint8_t *)s, sl, &o, sc, &d), TB_OK);
	free(r);
	free(s);
}

START_TEST(stamped_signature_verifies_and_says_when)
{
	struct tb_sigcheck *sc = calloc(1, sizeof *sc);
	sign_and_check("lab", 1, in_dir("ca.pem"), time(NULL), sc);
	ck_assert(sc->sig_ok && sc->chain_ok && sc->ts_present && sc->ts_ok && !sc->ts_broken);
	ck_assert(sc->chain_at_ts && !sc->expired_now);
	ck_assert_ptr_nonnull(strstr(sc->ts_tsa, "CN=tsa test TSA"));
	ck_assert_uint_eq(strlen(sc->ts_time), 20);
	/* Without the TSA CA: the token is seen, intact, but not used. */
	sign_and_check("lab", 1, NULL, time(NULL), sc);
	ck_assert(sc->sig_ok && sc->chain_ok && sc->ts_present && !sc->ts_ok && !sc->ts_broken);
	ck_assert(!sc->chain_at_ts);
	/* No token: as before. */
	sign_and_check("lab", 0, in_dir("ca.pem"), time(NULL), sc);
	ck_assert(sc->sig_ok && sc->chain_ok && !sc->ts_present && !sc->ts_ok && !sc->chain_at_ts);
	free(sc);
}
END_TEST

/* Ten days on the signer has expired: with the token it still verifies,
 * judged at the timestamped time; without the TSA CA it is refused. */
START_TEST(expired_signer_with_timestamp_verifies)
{
	struct tb_sigcheck *sc = calloc(1, sizeof *sc);
	time_t later = time(NULL) + 86400 * 11;
	sign_and_check("lab", 1, in_dir("ca.pem"), later, sc);
	ck_assert_msg(sc->sig_ok && sc->chain_ok && sc->ts_ok && sc->chain_at_ts && sc->expired_now,
		      "%s / %s", sc->ts_msg, sc->chain_msg);
	sign_and_check("lab", 1, NULL, later, sc);
	ck_assert(sc->sig_ok && !sc->chain_ok && !sc->ts_ok && sc->expired_now);
	ck_assert_msg(strstr(sc->chain_msg, "expired"), "%s", sc->chain_msg);
	sign_and_check("lab", 0, in_dir("ca.pem"), later, sc);
	ck_assert(sc->sig_ok && !sc->chain_ok && !sc->ts_present);
	ck_assert_msg(strstr(sc->chain_msg, "no timestamp authority vouches"), "%s", sc->chain_msg);
	free(sc);
}
END_TEST

/* A signer that had already expired when the timestamp was made is refused. */
START_TEST(signer_expired_before_the_timestamp_is_refused)
{
	struct tb_sigcheck *sc = calloc(1, sizeof *sc);
	sign_and_check("old", 1, in_dir("ca.pem"), time(NULL), sc);
	ck_assert(sc->sig_ok && sc->ts_ok && sc->chain_at_ts && !sc->chain_ok);
	ck_assert_msg(strstr(sc->chain_msg, "expired"), "%s", sc->chain_msg);
	free(sc);
}
END_TEST

/* A token moved from another signature into this one: exit 4 material. */
START_TEST(token_moved_from_another_signature_is_broken)
{
	struct tb_sigcheck *sc = calloc(1, sizeof *sc);
	uint8_t *tok;
	size_t toklen;
	stamp(sig_b, sizeof sig_b, &tok, &toklen);
	sign_and_check("lab", 0, NULL, time(NULL), sc);
	/* Put the foreign token into the signature with OpenSSL's CMS API. */
	size_t sl;
	char *s = slurp(in_dir("report.xml.p7s"), &sl);
	const unsigned char *p = (const unsigned char *)s;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sl);
	ck_assert_ptr_nonnull(cms);
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	ck_assert_int_eq(CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
						       V_ASN1_SEQUENCE, tok, (int)toklen),
			 1);
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);
	ck_assert_int_gt(n, 0);
	size_t rl;
	char *r = slurp(in_dir("report.xml"), &rl);
	struct tb_sigopts o = { .ca_path = in_dir("ca.pem"),
				.tsa_ca_path = in_dir("ca.pem"),
				.now = time(NULL) };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_sig_check_opts((uint8_t *)r, rl, der, (size_t)n, &o, sc, &d), TB_OK);
	ck_assert(sc->sig_ok && sc->ts_present && sc->ts_broken && !sc->ts_ok && !sc->chain_at_ts);
	ck_assert_msg(strstr(sc->ts_msg, "over another signature"), "%s", sc->ts_msg);
	/* Two tokens: broken too. */
	ck_assert_int_eq(CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
						       V_ASN1_SEQUENCE, tok, (int)toklen),
			 1);
	OPENSSL_free(der);
	der = NULL;
	n = i2d_CMS_ContentInfo(cms, &der);
	ck_assert_int_eq(tb_sig_check_opts((uint8_t *)r, rl, der, (size_t)n, &o, sc, &d), TB_OK);
	ck_assert(sc->ts_broken);
	ck_assert_msg(strstr(sc->ts_msg, "more than one"), "%s", sc->ts_msg);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	free(r);
	free(s);
	free(tok);
	free(sc);
}
END_TEST

/* Unsigned attributes are outside the signature: only the token may be there. */
START_TEST(another_unsigned_attribute_breaks_the_signature)
{
	struct tb_sigcheck *sc = calloc(1, sizeof *sc);
	sign_and_check("lab", 1, in_dir("ca.pem"), time(NULL), sc);
	ck_assert(sc->sig_ok && sc->ts_ok);
	size_t sl, rl;
	char *s = slurp(in_dir("report.xml.p7s"), &sl), *r = slurp(in_dir("report.xml"), &rl);
	const unsigned char *p = (const unsigned char *)s;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sl);
	ck_assert_ptr_nonnull(cms);
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	ck_assert_int_eq(CMS_unsigned_add1_attr_by_NID(si, NID_pkcs9_unstructuredName,
						       V_ASN1_UTF8STRING, "added later", 11),
			 1);
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);
	struct tb_sigopts o = { .ca_path = in_dir("ca.pem"),
				.tsa_ca_path = in_dir("ca.pem"),
				.now = time(NULL) };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_sig_check_opts((uint8_t *)r, rl, der, (size_t)n, &o, sc, &d), TB_OK);
	ck_assert(!sc->sig_ok);
	ck_assert_msg(strstr(sc->sig_msg, "unsigned attribute other than a timestamp token"), "%s",
		      sc->sig_msg);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	free(r);
	free(s);
	free(sc);
}
END_TEST

Suite *tsa_suite(void)
{
	Suite *s = suite_create("tsa");
	TCase *url = tcase_create("url");
	tcase_add_test(url, url_outside_the_lab_is_refused);
	tcase_add_test(url, url_inside_the_lab_is_read);
	tcase_add_test(url, stamp_refuses_out_of_lab_url_at_once);
	suite_add_tcase(s, url);
	TCase *tok = tcase_create("token");
	tcase_add_unchecked_fixture(tok, make_pki, remove_pki);
	tcase_set_timeout(tok, 60);
	tcase_add_test(tok, local_tsa_token_verifies);
	tcase_add_test(tok, token_of_another_signature_fails);
	tcase_add_test(tok, token_from_an_untrusted_tsa_fails);
	tcase_add_test(tok, every_flipped_byte_in_a_token_fails);
	tcase_add_test(tok, a_tsa_certificate_without_time_stamping_usage_is_refused);
	tcase_add_test(tok, tsa_ca_file_unusable_is_a_config_error);
	tcase_add_test(tok, response_must_answer_this_request);
	tcase_add_test(tok, a_rejection_is_reported);
	tcase_add_test(tok, stamped_signature_verifies_and_says_when);
	tcase_add_test(tok, expired_signer_with_timestamp_verifies);
	tcase_add_test(tok, signer_expired_before_the_timestamp_is_refused);
	tcase_add_test(tok, token_moved_from_another_signature_is_broken);
	tcase_add_test(tok, another_unsigned_attribute_breaks_the_signature);
	suite_add_tcase(s, tok);
	return s;
}
