/* check_p_http.c: unit tests for the HTTP/1.x response and chunked parsers. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "proto/p_http.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static enum tb_err resp(const char *s, struct tb_http_resp *r)
{
	return tb_p_http_response((const uint8_t *)s, strlen(s), r);
}

static int view_is(const uint8_t *p, size_t n, const char *want)
{
	return p && n == strlen(want) && memcmp(p, want, n) == 0;
}

/* A camera's login page refusal. */
static const char resp401[] =
	"HTTP/1.1 401 Unauthorized\r\n"
	"Server: GoAhead-Webs\r\n"
	"Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
	"WWW-Authenticate: Basic realm=\"x\"\r\n"
	"Content-Type: text/html\r\n"
	"Content-Length: 0\r\n"
	"Connection: close\r\n"
	"\r\n";

START_TEST(basic_401)
{
	struct tb_http_resp r;

	ck_assert_int_eq(resp(resp401, &r), TB_OK);
	ck_assert_int_eq(r.major, 1);
	ck_assert_int_eq(r.minor, 1);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(r.www_auth_basic, 1);
	ck_assert_int_eq(r.content_length, 0);
	ck_assert_int_eq(r.chunked, 0);
	ck_assert_uint_eq(r.nheaders, 6);
	ck_assert_uint_eq(r.header_len, sizeof(resp401) - 1);
	ck_assert(view_is(r.content_type, r.content_type_len, "text/html"));
	ck_assert_ptr_null(r.location);
}
END_TEST

START_TEST(redirect_lf_only_with_body)
{
	static const char in[] =
		"HTTP/1.0 302 Found\n"
		"location:   /login.htm \t\n"
		"CONTENT-TYPE: text/html; charset=UTF-8\n"
		"content-length: 5\n"
		"\n"
		"hello";
	struct tb_http_resp r;

	ck_assert_int_eq(resp(in, &r), TB_OK);
	ck_assert_int_eq(r.minor, 0);
	ck_assert_int_eq(r.status, 302);
	ck_assert(view_is(r.location, r.location_len, "/login.htm"));
	ck_assert_ptr_eq(r.location, (const uint8_t *)in + 31);
	ck_assert(view_is(r.content_type, r.content_type_len, "text/html; charset=UTF-8"));
	ck_assert_int_eq(r.content_length, 5);
	ck_assert_uint_eq(r.header_len, sizeof(in) - 1 - 5);
	ck_assert_int_eq(r.www_auth_basic, 0);
}
END_TEST

