/* report_load.c: read an untrusted trustbench report (see report_load.h). */
#include "report_load.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "suite.h"

static int is_report_elem(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, TB_REPORT_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr tb_report_next(xmlNodePtr n, const char *name)
{
	for (n = n ? n->next : NULL; n; n = n->next)
		if (is_report_elem(n, name))
			return n;
	return NULL;
}

xmlNodePtr tb_report_child(xmlNodePtr parent, const char *name)
{
	if (!parent || !parent->children)
		return NULL;
	xmlNodePtr first = parent->children;
	return is_report_elem(first, name) ? first : tb_report_next(first, name);
}

enum tb_err tb_report_parse(const char *buf, size_t len, const char *name, xmlDocPtr *doc,
			    struct tb_diag *d)
{
	*doc = NULL;
	if (len > TB_REPORT_MAX_BYTES)
		return tb_diag_at(d, TB_E_TOOBIG, name, 0, 0,
				  "larger than %u MiB: not a trustbench report",
				  TB_REPORT_MAX_BYTES >> 20);
	/* NONET: no fetching; no NOENT and no DTDLOAD: entities stay
	 * unexpanded and no external subset is read. */
	xmlDocPtr x = xmlReadMemory(buf, (int)len, name, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x) {
		const xmlError *err = xmlGetLastError();
		return tb_diag_at(d, TB_E_FORMAT, name, err ? (unsigned long)err->line : 0, 0,
				  "not well-formed XML");
	}
	enum tb_err e = TB_OK;
	if (x->intSubset || x->extSubset)
		e = tb_diag_at(d, TB_E_FORMAT, name, 0, 0,
			       "carries a DTD; trustbench reports never do: refused");
	else if (!is_report_elem(xmlDocGetRootElement(x), "report"))
		e = tb_diag_at(d, TB_E_FORMAT, name, 0, 0,
			       "not a trustbench report (root element is not report in %s)",
			       TB_REPORT_NS);
	if (e) {
		xmlFreeDoc(x);
		return e;
	}
	*doc = x;
	return TB_OK;
}

enum tb_err tb_report_load(const char *path, xmlDocPtr *doc, uint8_t sha256[32],
			   struct tb_diag *d)
{
	char *buf;
	size_t len;
	*doc = NULL;
	enum tb_err e = tb_file_read(path, TB_REPORT_MAX_BYTES + 1, &buf, &len, d);
	if (e)
		return e;
	if (sha256)
		tb_sha256_mem(buf, len, sha256);
	e = tb_report_parse(buf, len, path, doc, d);
	free(buf);
	return e;
}
