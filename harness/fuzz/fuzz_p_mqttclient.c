/* fuzz_p_mqttclient.c: libFuzzer target for the MQTT packet, CONNACK and SUBACK
 * parsers, reading a stream of packets as the mqtt check does. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_mqttclient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (off < size) {
		uint8_t t, f;
		const uint8_t *body;
		size_t bl, used;
		struct tb_mqtt_connack ca;
		struct tb_mqtt_suback sa;

		if (tb_p_mqtt_packet(data + off, size - off, &t, &f, &body, &bl, &used) != TB_OK)
			break;
		if (used == 0 || used > size - off || (bl && body + bl > data + size))
			abort();
		if (t == TB_MQTT_CONNACK && tb_p_mqtt_connack(f, body, bl, &ca) == TB_OK && ca.rc > 5)
			abort();
		if (t == TB_MQTT_SUBACK && tb_p_mqtt_suback(f, body, bl, &sa) == TB_OK &&
		    (sa.nrc == 0 || sa.nrc > TB_MQTT_SUBACK_MAX_RC))
			abort();
		off += used;
	}
	return 0;
}
