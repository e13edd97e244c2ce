/* net.c: scoped, rate-limited, deadline-bound TCP (see net.h). */
#define _GNU_SOURCE /* sendmmsg */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

/* Set from a signal handler, read everywhere: see net.h. */
static volatile sig_atomic_t stop_flag;

void tb_net_request_stop(void)
{
	stop_flag = 1;
}

int tb_net_stop_requested(void)
{
	return stop_flag != 0;
}

void tb_net_clear_stop(void)
{
	stop_flag = 0;
}

int tb_net_deadline_passed(int64_t deadline_ms)
{
	return stop_flag || tb_now_ms() >= deadline_ms;
}

void tb_net_init(struct tb_net *n, const struct tb_scope *scope, long rate, int connect_timeout_ms)
{
	memset(n, 0, sizeof *n);
	n->scope = scope;
	n->rate = rate > 0 ? (double)rate : 1.0;
	/* A small burst keeps the limit honest over any 50 ms window. */
	n->burst = n->rate / 20.0 < 1.0 ? 1.0 : n->rate / 20.0;
	n->tokens = n->burst;
	n->last_us = tb_now_us();
	n->connect_timeout_ms = connect_timeout_ms > 0 ? connect_timeout_ms : 1000;
	n->raw_fd = -1;
	snprintf(n->raw_note, sizeof n->raw_note, "no raw socket was opened");
}

/* The token bucket is shared by the credential phase's worker threads (one
 * per login interface, check/credphase.c): every read and change of it
 * happens under this lock, never while sleeping. */
static pthread_mutex_t rate_mu = PTHREAD_MUTEX_INITIALIZER;

static void refill(struct tb_net *n)
{
	int64_t now = tb_now_us();
	n->tokens += (double)(now - n->last_us) * n->rate / 1e6;
	if (n->tokens > n->burst)
		n->tokens = n->burst;
	n->last_us = now;
}

static int64_t rate_wait_locked(struct tb_net *n)
{
	refill(n);
	if (n->tokens >= 1.0)
		return 0;
	return (int64_t)((1.0 - n->tokens) * 1e6 / n->rate) + 1;
}

int64_t tb_net_rate_wait_us(struct tb_net *n)
{
	pthread_mutex_lock(&rate_mu);
	int64_t wait = rate_wait_locked(n);
	pthread_mutex_unlock(&rate_mu);
	return wait;
}

static void take_token(struct tb_net *n)
{
	for (;;) {
		pthread_mutex_lock(&rate_mu);
		int64_t wait = rate_wait_locked(n);
		if (wait == 0)
			n->tokens -= 1.0;
		pthread_mutex_unlock(&rate_mu);
		if (wait == 0)
			return;
		struct timespec ts = { .tv_sec = wait / 1000000, .tv_nsec = (wait % 1000000) * 1000 };
		nanosleep(&ts, NULL);
	}
}

void tb_net_count_connect(struct tb_net *n)
{
	__atomic_add_fetch(&n->connects, 1, __ATOMIC_RELAXED);
}

void tb_net_count_refusal(struct tb_net *n)
{
	__atomic_add_fetch(&n->scope_refusals, 1, __ATOMIC_RELAXED);
}

/* What every probe passes before a packet leaves: the stop flag, the
 * scope (a refusal is counted, nothing is sent) and a rate token. */
static enum tb_err permit_probe(struct tb_net *n, uint32_t addr, uint16_t port, struct tb_diag *d)
{
	char text[16];
	if (stop_flag)
		return tb_diag_set(d, TB_E_TIMEOUT, "not connected: the run was interrupted");
	if (!tb_scope_contains(n->scope, addr)) {
		tb_net_count_refusal(n);
		tb_ipv4_format(addr, text);
		return tb_diag_set(d, TB_E_SCOPE, "refused to connect to %s:%u: outside the lab scope",
				   text, port);
	}
	take_token(n);
	tb_net_count_connect(n);
	return TB_OK;
}

enum tb_err tb_net_connect_start(struct tb_net *n, uint32_t addr, uint16_t port, int *fd,
				 struct tb_diag *d)
{
	*fd = -1;
	return tb_net_connect_reuse(n, addr, port, fd, d);
}

