/* check_udp.c: the UDP prober (net/udp.c) and the udp-exposure and
 * amplification families: scope refusal before anything is sent, replies
 * only from the device's probed port, ICMP port unreachable as "closed",
 * bounded reads, deadlines, and the amplification rule table.  The "device"
 * is loopback (127.0.0.1, inside the test profile's scope). */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/chk_udp_exposure_internal.h"
#include "check/ctx.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/udp.h"
#include "result/result.h"
#include "check/portlist.h"
#include "suites.h"

#define IP(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct tb_cidr loop_only = { .net = IP(127, 0, 0, 1), .prefix = 32 };
static struct tb_scope scope = { .v = &loop_only, .n = 1 };

/* A UDP socket bound on addr (host order), any port; *port gets it. */
static int udp_bound(uint32_t addr, uint16_t *port)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(addr) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

/* A loopback UDP port nothing listens on (bound, then closed). */
static uint16_t unused_udp_port(void)
{
	uint16_t port;
	close(udp_bound(IP(127, 0, 0, 1), &port));
	return port;
}

static void send_to(int s, uint32_t addr, uint16_t port, const void *buf, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	ck_assert_int_eq(sendto(s, buf, len, 0, (struct sockaddr *)&sa, sizeof sa), (ssize_t)len);
}

static int readable_within(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	return poll(&p, 1, ms) > 0;
}

START_TEST(out_of_scope_is_refused_and_nothing_is_sent)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_diag d = { .msg = "" };
	uint16_t port;
	/* 127.0.0.2 is loopback too, but outside the /32 scope: a listener
	 * there proves that no datagram left. */
	int listener = udp_bound(IP(127, 0, 0, 2), &port);
	tb_net_init(&n, &scope, 1000, 200);
	ck_assert_int_eq(tb_udp_open(&u, &n, IP(127, 0, 0, 2), &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, port, "x", 1, &d), TB_E_SCOPE);
	ck_assert_ptr_nonnull(strstr(d.msg, "outside the lab scope"));
	ck_assert_uint_eq(u.sent, 0);
	ck_assert_uint_eq(u.scope_refusals, 1);
	ck_assert_uint_eq(n.scope_refusals, 1);
	ck_assert(!readable_within(listener, 100));
	tb_udp_close(&u);
	close(listener);
}
END_TEST

START_TEST(sweep_refuses_a_device_outside_the_scope)
{
	struct tb_profile p = { .address = IP(198, 18, 1, 10) };
	struct tb_ctx ctx = { .profile = &p, .outdir = "/tmp" };
	tb_net_init(&ctx.net, &scope, 100000, 200);
	struct tb_udp_sweep_params sp = { .ports = "1-1024", .settle_ms = 20, .deep_budget = 10 };
	struct tb_udp_sweep_result r;
	ck_assert_int_eq(tb_udp_exposure_sweep(&ctx, &sp, &r), TB_E_SCOPE);
	ck_assert_uint_eq(r.sent, 0);
	ck_assert_uint_eq(r.scope_refusals, 1); /* the first refusal stops the sweep */
	ck_assert_ptr_nonnull(strstr(r.error, "outside the lab scope"));
	tb_udp_sweep_result_free(&r);
}
END_TEST

START_TEST(replies_from_another_address_or_port_are_ignored)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_diag d = { .msg = "" };
	uint16_t svc_port, other_port, far_port;
	int svc = udp_bound(IP(127, 0, 0, 1), &svc_port);
	int other = udp_bound(IP(127, 0, 0, 1), &other_port); /* the DUT, an unprobed port */
	int far = udp_bound(IP(127, 0, 0, 3), &far_port);     /* another address */
	tb_net_init(&n, &scope, 1000, 200);
	ck_assert_int_eq(tb_udp_open(&u, &n, IP(127, 0, 0, 1), &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, svc_port, "ping", 4, &d), TB_OK);
	ck_assert_uint_eq(u.sent, 1);
	char got[16];
	ck_assert(readable_within(svc, 1000));
	ck_assert_int_eq(recv(svc, got, sizeof got, 0), 4);
	send_to(far, IP(127, 0, 0, 1), u.local_port, "forged", 6);
	send_to(other, IP(127, 0, 0, 1), u.local_port, "sideway", 7);
	send_to(svc, IP(127, 0, 0, 1), u.local_port, "pong!", 5);
	uint8_t buf[64];
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_DATA);
	ck_assert_uint_eq(ev.port, svc_port);
	ck_assert_uint_eq(ev.len, 5);
	ck_assert_uint_eq(ev.total, 5);
	ck_assert(memcmp(buf, "pong!", 5) == 0);
	ck_assert_uint_eq(u.foreign, 2);
	/* Nothing else is left for the caller. */
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 50), TB_E_TIMEOUT);
	tb_udp_close(&u);
	close(svc);
	close(other);
	close(far);
}
END_TEST

