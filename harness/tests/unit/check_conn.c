/* check_conn.c: the analyzer follows connections, not peer:port pairs, and
 * the traffic check never says PASS over lost information (issue "Truth
 * first": the harness's sweep filled the flow table and hid a device's
 * later cleartext phone-home; mid-stream bytes were re-guessed as telnet
 * or MQTT; a short secret's mask showed it whole). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/analyze.h"
#include "capture/analyze_internal.h"
#include "check/chk_traffic_internal.h"
#include "proto/p_pkt.h"
#include "result/result.h"
#include "result/verdict.h"
#include "suites.h"

#define DUT 0xc612010au     /* 198.18.1.10 */
#define HARNESS 0xc6120101u /* 198.18.1.1 */
#define CLOUD 0xc6120901u   /* 198.18.9.1 */

#define SYN TB_TCP_SYN
#define ACK TB_TCP_ACK
#define RST TB_TCP_RST
#define FIN TB_TCP_FIN

static double now = 1795000000.0;

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* One raw-IP frame: IPv4 header, a transport header of hl bytes whose
 * ports are set (the caller fills the rest), then the payload; snap:
 * bytes captured (0: all). */
static void ip_frame(struct tb_analysis *a, uint8_t proto, size_t hl, uint32_t src, uint16_t sport,
		     uint32_t dst, uint16_t dport, const uint8_t *th, const void *pay, size_t n,
		     size_t snap)
{
	static uint8_t f[2048];
	size_t len = 20 + hl + n;
	memset(f, 0, 20 + hl);
	f[0] = 0x45;
	put16(f + 2, (unsigned)len);
	f[8] = 64;
	f[9] = proto;
	put32(f + 12, src);
	put32(f + 16, dst);
	memcpy(f + 20, th, hl);
	put16(f + 20, sport);
	put16(f + 22, dport);
	if (n)
		memcpy(f + 20 + hl, pay, n);
	now += 0.001;
	tb_analysis_frame(a, TB_DLT_RAW_LT, now, f, snap ? snap : len, len);
}

static void tcp_snap(struct tb_analysis *a, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		     uint8_t flags, const void *pay, size_t n, size_t snap)
{
	uint8_t th[20] = { 0 };
	th[12] = 0x50; /* data offset: 5 words */
	th[13] = flags;
	ip_frame(a, 6, sizeof th, src, sport, dst, dport, th, pay, n, snap);
}

static void udp_snap(struct tb_analysis *a, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		     const void *pay, size_t n, size_t snap)
{
	uint8_t uh[8] = { 0 };
	put16(uh + 4, (unsigned)(8 + n));
	ip_frame(a, 17, sizeof uh, src, sport, dst, dport, uh, pay, n, snap);
}

static void tcp(struct tb_analysis *a, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		uint8_t flags, const char *pay)
{
	tcp_snap(a, src, sport, dst, dport, flags, pay, pay ? strlen(pay) : 0, 0);
}

/* The harness's exposure sweep: SYN to every port, RST back. */
static void sweep(struct tb_analysis *a)
{
	for (unsigned port = 1; port <= 65535; port++) {
		tcp(a, HARNESS, 40000 + (port % 20000), DUT, (uint16_t)port, SYN, NULL);
		tcp(a, DUT, (uint16_t)port, HARNESS, 40000 + (port % 20000), RST | ACK, NULL);
	}
}

static const char telemetry[] =
	"GET /telemetry?token=abcdef0123456789 HTTP/1.1\r\n"
	"Host: cloud\r\nAuthorization: Basic ZGV2aWNlOnMzY3JldC1wYXNz\r\n\r\n";

/* The DUT's own cleartext phone-home: a whole HTTP exchange. */
static void phone_home(struct tb_analysis *a, uint16_t sport)
{
	tcp(a, DUT, sport, CLOUD, 80, SYN, NULL);
	tcp(a, CLOUD, 80, DUT, sport, SYN | ACK, NULL);
	tcp(a, DUT, sport, CLOUD, 80, ACK, telemetry);
	tcp(a, CLOUD, 80, DUT, sport, ACK, "HTTP/1.1 204 No Content\r\n\r\n");
	tcp(a, DUT, sport, CLOUD, 80, FIN | ACK, NULL);
	tcp(a, CLOUD, 80, DUT, sport, FIN | ACK, NULL);
	tcp(a, DUT, sport, CLOUD, 80, ACK, NULL);
}

