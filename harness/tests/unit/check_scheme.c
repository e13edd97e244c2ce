/* check_scheme.c: unit tests for the scheme loader (load/scheme.h) and the
 * shipped schemes in testsuites/schemes/. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/scheme.h"
#include "load/scheme_internal.h"
#include "suites.h"

#define NAME "schemes/t.yaml"

/* A valid levelled scheme; the bad cases below change one thing each. */
#define HEAD \
	"scheme:\n" \
	"  id: \"t\"\n" \
	"  name: \"T\"\n" \
	"  version: \"1\"\n" \
	"  levelled: true\n" \
	"  framework: \"en-303-645\"\n" \
	"  validity-months: 36\n" \
	"  label-url-template: \"https://r.example.test/s/{statement-sha256}\"\n" \
	"  met-by: [\"pass\", \"not-applicable\"]\n" \
	"  judged: \"j\"\n"
#define ITEMS \
	"items:\n" \
	"  - {id: \"a\", title: \"A\", ref: \"5.1-1\"}\n" \
	"  - {id: \"b\", title: \"B\", ref: \"5.2-1\"}\n" \
	"  - {id: \"x\", title: \"X\", not-judged: \"no\"}\n"
#define LEVELS \
	"levels:\n" \
	"  - {level: 1, name: \"L1\", requires: [\"a\"]}\n" \
	"  - {level: 2, name: \"L2\", assessor: \"lab\", requires: [\"b\"]}\n" \
	"  - {level: 3, name: \"L3\", requires: [\"x\"], unreachable: \"pen test\"}\n"

START_TEST(valid_levelled)
{
	static const char y[] = HEAD ITEMS LEVELS;
	struct tb_scheme *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_scheme_parse(NAME, y, strlen(y), &s, &d), TB_OK);
	ck_assert_str_eq(s->id, "t");
	ck_assert_int_eq(s->levelled, 1);
	ck_assert_int_eq(s->validity_months, 36);
	ck_assert_uint_eq(s->met_by, (1u << TB_SR_PASS) | (1u << TB_SR_NA));
	ck_assert_uint_eq(s->nitems, 3);
	ck_assert_ptr_null(s->items[2].ref);
	ck_assert_str_eq(s->items[2].not_judged, "no");
	ck_assert_uint_eq(s->nlevels, 3);
	ck_assert_int_eq(s->levels[1].lab_only, 1);
	ck_assert_str_eq(s->levels[2].unreachable, "pen test");
	ck_assert_ptr_nonnull(tb_scheme_item(s, "b"));
	ck_assert_ptr_null(tb_scheme_item(s, "z"));
	tb_scheme_free(s);
}
END_TEST

static const struct {
	const char *yaml, *msg;
	unsigned long line;
} bad[] = {
	{ HEAD ITEMS LEVELS "extra: 1\n", "unknown key 'extra'", 19 },
	{ HEAD "  colour: \"red\"\n" ITEMS LEVELS, "unknown key 'colour'", 11 },
	{ "scheme:\n  id: \"T!\"\n" ITEMS LEVELS, "lacks required key 'name'", 0 },
	{ HEAD ITEMS "  - {id: \"a\", title: \"A2\", ref: \"5.1-2\"}\n" LEVELS, "duplicate item id 'a'",
	  15 },
	{ HEAD ITEMS "  - {id: \"y\", title: \"Y\"}\n" LEVELS, "exactly one of ref", 15 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L1\", requires: [\"zz\"]}\n", "unknown item 'zz'",
	  16 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L1\", requires: [\"x\"]}\n", "cannot judge", 16 },
	{ HEAD ITEMS "levels:\n  - {level: 2, name: \"L\", requires: [\"a\"]}\n", "expected 1", 16 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L\", requires: [\"a\", \"a\"]}\n",
	  "required twice", 16 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L\", requires: [\"x\"], unreachable: \"u\"}\n",
	  "level 1 is unreachable", 16 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L\", requires: [\"a\"]}\n"
		     "  - {level: 2, name: \"M\", requires: [\"x\"], unreachable: \"u\"}\n"
		     "  - {level: 3, name: \"N\", requires: [\"b\"]}\n",
	  "above an unreachable level", 18 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L\", assessor: \"anyone\", requires: [\"a\"]}\n",
	  "lab or any", 16 },
	{ HEAD ITEMS "levels:\n  - {level: 1, name: \"L\"}\n", "requires no item", 16 },
};

/* Each bad scheme is refused with file:line:col and the reason. */
START_TEST(errors_have_positions)
{
	struct tb_scheme *s = (struct tb_scheme *)1;
	struct tb_diag d = { 0 };
	ck_assert_int_ne(tb_scheme_parse(NAME, bad[_i].yaml, strlen(bad[_i].yaml), &s, &d), TB_OK);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(d.msg, bad[_i].msg), "case %d: '%s' lacks '%s'", _i, d.msg, bad[_i].msg);
	ck_assert_str_eq(d.file, NAME);
	if (bad[_i].line)
		ck_assert_msg(d.line == bad[_i].line, "case %d: line %lu, expected %lu", _i, d.line,
			      bad[_i].line);
	ck_assert_uint_gt(d.col, 0);
}
END_TEST

