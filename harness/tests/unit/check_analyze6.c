/* check_analyze6.c: the analyzer follows IPv6 connections as it follows
 * IPv4 ones (issue 11 item 6: an FTP, MQTT or HTTP login over IPv6 was
 * invisible to it), on any of the DUT's addresses, with its peers written
 * back as RFC 5952 text. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/analyze.h"
#include "check/chk_traffic_internal.h"
#include "report/report_load.h"
#include "proto/p_pkt.h"
#include "result/result.h"
#include "result/verdict.h"
#include "suites.h"

#define DUT4 0xc612010au /* 198.18.1.10 */
#define SYN TB_TCP_SYN
#define ACK TB_TCP_ACK
#define FIN TB_TCP_FIN

static double now = 1795000000.0;

static void addr6(const char *text, uint8_t out[16])
{
	ck_assert_int_eq(inet_pton(AF_INET6, text, out), 1);
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* One raw-IP IPv6 frame carrying TCP (proto 6, flags) or UDP (17). */
static void frame6(struct tb_analysis *a, uint8_t proto, const char *src, uint16_t sport,
		   const char *dst, uint16_t dport, uint8_t flags, const void *pay, size_t n)
{
	static uint8_t f[2048];
	size_t hl = proto == 6 ? 20 : 8, len = 40 + hl + n;
	memset(f, 0, 40 + hl);
	f[0] = 0x60;
	put16(f + 4, (unsigned)(hl + n));
	f[6] = proto;
	f[7] = 64;
	addr6(src, f + 8);
	addr6(dst, f + 24);
	uint8_t *t = f + 40;
	put16(t, sport);
	put16(t + 2, dport);
	if (proto == 6) {
		t[12] = 0x50;
		t[13] = flags;
	} else {
		put16(t + 4, (unsigned)(8 + n));
	}
	if (n)
		memcpy(t + hl, pay, n);
	now += 0.001;
	tb_analysis_frame(a, TB_DLT_RAW_LT, now, f, len, len);
}

static void tcp6(struct tb_analysis *a, const char *src, uint16_t sport, const char *dst,
		 uint16_t dport, uint8_t flags, const char *pay)
{
	frame6(a, 6, src, sport, dst, dport, flags, pay, pay ? strlen(pay) : 0);
}

/* One raw-IP IPv4 TCP frame (for the families kept apart). */
static void tcp4(struct tb_analysis *a, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		 uint8_t flags, const char *pay)
{
	static uint8_t f[2048];
	size_t n = pay ? strlen(pay) : 0, len = 40 + n;
	memset(f, 0, 40);
	f[0] = 0x45;
	put16(f + 2, (unsigned)len);
	f[8] = 64;
	f[9] = 6;
	put16(f + 12, src >> 16);
	put16(f + 14, src & 0xffff);
	put16(f + 16, dst >> 16);
	put16(f + 18, dst & 0xffff);
	put16(f + 20, sport);
	put16(f + 22, dport);
	f[32] = 0x50;
	f[33] = flags;
	if (n)
		memcpy(f + 40, pay, n);
	now += 0.001;
	tb_analysis_frame(a, TB_DLT_RAW_LT, now, f, len, len);
}

/* A whole TCP connection started by client; the client sends req. */
static void session6(struct tb_analysis *a, const char *client, uint16_t cport, const char *server,
		     uint16_t sport, const char *greeting, const char *const *req, size_t nreq)
{
	tcp6(a, client, cport, server, sport, SYN, NULL);
	tcp6(a, server, sport, client, cport, SYN | ACK, NULL);
	tcp6(a, client, cport, server, sport, ACK, NULL);
	if (greeting)
		tcp6(a, server, sport, client, cport, ACK, greeting);
	for (size_t i = 0; i < nreq; i++)
		tcp6(a, client, cport, server, sport, ACK, req[i]);
	tcp6(a, client, cport, server, sport, FIN | ACK, NULL);
	tcp6(a, server, sport, client, cport, FIN | ACK, NULL);
}

static struct tb_analysis *dut_with_ipv6(void)
{
	uint8_t g[16], ll[16];
	struct tb_analysis *a = tb_analysis_new(DUT4);
	addr6("2001:2::10", g);
	addr6("fe80::10", ll);
	ck_assert_int_eq(tb_analysis_add_dut6(a, g), 0);
	ck_assert_int_eq(tb_analysis_add_dut6(a, ll), 0);
	return a;
}

static enum tb_verdict judge(const struct tb_analysis *a, const char *rule, char *why, size_t cap)
{
	struct tb_result r = { 0 };
	traffic_judge(a, rule, 0, &r);
	snprintf(why, cap, "%s", r.reason ? r.reason : "");
	enum tb_verdict v = r.verdict;
	tb_result_cleanup(&r);
	return v;
}

static const struct tb_secret *find_secret(const struct tb_analysis *a, enum tb_secret_kind kind)
{
	for (size_t i = 0; i < a->nsecrets; i++)
		if (a->secrets[i].kind == kind)
			return &a->secrets[i];
	return NULL;
}

START_TEST(http_basic_over_ipv6_is_a_secret_in_clear)
{
	static const char *const get[] = {
		"GET /telemetry HTTP/1.1\r\nHost: cloud\r\n"
		"Authorization: Basic ZGV2aWNlOnMzY3JldC1wYXNz\r\n\r\n"
	};
	struct tb_analysis *a = dut_with_ipv6();
	char why[4096], peer[TB_AN_ADDR_TEXT], label[128];
	session6(a, "2001:2::10", 50000, "2001:2:0:20::1", 80, NULL, get, 1);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->ipv6, 6);
	ck_assert_uint_eq(a->dut_frames, 6);
	ck_assert_uint_eq(a->nflows, 1);
	const struct tb_flow *f = &a->flows[0];
	ck_assert(f->k.v6 && f->k.app == TB_APP_HTTP && f->k.init == TB_INIT_DUT && f->k.port == 80);
	ck_assert_uint_eq(f->first_frame, 1);
	ck_assert_uint_eq(f->pkts_out, 4);
	tb_analysis_peer_format(a, f->k.v6, f->k.peer, peer);
	ck_assert_str_eq(peer, "2001:2:0:20::1"); /* RFC 5952: lower case, :: compressed */
	tb_analysis_flow_label(a, &f->k, label, sizeof label);
	ck_assert_str_eq(label, "[2001:2:0:20::1]:80/tcp");
	const struct tb_secret *user = find_secret(a, TB_SEC_HTTP_BASIC_USER);
	const struct tb_secret *pass = find_secret(a, TB_SEC_HTTP_BASIC_PASS);
	ck_assert_ptr_nonnull(user);
	ck_assert_ptr_nonnull(pass);
	ck_assert(user->from_dut && pass->from_dut && user->k.v6);
	ck_assert_uint_eq(user->first_frame, 4);
	ck_assert_uint_eq(pass->length, 11); /* s3cret-pass */
	ck_assert_int_eq(judge(a, "no-cleartext-secrets", why, sizeof why), TB_V_FAIL);
	ck_assert_msg(strstr(why, "[2001:2:0:20::1]:80/tcp, frame 4") != NULL, "%s", why);
	ck_assert_int_eq(judge(a, "outbound-encrypted", why, sizeof why), TB_V_FAIL);
	tb_analysis_free(a);
}
END_TEST

