/* check_p_snmpmsg.c: SNMP v1/v2c Get/Set builders and the message parser,
 * against bytes captured from the real net-snmp 5.9.3 snmpd (Debian) on
 * 127.0.0.1 (snmpget/snmpset -d), and against every way a hostile agent
 * can lie about a length. */
#include <check.h>
#include <string.h>

#include "proto/p_snmpmsg.h"
#include "suites.h"

static const uint32_t sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const uint32_t syscontact[] = { 1, 3, 6, 1, 2, 1, 1, 4, 0 };
#define NARC(a) (sizeof(a) / sizeof((a)[0]))

/* snmpget -v2c -c public 127.0.0.1 sysDescr.0 (request-id 0x3bcd03aa) */
static const uint8_t v2c_get_public[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa0, 0x1c,
	0x02, 0x04, 0x3b, 0xcd, 0x03, 0xaa, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30,
	0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
};
/* ... and snmpd's answer: sysDescr "trustbench lab snmpd". */
static const uint8_t v2c_resp_sysdescr[] = {
	0x30, 0x3d, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa2, 0x30, 0x02,
	0x04, 0x3b, 0xcd, 0x03, 0xaa, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x22, 0x30, 0x20, 0x06,
	0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x14, 0x74, 0x72, 0x75, 0x73, 0x74,
	0x62, 0x65, 0x6e, 0x63, 0x68, 0x20, 0x6c, 0x61, 0x62, 0x20, 0x73, 0x6e, 0x6d, 0x70, 0x64,
};
/* snmpget -v1 -c public sysDescr.0 (request-id 0x1e31747e). */
static const uint8_t v1_get_public[] = {
	0x30, 0x29, 0x02, 0x01, 0x00, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa0, 0x1c,
	0x02, 0x04, 0x1e, 0x31, 0x74, 0x7e, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30,
	0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
};
/* snmpset -v2c -c public sysContact.0 s foo: refused, noAccess (6) index 1. */
static const uint8_t v2c_set_noaccess[] = {
	0x30, 0x2c, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa2, 0x1f, 0x02,
	0x04, 0x14, 0x86, 0xa2, 0x7c, 0x02, 0x01, 0x06, 0x02, 0x01, 0x01, 0x30, 0x11, 0x30, 0x0f, 0x06,
	0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x04, 0x00, 0x04, 0x03, 0x66, 0x6f, 0x6f,
};
/* snmpset -v1 -c public sysContact.0 s foo: v1 says noSuchName (2). */
static const uint8_t v1_set_nosuchname[] = {
	0x30, 0x2c, 0x02, 0x01, 0x00, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa2, 0x1f, 0x02,
	0x04, 0x4e, 0xba, 0x74, 0x36, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01, 0x30, 0x11, 0x30, 0x0f, 0x06,
	0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x04, 0x00, 0x04, 0x03, 0x66, 0x6f, 0x6f,
};
/* snmpset -v2c -c private sysContact.0 s trustbench-write-test-abcd
 * (request-id 0x4e1c6b5a); snmpd echoes it back with tag 0xa2. */
static const uint8_t v2c_set_private[] = {
	0x30, 0x44, 0x02, 0x01, 0x01, 0x04, 0x07, 0x70, 0x72, 0x69, 0x76, 0x61, 0x74, 0x65,
	0xa3, 0x36, 0x02, 0x04, 0x4e, 0x1c, 0x6b, 0x5a, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
	0x30, 0x28, 0x30, 0x26, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x04, 0x00,
	0x04, 0x1a, 't',  'r',  'u',  's',  't',  'b',  'e',  'n',  'c',  'h',  '-',  'w',
	'r',  'i',  't',  'e',  '-',  't',  'e',  's',  't',  '-',  'a',  'b',  'c',  'd',
};
/* snmpset -v2c -c private sysContact.0 s "" (request-id 0x288a866a). */
static const uint8_t v2c_set_empty[] = {
	0x30, 0x2a, 0x02, 0x01, 0x01, 0x04, 0x07, 0x70, 0x72, 0x69, 0x76, 0x61, 0x74, 0x65, 0xa3,
	0x1c, 0x02, 0x04, 0x28, 0x8a, 0x86, 0x6a, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e,
	0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x04, 0x00, 0x04, 0x00,
};
/* snmpget -v2c -c public 1.3.6.1.2.1.1.99.0: noError, value noSuchObject. */
static const uint8_t v2c_resp_nosuchobject[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa2, 0x1c,
	0x02, 0x04, 0x2d, 0xf5, 0x9c, 0x5e, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30,
	0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x63, 0x00, 0x80, 0x00,
};
/* snmpd's SNMPv3 Report (usmStatsUnknownEngineIDs) to a discovery. */
static const uint8_t v3_report[] = {
	0x30, 0x71, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x70, 0x0a, 0xaf, 0x03, 0x02, 0x03,
	0x00, 0xff, 0xe3, 0x04, 0x01, 0x00, 0x02, 0x01, 0x03, 0x04, 0x21, 0x30, 0x1f, 0x04, 0x11,
	0x80, 0x00, 0x1f, 0x88, 0x80, 0x87, 0xbe, 0x3d, 0x31, 0x28, 0x64, 0x11, 0x6b, 0x00, 0x00,
	0x00, 0x00, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x30,
	0x36, 0x04, 0x11, 0x80, 0x00, 0x1f, 0x88, 0x80, 0x87, 0xbe, 0x3d, 0x31, 0x28, 0x64, 0x11,
	0x6b, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0xa8, 0x1f, 0x02, 0x04, 0x34, 0x06, 0xd0, 0xda,
	0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x11, 0x30, 0x0f, 0x06, 0x0a, 0x2b, 0x06, 0x01,
	0x06, 0x03, 0x0f, 0x01, 0x01, 0x04, 0x00, 0x41, 0x01, 0x01,
};

