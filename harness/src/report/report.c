/* report.c: build the XML report with the libxml2 DOM (see report.h). */
#include "report/report.h"
#include "base/sha256.h"
#include "base/text.h"
#include "load/profile.h"
#include "load/suite.h"
#include "load/tree.h"
#include "report/crosswalk_xml.h"
#include "report/tree_xml.h"
#include "report/xmlout.h"

#include "capture/analyze.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static void attr_sha(xmlNodePtr n, const uint8_t sum[32])
{
	char hex[65];
	tb_sha256_hex(sum, hex);
	xmlNewProp(n, X("sha256"), X(hex));
}

static void inputs_to_dom(const struct tb_run_info *ri, xmlNodePtr root)
{
	const struct tb_suite *s = ri->suite;
	xmlNodePtr in = xmlNewChild(root, NULL, X("inputs"), NULL);
	xmlNodePtr sn = xmlNewChild(in, NULL, X("suite"), NULL);
	tb_xml_attr(sn, "id", s->id);
	tb_xml_attr(sn, "path", s->path);
	attr_sha(sn, s->sha256);
	if (s->version)
		tb_xml_attr(sn, "version", s->version);
	tb_xml_text_child(sn, "title", s->title);
	if (s->standard)
		tb_xml_text_child(sn, "standard", s->standard);
	if (s->method)
		tb_xml_text_child(sn, "method", s->method);
	tb_crosswalks_to_dom(s, in); /* crosswalk_xml.c */
	xmlNodePtr pn = xmlNewChild(in, NULL, X("profile"), NULL);
	tb_xml_attr(pn, "id", ri->profile->id);
	tb_xml_attr(pn, "path", ri->profile->path);
	attr_sha(pn, ri->profile->sha256);
	if (ri->decisions_path) {
		xmlNodePtr dn = xmlNewChild(in, NULL, X("decisions"), NULL);
		tb_xml_attr(dn, "path", ri->decisions_path);
		attr_sha(dn, ri->decisions_sha256);
	}
}

static void dut_to_dom(const struct tb_run_info *ri, xmlNodePtr root)
{
	const struct tb_profile *p = ri->profile;
	xmlNodePtr dn = xmlNewChild(root, NULL, X("dut"), NULL);
	tb_xml_attr(dn, "manufacturer", p->manufacturer);
	tb_xml_attr(dn, "model", p->model);
	tb_xml_attr(dn, "firmware", p->firmware);
	tb_xml_attr(dn, "serial", p->serial);
	tb_xml_attr(dn, "address", p->address_text);
	/* The supplier's declared support-period end and disclosure contact
	 * (IXIT 2-UserInfo), as declared: statements carry them (issue 14). */
	if (p->support.present && p->support.end)
		tb_xml_attr(dn, "support-period-end", p->support.end);
	if (p->vdp.present && p->vdp.contact)
		tb_xml_attr(dn, "disclosure-contact", p->vdp.contact);
	xmlNodePtr ln = xmlNewChild(root, NULL, X("lab"), NULL);
	tb_xml_attr(ln, "interface", p->interface);
	tb_xml_attr(ln, "intrusive", p->intrusive ? "true" : "false");
	tb_xml_attr_u(ln, "rate-limit", (unsigned long long)p->rate_limit);
	if (ri->net) {
		tb_xml_attr_u(ln, "connections", ri->net->connects);
		tb_xml_attr_u(ln, "scope-refusals", ri->net->scope_refusals);
	}
	for (size_t i = 0; i < p->scope.n; i++) {
		char a[16], buf[24];
		tb_ipv4_format(p->scope.v[i].net, a);
		snprintf(buf, sizeof buf, "%s/%u", a, p->scope.v[i].prefix);
		tb_xml_attr(xmlNewChild(ln, NULL, X("scope"), NULL), "cidr", buf);
	}
	for (size_t i = 0; i < p->scope.n6; i++) { /* IPv6 entries (net/scope.h) */
		char c6[TB_ADDR_TEXT];
		tb_cidr6_format(&p->scope.v6[i], c6);
		tb_xml_attr(xmlNewChild(ln, NULL, X("scope"), NULL), "cidr", c6);
	}
}

static void bytes_child(xmlNodePtr parent, const char *name, const uint8_t *buf, size_t kept,
			size_t total)
{
	int clean = tb_text_clean(buf, kept);
	char *text;
	if (clean) {
		text = tb_xstrndup((const char *)buf, kept);
	} else {
		/* Hex, not \xNN escapes: evidence must give back its exact bytes. */
		text = tb_xmalloc(kept * 2 + 1);
		tb_hex_encode(buf, kept, text);
	}
	xmlNodePtr n = xmlNewTextChild(parent, NULL, X(name), X(text));
	free(text);
	xmlNewProp(n, X("encoding"), X(clean ? "utf-8" : "hex"));
	tb_xml_attr_u(n, "bytes", total);
	if (kept < total)
		tb_xml_attr_u(n, "kept", kept);
}