START_TEST(status_line_variants)
{
	struct tb_http_resp r;

	ck_assert_int_eq(resp("HTTP/1.1 200\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_int_eq(resp("HTTP/1.1 204 \r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(resp("HTTP/1.1 999 Odd \xe9t\xe9\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.status, 999);
	ck_assert_int_eq(resp("HTTP/1.1 100 Continue\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.status, 100);
}
END_TEST

START_TEST(bad_status_lines)
{
	static const char *const bad[] = {
		"HTTP/1.1 099 Low\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1  200 OK\r\n\r\n",
		"HTTP/1.1 2x0 OK\r\n\r\n",
		"http/1.1 200 OK\r\n\r\n",
		"HTTP/11 200 OK\r\n\r\n",
		"HTTP/1.x 200 OK\r\n\r\n",
		"ICY 200 OK\r\n\r\n",
		"HTTP/1.1 200 O\x01K\r\n\r\n",
		"HTTP/1.1 200 OK\rX\r\n\r\n",
		"\r\nHTTP/1.1 200 OK\r\n\r\n",
		"<html>\n\n",
	};
	struct tb_http_resp r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(resp(bad[i], &r) == TB_E_FORMAT, "accepted: %s", bad[i]);
	/* An embedded NUL in the reason phrase. */
	ck_assert_int_eq(tb_p_http_response(S("HTTP/1.1 200 O\0K\r\n\r\n"), &r), TB_E_FORMAT);
}
END_TEST

START_TEST(bad_header_lines)
{
	static const char *const bad[] = {
		"HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n",
		"HTTP/1.1 200 OK\r\n: empty-name\r\n\r\n",
		"HTTP/1.1 200 OK\r\nHost : x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: a\r\n\tfolded\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: a\r\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\r\n",
	};
	struct tb_http_resp r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(resp(bad[i], &r) == TB_E_FORMAT, "accepted: %s", bad[i]);
	ck_assert_int_eq(tb_p_http_response(S("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n"), &r), TB_E_FORMAT);
}
END_TEST

START_TEST(format_before_blank_line)
{
	struct tb_http_resp r;

	/* A bad complete line is reported without waiting for more. */
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nbroken\r\nX: partial", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("SSH-2.0-dropbear\r\n", &r), TB_E_FORMAT);
}
END_TEST

START_TEST(content_length_rules)
{
	struct tb_http_resp r;

	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 42\r\nContent-Length: 42\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert_int_eq(r.content_length, 42);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.content_length, 7);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n", &r),
			 TB_OK);
	ck_assert(r.content_length == 9223372036854775807LL);

	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 42\r\nContent-Length: 43\r\n\r\n",
			      &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 7, 8\r\n\r\n", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", &r), TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n", &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", &r),
			 TB_E_FORMAT);
}
END_TEST

START_TEST(transfer_encoding)
{
	struct tb_http_resp r;

	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.chunked, 1);
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n", &r),
			 TB_OK);
	ck_assert_int_eq(r.chunked, 1);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", &r),
			 TB_OK);
	ck_assert_int_eq(r.chunked, 0);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n"
			      "Transfer-Encoding: chunked\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert_int_eq(r.chunked, 1);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
			      "Content-Length: 10\r\n\r\n",
			      &r),
			 TB_E_FORMAT);
	ck_assert_int_eq(resp("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
			      "Transfer-Encoding: chunked\r\n\r\n",
			      &r),
			 TB_E_FORMAT);
}
END_TEST

START_TEST(www_authenticate)
{
	struct tb_http_resp r;

	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nWWW-Authenticate: Digest realm=\"a, Basic\", "
			      "nonce=\"n\", qop=\"auth\", Basic realm=\"cam\"\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 1);
	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nWWW-Authenticate: Digest realm=\"Basic\", "
			      "nonce=\"x, Basic y\"\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 0);
	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nWWW-Authenticate: Negotiate\r\n"
			      "www-authenticate: basic\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 1);
	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nWWW-Authenticate: Bearer realm=\"x\", "
			      "basic=1\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 0);
	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nWWW-Authenticate: Basicx realm=\"x\"\r\n\r\n", &r),
			 TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 0);
	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nWWW-Authenticate: \"Basic\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 0);
	ck_assert_int_eq(resp("HTTP/1.1 401 X\r\nX-Auth: Basic\r\n\r\n", &r), TB_OK);
	ck_assert_int_eq(r.www_auth_basic, 0);
}
END_TEST

START_TEST(first_location_kept)
{
	struct tb_http_resp r;

	ck_assert_int_eq(resp("HTTP/1.1 301 M\r\nLocation: /a\r\nLocation: /b\r\n"
			      "Location:\r\n\r\n",
			      &r),
			 TB_OK);
	ck_assert(view_is(r.location, r.location_len, "/a"));
}
END_TEST

static void many_headers(char *buf, size_t cap, unsigned n)
{
	size_t off = 0;

	off += (size_t)snprintf(buf, cap, "HTTP/1.1 200 OK\r\n");
	for (unsigned i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, cap - off, "X-H%u: v\r\n", i);
	snprintf(buf + off, cap - off, "\r\n");
}

START_TEST(header_count_limit)
{
	static char buf[4096];
	struct tb_http_resp r;

	many_headers(buf, sizeof(buf), TB_HTTP_MAX_HEADERS);
	ck_assert_int_eq(resp(buf, &r), TB_OK);
	ck_assert_uint_eq(r.nheaders, TB_HTTP_MAX_HEADERS);
	many_headers(buf, sizeof(buf), TB_HTTP_MAX_HEADERS + 1);
	ck_assert_int_eq(resp(buf, &r), TB_E_FORMAT);
}
END_TEST

