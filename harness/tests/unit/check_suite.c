/* check_suite.c: unit tests for the conformance suite loader (suite.h). */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "suites.h"

#define NAME "testsuites/mini.yaml"

/* A small valid suite; each negative test changes one fragment of it. */
static const char base[] =
	"suite:\n"
	"  id: \"mini\"\n"
	"  title: \"Mini suite\"\n"
	"  version: \"0.1\"\n"
	"groups:\n"
	"  - provision: \"5.1-1\"\n"
	"    status: \"M C(1)\"\n"
	"    title: \"Passwords\"\n"
	"    cases:\n"
	"      - id: \"5.1-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Declared passwords\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.1-1\"]\n"
	"        applies-when:\n"
	"          passwords-used: true\n"
	"        check:\n"
	"          family: \"declarations\"\n"
	"          params:\n"
	"            rule: \"passwords\"\n"
	"      - id: \"5.1-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"No default credentials\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.1-1\", \"5.1-2\"]\n"
	"        check:\n"
	"          family: \"default-credentials\"\n"
	"          params:\n"
	"            services: [\"telnet\", \"http\"]\n"
	"            max-attempts: 10\n"
	"  - provision: \"5.6-1\"\n"
	"    status: \"R\"\n"
	"    title: \"Services\"\n"
	"    cases:\n"
	"      - id: \"5.6-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"Open ports\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.6-1\"]\n"
	"        check:\n"
	"          family: \"exposure\"\n"
	"          params:\n"
	"            ports: \"1-1024\"\n"
	"            concurrency: 64\n"
	"      - id: \"5.6-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"Examiner\"\n"
	"        covers:\n"
	"          en-303-645: [\"5.6-1\"]\n"
	"        check:\n"
	"          family: \"examiner\"\n"
	"          params:\n"
	"            guidance: \"look\"\n"
	"            ixit: [\"13-SoftServ\"]\n";

/* base with the nth (1-based) occurrence of from replaced by to. */
static char *subst_n(const char *text, const char *from, const char *to, int nth)
{
	const char *at = text;
	for (int i = 0; i < nth; i++) {
		at = strstr(i ? at + 1 : at, from);
		ck_assert_msg(at != NULL, "fragment '%s' #%d not in the text", from, nth);
	}
	size_t pre = (size_t)(at - text), fl = strlen(from), tl = strlen(to);
	char *out = malloc(strlen(text) - fl + tl + 1);
	memcpy(out, text, pre);
	memcpy(out + pre, to, tl);
	strcpy(out + pre + tl, at + fl);
	return out;
}

static char *subst(const char *from, const char *to)
{
	return subst_n(base, from, to, 1);
}

/* 1-based line and column of the nth occurrence of needle. */
static void pos_of(const char *text, const char *needle, int nth, unsigned long *line,
		   unsigned long *col)
{
	const char *at = text;
	for (int i = 0; i < nth; i++) {
		at = strstr(i ? at + 1 : at, needle);
		ck_assert_msg(at != NULL, "needle '%s' #%d not found", needle, nth);
	}
	*line = 1;
	const char *bol = text;
	for (const char *p = text; p < at; p++)
		if (*p == '\n') {
			(*line)++;
			bol = p + 1;
		}
	*col = (unsigned long)(at - bol) + 1;
}

/* Expect a load error located off columns after the nth occurrence of needle. */
static void expect_err(int caller, char *text, const char *needle, int nth, unsigned long off,
		       const char *phrase)
{
	struct tb_suite *s = (struct tb_suite *)1;
	struct tb_diag d = { 0 };
	unsigned long line, col;
	pos_of(text, needle, nth, &line, &col);
	col += off;
	enum tb_err e = tb_suite_parse(NAME, text, strlen(text), &s, &d);
	ck_assert_msg(e == TB_E_CONFIG, "line %d: expected TB_E_CONFIG, got %d", caller, e);
	ck_assert_msg(s == NULL, "line %d: *out not NULL", caller);
	/* d.file is checked by diag_file_after_semantic_error alone (see there). */
	ck_assert_msg(d.line == line && d.col == col, "line %d: expected %lu:%lu, got %lu:%lu (%s)",
		      caller, line, col, d.line, d.col, d.msg);
	ck_assert_msg(strstr(d.msg, phrase) != NULL, "line %d: '%s' not in '%s'", caller, phrase,
		      d.msg);
	free(text);
}
#define EXPECT_ERR(text, needle, phrase) expect_err(__LINE__, text, needle, 1, 0, phrase)
#define EXPECT_ERR_N(text, needle, nth, phrase) expect_err(__LINE__, text, needle, nth, 0, phrase)
#define EXPECT_ERR_OFF(text, needle, off, phrase) expect_err(__LINE__, text, needle, 1, off, phrase)

static char *dup(const char *t)
{
	return strcpy(malloc(strlen(t) + 1), t);
}

static struct tb_suite *load_ok(const char *text)
{
	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_suite_parse(NAME, text, strlen(text), &s, &d);
	ck_assert_msg(e == TB_OK, "parse failed: %lu:%lu %s", d.line, d.col, d.msg);
	return s;
}

