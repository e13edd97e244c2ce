/* check_fwverify.c: firmware artefact verification with keys made here. */
#include <check.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sha256.h"
#include "check/chk_firmware_update_push_internal.h"
#include "trust/fwverify.h"
#include "trust/fwverify_internal.h"
#include "load/profile.h"
#include "suites.h"

static char dir[64];

static void path(char *out, const char *name)
{
	snprintf(out, 128, "%s/%s", dir, name);
}

static void put(const char *name, const void *p, size_t n)
{
	char f[128];
	path(f, name);
	FILE *fp = fopen(f, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(p, 1, n, fp), n);
	fclose(fp);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/tb-fwtest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_pub(EVP_PKEY *k, const char *name)
{
	char f[128];
	path(f, name);
	FILE *fp = fopen(f, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(PEM_write_PUBKEY(fp, k), 1);
	fclose(fp);
}

static size_t sign(EVP_PKEY *k, const void *msg, size_t n, uint8_t *sig, size_t cap, int pss)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc;
	int ed = EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519;
	ck_assert_int_eq(EVP_DigestSignInit(c, &pc, ed ? NULL : EVP_sha256(), NULL, k), 1);
	if (pss) {
		EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 32);
	}
	size_t len = cap;
	ck_assert_int_eq(EVP_DigestSign(c, sig, &len, msg, n), 1);
	EVP_MD_CTX_free(c);
	return len;
}

/* An image, its manifest at version ver, and the manifest's signature. */
static void make_update(EVP_PKEY *k, const char *ver, size_t size, int pss)
{
	uint8_t *img = malloc(size), sum[32], sig[1024];
	char hex[65], man[512];
	for (size_t i = 0; i < size; i++)
		img[i] = (uint8_t)(i * 131 + (i >> 9));
	put("img.bin", img, size);
	tb_sha256_mem(img, size, sum);
	tb_sha256_hex(sum, hex);
	int n = snprintf(man, sizeof man,
			 "trustbench-firmware-manifest: 1\nversion: %s\n"
			 "image-sha256: %s\nimage-size: %zu\n",
			 ver, hex, size);
	put("img.manifest", man, (size_t)n);
	put("img.sig", sig, sign(k, man, (size_t)n, sig, sizeof sig, pss));
	free(img);
}

static struct tb_fw_report rep;

static enum tb_verdict verify(const char *anchor, const char *current)
{
	char a[128], i[128], s[128], m[128];
	path(a, anchor);
	path(i, "img.bin");
	path(s, "img.sig");
	path(m, "img.manifest");
	struct tb_fw_input in = { .image = i,
				  .sig = s,
				  .manifest = m,
				  .anchor = a,
				  .current_version = current,
				  .delivery = TB_FWD_HTTPS,
				  .update_url = "https://updates.example.invalid/" };
	tb_fw_verify(&in, &rep);
	return rep.verdict;
}

static const struct tb_fw_finding *finding(const char *what)
{
	for (unsigned i = 0; i < rep.n; i++)
		if (strcmp(rep.f[i].what, what) == 0)
			return &rep.f[i];
	ck_abort_msg("no %s finding", what);
	return NULL;
}

START_TEST(ed25519_good_flipped_truncated_rollback)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	write_pub(k, "anchor.pem");
	make_update(k, "3.1.0", 5000, 0);
	ck_assert_int_eq(verify("anchor.pem", "3.0.9"), TB_V_PASS);
	ck_assert_str_eq(rep.version, "3.1.0");
	ck_assert_uint_eq(rep.image_size, 5000);
	/* Rollback: same artefact, device already newer. */
	ck_assert_int_eq(verify("anchor.pem", "3.2"), TB_V_FAIL);
	ck_assert_int_eq(finding("version")->v, TB_V_FAIL);
	/* One flipped image byte. */
	char f[128];
	path(f, "img.bin");
	FILE *fp = fopen(f, "r+b");
	fseek(fp, 4321, SEEK_SET);
	fputc(0x00, fp);
	fclose(fp);
	ck_assert_int_eq(verify("anchor.pem", "3.0.9"), TB_V_FAIL);
	ck_assert_int_eq(finding("digest")->v, TB_V_FAIL);
	/* Every truncation of the signature file fails with a reason. */
	uint8_t sig[64];
	make_update(k, "3.1.0", 100, 0);
	path(f, "img.sig");
	fp = fopen(f, "rb");
	ck_assert_uint_eq(fread(sig, 1, 64, fp), 64);
	fclose(fp);
	for (size_t n = 0; n < 64; n++) {
		put("img.sig", sig, n);
		ck_assert_int_eq(verify("anchor.pem", "3.0.9"), TB_V_FAIL);
		ck_assert_int_eq(finding("signature")->v, TB_V_FAIL);
		ck_assert_ptr_nonnull(strstr(rep.reason, n ? "64 bytes" : "empty"));
	}
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(ecdsa_and_wrong_anchor)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	write_pub(k, "anchor.pem");
	write_pub(other, "other.pem");
	make_update(k, "1.0.1", 3 * 1024 * 1024 + 7, 0);
	ck_assert_int_eq(verify("anchor.pem", "1.0.0"), TB_V_PASS);
	ck_assert_int_eq(verify("other.pem", "1.0.0"), TB_V_FAIL);
	ck_assert_int_eq(finding("signature")->v, TB_V_FAIL);
	/* A missing anchor is an error, not a pass or fail. */
	ck_assert_int_eq(verify("missing.pem", "1.0.0"), TB_V_ERROR);
	/* Garbage in the signature file. */
	put("img.sig", "\x30\x03\x02\x01", 4);
	ck_assert_int_eq(verify("anchor.pem", "1.0.0"), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(rep.reason, "malformed"));
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}
END_TEST

