/* udp.h: the harness's only way to send a UDP datagram to a device.
 *
 * One unconnected socket per prober, aimed at one device (the DUT).  Every
 * datagram goes through tb_udp_send(), which refuses an address outside the
 * profile's lab scope (nothing is sent, the refusal is counted) and takes a
 * token from the run's global rate limit (struct tb_net) first.  Replies are
 * accepted only from the DUT's address and from a port this prober sent to;
 * anything else is read, dropped and counted.  The device may be IPv4 or
 * IPv6 (tb_udp_open_addr): an IPv6 prober has an IPv6-only socket, and a
 * link-local device is also told apart by its zone (the interface).  ICMP
 * port unreachable (ICMPv6 destination unreachable, code port unreachable)
 * comes from the socket's error queue (IP_RECVERR, IPV6_RECVERR): the
 * queued error names the original destination, hence the probed port, and
 * the node that sent it, which must be the device.  Every wait has a deadline
 * and every read is bounded by the caller's buffer (the datagram's real size
 * is reported beside the bytes kept).
 */
#ifndef TB_UDP_H
#define TB_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "net/net.h"
#include "net/scope.h"

/* The largest UDP payload over IPv4 (over IPv6 without jumbograms, a few
 * bytes less): a buffer this big never truncates. */
#define TB_UDP_DGRAM_MAX 65535

/* What the device's ICMP (or ICMPv6) port-unreachable messages look like
 * over time: Linux sends a burst of about 6, then about one per second. */
struct tb_udp_icmp_rate {
	unsigned long count;  /* port unreachables accepted from the DUT */
	int64_t first_us;     /* arrival of the first (tb_now_us clock), 0: none */
	int64_t last_us;      /* arrival of the last */
	unsigned long burst;  /* how many arrived within TB_UDP_BURST_US of the first */
	int64_t burst_end_us; /* arrival of the last of those */
};
#define TB_UDP_BURST_US 100000

struct tb_udp {
	struct tb_net *net; /* the lab scope and the run's rate limit */
	struct tb_addr dut; /* the only address we send to and hear (with its zone) */
	int fd;
	uint16_t local_port;
	uint8_t probed[8192]; /* bit per DUT port we sent to: replies only from these */
	/* Set by the caller: accept datagrams from any of the DUT's ports (a
	 * reflector may answer from another port; the address must still be
	 * the DUT's).  ICMP errors must still be about a probed port. */
	int any_port;
	unsigned long sent;           /* datagrams handed to the kernel */
	unsigned long scope_refusals; /* sends refused for being out of scope */
	unsigned long send_errors;    /* sends the kernel refused (counted, not sent) */
	unsigned long foreign;        /* datagrams or ICMP errors from elsewhere: ignored */
	unsigned long truncated;      /* datagrams longer than the caller's buffer */
	unsigned long icmp_other;     /* other ICMP errors about our datagrams */
	struct tb_udp_icmp_rate icmp;
};

enum tb_udp_ev_kind {
	TB_UDP_EV_DATA = 1,    /* a datagram from the DUT's probed port (any port: any_port) */
	TB_UDP_EV_UNREACH = 2, /* ICMP(v6) port unreachable from the DUT for a probed port */
};

struct tb_udp_event {
	enum tb_udp_ev_kind kind;
	uint16_t port; /* the DUT's port: the datagram's source, or the refused destination */
	size_t len;    /* bytes stored in the caller's buffer */
	size_t total;  /* the datagram's real length (> len when truncated) */
	int64_t at_us; /* tb_now_us() when it was read */
};

/* Open a prober for the device at dut (IPv4, IPv4-mapped or IPv6; a
 * link-local one with its zone) under net's scope and rate limit: a socket
 * of the address's family.  TB_E_IO with the reason in d when no socket
 * can be made.  The scope is checked on every send, not here. */
TB_WUR enum tb_err tb_udp_open_addr(struct tb_udp *u, struct tb_net *net, const struct tb_addr *dut,
				    struct tb_diag *d);
/* The same for an IPv4 device at dut (host order). */
TB_WUR enum tb_err tb_udp_open(struct tb_udp *u, struct tb_net *net, uint32_t dut, struct tb_diag *d);
void tb_udp_close(struct tb_udp *u);

/* Send one datagram to the DUT's port.  TB_E_SCOPE (nothing sent, counted
 * in u and in net) when the DUT is outside the lab scope; otherwise waits
 * for a rate token, then sends.  TB_E_TIMEOUT when a stop was requested,
 * TB_E_IO when the kernel refused it (counted in send_errors). */
TB_WUR enum tb_err tb_udp_send(struct tb_udp *u, uint16_t port, const void *buf, size_t len,
			       struct tb_diag *d);

/* Wait until deadline_ms (tb_now_ms clock) for the next event from the DUT.
 * A datagram is stored in buf (at most cap bytes; ev->total says how long
 * it really was).  Whatever comes from another address or port is dropped
 * and counted, and the wait goes on.  TB_OK with *ev filled, TB_E_TIMEOUT
 * at the deadline or on a stop request (checked before every read, so a
 * device that never stops sending cannot hold the caller), TB_E_IO on a
 * local failure. */
TB_WUR enum tb_err tb_udp_next(struct tb_udp *u, uint8_t *buf, size_t cap, struct tb_udp_event *ev,
			       int64_t deadline_ms);

/* The device's ICMP unreachable rate after its first burst, in messages
 * per second; -1 when too few arrived, too close together, to tell. */
double tb_udp_icmp_steady_rate(const struct tb_udp_icmp_rate *r);

#endif