START_TEST(minimal_valid)
{
	struct tb_suite *s = load_ok(base);
	ck_assert_str_eq(s->id, "mini");
	ck_assert_str_eq(s->title, "Mini suite");
	ck_assert_str_eq(s->version, "0.1");
	ck_assert_ptr_null(s->standard);
	ck_assert_str_eq(s->path, NAME);
	ck_assert_str_eq(s->dir, "testsuites");
	uint8_t sum[32];
	tb_sha256_mem(base, strlen(base), sum);
	ck_assert_mem_eq(s->sha256, sum, 32);

	ck_assert_uint_eq(s->ngroups, 2);
	ck_assert_str_eq(s->groups[0].provision, "5.1-1");
	ck_assert_str_eq(s->groups[0].status, "M C(1)");
	ck_assert_str_eq(s->groups[1].title, "Services");
	ck_assert_uint_eq(s->ncases, 4);

	const struct tb_case *c = tb_suite_find_case(s, "5.1-1-1");
	ck_assert_ptr_eq(c, &s->cases[0]);
	ck_assert_int_eq(c->kind, TB_KIND_CONCEPTUAL);
	ck_assert_str_eq(c->title, "Declared passwords");
	ck_assert_uint_eq(c->group, 0);
	ck_assert_uint_eq(c->line, 10);
	ck_assert_str_eq(c->family->name, "declarations");
	ck_assert_str_eq(tb_param_str(&c->params, "rule"), "passwords");
	ck_assert_uint_eq(c->ncovers[TB_FW_EN303645], 1);
	ck_assert_str_eq(c->covers[TB_FW_EN303645][0], "5.1-1");
	/* Other frameworks come only from crosswalk files (check_crosswalk.c). */
	ck_assert_uint_eq(c->ncovers[TB_FW_UKCOP], 0);
	ck_assert_uint_eq(c->ncovers[TB_FW_PSTI], 0);
	ck_assert_uint_eq(c->ncovers[TB_FW_OTA], 0);
	ck_assert_uint_eq(s->ncrosswalk_paths, 0);
	ck_assert_uint_eq(c->nconds, 1);
	ck_assert_str_eq(c->conds[0].feature, "passwords-used");
	ck_assert_int_eq(c->conds[0].value, 1);

	c = tb_suite_find_case(s, "5.1-1-2");
	ck_assert_int_eq(c->kind, TB_KIND_FUNCTIONAL);
	ck_assert_uint_eq(c->ncovers[TB_FW_EN303645], 2);
	const struct tb_param *p = tb_param_get(&c->params, "services");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->n, 2);
	ck_assert_str_eq(p->sl[1], "http");
	ck_assert_int_eq(tb_param_int(&c->params, "max-attempts"), 10);
	ck_assert_int_eq(tb_param_int(&c->params, "attempt-delay-ms"), 50); /* the table's default */
	ck_assert_ptr_null(tb_param_get(&c->params, "no-such-param"));

	c = tb_suite_find_case(s, "5.6-1-2");
	ck_assert_uint_eq(c->group, 1);
	ck_assert_str_eq(c->family->name, "exposure");
	ck_assert_str_eq(tb_param_str(&c->params, "ports"), "1-1024");
	ck_assert_int_eq(tb_param_int(&c->params, "concurrency"), 64);
	ck_assert_ptr_null(tb_suite_find_case(s, "5.6-1-3"));
	tb_suite_free(s);
	tb_suite_free(NULL);
}
END_TEST

START_TEST(kind_both_and_crosswalk_paths)
{
	char *t = subst("        kind: \"conceptual\"\n        title: \"Examiner\"\n",
			"        kind: \"conceptual-functional\"\n        title: \"Examiner\"\n");
	char *t2 =
		subst_n(t, "  version: \"0.1\"\n",
			"  version: \"0.1\"\n  crosswalks: [\"crosswalks/a.yaml\", \"b.yaml\"]\n", 1);
	struct tb_suite *s = load_ok(t2);
	const struct tb_case *c = tb_suite_find_case(s, "5.6-1-1");
	ck_assert_int_eq(c->kind, TB_KIND_BOTH);
	/* Parsing from memory keeps the names; tb_suite_load reads the files. */
	ck_assert_uint_eq(s->ncrosswalk_paths, 2);
	ck_assert_str_eq(s->crosswalk_paths[1], "b.yaml");
	ck_assert_uint_eq(s->ncrosswalks, 0);
	tb_suite_free(s);
	free(t);
	free(t2);
}
END_TEST

START_TEST(unknown_top_key)
{
	EXPECT_ERR(subst("groups:\n", "extra: 1\ngroups:\n"), "extra:", "unknown key 'extra'");
	EXPECT_ERR(subst("  version: \"0.1\"\n", "  revision: \"0.1\"\n"), "revision",
		   "unknown key 'revision' in suite");
	EXPECT_ERR(subst("    title: \"Passwords\"\n", "    title: \"Passwords\"\n    note: x\n"),
		   "note:", "unknown key 'note' in test group");
}
END_TEST

START_TEST(missing_keys)
{
	/* The error points at the mapping that lacks the key. */
	EXPECT_ERR(subst("  title: \"Mini suite\"\n", ""), "id: \"mini\"",
		   "suite lacks required key 'title'");
	EXPECT_ERR(subst("        title: \"Declared passwords\"\n", ""), "id: \"5.1-1-1\"",
		   "test case lacks required key 'title'");
	EXPECT_ERR(subst("          family: \"declarations\"\n", ""),
		   "params:", "check lacks required key 'family'");
}
END_TEST

