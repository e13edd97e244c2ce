/* check_checks.c: unit tests for the parsers inside the check families
 * (exposed with TB_UNITTEST). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/credphase_internal.h"
#include "check/chk_exposure_internal.h"
#include "check/portlist.h"
#include "load/profile.h"
#include "result/result.h"
#include "suites.h"

static int has_port(const uint8_t map[8192], long p)
{
	return (map[p >> 3] >> (p & 7)) & 1;
}

static long ports(const char *spec, uint8_t map[8192])
{
	struct tb_diag why = { .msg = "" };
	long n = tb_port_list_parse(spec, map, &why);
	if (n < 0)
		ck_assert_msg(strstr(why.msg, "bad port list"), "%s: %s", spec, why.msg);
	return n;
}

START_TEST(ports_valid)
{
	static uint8_t map[8192];
	ck_assert_int_eq(ports("1-65535", map), 65535);
	ck_assert(!has_port(map, 0));
	ck_assert(has_port(map, 1));
	ck_assert(has_port(map, 65535));

	ck_assert_int_eq(ports("22,80,8000-8002", map), 5);
	ck_assert(has_port(map, 22));
	ck_assert(has_port(map, 80));
	ck_assert(has_port(map, 8000));
	ck_assert(has_port(map, 8002));
	ck_assert(!has_port(map, 8003));
	ck_assert(!has_port(map, 23));

	ck_assert_int_eq(ports("80,80,80", map), 1);
	ck_assert_int_eq(ports("1-100,50-150", map), 150);
	ck_assert_int_eq(ports("10-20,15,20-20", map), 11);
	ck_assert_int_eq(ports("65535", map), 1);
	ck_assert_int_eq(ports("7-7", map), 1);
	/* The map is reset on every call. */
	ck_assert(!has_port(map, 80));
	ck_assert(has_port(map, 7));
}
END_TEST

START_TEST(ports_invalid)
{
	static uint8_t map[8192];
	static const char *const bad[] = {
		"0",    "65536",  "5-3",   "",        "a",    "80-",  "-80",
		",80",  "80,,81", "80;81", "1-65536", "0-10", "80 x", "99999999999999999999",
		"80-x", NULL
	};
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(ports(bad[i], map) == -1, "'%s' accepted", bad[i]);
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(tb_port_list_parse("5-3", map, &why), -1);
	ck_assert_str_eq(why.msg, "bad port list '5-3' (use e.g. 1-65535 or 22,80,8000-8100)");
}
END_TEST

/* BUG: a trailing comma ends the loop with the ports seen so far, so "80,"
 * is taken for "80" instead of being refused like ",80" and "80,,81". */
START_TEST(ports_trailing_comma)
{
	static uint8_t map[8192];
	ck_assert_msg(ports("80,", map) == -1, "'80,' accepted");
	ck_assert_msg(ports("22,80-90,", map) == -1, "'22,80-90,' accepted");
}
END_TEST

static int cred_has(const struct credlist *l, const char *u, const char *p)
{
	int n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += strcmp(l->v[i].user, u) == 0 && strcmp(l->v[i].pass, p) == 0;
	return n;
}

START_TEST(credlist_real_file)
{
	FILE *f = fopen("testsuites/data/mirai-default-credentials.tsv", "rb");
	ck_assert_ptr_nonnull(f);
	static char buf[1 << 18];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	/* 64 lines: one comment, one header, 62 pairs of which one repeats. */
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	ck_assert_uint_eq(lines, 64);

	struct credlist l = { 0 };
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(parse_credlist(buf, len, &l, &why), 0);
	ck_assert_uint_eq(l.n, 61);
	ck_assert_str_eq(l.v[0].user, "root");
	ck_assert_str_eq(l.v[0].pass, "xc3511"); /* weight column dropped */
	ck_assert_int_eq(l.v[0].control, 0);
	ck_assert_int_eq(cred_has(&l, "guest", "12345"), 1);
	ck_assert_int_eq(cred_has(&l, "root", ""), 1);
	ck_assert_int_eq(cred_has(&l, "admin", ""), 1);
	ck_assert_int_eq(cred_has(&l, "mother", "fucker"), 1);
	ck_assert_int_eq(cred_has(&l, "username", "password"), 0);
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_ptr_null(strchr(l.v[i].user, '#'));
		ck_assert_ptr_null(strchr(l.v[i].pass, '\t'));
		ck_assert_ptr_null(strchr(l.v[i].pass, '\r'));
	}
	credlist_free(&l);
}
END_TEST

