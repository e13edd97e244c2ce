/* net.h: the harness's only way to reach a device.
 *
 * Every connection goes through tb_net_connect_start(), and every SYN of the
 * raw sweep through tb_net_raw_send(_many); both refuse any address outside
 * the profile's lab scope and take a token from the run's global rate limit.
 * Every read and write has a deadline.
 */
#ifndef TB_NET_H
#define TB_NET_H

#include <stddef.h>
#include <stdint.h>

#include "base/clock.h" /* deadlines are tb_now_ms() values */
#include "base/tb.h"
#include "net/scope.h"

struct tb_net {
	const struct tb_scope *scope;
	double rate;   /* new connections per second */
	double tokens; /* token bucket */
	double burst;
	int64_t last_us;
	int connect_timeout_ms;
	unsigned long connects;       /* attempts made */
	unsigned long scope_refusals; /* attempts refused for being out of scope */
	/* The raw TCP socket of the SYN sweep (tb_net_open_raw), opened while
	 * the run still holds CAP_NET_RAW; have_raw 0: none, raw_note says why. */
	int have_raw;
	int raw_fd;
	char raw_note[200];
};

void tb_net_init(struct tb_net *n, const struct tb_scope *scope, long rate, int connect_timeout_ms);

/* Microseconds until a connection token is available (0: one is available now). */
int64_t tb_net_rate_wait_us(struct tb_net *n);
/* Take one token from the rate limit, sleeping until one is available.
 * For senders other than the TCP connect path (UDP
 * probes, net/udp.c): every packet to the device counts against one limit. */
void tb_net_take_token(struct tb_net *n);
/* Count a connection attempt / a scope refusal (safe from several threads:
 * the rate limit and these counters are shared by the credential phase's
 * workers). */
void tb_net_count_connect(struct tb_net *n);
void tb_net_count_refusal(struct tb_net *n);

/* Start a non-blocking TCP connect to addr:port (host byte order).  Waits
 * for a rate token first.  On TB_OK *fd is a non-blocking socket whose
 * connect is complete or in progress.  TB_E_SCOPE when addr is outside the
 * scope (nothing is sent), TB_E_IO on a local failure. */
TB_WUR enum tb_err tb_net_connect_start(struct tb_net *n, uint32_t addr, uint16_t port, int *fd,
					struct tb_diag *d);
/* The same on *fd when it is >= 0: a socket whose previous connect failed
 * (as tb_net_connect_poll reported) starts another, which spares a sweep a
 * socket() and a close() per closed port.  *fd is closed on failure. */
TB_WUR enum tb_err tb_net_connect_reuse(struct tb_net *n, uint32_t addr, uint16_t port, int *fd,
					struct tb_diag *d);
/* Finish a connect started above: 0 connected, else the socket error. */
int tb_net_connect_result(int fd);
/* Ask a connect to addr:port started above how it stands, without waiting:
 * 0 connected, EALREADY still under way, else its error (ECONNREFUSED: the
 * port is closed), after which fd may start another connect. */
int tb_net_connect_poll(int fd, uint32_t addr, uint16_t port);
/* Connect with the profile's connect timeout.  TB_OK, TB_E_SCOPE,
 * TB_E_REFUSED, TB_E_TIMEOUT or TB_E_IO; *fd is -1 unless TB_OK. */
TB_WUR enum tb_err tb_net_connect(struct tb_net *n, uint32_t addr, uint16_t port, int *fd,
				  struct tb_diag *d);
/* Send all of buf before deadline_ms (tb_now_ms() clock).  The deadline is
 * checked before every send, not only when one would block. */
TB_WUR enum tb_err tb_net_send_all(int fd, const void *buf, size_t len, int64_t deadline_ms);
/* Wait until readable or the deadline, then read at most cap bytes.
 * TB_OK with *got == 0 means the peer closed.  TB_E_TIMEOUT at the deadline,
 * also when bytes are waiting: a device that never stops sending must not
 * keep a caller's loop alive past its deadline. */
TB_WUR enum tb_err tb_net_recv(int fd, void *buf, size_t cap, size_t *got, int64_t deadline_ms);
void tb_net_close(int *fd);

/* The run's stop flag.  tb_net_request_stop() is async-signal-safe (the
 * runner's SIGINT/SIGTERM handler calls it).  Once set, every wait and every
 * read or write here returns TB_E_TIMEOUT as if its deadline had passed, and
 * loops over device bytes elsewhere check tb_net_deadline_passed(). */
void tb_net_request_stop(void);
int tb_net_stop_requested(void);
void tb_net_clear_stop(void);
/* 1 when deadline_ms (tb_now_ms() clock) has passed or a stop was requested. */
int tb_net_deadline_passed(int64_t deadline_ms);
/* Longest single poll() while waiting: a stop request is seen within this
 * even if its signal arrived just before the poll started. */
#define TB_NET_POLL_SLICE_MS 100
/* Close an established connection with a reset (no TIME_WAIT). */
void tb_net_abortive_close(int fd);

/* Open the raw TCP socket a SYN sweep of dut sends and reads through.
 * Call before privileges are dropped (run/runner.c does, before the
 * capture): without CAP_NET_RAW it fails, n->raw_note says why, and the
 * sweep falls back to connect().  The socket is tied to dut (replies from
 * anywhere else never reach it) and hears nothing until tb_net_raw_listen.
 * TB_E_SCOPE (nothing opened) when dut is outside the scope. */
enum tb_err tb_net_open_raw(struct tb_net *n, uint32_t dut, struct tb_diag *d);
void tb_net_close_raw(struct tb_net *n);
/* Let the raw socket hear the device (on 1) or nothing (on 0): it is open
 * for the whole run but only a sweep wants its packets. */
void tb_net_raw_listen(struct tb_net *n, int on);
/* Send one TCP segment (header included, checksum filled by the caller) to
 * addr through the raw socket: the scope check and a rate token first, as
 * for a connect.  TB_E_SCOPE (nothing sent), TB_E_IO (no raw socket, or the
 * kernel refused: d says why; ENOBUFS is TB_E_TOOBIG, worth a retry). */
TB_WUR enum tb_err tb_net_raw_send(struct tb_net *n, uint32_t addr, uint16_t port, const void *seg,
				   size_t len, struct tb_diag *d);
/* The same for count segments of len bytes each (segs[i * len], to port
 * ports[i]) in one system call: every one passes the scope check and takes
 * a token first.  *sent counts those the kernel took, a prefix of the batch;
 * TB_E_TOOBIG when it took fewer (its queue was full: retry the rest). */
TB_WUR enum tb_err tb_net_raw_send_many(struct tb_net *n, uint32_t addr, const uint16_t *ports,
					const uint8_t *segs, size_t len, size_t count, size_t *sent,
					struct tb_diag *d);

#endif
