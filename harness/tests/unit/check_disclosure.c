/* check_disclosure.c: unit tests for sorting what a device says without
 * authentication into kinds (proto/p_disclose.c), and the run's surface
 * record (check/surface.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check/surface.h"
#include "proto/p_disclose.h"
#include "suites.h"

#define K(x) (1u << TB_DISC_##x)

START_TEST(kinds_of_real_items)
{
	/* What real daemons and the reference devices send. */
	ck_assert_uint_eq(tb_disc_kinds("banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
			  K(VERSION));
	ck_assert_uint_eq(tb_disc_kinds("server", "lighttpd/1.4.69"), K(VERSION));
	ck_assert_uint_eq(tb_disc_kinds("SERVER", "Linux/4.9 UPnP/1.0 RD-1/1.0.3"), K(VERSION));
	ck_assert_uint_eq(tb_disc_kinds("sysDescr", "RD-1 IP camera, firmware 1.0.3"), K(VERSION));
	ck_assert_uint_eq(tb_disc_kinds("serialNumber", "RD1-000123"), K(SERIAL));
	ck_assert_uint_eq(tb_disc_kinds("ifPhysAddress.2", "02:00:5e:10:00:01"), K(MAC));
	ck_assert_uint_eq(tb_disc_kinds("txt", "mac=02-00-5E-10-00-01"), K(MAC) | K(RESOURCES));
	ck_assert_uint_eq(tb_disc_kinds("engineID", "80001f8803020000000001"), K(MAC));
	ck_assert_uint_eq(tb_disc_kinds("engineID", "80001f8804747275737462"), 0);
	ck_assert_uint_eq(tb_disc_kinds("modelName", "RD-1"), K(MODEL));
	ck_assert_uint_eq(tb_disc_kinds("sysName", "camera"), K(HOSTNAME));
	ck_assert_uint_eq(tb_disc_kinds("sysContact", "ops@example.invalid"), K(CONTACT));
	ck_assert_uint_eq(tb_disc_kinds("UDN", "uuid:5f3e"), K(IDENTIFIER));
	ck_assert_uint_eq(tb_disc_kinds("resource", "</sensors/temp>;rt=\"temp\""), K(RESOURCES));
	/* Protocol versions and addresses are not product versions. */
	ck_assert_uint_eq(tb_disc_kinds("LOCATION", "http://198.18.1.10:5000/rootDesc.xml"), 0);
	ck_assert_uint_eq(tb_disc_kinds("banner", "HTTP/1.1 400 Bad Request"), 0);
	ck_assert_uint_eq(tb_disc_kinds("ST", "upnp:rootdevice"), 0);
	ck_assert_uint_eq(tb_disc_kinds("tls-version", "TLS1.3"), 0);
	ck_assert_uint_eq(tb_disc_kinds("version", "ntpd 4.2.8p15@1.3728-o"), K(VERSION));
	/* Not a MAC: too long a hex run, or mixed separators. */
	ck_assert_uint_eq(tb_disc_kinds("x", "02:00:5e:10:00:01:77") & K(MAC), 0);
	ck_assert_uint_eq(tb_disc_kinds("x", "02:00-5e:10:00:01") & K(MAC), 0);
}
END_TEST

START_TEST(version_tokens_from_an_error_page)
{
	static const char page[] =
		"<html><body><h1>404 Not Found</h1><hr>"
		"<address>lighttpd/1.4.69 at 198.18.1.10 Port 80</address>"
		"HTTP/1.1 and nginx v1.22.1, jQuery 3.6.0</body></html>";
	char tok[8][64];
	size_t n = tb_version_tokens((const uint8_t *)page, strlen(page), tok, 8);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(tok[0], "lighttpd/1.4.69");
	ck_assert_str_eq(tok[1], "nginx v1.22.1");
	ck_assert_str_eq(tok[2], "jQuery 3.6.0");
	ck_assert_uint_eq(tb_version_tokens((const uint8_t *)page, strlen(page), tok, 1), 1);
	ck_assert_uint_eq(tb_version_tokens((const uint8_t *)"1.2", 3, tok, 8), 0); /* unnamed */
	ck_assert_uint_eq(tb_version_tokens((const uint8_t *)"x", 0, tok, 8), 0);
	ck_assert_int_eq(tb_disc_kind_parse("serial"), TB_DISC_SERIAL);
	ck_assert_int_eq(tb_disc_kind_parse("Serial"), TB_DISC_COUNT);
	ck_assert_str_eq(tb_disc_kind_name(TB_DISC_COUNT), "?");
}
END_TEST

START_TEST(surface_keeps_each_item_once)
{
	struct tb_surface s = { 0 };
	struct tb_endpoint *e = tb_surface_endpoint(&s, "udp", "198.18.1.10", 161);
	ck_assert_str_eq(e->protocol, "unknown");
	tb_surface_item(e, "sysName", "camera", "snmp-v2c");
	tb_surface_item(e, "sysName", "camera", "snmp-v1");
	ck_assert_uint_eq(e->nitems, 1);
	for (int i = 0; i < TB_SURFACE_MAX_ITEMS + 5; i++) {
		char v[16];
		snprintf(v, sizeof v, "v%d", i);
		tb_surface_item(e, "k", v, "x");
	}
	ck_assert_uint_eq(e->nitems, TB_SURFACE_MAX_ITEMS);
	ck_assert_uint_eq(e->items_dropped, 6);
	/* Same port over TCP is another endpoint; the same one is found again. */
	ck_assert_ptr_ne(tb_surface_endpoint(&s, "tcp", "198.18.1.10", 161), e);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(tb_surface_endpoint(&s, "udp", "198.18.1.10", 161)->nitems,
			  TB_SURFACE_MAX_ITEMS);
	tb_surface_free(&s);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

Suite *disclosure_suite(void)
{
	Suite *s = suite_create("disclosure");
	TCase *tc = tcase_create("disclosure");
	tcase_add_test(tc, kinds_of_real_items);
	tcase_add_test(tc, version_tokens_from_an_error_page);
	tcase_add_test(tc, surface_keeps_each_item_once);
	suite_add_tcase(s, tc);
	return s;
}
