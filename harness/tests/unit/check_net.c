/* check_net.c: the connect path refuses targets outside the lab scope before
 * sending anything, honours deadlines, and the rate limit holds back
 * connections.  Uses loopback only. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpc.h"
#include "net.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

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
	struct tb_http_res r;
	tb_net_init(&n, &scope, 1000, 200);
	struct tb_http_req rq = { .addr = IP(198, 18, 9, 9), .port = 80, .path = "/", .timeout_ms = 200 };
	tb_http_get(&n, &rq, &r);
	ck_assert_int_eq(r.err, TB_E_SCOPE);
	ck_assert_uint_eq(n.connects, 0);
	tb_http_res_free(&r);
}
END_TEST

START_TEST(http_client_refuses_a_request_path_with_line_breaks)
{
	struct tb_net n;
	struct tb_http_res r;
	tb_net_init(&n, &scope, 1000, 200);
	struct tb_http_req rq = { .addr = IP(127, 0, 0, 1), .port = 80, .path = "/x\r\nHost: evil",
				  .timeout_ms = 200 };
	tb_http_get(&n, &rq, &r);
	ck_assert_int_eq(r.err, TB_E_CONFIG);
	ck_assert_uint_eq(n.connects, 0);
	tb_http_res_free(&r);
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

Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, out_of_scope_is_refused_before_sending);
	tcase_add_test(tc, http_client_goes_through_the_scope);
	tcase_add_test(tc, http_client_refuses_a_request_path_with_line_breaks);
	tcase_add_test(tc, connect_refused_and_silent_peer_deadline);
	tcase_add_test(tc, rate_limit_holds_back_after_the_burst);
	suite_add_tcase(s, tc);
	return s;
}
