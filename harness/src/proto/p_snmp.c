/* p_snmp.c: SNMP v1/v2c header parsing (see p_snmp.h). */
#include "proto/p_snmp.h"

#include <string.h>

#include "base/rd.h"

/* Tag and definite length; *bad for indefinite or over-long forms. */
static uint32_t tlv(struct tb_rd *r, uint8_t *tag, int *bad)
{
	*tag = tb_rd_u8(r);
	uint8_t l = tb_rd_u8(r);
	if (!(l & 0x80))
		return l;
	size_t k = l & 0x7f;
	if (k == 0 || k > 4) {
		*bad = 1;
		return 0;
	}
	uint32_t v = 0;
	for (size_t i = 0; i < k; i++)
		v = v << 8 | tb_rd_u8(r);
	return v;
}

enum tb_err tb_p_snmp(const uint8_t *p, size_t n, struct tb_snmp_msg *m)
{
	struct tb_rd r, seq, x;
	uint8_t tag;
	int bad = 0;
	memset(m, 0, sizeof *m);
	tb_rd_init(&r, p, n);
	uint32_t len = tlv(&r, &tag, &bad);
	if (r.trunc)
		return TB_E_TRUNC;
	if (bad || tag != 0x30)
		return TB_E_FORMAT;
	tb_rd_sub(&r, len, &seq);
	if (seq.trunc)
		return TB_E_TRUNC;
	len = tlv(&seq, &tag, &bad);
	if (bad || tag != 0x02 || len == 0 || len > 4)
		return TB_E_FORMAT;
	tb_rd_sub(&seq, len, &x);
	uint32_t v = 0;
	while (tb_rd_left(&x))
		v = v << 8 | tb_rd_u8(&x);
	if (seq.trunc || v > 1)
		return TB_E_FORMAT; /* v3 (3) carries no community */
	m->version = (int)v;
	len = tlv(&seq, &tag, &bad);
	const uint8_t *c;
	tb_rd_bytes(&seq, len, &c);
	if (bad || tag != 0x04 || !c)
		return TB_E_FORMAT;
	m->community_len = len < TB_SNMP_COMMUNITY_MAX ? len : TB_SNMP_COMMUNITY_MAX;
	memcpy(m->community, c, m->community_len);
	m->pdu = tb_rd_u8(&seq);
	if (seq.trunc || (m->pdu & 0xe0) != 0xa0)
		return TB_E_FORMAT;
	return TB_OK;
}
