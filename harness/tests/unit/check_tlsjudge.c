/* check_tlsjudge.c: the tls and ssh checks judge facts by the suite's rule
 * table and show each fact beside the rule it met or broke. */
#include <check.h>
#include <string.h>

#include "check/family.h"
#include "check/chk_tls_internal.h"
#include "check/chk_ssh_internal.h"
#include "check/chk_http_auth_internal.h"
#include "proto/p_sshkex.h"
#include "result/result.h"
#include "net/tls.h"
#include "suites.h"

static const struct tls_rules best = {
	.min_version = TB_TLS12,
	.allowed = { 1, 0, 0, 0 },
	.min_rsa = 2048,
	.min_ec = 256,
	.weak_sig_ok = 0,
	.need_dates = 1,
	.self_signed_ok = 1,
	.need_san = 1,
	.compression_ok = 0,
	.insecure_reneg_ok = 0,
};

static int has_note(const struct tb_result *r, const char *text)
{
	for (size_t i = 0; i < r->nev; i++)
		if (r->ev[i].text && strstr(r->ev[i].text, text))
			return 1;
	return 0;
}

static void modern_ep(struct tls_ep *ep)
{
	memset(ep, 0, sizeof *ep);
	ep->ver[TB_TLS10] = ep->ver[TB_TLS11] = TB_TLS_REFUSED;
	ep->ver[TB_TLS12] = ep->ver[TB_TLS13] = TB_TLS_OK;
	strcpy(ep->suites[TB_TLS12][0], "ECDHE-ECDSA-AES128-GCM-SHA256");
	ep->nsuites[TB_TLS12] = 1;
	strcpy(ep->suites[TB_TLS13][0], "TLS_AES_128_GCM_SHA256");
	ep->nsuites[TB_TLS13] = 1;
	ep->suites_complete[TB_TLS12] = ep->suites_complete[TB_TLS13] = 1;
	ep->have_cert = 1;
	strcpy(ep->cert.key_type, "id-ecPublicKey");
	ep->cert.key_bits = 256;
	strcpy(ep->cert.sig_alg, "ecdsa-with-SHA256");
	ep->cert.not_before = 1000;
	ep->cert.not_after = 3000;
	ep->cert.self_signed = 1;
	ep->cert.has_san = ep->cert.san_matches = 1;
	ep->reneg_known = ep->secure_reneg = 1;
	ep->compression_offered = 1;
}

