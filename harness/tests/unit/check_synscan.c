/* check_synscan.c: the raw SYN sweep's pure parts (SipHash, checksum, SYN
 * builder, cookie, reply parser on hostile bytes), the scope refusals of
 * the raw path, and the exposure check's choice of method: connect()
 * with a note when there is no raw socket, the SYN sweep when there is one
 * (on loopback, only where the tests hold CAP_NET_RAW). */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/ctx.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "net/synscan.h"
#include "result/result.h"
#include "suites.h"

#define IP(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
static const uint32_t me = IP(198, 18, 1, 1), dut = IP(198, 18, 1, 10);
static const uint16_t my_port = 40000;

START_TEST(siphash_matches_the_reference_vectors)
{
	const uint8_t zero = 0;
	uint8_t m15[15];
	for (int i = 0; i < 15; i++)
		m15[i] = (uint8_t)i;
	/* The first, second and sixteenth vectors of the SipHash paper's
	 * reference implementation (key 00..0f, message 00..len-1). */
	ck_assert_uint_eq(tb_siphash24(key, NULL, 0), 0x726fdb47dd0e0e31ull);
	ck_assert_uint_eq(tb_siphash24(key, &zero, 1), 0x74f839c593dc67fdull);
	ck_assert_uint_eq(tb_siphash24(key, m15, 15), 0xa129ca6149be45e5ull);
}
END_TEST

START_TEST(checksum_follows_rfc1071)
{
	/* RFC 1071's example words sum to 0xddf2; the pseudo-header with zero
	 * addresses adds protocol 6 and length 8. */
	const uint8_t b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	ck_assert_uint_eq(tb_tcp_checksum(0, 0, b, 8), 0x21ff);
	/* An odd length pads with a zero byte. */
	const uint8_t c[3] = { 0x12, 0x34, 0x56 };
	ck_assert_uint_eq(tb_tcp_checksum(0, 0, c, 3), (uint16_t) ~(0x1234 + 0x5600 + 6 + 3));
}
END_TEST

START_TEST(syn_is_well_formed_and_checksummed)
{
	uint8_t seg[TB_SYN_LEN];
	uint32_t seq = tb_syn_cookie(key, me, dut, my_port, 443);
	tb_syn_build(seg, me, dut, my_port, 443, seq);
	ck_assert_uint_eq(tb_tcp_checksum(me, dut, seg, sizeof seg), 0); /* verifies */
	ck_assert_uint_eq((seg[0] << 8) | seg[1], my_port);
	ck_assert_uint_eq((seg[2] << 8) | seg[3], 443);
	ck_assert_uint_eq((uint32_t)seg[4] << 24 | (uint32_t)seg[5] << 16 | seg[6] << 8 | seg[7], seq);
	ck_assert_uint_eq(seg[12] >> 4, TB_SYN_LEN / 4);
	ck_assert_uint_eq(seg[13], TB_TCP_SYN);
	/* One flipped bit anywhere breaks the checksum. */
	seg[9] ^= 0x10;
	ck_assert_uint_ne(tb_tcp_checksum(me, dut, seg, sizeof seg), 0);
}
END_TEST

START_TEST(cookie_depends_on_port_address_and_key)
{
	uint8_t other[16];
	memcpy(other, key, 16);
	other[15] ^= 1;
	uint32_t c = tb_syn_cookie(key, me, dut, my_port, 80);
	ck_assert_uint_eq(c, tb_syn_cookie(key, me, dut, my_port, 80));
	ck_assert_uint_ne(c, tb_syn_cookie(key, me, dut, my_port, 81));
	ck_assert_uint_ne(c, tb_syn_cookie(key, me, IP(198, 18, 1, 11), my_port, 80));
	ck_assert_uint_ne(c, tb_syn_cookie(key, me, dut, my_port + 1, 80));
	ck_assert_uint_ne(c, tb_syn_cookie(other, me, dut, my_port, 80));
}
END_TEST

/* An IPv4 packet holding a TCP header (no options) from src:sport to
 * dst:dport; returns its length. */
