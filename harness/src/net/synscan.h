/* synscan.h: a half-open TCP SYN sweep of one device through the run's raw
 * socket (struct tb_net), as nmap -sS and masscan do it.
 *
 * Each SYN leaves through tb_net_raw_send (scope check, rate token) from one
 * local port that a bound, non-listening socket reserves: no socket owns the
 * connection, so the kernel answers every SYN-ACK with a RST and no
 * half-open connection is left on the device.  The sequence number is a
 * cookie, a keyed hash of (our address, the device's, both ports): a reply
 * counts only when it comes from the device, to our port, from a port we
 * probed and still wait for, and acknowledges that port's cookie + 1.
 * Anything else (spoofed, stray, duplicate, a flood) is read, counted and
 * dropped.  A port with no answer gets its SYN once more; then it is "no
 * answer".  Memory is one byte per port whatever the device sends, and every
 * wait has a deadline.
 */
#ifndef TB_SYNSCAN_H
#define TB_SYNSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "net/net.h"

/* Our SYN: a 20-byte TCP header and one MSS option. */
#define TB_SYN_LEN 24

#define TB_TCP_FIN 0x01
#define TB_TCP_SYN 0x02
#define TB_TCP_RST 0x04
#define TB_TCP_ACK 0x10

/* A TCP segment's addressing and flags, from an IPv4 packet (host order). */
struct tb_syn_reply {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
};

enum tb_syn_answer { TB_SYN_IGNORE = 0, TB_SYN_OPEN = 1, TB_SYN_CLOSED = 2 };

/* SipHash-2-4 of msg under a 16-byte key. */
uint64_t tb_siphash24(const uint8_t key[16], const uint8_t *msg, size_t len);
/* The sequence number of our SYN from src:sport to dst:dport. */
uint32_t tb_syn_cookie(const uint8_t key[16], uint32_t src, uint32_t dst, uint16_t sport,
		       uint16_t dport);
/* The TCP checksum of seg (checksum field included as it stands) with the
 * IPv4 pseudo-header: 0 when a filled-in checksum is right. */
uint16_t tb_tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);
/* Our SYN to dst:dport, sequence number seq, checksum filled in. */
void tb_syn_build(uint8_t out[TB_SYN_LEN], uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  uint32_t seq);
/* Parse an IPv4 packet holding a TCP segment (what a raw socket reads).
 * TB_E_TRUNC or TB_E_FORMAT for anything else: fragments, options past the
 * end, lengths that lie. */
TB_WUR enum tb_err tb_syn_parse(const uint8_t *pkt, size_t len, struct tb_syn_reply *r);
/* Is r the device's genuine answer to our SYN for r->sport?  Only the
 * addressing and the cookie are checked; whether the port was probed and
 * still unanswered is the sweep's business. */
enum tb_syn_answer tb_syn_judge(const struct tb_syn_reply *r, const uint8_t key[16], uint32_t me,
				uint32_t dut, uint16_t my_port);

/* Port states in struct tb_synscan's table. */
enum tb_syn_state {
	TB_SYNP_SKIP = 0, /* not in the sweep */
	TB_SYNP_TODO,     /* not sent yet */
	TB_SYNP_SENT,     /* SYN sent, waiting */
	TB_SYNP_RESENT,   /* sent twice, waiting */
	TB_SYNP_OPEN,     /* SYN-ACK */
	TB_SYNP_CLOSED,   /* RST */
	TB_SYNP_NOANSWER, /* nothing after two SYNs */
	TB_SYNP_UNPROBED, /* never sent: refused (scope) or a local error */
};

/* What the caller does while the sweep runs (all optional): on_open for
 * each port found open, as soon as it is; tick whenever fd (e.g. an epoll
 * set, -1: none) is readable and after every batch of SYNs, so that work
 * such as reading banners goes on beside the sweep. */
struct tb_synscan_hooks {
	void (*on_open)(void *arg, uint16_t port);
	void (*tick)(void *arg);
	void *arg;
	int fd;
};

struct tb_synscan {
	struct tb_net *net;
	const struct tb_synscan_hooks *hooks;
	uint32_t dut, me;
	uint16_t my_port;
	uint8_t key[16];
	uint8_t state[65536];  /* enum tb_syn_state per port */
	size_t waiting;        /* ports in SENT or RESENT */
	unsigned long sent;    /* SYNs handed to the kernel, retransmissions included */
	unsigned long resent;  /* of which second tries */
	unsigned long replies; /* packets read */
	unsigned long ignored; /* of which not a genuine answer to a waiting port */
	unsigned long open, closed, noanswer, unprobed;
	char error[256]; /* the last local error or refusal, "" when none */
};

/* Take one packet read from the raw socket: a genuine answer for a port in
 * SENT or RESENT settles it (and calls hooks->on_open for an open one);
 * anything else only counts as ignored.  Exposed for the tests. */
void tb_synscan_absorb(struct tb_synscan *s, const uint8_t *pkt, size_t len);

/* Sweep the ports set in map (bit per port, as parse_ports makes it) on
 * dut.  TB_OK with every port in the sweep classified (open, closed, no
 * answer, or unprobed with the reason in s->error); TB_E_IO or TB_E_SCOPE
 * when the sweep could not start at all (no raw socket, no local port, dut
 * out of scope): d says why and the caller falls back to connect(). */
TB_WUR enum tb_err tb_synscan_run(struct tb_synscan *s, struct tb_net *net, uint32_t dut,
				  const uint8_t map[8192], const struct tb_synscan_hooks *hooks,
				  struct tb_diag *d);

#endif
