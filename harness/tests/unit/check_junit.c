/* check_junit.c: unit tests for the JUnit XML written by run --junit. */
#include <check.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/profile.h"
#include "load/suite.h"
#include "report/junit.h"
#include "suites.h"

#define CASE(id, prov) \
	"      - id: \"" id \
	"\"\n" \
	"        kind: \"conceptual\"\n" \
	"        title: \"Case " id \
	"\"\n" \
	"        covers:\n" \
	"          en-303-645: [\"" prov \
	"\"]\n" \
	"        check:\n" \
	"          family: \"examiner\"\n" \
	"          params:\n" \
	"            guidance: \"look\"\n"
#define GROUP(prov) \
	"  - provision: \"" prov "\"\n    status: \"M\"\n    title: \"Group " prov "\"\n    cases:\n"

static const char suite_text[] =
	"suite:\n  id: \"mini\"\n  title: \"Mini\"\n  version: \"0.1\"\n"
	"groups:\n" GROUP("5.1-1") CASE("5.1-1-1", "5.1-1") CASE("5.1-1-2", "5.1-1") GROUP("5.2-1")
		CASE("5.2-1-1", "5.2-1") CASE("5.2-1-2", "5.2-1") GROUP("5.3-1")
			CASE("5.3-1-1", "5.3-1") CASE("5.3-1-2", "5.3-1");

static const char profile_text[] =
	"profile:\n  id: \"mini\"\n"
	"dut:\n  manufacturer: \"Acme\"\n  model: \"Cam\"\n  firmware: \"1.0\"\n"
	"  serial: \"S-1\"\n  address: \"198.18.1.10\"\n"
	"lab:\n  scope: [\"198.18.1.0/24\"]\n  interface: \"tb-lab0\"\n  intrusive: false\n"
	"declarations: {}\n";

static const enum tb_verdict verdicts[] = { TB_V_PASS,         TB_V_FAIL,     TB_V_ERROR,
					    TB_V_INCONCLUSIVE, TB_V_EXAMINER, TB_V_NA };
#define NRES (sizeof verdicts / sizeof verdicts[0])

static struct tb_suite *suite;
static struct tb_profile *profile;
static struct tb_result results[NRES];
static char path[64];
static xmlDocPtr doc;
static xmlXPathContextPtr xpc;

static void setup(void)
{
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse("mini.yaml", suite_text, strlen(suite_text), &suite, &d),
			 TB_OK);
	ck_assert_int_eq(tb_profile_parse("p.yaml", profile_text, strlen(profile_text), &profile, &d),
			 TB_OK);
	for (size_t i = 0; i < NRES; i++) {
		memset(&results[i], 0, sizeof results[i]);
		results[i].tc = &suite->cases[i];
		results[i].duration_ms = 1500;
		tb_result_set(&results[i], verdicts[i], "reason %zu", i);
	}
	tb_result_set(&results[1], TB_V_FAIL, "login accepted <root> & \x1b[31m bytes");
	strcpy(path, "/tmp/tb-junit-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void teardown(void)
{
	xmlXPathFreeContext(xpc);
	xmlFreeDoc(doc);
	xpc = NULL;
	doc = NULL;
	for (size_t i = 0; i < NRES; i++)
		tb_result_cleanup(&results[i]);
	tb_suite_free(suite);
	tb_profile_free(profile);
	unlink(path);
}

static void write_and_read(int complete, size_t n)
{
	struct tb_run_info ri = { .suite = suite,
				  .profile = profile,
				  .started = "2026-11-23T17:00:00Z",
				  .complete = complete,
				  .results = results,
				  .nresults = n };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_junit_write(&ri, path, &d), TB_OK);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	xpc = xmlXPathNewContext(doc);
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

START_TEST(every_verdict_maps_and_counts)
{
	write_and_read(1, NRES);
	xp_is("count(/testsuites/testsuite/testcase)", "6");
	xp_is("/testsuites/@tests", "6");
	xp_is("/testsuites/@failures", "1");
	xp_is("/testsuites/@errors", "2");
	xp_is("/testsuites/@skipped", "2");
	xp_is("/testsuites/testsuite/@failures", "1");
	xp_is("/testsuites/testsuite/@time", "9.000");
	xp_is("count(//testcase[not(*)])", "1"); /* only pass reads as passed */
	xp_is("//testcase[1]/@name", "5.1-1-1 Case 5.1-1-1");
	xp_is("//testcase[1]/@classname", "5.1-1");
	xp_is("//testcase[3]/@classname", "5.2-1");
	xp_is("//testcase[3]/error/@type", "error");
	xp_is("//testcase[4]/error/@type", "inconclusive");
	xp_is("//testcase[5]/skipped/@message", "needs-examiner: reason 4");
	xp_is("//testcase[6]/skipped/@message", "not-applicable: reason 5");
	xp_is("//testcase[1]/@time", "1.500");
}
END_TEST

START_TEST(failure_carries_the_reason_safely)
{
	write_and_read(1, NRES);
	xp_is("//testcase[2]/failure/@type", "fail");
	xp_is("//testcase[2]/failure", "login accepted <root> & \\x1b[31m bytes");
	xp_is("//testcase[2]/failure/@message", "fail: login accepted <root> & \\x1b[31m bytes");
}
END_TEST

/* A partial run (still going, or killed) must never read as green. */
START_TEST(partial_run_has_an_error)
{
	write_and_read(0, 1);
	xp_is("count(//testcase)", "2");
	xp_is("/testsuites/@errors", "1");
	xp_is("//testcase[@name='run incomplete']/error/@type", "incomplete");
	xp_is("//property[@name='status']/@value", "partial");
}
END_TEST

START_TEST(long_reason_message_is_cut)
{
	char big[1000];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tb_result_set(&results[1], TB_V_FAIL, "%s", big);
	write_and_read(1, NRES);
	xp_is("string-length(//testcase[2]/failure/@message)", "303");
	xp_is("string-length(//testcase[2]/failure)", "999");
}
END_TEST

START_TEST(no_path_writes_nothing)
{
	struct tb_run_info ri = { .suite = suite, .profile = profile, .results = results };
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_junit_write(&ri, NULL, &d), TB_OK);
}
END_TEST

Suite *junit_suite(void)
{
	Suite *s = suite_create("junit");
	TCase *t = tcase_create("junit");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, every_verdict_maps_and_counts);
	tcase_add_test(t, failure_carries_the_reason_safely);
	tcase_add_test(t, partial_run_has_an_error);
	tcase_add_test(t, long_reason_message_is_cut);
	tcase_add_test(t, no_path_writes_nothing);
	suite_add_tcase(s, t);
	return s;
}