START_TEST(unknown_key_in_case)
{
	EXPECT_ERR(subst("        kind: \"functional\"\n",
			 "        kind: \"functional\"\n        bogus: 1\n"),
		   "bogus", "unknown key 'bogus' in test case");
	EXPECT_ERR(subst("          en-303-645: [\"5.1-1\"]\n",
			 "          en-303-645: [\"5.1-1\"]\n          nist: [1]\n"),
		   "nist", "unknown key 'nist' in covers");
}
END_TEST

START_TEST(duplicate_test_id)
{
	char *t = subst("      - id: \"5.1-1-2\"", "      - id: \"5.1-1-1\"");
	unsigned long first, col;
	pos_of(t, "id: \"5.1-1-1\"", 1, &first, &col);
	char phrase[80];
	snprintf(phrase, sizeof phrase, "duplicate test case id '5.1-1-1' (first at line %lu)", first);
	EXPECT_ERR_N(t, "\"5.1-1-1\"", 2, phrase);
}
END_TEST

START_TEST(case_id_format)
{
	static const char *const bad[] = { "5.1-1-x",  "5.1-2-1",  "5.1-1-123", "5.1-1-",
					   "5.1-1",    "5.1-11",   "5.1-1-1a",  "x",
					   "5.1-1--1", " 5.1-1-2", NULL };
	for (int i = 0; bad[i]; i++) {
		char to[64];
		snprintf(to, sizeof to, "      - id: \"%s\"\n", bad[i]);
		/* The whole replaced line is unique in the text; the id is at column 13. */
		EXPECT_ERR_OFF(subst("      - id: \"5.1-1-2\"\n", to), to, 12, "must be '5.1-1-<n>'");
	}
}
END_TEST

START_TEST(bad_provision_id)
{
	static const char *const bad[] = { "5.1.1",   "x-1", "5.100-1", "5.1-",
					   "5.1-1AB", "-1",  "5.1-1a",  NULL };
	for (int i = 0; bad[i]; i++) {
		char to[64];
		snprintf(to, sizeof to, "  - provision: \"%s\"", bad[i]);
		EXPECT_ERR_OFF(subst("  - provision: \"5.6-1\"", to), to, 15, "is not a provision id");
	}
	ck_assert(tb_provision_id_valid("5.13-1A"));
	ck_assert(tb_provision_id_valid("4-1"));
	ck_assert(tb_provision_id_valid("6-5"));
	ck_assert(!tb_provision_id_valid(""));
	ck_assert(!tb_provision_id_valid("5.1-1 "));
	/* Covers must name provision ids too. */
	EXPECT_ERR(subst("[\"5.1-1\", \"5.1-2\"]", "[\"5.1-1\", \"five\"]"), "\"five\"",
		   "'five' is not a provision id");
}
END_TEST

START_TEST(duplicate_group)
{
	EXPECT_ERR_OFF(subst("  - provision: \"5.6-1\"", "  - provision: \"5.1-1\""),
		       "  - provision: \"5.1-1\"\n    status: \"R\"", 15,
		       "a test group for provision 5.1-1 already exists");
}
END_TEST

START_TEST(bad_status)
{
	static const char *const bad[] = { "Mandatory", "M C()",    "M C(1",   "X",       "m",
					   "M C(1,)",   "R C(123)", "M  C(1)", "M C(1) ", NULL };
	for (int i = 0; bad[i]; i++) {
		char to[64];
		snprintf(to, sizeof to, "    status: \"%s\"\n", bad[i]);
		EXPECT_ERR_OFF(subst("    status: \"R\"\n", to), to, 12, "status must look like M, R");
	}
	ck_assert(tb_status_conditional("R C(3,4)"));
	ck_assert(!tb_status_conditional("M"));
	ck_assert(tb_status_mandatory("M C(1)"));
	ck_assert(!tb_status_mandatory("R"));
	char *t = subst("    status: \"R\"", "    status: \"R C(3,12)\"");
	struct tb_suite *s = load_ok(t);
	ck_assert_str_eq(s->groups[1].status, "R C(3,12)");
	tb_suite_free(s);
	free(t);
}
END_TEST

START_TEST(bad_kind)
{
	EXPECT_ERR(subst("        kind: \"functional\"", "        kind: \"both\""), "\"both\"",
		   "kind must be conceptual, functional or conceptual-functional, not 'both'");
}
END_TEST

START_TEST(unknown_family)
{
	EXPECT_ERR(subst("family: \"exposure\"", "family: \"nmap\""), "\"nmap\"",
		   "unknown check family 'nmap'");
}
END_TEST

START_TEST(unknown_param)
{
	EXPECT_ERR(subst("            guidance: \"look\"\n",
			 "            guidance: \"look\"\n            colour: \"red\"\n"),
		   "colour", "family 'examiner' has no parameter 'colour'");
}
END_TEST

