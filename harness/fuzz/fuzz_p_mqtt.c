/* fuzz_p_mqtt.c: MQTT CONNECT; field lengths never exceed their buffers. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_mqtt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_mqtt_connect c;
	if (tb_p_mqtt_connect(data, size, &c) == TB_OK &&
	    (c.user_len > TB_MQTT_FIELD_MAX || c.pass_len > TB_MQTT_FIELD_MAX ||
	     c.client_id_len > TB_MQTT_FIELD_MAX || c.pass_len > size))
		abort();
	(void)tb_p_mqtt_is_connect(data, size);
	return 0;
}
