/* check_verdict.c: unit tests for verdict names, combination and exit codes. */
#include <check.h>
#include <string.h>

#include "result/verdict.h"
#include "suites.h"

/* Severity rank, independent of the enum's numeric order. */
static int rank(enum tb_verdict v)
{
	switch (v) {
	case TB_V_NA: return 0;
	case TB_V_PASS: return 1;
	case TB_V_EXAMINER: return 2;
	case TB_V_INCONCLUSIVE: return 3;
	case TB_V_ERROR: return 4;
	case TB_V_FAIL: return 5;
	default: return -1;
	}
}

START_TEST(combine_all_pairs)
{
	for (int a = 0; a < TB_V_COUNT; a++)
		for (int b = 0; b < TB_V_COUNT; b++) {
			enum tb_verdict want = rank((enum tb_verdict)a) >= rank((enum tb_verdict)b)
						       ? (enum tb_verdict)a
						       : (enum tb_verdict)b;
			enum tb_verdict got =
				tb_verdict_combine((enum tb_verdict)a, (enum tb_verdict)b);
			ck_assert_msg(got == want, "%s + %s = %s, want %s",
				      tb_verdict_name((enum tb_verdict)a),
				      tb_verdict_name((enum tb_verdict)b), tb_verdict_name(got),
				      tb_verdict_name(want));
		}
}
END_TEST

START_TEST(combine_spelled_out)
{
	ck_assert_int_eq(tb_verdict_combine(TB_V_NA, TB_V_NA), TB_V_NA);
	ck_assert_int_eq(tb_verdict_combine(TB_V_NA, TB_V_PASS), TB_V_PASS);
	ck_assert_int_eq(tb_verdict_combine(TB_V_PASS, TB_V_NA), TB_V_PASS);
	ck_assert_int_eq(tb_verdict_combine(TB_V_PASS, TB_V_PASS), TB_V_PASS);
	ck_assert_int_eq(tb_verdict_combine(TB_V_PASS, TB_V_EXAMINER), TB_V_EXAMINER);
	ck_assert_int_eq(tb_verdict_combine(TB_V_EXAMINER, TB_V_INCONCLUSIVE), TB_V_INCONCLUSIVE);
	ck_assert_int_eq(tb_verdict_combine(TB_V_ERROR, TB_V_INCONCLUSIVE), TB_V_ERROR);
	ck_assert_int_eq(tb_verdict_combine(TB_V_ERROR, TB_V_FAIL), TB_V_FAIL);
	ck_assert_int_eq(tb_verdict_combine(TB_V_FAIL, TB_V_NA), TB_V_FAIL);
	/* Folding a provision's cases. */
	enum tb_verdict cases[] = { TB_V_NA, TB_V_PASS, TB_V_NA, TB_V_EXAMINER, TB_V_PASS };
	enum tb_verdict v = cases[0];
	for (size_t i = 1; i < sizeof cases / sizeof cases[0]; i++)
		v = tb_verdict_combine(v, cases[i]);
	ck_assert_int_eq(v, TB_V_EXAMINER);
}
END_TEST

static int exit_for(unsigned na, unsigned pass, unsigned ex, unsigned inc, unsigned err, unsigned fail)
{
	unsigned c[TB_V_COUNT] = { 0 };
	c[TB_V_NA] = na;
	c[TB_V_PASS] = pass;
	c[TB_V_EXAMINER] = ex;
	c[TB_V_INCONCLUSIVE] = inc;
	c[TB_V_ERROR] = err;
	c[TB_V_FAIL] = fail;
	return tb_exit_code(c);
}

START_TEST(exit_codes)
{
	ck_assert_int_eq(exit_for(0, 5, 0, 0, 0, 0), TB_EXIT_PASS);
	ck_assert_int_eq(exit_for(3, 5, 0, 0, 0, 0), 0);
	ck_assert_int_eq(exit_for(0, 5, 0, 0, 0, 1), 2);
	ck_assert_int_eq(exit_for(1, 1, 1, 1, 1, 1), 2);
	ck_assert_int_eq(exit_for(0, 5, 1, 0, 0, 0), 3);
	ck_assert_int_eq(exit_for(0, 5, 0, 1, 0, 0), 3);
	ck_assert_int_eq(exit_for(0, 5, 0, 0, 1, 0), 3);
	ck_assert_int_eq(exit_for(4, 0, 0, 0, 0, 0), 0);
	ck_assert_int_eq(exit_for(0, 0, 0, 0, 0, 0), 0);
	ck_assert_int_eq(TB_EXIT_FAIL, 2);
	ck_assert_int_eq(TB_EXIT_UNDECIDED, 3);
	ck_assert_int_eq(TB_EXIT_USAGE, 1);
}
END_TEST

START_TEST(names_round_trip)
{
	static const char *const want[TB_V_COUNT] = {
		[TB_V_NA] = "not-applicable",
		[TB_V_PASS] = "pass",
		[TB_V_EXAMINER] = "needs-examiner",
		[TB_V_INCONCLUSIVE] = "inconclusive",
		[TB_V_ERROR] = "error",
		[TB_V_FAIL] = "fail",
	};
	for (int v = 0; v < TB_V_COUNT; v++) {
		ck_assert_str_eq(tb_verdict_name((enum tb_verdict)v), want[v]);
		ck_assert_int_eq(tb_verdict_parse(tb_verdict_name((enum tb_verdict)v)), v);
	}
	ck_assert_int_eq(tb_verdict_parse("maybe"), -1);
	ck_assert_int_eq(tb_verdict_parse("PASS"), -1);
	ck_assert_int_eq(tb_verdict_parse(""), -1);
	ck_assert_int_eq(tb_verdict_parse("pass "), -1);
	ck_assert_str_eq(tb_verdict_name(TB_V_COUNT), "error");
}
END_TEST

Suite *verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, combine_all_pairs);
	tcase_add_test(tc, combine_spelled_out);
	tcase_add_test(tc, exit_codes);
	tcase_add_test(tc, names_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
