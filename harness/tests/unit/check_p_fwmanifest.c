/* check_p_fwmanifest.c: firmware manifest, version and signature framing. */
#include <check.h>
#include <string.h>

#include "proto/p_fwmanifest.h"
#include "suites.h"

static const char good[] =
	"trustbench-firmware-manifest: 1\n"
	"version: 3.0.12\n"
	"image-sha256: 8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\n"
	"image-size: 262144\n";

static enum tb_err parse(const char *s, struct tb_fw_manifest *m, struct tb_diag *why)
{
	return tb_p_fwmanifest((const uint8_t *)s, strlen(s), m, why);
}

START_TEST(manifest_good)
{
	struct tb_fw_manifest m;
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(parse(good, &m, &why), TB_OK);
	ck_assert_str_eq(m.version.text, "3.0.12");
	ck_assert_uint_eq(m.version.nparts, 3);
	ck_assert_uint_eq(m.version.part[2], 12);
	ck_assert_uint_eq(m.size, 262144);
	ck_assert_uint_eq(m.sha256[0], 0x8a);
	ck_assert_uint_eq(m.sha256[31], 0xeb);
}
END_TEST

/* Every proper prefix of a valid manifest is refused as cut short. */
START_TEST(manifest_every_truncation)
{
	struct tb_fw_manifest m;
	struct tb_diag why = { .msg = "" };
	for (size_t n = 0; n < strlen(good); n++) {
		enum tb_err e = tb_p_fwmanifest((const uint8_t *)good, n, &m, &why);
		ck_assert_msg(e == TB_E_TRUNC || e == TB_E_FORMAT, "prefix %zu accepted", n);
		ck_assert_msg(why.msg[0] != '\0', "prefix %zu: no reason", n);
		ck_assert_str_eq(m.version.text, "");
	}
}
END_TEST