static size_t reply_packet(uint8_t p[40], uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
			   uint32_t ack, uint8_t flags)
{
	memset(p, 0, 40);
	p[0] = 0x45;
	p[3] = 40;
	p[8] = 64;
	p[9] = IPPROTO_TCP;
	for (int i = 0; i < 4; i++) {
		p[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		p[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
		p[28 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	p[20] = (uint8_t)(sport >> 8);
	p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[32] = 5 << 4;
	p[33] = flags;
	return 40;
}

static enum tb_syn_answer judge_packet(const uint8_t *p, size_t len)
{
	struct tb_syn_reply r;
	if (tb_syn_parse(p, len, &r) != TB_OK)
		return (enum tb_syn_answer) - 1;
	return tb_syn_judge(&r, key, me, dut, my_port);
}

START_TEST(only_genuine_answers_count)
{
	uint8_t p[40];
	uint32_t good = tb_syn_cookie(key, me, dut, my_port, 22) + 1;
	const uint8_t synack = TB_TCP_SYN | TB_TCP_ACK, rstack = TB_TCP_RST | TB_TCP_ACK;
	size_t n = reply_packet(p, dut, me, 22, my_port, good, synack);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_OPEN);
	n = reply_packet(p, dut, me, 22, my_port, good, rstack);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_CLOSED);
	/* The wrong acknowledgement: a guess, or an answer meant for port 23. */
	n = reply_packet(p, dut, me, 22, my_port, good + 1, synack);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
	n = reply_packet(p, dut, me, 23, my_port, good, synack);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
	/* From an address outside the scope, or to another local port. */
	n = reply_packet(p, IP(192, 0, 2, 1), me, 22, my_port, good, synack);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
	n = reply_packet(p, dut, me, 22, my_port + 1, good, synack);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
	/* No ACK bit: a bare SYN or RST acknowledges nothing. */
	n = reply_packet(p, dut, me, 22, my_port, good, TB_TCP_SYN);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
	n = reply_packet(p, dut, me, 22, my_port, good, TB_TCP_RST);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
	/* A plain ACK with the right number is neither. */
	n = reply_packet(p, dut, me, 22, my_port, good, TB_TCP_ACK);
	ck_assert_int_eq(judge_packet(p, n), TB_SYN_IGNORE);
}
END_TEST

START_TEST(parser_refuses_hostile_headers)
{
	uint8_t p[40], q[40];
	struct tb_syn_reply r;
	size_t n = reply_packet(p, dut, me, 22, my_port, 1, TB_TCP_RST | TB_TCP_ACK);
	ck_assert_int_eq(tb_syn_parse(p, n, &r), TB_OK);
	for (size_t cut = 0; cut < n; cut++)
		ck_assert_msg(tb_syn_parse(p, cut, &r) != TB_OK, "accepted %zu bytes", cut);
	struct {
		size_t at;
		uint8_t v;
	} bad[] = {
		{ 0, 0x65 },     /* IPv6 version */
		{ 0, 0x44 },     /* header length 16 */
		{ 0, 0x4f },     /* header length 60, past the end */
		{ 3, 39 },       /* total length too short for a TCP header */
		{ 2, 0xff },     /* total length past the buffer (and options too) */
		{ 6, 0x20 },     /* more fragments */
		{ 7, 0x01 },     /* fragment offset */
		{ 9, 17 },       /* UDP */
		{ 32, 4 << 4 },  /* TCP data offset 16 */
		{ 32, 15 << 4 }, /* TCP data offset 60, past the end */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(q, p, n);
		q[bad[i].at] = bad[i].v;
		enum tb_err e = tb_syn_parse(q, n, &r);
		if (bad[i].at == 2)
			ck_assert_int_eq(e, TB_OK); /* the headers are whole: a long payload was cut */
		else
			ck_assert_msg(e != TB_OK, "case %zu accepted", i);
	}
}
END_TEST

START_TEST(parser_survives_random_bytes)
{
	uint8_t buf[128];
	struct tb_syn_reply r;
	srand(11);
	for (int i = 0; i < 200000; i++) {
		size_t len = (size_t)rand() % sizeof buf;
		for (size_t j = 0; j < len; j++)
			buf[j] = (uint8_t)rand();
		if (i & 1 && len > 0)
			buf[0] = (uint8_t)(0x45 + rand() % 11); /* mostly plausible IPv4 */
		if (len > 9 && i & 2)
			buf[9] = IPPROTO_TCP;
		if (tb_syn_parse(buf, len, &r) == TB_OK) {
			size_t ihl = (size_t)(buf[0] & 15) * 4;
			ck_assert_uint_ge(len, ihl + 20);
			ck_assert_uint_eq(r.sport, (uint16_t)(buf[ihl] << 8 | buf[ihl + 1]));
		}
	}
}
END_TEST

static unsigned opened;
static void count_open(void *arg, uint16_t port)
{
	(void)arg;
	ck_assert_uint_eq(port, 22);
	opened++;
}

START_TEST(sweep_settles_only_waiting_ports_once)
{
	struct tb_synscan *s = calloc(1, sizeof *s);
	struct tb_synscan_hooks h = { .on_open = count_open, .fd = -1 };
	uint8_t p[40];
	memcpy(s->key, key, 16);
	s->me = me;
	s->dut = dut;
	s->my_port = my_port;
	s->hooks = &h;
	s->state[22] = TB_SYNP_SENT;
	s->state[24] = TB_SYNP_RESENT;
	s->waiting = 2;
	opened = 0;
	const uint8_t synack = TB_TCP_SYN | TB_TCP_ACK;
	/* The genuine answer for port 22, twice: counted once. */
	size_t n = reply_packet(p, dut, me, 22, my_port, tb_syn_cookie(key, me, dut, my_port, 22) + 1,
				synack);
	tb_synscan_absorb(s, p, n);
	tb_synscan_absorb(s, p, n);
	ck_assert_uint_eq(s->state[22], TB_SYNP_OPEN);
	ck_assert_uint_eq(s->open, 1);
	ck_assert_uint_eq(opened, 1);
	ck_assert_uint_eq(s->waiting, 1);
	/* A port never probed, answering with a cookie that would fit. */
	n = reply_packet(p, dut, me, 23, my_port, tb_syn_cookie(key, me, dut, my_port, 23) + 1, synack);
	tb_synscan_absorb(s, p, n);
	ck_assert_uint_eq(s->state[23], TB_SYNP_SKIP);
	/* A flood of forged answers for the waiting port: nothing changes. */
	uint32_t genuine24 = tb_syn_cookie(key, me, dut, my_port, 24) + 1;
	for (uint32_t i = 0; i < 100000; i++) {
		uint32_t forged = i * 2654435761u;
		n = reply_packet(p, dut, me, 24, my_port, forged == genuine24 ? forged + 1 : forged,
				 synack);
		tb_synscan_absorb(s, p, n);
	}
	ck_assert_uint_eq(s->state[24], TB_SYNP_RESENT);
	ck_assert_uint_eq(s->waiting, 1);
	/* Its genuine reset still settles it. */
	n = reply_packet(p, dut, me, 24, my_port, tb_syn_cookie(key, me, dut, my_port, 24) + 1,
			 TB_TCP_RST | TB_TCP_ACK);
	tb_synscan_absorb(s, p, n);
	ck_assert_uint_eq(s->state[24], TB_SYNP_CLOSED);
	ck_assert_uint_eq(s->closed, 1);
	ck_assert_uint_eq(s->waiting, 0);
	ck_assert_uint_eq(s->replies, 100004);
	ck_assert_uint_eq(s->ignored, 100002); /* the duplicate, port 23, the flood */
	free(s);
}
END_TEST

static struct tb_cidr loop_only = { .net = IP(127, 0, 0, 1), .prefix = 32 };
static struct tb_scope loop_scope = { .v = &loop_only, .n = 1 };

START_TEST(raw_path_refuses_out_of_scope_before_sending)
{
	struct tb_net n;
	struct tb_diag d = { 0 };
	int sp[2];
	uint8_t seg[TB_SYN_LEN] = { 0 }, got[64];
	uint16_t ports[2] = { 22, 23 };
	uint8_t segs[2 * TB_SYN_LEN] = { 0 };
	size_t sent = 99;
	tb_net_init(&n, &loop_scope, 1000, 200);
	/* Opening the raw socket for an address outside the scope: refused. */
	ck_assert_int_eq(tb_net_open_raw(&n, dut, &d), TB_E_SCOPE);
	ck_assert_int_eq(n.have_raw, 0);
	/* A stand-in "raw socket" whose other end shows whatever was sent. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp), 0);
	n.have_raw = 1;
	n.raw_fd = sp[0];
	ck_assert_int_eq(tb_net_raw_send(&n, dut, 22, seg, sizeof seg, &d), TB_E_SCOPE);
	ck_assert_ptr_nonnull(strstr(d.msg, "outside the lab scope"));
	ck_assert_int_eq(tb_net_raw_send_many(&n, dut, ports, segs, TB_SYN_LEN, 2, &sent, &d),
			 TB_E_SCOPE);
	ck_assert_uint_eq(sent, 0);
	ck_assert_uint_eq(n.scope_refusals, 2);
	ck_assert_uint_eq(n.connects, 0);
	ck_assert_int_eq(recv(sp[1], got, sizeof got, MSG_DONTWAIT), -1);
	/* The sweep refuses as a whole, and nothing is sent either. */
	struct tb_synscan *s = malloc(sizeof *s);
	uint8_t map[8192] = { 0 };
	map[22 >> 3] |= 1u << (22 & 7);
	ck_assert_int_eq(tb_synscan_run(s, &n, dut, map, NULL, &d), TB_E_SCOPE);
	ck_assert_uint_eq(s->sent, 0);
	ck_assert_uint_eq(n.connects, 0);
	ck_assert_int_eq(recv(sp[1], got, sizeof got, MSG_DONTWAIT), -1);
	free(s);
	close(sp[0]);
	close(sp[1]);
}
END_TEST

/* Without CAP_NET_RAW the raw socket cannot be opened: the reason says so
 * (in a child that gives up the capability first). */
START_TEST(raw_socket_needs_cap_net_raw)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct data[2];
		memset(data, 0, sizeof data);
		if (syscall(SYS_capset, &hdr, data) != 0)
			_exit(3);
		struct tb_net n;
		struct tb_diag d = { 0 };
		tb_net_init(&n, &loop_scope, 1000, 200);
		if (tb_net_open_raw(&n, IP(127, 0, 0, 1), &d) != TB_E_IO || n.have_raw)
			_exit(1);
		_exit(strstr(n.raw_note, "CAP_NET_RAW") ? 0 : 2);
	}
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
}
END_TEST

