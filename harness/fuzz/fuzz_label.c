/* fuzz_label.c: libFuzzer target for the statement reader of `trustbench
 * label` (tb_label_parse) and the label drawn from what it accepts: the SVG
 * must always be well-formed XML whatever the statement's strings hold. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_svg(const struct tb_label *lbl)
{
	char *svg = NULL;
	size_t len = 0;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	if (tb_label_svg(lbl, &svg, &len, &d) != TB_OK || !svg || strlen(svg) != len)
		abort();
	xmlDocPtr doc = xmlReadMemory(svg, (int)len, "fuzz/label.svg", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || strcmp((const char *)root->name, "svg") != 0)
		abort();
	xmlFreeDoc(doc);
	free(svg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_label *lbl = malloc(sizeof *lbl);
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_label_parse((const char *)data, size, "fuzz/statement.xml", lbl, &d);
	if (e != TB_OK) {
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
	} else if (lbl->qualifies) {
		if (strncmp(lbl->url, "http", 4) != 0 || !strstr(lbl->url, lbl->statement_sha256))
			abort();
		check_svg(lbl);
	} else if (lbl->reasons[0] == '\0') {
		abort();
	}
	free(lbl);
	return 0;
}