START_TEST(credlist_formats)
{
	static const char crlf[] =
		"# comment\r\nusername\tpassword\r\nroot\tpass\r\nadmin\t\r\n"
		"\r\nuser\tpw\t7\r\nlast\tline";
	struct credlist l = { 0 };
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(parse_credlist(crlf, strlen(crlf), &l, &why), 0);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(l.v[0].user, "root");
	ck_assert_str_eq(l.v[0].pass, "pass");
	ck_assert_str_eq(l.v[1].user, "admin");
	ck_assert_str_eq(l.v[1].pass, "");
	ck_assert_str_eq(l.v[2].pass, "pw");
	ck_assert_str_eq(l.v[3].user, "last");
	ck_assert_str_eq(l.v[3].pass, "line");
	credlist_free(&l);

	/* Empty input is an empty list. */
	ck_assert_int_eq(parse_credlist("", 0, &l, &why), 0);
	ck_assert_uint_eq(l.n, 0);
	/* Passwords may contain spaces and '#'. */
	ck_assert_int_eq(parse_credlist("a\tb c#d\n", 8, &l, &why), 0);
	ck_assert_str_eq(l.v[0].pass, "b c#d");
	credlist_free(&l);
}
END_TEST

static void credlist_bad(const char *text, size_t len, const char *line_phrase)
{
	struct credlist l = { 0 };
	struct tb_diag why = { .msg = "" };
	ck_assert_int_eq(parse_credlist(text, len, &l, &why), -1);
	ck_assert_msg(strstr(why.msg, line_phrase), "'%s' not in '%s'", line_phrase, why.msg);
	ck_assert_msg(strstr(why.msg, "expected username<TAB>password"), "%s", why.msg);
	credlist_free(&l);
}

START_TEST(credlist_errors)
{
	static const char notab[] = "# c\nroot\tx\nnotab\nadmin\tadmin\n";
	credlist_bad(notab, strlen(notab), "line 3:");
	static const char crlf[] = "root\tx\r\nno tab here\r\n";
	credlist_bad(crlf, strlen(crlf), "line 2:");
	static const char nouser[] = "root\tx\n\tpass\n";
	credlist_bad(nouser, strlen(nouser), "line 2:");
	static const char nul[] = "root\tx\nad\0min\tpw\n";
	credlist_bad(nul, sizeof nul - 1, "line 2:");
}
END_TEST

/* Issue 12: what one credentialed HTTP chain proves. */
START_TEST(http_confirm_after_redirects)
{
	char d[512];
	/* 401 -> with the credential 301 /admin -> /admin/ 200: a login. */
	struct http_chain c = { .status = 200, .auth_on_final = 1, .final = "http://x/admin/" };
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_ACCEPTED);
	/* Moved to another resource that also refuses without credentials: a login. */
	c.moved = 1;
	c.unauth_status = 401;
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_ACCEPTED);
	/* Moved to a page served to anyone (a login form): not a login. */
	c.unauth_status = 200;
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_REJECTED);
	ck_assert_msg(strstr(d, "not a login"), "%s", d);
	/* A 401 at the end of the chain: refused. */
	c = (struct http_chain){ .status = 401, .auth_on_final = 1, .moved = 1 };
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_REJECTED);
	/* 2xx where the credential was not sent (redirected off the port): unconfirmed. */
	c = (struct http_chain){ .status = 200, .moved = 1, .final = "http://x:81/" };
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_UNCONFIRMED);
	/* A redirect not followed, or too many: unconfirmed; nothing listening. */
	c = (struct http_chain){ .stopped = 1, .status = 302 };
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_UNCONFIRMED);
	c = (struct http_chain){ .noconnect = 1, .err = TB_E_REFUSED };
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_NOCONNECT);
	c = (struct http_chain){ .status = 500, .auth_on_final = 1 };
	ck_assert_int_eq(http_confirm(&c, d, sizeof d), TB_LOGIN_UNCONFIRMED);
}
END_TEST

START_TEST(declared_protocol_against_identity)
{
	struct tb_service https = { .port = 443, .transport = "tcp", .protocol = "https", .tls = 1 };
	struct tb_service mqtt = { .port = 8883, .transport = "tcp", .protocol = "mqtt", .tls = 1 };
	struct tb_service web = { .port = 80, .transport = "tcp", .protocol = "http" };
	struct tb_service shell = { .port = 22, .transport = "tcp", .protocol = "ssh" };
	ck_assert(tcp_protocol_matches(&https, "tls"));
	ck_assert(tcp_protocol_matches(&mqtt, "tls")); /* MQTT inside TLS */
	ck_assert(tcp_protocol_matches(&web, "upnp"));
	ck_assert(tcp_protocol_matches(&web, "unknown")); /* nothing said: no mismatch */
	ck_assert(!tcp_protocol_matches(&web, "telnet"));
	ck_assert(!tcp_protocol_matches(&shell, "http"));
	ck_assert(!tcp_protocol_matches(&shell, "tls")); /* not declared tls: true */
}
END_TEST

Suite *checks_suite(void)
{
	Suite *s = suite_create("checks");
	TCase *tc = tcase_create("exposure");
	tcase_add_test(tc, ports_valid);
	tcase_add_test(tc, ports_invalid);
	tcase_add_test(tc, ports_trailing_comma);
	tcase_add_test(tc, declared_protocol_against_identity);
	suite_add_tcase(s, tc);
	tc = tcase_create("default-credentials");
	tcase_add_test(tc, credlist_real_file);
	tcase_add_test(tc, credlist_formats);
	tcase_add_test(tc, credlist_errors);
	tcase_add_test(tc, http_confirm_after_redirects);
	suite_add_tcase(s, tc);
	return s;
}
