/* check_report.c: unit tests for the XML report writer and validator. */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/text.h"
#include "check/ctx.h"
#include "load/crosswalk.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "report/report.h"
#include "report/report_load.h"
#include "suites.h"

#define XSD "reports/schema/trustbench-report.xsd"
#define B(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

#define CASE(id, kind, prov, extra_covers, family, params) \
	"      - id: \"" id \
	"\"\n" \
	"        kind: \"" kind \
	"\"\n" \
	"        title: \"Case " id \
	"\"\n" \
	"        covers:\n" \
	"          en-303-645: [\"" prov "\"]\n" extra_covers \
	"        check:\n" \
	"          family: \"" family \
	"\"\n" \
	"          params:\n" params
#define GUIDE "            guidance: \"look & see <here>\"\n"
#define GROUP(prov, status) \
	"  - provision: \"" prov "\"\n    status: \"" status "\"\n    title: \"Group " prov \
	"\"\n    cases:\n"

static const char suite_text[] =
	"suite:\n"
	"  id: \"mini\"\n"
	"  title: \"Mini suite\"\n"
	"  version: \"0.1\"\n"
	"  standard: \"ETSI EN 303 645 V2.1.1\"\n"
	"groups:\n" GROUP("5.1-1", "M C(1)") CASE("5.1-1-1", "conceptual", "5.1-1", "", "declarations",
						  "            rule: \"passwords\"\n")
		CASE("5.1-1-2", "functional", "5.1-1", "", "examiner", GUIDE) GROUP("5.2-1", "M")
			CASE("5.2-1-1", "conceptual", "5.2-1", "", "examiner",
			     GUIDE) GROUP("5.3-13", "M") CASE("5.3-13-1", "conceptual", "5.3-13", "",
							      "examiner", GUIDE)
				GROUP("5.3-14", "R C(3,4)") CASE("5.3-14-1", "conceptual", "5.3-14", "",
								 "examiner", GUIDE) GROUP("5.5-1", "M")
					CASE("5.5-1-1", "conceptual", "5.5-1", "", "examiner", GUIDE)
						CASE("5.5-1-2", "functional", "5.5-1", "", "examiner",
						     GUIDE) GROUP("5.6-1", "R")
							CASE("5.6-1-1", "conceptual", "5.6-1", "",
							     "examiner", GUIDE)
								CASE("5.6-1-2", "functional", "5.6-1",
								     "", "exposure",
								     "            ports: \"1-1024\"\n");

/* The other frameworks' items come from crosswalks (issue 13), one per
 * framework, with every kind of authority. */
#define XW_HEAD(to) \
	"crosswalk:\n  from: \"en-303-645\"\n  standard: \"ETSI EN 303 645 V2.1.1\"\n" \
	"  to: \"" to "\"\n  title: \"T\"\n  judged: \"what we judge\"\n"
static const char *const crosswalk_texts[] = {
	XW_HEAD("uk-cop") "mappings:\n"
	"  - { item: 1, provisions: [\"5.1-1\"], authority: \"published\", source: \"Pub & Co\" }\n"
	"  - { item: 2, provisions: [\"5.2-1\"], authority: \"published\", source: \"Pub & Co\" }\n"
	"  - { item: 6, provisions: [\"5.6-1\"], authority: \"derived\", rationale: \"<ours>\" }\n",
	XW_HEAD("psti") "  not-judged: \"the statement of compliance\"\nmappings:\n"
	"  - { item: 1, provisions: [\"5.1-1\"], authority: \"legislated\", source: \"Sch 2\" }\n"
	"  - { item: 2, provisions: [\"5.2-1\"], cases: [\"5.2-1-1\"], authority: \"legislated\",\n"
	"      source: \"Sch 2\", note: \"contact and timelines\" }\n"
	"  - { item: 3, provisions: [\"5.3-13\"], authority: \"legislated\", source: \"Sch 2\" }\n",
	/* ota 12: one published and one derived mapping: the item is derived. */
	XW_HEAD("ota") "mappings:\n"
	"  - { item: 12, provisions: [\"5.6-1\"], authority: \"published\", source: \"S\" }\n"
	"  - { item: 12, provisions: [\"5.5-1\"], authority: \"derived\", rationale: \"R\" }\n",
};

