/* verdict.c: verdict names, combination and exit codes. */
#include "result/verdict.h"

#include <string.h>

static const char *const names[TB_V_COUNT] = {
	[TB_V_NA] = "not-applicable",
	[TB_V_PASS] = "pass",
	[TB_V_EXAMINER] = "needs-examiner",
	[TB_V_INCONCLUSIVE] = "inconclusive",
	[TB_V_ERROR] = "error",
	[TB_V_FAIL] = "fail",
};

const char *tb_verdict_name(enum tb_verdict v)
{
	return (unsigned)v < TB_V_COUNT ? names[v] : "error";
}

int tb_verdict_parse(const char *s)
{
	for (int v = 0; v < TB_V_COUNT; v++)
		if (strcmp(s, names[v]) == 0)
			return v;
	return -1;
}

enum tb_verdict tb_verdict_combine(enum tb_verdict a, enum tb_verdict b)
{
	return a > b ? a : b;
}

int tb_exit_code(const unsigned counts[TB_V_COUNT])
{
	if (counts[TB_V_FAIL])
		return TB_EXIT_FAIL;
	if (counts[TB_V_ERROR] || counts[TB_V_INCONCLUSIVE] || counts[TB_V_EXAMINER])
		return TB_EXIT_UNDECIDED;
	return TB_EXIT_PASS;
}
