/* check_policy.c: unit tests for procurement policies (policy.h) and for
 * reading a report's facts and evidence paths (verify.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust/policy.h"
#include "trust/policy_internal.h"
#include "trust/verify.h"
#include "trust/verify_internal.h"
#include "suites.h"

#define NAME "policies/p.yaml"

static const char full[] =
	"policy:\n"
	"  id: \"full\"\n"
	"  description: \"every key\"\n"
	"require:\n"
	"  en-303-645: mandatory-pass-or-justified-na\n"
	"  psti: [1, 2, \"3\"]\n"
	"  uk-cop: all-pass\n"
	"  ota: all-pass-or-justified-na\n"
	"report:\n"
	"  not-before: \"2026-01-01\"\n"
	"  max-age-days: 365\n"
	"  full-suite: false\n"
	"assessor:\n"
	"  self-assessment: accept\n"
	"  trusted-labs:\n"
	"    - subject: \"CN=Lab,O=Lab\"\n"
	"    - sha256: \"AB:CD:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:"
	"ab:cd:ef:01:23:45:67:89\"\n";

START_TEST(valid_full)
{
	struct tb_policy *p;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_policy_parse(NAME, full, strlen(full), &p, &d), TB_OK);
	ck_assert_str_eq(p->id, "full");
	ck_assert_str_eq(p->description, "every key");
	ck_assert_uint_eq(p->nreq, 4);
	ck_assert_str_eq(p->req[0].framework, "en-303-645");
	ck_assert_int_eq(p->req[0].rule, TB_PR_MANDATORY_PASS_OR_NA);
	ck_assert_int_eq(p->req[1].rule, TB_PR_LIST);
	ck_assert_uint_eq(p->req[1].nrefs, 3);
	ck_assert_str_eq(p->req[1].refs[0], "1");
	ck_assert_str_eq(p->req[1].refs[2], "3");
	ck_assert_int_eq(p->req[2].rule, TB_PR_ALL_PASS);
	ck_assert_int_eq(p->req[3].rule, TB_PR_ALL_PASS_OR_NA);
	ck_assert_str_eq(p->not_before, "2026-01-01");
	ck_assert_int_eq(p->max_age_days, 365);
	ck_assert_int_eq(p->full_suite, 0);
	ck_assert_int_eq(p->self_assessment, 1);
	ck_assert_uint_eq(p->ntrusted, 2);
	ck_assert_str_eq(p->trusted[0].subject, "CN=Lab,O=Lab");
	ck_assert_ptr_null(p->trusted[0].sha256);
	ck_assert_str_eq(p->trusted[1].sha256,
			 "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	tb_policy_free(p);
	tb_policy_free(NULL);
}
END_TEST

START_TEST(defaults_are_strict)
{
	static const char min[] = "policy:\n  id: min\n";
	struct tb_policy *p;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_policy_parse(NAME, min, strlen(min), &p, &d), TB_OK);
	ck_assert_int_eq(p->full_suite, 1);
	ck_assert_int_eq(p->self_assessment, 0);
	ck_assert_uint_eq(p->nreq, 0);
	ck_assert_uint_eq(p->ntrusted, 0);
	ck_assert_str_eq(p->not_before, "");
	tb_policy_free(p);
}
END_TEST

struct bad {
	const char *text;
	unsigned long line, col;
	const char *phrase;
};

static const struct bad bad_policies[] = {
	{ "policy: [\n", 2, 1, "" }, /* not YAML */
	{ "- 1\n", 1, 1, "the policy file must be a mapping" },
	{ "require: {}\n", 1, 1, "lacks required key 'policy'" },
	{ "policy: {id: a}\nextra: 1\n", 2, 1, "unknown key 'extra' in the policy file" },
	{ "policy: a\n", 1, 9, "policy must be a mapping" },
	{ "policy: {name: a}\n", 1, 10, "unknown key 'name' in policy" },
	{ "policy: {description: a}\n", 1, 9, "policy lacks required key 'id'" },
	{ "policy: {id: \"\"}\n", 1, 14, "policy.id must not be empty" },
	{ "policy: {id: a, description: [x]}\n", 1, 30, "policy.description must be a scalar" },
	{ "policy: {id: a}\nrequire: [psti]\n", 2, 10, "require must be a mapping" },
	{ "policy: {id: a}\nrequire: {}\n", 2, 10, "require names no framework" },
	{ "policy: {id: a}\nrequire: {iso: all-pass}\n", 2, 11, "unknown key 'iso' in require" },
	{ "policy: {id: a}\nrequire: {psti: []}\n", 2, 17, "require.psti lists no items" },
	{ "policy: {id: a}\nrequire: {psti: [[1]]}\n", 2, 18, "a required item must be a scalar" },
	{ "policy: {id: a}\nrequire: {psti: [1, 2, 1]}\n", 2, 24,
	  "item '1' is listed twice in require.psti" },
	{ "policy: {id: a}\nrequire: {psti: some-pass}\n", 2, 17,
	  "require.psti must be a list of items or one of all-pass" },
	{ "policy: {id: a}\nrequire: {psti: {all: 1}}\n", 2, 17, "a framework rule must be a scalar" },
	{ "policy: {id: a}\nrequire: {psti: mandatory-pass}\n", 2, 17,
	  "'mandatory-pass' needs provision statuses, which only en-303-645 has" },
	{ "policy: {id: a}\nrequire: {uk-cop: mandatory-pass-or-justified-na}\n", 2, 19,
	  "only en-303-645 has" },
	{ "policy: {id: a}\nreport: 1\n", 2, 9, "report must be a mapping" },
	{ "policy: {id: a}\nreport: {oldest: 1}\n", 2, 10, "unknown key 'oldest' in report" },
	{ "policy: {id: a}\nreport: {not-before: \"2026-13-01\"}\n", 2, 22,
	  "report.not-before must be a date YYYY-MM-DD, not '2026-13-01'" },
	{ "policy: {id: a}\nreport: {not-before: [1]}\n", 2, 22, "report.not-before must be a scalar" },
	{ "policy: {id: a}\nreport: {max-age-days: 0}\n", 2, 24, "report.max-age-days" },
	{ "policy: {id: a}\nreport: {max-age-days: \"30\"}\n", 2, 24, "not a quoted string" },
	{ "policy: {id: a}\nreport: {full-suite: yes}\n", 2, 22, "report.full-suite" },
	{ "policy: {id: a}\nassessor: []\n", 2, 11, "assessor must be a mapping" },
	{ "policy: {id: a}\nassessor: {labs: 1}\n", 2, 12, "unknown key 'labs' in assessor" },
	{ "policy: {id: a}\nassessor: {self-assessment: maybe}\n", 2, 29,
	  "assessor.self-assessment must be accept or refuse, not 'maybe'" },
	{ "policy: {id: a}\nassessor: {self-assessment: [accept]}\n", 2, 29,
	  "assessor.self-assessment must be a scalar" },
	{ "policy: {id: a}\nassessor: {trusted-labs: x}\n", 2, 26,
	  "assessor.trusted-labs must be a list" },
	{ "policy: {id: a}\nassessor: {trusted-labs: []}\n", 2, 26, "assessor.trusted-labs is empty" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [x]}\n", 2, 27,
	  "a trusted-labs entry must be a mapping" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{}]}\n", 2, 27,
	  "needs exactly one of subject or sha256" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{subject: a, sha256: b}]}\n", 2, 27,
	  "needs exactly one of subject or sha256" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{issuer: a}]}\n", 2, 28,
	  "unknown key 'issuer' in a trusted-labs entry" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{subject: \"\"}]}\n", 2, 37,
	  "trusted-labs subject must not be empty" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{sha256: [a]}]}\n", 2, 36,
	  "trusted-labs sha256 must be a scalar" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{sha256: abcd}]}\n", 2, 36,
	  "must be a SHA-256 certificate fingerprint" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{sha256: "
	  "\"zz00000000000000000000000000000000000000000000000000000000000000\"}]}\n",
	  2, 36, "not 'zz" },
	{ "policy: {id: a}\nassessor: {trusted-labs: [{sha256: "
	  "\"000000000000000000000000000000000000000000000000000000000000000000\"}]}\n",
	  2, 36, "64 hex digits" },
	{ "policy: &a {id: a}\n", 1, 9, "anchor" },
};

