/* check_evidence.c: unit tests for structured evidence (summaries and
 * timelines, result.h): deep copies, limits and drop counts, the report XML
 * they become, and their rendering as tables and SVG plots. */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "report/diff.h"
#include "report/render.h"
#include "report/report.h"
#include "report/report_load.h"
#include "result/result.h"
#include "suites.h"

#define XSD "reports/schema/trustbench-report.xsd"
#define XSL "reports/xsl/report-html.xsl"
#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define SVG_NS "http://www.w3.org/2000/svg"
#define XHTML_DTD "/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd"

/* ---- the API: copies, limits, drop counts ---- */

START_TEST(summary_is_a_deep_copy)
{
	struct tb_result r = { 0 };
	char n0[] = "uplink cut", v0[] = "10.0 s to 25.0 s";
	struct tb_ev_fact facts[] = { { n0, v0 }, { "attempts", NULL }, { NULL, "x" } };
	tb_ev_summary(&r, "campaign", facts, 3);
	memset(n0, 'X', sizeof n0 - 1); /* the caller's buffers change afterwards */
	memset(v0, 'Y', sizeof v0 - 1);
	ck_assert_uint_eq(r.nev, 1);
	const struct tb_ev_item *it = &r.ev[0];
	ck_assert_int_eq(it->kind, TB_EV_SUMMARY);
	ck_assert_str_eq(it->label, "campaign");
	ck_assert_ptr_nonnull(it->summary);
	ck_assert_uint_eq(it->summary->n, 3);
	ck_assert_uint_eq(it->summary->dropped, 0);
	ck_assert_str_eq(it->summary->name[0], "uplink cut");
	ck_assert_str_eq(it->summary->value[0], "10.0 s to 25.0 s");
	ck_assert_str_eq(it->summary->value[1], ""); /* NULL value: empty */
	ck_assert_str_eq(it->summary->name[2], "");  /* NULL name: empty */
	ck_assert_ptr_ne(it->summary->name[0], n0);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(summary_keeps_64_facts_and_counts_the_rest)
{
	struct tb_result r = { 0 };
	struct tb_ev_fact facts[TB_EV_MAX_FACTS + 7];
	char names[TB_EV_MAX_FACTS + 7][8];
	for (size_t i = 0; i < TB_EV_MAX_FACTS + 7; i++) {
		snprintf(names[i], sizeof names[i], "f%zu", i);
		facts[i] = (struct tb_ev_fact){ names[i], "v" };
	}
	tb_ev_summary(&r, "big", facts, TB_EV_MAX_FACTS + 7);
	ck_assert_uint_eq(r.ev[0].summary->n, 64);
	ck_assert_uint_eq(r.ev[0].summary->dropped, 7);
	ck_assert_str_eq(r.ev[0].summary->name[63], "f63"); /* the first ones are kept */
	/* No facts at all is a valid, empty summary. */
	tb_ev_summary(&r, "empty", NULL, 5);
	ck_assert_uint_eq(r.ev[1].summary->n, 0);
	ck_assert_uint_eq(r.ev[1].summary->dropped, 0);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(timeline_is_a_deep_copy)
{
	struct tb_result r = { 0 };
	char cut[] = "uplink cut", started[] = "2026-12-03T18:00:00Z", why[] = "restored";
	struct tb_tl_span sp[] = { { 10000, 25000, cut } };
	struct tb_tl_event ev[] = {
		{ 0, TB_TL_ATTEMPT, NULL },     { 40, TB_TL_CONNECTED, "mqtt" },
		{ 1000, TB_TL_PROBE_OK, NULL }, { 12000, TB_TL_PROBE_FAIL, NULL },
		{ 25000, TB_TL_MARK, why },
	};
	tb_ev_timeline(&r, "outage", started, 40000, sp, 1, ev, 5);
	memset(cut, 'X', sizeof cut - 1);
	memset(started, 'X', sizeof started - 1);
	memset(why, 'X', sizeof why - 1);
	ev[0].t_ms = 999;
	const struct tb_ev_timeline_data *t = r.ev[0].timeline;
	ck_assert_int_eq(r.ev[0].kind, TB_EV_TIMELINE);
	ck_assert_str_eq(r.ev[0].label, "outage");
	ck_assert_str_eq(t->started, "2026-12-03T18:00:00Z");
	ck_assert_int_eq(t->end_ms, 40000);
	ck_assert_uint_eq(t->nspans, 1);
	ck_assert_int_eq(t->spans[0].from_ms, 10000);
	ck_assert_int_eq(t->spans[0].to_ms, 25000);
	ck_assert_str_eq(t->spans[0].what, "uplink cut");
	ck_assert_uint_eq(t->nevents, 5);
	ck_assert_int_eq(t->events[0].t_ms, 0);
	ck_assert_ptr_null(t->events[0].what); /* NULL stays NULL: no what in the XML */
	ck_assert_str_eq(t->events[1].what, "mqtt");
	ck_assert_int_eq(t->events[3].kind, TB_TL_PROBE_FAIL);
	ck_assert_str_eq(t->events[4].what, "restored");
	ck_assert_uint_eq(t->spans_dropped + t->events_dropped, 0);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(timeline_keeps_16_spans_4096_events_and_counts_the_rest)
{
	struct tb_result r = { 0 };
	struct tb_tl_span sp[TB_EV_MAX_SPANS + 4];
	for (size_t i = 0; i < TB_EV_MAX_SPANS + 4; i++)
		sp[i] = (struct tb_tl_span){ (int64_t)i * 100, (int64_t)i * 100 + 50, "s" };
	size_t nev = TB_EV_MAX_EVENTS + 5;
	struct tb_tl_event *ev = calloc(nev, sizeof *ev);
	for (size_t i = 0; i < nev; i++)
		ev[i] = (struct tb_tl_event){ (int64_t)i * 200, TB_TL_ATTEMPT, NULL };
	tb_ev_timeline(&r, "long", "2026-12-03T18:00:00Z", (int64_t)nev * 200, sp, TB_EV_MAX_SPANS + 4,
		       ev, nev);
	free(ev);
	const struct tb_ev_timeline_data *t = r.ev[0].timeline;
	ck_assert_uint_eq(t->nspans, 16);
	ck_assert_uint_eq(t->spans_dropped, 4);
	ck_assert_uint_eq(t->nevents, 4096);
	ck_assert_uint_eq(t->events_dropped, 5);
	ck_assert_int_eq(t->events[4095].t_ms, 4095 * 200); /* the first ones are kept */
	/* Nothing at all: an empty timeline, nothing dropped. */
	tb_ev_timeline(&r, "empty", NULL, 0, NULL, 3, NULL, 9);
	t = r.ev[1].timeline;
	ck_assert_str_eq(t->started, "");
	ck_assert_uint_eq(t->nspans + t->nevents + t->spans_dropped + t->events_dropped, 0);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(long_strings_are_bounded)
{
	struct tb_result r = { 0 };
	char *big = malloc(TB_EV_TEXT_MAX * 3);
	memset(big, 'a', TB_EV_TEXT_MAX * 3 - 1);
	big[TB_EV_TEXT_MAX * 3 - 1] = '\0';
	struct tb_ev_fact f = { big, big };
	tb_ev_summary(&r, "s", &f, 1);
	struct tb_tl_span sp = { 0, 1, big };
	struct tb_tl_event ev = { 0, TB_TL_MARK, big };
	tb_ev_timeline(&r, "t", big, 1, &sp, 1, &ev, 1);
	free(big);
	ck_assert_uint_eq(strlen(r.ev[0].summary->name[0]), TB_EV_TEXT_MAX);
	ck_assert_uint_eq(strlen(r.ev[0].summary->value[0]), TB_EV_TEXT_MAX);
	ck_assert_uint_eq(strlen(r.ev[1].timeline->spans[0].what), TB_EV_TEXT_MAX);
	ck_assert_uint_eq(strlen(r.ev[1].timeline->events[0].what), TB_EV_TEXT_MAX);
	ck_assert_uint_eq(strlen(r.ev[1].timeline->started), TB_EV_TEXT_MAX);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(structured_items_count_against_the_evidence_limit)
{
	struct tb_result r = { 0 };
	for (int i = 0; i < TB_EV_MAX_ITEMS; i++)
		tb_ev_note(&r, "n", "%d", i);
	struct tb_ev_fact f = { "a", "b" };
	tb_ev_summary(&r, "late", &f, 1);
	tb_ev_timeline(&r, "late", "", 0, NULL, 0, NULL, 0);
	ck_assert_uint_eq(r.nev, TB_EV_MAX_ITEMS);
	ck_assert_uint_eq(r.ev_dropped, 2);
	tb_result_cleanup(&r);
}
END_TEST

START_TEST(kind_names)
{
	ck_assert_str_eq(tb_tl_kind_name(TB_TL_ATTEMPT), "attempt");
	ck_assert_str_eq(tb_tl_kind_name(TB_TL_CONNECTED), "connected");
	ck_assert_str_eq(tb_tl_kind_name(TB_TL_PROBE_OK), "probe-ok");
	ck_assert_str_eq(tb_tl_kind_name(TB_TL_PROBE_FAIL), "probe-fail");
	ck_assert_str_eq(tb_tl_kind_name(TB_TL_MARK), "mark");
	ck_assert_str_eq(tb_tl_kind_name((enum tb_tl_kind)99), "mark");
}
END_TEST

/* ---- the report: write, validate, load, diff, render ---- */

static const char suite_text[] =
	"suite:\n"
	"  id: \"mini\"\n"
	"  title: \"Mini suite\"\n"
	"  version: \"0.1\"\n"
	"groups:\n"
	"  - provision: \"5.9-1\"\n"
	"    status: \"R\"\n"
	"    title: \"Resilience\"\n"
	"    cases:\n"
	"      - id: \"5.9-1-1\"\n"
	"        kind: \"functional\"\n"
	"        title: \"Outage\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.9-1\"]\n"
	"        check:\n"
	"          family: \"examiner\"\n"
	"          params:\n"
	"            guidance: \"look\"\n";

static const char profile_text[] =
	"profile:\n"
	"  id: \"mini\"\n"
	"dut:\n"
	"  manufacturer: \"Acme\"\n"
	"  model: \"Plug\"\n"
	"  firmware: \"1.0\"\n"
	"  serial: \"S-1\"\n"
	"  address: \"198.18.1.10\"\n"
	"lab:\n"
	"  scope: [\"198.18.1.10\"]\n"
	"  interface: \"tb-lab0\"\n"
	"  intrusive: false\n"
	"declarations: {}\n";

static struct tb_suite *suite;
static struct tb_profile *profile;
static struct tb_result res;
static struct tb_net net;
static char tmpdir[64], report_path[128];
static xmlDocPtr doc;
static xmlXPathContextPtr xpc;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* A device that retries every 200 ms from 10 s on, while the uplink is cut
 * (4096 + 4 attempts: 4 dropped), a probe answered each second up to 12 s
 * and failed after, connections before the cut, one mark. */
static void record_evidence(struct tb_result *r)
{
	struct tb_ev_fact facts[] = { { "uplink cut", "10.0 s to 25.0 s" },
				      { "attempts <during> & after", "5.0/s" } };
	tb_ev_summary(r, "outage campaign", facts, 2);
	size_t n = 0, cap = TB_EV_MAX_EVENTS + 64;
	struct tb_tl_event *ev = calloc(cap, sizeof *ev);
	for (int64_t t = 0; t < 10000; t += 2500) {
		ev[n++] = (struct tb_tl_event){ t, TB_TL_ATTEMPT, NULL };
		ev[n++] = (struct tb_tl_event){ t + 30, TB_TL_CONNECTED, "mqtt 8883" };
	}
	for (int64_t s = 1; s <= 14; s++)
		ev[n++] = (struct tb_tl_event){ s * 1000, s <= 12 ? TB_TL_PROBE_OK : TB_TL_PROBE_FAIL,
						NULL };
	ev[n++] = (struct tb_tl_event){ 10000, TB_TL_MARK, "uplink <cut>" };
	for (int64_t t = 10000; n < cap; t += 200)
		ev[n++] = (struct tb_tl_event){ t, TB_TL_ATTEMPT, NULL };
	struct tb_tl_span sp = { 10000, 25000, "uplink cut" };
	tb_ev_timeline(r, "uplink outage", "2026-12-03T18:00:00Z", 40000, &sp, 1, ev, n);
	free(ev);
}

static void setup(void)
{
	struct tb_diag d = { 0 };
	enum tb_err e =
		tb_suite_parse("testsuites/mini.yaml", suite_text, strlen(suite_text), &suite, &d);
	ck_assert_msg(e == TB_OK, "suite: %lu: %s", d.line, d.msg);
	e = tb_profile_parse("profiles/mini.yaml", profile_text, strlen(profile_text), &profile, &d);
	ck_assert_msg(e == TB_OK, "profile: %lu: %s", d.line, d.msg);
	strcpy(tmpdir, "/tmp/tb-evidence-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(report_path, sizeof report_path, "%s/report.xml", tmpdir);
	tb_net_init(&net, &profile->scope, profile->rate_limit, 1000);
	memset(&res, 0, sizeof res);
	res.tc = &suite->cases[0];
	snprintf(res.started, sizeof res.started, "2026-12-03T18:00:00Z");
	tb_result_set(&res, TB_V_PASS, "kept working");
	tb_ev_note(&res, "before", "a note stays a note");
	record_evidence(&res);
	struct tb_run_info ri = {
		.suite = suite,
		.profile = profile,
		.net = &net,
		.started = "2026-12-03T18:00:00Z",
		.finished = "2026-12-03T18:01:00Z",
		.complete = 1,
		.results = &res,
		.nresults = 1,
	};
	ck_assert_int_eq(tb_report_write(&ri, report_path, &d), TB_OK);
	doc = NULL;
	xpc = NULL;
}

static void teardown(void)
{
	xmlXPathFreeContext(xpc);
	xmlFreeDoc(doc);
	tb_result_cleanup(&res);
	tb_suite_free(suite);
	tb_profile_free(profile);
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* How many nodes an XPath result holds (an empty set may have no nodeset). */
static int nodes_in(xmlXPathObjectPtr o)
{
	return o && o->nodesetval ? o->nodesetval->nodeNr : 0;
}

static void xp_is(int line, const char *expr, const char *want)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xpc);
	ck_assert_msg(o != NULL, "line %d: bad XPath %s", line, expr);
	xmlChar *s = xmlXPathCastToString(o);
	ck_assert_msg(strcmp((const char *)s, want) == 0, "line %d: %s = '%s', want '%s'", line, expr,
		      s, want);
	xmlFree(s);
	xmlXPathFreeObject(o);
}
#define XP(expr, want) xp_is(__LINE__, expr, want)
#define EV "/tb:report/tb:results/tb:result/tb:evidence"

START_TEST(report_carries_summary_and_timeline)
{
	struct tb_diag d = { 0 };
	enum tb_err e = tb_report_load_validate(report_path, XSD, &d);
	ck_assert_msg(e == TB_OK, "report does not validate: line %lu: %s", d.line, d.msg);
	uint8_t sum[32];
	ck_assert_int_eq(tb_report_load(report_path, &doc, sum, &d), TB_OK);
	xpc = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"tb", (const xmlChar *)TB_REPORT_NS);
	XP("local-name(" EV "/*[1])", "note"); /* in the order recorded */
	XP("local-name(" EV "/*[2])", "summary");
	XP("local-name(" EV "/*[3])", "timeline");
	XP("string(" EV "/tb:summary/@label)", "outage campaign");
	XP("count(" EV "/tb:summary/@dropped)", "0");
	XP("count(" EV "/tb:summary/tb:fact)", "2");
	XP("string(" EV "/tb:summary/tb:fact[2]/@name)", "attempts <during> & after");
	XP("string(" EV "/tb:summary/tb:fact[1])", "10.0 s to 25.0 s");
	XP("string(" EV "/tb:timeline/@label)", "uplink outage");
	XP("string(" EV "/tb:timeline/@started)", "2026-12-03T18:00:00Z");
	XP("string(" EV "/tb:timeline/@end-ms)", "40000");
	XP("count(" EV "/tb:timeline/@spans-dropped)", "0");
	XP("string(" EV "/tb:timeline/@events-dropped)", "64");
	XP("count(" EV "/tb:timeline/tb:event)", "4096");
	XP("string(" EV "/tb:timeline/tb:span/@what)", "uplink cut");
	XP("string(" EV "/tb:timeline/tb:span/@from-ms)", "10000");
	XP("string(" EV "/tb:timeline/tb:span/@to-ms)", "25000");
	XP("string(" EV "/tb:timeline/tb:event[1]/@kind)", "attempt");
	XP("count(" EV "/tb:timeline/tb:event[1]/@what)", "0");
	XP("string(" EV "/tb:timeline/tb:event[2]/@kind)", "connected");
	XP("string(" EV "/tb:timeline/tb:event[2]/@what)", "mqtt 8883");
	XP("string(" EV "/tb:timeline/tb:event[2]/@t-ms)", "30");
	XP("count(" EV "/tb:timeline/tb:event[@kind='probe-ok'])", "12");
	XP("count(" EV "/tb:timeline/tb:event[@kind='probe-fail'])", "2");
	XP("string(" EV "/tb:timeline/tb:event[@kind='mark']/@what)", "uplink <cut>");
	/* diff reads it like any report. */
	struct tb_rview v;
	ck_assert_int_eq(tb_rview_from_doc(doc, report_path, &v, &d), TB_OK);
	ck_assert_uint_eq(v.ncases, 1);
	tb_rview_free(&v);
}
END_TEST

/* Summaries and timelines are optional: dropping them leaves a report
 * that still validates (every report written before them). */
START_TEST(report_without_them_still_validates)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_report_load(report_path, &doc, NULL, &d), TB_OK);
	xpc = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"tb", (const xmlChar *)TB_REPORT_NS);
	xmlXPathObjectPtr o =
		xmlXPathEvalExpression((const xmlChar *)(EV "/tb:summary | " EV "/tb:timeline"), xpc);
	ck_assert_int_eq(nodes_in(o), 2);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlUnlinkNode(o->nodesetval->nodeTab[i]);
		xmlFreeNode(o->nodesetval->nodeTab[i]);
	}
	xmlXPathFreeObject(o);
	ck_assert_int_gt(xmlSaveFile(report_path, doc), 0);
	ck_assert_int_eq(tb_report_load_validate(report_path, XSD, &d), TB_OK);
}
END_TEST

