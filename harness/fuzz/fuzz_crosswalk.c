/* fuzz_crosswalk.c: libFuzzer target for the crosswalk loader (tb_crosswalk_parse), checked
 * against a small fixed suite and then applied to it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/crosswalk.h"
#include "load/suite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char suite_text[] =
	"suite: { id: \"s\", title: \"t\", standard: \"ETSI EN 303 645 V2.1.1\" }\n"
	"groups:\n"
	"  - provision: \"5.1-1\"\n"
	"    status: \"M\"\n"
	"    title: \"a\"\n"
	"    cases:\n"
	"      - { id: \"5.1-1-1\", kind: \"conceptual\", title: \"a\", covers: { en-303-645: "
	"[\"5.1-1\"] },\n"
	"          check: { family: \"examiner\", params: { guidance: \"g\", ixit: [\"1-AuthMech\"] } "
	"} }\n"
	"      - { id: \"5.1-1-2\", kind: \"functional\", title: \"b\", covers: { en-303-645: "
	"[\"5.1-1\"] },\n"
	"          check: { family: \"examiner\", params: { guidance: \"h\", ixit: [\"1-AuthMech\"] } "
	"} }\n"
	"  - provision: \"5.2-1\"\n"
	"    status: \"M\"\n"
	"    title: \"b\"\n"
	"    cases:\n"
	"      - { id: \"5.2-1-1\", kind: \"conceptual\", title: \"c\", covers: { en-303-645: "
	"[\"5.2-1\"] },\n"
	"          check: { family: \"examiner\", params: { guidance: \"i\", ixit: [\"2-UserInfo\"] } "
	"} }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_suite *s;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	if (tb_suite_parse("fuzz/suite.yaml", suite_text, sizeof suite_text - 1, &s, &d) != TB_OK)
		abort();
	struct tb_crosswalk *x = (struct tb_crosswalk *)1;
	enum tb_err e = tb_crosswalk_parse("fuzz/xw.yaml", data, size, s, &x, &d);
	if (e != TB_OK) {
		if (x != NULL || (e != TB_E_CONFIG && e != TB_E_TOOBIG))
			abort();
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
		tb_suite_free(s);
		return 0;
	}
	if (!x || x->nmaps == 0 || x->to == TB_FW_EN303645 || !x->judged)
		abort();
	for (size_t i = 0; i < x->nmaps; i++) {
		const struct tb_xw_map *m = &x->maps[i];
		/* A derived mapping always says why, the others who says so. */
		if (m->authority == TB_AUTH_DERIVED ? !m->rationale || m->source : !m->source)
			abort();
	}
	if (tb_crosswalk_apply(s, x, &d) != TB_OK)
		abort();
	for (size_t i = 0; i < s->ncases; i++)
		for (size_t j = 0; j < s->cases[i].ncovers[x->to]; j++) {
			long v = strtol(s->cases[i].covers[x->to][j], NULL, 10);
			if (v < 1 || v > tb_framework_max_ref(x->to))
				abort();
		}
	tb_suite_free(s);
	return 0;
}
