/* check_p_pkt6.c: IPv6 decoding on every link type, its extension headers,
 * truncations, lying lengths and header loops. */
#include <check.h>
#include <string.h>

#include "proto/p_pkt.h"
#include "suites.h"

/* 2001:2::2 -> 2001:2::1 */
static const uint8_t SRC6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t DST6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An IPv6 packet at p: the fixed header, the extension headers ext (elen
 * bytes, their next-header fields already chained; first: the first's
 * type), then TCP 40000 -> 21 with "USER x\r\n".  Returns its length. */
static size_t ip6(uint8_t *p, uint8_t first, const uint8_t *ext, size_t elen)
{
	static const char pay[] = "USER x\r\n";
	size_t tl = 20 + sizeof pay - 1;
	memset(p, 0, 40 + elen + tl);
	p[0] = 0x60;
	put16(p + 4, (unsigned)(elen + tl));
	p[6] = elen ? first : 6;
	p[7] = 64;
	memcpy(p + 8, SRC6, 16);
	memcpy(p + 24, DST6, 16);
	if (elen)
		memcpy(p + 40, ext, elen);
	uint8_t *t = p + 40 + elen;
	put16(t, 40000);
	put16(t + 2, 21);
	t[12] = 0x50;
	t[13] = 0x18;
	memcpy(t + 20, pay, sizeof pay - 1);
	return 40 + elen + tl;
}

/* Ethernet, optionally with one VLAN tag, around an IPv6 packet. */
static size_t eth6(uint8_t *f, int vlan, uint8_t first, const uint8_t *ext, size_t elen)
{
	size_t o = 12;
	memset(f, 0, 18);
	if (vlan) {
		put16(f + o, 0x8100);
		put16(f + o + 2, 7);
		o += 4;
	}
	put16(f + o, 0x86dd);
	o += 2;
	return o + ip6(f + o, first, ext, elen);
}

static void assert_ftp_user(const struct tb_pkt *k)
{
	ck_assert(k->ipv6 && !k->ipv4 && k->transport && !k->cut);
	ck_assert_uint_eq(k->proto, 6);
	ck_assert(memcmp(k->src6, SRC6, 16) == 0 && memcmp(k->dst6, DST6, 16) == 0);
	ck_assert_uint_eq(k->sport, 40000);
	ck_assert_uint_eq(k->dport, 21);
	ck_assert_uint_eq(k->paylen, 8);
	ck_assert(memcmp(k->payload, "USER x\r\n", 8) == 0);
}

START_TEST(ethernet_and_vlan)
{
	uint8_t f[256];
	struct tb_pkt k;
	size_t n = eth6(f, 0, 0, NULL, 0);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	assert_ftp_user(&k);
	ck_assert_uint_eq(k.iplen, 40 + 28);
	ck_assert(!k.fragment);
	n = eth6(f, 1, 0, NULL, 0);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	assert_ftp_user(&k);
}
END_TEST

START_TEST(other_link_types)
{
	uint8_t p[200], g[256];
	struct tb_pkt k;
	size_t n = ip6(p, 0, NULL, 0);
	/* raw IP: the version nibble decides */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_RAW_LT, p, n, &k), TB_OK);
	assert_ftp_user(&k);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_RAW, p, n, &k), TB_OK);
	assert_ftp_user(&k);
	/* SLL: protocol at 14 */
	memset(g, 0, 16);
	put16(g + 14, 0x86dd);
	memcpy(g + 16, p, n);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_LINUX_SLL, g, n + 16, &k), TB_OK);
	assert_ftp_user(&k);
	/* SLL2: protocol first, 20-byte header */
	memset(g, 0, 20);
	put16(g, 0x86dd);
	memcpy(g + 20, p, n);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_LINUX_SLL2, g, n + 20, &k), TB_OK);
	assert_ftp_user(&k);
	/* BSD loopback: AF_INET6 is 24, 28 or 30, in either byte order */
	static const uint8_t afs[][4] = { { 24, 0, 0, 0 }, { 0, 0, 0, 28 }, { 30, 0, 0, 0 } };
	for (size_t i = 0; i < 3; i++) {
		memcpy(g, afs[i], 4);
		memcpy(g + 4, p, n);
		ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_NULL, g, n + 4, &k), TB_OK);
		assert_ftp_user(&k);
	}
	/* an IPv6 ethertype over an IPv4 header is bogus */
	uint8_t f[256];
	n = eth6(f, 0, 0, NULL, 0);
	f[14] = 0x45;
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_E_FORMAT);
}
END_TEST

/* Hop-by-hop (8 bytes), routing (16), destination options (8), AH (12):
 * all skipped by their own lengths. */
START_TEST(extension_headers_skipped)
{
	uint8_t ext[64] = { 0 }, f[256];
	struct tb_pkt k;
	ext[0] = 43; /* hop-by-hop -> routing */
	ext[1] = 0;
	ext[8] = 60; /* routing -> destination options, 16 bytes */
	ext[9] = 1;
	ext[24] = 51; /* destination options -> AH */
	ext[25] = 0;
	ext[32] = 6; /* AH -> TCP: (1 + 2) * 4 = 12 bytes */
	ext[33] = 1;
	size_t n = eth6(f, 0, 0, ext, 44);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	assert_ftp_user(&k);
	ck_assert_uint_eq(k.iplen, 40 + 44 + 28);
}
END_TEST