/* A kind outside the list, or more events than a timeline keeps, is not
 * a trustbench report. */
START_TEST(schema_refuses_unknown_kinds_and_too_many_events)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_report_load(report_path, &doc, NULL, &d), TB_OK);
	xpc = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"tb", (const xmlChar *)TB_REPORT_NS);
	xmlXPathObjectPtr o =
		xmlXPathEvalExpression((const xmlChar *)(EV "/tb:timeline/tb:event[1]"), xpc);
	ck_assert_int_eq(nodes_in(o), 1);
	xmlNodePtr first = o->nodesetval->nodeTab[0];
	xmlXPathFreeObject(o);
	xmlSetProp(first, (const xmlChar *)"kind", (const xmlChar *)"guess");
	ck_assert_int_eq(tb_report_schema_check(doc, "r.xml", XSD, &d), TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "guess"), "%s", d.msg);
	xmlSetProp(first, (const xmlChar *)"kind", (const xmlChar *)"attempt");
	ck_assert_int_eq(tb_report_schema_check(doc, "r.xml", XSD, &d), TB_OK);
	xmlAddNextSibling(first, xmlCopyNode(first, 1)); /* 4097 events */
	ck_assert_int_eq(tb_report_schema_check(doc, "r.xml", XSD, &d), TB_E_FORMAT);
}
END_TEST

