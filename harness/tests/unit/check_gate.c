/* check_gate.c: unit tests for tb_case_gate, the applicability decision
 * taken before a test case runs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/runner.h"
#include "result/result.h"
#include "suites.h"

static const char suite_text[] =
	"suite:\n"
	"  id: \"gate\"\n"
	"  title: \"Gate\"\n"
	"groups:\n"
	"  - provision: \"5.3-14\"\n"
	"    status: \"R C(3,4)\"\n"
	"    title: \"Constrained devices\"\n"
	"    cases:\n"
	"      - id: \"5.3-14-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Conditional\"\n"
	"        covers: { en-303-645: [\"5.3-14\"] }\n"
	"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n"
	"  - provision: \"5.6-1\"\n"
	"    status: \"R\"\n"
	"    title: \"Unconditional\"\n"
	"    cases:\n"
	"      - id: \"5.6-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Unconditional\"\n"
	"        covers: { en-303-645: [\"5.6-1\"] }\n"
	"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n"
	"  - provision: \"5.1-1\"\n"
	"    status: \"M C(1)\"\n"
	"    title: \"Passwords\"\n"
	"    cases:\n"
	"      - id: \"5.1-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Needs passwords\"\n"
	"        covers: { en-303-645: [\"5.1-1\"] }\n"
	"        applies-when: { passwords-used: true }\n"
	"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n"
	"      - id: \"5.1-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"Default credentials\"\n"
	"        covers: { en-303-645: [\"5.1-1\"] }\n"
	"        check: { family: \"default-credentials\" }\n"
	"      - id: \"5.1-1-3\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Undeclared feature\"\n"
	"        covers: { en-303-645: [\"5.1-1\"] }\n"
	"        applies-when: { telemetry: true, debug-interface: false }\n"
	"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n"
	"      - id: \"5.1-1-4\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Wants no passwords\"\n"
	"        covers: { en-303-645: [\"5.1-1\"] }\n"
	"        applies-when: { passwords-used: false }\n"
	"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n";

static const char profile_text[] =
	"profile: { id: \"gate\" }\n"
	"dut: { manufacturer: \"M\", model: \"X\", firmware: \"1\", serial: \"S\", address: "
	"\"198.18.1.10\" }\n"
	"lab: { scope: [\"198.18.1.10\"], interface: \"tb0\", intrusive: false }\n"
	"declarations:\n"
	"  features: { passwords-used: false, debug-interface: false }\n"
	"  ics:\n"
	"    \"5.3-14\": { support: \"n/a\", justification: \"the device is not constrained\" }\n"
	"    \"5.6-1\": { support: \"n/a\", justification: \"no services\" }\n";

static struct tb_suite *suite;
static struct tb_profile *profile;
static struct tb_ctx ctx;
static struct tb_result res;

static void setup(void)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse("gate.yaml", suite_text, strlen(suite_text), &suite, &d),
			 TB_OK);
	ck_assert_int_eq(tb_profile_parse("gate-profile.yaml", profile_text, strlen(profile_text),
					  &profile, &d),
			 TB_OK);
	memset(&ctx, 0, sizeof ctx);
	ctx.suite = suite;
	ctx.profile = profile;
	memset(&res, 0, sizeof res);
	res.verdict = TB_V_ERROR;
}

static void teardown(void)
{
	tb_result_cleanup(&res);
	tb_suite_free(suite);
	tb_profile_free(profile);
}

static int gate(const char *id)
{
	const struct tb_case *tc = tb_suite_find_case(suite, id);
	ck_assert_ptr_nonnull(tc);
	res.tc = tc;
	return tb_case_gate(&ctx, tc, &res);
}

static int has_note(const char *phrase)
{
	for (size_t i = 0; i < res.nev; i++)
		if (res.ev[i].kind == TB_EV_NOTE && strstr(res.ev[i].text, phrase))
			return 1;
	return 0;
}

START_TEST(ics_na_on_conditional_provision)
{
	ck_assert_int_eq(gate("5.3-14-1"), 1);
	ck_assert_int_eq(res.verdict, TB_V_NA);
	ck_assert_ptr_nonnull(strstr(res.reason, "provision 5.3-14 not applicable"));
	ck_assert_ptr_nonnull(strstr(res.reason, "the device is not constrained"));
}
END_TEST

START_TEST(ics_na_without_justification)
{
	free(profile->ics[0].justification);
	profile->ics[0].justification = NULL;
	ck_assert_int_eq(gate("5.3-14-1"), 1);
	ck_assert_int_eq(res.verdict, TB_V_NA);
	ck_assert_ptr_nonnull(strstr(res.reason, "(no justification given)"));
}
END_TEST

START_TEST(ics_na_on_unconditional_provision_runs)
{
	ck_assert_int_eq(gate("5.6-1-1"), 0);
	ck_assert_ptr_null(res.reason);
	ck_assert_int_eq(res.verdict, TB_V_ERROR); /* untouched: the check decides */
	ck_assert_uint_eq(res.nev, 1);
	ck_assert_str_eq(res.ev[0].label, "applicability");
	ck_assert(has_note("the ICS declares 5.6-1 not applicable"));
	ck_assert(has_note("status R has no condition"));
}
END_TEST

