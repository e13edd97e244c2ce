/* p_mqttclient.h: the harness's side of an MQTT 3.1.1 session (OASIS MQTT
 * v3.1.1, sections 2-3): builders for the CONNECT and SUBSCRIBE it sends, and
 * parsers of what a broker answers: the fixed header of any packet, CONNACK
 * and SUBACK.  (A CONNECT seen in a capture is parsed by p_mqtt.h.)
 *
 * Nothing here allocates; views point into the caller's buffer.
 */
#ifndef TB_P_MQTTCLIENT_H
#define TB_P_MQTTCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_MQTT_CONNACK 2
#define TB_MQTT_PUBLISH 3
#define TB_MQTT_SUBACK 9
/* Largest packet from a broker the harness will hold (retained messages
 * beyond this are a reason to stop, not to allocate). */
#define TB_MQTT_PACKET_MAX (64 * 1024)
#define TB_MQTT_SUBACK_MAX_RC 16

/* One packet at buf: type (high nibble), flags (low nibble), remaining
 * length (1..4 byte varint).  TB_E_TRUNC until complete; TB_E_FORMAT for a
 * fifth length byte; TB_E_TOOBIG above TB_MQTT_PACKET_MAX. */
TB_WUR enum tb_err tb_p_mqtt_packet(const uint8_t *buf, size_t len, uint8_t *type, uint8_t *flags,
				    const uint8_t **body, size_t *blen, size_t *consumed);

struct tb_mqtt_connack {
	int session_present;
	uint8_t rc; /* 0 accepted; 4 bad user name or password; 5 not authorised */
};

/* CONNACK body (exactly 2 bytes, flags 0, return code 0..5).
 * TB_E_TRUNC / TB_E_FORMAT. */
TB_WUR enum tb_err tb_p_mqtt_connack(uint8_t flags, const uint8_t *body, size_t blen,
				     struct tb_mqtt_connack *out);

struct tb_mqtt_suback {
	uint16_t packet_id;
	uint8_t rc[TB_MQTT_SUBACK_MAX_RC]; /* 0..2 granted QoS, 0x80 failure */
	size_t nrc;
};

/* SUBACK body: packet id and at least one return code, each 0, 1, 2 or
 * 0x80.  TB_E_TRUNC / TB_E_FORMAT / TB_E_TOOBIG. */
TB_WUR enum tb_err tb_p_mqtt_suback(uint8_t flags, const uint8_t *body, size_t blen,
				    struct tb_mqtt_suback *out);

/* CONNECT, protocol level 4, clean session, no will, no credentials unless
 * user is given.  Returns the length written, 0 when cap is too small. */
size_t tb_mqtt_build_connect(uint8_t *out, size_t cap, const char *client_id, uint16_t keepalive,
			     const char *user, const char *pass);
/* The same CONNECT (no credentials) with another protocol level.  A broker
 * that does not support the level must answer CONNACK return code 1 and
 * close (MQTT 3.1.1 3.1.2.2): the harness uses an unsupported level to learn
 * whether a port is an MQTT broker at all.  0 when cap is too small. */
size_t tb_mqtt_build_connect_level(uint8_t *out, size_t cap, uint8_t level, const char *client_id);
/* SUBSCRIBE to one topic filter at QoS 0.  0 when cap is too small. */
size_t tb_mqtt_build_subscribe(uint8_t *out, size_t cap, uint16_t packet_id, const char *topic);

#endif