START_TEST(param_wrong_type)
{
	EXPECT_ERR(subst("concurrency: 64", "concurrency: fast"), "fast",
		   "concurrency must be an integer, not 'fast'");
	EXPECT_ERR(subst("concurrency: 64", "concurrency: \"64\""), "\"64\"",
		   "concurrency must be an integer, not a quoted string");
	EXPECT_ERR_OFF(subst("concurrency: 64", "concurrency: 0"), "concurrency: 0", 13,
		       "concurrency must be between 1 and 4096, not 0");
	EXPECT_ERR(subst("max-attempts: 10", "max-attempts: [10]"), "[10]",
		   "max-attempts must be a scalar, not a list");
	EXPECT_ERR(subst("services: [\"telnet\", \"http\"]", "services: \"telnet\""), "\"telnet\"",
		   "services must be a list, not a scalar");
	EXPECT_ERR(subst("ports: \"1-1024\"", "ports: [1, 2]"), "[1, 2]",
		   "ports must be a scalar, not a list");
	EXPECT_ERR(subst("            max-attempts: 10\n",
			 "            max-attempts: 10\n            telnet-ports: [23, \"2323\"]\n"),
		   "\"2323\"", "telnet-ports must be an integer, not a quoted string");
	EXPECT_ERR(subst("            max-attempts: 10\n",
			 "            max-attempts: 10\n            telnet-ports: [23, 70000]\n"),
		   "70000", "telnet-ports must be between 1 and 65535");
}
END_TEST

START_TEST(missing_required_param)
{
	/* Reported at the check mapping. */
	EXPECT_ERR(subst("            guidance: \"look\"\n", ""), "family: \"examiner\"",
		   "family 'examiner' needs parameter 'guidance'");
	EXPECT_ERR(subst("          params:\n            rule: \"passwords\"\n", ""),
		   "family: \"declarations\"", "family 'declarations' needs parameter 'rule'");
}
END_TEST

START_TEST(param_outside_choices)
{
	EXPECT_ERR(subst("rule: \"passwords\"", "rule: \"bogus\""), "\"bogus\"",
		   "parameter 'rule' must be one of: justifications, passwords");
}
END_TEST

/* BUG: a string-list item outside its choices is allocated, refused, and
 * never freed (load_param_value counts p->n only for accepted items), so
 * LeakSanitizer fails this test at exit. */
START_TEST(strlist_choice_refused_without_leak)
{
	EXPECT_ERR(subst("[\"telnet\", \"http\"]", "[\"telnet\", \"smb\"]"), "\"smb\"",
		   "parameter 'services' must be one of: telnet, http, ssh, mqtt, ftp, snmp, rtsp (not "
		   "'smb')");
}
END_TEST

START_TEST(applies_when_errors)
{
	EXPECT_ERR(subst("          passwords-used: true\n", "          wifi: true\n"), "wifi",
		   "unknown feature 'wifi' in applies-when");
	EXPECT_ERR(subst("passwords-used: true", "passwords-used: \"yes\""), "\"yes\"",
		   "passwords-used must be true or false, not 'yes'");
	EXPECT_ERR_OFF(subst("passwords-used: true", "passwords-used: yes"), "passwords-used: yes", 16,
		       "must be true or false");
	EXPECT_ERR(subst("        applies-when:\n          passwords-used: true\n",
			 "        applies-when: [\"passwords-used\"]\n"),
		   "[\"passwords-used\"]", "applies-when must be a mapping");
	ck_assert(tb_feature_known("debug-interface"));
	ck_assert(!tb_feature_known("wifi"));
}
END_TEST

START_TEST(covers_errors)
{
	/* Reported at the covers mapping. */
	EXPECT_ERR(subst("          en-303-645: [\"5.1-1\"]\n        applies",
			 "          en-303-645: [\"5.1-2\"]\n        applies"),
		   "en-303-645: [\"5.1-2\"]",
		   "covers.en-303-645 must include the group's provision 5.1-1");
	EXPECT_ERR(subst("en-303-645: [\"5.1-1\"]\n        applies", "en-303-645: []\n        applies"),
		   "[]", "covers.en-303-645 is empty");
	EXPECT_ERR(subst("en-303-645: [\"5.1-1\"]\n        applies",
			 "en-303-645: [\"5.1\"]\n        applies"),
		   "\"5.1\"", "'5.1' is not a provision id");
	/* Issue 13: other frameworks' items live in crosswalk files, each
	 * mapping with its authority; the suite may not claim them itself. */
	EXPECT_ERR(subst("          en-303-645: [\"5.1-1\"]\n",
			 "          en-303-645: [\"5.1-1\"]\n          psti: [1]\n"),
		   "[1]", "covers.psti: mappings to other frameworks belong in a crosswalk file");
	EXPECT_ERR(subst("          en-303-645: [\"5.1-1\"]\n", "          uk-cop: [1]\n"), "[1]",
		   "covers.uk-cop: mappings to other frameworks belong in a crosswalk file");
	EXPECT_ERR(subst("          en-303-645: [\"5.1-1\"]\n", "          other: [1]\n"), "other",
		   "unknown key 'other' in covers");
}
END_TEST

START_TEST(conceptual_family_in_functional_case)
{
	/* Reported at the check mapping. */
	EXPECT_ERR(subst("        kind: \"conceptual\"\n        title: \"Declared",
			 "        kind: \"functional\"\n        title: \"Declared"),
		   "family: \"declarations\"",
		   "family 'declarations' judges declarations only: the test case must be conceptual");
}
END_TEST

