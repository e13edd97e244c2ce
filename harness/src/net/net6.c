/* net6.c: scoped IPv6 connects and all-nodes discovery on the lab link (see net6.h). */
#define _GNU_SOURCE /* struct in6_pktinfo */
#include "net/net6.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"

/* ---- connect ---- */

static enum tb_err connect_errno(int err, struct tb_diag *d)
{
	if (err == ECONNREFUSED)
		return tb_diag_set(d, TB_E_REFUSED, "connection refused");
	if (err == EAGAIN || err == EADDRNOTAVAIL)
		return tb_diag_set(d, TB_E_IO, "connect: %s (local ports exhausted?)", strerror(err));
	return tb_diag_set(d, TB_E_IO, "connect: %s", strerror(err));
}

static void sockaddr_of(const struct tb_addr *a, uint16_t port, struct sockaddr_in6 *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons(port);
	memcpy(&sa->sin6_addr, a->u.v6, 16);
	sa->sin6_scope_id = tb_addr_is_link_local(a) ? a->scope_id : 0;
}

enum tb_err tb_net6_connect_start(struct tb_net *n, const struct tb_addr *a, uint16_t port, int *fd,
				  struct tb_diag *d)
{
	struct tb_addr x = *a;
	char text[TB_ADDR_TEXT];
	*fd = -1;
	tb_addr_normalize(&x);
	if (x.family == AF_INET) /* IPv4-mapped too: the IPv4 path and scope judge it */
		return tb_net_connect_start(n, x.u.v4, port, fd, d);
	if (tb_net_stop_requested())
		return tb_diag_set(d, TB_E_TIMEOUT, "not connected: the run was interrupted");
	/* The scope first: nothing, not even a token, for an address outside it. */
	if (!tb_scope_contains_addr(n->scope, &x)) {
		tb_net_count_refusal(n);
		tb_addr_format(&x, text);
		return tb_diag_set(d, TB_E_SCOPE,
				   "refused to connect to [%s]:%u: outside the lab scope", text, port);
	}
	tb_net_take_token(n);
	tb_net_count_connect(n);
	int s = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tb_diag_set(d, TB_E_IO, "socket: %s", strerror(errno));
	struct sockaddr_in6 sa;
	sockaddr_of(&x, port, &sa);
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
		int err = errno;
		close(s);
		return connect_errno(err, d);
	}
	*fd = s;
	return TB_OK;
}

/* 1 when fd is ready, 0 at the deadline or on a stop request, -1 on error. */
static int wait_fd(int fd, short events, int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - tb_now_ms();
		if (left <= 0 || tb_net_stop_requested())
			return 0;
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, left > TB_NET_POLL_SLICE_MS ? TB_NET_POLL_SLICE_MS : (int)left);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

enum tb_err tb_net6_connect(struct tb_net *n, const struct tb_addr *a, uint16_t port, int *fd,
			    struct tb_diag *d)
{
	int s;
	enum tb_err e = tb_net6_connect_start(n, a, port, &s, d);
	*fd = -1;
	if (e)
		return e;
	int r = wait_fd(s, POLLOUT, tb_now_ms() + n->connect_timeout_ms);
	if (r == 0) {
		close(s);
		if (tb_net_stop_requested())
			return tb_diag_set(d, TB_E_TIMEOUT,
					   "connect abandoned: the run was interrupted");
		return tb_diag_set(d, TB_E_TIMEOUT, "no answer to connect within %d ms",
				   n->connect_timeout_ms);
	}
	int err = r < 0 ? errno : tb_net_connect_result(s);
	if (err) {
		close(s);
		return connect_errno(err, d);
	}
	int one = 1;
	(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*fd = s;
	return TB_OK;
}

/* ---- the list of found addresses ---- */

int tb_net6_found_add(struct tb_net6_found *f, const struct tb_scope *s, const struct tb_addr *a,
		      unsigned origin)
{
	struct tb_addr x = *a;
	tb_addr_normalize(&x);
	if (!tb_scope_contains_addr(s, &x))
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (tb_addr_equal(&f->addr[i], &x)) {
			f->origin[i] |= origin;
			return 1;
		}
	if (f->n >= TB_NET6_MAX_FOUND) {
		f->overflow++;
		return 0;
	}
	f->addr[f->n] = x;
	f->origin[f->n++] = origin;
	return 1;
}

/* ---- discovery ---- */

/* Our own addresses a ping is sent from, besides link-local; and all of
 * the interface's addresses we remember. */
#define TB_NET6_MAX_SOURCES 8
#define TB_NET6_MAX_OWN 32

/* Our echo payload: a reply that does not carry it is not ours. */
static const char echo_tag[16] = "trustbench-nd6\0";
#define ECHO_LEN (8 + sizeof echo_tag)

int tb_net6_take_reply(struct tb_net6_found *f, const struct tb_scope *s,
		       const struct sockaddr_in6 *from, const uint8_t *icmp, size_t len, uint16_t id,
		       int check_id)
{
	if (len < ECHO_LEN || icmp[0] != ICMP6_ECHO_REPLY || icmp[1] != 0)
		return 0;
	if (check_id && (((unsigned)icmp[4] << 8) | icmp[5]) != id)
		return 0;
	if (memcmp(icmp + 8, echo_tag, sizeof echo_tag) != 0)
		return 0;
	f->replies++;
	struct tb_addr a = { .family = AF_INET6 };
	memcpy(a.u.v6, &from->sin6_addr, 16);
	a.scope_id = tb_addr_is_link_local(&a) ? from->sin6_scope_id : 0;
	tb_addr_normalize(&a);
	if (!tb_scope_contains_addr(s, &a)) {
		if (f->refused < TB_NET6_MAX_REFUSED_SHOWN)
			f->refused_shown[f->refused] = a;
		f->refused++;
		return -1;
	}
	return tb_net6_found_add(f, s, &a, TB_NET6_DISCOVERED) == 1 ? 1 : 0;
}

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof v);
}

