/* xmlout.c: shared XML writing helpers (see xmlout.h). */
#include "report/xmlout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "result/result.h"

void tb_xml_attr(xmlNodePtr n, const char *name, const char *value)
{
	char *safe = tb_text_escape((const uint8_t *)value, strlen(value));
	xmlNewProp(n, TB_X(name), TB_X(safe));
	free(safe);
}

void tb_xml_attr_u(xmlNodePtr n, const char *name, unsigned long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%llu", v);
	xmlNewProp(n, TB_X(name), TB_X(buf));
}

xmlNodePtr tb_xml_text_child(xmlNodePtr parent, const char *name, const char *text)
{
	char *safe = tb_text_escape((const uint8_t *)text, strlen(text));
	xmlNodePtr n = xmlNewTextChild(parent, NULL, TB_X(name), TB_X(safe));
	free(safe);
	return n;
}

enum tb_err tb_xml_save(xmlDocPtr doc, const char *path, const char *what, struct tb_diag *d)
{
	xmlChar *mem = NULL;
	int len = 0;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!mem || len <= 0) {
		xmlFree(mem);
		return tb_diag_set(d, TB_E_INTERNAL, "could not serialise the %s", what);
	}
	enum tb_err e = tb_write_atomic(path, mem, (size_t)len, d);
	xmlFree(mem);
	return e;
}