enum tb_err tb_net_connect_reuse(struct tb_net *n, uint32_t addr, uint16_t port, int *fd,
				 struct tb_diag *d)
{
	int s = *fd;
	*fd = -1;
	enum tb_err e = permit_probe(n, addr, port, d);
	if (e) {
		if (s >= 0)
			close(s);
		return e;
	}
	if (s < 0)
		s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tb_diag_set(d, TB_E_IO, "socket: %s", strerror(errno));
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
		int err = errno;
		close(s);
		if (err == ECONNREFUSED)
			return tb_diag_set(d, TB_E_REFUSED, "connection refused");
		if (err == EAGAIN || err == EADDRNOTAVAIL)
			return tb_diag_set(d, TB_E_IO, "connect: %s (local ports exhausted?)",
					   strerror(err));
		return tb_diag_set(d, TB_E_IO, "connect: %s", strerror(err));
	}
	*fd = s;
	return TB_OK;
}

void tb_net_abortive_close(int fd)
{
	/* RST instead of FIN: no TIME_WAIT left behind by a sweep that opens
	 * tens of thousands of connections. */
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}

int tb_net_connect_poll(int fd, uint32_t addr, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	/* Linux: connect() on a socket whose connect is under way reports
	 * EALREADY while it is, 0 once connected, and its error once failed,
	 * leaving the socket ready for another connect. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return 0;
	return errno == EISCONN ? 0 : errno;
}

int tb_net_connect_result(int fd)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return errno;
	return err;
}

/* 1 when fd is ready, 0 at the deadline or on a stop request, -1 on error. */
static int poll_until(int fd, short events, int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - tb_now_ms();
		if (left <= 0 || stop_flag)
			return 0;
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, left > TB_NET_POLL_SLICE_MS ? TB_NET_POLL_SLICE_MS : (int)left);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

enum tb_err tb_net_connect(struct tb_net *n, uint32_t addr, uint16_t port, int *fd, struct tb_diag *d)
{
	int s;
	enum tb_err e = tb_net_connect_start(n, addr, port, &s, d);
	*fd = -1;
	if (e)
		return e;
	int r = poll_until(s, POLLOUT, tb_now_ms() + n->connect_timeout_ms);
	if (r == 0) {
		close(s);
		if (stop_flag)
			return tb_diag_set(d, TB_E_TIMEOUT,
					   "connect abandoned: the run was interrupted");
		return tb_diag_set(d, TB_E_TIMEOUT, "no answer to connect within %d ms",
				   n->connect_timeout_ms);
	}
	int err = r < 0 ? errno : tb_net_connect_result(s);
	if (err) {
		close(s);
		return tb_diag_set(d, err == ECONNREFUSED ? TB_E_REFUSED : TB_E_IO, "connect: %s",
				   strerror(err));
	}
	int one = 1;
	(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*fd = s;
	return TB_OK;
}

enum tb_err tb_net_send_all(int fd, const void *buf, size_t len, int64_t deadline_ms)
{
	const uint8_t *p = buf;
	while (len > 0) {
		/* A device that keeps its window open forever still meets the deadline. */
		if (tb_net_deadline_passed(deadline_ms))
			return TB_E_TIMEOUT;
		ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return errno == ECONNRESET || errno == EPIPE ? TB_E_REFUSED : TB_E_IO;
		int r = poll_until(fd, POLLOUT, deadline_ms);
		if (r == 0)
			return TB_E_TIMEOUT;
		if (r < 0)
			return TB_E_IO;
	}
	return TB_OK;
}

enum tb_err tb_net_recv(int fd, void *buf, size_t cap, size_t *got, int64_t deadline_ms)
{
	*got = 0;
	for (;;) {
		/* Checked before reading, not only when a read must wait: the
		 * caller loops while bytes keep coming, and a device that streams
		 * without end would otherwise hold it forever. */
		if (tb_net_deadline_passed(deadline_ms))
			return TB_E_TIMEOUT;
		ssize_t r = recv(fd, buf, cap, 0);
		if (r >= 0) {
			*got = (size_t)r;
			return TB_OK;
		}
		if (errno == ECONNRESET)
			return TB_E_REFUSED;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return TB_E_IO;
		int p = poll_until(fd, POLLIN, deadline_ms);
		if (p == 0)
			return TB_E_TIMEOUT;
		if (p < 0)
			return TB_E_IO;
	}
}

void tb_net_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Exported for net/udp.c (see net.h): the same bucket as the connects. */
void tb_net_take_token(struct tb_net *n)
{
	take_token(n);
}

/* A socket filter that keeps no packet: the raw socket is opened early but
 * must not queue the whole run's traffic. */
static int raw_filter(int fd, int keep)
{
	struct sock_filter insn = { .code = BPF_RET | BPF_K, .k = keep ? 0xffffu : 0 };
	struct sock_fprog prog = { .len = 1, .filter = &insn };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

enum tb_err tb_net_open_raw(struct tb_net *n, uint32_t dut, struct tb_diag *d)
{
	char text[16];
	if (n->have_raw)
		return TB_OK;
	if (!tb_scope_contains(n->scope, dut)) {
		tb_ipv4_format(dut, text);
		snprintf(n->raw_note, sizeof n->raw_note, "no raw socket: %s is outside the lab scope",
			 text);
		return tb_diag_set(d, TB_E_SCOPE, "%s", n->raw_note);
	}
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		snprintf(n->raw_note, sizeof n->raw_note, "no raw socket (needs CAP_NET_RAW): %s",
			 strerror(errno));
		return tb_diag_set(d, TB_E_IO, "%s", n->raw_note);
	}
	/* Deaf until a sweep; then a deep queue for 65535 replies arriving at
	 * line rate (FORCE needs CAP_NET_ADMIN, which we still hold here). */
	int rcv = 8 << 20;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dut) };
	if (raw_filter(fd, 0) != 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(n->raw_note, sizeof n->raw_note, "no raw socket: %s", strerror(errno));
		close(fd);
		return tb_diag_set(d, TB_E_IO, "%s", n->raw_note);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) != 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
	n->raw_fd = fd;
	n->have_raw = 1;
	snprintf(n->raw_note, sizeof n->raw_note, "raw socket open");
	return TB_OK;
}