START_TEST(fragments)
{
	uint8_t ext[8] = { 6, 0, 0, 1 }, f[256]; /* offset 0, more fragments */
	struct tb_pkt k;
	size_t n = eth6(f, 0, 44, ext, 8);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.fragment && !k.later_fragment);
	assert_ftp_user(&k);
	/* a later fragment: no transport header */
	ext[2] = 0;
	ext[3] = 0xb8; /* offset 23 * 8, last */
	n = eth6(f, 0, 44, ext, 8);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.ipv6 && k.fragment && k.later_fragment && !k.transport);
	ck_assert_uint_eq(k.proto, 6);
	/* an atomic fragment (offset 0, no more) is the whole packet */
	ext[3] = 0;
	n = eth6(f, 0, 44, ext, 8);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(!k.fragment);
	assert_ftp_user(&k);
}
END_TEST

START_TEST(esp_and_no_next_header_end_the_walk)
{
	uint8_t ext[8] = { 50, 0 }, f[256]; /* destination options -> ESP */
	struct tb_pkt k;
	size_t n = eth6(f, 0, 60, ext, 8);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.ipv6 && !k.transport && !k.cut);
	ck_assert_uint_eq(k.proto, 50);
	ext[0] = 59;
	n = eth6(f, 0, 60, ext, 8);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.ipv6 && !k.transport);
	ck_assert_uint_eq(k.proto, 59);
	/* ICMPv6 (neighbour discovery): decoded, no TCP or UDP */
	n = eth6(f, 0, 0, NULL, 0);
	f[14 + 6] = 58;
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.ipv6 && !k.transport);
	ck_assert_uint_eq(k.proto, 58);
}
END_TEST

START_TEST(extension_header_loop_refused)
{
	/* destination options pointing at destination options, more than
	 * TB_PKT_MAX_EXT times: refused, never walked to the end */
	uint8_t ext[8 * (TB_PKT_MAX_EXT + 1)] = { 0 }, f[256];
	struct tb_pkt k;
	for (size_t i = 0; i < TB_PKT_MAX_EXT + 1; i++)
		ext[i * 8] = i == TB_PKT_MAX_EXT ? 6 : 60;
	size_t n = eth6(f, 0, 60, ext, sizeof ext);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_E_FORMAT);
	/* exactly TB_PKT_MAX_EXT is fine */
	n = eth6(f, 0, 60, ext + 8, sizeof ext - 8);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	assert_ftp_user(&k);
}
END_TEST

START_TEST(lying_lengths)
{
	uint8_t ext[8] = { 6, 0 }, f[256];
	struct tb_pkt k;
	/* an extension header longer than the payload length says */
	size_t n = eth6(f, 0, 60, ext, 8);
	f[14 + 40 + 1] = 200; /* (200 + 1) * 8 bytes */
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_E_FORMAT);
	/* AH likewise */
	n = eth6(f, 0, 51, ext, 8);
	f[14 + 40 + 1] = 250;
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_E_FORMAT);
	/* a payload length shorter than the frame: the rest is padding */
	n = eth6(f, 0, 0, NULL, 0);
	put16(f + 14 + 4, 20 + 3);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.transport && !k.cut);
	ck_assert_uint_eq(k.paylen, 3);
	ck_assert_uint_eq(k.iplen, 63);
	/* longer than the frame: cut short by the snap length */
	n = eth6(f, 0, 0, NULL, 0);
	put16(f + 14 + 4, 1000);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert(k.transport && k.cut);
	ck_assert_uint_eq(k.iplen, 1040);
	/* the largest payload length does not wrap the size on the wire */
	put16(f + 14 + 4, 65535);
	ck_assert_int_eq(tb_p_pkt_decode(TB_DLT_EN10MB, f, n, &k), TB_OK);
	ck_assert_uint_eq(k.iplen, 65575);
}
END_TEST

/* Every prefix of a frame with extension headers: the fixed header cut
 * short is TB_E_TRUNC; extension headers cut short leave the packet cut,
 * without a transport header; then the transport decodes as IPv4's does. */
START_TEST(every_truncation)
{
	uint8_t ext[24] = { 44, 0 }, f[256];
	ext[8] = 51; /* fragment (offset 0, more) -> AH */
	ext[11] = 1;
	ext[16] = 6; /* AH -> TCP, 8 bytes */
	ext[17] = 0;
	size_t n = eth6(f, 0, 0, ext, sizeof ext);
	size_t ip = 14, tcp = ip + 40 + sizeof ext;
	for (size_t i = 0; i <= n; i++) {
		struct tb_pkt k;
		enum tb_err e = tb_p_pkt_decode(TB_DLT_EN10MB, f, i, &k);
		if (i < ip + 40) {
			ck_assert_int_eq(e, TB_E_TRUNC);
			continue;
		}
		ck_assert_int_eq(e, TB_OK);
		ck_assert(k.ipv6);
		ck_assert(k.cut == (i < n));
		if (i < tcp + 20)
			ck_assert(!k.transport);
		else
			ck_assert(k.transport && k.paylen == i - tcp - 20);
	}
}
END_TEST

Suite *p_pkt6_suite(void)
{
	Suite *s = suite_create("p_pkt6");
	TCase *tc = tcase_create("ipv6");
	tcase_add_test(tc, ethernet_and_vlan);
	tcase_add_test(tc, other_link_types);
	tcase_add_test(tc, extension_headers_skipped);
	tcase_add_test(tc, fragments);
	tcase_add_test(tc, esp_and_no_next_header_end_the_walk);
	tcase_add_test(tc, extension_header_loop_refused);
	tcase_add_test(tc, lying_lengths);
	tcase_add_test(tc, every_truncation);
	suite_add_tcase(s, tc);
	return s;
}