START_TEST(empty_lists)
{
	char *t = subst_n(base, "    cases:\n      - id: \"5.6-1-2\"",
			  "    cases: []\n  - provision: \"5.6-2\"\n    status: \"R\"\n    title: "
			  "\"x\"\n    cases:\n      - id: \"5.6-2-2\"",
			  1);
	EXPECT_ERR(t, "[]", "test group 5.6-1 has no test cases");
	EXPECT_ERR(dup("suite:\n  id: \"x\"\n  title: \"y\"\ngroups: []\n"), "[]",
		   "the suite has no test groups");
	EXPECT_ERR(dup("suite:\n  id: \"x\"\n  title: \"y\"\ngroups: {}\n"), "{}",
		   "groups must be a list");
	EXPECT_ERR(dup("- a\n"), "- a", "the suite file must be a mapping");
}
END_TEST

/* BUG: after a semantic error (one found by tb_y_errd) d.file points at the
 * YAML document's copy of the name, which tb_suite_parse frees before it
 * returns: printing the diagnostic reads freed memory (ASan:
 * heap-use-after-free). */
START_TEST(diag_file_after_semantic_error)
{
	char *t = subst("family: \"exposure\"", "family: \"nmap\"");
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse(NAME, t, strlen(t), &s, &d), TB_E_CONFIG);
	ck_assert_str_eq(d.file, NAME);
	char out[700];
	tb_diag_format(&d, out, sizeof out);
	ck_assert_str_eq(out,
			 "testsuites/mini.yaml:41:19: unknown check family 'nmap' "
			 "(`trustbench list` shows them)");
	free(t);
}
END_TEST

/* BUG: the loaders used to leave d.file pointing at the caller's name (the
 * fix for the case above), so a diagnostic printed after the caller freed
 * its name read freed memory (ASan: heap-use-after-free).  The diagnostic
 * owns a copy of the file name now. */
START_TEST(diag_owns_its_file_name)
{
	char *t = subst("family: \"exposure\"", "family: \"nmap\"");
	char *name = strdup(NAME);
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse(name, t, strlen(t), &s, &d), TB_E_CONFIG);
	memset(name, 'X', strlen(name));
	free(name);
	char out[700];
	tb_diag_format(&d, out, sizeof out);
	ck_assert_str_eq(out,
			 "testsuites/mini.yaml:41:19: unknown check family 'nmap' "
			 "(`trustbench list` shows them)");
	free(t);
}
END_TEST

START_TEST(load_errors)
{
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_load("testsuites/none.yaml", &s, &d), TB_E_IO);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(d.file, "testsuites/none.yaml");
	/* A YAML error passes through with its position. */
	static const char bad[] = "suite:\n  id: &a \"x\"\n";
	ck_assert_int_eq(tb_suite_parse(NAME, bad, strlen(bad), &s, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 2);
	ck_assert_uint_eq(d.col, 7);
	ck_assert_ptr_nonnull(strstr(d.msg, "anchors"));
}
END_TEST

static int in_list(const char *id, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(id, *list) == 0)
			return 1;
	return 0;
}

START_TEST(real_etsi_suite)
{
	static const char *const automated[] = {
		"4-1-1", "5.1-1-1", "5.1-1-2", "5.1-2-2", "5.2-1-1", "5.2-1-2", "5.3-13-1", "5.6-1-1",
		"5.6-1-2",
		/* firmware updates (issue 5) */
		"5.3-2-2", "5.3-7-1", "5.3-9-1", "5.3-10-1",
		/* traffic capture (issue 3) */
		"5.5-6-2", "5.8-1-2", "5.8-2-2",
		/* tls, ssh, mqtt, http-auth (issue 4) */
		"5.1-3-2", "5.5-1-2", "5.5-4-2", "5.5-5-2", "5.5-7-2",
		/* amplification, disclosure (issue 11) */
		"5.6-1-3", "5.6-2-2",
		/* brute-force protection (issue 12) */
		"5.1-5-2",
		/* robustness, a forged cloud, a lost uplink (issue 15) */
		"5.13-1-2", "5.5-1-3", "5.9-3-2", NULL
	};
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_suite_load("testsuites/etsi-en-303-645.yaml", &s, &d);
	ck_assert_msg(e == TB_OK, "%lu:%lu %s", d.line, d.col, d.msg);
	ck_assert_str_eq(s->dir, "testsuites");
	ck_assert_uint_eq(s->ngroups, 68);
	ck_assert_uint_eq(s->ncases, 111);
	for (size_t i = 0; i < s->ncases; i++) {
		const struct tb_case *c = &s->cases[i];
		ck_assert_msg(c->family != NULL, "%s has no family", c->id);
		ck_assert_uint_lt(c->group, s->ngroups);
		if (!(c->family->flags & TB_FAM_EXAMINER))
			ck_assert_msg(in_list(c->id, automated), "%s uses '%s' unexpectedly", c->id,
				      c->family->name);
		if (c->family->flags & TB_FAM_CONCEPTUAL)
			ck_assert_int_ne(c->kind, TB_KIND_FUNCTIONAL);
	}
	ck_assert_str_eq(tb_suite_find_case(s, "5.6-1-2")->family->name, "exposure");
	ck_assert_str_eq(tb_suite_find_case(s, "5.1-1-2")->family->name, "default-credentials");
	ck_assert_int_eq(tb_suite_find_case(s, "5.3-10-1")->kind, TB_KIND_BOTH);
	/* Issue 13: 5.3-9-1 runs a functional push, so it says functional. */
	ck_assert_int_eq(tb_suite_find_case(s, "5.3-9-1")->kind, TB_KIND_FUNCTIONAL);
	ck_assert_ptr_nonnull(strstr(tb_suite_find_case(s, "5.3-9-1")->title, "conceptually"));
	/* Issue 15: the forged cloud also covers the personal-data provisions. */
	const struct tb_case *ci = tb_suite_find_case(s, "5.5-1-3");
	ck_assert_str_eq(ci->family->name, "cloud-identity");
	ck_assert_uint_eq(ci->ncovers[TB_FW_EN303645], 3);
	ck_assert_str_eq(ci->covers[TB_FW_EN303645][2], "5.8-2");
	ck_assert_str_eq(tb_suite_find_case(s, "5.9-3-2")->family->name, "outage");
	tb_suite_free(s);
}
END_TEST