static const char profile_text[] =
	"profile:\n"
	"  id: \"mini\"\n"
	"dut:\n"
	"  manufacturer: \"Acme & Sons <Ltd>\"\n"
	"  model: \"Cam 1\"\n"
	"  firmware: \"1.0\"\n"
	"  serial: \"S-1\"\n"
	"  address: \"198.18.1.10\"\n"
	"lab:\n"
	"  scope: [\"198.18.1.0/24\", \"198.18.9.9\"]\n"
	"  interface: \"tb-lab0\"\n"
	"  intrusive: true\n"
	"declarations: {}\n";

static const enum tb_verdict verdicts[] = {
	TB_V_PASS, TB_V_FAIL, TB_V_PASS,         TB_V_EXAMINER, TB_V_NA,
	TB_V_NA,   TB_V_PASS, TB_V_INCONCLUSIVE, TB_V_ERROR,
};
#define NRES (sizeof verdicts / sizeof verdicts[0])

static const uint8_t sent_bytes[] = "GET /\x01\xff\r\n";
static const char note_text[] = "a <&> b \x01 c\xff";

static struct tb_suite *suite;
static struct tb_profile *profile;
static struct tb_result results[NRES];
static struct tb_net net;
static char tmpdir[64], report_path[128];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void setup(void)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse("testsuites/mini.yaml", suite_text, strlen(suite_text), &suite,
					&d),
			 TB_OK);
	ck_assert_uint_eq(suite->ncases, NRES);
	for (size_t i = 0; i < sizeof crosswalk_texts / sizeof *crosswalk_texts; i++) {
		struct tb_crosswalk *x;
		const char *t = crosswalk_texts[i];
		enum tb_err e =
			tb_crosswalk_parse("testsuites/crosswalks/x.yaml", t, strlen(t), suite, &x, &d);
		ck_assert_msg(e == TB_OK, "crosswalk %zu: %lu:%lu %s", i, d.line, d.col, d.msg);
		ck_assert_int_eq(tb_crosswalk_apply(suite, x, &d), TB_OK);
	}
	ck_assert_int_eq(tb_profile_parse("profiles/mini.yaml", profile_text, strlen(profile_text),
					  &profile, &d),
			 TB_OK);
	strcpy(tmpdir, "/tmp/tb-report-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(report_path, sizeof report_path, "%s/report.xml", tmpdir);
	tb_net_init(&net, &profile->scope, profile->rate_limit, 1000);
	net.connects = 5;
	net.scope_refusals = 1;

	struct tb_ctx ctx = { .suite = suite, .profile = profile, .outdir = tmpdir };
	for (size_t i = 0; i < NRES; i++) {
		struct tb_result *r = &results[i];
		memset(r, 0, sizeof *r);
		r->tc = &suite->cases[i];
		snprintf(r->started, sizeof r->started, "2026-11-23T17:0%zu:00Z", i);
		r->duration_ms = (int64_t)i * 10;
		tb_result_set(r, verdicts[i], "reason %zu", i);
	}
	/* 5.1-1-2: an exchange with invalid UTF-8 and control bytes going out,
	 * clean text with CR LF coming back. */
	tb_ev_exchange(&results[1], "telnet 198.18.1.10:23", sent_bytes, sizeof sent_bytes - 1,
		       "HTTP/1.0 200 OK\r\nok", 19);
	tb_result_set(&results[1], TB_V_FAIL, "login accepted: \x1b[0m root/\xc3\xa9");
	/* 5.2-1-1: decided by an examiner. */
	results[2].examiner = tb_xstrdup("A. Examiner");
	results[2].decided_on = tb_xstrdup("2026-11-23");
	results[2].rationale = tb_xstrdup("Published <policy> & contact");
	/* 5.3-14-1: more evidence than is kept. */
	for (int i = 0; i < TB_EV_MAX_ITEMS + 3; i++)
		tb_ev_note(&results[4], "n", "%d", i);
	/* 5.6-1-1: a note with markup characters and control/invalid bytes. */
	tb_ev_note(&results[7], "lbl\x02", "%s", note_text);
	/* 5.6-1-2: a long clean response, and a file. */
	char *longtext = malloc(5000);
	memset(longtext, 'z', 5000);
	tb_ev_exchange(&results[8], "long", "", 0, longtext, 5000);
	free(longtext);
	ck_assert_int_eq(tb_ev_file(&ctx, &results[8], "open-ports.tsv", "abc", 3), TB_OK);
	tb_result_set(&results[8], TB_V_ERROR, "%s", "socket() failed");
}