START_TEST(every_error_has_a_position)
{
	const struct bad *b = &bad_policies[_i];
	struct tb_policy *p = (struct tb_policy *)1;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_policy_parse(NAME, b->text, strlen(b->text), &p, &d);
	ck_assert_msg(e != TB_OK, "case %d accepted", _i);
	ck_assert_ptr_null(p);
	ck_assert_msg(strcmp(d.file, NAME) == 0, "case %d: no file name", _i);
	ck_assert_msg(d.line == b->line && d.col == b->col,
		      "case %d: expected %lu:%lu, got %lu:%lu (%s)", _i, b->line, b->col, d.line, d.col,
		      d.msg);
	ck_assert_msg(strstr(d.msg, b->phrase) != NULL, "case %d: '%s' not in '%s'", _i, b->phrase,
		      d.msg);
}
END_TEST

START_TEST(load_missing_file)
{
	struct tb_policy *p = (struct tb_policy *)1;
	struct tb_diag d = { 0 };
	ck_assert_int_ne(tb_policy_load("/nonexistent/policy.yaml", &p, &d), TB_OK);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(shipped_examples_load)
{
	static const char *const files[] = { "profiles/policies/strict-lab-only.yaml",
					     "profiles/policies/psti-minimum.yaml",
					     "profiles/policies/self-assessment-ok.yaml", NULL };
	for (int i = 0; files[i]; i++) {
		struct tb_policy *p;
		struct tb_diag d = { 0 };
		ck_assert_msg(tb_policy_load(files[i], &p, &d) == TB_OK, "%s: %lu:%lu %s", files[i],
			      d.line, d.col, d.msg);
		tb_policy_free(p);
	}
}
END_TEST

/* ---- Evaluation ---- */

static struct tb_facts facts;

static void add_item(const char *fw, const char *ref, const char *status, const char *verdict,
		     const char *cases)
{
	facts.items = realloc(facts.items, (facts.nitems + 1) * sizeof *facts.items);
	struct tb_fitem *it = &facts.items[facts.nitems++];
	it->authority = NULL; /* an older report: set_authority below */
	it->framework = strdup(fw);
	it->ref = strdup(ref);
	it->status = status ? strdup(status) : NULL;
	it->verdict = strdup(verdict);
	it->cases = strdup(cases);
}

static void add_result(const char *id, const char *verdict, const char *reason)
{
	facts.results = realloc(facts.results, (facts.nresults + 1) * sizeof *facts.results);
	struct tb_fresult *r = &facts.results[facts.nresults++];
	r->id = strdup(id);
	r->verdict = strdup(verdict);
	r->reason = strdup(reason);
}

/* A complete lab-run report of 4 test cases, signed and verified. */
static void facts_setup(void)
{
	memset(&facts, 0, sizeof facts);
	facts.status = strdup("complete");
	facts.total_cases = facts.completed_cases = 4;
	facts.started = strdup("2026-11-20T10:00:00Z");
	facts.finished = strdup("2026-11-20T11:00:00Z");
	facts.assessor_role = strdup("lab");
	facts.assessor_name = strdup("Test Lab");
	add_result("5.1-1-1", "pass", "ok");
	add_result("5.3-14-1", "not-applicable",
		   "the supplier declares provision 5.3-14 not applicable: constrained");
	add_result("5.6-4-1", "not-applicable",
		   "the supplier declares provision 5.6-4 not applicable: (no justification given)");
	add_result("5.7-1-1", "needs-examiner", "look");
	add_item("en-303-645", "5.1-1", "M C(1)", "pass", "5.1-1-1");
	add_item("en-303-645", "5.3-14", "R C(10,11)", "not-applicable", "5.3-14-1");
	add_item("en-303-645", "5.6-4", "M C(8)", "not-applicable", "5.6-4-1");
	add_item("en-303-645", "5.7-1", "R", "needs-examiner", "5.7-1-1");
	add_item("psti", "1", NULL, "pass", "5.1-1-1");
	add_item("psti", "2", NULL, "needs-examiner", "5.7-1-1");
	facts.signer_verified = 1;
	snprintf(facts.signer_subject, sizeof facts.signer_subject, "CN=Lab,O=Lab");
	snprintf(facts.signer_sha256, sizeof facts.signer_sha256, "%064d", 0);
}

static void facts_teardown(void)
{
	tb_facts_cleanup(&facts);
}

static struct tb_policy *policy(const char *text)
{
	struct tb_policy *p;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_policy_parse(NAME, text, strlen(text), &p, &d) == TB_OK, "%s", d.msg);
	return p;
}

