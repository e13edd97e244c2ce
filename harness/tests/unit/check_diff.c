/* check_diff.c: unit tests for trustbench diff and the untrusted report
 * loader it uses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/diff.h"
#include "report/report_load.h"
#include "result/verdict.h"
#include "suites.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* A minimal report: cases is "id=verdict id=verdict ...". */
static char *report_xml(const char *suite_sha, const char *profile_sha, const char *firmware,
			const char *status, const char *cases)
{
	size_t cap = 4096 + strlen(cases) * 8;
	char *x = tb_xmalloc(cap);
	int n = snprintf(x, cap,
			 "<?xml version=\"1.0\"?>\n"
			 "<report xmlns=\"urn:trustbench:report:1\" schema-version=\"1\" "
			 "status=\"%s\" total-cases=\"9\" completed-cases=\"9\">\n"
			 "<harness name=\"trustbench\" version=\"0\"/><run started=\"x\"/>\n"
			 "<inputs><suite id=\"s\" path=\"s.yaml\" sha256=\"%s\" version=\"1\">"
			 "<title>S</title></suite>"
			 "<profile id=\"p\" path=\"p.yaml\" sha256=\"%s\"/></inputs>\n"
			 "<dut manufacturer=\"M\" model=\"Cam\" firmware=\"%s\" serial=\"1\" "
			 "address=\"a\"/>\n<results>\n",
			 status, suite_sha, profile_sha, firmware);
	char *copy = tb_xstrdup(cases), *save = NULL;
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(t, '=');
		*eq = '\0';
		n += snprintf(x + n, cap - (size_t)n,
			      "<result id=\"%s\" verdict=\"%s\"><title>Case %s</title></result>\n", t,
			      eq + 1, t);
	}
	snprintf(x + n, cap - (size_t)n, "</results></report>\n");
	free(copy);
	return x;
}

static enum tb_err view_of(const char *xml, struct tb_rview *v, struct tb_diag *d)
{
	xmlDocPtr doc;
	memset(v, 0, sizeof *v);
	enum tb_err e = tb_report_parse(xml, strlen(xml), "r.xml", &doc, d);
	if (!e) {
		e = tb_rview_from_doc(doc, "r.xml", v, d);
		xmlFreeDoc(doc);
	}
	return e;
}

struct pair {
	struct tb_rview a, b;
	struct tb_diff df;
};

static void diff_of(struct pair *p, const char *old_xml, const char *new_xml)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(view_of(old_xml, &p->a, &d), TB_OK);
	ck_assert_int_eq(view_of(new_xml, &p->b, &d), TB_OK);
	tb_diff_compute(&p->a, &p->b, &p->df);
}

static void pair_free(struct pair *p)
{
	tb_diff_free(&p->df);
	tb_rview_free(&p->a);
	tb_rview_free(&p->b);
}

static void diff_cases(struct pair *p, const char *old_cases, const char *new_cases,
		       const char *new_suite)
{
	char *o = report_xml(SHA_A, SHA_A, "1.0", "complete", old_cases);
	char *n = report_xml(new_suite, SHA_A, "1.0", "complete", new_cases);
	diff_of(p, o, n);
	free(o);
	free(n);
}

START_TEST(identical_reports_exit_0)
{
	struct pair p;
	diff_cases(&p, "1-1=pass 1-2=fail 1-3=needs-examiner", "1-1=pass 1-2=fail 1-3=needs-examiner",
		   SHA_A);
	ck_assert_uint_eq(p.df.n, 0);
	ck_assert_int_eq(p.df.suite_changed, 0);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_SAME);
	pair_free(&p);
}
END_TEST

START_TEST(pass_to_fail_regresses)
{
	struct pair p;
	diff_cases(&p, "1-1=pass 1-2=pass", "1-1=pass 1-2=fail", SHA_A);
	ck_assert_uint_eq(p.df.n, 1);
	ck_assert_str_eq(p.df.items[0].old->id, "1-2");
	ck_assert_int_eq(p.df.items[0].dir, TB_DD_WORSE);
	ck_assert_uint_eq(p.df.worse, 1);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_REGRESSED);
	pair_free(&p);
}
END_TEST

