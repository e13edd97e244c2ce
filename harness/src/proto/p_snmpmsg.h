/* p_snmpmsg.h: SNMP v1/v2c messages (BER), pure functions over bytes.
 *
 * Builders for a GetRequest and a SetRequest of one varbind (the OID given
 * as its arcs; a Set carries an OCTET STRING), and a parser for whatever
 * PDU comes back.  The parser trusts no length: every TLV must fit inside
 * the one that encloses it, lengths are definite and at most 4 bytes long,
 * tags are single-byte, and every value kept is bounded (the real length is
 * reported beside the bytes kept).  SNMPv3 is refused (p_udpprobe.c reads
 * its Reports).
 */
#ifndef TB_P_SNMPMSG_H
#define TB_P_SNMPMSG_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "proto/p_snmp.h"

#define TB_SNMP_V1 0
#define TB_SNMP_V2C 1

/* PDU tags (context-specific, constructed). */
#define TB_SNMP_PDU_GET 0xa0
#define TB_SNMP_PDU_RESPONSE 0xa2
#define TB_SNMP_PDU_SET 0xa3

/* Value tags a varbind may carry. */
#define TB_SNMP_T_INTEGER 0x02
#define TB_SNMP_T_OCTETS 0x04
#define TB_SNMP_T_NULL 0x05
#define TB_SNMP_T_OID 0x06
#define TB_SNMP_T_NOSUCHOBJECT 0x80 /* v2c exceptions */
#define TB_SNMP_T_NOSUCHINSTANCE 0x81
#define TB_SNMP_T_ENDOFMIBVIEW 0x82

/* error-status values the credential phase tells apart. */
#define TB_SNMP_E_NOERROR 0
#define TB_SNMP_E_NOSUCHNAME 2
#define TB_SNMP_E_READONLY 4
#define TB_SNMP_E_NOACCESS 6
#define TB_SNMP_E_AUTHORIZATION 16
#define TB_SNMP_E_NOTWRITABLE 17

/* An OID has at most 128 sub-identifiers (RFC 2578 section 3.5). */
#define TB_SNMP_OID_MAX 128
/* Varbinds kept from one message; the rest are checked, then counted. */
#define TB_SNMP_VB_MAX 8
/* Value bytes kept per varbind (a DisplayString is at most 255). */
#define TB_SNMP_VALUE_MAX 512
/* Longest community and Set value the builders write. */
#define TB_SNMP_BUILD_COMMUNITY_MAX 255
#define TB_SNMP_BUILD_VALUE_MAX 1024

struct tb_snmp_varbind {
	uint32_t oid[TB_SNMP_OID_MAX];
	size_t oid_len; /* arcs */
	uint8_t type;   /* the value's tag */
	uint8_t value[TB_SNMP_VALUE_MAX];
	size_t value_len;   /* bytes kept */
	size_t value_total; /* the value's real length */
};

struct tb_snmp_pdu_msg {
	int version; /* TB_SNMP_V1 or TB_SNMP_V2C */
	uint8_t community[TB_SNMP_COMMUNITY_MAX];
	size_t community_len;   /* bytes kept */
	size_t community_total; /* its real length */
	size_t community_off;   /* where its bytes start in the message */
	uint8_t pdu;            /* PDU tag: TB_SNMP_PDU_RESPONSE for an answer */
	int64_t request_id;
	int64_t error_status, error_index;
	struct tb_snmp_varbind vb[TB_SNMP_VB_MAX];
	size_t nvb;       /* varbinds kept */
	size_t nvb_total; /* varbinds in the message */
};

/* Build a GetRequest (value NULL) for one OID.  reqid must be >= 0.
 * Returns the length written, 0 when an argument is out of range (version,
 * community or OID too long, an OID of fewer than 2 arcs or a first arc
 * over 2) or cap is too small. */
size_t tb_snmp_build_get(int version, const char *community, int32_t reqid, const uint32_t *oid,
			 size_t noid, uint8_t *buf, size_t cap);
/* Build a SetRequest of one OID to an OCTET STRING value (vlen at most
 * TB_SNMP_BUILD_VALUE_MAX).  Same returns. */
size_t tb_snmp_build_set_octets(int version, const char *community, int32_t reqid, const uint32_t *oid,
				size_t noid, const uint8_t *val, size_t vlen, uint8_t *buf, size_t cap);

/* Parse one v1/v2c message with a GetRequest/GetNext/Response/Set/GetBulk/
 * Inform/v2-Trap/Report PDU (they share one layout; a v1 Trap does not and
 * is refused).  Bytes after the outer SEQUENCE are ignored.  TB_OK with *m
 * filled; TB_E_TRUNC when the datagram is shorter than its outer length
 * says; TB_E_FORMAT for SNMPv3, another version, or any malformed part. */
TB_WUR enum tb_err tb_snmp_parse(const uint8_t *p, size_t n, struct tb_snmp_pdu_msg *m);

/* "noError", "noSuchName", ...; "unknown" when out of range. */
const char *tb_snmp_error_name(int64_t status);
/* 1 when the varbind's OID is exactly oid[0..noid). */
int tb_snmp_oid_is(const struct tb_snmp_varbind *vb, const uint32_t *oid, size_t noid);

#endif
