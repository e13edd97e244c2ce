/* p_mqtt.c: MQTT CONNECT parsing (see p_mqtt.h). */
#include "proto/p_mqtt.h"

#include <string.h>

#include "base/rd.h"

/* Variable-length remaining length: at most 4 bytes. */
static uint32_t remaining_length(struct tb_rd *r, int *bad)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t b = tb_rd_u8(r);
		v |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	*bad = 1;
	return 0;
}

/* A 2-byte-length-prefixed field, copied (truncated) into buf. */
static void field(struct tb_rd *r, uint8_t *buf, size_t cap, size_t *len)
{
	uint16_t n = tb_rd_be16(r);
	const uint8_t *p;
	tb_rd_bytes(r, n, &p);
	*len = 0;
	if (!p)
		return;
	*len = n < cap ? n : cap;
	memcpy(buf, p, *len);
}

int tb_p_mqtt_is_connect(const uint8_t *p, size_t n)
{
	struct tb_mqtt_connect c;
	return n >= 2 && p[0] == 0x10 && tb_p_mqtt_connect(p, n, &c) != TB_E_FORMAT;
}

/* MQTT 5 properties: a variable-length count of bytes to skip. */
static void skip_properties(struct tb_rd *r, int *bad)
{
	uint32_t n = remaining_length(r, bad);
	tb_rd_skip(r, n);
}

enum tb_err tb_p_mqtt_connect(const uint8_t *p, size_t n, struct tb_mqtt_connect *c)
{
	struct tb_rd r, body;
	int bad = 0;
	memset(c, 0, sizeof *c);
	tb_rd_init(&r, p, n);
	uint8_t type = tb_rd_u8(&r);
	if (r.trunc)
		return TB_E_TRUNC;
	if (type != 0x10)
		return TB_E_FORMAT;
	uint32_t rl = remaining_length(&r, &bad);
	if (bad)
		return TB_E_FORMAT;
	if (r.trunc)
		return TB_E_TRUNC;
	tb_rd_sub(&r, rl, &body);
	if (body.trunc)
		return TB_E_TRUNC;
	uint16_t pnl = tb_rd_be16(&body);
	const uint8_t *pn;
	tb_rd_bytes(&body, pnl, &pn);
	if (!pn ||
	    !((pnl == 4 && memcmp(pn, "MQTT", 4) == 0) || (pnl == 6 && memcmp(pn, "MQIsdp", 6) == 0)))
		return TB_E_FORMAT;
	c->level = tb_rd_u8(&body);
	uint8_t flags = tb_rd_u8(&body);
	tb_rd_skip(&body, 2); /* keep alive */
	if (c->level == 5)
		skip_properties(&body, &bad);
	field(&body, c->client_id, sizeof c->client_id, &c->client_id_len);
	if (flags & 0x04) { /* will: (properties), topic, payload */
		if (c->level == 5)
			skip_properties(&body, &bad);
		tb_rd_skip(&body, tb_rd_be16(&body));
		tb_rd_skip(&body, tb_rd_be16(&body));
	}
	if (flags & 0x80) {
		c->has_user = 1;
		field(&body, c->user, sizeof c->user, &c->user_len);
	}
	if (flags & 0x40) {
		c->has_pass = 1;
		field(&body, c->pass, sizeof c->pass, &c->pass_len);
	}
	if (bad || body.trunc || (flags & 0x01))
		return TB_E_FORMAT; /* fields overrun the declared length, or reserved bit set */
	return TB_OK;
}