/* Hop limit 1 and no loop-back of our own ping: nothing leaves the link,
 * and we do not answer (and "discover") ourselves.  Arrival interface in
 * IPV6_PKTINFO so replies from any other link are ignored. */
static int disc_sockopts(int fd, unsigned ifindex)
{
	return set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex) ||
	       set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 1) ||
	       set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 1) ||
	       set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) ||
	       set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
}

static int open_raw(unsigned ifindex)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -1;
	struct icmp6_filter flt;
	ICMP6_FILTER_SETBLOCKALL(&flt);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &flt);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &flt, sizeof flt) != 0 ||
	    disc_sockopts(fd, ifindex) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int open_dgram(unsigned ifindex)
{
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -1;
	if (disc_sockopts(fd, ifindex) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

enum tb_err tb_net6_disc_open(struct tb_net6_disc *s, const char *ifname, struct tb_diag *d)
{
	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->ifindex = if_nametoindex(ifname);
	if (s->ifindex == 0)
		return tb_diag_set(d, TB_E_CONFIG, "IPv6 discovery: no interface '%s'", ifname);
	s->id = (uint16_t)(getpid() ^ 0x7462);
	s->fd = open_raw(s->ifindex);
	s->raw = s->fd >= 0;
	if (s->fd >= 0)
		return TB_OK;
	int raw_err = errno;
	s->fd = open_dgram(s->ifindex);
	if (s->fd >= 0)
		return TB_OK;
	return tb_diag_set(d, TB_E_IO,
			   "IPv6 discovery impossible on %s: no raw ICMPv6 socket (%s; needs "
			   "CAP_NET_RAW) and no ICMPv6 datagram socket (%s; needs the group in "
			   "net.ipv4.ping_group_range)",
			   ifname, strerror(raw_err), strerror(errno));
}

void tb_net6_disc_close(struct tb_net6_disc *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* The interface's own IPv6 addresses (a reply claiming one of them is not
 * the device's), and among them the ping sources: those in the lab's
 * 2001:2::/48 (link-local is the kernel's own choice for ff02::1).  A device
 * answers from the address that suits the ping's source, so one ping per
 * source finds its address in each range; the scope judges the repliers. */
struct own6 {
	struct in6_addr all[TB_NET6_MAX_OWN], src[TB_NET6_MAX_SOURCES];
	size_t nall, nsrc;
};

static void own_addresses(unsigned ifindex, struct own6 *o)
{
	struct ifaddrs *ifs, *i;
	memset(o, 0, sizeof *o);
	if (getifaddrs(&ifs) != 0)
		return;
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET6 ||
		    if_nametoindex(i->ifa_name) != ifindex)
			continue;
		const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *)(const void *)i->ifa_addr;
		if (o->nall < TB_NET6_MAX_OWN)
			o->all[o->nall++] = sa->sin6_addr;
		if (o->nsrc < TB_NET6_MAX_SOURCES && tb_v6_in_bench_prefix(sa->sin6_addr.s6_addr))
			o->src[o->nsrc++] = sa->sin6_addr;
	}
	freeifaddrs(ifs);
}

static int is_own(const struct own6 *o, const struct in6_addr *a)
{
	for (size_t i = 0; i < o->nall; i++)
		if (memcmp(&o->all[i], a, sizeof *a) == 0)
			return 1;
	return 0;
}

/* One echo request to ff02::1 on the interface from fd; src NULL: the
 * socket's own or the kernel's choice. */
static int send_ping(const struct tb_net6_disc *s, int fd, const struct in6_addr *src, uint16_t seq)
{
	uint8_t pkt[ECHO_LEN] = { ICMP6_ECHO_REQUEST, 0 };
	pkt[4] = (uint8_t)(s->id >> 8);
	pkt[5] = (uint8_t)s->id;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + 8, echo_tag, sizeof echo_tag); /* the kernel fills in the checksum */
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = s->ifindex };
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	struct iovec iov = { .iov_base = pkt, .iov_len = sizeof pkt };
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct msghdr m = { .msg_name = &to,
			    .msg_namelen = sizeof to,
			    .msg_iov = &iov,
			    .msg_iovlen = 1 };
	if (src) {
		memset(&ctl, 0, sizeof ctl);
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof ctl.buf;
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
		struct in6_pktinfo pi = { .ipi6_addr = *src, .ipi6_ifindex = s->ifindex };
		memcpy(CMSG_DATA(c), &pi, sizeof pi);
	}
	return sendmsg(fd, &m, MSG_NOSIGNAL) == (ssize_t)sizeof pkt ? 0 : -1;
}

