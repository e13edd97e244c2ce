/* check_scope.c: unit tests for IPv4 and IPv6 parsing, CIDRs and the lab scope. */
#include <arpa/inet.h>
#include <check.h>
#include <net/if.h>
#include <netinet/in.h>
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
	struct tb_scope one = { .v = v, .n = 1 }, two = { .v = v, .n = 2 }, none = { .v = NULL };
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
	struct tb_scope wide = { .v = &w, .n = 1 };
	ck_assert(tb_scope_contains(&wide, IP(198, 18, 0, 0)));
	ck_assert(tb_scope_contains(&wide, IP(198, 18, 255, 255)));
	ck_assert(!tb_scope_contains(&wide, IP(198, 19, 0, 0)));
	ck_assert(!tb_scope_contains(&wide, IP(198, 17, 255, 255)));
}
END_TEST

/* ---- IPv6 ---- */

static struct tb_addr v6(const char *s)
{
	struct tb_addr a;
	ck_assert_msg(tb_addr_parse(s, &a) == 0, "'%s' refused", s);
	return a;
}

START_TEST(addr_round_trip)
{
	static const char *const same[] = {
		"2001:2::10",
		"2001:2:0:1::10",
		"fe80::1",
		"::1",
		"2001:2:0:ffff:ffff:ffff:ffff:ffff",
		"198.18.1.10",
		"2001:2:0:1:a:b:c:d",
		NULL,
	};
	char out[TB_ADDR_TEXT];
	for (int i = 0; same[i]; i++) {
		struct tb_addr a = v6(same[i]);
		tb_addr_format(&a, out);
		ck_assert_str_eq(out, same[i]);
	}
	/* Canonical form on output. */
	struct tb_addr a = v6("2001:0002:0000:0001:0000:0000:0000:0010");
	tb_addr_format(&a, out);
	ck_assert_str_eq(out, "2001:2:0:1::10");
	ck_assert_int_eq(a.family, AF_INET6);
	ck_assert_uint_eq(a.u.v6[0], 0x20);
	ck_assert_uint_eq(a.u.v6[15], 0x10);
	/* A numeric zone on a link-local address, and an interface name. */
	a = v6("fe80::10%7");
	ck_assert_uint_eq(a.scope_id, 7);
	ck_assert(tb_addr_is_link_local(&a));
	unsigned lo = if_nametoindex("lo");
	if (lo) {
		a = v6("fe80::10%lo");
		ck_assert_uint_eq(a.scope_id, lo);
		tb_addr_format(&a, out);
		ck_assert_str_eq(out, "fe80::10%lo");
	}
	/* IPv4 through the same door. */
	a = v6("198.18.1.10");
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_uint_eq(a.u.v4, IP(198, 18, 1, 10));
}
END_TEST

