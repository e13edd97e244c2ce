/* chk_robustness_internal.h: what the robustness family's files
 * (chk_robustness.c, chk_robustness_coap.c, chk_robustness_uptime.c) share
 * with each other and with their unit tests (TB_UNITTEST in tb.h: those
 * are file-local outside the tests), and the types those functions take. */
#ifndef TB_CHK_ROBUSTNESS_INTERNAL_H
#define TB_CHK_ROBUSTNESS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

struct tb_ctx;
struct tb_udp;

enum tb_rb_kind { TB_RB_HTTP, TB_RB_MQTT, TB_RB_TELNET, TB_RB_COAP, TB_RB_SOAP };

/* One input as the evidence shows it. */
struct tb_rb_sent {
	uint32_t index;
	const char *what;
	const uint8_t *data;
	size_t len;
};

/* chk_robustness.c's own, declared where they are visible: in it and in
 * the unit tests. */
#if defined(TB_UNITTESTS) || defined(TB_RB_MAIN)
/* Does buf begin the answer a live service gives a valid request (an HTTP
 * status line, a CONNACK, any byte from telnet, which speaks first)?  1 yes,
 * 0 not yet (too short), -1 something else. */
TB_UNITTEST int tb_rb_answered(enum tb_rb_kind k, const uint8_t *buf, size_t len);
/* The evidence text of a batch: the seed, how inputs are made and sent,
 * the valid request and every input escaped.  Allocated; *len its length. */
TB_UNITTEST char *tb_rb_batch_text(uint64_t seed, uint16_t port, enum tb_rb_kind k,
				   const uint8_t *valid, size_t vlen, const struct tb_rb_sent *v,
				   size_t n, int input_ms, size_t *len);
#endif

/* ---- CoAP over UDP (chk_robustness_coap.c) ---- */

#define TB_RB_COAP_TKL 4 /* token bytes of the valid GET */

/* A CON GET /.well-known/core with message ID mid and token tok: the valid
 * request CoAP mutations start from and probes send.  0 when cap is short. */
size_t tb_rb_coap_get(uint16_t mid, const uint8_t tok[TB_RB_COAP_TKL], uint8_t *out, size_t cap);
/* Does the datagram answer that GET?  1: a response (2.xx, 4.xx or 5.xx)
 * with its token (piggybacked in the ACK of mid, or separate); -1: a reset
 * of mid; 0: neither (another message, an empty ACK, no CoAP at all). */
int tb_rb_coap_answered(const uint8_t *b, size_t n, uint16_t mid, const uint8_t tok[TB_RB_COAP_TKL]);
/* Send a valid GET to the port (retransmitted twice within the deadline)
 * and wait up to live_ms for its answer: 1 answered, 0 not (why says how). */
int tb_rb_coap_probe(struct tb_udp *u, uint16_t port, uint16_t mid, int live_ms, char *why, size_t wl);
/* Send one malformed datagram, then wait up to wait_ms for whatever comes
 * first.  -1 when it could not be sent. */
int tb_rb_coap_send(struct tb_udp *u, uint16_t port, const uint8_t *d, size_t n, int wait_ms);

/* ---- UPnP SOAP control requests (chk_robustness_soap.c) ---- */

/* The first service's serviceType and controlURL in a UPnP device
 * description (bounded, no entity expansion; an absolute URL gives its
 * path): 1 when both were there, printable and short enough. */
int tb_rb_control_url(const uint8_t *xml, size_t n, char *path, size_t pcap, char *stype, size_t scap);
/* The valid SOAP POST to path: a GetSystemUpdateID of service type stype.
 * 0 when it does not fit in cap. */
size_t tb_rb_soap_request(const char *host, uint16_t port, const char *path, const char *stype,
			  uint8_t *out, size_t cap);
/* Fetch the UPnP description of the HTTP server on port and build the
 * valid SOAP request (req, *len) for its first service's control URL.
 * 1 done; 0 not (how says why); how also says where it came from. */
int tb_rb_soap_target(struct tb_ctx *ctx, uint16_t port, const char *host, uint8_t *req, size_t *len,
		      size_t cap, char *how, size_t hl);

/* ---- the uptime sign of a reboot (chk_robustness_uptime.c) ---- */

struct tb_rb_uptime {
	int have;       /* ticks was read */
	uint32_t ticks; /* sysUpTime.0, hundredths of a second */
	int64_t at_ms;  /* when (tb_now_ms clock) */
	char how[160];  /* how it was read */
	char why[300];  /* when not: why */
};
enum tb_rb_reboot {
	TB_RB_UP_UNKNOWN,  /* nothing to judge from */
	TB_RB_UP_STEADY,   /* the uptime advanced with the clock */
	TB_RB_UP_REBOOTED, /* it went backwards or fell behind: a reboot */
};
/* Read the device's uptime (sysUpTime.0 over SNMP v2c with request id
 * reqid) through the prober u; up->have 0 with up->why when it exposes none. */
void tb_rb_uptime_read(struct tb_ctx *ctx, struct tb_udp *u, int32_t reqid, struct tb_rb_uptime *up);
/* Two uptime readings elapsed_ms apart (the harness's clock): did the
 * device start again in between?  why gets the sentence for the evidence.
 * The 32-bit wrap of TimeTicks is no reboot. */
enum tb_rb_reboot tb_rb_reboot_judge(uint32_t before, uint32_t after, int64_t elapsed_ms, char *why,
				     size_t wl);

#endif