/* The covers of one case for one framework, space-separated ("" if none). */
static const char *covers_of(const struct tb_suite *s, const char *id, enum tb_framework f)
{
	static char buf[128];
	const struct tb_case *c = tb_suite_find_case(s, id);
	ck_assert_msg(c != NULL, "no case %s", id);
	buf[0] = '\0';
	for (size_t i = 0; i < c->ncovers[f]; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "",
			 c->covers[f][i]);
	return buf;
}

/* The real suite's crosswalks, with the mapping mistakes of issue 13 fixed. */
START_TEST(real_etsi_crosswalks)
{
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_suite_load("testsuites/etsi-en-303-645.yaml", &s, &d);
	ck_assert_msg(e == TB_OK, "%s:%lu:%lu %s", d.file, d.line, d.col, d.msg);
	ck_assert_uint_eq(s->ncrosswalks, 3);
	/* PSTI 2 is judged from the declared contact and timelines, not security.txt. */
	ck_assert_str_eq(covers_of(s, "5.2-1-1", TB_FW_PSTI), "2");
	ck_assert_str_eq(covers_of(s, "5.2-1-2", TB_FW_PSTI), "");
	ck_assert_str_eq(covers_of(s, "5.1-1-2", TB_FW_PSTI), "1");
	ck_assert_str_eq(covers_of(s, "5.3-13-1", TB_FW_PSTI), "3");
	/* OTA: the wrong mappings are gone. */
	ck_assert_str_eq(covers_of(s, "5.1-4-1", TB_FW_OTA), "");
	ck_assert_str_eq(covers_of(s, "5.1-3-2", TB_FW_OTA), "");
	ck_assert_str_eq(covers_of(s, "5.3-3-1", TB_FW_OTA), "");
	ck_assert_str_eq(covers_of(s, "5.3-5-1", TB_FW_OTA), "");
	ck_assert_str_eq(covers_of(s, "5.3-6-1", TB_FW_OTA), "");
	ck_assert_str_eq(covers_of(s, "5.3-4-1", TB_FW_OTA), "6");
	ck_assert_str_eq(covers_of(s, "5.6-1-3", TB_FW_OTA), "");
	ck_assert_str_eq(covers_of(s, "5.6-1-2", TB_FW_OTA), "11");
	/* UK CoP: 5.8-1/5.8-2 under 5 and 8; 5.3-16 no longer guessed into 3. */
	ck_assert_str_eq(covers_of(s, "5.8-1-2", TB_FW_UKCOP), "5 8");
	ck_assert_str_eq(covers_of(s, "5.8-2-2", TB_FW_UKCOP), "5 8");
	ck_assert_str_eq(covers_of(s, "5.3-16-1", TB_FW_UKCOP), "");
	ck_assert_str_eq(covers_of(s, "5.6-1-3", TB_FW_UKCOP), "6");
	ck_assert_str_eq(covers_of(s, "4-1-1", TB_FW_UKCOP), "");
	tb_suite_free(s);
}
END_TEST

START_TEST(every_profile_loads)
{
	glob_t g;
	ck_assert_int_eq(glob("profiles/*.yaml", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 4);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct tb_profile *p;
		struct tb_diag d = { 0 };
		enum tb_err e = tb_profile_load(g.gl_pathv[i], &p, &d);
		ck_assert_msg(e == TB_OK, "%s:%lu:%lu: %s", g.gl_pathv[i], d.line, d.col, d.msg);
		ck_assert_str_eq(p->path, g.gl_pathv[i]);
		tb_profile_free(p);
	}
	globfree(&g);
}
END_TEST

