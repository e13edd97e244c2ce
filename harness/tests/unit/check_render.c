/* check_render.c: unit tests for rendering reports to XHTML. */
#include <check.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/render.h"
#include "report/report_load.h"
#include "suites.h"

#define XSL \
	"reports/xsl/" \
	"report-html.xsl"
#define XHTML_DTD "/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd"
#define XHTML_NS "http://www.w3.org/1999/xhtml"

static const char report[] =
	"<?xml version=\"1.0\"?>\n"
	"<report xmlns=\"urn:trustbench:report:1\" schema-version=\"1\" status=\"partial\" "
	"total-cases=\"3\" completed-cases=\"2\">\n"
	"<harness name=\"trustbench\" version=\"0.1.0\"/><run started=\"2026-11-23T17:00:00Z\"/>\n"
	"<inputs><suite id=\"mini\" path=\"s.yaml\" sha256=\"aa\" version=\"1\"><title>Mini</title>"
	"</suite><profile id=\"p\" path=\"p.yaml\" sha256=\"bb\"/></inputs>\n"
	"<dut manufacturer=\"Acme &amp; Sons\" model=\"Cam\" firmware=\"1.0\" serial=\"S\" "
	"address=\"198.18.1.10\"/>\n"
	"<lab interface=\"tb0\" intrusive=\"true\" rate-limit=\"20\"><scope cidr=\"198.18.1.10/32\"/>"
	"</lab>\n<results>\n"
	"<result id=\"5.1-1-1\" kind=\"functional\" verdict=\"fail\" check=\"c\" "
	"decided-by=\"harness\" "
	"started=\"2026-11-23T17:00:00Z\" duration-ms=\"5\"><title>Login</title>"
	"<covers><ref framework=\"en-303-645\">5.1-1</ref><ref framework=\"psti\">1</ref></covers>"
	"<group status=\"M C(1)\"/><reason>accepted root/root</reason><evidence>"
	"<note label=\"x\">&lt;script&gt;alert(1)&lt;/script&gt;</note>"
	"<exchange label=\"telnet\"><sent encoding=\"utf-8\" bytes=\"6\">root&#13;\n</sent>"
	"<received encoding=\"hex\" bytes=\"40\" "
	"kept=\"18\">fffb01fffb03fffd1852442d3120495020ffee</received>"
	"</exchange></evidence></result>\n"
	"<result id=\"5.2-1-1\" kind=\"conceptual\" verdict=\"weird\" check=\"c\" "
	"decided-by=\"harness\" "
	"started=\"2026-11-23T17:00:00Z\" duration-ms=\"0\"><title>Policy</title>"
	"<covers><ref framework=\"en-303-645\">5.2-1</ref></covers><group status=\"M\"/>"
	"<reason>r</reason><evidence/></result>\n"
	"</results>\n<summary><test-cases pass=\"0\" fail=\"1\" not-applicable=\"0\" "
	"inconclusive=\"0\" "
	"error=\"0\" needs-examiner=\"0\" exit-code=\"2\"/>"
	"<framework id=\"en-303-645\" title=\"ETSI EN 303 645\"><counts pass=\"0\" fail=\"1\" "
	"not-applicable=\"0\" inconclusive=\"0\" error=\"0\" needs-examiner=\"0\"/>"
	"<item ref=\"5.1-1\" status=\"M C(1)\" verdict=\"fail\" cases=\"5.1-1-1\"/></framework>"
	"</summary></report>\n";

static xmlDocPtr out;
static xmlXPathContextPtr xpc;

static enum tb_err render_with(const char *xsl, const struct tb_render_params *p, struct tb_diag *d)
{
	xmlDocPtr in;
	ck_assert_int_eq(tb_report_parse(report, strlen(report), "r.xml", &in, d), TB_OK);
	xmlChar *html = NULL;
	int len = 0;
	enum tb_err e = tb_render_doc(in, xsl, p, &html, &len, d);
	xmlFreeDoc(in);
	if (!e) {
		out = xmlReadMemory((const char *)html, len, "out.html", NULL, XML_PARSE_NONET);
		ck_assert_msg(out != NULL, "the XHTML is not well-formed XML");
		xpc = xmlXPathNewContext(out);
		xmlXPathRegisterNs(xpc, (const xmlChar *)"h", (const xmlChar *)XHTML_NS);
	}
	xmlFree(html);
	return e;
}

static void render_ok(void)
{
	struct tb_render_params p = { .report_sha256 = "0123abcd",
				      .signature = "unsigned",
				      .report_name = "report.xml" };
	struct tb_diag d = { 0 };
	enum tb_err e = render_with(XSL, &p, &d);
	ck_assert_msg(e == TB_OK, "render failed: %s", d.msg);
}

static void teardown(void)
{
	xmlXPathFreeContext(xpc);
	xmlFreeDoc(out);
	xpc = NULL;
	out = NULL;
}

static void xp_is(const char *expr, const char *want)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xpc);
	ck_assert_ptr_nonnull(o);
	xmlChar *s = xmlXPathCastToString(o);
	ck_assert_msg(strcmp((const char *)s, want) == 0, "%s: got '%s', want '%s'", expr, s, want);
	xmlFree(s);
	xmlXPathFreeObject(o);
}

