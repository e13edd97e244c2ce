/* check_label.c: unit tests for the trustmark label (report/label.c, cli_label.c). */
#include <check.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sha256.h"
#include "cli/cli.h"
#include "report/label.h"
#include "suites.h"

#define HARDENED "fixtures/label/statement-hardened.xml"
#define WITHHELD "fixtures/label/statement-withheld.xml"
#define TEMPLATE "https://registry.example.test/s/{statement-sha256}"

/* A qualifying statement with the given device strings (already XML
 * source: escape them yourself) and url-template. */
static void statement(char *out, size_t len, const char *manufacturer, const char *model,
		      const char *tmpl)
{
	snprintf(out, len,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<statement xmlns=\"urn:trustbench:statement:1\" format=\"1\">\n"
		 "<scheme id=\"psti\" name=\"UK PSTI\" version=\"2024\" levelled=\"false\"/>\n"
		 "<outcome result=\"pass\" qualifies-for-label=\"true\"/>\n"
		 "<device manufacturer=\"%s\" model=\"%s\" firmware-version=\"9.9\"/>\n"
		 "<issued date=\"2026-12-03\" expires=\"2027-12-03\"/>\n"
		 "<label url-template=\"%s\"/>\n<items/>\n</statement>\n",
		 manufacturer, model, tmpl);
}

static enum tb_err parse(const char *xml, struct tb_label *lbl, struct tb_diag *d)
{
	return tb_label_parse(xml, strlen(xml), "test.xml", lbl, d);
}

static char *svg_of(const struct tb_label *lbl)
{
	char *svg = NULL;
	size_t len = 0;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_label_svg(lbl, &svg, &len, &d) == TB_OK, "%s", d.msg);
	ck_assert_uint_eq(strlen(svg), len);
	return svg;
}

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(data, f);
	fclose(f);
}

START_TEST(test_sample_statement_fields_and_url)
{
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_label_load(HARDENED, &lbl, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(lbl.qualifies, 1);
	ck_assert_int_eq(lbl.levelled, 1);
	ck_assert_str_eq(lbl.level_name, "Level 2: lifecycle and secure design");
	ck_assert_str_eq(lbl.model, "RD-2 Smart Plug");
	ck_assert_str_eq(lbl.support_end, "2030-12-31");
	ck_assert_str_eq(lbl.expires, "2028-12-03");
	/* The URL carries the digest of the file's exact bytes. */
	uint8_t sum[32];
	uint64_t bytes;
	char hex[65], url[200];
	ck_assert(tb_file_sha256(HARDENED, sum, &bytes) == TB_OK);
	tb_sha256_hex(sum, hex);
	snprintf(url, sizeof url, "https://registry.example.test/cls-style/%s", hex);
	ck_assert_str_eq(lbl.url, url);
}
END_TEST

START_TEST(test_svg_shows_every_field)
{
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_label_load(HARDENED, &lbl, &d) == TB_OK, "%s", d.msg);
	char *svg = svg_of(&lbl);
	const char *want[] = { ">CLS-style consumer IoT label (levels 1-4; trustbench&apos;s own<",
			       ">model, not the CLS)<",
			       "version 1<",
			       ">Level 2<",
			       ">Level 2: lifecycle and secure design<",
			       "Trustbench Reference Devices (fictional)",
			       "RD-2 Smart Plug",
			       "Firmware 2.4.0",
			       "Security updates until 2030-12-31",
			       "Label valid until 2028-12-03",
			       "Issued 2026-12-03",
			       "registry.example.test",
			       "shape-rendering=\"crispEdges\"" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(svg, want[i]), "'%s' is not on the label", want[i]);
	xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "l.svg", NULL, XML_PARSE_NONET);
	ck_assert_msg(doc != NULL, "the label is not well-formed XML");
	ck_assert_str_eq((const char *)xmlDocGetRootElement(doc)->name, "svg");
	xmlFreeDoc(doc);
	free(svg);
}
END_TEST

