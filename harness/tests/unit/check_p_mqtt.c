/* check_p_mqtt.c: MQTT CONNECT credentials, cut at every offset. */
#include <check.h>
#include <string.h>

#include "proto/p_mqtt.h"
#include "suites.h"

static const uint8_t connect_pkt[] = {
	0x10, 30, 0,   4,   'M', 'Q', 'T', 'T', 4,   0xc2, 0,   60,  0,   2,   'i', 'd',
	0,    4,  'u', 's', 'e', 'r', 0,   8,   's', '3',  'c', 'r', 'e', 't', '!', '!',
};

START_TEST(user_and_password)
{
	struct tb_mqtt_connect c;
	ck_assert_int_eq(tb_p_mqtt_connect(connect_pkt, sizeof connect_pkt, &c), TB_OK);
	ck_assert(c.has_user && c.has_pass);
	ck_assert_uint_eq(c.user_len, 4);
	ck_assert(memcmp(c.user, "user", 4) == 0);
	ck_assert_uint_eq(c.pass_len, 8);
	ck_assert(memcmp(c.pass, "s3cret!!", 8) == 0);
	ck_assert(tb_p_mqtt_is_connect(connect_pkt, sizeof connect_pkt));
}
END_TEST

START_TEST(every_truncation)
{
	for (size_t i = 0; i < sizeof connect_pkt; i++) {
		struct tb_mqtt_connect c;
		ck_assert_int_eq(tb_p_mqtt_connect(connect_pkt, i, &c), TB_E_TRUNC);
	}
}
END_TEST

START_TEST(bogus_refused)
{
	uint8_t p[sizeof connect_pkt];
	struct tb_mqtt_connect c;
	memcpy(p, connect_pkt, sizeof p);
	p[1] = 29; /* the password overruns the declared length */
	ck_assert_int_eq(tb_p_mqtt_connect(p, sizeof p, &c), TB_E_FORMAT);
	memcpy(p, connect_pkt, sizeof p);
	p[4] = 'X'; /* not the MQTT protocol name */
	ck_assert_int_eq(tb_p_mqtt_connect(p, sizeof p, &c), TB_E_FORMAT);
	static const uint8_t long_len[] = { 0x10, 0xff, 0xff, 0xff, 0xff, 0x01 };
	ck_assert_int_eq(tb_p_mqtt_connect(long_len, sizeof long_len, &c), TB_E_FORMAT);
}
END_TEST

Suite *p_mqtt_suite(void)
{
	Suite *s = suite_create("p_mqtt");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, user_and_password);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, bogus_refused);
	suite_add_tcase(s, tc);
	return s;
}
