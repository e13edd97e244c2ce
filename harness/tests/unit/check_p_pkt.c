/* check_p_pkt.c: link, IPv4 and transport decoding, cut at every offset. */
#include <check.h>
#include <string.h>

#include "proto/p_pkt.h"
#include "suites.h"

/* Ethernet + IPv4 (198.18.1.10 -> 198.18.9.1) + TCP 40000 -> 80, payload "GET /" */
static size_t frame(uint8_t *f, int vlan)
{
	size_t o = 12;
	memset(f, 0, 128);
	if (vlan) {
		f[o++] = 0x81;
		f[o++] = 0x00;
		f[o++] = 0;
		f[o++] = 7;
	}
	f[o++] = 0x08;
	f[o++] = 0x00;
	uint8_t *ip = f + o;
	ip[0] = 0x45;
	ip[3] = 20 + 20 + 5;
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 198;
	ip[13] = 18;
	ip[14] = 1;
	ip[15] = 10;
	ip[16] = 198;
	ip[17] = 18;
	ip[18] = 9;
	ip[19] = 1;
	uint8_t *t = ip + 20;
	t[0] = 0x9c;
	t[1] = 0x40;
	t[2] = 0;
	t[3] = 80;
	t[12] = 0x50;
	t[13] = 0x18;
	memcpy(t + 20, "GET /", 5);
	return o + 45;
}

START_TEST(ethernet_tcp_decoded)
{
	uint8_t f[128];
	struct tb_pkt k;
	size_t n = frame(f, 0);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.ipv4 && k.transport);
	ck_assert_uint_eq(k.src, 0xc612010a);
	ck_assert_uint_eq(k.dst, 0xc6120901);
	ck_assert_uint_eq(k.sport, 40000);
	ck_assert_uint_eq(k.dport, 80);
	ck_assert_uint_eq(k.paylen, 5);
	ck_assert(memcmp(k.payload, "GET /", 5) == 0);
}
END_TEST

START_TEST(vlan_tag_skipped)
{
	uint8_t f[128];
	struct tb_pkt k;
	size_t n = frame(f, 1);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert_uint_eq(k.dport, 80);
}
END_TEST

START_TEST(every_truncation)
{
	uint8_t f[128];
	size_t n = frame(f, 0);
	for (size_t i = 0; i <= n; i++) {
		struct tb_pkt k;
		enum tb_err e = tb_p_pkt_decode(TB_DLT_EN10MB, f, i, &k);
		if (i < 34)
			ck_assert_int_eq(e, TB_E_TRUNC);
		else if (i < 54)
			ck_assert(e == TB_OK && k.ipv4 && !k.transport);
		else
			ck_assert(e == TB_OK && k.transport && k.paylen == i - 54);
	}
}
END_TEST

START_TEST(bogus_lengths_refused)
{
	uint8_t f[128];
	struct tb_pkt k;
	size_t n = frame(f, 0);
	f[14] = 0x44; /* header length 16 < 20 */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_E_FORMAT);
	n = frame(f, 0);
	f[16] = 0;
	f[17] = 10; /* total length below the header */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_E_FORMAT);
	n = frame(f, 0);
	f[17] = 41; /* total length shorter than the frame: payload clipped to it */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert_uint_eq(k.paylen, 1);
}
END_TEST

START_TEST(fragments_flagged_not_reassembled)
{
	uint8_t f[128];
	struct tb_pkt k;
	size_t n = frame(f, 0);
	f[20] = 0x20; /* more fragments */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.fragment && !k.later_fragment && k.transport);
	f[20] = 0;
	f[21] = 3; /* offset 24 bytes */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.fragment && k.later_fragment && !k.transport);
}
END_TEST

START_TEST(other_links_and_non_ipv4)
{
	uint8_t f[128], g[160];
	struct tb_pkt k;
	size_t n = frame(f, 0);
	/* raw IP */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_RAW_LT, f + 14, n - 14, &k), TB_OK);
	ck_assert_uint_eq(k.dport, 80);
	/* SLL2: protocol first, 20-byte header */
	memset(g, 0, 20);
	g[0] = 0x08;
	memcpy(g + 20, f + 14, n - 14);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_LINUX_SLL2, g, n + 6, &k), TB_OK);
	ck_assert_uint_eq(k.dport, 80);
	/* SLL: protocol at 14 */
	memset(g, 0, 16);
	g[14] = 0x08;
	memcpy(g + 16, f + 14, n - 14);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_LINUX_SLL, g, n + 2, &k), TB_OK);
	ck_assert_uint_eq(k.dport, 80);
	/* ARP is not IPv4 */
	f[12] = 0x08;
	f[13] = 0x06;
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(!k.ipv4);
	ck_assert(!tb_p_pkt_link_supported(105));
	ck_assert_int_eq(tb_p_pkt_decode(105, f, n, &k), TB_E_FORMAT);
}
END_TEST

Suite *p_pkt_suite(void)
{
	Suite *s = suite_create("p_pkt");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, ethernet_tcp_decoded);
	tcase_add_test(tc, vlan_tag_skipped);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, bogus_lengths_refused);
	tcase_add_test(tc, fragments_flagged_not_reassembled);
	tcase_add_test(tc, other_links_and_non_ipv4);
	suite_add_tcase(s, tc);
	return s;
}