static const struct tb_flow *find_flow(const struct tb_analysis *a, enum tb_initiator init,
				       enum tb_app app, uint16_t port)
{
	for (size_t i = 0; i < a->nflows; i++)
		if (a->flows[i].k.init == init && a->flows[i].k.app == app &&
		    a->flows[i].k.port == port)
			return &a->flows[i];
	return NULL;
}

static enum tb_verdict judge(const struct tb_analysis *a, const char *rule, uint64_t dropped,
			     char *reason, size_t cap)
{
	struct tb_result r = { 0 };
	traffic_judge(a, rule, dropped, &r);
	snprintf(reason, cap, "%s", r.reason ? r.reason : "");
	enum tb_verdict v = r.verdict;
	tb_result_cleanup(&r);
	return v;
}

START_TEST(sweep_never_hides_a_later_phone_home)
{
	struct tb_analysis *a = tb_analysis_new(DUT);
	char why[4096];
	sweep(a);
	for (unsigned i = 0; i < 29; i++)
		phone_home(a, (uint16_t)(50000 + i));
	tb_analysis_finish(a);
	const struct tb_flow *f = find_flow(a, TB_INIT_DUT, TB_APP_HTTP, 80);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->connections, 29);
	ck_assert_uint_eq(f->first_frame, 2 * 65535 + 1);
	ck_assert_uint_eq(a->nprobes, 1); /* the whole sweep: one line */
	ck_assert_uint_eq(a->probes[0].connections, 65535);
	ck_assert_uint_eq(a->loss.untracked + a->loss.evicted_open, 0);
	ck_assert_int_eq(judge(a, "outbound-encrypted", 0, why, sizeof why), TB_V_FAIL);
	ck_assert_msg(strstr(why, "29 connections, frames 131071-") != NULL, "%s", why);
	ck_assert_int_eq(judge(a, "no-cleartext-secrets", 0, why, sizeof why), TB_V_FAIL);
	ck_assert_msg(strstr(why, "http-basic-password *** (") ||
			      strstr(why, "http-basic-password s***"),
		      "%s", why);
	ck_assert_msg(strstr(why, "frame 131073") != NULL, "%s", why);
	tb_analysis_free(a);
}
END_TEST

START_TEST(a_new_syn_starts_a_new_connection)
{
	/* The capture begins inside a TLS connection to cloud:443; later the
	 * DUT opens a cleartext connection to the same peer and port. */
	struct tb_analysis *a = tb_analysis_new(DUT);
	char why[4096];
	static const uint8_t appdata[] = { 0x17, 0x03, 0x03, 0x00, 0x04, 0xff, 0x10, 0x00, 0x01 };
	tcp_snap(a, DUT, 50000, CLOUD, 443, ACK, appdata, sizeof appdata, 0);
	tcp_snap(a, CLOUD, 443, DUT, 50000, ACK, appdata, sizeof appdata, 0);
	tcp(a, DUT, 50001, CLOUD, 443, SYN, NULL);
	tcp(a, CLOUD, 443, DUT, 50001, SYN | ACK, NULL);
	tcp(a, DUT, 50001, CLOUD, 443, ACK,
	    "POST /up HTTP/1.1\r\nX-Auth-Token: tok-0123456789abcdef\r\n\r\n");
	tb_analysis_finish(a);
	const struct tb_flow *tls = find_flow(a, TB_INIT_DUT, TB_APP_TLS, 443);
	const struct tb_flow *http = find_flow(a, TB_INIT_DUT, TB_APP_HTTP, 443);
	ck_assert_ptr_nonnull(tls);
	ck_assert_ptr_nonnull(http);
	ck_assert_uint_eq(tls->inferred, 1); /* its start was not seen */
	ck_assert_uint_eq(http->inferred, 0);
	ck_assert_int_eq(judge(a, "outbound-encrypted", 0, why, sizeof why), TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(why, "http to 198.18.9.1:443/tcp"));
	tb_analysis_free(a);
}
END_TEST

START_TEST(same_ports_reused_after_the_end)
{
	struct tb_analysis *a = tb_analysis_new(DUT);
	phone_home(a, 50000);
	phone_home(a, 50000);
	tb_analysis_finish(a);
	const struct tb_flow *f = find_flow(a, TB_INIT_DUT, TB_APP_HTTP, 80);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->connections, 2);
	ck_assert_uint_eq(a->stray, 0);
	tb_analysis_free(a);
}
END_TEST

