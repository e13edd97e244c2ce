/* chk_cloud_identity_internal.h: the pure parts of the cloud-identity check
 * (the judge, the secret masker, the phases' tallies) and its control
 * channel, shared with their unit tests only (TB_UNITTEST in tb.h). */
#ifndef TB_CHK_CLOUD_IDENTITY_INTERNAL_H
#define TB_CHK_CLOUD_IDENTITY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "net/net.h"
#include "net/scope.h"
#include "proto/p_cloudlog.h"
#include "result/verdict.h"

/* The forged certificates, in the order they are presented. */
enum tb_ci_forged {
	TB_CI_SELF_SIGNED,
	TB_CI_WRONG_NAME,
	TB_CI_EXPIRED,
	TB_CI_UNTRUSTED_CA,
	TB_CI_NFORGED
};
const char *tb_ci_forged_name(enum tb_ci_forged f);

#define TB_CI_MAX_PORTS 8

/* What one port saw during one phase. */
struct tb_ci_port {
	uint16_t port;
	unsigned tried, accepted, with_data; /* connections; accepted with application data */
	uint64_t appbytes;                   /* over the accepted ones */
};

/* The events of one phase (a certificate presented, or the genuine one). */
struct tb_ci_phase {
	int ran; /* presented and logged */
	uint64_t epoch;
	unsigned events, accepted, with_data;
	struct tb_ci_port ports[TB_CI_MAX_PORTS];
	size_t nports;
	unsigned ports_dropped; /* events on ports beyond TB_CI_MAX_PORTS */
	/* The first accepted event, data first (the FAIL's evidence): index
	 * into the events the phase was tallied from, or -1. */
	long culprit;
};

struct tb_ci_facts {
	struct tb_ci_phase forged[TB_CI_NFORGED];
	struct tb_ci_phase genuine;
	/* The wrong-name and expired certificates were signed by a CA the
	 * device trusts (the profile's trusted-ca); else by one nobody trusts,
	 * so refusing them proves only the chain check. */
	int trusted_ca;
	unsigned long lost;   /* events the cloud no longer had when asked */
	unsigned long others; /* other clients' connections (not judged) */
};

/* Tally the events whose epoch is ph->epoch into ph (ran and epoch set by
 * the caller; the rest is reset). */
TB_UNITTEST void tb_ci_tally(struct tb_ci_phase *ph, const struct tb_clog_event *ev, size_t n);
/* May a phase end?  1 when every port in known[] (the TLS ports the device
 * was seen to use) has an event of this epoch, accepted ones only when
 * need_accept (the genuine phase); 0 while known[] is empty. */
TB_UNITTEST int tb_ci_phase_done(const uint16_t *known, size_t nknown, const struct tb_clog_event *ev,
				 size_t n, uint64_t epoch, int need_accept);
/* The verdict on the facts, its reason in why.  Pure. */
TB_UNITTEST enum tb_verdict tb_ci_judge(const struct tb_ci_facts *f, char *why, size_t cap);
/* Mask the secrets in the application data a device sent (an HTTP
 * request's Authorization, cookie and token-named headers and token-named
 * query parameters; an MQTT CONNECT's password) with '*', in place.
 * Returns how many values were masked. */
TB_UNITTEST size_t tb_ci_mask_secrets(uint8_t *p, size_t n);

/* The control channel: the harness's connect path with a scope holding
 * exactly the cloud's address/32 (the profile's lab scope is the DUT's). */
struct tb_ci_ctl {
	struct tb_cidr cidr;
	struct tb_scope scope;
	struct tb_net net;
	uint32_t addr;
	uint16_t port;
	int timeout_ms; /* per command, connect to last byte */
};
TB_UNITTEST void tb_ci_ctl_init(struct tb_ci_ctl *c, uint32_t cloud, uint16_t port, int timeout_ms);
/* Send cmd (and body) to addr on one connection; read the answer into
 * ans[cap] until the peer closes or it is complete (an OK/ERR line for
 * PRESENT and GENUINE, END for LOG: is_log).  TB_E_SCOPE (nothing sent,
 * the refusal counted) when addr is outside the ctl's scope. */
TB_UNITTEST enum tb_err tb_ci_ctl_exchange(struct tb_ci_ctl *c, uint32_t addr, const char *cmd,
					   const void *body, size_t bodylen, int is_log, uint8_t *ans,
					   size_t cap, size_t *got, struct tb_diag *d);

#endif