static struct tb_snmp_pdu_msg m; /* big: not on the stack of every test */

START_TEST(builders_match_net_snmp_byte_for_byte)
{
	uint8_t b[512];
	size_t n = tb_snmp_build_get(TB_SNMP_V2C, "public", 0x3bcd03aa, sysdescr, NARC(sysdescr), b,
				     sizeof b);
	ck_assert_uint_eq(n, sizeof v2c_get_public);
	ck_assert_mem_eq(b, v2c_get_public, n);
	n = tb_snmp_build_get(TB_SNMP_V1, "public", 0x1e31747e, sysdescr, NARC(sysdescr), b, sizeof b);
	ck_assert_uint_eq(n, sizeof v1_get_public);
	ck_assert_mem_eq(b, v1_get_public, n);
	n = tb_snmp_build_set_octets(TB_SNMP_V2C, "private", 0x4e1c6b5a, syscontact, NARC(syscontact),
				     (const uint8_t *)"trustbench-write-test-abcd", 26, b, sizeof b);
	ck_assert_uint_eq(n, sizeof v2c_set_private);
	ck_assert_mem_eq(b, v2c_set_private, n);
	n = tb_snmp_build_set_octets(TB_SNMP_V2C, "private", 0x288a866a, syscontact, NARC(syscontact),
				     NULL, 0, b, sizeof b);
	ck_assert_uint_eq(n, sizeof v2c_set_empty);
	ck_assert_mem_eq(b, v2c_set_empty, n);
}
END_TEST

START_TEST(builders_refuse_what_they_cannot_encode)
{
	uint8_t b[2048];
	char longc[300];
	static const uint32_t one[] = { 1 }, bad_first[] = { 3, 1 }, bad_second[] = { 1, 40 };
	memset(longc, 'c', sizeof longc - 1);
	longc[sizeof longc - 1] = '\0';
	ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, longc, 1, sysdescr, 9, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, NULL, 1, sysdescr, 9, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_get(3, "public", 1, sysdescr, 9, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, "public", -1, sysdescr, 9, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, "public", 1, one, 1, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, "public", 1, bad_first, 2, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, "public", 1, bad_second, 2, b, sizeof b), 0);
	ck_assert_uint_eq(tb_snmp_build_set_octets(TB_SNMP_V2C, "p", 1, syscontact, 9, b,
						   TB_SNMP_BUILD_VALUE_MAX + 1, b, sizeof b),
			  0);
	/* Every buffer one byte short of the message is refused, never overrun. */
	for (size_t cap = 0; cap < sizeof v2c_get_public; cap++)
		ck_assert_uint_eq(tb_snmp_build_get(TB_SNMP_V2C, "public", 0x3bcd03aa, sysdescr, 9, b,
						    cap),
				  0);
}
END_TEST