START_TEST(manifest_bad)
{
	static const char *const bad[] = {
		"trustbench-firmware-manifest: 2\nversion: 1\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nimage-size: 1\n",
		"trustbench-firmware-manifest: 1\r\nversion: 1\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nimage-size: 1\n",
		"trustbench-firmware-manifest: 1\nversion: 01.2\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nimage-size: 1\n",
		"trustbench-firmware-manifest: 1\nversion: 1.2\nimage-sha256: "
		"8A6B982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nimage-size: 1\n",
		"trustbench-firmware-manifest: 1\nversion: 1.2\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701\nimage-size: 1\n",
		"trustbench-firmware-manifest: 1\nversion: 1.2\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nimage-size: 01\n",
		"trustbench-firmware-manifest: 1\nversion: 1.2\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nimage-size: 1\nx\n",
		"trustbench-firmware-manifest: 1\nimage-sha256: "
		"8a6b982713dce1fbad65af0691a46f206e1bb3d61ed966e319ac772f81d701eb\nversion: "
		"1.2\nimage-size: 1\n",
		"version: 1.2\n",
	};
	struct tb_fw_manifest m;
	struct tb_diag why = { .msg = "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parse(bad[i], &m, &why) == TB_E_FORMAT, "bad[%zu] not refused", i);
	char big[TB_FWM_MAX_BYTES + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(parse(big, &m, &why), TB_E_TOOBIG);
}
END_TEST

static struct tb_fw_version ver(const char *s)
{
	struct tb_fw_version v;
	ck_assert_msg(tb_p_fw_version(s, strlen(s), &v, NULL) == TB_OK, "%s", s);
	return v;
}

START_TEST(version_compare)
{
	struct tb_fw_version a = ver("2.10.0"), b = ver("2.9.99"), c = ver("2.10"), d = ver("0");
	ck_assert_int_gt(tb_fw_version_cmp(&a, &b), 0); /* numeric, not lexical */
	ck_assert_int_lt(tb_fw_version_cmp(&b, &a), 0);
	ck_assert_int_eq(tb_fw_version_cmp(&a, &c), 0); /* missing parts are 0 */
	ck_assert_int_lt(tb_fw_version_cmp(&d, &b), 0);
	struct tb_fw_version e = ver("999999999.1.2.3");
	ck_assert_uint_eq(e.part[0], 999999999u);
	static const char *const bad[] = { "",   ".",    "1.",         ".1",   "1..2", "2.3.4.5.6",
					   "v1", "1.02", "1234567890", "1.-2", "1 .2", "1.2 " };
	struct tb_fw_version v;
	struct tb_diag why = { .msg = "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(tb_p_fw_version(bad[i], strlen(bad[i]), &v, &why) == TB_E_FORMAT,
			      "'%s' accepted", bad[i]);
}
END_TEST

/* A real ECDSA P-256 signature (DER), as `openssl dgst -sign` writes it. */
static const uint8_t ecdsa_sig[] = {
	0x30, 0x45, 0x02, 0x20, 0x1b, 0x7e, 0x4c, 0x2a, 0x5d, 0x33, 0x10, 0x9e, 0x61, 0x02, 0x77,
	0x3c, 0x44, 0x19, 0x2e, 0x6f, 0x70, 0x18, 0x0b, 0x55, 0x21, 0x33, 0x4a, 0x1d, 0x08, 0x66,
	0x12, 0x39, 0x40, 0x5e, 0x7a, 0x11, 0x02, 0x21, 0x00, 0xc3, 0x8d, 0x12, 0x9a, 0x47, 0x6b,
	0x20, 0x38, 0x7f, 0x91, 0x05, 0x3e, 0x2d, 0x6a, 0x4b, 0x18, 0x77, 0x29, 0x64, 0x3c, 0x0e,
	0x51, 0x48, 0x22, 0x6d, 0x19, 0x35, 0x7b, 0x43, 0x0a, 0x2f, 0x66,
};

START_TEST(ecdsa_der)
{
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(tb_p_fwsig_ecdsa_der(ecdsa_sig, sizeof ecdsa_sig, &why), TB_OK);
	for (size_t n = 0; n < sizeof ecdsa_sig; n++)
		ck_assert_msg(tb_p_fwsig_ecdsa_der(ecdsa_sig, n, &why) == TB_E_TRUNC,
			      "prefix %zu not cut short", n);
	uint8_t longer[sizeof ecdsa_sig + 1];
	memcpy(longer, ecdsa_sig, sizeof ecdsa_sig);
	longer[sizeof ecdsa_sig] = 0;
	ck_assert_int_eq(tb_p_fwsig_ecdsa_der(longer, sizeof longer, &why), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(why.msg, "after"));
	uint8_t neg[sizeof ecdsa_sig];
	memcpy(neg, ecdsa_sig, sizeof neg);
	neg[4] = 0x9b; /* r becomes negative */
	ck_assert_int_eq(tb_p_fwsig_ecdsa_der(neg, sizeof neg, &why), TB_E_FORMAT);
}
END_TEST

/* The head of a CMS SignedData ContentInfo of 0x4e7 bytes. */
static const uint8_t cms_head[] = {
	0x30, 0x82, 0x00, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x02, 0x30, 0x00,
};

START_TEST(cms_outer)
{
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(tb_p_fwsig_cms_outer(cms_head, sizeof cms_head, &why), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(why.msg, "non-minimal"));
	uint8_t ok[] = { 0x30, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
			 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x02, 0x30, 0x00 };
	ck_assert_int_eq(tb_p_fwsig_cms_outer(ok, sizeof ok, &why), TB_OK);
	for (size_t n = 0; n < sizeof ok; n++)
		ck_assert_msg(tb_p_fwsig_cms_outer(ok, n, &why) == TB_E_TRUNC,
			      "prefix %zu not cut short", n);
	ok[12] = 0x01; /* id-data, not id-signedData */
	ck_assert_int_eq(tb_p_fwsig_cms_outer(ok, sizeof ok, &why), TB_E_FORMAT);
}
END_TEST

Suite *p_fwmanifest_suite(void)
{
	Suite *s = suite_create("p_fwmanifest");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, manifest_good);
	tcase_add_test(tc, manifest_every_truncation);
	tcase_add_test(tc, manifest_bad);
	tcase_add_test(tc, version_compare);
	tcase_add_test(tc, ecdsa_der);
	tcase_add_test(tc, cms_outer);
	suite_add_tcase(s, tc);
	return s;
}