START_TEST(test_svg_escapes_hostile_device_strings)
{
	char xml[4096], model[400];
	memset(model, 'M', 300);
	model[300] = '\0';
	statement(xml, sizeof xml, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&apos;", model,
		  TEMPLATE);
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	/* 300 bytes is over the field limit: refused, not cut silently. */
	ck_assert(parse(xml, &lbl, &d) == TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "longer than"), "%s", d.msg);
	model[200] = '\0';
	statement(xml, sizeof xml, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&apos;", model,
		  TEMPLATE);
	ck_assert_msg(parse(xml, &lbl, &d) == TB_OK, "%s", d.msg);
	char *svg = svg_of(&lbl);
	ck_assert_ptr_null(strstr(svg, "<script"));
	ck_assert_ptr_nonnull(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co"));
	/* The long model is cut to fit, with an ellipsis. */
	ck_assert_ptr_null(strstr(svg, model));
	ck_assert_ptr_nonnull(strstr(svg, "MMMMMMMMMM\xe2\x80\xa6<"));
	xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "l.svg", NULL, XML_PARSE_NONET);
	ck_assert_msg(doc != NULL, "escaped label is not well-formed");
	xmlFreeDoc(doc);
	free(svg);
}
END_TEST

START_TEST(test_control_characters_never_reach_the_label)
{
	char xml[4096];
	/* A tab and a line feed (XML 1.0 allows both as character references
	 * in an attribute) each become a space on the label. */
	statement(xml, sizeof xml, "Acme&#9;Corp", "Cam&#xA;Two&#x202E;owT", TEMPLATE);
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert_msg(parse(xml, &lbl, &d) == TB_OK, "%s", d.msg);
	char *svg = svg_of(&lbl);
	ck_assert_ptr_nonnull(strstr(svg, ">Acme Corp<"));
	/* A right-to-left override would print "Two" backwards: replaced. */
	ck_assert_ptr_nonnull(strstr(svg, ">Cam Two\xef\xbf\xbdowT<"));
	ck_assert_ptr_null(strstr(svg, "\xe2\x80\xae"));
	free(svg);
}
END_TEST