static void attr_i64(xmlNodePtr n, const char *name, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	xmlNewProp(n, X(name), X(buf));
}

/* <summary label [dropped]><fact name>value</fact>...</summary> */
static void summary_ev_to_dom(const struct tb_ev_item *it, xmlNodePtr en)
{
	const struct tb_ev_summary_data *s = it->summary;
	xmlNodePtr n = xmlNewChild(en, NULL, X("summary"), NULL);
	tb_xml_attr(n, "label", it->label);
	if (s->dropped)
		tb_xml_attr_u(n, "dropped", s->dropped);
	for (size_t i = 0; i < s->n; i++)
		tb_xml_attr(tb_xml_text_child(n, "fact", s->value[i]), "name", s->name[i]);
}

/* <timeline label started end-ms [spans-dropped] [events-dropped]>
 *   <span from-ms to-ms what/>... <event t-ms kind [what]/>... </timeline> */
static void timeline_ev_to_dom(const struct tb_ev_item *it, xmlNodePtr en)
{
	const struct tb_ev_timeline_data *t = it->timeline;
	xmlNodePtr n = xmlNewChild(en, NULL, X("timeline"), NULL);
	tb_xml_attr(n, "label", it->label);
	tb_xml_attr(n, "started", t->started);
	attr_i64(n, "end-ms", t->end_ms);
	if (t->spans_dropped)
		tb_xml_attr_u(n, "spans-dropped", t->spans_dropped);
	if (t->events_dropped)
		tb_xml_attr_u(n, "events-dropped", t->events_dropped);
	for (size_t i = 0; i < t->nspans; i++) {
		xmlNodePtr sn = xmlNewChild(n, NULL, X("span"), NULL);
		attr_i64(sn, "from-ms", t->spans[i].from_ms);
		attr_i64(sn, "to-ms", t->spans[i].to_ms);
		tb_xml_attr(sn, "what", t->spans[i].what);
	}
	for (size_t i = 0; i < t->nevents; i++) {
		xmlNodePtr vn = xmlNewChild(n, NULL, X("event"), NULL);
		attr_i64(vn, "t-ms", t->events[i].t_ms);
		xmlNewProp(vn, X("kind"), X(tb_tl_kind_name(t->events[i].kind)));
		if (t->events[i].what)
			tb_xml_attr(vn, "what", t->events[i].what);
	}
}

static void evidence_to_dom(const struct tb_result *r, xmlNodePtr parent)
{
	xmlNodePtr en = xmlNewChild(parent, NULL, X("evidence"), NULL);
	if (r->ev_dropped)
		tb_xml_attr_u(en, "dropped", r->ev_dropped);
	for (size_t i = 0; i < r->nev; i++) {
		const struct tb_ev_item *it = &r->ev[i];
		xmlNodePtr n;
		switch (it->kind) {
		case TB_EV_NOTE:
			n = tb_xml_text_child(en, "note", it->text ? it->text : "");
			tb_xml_attr(n, "label", it->label);
			break;
		case TB_EV_EXCHANGE:
			n = xmlNewChild(en, NULL, X("exchange"), NULL);
			tb_xml_attr(n, "label", it->label);
			bytes_child(n, "sent", it->sent, it->sentlen, it->sent_total);
			bytes_child(n, "received", it->recv, it->recvlen, it->recv_total);
			break;
		case TB_EV_FILE:
			n = xmlNewChild(en, NULL, X("file"), NULL);
			tb_xml_attr(n, "label", it->label);
			tb_xml_attr(n, "path", it->path);
			xmlNewProp(n, X("sha256"), X(it->sha256));
			tb_xml_attr_u(n, "bytes", it->size);
			break;
		case TB_EV_SUMMARY: summary_ev_to_dom(it, en); break;
		case TB_EV_TIMELINE: timeline_ev_to_dom(it, en); break;
		}
	}
}

/* Who decided the verdict: an examiner when one decided the case itself,
 * or answered a node of its decision tree that the verdict walked through
 * (the walk's step records the examiner, date and rationale); else the
 * harness. */