START_TEST(sweep_without_raw_socket_says_so)
{
	struct tb_net n;
	struct tb_diag d = { 0 };
	struct tb_synscan *s = malloc(sizeof *s);
	uint8_t map[8192] = { 0 };
	map[1] = 1;
	tb_net_init(&n, &loop_scope, 1000, 200);
	snprintf(n.raw_note, sizeof n.raw_note, "no raw socket (needs CAP_NET_RAW): test");
	ck_assert_int_eq(tb_synscan_run(s, &n, IP(127, 0, 0, 1), map, NULL, &d), TB_E_IO);
	ck_assert_ptr_nonnull(strstr(d.msg, "CAP_NET_RAW"));
	ck_assert_uint_eq(n.connects, 0);
	free(s);
}
END_TEST

static const char profile_text[] =
	"profile: { id: \"sweep\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
	"\"127.0.0.1\" }\n"
	"lab: { scope: [\"127.0.0.1/32\"], interface: \"lo\", intrusive: false }\n"
	"declarations:\n"
	"  services: [ { port: %u, transport: \"tcp\", protocol: \"x\", description: \"d\", "
	"purpose: \"p\", in-use: true } ]\n";

/* A loopback listener that sends a banner on accept is not needed: a
 * listener alone is an open port (its banner wait ends at the timeout). */