static void teardown(void)
{
	for (size_t i = 0; i < NRES; i++)
		tb_result_cleanup(&results[i]);
	tb_suite_free(suite);
	tb_profile_free(profile);
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct tb_run_info run_info(int complete, size_t n)
{
	struct tb_run_info ri = {
		.suite = suite,
		.profile = profile,
		.net = &net,
		.started = "2026-11-23T17:00:00Z",
		.finished = complete ? "2026-11-23T17:10:00Z" : NULL,
		.complete = complete,
		.decisions_path = "lab/decisions.yaml",
		.results = results,
		.nresults = n,
	};
	memset(ri.decisions_sha256, 0xab, 32);
	return ri;
}

static void write_and_validate(int complete, size_t n)
{
	struct tb_run_info ri = run_info(complete, n);
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_report_write(&ri, report_path, &d), TB_OK);
	enum tb_err e = tb_report_load_validate(report_path, XSD, &d);
	ck_assert_msg(e == TB_OK, "report does not validate: line %lu: %s", d.line, d.msg);
}

/* ---- reading the report back ---- */

static xmlDocPtr doc;
static xmlXPathContextPtr xpc;

static void open_report(void)
{
	doc = xmlReadFile(report_path, NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	xpc = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xpc, (const xmlChar *)"tb", (const xmlChar *)TB_REPORT_NS);
}

static void close_report(void)
{
	xmlXPathFreeContext(xpc);
	xmlFreeDoc(doc);
}

/* The string value of an XPath expression. */
static void xp_is(int caller, const char *expr, const char *want)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xpc);
	ck_assert_msg(o != NULL, "line %d: bad XPath %s", caller, expr);
	xmlChar *s = xmlXPathCastToString(o);
	ck_assert_msg(strcmp((const char *)s, want) == 0, "line %d: %s = '%s', want '%s'", caller, expr,
		      s, want);
	xmlFree(s);
	xmlXPathFreeObject(o);
}
#define XP(expr, want) xp_is(__LINE__, expr, want)

static void counts_are(int caller, const char *base, const char *pass, const char *fail, const char *na,
		       const char *inc, const char *err, const char *ex)
{
	static const char *const names[] = { "pass",         "fail",  "not-applicable",
					     "inconclusive", "error", "needs-examiner" };
	const char *want[] = { pass, fail, na, inc, err, ex };
	for (int i = 0; i < 6; i++) {
		char expr[256];
		snprintf(expr, sizeof expr, "string(%s/@%s)", base, names[i]);
		xp_is(caller, expr, want[i]);
	}
}
#define FW(id) "/tb:report/tb:summary/tb:framework[@id='" id "']"
#define ITEM(fw, ref) FW(fw) "/tb:item[@ref='" ref "']"
#define RES(id) "/tb:report/tb:results/tb:result[@id='" id "']"

