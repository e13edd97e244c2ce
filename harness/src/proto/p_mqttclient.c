/* p_mqttclient.c: the harness's side of MQTT 3.1.1 (see p_mqttclient.h). */
#include "proto/p_mqttclient.h"

#include <string.h>

#include "base/rd.h"

enum tb_err tb_p_mqtt_packet(const uint8_t *buf, size_t len, uint8_t *type, uint8_t *flags,
			     const uint8_t **body, size_t *blen, size_t *consumed)
{
	struct tb_rd r;
	size_t rem = 0;
	int i;

	*body = NULL;
	*blen = *consumed = 0;
	tb_rd_init(&r, buf, len);
	uint8_t b0 = tb_rd_u8(&r);
	for (i = 0; i < 4; i++) {
		uint8_t b = tb_rd_u8(&r);

		if (r.trunc)
			return TB_E_TRUNC;
		rem |= (size_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			break;
	}
	if (i == 4)
		return TB_E_FORMAT; /* a fifth length byte */
	if (rem > TB_MQTT_PACKET_MAX)
		return TB_E_TOOBIG;
	*type = b0 >> 4;
	*flags = b0 & 0x0f;
	tb_rd_bytes(&r, rem, body);
	if (r.trunc)
		return TB_E_TRUNC;
	*blen = rem;
	*consumed = r.off;
	return TB_OK;
}

enum tb_err tb_p_mqtt_connack(uint8_t flags, const uint8_t *body, size_t blen,
			      struct tb_mqtt_connack *out)
{
	memset(out, 0, sizeof *out);
	if (blen < 2)
		return TB_E_TRUNC;
	if (flags != 0 || blen != 2 || (body[0] & 0xfe) != 0)
		return TB_E_FORMAT;
	out->session_present = body[0] & 1;
	out->rc = body[1];
	return out->rc <= 5 ? TB_OK : TB_E_FORMAT;
}

enum tb_err tb_p_mqtt_suback(uint8_t flags, const uint8_t *body, size_t blen,
			     struct tb_mqtt_suback *out)
{
	memset(out, 0, sizeof *out);
	if (blen < 3)
		return TB_E_TRUNC;
	if (flags != 0)
		return TB_E_FORMAT;
	if (blen - 2 > TB_MQTT_SUBACK_MAX_RC)
		return TB_E_TOOBIG;
	out->packet_id = (uint16_t)(body[0] << 8 | body[1]);
	for (size_t i = 2; i < blen; i++) {
		uint8_t rc = body[i];

		if (rc > 2 && rc != 0x80)
			return TB_E_FORMAT;
		out->rc[out->nrc++] = rc;
	}
	return TB_OK;
}

/* Fixed header with remaining length rem; returns its size (2..5). */
static size_t put_header(uint8_t *out, uint8_t b0, size_t rem)
{
	size_t n = 0;

	out[n++] = b0;
	do {
		uint8_t b = rem & 0x7f;

		rem >>= 7;
		out[n++] = (uint8_t)(rem ? b | 0x80 : b);
	} while (rem);
	return n;
}

static size_t put_str(uint8_t *out, const char *s, size_t n)
{
	out[0] = (uint8_t)(n >> 8);
	out[1] = (uint8_t)n;
	memcpy(out + 2, s, n);
	return n + 2;
}

static size_t build_connect(uint8_t *out, size_t cap, uint8_t level, const char *client_id,
			    uint16_t keepalive, const char *user, const char *pass)
{
	size_t cl = strlen(client_id), ul = user ? strlen(user) : 0, pl = pass ? strlen(pass) : 0;
	if (cl > 23 || ul > 1024 || pl > 1024)
		return 0;
	size_t rem = 10 + 2 + cl + (user ? 2 + ul : 0) + (user && pass ? 2 + pl : 0);
	if (cap < rem + 5)
		return 0;
	uint8_t fl = 0x02; /* clean session */
	if (user)
		fl |= 0x80;
	if (user && pass)
		fl |= 0x40;
	size_t n = put_header(out, 0x10, rem);
	n += put_str(out + n, "MQTT", 4);
	out[n++] = level;
	out[n++] = fl;
	out[n++] = (uint8_t)(keepalive >> 8);
	out[n++] = (uint8_t)keepalive;
	n += put_str(out + n, client_id, cl);
	if (user)
		n += put_str(out + n, user, ul);
	if (user && pass)
		n += put_str(out + n, pass, pl);
	return n;
}

size_t tb_mqtt_build_connect(uint8_t *out, size_t cap, const char *client_id, uint16_t keepalive,
			     const char *user, const char *pass)
{
	return build_connect(out, cap, 4 /* 3.1.1 */, client_id, keepalive, user, pass);
}

size_t tb_mqtt_build_connect_level(uint8_t *out, size_t cap, uint8_t level, const char *client_id)
{
	return build_connect(out, cap, level, client_id, 30, NULL, NULL);
}

size_t tb_mqtt_build_subscribe(uint8_t *out, size_t cap, uint16_t packet_id, const char *topic)
{
	size_t tl = strlen(topic);
	if (tl == 0 || tl > 1024)
		return 0;
	size_t rem = 2 + 2 + tl + 1;
	if (cap < rem + 5)
		return 0;
	size_t n = put_header(out, 0x82, rem);
	out[n++] = (uint8_t)(packet_id >> 8);
	out[n++] = (uint8_t)packet_id;
	n += put_str(out + n, topic, tl);
	out[n++] = 0; /* QoS 0 */
	return n;
}
