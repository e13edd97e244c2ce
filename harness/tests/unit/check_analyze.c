/* check_analyze.c: the passive analyzers over the regression captures in
 * fixtures/pcaps/ (made by fixtures/pcaps/make-pcaps.sh), and their bounds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/analyze.h"
#include "report/report_load.h"
#include "proto/p_pkt.h"
#include "suites.h"

#define DUT 0xc612010a

static struct tb_analysis *load(const char *path)
{
	struct tb_diag d = { 0 };
	struct tb_analysis *a = tb_analysis_new(DUT);
	ck_assert_msg(tb_analysis_read_file(a, path, &d) == TB_OK, "%s", d.msg);
	return a;
}

static const struct tb_secret *find_secret(const struct tb_analysis *a, enum tb_secret_kind k,
					   int from_dut)
{
	for (size_t i = 0; i < a->nsecrets; i++)
		if (a->secrets[i].kind == k && a->secrets[i].from_dut == from_dut)
			return &a->secrets[i];
	return NULL;
}

START_TEST(legacy_cleartext_and_secrets)
{
	static const char *const files[] = { "fixtures/pcaps/legacy.pcap",
					     "fixtures/pcaps/legacy-sll2.pcap",
					     "fixtures/pcaps/legacy-vlan.pcap" };
	for (size_t f = 0; f < 3; f++) {
		struct tb_analysis *a = load(files[f]);
		const struct tb_secret *tok = find_secret(a, TB_SEC_HTTP_TOKEN, 1);
		const struct tb_secret *mq = find_secret(a, TB_SEC_MQTT_PASS, 1);
		ck_assert_ptr_nonnull(tok);
		ck_assert_ptr_nonnull(mq);
		ck_assert_str_eq(tok->masked, "d***");
		ck_assert_uint_eq(tok->length, 24);
		ck_assert_uint_eq(tok->count, 3);
		ck_assert_str_eq(mq->masked, "m***");
		ck_assert_ptr_nonnull(find_secret(a, TB_SEC_FTP_PASS, 1));
		ck_assert_ptr_nonnull(
			find_secret(a, TB_SEC_TELNET_PASS, 0)); /* typed by the lab peer */
		/* The lab peer's GetRequest carries the community; the DUT's
		 * GetResponse only echoes it (regression: it was counted as the
		 * DUT sending a community in clear). */
		ck_assert_ptr_nonnull(find_secret(a, TB_SEC_SNMP_COMMUNITY, 0));
		ck_assert_ptr_null(find_secret(a, TB_SEC_SNMP_COMMUNITY, 1));
		ck_assert_int_eq(tok->k.init, TB_INIT_DUT);
		ck_assert_int_eq(tok->k.app, TB_APP_HTTP);
		ck_assert_uint_eq(tok->k.port, 80);
		ck_assert_str_eq(tb_analysis_peer_name(a, tok->k.v6, tok->k.peer),
				 "cloud.trustbench.lab");
		ck_assert_uint_eq(a->fragments, 2);
		tb_analysis_free(a);
	}
}
END_TEST

START_TEST(hardened_tls_only)
{
	struct tb_analysis *a = load("fixtures/pcaps/hardened.pcap");
	ck_assert_uint_eq(a->nsecrets, 0);
	size_t tls = 0;
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *f = &a->flows[i];
		ck_assert(!tb_app_cleartext((enum tb_app)f->k.app));
		if (f->k.app == TB_APP_TLS) {
			tls++;
			ck_assert_str_eq(f->sni, "cloud.trustbench.lab");
			ck_assert_uint_eq(f->tls_lowest, 0x0304);
			ck_assert_uint_eq(f->tls_ok, 3);
			ck_assert_uint_eq(f->connections, 3);
			ck_assert_uint_eq(f->tls_nversions, 2);
			ck_assert_uint_eq(f->pkts_out,
					  3 * 5); /* SYN, ACK, hello, data, FIN per round */
		}
	}
	ck_assert_uint_eq(tls, 1);
	tb_analysis_free(a);
}
END_TEST

START_TEST(edge_frames_counted_not_fatal)
{
	struct tb_analysis *a = load("fixtures/pcaps/edge.pcap");
	ck_assert_uint_eq(a->undecodable, 3);
	ck_assert_uint_eq(a->non_ip, 1); /* ARP */
	ck_assert_uint_eq(a->ipv6, 0);
	tb_analysis_free(a);
}
END_TEST

START_TEST(report_never_holds_the_value)
{
	char tmp[] = "/tmp/tb-an-XXXXXX";
	int fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct tb_analysis *a = load("fixtures/pcaps/legacy.pcap");
	struct tb_capture_info ci = { .status = "offline", .path = "legacy.pcap" };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_traffic_write(&ci, a, tmp, &d), TB_OK);
	/* Regression: `analyze --out` validates its <traffic> document through
	 * the one report reader, which once took only a <report> root. */
	ck_assert_msg(tb_report_load_validate(tmp, "reports/schema/trustbench-report.xsd", &d) == TB_OK,
		      "%s", d.msg);
	char *buf = NULL;
	size_t len = 0;
	ck_assert_int_eq(tb_file_read(tmp, 1 << 20, &buf, &len, &d), TB_OK);
	ck_assert_ptr_null(strstr(buf, "dtk-7f3a9c01e4b2d8556a10"));
	ck_assert_ptr_null(strstr(buf, "mq-Pa55w0rd-legacy"));
	ck_assert_ptr_nonnull(strstr(buf, "kind=\"mqtt-password\""));
	free(buf);
	unlink(tmp);
	tb_analysis_free(a);
}
END_TEST

START_TEST(unsupported_link_type_named)
{
	/* A pcap header with link type 105 (802.11): a clear error. */
	char tmp[] = "/tmp/tb-an-XXXXXX";
	int fd = mkstemp(tmp);
	uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 105 };
	ck_assert_int_eq(write(fd, hdr, sizeof hdr), (ssize_t)sizeof hdr);
	close(fd);
	struct tb_analysis *a = tb_analysis_new(DUT);
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_analysis_read_file(a, tmp, &d), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(d.msg, "not supported"));
	tb_analysis_free(a);
	unlink(tmp);
}
END_TEST

Suite *analyze_suite(void)
{
	Suite *s = suite_create("analyze");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, legacy_cleartext_and_secrets);
	tcase_add_test(tc, hardened_tls_only);
	tcase_add_test(tc, edge_frames_counted_not_fatal);
	tcase_add_test(tc, report_never_holds_the_value);
	tcase_add_test(tc, unsupported_link_type_named);
	suite_add_tcase(s, tc);
	return s;
}