START_TEST(output_is_valid_xhtml_strict)
{
	render_ok();
	xmlNodePtr root = xmlDocGetRootElement(out);
	ck_assert_str_eq((const char *)root->ns->href, XHTML_NS);
	if (access(XHTML_DTD, R_OK) != 0)
		return; /* w3c-sgml-lib absent: well-formed XHTML namespace checked above */
	xmlDtdPtr dtd = xmlParseDTD(NULL, (const xmlChar *)XHTML_DTD);
	ck_assert_ptr_nonnull(dtd);
	xmlValidCtxtPtr vc = xmlNewValidCtxt();
	int ok = xmlValidateDtd(vc, out, dtd);
	xmlFreeValidCtxt(vc);
	xmlFreeDtd(dtd);
	ck_assert_msg(ok == 1, "the XHTML does not validate against XHTML 1.0 Strict");
}
END_TEST

START_TEST(summary_comes_first_with_verdict_colours)
{
	render_ok();
	xp_is("(//h:h2)[1]", "Summary");
	xp_is("(//h:h2)[2]", "Test cases");
	xp_is("(//h:h2)[3]", "Declarations and inputs examined");
	xp_is("//h:tr[h:td[1]='5.1-1']/h:td[3]/@class", "v v-fail");
	xp_is("//h:tr[h:td[1]='5.1-1']/h:td[2]", "M C(1)");
	/* The case link points at the case's anchor. */
	xp_is("count(//h:div[@id = substring-after(//h:tr[h:td[1]='5.1-1']//h:a/@href, '#')])", "1");
	/* An unknown verdict gets no class from the report. */
	xp_is("//h:div[h:h3[starts-with(., '5.2-1-1')]]//h:td[@class='v v-unknown']", "weird");
	xp_is("count(//h:p[@class='banner'])", "1"); /* partial report warning */
}
END_TEST

START_TEST(evidence_is_text_never_markup)
{
	render_ok();
	xp_is("count(//h:script)", "0");
	xp_is("//h:table[@class='notes']//h:td[2]", "<script>alert(1)</script>");
	xp_is("(//h:pre)[1]", "root\n");
	xp_is("(//h:pre)[2]", "ff fb 01 ff fb 03 ff fd 18 52 44 2d 31 20 49 50\n20 ff ee\n");
	xp_is("count(//h:p[@class='dir'][contains(., '40 bytes, the first 18 kept, as hex')])", "1");
}
END_TEST

START_TEST(params_reach_the_footer_and_header)
{
	render_ok();
	xp_is("contains(//h:style, 'Report SHA-256: 0123abcd')", "true");
	xp_is("contains(//h:style, 'Signature: unsigned')", "true");
	xp_is("//h:tr[h:th='Signature']/h:td", "unsigned");
}
END_TEST

/* A quote in a parameter cannot break out of the XSLT string or the CSS. */
START_TEST(params_are_quoted_not_evaluated)
{
	struct tb_render_params p = { .report_sha256 = "x\"y'z",
				      .signature = "a'); document('/etc/passwd",
				      .report_name = "r" };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(render_with(XSL, &p, &d), TB_OK);
	xp_is("//h:tr[h:th='Signature']/h:td", "a'); document('/etc/passwd");
	xp_is("contains(//h:style, 'SHA-256: xy')", "true");
}
END_TEST

/* The security preferences forbid a stylesheet to write files. */
START_TEST(stylesheet_cannot_write_files)
{
	char dir[] = "/tmp/tb-xsl-XXXXXX", xsl[64], victim[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(xsl, sizeof xsl, "%s/evil.xsl", dir);
	snprintf(victim, sizeof victim, "%s/written", dir);
	FILE *f = fopen(xsl, "w");
	fprintf(f,
		"<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
		"<xsl:template match=\"/\"><xsl:document href=\"%s\"><x/></xsl:document><y/>"
		"</xsl:template></xsl:stylesheet>",
		victim);
	fclose(f);
	struct tb_render_params p = { .signature = "unsigned" };
	struct tb_diag d = { 0 };
	ck_assert_int_ne(render_with(xsl, &p, &d), TB_OK);
	ck_assert_int_ne(access(victim, F_OK), 0);
	unlink(xsl);
	rmdir(dir);
}
END_TEST

START_TEST(signature_status_follows_the_p7s_file)
{
	char dir[] = "/tmp/tb-sig-XXXXXX", rep[64], sig[80];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rep, sizeof rep, "%s/report.xml", dir);
	snprintf(sig, sizeof sig, "%s.p7s", rep);
	ck_assert_str_eq(tb_render_signature_status(rep), "unsigned");
	FILE *f = fopen(sig, "w");
	fclose(f);
	ck_assert_ptr_nonnull(strstr(tb_render_signature_status(rep), "signature file present"));
	unlink(sig);
	rmdir(dir);
}
END_TEST

START_TEST(missing_stylesheet_says_where_it_looked)
{
	struct tb_render_params p = { 0 };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(render_with("/nonexistent/x.xsl", &p, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "/nonexistent/x.xsl"));
	ck_assert_ptr_nonnull(strstr(d.msg, "TRUSTBENCH_DATADIR"));
}
END_TEST

Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *t = tcase_create("render");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, output_is_valid_xhtml_strict);
	tcase_add_test(t, summary_comes_first_with_verdict_colours);
	tcase_add_test(t, evidence_is_text_never_markup);
	tcase_add_test(t, params_reach_the_footer_and_header);
	tcase_add_test(t, params_are_quoted_not_evaluated);
	tcase_add_test(t, stylesheet_cannot_write_files);
	tcase_add_test(t, signature_status_follows_the_p7s_file);
	tcase_add_test(t, missing_stylesheet_says_where_it_looked);
	suite_add_tcase(s, t);
	return s;
}