START_TEST(fixes_are_not_regressions)
{
	struct pair p;
	diff_cases(&p, "1-1=fail 1-2=inconclusive 1-3=error", "1-1=pass 1-2=needs-examiner 1-3=pass",
		   SHA_A);
	ck_assert_uint_eq(p.df.better, 3);
	ck_assert_uint_eq(p.df.worse, 0);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_SAME);
	pair_free(&p);
}
END_TEST

/* The verdict.h order, with pass and not-applicable equally good. */
START_TEST(direction_follows_verdict_order)
{
	ck_assert_int_eq(tb_diff_direction(TB_V_PASS, TB_V_EXAMINER), TB_DD_WORSE);
	ck_assert_int_eq(tb_diff_direction(TB_V_EXAMINER, TB_V_INCONCLUSIVE), TB_DD_WORSE);
	ck_assert_int_eq(tb_diff_direction(TB_V_INCONCLUSIVE, TB_V_ERROR), TB_DD_WORSE);
	ck_assert_int_eq(tb_diff_direction(TB_V_ERROR, TB_V_FAIL), TB_DD_WORSE);
	ck_assert_int_eq(tb_diff_direction(TB_V_NA, TB_V_FAIL), TB_DD_WORSE);
	ck_assert_int_eq(tb_diff_direction(TB_V_FAIL, TB_V_ERROR), TB_DD_BETTER);
	ck_assert_int_eq(tb_diff_direction(TB_V_NA, TB_V_PASS), TB_DD_NEUTRAL);
	ck_assert_int_eq(tb_diff_direction(TB_V_PASS, TB_V_NA), TB_DD_NEUTRAL);
}
END_TEST

START_TEST(added_cases_worse_only_above_pass)
{
	struct pair p;
	diff_cases(&p, "1-1=pass", "1-1=pass 1-2=pass 1-3=not-applicable 1-4=needs-examiner", SHA_B);
	ck_assert_uint_eq(p.df.added, 3);
	ck_assert_uint_eq(p.df.worse, 1);
	ck_assert_int_eq(p.df.suite_changed, 1);
	ck_assert_str_eq(p.df.items[2].new->id, "1-4");
	ck_assert_int_eq(p.df.items[2].dir, TB_DD_WORSE);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_REGRESSED);
	pair_free(&p);
}
END_TEST

/* Same suite: a missing case was not run, its evidence is gone. */
START_TEST(dropped_case_same_suite_regresses)
{
	struct pair p;
	diff_cases(&p, "1-1=pass 1-2=fail", "1-1=pass", SHA_A);
	ck_assert_uint_eq(p.df.dropped, 1);
	ck_assert_ptr_null(p.df.items[0].new);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_REGRESSED);
	pair_free(&p);
}
END_TEST

START_TEST(dropped_case_new_suite_is_reported_only)
{
	struct pair p;
	diff_cases(&p, "1-1=pass 1-2=pass", "1-1=pass", SHA_B);
	ck_assert_uint_eq(p.df.dropped, 1);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_SAME);
	pair_free(&p);
}
END_TEST

START_TEST(profile_and_firmware_changes_are_seen)
{
	struct pair p;
	char *o = report_xml(SHA_A, SHA_A, "1.0", "complete", "1-1=pass");
	char *n = report_xml(SHA_A, SHA_B, "1.1", "complete", "1-1=pass");
	diff_of(&p, o, n);
	ck_assert_int_eq(p.df.profile_changed, 1);
	ck_assert_int_eq(p.df.dut_changed, 1);
	ck_assert_int_eq(p.df.suite_changed, 0);
	ck_assert_int_eq(tb_diff_exit_code(&p.df), TB_DIFF_SAME);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	tb_diff_print(f, &p.a, &p.b, &p.df);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "profile:   changed: p sha256 " SHA_A " -> p sha256 " SHA_B));
	ck_assert_ptr_nonnull(strstr(out, "firmware 1.0 -> 1.1"));
	ck_assert_ptr_nonnull(strstr(out, "nothing got worse (exit 0)"));
	free(out);
	free(o);
	free(n);
	pair_free(&p);
}
END_TEST