static const time_t NOW = 1795521600; /* 2026-11-24T12:00:00Z */

/* Evaluate; returns whether met and checks that some reason holds phrase. */
static int judge(const char *text, const char *phrase)
{
	struct tb_policy *p = policy(text);
	struct tb_pverdict v;
	tb_policy_eval(p, &facts, NOW, &v);
	tb_policy_free(p);
	if (phrase) {
		int found = 0;
		for (size_t i = 0; i < v.nreasons; i++)
			found |= strstr(v.reasons[i], phrase) != NULL;
		ck_assert_msg(found, "no reason mentions '%s' (%zu reasons, first: %s)", phrase,
			      v.nreasons, v.nreasons ? v.reasons[0] : "-");
	}
	ck_assert_int_eq(v.met, v.nreasons == 0);
	return v.met;
}

START_TEST(minimal_policy_met_by_lab_report)
{
	ck_assert(judge("policy: {id: a}\n", NULL));
}
END_TEST

START_TEST(list_requires_pass)
{
	ck_assert(judge("policy: {id: a}\nrequire: {psti: [1]}\n", NULL));
	ck_assert(!judge("policy: {id: a}\nrequire: {psti: [1, 2]}\n",
			 "psti 2: needs-examiner, not pass"));
	ck_assert(!judge("policy: {id: a}\nrequire: {psti: [3]}\n", "psti 3: not in the report"));
	ck_assert(!judge("policy: {id: a}\nrequire: {en-303-645: [5.3-14]}\n",
			 "en-303-645 5.3-14: not-applicable, not pass"));
}
END_TEST