START_TEST(ftp_login_to_the_link_local_address)
{
	static const char *const login[] = { "USER camera\r\n", "PASS Cam-Pa55-4242\r\n" };
	struct tb_analysis *a = dut_with_ipv6();
	session6(a, "fe80::1", 40000, "fe80::10", 21, "220 ready\r\n", login, 2);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->nflows, 1);
	ck_assert(a->flows[0].k.app == TB_APP_FTP && a->flows[0].k.init == TB_INIT_PEER);
	const struct tb_secret *user = find_secret(a, TB_SEC_FTP_USER);
	const struct tb_secret *pass = find_secret(a, TB_SEC_FTP_PASS);
	ck_assert_ptr_nonnull(user);
	ck_assert_ptr_nonnull(pass);
	ck_assert(!user->from_dut && !pass->from_dut);
	ck_assert_uint_eq(user->first_frame, 5);
	ck_assert_uint_eq(pass->first_frame, 6);
	ck_assert_uint_eq(pass->length, 13);
	char peer[TB_AN_ADDR_TEXT], duts[256];
	tb_analysis_peer_format(a, 1, user->k.peer, peer);
	ck_assert_str_eq(peer, "fe80::1");
	tb_analysis_dut_format(a, duts, sizeof duts);
	ck_assert_str_eq(duts, "198.18.1.10 2001:2::10 fe80::10");
	tb_analysis_free(a);
}
END_TEST