/* Terminal escapes from a hostile report never reach the terminal. */
START_TEST(printing_neutralises_control_characters)
{
	struct pair p;
	char *o = report_xml(SHA_A, SHA_A, "1.0", "complete", "1-1=pass");
	char *n = report_xml(SHA_A, SHA_A, "1.0&#155;31m&#127;", "partial", "1-1=fail");
	diff_of(&p, o, n);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	tb_diff_print(f, &p.a, &p.b, &p.df);
	fclose(f);
	ck_assert_ptr_null(strstr(out, "\xc2\x9b"));
	ck_assert_ptr_null(strchr(out, 0x7f));
	ck_assert_ptr_nonnull(strstr(out, "firmware 1.0 -> 1.0?31m?"));
	ck_assert_ptr_nonnull(strstr(out, "the NEW report is partial"));
	ck_assert_ptr_nonnull(strstr(out, "worse           1-1  pass -> fail"));
	free(out);
	free(o);
	free(n);
	pair_free(&p);
}
END_TEST

START_TEST(bad_reports_are_refused)
{
	struct tb_diag d = { 0 };
	struct tb_rview v;
	char *dup = report_xml(SHA_A, SHA_A, "1", "complete", "1-1=pass 1-1=fail");
	ck_assert_int_eq(view_of(dup, &v, &d), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(d.msg, "'1-1' appears twice"));
	tb_rview_free(&v);
	char *unknown = report_xml(SHA_A, SHA_A, "1", "complete", "1-1=great");
	ck_assert_int_eq(view_of(unknown, &v, &d), TB_E_FORMAT);
	ck_assert_ptr_nonnull(strstr(d.msg, "unknown verdict"));
	tb_rview_free(&v);
	ck_assert_int_eq(view_of("<report xmlns=\"urn:other\"/>", &v, &d), TB_E_FORMAT);
	tb_rview_free(&v);
	ck_assert_int_eq(view_of("<report", &v, &d), TB_E_FORMAT);
	tb_rview_free(&v);
	free(dup);
	free(unknown);
}
END_TEST

/* Entities are never expanded and no DTD is accepted (XXE, billion laughs). */
START_TEST(loader_refuses_dtds)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE report [<!ENTITY x SYSTEM "
		"\"file:///etc/passwd\">]>\n"
		"<report xmlns=\"urn:trustbench:report:1\">&x;</report>\n";
	struct tb_diag d = { 0 };
	xmlDocPtr doc = NULL;
	ck_assert_int_eq(tb_report_parse(xxe, strlen(xxe), "x.xml", &doc, &d), TB_E_FORMAT);
	ck_assert_ptr_null(doc);
	ck_assert_ptr_nonnull(strstr(d.msg, "DTD"));
}
END_TEST

START_TEST(loader_caps_size)
{
	struct tb_diag d = { 0 };
	xmlDocPtr doc = NULL;
	ck_assert_int_eq(tb_report_parse("<a/>", TB_REPORT_MAX_BYTES + 1, "big.xml", &doc, &d),
			 TB_E_TOOBIG);
	ck_assert_ptr_null(doc);
}
END_TEST

Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *t = tcase_create("diff");
	tcase_add_test(t, identical_reports_exit_0);
	tcase_add_test(t, pass_to_fail_regresses);
	tcase_add_test(t, fixes_are_not_regressions);
	tcase_add_test(t, direction_follows_verdict_order);
	tcase_add_test(t, added_cases_worse_only_above_pass);
	tcase_add_test(t, dropped_case_same_suite_regresses);
	tcase_add_test(t, dropped_case_new_suite_is_reported_only);
	tcase_add_test(t, profile_and_firmware_changes_are_seen);
	tcase_add_test(t, printing_neutralises_control_characters);
	tcase_add_test(t, bad_reports_are_refused);
	tcase_add_test(t, loader_refuses_dtds);
	tcase_add_test(t, loader_caps_size);
	suite_add_tcase(s, t);
	return s;
}
