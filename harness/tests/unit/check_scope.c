/* check_scope.c: unit tests for IPv4 parsing, CIDRs and the lab scope. */
#include <check.h>
#include <string.h>

#include "net/scope.h"
#include "suites.h"

#define IP(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

START_TEST(ipv4_valid)
{
	uint32_t a = 1;
	ck_assert_int_eq(tb_ipv4_parse("198.18.1.10", &a), 0);
	ck_assert_uint_eq(a, IP(198, 18, 1, 10));
	ck_assert_int_eq(tb_ipv4_parse("0.0.0.0", &a), 0);
	ck_assert_uint_eq(a, 0);
	ck_assert_int_eq(tb_ipv4_parse("255.255.255.255", &a), 0);
	ck_assert_uint_eq(a, 0xffffffffu);
	ck_assert_int_eq(tb_ipv4_parse("198.19.100.9", &a), 0);
	ck_assert_uint_eq(a, IP(198, 19, 100, 9));
	char out[16];
	tb_ipv4_format(IP(198, 18, 1, 10), out);
	ck_assert_str_eq(out, "198.18.1.10");
	tb_ipv4_format(0xffffffffu, out);
	ck_assert_str_eq(out, "255.255.255.255");
}
END_TEST

START_TEST(ipv4_strict)
{
	static const char *const bad[] = {
		"0198.18.3.4",
		"198.018.3.4",
		"198.18.3.00",
		"198.18.3.010",
		"256.18.1.1",
		"198.18.3.256",
		"198.18.3.999",
		"198.18.3",
		"198.18",
		"198",
		"",
		"198.18.3.4.",
		"198.18.3.4.5",
		"198.18.3.4x",
		" 198.18.3.4",
		"198.18.3.4 ",
		"198. 18.3.4",
		"198 .18.3.4",
		"198..18.3",
		".198.18.3",
		"198.18.3.-4",
		"-198.18.3.4",
		"+198.18.3.4",
		"0xc6.18.3.4",
		"1980.18.1.1",
		"0198.18.1.1",
		"198.18.3.4/32",
		"198.18.3.4\n",
		"a.b.c.d",
		"4294967295",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		uint32_t a = 7;
		ck_assert_msg(tb_ipv4_parse(bad[i], &a) != 0, "'%s' accepted", bad[i]);
		ck_assert_uint_eq(a, 0);
	}
}
END_TEST

START_TEST(cidr_parse)
{
	struct tb_cidr c;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_cidr_parse("198.18.1.0/24", &c, &d), TB_OK);
	ck_assert_uint_eq(c.net, IP(198, 18, 1, 0));
	ck_assert_uint_eq(c.prefix, 24);
	ck_assert_int_eq(tb_cidr_parse("198.18.1.10", &c, &d), TB_OK);
	ck_assert_uint_eq(c.prefix, 32);
	ck_assert_uint_eq(c.net, IP(198, 18, 1, 10));
	ck_assert_int_eq(tb_cidr_parse("198.18.0.0/16", &c, &d), TB_OK);
	ck_assert_uint_eq(c.prefix, 16);
	ck_assert_int_eq(tb_cidr_parse("198.18.1.10/32", &c, &d), TB_OK);

	struct {
		const char *s, *phrase;
	} bad[] = {
		{ "198.18.0.0/15", "wider than /16" },
		{ "0.0.0.0/0", "wider than /16" },
		{ "198.18.1.1/24", "has host bits set beyond /24" },
		{ "198.18.1.0/23", "has host bits set beyond /23" },
		{ "198.18.1.0/33", "prefix length must be 0..32" },
		{ "198.18.1.0/024", "prefix length must be 0..32" },
		{ "198.18.1.0/08", "prefix length must be 0..32" },
		{ "198.18.1.0/", "prefix length must be 0..32" },
		{ "198.18.1.0/2x", "prefix length must be 0..32" },
		{ "198.18.1.0/-8", "prefix length must be 0..32" },
		{ "198.18.1.0/24/24", "prefix length must be 0..32" },
		{ "/24", "is not an IPv4 CIDR" },
		{ "", "is not an IPv4 CIDR" },
		{ "198.18.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0/24", "is not an IPv4 CIDR" },
		{ "198.18.01.0/24", "is not an IPv4 address" },
		{ "fd00::1", "is not an IPv4 address" },
		{ NULL, NULL },
	};
	for (int i = 0; bad[i].s; i++) {
		memset(&d, 0, sizeof d);
		ck_assert_msg(tb_cidr_parse(bad[i].s, &c, &d) == TB_E_CONFIG, "'%s' accepted",
			      bad[i].s);
		ck_assert_msg(strstr(d.msg, bad[i].phrase), "'%s': %s", bad[i].s, d.msg);
		ck_assert_uint_eq(c.net, 0);
		ck_assert_uint_eq(c.prefix, 0);
	}
}
END_TEST

START_TEST(scope_contains_edges)
{
	struct tb_cidr v[2];
	struct tb_diag d;
	ck_assert_int_eq(tb_cidr_parse("198.18.1.0/24", &v[0], &d), TB_OK);
	ck_assert_int_eq(tb_cidr_parse("198.18.9.7/32", &v[1], &d), TB_OK);
	struct tb_scope one = { v, 1 }, two = { v, 2 }, none = { NULL, 0 };
	ck_assert(tb_scope_contains(&one, IP(198, 18, 1, 0)));
	ck_assert(tb_scope_contains(&one, IP(198, 18, 1, 1)));
	ck_assert(tb_scope_contains(&one, IP(198, 18, 1, 255)));
	ck_assert(!tb_scope_contains(&one, IP(198, 18, 0, 255)));
	ck_assert(!tb_scope_contains(&one, IP(198, 18, 2, 0)));
	ck_assert(!tb_scope_contains(&one, IP(198, 19, 1, 10)));
	ck_assert(!tb_scope_contains(&one, IP(199, 18, 1, 10)));
	ck_assert(!tb_scope_contains(&one, IP(198, 18, 9, 7)));
	ck_assert(tb_scope_contains(&two, IP(198, 18, 9, 7)));
	ck_assert(!tb_scope_contains(&two, IP(198, 18, 9, 6)));
	ck_assert(!tb_scope_contains(&two, IP(198, 18, 9, 8)));
	ck_assert(!tb_scope_contains(&none, IP(198, 18, 1, 1)));
	ck_assert(!tb_scope_contains(NULL, IP(198, 18, 1, 1)));

	struct tb_cidr w;
	ck_assert_int_eq(tb_cidr_parse("198.18.0.0/16", &w, &d), TB_OK);
	struct tb_scope wide = { &w, 1 };
	ck_assert(tb_scope_contains(&wide, IP(198, 18, 0, 0)));
	ck_assert(tb_scope_contains(&wide, IP(198, 18, 255, 255)));
	ck_assert(!tb_scope_contains(&wide, IP(198, 19, 0, 0)));
	ck_assert(!tb_scope_contains(&wide, IP(198, 17, 255, 255)));
}
END_TEST

Suite *scope_suite(void)
{
	Suite *s = suite_create("scope");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, ipv4_valid);
	tcase_add_test(tc, ipv4_strict);
	tcase_add_test(tc, cidr_parse);
	tcase_add_test(tc, scope_contains_edges);
	suite_add_tcase(s, tc);
	return s;
}