START_TEST(complete_report)
{
	write_and_validate(1, NRES);
	open_report();
	XP("string(/tb:report/@status)", "complete");
	XP("string(/tb:report/@total-cases)", "9");
	XP("string(/tb:report/@completed-cases)", "9");
	XP("string(/tb:report/tb:run/@finished)", "2026-11-23T17:10:00Z");
	XP("string(/tb:report/tb:inputs/tb:suite/@path)", "testsuites/mini.yaml");
	XP("string(/tb:report/tb:inputs/tb:decisions/@path)", "lab/decisions.yaml");
	XP("string(/tb:report/tb:dut/@manufacturer)", "Acme & Sons <Ltd>");
	XP("string(/tb:report/tb:lab/@connections)", "5");
	XP("string(/tb:report/tb:lab/@scope-refusals)", "1");
	XP("string(/tb:report/tb:lab/@intrusive)", "true");
	XP("count(/tb:report/tb:lab/tb:scope)", "2");
	XP("string(/tb:report/tb:lab/tb:scope[2]/@cidr)", "198.18.9.9/32");
	XP("count(/tb:report/tb:results/tb:result)", "9");

	/* The exchange: invalid bytes go out as hex, clean text as itself. */
	XP("string(" RES("5.1-1-2") "/tb:evidence/tb:exchange/tb:sent/@encoding)", "hex");
	XP("string(" RES("5.1-1-2") "/tb:evidence/tb:exchange/tb:sent)", "474554202f01ff0d0a");
	XP("string(" RES("5.1-1-2") "/tb:evidence/tb:exchange/tb:sent/@bytes)", "9");
	XP("count(" RES("5.1-1-2") "/tb:evidence/tb:exchange/tb:sent/@kept)", "0");
	XP("string(" RES("5.1-1-2") "/tb:evidence/tb:exchange/tb:received/@encoding)", "utf-8");
	XP("string(" RES("5.1-1-2") "/tb:evidence/tb:exchange/tb:received)", "HTTP/1.0 200 OK\r\nok");
	XP("string(" RES("5.1-1-2") "/tb:reason)", "login accepted: \\x1b[0m root/\xc3\xa9");
	XP("string(" RES("5.1-1-2") "/@verdict)", "fail");
	XP("string(" RES("5.1-1-2") "/@kind)", "functional");
	XP("string(" RES("5.1-1-2") "/@check)", "examiner");
	XP("string(" RES("5.1-1-2") "/tb:group/@status)", "M C(1)");
	XP("string(" RES("5.1-1-2") "/tb:covers/tb:ref[@framework='psti'])", "1");

	/* Examiner decision. */
	XP("string(" RES("5.2-1-1") "/@decided-by)", "examiner");
	XP("string(" RES("5.2-1-1") "/tb:examiner/@name)", "A. Examiner");
	XP("string(" RES("5.2-1-1") "/tb:examiner/@date)", "2026-11-23");
	XP("string(" RES("5.2-1-1") "/tb:examiner)", "Published <policy> & contact");
	XP("string(" RES("5.1-1-1") "/@decided-by)", "harness");

	/* Dropped evidence is counted. */
	XP("string(" RES("5.3-14-1") "/tb:evidence/@dropped)", "3");
	XP("count(" RES("5.3-14-1") "/tb:evidence/tb:note)", "512");

	/* Escaped note text survives, markup characters intact. */
	XP("string(" RES("5.6-1-1") "/tb:evidence/tb:note)", "a <&> b \\x01 c\\xff");
	XP("string(" RES("5.6-1-1") "/tb:evidence/tb:note/@label)", "lbl\\x02");

	/* A long response keeps a prefix; the file is listed with its digest. */
	XP("string(" RES("5.6-1-2") "/tb:evidence/tb:exchange/tb:received/@bytes)", "5000");
	XP("string(" RES("5.6-1-2") "/tb:evidence/tb:exchange/tb:received/@kept)", "2048");
	XP("string-length(" RES("5.6-1-2") "/tb:evidence/tb:exchange/tb:received)", "2048");
	XP("string(" RES("5.6-1-2") "/tb:evidence/tb:exchange/tb:sent/@bytes)", "0");
	XP("string(" RES("5.6-1-2") "/tb:evidence/tb:file/@path)", "evidence/5.6-1-2/open-ports.tsv");
	XP("string(" RES("5.6-1-2") "/tb:evidence/tb:file/@sha256)",
	   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	XP("string(" RES("5.6-1-2") "/tb:evidence/tb:file/@bytes)", "3");
	XP("string(" RES("5.6-1-2") "/@duration-ms)", "80");

	/* Summary: test cases, then each framework. */
	counts_are(__LINE__, "/tb:report/tb:summary/tb:test-cases", "3", "1", "2", "1", "1", "1");
	XP("string(/tb:report/tb:summary/tb:test-cases/@exit-code)", "2");
	counts_are(__LINE__, FW("en-303-645") "/tb:counts", "2", "1", "1", "0", "1", "1");
	XP("string(" ITEM("en-303-645", "5.1-1") "/@verdict)", "fail");
	XP("string(" ITEM("en-303-645", "5.1-1") "/@status)", "M C(1)");
	XP("string(" ITEM("en-303-645", "5.1-1") "/@cases)", "5.1-1-1 5.1-1-2");
	XP("string(" ITEM("en-303-645", "5.2-1") "/@verdict)", "pass");
	XP("string(" ITEM("en-303-645", "5.3-13") "/@verdict)", "needs-examiner");
	XP("string(" ITEM("en-303-645", "5.3-14") "/@verdict)", "not-applicable");
	XP("string(" ITEM("en-303-645", "5.5-1") "/@verdict)", "pass"); /* NA + PASS */
	XP("string(" ITEM("en-303-645", "5.6-1") "/@verdict)", "error");
	XP("count(" FW("en-303-645") "/tb:item)", "6");
	counts_are(__LINE__, FW("uk-cop") "/tb:counts", "1", "1", "0", "0", "1", "0");
	XP("string(" ITEM("uk-cop", "1") "/@verdict)", "fail");
	XP("count(" ITEM("uk-cop", "1") "/@status)", "0");
	XP("string(" ITEM("uk-cop", "6") "/@cases)", "5.6-1-1 5.6-1-2");
	counts_are(__LINE__, FW("psti") "/tb:counts", "1", "1", "0", "0", "0", "1");
	XP("string(" ITEM("psti", "3") "/@verdict)", "needs-examiner");
	counts_are(__LINE__, FW("ota") "/tb:counts", "0", "0", "0", "0", "1", "0");
	XP("string(" FW("ota") "/@title)", "OTA IoT Trust Framework");

	/* Issue 13: who vouches for every framework item. */
	XP("string(" ITEM("en-303-645", "5.1-1") "/@authority)", "suite");
	XP("count(" FW("en-303-645") "/tb:item/tb:via)", "0");
	XP("count(" FW("en-303-645") "/tb:scope)", "0");
	XP("string(" ITEM("uk-cop", "1") "/@authority)", "published");
	XP("string(" ITEM("uk-cop", "1") "/tb:via/@source)", "Pub & Co");
	XP("string(" ITEM("uk-cop", "1") "/tb:via/@provisions)", "5.1-1");
	XP("string(" ITEM("uk-cop", "6") "/@authority)", "derived");
	XP("string(" ITEM("uk-cop", "6") "/tb:via/@rationale)", "<ours>");
	XP("count(" ITEM("uk-cop", "6") "/tb:via/@source)", "0");
	XP("string(" ITEM("psti", "2") "/@authority)", "legislated");
	XP("string(" ITEM("psti", "2") "/tb:via/@cases)", "5.2-1-1");
	XP("string(" ITEM("psti", "2") "/tb:via/@note)", "contact and timelines");
	XP("string(" ITEM("psti", "3") "/@authority)", "legislated");
	XP("string(" ITEM("ota", "12") "/@authority)", "derived"); /* the weaker of two */
	XP("count(" ITEM("ota", "12") "/tb:via)", "2");
	XP("string(" ITEM("ota", "12") "/@cases)", "5.5-1-1 5.5-1-2 5.6-1-1 5.6-1-2");
	/* What each framework judges, and what it does not. */
	XP("string(" FW("psti") "/tb:scope/tb:judged)", "what we judge");
	XP("string(" FW("psti") "/tb:scope/tb:not-judged)", "the statement of compliance");
	XP("count(" FW("uk-cop") "/tb:scope/tb:not-judged)", "0");
	/* The crosswalk files read, with their digests. */
	XP("count(/tb:report/tb:inputs/tb:crosswalk)", "3");
	XP("string(/tb:report/tb:inputs/tb:crosswalk[2]/@to)", "psti");
	XP("string-length(/tb:report/tb:inputs/tb:crosswalk[2]/@sha256)", "64");
	close_report();
}
END_TEST

START_TEST(partial_report)
{
	write_and_validate(0, 3);
	open_report();
	XP("string(/tb:report/@status)", "partial");
	XP("string(/tb:report/@total-cases)", "9");
	XP("string(/tb:report/@completed-cases)", "3");
	XP("count(/tb:report/tb:run/@finished)", "0");
	XP("count(/tb:report/tb:results/tb:result)", "3");
	counts_are(__LINE__, "/tb:report/tb:summary/tb:test-cases", "2", "1", "0", "0", "0", "0");
	counts_are(__LINE__, FW("en-303-645") "/tb:counts", "1", "1", "0", "0", "0", "0");
	XP("count(" FW("en-303-645") "/tb:item)", "2");
	counts_are(__LINE__, FW("psti") "/tb:counts", "1", "1", "0", "0", "0", "0");
	close_report();

	/* Before the first test case. */
	write_and_validate(0, 0);
	open_report();
	XP("count(/tb:report/tb:results/tb:result)", "0");
	XP("count(/tb:report/tb:summary/tb:framework)", "4");
	XP("string(/tb:report/tb:summary/tb:test-cases/@exit-code)", "0");
	close_report();
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	char *buf = calloc(1, 4 << 20);
	*len = fread(buf, 1, (4 << 20) - 1, f);
	fclose(f);
	return buf;
}

static void quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

START_TEST(tampered_report_fails_validation)
{
	write_and_validate(1, NRES);
	size_t len;
	char *xml = slurp(report_path, &len);
	char *at = strstr(xml, " verdict=\"pass\"");
	ck_assert_ptr_nonnull(at);
	unsigned long line = 1;
	for (char *p = xml; p < at; p++)
		line += *p == '\n';
	char *bad = malloc(len + 16);
	size_t pre = (size_t)(at - xml);
	memcpy(bad, xml, pre);
	strcpy(bad + pre, " verdict=\"maybe\"");
	strcat(bad, at + strlen(" verdict=\"pass\""));
	char path[160];
	snprintf(path, sizeof path, "%s/bad.xml", tmpdir);
	FILE *f = fopen(path, "wb");
	fputs(bad, f);
	fclose(f);
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_report_load_validate(path, XSD, &d), TB_E_FORMAT);
	ck_assert_str_eq(d.file, path);
	ck_assert_uint_eq(d.line, line);
	ck_assert_msg(strstr(d.msg, "maybe"), "%s", d.msg);

	/* Not XML at all. */
	f = fopen(path, "wb");
	fputs("<report><unclosed></report>", f);
	fclose(f);
	ck_assert_int_eq(tb_report_load_validate(path, XSD, &d), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(d.msg, "not well-formed"));
	/* No schema (libxml2 would complain on stderr: keep the run quiet). */
	xmlSetGenericErrorFunc(NULL, quiet);
	ck_assert_int_eq(tb_report_load_validate(report_path, "reports/schema/none.xsd", &d),
			 TB_E_CONFIG);
	free(xml);
	free(bad);
}
END_TEST