static xmlDocPtr html;

static void render_report(void)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_report_load(report_path, &doc, NULL, &d), TB_OK);
	struct tb_render_params p = { .report_sha256 = "00", .signature = "unsigned" };
	xmlChar *out = NULL;
	int len = 0;
	enum tb_err e = tb_render_doc(doc, XSL, &p, &out, &len, &d);
	ck_assert_msg(e == TB_OK, "render failed: %s", d.msg);
	html = xmlReadMemory((const char *)out, len, "out.html", NULL, XML_PARSE_NONET);
	xmlFree(out);
	ck_assert_msg(html != NULL, "the XHTML is not well-formed XML");
	xpc = xmlXPathNewContext(html);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"h", (const xmlChar *)XHTML_NS);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"s", (const xmlChar *)SVG_NS);
}

START_TEST(summary_renders_as_a_table_timeline_as_svg)
{
	render_report();
	XP("string(//h:table[contains(@class, 'evsummary')]//h:th[1])", "outage campaign");
	XP("string(//h:table[contains(@class, 'evsummary')]//h:tr[h:th='attempts <during> & "
	   "after']/h:td)",
	   "5.0/s");
	XP("count(//h:div[@class='timeline']/s:svg)", "1");
	/* One bar per second with attempts: seconds 0, 2, 5 and 7, then the
	 * 4073 kept attempts every 200 ms from 10 s to 824.4 s: seconds 10 to
	 * 824, five in each but the last (three). */
	XP("count(//s:rect[@class='tl-bar'])", "819");
	XP("count(//s:rect[@class='tl-bar'][@height='64'])", "814");
	XP("count(//s:rect[@class='tl-connected'])", "4");
	XP("count(//s:circle[@class='tl-probe-ok'])", "12");
	XP("count(//s:path[@class='tl-probe-fail'])", "2");
	XP("count(//s:path[@class='tl-mark'])", "1");
	XP("count(//s:rect[@class='tl-span'])", "1");
	XP("string(//s:svg//s:text[contains(., 'uplink cut')])", "uplink cut");
	/* The scale reaches at least 5/s (a bar at 5/s fills its 64 px). */
	XP("string((//s:rect[@class='tl-bar'])[last()]/@height)", "38.4");
	XP("string((//s:rect[@class='tl-bar'])[1]/@height)", "12.8");
	/* Ticks on the time axis (0..~830 s: every 120 s). */
	XP("count(//s:line[@class='tl-tick'])", "7");
	XP("string(//s:svg//s:text[. = '120 s'])", "120 s");
	XP("count(//h:p[contains(., '64 further events were not kept')])", "1");
	XP("string(//h:table[@class='notes'][.//h:th='Mark at']//h:td[2])", "uplink <cut>");
}
END_TEST