START_TEST(midstream_initiator_inferred_from_ports)
{
	struct tb_analysis *a = tb_analysis_new(DUT);
	tcp(a, CLOUD, 1883, DUT, 41000, ACK, "\x30\x05\x00\x01t\x01\x02");
	tcp(a, DUT, 41000, CLOUD, 1883, ACK, "\x40\x02\x00\x01");
	tcp(a, HARNESS, 52000, DUT, 23, ACK, "ls\r\n");
	tcp(a, DUT, 23, HARNESS, 52000, ACK, "bin\r\n"); /* answered: a flow, not a probe */
	tcp(a, DUT, 34567, CLOUD, 45678, ACK, "hello");
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->nflows, 3);
	const struct tb_flow *m = &a->flows[0], *t = &a->flows[1], *u = &a->flows[2];
	ck_assert_int_eq(m->k.init, TB_INIT_DUT);
	ck_assert_uint_eq(m->k.port, 1883);
	ck_assert_uint_eq(m->inferred, 1);
	ck_assert_int_eq(m->k.app, TB_APP_UNKNOWN); /* mid-stream: not guessed from bytes */
	ck_assert_int_eq(t->k.init, TB_INIT_PEER);
	ck_assert_int_eq(t->k.app, TB_APP_TELNET);
	ck_assert_int_eq(u->k.init, TB_INIT_UNKNOWN);
	ck_assert_uint_eq(u->inferred, 0);
	tb_analysis_free(a);
}
END_TEST

START_TEST(encrypted_bytes_never_reguessed)
{
	/* SSH: banners first, then binary packets with 0xff and 0x10 bytes. */
	struct tb_analysis *a = tb_analysis_new(DUT);
	static const uint8_t bin1[] = { 0xff, 0xfb, 0x01, 0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T' };
	static const uint8_t bin2[] = { 0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0, 60 };
	tcp(a, HARNESS, 52000, DUT, 22, SYN, NULL);
	tcp(a, DUT, 22, HARNESS, 52000, SYN | ACK, NULL);
	tcp(a, DUT, 22, HARNESS, 52000, ACK, "SSH-2.0-dropbear\r\n");
	tcp(a, HARNESS, 52000, DUT, 22, ACK, "SSH-2.0-OpenSSH_9.2\r\n");
	tcp_snap(a, HARNESS, 52000, DUT, 22, ACK, bin1, sizeof bin1, 0);
	tcp_snap(a, DUT, 22, HARNESS, 52000, ACK, bin2, sizeof bin2, 0);
	/* SMB on 445: not recognised, and stays so whatever follows. */
	static const uint8_t smb[] = { 0x00, 0x00, 0x00, 0x08, 0xfe, 'S', 'M', 'B', 0, 0, 0, 0 };
	tcp(a, DUT, 50000, CLOUD, 445, SYN, NULL);
	tcp(a, CLOUD, 445, DUT, 50000, SYN | ACK, NULL);
	tcp_snap(a, DUT, 50000, CLOUD, 445, ACK, smb, sizeof smb, 0);
	tcp_snap(a, CLOUD, 445, DUT, 50000, ACK, smb, sizeof smb, 0);
	tcp_snap(a, DUT, 50000, CLOUD, 445, ACK, bin1, sizeof bin1, 0);
	tcp_snap(a, DUT, 50000, CLOUD, 445, ACK, bin2, sizeof bin2, 0);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->nflows, 2);
	ck_assert_int_eq(a->flows[0].k.app, TB_APP_SSH);
	ck_assert_int_eq(a->flows[1].k.app, TB_APP_UNKNOWN);
	ck_assert_uint_eq(a->nsecrets, 0);
	tb_analysis_free(a);
}
END_TEST

