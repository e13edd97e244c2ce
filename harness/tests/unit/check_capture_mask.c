/* check_capture_mask.c: the capture writer masks the harness's own secrets
 * (the declared test credentials it sends) before a packet is stored. */
#include <check.h>
#include <string.h>

#include "capture/capture.h"
#include "suites.h"

/* Regression (issue 12): the hardened device's declared test credential,
 * sent by the credential phase's positive control in clear over MQTT and
 * FTP, was readable in evidence/capture.pcap. */
START_TEST(declared_secrets_are_masked_everywhere_in_a_packet)
{
	ck_assert_int_eq(tb_capture_redact("Kq7v-Xe2p-9mTr-Lw4d", 19), 0);
	ck_assert_int_eq(tb_capture_redact("Kq7v-Xe2p-9mTr-Lw4d", 19), 0); /* kept once */
	ck_assert_int_eq(tb_capture_redact("YWRtaW46S3E3di1YZTJw", 20), 0);
	ck_assert_uint_eq(tb_capture_redactions(), 2);
	char pkt[] =
		"PASS Kq7v-Xe2p-9mTr-Lw4d\\r\\n...Authorization: Basic YWRtaW46S3E3di1YZTJw "
		"and again Kq7v-Xe2p-9mTr-Lw4d";
	size_t len = strlen(pkt);
	ck_assert_uint_eq(tb_capture_mask((uint8_t *)pkt, len), 3);
	ck_assert_uint_eq(strlen(pkt), len); /* same length: offsets and lengths stay valid */
	ck_assert_ptr_null(strstr(pkt, "Kq7v"));
	ck_assert_ptr_null(strstr(pkt, "YWRtaW46"));
	ck_assert_ptr_nonnull(strstr(pkt, "PASS *******************"));
	/* Nothing else changes. */
	char other[] = "USER admin";
	ck_assert_uint_eq(tb_capture_mask((uint8_t *)other, strlen(other)), 0);
	ck_assert_str_eq(other, "USER admin");
}
END_TEST

START_TEST(short_and_overlong_strings_are_refused)
{
	ck_assert_int_eq(tb_capture_redact("abc", 3), -1); /* would mask ordinary bytes */
	static char big[300];
	memset(big, 'x', sizeof big);
	ck_assert_int_eq(tb_capture_redact(big, sizeof big), -1);
}
END_TEST

Suite *capture_mask_suite(void)
{
	Suite *s = suite_create("capture_mask");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, declared_secrets_are_masked_everywhere_in_a_packet);
	tcase_add_test(tc, short_and_overlong_strings_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