static void escape_is(const uint8_t *in, size_t len, const char *want)
{
	char *got = tb_text_escape(in, len);
	ck_assert_str_eq(got, want);
	ck_assert(tb_text_clean((const uint8_t *)got, strlen(got)));
	free(got);
}

START_TEST(text_escape)
{
	escape_is(B("plain text"), "plain text");
	escape_is(B("tab\tcr\rlf\n"), "tab\tcr\rlf\n");
	escape_is(B("\xff"), "\\xff");
	escape_is(B("a\x01"
		    "b"),
		  "a\\x01b");
	escape_is(B("a\0b"), "a\\x00b");
	escape_is(B("del\x7f"), "del\\x7f");
	escape_is(B("caf\xc3\xa9"), "caf\xc3\xa9");
	escape_is(B("\xf0\x9f\x98\x80!"), "\xf0\x9f\x98\x80!");
	escape_is(B("\xc3"), "\\xc3");
	escape_is(B("x\xe2\x82"), "x\\xe2\\x82");
	escape_is(B("\xe2\x82"
		    "A"),
		  "\\xe2\\x82A");
	escape_is(B("\xc0\x80"), "\\xc0\\x80");
	escape_is(B("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	escape_is(B("\xef\xbf\xbe"), "\\xef\\xbf\\xbe");
	escape_is(B("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	escape_is(B(""), "");
	/* The worst case: every byte becomes four. */
	escape_is(B("\x80\x80\x80"), "\\x80\\x80\\x80");
	/* A backslash is not itself escaped. */
	escape_is(B("\\x41"), "\\x41");
}
END_TEST

/* A report written before issue 13 has no crosswalk inputs, scope, via or
 * authority: it must still validate (everything new is optional). */
START_TEST(report_without_authorities_still_validates)
{
	write_and_validate(1, NRES);
	open_report();
	xmlXPathObjectPtr o = xmlXPathEvalExpression(
		(const xmlChar *)"//tb:inputs/tb:crosswalk | //tb:framework/tb:scope | //tb:via | //tb:item/@authority", xpc);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_gt(o->nodesetval->nodeNr, 10);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr n = o->nodesetval->nodeTab[i];
		if (n->type == XML_ATTRIBUTE_NODE) {
			xmlRemoveProp((xmlAttrPtr)n);
		} else {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
	}
	xmlXPathFreeObject(o);
	ck_assert_int_gt(xmlSaveFile(report_path, doc), 0);
	close_report();
	struct tb_diag d = { 0 };
	enum tb_err e = tb_report_load_validate(report_path, XSD, &d);
	ck_assert_msg(e == TB_OK, "older report does not validate: line %lu: %s", d.line, d.msg);
	open_report();
	XP("count(//tb:item/@authority)", "0");
	close_report();
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("xml");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, complete_report);
	tcase_add_test(tc, partial_report);
	tcase_add_test(tc, report_without_authorities_still_validates);
	tcase_add_test(tc, tampered_report_fails_validation);
	suite_add_tcase(s, tc);
	TCase *esc = tcase_create("escape");
	tcase_add_test(esc, text_escape);
	suite_add_tcase(s, esc);
	return s;
}
