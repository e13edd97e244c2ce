/* check_statement.c: unit tests for conformance statements (trust/statement.h):
 * derivation under a scheme, levels, the XSD, JSON, dates, and the policy's
 * require-statement. */
#include <check.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_load.h"
#include "trust/policy.h"
#include "trust/statement.h"
#include "suites.h"

#define XSD "reports/schema/trustbench-statement.xsd"

static const char scheme_yaml[] =
	"scheme:\n"
	"  id: \"t\"\n"
	"  name: \"T\"\n"
	"  version: \"1\"\n"
	"  levelled: true\n"
	"  framework: \"en-303-645\"\n"
	"  validity-months: 36\n"
	"  expiry-capped-by-support-period: true\n"
	"  support-period-required: true\n"
	"  label-url-template: \"https://r.example.test/s/{statement-sha256}\"\n"
	"  met-by: [\"pass\", \"not-applicable\"]\n"
	"  judged: \"j\"\n"
	"  not-judged: \"nj\"\n"
	"items:\n"
	"  - {id: \"a\", title: \"A\", ref: \"5.1-1\"}\n"
	"  - {id: \"b\", title: \"B\", ref: \"5.2-1\"}\n"
	"  - {id: \"c\", title: \"C\", ref: \"5.3-13\"}\n"
	"  - {id: \"x\", title: \"X\", not-judged: \"cannot\"}\n"
	"levels:\n"
	"  - {level: 1, name: \"L1\", requires: [\"a\"]}\n"
	"  - {level: 2, name: \"L2\", requires: [\"b\"]}\n"
	"  - {level: 3, name: \"L3\", assessor: \"lab\", requires: [\"c\"]}\n"
	"  - {level: 4, name: \"L4\", requires: [\"x\"], unreachable: \"pen test\"}\n";

static struct tb_scheme *scheme;
static struct tb_sigcheck sc;

static void setup(void)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_scheme_parse("t.yaml", scheme_yaml, strlen(scheme_yaml), &scheme, &d),
			 TB_OK);
	memset(&sc, 0, sizeof sc);
	sc.sig_ok = sc.chain_ok = 1;
	snprintf(sc.subject, sizeof sc.subject, "CN=Lab \"quoted\",O=Lab");
	snprintf(sc.sha256, sizeof sc.sha256, "%064d", 7);
	snprintf(sc.signing_time, sizeof sc.signing_time, "2026-12-01T10:00:00Z");
}

static void teardown(void)
{
	tb_scheme_free(scheme);
}

/* A report with the given status, assessor, extra dut attributes, the
 * verdicts of 5.1-1, 5.2-1 and 5.3-13 (NULL: absent) and extra results. */
static char *report(const char *status, const char *role, const char *dut_extra, const char *v51,
		    const char *v52, const char *v53, const char *results)
{
	char items[1024] = "";
	const char *refs[] = { "5.1-1", "5.2-1", "5.3-13" }, *vs[] = { v51, v52, v53 };
	for (int i = 0; i < 3; i++)
		if (vs[i])
			snprintf(items + strlen(items), sizeof items - strlen(items),
				 "<item ref=\"%s\" verdict=\"%s\" cases=\"%s-1\"/>", refs[i], vs[i],
				 refs[i]);
	size_t n = 4096 + strlen(results);
	char *r = malloc(n);
	snprintf(r, n,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<report xmlns=\"urn:trustbench:report:1\" schema-version=\"1\" status=\"%s\" "
		 "total-cases=\"3\" completed-cases=\"3\">\n"
		 "<assessor role=\"%s\"/>\n"
		 "<dut manufacturer=\"M &amp; Co\" model=\"Mo\" firmware=\"2.4.0\" serial=\"S\" "
		 "address=\"198.18.2.10\"%s/>\n"
		 "<results>%s</results>\n"
		 "<summary><framework id=\"en-303-645\" title=\"E\">%s</framework>"
		 "<framework id=\"psti\" title=\"P\"><item ref=\"1\" verdict=\"fail\"/></framework>"
		 "</summary>\n</report>\n",
		 status, role, dut_extra, results, items);
	return r;
}

#define SUPPORT " support-period-end=\"2031-12-31\" disclosure-contact=\"mailto:s@x.invalid\""

