/* check_sshc.c: the SSH authentication-method probe (sshc.c) and how the ssh
 * check judges what it found (allow-password-auth).
 *
 * The probe tests run libssh over a socketpair against a fake server in a
 * child process: no network, no lab needed. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/family.h"
#include "check/chk_ssh_internal.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"
#include "net/sshc.h"
#include "suites.h"

static int has_note(const struct tb_result *r, const char *text)
{
	for (size_t i = 0; i < r->nev; i++)
		if (r->ev[i].text && strstr(r->ev[i].text, text))
			return 1;
	return 0;
}

START_TEST(methods_are_named_in_a_fixed_order)
{
	char out[128];

	tb_sshc_methods_text(TB_SSHC_M_PUBKEY | TB_SSHC_M_PASSWORD, out, sizeof out);
	ck_assert_str_eq(out, "password, publickey");
	tb_sshc_methods_text(TB_SSHC_M_KBDINT, out, sizeof out);
	ck_assert_str_eq(out, "keyboard-interactive");
	tb_sshc_methods_text(0, out, sizeof out);
	ck_assert_str_eq(out, "none listed");
	tb_sshc_methods_text(TB_SSHC_M_PASSWORD | TB_SSHC_M_PUBKEY | TB_SSHC_M_GSSAPI, out, 12);
	ck_assert_uint_lt(strlen(out), 12); /* truncated, terminated */
	ck_assert(strncmp(out, "password", 8) == 0);
}
END_TEST

START_TEST(password_and_keyboard_interactive_are_password_like)
{
	ck_assert(tb_sshc_password_like(TB_SSHC_M_PASSWORD));
	ck_assert(tb_sshc_password_like(TB_SSHC_M_KBDINT | TB_SSHC_M_PUBKEY));
	ck_assert(!tb_sshc_password_like(TB_SSHC_M_PUBKEY | TB_SSHC_M_HOSTBASED));
	ck_assert(!tb_sshc_password_like(0));
}
END_TEST

START_TEST(libssh_mask_translated)
{
	/* SSH_AUTH_METHOD_* values from libssh.h: NONE 1, PASSWORD 2,
	 * PUBLICKEY 4, HOSTBASED 8, INTERACTIVE 16, GSSAPI_MIC 32. */
	ck_assert_uint_eq(tb_sshc_from_libssh(2 | 4), TB_SSHC_M_PASSWORD | TB_SSHC_M_PUBKEY);
	ck_assert_uint_eq(tb_sshc_from_libssh(16), TB_SSHC_M_KBDINT);
	ck_assert_uint_eq(tb_sshc_from_libssh(1), 0); /* "none" is not an offer */
}
END_TEST

START_TEST(legacy_fallback_names_match_exactly)
{
	ck_assert(tb_sshc_is_legacy_algorithm("diffie-hellman-group1-sha1"));
	ck_assert(tb_sshc_is_legacy_algorithm("ssh-rsa"));
	ck_assert(tb_sshc_is_legacy_algorithm("3des-cbc"));
	ck_assert(tb_sshc_is_legacy_algorithm("hmac-sha1"));
	ck_assert(!tb_sshc_is_legacy_algorithm("diffie-hellman-group1-sha"));
	ck_assert(!tb_sshc_is_legacy_algorithm("hmac-sha1-96"));
	ck_assert(!tb_sshc_is_legacy_algorithm("curve25519-sha256"));
	ck_assert(!tb_sshc_is_legacy_algorithm("rsa-sha2-256"));
	ck_assert(!tb_sshc_is_legacy_algorithm(""));
	ck_assert(!tb_sshc_is_legacy_algorithm(NULL));
}
END_TEST

static const struct tb_param_def allow_def = { .name = "allow-password-auth", .type = TB_P_BOOL };

static enum auth_out judge(const struct tb_sshc_auth *a, int rule, struct tb_result *res)
{
	struct tb_param pv = { .def = &allow_def, .b = rule };
	struct tb_params p = { &pv, rule < 0 ? 0 : 1 };
	memset(res, 0, sizeof *res);
	return ssh_judge_auth(a, &p, res, "ssh");
}