START_TEST(classify_needs_a_whole_connect)
{
	static const uint8_t half[] = { 0x10, 0x20, 0x00, 0x04, 'M', 'Q' };
	static const uint8_t whole[] = { 0x10, 0x10, 0x00, 0x04, 'M',  'Q', 'T', 'T', 0x04,
					 0x02, 0x00, 0x3c, 0x00, 0x04, 'c', 'a', 'm', '1' };
	static const uint8_t iac[] = { 0xff, 0xfd, 0x18 };
	ck_assert_int_eq(classify_payload(6, half, sizeof half, 1, 9000, NULL), TB_APP_UNKNOWN);
	ck_assert_int_eq(classify_payload(6, whole, sizeof whole, 1, 9000, NULL), TB_APP_MQTT);
	ck_assert_int_eq(classify_payload(6, whole, sizeof whole, 0, 9000, NULL), TB_APP_UNKNOWN);
	ck_assert_int_eq(classify_payload(6, iac, sizeof iac, 1, 9000, NULL), TB_APP_TELNET);
	ck_assert_int_eq(classify_payload(6, iac, sizeof iac, 0, 9000, NULL), TB_APP_UNKNOWN);
	ck_assert_int_eq(classify_payload(6, (const uint8_t *)"SSH-2.0-x\r\n", 11, 1, 23, NULL),
			 TB_APP_SSH);
	/* The CONNECT parsed on the way is handed back, and only a whole one. */
	struct tb_mqtt_connect mq;
	ck_assert_int_eq(classify_payload(6, whole, sizeof whole, 1, 9000, &mq), TB_APP_MQTT);
	ck_assert_int_eq(mq.level, 4);
	ck_assert_uint_eq(mq.client_id_len, 4);
	ck_assert_int_eq(classify_payload(6, half, sizeof half, 1, 1883, &mq), TB_APP_MQTT);
	ck_assert_int_eq(mq.level, 0);
}
END_TEST

START_TEST(short_secrets_fully_masked)
{
	char m[8];
	secret_mask((const uint8_t *)"1", 1, m);
	ck_assert_str_eq(m, "***");
	secret_mask((const uint8_t *)"admin12", 7, m);
	ck_assert_str_eq(m, "***");
	secret_mask((const uint8_t *)"longer-secret", 13, m);
	ck_assert_str_eq(m, "l***");
	secret_mask((const uint8_t *)"<script>x", 9, m);
	ck_assert_str_eq(m, "***");
}
END_TEST

START_TEST(timestamps_clamped_and_counted)
{
	struct tb_analysis *a = tb_analysis_new(DUT);
	uint8_t f[40] = { 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17 };
	put32(f + 12, DUT);
	put32(f + 16, CLOUD);
	put16(f + 20, 40000);
	put16(f + 22, 9999);
	put16(f + 24, 20);
	tb_analysis_frame(a, TB_DLT_RAW_LT, 1000.0, f, sizeof f, sizeof f);
	tb_analysis_frame(a, TB_DLT_RAW_LT, 10.0, f, sizeof f, sizeof f);
	tb_analysis_frame(a, TB_DLT_RAW_LT, 1e300, f, sizeof f, sizeof f);
	tb_analysis_frame(a, TB_DLT_RAW_LT, 1001.0, f, sizeof f, sizeof f);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->bad_timestamps, 2);
	ck_assert(a->last_ts >= a->first_ts);
	ck_assert(a->windows[0].end == 0 || a->windows[0].end >= a->windows[0].start);
	tb_analysis_free(a);
}
END_TEST

START_TEST(lost_information_blocks_pass)
{
	/* A hardened device, all TLS 1.3 — but some of its bytes were lost. */
	static const uint8_t ch[] = {
		0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03
	};
	struct tb_analysis *a = tb_analysis_new(DUT);
	char why[4096];
	FILE *fp = fopen("fixtures/pcaps/hardened.pcap", "rb");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_analysis_read_file(a, "fixtures/pcaps/hardened.pcap", &d), TB_OK);
	ck_assert_int_eq(judge(a, "outbound-encrypted", 0, why, sizeof why), TB_V_PASS);
	ck_assert_int_eq(judge(a, "no-cleartext-secrets", 0, why, sizeof why), TB_V_PASS);
	/* kernel drops */
	ck_assert_int_eq(judge(a, "outbound-encrypted", 3, why, sizeof why), TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(why, "3 packets dropped by the kernel"));
	ck_assert_int_eq(judge(a, "no-cleartext-secrets", 3, why, sizeof why), TB_V_INCONCLUSIVE);
	/* a DNS query of the device cut by the snap length: not judged
	 * itself, but what it hid could have been anything */
	udp_snap(a, DUT, 40000, CLOUD, 53, ch, sizeof ch, 30);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->loss.truncated, 1);
	ck_assert_int_eq(judge(a, "no-cleartext-secrets", 0, why, sizeof why), TB_V_INCONCLUSIVE);
	ck_assert_msg(strstr(why, "cut short by the snap length") != NULL, "%s", why);
	ck_assert_int_eq(judge(a, "outbound-encrypted", 0, why, sizeof why), TB_V_INCONCLUSIVE);
	tb_analysis_free(a);
}
END_TEST