void tb_net_close_raw(struct tb_net *n)
{
	if (n->have_raw)
		close(n->raw_fd);
	n->raw_fd = -1;
	n->have_raw = 0;
}

void tb_net_raw_listen(struct tb_net *n, int on)
{
	if (n->have_raw)
		(void)raw_filter(n->raw_fd, on);
}

enum tb_err tb_net_raw_send(struct tb_net *n, uint32_t addr, uint16_t port, const void *seg, size_t len,
			    struct tb_diag *d)
{
	if (!n->have_raw)
		return tb_diag_set(d, TB_E_IO, "%s", n->raw_note);
	enum tb_err e = permit_probe(n, addr, port, d);
	if (e)
		return e;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(addr) };
	if (sendto(n->raw_fd, seg, len, 0, (struct sockaddr *)&sa, sizeof sa) == (ssize_t)len)
		return TB_OK;
	int err = errno;
	if (err == ENOBUFS || err == EAGAIN)
		return tb_diag_set(d, TB_E_TOOBIG, "raw send to port %u: %s", port, strerror(err));
	return tb_diag_set(d, TB_E_IO, "raw send to port %u: %s", port, strerror(err));
}

/* Batches larger than this are sent in several calls. */
#define RAW_BATCH_MAX 64

enum tb_err tb_net_raw_send_many(struct tb_net *n, uint32_t addr, const uint16_t *ports,
				 const uint8_t *segs, size_t len, size_t count, size_t *sent,
				 struct tb_diag *d)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(addr) };
	struct mmsghdr m[RAW_BATCH_MAX];
	struct iovec iov[RAW_BATCH_MAX];
	*sent = 0;
	if (!n->have_raw)
		return tb_diag_set(d, TB_E_IO, "%s", n->raw_note);
	while (*sent < count) {
		size_t k = 0, base = *sent;
		for (; k < RAW_BATCH_MAX && base + k < count; k++) {
			enum tb_err e = permit_probe(n, addr, ports[base + k], d);
			if (e)
				return e; /* the earlier ones were sent: *sent says so */
			iov[k] = (struct iovec){ .iov_base = (void *)(segs + (base + k) * len),
						 .iov_len = len };
			m[k] = (struct mmsghdr){ .msg_hdr = { .msg_name = &sa,
							      .msg_namelen = sizeof sa,
							      .msg_iov = &iov[k],
							      .msg_iovlen = 1 } };
		}
		int r = sendmmsg(n->raw_fd, m, (unsigned)k, 0);
		if (r > 0)
			*sent += (size_t)r;
		if (r == (int)k)
			continue;
		int err = r < 0 ? errno : ENOBUFS;
		if (r >= 0 || err == ENOBUFS || err == EAGAIN)
			return tb_diag_set(d, TB_E_TOOBIG, "raw send: %s", strerror(err));
		return tb_diag_set(d, TB_E_IO, "raw send: %s", strerror(err));
	}
	return TB_OK;
}
