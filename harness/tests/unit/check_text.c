/* check_text.c: unit tests for the one escaper of device bytes (text.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "suites.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static void expect(const uint8_t *in, size_t len, unsigned flags, const char *want)
{
	char *got = tb_text_escape_with(in, len, flags);
	ck_assert_str_eq(got, want);
	ck_assert(tb_text_clean((const uint8_t *)got, strlen(got)));
	free(got);
}

/* The XML form keeps valid UTF-8 and CR, escapes the rest. */
START_TEST(escape_utf8)
{
	expect(B("caf\xc3\xa9\r\n"), 0, "caf\xc3\xa9\r\n");
	expect(B("a\x01"
		 "b\x7f"),
	       0, "a\\x01b\\x7f");
	expect(B("\xc3"), 0, "\\xc3");                   /* cut-short sequence */
	expect(B("\xed\xa0\x80"), 0, "\\xed\\xa0\\x80"); /* surrogate */
	expect(B(""), 0, "");
	char *plain = tb_text_escape(B("x\xff"));
	ck_assert_str_eq(plain, "x\\xff");
	free(plain);
}
END_TEST

/* The transcript form (chk_default_credentials.c): printable ASCII, TAB
 * and LF kept, CR dropped, every other byte \xNN, UTF-8 included. */
START_TEST(escape_ascii_transcript)
{
	unsigned f = TB_ESC_ASCII | TB_ESC_DROP_CR;
	expect(B("login: \r\n"), f, "login: \n");
	expect(B("caf\xc3\xa9\t~"), f, "caf\\xc3\\xa9\t~");
	expect(B("\x00\x1b[0m\x7f"), f, "\\x00\\x1b[0m\\x7f");
	expect(B("\r\r"), f, "");
	expect(B("\r"), TB_ESC_ASCII, "\\x0d"); /* CR kept as an escape without DROP_CR */
	expect(B("a\rb"), TB_ESC_DROP_CR, "ab");
}
END_TEST

START_TEST(hex_encode)
{
	char out[9];
	tb_hex_encode(B("\x00\x7f\xa5\xff"), out);
	ck_assert_str_eq(out, "007fa5ff");
	tb_hex_encode(B(""), out);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(secrets_masked_everywhere)
{
	uint8_t b[] = "user=admin pass=s3cr3t echo:s3cr3ts3cr3t";
	ck_assert_uint_eq(tb_mask_secret(b, sizeof b - 1, "s3cr3t", 6), 3);
	ck_assert_str_eq((char *)b, "user=admin pass=****** echo:************");
	ck_assert_uint_eq(tb_mask_secret(b, sizeof b - 1, "", 0), 0);
	uint8_t one[] = "x";
	ck_assert_uint_eq(tb_mask_secret(one, 1, "xy", 2), 0); /* longer than the buffer */
	ck_assert_uint_eq(tb_mask_secret(one, 1, "x", 1), 1);
	ck_assert_int_eq(one[0], '*');
}
END_TEST

Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, escape_utf8);
	tcase_add_test(tc, escape_ascii_transcript);
	tcase_add_test(tc, hex_encode);
	tcase_add_test(tc, secrets_masked_everywhere);
	suite_add_tcase(s, tc);
	return s;
}