/* Everything outside the SVG is still XHTML 1.0 Strict. */
START_TEST(html_around_the_svg_is_xhtml_strict)
{
	render_report();
	if (access(XHTML_DTD, R_OK) != 0)
		return;
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)"//s:svg", xpc);
	ck_assert_int_eq(nodes_in(o), 1);
	xmlUnlinkNode(o->nodesetval->nodeTab[0]);
	xmlFreeNode(o->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(o);
	xmlDtdPtr dtd = xmlParseDTD(NULL, (const xmlChar *)XHTML_DTD);
	xmlValidCtxtPtr vc = xmlNewValidCtxt();
	int ok = xmlValidateDtd(vc, html, dtd);
	xmlFreeValidCtxt(vc);
	xmlFreeDtd(dtd);
	ck_assert_msg(ok == 1, "the XHTML around the plot is not XHTML 1.0 Strict");
}
END_TEST

static void html_teardown(void)
{
	xmlXPathFreeContext(xpc);
	xpc = NULL;
	xmlFreeDoc(html);
	html = NULL;
	teardown();
}

/* A hostile report (render does not validate): times that are not numbers,
 * a span running backwards, a huge time; the page still renders. */
START_TEST(hostile_timeline_still_renders)
{
	static const char bad[] =
		"<report xmlns=\"urn:trustbench:report:1\"><results><result id=\"x\">"
		"<evidence><timeline label=\"t\" started=\"s\" end-ms=\"zzz\">"
		"<span from-ms=\"9000\" to-ms=\"1000\" what=\"&lt;b&gt;back\"/>"
		"<span from-ms=\"nan\" to-ms=\"1\" what=\"x\"/>"
		"<event t-ms=\"abc\" kind=\"attempt\"/><event t-ms=\"-500\" kind=\"attempt\"/>"
		"<event t-ms=\"99999999999999\" kind=\"probe-ok\"/>"
		"<event t-ms=\"1\" kind=\"&quot;/&gt;&lt;script&gt;\"/></timeline>"
		"<summary label=\"s\"/></evidence></result></results></report>";
	struct tb_diag d = { 0 };
	xmlDocPtr in;
	ck_assert_int_eq(tb_report_parse(bad, strlen(bad), "bad.xml", &in, &d), TB_OK);
	struct tb_render_params p = { .report_sha256 = "00", .signature = "unsigned" };
	xmlChar *out = NULL;
	int len = 0;
	ck_assert_int_eq(tb_render_doc(in, XSL, &p, &out, &len, &d), TB_OK);
	xmlFreeDoc(in);
	html = xmlReadMemory((const char *)out, len, "out.html", NULL, XML_PARSE_NONET);
	xmlFree(out);
	ck_assert_ptr_nonnull(html);
	xpc = xmlXPathNewContext(html);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"s", (const xmlChar *)SVG_NS);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"h", (const xmlChar *)XHTML_NS);
	XP("count(//s:rect[@class='tl-bar'])", "1"); /* -500 ms; "abc" is not drawn */
	XP("count(//s:rect[@class='tl-span'])", "1");
	XP("count(//h:script | //s:script)", "0");
	XP("count(//s:*[contains(@x, 'NaN') or contains(@width, 'NaN') or contains(@d, 'NaN')])", "0");
	XP("count(//s:line[@class='tl-tick']) <= 14", "true");
	xmlXPathFreeContext(xpc);
	xpc = NULL;
	xmlFreeDoc(html);
	html = NULL;
}
END_TEST