START_TEST(mqtt_connect_over_ipv6)
{
	/* CONNECT, MQTT 3.1.1, user and password flags, client id "c",
	 * user "rd-camera", password "mq-pass1" */
	static const uint8_t connect[] = { 0x10, 34,  0,   4, 'M', 'Q', 'T', 'T', 4,   0xc2, 0,   60,
					   0,    1,   'c', 0, 9,   'r', 'd', '-', 'c', 'a',  'm', 'e',
					   'r',  'a', 0,   8, 'm', 'q', '-', 'p', 'a', 's',  's', '1' };
	struct tb_analysis *a = dut_with_ipv6();
	tcp6(a, "2001:2::10", 50001, "2001:2::1", 1883, SYN, NULL);
	tcp6(a, "2001:2::1", 1883, "2001:2::10", 50001, SYN | ACK, NULL);
	frame6(a, 6, "2001:2::10", 50001, "2001:2::1", 1883, ACK, connect, sizeof connect);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->nflows, 1);
	ck_assert(a->flows[0].k.app == TB_APP_MQTT && a->flows[0].k.init == TB_INIT_DUT);
	const struct tb_secret *pass = find_secret(a, TB_SEC_MQTT_PASS);
	ck_assert_ptr_nonnull(pass);
	ck_assert(pass->from_dut);
	ck_assert_uint_eq(pass->first_frame, 3);
	ck_assert_uint_eq(pass->length, 8);
	tb_analysis_free(a);
}
END_TEST

/* An IPv6 peer's index and an IPv4 address may be the same number: the
 * first IPv6 peer is index 0, like 0.0.0.0.  They are different peers. */
START_TEST(families_kept_apart)
{
	struct tb_analysis *a = dut_with_ipv6();
	tcp6(a, "2001:2::1", 40000, "2001:2::10", 80, SYN, NULL);
	tcp4(a, 0, 40000, DUT4, 80, SYN, NULL);
	tcp6(a, "2001:2::1", 40000, "2001:2::10", 80, ACK, "GET / HTTP/1.1\r\n\r\n");
	tcp4(a, 0, 40000, DUT4, 80, ACK, "GET / HTTP/1.1\r\n\r\n");
	/* Answered, so each is a flow (unanswered attempts are probes). */
	tcp6(a, "2001:2::10", 80, "2001:2::1", 40000, ACK, "HTTP/1.1 204 No Content\r\n\r\n");
	tcp4(a, DUT4, 80, 0, 40000, ACK, "HTTP/1.1 204 No Content\r\n\r\n");
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->connections, 2);
	ck_assert_uint_eq(a->nflows, 2);
	ck_assert(a->flows[0].k.v6 != a->flows[1].k.v6);
	ck_assert_uint_eq(a->flows[0].k.peer, 0);
	ck_assert_uint_eq(a->flows[1].k.peer, 0);
	ck_assert_uint_eq(a->flows[0].pkts_in + a->flows[1].pkts_in, 4);
	ck_assert_uint_eq(a->flows[0].pkts_in, 2);
	tb_analysis_free(a);
}
END_TEST

START_TEST(frames_counted_by_family)
{
	struct tb_analysis *a = dut_with_ipv6();
	static const uint8_t arp[60] = { [12] = 0x08, [13] = 0x06 };
	tcp6(a, "2001:2::1", 40000, "2001:2::99", 80, SYN, NULL); /* not the DUT's */
	tcp6(a, "2001:2::1", 40000, "2001:2::10", 80, SYN, NULL);
	tcp4(a, DUT4, 1, 0xc6120101u, 2, SYN, NULL);
	tb_analysis_frame(a, TB_DLT_EN10MB, now + 1, arp, sizeof arp, sizeof arp);
	ck_assert_uint_eq(a->frames, 4);
	ck_assert_uint_eq(a->ipv6, 2);
	ck_assert_uint_eq(a->other_frames, 1);
	ck_assert_uint_eq(a->dut_frames, 2);
	ck_assert_uint_eq(a->non_ip, 1);
	tb_analysis_free(a);
}
END_TEST

/* A DUT known by IPv6 only: no IPv4 frame is its, not even one from or to
 * 0.0.0.0 (which a DHCP client sends from). */
START_TEST(ipv6_only_dut)
{
	uint8_t g[16];
	addr6("2001:2::10", g);
	struct tb_analysis *a = tb_analysis_new6(g);
	tcp4(a, 0, 68, 0xffffffffu, 67, SYN, NULL);
	tcp4(a, 0xc6120101u, 40000, 0, 80, SYN, NULL);
	tcp6(a, "2001:2::1", 40000, "2001:2::10", 23, SYN, NULL);
	ck_assert_uint_eq(a->other_frames, 2);
	ck_assert_uint_eq(a->dut_frames, 1);
	char duts[128];
	tb_analysis_dut_format(a, duts, sizeof duts);
	ck_assert_str_eq(duts, "2001:2::10");
	tb_analysis_free(a);
}
END_TEST

