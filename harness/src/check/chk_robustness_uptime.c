/* chk_robustness_uptime.c: the uptime sign of a reboot during a robustness
 * campaign.  Where the device has an SNMP agent (declared, or identified by
 * this run's UDP sweep), sysUpTime.0 is read with a v2c GetRequest before
 * and after the campaign: an uptime that went backwards, or advanced much
 * less than the time that passed, means the device started again.
 *
 * The community is the profile's declared SNMP test credential, else the
 * well-known read community "public" (one request, each time, under the
 * campaign's intrusive consent).  A device without an agent, or whose agent
 * does not answer, exposes no uptime: the evidence says so, which is not a
 * finding.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "check/chk_robustness_internal.h"
#include "check/ctx.h"
#include "check/surface.h"
#include "load/profile.h"
#include "net/udp.h"
#include "proto/p_snmpmsg.h"

#define SNMP_PORT 161
#define UPTIME_WAIT_MS 500 /* per try, two tries: an agent on the lab LAN answers in ms */
#define TICKS_PER_S 100
/* The uptime may trail the harness's clock by this much before the device
 * counts as having started again: 2 s plus 10% of the time between reads
 * (a slow agent, a coarse clock). */
#define LAG_FLOOR_MS 2000
#define LAG_SHARE 10

static const uint32_t oid_sysuptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
#define NARC (sizeof oid_sysuptime / sizeof oid_sysuptime[0])

enum tb_rb_reboot tb_rb_reboot_judge(uint32_t before, uint32_t after, int64_t elapsed_ms, char *why,
				     size_t wl)
{
	if (elapsed_ms < 0)
		elapsed_ms = 0;
	uint64_t passed = (uint64_t)elapsed_ms / (1000 / TICKS_PER_S);
	uint64_t slack = (uint64_t)(LAG_FLOOR_MS + elapsed_ms / LAG_SHARE) / (1000 / TICKS_PER_S);
	/* TimeTicks count modulo 2^32 (about 497 days): what it advanced by. */
	uint64_t advanced = (uint64_t)(uint32_t)(after - before);
	int wrapped = after < before;
	if (advanced + slack >= passed && advanced <= passed + slack) {
		snprintf(why, wl,
			 "sysUpTime went from %.2f s to %.2f s%s while %.2f s passed: no reboot",
			 before / 100.0, after / 100.0, wrapped ? " (past its 2^32 wrap)" : "",
			 elapsed_ms / 1000.0);
		return TB_RB_UP_STEADY;
	}
	if (wrapped || advanced + slack < passed) {
		snprintf(why, wl,
			 "sysUpTime went %s, from %.2f s to %.2f s, while %.2f s passed: the device "
			 "started again (a reboot)",
			 wrapped ? "backwards" : "forward by less than the time that passed",
			 before / 100.0, after / 100.0, elapsed_ms / 1000.0);
		return TB_RB_UP_REBOOTED;
	}
	snprintf(why, wl,
		 "sysUpTime went from %.2f s to %.2f s while only %.2f s passed: it jumped forward, "
		 "which says nothing about a reboot",
		 before / 100.0, after / 100.0, elapsed_ms / 1000.0);
	return TB_RB_UP_UNKNOWN;
}

/* Is there an SNMP agent on udp/161 (declared, or found by the sweep)? */
static int has_agent(const struct tb_ctx *ctx)
{
	const struct tb_profile *p = ctx->profile;
	for (size_t s = 0; s < p->nservices; s++) {
		const struct tb_service *sv = &p->services[s];
		if (sv->port == SNMP_PORT && sv->transport && strcmp(sv->transport, "udp") == 0 &&
		    sv->protocol && strcmp(sv->protocol, "snmp") == 0)
			return 1;
	}
	const struct tb_surface *sf = ctx->surface;
	for (size_t s = 0; sf && s < sf->n; s++)
		if (sf->v[s].port == SNMP_PORT && strcmp(sf->v[s].transport, "udp") == 0 &&
		    strcmp(sf->v[s].protocol, "snmp") == 0)
			return 1;
	return 0;
}

/* The declared SNMP test community, else "public"; *declared says which. */
static const char *community(const struct tb_profile *p, int *declared)
{
	for (size_t i = 0; i < p->nauths; i++) {
		const struct tb_auth *a = &p->auths[i];
		if (a->protocol && strcmp(a->protocol, "snmp") == 0 && a->test_pass) {
			*declared = 1;
			return a->test_pass;
		}
	}
	*declared = 0;
	return "public";
}

/* The TimeTicks value of a Response to reqid with sysUpTime.0 in it. */
static int uptime_of(const uint8_t *b, size_t n, int32_t reqid, uint32_t *ticks)
{
	static struct tb_snmp_pdu_msg m; /* large; the campaign runs on one thread */
	if (tb_snmp_parse(b, n, &m) != TB_OK || m.pdu != TB_SNMP_PDU_RESPONSE ||
	    m.request_id != reqid || m.error_status != 0 || m.nvb < 1 ||
	    !tb_snmp_oid_is(&m.vb[0], oid_sysuptime, NARC) || m.vb[0].type != 0x43 /* TimeTicks */
	    || m.vb[0].value_len < 1 || m.vb[0].value_len > 5 ||
	    m.vb[0].value_len != m.vb[0].value_total)
		return 0;
	uint64_t v = 0;
	for (size_t i = 0; i < m.vb[0].value_len; i++)
		v = v << 8 | m.vb[0].value[i];
	if (v > UINT32_MAX)
		return 0;
	*ticks = (uint32_t)v;
	return 1;
}

void tb_rb_uptime_read(struct tb_ctx *ctx, struct tb_udp *u, int32_t reqid, struct tb_rb_uptime *up)
{
	memset(up, 0, sizeof *up);
	if (!has_agent(ctx)) {
		snprintf(up->why, sizeof up->why,
			 "no SNMP agent declared or found on udp/161: the device exposes no uptime "
			 "the campaign can read");
		return;
	}
	int declared;
	const char *comm = community(ctx->profile, &declared);
	snprintf(up->how, sizeof up->how, "sysUpTime.0 over SNMP v2c on udp/161, community %s",
		 declared ? "from the profile's declared test credential" : "\"public\"");
	uint8_t req[256], buf[2048];
	size_t n = tb_snmp_build_get(TB_SNMP_V2C, comm, reqid, oid_sysuptime, NARC, req, sizeof req);
	for (int round = 0; n && round < 2; round++) {
		struct tb_diag d = { .msg = "" };
		if (tb_udp_send(u, SNMP_PORT, req, n, &d) != TB_OK) {
			snprintf(up->why, sizeof up->why, "%s: not sent (%s)", up->how,
				 d.msg[0] ? d.msg : "refused");
			return;
		}
		int64_t deadline = tb_now_ms() + UPTIME_WAIT_MS;
		struct tb_udp_event ev;
		while (tb_udp_next(u, buf, sizeof buf, &ev, deadline) == TB_OK) {
			if (ev.port != SNMP_PORT || ev.kind != TB_UDP_EV_DATA || ev.len != ev.total)
				continue;
			if (uptime_of(buf, ev.len, reqid, &up->ticks)) {
				up->have = 1;
				up->at_ms = tb_now_ms();
				return;
			}
		}
	}
	snprintf(up->why, sizeof up->why,
		 "%s: no answer (the agent wants another community or SNMPv3): no uptime to read",
		 up->how);
}
