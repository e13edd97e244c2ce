/* net.h: the harness's only way to reach a device.
 *
 * Every connection goes through tb_net_connect_start(), which refuses any
 * address outside the profile's lab scope and takes a token from the run's
 * global rate limit.  Every read and write has a deadline.
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
};

void tb_net_init(struct tb_net *n, const struct tb_scope *scope, long rate, int connect_timeout_ms);

/* Microseconds until a connection token is available (0: one is available now). */
int64_t tb_net_rate_wait_us(struct tb_net *n);

/* Start a non-blocking TCP connect to addr:port (host byte order).  Waits
 * for a rate token first.  On TB_OK *fd is a non-blocking socket whose
 * connect is complete or in progress.  TB_E_SCOPE when addr is outside the
 * scope (nothing is sent), TB_E_IO on a local failure. */
TB_WUR enum tb_err tb_net_connect_start(struct tb_net *n, uint32_t addr, uint16_t port, int *fd,
					struct tb_diag *d);
/* Finish a connect started above: 0 connected, else the socket error. */
int tb_net_connect_result(int fd);
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

#endif
