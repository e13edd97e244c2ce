/* fuzz_scheme.c: libFuzzer target for the scheme loader (tb_scheme_parse); a
 * scheme it accepts is then applied to a small fixed report (statement.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/scheme.h"
#include "trust/statement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz/scheme.yaml"

static const char report[] =
	"<report xmlns=\"urn:trustbench:report:1\" status=\"complete\">"
	"<assessor role=\"lab\"/>"
	"<dut manufacturer=\"M\" model=\"D\" firmware=\"1.0\" support-period-end=\"2030-01-01\"/>"
	"<summary><framework id=\"en-303-645\"><item ref=\"5.1-1\" verdict=\"pass\"/>"
	"<item ref=\"5.2-1\" verdict=\"fail\"/></framework>"
	"<framework id=\"psti\"><item ref=\"1\" verdict=\"needs-examiner\"/></framework>"
	"</summary></report>";

/* What the loader promises: levels 1..n in order, the first reachable, and
 * every required item of a reachable level judged by the report. */
static int scheme_ok(const struct tb_scheme *s)
{
	if (!s->id || !s->url_template || s->nitems == 0 || s->nlevels == 0 ||
	    s->levels[0].unreachable || (!s->levelled && s->nlevels != 1) ||
	    !(s->met_by & (1u << TB_SR_PASS)))
		return 0;
	for (size_t i = 0; i < s->nlevels; i++) {
		const struct tb_scheme_level *lv = &s->levels[i];
		if (lv->level != (long)i + 1)
			return 0;
		for (size_t j = 0; j < lv->nrequires; j++) {
			const struct tb_scheme_item *it = tb_scheme_item(s, lv->requires[j]);
			if (!it || (!it->ref && !lv->unreachable))
				return 0;
		}
	}
	return strstr(s->url_template, TB_SCHEME_URL_PLACEHOLDER) != NULL;
}

static void apply(const struct tb_scheme *s)
{
	struct tb_sigcheck sc;
	struct tb_statement st;
	struct tb_diag d;
	memset(&sc, 0, sizeof sc);
	memset(&d, 0, sizeof d);
	sc.sig_ok = sc.chain_ok = 1;
	if (tb_statement_derive(s, report, sizeof report - 1, &sc, "report.xml", "2026-12-03", &st,
				&d) != TB_OK)
		abort();
	if (st.level < 0 || (size_t)st.level > s->nlevels || (st.qualifies && st.level == 0))
		abort();
	size_t n;
	free(tb_statement_xml(&st, &n));
	free(tb_statement_json(&st, "00", &n));
	tb_statement_cleanup(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_scheme *s = (struct tb_scheme *)1;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_scheme_parse(NAME, data, size, &s, &d);
	if (e != TB_OK) {
		if (s != NULL || (e != TB_E_CONFIG && e != TB_E_TOOBIG))
			abort();
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
		return 0;
	}
	if (!scheme_ok(s))
		abort();
	apply(s);
	tb_scheme_free(s);
	return 0;
}