START_TEST(icmp_port_unreachable_means_closed)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_diag d = { .msg = "" };
	uint16_t port = unused_udp_port();
	tb_net_init(&n, &scope, 1000, 200);
	ck_assert_int_eq(tb_udp_open(&u, &n, IP(127, 0, 0, 1), &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, port, "x", 1, &d), TB_OK);
	uint8_t buf[64];
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_UNREACH);
	ck_assert_uint_eq(ev.port, port);
	ck_assert_uint_eq(u.icmp.count, 1);
	ck_assert_uint_eq(u.icmp.burst, 1);
	/* A second send on the same socket still goes out (the pending
	 * ECONNREFUSED the first ICMP left is not a send failure). */
	ck_assert_int_eq(tb_udp_send(&u, port, "y", 1, &d), TB_OK);
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_int_eq(ev.kind, TB_UDP_EV_UNREACH);
	ck_assert_uint_eq(u.sent, 2);
	tb_udp_close(&u);
}
END_TEST

START_TEST(huge_reply_is_read_bounded)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_diag d = { .msg = "" };
	uint16_t port;
	int svc = udp_bound(IP(127, 0, 0, 1), &port);
	tb_net_init(&n, &scope, 1000, 200);
	ck_assert_int_eq(tb_udp_open(&u, &n, IP(127, 0, 0, 1), &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, port, "q", 1, &d), TB_OK);
	static uint8_t big[60000];
	memset(big, 'A', sizeof big);
	send_to(svc, IP(127, 0, 0, 1), u.local_port, big, sizeof big);
	uint8_t buf[1000 + 16];
	memset(buf, 0, sizeof buf);
	struct tb_udp_event ev;
	ck_assert_int_eq(tb_udp_next(&u, buf, 1000, &ev, tb_now_ms() + 1000), TB_OK);
	ck_assert_uint_eq(ev.len, 1000);
	ck_assert_uint_eq(ev.total, sizeof big);
	ck_assert_uint_eq(u.truncated, 1);
	ck_assert_int_eq(buf[1000], 0); /* nothing written past cap */
	tb_udp_close(&u);
	close(svc);
}
END_TEST

START_TEST(silent_peer_meets_the_deadline)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_diag d = { .msg = "" };
	uint16_t port;
	int svc = udp_bound(IP(127, 0, 0, 1), &port); /* bound: no ICMP, never answers */
	tb_net_init(&n, &scope, 1000, 200);
	ck_assert_int_eq(tb_udp_open(&u, &n, IP(127, 0, 0, 1), &d), TB_OK);
	ck_assert_int_eq(tb_udp_send(&u, port, "q", 1, &d), TB_OK);
	uint8_t buf[64];
	struct tb_udp_event ev;
	int64_t t0 = tb_now_ms();
	ck_assert_int_eq(tb_udp_next(&u, buf, sizeof buf, &ev, t0 + 150), TB_E_TIMEOUT);
	int64_t took = tb_now_ms() - t0;
	ck_assert_int_ge(took, 150);
	ck_assert_int_lt(took, 1000);
	tb_udp_close(&u);
	close(svc);
}
END_TEST

START_TEST(every_datagram_takes_a_rate_token)
{
	struct tb_net n;
	struct tb_udp u;
	struct tb_diag d = { .msg = "" };
	uint16_t port;
	int svc = udp_bound(IP(127, 0, 0, 1), &port);
	tb_net_init(&n, &scope, 20, 200); /* a burst of 1, then one per 50 ms */
	ck_assert_int_eq(tb_udp_open(&u, &n, IP(127, 0, 0, 1), &d), TB_OK);
	int64_t t0 = tb_now_ms();
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(tb_udp_send(&u, port, "r", 1, &d), TB_OK);
	ck_assert_int_ge(tb_now_ms() - t0, 140); /* 3 waits of 50 ms */
	tb_udp_close(&u);
	close(svc);
}
END_TEST