START_TEST(password_offered_breaks_the_rule)
{
	struct tb_sshc_auth a = { .outcome = TB_SSHC_LISTED,
				  .methods = TB_SSHC_M_PASSWORD | TB_SSHC_M_PUBKEY };
	struct tb_result res;

	ck_assert_int_eq(judge(&a, 0, &res), AUTH_BROKEN);
	ck_assert(has_note(&res, "authentication methods offered: password, publickey"));
	ck_assert(has_note(
		&res, "password authentication offered: yes — rule allow-password-auth false: broken"));
	tb_result_cleanup(&res);
	/* a suite may allow it: met, and recorded as a finding (issue 13) */
	ck_assert_int_eq(judge(&a, 1, &res), AUTH_PASSWORD_FINDING);
	ck_assert(has_note(&res, "finding: password login offered"));
	tb_result_cleanup(&res);
	a.methods = TB_SSHC_M_KBDINT;
	ck_assert_int_eq(judge(&a, 0, &res), AUTH_BROKEN);
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(publickey_only_meets_the_rule)
{
	struct tb_sshc_auth a = { .outcome = TB_SSHC_LISTED, .methods = TB_SSHC_M_PUBKEY };
	struct tb_result res;

	ck_assert_int_eq(judge(&a, 0, &res), AUTH_MET);
	ck_assert(
		has_note(&res,
			 "password authentication offered: no — rule allow-password-auth false: met"));
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(a_fact_without_a_rule_decides_nothing)
{
	struct tb_sshc_auth a = { .outcome = TB_SSHC_LISTED, .methods = TB_SSHC_M_PASSWORD };
	struct tb_result res;

	ck_assert_int_eq(judge(&a, -1, &res), AUTH_PASSWORD_FINDING);
	ck_assert(has_note(&res, "password authentication offered: yes — no rule in the suite"));
	ck_assert(has_note(&res, "EN 303 645 5.1-5, EN 18031 AUM"));
	tb_result_cleanup(&res);
	a.outcome = TB_SSHC_KEX_FAILED;
	strcpy(a.why, "key exchange failed: no match");
	ck_assert_int_eq(judge(&a, -1, &res), AUTH_MET);
	tb_result_cleanup(&res);
}
END_TEST

/* Issue 13: the ETSI suite's 5.1-3-2 asks for best-practice cryptography,
 * not key-only login.  Judged with the suite's own parameters, a server that
 * offers password login next to public keys meets the case; the password
 * login is recorded as a finding for 5.1-5. */
START_TEST(etsi_suite_records_password_login_as_a_finding)
{
	struct tb_suite *suite = NULL;
	struct tb_diag d = { .msg = "" };
	struct tb_sshc_auth a = { .outcome = TB_SSHC_LISTED,
				  .methods = TB_SSHC_M_PASSWORD | TB_SSHC_M_PUBKEY };
	struct tb_result res;

	ck_assert_msg(tb_suite_load("testsuites/etsi-en-303-645.yaml", &suite, &d) == TB_OK, "%s",
		      d.msg);
	const struct tb_case *tc = tb_suite_find_case(suite, "5.1-3-2");
	ck_assert_ptr_nonnull(tc);
	ck_assert_str_eq(tc->family->name, "ssh");
	memset(&res, 0, sizeof res);
	ck_assert_int_ne(ssh_judge_auth(&a, &tc->params, &res, "ssh"), AUTH_BROKEN);
	ck_assert(has_note(&res, "finding: password login offered"));
	tb_result_cleanup(&res);
	tb_suite_free(suite);
}
END_TEST

START_TEST(unknown_methods_leave_a_rule_undetermined)
{
	struct tb_sshc_auth a = { .outcome = TB_SSHC_TIMEOUT };
	struct tb_result res;

	strcpy(a.why, "key exchange did not finish before the deadline");
	ck_assert_int_eq(judge(&a, 0, &res), AUTH_UNDETERMINED);
	ck_assert(has_note(
		&res, "password authentication offered: not determined: key exchange did not finish"));
	tb_result_cleanup(&res);
}
END_TEST

START_TEST(login_without_authentication_breaks_the_rule)
{
	struct tb_sshc_auth a = { .outcome = TB_SSHC_NONE_OK };
	struct tb_result res;

	ck_assert_int_eq(judge(&a, 0, &res), AUTH_BROKEN);
	ck_assert(has_note(&res, "login accepted with no authentication at all"));
	tb_result_cleanup(&res);
}
END_TEST

/* A fake server in a child: what it does with its end of the socketpair. */
enum fake { FAKE_SILENT, FAKE_GARBAGE, FAKE_DRIP, FAKE_IDENT_THEN_STALL };

static void fake_server(int fd, enum fake how)
{
	static const char ident[] = "SSH-2.0-fake\r\n";
	switch (how) {
	case FAKE_SILENT: pause(); break;
	case FAKE_GARBAGE:
		for (int i = 0; i < 64; i++)
			if (write(fd, "\x00\xff garbage without end of line ", 32) < 0)
				break;
		break;
	case FAKE_DRIP:
		for (;;) {
			if (write(fd, "S", 1) != 1)
				break;
			usleep(20000);
		}
		break;
	case FAKE_IDENT_THEN_STALL:
		if (write(fd, ident, sizeof ident - 1) > 0)
			pause();
		break;
	}
	_exit(0);
}

/* Run the probe against a fake server; returns the outcome and the time
 * taken in *ms.  The caller's descriptor must still be open afterwards. */
static enum tb_sshc_outcome probe_fake(enum fake how, int budget_ms, int64_t *ms, char *why, size_t cap)
{
	int sv[2];
	struct tb_sshc_auth a;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		fake_server(sv[1], how);
	}
	close(sv[1]);
	int64_t t0 = tb_now_ms();
	tb_sshc_auth_methods(sv[0], "fake", "trustbench-probe", t0 + budget_ms, &a);
	*ms = tb_now_ms() - t0;
	ck_assert_int_ne(fcntl(sv[0], F_GETFD), -1);
	close(sv[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	snprintf(why, cap, "%s", a.why);
	ck_assert_uint_eq(a.methods, 0); /* nothing is ever guessed */
	return a.outcome;
}

START_TEST(silent_server_times_out_at_the_deadline)
{
	int64_t ms;
	char why[256];

	ck_assert_int_eq(probe_fake(FAKE_SILENT, 400, &ms, why, sizeof why), TB_SSHC_TIMEOUT);
	ck_assert_int_ge(ms, 350);
	ck_assert_int_lt(ms, 1400);
	ck_assert(strstr(why, "deadline"));
}
END_TEST

START_TEST(dripping_server_times_out_at_the_deadline)
{
	int64_t ms;
	char why[256];
	enum tb_sshc_outcome o = probe_fake(FAKE_DRIP, 500, &ms, why, sizeof why);

	/* libssh may give up on the over-long identification line first. */
	ck_assert(o == TB_SSHC_TIMEOUT || o == TB_SSHC_KEX_FAILED);
	ck_assert_int_lt(ms, 1500);
}
END_TEST

START_TEST(stall_after_identification_times_out)
{
	int64_t ms;
	char why[256];

	ck_assert_int_eq(probe_fake(FAKE_IDENT_THEN_STALL, 400, &ms, why, sizeof why), TB_SSHC_TIMEOUT);
	ck_assert_int_lt(ms, 1400);
}
END_TEST

START_TEST(garbage_fails_key_exchange_with_a_reason)
{
	int64_t ms;
	char why[256];
	enum tb_sshc_outcome o = probe_fake(FAKE_GARBAGE, 2000, &ms, why, sizeof why);

	ck_assert(o == TB_SSHC_KEX_FAILED || o == TB_SSHC_TIMEOUT);
	ck_assert(why[0] != '\0');
	ck_assert_int_lt(ms, 3000);
}
END_TEST

Suite *sshc_suite(void)
{
	Suite *s = suite_create("sshc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, methods_are_named_in_a_fixed_order);
	tcase_add_test(tc, password_and_keyboard_interactive_are_password_like);
	tcase_add_test(tc, libssh_mask_translated);
	tcase_add_test(tc, legacy_fallback_names_match_exactly);
	tcase_add_test(tc, password_offered_breaks_the_rule);
	tcase_add_test(tc, publickey_only_meets_the_rule);
	tcase_add_test(tc, a_fact_without_a_rule_decides_nothing);
	tcase_add_test(tc, unknown_methods_leave_a_rule_undetermined);
	tcase_add_test(tc, login_without_authentication_breaks_the_rule);
	tcase_add_test(tc, silent_server_times_out_at_the_deadline);
	tcase_add_test(tc, dripping_server_times_out_at_the_deadline);
	tcase_add_test(tc, stall_after_identification_times_out);
	tcase_add_test(tc, garbage_fails_key_exchange_with_a_reason);
	tcase_add_test(tc, etsi_suite_records_password_login_as_a_finding);
	suite_add_tcase(s, tc);
	return s;
}
