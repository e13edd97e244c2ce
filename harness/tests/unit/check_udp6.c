/* check_udp6.c: UDP probing over IPv6 (net/udp.c with an IPv6 device, the
 * UDP sweep aimed at an IPv6 address, and the exposure family's IPv6 UDP
 * half): a service bound to ::1 only is found, a closed port is "closed"
 * by ICMPv6, an address outside the scope gets nothing, a datagram from
 * another address is ignored, and a UDP service reachable only over IPv6
 * that is not declared fails 5.6-1-2.  The device is ::1 (in the test
 * scopes as ::1/128); the one test that needs a second address makes it in
 * its own user and network namespace. */
#define _GNU_SOURCE /* unshare */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/chk_udp_exposure_internal.h"
#include "check/ctx.h"
#include "check/family.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net6.h"
#include "net/scope.h"
#include "net/udp.h"
#include "result/result.h"
#include "suites.h"

/* A UDP socket on the IPv6 address text (IPv6 only), on port (0: any);
 * *port gets the port. */
static int udp6_bound(const char *addr, uint16_t want, uint16_t *port)
{
	int s = socket(AF_INET6, SOCK_DGRAM, 0), one = 1;
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(want) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(inet_pton(AF_INET6, addr, &sa.sin6_addr), 1);
	ck_assert_int_eq(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one), 0);
	ck_assert_msg(bind(s, (struct sockaddr *)&sa, sizeof sa) == 0, "bind [%s]:%u: %s", addr, want,
		      strerror(errno));
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin6_port);
	return s;
}

/* An IPv6 loopback port nothing listens on (bound, then closed). */
static uint16_t unused_udp6_port(void)
{
	uint16_t port;
	close(udp6_bound("::1", 0, &port));
	return port;
}

static void send6(int s, uint16_t port, const void *buf, size_t len)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	ck_assert_int_eq(sendto(s, buf, len, 0, (struct sockaddr *)&sa, sizeof sa), (ssize_t)len);
}

static int readable_within(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	return poll(&p, 1, ms) > 0;
}

/* A child answering every datagram on s with 40 bytes, for ms. */
static pid_t responder6(int s, int ms)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid > 0)
		return pid;
	static uint8_t in[2048], out[40];
	memset(out, 'R', sizeof out);
	int64_t end = tb_now_ms() + ms;
	while (tb_now_ms() < end) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		if (!readable_within(s, 20))
			continue;
		if (recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &fl) >= 0)
			(void)sendto(s, out, sizeof out, 0, (struct sockaddr *)&from, fl);
	}
	_exit(0);
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The scope ::1/128 (and 127.0.0.1/32). */
static struct tb_cidr loop4 = { .net = 0x7f000001u, .prefix = 32 };
static struct tb_cidr6 loop6 = { .net = { [15] = 1 }, .prefix = 128 };
static struct tb_scope scope6 = { .v = &loop4, .n = 1, .v6 = &loop6, .n6 = 1 };
static struct tb_scope scope4_only = { .v = &loop4, .n = 1 };

static void addr_of(const char *text, struct tb_addr *a)
{
	ck_assert_msg(tb_addr_parse(text, a) == 0, "%s", text);
}

START_TEST(a_service_bound_to_ipv6_loopback_only_answers)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_addr dut;
	struct tb_diag d = { .msg = "" };
	uint16_t port;
	int svc = udp6_bound("::1", 0, &port);
	pid_t pid = responder6(svc, 5000);
	addr_of("::1", &dut);
	tb_net_init(&n, &scope6, 1000, 200);
	ck_assert_int_eq(tb_udp_open_addr(&u, &n, &dut, &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, port, "ping", 4, &d), TB_OK);
	uint8_t buf[64];
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 2000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_DATA);
	ck_assert_uint_eq(ev.port, port);
	ck_assert_uint_eq(ev.len, 40);
	ck_assert_uint_eq(u.sent, 1);
	ck_assert_uint_eq(u.foreign, 0);
	tb_udp_close(&u);
	stop(pid);
	close(svc);
}
END_TEST

