/* check_brute_force.c: unit tests for the brute-force judge (tb_bf_judge):
 * what a user reads on 5.1-5-2 for a given timeline of timed guesses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check/chk_brute_force_internal.h"
#include "check/login.h"
#include "suites.h"

static struct tb_cp_attempt att[256];
static struct tb_cp_iface iface;

/* A telnet interface with no attempts yet. */
static void fresh(void)
{
	memset(&iface, 0, sizeof iface);
	memset(att, 0, sizeof att);
	iface.ifc.drv = &tb_login_telnet;
	strcpy(iface.ifc.name, "telnet/23");
	iface.att = att;
	iface.capatt = sizeof att / sizeof att[0];
}

static void add(int64_t at_ms, int took_ms, enum tb_login_outcome o)
{
	att[iface.natt++] = (struct tb_cp_attempt){ .at_ms = at_ms,
						    .took_ms = took_ms,
						    .outcome = (uint8_t)o,
						    .kind = TB_CP_BURST,
						    .retry_after_s = -1 };
}

/* Five refusals, then silence: a lockout, or a crash. */
static void refusals_then_silence(void)
{
	fresh();
	for (int i = 0; i < 5; i++)
		add(i * 200, 50, TB_LOGIN_REJECTED);
	for (int i = 5; i < 8; i++)
		add(i * 200 + 3000, 3000, TB_LOGIN_NOCONNECT);
}

START_TEST(silence_without_liveness_is_not_a_pass)
{
	char item[512];
	refusals_then_silence();
	ck_assert_int_eq(tb_bf_judge(&iface, 10, 2, -1, item, sizeof item), -1);
	ck_assert_ptr_nonnull(strstr(item, "cannot be told from a crashed service"));
	ck_assert_int_eq(tb_bf_judge(&iface, 10, 2, TB_LOGIN_NOCONNECT, item, sizeof item), -1);
	ck_assert_ptr_nonnull(strstr(item, "no connection"));
}
END_TEST

START_TEST(silence_then_an_answer_is_a_lockout)
{
	char item[512];
	refusals_then_silence();
	ck_assert_int_eq(tb_bf_judge(&iface, 10, 2, TB_LOGIN_ACCEPTED, item, sizeof item), 0);
	ck_assert_ptr_nonnull(strstr(item, "locks out"));
	ck_assert_int_eq(tb_bf_judge(&iface, 10, 2, TB_LOGIN_REJECTED, item, sizeof item), 0);
}
END_TEST

START_TEST(throttling_passes_whatever_the_recheck)
{
	char item[512];
	fresh();
	for (int i = 0; i < 4; i++)
		add(i * 200, 50, TB_LOGIN_REJECTED);
	add(900, 20, TB_LOGIN_THROTTLED);
	ck_assert_int_eq(tb_bf_judge(&iface, 10, 2, TB_LOGIN_NOCONNECT, item, sizeof item), 0);
	ck_assert_ptr_nonnull(strstr(item, "throttles"));
}
END_TEST

START_TEST(unthrottled_guessing_fails)
{
	char item[512];
	fresh();
	for (int i = 0; i < 30; i++)
		add(i * 1000, 40, TB_LOGIN_REJECTED);
	ck_assert_int_eq(tb_bf_judge(&iface, 10, 2, TB_LOGIN_ACCEPTED, item, sizeof item), 1);
	ck_assert_ptr_nonnull(strstr(item, "30 wrong guesses in one minute"));
}
END_TEST

Suite *brute_force_suite(void)
{
	Suite *s = suite_create("brute_force");
	TCase *t = tcase_create("judge");
	tcase_add_test(t, silence_without_liveness_is_not_a_pass);
	tcase_add_test(t, silence_then_an_answer_is_a_lockout);
	tcase_add_test(t, throttling_passes_whatever_the_recheck);
	tcase_add_test(t, unthrottled_guessing_fails);
	suite_add_tcase(s, t);
	return s;
}