START_TEST(modern_endpoint_meets_every_rule)
{
	struct tls_ep ep;
	struct tb_result res;

	memset(&res, 0, sizeof res);
	modern_ep(&ep);
	struct tally t = tls_judge(&ep, &best, 2000, &res, "ep");
	ck_assert_uint_eq(t.broken, 0);
	ck_assert_uint_eq(t.undetermined, 0);
	ck_assert(has_note(&res, "TLS 1.3 accepted — rule min-version 1.2: met"));
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(legacy_facts_break_named_rules)
{
	struct tls_ep ep;
	struct tb_result res;

	memset(&res, 0, sizeof res);
	modern_ep(&ep);
	ep.ver[TB_TLS10] = TB_TLS_OK;
	strcpy(ep.suites[TB_TLS10][0], "AECDH-AES128-SHA");
	ep.suite_group[TB_TLS10][0] = TB_TLSG_BROKEN;
	ep.nsuites[TB_TLS10] = 1;
	ep.suites_complete[TB_TLS10] = 1;
	strcpy(ep.cert.key_type, "rsaEncryption");
	ep.cert.key_bits = 1024;
	ep.cert.sig_weak_hash = 1;
	ep.cert.san_matches = 0;
	struct tally t = tls_judge(&ep, &best, 5000, &res, "ep"); /* after notAfter */
	ck_assert(has_note(&res, "TLS 1.0 accepted — rule min-version 1.2: broken"));
	ck_assert(has_note(&res, "AECDH-AES128-SHA (broken) accepted — rule allowed-groups: broken"));
	ck_assert(has_note(&res, "rule min-rsa-bits 2048: broken"));
	ck_assert(has_note(&res, "rule allow-weak-signature-hash: broken"));
	ck_assert(has_note(&res, "NOT in validity"));
	ck_assert(has_note(&res, "rule require-san-match: broken"));
	ck_assert_uint_eq(t.broken, 6);
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(no_rule_never_decides)
{
	struct tls_ep ep;
	struct tb_result res;
	struct tls_rules none;

	memset(&res, 0, sizeof res);
	memset(&none, 0xff, sizeof none); /* every rule -1: absent from the suite */
	modern_ep(&ep);
	ep.ver[TB_TLS10] = TB_TLS_OK;
	struct tally t = tls_judge(&ep, &none, 2000, &res, "ep");
	ck_assert_uint_eq(t.broken, 0);
	ck_assert(has_note(&res, "TLS 1.0 accepted — no rule in the suite"));
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(timeouts_leave_facts_undetermined)
{
	struct tls_ep ep;
	struct tb_result res;

	memset(&res, 0, sizeof res);
	modern_ep(&ep);
	ep.ver[TB_TLS10] = TB_TLS_TIMEOUT;
	strcpy(ep.ver_why[TB_TLS10], "stalled");
	ep.suites_complete[TB_TLS12] = 0;
	struct tally t = tls_judge(&ep, &best, 2000, &res, "ep");
	ck_assert_uint_eq(t.broken, 0);
	ck_assert_uint_eq(t.undetermined, 2);
	ck_assert(has_note(&res, "TLS 1.0 not determined: stalled"));
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(ssh_forbidden_algorithms_counted)
{
	static const char kex[] = "curve25519-sha256,diffie-hellman-group1-sha1";
	static const char mac[] = "hmac-sha2-256,hmac-md5";
	struct tb_ssh_kexinit k;
	struct tb_result res;
	static char *fk[] = { "diffie-hellman-group1-sha1" };
	static char *fm[] = { "hmac-md5", "hmac-sha1" };
	static const struct tb_param_def dk = { .name = "forbidden-kex", .type = TB_P_STRLIST };
	static const struct tb_param_def dm = { .name = "forbidden-macs", .type = TB_P_STRLIST };
	struct tb_param pv[2] = { { .def = &dk, .sl = fk, .n = 1 }, { .def = &dm, .sl = fm, .n = 2 } };
	struct tb_params p = { pv, 2 };

	memset(&k, 0, sizeof k);
	memset(&res, 0, sizeof res);
	k.list[TB_SSH_KEX] = (const uint8_t *)kex;
	k.list_len[TB_SSH_KEX] = sizeof kex - 1;
	k.list[TB_SSH_MAC_CS] = k.list[TB_SSH_MAC_SC] = (const uint8_t *)mac;
	k.list_len[TB_SSH_MAC_CS] = k.list_len[TB_SSH_MAC_SC] = sizeof mac - 1;
	ck_assert_uint_eq(ssh_judge(&k, &p, &res, "ssh"), 3); /* kex once, md5 both ways */
	ck_assert(has_note(
		&res, "key exchange diffie-hellman-group1-sha1 offered — rule forbidden-kex: broken"));
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(http_auth_statuses)
{
	ck_assert_int_eq(http_auth_classify(200), 0);
	ck_assert_int_eq(http_auth_classify(401), 1);
	ck_assert_int_eq(http_auth_classify(403), 1);
	ck_assert_int_eq(http_auth_classify(404), 2);
	ck_assert_int_eq(http_auth_classify(302), 3);
}
END_TEST

Suite *tlsjudge_suite(void)
{
	Suite *s = suite_create("tlsjudge");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, modern_endpoint_meets_every_rule);
	tcase_add_test(tc, legacy_facts_break_named_rules);
	tcase_add_test(tc, no_rule_never_decides);
	tcase_add_test(tc, timeouts_leave_facts_undetermined);
	tcase_add_test(tc, ssh_forbidden_algorithms_counted);
	tcase_add_test(tc, http_auth_statuses);
	suite_add_tcase(s, tc);
	return s;
}
