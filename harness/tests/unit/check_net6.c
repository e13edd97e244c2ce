/* check_net6.c: IPv6 connects refuse targets outside the lab scope before
 * sending anything, IPv4-mapped targets are judged as IPv4, and discovery
 * keeps only in-scope echo repliers.  Uses loopback (::1, 127.0.0.1) only. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net6.h"
#include "suites.h"

/* A listening socket on ::1 (family AF_INET6) or 127.0.0.1; fd and port. */
static int listen_on(int family, uint16_t *port)
{
	int s = socket(family, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	if (family == AF_INET6) {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
					   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		socklen_t len = sizeof sa;
		ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
		ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
		*port = ntohs(sa.sin6_port);
	} else {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
		socklen_t len = sizeof sa;
		ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
		ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
		*port = ntohs(sa.sin_port);
	}
	ck_assert_int_eq(listen(s, 8), 0);
	return s;
}

/* 1 when a connection is waiting on the listener within ms. */
static int connection_arrives(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	return poll(&p, 1, ms) > 0;
}

static struct tb_addr addr(const char *s)
{
	struct tb_addr a;
	ck_assert_msg(tb_addr_parse(s, &a) == 0, "'%s' refused", s);
	return a;
}

static struct tb_cidr6 cidr6(const char *s)
{
	struct tb_cidr6 c;
	struct tb_diag d;
	ck_assert_msg(tb_cidr6_parse(s, &c, &d) == TB_OK, "%s: %s", s, d.msg);
	return c;
}

START_TEST(connect_out_of_scope_sends_nothing)
{
	/* A listener on ::1, but the scope does not name ::1. */
	struct tb_cidr6 lab = cidr6("2001:2:0:1::/64");
	struct tb_scope sc = { .v6 = &lab, .n6 = 1 };
	struct tb_net n;
	struct tb_diag d = { 0 };
	uint16_t port;
	int lfd = listen_on(AF_INET6, &port), fd = 7;
	tb_net_init(&n, &sc, 1000, 200);
	double tokens = n.tokens;
	struct tb_addr a = addr("::1");
	ck_assert_int_eq(tb_net6_connect_start(&n, &a, port, &fd, &d), TB_E_SCOPE);
	ck_assert_int_eq(fd, -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "refused to connect to [::1]"));
	ck_assert_ptr_nonnull(strstr(d.msg, "outside the lab scope"));
	ck_assert_int_eq(tb_net6_connect(&n, &a, port, &fd, &d), TB_E_SCOPE);
	ck_assert_int_eq(fd, -1);
	ck_assert_uint_eq(n.scope_refusals, 2);
	ck_assert_uint_eq(n.connects, 0);
	ck_assert(n.tokens >= tokens); /* no rate token taken either */
	ck_assert(!connection_arrives(lfd, 200));
	/* The documentation prefix and a global address: refused the same way. */
	a = addr("2001:db8::10");
	ck_assert_int_eq(tb_net6_connect(&n, &a, 80, &fd, &d), TB_E_SCOPE);
	a = addr("2606:4700::1111");
	ck_assert_int_eq(tb_net6_connect(&n, &a, 80, &fd, &d), TB_E_SCOPE);
	a = addr("2001:2:0:2::10"); /* the lab's range, but not this scope */
	ck_assert_int_eq(tb_net6_connect(&n, &a, 80, &fd, &d), TB_E_SCOPE);
	ck_assert_uint_eq(n.scope_refusals, 5);
	ck_assert_uint_eq(n.connects, 0);
	close(lfd);
}
END_TEST