START_TEST(a_closed_ipv6_port_is_closed_by_icmpv6)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_addr dut;
	struct tb_diag d = { .msg = "" };
	uint16_t port = unused_udp6_port();
	addr_of("::1", &dut);
	tb_net_init(&n, &scope6, 1000, 200);
	ck_assert_int_eq(tb_udp_open_addr(&u, &n, &dut, &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, port, "x", 1, &d), TB_OK);
	uint8_t buf[64];
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_UNREACH);
	ck_assert_uint_eq(ev.port, port);
	/* The ICMPv6 rate measurement counts it like ICMP. */
	ck_assert_uint_eq(u.icmp.count, 1);
	ck_assert_uint_eq(u.icmp.burst, 1);
	ck_assert_uint_eq(u.icmp_other, 0);
	/* The pending error the first one left is no send failure. */
	ck_assert_int_eq(tb_udp_send(&u, port, "y", 1, &d), TB_OK);
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_UNREACH);
	ck_assert_uint_eq(u.icmp.count, 2);
	ck_assert_uint_eq(u.sent, 2);
	tb_udp_close(&u);
}
END_TEST

/* One send that must be refused with nothing sent. */
static void refused(const struct tb_scope *sc, const char *text, uint16_t port)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_addr dut;
	struct tb_diag d = { .msg = "" };
	addr_of(text, &dut);
	tb_net_init(&n, sc, 1000, 200);
	ck_assert_int_eq(tb_udp_open_addr(&u, &n, &dut, &d), TB_OK);
	ck_assert_msg(tb_udp_send(&u, port, "x", 1, &d) == TB_E_SCOPE, "%s sent", text);
	ck_assert_msg(strstr(d.msg, "outside the lab scope") != NULL, "%s", d.msg);
	ck_assert_uint_eq(u.sent, 0);
	ck_assert_uint_eq(u.scope_refusals, 1);
	ck_assert_uint_eq(n.scope_refusals, 1);
	tb_udp_close(&u);
}

START_TEST(an_ipv6_address_outside_the_scope_gets_nothing)
{
	uint16_t port;
	/* ::1 is not in an IPv4-only scope: a listener there proves that no
	 * datagram left. */
	int listener = udp6_bound("::1", 0, &port);
	refused(&scope4_only, "::1", port);
	ck_assert(!readable_within(listener, 100));
	/* The benchmarking prefix outside the scope's ::1/128. */
	refused(&scope6, "2001:2::99", port);
	/* A link-local address while the scope's zone is not bound. */
	struct tb_cidr6 ll;
	struct tb_diag d = { .msg = "" };
	ck_assert_int_eq(tb_cidr6_parse("fe80::/64", &ll, &d), TB_OK);
	struct tb_scope sll = { .v6 = &ll, .n6 = 1 };
	char text[32];
	snprintf(text, sizeof text, "fe80::1%%%u", if_nametoindex("lo"));
	refused(&sll, text, port);
	ck_assert(!readable_within(listener, 50));
	close(listener);
}
END_TEST

/* Bring lo up and give it the address text (/128) in this process's own
 * user and network namespace (a test runs in its own forked process). */
static void own_namespace_with(const char *text)
{
	ck_assert_msg(unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0, "unshare: %s", strerror(errno));
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	ck_assert_int_eq(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	ck_assert_msg(ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "lo up: %s", strerror(errno));
	/* struct in6_ifreq (linux/ipv6.h), spelled out: its header clashes
	 * with netinet/in.h. */
	struct {
		struct in6_addr addr;
		uint32_t prefixlen;
		int ifindex;
	} r6 = { .prefixlen = 128, .ifindex = (int)if_nametoindex("lo") };
	ck_assert_int_eq(inet_pton(AF_INET6, text, &r6.addr), 1);
	ck_assert_msg(ioctl(s, SIOCSIFADDR, &r6) == 0, "add %s: %s", text, strerror(errno));
	close(s);
	/* The new address may be tentative for a moment: wait (bounded) until
	 * a socket can be bound to it. */
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_addr = r6.addr,
				   .sin6_scope_id = (uint32_t)r6.ifindex };
	int ready = 0;
	for (int i = 0; i < 300 && !ready; i++) {
		int t = socket(AF_INET6, SOCK_DGRAM, 0);
		ready = bind(t, (struct sockaddr *)&sa, sizeof sa) == 0;
		close(t);
		if (!ready)
			usleep(10000);
	}
	ck_assert_msg(ready, "%s never became usable", text);
}

