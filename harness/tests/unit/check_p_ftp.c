/* check_p_ftp.c: unit tests for the FTP control reply parser (proto/p_ftp.c). */
#include <check.h>
#include <string.h>

#include "proto/p_ftp.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

START_TEST(single_line_reply)
{
	struct tb_ftp_reply r;

	ck_assert_int_eq(tb_p_ftp_reply(S("220 (vsFTPd 3.0.3)\r\n"), &r), TB_OK);
	ck_assert_int_eq(r.code, 220);
	ck_assert_str_eq(r.text, "(vsFTPd 3.0.3)");
	ck_assert_uint_eq(r.len, 20);
	ck_assert_uint_eq(r.lines, 1);
}
END_TEST

START_TEST(multi_line_reply_ends_at_same_code_and_space)
{
	struct tb_ftp_reply r;
	static const char m[] =
		"230-Welcome\r\n"
		" 230 indented, not the end\r\n"
		"231 another code, not the end\r\n"
		"230-still going\r\n"
		"230 Login successful.\r\n"
		"257 \"/\"\r\n";

	ck_assert_int_eq(tb_p_ftp_reply(S(m), &r), TB_OK);
	ck_assert_int_eq(r.code, 230);
	ck_assert_uint_eq(r.lines, 5);
	ck_assert_uint_eq(r.len, sizeof m - 1 - strlen("257 \"/\"\r\n"));
	ck_assert_str_eq(r.text,
			 "Welcome | 230 indented, not the end | another code, not the end | still "
			 "going | Login successful.");
}
END_TEST

START_TEST(incomplete_reply_asks_for_more)
{
	struct tb_ftp_reply r;

	ck_assert_int_eq(tb_p_ftp_reply(S(""), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_ftp_reply(S("22"), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_ftp_reply(S("220 hel"), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_ftp_reply(S("230-a\r\n230-b\r\n230 c"), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_ftp_reply(NULL, 0, &r), TB_E_TRUNC);
}
END_TEST

START_TEST(lf_only_and_bare_code)
{
	struct tb_ftp_reply r;

	ck_assert_int_eq(tb_p_ftp_reply(S("331 Password?\n"), &r), TB_OK);
	ck_assert_int_eq(r.code, 331);
	ck_assert_str_eq(r.text, "Password?");
	ck_assert_int_eq(tb_p_ftp_reply(S("220\r\n"), &r), TB_OK);
	ck_assert_int_eq(r.code, 220);
	ck_assert_str_eq(r.text, "");
	ck_assert_int_eq(tb_p_ftp_reply(S("220-a\n220\n"), &r), TB_OK);
	ck_assert_uint_eq(r.lines, 2);
}
END_TEST

START_TEST(not_ftp_is_refused_at_once)
{
	struct tb_ftp_reply r;

	/* An HTTP or SSH server on the port: known wrong from the first byte. */
	ck_assert_int_eq(tb_p_ftp_reply(S("H"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("SSH-2.0-dropbear\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("600 six hundred\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("0"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("22x"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("220/"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("22\r\n"), &r), TB_E_FORMAT);
	/* A CR inside a line, a NUL. */
	ck_assert_int_eq(tb_p_ftp_reply(S("220 a\rb\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("220 a\0b\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_reply(S("220-a\r\nx\0\r\n220 b\r\n"), &r), TB_E_FORMAT);
}
END_TEST

START_TEST(reply_without_end_is_too_big)
{
	static uint8_t b[TB_FTP_REPLY_MAX + 100];
	struct tb_ftp_reply r;

	/* One line that never ends. */
	memset(b, 'a', sizeof b);
	memcpy(b, "220 ", 4);
	ck_assert_int_eq(tb_p_ftp_reply(b, TB_FTP_REPLY_MAX - 1, &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_ftp_reply(b, TB_FTP_REPLY_MAX, &r), TB_E_TOOBIG);
	ck_assert_int_eq(tb_p_ftp_reply(b, sizeof b, &r), TB_E_TOOBIG);
	/* A multi-line reply whose lines never stop. */
	memcpy(b, "220-", 4);
	for (size_t i = 10; i < sizeof b; i += 10)
		b[i] = '\n';
	ck_assert_int_eq(tb_p_ftp_reply(b, sizeof b, &r), TB_E_TOOBIG);
	/* Its end just past the cap does not count either. */
	memcpy(b + TB_FTP_REPLY_MAX - 2, "\n220 x\n", 7);
	ck_assert_int_eq(tb_p_ftp_reply(b, sizeof b, &r), TB_E_TOOBIG);
}
END_TEST

START_TEST(text_is_capped_and_printable)
{
	static uint8_t b[2000];
	struct tb_ftp_reply r;

	memset(b, 'x', sizeof b);
	memcpy(b, "530 \x01\xff\x1b[31m", 11);
	b[sizeof b - 2] = '\r';
	b[sizeof b - 1] = '\n';
	ck_assert_int_eq(tb_p_ftp_reply(b, sizeof b, &r), TB_OK);
	ck_assert_int_eq(r.code, 530);
	ck_assert_uint_eq(strlen(r.text), TB_FTP_TEXT_MAX - 1);
	ck_assert(!strncmp(r.text, "???[31mxxx", 10));
	for (size_t i = 0; r.text[i]; i++)
		ck_assert(r.text[i] >= 0x20 && r.text[i] < 0x7f);
}
END_TEST

START_TEST(pwd_reply_path)
{
	char p[64];

	ck_assert(tb_p_ftp_257_path("\"/pub\" is the current directory", p, sizeof p));
	ck_assert_str_eq(p, "/pub");
	ck_assert(tb_p_ftp_257_path("\"/a\"\"b\"", p, sizeof p));
	ck_assert_str_eq(p, "/a\"b");
	ck_assert(tb_p_ftp_257_path("\"\"", p, sizeof p) == 1);
	ck_assert_str_eq(p, "");
	ck_assert(!tb_p_ftp_257_path("/pub is current", p, sizeof p));
	ck_assert(!tb_p_ftp_257_path("\"/never closed", p, sizeof p));
	ck_assert_str_eq(p, "");
	ck_assert(!tb_p_ftp_257_path("\"/much/too/long/for/the/buffer\"", p, 8));
	ck_assert_str_eq(p, "");
}
END_TEST

Suite *p_ftp_suite(void)
{
	Suite *s = suite_create("p_ftp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, single_line_reply);
	tcase_add_test(tc, multi_line_reply_ends_at_same_code_and_space);
	tcase_add_test(tc, incomplete_reply_asks_for_more);
	tcase_add_test(tc, lf_only_and_bare_code);
	tcase_add_test(tc, not_ftp_is_refused_at_once);
	tcase_add_test(tc, reply_without_end_is_too_big);
	tcase_add_test(tc, text_is_capped_and_printable);
	tcase_add_test(tc, pwd_reply_path);
	suite_add_tcase(s, tc);
	return s;
}