/* The arrival interface of a received message (0 when unknown). */
static unsigned arrival_ifindex(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			return (unsigned)pi.ipi6_ifindex;
		}
	return 0;
}

/* Read every waiting message; bounded reads, foreign links ignored. */
static void drain_replies(const struct tb_net6_disc *s, int fd, const struct own6 *own,
			  const struct tb_scope *sc, struct tb_net6_found *f)
{
	for (int budget = 0; budget < 1024; budget++) {
		uint8_t buf[1500];
		union {
			char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
			struct cmsghdr align;
		} ctl;
		struct sockaddr_in6 from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
		struct msghdr m = { .msg_name = &from,
				    .msg_namelen = sizeof from,
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl.b,
				    .msg_controllen = sizeof ctl.b };
		ssize_t r = recvmsg(fd, &m, MSG_DONTWAIT);
		if (r < 0)
			return;
		if (m.msg_namelen < sizeof from || from.sin6_family != AF_INET6)
			continue;
		if (arrival_ifindex(&m) != s->ifindex)
			continue;
		/* A device that answers as the harness would have us probe ourselves. */
		if (is_own(own, &from.sin6_addr)) {
			f->as_own++;
			continue;
		}
		/* The kernel names the zone of a link-local source; if not, it is
		 * the link it arrived on. */
		if (IN6_IS_ADDR_LINKLOCAL(&from.sin6_addr) && from.sin6_scope_id == 0)
			from.sin6_scope_id = s->ifindex;
		/* A datagram socket's identifier is the kernel's, and it only
		 * hands that socket its own replies. */
		(void)tb_net6_take_reply(f, sc, &from, buf, (size_t)r, s->id, s->raw);
	}
}

/* Does the scope name an IPv6 prefix on the lab link?  (A scope of ::1
 * alone has no business pinging the link.) */
static int names_lab_link(const struct tb_scope *sc)
{
	for (size_t i = 0; sc && i < sc->n6; i++)
		if (tb_cidr6_is_link_local(&sc->v6[i]) || tb_v6_in_bench_prefix(sc->v6[i].net))
			return 1;
	return 0;
}

/* A datagram socket's ping leaves from the address it is bound to (it
 * ignores an IPV6_PKTINFO source): one socket per extra source. */
