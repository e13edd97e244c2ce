/* fuzz_decisions.c: libFuzzer target for the examiner decisions loader (tb_decisions_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/decisions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz/decisions.yaml"

/* Decisions are checked against a suite: two examiner cases (one functional,
 * one conceptual) and one automated case that must never be decided. */
static const char suite_text[] =
	"suite:\n"
	"  id: \"mini\"\n"
	"  title: \"Mini\"\n"
	"groups:\n"
	"  - provision: \"5.2-1\"\n"
	"    status: \"M\"\n"
	"    title: \"Disclosure policy\"\n"
	"    cases:\n"
	"      - id: \"5.2-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Policy\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.2-1\"]\n"
	"        check:\n"
	"          family: \"declarations\"\n"
	"          params:\n"
	"            rule: \"disclosure-policy\"\n"
	"      - id: \"5.2-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"Examiner\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.2-1\"]\n"
	"        check:\n"
	"          family: \"examiner\"\n"
	"          params:\n"
	"            guidance: \"look\"\n"
	"  - provision: \"5.2-2\"\n"
	"    status: \"R\"\n"
	"    title: \"Timely action\"\n"
	"    cases:\n"
	"      - id: \"5.2-2-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Examiner\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.2-2\"]\n"
	"        check:\n"
	"          family: \"examiner\"\n"
	"          params:\n"
	"            guidance: \"look\"\n";

static const struct tb_suite *the_suite(void)
{
	static struct tb_suite *s;
	if (!s) {
		struct tb_diag d;
		memset(&d, 0, sizeof d);
		if (tb_suite_parse("fuzz/mini.yaml", suite_text, strlen(suite_text), &s, &d) != TB_OK)
			abort();
	}
	return s;
}

/* What the loader promises the runner: each decision names an examiner case
 * of the suite once, with a decidable verdict and a real date. */
static int decision_ok(const struct tb_suite *s, const struct tb_decisions *ds, size_t i)
{
	const struct tb_decision *x = &ds->v[i];
	const struct tb_case *c = tb_suite_find_case(s, x->case_id);
	if (!c || !(c->family->flags & TB_FAM_EXAMINER))
		return 0;
	if (x->verdict != TB_V_PASS && x->verdict != TB_V_FAIL && x->verdict != TB_V_NA &&
	    x->verdict != TB_V_INCONCLUSIVE)
		return 0;
	if (!x->examiner || !x->rationale || !x->date || !tb_date_valid(x->date))
		return 0;
	for (size_t j = 0; j < i; j++)
		if (strcmp(ds->v[j].case_id, x->case_id) == 0)
			return 0;
	return tb_decision_for(ds, x->case_id) == x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tb_suite *s = the_suite();
	struct tb_decisions *ds = (struct tb_decisions *)1;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_decisions_parse(NAME, data, size, s, &ds, &d);
	if (e != TB_OK) {
		if (ds != NULL || (e != TB_E_CONFIG && e != TB_E_TOOBIG))
			abort();
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
		/* Print the diagnostic as the CLI does: the file name stays valid. */
		char out[768];
		tb_diag_format(&d, out, sizeof out);
		if (d.file[0] && strncmp(out, NAME, strlen(NAME)) != 0)
			abort();
		return 0;
	}
	if (!ds || !ds->path || strcmp(ds->path, NAME) != 0)
		abort();
	for (size_t i = 0; i < ds->n; i++)
		if (!decision_ok(s, ds, i))
			abort();
	if (tb_decision_for(ds, "5.2-1-1") != NULL) /* automated: never decided */
		abort();
	tb_decisions_free(ds);
	return 0;
}