/* More IPv6 peers than the table holds: counted as a loss, so the traffic
 * check cannot say PASS. */
START_TEST(peer_table_overflow_is_a_loss)
{
	struct tb_analysis *a = dut_with_ipv6();
	char peer[64], why[4096];
	for (unsigned i = 0; i <= TB_AN_MAX_PEERS6; i++) {
		snprintf(peer, sizeof peer, "2001:2:0:%x::%x", i >> 8 & 0xff, (i & 0xff) + 1);
		frame6(a, 17, "2001:2::10", 5353, peer, 5353, 0, "x", 1);
	}
	ck_assert_uint_eq(a->npeers6, TB_AN_MAX_PEERS6);
	ck_assert_uint_eq(a->loss.peers6_dropped, 1);
	ck_assert_uint_eq(a->dut_frames, TB_AN_MAX_PEERS6 + 1);
	ck_assert_uint_ne(tb_analysis_loss_describe(a, 0, why, sizeof why), 0);
	ck_assert_msg(strstr(why, "IPv6 peer beyond the peer table") != NULL, "%s", why);
	tb_analysis_free(a);
}
END_TEST

START_TEST(dut6_addresses_bounded)
{
	struct tb_analysis *a = tb_analysis_new(DUT4);
	uint8_t g[16];
	addr6("2001:2::10", g);
	for (int i = 0; i < TB_AN_MAX_DUT6; i++) {
		g[15] = (uint8_t)i;
		ck_assert_int_eq(tb_analysis_add_dut6(a, g), 0);
	}
	ck_assert_int_eq(tb_analysis_add_dut6(a, g), 0); /* already there */
	g[15] = 0xff;
	ck_assert_int_eq(tb_analysis_add_dut6(a, g), -1);
	ck_assert_uint_eq(a->ndut6, TB_AN_MAX_DUT6);
	tb_analysis_free(a);
}
END_TEST

/* The same traffic over IPv4 and over IPv6 (fixtures/pcaps/make-pcaps.sh:
 * pcapgen --ip 6 maps 198.18.X.Y to 2001:2:0:X::Y) gives the same analysis:
 * connections, groups, classification, secrets, telnet logins, fragments,
 * frame numbers; only the bytes differ, by the larger header. */
static struct tb_analysis *load(const char *path, int v6)
{
	struct tb_diag d = { 0 };
	uint8_t dut6[16];
	addr6("2001:2:0:1::a", dut6);
	struct tb_analysis *a = v6 ? tb_analysis_new6(dut6) : tb_analysis_new(DUT4);
	ck_assert_msg(tb_analysis_read_file(a, path, &d) == TB_OK, "%s", d.msg);
	return a;
}

static void assert_same_analysis(const char *v4_path, const char *v6_path)
{
	struct tb_analysis *a = load(v4_path, 0), *b = load(v6_path, 1);
	ck_assert_uint_eq(b->frames, a->frames);
	ck_assert_uint_eq(b->dut_frames, a->dut_frames);
	ck_assert_uint_eq(b->ipv6, b->frames);
	ck_assert_uint_eq(b->connections, a->connections);
	ck_assert_uint_eq(b->fragments, a->fragments);
	ck_assert_uint_eq(b->nflows, a->nflows);
	ck_assert_uint_eq(b->nprobes, a->nprobes);
	ck_assert_uint_eq(b->nsecrets, a->nsecrets);
	ck_assert_uint_eq(b->nnames, a->nnames);
	ck_assert_uint_eq(b->stray + b->undecodable + b->other_frames, 0);
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *f = &a->flows[i], *g = &b->flows[i];
		char fl[128], gl[128], want[128], ip[TB_AN_ADDR_TEXT];
		ck_assert(g->k.v6 && !f->k.v6);
		ck_assert(g->k.app == f->k.app && g->k.init == f->k.init && g->k.port == f->k.port &&
			  g->k.proto == f->k.proto);
		ck_assert_uint_eq(g->connections, f->connections);
		ck_assert_uint_eq(g->first_frame, f->first_frame);
		ck_assert_uint_eq(g->last_frame, f->last_frame);
		ck_assert_uint_eq(g->pkts_out, f->pkts_out);
		ck_assert_uint_eq(g->pkts_in, f->pkts_in);
		ck_assert_uint_eq(g->payload_out, f->payload_out);
		ck_assert_uint_eq(g->payload_in, f->payload_in);
		ck_assert_uint_eq(g->tls_ok, f->tls_ok);
		ck_assert_str_eq(g->sni, f->sni);
		/* 20 bytes more per packet, 8 more for a fragment header */
		ck_assert_uint_ge(g->bytes_out, f->bytes_out + 20 * f->pkts_out);
		ck_assert_uint_le(g->bytes_out, f->bytes_out + 28 * f->pkts_out);
		/* the peer, 198.18.X.Y as 2001:2:0:X::Y */
		tb_analysis_flow_label(a, &f->k, fl, sizeof fl);
		tb_analysis_flow_label(b, &g->k, gl, sizeof gl);
		tb_analysis_peer_format(b, 1, g->k.peer, ip);
		snprintf(want, sizeof want, "2001:2:0:%u::%x", f->k.peer >> 8 & 0xff, f->k.peer & 0xff);
		ck_assert_str_eq(ip, want);
		ck_assert_ptr_nonnull(strstr(gl, want));
	}
	for (size_t i = 0; i < a->nsecrets; i++) {
		const struct tb_secret *s = &a->secrets[i], *t = &b->secrets[i];
		ck_assert(t->kind == s->kind && t->from_dut == s->from_dut && t->k.v6);
		ck_assert_uint_eq(t->length, s->length);
		ck_assert_str_eq(t->masked, s->masked);
		ck_assert_uint_eq(t->first_frame, s->first_frame);
		ck_assert_uint_eq(t->count, s->count);
	}
	char la[700], lb[700];
	ck_assert_uint_eq(tb_analysis_loss_describe(b, 0, lb, sizeof lb),
			  tb_analysis_loss_describe(a, 0, la, sizeof la));
	tb_analysis_free(a);
	tb_analysis_free(b);
}