START_TEST(a_datagram_from_another_address_is_ignored)
{
	own_namespace_with("2001:2::2");
	struct tb_net n;
	struct tb_udp u;
	struct tb_addr dut;
	struct tb_diag d = { .msg = "" };
	uint16_t svc_port, far_port;
	int svc = udp6_bound("::1", 0, &svc_port);
	/* The same port on another address: only the address tells them apart. */
	int far = udp6_bound("2001:2::2", svc_port, &far_port);
	addr_of("::1", &dut);
	tb_net_init(&n, &scope6, 1000, 200);
	ck_assert_int_eq(tb_udp_open_addr(&u, &n, &dut, &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, svc_port, "ping", 4, &d), TB_OK);
	char got[16];
	ck_assert(readable_within(svc, 1000));
	ck_assert_int_eq(recv(svc, got, sizeof got, 0), 4);
	send6(far, u.local_port, "forged", 6);
	send6(svc, u.local_port, "pong!", 5);
	uint8_t buf[64];
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_DATA);
	ck_assert_uint_eq(ev.len, 5);
	ck_assert(memcmp(buf, "pong!", 5) == 0);
	ck_assert_uint_eq(u.foreign, 1);
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 50), TB_E_TIMEOUT);
	tb_udp_close(&u);
	close(svc);
	close(far);
}
END_TEST

START_TEST(an_ipv4_mapped_device_gets_an_ipv4_prober)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_addr dut = { .family = AF_INET6 };
	struct tb_diag d = { .msg = "" };
	/* ::ffff:127.0.0.1 spelled out, as a caller could hand it over
	 * unnormalised: it is IPv4, judged by the IPv4 scope. */
	dut.u.v6[10] = dut.u.v6[11] = 0xff;
	dut.u.v6[12] = 127;
	dut.u.v6[15] = 1;
	tb_net_init(&n, &scope4_only, 1000, 200);
	ck_assert_int_eq(tb_udp_open_addr(&u, &n, &dut, &d), TB_OK);
	ck_assert_int_eq(u.dut.family, AF_INET);
	ck_assert_uint_eq(u.dut.u.v4, 0x7f000001u);
	ck_assert_int_eq(tb_udp_send(&u, unused_udp6_port(), "x", 1, &d), TB_OK);
	tb_udp_close(&u);
}
END_TEST

START_TEST(a_link_local_device_is_probed_on_its_link)
{
	own_namespace_with("fe80::1");
	unsigned lo = if_nametoindex("lo");
	int svc = socket(AF_INET6, SOCK_DGRAM, 0), one = 1;
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_scope_id = lo };
	socklen_t len = sizeof sa;
	ck_assert_int_eq(inet_pton(AF_INET6, "fe80::1", &sa.sin6_addr), 1);
	ck_assert_int_eq(setsockopt(svc, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one), 0);
	ck_assert_int_eq(bind(svc, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(svc, (struct sockaddr *)&sa, &len), 0);
	uint16_t port = ntohs(sa.sin6_port);
	pid_t pid = responder6(svc, 5000);
	struct tb_cidr6 ll;
	struct tb_diag d = { .msg = "" };
	ck_assert_int_eq(tb_cidr6_parse("fe80::/64", &ll, &d), TB_OK);
	struct tb_scope sll = { .v6 = &ll, .n6 = 1 };
	tb_scope_bind_zone(&sll, lo);
	struct tb_net n;
	struct tb_udp u;
	struct tb_addr dut;
	addr_of("fe80::1%lo", &dut);
	tb_net_init(&n, &sll, 1000, 200);
	ck_assert_int_eq(tb_udp_open_addr(&u, &n, &dut, &d), TB_OK);
	/* The answer and the ICMPv6 error both come from fe80::1 on lo. */
	ck_assert_int_eq(tb_udp_send(&u, port, "ping", 4, &d), TB_OK);
	uint8_t buf[64];
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 2000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_DATA);
	ck_assert_uint_eq(ev.port, port);
	stop(pid);
	close(svc);
	ck_assert_int_eq(tb_udp_send(&u, port, "x", 1, &d), TB_OK);
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_UNREACH);
	ck_assert_uint_eq(u.foreign, 0);
	tb_udp_close(&u);
}
END_TEST