static void derive(struct tb_statement *st, const char *rep, const char *issued)
{
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_statement_derive(scheme, rep, strlen(rep), &sc, "report.xml", issued, st,
					  &d) == TB_OK,
		      "%s", d.msg);
}

static int has_reason(const struct tb_statement *st, const char *needle)
{
	for (size_t i = 0; i < st->nreasons; i++)
		if (strstr(st->reasons[i], needle))
			return 1;
	return 0;
}

/* A statement from a complete report validates against the statement XSD,
 * and carries what the report says. */
START_TEST(statement_validates_against_xsd)
{
	char *rep = report("complete", "lab", SUPPORT, "pass", "pass", "not-applicable", "");
	struct tb_statement st;
	derive(&st, rep, "2026-12-03");
	ck_assert_int_eq(st.level, 3);
	ck_assert_str_eq(st.result, "pass");
	ck_assert_int_eq(st.qualifies, 1);
	size_t len;
	char *xml = tb_statement_xml(&st, &len);
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "s.xml", NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_report_schema_check(doc, "s.xml", XSD, &d) == TB_OK, "%s", d.msg);
	xmlFreeDoc(doc);
	ck_assert_ptr_nonnull(
		strstr(xml, "level=\"3\" level-name=\"L3\" qualifies-for-label=\"true\""));
	ck_assert_ptr_nonnull(strstr(xml, "manufacturer=\"M &amp; Co\""));
	ck_assert_ptr_nonnull(strstr(xml, "<support-period end=\"2031-12-31\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<disclosure contact=\"mailto:s@x.invalid\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<issued date=\"2026-12-03\" expires=\"2029-12-03\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "signed-at=\"2026-12-01T10:00:00Z\""));
	ck_assert_ptr_null(strstr(xml, "timestamped-at"));
	ck_assert_ptr_null(strstr(xml, "<reason>"));
	ck_assert_ptr_nonnull(
		strstr(xml, "<item id=\"x\" result=\"not-judged\" title=\"X\" note=\"cannot\"/>"));
	/* A withheld one validates too, with its reasons. */
	free(xml);
	tb_statement_cleanup(&st);
	free(rep);
	rep = report("complete", "vendor", "", "fail", NULL, NULL, "");
	derive(&st, rep, "2026-12-03");
	xml = tb_statement_xml(&st, &len);
	doc = xmlReadMemory(xml, (int)len, "s.xml", NULL, XML_PARSE_NONET);
	ck_assert_msg(tb_report_schema_check(doc, "s.xml", XSD, &d) == TB_OK, "%s", d.msg);
	xmlFreeDoc(doc);
	ck_assert_ptr_nonnull(strstr(xml,
				     "<outcome result=\"fail\" level=\"0\" "
				     "qualifies-for-label=\"false\">"));
	ck_assert_ptr_null(strstr(xml, "<support-period"));
	free(xml);
	tb_statement_cleanup(&st);
	free(rep);
}
END_TEST

/* No statement from a partial report (an interrupted run). */
START_TEST(partial_report_refused)
{
	char *rep = report("partial", "lab", SUPPORT, "pass", "pass", "pass", "");
	struct tb_statement st;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_statement_derive(scheme, rep, strlen(rep), &sc, "report.xml", "2026-12-03",
					     &st, &d),
			 TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(d.msg, "partial"));
	tb_statement_cleanup(&st);
	free(rep);
}
END_TEST

/* Levels are cumulative; lab-only levels need a lab's report; an
 * unreachable level is never reached; the rules come from the file. */