START_TEST(mandatory_rules)
{
	/* 5.6-4 is mandatory and n/a without a justification. */
	ck_assert(!judge("policy: {id: a}\nrequire: {en-303-645: mandatory-pass-or-justified-na}\n",
			 "en-303-645 5.6-4: not applicable without a justification"));
	ck_assert(!judge("policy: {id: a}\nrequire: {en-303-645: mandatory-pass}\n",
			 "en-303-645 5.6-4: not-applicable, not pass"));
	free(facts.results[2].reason);
	facts.results[2].reason =
		strdup("applies only when debug-interface is true; the supplier "
		       "declares it false");
	ck_assert(judge("policy: {id: a}\nrequire: {en-303-645: mandatory-pass-or-justified-na}\n",
			NULL));
	/* The recommended 5.7-1 awaits an examiner: all-pass rules catch it. */
	ck_assert(!judge("policy: {id: a}\nrequire: {en-303-645: all-pass-or-justified-na}\n",
			 "en-303-645 5.7-1: needs-examiner"));
	ck_assert(!judge("policy: {id: a}\nrequire: {psti: all-pass}\n", "psti 2: needs-examiner"));
	ck_assert(!judge("policy: {id: a}\nrequire: {ota: all-pass}\n",
			 "ota: the report has no items to judge"));
}
END_TEST

START_TEST(justified_na_needs_every_case)
{
	ck_assert(item_justified_na(&facts, &facts.items[1]));
	ck_assert(!item_justified_na(&facts, &facts.items[2]));
	ck_assert(!item_justified_na(&facts, &facts.items[0])); /* a pass is not n/a */
	free(facts.items[1].cases);
	facts.items[1].cases = strdup("5.3-14-1 5.3-14-9"); /* unknown case */
	ck_assert(!item_justified_na(&facts, &facts.items[1]));
	free(facts.items[1].cases);
	facts.items[1].cases = strdup("  ");
	ck_assert(!item_justified_na(&facts, &facts.items[1]));
}
END_TEST

