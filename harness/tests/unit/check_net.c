/* check_net.c: the connect path refuses targets outside the lab scope before
 * sending anything, honours deadlines, and the rate limit holds back
 * connections.  Uses loopback only. */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "net/httpc.h"
#include "net/net.h"
#include "proto/p_telnet.h"
#include "suites.h"

#define IP(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct tb_cidr loop_only = { .net = IP(127, 0, 0, 1), .prefix = 32 };
static struct tb_scope scope = { .v = &loop_only, .n = 1 };

/* A listening loopback socket; returns its fd and port. */
static int listen_loopback(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(IP(127, 0, 0, 1)) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

START_TEST(out_of_scope_is_refused_before_sending)
{
	struct tb_net n;
	struct tb_diag d = { 0 };
	int fd = 5;
	tb_net_init(&n, &scope, 1000, 200);
	ck_assert_int_eq(tb_net_connect_start(&n, IP(198, 18, 1, 10), 23, &fd, &d), TB_E_SCOPE);
	ck_assert_int_eq(fd, -1);
	ck_assert_uint_eq(n.scope_refusals, 1);
	ck_assert_uint_eq(n.connects, 0);
	ck_assert_ptr_nonnull(strstr(d.msg, "outside the lab scope"));
	ck_assert_int_eq(tb_net_connect(&n, IP(127, 0, 0, 2), 80, &fd, &d), TB_E_SCOPE);
	ck_assert_uint_eq(n.scope_refusals, 2);
}
END_TEST

START_TEST(http_client_goes_through_the_scope)
{
	struct tb_net n;
	struct tb_http_exchange r;
	tb_net_init(&n, &scope, 1000, 200);
	struct tb_http_req rq = { .addr = IP(198, 18, 9, 9),
				  .port = 80,
				  .path = "/",
				  .timeout_ms = 200 };
	tb_http_get(&n, &rq, &r);
	ck_assert_int_eq(r.err, TB_E_SCOPE);
	ck_assert_uint_eq(n.connects, 0);
	tb_http_exchange_free(&r);
}
END_TEST

START_TEST(http_client_refuses_a_request_path_with_line_breaks)
{
	struct tb_net n;
	struct tb_http_exchange r;
	tb_net_init(&n, &scope, 1000, 200);
	struct tb_http_req rq = { .addr = IP(127, 0, 0, 1),
				  .port = 80,
				  .path = "/x\r\nHost: evil",
				  .timeout_ms = 200 };
	tb_http_get(&n, &rq, &r);
	ck_assert_int_eq(r.err, TB_E_CONFIG);
	ck_assert_uint_eq(n.connects, 0);
	tb_http_exchange_free(&r);
}
END_TEST

START_TEST(connect_refused_and_silent_peer_deadline)
{
	struct tb_net n;
	struct tb_diag d = { 0 };
	uint16_t port;
	int fd;
	tb_net_init(&n, &scope, 1000, 500);
	int ls = listen_loopback(&port);
	ck_assert_int_eq(tb_net_connect(&n, IP(127, 0, 0, 1), port, &fd, &d), TB_OK);
	uint8_t buf[16];
	size_t got = 1;
	/* The peer never writes: the read ends at its deadline, not later. */
	ck_assert_int_eq(tb_net_recv(fd, buf, sizeof buf, &got, tb_now_ms() + 50), TB_E_TIMEOUT);
	ck_assert_uint_eq(got, 0);
	tb_net_close(&fd);
	ck_assert_int_eq(fd, -1);
	close(ls);
	/* Nothing listens there any more. */
	ck_assert_int_eq(tb_net_connect(&n, IP(127, 0, 0, 1), port, &fd, &d), TB_E_REFUSED);
}
END_TEST

START_TEST(rate_limit_holds_back_after_the_burst)
{
	struct tb_net n;
	tb_net_init(&n, &scope, 20, 200); /* burst of 1 at 20/s */
	ck_assert_int_eq(tb_net_rate_wait_us(&n), 0);
	n.tokens -= 1.0; /* what a connect takes */
	ck_assert_int_gt(tb_net_rate_wait_us(&n), 0);
}
END_TEST

/* A child that writes head, then filler bytes without end, to fd until the
 * other side goes away.  Returns its pid. */
static pid_t stream_forever(int fd, const uint8_t *head, size_t hlen, uint8_t filler)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		uint8_t buf[4096];
		memset(buf, filler, sizeof buf);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); /* wait while the reader lags */
		if (send(fd, head, hlen, MSG_NOSIGNAL) < 0)
			_exit(0);
		while (send(fd, buf, sizeof buf, MSG_NOSIGNAL) > 0)
			;
		_exit(0);
	}
	return pid;
}

/* Issue 9: a telnet device that opens IAC SB and streams without end kept a
 * read loop alive as long as it streamed, because the deadline was only
 * checked when a read had to wait.  The loop below is the shape of every
 * read loop over device bytes: read while bytes come, filter, repeat. */