START_TEST(long_set_value_round_trips)
{
	uint8_t b[2048], val[TB_SNMP_BUILD_VALUE_MAX];
	for (size_t i = 0; i < sizeof val; i++)
		val[i] = (uint8_t)i;
	size_t n = tb_snmp_build_set_octets(TB_SNMP_V1, "private", 0x7fffffff, syscontact, 9, val,
					    sizeof val, b, sizeof b);
	ck_assert_uint_gt(n, sizeof val);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(m.version, TB_SNMP_V1);
	ck_assert_uint_eq(m.pdu, TB_SNMP_PDU_SET);
	ck_assert_int_eq(m.request_id, 0x7fffffff);
	ck_assert_uint_eq(m.nvb, 1);
	ck_assert(tb_snmp_oid_is(&m.vb[0], syscontact, 9));
	ck_assert_uint_eq(m.vb[0].value_total, sizeof val);
	ck_assert_uint_eq(m.vb[0].value_len, TB_SNMP_VALUE_MAX); /* kept bounded */
	ck_assert_mem_eq(m.vb[0].value, val, TB_SNMP_VALUE_MAX);
}
END_TEST

START_TEST(parses_real_responses)
{
	ck_assert_int_eq(tb_snmp_parse(v2c_resp_sysdescr, sizeof v2c_resp_sysdescr, &m), TB_OK);
	ck_assert_int_eq(m.version, TB_SNMP_V2C);
	ck_assert_uint_eq(m.community_len, 6);
	ck_assert_uint_eq(m.community_off, 7);
	ck_assert_mem_eq(m.community, "public", 6);
	ck_assert_uint_eq(m.pdu, TB_SNMP_PDU_RESPONSE);
	ck_assert_int_eq(m.request_id, 0x3bcd03aa);
	ck_assert_int_eq(m.error_status, 0);
	ck_assert_uint_eq(m.nvb, 1);
	ck_assert(tb_snmp_oid_is(&m.vb[0], sysdescr, NARC(sysdescr)));
	ck_assert_uint_eq(m.vb[0].type, TB_SNMP_T_OCTETS);
	ck_assert_uint_eq(m.vb[0].value_len, 20);
	ck_assert_mem_eq(m.vb[0].value, "trustbench lab snmpd", 20);

	ck_assert_int_eq(tb_snmp_parse(v2c_set_noaccess, sizeof v2c_set_noaccess, &m), TB_OK);
	ck_assert_int_eq(m.error_status, TB_SNMP_E_NOACCESS);
	ck_assert_int_eq(m.error_index, 1);
	ck_assert_str_eq(tb_snmp_error_name(m.error_status), "noAccess");

	ck_assert_int_eq(tb_snmp_parse(v1_set_nosuchname, sizeof v1_set_nosuchname, &m), TB_OK);
	ck_assert_int_eq(m.version, TB_SNMP_V1);
	ck_assert_int_eq(m.error_status, TB_SNMP_E_NOSUCHNAME);

	ck_assert_int_eq(tb_snmp_parse(v2c_resp_nosuchobject, sizeof v2c_resp_nosuchobject, &m), TB_OK);
	ck_assert_uint_eq(m.vb[0].type, TB_SNMP_T_NOSUCHOBJECT);
	ck_assert_uint_eq(m.vb[0].value_total, 0);
	ck_assert_uint_eq(m.vb[0].oid[7], 99);

	/* Our own requests parse too (the transcript describes them). */
	ck_assert_int_eq(tb_snmp_parse(v2c_set_private, sizeof v2c_set_private, &m), TB_OK);
	ck_assert_uint_eq(m.pdu, TB_SNMP_PDU_SET);
	ck_assert_uint_eq(m.vb[0].value_len, 26);
}
END_TEST

START_TEST(every_truncation_is_refused)
{
	for (size_t i = 0; i < sizeof v2c_resp_sysdescr; i++)
		ck_assert_int_eq(tb_snmp_parse(v2c_resp_sysdescr, i, &m), TB_E_TRUNC);
	ck_assert_int_eq(tb_snmp_parse(NULL, 0, &m), TB_E_TRUNC);
}
END_TEST

START_TEST(v3_and_v1_trap_are_refused)
{
	ck_assert_int_eq(tb_snmp_parse(v3_report, sizeof v3_report, &m), TB_E_FORMAT);
	uint8_t p[sizeof v2c_resp_sysdescr];
	memcpy(p, v2c_resp_sysdescr, sizeof p);
	p[13] = 0xa4; /* v1 Trap: another layout */
	ck_assert_int_eq(tb_snmp_parse(p, sizeof p, &m), TB_E_FORMAT);
	memcpy(p, v2c_resp_sysdescr, sizeof p);
	p[4] = 2; /* no such version */
	ck_assert_int_eq(tb_snmp_parse(p, sizeof p, &m), TB_E_FORMAT);
}
END_TEST

