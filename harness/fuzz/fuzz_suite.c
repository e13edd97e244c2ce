/* fuzz_suite.c: libFuzzer target for the suite loader (tb_suite_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/suite.h"
#include "load/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_suite *s = (struct tb_suite *)1;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_suite_parse("fuzz/suite.yaml", data, size, &s, &d);
	if (e != TB_OK) {
		if (s != NULL || (e != TB_E_CONFIG && e != TB_E_TOOBIG))
			abort();
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
		/* Print the diagnostic as the CLI does: file:line:col must stay valid. */
		char out[768];
		tb_diag_format(&d, out, sizeof out);
		if (d.file[0] && strncmp(out, "fuzz/suite.yaml", 15) != 0)
			abort();
		return 0;
	}
	if (!s || s->ngroups == 0 || s->ncases == 0)
		abort();
	for (size_t i = 0; i < s->ncases; i++) {
		const struct tb_case *c = &s->cases[i];
		const char *prov = c->group < s->ngroups ? s->groups[c->group].provision : "";
		/* EN 303 645 provisions need covers; EN 18031 requirements (trees) may not. */
		if (!c->family || c->group >= s->ngroups ||
		    (c->ncovers[TB_FW_EN303645] == 0 && tb_provision_id_valid(prov)))
			abort();
		if (tb_suite_find_case(s, c->id) != c) /* ids are unique */
			abort();
		if (!tb_provision_id_valid(prov) && !tb_requirement_id_valid(prov))
			abort();
		if ((c->family->flags & TB_FAM_CONCEPTUAL) && c->kind == TB_KIND_FUNCTIONAL)
			abort();
		for (size_t j = 0; j < c->params.n; j++)
			if (!c->params.v[j].def)
				abort();
	}
	tb_suite_free(s);
	return 0;
}
