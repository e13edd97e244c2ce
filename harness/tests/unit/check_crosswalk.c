/* check_crosswalk.c: unit tests for the crosswalk loader (crosswalk.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/crosswalk.h"
#include "load/suite.h"
#include "suites.h"

#define XNAME "testsuites/crosswalks/mini-to-psti.yaml"

/* A small suite: two groups, three cases. */
static const char suite_text[] =
	"suite:\n"
	"  id: \"mini\"\n"
	"  title: \"Mini\"\n"
	"  standard: \"ETSI EN 303 645 V2.1.1\"\n"
	"groups:\n"
	"  - provision: \"5.1-1\"\n"
	"    status: \"M\"\n"
	"    title: \"Passwords\"\n"
	"    cases:\n"
	"      - id: \"5.1-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"a\"\n"
	"        covers: { en-303-645: [\"5.1-1\"] }\n"
	"        check: { family: \"examiner\", params: { guidance: \"g\", ixit: [\"1-AuthMech\"] } }\n"
	"  - provision: \"5.2-1\"\n"
	"    status: \"M\"\n"
	"    title: \"Disclosure\"\n"
	"    cases:\n"
	"      - id: \"5.2-1-1\"\n"
	"        kind: \"conceptual\"\n"
	"        title: \"b\"\n"
	"        covers: { en-303-645: [\"5.2-1\"] }\n"
	"        check: { family: \"examiner\", params: { guidance: \"h\", ixit: [\"2-UserInfo\"] } }\n"
	"      - id: \"5.2-1-2\"\n"
	"        kind: \"functional\"\n"
	"        title: \"c\"\n"
	"        covers: { en-303-645: [\"5.2-1\"] }\n"
	"        check: { family: \"examiner\", params: { guidance: \"i\", ixit: [\"2-UserInfo\"] } "
	"}\n";

/* A valid crosswalk; each negative test changes one fragment of it. */
static const char base[] =
	"crosswalk:\n"
	"  from: \"en-303-645\"\n"
	"  standard: \"ETSI EN 303 645 V2.1.1\"\n"
	"  to: \"psti\"\n"
	"  title: \"PSTI\"\n"
	"  judged: \"requirements 1 and 2\"\n"
	"  not-judged: \"the statement of compliance\"\n"
	"mappings:\n"
	"  - item: 1\n"
	"    provisions: [\"5.1-1\"]\n"
	"    authority: \"legislated\"\n"
	"    source: \"the regulations\"\n"
	"  - item: 2\n"
	"    provisions: [\"5.2-1\"]\n"
	"    cases: [\"5.2-1-1\"]\n"
	"    authority: \"published\"\n"
	"    source: \"someone\"\n"
	"    note: \"contact and timelines only\"\n"
	"  - item: 3\n"
	"    provisions: [\"5.1-1\", \"5.2-1\"]\n"
	"    authority: \"derived\"\n"
	"    rationale: \"ours\"\n";

static struct tb_suite *mini_suite(void)
{
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_suite_parse("testsuites/mini.yaml", suite_text, strlen(suite_text), &s, &d);
	ck_assert_msg(e == TB_OK, "suite: %lu:%lu %s", d.line, d.col, d.msg);
	return s;
}

/* base with the first occurrence of from replaced by to. */
static char *subst(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	ck_assert_msg(at != NULL, "fragment '%s' not in base", from);
	size_t pre = (size_t)(at - base), fl = strlen(from), tl = strlen(to);
	char *out = malloc(strlen(base) - fl + tl + 1);
	memcpy(out, base, pre);
	memcpy(out + pre, to, tl);
	strcpy(out + pre + tl, at + fl);
	return out;
}

static void pos_of(const char *text, const char *needle, unsigned long *line, unsigned long *col)
{
	const char *at = strstr(text, needle);
	ck_assert_msg(at != NULL, "needle '%s' not found", needle);
	*line = 1;
	const char *bol = text;
	for (const char *p = text; p < at; p++)
		if (*p == '\n') {
			(*line)++;
			bol = p + 1;
		}
	*col = (unsigned long)(at - bol) + 1;
}

