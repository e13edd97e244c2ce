/* check_p_sshkex.c: unit tests for the SSH identification/packet/KEXINIT parsers. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_sshkex.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

/* A legacy server's opening: banner line, identification, KEXINIT packet. */
static uint8_t kex_pkt[512];
static size_t kex_len;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void build_kexinit(void)
{
	static const char *const lists[10] = {
		"diffie-hellman-group1-sha1,diffie-hellman-group14-sha1",
		"ssh-rsa,ssh-dss",
		"3des-cbc,aes128-cbc",
		"3des-cbc,aes128-cbc",
		"hmac-md5,hmac-sha1",
		"hmac-md5,hmac-sha1",
		"none",
		"none",
		"",
		"",
	};
	uint8_t pl[400];
	size_t n = 0;

	pl[n++] = 20;
	memset(pl + n, 0xab, 16);
	n += 16;
	for (int i = 0; i < 10; i++) {
		size_t l = strlen(lists[i]);

		put32(pl + n, (uint32_t)l);
		memcpy(pl + n + 4, lists[i], l);
		n += 4 + l;
	}
	pl[n++] = 0;
	put32(pl + n, 0);
	n += 4;
	size_t pad = 8 - ((n + 5) % 8);
	if (pad < 4)
		pad += 8;
	put32(kex_pkt, (uint32_t)(1 + n + pad));
	kex_pkt[4] = (uint8_t)pad;
	memcpy(kex_pkt + 5, pl, n);
	memset(kex_pkt + 5 + n, 0, pad);
	kex_len = 5 + n + pad;
}

START_TEST(ident_with_preamble)
{
	struct tb_ssh_ident id;

	ck_assert_int_eq(tb_p_ssh_ident(S("Welcome\r\nSSH-2.0-dropbear_2012.55 legacy\r\nxx"), &id),
			 TB_OK);
	ck_assert_uint_eq(id.preamble_lines, 1);
	ck_assert_uint_eq(id.proto_len, 3);
	ck_assert_mem_eq(id.proto, "2.0", 3);
	ck_assert_uint_eq(id.software_len, 16);
	ck_assert_mem_eq(id.software, "dropbear_2012.55", 16);
	ck_assert_uint_eq(id.comments_len, 6);
	ck_assert_uint_eq(id.consumed, 42);
}
END_TEST

START_TEST(ident_rejects_bad_lines)
{
	struct tb_ssh_ident id;
	uint8_t big[TB_SSH_PREAMBLE_MAX + 10];

	ck_assert_int_eq(tb_p_ssh_ident(S("SSH-2.0\r\n"), &id), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ssh_ident(S("SSH-2.0-\r\n"), &id), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ssh_ident(S("SSH-2.0-a\x01"
					  "b\r\n"),
					&id),
			 TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ssh_ident(S("SSH-2.0-a\0b\r\n"), &id), TB_E_FORMAT);
	memset(big, 'x', sizeof big);
	ck_assert_int_eq(tb_p_ssh_ident(big, sizeof big, &id), TB_E_TOOBIG);
	memcpy(big, "SSH-2.0-", 8);
	ck_assert_int_eq(tb_p_ssh_ident(big, 300, &id), TB_E_FORMAT);
}
END_TEST

static const char ident_line[] = "banner\nSSH-2.0-OpenSSH_9.2p1 Debian\r\n";

START_TEST(ident_every_prefix)
{
	struct tb_ssh_ident id;
	size_t n = (size_t)_i;
	uint8_t *copy = malloc(n ? n : 1);

	memcpy(copy, ident_line, n);
	ck_assert_int_eq(tb_p_ssh_ident(n ? copy : NULL, n, &id), TB_E_TRUNC);
	free(copy);
}
END_TEST