Suite *evidence_suite(void)
{
	Suite *s = suite_create("evidence");
	TCase *api = tcase_create("api");
	tcase_add_test(api, summary_is_a_deep_copy);
	tcase_add_test(api, summary_keeps_64_facts_and_counts_the_rest);
	tcase_add_test(api, timeline_is_a_deep_copy);
	tcase_add_test(api, timeline_keeps_16_spans_4096_events_and_counts_the_rest);
	tcase_add_test(api, long_strings_are_bounded);
	tcase_add_test(api, structured_items_count_against_the_evidence_limit);
	tcase_add_test(api, kind_names);
	suite_add_tcase(s, api);
	TCase *xml = tcase_create("xml");
	tcase_add_checked_fixture(xml, setup, teardown);
	tcase_set_timeout(xml, 30);
	tcase_add_test(xml, report_carries_summary_and_timeline);
	tcase_add_test(xml, report_without_them_still_validates);
	tcase_add_test(xml, schema_refuses_unknown_kinds_and_too_many_events);
	suite_add_tcase(s, xml);
	TCase *ren = tcase_create("render");
	tcase_add_checked_fixture(ren, setup, html_teardown);
	tcase_set_timeout(ren, 30);
	tcase_add_test(ren, summary_renders_as_a_table_timeline_as_svg);
	tcase_add_test(ren, html_around_the_svg_is_xhtml_strict);
	tcase_add_test(ren, hostile_timeline_still_renders);
	suite_add_tcase(s, ren);
	return s;
}
