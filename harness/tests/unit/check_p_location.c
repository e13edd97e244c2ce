/* check_p_location.c: unit tests for the Location-header parser
 * (proto/p_location.c), which decides which redirects a check follows. */
#include <check.h>
#include <string.h>

#include "proto/p_location.h"
#include "suites.h"

static struct tb_diag why;

static enum tb_err loc(const char *s, uint32_t *addr, uint16_t *port, char *path)
{
	memset(&why, 0, sizeof why);
	return tb_p_location((const uint8_t *)s, strlen(s), addr, port, path, 600, &why);
}

START_TEST(location_valid)
{
	uint32_t addr = 0x01020304;
	uint16_t port = 1234;
	char path[600];
	ck_assert_int_eq(loc("/login.htm?next=/", &addr, &port, path), TB_OK);
	ck_assert_str_eq(path, "/login.htm?next=/");
	ck_assert_uint_eq(addr, 0x01020304); /* relative: same target */
	ck_assert_uint_eq(port, 1234);

	ck_assert_int_eq(loc("http://198.18.1.10:8080/x", &addr, &port, path), TB_OK);
	ck_assert_uint_eq(addr, 0xc612010a);
	ck_assert_uint_eq(port, 8080);
	ck_assert_str_eq(path, "/x");

	ck_assert_int_eq(loc("http://198.18.1.10", &addr, &port, path), TB_OK);
	ck_assert_uint_eq(port, 80);
	ck_assert_str_eq(path, "/");

	ck_assert_int_eq(loc("http://198.18.1.11:81", &addr, &port, path), TB_OK);
	ck_assert_uint_eq(addr, 0xc612010b);
	ck_assert_uint_eq(port, 81);
	ck_assert_str_eq(path, "/");

	ck_assert_int_eq(loc("http://198.18.1.10/a/b", &addr, &port, path), TB_OK);
	ck_assert_uint_eq(port, 80);
	ck_assert_str_eq(path, "/a/b");
}
END_TEST

/* Refused, with the phrase in the reason, and the target left as it was. */
static void loc_bad(const char *s, const char *phrase)
{
	uint32_t addr = 0x01020304;
	uint16_t port = 1234;
	char path[600] = "unchanged";
	ck_assert_msg(loc(s, &addr, &port, path) == TB_E_FORMAT, "'%s' accepted (path '%s')", s, path);
	ck_assert_msg(strstr(why.msg, phrase), "'%s': '%s' not in '%s'", s, phrase, why.msg);
	ck_assert_uint_eq(addr, 0x01020304);
	ck_assert_uint_eq(port, 1234);
	ck_assert_str_eq(path, "unchanged");
}

START_TEST(location_refused)
{
	loc_bad("http://example.com/", "redirect to host name 'example.com' refused");
	loc_bad("http://localhost:8080/", "host name 'localhost' refused");
	loc_bad("http://198.18.1.010/", "host name '198.18.1.010' refused");
	loc_bad("http://user@198.18.1.10/", "refused");
	loc_bad("https://198.18.1.10/", "not http:// on a lab address");
	loc_bad("//evil.example/x", "not http:// on a lab address");
	loc_bad("//198.18.1.10/x", "not http:// on a lab address");
	loc_bad("login.htm", "not http:// on a lab address");
	loc_bad("HTTP://198.18.1.10/", "not http://");
	loc_bad("http:///x", "unusable host");
	loc_bad("http://198.18.1.10:99999/", "bad port");
	loc_bad("http://198.18.1.10:0/", "bad port");
	loc_bad("http://198.18.1.10:/", "bad port");
	loc_bad("http://198.18.1.10:abc/", "bad port");
	loc_bad("", "unusable Location");
	uint32_t a = 0;
	uint16_t p = 0;
	char path[600];
	ck_assert_int_eq(tb_p_location((const uint8_t *)"/a\0b", 4, &a, &p, path, sizeof path, &why),
			 TB_E_FORMAT);
	/* A path that does not fit is refused, not cut. */
	ck_assert_int_eq(tb_p_location((const uint8_t *)"/abcdef", 7, &a, &p, path, 4, &why),
			 TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(why.msg, "too long"));
	/* Exactly fitting is fine. */
	ck_assert_int_eq(tb_p_location((const uint8_t *)"/abc", 4, &a, &p, path, 5, &why), TB_OK);
	ck_assert_str_eq(path, "/abc");
	static char huge[TB_LOCATION_MAX + 2];
	memset(huge, 'a', sizeof huge - 1);
	huge[0] = '/';
	loc_bad(huge, "unusable Location");
	huge[TB_LOCATION_MAX] = '\0'; /* the longest value looked at */
	ck_assert_int_eq(loc(huge, &a, &p, path), TB_OK);
	ck_assert_uint_eq(strlen(path), TB_LOCATION_MAX);
}
END_TEST

/* After the port number only the end or a path may follow. */
START_TEST(location_port_junk)
{
	loc_bad("http://198.18.1.10:80x/", "bad port");
	loc_bad("http://198.18.1.10:80:81/", "bad port");
	loc_bad("http://198.18.1.10:+80/", "bad port");
	loc_bad("http://198.18.1.10:-1/", "bad port");
}
END_TEST

/* The reference is not NUL-terminated: bytes past len are never read. */
START_TEST(location_bounded)
{
	static const uint8_t buf[] = "/abc/def";
	uint32_t a = 0;
	uint16_t p = 0;
	char path[600];
	ck_assert_int_eq(tb_p_location(buf, 4, &a, &p, path, sizeof path, &why), TB_OK);
	ck_assert_str_eq(path, "/abc");
	ck_assert_int_eq(tb_p_location(buf, 4, &a, &p, path, sizeof path, NULL), TB_OK);
	ck_assert_int_eq(tb_p_location((const uint8_t *)"x", 1, &a, &p, path, sizeof path, NULL),
			 TB_E_FORMAT);
}
END_TEST

Suite *p_location_suite(void)
{
	Suite *s = suite_create("p_location");
	TCase *tc = tcase_create("location");
	tcase_add_test(tc, location_valid);
	tcase_add_test(tc, location_refused);
	tcase_add_test(tc, location_port_junk);
	tcase_add_test(tc, location_bounded);
	suite_add_tcase(s, tc);
	return s;
}