START_TEST(ipv6_analysed_as_ipv4)
{
	assert_same_analysis("fixtures/pcaps/legacy.pcap", "fixtures/pcaps/legacy-ipv6.pcap");
	assert_same_analysis("fixtures/pcaps/hardened.pcap", "fixtures/pcaps/hardened-ipv6-sll2.pcap");
}
END_TEST

/* The report carries the IPv6 peers and the DUT's addresses as text, and
 * the schema takes them. */
START_TEST(ipv6_report_validates)
{
	char tmp[] = "/tmp/tb-an6-XXXXXX";
	int fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct tb_analysis *a = load("fixtures/pcaps/legacy-ipv6.pcap", 1);
	uint8_t ll[16];
	addr6("fe80::a", ll);
	ck_assert_int_eq(tb_analysis_add_dut6(a, ll), 0);
	struct tb_capture_info ci = { .status = "offline", .path = "legacy-ipv6.pcap" };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_traffic_write(&ci, a, tmp, &d), TB_OK);
	ck_assert_msg(tb_report_load_validate(tmp, "reports/schema/trustbench-report.xsd", &d) == TB_OK,
		      "%s", d.msg);
	char *buf = NULL;
	size_t len = 0;
	ck_assert_int_eq(tb_file_read(tmp, 1 << 20, &buf, &len, &d), TB_OK);
	ck_assert_ptr_nonnull(strstr(buf, "dut=\"2001:2:0:1::a fe80::a\""));
	ck_assert_ptr_nonnull(strstr(buf, "peer=\"2001:2:0:9::1\" port=\"1883\""));
	ck_assert_ptr_nonnull(strstr(buf, "flow=\"[2001:2:0:1::1]:21/tcp\""));
	ck_assert_ptr_nonnull(strstr(buf, "ipv6-frames=\""));
	ck_assert_ptr_null(strstr(buf, "mq-Pa55w0rd-legacy"));
	free(buf);
	unlink(tmp);
	tb_analysis_free(a);
}
END_TEST

Suite *analyze6_suite(void)
{
	Suite *s = suite_create("analyze6");
	TCase *tc = tcase_create("ipv6");
	tcase_add_test(tc, http_basic_over_ipv6_is_a_secret_in_clear);
	tcase_add_test(tc, ftp_login_to_the_link_local_address);
	tcase_add_test(tc, mqtt_connect_over_ipv6);
	tcase_add_test(tc, families_kept_apart);
	tcase_add_test(tc, frames_counted_by_family);
	tcase_add_test(tc, ipv6_only_dut);
	tcase_add_test(tc, peer_table_overflow_is_a_loss);
	tcase_add_test(tc, dut6_addresses_bounded);
	tcase_add_test(tc, ipv6_analysed_as_ipv4);
	tcase_add_test(tc, ipv6_report_validates);
	suite_add_tcase(s, tc);
	return s;
}