START_TEST(kexinit_lists)
{
	const uint8_t *pl;
	size_t plen, used;
	struct tb_ssh_kexinit k;

	build_kexinit();
	ck_assert_int_eq(tb_p_ssh_packet(kex_pkt, kex_len, &pl, &plen, &used), TB_OK);
	ck_assert_uint_eq(used, kex_len);
	ck_assert_int_eq(tb_p_ssh_kexinit(pl, plen, &k), TB_OK);
	ck_assert(tb_p_ssh_list_has(k.list[TB_SSH_KEX], k.list_len[TB_SSH_KEX],
				    "diffie-hellman-group1-sha1"));
	ck_assert(!tb_p_ssh_list_has(k.list[TB_SSH_KEX], k.list_len[TB_SSH_KEX],
				     "diffie-hellman-group1"));
	ck_assert(tb_p_ssh_list_has(k.list[TB_SSH_ENC_SC], k.list_len[TB_SSH_ENC_SC], "3des-cbc"));
	ck_assert(tb_p_ssh_list_has(k.list[TB_SSH_MAC_CS], k.list_len[TB_SSH_MAC_CS], "hmac-md5"));
	ck_assert_uint_eq(k.list_len[TB_SSH_LANG_SC], 0);
}
END_TEST

START_TEST(packet_every_prefix)
{
	const uint8_t *pl;
	size_t plen, used, n = (size_t)_i;
	uint8_t *copy;

	build_kexinit();
	ck_assert_uint_lt(n, kex_len);
	copy = malloc(n ? n : 1);
	memcpy(copy, kex_pkt, n);
	ck_assert_int_eq(tb_p_ssh_packet(n ? copy : NULL, n, &pl, &plen, &used), TB_E_TRUNC);
	free(copy);
}
END_TEST

/* The payload cut at every offset: truncated, never read past. */
START_TEST(kexinit_every_prefix)
{
	const uint8_t *pl;
	size_t plen, used, n = (size_t)_i;
	struct tb_ssh_kexinit k;

	build_kexinit();
	ck_assert_int_eq(tb_p_ssh_packet(kex_pkt, kex_len, &pl, &plen, &used), TB_OK);
	if (n >= plen)
		return;
	uint8_t *copy = malloc(n ? n : 1);
	memcpy(copy, pl, n);
	ck_assert_int_eq(tb_p_ssh_kexinit(n ? copy : NULL, n, &k), TB_E_TRUNC);
	free(copy);
}
END_TEST

START_TEST(packet_and_lists_reject_garbage)
{
	const uint8_t *pl;
	size_t plen, used;
	struct tb_ssh_kexinit k;
	uint8_t p[64] = { 0, 0, 0, 12, 2, 20 }; /* padding 2 < 4 */

	ck_assert_int_eq(tb_p_ssh_packet(p, 16, &pl, &plen, &used), TB_E_FORMAT);
	put32(p, 0x7fffffff);
	ck_assert_int_eq(tb_p_ssh_packet(p, 16, &pl, &plen, &used), TB_E_TOOBIG);
	build_kexinit();
	ck_assert_int_eq(tb_p_ssh_packet(kex_pkt, kex_len, &pl, &plen, &used), TB_OK);
	uint8_t copy[512];
	memcpy(copy, pl, plen);
	copy[0] = 21; /* not KEXINIT */
	ck_assert_int_eq(tb_p_ssh_kexinit(copy, plen, &k), TB_E_FORMAT);
	memcpy(copy, pl, plen);
	copy[17 + 4] = ','; /* list starts with a comma */
	ck_assert_int_eq(tb_p_ssh_kexinit(copy, plen, &k), TB_E_FORMAT);
	memcpy(copy, pl, plen);
	copy[17] = 0x7f; /* list length beyond the payload: cut short */
	ck_assert_int_eq(tb_p_ssh_kexinit(copy, plen, &k), TB_E_TRUNC);
}
END_TEST

Suite *p_sshkex_suite(void)
{
	Suite *s = suite_create("p_sshkex");
	TCase *tc = tcase_create("core");

	build_kexinit();
	tcase_add_test(tc, ident_with_preamble);
	tcase_add_test(tc, ident_rejects_bad_lines);
	tcase_add_loop_test(tc, ident_every_prefix, 0, (int)sizeof(ident_line) - 1);
	tcase_add_test(tc, kexinit_lists);
	tcase_add_loop_test(tc, packet_every_prefix, 0, (int)kex_len);
	tcase_add_loop_test(tc, kexinit_every_prefix, 0, (int)kex_len);
	tcase_add_test(tc, packet_and_lists_reject_garbage);
	suite_add_tcase(s, tc);
	return s;
}