/* Each corruption of the real response must be refused as malformed. */
START_TEST(lying_lengths_are_refused)
{
	static const struct {
		size_t off;
		uint8_t v;
	} lies[] = {
		{ 6, 0x7f },  /* community longer than the message */
		{ 14, 0x31 }, /* PDU one byte longer than the message holds */
		{ 14, 0x2f }, /* PDU one byte shorter: the varbind list overruns it */
		{ 28, 0x23 }, /* varbind list longer than the PDU */
		{ 30, 0x21 }, /* varbind longer than the list */
		{ 30, 0x1f }, /* varbind shorter than its OID and value */
		{ 32, 0x7f }, /* OID past everything */
		{ 42, 0x15 }, /* value longer than the varbind */
		{ 42, 0x13 }, /* value shorter: a stray byte after it in the varbind */
		{ 42, 0x80 }, /* indefinite length */
		{ 42, 0x85 }, /* a 5-byte length form */
		{ 42, 0x84 }, /* 4-byte length form running past the end */
		{ 41, 0x1f }, /* a multi-byte tag */
		{ 15, 0x30 }, /* request-id is not an INTEGER */
		{ 16, 0x00 }, /* an empty INTEGER */
		{ 33, 0x80 }, /* a non-minimal OID sub-identifier */
		{ 40, 0x81 }, /* the OID's last sub-identifier left open */
		{ 2, 0x04 },  /* version is not an INTEGER */
	};
	for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
		uint8_t p[sizeof v2c_resp_sysdescr];
		memcpy(p, v2c_resp_sysdescr, sizeof p);
		p[lies[i].off] = lies[i].v;
		enum tb_err e = tb_snmp_parse(p, sizeof p, &m);
		ck_assert_msg(e == TB_E_FORMAT || e == TB_E_TRUNC, "lie %zu parsed (%d)", i, e);
		ck_assert_msg(e != TB_OK, "lie %zu accepted", i);
	}
}
END_TEST

START_TEST(outer_length_past_the_datagram_is_truncation)
{
	uint8_t p[sizeof v2c_resp_sysdescr];
	memcpy(p, v2c_resp_sysdescr, sizeof p);
	p[1] = 0x3e;
	ck_assert_int_eq(tb_snmp_parse(p, sizeof p, &m), TB_E_TRUNC);
	/* Bytes after the message are ignored. */
	uint8_t q[sizeof v2c_resp_sysdescr + 3];
	memcpy(q, v2c_resp_sysdescr, sizeof v2c_resp_sysdescr);
	memcpy(q + sizeof v2c_resp_sysdescr, "xyz", 3);
	ck_assert_int_eq(tb_snmp_parse(q, sizeof q, &m), TB_OK);
}
END_TEST

/* A Response with n varbinds of sysDescr.0 = NULL. */
static size_t many_varbinds(uint8_t *b, size_t n)
{
	static const uint8_t head[] = { 0x02, 0x01, 0x01, 0x04, 0x01, 'p' };
	static const uint8_t ints[] = { 0x02, 0x01, 0x05, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00 };
	static const uint8_t vb[] = { 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01,
				      0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00 };
	size_t list = n * sizeof vb, pdu = sizeof ints + 4 + list, msg = sizeof head + 4 + pdu, o = 0;
	b[o++] = 0x30;
	b[o++] = 0x82;
	b[o++] = (uint8_t)(msg >> 8);
	b[o++] = (uint8_t)msg;
	memcpy(b + o, head, sizeof head);
	o += sizeof head;
	b[o++] = 0xa2;
	b[o++] = 0x82;
	b[o++] = (uint8_t)(pdu >> 8);
	b[o++] = (uint8_t)pdu;
	memcpy(b + o, ints, sizeof ints);
	o += sizeof ints;
	b[o++] = 0x30;
	b[o++] = 0x82;
	b[o++] = (uint8_t)(list >> 8);
	b[o++] = (uint8_t)list;
	for (size_t i = 0; i < n; i++, o += sizeof vb)
		memcpy(b + o, vb, sizeof vb);
	return o;
}

START_TEST(varbinds_beyond_the_limit_are_counted_not_kept)
{
	static uint8_t b[4096];
	size_t n = many_varbinds(b, 100);
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_int_eq(m.request_id, 5);
	ck_assert_uint_eq(m.nvb, TB_SNMP_VB_MAX);
	ck_assert_uint_eq(m.nvb_total, 100);
	b[n - 1] = 0x01; /* the last varbind broken: the whole message is */
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_E_FORMAT);
}
END_TEST