/* The harness's own login guesses carry secrets to the device, hundreds of
 * them in a credential phase: they must neither crowd out what the device
 * itself sends nor count as information lost about the device. */
START_TEST(harness_guesses_never_crowd_out_device_secrets)
{
	struct tb_analysis *a = tb_analysis_new(DUT);
	char req[128], why[4096];
	for (int i = 0; i < 100; i++) {
		uint16_t sport = (uint16_t)(41000 + i);
		snprintf(req, sizeof req,
			 "GET /admin?token=guess%04dabcdefgh HTTP/1.1\r\nHost: d\r\n\r\n", i);
		tcp(a, HARNESS, sport, DUT, 80, SYN, NULL);
		tcp(a, DUT, 80, HARNESS, sport, SYN | ACK, NULL);
		tcp(a, HARNESS, sport, DUT, 80, ACK, req);
		tcp(a, DUT, 80, HARNESS, sport, ACK, "HTTP/1.1 401 Unauthorized\r\n\r\n");
		tcp(a, HARNESS, sport, DUT, 80, RST | ACK, NULL);
	}
	phone_home(a, 50000);
	tb_analysis_finish(a);
	ck_assert_uint_gt(a->loss.secrets_dropped, 0);
	ck_assert_uint_eq(a->loss.secrets_dropped_dut, 0);
	ck_assert_uint_eq(tb_analysis_loss_describe(a, 0, why, sizeof why), 0);
	int dut_secrets = 0;
	for (size_t i = 0; i < a->nsecrets; i++)
		dut_secrets += a->secrets[i].from_dut;
	ck_assert_int_ge(dut_secrets, 2); /* the token and the Basic credentials */
	ck_assert_int_eq(judge(a, "no-cleartext-secrets", 0, why, sizeof why), TB_V_FAIL);
	tb_analysis_free(a);
}
END_TEST

START_TEST(full_table_counts_open_connections_lost)
{
	/* More open device connections with payload than the table holds. */
	struct tb_analysis *a = tb_analysis_new(DUT);
	char why[4096];
	for (unsigned i = 0; i < TB_AN_MAX_CONNS + 10; i++) {
		uint32_t peer = CLOUD + (i >> 12);
		uint16_t sport = (uint16_t)(20000 + (i & 0xfff));
		tcp(a, DUT, sport, peer, 443, SYN, NULL);
		tcp_snap(a, DUT, sport, peer, 443, ACK, "\x17\x03\x03\x00\x01x", 6, 0);
	}
	ck_assert_uint_eq(a->nconns, TB_AN_MAX_CONNS);
	ck_assert_uint_eq(a->loss.evicted_open, 10);
	tb_analysis_finish(a);
	ck_assert_int_ne(judge(a, "outbound-encrypted", 0, why, sizeof why), TB_V_PASS);
	ck_assert_uint_ne(tb_analysis_loss_describe(a, 0, why, sizeof why), 0);
	ck_assert_msg(strstr(why, "10 open connections left") != NULL, "%s", why);
	tb_analysis_free(a);
}
END_TEST

START_TEST(payloadless_connections_evicted_without_loss)
{
	/* A sweep that gets no answer at all keeps every connection half open. */
	struct tb_analysis *a = tb_analysis_new(DUT);
	for (unsigned port = 1; port <= 65535; port++)
		tcp(a, HARNESS, 40000, DUT, (uint16_t)port, SYN, NULL);
	phone_home(a, 50000);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->loss.evicted_open + a->loss.untracked, 0);
	ck_assert_ptr_nonnull(find_flow(a, TB_INIT_DUT, TB_APP_HTTP, 80));
	ck_assert_uint_eq(a->probes[0].connections, 65535);
	tb_analysis_free(a);
}
END_TEST

