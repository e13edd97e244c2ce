/* report_load.c: read an untrusted trustbench report (see report_load.h). */
#include "report/report_load.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "report/report.h"

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

/* ---- A linear scan before libxml2 sees the bytes ----
 * libxml2 checks each attribute of a start tag against all the earlier ones
 * (quadratic: 100k attributes on one element take minutes) and parses an
 * internal DTD subset before we can look at the tree.  One pass over the
 * raw bytes refuses both first.  It only needs to be right for well-formed
 * input; anything else the parser refuses afterwards. */

static int starts(const char *buf, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return len - i >= n && memcmp(buf + i, lit, n) == 0;
}

/* The index just past the first end after i (or len), counting lines. */
static size_t skip_past(const char *buf, size_t len, size_t i, const char *end, unsigned long *line)
{
	for (; i < len; i++) {
		if (starts(buf, len, i, end))
			return i + strlen(end);
		if (buf[i] == '\n')
			(*line)++;
	}
	return len;
}

/* Scan the start tag at buf[i] ('<' then a name): every '=' outside a
 * quoted value belongs to one attribute.  Returns the index past the tag,
 * or 0 when it has more than TB_REPORT_MAX_ATTRS attributes. */
static size_t scan_start_tag(const char *buf, size_t len, size_t i, unsigned long *line)
{
	unsigned attrs = 0;
	char quote = 0;
	for (; i < len; i++) {
		char c = buf[i];
		if (c == '\n')
			(*line)++;
		if (quote) {
			quote = c == quote ? 0 : quote;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '=' && ++attrs > TB_REPORT_MAX_ATTRS) {
			return 0;
		} else if (c == '>') {
			return i + 1;
		}
	}
	return len;
}

static enum tb_err prescan(const char *buf, size_t len, const char *name, struct tb_diag *d)
{
	unsigned long line = 1;
	for (size_t i = 0; i < len;) {
		if (buf[i] != '<') {
			line += buf[i++] == '\n';
		} else if (starts(buf, len, i, "<!--")) {
			i = skip_past(buf, len, i + 4, "-->", &line);
		} else if (starts(buf, len, i, "<![CDATA[")) {
			i = skip_past(buf, len, i + 9, "]]>", &line);
		} else if (starts(buf, len, i, "<?")) {
			i = skip_past(buf, len, i + 2, "?>", &line);
		} else if (starts(buf, len, i, "<!DOCTYPE")) {
			return tb_diag_at(d, TB_E_FORMAT, name, line, 0, TB_REPORT_DTD_REFUSED);
		} else if (starts(buf, len, i, "</") || starts(buf, len, i, "<!")) {
			i = skip_past(buf, len, i + 2, ">", &line);
		} else {
			unsigned long tag_line = line;
			size_t next = scan_start_tag(buf, len, i + 1, &line);
			if (next == 0)
				return tb_diag_at(d, TB_E_FORMAT, name, tag_line, 0,
						  "an element with more than %d attributes; "
						  "trustbench reports have far fewer: refused",
						  TB_REPORT_MAX_ATTRS);
			i = next;
		}
	}
	return TB_OK;
}

enum tb_err tb_xml_parse_untrusted(const char *buf, size_t len, const char *name, size_t max,
				   const char *what, xmlDocPtr *doc, struct tb_diag *d)
{
	*doc = NULL;
	if (len > max)
		return tb_diag_at(d, TB_E_TOOBIG, name, 0, 0, "larger than %zu MiB: not a %s",
				  max >> 20, what);
	enum tb_err e = prescan(buf, len, name, d);
	if (e)
		return e;
	/* NONET: no fetching; no NOENT and no DTDLOAD: entities stay
	 * unexpanded and no external subset is read. */
	xmlDocPtr x = xmlReadMemory(buf, (int)len, name, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x) {
		const xmlError *err = xmlGetLastError();
		return tb_diag_at(d, TB_E_FORMAT, name, err ? (unsigned long)err->line : 0, 0,
				  "not well-formed XML");
	}
	/* The scan refuses a DOCTYPE already; this holds even if it missed one. */
	if (x->intSubset || x->extSubset) {
		xmlFreeDoc(x);
		return tb_diag_at(d, TB_E_FORMAT, name, 0, 0, TB_REPORT_DTD_REFUSED);
	}
	*doc = x;
	return TB_OK;
}

/* Parse under the one rule; root: "report", or NULL for either root the
 * schema defines (a report, or the standalone <traffic> of `analyze`). */
static enum tb_err parse_rooted(const char *buf, size_t len, const char *name, const char *root,
				xmlDocPtr *doc, struct tb_diag *d)
{
	xmlDocPtr x;
	*doc = NULL;
	enum tb_err e =
		tb_xml_parse_untrusted(buf, len, name, TB_REPORT_MAX_BYTES, "trustbench report", &x, d);
	if (e)
		return e;
	if (root ? !is_report_elem(xmlDocGetRootElement(x), root)
		 : !is_report_elem(xmlDocGetRootElement(x), "report") &&
			    !is_report_elem(xmlDocGetRootElement(x), "traffic"))
		e = tb_diag_at(d, TB_E_FORMAT, name, 0, 0,
			       "not a trustbench report (root element is not %s in %s)",
			       root ? root : "report or traffic", TB_REPORT_NS);
	if (e) {
		xmlFreeDoc(x);
		return e;
	}
	*doc = x;
	return TB_OK;
}

enum tb_err tb_report_parse(const char *buf, size_t len, const char *name, xmlDocPtr *doc,
			    struct tb_diag *d)
{
	return parse_rooted(buf, len, name, "report", doc, d);
}

static enum tb_err load_rooted(const char *path, const char *root, xmlDocPtr *doc, uint8_t sha256[32],
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
	e = parse_rooted(buf, len, path, root, doc, d);
	free(buf);
	return e;
}

enum tb_err tb_report_load(const char *path, xmlDocPtr *doc, uint8_t sha256[32], struct tb_diag *d)
{
	return load_rooted(path, "report", doc, sha256, d);
}

/* ---- The schema ---- */

struct schema_err {
	struct tb_diag *d;
	const char *name;
	int seen;
};

/* Keep the first schema error, with its line. */
static void first_schema_error(void *ctx, xmlErrorPtr err)
{
	struct schema_err *v = ctx;
	if (v->seen++ || !err)
		return;
	char msg[400];
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "schema error");
	size_t n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	tb_diag_at(v->d, TB_E_FORMAT, v->name, err->line > 0 ? (unsigned long)err->line : 0, 0, "%s",
		   msg);
}

enum tb_err tb_report_schema_check(xmlDocPtr doc, const char *name, const char *xsd_path,
				   struct tb_diag *d)
{
	struct schema_err v = { .d = d, .name = name };
	enum tb_err e = TB_OK;
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd_path);
	xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
	xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	if (!vc) {
		e = tb_diag_set(d, TB_E_CONFIG, "cannot load the report schema %s", xsd_path);
	} else {
		xmlSchemaSetValidStructuredErrors(vc, first_schema_error, &v);
		if (xmlSchemaValidateDoc(vc, doc) != 0) {
			e = TB_E_FORMAT;
			if (!v.seen)
				tb_diag_at(d, e, name, 0, 0, "does not match the report schema");
		}
	}
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return e;
}

enum tb_err tb_report_load_validate(const char *path, const char *xsd_path, struct tb_diag *d)
{
	xmlDocPtr doc;
	enum tb_err e = load_rooted(path, NULL, &doc, NULL, d);
	if (!e)
		e = tb_report_schema_check(doc, path, xsd_path, d);
	xmlFreeDoc(doc);
	return e;
}