START_TEST(the_sweep_aims_at_an_ipv6_target)
{
	struct tb_profile p = { .address = 0x7f000001u };
	struct tb_ctx ctx = { .profile = &p, .outdir = "/tmp" };
	struct tb_addr dut;
	uint16_t open_port, closed = unused_udp6_port();
	int svc = udp6_bound("::1", 0, &open_port);
	pid_t pid = responder6(svc, 8000);
	char ports[32];
	snprintf(ports, sizeof ports, "%u,%u", open_port < closed ? open_port : closed,
		 open_port < closed ? closed : open_port);
	addr_of("::1", &dut);
	tb_net_init(&ctx.net, &scope6, 100000, 200);
	struct tb_udp_sweep_params sp = { .ports = ports,
					  .settle_ms = 200,
					  .min_settle_ms = 50,
					  .deep_budget = 4,
					  .target = &dut };
	struct tb_udp_sweep_result r;
	ck_assert_int_eq(tb_udp_exposure_sweep(&ctx, &sp, &r), TB_OK);
	stop(pid);
	ck_assert_int_eq(r.target.family, AF_INET6);
	ck_assert_int_eq(r.state[open_port], TB_UDPS_OPEN);
	ck_assert_int_eq(r.state[closed], TB_UDPS_CLOSED);
	ck_assert_uint_eq(r.nopen_ports, 1);
	ck_assert_uint_eq(r.scope_refusals, 0);
	tb_udp_sweep_result_free(&r);
	close(svc);
}
END_TEST

/* ---- through the exposure family (5.6-1-2) ----------------------------- */

static const char suite_fmt[] =
	"suite: { id: \"a\", title: \"a\" }\n"
	"groups:\n"
	"  - provision: \"5.6-1\"\n"
	"    status: \"M\"\n"
	"    title: \"t\"\n"
	"    cases:\n"
	"      - id: \"5.6-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"t\"\n"
	"        covers: { en-303-645: [\"5.6-1\"] }\n"
	"        check: { family: \"exposure\", params: { ports: \"%u\", banner-timeout-ms: 50, "
	"method: \"connect\", udp-ports: \"%s\", settle-ms: 300, min-settle-ms: 100, identify: "
	"false } }\n";

/* The TCP port is declared, and the UDP port when udp_declared is set. */
static const char profile_fmt[] =
	"profile: { id: \"six\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
	"\"127.0.0.1\", address6: [\"::1\"] }\n"
	"lab: { scope: [\"127.0.0.1/32\", \"::1/128\"], interface: \"lo\", intrusive: false }\n"
	"declarations:\n"
	"  services:\n"
	"    - { port: %u, transport: \"tcp\", protocol: \"x\", description: \"d\", purpose: \"p\", "
	"in-use: true }\n"
	"    - { port: %u, transport: \"udp\", protocol: \"other\", description: \"d\", purpose: "
	"\"p\", in-use: true }\n";

struct outcome {
	enum tb_verdict verdict;
	char reason[1024], notes[4096], tsv6[4096];
	char endpoints[512]; /* the run's surface: "transport addr port; ..." */
};