/* A Response whose one varbind has an OID of ncontent bytes 0x01: the
 * first byte stands for two arcs (0.1), so ncontent + 1 arcs. */
static size_t oid_msg(uint8_t *b, size_t ncontent)
{
	size_t o = 0;
	b[o++] = 0x30;
	b[o++] = 0x81;
	o++; /* the message's length, filled below */
	memcpy(b + o, "\x02\x01\x01\x04\x01p\xa2\x81", 8);
	o += 8;
	size_t pdu_len_at = o++;
	memcpy(b + o, "\x02\x01\x01\x02\x01\x00\x02\x01\x00\x30\x81", 11);
	o += 11;
	size_t list_len_at = o++;
	b[o++] = 0x30;
	b[o++] = 0x81;
	size_t vb_len_at = o++;
	b[o++] = 0x06;
	b[o++] = 0x81;
	b[o++] = (uint8_t)ncontent;
	memset(b + o, 0x01, ncontent);
	o += ncontent;
	b[o++] = 0x05;
	b[o++] = 0x00;
	b[vb_len_at] = (uint8_t)(o - vb_len_at - 1);
	b[list_len_at] = (uint8_t)(o - list_len_at - 1);
	b[pdu_len_at] = (uint8_t)(o - pdu_len_at - 1);
	b[2] = (uint8_t)(o - 3);
	return o;
}

START_TEST(oid_limits)
{
	static uint8_t b[512];
	size_t n = oid_msg(b, TB_SNMP_OID_MAX - 1); /* 128 arcs: the most SNMP allows */
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_OK);
	ck_assert_uint_eq(m.vb[0].oid_len, TB_SNMP_OID_MAX);
	n = oid_msg(b, TB_SNMP_OID_MAX); /* 129 arcs */
	ck_assert_int_eq(tb_snmp_parse(b, n, &m), TB_E_FORMAT);
	/* A sub-identifier over 32 bits. */
	static const uint8_t big[] = { 0x30, 0x1e, 0x02, 0x01, 0x01, 0x04, 0x01, 'p',  0xa2, 0x16, 0x02,
				       0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x30,
				       0x09, 0x06, 0x05, 0x90, 0x80, 0x80, 0x80, 0x00, 0x05, 0x00 };
	ck_assert_int_eq(tb_snmp_parse(big, sizeof big, &m), TB_E_FORMAT);
	uint8_t fits[sizeof big];
	memcpy(fits, big, sizeof big);
	fits[25] = 0x8f; /* 0xffffffff: the largest sub-identifier */
	fits[26] = fits[27] = fits[28] = 0xff;
	fits[29] = 0x7f;
	ck_assert_int_eq(tb_snmp_parse(fits, sizeof fits, &m), TB_OK);
	ck_assert_uint_eq(m.vb[0].oid[1], 0xffffffffu - 80);
}
END_TEST

/* Shared with p_udpprobe.c (its error-status items). */
START_TEST(error_names)
{
	ck_assert_str_eq(tb_snmp_error_name(0), "noError");
	ck_assert_str_eq(tb_snmp_error_name(2), "noSuchName");
	ck_assert_str_eq(tb_snmp_error_name(16), "authorizationError");
	ck_assert_str_eq(tb_snmp_error_name(17), "notWritable");
	ck_assert_str_eq(tb_snmp_error_name(18), "inconsistentName");
	ck_assert_str_eq(tb_snmp_error_name(19), "unknown");
	ck_assert_str_eq(tb_snmp_error_name(-1), "unknown");
	ck_assert_str_eq(tb_snmp_error_name(INT64_MIN), "unknown");
}
END_TEST

Suite *p_snmpmsg_suite(void)
{
	Suite *s = suite_create("p_snmpmsg");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, builders_match_net_snmp_byte_for_byte);
	tcase_add_test(tc, builders_refuse_what_they_cannot_encode);
	tcase_add_test(tc, long_set_value_round_trips);
	tcase_add_test(tc, parses_real_responses);
	tcase_add_test(tc, every_truncation_is_refused);
	tcase_add_test(tc, v3_and_v1_trap_are_refused);
	tcase_add_test(tc, lying_lengths_are_refused);
	tcase_add_test(tc, outer_length_past_the_datagram_is_truncation);
	tcase_add_test(tc, varbinds_beyond_the_limit_are_counted_not_kept);
	tcase_add_test(tc, oid_limits);
	tcase_add_test(tc, error_names);
	suite_add_tcase(s, tc);
	return s;
}