static int open_dgram_from(unsigned ifindex, const struct in6_addr *src)
{
	int fd = open_dgram(ifindex);
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = *src };
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* 1 when any of fds is readable, 0 at the deadline or on a stop request. */
static int wait_any(const int *fds, size_t nfd, int64_t deadline_ms)
{
	struct pollfd p[1 + TB_NET6_MAX_SOURCES];
	for (size_t i = 0; i < nfd; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (;;) {
		int64_t left = deadline_ms - tb_now_ms();
		if (left <= 0 || tb_net_stop_requested())
			return 0;
		int r = poll(p, nfd, left > TB_NET_POLL_SLICE_MS ? TB_NET_POLL_SLICE_MS : (int)left);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return 0;
	}
}

enum tb_err tb_net6_discover(struct tb_net6_disc *s, struct tb_net *n, int wait_ms,
			     struct tb_net6_found *f, struct tb_diag *d)
{
	const struct tb_scope *sc = n->scope;
	if (!names_lab_link(sc)) {
		snprintf(f->how, sizeof f->how,
			 "not run: lab.scope has no IPv6 prefix on the lab link (2001:2::/48, "
			 "fe80::/10)");
		return tb_diag_set(d, TB_E_SCOPE,
				   "IPv6 discovery: lab.scope has no IPv6 prefix on the lab link");
	}
	if (s->fd < 0) {
		snprintf(f->how, sizeof f->how, "not run: no discovery socket");
		return tb_diag_set(d, TB_E_IO, "IPv6 discovery: no socket open");
	}
	struct own6 own;
	own_addresses(s->ifindex, &own);
	size_t nsrc = own.nsrc;
	const struct in6_addr *src = own.src;
	int fds[1 + TB_NET6_MAX_SOURCES] = { s->fd };
	size_t nfd = 1;
	unsigned long failed = 0;
	/* The link-local source first (NULL: the kernel's choice for ff02::1). */
	for (size_t i = 0; i <= nsrc && !tb_net_stop_requested(); i++) {
		int fd = i == 0 || s->raw ? s->fd : open_dgram_from(s->ifindex, &src[i - 1]);
		if (fd < 0) {
			failed++;
			continue;
		}
		if (fd != s->fd)
			fds[nfd++] = fd;
		tb_net_take_token(n);
		if (send_ping(s, fd, i && s->raw ? &src[i - 1] : NULL, (uint16_t)i) != 0)
			failed++;
		else
			f->pings++;
	}
	int64_t deadline = tb_now_ms() + (wait_ms > 0 ? wait_ms : 1);
	while (wait_any(fds, nfd, deadline) > 0)
		for (size_t i = 0; i < nfd; i++)
			drain_replies(s, fds[i], &own, sc, f);
	for (size_t i = 1; i < nfd; i++)
		close(fds[i]);
	char ifname[IF_NAMESIZE] = "?";
	if_indextoname(s->ifindex, ifname);
	snprintf(f->how, sizeof f->how,
		 "%lu echo request(s) to ff02::1 on %s (%s socket, hop limit 1; sources: link-local "
		 "and %zu in 2001:2::/48; %lu send failure(s)), %d ms: %lu repl%s, %zu address(es) "
		 "in scope, %lu refused as outside the scope, %lu claiming a harness address",
		 f->pings, ifname, s->raw ? "raw ICMPv6" : "ICMPv6 datagram", nsrc, failed, wait_ms,
		 f->replies, f->replies == 1 ? "y" : "ies", f->n, f->refused, f->as_own);
	if (f->pings == 0)
		return tb_diag_set(d, TB_E_IO,
				   "IPv6 discovery: no echo request could be sent on %s: %s", ifname,
				   strerror(errno));
	return TB_OK;
}

void tb_net6_find_dut(struct tb_net6_disc *s, struct tb_net *n, int wait_ms,
		      const struct tb_addr *declared, size_t ndeclared, struct tb_net6_found *f)
{
	struct tb_diag d = { 0 };
	if (s && s->fd >= 0) {
		if (tb_net6_discover(s, n, wait_ms, f, &d) != TB_OK && !f->how[0])
			snprintf(f->how, sizeof f->how, "failed: %s", d.msg);
	} else if (!f->how[0])
		snprintf(f->how, sizeof f->how, "not run");
	size_t added = 0, refused = 0;
	for (size_t i = 0; i < ndeclared; i++) {
		struct tb_addr a = declared[i];
		if (tb_addr_is_link_local(&a))
			a.scope_id = n->scope ? n->scope->zone : 0;
		if (tb_net6_found_add(f, n->scope, &a, TB_NET6_DECLARED) < 0)
			refused++;
		else
			added++;
	}
	size_t len = strlen(f->how);
	if (ndeclared)
		snprintf(f->how + len, sizeof f->how - len,
			 "; dut.address6: %zu declared, %zu kept, %zu refused as outside the scope",
			 ndeclared, added, refused);
}

void tb_net6_found_describe(const struct tb_net6_found *f, char *out, size_t cap)
{
	size_t used = 0;
	if (cap == 0)
		return;
	snprintf(out, cap, "none");
	for (size_t i = 0; i < f->n; i++) {
		char a[TB_ADDR_TEXT];
		tb_addr_format(&f->addr[i], a);
		unsigned o = f->origin[i];
		int w = snprintf(out + used, cap - used, "%s%s (%s%s%s)", i ? ", " : "", a,
				 o & TB_NET6_DISCOVERED ? "discovered" : "",
				 (o & TB_NET6_DISCOVERED) && (o & TB_NET6_DECLARED) ? ", " : "",
				 o & TB_NET6_DECLARED ? "declared" : "");
		if (w < 0 || (size_t)w >= cap - used)
			return; /* truncated, still terminated */
		used += (size_t)w;
	}
}