START_TEST(dates)
{
	ck_assert(judge("policy: {id: a}\nreport: {not-before: \"2026-11-20\"}\n", NULL));
	ck_assert(!judge("policy: {id: a}\nreport: {not-before: \"2026-11-21\"}\n",
			 "dated 2026-11-20, before the oldest date accepted (2026-11-21)"));
	ck_assert(judge("policy: {id: a}\nreport: {max-age-days: 5}\n", NULL));
	ck_assert(!judge("policy: {id: a}\nreport: {max-age-days: 3}\n",
			 "the report is 4 days old; the policy accepts at most 3"));
	free(facts.finished);
	facts.finished = strdup("yesterday");
	ck_assert(!judge("policy: {id: a}\nreport: {max-age-days: 3}\n", "date cannot be read"));
}
END_TEST

START_TEST(partial_and_subset_runs)
{
	facts.completed_cases = 3;
	ck_assert(!judge("policy: {id: a}\n", "only 3 of the suite's 4 test cases were run"));
	ck_assert(judge("policy: {id: a}\nreport: {full-suite: false}\n", NULL));
	free(facts.status);
	facts.status = strdup("partial");
	ck_assert(!judge("policy: {id: a}\nreport: {full-suite: false}\n", "the report is partial"));
}
END_TEST

START_TEST(self_assessment)
{
	free(facts.assessor_role);
	facts.assessor_role = strdup("vendor");
	ck_assert(!judge("policy: {id: a}\n", "the vendor (a self-assessment)"));
	ck_assert(judge("policy: {id: a}\nassessor: {self-assessment: accept}\n", NULL));
	free(facts.assessor_role);
	facts.assessor_role = NULL; /* an older report without <assessor> */
	ck_assert(!judge("policy: {id: a}\nassessor: {self-assessment: refuse}\n", "unspecified"));
}
END_TEST

START_TEST(trusted_labs)
{
	ck_assert(judge("policy: {id: a}\nassessor: {trusted-labs: [{subject: \"CN=Lab,O=Lab\"}]}\n",
			NULL));
	ck_assert(
		judge("policy: {id: a}\nassessor: {trusted-labs: [{subject: x}, {sha256: "
		      "\"0000000000000000000000000000000000000000000000000000000000000000\"}]}\n",
		      NULL));
	ck_assert(!judge("policy: {id: a}\nassessor: {trusted-labs: [{subject: \"CN=Other\"}]}\n",
			 "the signer CN=Lab,O=Lab (sha256 0000"));
	facts.signer_verified = 0;
	ck_assert(!judge("policy: {id: a}\nassessor: {trusted-labs: [{subject: \"CN=Lab,O=Lab\"}]}\n",
			 "no verified signer"));
}
END_TEST

/* The last item added gets this crosswalk authority. */
static void set_authority(const char *a)
{
	facts.items[facts.nitems - 1].authority = strdup(a);
}

/* Issue 13: a policy can refuse items that rest only on our own mappings. */
START_TEST(derived_mappings_refused_on_request)
{
	add_item("ota", "13", NULL, "pass", "5.1-1-1");
	set_authority("derived");
	add_item("uk-cop", "1", NULL, "pass", "5.1-1-1");
	set_authority("published");
	add_item("psti", "3", NULL, "pass", "5.1-1-1");
	set_authority("legislated");
	/* By default every mapping counts. */
	ck_assert(judge("policy: {id: a}\nrequire: {ota: [13], uk-cop: all-pass}\n", NULL));
	ck_assert(judge("policy: {id: a}\naccept-derived-mappings: true\nrequire: {ota: all-pass}\n",
			NULL));
	/* Refused: derived, list and rule alike. */
	ck_assert(!judge("policy: {id: a}\naccept-derived-mappings: false\nrequire: {ota: [13]}\n",
			 "ota 13: rests on a derived mapping"));
	ck_assert(!judge("policy: {id: a}\naccept-derived-mappings: false\nrequire: {ota: all-pass}\n",
			 "refused by accept-derived-mappings: false"));
	/* Published and legislated mappings still count. */
	ck_assert(
		judge("policy: {id: a}\naccept-derived-mappings: false\n"
		      "require: {uk-cop: all-pass, psti: [3]}\n",
		      NULL));
	/* psti 1 has no authority (an older report): not vouched for, refused. */
	ck_assert(!judge("policy: {id: a}\naccept-derived-mappings: false\nrequire: {psti: [1]}\n",
			 "psti 1: the report does not say who vouches for the mapping"));
	/* The suite's own framework needs no crosswalk. */
	ck_assert(
		judge("policy: {id: a}\naccept-derived-mappings: false\n"
		      "require: {en-303-645: [5.1-1]}\n",
		      NULL));
}
END_TEST

