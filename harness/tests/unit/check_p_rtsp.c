/* check_p_rtsp.c: unit tests for the RTSP response head parser (proto/p_rtsp.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "proto/p_rtsp.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

/* As the GStreamer RTSP server answers a DESCRIBE without credentials. */
static const char gst_basic[] =
	"RTSP/1.0 401 Unauthorized\r\n"
	"CSeq: 1\r\n"
	"WWW-Authenticate: Basic realm=\"GStreamer RTSP Server\"\r\n"
	"Server: GStreamer RTSP server\r\n"
	"Date: Thu, 03 Dec 2026 12:50:48 GMT\r\n"
	"\r\n";

START_TEST(basic_challenge)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S(gst_basic), &r), TB_OK);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(r.major, 1);
	ck_assert_int_eq(r.minor, 0);
	ck_assert_int_eq(r.cseq, 1);
	ck_assert(r.auth_basic);
	ck_assert_ptr_null(r.digest);
	ck_assert_uint_eq(r.header_len, sizeof gst_basic - 1);
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_uint_eq(r.server_len, strlen("GStreamer RTSP server"));
	ck_assert(!memcmp(r.server, "GStreamer RTSP server", r.server_len));
	ck_assert_uint_eq(r.nheaders, 4);
}
END_TEST

START_TEST(digest_challenge_and_body)
{
	static const char m[] =
		"RTSP/1.0 401 Unauthorized\n"
		"cseq: 7\n"
		"WWW-Authenticate: Digest realm=\"IP Camera\", nonce=\"abc\"\n"
		"WWW-Authenticate: Digest realm=\"second\", nonce=\"def\"\n"
		"Content-Length: 5\n"
		"\n"
		"hello";
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S(m), &r), TB_OK);
	ck_assert_int_eq(r.cseq, 7);
	ck_assert(!r.auth_basic);
	ck_assert_ptr_nonnull(r.digest);
	ck_assert_uint_eq(r.digest_len, strlen("Digest realm=\"IP Camera\", nonce=\"abc\""));
	ck_assert(!memcmp(r.digest, "Digest realm=\"IP Camera\"", 24));
	ck_assert_int_eq(r.content_length, 5);
	ck_assert_uint_eq(r.header_len, sizeof m - 1 - 5);
}
END_TEST

START_TEST(other_schemes_are_not_basic_or_digest)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 401 U\r\nCSeq: 1\r\n"
					      "WWW-Authenticate: Basically realm=x\r\n"
					      "WWW-Authenticate: Digestive x=y\r\n"
					      "WWW-Authenticate: Negotiate\r\n\r\n"),
					    &r),
			 TB_OK);
	ck_assert(!r.auth_basic);
	ck_assert_ptr_null(r.digest);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 401 U\r\nWWW-Authenticate: basic\r\n\r\n"), &r),
			 TB_OK);
	ck_assert(r.auth_basic);
}
END_TEST

START_TEST(retry_after_and_missing_cseq)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 503 Busy\r\nRetry-After:  30 \r\n\r\n"), &r),
			 TB_OK);
	ck_assert_int_eq(r.status, 503);
	ck_assert_int_eq(r.cseq, -1);
	ck_assert_uint_eq(r.retry_after_len, 2);
	ck_assert(!memcmp(r.retry_after, "30", 2));
}
END_TEST

START_TEST(incomplete_head_asks_for_more)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S(""), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTS"), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nCSeq: 1\r\n"), &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_rtsp_response(NULL, 0, &r), TB_E_TRUNC);
}
END_TEST

START_TEST(not_rtsp_is_refused_at_once)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S("H"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("HTTP/1.1 401 Unauthorized\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 20 OK\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 099 X\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200OK\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/x.0 200 OK\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 O\x01K\r\n\r\n"), &r), TB_E_FORMAT);
}
END_TEST

START_TEST(bad_headers_are_refused)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nNo colon\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\n: empty name\r\n\r\n"), &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nA: b\r\n folded\r\n\r\n"), &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nA: b\rc\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nA: b\0c\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nCSeq: one\r\n\r\n"), &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nCSeq: 1234567890\r\n\r\n"), &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n"), &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nContent-Length: 1\r\n"
					      "Content-Length: 2\r\n\r\n"),
					    &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_rtsp_response(S("RTSP/1.0 200 OK\r\nContent-Length: 2\r\n"
					      "Content-Length: 2\r\n\r\n"),
					    &r),
			 TB_OK);
}
END_TEST

START_TEST(too_many_headers_or_too_long_a_head)
{
	static uint8_t b[TB_RTSP_HEAD_MAX + 100];
	struct tb_rtsp_resp r;
	size_t n = 0;

	n += (size_t)snprintf((char *)b, sizeof b, "RTSP/1.0 200 OK\r\n");
	for (int i = 0; i <= TB_RTSP_MAX_HEADERS; i++)
		n += (size_t)snprintf((char *)b + n, sizeof b - n, "X-%d: y\r\n", i);
	n += (size_t)snprintf((char *)b + n, sizeof b - n, "\r\n");
	ck_assert_int_eq(tb_p_rtsp_response(b, n, &r), TB_E_FORMAT);
	/* Header lines without end: refused at the cap, not read on forever. */
	memset(b, 'a', sizeof b);
	memcpy(b, "RTSP/1.0 200 OK\r\nX: ", 20);
	ck_assert_int_eq(tb_p_rtsp_response(b, TB_RTSP_HEAD_MAX - 1, &r), TB_E_TRUNC);
	ck_assert_int_eq(tb_p_rtsp_response(b, TB_RTSP_HEAD_MAX, &r), TB_E_TOOBIG);
	ck_assert_int_eq(tb_p_rtsp_response(b, sizeof b, &r), TB_E_TOOBIG);
}
END_TEST

Suite *p_rtsp_suite(void)
{
	Suite *s = suite_create("p_rtsp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, basic_challenge);
	tcase_add_test(tc, digest_challenge_and_body);
	tcase_add_test(tc, other_schemes_are_not_basic_or_digest);
	tcase_add_test(tc, retry_after_and_missing_cseq);
	tcase_add_test(tc, incomplete_head_asks_for_more);
	tcase_add_test(tc, not_rtsp_is_refused_at_once);
	tcase_add_test(tc, bad_headers_are_refused);
	tcase_add_test(tc, too_many_headers_or_too_long_a_head);
	suite_add_tcase(s, tc);
	return s;
}
