/* check_suite_v3.c: the generated EN 303 645 V3.1.3 suite
 * (testsuites/etsi-en-303-645-v3.yaml, harness/tools/gen-etsi-v3-suite.py)
 * loads and has V3's shape: its provisions with the splits, renumbering and
 * new ones, its statuses with features, only en-303-645 in covers, and the
 * automated cases on the check families the V2.1.1 suite uses for the same
 * test.  Also the loader's grammar for V3 statuses. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "load/suite.h"
#include "suites.h"

#define V3_SUITE "testsuites/etsi-en-303-645-v3.yaml"

static struct tb_suite *load_v3(void)
{
	struct tb_suite *s = NULL;
	struct tb_diag d = { .msg = "" };
	ck_assert_msg(tb_suite_load(V3_SUITE, &s, &d) == TB_OK, "%s", d.msg);
	return s;
}

static const struct tb_group *group(const struct tb_suite *s, const char *provision)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i].provision, provision) == 0)
			return &s->groups[i];
	return NULL;
}

START_TEST(v3_suite_has_every_provision_of_v3)
{
	struct tb_suite *s = load_v3();
	unsigned mandatory = 0;

	ck_assert_str_eq(s->standard, "ETSI EN 303 645 V3.1.3");
	ck_assert_str_eq(s->method, "ETSI TS 103 701 V2.1.1");
	ck_assert_uint_eq(s->ngroups, 78);
	for (size_t i = 0; i < s->ngroups; i++)
		mandatory += tb_status_mandatory(s->groups[i].status) != 0;
	ck_assert_uint_eq(mandatory, 36);
	/* renumbered, split and new provisions */
	static const char *const present[] = { "5.0-1",   "5.1-2A",  "5.3-4A",  "5.3-4B", "5.3-6A",
					       "5.3-6B",  "5.3-15A", "5.3-15B", "5.6-4A", "5.6-4B",
					       "5.13-1A", "5.13-1B", "6-3A",    "6-3B",   "6-6",
					       "6-7",     "6-8" };
	for (size_t i = 0; i < sizeof present / sizeof present[0]; i++)
		ck_assert_msg(group(s, present[i]), "%s missing", present[i]);
	/* void in V3 */
	static const char *const absent[] = { "4-1",   "5.3-4",  "5.3-6", "5.3-15",
					      "5.6-4", "5.13-1", "6-3" };
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
		ck_assert_msg(!group(s, absent[i]), "%s is void in V3", absent[i]);
	ck_assert_str_eq(s->groups[0].provision, "5.0-1");
	ck_assert_str_eq(group(s, "5.1-5")->status, "M C(14) F(e)");
	ck_assert_str_eq(group(s, "5.3-2")->status, "M C(15)");
	ck_assert_str_eq(group(s, "6-7")->status, "R F(aa)");
	tb_suite_free(s);
}
END_TEST

static int has_group(const struct tb_suite *s, const char *provision)
{
	for (size_t g = 0; g < s->ngroups; g++)
		if (strcmp(s->groups[g].provision, provision) == 0)
			return 1;
	return 0;
}

START_TEST(v3_cases_and_kinds)
{
	struct tb_suite *s = load_v3();
	unsigned kinds[3] = { 0 };

	ck_assert_uint_eq(s->ncases, 129);
	for (size_t i = 0; i < s->ncases; i++) {
		const struct tb_case *c = &s->cases[i];
		kinds[c->kind]++;
		/* covers: EN 303 645 (V3 numbers) only, its own provision first
		 * (a few cases cover others of the suite too); crosswalks map the
		 * rest */
		ck_assert_uint_ge(c->ncovers[TB_FW_EN303645], 1);
		ck_assert_str_eq(c->covers[TB_FW_EN303645][0], s->groups[c->group].provision);
		for (size_t k = 1; k < c->ncovers[TB_FW_EN303645]; k++)
			ck_assert_msg(has_group(s, c->covers[TB_FW_EN303645][k]), "%s covers %s", c->id,
				      c->covers[TB_FW_EN303645][k]);
		for (int f = 0; f < TB_FW_COUNT; f++)
			if (f != TB_FW_EN303645)
				ck_assert_msg(c->ncovers[f] == 0, "%s covers %s", c->id,
					      tb_framework_key((enum tb_framework)f));
	}
	ck_assert_uint_eq(kinds[TB_KIND_CONCEPTUAL], 72);
	ck_assert_uint_eq(kinds[TB_KIND_FUNCTIONAL], 56);
	ck_assert_uint_eq(kinds[TB_KIND_BOTH], 1);
	ck_assert_ptr_nonnull(tb_suite_find_case(s, "5.13-1A-2"));
	ck_assert_ptr_nonnull(tb_suite_find_case(s, "5.0-1-1"));
	tb_suite_free(s);
}
END_TEST

