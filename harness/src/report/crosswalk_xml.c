/* crosswalk_xml.c: crosswalks and mapping authorities in the report (see crosswalk_xml.h). */
#include "report/crosswalk_xml.h"

#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "load/crosswalk.h"
#include "report/xmlout.h"

void tb_crosswalks_to_dom(const struct tb_suite *s, xmlNodePtr inputs)
{
	for (size_t i = 0; i < s->ncrosswalks; i++) {
		const struct tb_crosswalk *x = s->crosswalks[i];
		char hex[65];
		xmlNodePtr n = xmlNewChild(inputs, NULL, TB_X("crosswalk"), NULL);
		tb_xml_attr(n, "to", tb_framework_key(x->to));
		tb_xml_attr(n, "path", x->path);
		tb_sha256_hex(x->sha256, hex);
		tb_xml_attr(n, "sha256", hex);
	}
}

void tb_framework_scope_to_dom(const struct tb_suite *s, enum tb_framework f, xmlNodePtr fw)
{
	const struct tb_crosswalk *x = tb_suite_crosswalk(s, f);
	if (!x)
		return;
	xmlNodePtr n = xmlNewChild(fw, NULL, TB_X("scope"), NULL);
	tb_xml_text_child(n, "judged", x->judged);
	if (x->not_judged)
		tb_xml_text_child(n, "not-judged", x->not_judged);
}

/* Space-separated list into a new string. */
static char *joined(char *const *v, size_t n)
{
	size_t len = 1, used = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *out = tb_xcalloc(len, 1);
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(v[i]);
		if (i)
			out[used++] = ' ';
		memcpy(out + used, v[i], k);
		used += k;
	}
	return out;
}

static void via_to_dom(const struct tb_xw_map *m, xmlNodePtr item)
{
	xmlNodePtr n = xmlNewChild(item, NULL, TB_X("via"), NULL);
	char *list = joined(m->provisions, m->nprovisions);
	tb_xml_attr(n, "authority", tb_authority_name(m->authority));
	tb_xml_attr(n, "provisions", list);
	free(list);
	if (m->cases) {
		list = joined(m->cases, m->ncases);
		tb_xml_attr(n, "cases", list);
		free(list);
	}
	if (m->source)
		tb_xml_attr(n, "source", m->source);
	if (m->rationale)
		tb_xml_attr(n, "rationale", m->rationale);
	if (m->note)
		tb_xml_attr(n, "note", m->note);
}

void tb_item_authority_to_dom(const struct tb_suite *s, enum tb_framework f, const char *ref,
			      xmlNodePtr item)
{
	const struct tb_crosswalk *x = f == TB_FW_EN303645 ? NULL : tb_suite_crosswalk(s, f);
	enum tb_authority weakest = TB_AUTH_SUITE;
	if (!x) { /* the suite's own provisions (covers come only from crosswalks otherwise) */
		tb_xml_attr(item, "authority", tb_authority_name(TB_AUTH_SUITE));
		return;
	}
	for (size_t i = 0; i < x->nmaps; i++)
		if (strcmp(x->maps[i].item, ref) == 0 && x->maps[i].authority > weakest)
			weakest = x->maps[i].authority;
	tb_xml_attr(item, "authority", tb_authority_name(weakest));
	for (size_t i = 0; i < x->nmaps; i++)
		if (strcmp(x->maps[i].item, ref) == 0)
			via_to_dom(&x->maps[i], item);
}