static int listen_loopback(uint16_t *port)
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

struct swept {
	enum tb_verdict verdict;
	char method[512], sweep[512];
};

/* Run exposure (TCP only) over ports lo..hi of loopback, with or without opening
 * the raw socket first (as the runner does before dropping privileges). */
static void sweep_loopback(uint16_t declared, const char *ports, const char *method, int want_raw,
			   struct swept *out)
{
	char suite_text[1024], prof[1024], outdir[] = "/tmp/tb-synscan-XXXXXX";
	snprintf(suite_text, sizeof suite_text,
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
		 "        check: { family: \"exposure\", params: { ports: \"%s\", "
		 "banner-timeout-ms: 50, method: \"%s\", udp-ports: \"none\", identify: false } }\n",
		 ports, method);
	snprintf(prof, sizeof prof, profile_text, declared);
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	struct tb_profile *p;
	ck_assert_ptr_nonnull(mkdtemp(outdir));
	ck_assert_msg(tb_suite_parse("a.yaml", suite_text, strlen(suite_text), &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_msg(tb_profile_parse("p.yaml", prof, strlen(prof), &p, &d) == TB_OK, "%s", d.msg);
	struct tb_ctx ctx = { .suite = s, .profile = p, .outdir = outdir };
	tb_net_init(&ctx.net, &p->scope, 100000, 500);
	if (want_raw)
		(void)tb_net_open_raw(&ctx.net, p->address, NULL);
	struct tb_result r = { .tc = &s->cases[0], .verdict = TB_V_ERROR };
	s->cases[0].family->run(&ctx, &s->cases[0], &r);
	out->verdict = r.verdict;
	out->method[0] = out->sweep[0] = '\0';
	for (size_t i = 0; i < r.nev; i++) {
		const struct tb_ev_item *e = &r.ev[i];
		if (e->label && e->text && strcmp(e->label, "method") == 0)
			snprintf(out->method, sizeof out->method, "%s", e->text);
		if (e->label && e->text && strcmp(e->label, "sweep") == 0)
			snprintf(out->sweep, sizeof out->sweep, "%s", e->text);
	}
	tb_net_close_raw(&ctx.net);
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", outdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(no_raw_socket_falls_back_to_connect_with_a_note)
{
	uint16_t port;
	int l = listen_loopback(&port);
	char ports[32];
	struct swept w;
	snprintf(ports, sizeof ports, "%u-%u", port - 3u, port + 3u);
	sweep_loopback(port, ports, "auto", 0, &w);
	ck_assert_int_eq(w.verdict, TB_V_PASS);
	ck_assert_msg(strstr(w.method, "connect() sweep (no raw SYN sweep:") != NULL, "%s", w.method);
	ck_assert_msg(strstr(w.sweep, "1 open, 6 closed") != NULL, "%s", w.sweep);
	close(l);
}
END_TEST

START_TEST(method_connect_is_honoured_and_a_bad_method_is_an_error)
{
	uint16_t port;
	int l = listen_loopback(&port);
	char ports[32];
	struct swept w;
	snprintf(ports, sizeof ports, "%u-%u", port - 1u, port + 1u);
	sweep_loopback(port, ports, "connect", 1, &w); /* raw socket or not: connect() */
	ck_assert_int_eq(w.verdict, TB_V_PASS);
	ck_assert_msg(strstr(w.method, "method \"connect\"") != NULL, "%s", w.method);
	sweep_loopback(port, ports, "syn", 0, &w);
	ck_assert_int_eq(w.verdict, TB_V_ERROR);
	close(l);
}
END_TEST

START_TEST(raw_sweep_finds_the_open_port_and_leaves_no_connection)
{
	struct tb_net probe;
	tb_net_init(&probe, &loop_scope, 1000, 200);
	if (tb_net_open_raw(&probe, IP(127, 0, 0, 1), NULL) != TB_OK)
		return; /* no CAP_NET_RAW here: the fallback test covers this */
	tb_net_close_raw(&probe);
	uint16_t port;
	int l = listen_loopback(&port);
	char ports[32];
	struct swept w;
	snprintf(ports, sizeof ports, "%u-%u", port - 3u, port + 3u);
	sweep_loopback(port, ports, "auto", 1, &w);
	ck_assert_int_eq(w.verdict, TB_V_PASS);
	ck_assert_msg(strstr(w.method, "raw SYN sweep") != NULL, "%s", w.method);
	ck_assert_msg(strstr(w.sweep, "1 open, 6 closed") != NULL, "%s", w.sweep);
	/* The banner connect was accepted once; the SYN's half-open connection
	 * was reset by the kernel, so nothing else waits to be accepted. */
	int c = accept(l, NULL, NULL);
	ck_assert_int_ge(c, 0);
	close(c);
	struct pollfd pf = { .fd = l, .events = POLLIN };
	ck_assert_int_eq(poll(&pf, 1, 100), 0);
	close(l);
}
END_TEST

Suite *synscan_suite(void)
{
	Suite *s = suite_create("synscan");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, siphash_matches_the_reference_vectors);
	tcase_add_test(tc, checksum_follows_rfc1071);
	tcase_add_test(tc, syn_is_well_formed_and_checksummed);
	tcase_add_test(tc, cookie_depends_on_port_address_and_key);
	tcase_add_test(tc, only_genuine_answers_count);
	tcase_add_test(tc, parser_refuses_hostile_headers);
	tcase_add_test(tc, parser_survives_random_bytes);
	tcase_add_test(tc, sweep_settles_only_waiting_ports_once);
	tcase_add_test(tc, raw_path_refuses_out_of_scope_before_sending);
	tcase_add_test(tc, raw_socket_needs_cap_net_raw);
	tcase_add_test(tc, sweep_without_raw_socket_says_so);
	tcase_add_test(tc, no_raw_socket_falls_back_to_connect_with_a_note);
	tcase_add_test(tc, method_connect_is_honoured_and_a_bad_method_is_an_error);
	tcase_add_test(tc, raw_sweep_finds_the_open_port_and_leaves_no_connection);
	suite_add_tcase(s, tc);
	return s;
}