START_TEST(rsa_pss_sizes)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	char text[200];
	write_pub(k, "anchor.pem");
	make_update(k, "2", 1000, 1);
	ck_assert_int_eq(verify("anchor.pem", "1"), TB_V_PASS);
	make_update(k, "2", 1000, 0); /* PKCS#1 v1.5 is not accepted */
	ck_assert_int_eq(verify("anchor.pem", "1"), TB_V_FAIL);
	EVP_PKEY_free(k);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	ck_assert_int_eq(fw_key_policy(k, text, sizeof text), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(text, "2048"));
	EVP_PKEY_free(k);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
	ck_assert_int_eq(fw_key_policy(k, text, sizeof text), TB_V_FAIL);
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(streaming_digest)
{
	size_t n = 2 * 1024 * 1024 + 12345;
	uint8_t *buf = malloc(n), one[32], streamed[32];
	uint64_t size;
	struct tb_diag d;
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i ^ (i >> 11));
	put("big.bin", buf, n);
	tb_sha256_mem(buf, n, one);
	char f[128];
	path(f, "big.bin");
	ck_assert_int_eq(tb_fw_sha256_file(f, streamed, &size, &d), TB_OK);
	ck_assert_uint_eq(size, n);
	ck_assert_mem_eq(one, streamed, 32);
	path(f, "absent.bin");
	ck_assert_int_eq(tb_fw_sha256_file(f, streamed, &size, &d), TB_E_IO);
	free(buf);
}
END_TEST

START_TEST(push_frame)
{
	struct blob m = { (uint8_t *)"MAN", 3 }, s = { (uint8_t *)"SG", 2 },
		    i = { (uint8_t *)"IMG!", 4 };
	struct blob b = fw_frame(&m, &s, &i);
	ck_assert_uint_eq(b.len, 17);
	ck_assert_mem_eq(b.p, "\0\0\0\3MAN\0\0\0\2SGIMG!", 17);
	free(b.p);
}
END_TEST

static const char prof[] =
	"profile: { id: \"p\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"2.4.0\", serial: \"S\", "
	"address: \"198.18.2.10\" }\n"
	"lab: { scope: [\"198.18.2.10/32\"], interface: \"tb-hrd0\", intrusive: true }\n"
	"declarations:\n"
	"  update:\n"
	"    trust-anchor: \"keys/a.pem\"\n"
	"    delivery: \"DELIVERY\"\n"
	"    endpoint: { port: 80, path: \"/update\", version-path: \"/version\" }\n"
	"    test-updates:\n"
	"      newer: { image: \"/abs/n.bin\", manifest: \"n.man\", signature: \"n.sig\" }\n"
	"      older: { image: \"o.bin\", signature: \"o.p7s\" }\n";

START_TEST(profile_update_section)
{
	char buf[sizeof prof + 16], *at;
	struct tb_profile *p;
	struct tb_diag d = { 0 };
	snprintf(buf, sizeof buf, "%s", prof);
	at = strstr(buf, "\"DELIVERY\"");
	memcpy(at, "\"https\"   ", 10);
	ck_assert_msg(tb_profile_parse("profiles/dev.yaml", buf, strlen(buf), &p, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_str_eq(p->update.trust_anchor, "profiles/keys/a.pem");
	ck_assert_str_eq(p->update.newer.image, "/abs/n.bin");
	ck_assert_str_eq(p->update.newer.manifest, "profiles/n.man");
	ck_assert_ptr_null(p->update.older.manifest);
	ck_assert_int_eq(p->update.port, 80);
	struct tb_fw_input in;
	tb_fw_input_from_profile(p, &p->update.newer, &in);
	ck_assert_str_eq(in.current_version, "2.4.0"); /* falls back to dut.firmware */
	ck_assert_int_eq(in.delivery, TB_FWD_HTTPS);
	tb_profile_free(p);
	snprintf(buf, sizeof buf, "%s", prof);
	at = strstr(buf, "\"DELIVERY\"");
	memcpy(at, "\"ftp\"     ", 10);
	ck_assert_int_eq(tb_profile_parse("x.yaml", buf, strlen(buf), &p, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "https, http, other"));
}
END_TEST

Suite *fwverify_suite(void)
{
	Suite *s = suite_create("fwverify");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ed25519_good_flipped_truncated_rollback);
	tcase_add_test(tc, ecdsa_and_wrong_anchor);
	tcase_add_test(tc, rsa_pss_sizes);
	tcase_add_test(tc, streaming_digest);
	tcase_add_test(tc, push_frame);
	tcase_add_test(tc, profile_update_section);
	suite_add_tcase(s, tc);
	return s;
}
