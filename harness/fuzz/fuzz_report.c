/* fuzz_report.c: libFuzzer target for the one untrusted-report reader
 * (tb_report_parse, with its DOCTYPE and attribute scan) and verify's walk
 * over the tree (tb_facts_read). */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust/policy.h"
#include "report/report_load.h"
#include "trust/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* On failure nothing is handed out and the message says why. */
static void check_refusal(enum tb_err e, const void *out, const struct tb_diag *d)
{
	if (out != NULL || e == TB_OK)
		abort();
	if (memchr(d->msg, '\0', sizeof d->msg) == NULL || d->msg[0] == '\0')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDocPtr doc = (xmlDocPtr)1;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_report_parse((const char *)data, size, "fuzz/report.xml", &doc, &d);
	if (e != TB_OK) {
		check_refusal(e, doc, &d);
	} else {
		if (!doc || doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc))
			abort();
		xmlFreeDoc(doc);
	}
	/* verify reads through the same reader: the same answer. */
	struct tb_facts f;
	struct tb_diag d2;
	memset(&d2, 0, sizeof d2);
	enum tb_err e2 = tb_facts_read("fuzz/report.xml", data, size, &f, &d2);
	if ((e2 == TB_OK) != (e == TB_OK))
		abort();
	if (e2 == TB_OK) {
		if (!f.status)
			abort();
		tb_facts_cleanup(&f);
	}
	return 0;
}