START_TEST(test_withheld_statement_gives_reasons_and_no_label)
{
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_label_load(WITHHELD, &lbl, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(lbl.qualifies, 0);
	ck_assert_ptr_nonnull(strstr(lbl.reasons, "5.1-1 failed"));
	ck_assert_ptr_nonnull(strstr(lbl.reasons, "\n5.3-13 failed"));
	char *svg = NULL;
	size_t len = 0;
	ck_assert(tb_label_svg(&lbl, &svg, &len, &d) != TB_OK);
	ck_assert_ptr_null(svg);
}
END_TEST

/* Many reasons: whole lines only, and a last line that says more exist. */
START_TEST(test_withheld_reasons_are_bounded_by_whole_lines)
{
	size_t cap = 2000 * 40 + 512;
	char *xml = malloc(cap);
	int n = snprintf(xml, cap,
			 "<statement xmlns=\"urn:trustbench:statement:1\" format=\"1\">"
			 "<outcome result=\"fail\" qualifies-for-label=\"false\">");
	for (int i = 0; i < 2000; i++)
		n += snprintf(xml + n, cap - (size_t)n, "<reason>item %04d failed</reason>", i);
	snprintf(xml + n, cap - (size_t)n, "</outcome></statement>");
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert_msg(parse(xml, &lbl, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(lbl.qualifies, 0);
	char *last = strrchr(lbl.reasons, '\n');
	ck_assert_ptr_nonnull(last);
	ck_assert_str_eq(last, "\n(more reasons in the statement)");
	ck_assert_int_eq(memcmp(last - 16, "item ", 5), 0); /* the line before is whole */
	ck_assert_str_eq(last - 6, "failed\n(more reasons in the statement)");
	free(xml);
	ck_assert(parse("<statement xmlns=\"urn:trustbench:statement:1\" format=\"1\">"
			"<outcome result=\"incomplete\" qualifies-for-label=\"false\"/></statement>",
			&lbl, &d) == TB_OK);
	ck_assert_str_eq(lbl.reasons, "the statement gives no reason");
}
END_TEST

/* The command: exit 2 and nothing written for a withheld label, exit 1 and
 * nothing written for a malformed statement, 0 and both files otherwise. */
START_TEST(test_cmd_writes_only_a_label_that_is_earned)
{
	char dir[] = "/tmp/check-label-XXXXXX", svg[80], png[80], bad[80];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(svg, sizeof svg, "%s/l.svg", dir);
	snprintf(png, sizeof png, "%s/l.png", dir);
	snprintf(bad, sizeof bad, "%s/bad.xml", dir);
	char *withheld[] = { WITHHELD, "--svg", svg, "--png", png };
	ck_assert_int_eq(tb_cmd_label(5, withheld), 2);
	ck_assert_int_ne(access(svg, F_OK), 0);
	ck_assert_int_ne(access(png, F_OK), 0);
	char xml[4096];
	statement(xml, sizeof xml, "Acme", "Cam", "https://registry.example.com/{statement-sha256}");
	write_file(bad, xml);
	char *malformed[] = { bad, "--svg", svg, "--png", png };
	ck_assert_int_eq(tb_cmd_label(5, malformed), 1);
	ck_assert_int_ne(access(svg, F_OK), 0);
	ck_assert_int_ne(access(png, F_OK), 0);
	char *good[] = { HARDENED, "--svg", svg, "--png", png };
	ck_assert_int_eq(tb_cmd_label(5, good), 0);
	ck_assert_int_eq(access(svg, F_OK), 0);
	ck_assert_int_eq(access(png, F_OK), 0);
	unlink(svg);
	unlink(png);
	unlink(bad);
	rmdir(dir);
}
END_TEST

START_TEST(test_malformed_statements_are_refused)
{
	static const struct {
		const char *what, *tmpl;
	} templates[] = {
		{ "no placeholder", "https://registry.example.test/s/" },
		{ "twice", "https://r.example.test/{statement-sha256}/{statement-sha256}" },
		{ "public host", "https://registry.example.com/s/{statement-sha256}" },
		{ "userinfo", "https://a.test@evil.example.com/{statement-sha256}" },
		{ "not http", "javascript://x.test/{statement-sha256}" },
		{ "host after", "https://{statement-sha256}.x.test/" },
		{ "space", "https://r.example.test/s/ {statement-sha256}" },
	};
	char xml[4096];
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++) {
		statement(xml, sizeof xml, "Acme", "Cam", templates[i].tmpl);
		ck_assert_msg(parse(xml, &lbl, &d) == TB_E_FORMAT, "%s accepted", templates[i].what);
	}
	statement(xml, sizeof xml, "Acme", "Cam", "https://r.example/x?s={statement-sha256}");
	ck_assert_msg(parse(xml, &lbl, &d) == TB_OK, "%s", d.msg);
	const char *doctype =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM "
		"\"file:///etc/passwd\">]>\n<statement "
		"xmlns=\"urn:trustbench:statement:1\" format=\"1\">&x;</statement>\n";
	ck_assert(parse(doctype, &lbl, &d) == TB_E_FORMAT);
	ck_assert(parse("<statement format=\"1\"/>", &lbl, &d) == TB_E_FORMAT);
	ck_assert(parse("<statement xmlns=\"urn:trustbench:statement:1\" format=\"2\"/>", &lbl, &d) ==
		  TB_E_FORMAT);
	ck_assert(parse("<statement xmlns=\"urn:trustbench:statement:1\" format=\"1\"/>", &lbl, &d) ==
		  TB_E_FORMAT);
	ck_assert(parse("not xml", &lbl, &d) == TB_E_FORMAT);
	/* A label claimed for a fail would mislead: refused. */
	statement(xml, sizeof xml, "Acme", "Cam", TEMPLATE);
	char *p = strstr(xml, "result=\"pass\"");
	memcpy(p, "result=\"fail\"", 13);
	ck_assert(parse(xml, &lbl, &d) == TB_E_FORMAT);
	ck_assert_msg(strstr(d.msg, "only for a pass"), "%s", d.msg);
}
END_TEST

START_TEST(test_tampered_statement_changes_the_url)
{
	char xml[4096];
	struct tb_label a, b;
	struct tb_diag d = { 0 };
	statement(xml, sizeof xml, "Acme", "Cam", TEMPLATE);
	ck_assert(parse(xml, &a, &d) == TB_OK);
	strstr(xml, "9.9")[2] = '8';
	ck_assert(parse(xml, &b, &d) == TB_OK);
	ck_assert_str_ne(a.url, b.url);
	ck_assert_str_ne(a.statement_sha256, b.statement_sha256);
}
END_TEST

START_TEST(test_png_is_the_qr_code_with_its_quiet_zone)
{
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert(tb_label_load(HARDENED, &lbl, &d) == TB_OK);
	unsigned char *png = NULL;
	size_t len = 0;
	ck_assert_msg(tb_label_png(&lbl, &png, &len, &d) == TB_OK, "%s", d.msg);
	ck_assert_uint_gt(len, 33);
	ck_assert_int_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
	ck_assert_int_eq(memcmp(png + 12, "IHDR", 4), 0);
	unsigned w = (unsigned)png[16] << 24 | (unsigned)png[17] << 16 | png[18] << 8 | png[19];
	/* Version 1..40 codes are 21..177 modules wide, plus 4 each side. */
	ck_assert_uint_eq(w % TB_LABEL_PNG_SCALE, 0);
	unsigned modules = w / TB_LABEL_PNG_SCALE - 2 * TB_LABEL_QR_QUIET;
	ck_assert_uint_eq((modules - 21) % 4, 0);
	ck_assert_int_eq(png[24], 1); /* bit depth */
	free(png);
}
END_TEST

START_TEST(test_render_accepts_only_label_svg)
{
	char dir[] = "/tmp/check-label-XXXXXX", path[80];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/l.svg", dir);
	struct tb_label lbl;
	struct tb_diag d = { 0 };
	ck_assert(tb_label_load(HARDENED, &lbl, &d) == TB_OK);
	char *svg = svg_of(&lbl), *uri = NULL;
	write_file(path, svg);
	free(svg);
	ck_assert_msg(tb_label_svg_data_uri(path, &uri, &d) == TB_OK, "%s", d.msg);
	ck_assert_ptr_nonnull(strstr(uri, "data:image/svg+xml;base64,PD94bWwg"));
	free(uri);
	static const char *const hostile[] = {
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"http://x.test/a\"/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect fill=\"url(a.svg#p)\"/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect onload=\"alert(1)\"/></svg>",
		"<?xml-stylesheet href=\"http://x.test/s.css\"?>"
		"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:l=\"http://www.w3.org/1999/xlink\"><g l:href=\"x\"/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><style>rect{}</style></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><h:p "
		"xmlns:h=\"http://www.w3.org/1999/xhtml\"/></svg>",
		"<svg/>",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		write_file(path, hostile[i]);
		uri = NULL;
		ck_assert_msg(tb_label_svg_data_uri(path, &uri, &d) == TB_E_FORMAT, "accepted: %s",
			      hostile[i]);
		ck_assert_ptr_null(uri);
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *label_suite(void)
{
	Suite *s = suite_create("label");
	TCase *tc = tcase_create("label");
	tcase_add_test(tc, test_sample_statement_fields_and_url);
	tcase_add_test(tc, test_svg_shows_every_field);
	tcase_add_test(tc, test_svg_escapes_hostile_device_strings);
	tcase_add_test(tc, test_control_characters_never_reach_the_label);
	tcase_add_test(tc, test_withheld_statement_gives_reasons_and_no_label);
	tcase_add_test(tc, test_withheld_reasons_are_bounded_by_whole_lines);
	tcase_add_test(tc, test_cmd_writes_only_a_label_that_is_earned);
	tcase_add_test(tc, test_malformed_statements_are_refused);
	tcase_add_test(tc, test_tampered_statement_changes_the_url);
	tcase_add_test(tc, test_png_is_the_qr_code_with_its_quiet_zone);
	tcase_add_test(tc, test_render_accepts_only_label_svg);
	suite_add_tcase(s, tc);
	return s;
}