START_TEST(empty_input)
{
	struct tb_http_resp r;

	ck_assert_int_eq(tb_p_http_response(NULL, 0, &r), TB_E_TRUNC);
	ck_assert_int_eq(r.content_length, -1);
}
END_TEST

/* Every proper prefix of a good head is TB_E_TRUNC. */
START_TEST(head_truncated_everywhere)
{
	struct tb_http_resp r;
	uint8_t copy[sizeof(resp401)];
	size_t n = (size_t)_i;

	/* Copy so ASan sees exactly n bytes. */
	memcpy(copy, resp401, n);
	ck_assert_int_eq(tb_p_http_response(n ? copy : NULL, n, &r), TB_E_TRUNC);
}
END_TEST

static enum tb_err dechunk(const char *s, size_t n, uint8_t *out, size_t cap, size_t *on, size_t *used)
{
	return tb_p_http_dechunk((const uint8_t *)s, n, out, cap, on, used);
}

static const char wiki[] = "4\r\nWiki\r\n7\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\n\r\n";

START_TEST(dechunk_basic)
{
	uint8_t out[64];
	size_t on, used;

	ck_assert_int_eq(dechunk(wiki, sizeof(wiki) - 1, out, sizeof(out), &on, &used), TB_OK);
	ck_assert_uint_eq(on, 22);
	ck_assert_mem_eq(out, "Wikipedia in \r\nchunks.", 22);
	ck_assert_uint_eq(used, sizeof(wiki) - 1);
}
END_TEST

START_TEST(dechunk_ext_trailers_lf)
{
	static const char in[] =
		"5;name=\"va;l\"\r\nhello\r\n000 ; last\r\n"
		"Expires: never\r\nX-Trace: 1\r\n\r\nHTTP/1.1 200 OK\r\n";
	static const char lf[] = "3\nabc\n0\n\n";
	uint8_t out[64];
	size_t on, used;

	ck_assert_int_eq(dechunk(in, sizeof(in) - 1, out, sizeof(out), &on, &used), TB_OK);
	ck_assert_uint_eq(on, 5);
	ck_assert_mem_eq(out, "hello", 5);
	ck_assert_uint_eq(used, sizeof(in) - 1 - 17); /* the next response is left */
	ck_assert_int_eq(dechunk(lf, sizeof(lf) - 1, out, sizeof(out), &on, &used), TB_OK);
	ck_assert_uint_eq(on, 3);
	ck_assert_uint_eq(used, sizeof(lf) - 1);
	ck_assert_int_eq(tb_p_http_dechunk(S("1a \r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n"), out,
					   sizeof(out), &on, &used),
			 TB_OK);
	ck_assert_uint_eq(on, 26);
	ck_assert_int_eq(dechunk("0\r\n\r\n", 5, NULL, 0, &on, &used), TB_OK);
	ck_assert_uint_eq(on, 0);
	ck_assert_uint_eq(used, 5);
}
END_TEST

START_TEST(dechunk_format_errors)
{
	static const char *const bad[] = {
		"g\r\nabc\r\n0\r\n\r\n",                  /* not hex */
		"\r\n0\r\n\r\n",                          /* empty size */
		"5x\r\nhello\r\n0\r\n\r\n",               /* junk after size */
		"-5\r\nhello\r\n0\r\n\r\n",               /* sign */
		"ffffffffffffffffff\r\nab",               /* size overflow */
		"10000000000000000\r\nab",                /* 2^64 */
		"5\r\nhelloX\r\n0\r\n\r\n",               /* data not followed by CRLF */
		"5\r\nhello\rX0\r\n\r\n",                 /* bare CR after data */
		"5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", /* trailer without colon */
		"5\r\nhello\r\n0\r\n folded: x\r\n\r\n",  /* folded trailer */
		"5\rX\nhello\r\n0\r\n\r\n",               /* bare CR in size line */
	};
	uint8_t out[64];
	size_t on, used;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(dechunk(bad[i], strlen(bad[i]), out, sizeof(out), &on, &used) ==
				      TB_E_FORMAT,
			      "accepted: %s", bad[i]);
}
END_TEST

