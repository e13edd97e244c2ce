/* statement_doc.c: a statement as XML (its signed form's twin: the digest
 * names it), as JSON and as a registry record (see statement.h). */
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "report/xmlout.h"
#include "trust/statement.h"

/* ---- XML ---- */

static void xml_scheme(const struct tb_statement *st, xmlNodePtr root)
{
	const struct tb_scheme *s = st->scheme;
	xmlNodePtr n = xmlNewChild(root, NULL, TB_X("scheme"), NULL);
	tb_xml_attr(n, "id", s->id);
	tb_xml_attr(n, "name", s->name);
	tb_xml_attr(n, "version", s->version);
	tb_xml_attr(n, "levelled", s->levelled ? "true" : "false");
	tb_xml_attr(n, "framework", s->framework);
	char hex[65];
	tb_sha256_hex(s->sha256, hex); /* the exact rules applied */
	tb_xml_attr(n, "sha256", hex);
}

static void xml_outcome(const struct tb_statement *st, xmlNodePtr root)
{
	const struct tb_scheme *s = st->scheme;
	xmlNodePtr n = xmlNewChild(root, NULL, TB_X("outcome"), NULL);
	tb_xml_attr(n, "result", st->result);
	if (s->levelled)
		tb_xml_attr_u(n, "level", (unsigned long long)st->level);
	if (st->level > 0)
		tb_xml_attr(n, "level-name", s->levels[st->level - 1].name);
	tb_xml_attr(n, "qualifies-for-label", st->qualifies ? "true" : "false");
	for (size_t i = 0; !st->qualifies && i < st->nreasons; i++)
		tb_xml_text_child(n, "reason", st->reasons[i]);
}

static void xml_identity(const struct tb_statement *st, xmlNodePtr root)
{
	xmlNodePtr n = xmlNewChild(root, NULL, TB_X("device"), NULL);
	tb_xml_attr(n, "manufacturer", st->manufacturer);
	tb_xml_attr(n, "model", st->model);
	tb_xml_attr(n, "firmware-version", st->firmware);
	if (st->firmware_sha256[0])
		tb_xml_attr(n, "firmware-sha256", st->firmware_sha256);
	if (st->support_end)
		tb_xml_attr(xmlNewChild(root, NULL, TB_X("support-period"), NULL), "end",
			    st->support_end);
	if (st->disclosure)
		tb_xml_attr(xmlNewChild(root, NULL, TB_X("disclosure"), NULL), "contact",
			    st->disclosure);
}

static void xml_report(const struct tb_statement *st, xmlNodePtr root)
{
	xmlNodePtr n = xmlNewChild(root, NULL, TB_X("report"), NULL);
	tb_xml_attr(n, "sha256", st->report_sha256);
	tb_xml_attr(n, "file", st->report_file);
	tb_xml_attr(n, "assessor", st->assessor);
	tb_xml_attr(n, "signer", st->signer);
	tb_xml_attr(n, "signer-sha256", st->signer_sha256);
	if (st->signed_at[0])
		tb_xml_attr(n, "signed-at", st->signed_at);
	if (st->timestamped_at[0])
		tb_xml_attr(n, "timestamped-at", st->timestamped_at);
	n = xmlNewChild(root, NULL, TB_X("issued"), NULL);
	tb_xml_attr(n, "date", st->issued);
	tb_xml_attr(n, "expires", st->expires);
	tb_xml_attr(xmlNewChild(root, NULL, TB_X("label"), NULL), "url-template",
		    st->scheme->url_template);
}

static void xml_items(const struct tb_statement *st, xmlNodePtr root)
{
	xmlNodePtr items = xmlNewChild(root, NULL, TB_X("items"), NULL);
	for (size_t i = 0; i < st->nitems; i++) {
		const struct tb_stmt_item *it = &st->items[i];
		xmlNodePtr n = xmlNewChild(items, NULL, TB_X("item"), NULL);
		tb_xml_attr(n, "id", it->si->id);
		tb_xml_attr(n, "result", tb_sresult_name(it->result));
		tb_xml_attr(n, "title", it->si->title);
		if (it->si->ref)
			tb_xml_attr(n, "ref", it->si->ref);
		if (it->report_verdict)
			tb_xml_attr(n, "report-verdict", it->report_verdict);
		if (it->cases)
			tb_xml_attr(n, "cases", it->cases);
		if (it->note)
			tb_xml_attr(n, "note", it->note);
	}
	xmlNodePtr sc = xmlNewChild(root, NULL, TB_X("scope"), NULL);
	tb_xml_text_child(sc, "judged", st->scheme->judged);
	if (st->scheme->not_judged)
		tb_xml_text_child(sc, "not-judged", st->scheme->not_judged);
}

