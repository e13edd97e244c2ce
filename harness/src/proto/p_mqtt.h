/* p_mqtt.h: the MQTT CONNECT packet (3.1, 3.1.1 and 5): client id, and the
 * user name and password when present.  Pure and bounded. */
#ifndef TB_P_MQTT_H
#define TB_P_MQTT_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_MQTT_FIELD_MAX 256

struct tb_mqtt_connect {
	uint8_t level; /* 3, 4 or 5 */
	uint8_t client_id[TB_MQTT_FIELD_MAX];
	size_t client_id_len; /* bytes kept (truncated to the buffer) */
	int has_user, has_pass;
	uint8_t user[TB_MQTT_FIELD_MAX];
	size_t user_len;
	uint8_t pass[TB_MQTT_FIELD_MAX];
	size_t pass_len;
};

/* Is this the start of an MQTT CONNECT? (first byte and protocol name) */
int tb_p_mqtt_is_connect(const uint8_t *p, size_t n);
/* TB_E_FORMAT when the bytes are not a CONNECT or violate its format. */
TB_WUR enum tb_err tb_p_mqtt_connect(const uint8_t *p, size_t n, struct tb_mqtt_connect *c);

#endif