START_TEST(icmp_rate_after_the_burst)
{
	struct tb_udp_icmp_rate r = { .count = 16,
				      .first_us = 1000000,
				      .burst = 6,
				      .burst_end_us = 1050000,
				      .last_us = 11050000 };
	ck_assert_double_eq_tol(tb_udp_icmp_steady_rate(&r), 1.0, 1e-9);
	struct tb_udp_icmp_rate few = { .count = 6, .burst = 6 };
	ck_assert_double_lt(tb_udp_icmp_steady_rate(&few), 0.0);
}
END_TEST

START_TEST(amplification_arithmetic_and_rule_table)
{
	/* The SSDP responder of issue 11: 94 bytes in, 13 datagrams of 5396 bytes out. */
	ck_assert_double_eq_tol(tb_amp_ratio(94, 5396), 57.404, 0.001);
	ck_assert_int_eq(tb_amp_over_limits(94, 5396, 13, 2, 2), 1);
	/* Exactly at the limits is not above them. */
	ck_assert_int_eq(tb_amp_over_limits(100, 200, 2, 2, 2), 0);
	ck_assert_int_eq(tb_amp_over_limits(100, 201, 1, 2, 2), 1);
	ck_assert_int_eq(tb_amp_over_limits(100, 50, 3, 2, 2), 1);
	ck_assert_int_eq(tb_amp_over_limits(100, 0, 0, 2, 2), 0);
	/* A looser table lets the same reply through. */
	ck_assert_int_eq(tb_amp_over_limits(94, 5396, 13, 60, 20), 0);
	ck_assert_double_eq(tb_amp_ratio(0, 100), 0.0);
}
END_TEST