static const char *decided_by(const struct tb_result *r)
{
	if (r->examiner)
		return "examiner";
	for (size_t i = 0; r->walks && i < r->walks->n; i++) {
		const struct tb_walk *w = &r->walks->v[i];
		for (size_t k = 0; k < w->nsteps; k++)
			if (w->steps[k].answer.ans != TB_ANS_NONE &&
			    strcmp(w->steps[k].answer.source, "examiner") == 0)
				return "examiner";
	}
	return "harness";
}

static void result_to_dom(const struct tb_suite *s, const struct tb_result *r, xmlNodePtr parent)
{
	const struct tb_case *c = r->tc;
	xmlNodePtr rn = xmlNewChild(parent, NULL, X("result"), NULL);
	tb_xml_attr(rn, "id", c->id);
	tb_xml_attr(rn, "kind", tb_kind_name(c->kind));
	tb_xml_attr(rn, "verdict", tb_verdict_name(r->verdict));
	tb_xml_attr(rn, "check", c->family->name);
	tb_xml_attr(rn, "decided-by", decided_by(r));
	tb_xml_attr(rn, "started", r->started);
	tb_xml_attr_u(rn, "duration-ms", (unsigned long long)(r->duration_ms < 0 ? 0 : r->duration_ms));
	tb_xml_text_child(rn, "title", c->title);
	xmlNodePtr cn = xmlNewChild(rn, NULL, X("covers"), NULL);
	for (int f = 0; f < TB_FW_COUNT; f++)
		for (size_t i = 0; i < c->ncovers[f]; i++)
			tb_xml_attr(tb_xml_text_child(cn, "ref", c->covers[f][i]), "framework",
				    tb_framework_key(f));
	tb_xml_attr(xmlNewChild(rn, NULL, X("group"), NULL), "status", s->groups[c->group].status);
	tb_xml_text_child(rn, "reason", r->reason ? r->reason : "");
	if (r->examiner) {
		xmlNodePtr xn = tb_xml_text_child(rn, "examiner", r->rationale ? r->rationale : "");
		tb_xml_attr(xn, "name", r->examiner);
		tb_xml_attr(xn, "date", r->decided_on ? r->decided_on : "");
	}
	evidence_to_dom(r, rn);
	if (r->walks)
		tb_walks_to_dom(r->walks, rn); /* decision-tree cases (tree_xml.c) */
}

static int covers_ref(const struct tb_case *c, enum tb_framework f, const char *ref)
{
	for (size_t i = 0; i < c->ncovers[f]; i++)
		if (strcmp(c->covers[f][i], ref) == 0)
			return 1;
	return 0;
}

static const char *group_status(const struct tb_suite *s, const char *provision)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i].provision, provision) == 0)
			return s->groups[i].status;
	return NULL;
}

/* Has an earlier case of the suite (before index ci) already named ref? */
static int ref_seen_before(const struct tb_suite *s, size_t ci, enum tb_framework f, const char *ref)
{
	for (size_t j = 0; j < ci; j++)
		if (covers_ref(&s->cases[j], f, ref))
			return 1;
	return 0;
}

static void framework_item(const struct tb_run_info *ri, enum tb_framework f, const char *ref,
			   xmlNodePtr fn, unsigned counts[TB_V_COUNT])
{
	enum tb_verdict v = TB_V_NA;
	char cases[1024] = "";
	size_t used = 0, n = 0;
	for (size_t k = 0; k < ri->nresults; k++) {
		const struct tb_result *r = &ri->results[k];
		if (!covers_ref(r->tc, f, ref))
			continue;
		v = n++ ? tb_verdict_combine(v, r->verdict) : r->verdict;
		int w = snprintf(cases + used, sizeof cases - used, "%s%s", used ? " " : "", r->tc->id);
		if (w > 0 && (size_t)w < sizeof cases - used)
			used += (size_t)w;
	}
	if (n == 0)
		return; /* not reached yet in a partial run */
	counts[v]++;
	xmlNodePtr in = xmlNewChild(fn, NULL, X("item"), NULL);
	tb_xml_attr(in, "ref", ref);
	const char *status = f == TB_FW_EN303645 ? group_status(ri->suite, ref) : NULL;
	if (status)
		tb_xml_attr(in, "status", status);
	tb_xml_attr(in, "verdict", tb_verdict_name(v));
	tb_xml_attr(in, "cases", cases);
	tb_item_authority_to_dom(ri->suite, f, ref, in); /* who vouches for the mapping */
}

static void counts_attrs(xmlNodePtr n, const unsigned counts[TB_V_COUNT])
{
	for (int v = 0; v < TB_V_COUNT; v++)
		tb_xml_attr_u(n, tb_verdict_name((enum tb_verdict)v), counts[v]);
}