/* Expect a load error (against the mini suite) at needle's position. */
static void expect_err(int caller, char *text, const char *needle, const char *phrase)
{
	struct tb_suite *s = mini_suite();
	struct tb_crosswalk *x = (struct tb_crosswalk *)1;
	struct tb_diag d = { 0 };
	unsigned long line, col;
	pos_of(text, needle, &line, &col);
	enum tb_err e = tb_crosswalk_parse(XNAME, text, strlen(text), s, &x, &d);
	ck_assert_msg(e == TB_E_CONFIG, "line %d: expected TB_E_CONFIG, got %d", caller, e);
	ck_assert_msg(x == NULL, "line %d: *out not NULL", caller);
	ck_assert_msg(d.line == line && d.col == col, "line %d: expected %lu:%lu, got %lu:%lu (%s)",
		      caller, line, col, d.line, d.col, d.msg);
	ck_assert_msg(strstr(d.msg, phrase) != NULL, "line %d: '%s' not in '%s'", caller, phrase,
		      d.msg);
	ck_assert_str_eq(d.file, XNAME);
	free(text);
	tb_suite_free(s);
}
#define EXPECT_ERR(text, needle, phrase) expect_err(__LINE__, text, needle, phrase)

static const char *covers(const struct tb_suite *s, const char *id, enum tb_framework f)
{
	static char buf[64];
	const struct tb_case *c = tb_suite_find_case(s, id);
	buf[0] = '\0';
	for (size_t i = 0; c && i < c->ncovers[f]; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? " " : "",
			 c->covers[f][i]);
	return buf;
}

START_TEST(good_file_fills_covers)
{
	struct tb_suite *s = mini_suite();
	struct tb_crosswalk *x;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_crosswalk_parse(XNAME, base, strlen(base), s, &x, &d);
	ck_assert_msg(e == TB_OK, "%lu:%lu %s", d.line, d.col, d.msg);
	ck_assert_int_eq(x->to, TB_FW_PSTI);
	ck_assert_str_eq(x->judged, "requirements 1 and 2");
	ck_assert_str_eq(x->not_judged, "the statement of compliance");
	ck_assert_uint_eq(x->nmaps, 3);
	ck_assert_str_eq(x->maps[0].item, "1");
	ck_assert_int_eq(x->maps[0].authority, TB_AUTH_LEGISLATED);
	ck_assert_str_eq(x->maps[0].source, "the regulations");
	ck_assert_int_eq(x->maps[1].authority, TB_AUTH_PUBLISHED);
	ck_assert_uint_eq(x->maps[1].ncases, 1);
	ck_assert_str_eq(x->maps[1].note, "contact and timelines only");
	ck_assert_int_eq(x->maps[2].authority, TB_AUTH_DERIVED);
	ck_assert_str_eq(x->maps[2].rationale, "ours");
	ck_assert_ptr_null(x->maps[2].source);
	ck_assert_uint_eq(x->maps[2].line, 19);

	ck_assert_int_eq(tb_crosswalk_apply(s, x, &d), TB_OK);
	ck_assert_ptr_eq(tb_suite_crosswalk(s, TB_FW_PSTI), x);
	ck_assert_ptr_null(tb_suite_crosswalk(s, TB_FW_OTA));
	ck_assert_str_eq(covers(s, "5.1-1-1", TB_FW_PSTI), "1 3");
	ck_assert_str_eq(covers(s, "5.2-1-1", TB_FW_PSTI), "2 3");
	/* cases: restricts item 2 to 5.2-1-1; item 3 reaches every case. */
	ck_assert_str_eq(covers(s, "5.2-1-2", TB_FW_PSTI), "3");
	ck_assert_str_eq(covers(s, "5.2-1-2", TB_FW_EN303645), "5.2-1");

	/* A second crosswalk to the same framework is refused, named by file. */
	struct tb_crosswalk *y;
	ck_assert_int_eq(tb_crosswalk_parse("other.yaml", base, strlen(base), s, &y, &d), TB_OK);
	ck_assert_int_eq(tb_crosswalk_apply(s, y, &d), TB_E_CONFIG);
	ck_assert_str_eq(d.file, "other.yaml");
	ck_assert_ptr_nonnull(strstr(d.msg, "already has a crosswalk to psti"));
	tb_crosswalk_free(y);
	tb_suite_free(s); /* frees x with it */
	ck_assert_str_eq(tb_authority_name(TB_AUTH_SUITE), "suite");
	ck_assert_str_eq(tb_authority_name(TB_AUTH_DERIVED), "derived");
}
END_TEST

