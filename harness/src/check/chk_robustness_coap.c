/* chk_robustness_coap.c: the robustness campaign's CoAP over UDP (RFC 7252):
 * the valid GET every mutation starts from and every liveness probe sends,
 * the test whether a datagram answers it, and the two exchanges (a probe,
 * one malformed input) over the scoped, rate-limited UDP path (net/udp.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "check/chk_robustness_internal.h"
#include "net/udp.h"

#define COAP_PROBE_SENDS 3 /* a probe's GET, retransmitted within its deadline */

/* Uri-Path ".well-known", Uri-Path "core": the one resource RFC 6690 has
 * every CoAP server serve, so a valid GET gets a 2.05 on any device (and a
 * 4.04 is an answer too). */
static const uint8_t get_options[] = { 0xbb, '.', 'w', 'e',  'l', 'l', '-', 'k', 'n',
				       'o',  'w', 'n', 0x04, 'c', 'o', 'r', 'e' };

size_t tb_rb_coap_get(uint16_t mid, const uint8_t tok[TB_RB_COAP_TKL], uint8_t *out, size_t cap)
{
	size_t n = 4 + TB_RB_COAP_TKL + sizeof get_options;
	if (cap < n)
		return 0;
	out[0] = 0x40 | TB_RB_COAP_TKL; /* version 1, CON */
	out[1] = 0x01;                  /* 0.01 GET */
	out[2] = (uint8_t)(mid >> 8);
	out[3] = (uint8_t)mid;
	memcpy(out + 4, tok, TB_RB_COAP_TKL);
	memcpy(out + 4 + TB_RB_COAP_TKL, get_options, sizeof get_options);
	return n;
}

int tb_rb_coap_answered(const uint8_t *b, size_t n, uint16_t mid, const uint8_t tok[TB_RB_COAP_TKL])
{
	if (n < 4 || b[0] >> 6 != 1)
		return 0; /* no CoAP: not an answer to anything */
	unsigned type = b[0] >> 4 & 3, tkl = b[0] & 15u, code = b[1];
	int same_mid = ((uint16_t)(b[2] << 8 | b[3])) == mid;
	if (type == 3)
		return same_mid ? -1 : 0; /* RST: the valid GET was rejected */
	if (type == 2 && !same_mid)
		return 0; /* an ACK to another message */
	if (code >> 5 < 2 || code >> 5 > 5)
		return 0; /* an empty ACK (a separate response follows) or no response */
	if (tkl != TB_RB_COAP_TKL || n < 4 + tkl || memcmp(b + 4, tok, tkl) != 0)
		return 0;
	return 1;
}

/* The token of probe number k: "tb" and k, so stale answers never match. */
static void probe_token(uint16_t k, uint8_t tok[TB_RB_COAP_TKL])
{
	tok[0] = 't';
	tok[1] = 'b';
	tok[2] = (uint8_t)(k >> 8);
	tok[3] = (uint8_t)k;
}

/* Send the probe's GET; 0 with why filled when it could not be. */
static int send_get(struct tb_udp *u, uint16_t port, const uint8_t *req, size_t n, char *why, size_t wl)
{
	struct tb_diag d = { .msg = "" };
	enum tb_err e = tb_udp_send(u, port, req, n, &d);
	if (e)
		snprintf(why, wl, "%s",
			 e == TB_E_SCOPE ? "refused by the lab scope check"
			 : d.msg[0]      ? d.msg
					 : "not sent");
	return e == TB_OK;
}

int tb_rb_coap_probe(struct tb_udp *u, uint16_t port, uint16_t mid, int live_ms, char *why, size_t wl)
{
	uint8_t req[64], buf[2048], tok[TB_RB_COAP_TKL];
	probe_token(mid, tok);
	size_t n = tb_rb_coap_get(mid, tok, req, sizeof req);
	int64_t start = tb_now_ms(), deadline = start + live_ms;
	int rst = 0;
	/* The GET goes out COAP_PROBE_SENDS times, evenly over the deadline
	 * (CoAP's own retransmission, same message ID and token): one lost
	 * datagram is not taken for a dead service, and a silent one costs
	 * the deadline once, not once per try. */
	for (int k = 0; k < COAP_PROBE_SENDS; k++) {
		if (!send_get(u, port, req, n, why, wl))
			return 0;
		int64_t until = k + 1 < COAP_PROBE_SENDS
					? start + (int64_t)live_ms * (k + 1) / COAP_PROBE_SENDS
					: deadline;
		struct tb_udp_event ev;
		while (tb_udp_next(u, buf, sizeof buf, &ev, until) == TB_OK) {
			if (ev.port != port)
				continue; /* an answer from another service (SNMP) */
			if (ev.kind == TB_UDP_EV_UNREACH) {
				snprintf(why, wl, "ICMP port unreachable: nothing listens any more");
				return 0;
			}
			int a = tb_rb_coap_answered(buf, ev.len, mid, tok);
			if (a > 0)
				return 1;
			rst |= a < 0;
		}
	}
	if (rst)
		snprintf(why, wl, "the valid GET got a reset (RST) and no response within %d ms",
			 live_ms);
	else
		snprintf(why, wl, "no answer to a valid GET within %d ms, sent %d times (a hang)",
			 live_ms, COAP_PROBE_SENDS);
	return 0;
}

int tb_rb_coap_send(struct tb_udp *u, uint16_t port, const uint8_t *d, size_t n, int wait_ms)
{
	struct tb_diag dg = { .msg = "" };
	if (tb_udp_send(u, port, d, n, &dg) != TB_OK)
		return -1;
	/* Whatever comes back first (an answer, a reset, an ICMP error) ends the
	 * wait: it keeps inputs apart without waiting on every silent drop.  What
	 * it was does not matter (the probes judge); silence is no error. */
	uint8_t buf[2048];
	struct tb_udp_event ev;
	enum tb_err e = tb_udp_next(u, buf, sizeof buf, &ev, tb_now_ms() + wait_ms);
	(void)e;
	return 0;
}
