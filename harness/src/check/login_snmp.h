/* login_snmp.h: the SNMP v1/v2c community driver's discovery probe, and
 * the pure parts of the driver its tests and fuzz target reach (the driver
 * itself is tb_login_snmp in login.h). */
#ifndef TB_LOGIN_SNMP_H
#define TB_LOGIN_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "check/login.h"
#include "proto/p_snmpmsg.h"

struct tb_ctx;

/* Is an SNMP agent at addr:port (IPv4, host order)?  Sends an SNMPv3
 * engine-ID discovery and a v2c and a v1 GetRequest for sysDescr.0 with
 * the community "public" (each sent twice, about two seconds in all) and
 * returns 1 as soon as anything SNMP comes back: a v3 Report, or a v1/v2c
 * Response of any kind, an error response included.  Silence, an ICMP port
 * unreachable or a local failure return 0.  why (wl bytes) says what was
 * seen either way.  An agent drops a wrong community without a word, so
 * the credential phase makes an SNMP interface only where this returns 1:
 * there, silence to a community is a refusal. */
int tb_login_snmp_probe(struct tb_ctx *ctx, uint32_t addr, uint16_t port, char *why, size_t wl,
			int64_t *rtt_ms);

/* What an SNMP interface remembers across guesses (tb_login_iface.state):
 * the slowest answer the agent gave, from the probe (*rtt_ms above) and
 * every answered request since.  A wrong community is heard only as
 * silence, so the wait for an answer is what a wrong guess costs: ten
 * times the slowest answer seen, at least SNMP_WAIT_FLOOR_MS and at most a
 * second (a second when nothing was measured yet), sent twice. */
struct tb_login_snmp_state {
	int64_t rtt_ms; /* 0: not measured */
};
#define SNMP_WAIT_FLOOR_MS 300

/* How the answer to the sysDescr.0 read is judged: ACCEPTED for any
 * Response (an agent answers only a community it accepts, so noSuchName or
 * noSuchObject still proves it), REJECTED for the explicit refusals
 * noAccess and authorizationError.  detail says what was read. */
enum tb_login_outcome tb_snmp_judge_read(const struct tb_snmp_pdu_msg *m, char *detail, size_t dl);
/* One line describing a message for the transcript; the community is
 * shown only when secret is 0. */
void tb_snmp_describe(const struct tb_snmp_pdu_msg *m, int secret, char *out, size_t cap);
/* The value of a varbind as one printable line (OCTET STRING escaped and
 * cut to max bytes with "..." when longer). */
void tb_snmp_value_text(const struct tb_snmp_varbind *vb, size_t max, char *out, size_t cap);
/* Overwrite the community of an SNMP v1/v2c message in buf with '*'
 * (a declared test community never reaches the evidence). */
void tb_snmp_redact_community(uint8_t *buf, size_t len);

#endif