START_TEST(shape_only_without_suite)
{
	/* Without a suite, provisions are checked for their form only. */
	char *t = subst("provisions: [\"5.1-1\"]\n", "provisions: [\"5.9-9\"]\n");
	struct tb_crosswalk *x;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_crosswalk_parse(XNAME, t, strlen(t), NULL, &x, &d), TB_OK);
	ck_assert_str_eq(x->maps[0].provisions[0], "5.9-9");
	tb_crosswalk_free(x);
	free(t);
	tb_crosswalk_free(NULL);
}
END_TEST

START_TEST(header_errors)
{
	EXPECT_ERR(subst("  title: \"PSTI\"\n", ""), "from:", "crosswalk lacks required key 'title'");
	EXPECT_ERR(subst("  title: \"PSTI\"\n", "  title: \"PSTI\"\n  extra: 1\n"), "extra",
		   "unknown key 'extra' in crosswalk");
	EXPECT_ERR(subst("from: \"en-303-645\"", "from: \"uk-cop\""), "\"uk-cop\"",
		   "crosswalk.from must be en-303-645");
	EXPECT_ERR(subst("to: \"psti\"", "to: \"en-303-645\""), "\"en-303-645\"\n  title",
		   "crosswalk.to must be uk-cop, psti or ota, not 'en-303-645'");
	EXPECT_ERR(subst("to: \"psti\"", "to: \"nist\""), "\"nist\"", "not 'nist'");
	EXPECT_ERR(subst("standard: \"ETSI EN 303 645 V2.1.1\"",
			 "standard: \"ETSI EN 303 645 V3.1.3\""),
		   "\"ETSI EN 303 645 V3.1.3\"", "but the suite is 'ETSI EN 303 645 V2.1.1'");
	EXPECT_ERR(subst("mappings:\n", "mappings: []\nx:\n"), "x:", "unknown key 'x'");
}
END_TEST

START_TEST(mapping_errors)
{
	EXPECT_ERR(subst("  - item: 1\n", "  - item: 4\n"), "4\n", "psti must be between 1 and 3");
	EXPECT_ERR(subst("  - item: 1\n", "  - item: \"1\"\n"), "\"1\"", "not a quoted string");
	EXPECT_ERR(subst("    authority: \"legislated\"\n", "    authority: \"folklore\"\n"),
		   "\"folklore\"", "authority must be legislated, published or derived");
	EXPECT_ERR(subst("    rationale: \"ours\"\n", ""), "\"derived\"",
		   "a derived mapping needs a rationale");
	EXPECT_ERR(subst("    source: \"someone\"\n", ""), "\"published\"",
		   "a published mapping needs a source");
	EXPECT_ERR(subst("    source: \"the regulations\"\n",
			 "    source: \"the regulations\"\n    rationale: \"why\"\n"),
		   "\"why\"", "only a derived mapping has a rationale");
	EXPECT_ERR(subst("rationale: \"ours\"", "rationale: \"line one\\nline two\""), "\"line one",
		   "rationale must be one line");
	EXPECT_ERR(subst("    note: \"contact", "    notes: \"contact"), "notes",
		   "unknown key 'notes' in a mapping");
	EXPECT_ERR(subst("  - item: 1\n", "  - \n"), "provisions: [\"5.1-1\"]\n    authority: \"leg",
		   "a mapping lacks required key 'item'");
}
END_TEST