START_TEST(udp_sweep_never_evicts_the_devices_own_connections)
{
	/* Regression: the UDP sweep's probes carry payload; 65535 of them, the
	 * device answering none, used to fill the flow groups and push the
	 * device's long-lived TLS connection out of the table, so a hardened
	 * device's traffic cases came out inconclusive. */
	static const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00 };
	struct tb_analysis *a = tb_analysis_new(DUT);
	tcp(a, DUT, 51000, CLOUD, 443, SYN, NULL);
	tcp(a, CLOUD, 443, DUT, 51000, SYN | ACK, NULL);
	tcp_snap(a, DUT, 51000, CLOUD, 443, ACK, hello, sizeof hello, 0);
	for (unsigned port = 1; port <= 65535; port++)
		udp_snap(a, HARNESS, 40000, DUT, (uint16_t)port, "\r\n\r\n", 4, 0);
	tcp_snap(a, DUT, 51000, CLOUD, 443, ACK, hello, sizeof hello, 0);
	tb_analysis_finish(a);
	ck_assert_uint_eq(a->loss.evicted_open + a->loss.untracked, 0);
	ck_assert_uint_eq(a->nflows, 1);
	ck_assert_ptr_nonnull(find_flow(a, TB_INIT_DUT, TB_APP_TLS, 443));
	ck_assert_uint_eq(a->nprobes, 1); /* the whole UDP sweep: one line */
	ck_assert_uint_eq(a->probes[0].connections, 65535);
	tb_analysis_free(a);
}
END_TEST

/* A pcap file of raw IP records: n_ok good records, then one record header
 * with caplen claimed, followed by have bytes. */
static void write_pcap(const char *path, int n_ok, uint32_t claimed, size_t have)
{
	FILE *fp = fopen(path, "wb");
	uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101 };
	uint8_t ip[20] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17 };
	fwrite(hdr, sizeof hdr, 1, fp);
	for (int i = 0; i < n_ok; i++) {
		uint32_t rec[4] = { 1 + (uint32_t)i, 0, 20, 20 };
		fwrite(rec, sizeof rec, 1, fp);
		fwrite(ip, sizeof ip, 1, fp);
	}
	uint32_t bad[4] = { 9, 0, claimed, claimed };
	fwrite(bad, sizeof bad, 1, fp);
	for (size_t i = 0; i < have; i++)
		fputc('x', fp);
	fclose(fp);
}

START_TEST(corrupt_record_named_with_its_frame)
{
	char tmp[] = "/tmp/tb-conn-XXXXXX", why[1024];
	int fd = mkstemp(tmp);
	close(fd);
	struct tb_diag d = { 0 };
	write_pcap(tmp, 2, 0x80000000u, 100);
	struct tb_analysis *a = tb_analysis_new(DUT);
	ck_assert_int_eq(tb_analysis_read_file(a, tmp, &d), TB_OK);
	ck_assert_uint_eq(a->loss.corrupt_frame, 3);
	ck_assert_int_eq(a->loss.cut_short, 0);
	ck_assert_uint_ne(tb_analysis_loss_describe(a, 0, why, sizeof why), 0);
	ck_assert_msg(strstr(why, "corrupt at frame 3") != NULL, "%s", why);
	tb_analysis_free(a);
	write_pcap(tmp, 2, 60, 10); /* a writer killed mid-record */
	a = tb_analysis_new(DUT);
	ck_assert_int_eq(tb_analysis_read_file(a, tmp, &d), TB_OK);
	ck_assert_uint_eq(a->loss.corrupt_frame, 0);
	ck_assert_int_eq(a->loss.cut_short, 1);
	tb_analysis_free(a);
	unlink(tmp);
}
END_TEST

Suite *conn_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sweep_never_hides_a_later_phone_home);
	tcase_add_test(tc, udp_sweep_never_evicts_the_devices_own_connections);
	tcase_add_test(tc, a_new_syn_starts_a_new_connection);
	tcase_add_test(tc, same_ports_reused_after_the_end);
	tcase_add_test(tc, midstream_initiator_inferred_from_ports);
	tcase_add_test(tc, encrypted_bytes_never_reguessed);
	tcase_add_test(tc, classify_needs_a_whole_connect);
	tcase_add_test(tc, short_secrets_fully_masked);
	tcase_add_test(tc, timestamps_clamped_and_counted);
	tcase_add_test(tc, lost_information_blocks_pass);
	tcase_add_test(tc, harness_guesses_never_crowd_out_device_secrets);
	tcase_add_test(tc, full_table_counts_open_connections_lost);
	tcase_add_test(tc, payloadless_connections_evicted_without_loss);
	tcase_add_test(tc, corrupt_record_named_with_its_frame);
	suite_add_tcase(s, tc);
	return s;
}