START_TEST(connect_loopback6_when_named)
{
	struct tb_cidr6 v[2] = { cidr6("2001:2::/48"), cidr6("::1") };
	struct tb_scope sc = { .v6 = v, .n6 = 2 };
	struct tb_net n;
	struct tb_diag d = { 0 };
	uint16_t port;
	int lfd = listen_on(AF_INET6, &port), fd = -1;
	tb_net_init(&n, &sc, 1000, 500);
	struct tb_addr a = addr("::1");
	ck_assert_msg(tb_net6_connect(&n, &a, port, &fd, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(n.connects, 1);
	ck_assert_uint_eq(n.scope_refusals, 0);
	ck_assert(connection_arrives(lfd, 1000));
	int c = accept(lfd, NULL, NULL);
	ck_assert_int_ge(c, 0);
	close(c);
	tb_net_close(&fd);
	/* A closed port: refused, not a timeout. */
	close(lfd);
	ck_assert_int_eq(tb_net6_connect(&n, &a, port, &fd, &d), TB_E_REFUSED);
	ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(v4_mapped_connect_is_judged_as_ipv4)
{
	struct tb_cidr loop4 = { .net = 0x7f000001, .prefix = 32 };
	struct tb_cidr other4 = { .net = 0x7f000002, .prefix = 32 };
	struct tb_cidr6 loop6 = cidr6("::1");
	struct tb_scope v4 = { .v = &loop4, .n = 1 }, wrong4 = { .v = &other4, .n = 1 },
			only6 = { .v6 = &loop6, .n6 = 1 };
	struct tb_net n;
	struct tb_diag d = { 0 };
	uint16_t port;
	int lfd = listen_on(AF_INET, &port), fd = -1;
	/* Held as AF_INET6 bytes on purpose: the connect path must see IPv4. */
	struct tb_addr m = { .family = AF_INET6 };
	inet_pton(AF_INET6, "::ffff:127.0.0.1", m.u.v6);
	tb_net_init(&n, &only6, 1000, 500);
	ck_assert_int_eq(tb_net6_connect(&n, &m, port, &fd, &d), TB_E_SCOPE);
	tb_net_init(&n, &wrong4, 1000, 500);
	ck_assert_int_eq(tb_net6_connect(&n, &m, port, &fd, &d), TB_E_SCOPE);
	ck_assert_uint_eq(n.connects, 0);
	ck_assert(!connection_arrives(lfd, 100));
	tb_net_init(&n, &v4, 1000, 500);
	ck_assert_msg(tb_net6_connect(&n, &m, port, &fd, &d) == TB_OK, "%s", d.msg);
	ck_assert_uint_eq(n.connects, 1);
	tb_net_close(&fd);
	close(lfd);
}
END_TEST

START_TEST(link_local_connect_needs_the_bound_zone)
{
	struct tb_cidr6 ll = cidr6("fe80::/64");
	struct tb_scope sc = { .v6 = &ll, .n6 = 1 };
	struct tb_net n;
	struct tb_diag d = { 0 };
	int fd = -1;
	tb_net_init(&n, &sc, 1000, 200);
	struct tb_addr a = addr("fe80::10%1");
	ck_assert_int_eq(tb_net6_connect_start(&n, &a, 80, &fd, &d), TB_E_SCOPE);
	ck_assert_uint_eq(n.connects, 0);
	ck_assert_uint_eq(n.scope_refusals, 1);
}
END_TEST

/* An ICMPv6 echo reply as the socket returns it (header onward). */
static size_t echo_reply(uint8_t *buf, uint8_t type, uint16_t id, const char *tag)
{
	memset(buf, 0, 64);
	buf[0] = type;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	memcpy(buf + 8, tag, 16);
	return 24;
}

static struct sockaddr_in6 from(const char *s, unsigned zone)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_scope_id = zone };
	ck_assert_int_eq(inet_pton(AF_INET6, s, &sa.sin6_addr), 1);
	return sa;
}

START_TEST(discovery_keeps_only_in_scope_repliers)
{
	static const char tag[16] = "trustbench-nd6\0";
	struct tb_cidr6 v[2] = { cidr6("2001:2:0:1::/64"), cidr6("fe80::/64") };
	struct tb_scope sc = { .v6 = v, .n6 = 2 };
	tb_scope_bind_zone(&sc, 5);
	struct tb_net6_found f;
	memset(&f, 0, sizeof f);
	uint8_t b[64];
	size_t len = echo_reply(b, ICMP6_ECHO_REPLY, 0x1234, tag);
	struct sockaddr_in6 sa = from("2001:2:0:1::10", 0);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), 1);
	sa = from("fe80::10", 5);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), 1);
	/* Outside the scope: counted, shown, never kept. */
	sa = from("2001:db8::66", 0);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), -1);
	sa = from("2001:2:0:2::10", 0);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), -1);
	sa = from("fe80::66", 9); /* link-local on another link */
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), -1);
	ck_assert_uint_eq(f.refused, 3);
	char out[TB_ADDR_TEXT];
	tb_addr_format(&f.refused_shown[0], out);
	ck_assert_str_eq(out, "2001:db8::66");
	/* Not our reply: ignored, not even counted. */
	sa = from("2001:2:0:1::11", 0);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x4321, 1), 0);
	len = echo_reply(b, ICMP6_ECHO_REQUEST, 0x1234, tag);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), 0);
	len = echo_reply(b, ICMP6_ECHO_REPLY, 0x1234, "someone-else's!");
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), 0);
	len = echo_reply(b, ICMP6_ECHO_REPLY, 0x1234, tag);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, 8, 0x1234, 1), 0); /* cut short */
	ck_assert_uint_eq(f.replies, 5);
	/* A datagram socket's identifier is the kernel's: not checked then. */
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x4321, 0), 1);
	ck_assert_uint_eq(f.n, 3);
	tb_addr_format(&f.addr[0], out);
	ck_assert_str_eq(out, "2001:2:0:1::10");
	ck_assert_uint_eq(f.addr[1].scope_id, 5);
	/* The same address twice is one. */
	sa = from("2001:2:0:1::10", 0);
	ck_assert_int_eq(tb_net6_take_reply(&f, &sc, &sa, b, len, 0x1234, 1), 1);
	ck_assert_uint_eq(f.n, 3);
}
END_TEST

