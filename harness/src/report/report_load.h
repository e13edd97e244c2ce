/* report_load.h: read a trustbench report that may come from anyone.
 *
 * render and diff take reports handed over by suppliers and other labs, so
 * the bytes are untrusted: the size is capped, the parser never touches the
 * network, never substitutes entities and never loads a DTD, and a report
 * that carries a DTD at all is refused (ours never do).  So is an element
 * with more than TB_REPORT_MAX_ATTRS attributes, before libxml2 parses it.
 * validate, verify, render and diff all read reports through here: one
 * reader, one rule.
 */
#ifndef TB_REPORT_LOAD_H
#define TB_REPORT_LOAD_H

#include <libxml/tree.h>

#include "base/tb.h"

#define TB_REPORT_MAX_BYTES (32u << 20) /* a full ETSI run is ~0.5 MiB */
#define TB_REPORT_MAX_ATTRS 64          /* per element; ours carry a dozen at most */
#define TB_REPORT_DTD_REFUSED "carries a DOCTYPE (a DTD); trustbench reports never do: refused"

/* Parse report bytes (name is used in messages).  On success *doc is the
 * report, with root element report in the trustbench namespace. */
TB_WUR enum tb_err tb_report_parse(const char *buf, size_t len, const char *name, xmlDocPtr *doc,
				   struct tb_diag *d);
/* Read and parse the report file at path; sha256 (may be NULL) gets the
 * digest of its exact bytes. */
TB_WUR enum tb_err tb_report_load(const char *path, xmlDocPtr *doc, uint8_t sha256[32],
				  struct tb_diag *d);
/* Validate a parsed report against the XSD at xsd_path (name is used in
 * messages).  TB_E_CONFIG when the schema itself cannot be used. */
TB_WUR enum tb_err tb_report_schema_check(xmlDocPtr doc, const char *name, const char *xsd_path,
					  struct tb_diag *d);
/* Read and check under the same rule as tb_report_load, then
 * tb_report_schema_check: what `validate` does.  Accepts either root the
 * schema defines: a report, or the standalone <traffic> of `analyze`. */
TB_WUR enum tb_err tb_report_load_validate(const char *path, const char *xsd_path, struct tb_diag *d);
/* The rule above for the other untrusted XML trustbench reads (statements,
 * label SVGs): at most max bytes (else "not a <what>"), the linear pre-scan
 * (no DOCTYPE, a bounded number of attributes per element), no network, no
 * entities.  The caller checks the root and frees *doc. */
TB_WUR enum tb_err tb_xml_parse_untrusted(const char *buf, size_t len, const char *name, size_t max,
					  const char *what, xmlDocPtr *doc, struct tb_diag *d);
/* First child element of parent named name in the report namespace, or NULL. */
xmlNodePtr tb_report_child(xmlNodePtr parent, const char *name);
/* Next sibling element after n named name in the report namespace, or NULL. */
xmlNodePtr tb_report_next(xmlNodePtr n, const char *name);

#endif