START_TEST(levels_follow_the_scheme)
{
	struct {
		const char *role, *a, *b, *c;
		long level;
		const char *result;
	} t[] = {
		{ "lab", "pass", "pass", "pass", 3, "pass" },
		{ "vendor", "pass", "pass", "pass", 2, "pass" }, /* level 3 needs a lab */
		{ "lab", "pass", "fail", "pass", 1, "pass" },    /* cumulative: no 3 without 2 */
		{ "lab", "fail", "pass", "pass", 0, "fail" },
		{ "lab", "needs-examiner", "pass", "pass", 0, "incomplete" },
		{ "lab", "inconclusive", "pass", "pass", 0, "incomplete" },
		{ "lab", NULL, "pass", "pass", 0, "incomplete" }, /* not run */
		{ "lab", "not-applicable", "pass", "pass", 3, "pass" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char *rep = report("complete", t[i].role, SUPPORT, t[i].a, t[i].b, t[i].c, "");
		struct tb_statement st;
		derive(&st, rep, "2026-12-03");
		ck_assert_msg(st.level == t[i].level, "case %zu: level %ld", i, st.level);
		ck_assert_str_eq(st.result, t[i].result);
		ck_assert_int_eq(st.qualifies, t[i].level > 0);
		if (!st.qualifies)
			ck_assert_msg(has_reason(&st, "L1 needs item a"), "case %zu", i);
		tb_statement_cleanup(&st);
		free(rep);
	}
}
END_TEST

/* PSTI-style: not-applicable does not meet a requirement when the scheme
 * says only pass does (met-by from the file, not from C). */
START_TEST(met_by_from_the_file)
{
	scheme->met_by = 1u << TB_SR_PASS;
	char *rep = report("complete", "lab", SUPPORT, "not-applicable", "pass", "pass", "");
	struct tb_statement st;
	derive(&st, rep, "2026-12-03");
	ck_assert_int_eq(st.level, 0);
	ck_assert(has_reason(&st, "not-applicable"));
	tb_statement_cleanup(&st);
	free(rep);
}
END_TEST

/* A label needs a declared support period that has not ended; the expiry
 * is capped by it. */
START_TEST(support_period_rules)
{
	char *rep = report("complete", "lab", "", "pass", "pass", "pass", "");
	struct tb_statement st;
	derive(&st, rep, "2026-12-03");
	ck_assert_int_eq(st.level, 3);
	ck_assert_int_eq(st.qualifies, 0);
	ck_assert(has_reason(&st, "no support period"));
	tb_statement_cleanup(&st);
	free(rep);
	rep = report("complete", "lab", " support-period-end=\"2027-06-30\"", "pass", "pass", "pass",
		     "");
	derive(&st, rep, "2026-12-03");
	ck_assert_int_eq(st.qualifies, 1);
	ck_assert_str_eq(st.expires, "2027-06-30");
	tb_statement_cleanup(&st);
	derive(&st, rep, "2027-07-01");
	ck_assert_int_eq(st.qualifies, 0);
	ck_assert(has_reason(&st, "ended on 2027-06-30"));
	tb_statement_cleanup(&st);
	free(rep);
}
END_TEST

#define FW_RESULT(ver) \
	"<result id=\"5.3-7-1\" verdict=\"pass\" check=\"firmware-image\"><reason>raw update " \
	"71e4665bba5bd0b8f44f3dfe12df40ad45678976f4cf2a78461452817734f056 (version " ver \
	"): signature, digest, algorithm, chain, version and delivery all conform</reason>" \
	"</result>"

/* The firmware image's digest only when the verified image is the firmware
 * version the device runs. */
START_TEST(firmware_digest_only_for_the_running_version)
{
	char *rep = report("complete", "lab", SUPPORT, "pass", "pass", "pass", FW_RESULT("3.0.0"));
	struct tb_statement st;
	derive(&st, rep, "2026-12-03");
	ck_assert_str_eq(st.firmware_sha256, "");
	tb_statement_cleanup(&st);
	free(rep);
	rep = report("complete", "lab", SUPPORT, "pass", "pass", "pass", FW_RESULT("2.4.0"));
	derive(&st, rep, "2026-12-03");
	ck_assert_str_eq(st.firmware_sha256,
			 "71e4665bba5bd0b8f44f3dfe12df40ad45678976f4cf2a78461452817734f056");
	tb_statement_cleanup(&st);
	free(rep);
}
END_TEST

START_TEST(months_are_added_by_the_calendar)
{
	char out[11];
	ck_assert_int_eq(tb_date_add_months("2026-01-31", 1, out), 0);
	ck_assert_str_eq(out, "2026-02-28");
	ck_assert_int_eq(tb_date_add_months("2027-02-28", 12, out), 0);
	ck_assert_str_eq(out, "2028-02-28");
	ck_assert_int_eq(tb_date_add_months("2028-02-29", 36, out), 0);
	ck_assert_str_eq(out, "2031-02-28");
	ck_assert_int_eq(tb_date_add_months("2026-11-15", 2, out), 0);
	ck_assert_str_eq(out, "2027-01-15");
	ck_assert_int_ne(tb_date_add_months("2026-02-30", 1, out), 0);
}
END_TEST

/* JSON: the same fields, strings escaped; the digest and label URL added. */
START_TEST(json_and_registry)
{
	char *rep = report("complete", "lab", SUPPORT, "pass", "pass", "pass", "");
	struct tb_statement st;
	derive(&st, rep, "2026-12-03");
	char digest[65];
	snprintf(digest, sizeof digest, "%064d", 1);
	size_t len;
	char *j = tb_statement_json(&st, digest, &len);
	ck_assert_uint_eq(strlen(j), len);
	ck_assert_ptr_nonnull(strstr(j, "\"signer\": \"CN=Lab \\\"quoted\\\",O=Lab\""));
	ck_assert_ptr_nonnull(strstr(j, "\"qualifies-for-label\": true"));
	ck_assert_ptr_nonnull(strstr(j, "\"url\": \"https://r.example.test/s/0000"));
	ck_assert_ptr_nonnull(strstr(j, "\"level\": 3"));
	free(j);
	j = tb_statement_registry_json(&st, digest, "st.xml", &len);
	ck_assert_ptr_nonnull(strstr(j, "\"report-sha256\": \""));
	ck_assert_ptr_nonnull(strstr(j, "\"label-url\": \"https://r.example.test/s/0000"));
	ck_assert_ptr_nonnull(strstr(j, "\"statement\": {"));
	free(j);
	char *url = tb_statement_label_url(scheme, digest);
	ck_assert_str_eq(url,
			 "https://r.example.test/s/"
			 "0000000000000000000000000000000000000000000000000000000000000001");
	free(url);
	tb_statement_cleanup(&st);
	free(rep);
}
END_TEST

/* require-statement: a policy with a minimum level above the statement's
 * is not met; none given is not met either. */
START_TEST(policy_minimum_level)
{
	static const char y[] =
		"policy:\n  id: \"p\"\n"
		"require-statement: {scheme: \"cls-style\", minimum-level: 2}\n"
		"report: {full-suite: false}\nassessor: {self-assessment: accept}\n";
	struct tb_policy *p;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_policy_parse("p.yaml", y, strlen(y), &p, &d), TB_OK);
	ck_assert_str_eq(p->stmt_scheme, "cls-style");
	ck_assert_int_eq(p->stmt_min_level, 2);
	struct tb_facts f = { 0 };
	f.status = "complete";
	f.started = "2026-12-01T10:00:00Z";
	f.assessor_role = "lab";
	struct tb_pverdict v;
	tb_policy_eval(p, &f, 1796000000, &v);
	ck_assert_int_eq(v.met, 0); /* no statement */
	f.statement_ok = 1;
	snprintf(f.statement_scheme, sizeof f.statement_scheme, "cls-style");
	f.statement_level = 1;
	tb_policy_eval(p, &f, 1796000000, &v);
	ck_assert_int_eq(v.met, 0);
	ck_assert_ptr_nonnull(strstr(v.reasons[0], "at least level 2"));
	f.statement_level = 2;
	tb_policy_eval(p, &f, 1796000000, &v);
	ck_assert_int_eq(v.met, 1);
	snprintf(f.statement_scheme, sizeof f.statement_scheme, "psti");
	tb_policy_eval(p, &f, 1796000000, &v);
	ck_assert_int_eq(v.met, 0);
	tb_policy_free(p);
	static const char bad[] = "policy:\n  id: \"p\"\nrequire-statement: {minimum-level: 0}\n";
	ck_assert_int_eq(tb_policy_parse("p.yaml", bad, strlen(bad), &p, &d), TB_E_CONFIG);
	ck_assert_uint_gt(d.line, 0);
}
END_TEST

Suite *statement_suite(void)
{
	Suite *s = suite_create("statement");
	TCase *t = tcase_create("derive");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, statement_validates_against_xsd);
	tcase_add_test(t, partial_report_refused);
	tcase_add_test(t, levels_follow_the_scheme);
	tcase_add_test(t, met_by_from_the_file);
	tcase_add_test(t, support_period_rules);
	tcase_add_test(t, firmware_digest_only_for_the_running_version);
	tcase_add_test(t, json_and_registry);
	suite_add_tcase(s, t);
	TCase *o = tcase_create("other");
	tcase_add_test(o, months_are_added_by_the_calendar);
	tcase_add_test(o, policy_minimum_level);
	suite_add_tcase(s, o);
	return s;
}
