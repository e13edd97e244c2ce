/* junit.c: JUnit XML for CI (see junit.h). */
#include "report/junit.h"
#include "base/sha256.h"
#include "base/text.h"
#include "load/profile.h"
#include "load/suite.h"
#include "report/xmlout.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))
#define MESSAGE_MAX 300 /* bytes of reason in the message attribute */

/* JUnit counters over the results. */
struct jcounts {
	unsigned tests, failures, errors, skipped;
	double seconds;
};

static const char *child_for(enum tb_verdict v)
{
	switch (v) {
	case TB_V_FAIL: return "failure";
	case TB_V_ERROR:
	case TB_V_INCONCLUSIVE: return "error";
	case TB_V_EXAMINER:
	case TB_V_NA: return "skipped";
	case TB_V_PASS:
	case TB_V_COUNT: break;
	}
	return NULL;
}

static void count(struct jcounts *c, enum tb_verdict v, int64_t ms)
{
	const char *k = child_for(v);
	c->tests++;
	c->failures += k && strcmp(k, "failure") == 0;
	c->errors += k && strcmp(k, "error") == 0;
	c->skipped += k && strcmp(k, "skipped") == 0;
	c->seconds += (double)(ms > 0 ? ms : 0) / 1000.0;
}

static void prop_secs(xmlNodePtr n, double s)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.3f", s);
	xmlNewProp(n, X("time"), X(buf));
}

static void counts_props(xmlNodePtr n, const struct jcounts *c)
{
	tb_xml_attr_u(n, "tests", c->tests);
	tb_xml_attr_u(n, "failures", c->failures);
	tb_xml_attr_u(n, "errors", c->errors);
	tb_xml_attr_u(n, "skipped", c->skipped);
	prop_secs(n, c->seconds);
}

/* "verdict: reason", cut at MESSAGE_MAX bytes on a UTF-8 boundary. */
static char *message_for(const char *verdict, const char *safe_reason)
{
	char *m = tb_xmalloc(MESSAGE_MAX + 4);
	int n = snprintf(m, MESSAGE_MAX + 1, "%s: %s", verdict, safe_reason);
	if (n > MESSAGE_MAX) {
		size_t cut = MESSAGE_MAX;
		while (cut > 0 && ((unsigned char)m[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(m + cut, "...", 4); /* m has MESSAGE_MAX + 4 bytes, cut <= MESSAGE_MAX */
	}
	return m;
}

static void testcase(xmlNodePtr ts, const struct tb_suite *s, const struct tb_result *r)
{
	const struct tb_case *c = r->tc;
	xmlNodePtr tc = xmlNewChild(ts, NULL, X("testcase"), NULL);
	xmlNewProp(tc, X("classname"), X(s->groups[c->group].provision));
	size_t nlen = strlen(c->id) + strlen(c->title) + 2;
	char *name = tb_xmalloc(nlen);
	snprintf(name, nlen, "%s %s", c->id, c->title);
	xmlNewProp(tc, X("name"), X(name));
	free(name);
	prop_secs(tc, (double)(r->duration_ms > 0 ? r->duration_ms : 0) / 1000.0);
	const char *kind = child_for(r->verdict);
	if (!kind)
		return;
	const char *reason = r->reason ? r->reason : "";
	/* Reasons can quote device bytes: make them clean text first. */
	char *safe = tb_text_escape((const uint8_t *)reason, strlen(reason));
	const char *verdict = tb_verdict_name(r->verdict);
	xmlNodePtr k = xmlNewTextChild(tc, NULL, X(kind), X(safe));
	char *msg = message_for(verdict, safe);
	xmlNewProp(k, X("message"), X(msg));
	if (strcmp(kind, "skipped") != 0)
		xmlNewProp(k, X("type"), X(verdict));
	free(msg);
	free(safe);
}

static void incomplete_case(xmlNodePtr ts, const struct tb_run_info *ri)
{
	xmlNodePtr tc = xmlNewChild(ts, NULL, X("testcase"), NULL);
	xmlNewProp(tc, X("classname"), X("trustbench"));
	xmlNewProp(tc, X("name"), X("run incomplete"));
	prop_secs(tc, 0);
	char msg[200];
	snprintf(msg, sizeof msg,
		 "incomplete: the run has not finished (running, or interrupted); %zu test cases "
		 "completed so far",
		 ri->nresults);
	xmlNodePtr e = xmlNewTextChild(tc, NULL, X("error"), X(msg));
	xmlNewProp(e, X("message"), X(msg));
	xmlNewProp(e, X("type"), X("incomplete"));
}

static void property(xmlNodePtr props, const char *name, const char *value)
{
	xmlNodePtr p = xmlNewChild(props, NULL, X("property"), NULL);
	xmlNewProp(p, X("name"), X(name));
	char *safe = tb_text_escape((const uint8_t *)value, strlen(value));
	xmlNewProp(p, X("value"), X(safe));
	free(safe);
}

static void properties(xmlNodePtr ts, const struct tb_run_info *ri)
{
	char hex[65];
	xmlNodePtr props = xmlNewChild(ts, NULL, X("properties"), NULL);
	property(props, "suite", ri->suite->id);
	tb_sha256_hex(ri->suite->sha256, hex);
	property(props, "suite-sha256", hex);
	property(props, "profile", ri->profile->id);
	tb_sha256_hex(ri->profile->sha256, hex);
	property(props, "profile-sha256", hex);
	property(props, "dut-model", ri->profile->model);
	property(props, "dut-firmware", ri->profile->firmware);
	property(props, "status", ri->complete ? "complete" : "partial");
}

static xmlDocPtr junit_dom(const struct tb_run_info *ri)
{
	struct jcounts c = { 0 };
	for (size_t i = 0; i < ri->nresults; i++)
		count(&c, ri->results[i].verdict, ri->results[i].duration_ms);
	if (!ri->complete) {
		c.tests++;
		c.errors++;
	}
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr root = xmlNewNode(NULL, X("testsuites"));
	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, X("name"), X("trustbench"));
	counts_props(root, &c);
	xmlNodePtr ts = xmlNewChild(root, NULL, X("testsuite"), NULL);
	size_t nlen = strlen(ri->suite->id) + strlen(ri->profile->id) + 8;
	char *name = tb_xmalloc(nlen);
	snprintf(name, nlen, "%s on %s", ri->suite->id, ri->profile->id);
	char *safe = tb_text_escape((const uint8_t *)name, strlen(name));
	xmlNewProp(ts, X("name"), X(safe));
	free(safe);
	free(name);
	counts_props(ts, &c);
	xmlNewProp(ts, X("timestamp"), X(ri->started));
	properties(ts, ri);
	for (size_t i = 0; i < ri->nresults; i++)
		testcase(ts, ri->suite, &ri->results[i]);
	if (!ri->complete)
		incomplete_case(ts, ri);
	return doc;
}

enum tb_err tb_junit_write(const struct tb_run_info *ri, const char *path, struct tb_diag *d)
{
	if (!path)
		return TB_OK;
	return tb_xml_save(junit_dom(ri), path, "JUnit file", d);
}