START_TEST(accept_derived_must_be_boolean)
{
	struct tb_policy *p;
	struct tb_diag d = { 0 };
	static const char t[] = "policy: {id: a}\naccept-derived-mappings: no\n";
	ck_assert_int_eq(tb_policy_parse(NAME, t, strlen(t), &p, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 2);
	ck_assert_uint_eq(d.col, 26);
	ck_assert_ptr_nonnull(strstr(d.msg, "accept-derived-mappings must be true or false"));
	p = policy("policy: {id: a}\n");
	ck_assert_int_eq(p->accept_derived, 1);
	tb_policy_free(p);
}
END_TEST

START_TEST(reasons_are_capped)
{
	for (int i = 0; i < TB_POLICY_MAX_REASONS + 10; i++) {
		char ref[16];
		snprintf(ref, sizeof ref, "x%d", i);
		add_item("uk-cop", ref, NULL, "fail", "5.1-1-1");
	}
	struct tb_policy *p = policy("policy: {id: a}\nrequire: {uk-cop: all-pass}\n");
	struct tb_pverdict v;
	tb_policy_eval(p, &facts, NOW, &v);
	tb_policy_free(p);
	ck_assert(!v.met);
	ck_assert_uint_eq(v.nreasons, TB_POLICY_MAX_REASONS);
	ck_assert_uint_eq(v.omitted, 10);
}
END_TEST

/* ---- Reading a report ---- */

static const char report_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<report xmlns=\"urn:trustbench:report:1\" status=\"complete\" total-cases=\"2\" "
	"completed-cases=\"2\">\n"
	" <run started=\"2026-11-20T10:00:00Z\" finished=\"2026-11-20T10:05:00Z\"/>\n"
	" <assessor role=\"vendor\" name=\"ACME\"/>\n"
	" <results>\n"
	"  <result id=\"a-1\" verdict=\"pass\"><reason>fine</reason>\n"
	"   <evidence><file label=\"l\" path=\"evidence/a-1/x\" sha256=\"00\" bytes=\"3\"/>"
	"</evidence></result>\n"
	"  <result id=\"b-1\" verdict=\"fail\"><reason>bad &amp; worse</reason></result>\n"
	" </results>\n"
	" <summary><framework id=\"psti\"><item ref=\"1\" verdict=\"fail\" cases=\"b-1\" "
	"authority=\"legislated\"><via authority=\"legislated\" provisions=\"5.1-1\"/></item>"
	"</framework>\n"
	"  <framework id=\"en-303-645\"><item ref=\"5.1-1\" status=\"M\" verdict=\"pass\" "
	"cases=\"a-1\"/></framework></summary>\n"
	"</report>\n";

START_TEST(facts_from_report)
{
	struct tb_facts f;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_facts_read("r.xml", report_xml, strlen(report_xml), &f, &d), TB_OK);
	ck_assert_str_eq(f.status, "complete");
	ck_assert_uint_eq(f.total_cases, 2);
	ck_assert_str_eq(f.finished, "2026-11-20T10:05:00Z");
	ck_assert_str_eq(f.assessor_role, "vendor");
	ck_assert_str_eq(f.assessor_name, "ACME");
	ck_assert_uint_eq(f.nresults, 2);
	ck_assert_str_eq(f.results[1].reason, "bad & worse");
	ck_assert_uint_eq(f.nitems, 2);
	ck_assert_str_eq(f.items[0].framework, "psti");
	ck_assert_ptr_null(f.items[0].status);
	ck_assert_str_eq(f.items[0].authority, "legislated");
	ck_assert_str_eq(f.items[1].status, "M");
	ck_assert_ptr_null(f.items[1].authority); /* absent: an older report */
	tb_facts_cleanup(&f);
}
END_TEST

