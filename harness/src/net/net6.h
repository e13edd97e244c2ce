/* net6.h: the device over IPv6: scoped connects and discovery on the lab link.
 *
 * Connects mirror net.h: the scope is checked on the address first (nothing
 * is sent when it is outside), then a token is taken from the run's one
 * rate limit (struct tb_net), then a non-blocking connect with a deadline.
 *
 * Discovery pings all-nodes (ff02::1, hop limit 1, so it never leaves the
 * lab link) on the lab interface and keeps the sources of the echo replies
 * that lie inside the scope; the others are counted and never probed.  Its
 * socket is raw ICMPv6 (CAP_NET_RAW, which the harness holds in its lab
 * namespace until it drops privileges) or, failing that, an unprivileged
 * ICMPv6 datagram socket: open it with tb_net6_disc_open() BEFORE the
 * privilege drop; it stays usable after.
 */
#ifndef TB_NET6_H
#define TB_NET6_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "net/net.h"
#include "net/scope.h"

/* Start a non-blocking TCP connect to a (either family: IPv4 and
 * IPv4-mapped addresses go through tb_net_connect_start).  TB_E_SCOPE when a
 * is outside the scope (nothing sent, n->scope_refusals counts it), else as
 * tb_net_connect_start. */
TB_WUR enum tb_err tb_net6_connect_start(struct tb_net *n, const struct tb_addr *a, uint16_t port,
					 int *fd, struct tb_diag *d);
/* Connect with the profile's connect timeout: TB_OK, TB_E_SCOPE,
 * TB_E_REFUSED, TB_E_TIMEOUT or TB_E_IO; *fd is -1 unless TB_OK. */
TB_WUR enum tb_err tb_net6_connect(struct tb_net *n, const struct tb_addr *a, uint16_t port, int *fd,
				   struct tb_diag *d);

#define TB_NET6_MAX_FOUND 16
#define TB_NET6_MAX_REFUSED_SHOWN 4

/* Where an address came from (bits). */
enum { TB_NET6_DISCOVERED = 1, TB_NET6_DECLARED = 2 };

/* The DUT's IPv6 addresses, all inside the scope. */
struct tb_net6_found {
	struct tb_addr addr[TB_NET6_MAX_FOUND];
	unsigned origin[TB_NET6_MAX_FOUND]; /* TB_NET6_* bits */
	size_t n;
	unsigned long pings;    /* echo requests sent */
	unsigned long replies;  /* our echo replies received */
	unsigned long refused;  /* of them, from a source outside the scope: never probed */
	unsigned long overflow; /* in scope, but beyond TB_NET6_MAX_FOUND */
	unsigned long as_own;   /* replies claiming one of the harness's own addresses: ignored */
	struct tb_addr refused_shown[TB_NET6_MAX_REFUSED_SHOWN]; /* the first refused sources */
	char how[512]; /* how discovery ran, or why it did not (for evidence) */
};

struct tb_net6_disc {
	int fd;           /* -1 when closed */
	int raw;          /* 1: raw ICMPv6 socket; 0: ICMPv6 datagram ("ping") socket */
	unsigned ifindex; /* the lab interface */
	uint16_t id;      /* echo identifier (raw sockets; the kernel sets it otherwise) */
};

/* Open the discovery socket on interface ifname (raw, else datagram).
 * TB_E_IO with the reason when neither is allowed, TB_E_CONFIG when the
 * interface does not exist. */
TB_WUR enum tb_err tb_net6_disc_open(struct tb_net6_disc *s, const char *ifname, struct tb_diag *d);
/* Ping all-nodes on the interface, from its link-local address and from
 * each of its own addresses inside the scope (so the device answers from
 * its address of the same range), and collect echo replies for wait_ms.
 * Each ping takes a rate token from n.  In-scope sources are added to f
 * (TB_NET6_DISCOVERED); f->how says what was done.  TB_E_SCOPE when the
 * scope has no IPv6 prefix on the lab link (2001:2::/48 or link-local):
 * nothing is sent. */
TB_WUR enum tb_err tb_net6_discover(struct tb_net6_disc *s, struct tb_net *n, int wait_ms,
				    struct tb_net6_found *f, struct tb_diag *d);
void tb_net6_disc_close(struct tb_net6_disc *s);

/* The DUT's IPv6 addresses for a run: discovery when s is open (f->how
 * keeps the reason it is not, when the caller put one there), then the
 * declared addresses (link-local ones take the scope's zone, the lab
 * interface).  Out-of-scope declared addresses are refused as always. */
void tb_net6_find_dut(struct tb_net6_disc *s, struct tb_net *n, int wait_ms,
		      const struct tb_addr *declared, size_t ndeclared, struct tb_net6_found *f);

/* "ADDR (discovered, declared), ..." or "none" into out. */
void tb_net6_found_describe(const struct tb_net6_found *f, char *out, size_t cap);

/* Judge one received ICMPv6 message (icmp: its ICMPv6 header onward) from
 * `from`: 0 not one of our echo replies (ignored), -1 a reply from outside
 * the scope (counted in f->refused, never kept), 1 a reply kept in f.
 * check_id: the echo identifier must be id (raw sockets). */
int tb_net6_take_reply(struct tb_net6_found *f, const struct tb_scope *s,
		       const struct sockaddr_in6 *from, const uint8_t *icmp, size_t len, uint16_t id,
		       int check_id);
/* Add an address with its origin bits: 1 added or merged, -1 outside the
 * scope (refused), 0 no room. */
int tb_net6_found_add(struct tb_net6_found *f, const struct tb_scope *s, const struct tb_addr *a,
		      unsigned origin);

#endif
