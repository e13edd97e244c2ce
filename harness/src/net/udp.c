/* udp.c: scoped, rate-limited, deadline-bound UDP probing of one device over
 * IPv4 or IPv6 (see udp.h). */
#include "net/udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"

#define ICMP_DEST_UNREACH_TYPE 3
#define ICMP_PORT_UNREACH_CODE 3
#define ICMP6_DEST_UNREACH_TYPE 1
#define ICMP6_PORT_UNREACH_CODE 4
/* Replies from a chatty device wait here while we send: room for many. */
#define RCVBUF_BYTES (4 * 1024 * 1024)

static void mark_probed(struct tb_udp *u, uint16_t port)
{
	u->probed[port >> 3] |= (uint8_t)(1u << (port & 7));
}

static int was_probed(const struct tb_udp *u, uint16_t port)
{
	return (u->probed[port >> 3] >> (port & 7)) & 1;
}

/* Ask for ICMP errors about our datagrams on the error queue, with the
 * destination they were about, although the socket is not connected. */
static int want_errors(int fd, int family)
{
	int one = 1;
	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
	return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
}

/* Bind to any local address and an ephemeral port; 0 or -1 (errno). */
static int bind_any(struct tb_udp *u)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	if (u->dut.family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_any;
		len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_ANY);
		len = sizeof *a;
	}
	if (bind(u->fd, (struct sockaddr *)&ss, len) != 0 ||
	    getsockname(u->fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	u->local_port = ntohs(u->dut.family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
							: ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

enum tb_err tb_udp_open_addr(struct tb_udp *u, struct tb_net *net, const struct tb_addr *dut,
			     struct tb_diag *d)
{
	memset(u, 0, sizeof *u);
	u->net = net;
	u->dut = *dut;
	tb_addr_normalize(&u->dut); /* IPv4-mapped: an IPv4 socket */
	u->fd = -1;
	if (u->dut.family != AF_INET && u->dut.family != AF_INET6)
		return tb_diag_set(d, TB_E_IO, "udp: not an IPv4 or IPv6 address");
	u->fd = socket(u->dut.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0)
		return tb_diag_set(d, TB_E_IO, "udp socket: %s", strerror(errno));
	int one = 1, rcv = RCVBUF_BYTES;
	if (want_errors(u->fd, u->dut.family) != 0) {
		int err = errno;
		tb_udp_close(u);
		return tb_diag_set(d, TB_E_IO, "%s: %s",
				   u->dut.family == AF_INET6 ? "IPV6_RECVERR" : "IP_RECVERR",
				   strerror(err));
	}
	/* IPv6 only: no IPv4-mapped traffic can reach an IPv6 prober. */
	if (u->dut.family == AF_INET6 &&
	    setsockopt(u->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) {
		int err = errno;
		tb_udp_close(u);
		return tb_diag_set(d, TB_E_IO, "IPV6_V6ONLY: %s", strerror(err));
	}
	(void)setsockopt(u->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv); /* best effort */
	if (bind_any(u) != 0) {
		int err = errno;
		tb_udp_close(u);
		return tb_diag_set(d, TB_E_IO, "udp bind: %s", strerror(err));
	}
	return TB_OK;
}

enum tb_err tb_udp_open(struct tb_udp *u, struct tb_net *net, uint32_t dut, struct tb_diag *d)
{
	struct tb_addr a;
	tb_addr_from_v4(dut, &a);
	return tb_udp_open_addr(u, net, &a, d);
}

/* The DUT's port as a socket address; returns its length. */
static socklen_t dut_sockaddr(const struct tb_udp *u, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (u->dut.family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		memcpy(&a->sin6_addr, u->dut.u.v6, 16);
		a->sin6_scope_id = u->dut.scope_id; /* the lab link, for a link-local DUT */
		return sizeof *a;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	a->sin_addr.s_addr = htonl(u->dut.u.v4);
	return sizeof *a;
}

/* 1 when sa (len bytes, as the kernel filled it) is the DUT's address (a
 * link-local one on the DUT's own link), with its port in *port. */
static int is_dut(const struct tb_udp *u, const void *sa, socklen_t len, uint16_t *port)
{
	const struct sockaddr *g = sa;
	if (len < (socklen_t)sizeof(sa_family_t) || g->sa_family != u->dut.family)
		return 0;
	if (g->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = sa;
		if (len < (socklen_t)sizeof *a || memcmp(&a->sin6_addr, u->dut.u.v6, 16) != 0)
			return 0;
		if (tb_addr_is_link_local(&u->dut) && a->sin6_scope_id != u->dut.scope_id)
			return 0;
		*port = ntohs(a->sin6_port);
		return 1;
	}
	const struct sockaddr_in *a = sa;
	if (len < (socklen_t)sizeof *a || ntohl(a->sin_addr.s_addr) != u->dut.u.v4)
		return 0;
	*port = ntohs(a->sin_port);
	return 1;
}

void tb_udp_close(struct tb_udp *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}

/* 1 for errors that an earlier ICMP message left on the socket (Linux
 * reports them once on the next call): the call itself can be retried. */
static int is_pending_icmp_error(int err)
{
	return err == ECONNREFUSED || err == EHOSTUNREACH || err == ENETUNREACH || err == EHOSTDOWN ||
	       err == ENONET || err == EPROTO;
}

enum tb_err tb_udp_send(struct tb_udp *u, uint16_t port, const void *buf, size_t len, struct tb_diag *d)
{
	char text[TB_ADDR_TEXT];
	if (!tb_scope_contains_addr(u->net->scope, &u->dut)) {
		u->scope_refusals++;
		tb_net_count_refusal(u->net);
		tb_addr_format(&u->dut, text);
		return tb_diag_set(d, TB_E_SCOPE,
				   "refused to send to %s%s%s:%u/udp: outside the lab scope",
				   u->dut.family == AF_INET6 ? "[" : "", text,
				   u->dut.family == AF_INET6 ? "]" : "", port);
	}
	if (tb_net_stop_requested())
		return tb_diag_set(d, TB_E_TIMEOUT, "not sent: the run was interrupted");
	tb_net_take_token(u->net);
	struct sockaddr_storage sa;
	socklen_t salen = dut_sockaddr(u, port, &sa);
	/* Mark first: an answer can arrive before sendto() returns. */
	mark_probed(u, port);
	for (int tries = 0; tries < 8; tries++) {
		ssize_t w = sendto(u->fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
		if (w >= 0) {
			u->sent++;
			return TB_OK;
		}
		int err = errno;
		if (err == EINTR || is_pending_icmp_error(err))
			continue;
		if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
			/* The local queue is full: give it a moment, bounded. */
			struct pollfd p = { .fd = u->fd, .events = POLLOUT };
			(void)poll(&p, 1, 10);
			continue;
		}
		u->send_errors++;
		return tb_diag_set(d, TB_E_IO, "sendto port %u: %s", port, strerror(err));
	}
	u->send_errors++;
	return tb_diag_set(d, TB_E_IO, "sendto port %u: the local queue stayed full", port);
}

static void note_unreach(struct tb_udp *u, int64_t at_us)
{
	struct tb_udp_icmp_rate *r = &u->icmp;
	if (r->count == 0)
		r->first_us = at_us;
	if (at_us - r->first_us <= TB_UDP_BURST_US) {
		r->burst++;
		r->burst_end_us = at_us;
	}
	r->last_us = at_us;
	r->count++;
}

double tb_udp_icmp_steady_rate(const struct tb_udp_icmp_rate *r)
{
	if (r->count <= r->burst + 1)
		return -1.0;
	double span = (double)(r->last_us - r->burst_end_us) / 1e6;
	if (span < 0.5)
		return -1.0;
	return (double)(r->count - r->burst) / span;
}

/* The queued error's ICMP type and code for "port unreachable", by family:
 * ICMP destination unreachable 3 / port unreachable 3, ICMPv6 destination
 * unreachable 1 / port unreachable 4. */
static int is_port_unreach(int family, const struct sock_extended_err *ee)
{
	if (family == AF_INET6)
		return ee->ee_origin == SO_EE_ORIGIN_ICMP6 && ee->ee_type == ICMP6_DEST_UNREACH_TYPE &&
		       ee->ee_code == ICMP6_PORT_UNREACH_CODE;
	return ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == ICMP_DEST_UNREACH_TYPE &&
	       ee->ee_code == ICMP_PORT_UNREACH_CODE;
}

/* The family's socket address length: the offender after an extended error. */
static socklen_t offender_len(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* The extended error among a message's control data (with room for its
 * offender's address after it), or NULL. */
static const struct sock_extended_err *extended_err(struct msghdr *m, int family)
{
	int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int type = family == AF_INET6 ? IPV6_RECVERR : IP_RECVERR;
	const struct sock_extended_err *ee = NULL;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == level && c->cmsg_type == type &&
		    c->cmsg_len >= CMSG_LEN(sizeof *ee + offender_len(family)))
			ee = (const struct sock_extended_err *)(const void *)CMSG_DATA(c);
	return ee;
}

/* One queued ICMP error: 1 and *ev filled when it is a port unreachable
 * sent by the DUT about a port we probed, 0 when it was something else
 * (counted), -1 when the queue is empty. */
static int read_error_queue(struct tb_udp *u, struct tb_udp_event *ev)
{
	struct sockaddr_storage dst;
	uint8_t ignored[64];
	char cbuf[512];
	struct iovec iov = { .iov_base = ignored, .iov_len = sizeof ignored };
	struct msghdr m = { .msg_name = &dst,
			    .msg_namelen = sizeof dst,
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof cbuf };
	if (recvmsg(u->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return -1;
	const struct sock_extended_err *ee = extended_err(&m, u->dut.family);
	uint16_t port, ignored_port;
	int icmp = u->dut.family == AF_INET6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP;
	if (!ee || ee->ee_origin != icmp || !is_dut(u, &dst, m.msg_namelen, &port) ||
	    !was_probed(u, port)) {
		u->foreign++;
		return 0;
	}
	if (!is_port_unreach(u->dut.family, ee)) {
		u->icmp_other++; /* host/net unreachable, often from a router: not "closed" */
		return 0;
	}
	/* A port unreachable must come from the device itself (the offender
	 * follows the error in the same control message). */
	if (!is_dut(u, SO_EE_OFFENDER(ee), offender_len(u->dut.family), &ignored_port)) {
		u->foreign++;
		return 0;
	}
	ev->kind = TB_UDP_EV_UNREACH;
	ev->port = port;
	ev->len = ev->total = 0;
	ev->at_us = tb_now_us();
	note_unreach(u, ev->at_us);
	return 1;
}

/* One datagram: 1 and *ev filled when it came from the DUT's probed port,
 * 0 when it was dropped (counted), -1 when none is waiting, -2 on error. */
static int read_datagram(struct tb_udp *u, uint8_t *buf, size_t cap, struct tb_udp_event *ev)
{
	struct sockaddr_storage from;
	socklen_t flen = sizeof from;
	uint16_t port;
	/* MSG_TRUNC: the return value is the datagram's real length even when
	 * only cap bytes fit. */
	ssize_t r =
		recvfrom(u->fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&from, &flen);
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		if (errno == EINTR || is_pending_icmp_error(errno))
			return 0; /* the error itself waits in the error queue */
		return -2;
	}
	if (!is_dut(u, &from, flen, &port) || (!u->any_port && !was_probed(u, port))) {
		u->foreign++;
		return 0;
	}
	ev->kind = TB_UDP_EV_DATA;
	ev->port = port;
	ev->total = (size_t)r;
	ev->len = (size_t)r < cap ? (size_t)r : cap;
	if ((size_t)r > cap)
		u->truncated++;
	ev->at_us = tb_now_us();
	return 1;
}

enum tb_err tb_udp_next(struct tb_udp *u, uint8_t *buf, size_t cap, struct tb_udp_event *ev,
			int64_t deadline_ms)
{
	memset(ev, 0, sizeof *ev);
	for (;;) {
		if (tb_net_deadline_passed(deadline_ms))
			return TB_E_TIMEOUT;
		int e = read_error_queue(u, ev);
		if (e == 1)
			return TB_OK;
		if (e == 0)
			continue;
		int r = read_datagram(u, buf, cap, ev);
		if (r == 1)
			return TB_OK;
		if (r == 0)
			continue;
		if (r == -2)
			return TB_E_IO;
		int64_t left = deadline_ms - tb_now_ms();
		if (left > TB_NET_POLL_SLICE_MS)
			left = TB_NET_POLL_SLICE_MS;
		struct pollfd p = { .fd = u->fd, .events = POLLIN };
		if (left > 0 && poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return TB_E_IO;
	}
}
