/* check_httpc.c: the HTTP client's redirect follower and TLS mode (issue
 * 12), against a fake web device on loopback (check_httpc_fake.h). */
#include <check.h>
#include <string.h>

#include "base/clock.h"
#include "net/httpc.h"
#include "net/net.h"
#include "net/scope.h"
#include "check_httpc_fake.h"
#include "suites.h"

static struct fake_web web;
static struct tb_cidr loop_only = { .net = 0x7f000001, .prefix = 32 };
static struct tb_scope scope = { .v = &loop_only, .n = 1 };
static struct tb_net net;

static void setup(void)
{
	fake_web_start(&web);
	tb_net_init(&net, &scope, 1000, 500);
}

static void teardown(void)
{
	fake_web_stop(&web);
}

static void follow(const char *path, uint16_t port, const char *auth, int max_hops, int tls,
		   struct tb_http_follow *f)
{
	struct tb_http_req rq = { .addr = 0x7f000001,
				  .port = port,
				  .path = path,
				  .authorization = auth,
				  .timeout_ms = 2000,
				  .tls = tls };
	tb_http_get_follow(&net, &rq, max_hops, NULL, NULL, f);
}

START_TEST(follow_stops_at_the_hop_bound)
{
	struct tb_http_follow f;
	follow("/loop", web.port, NULL, 3, 0, &f);
	ck_assert_int_eq(f.end, TB_FOLLOW_TOO_MANY);
	ck_assert_int_eq(f.nhops, 4); /* the first request and three redirects */
	ck_assert_msg(strstr(f.why, "more than 3 redirects"), "%s", f.why);
	tb_http_follow_free(&f);
	follow("/loop", web.port, NULL, 100, 0, &f); /* capped */
	ck_assert_int_eq(f.nhops, TB_HTTP_MAX_HOPS + 1);
	tb_http_follow_free(&f);
}
END_TEST

START_TEST(follow_refuses_outside_the_scope)
{
	struct tb_http_follow f;
	uint64_t before = net.scope_refusals;
	follow("/out", web.port, NULL, 3, 0, &f);
	ck_assert_int_eq(f.end, TB_FOLLOW_DONE);
	ck_assert_int_eq(f.last.err, TB_E_SCOPE); /* the one connect path refused it */
	ck_assert_uint_eq(net.scope_refusals, before + 1);
	ck_assert_int_eq(f.nhops, 2);
	ck_assert_int_eq(f.hops[0].status, 302);
	tb_http_follow_free(&f);
	follow("/https", web.port, NULL, 3, 0, &f);
	ck_assert_int_eq(f.end, TB_FOLLOW_REFUSED);
	ck_assert_msg(strstr(f.why, "redirect not followed"), "%s", f.why);
	ck_assert_int_eq(f.nhops, 1);
	tb_http_follow_free(&f);
}
END_TEST

START_TEST(follow_keeps_authorization_on_the_same_port_only)
{
	struct tb_http_follow f;
	follow("/same", web.port, "Basic eDp5", 3, 0, &f);
	ck_assert_int_eq(f.last.err, TB_OK);
	ck_assert_str_eq((const char *)f.last.body, "auth=yes");
	ck_assert(f.hops[1].auth_sent && !f.auth_dropped);
	tb_http_follow_free(&f);
	follow("/port", web.port, "Basic eDp5", 3, 0, &f);
	ck_assert_int_eq(f.last.err, TB_OK);
	ck_assert_int_eq(f.final.port, web.port2);
	ck_assert_str_eq((const char *)f.last.body, "auth=no");
	ck_assert(f.hops[0].auth_sent && !f.hops[1].auth_sent && f.auth_dropped);
	tb_http_follow_free(&f);
}
END_TEST

/* Issue 12 (form logins): a session cookie goes with the request, and
 * follows a redirect only on the same address and port, like Authorization. */
START_TEST(cookie_sent_and_kept_on_the_same_port_only)
{
	struct tb_http_follow f;
	struct tb_http_req rq = { .addr = 0x7f000001,
				  .port = web.port,
				  .path = "/same",
				  .timeout_ms = 2000,
				  .cookie = "session=abc; lang=en" };
	tb_http_get_follow(&net, &rq, 3, NULL, NULL, &f);
	ck_assert_int_eq(f.last.err, TB_OK);
	ck_assert_int_eq(f.nhops, 2);
	ck_assert(strstr(f.last.request, "\r\nCookie: session=abc; lang=en\r\n"));
	ck_assert(!f.auth_dropped);
	tb_http_follow_free(&f);
	rq.path = "/port";
	tb_http_get_follow(&net, &rq, 3, NULL, NULL, &f);
	ck_assert_int_eq(f.last.err, TB_OK);
	ck_assert_int_eq(f.final.port, web.port2);
	ck_assert(!strstr(f.last.request, "Cookie:"));
	ck_assert(f.auth_dropped);
	tb_http_follow_free(&f);
	/* A value that would split the request head is not sent. */
	struct tb_http_exchange x;
	rq.path = "/echo";
	rq.cookie = "a=b\r\nX-Injected: 1";
	tb_http_get(&net, &rq, &x);
	ck_assert_int_eq(x.err, TB_E_CONFIG);
	ck_assert_str_eq(x.why, "refused to send a malformed Cookie header");
	tb_http_exchange_free(&x);
}
END_TEST