START_TEST(port_lists)
{
	static uint8_t map[8192];
	struct tb_diag d = { .msg = "" };
	ck_assert_int_eq(tb_port_list_parse("1-65535", map, &d), 65535);
	ck_assert_int_eq(tb_port_list_parse("53,161,5000-5009,161", map, &d), 12);
	static const char *const bad[] = { "",       "0",  "65536", "5-3", "80,", ",80",
					   "80,,81", "-5", "1--2",  "+5",  "a",   NULL };
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(tb_port_list_parse(bad[i], map, &d) == -1, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(open_ports_go_into_the_attack_surface)
{
	struct tb_udp_open_port o = { .port = 161, .proto = TB_UDP_SNMP2C };
	o.ident.matched = 1;
	o.ident.protocol = "snmp";
	snprintf(o.ident.product, sizeof o.ident.product, "RD-1 1.0.3");
	snprintf(o.ident.items[0].key, sizeof o.ident.items[0].key, "sysDescr");
	snprintf(o.ident.items[0].value, sizeof o.ident.items[0].value, "RD-1 IP Camera");
	o.ident.nitems = 1;
	struct tb_udp_sweep_result r = { .open = &o, .nopen = 1 };
	struct tb_surface s = { 0 };
	tb_udp_sweep_to_surface(&r, "198.18.1.10", "5.6-1-3", &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.v[0].transport, "udp");
	ck_assert_str_eq(s.v[0].addr, "198.18.1.10");
	ck_assert_uint_eq(s.v[0].port, 161);
	ck_assert_str_eq(s.v[0].protocol, "snmp");
	ck_assert_str_eq(s.v[0].product, "RD-1 1.0.3");
	ck_assert_int_eq(s.v[0].needs_auth, 0);
	ck_assert_uint_eq(s.v[0].nitems, 1);
	ck_assert_str_eq(s.v[0].items[0].key, "sysDescr");
	ck_assert_str_eq(s.v[0].items[0].source, "udp/161 snmp-v2c probe");
	ck_assert_str_eq(s.udp_case, "5.6-1-3");
	tb_surface_free(&s);
}
END_TEST

/* ---- the families against a loopback responder ------------------------- */

/* A CoAP response to a CoAP request (ACK 2.05 with the request's message
 * id and token, then a payload up to size bytes in all); 0 when in is not a
 * CoAP request with a 4-byte token. */
static size_t coap_answer(const uint8_t *in, size_t n, uint8_t *out, size_t size)
{
	if (n < 8 || (in[0] >> 6) != 1 || (in[0] & 0xf) != 4 || size < 10)
		return 0;
	out[0] = 0x64; /* ver 1, ACK, TKL 4 */
	out[1] = 0x45; /* 2.05 Content */
	memcpy(out + 2, in + 2, 6);
	out[8] = 0xff;
	for (size_t i = 9; i < size; i++)
		out[i] = "</sensor>;rt=\"x\","[(i - 9) % 18];
	return size;
}

/* A child that answers every datagram on its socket with `copies`
 * datagrams of `size` bytes, for `ms` milliseconds.  With coap set, CoAP
 * requests get CoAP responses of that size and anything else one byte. */
static pid_t responder(int s, int copies, size_t size, int ms, int coap)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid > 0)
		return pid;
	static uint8_t out[2048], in[2048];
	memset(out, 'R', sizeof out);
	int64_t end = tb_now_ms() + ms;
	while (tb_now_ms() < end) {
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		if (!readable_within(s, 20))
			continue;
		ssize_t n = recvfrom(s, in, sizeof in, 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		size_t len = size;
		if (coap && (len = coap_answer(in, (size_t)n, out, size)) == 0)
			len = 1;
		for (int i = 0; i < copies; i++)
			(void)sendto(s, out, len, 0, (struct sockaddr *)&from, fl);
	}
	_exit(0);
}

static enum tb_verdict run_case(const char *family, const char *params, const char *services,
				char *reason, size_t reasonlen, char *outdir)
{
	char suite_text[1024], profile_text[1024];
	snprintf(suite_text, sizeof suite_text,
		 "suite: { id: \"u\", title: \"u\" }\n"
		 "groups:\n"
		 "  - provision: \"5.6-1\"\n"
		 "    status: \"M\"\n"
		 "    title: \"t\"\n"
		 "    cases:\n"
		 "      - id: \"5.6-1-3\"\n"
		 "        kind: \"functional\"\n"
		 "        title: \"t\"\n"
		 "        covers: { en-303-645: [\"5.6-1\"] }\n"
		 "        check: { family: \"%s\", params: %s }\n",
		 family, params);
	snprintf(profile_text, sizeof profile_text,
		 "profile: { id: \"udp\" }\n"
		 "dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
		 "\"127.0.0.1\" }\n"
		 "lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: false }\n"
		 "declarations:\n"
		 "  services:\n%s",
		 services);
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_msg(tb_suite_parse("u.yaml", suite_text, strlen(suite_text), &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", profile_text, strlen(profile_text), &p, &d) == TB_OK,
		      "%s", d.msg);
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = outdir };
	tb_net_init(&ctx.net, &p->scope, 20000, 500);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	enum tb_verdict v = r.verdict;
	snprintf(reason, reasonlen, "%s", r.reason ? r.reason : "");
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	return v;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(undeclared_udp_service_fails_and_closed_ports_are_closed)
{
	char dir[] = "/tmp/tb-udp-XXXXXX", reason[1024], params[256], path[512];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	uint16_t port;
	int s = udp_bound(IP(127, 0, 0, 1), &port);
	uint16_t closed = unused_udp_port();
	pid_t pid = responder(s, 1, 40, 5000, 0);
	snprintf(params, sizeof params, "{ ports: \"%u,%u\", settle-ms: 200 }", port, closed);
	enum tb_verdict v = run_case("udp-exposure", params,
				     "    - { port: 9, transport: \"udp\", protocol: \"other\", "
				     "description: \"d\", purpose: \"p\", in-use: true }\n",
				     reason, sizeof reason, dir);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_msg(v == TB_V_FAIL, "%d: %s", v, reason);
	char want[32];
	snprintf(want, sizeof want, "%u (undeclared", port);
	ck_assert_msg(strstr(reason, want), "%s", reason);
	snprintf(path, sizeof path, "%s/evidence/5.6-1-3/udp-ports.tsv", dir);
	const char *tsv = read_text(path);
	snprintf(want, sizeof want, "\n%u\topen\t", port);
	ck_assert_msg(strstr(tsv, want), "%s", tsv);
	snprintf(want, sizeof want, "\n%u\tclosed\t", closed);
	ck_assert_msg(strstr(tsv, want), "%s", tsv);
	close(s);
}
END_TEST

START_TEST(declared_udp_service_passes)
{
	char dir[] = "/tmp/tb-udp-XXXXXX", reason[1024], params[256], services[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	uint16_t port;
	int s = udp_bound(IP(127, 0, 0, 1), &port);
	pid_t pid = responder(s, 1, 40, 5000, 0);
	snprintf(params, sizeof params, "{ ports: \"%u\", settle-ms: 200 }", port);
	snprintf(services, sizeof services,
		 "    - { port: %u, transport: \"udp\", protocol: \"other\", description: \"d\", "
		 "purpose: \"p\", in-use: true }\n",
		 port);
	enum tb_verdict v = run_case("udp-exposure", params, services, reason, sizeof reason, dir);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_msg(v == TB_V_PASS, "%d: %s", v, reason);
	ck_assert_msg(strstr(reason, "cannot prove"), "%s", reason);
	close(s);
}
END_TEST

START_TEST(silent_device_is_inconclusive)
{
	char dir[] = "/tmp/tb-udp-XXXXXX", reason[1024], params[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	uint16_t port;
	int s = udp_bound(IP(127, 0, 0, 1), &port); /* bound, never answers: no ICMP either */
	snprintf(params, sizeof params, "{ ports: \"%u\", settle-ms: 100 }", port);
	enum tb_verdict v = run_case("udp-exposure", params,
				     "    - { port: 9, transport: \"udp\", protocol: \"other\", "
				     "description: \"d\", purpose: \"p\", in-use: true }\n",
				     reason, sizeof reason, dir);
	ck_assert_msg(v == TB_V_INCONCLUSIVE, "%d: %s", v, reason);
	close(s);
}
END_TEST

/* The amplification family against a CoAP-speaking responder on an unusual
 * port: found by the sweep's deep round, measured with the amplification
 * request, judged against the rule table. */
static enum tb_verdict amplify_case(int copies, size_t size, char *reason, size_t reasonlen, char *dir)
{
	char params[256];
	uint16_t port;
	int s = udp_bound(IP(127, 0, 0, 1), &port);
	pid_t pid = responder(s, copies, size, 8000, 1);
	snprintf(params, sizeof params, "{ ports: \"%u\", settle-ms: 200, window-ms: 300 }", port);
	enum tb_verdict v = run_case("amplification", params,
				     "    - { port: 9, transport: \"udp\", protocol: \"other\", "
				     "description: \"d\", purpose: \"p\", in-use: true }\n",
				     reason, reasonlen, dir);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(s);
	return v;
}

START_TEST(amplifying_service_fails_with_its_evidence)
{
	char dir[] = "/tmp/tb-udp-XXXXXX", reason[1024], path[512];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	enum tb_verdict v = amplify_case(3, 400, reason, sizeof reason, dir);
	ck_assert_msg(v == TB_V_FAIL, "%d: %s", v, reason);
	ck_assert_msg(strstr(reason, "coap") && strstr(reason, "in 3 datagrams"), "%s", reason);
	snprintf(path, sizeof path, "%s/evidence/5.6-1-3/amplification.tsv", dir);
	const char *tsv = read_text(path);
	ck_assert_msg(strstr(tsv, "\tcoap\tcoap\t") && strstr(tsv, "\t3\t1200\t"), "%s", tsv);
}
END_TEST

START_TEST(small_answer_is_within_the_rule_table)
{
	char dir[] = "/tmp/tb-udp-XXXXXX", reason[1024];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* One datagram, no bigger than twice the request. */
	enum tb_verdict v = amplify_case(1, 30, reason, sizeof reason, dir);
	ck_assert_msg(v == TB_V_PASS, "%d: %s", v, reason);
	ck_assert_msg(strstr(reason, "1 amplification requests"), "%s", reason);
}
END_TEST

Suite *udp_suite(void)
{
	Suite *s = suite_create("udp");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, out_of_scope_is_refused_and_nothing_is_sent);
	tcase_add_test(tc, sweep_refuses_a_device_outside_the_scope);
	tcase_add_test(tc, replies_from_another_address_or_port_are_ignored);
	tcase_add_test(tc, icmp_port_unreachable_means_closed);
	tcase_add_test(tc, huge_reply_is_read_bounded);
	tcase_add_test(tc, silent_peer_meets_the_deadline);
	tcase_add_test(tc, every_datagram_takes_a_rate_token);
	tcase_add_test(tc, icmp_rate_after_the_burst);
	tcase_add_test(tc, amplification_arithmetic_and_rule_table);
	tcase_add_test(tc, port_lists);
	tcase_add_test(tc, open_ports_go_into_the_attack_surface);
	tcase_add_test(tc, undeclared_udp_service_fails_and_closed_ports_are_closed);
	tcase_add_test(tc, declared_udp_service_passes);
	tcase_add_test(tc, silent_device_is_inconclusive);
	tcase_add_test(tc, amplifying_service_fails_with_its_evidence);
	tcase_add_test(tc, small_answer_is_within_the_rule_table);
	suite_add_tcase(s, tc);
	return s;
}
