/* xmlout.h: small helpers shared by every XML writer (report, traffic
 * evidence, JUnit).  Text and attribute values go through tb_text_escape,
 * so device bytes can never make the document unparseable. */
#ifndef TB_XMLOUT_H
#define TB_XMLOUT_H

#include <libxml/tree.h>

#include "base/tb.h"

#define TB_X(s) ((const xmlChar *)(s))

/* An attribute with an escaped string value. */
void tb_xml_attr(xmlNodePtr n, const char *name, const char *value);
/* An attribute with a decimal value. */
void tb_xml_attr_u(xmlNodePtr n, const char *name, unsigned long long v);
/* A child element holding escaped text. */
xmlNodePtr tb_xml_text_child(xmlNodePtr parent, const char *name, const char *text);
/* Serialise doc (then free it, whatever happens) and write it to path
 * atomically.  what names the document in the error message. */
TB_WUR enum tb_err tb_xml_save(xmlDocPtr doc, const char *path, const char *what, struct tb_diag *d);

#endif
