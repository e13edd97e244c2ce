/* check_p_mqttclient.c: unit tests for the MQTT 3.1.1 packet parsers and builders. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_mqttclient.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static enum tb_err parse(const uint8_t *b, size_t n, uint8_t *t, uint8_t *f, const uint8_t **body,
			 size_t *bl, size_t *used)
{
	return tb_p_mqtt_packet(b, n, t, f, body, bl, used);
}

START_TEST(connack_refused_and_accepted)
{
	uint8_t t, f;
	const uint8_t *body;
	size_t bl, used;
	struct tb_mqtt_connack ca;

	ck_assert_int_eq(parse(S("\x20\x02\x00\x05"), &t, &f, &body, &bl, &used), TB_OK);
	ck_assert_uint_eq(t, TB_MQTT_CONNACK);
	ck_assert_int_eq(tb_p_mqtt_connack(f, body, bl, &ca), TB_OK);
	ck_assert_uint_eq(ca.rc, 5);
	ck_assert_int_eq(parse(S("\x20\x02\x01\x00"), &t, &f, &body, &bl, &used), TB_OK);
	ck_assert_int_eq(tb_p_mqtt_connack(f, body, bl, &ca), TB_OK);
	ck_assert_uint_eq(ca.rc, 0);
	ck_assert_int_eq(ca.session_present, 1);
	ck_assert_int_eq(tb_p_mqtt_connack(0, (const uint8_t *)"\x00\x09", 2, &ca), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_mqtt_connack(1, (const uint8_t *)"\x00\x00", 2, &ca), TB_E_FORMAT);
}
END_TEST

START_TEST(suback_granted_and_failed)
{
	uint8_t t, f;
	const uint8_t *body;
	size_t bl, used;
	struct tb_mqtt_suback sa;

	ck_assert_int_eq(parse(S("\x90\x03\x00\x01\x80"), &t, &f, &body, &bl, &used), TB_OK);
	ck_assert_uint_eq(t, TB_MQTT_SUBACK);
	ck_assert_int_eq(tb_p_mqtt_suback(f, body, bl, &sa), TB_OK);
	ck_assert_uint_eq(sa.packet_id, 1);
	ck_assert_uint_eq(sa.nrc, 1);
	ck_assert_uint_eq(sa.rc[0], 0x80);
	ck_assert_int_eq(tb_p_mqtt_suback(0, (const uint8_t *)"\x00\x01\x03", 3, &sa), TB_E_FORMAT);
}
END_TEST

START_TEST(varint_limits)
{
	uint8_t t, f;
	const uint8_t *body;
	size_t bl, used;

	ck_assert_int_eq(parse(S("\x30\xff\xff\xff\xff\x01"), &t, &f, &body, &bl, &used), TB_E_FORMAT);
	ck_assert_int_eq(parse(S("\x30\xff\xff\xff\x7f"), &t, &f, &body, &bl, &used), TB_E_TOOBIG);
	ck_assert_int_eq(parse(S("\x30\x80\x01"), &t, &f, &body, &bl, &used), TB_E_TRUNC);
}
END_TEST

/* SUBACK with a 2-byte (non-minimal) remaining length: 6 bytes in all. */
static const char stream[] = "\x90\x83\x00\x00\x07\x80";

START_TEST(packet_every_prefix)
{
	uint8_t t, f;
	const uint8_t *body;
	size_t bl, used, n = (size_t)_i;
	uint8_t *copy = malloc(n ? n : 1);

	memcpy(copy, stream, n);
	ck_assert_int_eq(parse(n ? copy : NULL, n, &t, &f, &body, &bl, &used), TB_E_TRUNC);
	free(copy);
}
END_TEST

START_TEST(suback_every_prefix)
{
	struct tb_mqtt_suback sa;
	size_t n = (size_t)_i;
	uint8_t *copy = malloc(n ? n : 1);

	memcpy(copy, "\x00\x07\x00", n);
	ck_assert_int_eq(tb_p_mqtt_suback(0, n ? copy : NULL, n, &sa), TB_E_TRUNC);
	free(copy);
}
END_TEST

START_TEST(connect_and_subscribe_roundtrip)
{
	uint8_t buf[128], t, f;
	const uint8_t *body;
	size_t bl, used;
	size_t n = tb_mqtt_build_connect(buf, sizeof buf, "tb-probe", 30, NULL, NULL);

	ck_assert_uint_eq(n, 2 + 10 + 2 + 8);
	ck_assert_int_eq(parse(buf, n, &t, &f, &body, &bl, &used), TB_OK);
	ck_assert_uint_eq(t, 1);
	ck_assert_uint_eq(body[7], 0x02); /* clean session, no credentials */
	n = tb_mqtt_build_connect(buf, sizeof buf, "c", 30, "u", "p");
	ck_assert_int_eq(parse(buf, n, &t, &f, &body, &bl, &used), TB_OK);
	ck_assert_uint_eq(body[7], 0xc2);
	n = tb_mqtt_build_subscribe(buf, sizeof buf, 1, "#");
	ck_assert_mem_eq(buf, "\x82\x06\x00\x01\x00\x01#\x00", 8);
	ck_assert_uint_eq(tb_mqtt_build_subscribe(buf, 6, 1, "#"), 0);
	ck_assert_uint_eq(tb_mqtt_build_connect(buf, 10, "c", 30, NULL, NULL), 0);
}
END_TEST

Suite *p_mqttclient_suite(void)
{
	Suite *s = suite_create("p_mqttclient");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, connack_refused_and_accepted);
	tcase_add_test(tc, suback_granted_and_failed);
	tcase_add_test(tc, varint_limits);
	tcase_add_loop_test(tc, packet_every_prefix, 0, (int)sizeof(stream) - 1);
	tcase_add_loop_test(tc, suback_every_prefix, 0, 3);
	tcase_add_test(tc, connect_and_subscribe_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