START_TEST(feature_declared_false)
{
	ck_assert_int_eq(gate("5.1-1-1"), 1);
	ck_assert_int_eq(res.verdict, TB_V_NA);
	ck_assert_str_eq(res.reason,
			 "applies only when passwords-used is true; the supplier declares it false");
}
END_TEST

START_TEST(feature_matches)
{
	ck_assert_int_eq(gate("5.1-1-4"), 0);
	ck_assert_uint_eq(res.nev, 0);
	ck_assert_ptr_null(res.reason);
}
END_TEST

START_TEST(feature_undeclared_runs_with_note)
{
	ck_assert_int_eq(gate("5.1-1-3"), 0);
	ck_assert_ptr_null(res.reason);
	ck_assert_uint_eq(res.nev, 1);
	ck_assert(has_note("feature 'telemetry' is not declared"));
	ck_assert(has_note("assumed to apply"));
}
END_TEST

START_TEST(intrusive_without_consent)
{
	ck_assert_int_eq(gate("5.1-1-2"), 1);
	ck_assert_int_eq(res.verdict, TB_V_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(res.reason, "consent"));
	ck_assert_ptr_nonnull(strstr(res.reason, "'default-credentials'"));
	ck_assert_ptr_nonnull(strstr(res.reason, "lab.intrusive: false"));
}
END_TEST

START_TEST(intrusive_with_consent)
{
	profile->intrusive = 1;
	ck_assert_int_eq(gate("5.1-1-2"), 0);
	ck_assert_ptr_null(res.reason);
}
END_TEST

START_TEST(applicability_before_consent)
{
	/* A non-applicable intrusive case is not-applicable, not inconclusive. */
	char *t = strdup(suite_text);
	char *at = strstr(t, "        check: { family: \"default-credentials\" }");
	ck_assert_ptr_nonnull(at);
	tb_suite_free(suite);
	static const char extra[] = "        applies-when: { passwords-used: true }\n";
	char *t2 = malloc(strlen(t) + sizeof extra);
	memcpy(t2, t, (size_t)(at - t));
	strcpy(t2 + (at - t), extra);
	strcat(t2, at);
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse("gate.yaml", t2, strlen(t2), &suite, &d), TB_OK);
	ctx.suite = suite;
	ck_assert_int_eq(gate("5.1-1-2"), 1);
	ck_assert_int_eq(res.verdict, TB_V_NA);
	free(t);
	free(t2);
}
END_TEST

Suite *gate_suite(void)
{
	Suite *s = suite_create("gate");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ics_na_on_conditional_provision);
	tcase_add_test(tc, ics_na_without_justification);
	tcase_add_test(tc, ics_na_on_unconditional_provision_runs);
	tcase_add_test(tc, feature_declared_false);
	tcase_add_test(tc, feature_matches);
	tcase_add_test(tc, feature_undeclared_runs_with_note);
	tcase_add_test(tc, intrusive_without_consent);
	tcase_add_test(tc, intrusive_with_consent);
	tcase_add_test(tc, applicability_before_consent);
	suite_add_tcase(s, tc);
	return s;
}
