/* crosswalk_xml.h: the suite's crosswalks in the report: which files were
 * read (<inputs>), what each framework's items judge (<scope>) and who
 * vouches for each item (authority, <via>). */
#ifndef TB_CROSSWALK_XML_H
#define TB_CROSSWALK_XML_H

#include <libxml/tree.h>

#include "load/suite.h"

/* <crosswalk to path sha256/> per crosswalk, appended to <inputs>. */
void tb_crosswalks_to_dom(const struct tb_suite *s, xmlNodePtr inputs);
/* <scope><judged/><not-judged/></scope> for framework f, if it has a crosswalk. */
void tb_framework_scope_to_dom(const struct tb_suite *s, enum tb_framework f, xmlNodePtr fw);
/* authority="..." on an <item> and a <via> per crosswalk mapping behind it
 * (en-303-645 items: authority="suite", no <via>). */
void tb_item_authority_to_dom(const struct tb_suite *s, enum tb_framework f, const char *ref,
			      xmlNodePtr item);

#endif
