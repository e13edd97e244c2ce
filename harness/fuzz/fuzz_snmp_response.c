/* fuzz_snmp_response.c: an SNMP v1/v2c message from a hostile agent: the
 * parser stays inside the datagram and its bounds, and the credential
 * driver's judgement and transcript line stay bounded and printable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/login_snmp.h"
#include "proto/p_snmpmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_bounds(const struct tb_snmp_pdu_msg *m, size_t size)
{
	if (m->community_len > TB_SNMP_COMMUNITY_MAX || m->community_len > m->community_total ||
	    m->community_off + m->community_total > size || m->nvb > TB_SNMP_VB_MAX ||
	    m->nvb > m->nvb_total || m->version < 0 || m->version > 1)
		abort();
	for (size_t i = 0; i < m->nvb; i++) {
		const struct tb_snmp_varbind *vb = &m->vb[i];
		if (vb->oid_len < 2 || vb->oid_len > TB_SNMP_OID_MAX || vb->oid[0] > 2 ||
		    vb->value_len > TB_SNMP_VALUE_MAX || vb->value_len > vb->value_total ||
		    vb->value_total > size)
			abort();
	}
}

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		abort(); /* not terminated */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tb_snmp_pdu_msg m;
	char detail[320], line[1200];
	if (tb_snmp_parse(data, size, &m) != TB_OK)
		return 0;
	check_bounds(&m, size);
	(void)tb_snmp_judge_read(&m, detail, sizeof detail);
	check_text(detail, sizeof detail);
	tb_snmp_describe(&m, 1, line, sizeof line);
	check_text(line, sizeof line);
	const char *c = strstr(line, ", community ");
	if (c && strncmp(c, ", community <declared>,", 23) != 0)
		abort(); /* a secret community is never shown */
	uint8_t *copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	tb_snmp_redact_community(copy, size);
	for (size_t i = 0; i < m.community_total; i++)
		if (copy[m.community_off + i] != '*')
			abort();
	free(copy);
	return 0;
}
