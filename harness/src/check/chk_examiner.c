/* chk_examiner.c: test cases that a human examiner must decide.
 *
 * No automated check exists for these yet.  The verdict is always
 * needs-examiner with the guidance for the examiner, so the coverage gap is
 * visible in the report; an examiner's decision (trustbench run --decisions)
 * replaces it and is recorded with the examiner's name and rationale.
 */
#include <stdio.h>
#include <string.h>

#include "check/family.h"
#include "load/suite.h"
#include "result/result.h"

static const struct tb_param_def params[] = {
	{ .name = "guidance",
	  .type = TB_P_STR,
	  .required = 1,
	  .help = "what the examiner must establish" },
	{ .name = "ixit",
	  .type = TB_P_STRLIST,
	  .help = "IXIT entries (TS 103 701) the examiner works from" },
};

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	(void)ctx;
	const struct tb_param *ixit = tb_param_get(&tc->params, "ixit");
	char list[256] = "";
	size_t used = 0;
	for (size_t i = 0; ixit && i < ixit->n; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
				 ixit->sl[i]);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	if (used)
		tb_ev_note(res, "ixit", "%s", list);
	tb_result_set(res, TB_V_EXAMINER, "awaiting an examiner: %s",
		      tb_param_str(&tc->params, "guidance"));
}

const struct tb_check_family tb_check_examiner = {
	.name = "examiner",
	.summary = "hands the test case to a human examiner (no automated check yet)",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_EXAMINER,
	.run = run,
};