START_TEST(vocabulary)
{
	ck_assert_str_eq(tb_framework_key(TB_FW_UKCOP), "uk-cop");
	ck_assert_str_eq(tb_framework_key(TB_FW_COUNT), "?");
	ck_assert_str_eq(tb_framework_title(TB_FW_EN303645), "ETSI EN 303 645");
	ck_assert_str_eq(tb_kind_name(TB_KIND_BOTH), "conceptual-functional");
	ck_assert_ptr_nonnull(tb_family_find("examiner"));
	ck_assert_ptr_null(tb_family_find("nmap"));
	ck_assert_ptr_nonnull(tb_family_find("tls"));
	ck_assert_ptr_nonnull(tb_family_find("http-auth"));
	char hex[65];
	uint8_t sum[32];
	tb_sha256_mem("abc", 3, sum);
	tb_sha256_hex(sum, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

/* ---- the family contract (check/family.h) ---- */

static int is_name(const char *s)
{
	return s && *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s) &&
	       s[0] != '-' && s[strlen(s) - 1] != '-';
}

/* One family's parameter table: names, help, types, ranges, choices and
 * defaults are all usable as the loader and `list` use them. */
static void param_table_ok(const struct tb_check_family *f)
{
	ck_assert_msg(f->nparams == 0 || f->params, "%s: params", f->name);
	for (size_t j = 0; j < f->nparams; j++) {
		const struct tb_param_def *p = &f->params[j];
		ck_assert_msg(is_name(p->name), "%s: parameter name '%s'", f->name, p->name);
		for (size_t k = 0; k < j; k++)
			ck_assert_msg(strcmp(f->params[k].name, p->name) != 0, "%s: '%s' twice",
				      f->name, p->name);
		ck_assert_msg(p->help && p->help[0], "%s.%s: no help", f->name, p->name);
		/* a default is written once, in .dflt, never in the help text */
		ck_assert_msg(!strstr(p->help, "(default "), "%s.%s: default in help", f->name,
			      p->name);
		ck_assert_msg(p->type <= TB_P_INTLIST, "%s.%s: type", f->name, p->name);
		int ints = p->type == TB_P_INT || p->type == TB_P_INTLIST;
		ck_assert_msg(!ints || p->min <= p->max, "%s.%s: min > max", f->name, p->name);
		int strs = p->type == TB_P_STR || p->type == TB_P_STRLIST;
		ck_assert_msg(!p->choices || (strs && p->choices[0]), "%s.%s: choices", f->name,
			      p->name);
		ck_assert_msg(!(p->required && p->dflt), "%s.%s: required with a default", f->name,
			      p->name);
		if (!p->dflt)
			continue;
		struct tb_param v;
		struct tb_diag d = { 0 };
		ck_assert_msg(tb_param_default(p, &v, &d) == TB_OK, "%s.%s: default: %s", f->name,
			      p->name, d.msg);
		ck_assert_ptr_eq(v.def, p);
		tb_param_clear(&v);
	}
}

START_TEST(registry_invariants)
{
	/* checks.def is the registry: one family per line, in that order,
	 * named as its file (chk_<name>.c, '_' for '-'). */
#define TB_CHECK(name) #name,
	static const char *const def_names[] = {
#include "check/checks.def"
	};
#undef TB_CHECK
	ck_assert_uint_eq(tb_nfamilies, sizeof def_names / sizeof def_names[0]);
	for (size_t i = 0; i < tb_nfamilies; i++) {
		const struct tb_check_family *f = tb_families[i];
		char expect[64];
		snprintf(expect, sizeof expect, "%s", def_names[i]);
		for (char *c = expect; *c; c++)
			*c = *c == '_' ? '-' : *c;
		ck_assert_str_eq(f->name, expect);
		ck_assert_msg(is_name(f->name), "family name '%s'", f->name);
		ck_assert_ptr_eq(tb_family_find(f->name), f); /* names are unique */
		ck_assert_msg(f->summary && f->summary[0], "%s: no summary", f->name);
		ck_assert_msg(f->run != NULL, "%s: no run", f->name);
		ck_assert_msg(!f->prepare == !f->unprepare, "%s: prepare without unprepare", f->name);
		ck_assert_msg((f->flags & ~(unsigned)(TB_FAM_INTRUSIVE | TB_FAM_CONCEPTUAL |
						      TB_FAM_EXAMINER | TB_FAM_AFTER_ACTIVE)) == 0,
			      "%s: unknown flag", f->name);
		/* judging declarations only cannot be intrusive to the device */
		ck_assert_msg(!((f->flags & TB_FAM_CONCEPTUAL) && (f->flags & TB_FAM_INTRUSIVE)),
			      "%s: conceptual and intrusive", f->name);
		param_table_ok(f);
	}
}
END_TEST

/* A bad default is refused with the reason, and nothing leaks. */
START_TEST(param_default_refused)
{
	static const char *const choices[] = { "a", "b", NULL };
	static const struct tb_param_def bad[] = {
		{ .name = "n", .type = TB_P_INT, .min = 1, .max = 10, .dflt = "11" },
		{ .name = "n", .type = TB_P_INT, .min = 1, .max = 10, .dflt = "1x" },
		{ .name = "b", .type = TB_P_BOOL, .dflt = "yes" },
		{ .name = "s", .type = TB_P_STR, .choices = choices, .dflt = "c" },
		{ .name = "l", .type = TB_P_INTLIST, .min = 1, .max = 10, .dflt = "[1, 2, 30]" },
		{ .name = "l", .type = TB_P_STRLIST, .choices = choices, .dflt = "[a, c]" },
		{ .name = "l", .type = TB_P_STRLIST, .dflt = "a, b" },
		{ .name = "l", .type = TB_P_STRLIST, .dflt = "[a, , b]" },
		{ .name = "x", .type = TB_P_STR },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tb_param v;
		struct tb_diag d = { 0 };
		ck_assert_msg(tb_param_default(&bad[i], &v, &d) == TB_E_CONFIG, "bad default %zu", i);
		ck_assert_ptr_nonnull(strstr(d.msg, bad[i].name));
	}
	static const struct tb_param_def good = { .name = "l",
						  .type = TB_P_STRLIST,
						  .choices = choices,
						  .dflt = "[a,  b]" };
	struct tb_param v;
	ck_assert_int_eq(tb_param_default(&good, &v, NULL), TB_OK);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_str_eq(v.sl[0], "a");
	ck_assert_str_eq(v.sl[1], "b");
	tb_param_clear(&v);
}
END_TEST

/* What a suite leaves out comes from the family's table; what it sets wins. */
START_TEST(defaults_filled_in)
{
	struct tb_suite *s = load_ok(base);
	const struct tb_case *c = tb_suite_find_case(s, "5.1-1-2");     /* default-credentials */
	ck_assert_int_eq(tb_param_int(&c->params, "max-attempts"), 10); /* set */
	ck_assert_int_eq(tb_param_int(&c->params, "attempt-delay-ms"), 50);
	ck_assert_int_eq(tb_param_int(&c->params, "time-budget-s"), 300);
	ck_assert_str_eq(tb_param_str(&c->params, "list"), "data/mirai-default-credentials.tsv");
	const struct tb_param *tp = tb_param_get(&c->params, "telnet-ports");
	ck_assert_ptr_nonnull(tp);
	ck_assert_uint_eq(tp->n, 2);
	ck_assert_int_eq(tp->il[0], 23);
	ck_assert_int_eq(tp->il[1], 2323);
	ck_assert_ptr_null(c->prep);          /* parsed from memory: never prepared */
	c = tb_suite_find_case(s, "5.1-1-1"); /* declarations: no defaults */
	ck_assert_uint_eq(c->params.n, 1);
	tb_suite_free(s);
}
END_TEST

/* Write base (with the credential list param replaced by list_line) as
 * dir/suite.yaml and load it from the file. */
static enum tb_err load_with_list(const char *dir, const char *list_line, struct tb_suite **s,
				  struct tb_diag *d)
{
	char path[512];
	const char *at = strstr(base, "            max-attempts: 10\n");
	ck_assert_ptr_nonnull(at);
	snprintf(path, sizeof path, "%s/suite.yaml", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s%s%s", (int)(at - base), base, list_line, at);
	fclose(f);
	return tb_suite_load(path, s, d);
}

/* BUG: the credential list was read inside run(), so `validate` and the
 * loader accepted a suite whose list is missing or malformed; the run only
 * found out later (as an ERROR verdict, after dropping privileges). */
START_TEST(credential_list_checked_at_load)
{
	char dir[] = "/tmp/tb-suite-prep-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char p[600];
	snprintf(p, sizeof p, "%s/bad.tsv", dir);
	FILE *f = fopen(p, "w");
	fputs("root\txc3511\nno tab here\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/good.tsv", dir);
	f = fopen(p, "w");
	fputs("root\txc3511\nadmin\tadmin\n", f);
	fclose(f);

	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(load_with_list(dir, "            list: \"missing.tsv\"\n", &s, &d),
			 TB_E_CONFIG);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(d.msg, "test case 5.1-1-2: the credential list"));
	ck_assert_ptr_nonnull(strstr(d.file, "/suite.yaml"));
	ck_assert_uint_eq(d.line, 21); /* where the test case starts */

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(load_with_list(dir, "            list: \"bad.tsv\"\n", &s, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "line 2: expected username<TAB>password"));

	ck_assert_int_eq(load_with_list(dir, "            list: \"good.tsv\"\n", &s, &d), TB_OK);
	ck_assert_ptr_nonnull(tb_suite_find_case(s, "5.1-1-2")->prep);
	ck_assert_ptr_null(tb_suite_find_case(s, "5.1-1-1")->prep); /* no prepare hook */
	tb_suite_free(s);

	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(p), 0);
}
END_TEST