static void summary_to_dom(const struct tb_run_info *ri, xmlNodePtr root)
{
	const struct tb_suite *s = ri->suite;
	xmlNodePtr sn = xmlNewChild(root, NULL, X("summary"), NULL);
	unsigned cases[TB_V_COUNT] = { 0 };
	for (size_t k = 0; k < ri->nresults; k++)
		cases[ri->results[k].verdict]++;
	xmlNodePtr tn = xmlNewChild(sn, NULL, X("test-cases"), NULL);
	counts_attrs(tn, cases);
	tb_xml_attr_u(tn, "exit-code", (unsigned long long)tb_exit_code(cases));
	for (int f = 0; f < TB_FW_COUNT; f++) {
		xmlNodePtr fn = xmlNewChild(sn, NULL, X("framework"), NULL);
		tb_xml_attr(fn, "id", tb_framework_key((enum tb_framework)f));
		tb_xml_attr(fn, "title", tb_framework_title((enum tb_framework)f));
		xmlNodePtr cn = xmlNewChild(fn, NULL, X("counts"), NULL);
		tb_framework_scope_to_dom(s, (enum tb_framework)f, fn);
		unsigned counts[TB_V_COUNT] = { 0 };
		for (size_t ci = 0; ci < s->ncases; ci++)
			for (size_t i = 0; i < s->cases[ci].ncovers[f]; i++) {
				const char *ref = s->cases[ci].covers[f][i];
				if (!ref_seen_before(s, ci, (enum tb_framework)f, ref))
					framework_item(ri, (enum tb_framework)f, ref, fn, counts);
			}
		counts_attrs(cn, counts);
	}
}

size_t tb_report_selected_count(const struct tb_run_info *ri)
{
	size_t n = 0;
	if (!ri->selected)
		return ri->suite->ncases;
	for (size_t i = 0; i < ri->suite->ncases; i++)
		n += ri->selected[i] != 0;
	return n;
}

/* <run>: when, and which test cases were asked for: the suite's count, the
 * selected count, and with --only each selected id in suite order. */
static void run_to_dom(const struct tb_run_info *ri, xmlNodePtr root)
{
	xmlNodePtr run = xmlNewChild(root, NULL, X("run"), NULL);
	tb_xml_attr(run, "started", ri->started);
	if (ri->finished)
		tb_xml_attr(run, "finished", ri->finished);
	tb_xml_attr(run, "selection", ri->selected ? "only" : "all");
	tb_xml_attr_u(run, "suite-cases", ri->suite->ncases);
	tb_xml_attr_u(run, "selected-cases", tb_report_selected_count(ri));
	for (size_t i = 0; ri->selected && i < ri->suite->ncases; i++)
		if (ri->selected[i])
			tb_xml_attr(xmlNewChild(run, NULL, X("selected"), NULL), "case",
				    ri->suite->cases[i].id);
}

static xmlDocPtr report_to_dom(const struct tb_run_info *ri)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, X("report"));
	xmlDocSetRootElement(doc, root);
	xmlSetNs(root, xmlNewNs(root, X(TB_REPORT_NS), NULL));
	xmlNewProp(root, X("schema-version"), X("1"));
	xmlNewProp(root, X("status"), X(ri->complete ? "complete" : "partial"));
	tb_xml_attr_u(root, "total-cases", tb_report_selected_count(ri)); /* what this run ran */
	tb_xml_attr_u(root, "completed-cases", ri->nresults);
	xmlNodePtr h = xmlNewChild(root, NULL, X("harness"), NULL);
	xmlNewProp(h, X("name"), X("trustbench"));
	xmlNewProp(h, X("version"), X(TB_VERSION));
	run_to_dom(ri, root);
	/* Who ran it: unspecified unless the command line said so. */
	xmlNodePtr as = xmlNewChild(root, NULL, X("assessor"), NULL);
	tb_xml_attr(as, "role", ri->assessor_role ? ri->assessor_role : "unspecified");
	if (ri->assessor_name)
		tb_xml_attr(as, "name", ri->assessor_name);
	inputs_to_dom(ri, root);
	dut_to_dom(ri, root);
	xmlNodePtr rs = xmlNewChild(root, NULL, X("results"), NULL);
	for (size_t i = 0; i < ri->nresults; i++)
		result_to_dom(ri->suite, &ri->results[i], rs);
	summary_to_dom(ri, root);
	if (ri->capture)
		tb_traffic_to_dom(ri->capture, ri->traffic, root);
	return doc;
}

enum tb_err tb_report_write(const struct tb_run_info *ri, const char *path, struct tb_diag *d)
{
	return tb_xml_save(report_to_dom(ri), path, "report", d);
}