/* Header values: the framework, met-by, the URL template's host and
 * placeholder, the validity period, and one level for a pass/fail scheme. */
START_TEST(header_values_checked)
{
	static const char *const cases[][2] = {
		{ "framework: \"en-303-645\"", "framework: \"nist\"" },
		{ "met-by: [\"pass\", \"not-applicable\"]", "met-by: [\"pass\", \"fail\"]" },
		{ "met-by: [\"pass\", \"not-applicable\"]", "met-by: [\"not-applicable\"]" },
		{ "https://r.example.test/s/{statement-sha256}",
		  "https://registry.com/{statement-sha256}" },
		{ "https://r.example.test/s/{statement-sha256}",
		  "http://r.example.test/{statement-sha256}" },
		{ "https://r.example.test/s/{statement-sha256}", "https://r.example.test/s/" },
		{ "validity-months: 36", "validity-months: 0" },
		{ "levelled: true", "levelled: false" },
	};
	static const char base[] = HEAD ITEMS LEVELS;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char y[4096];
		const char *at = strstr(base, cases[i][0]);
		ck_assert_ptr_nonnull(at);
		snprintf(y, sizeof y, "%.*s%s%s", (int)(at - base), base, cases[i][1],
			 at + strlen(cases[i][0]));
		struct tb_scheme *s;
		struct tb_diag d = { 0 };
		ck_assert_msg(tb_scheme_parse(NAME, y, strlen(y), &s, &d) == TB_E_CONFIG,
			      "case %zu accepted", i);
		ck_assert_uint_gt(d.line, 0);
	}
}
END_TEST

START_TEST(reserved_hosts_only)
{
	ck_assert(url_host_reserved("https://registry.example.test/s/x"));
	ck_assert(url_host_reserved("https://labels.example/x"));
	ck_assert(!url_host_reserved("https://example.com/x"));
	ck_assert(!url_host_reserved("https://evil.test.com/x"));
	ck_assert(!url_host_reserved("https://x.example.test"));   /* no path */
	ck_assert(!url_host_reserved("https://X.EXAMPLE.TEST/x")); /* lower case only */
	ck_assert(!url_host_reserved("https://u@x.test/x"));
	ck_assert(!url_host_reserved("https://x.test:443/x"));
	ck_assert(!url_host_reserved("ftp://x.test/x"));
}
END_TEST

/* The shipped schemes load and say what they cannot judge. */
START_TEST(shipped_schemes)
{
	struct tb_scheme *s;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_scheme_load("testsuites/schemes/psti.yaml", &s, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(s->levelled, 0);
	ck_assert_uint_eq(s->nlevels, 1);
	ck_assert_uint_eq(s->levels[0].nrequires, 3);
	ck_assert_uint_eq(s->met_by, 1u << TB_SR_PASS); /* n/a never meets a PSTI requirement */
	size_t unjudged = 0;
	for (size_t i = 0; i < s->nitems; i++)
		unjudged += s->items[i].ref == NULL;
	ck_assert_uint_ge(unjudged, 3);
	tb_scheme_free(s);
	ck_assert_msg(tb_scheme_load("testsuites/schemes/en-303-645.yaml", &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_uint_eq(s->nitems, 68);
	tb_scheme_free(s);
	ck_assert_msg(tb_scheme_load("testsuites/schemes/cls-style.yaml", &s, &d) == TB_OK, "%s",
		      d.msg);
	ck_assert_int_eq(s->levelled, 1);
	ck_assert_uint_eq(s->nlevels, 4);
	ck_assert_ptr_nonnull(s->levels[3].unreachable);
	ck_assert_int_eq(s->levels[2].lab_only, 1);
	tb_scheme_free(s);
}
END_TEST

START_TEST(find_refuses_odd_ids)
{
	struct tb_scheme *s;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_scheme_find("Not An Id", &s, &d), TB_E_CONFIG);
	ck_assert_ptr_null(s);
	ck_assert_int_ne(tb_scheme_find("testsuites/schemes/none.yaml", &s, &d), TB_OK);
	ck_assert_int_eq(tb_scheme_find("testsuites/schemes/psti.yaml", &s, &d), TB_OK);
	tb_scheme_free(s);
}
END_TEST

Suite *scheme_suite(void)
{
	Suite *s = suite_create("scheme");
	TCase *t = tcase_create("load");
	tcase_add_test(t, valid_levelled);
	tcase_add_loop_test(t, errors_have_positions, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(t, header_values_checked);
	tcase_add_test(t, reserved_hosts_only);
	tcase_add_test(t, shipped_schemes);
	tcase_add_test(t, find_refuses_odd_ids);
	suite_add_tcase(s, t);
	return s;
}