Suite *suite_suite(void)
{
	Suite *s = suite_create("suite");
	TCase *tc = tcase_create("loader");
	tcase_add_test(tc, minimal_valid);
	tcase_add_test(tc, kind_both_and_crosswalk_paths);
	tcase_add_test(tc, unknown_top_key);
	tcase_add_test(tc, missing_keys);
	tcase_add_test(tc, unknown_key_in_case);
	tcase_add_test(tc, duplicate_test_id);
	tcase_add_test(tc, case_id_format);
	tcase_add_test(tc, bad_provision_id);
	tcase_add_test(tc, duplicate_group);
	tcase_add_test(tc, bad_status);
	tcase_add_test(tc, bad_kind);
	tcase_add_test(tc, unknown_family);
	tcase_add_test(tc, unknown_param);
	tcase_add_test(tc, param_wrong_type);
	tcase_add_test(tc, missing_required_param);
	tcase_add_test(tc, param_outside_choices);
	tcase_add_test(tc, strlist_choice_refused_without_leak);
	tcase_add_test(tc, applies_when_errors);
	tcase_add_test(tc, covers_errors);
	tcase_add_test(tc, conceptual_family_in_functional_case);
	tcase_add_test(tc, empty_lists);
	tcase_add_test(tc, load_errors);
	tcase_add_test(tc, diag_file_after_semantic_error);
	tcase_add_test(tc, diag_owns_its_file_name);
	suite_add_tcase(s, tc);
	TCase *real = tcase_create("real-files");
	tcase_add_test(real, real_etsi_suite);
	tcase_add_test(real, real_etsi_crosswalks);
	tcase_add_test(real, every_profile_loads);
	tcase_add_test(real, vocabulary);
	suite_add_tcase(s, real);
	TCase *fam = tcase_create("family-contract");
	tcase_add_test(fam, registry_invariants);
	tcase_add_test(fam, param_default_refused);
	tcase_add_test(fam, defaults_filled_in);
	tcase_add_test(fam, credential_list_checked_at_load);
	suite_add_tcase(s, fam);
	return s;
}
