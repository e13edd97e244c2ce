/* analyze_internal.h: what analyze.c shares with its unit tests only
 * (TB_UNITTEST in tb.h). */
#ifndef TB_ANALYZE_INTERNAL_H
#define TB_ANALYZE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "capture/analyze.h"
#include "proto/p_mqtt.h"

/* The masked form of a secret value for the report (at most its first
 * character, only of a long, printable value). */
TB_UNITTEST void secret_mask(const uint8_t *v, size_t n, char out[8]);
/* What one payload says about its connection.  start: the connection's
 * start was captured; service: the responder's port.  mq (may be NULL)
 * receives the MQTT CONNECT parsed on the way, its level left 0 when none
 * parsed, so the dissector need not parse the same bytes again. */
TB_UNITTEST enum tb_app classify_payload(uint8_t proto, const uint8_t *p, size_t n, int start,
					 uint16_t service, struct tb_mqtt_connect *mq);

#endif