START_TEST(endless_iac_sb_stream_ends_at_the_deadline)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	static const uint8_t sb[] = { 255, 250, 24 }; /* IAC SB TERMINAL-TYPE, never IAC SE */
	pid_t pid = stream_forever(sv[1], sb, sizeof sb, 'x');
	close(sv[1]);
	struct tb_telnet_state st;
	tb_p_telnet_init(&st);
	int64_t t0 = tb_now_ms(), deadline = t0 + 300;
	uint8_t in[2048], data[2048], reply[2048];
	size_t got, dlen, rlen, total = 0;
	enum tb_err e;
	while ((e = tb_net_recv(sv[0], in, sizeof in, &got, deadline)) == TB_OK && got > 0) {
		ck_assert_int_eq(tb_p_telnet_filter(&st, in, got, data, sizeof data, &dlen, reply,
						    sizeof reply, &rlen),
				 TB_OK);
		total += got;
		usleep(1000); /* the reader is the slower side: bytes are always waiting */
		if (tb_now_ms() - t0 > 5000)
			break; /* the old behaviour: still reading; fail below, do not hang */
	}
	int64_t took = tb_now_ms() - t0;
	close(sv[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(e, TB_E_TIMEOUT);
	ck_assert_uint_gt(total, 0);
	ck_assert_int_lt(took, 600); /* within twice the deadline */
}
END_TEST

/* The same for writes: a peer that keeps reading must not keep a long send
 * alive past its deadline. */
START_TEST(send_all_checks_its_deadline_while_the_peer_reads)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	ck_assert_int_eq(tb_net_send_all(sv[0], "x", 1, tb_now_ms() - 1), TB_E_TIMEOUT);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

static void stop_on_alarm(int sig)
{
	(void)sig;
	tb_net_request_stop();
}

/* SIGINT/SIGTERM end a run within a second: the runner's handler sets the
 * stop flag, and every wait in net.c treats it as a passed deadline. */
START_TEST(stop_request_ends_waits_reads_and_connects)
{
	struct tb_net n;
	struct tb_diag d = { 0 };
	uint16_t port;
	int fd;
	tb_net_clear_stop();
	tb_net_init(&n, &scope, 1000, 500);
	int ls = listen_loopback(&port);
	ck_assert_int_eq(tb_net_connect(&n, IP(127, 0, 0, 1), port, &fd, &d), TB_OK);
	/* A silent peer and a 10 s deadline: a signal 200 ms in ends the wait. */
	struct sigaction sa = { .sa_handler = stop_on_alarm };
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	struct itimerval it = { .it_value = { .tv_sec = 0, .tv_usec = 200000 } };
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	int64_t t0 = tb_now_ms();
	uint8_t buf[16];
	size_t got = 1;
	ck_assert_int_eq(tb_net_recv(fd, buf, sizeof buf, &got, t0 + 10000), TB_E_TIMEOUT);
	ck_assert_int_lt(tb_now_ms() - t0, 1000);
	ck_assert(tb_net_stop_requested());
	ck_assert(tb_net_deadline_passed(t0 + 3600 * 1000));
	/* Bytes waiting make no difference once stopped. */
	int peer = accept(ls, NULL, NULL);
	ck_assert_int_ge(peer, 0);
	ck_assert_int_eq(write(peer, "abc", 3), 3);
	usleep(20000);
	ck_assert_int_eq(tb_net_recv(fd, buf, sizeof buf, &got, t0 + 10000), TB_E_TIMEOUT);
	ck_assert_int_eq(tb_net_send_all(fd, "x", 1, t0 + 10000), TB_E_TIMEOUT);
	/* No new connection once stopped. */
	unsigned long before = n.connects;
	int fd2;
	ck_assert_int_eq(tb_net_connect(&n, IP(127, 0, 0, 1), port, &fd2, &d), TB_E_TIMEOUT);
	ck_assert_int_eq(fd2, -1);
	ck_assert_uint_eq(n.connects, before);
	ck_assert_ptr_nonnull(strstr(d.msg, "interrupted"));
	tb_net_clear_stop();
	ck_assert(!tb_net_stop_requested());
	ck_assert_int_eq(tb_net_recv(fd, buf, sizeof buf, &got, tb_now_ms() + 500), TB_OK);
	ck_assert_uint_eq(got, 3);
	tb_net_close(&fd);
	close(peer);
	close(ls);
}
END_TEST

Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, out_of_scope_is_refused_before_sending);
	tcase_add_test(tc, http_client_goes_through_the_scope);
	tcase_add_test(tc, http_client_refuses_a_request_path_with_line_breaks);
	tcase_add_test(tc, connect_refused_and_silent_peer_deadline);
	tcase_add_test(tc, rate_limit_holds_back_after_the_burst);
	tcase_add_test(tc, endless_iac_sb_stream_ends_at_the_deadline);
	tcase_add_test(tc, send_all_checks_its_deadline_while_the_peer_reads);
	tcase_add_test(tc, stop_request_ends_waits_reads_and_connects);
	suite_add_tcase(s, tc);
	return s;
}