START_TEST(dechunk_long_line)
{
	static char in[TB_HTTP_CHUNK_LINE_MAX + 16];
	uint8_t out[8];
	size_t on, used;

	memset(in, ';', sizeof(in));
	in[0] = '1';
	/* A size line that never ends: TRUNC while short, FORMAT past the cap. */
	ck_assert_int_eq(dechunk(in, 100, out, sizeof(out), &on, &used), TB_E_TRUNC);
	ck_assert_int_eq(dechunk(in, sizeof(in), out, sizeof(out), &on, &used), TB_E_FORMAT);
}
END_TEST

START_TEST(dechunk_toobig_guard)
{
	uint8_t out[10];
	size_t on, used;

	memset(out, 0xa5, sizeof(out));
	ck_assert_int_eq(dechunk(wiki, sizeof(wiki) - 1, out, 9, &on, &used), TB_E_TOOBIG);
	ck_assert_uint_eq(on, 4); /* "Wiki" fit, "pedia i" did not */
	ck_assert_mem_eq(out, "Wiki", 4);
	ck_assert_uint_eq(used, 9);
	ck_assert_uint_eq(out[4], 0xa5);
	ck_assert_uint_eq(out[9], 0xa5);
	/* A huge declared size with little data is refused, not trusted. */
	ck_assert_int_eq(dechunk("7fffffffffffffff\r\nab", 20, out, 9, &on, &used), TB_E_TOOBIG);
	ck_assert_uint_eq(out[9], 0xa5);
	ck_assert_int_eq(dechunk("ffffffffffffffff\r\nab", 20, out, 9, &on, &used), TB_E_TOOBIG);
}
END_TEST

START_TEST(dechunk_size_beyond_data)
{
	uint8_t out[1024];
	size_t on, used;

	/* Fits the output, but the bytes have not arrived. */
	ck_assert_int_eq(dechunk("100\r\nabc", 8, out, sizeof(out), &on, &used), TB_E_TRUNC);
	ck_assert_uint_eq(on, 0);
	ck_assert_uint_eq(used, 0);
}
END_TEST

START_TEST(dechunk_truncated_everywhere)
{
	uint8_t copy[sizeof(wiki)], out[64];
	size_t n = (size_t)_i, on, used;

	memcpy(copy, wiki, n);
	ck_assert_int_eq(tb_p_http_dechunk(n ? copy : NULL, n, out, sizeof(out), &on, &used),
			 TB_E_TRUNC);
	ck_assert_uint_le(on, 22);
	ck_assert_uint_le(used, n);
}
END_TEST

Suite *p_http_suite(void)
{
	Suite *s = suite_create("p_http");
	TCase *tc = tcase_create("response");

	tcase_add_test(tc, basic_401);
	tcase_add_test(tc, redirect_lf_only_with_body);
	tcase_add_test(tc, status_line_variants);
	tcase_add_test(tc, bad_status_lines);
	tcase_add_test(tc, bad_header_lines);
	tcase_add_test(tc, format_before_blank_line);
	tcase_add_test(tc, content_length_rules);
	tcase_add_test(tc, transfer_encoding);
	tcase_add_test(tc, www_authenticate);
	tcase_add_test(tc, first_location_kept);
	tcase_add_test(tc, header_count_limit);
	tcase_add_test(tc, empty_input);
	tcase_add_loop_test(tc, head_truncated_everywhere, 0, (int)sizeof(resp401) - 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("dechunk");
	tcase_add_test(tc, dechunk_basic);
	tcase_add_test(tc, dechunk_ext_trailers_lf);
	tcase_add_test(tc, dechunk_format_errors);
	tcase_add_test(tc, dechunk_long_line);
	tcase_add_test(tc, dechunk_toobig_guard);
	tcase_add_test(tc, dechunk_size_beyond_data);
	tcase_add_loop_test(tc, dechunk_truncated_everywhere, 0, (int)sizeof(wiki) - 1);
	suite_add_tcase(s, tc);
	return s;
}
