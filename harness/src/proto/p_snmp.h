/* p_snmp.h: SNMP v1/v2c message header (BER): version and community.
 * Pure and bounded: lengths of at most 4 bytes, each checked against its
 * enclosing length. */
#ifndef TB_P_SNMP_H
#define TB_P_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_SNMP_COMMUNITY_MAX 128

struct tb_snmp_msg {
	int version; /* 0 v1, 1 v2c */
	uint8_t community[TB_SNMP_COMMUNITY_MAX];
	size_t community_len; /* bytes kept */
	uint8_t pdu;          /* PDU tag, e.g. 0xa0 GetRequest, 0xa2 Response */
};

/* TB_E_FORMAT for SNMPv3 and anything that is not v1/v2c. */
TB_WUR enum tb_err tb_p_snmp(const uint8_t *p, size_t n, struct tb_snmp_msg *m);

#endif