START_TEST(addr_strict)
{
	static const char *const bad[] = {
		"",
		"2001:2::10%7", /* zone on a global address */
		"::1%1",
		"fe80::1%",
		"fe80::1%0",
		"fe80::1%01",
		"fe80::1%no-such-if9",
		"2001:2::10/64",
		"2001:2:::10",
		"2001:2::10 ",
		" 2001:2::10",
		"2001:2::g",
		"1:2:3:4:5:6:7:8:9",
		"198.18.1.10%1",
		"::ffff:198.18.1.10%1",
		"[2001:2::10]",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		struct tb_addr a = { .family = 99 };
		ck_assert_msg(tb_addr_parse(bad[i], &a) != 0, "'%s' accepted", bad[i]);
		ck_assert_int_eq(a.family, 0);
	}
	char longer[200];
	memset(longer, '1', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	struct tb_addr a;
	ck_assert(tb_addr_parse(longer, &a) != 0);
}
END_TEST

START_TEST(v4_mapped_is_ipv4)
{
	struct tb_addr a = v6("::ffff:198.18.1.10");
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_uint_eq(a.u.v4, IP(198, 18, 1, 10));
	/* Built by hand as AF_INET6, it is still judged by the IPv4 scope. */
	struct tb_addr m = { .family = AF_INET6 };
	inet_pton(AF_INET6, "::ffff:198.18.1.10", m.u.v6);
	struct tb_cidr c;
	struct tb_cidr6 c6;
	struct tb_diag d;
	ck_assert_int_eq(tb_cidr_parse("198.18.1.0/24", &c, &d), TB_OK);
	ck_assert_int_eq(tb_cidr6_parse("2001:2::/48", &c6, &d), TB_OK);
	struct tb_scope only4 = { .v = &c, .n = 1 }, only6 = { .v6 = &c6, .n6 = 1 };
	ck_assert(tb_scope_contains_addr(&only4, &m));
	ck_assert(tb_scope_contains_addr(&only4, &a));
	ck_assert(!tb_scope_contains_addr(&only6, &m));
	struct tb_addr other = { .family = AF_INET6 };
	inet_pton(AF_INET6, "::ffff:198.19.1.10", other.u.v6);
	ck_assert(!tb_scope_contains_addr(&only4, &other));
	tb_addr_normalize(&m);
	ck_assert_int_eq(m.family, AF_INET);
	/* A mapped range is not an IPv6 scope entry. */
	ck_assert_int_eq(tb_cidr6_parse("::ffff:198.18.1.0/120", &c6, &d), TB_E_CONFIG);
	ck_assert_msg(strstr(d.msg, "write it as an IPv4 CIDR"), "%s", d.msg);
}
END_TEST

START_TEST(cidr6_lab_ranges)
{
	struct tb_cidr6 c;
	struct tb_diag d;
	char out[TB_ADDR_TEXT];
	ck_assert_int_eq(tb_cidr6_parse("2001:2::/48", &c, &d), TB_OK);
	ck_assert_uint_eq(c.prefix, 48);
	tb_cidr6_format(&c, out);
	ck_assert_str_eq(out, "2001:2::/48");
	ck_assert_int_eq(tb_cidr6_parse("2001:2:0:1::/64", &c, &d), TB_OK);
	ck_assert(!tb_cidr6_is_link_local(&c));
	ck_assert_int_eq(tb_cidr6_parse("2001:2:0:1::10", &c, &d), TB_OK);
	ck_assert_uint_eq(c.prefix, 128);
	ck_assert_int_eq(tb_cidr6_parse("2001:2:0:ffff::/64", &c, &d), TB_OK);
	ck_assert_int_eq(tb_cidr6_parse("fe80::/64", &c, &d), TB_OK);
	ck_assert(tb_cidr6_is_link_local(&c));
	ck_assert_int_eq(tb_cidr6_parse("fe80::10/128", &c, &d), TB_OK);
	ck_assert_int_eq(tb_cidr6_parse("::1", &c, &d), TB_OK);
	ck_assert_int_eq(tb_cidr6_parse("::1/128", &c, &d), TB_OK);

	struct {
		const char *s, *phrase;
	} bad[] = {
		/* Not the lab's: the documentation prefix, global, ULA, multicast. */
		{ "2001:db8::/32",
		  "'2001:db8::/32' is outside the lab's IPv6 ranges (2001:2::/48, fe80::/10" },
		{ "2001:db8::10", "outside the lab's IPv6 ranges" },
		{ "2a00:1450:4001::/48", "outside the lab's IPv6 ranges" },
		{ "2606:4700::1111", "outside the lab's IPv6 ranges" },
		{ "fd00::/64", "outside the lab's IPv6 ranges" },
		{ "ff02::1", "outside the lab's IPv6 ranges" },
		{ "2001:3::/48", "outside the lab's IPv6 ranges" },
		{ "2001:1:ffff::/48", "outside the lab's IPv6 ranges" },
		{ "::/128", "outside the lab's IPv6 ranges" },
		{ "::2", "outside the lab's IPv6 ranges" },
		{ "fec0::/64", "outside the lab's IPv6 ranges" },
		/* Too wide. */
		{ "2001:2::/47", "wider than /48" },
		{ "2001::/16", "wider than /48" },
		{ "::/0", "wider than /48" },
		{ "fe80::/10", "wider than /64" },
		{ "fe80::/63", "wider than /64" },
		{ "::/127", "outside the lab's IPv6 ranges" },
		{ "::1/127", "has host bits set beyond /127" },
		/* Malformed. */
		{ "2001:2::1/48", "has host bits set beyond /48" },
		{ "2001:2:0:1::/129", "prefix length must be 0..128" },
		{ "2001:2:0:1::/064", "prefix length must be 0..128" },
		{ "2001:2:0:1::/", "prefix length must be 0..128" },
		{ "2001:2:0:1::/6x", "prefix length must be 0..128" },
		{ "2001:2:0:1::/64/64", "prefix length must be 0..128" },
		{ "fe80::/64%lo", "prefix length must be 0..128" },
		{ "fe80::%lo/64", "names no zone" },
		{ "2001:2:::/64", "is not an IPv6 address" },
		{ "/64", "is not an IPv6 prefix" },
		{ "", "is not an IPv6 prefix" },
		{ NULL, NULL },
	};
	for (int i = 0; bad[i].s; i++) {
		memset(&d, 0, sizeof d);
		ck_assert_msg(tb_cidr6_parse(bad[i].s, &c, &d) == TB_E_CONFIG, "'%s' accepted",
			      bad[i].s);
		ck_assert_msg(strstr(d.msg, bad[i].phrase), "'%s': %s", bad[i].s, d.msg);
		ck_assert_uint_eq(c.prefix, 0);
	}
}
END_TEST

static struct tb_cidr6 cidr6(const char *s)
{
	struct tb_cidr6 c;
	struct tb_diag d;
	ck_assert_msg(tb_cidr6_parse(s, &c, &d) == TB_OK, "%s: %s", s, d.msg);
	return c;
}

START_TEST(scope6_contains_edges)
{
	struct tb_cidr6 v[3] = { cidr6("2001:2::/48"), cidr6("2001:2:0:1::/64"),
				 cidr6("2001:2:0:2::10/128") };
	struct tb_scope s48 = { .v6 = &v[0], .n6 = 1 }, s64 = { .v6 = &v[1], .n6 = 1 },
			s128 = { .v6 = &v[2], .n6 = 1 };
	struct tb_addr a;
	a = v6("2001:2::");
	ck_assert(tb_scope_contains_addr(&s48, &a));
	a = v6("2001:2:0:ffff:ffff:ffff:ffff:ffff");
	ck_assert(tb_scope_contains_addr(&s48, &a));
	a = v6("2001:2:1::");
	ck_assert(!tb_scope_contains_addr(&s48, &a));
	a = v6("2001:1:ffff:ffff:ffff:ffff:ffff:ffff");
	ck_assert(!tb_scope_contains_addr(&s48, &a));

	a = v6("2001:2:0:1::");
	ck_assert(tb_scope_contains_addr(&s64, &a));
	a = v6("2001:2:0:1:ffff:ffff:ffff:ffff");
	ck_assert(tb_scope_contains_addr(&s64, &a));
	a = v6("2001:2:0:2::");
	ck_assert(!tb_scope_contains_addr(&s64, &a));
	a = v6("2001:2:0:0:ffff:ffff:ffff:ffff");
	ck_assert(!tb_scope_contains_addr(&s64, &a));

	a = v6("2001:2:0:2::10");
	ck_assert(tb_scope_contains_addr(&s128, &a));
	a = v6("2001:2:0:2::11");
	ck_assert(!tb_scope_contains_addr(&s128, &a));
	a = v6("2001:2:0:2::f");
	ck_assert(!tb_scope_contains_addr(&s128, &a));
	/* An IPv6 scope holds no IPv4, an IPv4 scope no IPv6. */
	a = v6("198.18.1.10");
	ck_assert(!tb_scope_contains_addr(&s48, &a));
	ck_assert(!tb_scope_contains_addr(NULL, &a));
	ck_assert(tb_scope_has_v6(&s48));
	ck_assert(!tb_scope_has_link_local(&s48));
	/* The prefix test alone (profile loader). */
	a = v6("2001:2:0:1::10");
	ck_assert(tb_scope_covers_v6(&s64, a.u.v6));
	a = v6("2001:db8::10");
	ck_assert(!tb_scope_covers_v6(&s48, a.u.v6));
}
END_TEST

START_TEST(link_local_needs_its_zone)
{
	struct tb_cidr6 ll = cidr6("fe80::/64");
	struct tb_scope s = { .v6 = &ll, .n6 = 1 };
	ck_assert(tb_scope_has_link_local(&s));
	struct tb_addr a = v6("fe80::10%7");
	/* No zone bound yet: no link-local address is inside. */
	ck_assert(!tb_scope_contains_addr(&s, &a));
	tb_scope_bind_zone(&s, 7);
	ck_assert(tb_scope_contains_addr(&s, &a));
	/* The same address on another link, or without a zone, is not. */
	a = v6("fe80::10%8");
	ck_assert(!tb_scope_contains_addr(&s, &a));
	a = v6("fe80::10");
	ck_assert(!tb_scope_contains_addr(&s, &a));
	/* fe80::/64 is not fe80:1::/64. */
	a = v6("fe80:1::10%7");
	ck_assert(!tb_scope_contains_addr(&s, &a));
	/* The prefix test ignores the zone. */
	a = v6("fe80::10");
	ck_assert(tb_scope_covers_v6(&s, a.u.v6));
}
END_TEST

START_TEST(loopback6_only_when_named)
{
	struct tb_cidr6 v[2] = { cidr6("2001:2::/48"), cidr6("::1") };
	struct tb_scope without = { .v6 = v, .n6 = 1 }, with = { .v6 = v, .n6 = 2 };
	struct tb_addr a = v6("::1");
	ck_assert(!tb_scope_contains_addr(&without, &a));
	ck_assert(tb_scope_contains_addr(&with, &a));
	a = v6("::");
	ck_assert(!tb_scope_contains_addr(&with, &a));
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
	tcase_add_test(tc, addr_round_trip);
	tcase_add_test(tc, addr_strict);
	tcase_add_test(tc, v4_mapped_is_ipv4);
	tcase_add_test(tc, cidr6_lab_ranges);
	tcase_add_test(tc, scope6_contains_edges);
	tcase_add_test(tc, link_local_needs_its_zone);
	tcase_add_test(tc, loopback6_only_when_named);
	suite_add_tcase(s, tc);
	return s;
}