START_TEST(follow_records_each_hop)
{
	struct tb_http_follow f;
	char want[64];
	follow("/admin", web.port, "Basic YWRtaW46YWRtaW4=", 3, 0, &f);
	ck_assert_int_eq(f.end, TB_FOLLOW_DONE);
	ck_assert_int_eq(f.nhops, 2);
	snprintf(want, sizeof want, "http://127.0.0.1:%u/admin", web.port);
	ck_assert_str_eq(f.hops[0].url, want);
	ck_assert_int_eq(f.hops[0].status, 301);
	ck_assert_int_eq(f.hops[1].status, 200);
	ck_assert_str_eq(f.final.path, "/admin/");
	tb_http_follow_free(&f);
}
END_TEST

START_TEST(tls_mode_speaks_https)
{
	struct tb_http_follow f;
	char want[64];
	follow("/admin", web.tls_port, "Basic YWRtaW46YWRtaW4=", 3, 1, &f);
	ck_assert_msg(f.last.err == TB_OK, "%s", f.last.why);
	ck_assert_int_eq(f.last.resp.status, 200);
	ck_assert(f.last.tls && f.final.tls);
	ck_assert_msg(strstr(f.last.tls_cipher, "TLS"), "%s", f.last.tls_cipher);
	snprintf(want, sizeof want, "https://127.0.0.1:%u/admin/", web.tls_port);
	ck_assert_str_eq(f.hops[1].url, want);
	ck_assert_str_eq((const char *)f.last.body, "admin page");
	tb_http_follow_free(&f);
}
END_TEST

/* The bug of issue 12: plain HTTP to a TLS port gets no HTTP answer. */
START_TEST(plain_http_to_a_tls_port_fails_and_says_so)
{
	struct tb_http_req rq = { .addr = 0x7f000001,
				  .port = web.tls_port,
				  .path = "/",
				  .timeout_ms = 1000 };
	struct tb_http_exchange x;
	tb_http_get(&net, &rq, &x);
	ck_assert_int_ne(x.err, TB_OK);
	tb_http_exchange_free(&x);
	rq.tls = 1;
	tb_http_get(&net, &rq, &x);
	ck_assert_msg(x.err == TB_OK, "%s", x.why);
	ck_assert_int_eq(x.resp.status, 200);
	tb_http_exchange_free(&x);
	rq.tls = 1; /* TLS to a plain port: the reason names TLS */
	rq.port = web.port;
	tb_http_get(&net, &rq, &x);
	ck_assert_int_ne(x.err, TB_OK);
	ck_assert_msg(strstr(x.why, "over TLS"), "%s", x.why);
	tb_http_exchange_free(&x);
}
END_TEST

/* RFC 7616 3.9.1: the same request with MD5 and with SHA-256. */
START_TEST(digest_rfc7616_example)
{
	static const char ch_md5[] =
		"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
		"nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
		"opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
	static const char ch_sha[] =
		"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
		"nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
		"opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
	static const char cnonce[] = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
	struct tb_http_digest d = { .user = "Mufasa", .pass = "Circle of Life" };
	struct tb_diag why = { .msg = "" };
	char out[1200];
	ck_assert_msg(tb_http_digest_challenge((const uint8_t *)ch_md5, strlen(ch_md5), &d, &why) ==
			      TB_OK,
		      "%s", why.msg);
	ck_assert(d.qop_auth && !d.sha256 && d.has_opaque);
	ck_assert_int_eq(tb_http_digest_auth(&d, "GET", "/dir/index.html", cnonce, out, sizeof out), 0);
	ck_assert_msg(strstr(out, "response=\"8ca523f5e9506fed4657c9700eebdbec\""), "%s", out);
	ck_assert_msg(strstr(out, "nc=00000001"), "%s", out);
	ck_assert(tb_http_digest_challenge((const uint8_t *)ch_sha, strlen(ch_sha), &d, &why) == TB_OK);
	ck_assert(d.sha256);
	ck_assert_int_eq(tb_http_digest_auth(&d, "GET", "/dir/index.html", cnonce, out, sizeof out), 0);
	ck_assert_msg(
		strstr(out,
		       "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""),
		"%s", out);
	/* What is refused: not Digest, no nonce, an unknown algorithm, a bad quote. */
	static const char *const bad[] = { "Basic realm=\"x\"",
					   "Digest realm=\"x\"",
					   "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512",
					   "Digest realm=\"x, nonce=\"n\"",
					   "Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"",
					   "Digest =x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(tb_http_digest_challenge((const uint8_t *)bad[i], strlen(bad[i]), &d,
						       &why) == TB_E_FORMAT,
			      "%s", bad[i]);
}
END_TEST

Suite *httpc_suite(void)
{
	Suite *s = suite_create("httpc");
	TCase *tc = tcase_create("follow");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, follow_stops_at_the_hop_bound);
	tcase_add_test(tc, follow_refuses_outside_the_scope);
	tcase_add_test(tc, follow_keeps_authorization_on_the_same_port_only);
	tcase_add_test(tc, follow_records_each_hop);
	tcase_add_test(tc, cookie_sent_and_kept_on_the_same_port_only);
	tcase_add_test(tc, tls_mode_speaks_https);
	tcase_add_test(tc, plain_http_to_a_tls_port_fails_and_says_so);
	suite_add_tcase(s, tc);
	tc = tcase_create("digest");
	tcase_add_test(tc, digest_rfc7616_example);
	suite_add_tcase(s, tc);
	return s;
}