char *tb_statement_xml(const struct tb_statement *st, size_t *len)
{
	xmlDocPtr doc = xmlNewDoc(TB_X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, TB_X("statement"));
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, TB_X(TB_STATEMENT_NS), NULL));
	xmlNewProp(root, TB_X("format"), TB_X("1"));
	xml_scheme(st, root);
	xml_outcome(st, root);
	xml_identity(st, root);
	xml_report(st, root);
	xml_items(st, root);
	xmlChar *mem = NULL;
	int n = 0;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &n, "UTF-8", 1);
	xmlFreeDoc(doc);
	char *out = tb_xstrndup(mem ? (const char *)mem : "", mem && n > 0 ? (size_t)n : 0);
	*len = mem && n > 0 ? (size_t)n : 0;
	xmlFree(mem);
	return out;
}

/* ---- JSON ---- */

struct jbuf {
	char *p;
	size_t n, cap;
};

static void jraw(struct jbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = tb_xrealloc(b->p, b->cap, 1);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void jlit(struct jbuf *b, const char *s)
{
	jraw(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped; the
 * text is already clean UTF-8 (it went through the XML writer's escaper). */
static void jstr(struct jbuf *b, const char *s)
{
	jlit(b, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		char esc[8];
		if (*c == '"' || *c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*c;
			jraw(b, esc, 2);
		} else if (*c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *c);
			jlit(b, esc);
		} else {
			jraw(b, (const char *)c, 1);
		}
	}
	jlit(b, "\"");
}

/* "key": "value" with a leading comma unless first. */
static void jkv(struct jbuf *b, int *first, const char *k, const char *v)
{
	jlit(b, *first ? "" : ", ");
	*first = 0;
	jstr(b, k);
	jlit(b, ": ");
	jstr(b, v);
}

static void jkraw(struct jbuf *b, int *first, const char *k, const char *v)
{
	jlit(b, *first ? "" : ", ");
	*first = 0;
	jstr(b, k);
	jlit(b, ": ");
	jlit(b, v);
}

static void json_head(struct jbuf *b, const struct tb_statement *st)
{
	const struct tb_scheme *s = st->scheme;
	int f = 1;
	char num[32];
	jlit(b, "{\"format\": 1,\n \"scheme\": {");
	jkv(b, &f, "id", s->id);
	jkv(b, &f, "name", s->name);
	jkv(b, &f, "version", s->version);
	jkraw(b, &f, "levelled", s->levelled ? "true" : "false");
	jkv(b, &f, "framework", s->framework);
	char hex[65];
	tb_sha256_hex(s->sha256, hex);
	jkv(b, &f, "sha256", hex);
	jlit(b, "},\n \"outcome\": {");
	f = 1;
	jkv(b, &f, "result", st->result);
	snprintf(num, sizeof num, "%ld", st->level);
	if (s->levelled)
		jkraw(b, &f, "level", num);
	if (st->level > 0)
		jkv(b, &f, "level-name", s->levels[st->level - 1].name);
	jkraw(b, &f, "qualifies-for-label", st->qualifies ? "true" : "false");
	jlit(b, ", \"reasons\": [");
	for (size_t i = 0; !st->qualifies && i < st->nreasons; i++) {
		jlit(b, i ? ", " : "");
		jstr(b, st->reasons[i]);
	}
	jlit(b, "]},\n \"device\": {");
	f = 1;
	jkv(b, &f, "manufacturer", st->manufacturer);
	jkv(b, &f, "model", st->model);
	jkv(b, &f, "firmware-version", st->firmware);
	if (st->firmware_sha256[0])
		jkv(b, &f, "firmware-sha256", st->firmware_sha256);
	jlit(b, "}");
	if (st->support_end) {
		jlit(b, ",\n \"support-period\": {\"end\": ");
		jstr(b, st->support_end);
		jlit(b, "}");
	}
	if (st->disclosure) {
		jlit(b, ",\n \"disclosure\": {\"contact\": ");
		jstr(b, st->disclosure);
		jlit(b, "}");
	}
}

static void json_report(struct jbuf *b, const struct tb_statement *st, const char *digest)
{
	int f = 1;
	jlit(b, ",\n \"report\": {");
	jkv(b, &f, "sha256", st->report_sha256);
	jkv(b, &f, "file", st->report_file);
	jkv(b, &f, "assessor", st->assessor);
	jkv(b, &f, "signer", st->signer);
	jkv(b, &f, "signer-sha256", st->signer_sha256);
	if (st->signed_at[0])
		jkv(b, &f, "signed-at", st->signed_at);
	if (st->timestamped_at[0])
		jkv(b, &f, "timestamped-at", st->timestamped_at);
	jlit(b, "},\n \"issued\": {");
	f = 1;
	jkv(b, &f, "date", st->issued);
	jkv(b, &f, "expires", st->expires);
	jlit(b, "},\n \"label\": {");
	f = 1;
	jkv(b, &f, "url-template", st->scheme->url_template);
	if (digest) {
		char *url = tb_statement_label_url(st->scheme, digest);
		jkv(b, &f, "url", url);
		free(url);
	}
	jlit(b, "}");
	if (digest) {
		jlit(b, ",\n \"statement-sha256\": ");
		jstr(b, digest);
	}
}

static void json_items(struct jbuf *b, const struct tb_statement *st)
{
	jlit(b, ",\n \"items\": [");
	for (size_t i = 0; i < st->nitems; i++) {
		const struct tb_stmt_item *it = &st->items[i];
		int f = 1;
		jlit(b, i ? ",\n  {" : "\n  {");
		jkv(b, &f, "id", it->si->id);
		jkv(b, &f, "result", tb_sresult_name(it->result));
		jkv(b, &f, "title", it->si->title);
		if (it->si->ref)
			jkv(b, &f, "ref", it->si->ref);
		if (it->report_verdict)
			jkv(b, &f, "report-verdict", it->report_verdict);
		if (it->cases)
			jkv(b, &f, "cases", it->cases);
		if (it->note)
			jkv(b, &f, "note", it->note);
		jlit(b, "}");
	}
	int f = 1;
	jlit(b, "],\n \"scope\": {");
	jkv(b, &f, "judged", st->scheme->judged);
	if (st->scheme->not_judged)
		jkv(b, &f, "not-judged", st->scheme->not_judged);
	jlit(b, "}}");
}

static void json_statement(struct jbuf *b, const struct tb_statement *st, const char *digest)
{
	json_head(b, st);
	json_report(b, st, digest);
	json_items(b, st);
}

char *tb_statement_json(const struct tb_statement *st, const char *statement_sha256, size_t *len)
{
	struct jbuf b = { 0 };
	json_statement(&b, st, statement_sha256);
	jlit(&b, "\n");
	*len = b.n;
	return b.p;
}

char *tb_statement_registry_json(const struct tb_statement *st, const char *statement_sha256,
				 const char *statement_file, size_t *len)
{
	struct jbuf b = { 0 };
	int f = 1;
	char *url = tb_statement_label_url(st->scheme, statement_sha256);
	jlit(&b, "{");
	jkraw(&b, &f, "format", "1");
	jkv(&b, &f, "record", "trustbench registry record (what a registry would publish)");
	jkv(&b, &f, "statement-sha256", statement_sha256);
	jkv(&b, &f, "statement-file", statement_file);
	jkv(&b, &f, "report-sha256", st->report_sha256);
	jkv(&b, &f, "signer", st->signer);
	jkv(&b, &f, "signer-sha256", st->signer_sha256);
	jkv(&b, &f, "label-url", url);
	jkv(&b, &f, "expires", st->expires);
	jlit(&b, ",\n\"statement\": ");
	json_statement(&b, st, statement_sha256);
	jlit(&b, "}\n");
	free(url);
	*len = b.n;
	return b.p;
}
