/* check_p_tls.c: TLS hellos, cut at every offset. */
#include <check.h>
#include <string.h>

#include "proto/p_tls.h"
#include "suites.h"

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ClientHello (SNI "dev.lab", versions GREASE, 1.3, 1.2) or ServerHello 1.3. */
static size_t hello(uint8_t *p, int server)
{
	uint8_t ext[64];
	size_t e;
	if (!server) {
		put16(ext, 0);
		put16(ext + 2, 12);
		put16(ext + 4, 10);
		ext[6] = 0;
		put16(ext + 7, 7);
		memcpy(ext + 9, "dev.lab", 7);
		e = 16;
		put16(ext + e, 43);
		put16(ext + e + 2, 7);
		ext[e + 4] = 6;
		put16(ext + e + 5, 0x3a3a);
		put16(ext + e + 7, 0x0304);
		put16(ext + e + 9, 0x0303);
		e += 11;
	} else {
		put16(ext, 43);
		put16(ext + 2, 2);
		put16(ext + 4, 0x0304);
		e = 6;
	}
	size_t o = 9;
	put16(p + o, 0x0303);
	o += 2;
	memset(p + o, 7, 32);
	o += 32;
	p[o++] = 0;
	if (!server) {
		put16(p + o, 2);
		put16(p + o + 2, 0x1301);
		o += 4;
		p[o++] = 1;
		p[o++] = 0;
	} else {
		put16(p + o, 0x1301);
		o += 2;
		p[o++] = 0;
	}
	put16(p + o, (unsigned)e);
	o += 2;
	memcpy(p + o, ext, e);
	o += e;
	p[0] = 22;
	put16(p + 1, 0x0301);
	put16(p + 3, (unsigned)(o - 5));
	p[5] = server ? 2 : 1;
	p[6] = 0;
	put16(p + 7, (unsigned)(o - 9));
	return o;
}

START_TEST(client_hello_versions_and_sni)
{
	uint8_t p[256];
	struct tb_tls_hello h;
	size_t n = hello(p, 0);
	ck_assert_int_eq(tb_p_tls_hello(p, n, &h), TB_OK);
	ck_assert_int_eq(h.type, 1);
	ck_assert_str_eq(h.sni, "dev.lab");
	ck_assert_uint_eq(h.nversions, 2); /* GREASE dropped */
	ck_assert_uint_eq(h.versions[0], 0x0304);
	ck_assert_uint_eq(h.versions[1], 0x0303);
}
END_TEST

START_TEST(server_hello_chosen_version)
{
	uint8_t p[256];
	struct tb_tls_hello h;
	char name[8];
	size_t n = hello(p, 1);
	ck_assert_int_eq(tb_p_tls_hello(p, n, &h), TB_OK);
	ck_assert_int_eq(h.type, 2);
	ck_assert_uint_eq(h.nversions, 1);
	tb_p_tls_version_name(h.versions[0], name);
	ck_assert_str_eq(name, "TLS1.3");
}
END_TEST

START_TEST(every_truncation)
{
	for (int server = 0; server < 2; server++) {
		uint8_t p[256];
		size_t n = hello(p, server);
		for (size_t i = 0; i < n; i++) {
			struct tb_tls_hello h;
			ck_assert_int_eq(tb_p_tls_hello(p, i, &h), TB_E_TRUNC);
		}
	}
}
END_TEST

START_TEST(inner_lengths_checked)
{
	uint8_t p[256];
	struct tb_tls_hello h;
	size_t n = hello(p, 0);
	p[n - 27 + 4] = 0;
	p[n - 27 + 5] = 200; /* SNI list length beyond its extension */
	ck_assert_int_eq(tb_p_tls_hello(p, n, &h), TB_E_FORMAT);
	n = hello(p, 0);
	p[0] = 23; /* application data, not a handshake */
	ck_assert_int_eq(tb_p_tls_hello(p, n, &h), TB_E_FORMAT);
	ck_assert(!tb_p_tls_looks_like(p, n));
}
END_TEST

Suite *p_tls_suite(void)
{
	Suite *s = suite_create("p_tls");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, client_hello_versions_and_sni);
	tcase_add_test(tc, server_hello_chosen_version);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, inner_lengths_checked);
	suite_add_tcase(s, tc);
	return s;
}