/* The automated cases run the families the V2.1.1 suite runs for the same
 * test; every other case is an examiner case. */
START_TEST(v3_automated_cases_use_the_expected_families)
{
	static const struct {
		const char *id, *family;
	} want[] = {
		{ "5.0-1-1", "declarations" },
		{ "5.1-1-1", "declarations" },
		{ "5.1-1-2", "default-credentials" },
		{ "5.1-2-2", "default-credentials" },
		{ "5.1-3-2", "ssh" },
		{ "5.1-5-2", "brute-force" },
		{ "5.2-1-1", "declarations" },
		{ "5.2-1-2", "security-txt" },
		{ "5.3-2-2", "firmware-update-push" },
		{ "5.3-7-1", "firmware-image" },
		{ "5.3-9-2", "firmware-update-push" },
		{ "5.3-10-1", "firmware-update-push" },
		{ "5.3-13-1", "declarations" },
		{ "5.5-1-2", "tls" },
		{ "5.5-4-2", "mqtt" },
		{ "5.5-5-2", "http-auth" },
		{ "5.5-6-2", "traffic" },
		{ "5.5-7-2", "tls" },
		{ "5.6-1-1", "declarations" },
		{ "5.6-1-2", "exposure" },
		{ "5.6-1-3", "amplification" },
		{ "5.6-2-2", "disclosure" },
		{ "5.8-1-2", "traffic" },
		{ "5.8-2-2", "traffic" },
		{ "5.5-1-3", "cloud-identity" },
		{ "5.9-3-2", "outage" },
		{ "5.13-1B-2", "robustness" },
	};
	struct tb_suite *s = load_v3();
	size_t automated = 0;

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct tb_case *c = tb_suite_find_case(s, want[i].id);
		ck_assert_msg(c != NULL, "%s missing", want[i].id);
		ck_assert_str_eq(c->family->name, want[i].family);
	}
	for (size_t i = 0; i < s->ncases; i++)
		automated += strcmp(s->cases[i].family->name, "examiner") != 0;
	ck_assert_uint_eq(automated, sizeof want / sizeof want[0]);
	/* the password-login rule of 5.1-3-2 is a finding, not a fault */
	const struct tb_param *pw =
		tb_param_get(&tb_suite_find_case(s, "5.1-3-2")->params, "allow-password-auth");
	ck_assert_ptr_nonnull(pw);
	ck_assert_int_eq(pw->b, 1);
	tb_suite_free(s);
}
END_TEST

START_TEST(v3_status_grammar)
{
	static const char head[] =
		"suite: { id: \"x\", title: \"x\" }\n"
		"groups:\n"
		"  - provision: \"5.1-5\"\n"
		"    status: \"";
	static const char tail[] =
		"\"\n"
		"    title: \"t\"\n"
		"    cases:\n"
		"      - id: \"5.1-5-1\"\n"
		"        kind: \"conceptual\"\n"
		"        title: \"t\"\n"
		"        covers: { en-303-645: [\"5.1-5\"] }\n"
		"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n";
	static const struct {
		const char *status;
		int ok;
	} v[] = {
		{ "M F(a)", 1 },   { "M C(14) F(e)", 1 }, { "R F(aa)", 1 },  { "R F(a,bb)", 1 },
		{ "M C(3,4)", 1 }, { "M F(A)", 0 },       { "M F(abc)", 0 }, { "M F(e) C(14)", 0 },
		{ "M F()", 0 },    { "M F(a", 0 },        { "M F(a) ", 0 },  { "M C F(14,e)", 0 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char text[1024];
		struct tb_suite *s = NULL;
		struct tb_diag d = { .msg = "" };
		snprintf(text, sizeof text, "%s%s%s", head, v[i].status, tail);
		enum tb_err e = tb_suite_parse("v3.yaml", text, strlen(text), &s, &d);
		ck_assert_msg((e == TB_OK) == v[i].ok, "'%s': %s", v[i].status, d.msg);
		tb_suite_free(s);
	}
	ck_assert(tb_status_conditional("M F(a)"));
	ck_assert(tb_status_conditional("M C(15)"));
	ck_assert(!tb_status_conditional("R"));
}
END_TEST

Suite *suite_v3_suite(void)
{
	Suite *s = suite_create("suite_v3");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, v3_suite_has_every_provision_of_v3);
	tcase_add_test(tc, v3_cases_and_kinds);
	tcase_add_test(tc, v3_automated_cases_use_the_expected_families);
	tcase_add_test(tc, v3_status_grammar);
	suite_add_tcase(s, tc);
	return s;
}
