/* check_p_snmp.c: SNMP v1/v2c community, cut at every offset. */
#include <check.h>
#include <string.h>

#include "proto/p_snmp.h"
#include "suites.h"

static const uint8_t get[] = {
	0x30, 0x1a, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',  'i',  'c',  0xa0,
	0x0d, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x02, 0x05, 0x00,
};

START_TEST(v2c_community)
{
	struct tb_snmp_msg m;
	ck_assert_int_eq(tb_p_snmp(get, sizeof get, &m), TB_OK);
	ck_assert_int_eq(m.version, 1);
	ck_assert_uint_eq(m.community_len, 6);
	ck_assert(memcmp(m.community, "public", 6) == 0);
	ck_assert_uint_eq(m.pdu, 0xa0);
}
END_TEST

START_TEST(every_truncation)
{
	for (size_t i = 0; i < sizeof get; i++) {
		struct tb_snmp_msg m;
		ck_assert_int_eq(tb_p_snmp(get, i, &m), TB_E_TRUNC);
	}
}
END_TEST

START_TEST(v3_and_bad_ber_refused)
{
	uint8_t p[sizeof get];
	struct tb_snmp_msg m;
	memcpy(p, get, sizeof p);
	p[4] = 3; /* SNMPv3 */
	ck_assert_int_eq(tb_p_snmp(p, sizeof p, &m), TB_E_FORMAT);
	memcpy(p, get, sizeof p);
	p[6] = 0x85; /* 5-byte length form */
	ck_assert_int_eq(tb_p_snmp(p, sizeof p, &m), TB_E_FORMAT);
	memcpy(p, get, sizeof p);
	p[6] = 30; /* community longer than the message */
	ck_assert_int_eq(tb_p_snmp(p, sizeof p, &m), TB_E_FORMAT);
}
END_TEST

Suite *p_snmp_suite(void)
{
	Suite *s = suite_create("p_snmp");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, v2c_community);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, v3_and_bad_ber_refused);
	suite_add_tcase(s, tc);
	return s;
}