START_TEST(provision_and_case_errors)
{
	EXPECT_ERR(subst("provisions: [\"5.1-1\"]\n", "provisions: [\"5.3-1\"]\n"), "\"5.3-1\"",
		   "provision 5.3-1 has no test group in the suite mini");
	EXPECT_ERR(subst("provisions: [\"5.1-1\"]\n", "provisions: [\"5.1\"]\n"), "\"5.1\"",
		   "'5.1' is not a provision id");
	EXPECT_ERR(subst("provisions: [\"5.1-1\"]\n", "provisions: []\n"), "[]", "provisions is empty");
	EXPECT_ERR(subst("provisions: [\"5.1-1\"]\n", "provisions: [\"5.1-1\", \"5.1-1\"]\n"),
		   "\"5.1-1\"]", "'5.1-1' is listed twice in provisions");
	EXPECT_ERR(subst("cases: [\"5.2-1-1\"]", "cases: [\"5.2-1-9\"]"), "\"5.2-1-9\"",
		   "the suite mini has no test case 5.2-1-9");
	EXPECT_ERR(subst("cases: [\"5.2-1-1\"]", "cases: [\"5.1-1-1\"]"), "\"5.1-1-1\"",
		   "test case 5.1-1-1 belongs to none of the mapping's provisions");
	EXPECT_ERR(subst("cases: [\"5.2-1-1\"]", "cases: [\"5.2-1\"]"), "\"5.2-1\"]\n    authority",
		   "'5.2-1' is not a test case id");
	/* The same item from the same provision twice: the second is refused. */
	EXPECT_ERR(subst("  - item: 3\n", "  - item: 1\n"), "\"5.1-1\", \"5.2-1\"",
		   "psti 1 is already mapped from 5.1-1 (line 9)");
}
END_TEST

/* tb_suite_load reads the crosswalks the suite names, relative to it. */
START_TEST(suite_load_reads_named_crosswalks)
{
	char dir[] = "/tmp/tb-xw-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char sp[64], xp[80], sub[64];
	snprintf(sub, sizeof sub, "%s/crosswalks", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(sp, sizeof sp, "%s/suite.yaml", dir);
	snprintf(xp, sizeof xp, "%s/crosswalks/psti.yaml", dir);
	FILE *f = fopen(sp, "w");
	fputs("suite:\n  crosswalks: [\"crosswalks/psti.yaml\"]\n", f);
	fputs(strstr(suite_text, "  id:"), f);
	fclose(f);
	f = fopen(xp, "w");
	fputs(base, f);
	fclose(f);

	struct tb_suite *s;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_suite_load(sp, &s, &d);
	ck_assert_msg(e == TB_OK, "%s:%lu:%lu %s", d.file, d.line, d.col, d.msg);
	ck_assert_uint_eq(s->ncrosswalks, 1);
	ck_assert_str_eq(s->crosswalks[0]->path, xp);
	ck_assert_str_eq(covers(s, "5.2-1-1", TB_FW_PSTI), "2 3");
	tb_suite_free(s);

	/* An error in the crosswalk names the crosswalk file and position. */
	f = fopen(xp, "w");
	fputs(base, f);
	fputs("  - item: 9\n    provisions: [\"5.1-1\"]\n    authority: \"derived\"\n    rationale: "
	      "\"r\"\n",
	      f);
	fclose(f);
	ck_assert_int_eq(tb_suite_load(sp, &s, &d), TB_E_CONFIG);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(d.file, xp);
	ck_assert_uint_eq(d.line, 23);
	ck_assert_uint_eq(d.col, 11);

	/* A missing crosswalk file fails the suite. */
	unlink(xp);
	ck_assert_int_ne(tb_suite_load(sp, &s, &d), TB_OK);
	ck_assert_ptr_null(s);
	unlink(sp);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

START_TEST(absolute_crosswalk_path_refused)
{
	char *t = malloc(sizeof suite_text + 64);
	strcpy(t, "suite:\n  crosswalks: [\"/etc/x.yaml\"]\n");
	strcat(t, strstr(suite_text, "  id:"));
	struct tb_suite *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_suite_parse("s.yaml", t, strlen(t), &s, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 2);
	ck_assert_uint_eq(d.col, 16);
	ck_assert_ptr_nonnull(strstr(d.msg, "must be relative to the suite's directory"));
	free(t);
}
END_TEST

Suite *crosswalk_suite(void)
{
	Suite *s = suite_create("crosswalk");
	TCase *tc = tcase_create("loader");
	tcase_add_test(tc, good_file_fills_covers);
	tcase_add_test(tc, shape_only_without_suite);
	tcase_add_test(tc, header_errors);
	tcase_add_test(tc, mapping_errors);
	tcase_add_test(tc, provision_and_case_errors);
	tcase_add_test(tc, suite_load_reads_named_crosswalks);
	tcase_add_test(tc, absolute_crosswalk_path_refused);
	suite_add_tcase(s, tc);
	return s;
}
