/* tree_xml.h: a decision-tree case's walks as report XML (<decision-tree>). */
#ifndef TB_TREE_XML_H
#define TB_TREE_XML_H

#include <libxml/tree.h>

#include "load/tree.h"

/* Append <decision-tree> to a <result>: per item, the path node by node
 * with each answer and its source, the item's verdict, and the combined one. */
void tb_walks_to_dom(const struct tb_walks *ws, xmlNodePtr result);

#endif
