/* check_brute_force.c: unit tests for the brute-force judge (tb_bf_judge):
 * what a user reads on 5.1-5-2 for a given timeline of timed guesses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check/chk_brute_force_internal.h"
#include "check/ctx.h"
#include "check/login.h"
#include "load/suite.h"
#include "result/result.h"
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

/* Later cases judge the one phase; one that sets the phase's parameters
 * otherwise is told so in its evidence, not silently given other work. */
static const char two_cases[] =
	"suite: { id: \"bf\", title: \"BF\" }\n"
	"groups:\n"
	"  - provision: \"5.1-5\"\n"
	"    status: \"M\"\n"
	"    title: \"Brute force\"\n"
	"    cases:\n"
	"      - id: \"5.1-5-1\"\n"
	"        kind: \"functional\"\n"
	"        title: \"A\"\n"
	"        covers: { en-303-645: [\"5.1-5\"] }\n"
	"        check: { family: \"brute-force\", params: { max-attempts: 50 } }\n"
	"      - id: \"5.1-5-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"B\"\n"
	"        covers: { en-303-645: [\"5.1-5\"] }\n"
	"        check: { family: \"brute-force\", params: { max-attempts: 50 } }\n"
	"      - id: \"5.1-5-3\"\n"
	"        kind: \"functional\"\n"
	"        title: \"C\"\n"
	"        covers: { en-303-645: [\"5.1-5\"] }\n"
	"        check: { family: \"brute-force\", params: { max-attempts: 7, "
	"services: [\"ssh\"] } }\n";

static int noted(const struct tb_result *r, const char *phrase)
{
	for (size_t i = 0; i < r->nev; i++)
		if (r->ev[i].kind == TB_EV_NOTE && strstr(r->ev[i].text, phrase))
			return 1;
	return 0;
}

START_TEST(reused_phase_says_when_parameters_differ)
{
	struct tb_suite *suite;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse("bf.yaml", two_cases, strlen(two_cases), &suite, &d), TB_OK);
	struct tb_credphase phase = { .ran_by = "5.1-5-1",
				      .ran_case = tb_suite_find_case(suite, "5.1-5-1") };
	struct tb_credphase *slot = &phase;
	struct tb_ctx ctx = { .creds = &slot };
	struct tb_result rb = { .verdict = TB_V_ERROR }, rc = { .verdict = TB_V_ERROR };
	int mine;
	ck_assert_ptr_eq(tb_credphase_get(&ctx, tb_suite_find_case(suite, "5.1-5-2"), &rb, &mine),
			 &phase);
	ck_assert(noted(&rb, "judged from the phase test case 5.1-5-1 ran"));
	ck_assert(!noted(&rb, "otherwise than"));
	ck_assert_ptr_eq(tb_credphase_get(&ctx, tb_suite_find_case(suite, "5.1-5-3"), &rc, &mine),
			 &phase);
	ck_assert(noted(&rc, "services"));
	ck_assert(noted(&rc, "max-attempts"));
	ck_assert(noted(&rc, "otherwise than 5.1-5-1 did"));
	tb_result_cleanup(&rb);
	tb_result_cleanup(&rc);
	tb_suite_free(suite);
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
	tcase_add_test(t, reused_phase_says_when_parameters_differ);
	suite_add_tcase(s, t);
	return s;
}
