/* udp.c: scoped, rate-limited, deadline-bound UDP probing of one device (see udp.h). */
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

enum tb_err tb_udp_open(struct tb_udp *u, struct tb_net *net, uint32_t dut, struct tb_diag *d)
{
	memset(u, 0, sizeof *u);
	u->net = net;
	u->dut = dut;
	u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0)
		return tb_diag_set(d, TB_E_IO, "udp socket: %s", strerror(errno));
	int one = 1, rcv = RCVBUF_BYTES;
	/* ICMP errors about our datagrams are queued, with the destination they
	 * were about, even though the socket is not connected. */
	if (setsockopt(u->fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one) != 0) {
		int err = errno;
		tb_udp_close(u);
		return tb_diag_set(d, TB_E_IO, "IP_RECVERR: %s", strerror(err));
	}
	(void)setsockopt(u->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv); /* best effort */
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY) };
	socklen_t len = sizeof sa;
	if (bind(u->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(u->fd, (struct sockaddr *)&sa, &len) != 0) {
		int err = errno;
		tb_udp_close(u);
		return tb_diag_set(d, TB_E_IO, "udp bind: %s", strerror(err));
	}
	u->local_port = ntohs(sa.sin_port);
	return TB_OK;
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
	char text[16];
	if (!tb_scope_contains(u->net->scope, u->dut)) {
		u->scope_refusals++;
		u->net->scope_refusals++;
		tb_ipv4_format(u->dut, text);
		return tb_diag_set(d, TB_E_SCOPE, "refused to send to %s:%u/udp: outside the lab scope",
				   text, port);
	}
	if (tb_net_stop_requested())
		return tb_diag_set(d, TB_E_TIMEOUT, "not sent: the run was interrupted");
	tb_net_take_token(u->net);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(u->dut) };
	/* Mark first: an answer can arrive before sendto() returns. */
	mark_probed(u, port);
	for (int tries = 0; tries < 8; tries++) {
		ssize_t w = sendto(u->fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, sizeof sa);
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

/* One queued ICMP error: 1 and *ev filled when it is a port unreachable
 * sent by the DUT about a port we probed, 0 when it was something else
 * (counted), -1 when the queue is empty. */
static int read_error_queue(struct tb_udp *u, struct tb_udp_event *ev)
{
	struct sockaddr_in dst;
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
	const struct sock_extended_err *ee = NULL;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR)
			ee = (const struct sock_extended_err *)(const void *)CMSG_DATA(c);
	if (!ee || ee->ee_origin != SO_EE_ORIGIN_ICMP || m.msg_namelen < sizeof dst ||
	    ntohl(dst.sin_addr.s_addr) != u->dut || !was_probed(u, ntohs(dst.sin_port))) {
		u->foreign++;
		return 0;
	}
	const struct sockaddr_in *off = (const struct sockaddr_in *)(const void *)SO_EE_OFFENDER(ee);
	if (ee->ee_type != ICMP_DEST_UNREACH_TYPE || ee->ee_code != ICMP_PORT_UNREACH_CODE) {
		u->icmp_other++; /* host/net unreachable, often from a router: not "closed" */
		return 0;
	}
	if (off->sin_family != AF_INET || ntohl(off->sin_addr.s_addr) != u->dut) {
		u->foreign++; /* a port unreachable must come from the device itself */
		return 0;
	}
	ev->kind = TB_UDP_EV_UNREACH;
	ev->port = ntohs(dst.sin_port);
	ev->len = ev->total = 0;
	ev->at_us = tb_now_us();
	note_unreach(u, ev->at_us);
	return 1;
}

/* One datagram: 1 and *ev filled when it came from the DUT's probed port,
 * 0 when it was dropped (counted), -1 when none is waiting, -2 on error. */
static int read_datagram(struct tb_udp *u, uint8_t *buf, size_t cap, struct tb_udp_event *ev)
{
	struct sockaddr_in from;
	socklen_t flen = sizeof from;
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
	if (flen < sizeof from || from.sin_family != AF_INET || ntohl(from.sin_addr.s_addr) != u->dut ||
	    (!u->any_port && !was_probed(u, ntohs(from.sin_port)))) {
		u->foreign++;
		return 0;
	}
	ev->kind = TB_UDP_EV_DATA;
	ev->port = ntohs(from.sin_port);
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