START_TEST(declared_addresses_join_the_found)
{
	struct tb_cidr6 v = cidr6("2001:2:0:1::/64");
	struct tb_scope sc = { .v6 = &v, .n6 = 1 };
	struct tb_net6_found f;
	memset(&f, 0, sizeof f);
	struct tb_addr a = addr("2001:2:0:1::10");
	ck_assert_int_eq(tb_net6_found_add(&f, &sc, &a, TB_NET6_DISCOVERED), 1);
	ck_assert_int_eq(tb_net6_found_add(&f, &sc, &a, TB_NET6_DECLARED), 1);
	ck_assert_uint_eq(f.n, 1);
	ck_assert_uint_eq(f.origin[0], TB_NET6_DISCOVERED | TB_NET6_DECLARED);
	a = addr("2001:db8::10");
	ck_assert_int_eq(tb_net6_found_add(&f, &sc, &a, TB_NET6_DECLARED), -1);
	ck_assert_uint_eq(f.n, 1);
	/* Bounded. */
	a = addr("2001:2:0:1::10");
	for (unsigned i = 0; i < TB_NET6_MAX_FOUND + 3; i++) {
		a.u.v6[15] = (uint8_t)(0x20 + i);
		(void)tb_net6_found_add(&f, &sc, &a, TB_NET6_DISCOVERED);
	}
	ck_assert_uint_eq(f.n, TB_NET6_MAX_FOUND);
	ck_assert_uint_gt(f.overflow, 0);
	char text[64];
	tb_net6_found_describe(&f, text, sizeof text);
	ck_assert_msg(strncmp(text, "2001:2:0:1::10 (discovered, declared), 2001:2:0:1::20 (disc",
			      59) == 0,
		      "%s", text);
	ck_assert_uint_eq(strlen(text), 63); /* truncated, terminated */
	memset(&f, 0, sizeof f);
	tb_net6_found_describe(&f, text, sizeof text);
	ck_assert_str_eq(text, "none");
}
END_TEST

START_TEST(discovery_needs_an_ipv6_scope_and_an_interface)
{
	struct tb_cidr loop4 = { .net = 0x7f000001, .prefix = 32 };
	struct tb_scope v4only = { .v = &loop4, .n = 1 };
	struct tb_net n;
	struct tb_diag d = { 0 };
	struct tb_net6_found f;
	memset(&f, 0, sizeof f);
	struct tb_net6_disc s = { .fd = -1 };
	tb_net_init(&n, &v4only, 1000, 200);
	ck_assert_int_eq(tb_net6_discover(&s, &n, 10, &f, &d), TB_E_SCOPE);
	ck_assert_uint_eq(f.pings, 0);
	ck_assert_ptr_nonnull(strstr(f.how, "no IPv6 prefix"));
	/* The loopback alone is no reason to ping the lab link. */
	struct tb_cidr6 lo6 = cidr6("::1");
	struct tb_scope only_lo = { .v6 = &lo6, .n6 = 1 };
	tb_net_init(&n, &only_lo, 1000, 200);
	s.fd = 0; /* "open": the scope must stop it before any send */
	ck_assert_int_eq(tb_net6_discover(&s, &n, 10, &f, &d), TB_E_SCOPE);
	ck_assert_uint_eq(f.pings, 0);
	s.fd = -1;
	ck_assert_int_eq(tb_net6_disc_open(&s, "tb-no-such-if", &d), TB_E_CONFIG);
	ck_assert_int_eq(s.fd, -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "no interface 'tb-no-such-if'"));
	tb_net6_disc_close(&s);
}
END_TEST

Suite *net6_suite(void)
{
	Suite *s = suite_create("net6");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, connect_out_of_scope_sends_nothing);
	tcase_add_test(tc, connect_loopback6_when_named);
	tcase_add_test(tc, v4_mapped_connect_is_judged_as_ipv4);
	tcase_add_test(tc, link_local_connect_needs_the_bound_zone);
	tcase_add_test(tc, discovery_keeps_only_in_scope_repliers);
	tcase_add_test(tc, declared_addresses_join_the_found);
	tcase_add_test(tc, discovery_needs_an_ipv6_scope_and_an_interface);
	suite_add_tcase(s, tc);
	return s;
}