START_TEST(hostile_reports_refused)
{
	static const char *const bad[] = {
		"<?xml version=\"1.0\"?>\n<!DOCTYPE report [<!ENTITY x \"y\">]>\n"
		"<report xmlns=\"urn:trustbench:report:1\"/>\n",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE report SYSTEM \"http://example.invalid/x.dtd\">\n"
		"<report xmlns=\"urn:trustbench:report:1\"/>\n",
		"<report xmlns=\"urn:other\"/>",
		"<report xmlns=\"urn:trustbench:report:1\">",
		"",
		NULL
	};
	for (int i = 0; bad[i]; i++) {
		struct tb_facts f;
		struct tb_diag d = { 0 };
		ck_assert_msg(tb_facts_read("r.xml", bad[i], strlen(bad[i]), &f, &d) != TB_OK,
			      "case %d accepted", i);
		ck_assert_ptr_null(f.status);
	}
}
END_TEST

START_TEST(evidence_paths)
{
	ck_assert(evidence_path_safe("evidence/5.1-1-2/telnet-23.log"));
	ck_assert(evidence_path_safe("x"));
	ck_assert(evidence_path_safe("evidence/..x/.y"));
	static const char *const unsafe[] = {
		"",    "/etc/passwd", "../x",      "evidence/../../x", "evidence/..",
		"./x", "evidence//x", "evidence/", "evidence/./x",     "..",
		NULL
	};
	for (int i = 0; unsafe[i]; i++)
		ck_assert_msg(!evidence_path_safe(unsafe[i]), "'%s' accepted", unsafe[i]);
}
END_TEST

/* Report dates are untrusted: only the schema's exact form is read (the
 * sscanf it replaced took blanks, signs, short fields and trailing junk). */
START_TEST(report_dates_read_strictly)
{
	ck_assert(utc_parse("2026-11-23T17:30:58Z") == (time_t)1795455058);
	ck_assert(utc_parse(" 2026-1-1T1:1:1Z") == (time_t)-1);
	ck_assert(utc_parse("2026-11-23T17:30:58Zjunk") == (time_t)-1);
	ck_assert(utc_parse("2026-11-23T17:30:58") == (time_t)-1);
	ck_assert(utc_parse("+026-11-23T17:30:58Z") == (time_t)-1);
	ck_assert(utc_parse("2026-13-23T17:30:58Z") == (time_t)-1);
	ck_assert(utc_parse(NULL) == (time_t)-1);
}
END_TEST

Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *load = tcase_create("load");
	tcase_add_test(load, valid_full);
	tcase_add_test(load, defaults_are_strict);
	tcase_add_loop_test(load, every_error_has_a_position, 0,
			    (int)(sizeof bad_policies / sizeof bad_policies[0]));
	tcase_add_test(load, load_missing_file);
	tcase_add_test(load, shipped_examples_load);
	tcase_add_test(load, report_dates_read_strictly);
	suite_add_tcase(s, load);
	TCase *ev = tcase_create("eval");
	tcase_add_checked_fixture(ev, facts_setup, facts_teardown);
	tcase_add_test(ev, minimal_policy_met_by_lab_report);
	tcase_add_test(ev, list_requires_pass);
	tcase_add_test(ev, mandatory_rules);
	tcase_add_test(ev, justified_na_needs_every_case);
	tcase_add_test(ev, dates);
	tcase_add_test(ev, partial_and_subset_runs);
	tcase_add_test(ev, self_assessment);
	tcase_add_test(ev, trusted_labs);
	tcase_add_test(ev, reasons_are_capped);
	tcase_add_test(ev, derived_mappings_refused_on_request);
	tcase_add_test(ev, accept_derived_must_be_boolean);
	suite_add_tcase(s, ev);
	TCase *rd = tcase_create("report");
	tcase_add_test(rd, facts_from_report);
	tcase_add_test(rd, hostile_reports_refused);
	tcase_add_test(rd, evidence_paths);
	suite_add_tcase(s, rd);
	return s;
}