static void read_file(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	out[0] = '\0';
	if (!f)
		return;
	size_t n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void exposure(uint16_t tcp, const char *udp_ports, uint16_t udp_declared, struct outcome *o)
{
	char st[2048], pt[1024], outdir[] = "/tmp/tb-udp6-XXXXXX", path[256];
	snprintf(st, sizeof st, suite_fmt, tcp, udp_ports);
	snprintf(pt, sizeof pt, profile_fmt, tcp, udp_declared);
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_ptr_nonnull(mkdtemp(outdir));
	ck_assert_msg(tb_suite_parse("a.yaml", st, strlen(st), &s, &d) == TB_OK, "%s", d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", pt, strlen(pt), &p, &d) == TB_OK, "%s", d.msg);
	struct tb_surface surface = { .n = 0 };
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = outdir, .surface = &surface };
	ctx.scope = p->scope;
	tb_net_init(&ctx.net, &ctx.scope, 100000, 500);
	snprintf(ctx.dut6.how, sizeof ctx.dut6.how, "declared");
	for (size_t i = 0; i < p->naddress6; i++)
		ck_assert_int_eq(tb_net6_found_add(&ctx.dut6, &ctx.scope, &p->address6[i], 0), 1);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	o->verdict = r.verdict;
	snprintf(o->reason, sizeof o->reason, "%s", r.reason ? r.reason : "");
	o->notes[0] = '\0';
	for (size_t i = 0; i < r.nev; i++) {
		size_t l = strlen(o->notes);
		if (r.ev[i].text && l < sizeof o->notes)
			snprintf(o->notes + l, sizeof o->notes - l, "%s: %s\n",
				 r.ev[i].label ? r.ev[i].label : "", r.ev[i].text);
	}
	snprintf(path, sizeof path, "%s/evidence/5.6-1-2/udp-ports6-1.tsv", outdir);
	read_file(path, o->tsv6, sizeof o->tsv6);
	o->endpoints[0] = '\0';
	for (size_t i = 0; i < surface.n; i++) {
		size_t l = strlen(o->endpoints);
		snprintf(o->endpoints + l, sizeof o->endpoints - l, "%s %s %u; ",
			 surface.v[i].transport, surface.v[i].addr, surface.v[i].port);
	}
	tb_surface_free(&surface);
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
	ck_assert_int_eq(system(cmd), 0);
}

static int tcp4_listener(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

START_TEST(a_udp_service_only_over_ipv6_fails_5_6_1_2)
{
	uint16_t tcp, udp6;
	int l = tcp4_listener(&tcp);
	int svc = udp6_bound("::1", 0, &udp6); /* nothing on 127.0.0.1 at that port */
	pid_t pid = responder6(svc, 20000);
	char ports[16], want[96];
	struct outcome o;
	snprintf(ports, sizeof ports, "%u", udp6);
	exposure(tcp, ports, 9, &o);
	ck_assert_msg(o.verdict == TB_V_FAIL, "%d: %s", o.verdict, o.reason);
	snprintf(want, sizeof want, "UDP %u (undeclared unknown, IPv6 only, at ::1)", udp6);
	ck_assert_msg(strstr(o.reason, want) != NULL, "%s", o.reason);
	ck_assert_msg(strstr(o.notes, "1 open only over IPv6") != NULL, "%s", o.notes);
	ck_assert_msg(strstr(o.notes, "amplification") != NULL, "%s", o.notes);
	snprintf(want, sizeof want, "\n%u\topen\t", udp6);
	ck_assert_msg(strstr(o.tsv6, want) != NULL, "%s", o.tsv6);
	/* The service is in the run's surface on its IPv6 address. */
	snprintf(want, sizeof want, "udp ::1 %u;", udp6);
	ck_assert_msg(strstr(o.endpoints, want) != NULL, "%s", o.endpoints);
	/* Declared, the same service passes: the IPv6 sweep judges by the
	 * same declarations. */
	exposure(tcp, ports, udp6, &o);
	ck_assert_msg(o.verdict == TB_V_PASS, "%d: %s", o.verdict, o.reason);
	stop(pid);
	close(svc);
	close(l);
}
END_TEST

Suite *udp6_suite(void)
{
	Suite *s = suite_create("udp6");
	TCase *tc = tcase_create("ipv6");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_service_bound_to_ipv6_loopback_only_answers);
	tcase_add_test(tc, a_closed_ipv6_port_is_closed_by_icmpv6);
	tcase_add_test(tc, an_ipv6_address_outside_the_scope_gets_nothing);
	tcase_add_test(tc, a_datagram_from_another_address_is_ignored);
	tcase_add_test(tc, an_ipv4_mapped_device_gets_an_ipv4_prober);
	tcase_add_test(tc, a_link_local_device_is_probed_on_its_link);
	tcase_add_test(tc, the_sweep_aims_at_an_ipv6_target);
	tcase_add_test(tc, a_udp_service_only_over_ipv6_fails_5_6_1_2);
	suite_add_tcase(s, tc);
	return s;
}
