/* check_tree.c: unit tests for decision trees (load/tree.h, run/treerun.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/ctx.h"
#include "load/decisions.h"
#include "load/profile.h"
#include "load/suite.h"
#include "load/tree.h"
#include "report/render.h"
#include "report/report.h"
#include "report/report_load.h"
#include "result/result.h"
#include "run/treerun.h"
#include "suites.h"

#define NAME "tree.yaml"

/* A valid suite: a check case, then a tree that reads it (DN-2), a
 * declaration (DN-1) and an examiner (DN-3).  Negative tests change one
 * fragment of it. */
static const char base[] =
	"suite:\n"
	"  id: \"t\"\n"
	"  title: \"Trees\"\n"
	"groups:\n"
	"  - provision: \"AUM-5-1\"\n"
	"    status: \"M\"\n"
	"    title: \"Default passwords\"\n"
	"    cases:\n"
	"      - id: \"AUM-5-1-1\"\n"
	"        kind: \"functional\"\n"
	"        title: \"A check\"\n"
	"        check:\n"
	"          family: \"examiner\"\n"
	"          params:\n"
	"            guidance: \"g\"\n"
	"      - id: \"AUM-5-1-2\"\n"
	"        kind: \"conceptual-functional\"\n"
	"        title: \"A tree\"\n"
	"        tree:\n"
	"          for-each: \"mechanisms\"\n"
	"          kind: \"authentication\"\n"
	"          nodes:\n"
	"            - id: \"DN-1\"\n"
	"              question: \"Forced change at first use?\"\n"
	"              answer: { declaration: \"forced\" }\n"
	"              yes: \"pass\"\n"
	"              no: \"DN-2\"\n"
	"            - id: \"DN-2\"\n"
	"              question: \"Did the check pass?\"\n"
	"              answer: { case: \"AUM-5-1-1\", verdict: \"pass\" }\n"
	"              yes: \"DN-3\"\n"
	"              no: \"fail\"\n"
	"            - id: \"DN-3\"\n"
	"              question: \"Strong?\"\n"
	"              answer: \"examiner\"\n"
	"              yes: \"pass\"\n"
	"              no: { not-applicable: \"why\" }\n";

/* base with the first `from` after the nth occurrence of after replaced by to. */
static char *edit(const char *after, const char *from, const char *to)
{
	const char *a = after ? strstr(base, after) : base;
	ck_assert_msg(a != NULL, "'%s' not in base", after);
	const char *p = strstr(a, from);
	ck_assert_msg(p != NULL, "'%s' not in base", from);
	size_t head = (size_t)(p - base), n = strlen(base) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	memcpy(out, base, head);
	strcpy(out + head, to);
	strcat(out, p + strlen(from));
	return out;
}

/* Line and column (1-based) of needle's nth occurrence in text. */
static void pos_of(const char *text, const char *needle, unsigned long *line, unsigned long *col)
{
	const char *p = strstr(text, needle);
	ck_assert_msg(p != NULL, "'%s' not found", needle);
	*line = 1;
	const char *bol = text;
	for (const char *q = text; q < p; q++)
		if (*q == '\n') {
			(*line)++;
			bol = q + 1;
		}
	*col = (unsigned long)(p - bol) + 1;
}

static void expect_err(int caller, char *text, const char *needle, unsigned long off,
		       const char *phrase)
{
	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	unsigned long line, col;
	pos_of(text, needle, &line, &col);
	col += off;
	enum tb_err e = tb_suite_parse(NAME, text, strlen(text), &s, &d);
	ck_assert_msg(e == TB_E_CONFIG, "line %d: expected TB_E_CONFIG, got %d", caller, e);
	ck_assert_msg(s == NULL, "line %d: *out not NULL", caller);
	ck_assert_msg(d.line == line && d.col == col, "line %d: expected %lu:%lu, got %lu:%lu (%s)",
		      caller, line, col, d.line, d.col, d.msg);
	ck_assert_msg(strstr(d.msg, phrase) != NULL, "line %d: '%s' not in '%s'", caller, phrase,
		      d.msg);
	free(text);
}
#define EXPECT_ERR(text, needle, phrase) expect_err(__LINE__, text, needle, 0, phrase)
#define EXPECT_ERR_OFF(text, needle, off, phrase) expect_err(__LINE__, text, needle, off, phrase)

static struct tb_suite *load_base(void)
{
	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_suite_parse(NAME, base, strlen(base), &s, &d);
	ck_assert_msg(e == TB_OK, "%s:%lu:%lu: %s", d.file, d.line, d.col, d.msg);
	return s;
}

START_TEST(loads_valid_tree)
{
	struct tb_suite *s = load_base();
	const struct tb_case *c = tb_suite_find_case(s, "AUM-5-1-2");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(c->tree);
	ck_assert_ptr_eq(c->family, &tb_tree_family);
	const struct tb_tree *t = c->tree;
	ck_assert_int_eq(t->scope, TB_TREE_MECHANISMS);
	ck_assert_str_eq(t->kind, "authentication");
	ck_assert_uint_eq(t->nnodes, 3);
	ck_assert_int_eq(t->nodes[0].answer.src, TB_ANS_DECLARATION);
	ck_assert_int_eq(t->nodes[1].answer.src, TB_ANS_CASE_VERDICT);
	ck_assert_int_eq(t->nodes[1].answer.verdict, TB_V_PASS);
	ck_assert_int_eq(t->nodes[2].answer.src, TB_ANS_EXAMINER);
	ck_assert_int_eq(t->nodes[0].no.kind, TB_BR_NODE);
	ck_assert_uint_eq(t->nodes[0].no.node, 1);
	ck_assert_int_eq(t->nodes[2].no.kind, TB_BR_NA);
	ck_assert_str_eq(t->nodes[2].no.justification, "why");
	ck_assert(tb_tree_reads_case(t, "AUM-5-1-1"));
	ck_assert_int_eq(tb_case_pass(c), 2);
	ck_assert_int_eq(tb_case_pass(tb_suite_find_case(s, "AUM-5-1-1")), 0);
	tb_suite_free(s);
}
END_TEST

START_TEST(requirement_ids)
{
	ck_assert(tb_requirement_id_valid("ACM-1"));
	ck_assert(tb_requirement_id_valid("AUM-5-1"));
	ck_assert(tb_requirement_id_valid("GEC-8"));
	ck_assert(!tb_requirement_id_valid("ACM"));
	ck_assert(!tb_requirement_id_valid("ACM-"));
	ck_assert(!tb_requirement_id_valid("acm-1"));
	ck_assert(!tb_requirement_id_valid("AUM-5-1-1"));
	ck_assert(!tb_requirement_id_valid("AUM-123"));
	ck_assert(!tb_requirement_id_valid("5.1-1"));
}
END_TEST

START_TEST(missing_branch)
{
	EXPECT_ERR(edit("id: \"DN-2\"", "              no: \"fail\"\n", ""), "id: \"DN-2\"", "'no'");
}
END_TEST

START_TEST(unknown_target)
{
	EXPECT_ERR(edit("id: \"DN-2\"", "yes: \"DN-3\"", "yes: \"DN-9\""), "\"DN-9\"",
		   "neither a node");
}
END_TEST

START_TEST(cycle)
{
	EXPECT_ERR_OFF(edit("id: \"DN-3\"", "yes: \"pass\"", "yes: \"DN-1\""), "yes: \"DN-1\"", 5,
		       "cycle");
}
END_TEST

START_TEST(unreachable)
{
	EXPECT_ERR(edit(NULL, "no: \"DN-2\"", "no: \"fail\""), "id: \"DN-2\"", "unreachable");
}
END_TEST

START_TEST(unknown_answer_source)
{
	EXPECT_ERR(edit(NULL, "answer: \"examiner\"", "answer: \"oracle\""), "\"oracle\"",
		   "unknown answer source");
	EXPECT_ERR(edit(NULL, "{ declaration: \"forced\" }", "{ oracle: \"forced\" }"), "oracle",
		   "unknown answer source");
	EXPECT_ERR(edit(NULL, "case: \"AUM-5-1-1\", verdict", "case: \"AUM-5-1-7\", verdict"),
		   "\"AUM-5-1-7\"", "no test case");
	EXPECT_ERR(edit(NULL, "verdict: \"pass\" }", "verdict: \"maybe\" }"), "\"maybe\"",
		   "pass or fail");
}
END_TEST

START_TEST(unknown_leaf)
{
	EXPECT_ERR(edit(NULL, "{ not-applicable: \"why\" }", "{ inconclusive: \"why\" }"),
		   "inconclusive", "unknown leaf");
	EXPECT_ERR(edit(NULL, "no: { not-applicable: \"why\" }", "no: \"not-applicable\""),
		   "\"not-applicable\"", "needs a justification");
}
END_TEST

/* An Official Journal restriction: {notified-body: REASON}, a leaf that is
 * neither pass, fail nor not applicable (issue 13). */
START_TEST(notified_body_leaf)
{
	char *t = edit(NULL, "{ not-applicable: \"why\" }", "{ notified-body: \"R2 applies\" }");
	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_suite_parse(NAME, t, strlen(t), &s, &d) == TB_OK, "%s", d.msg);
	const struct tb_tree *tr = tb_suite_find_case(s, "AUM-5-1-2")->tree;
	ck_assert_int_eq(tr->nodes[2].no.kind, TB_BR_NOTIFIED_BODY);
	ck_assert_str_eq(tr->nodes[2].no.restriction, "R2 applies");
	tb_suite_free(s);
	free(t);
	/* Its reason is required, where it stands, and nothing else beside it. */
	EXPECT_ERR(edit(NULL, "no: { not-applicable: \"why\" }", "no: \"notified-body\""),
		   "\"notified-body\"", "needs its reason");
	EXPECT_ERR(edit(NULL, "{ not-applicable: \"why\" }", "{ notified-body: \"\" }"), "\"\" }",
		   "must not be empty");
	EXPECT_ERR(edit(NULL, "{ not-applicable: \"why\" }", "{ notified-body: \"R2\", why: \"x\" }"),
		   "why: \"x\"", "unknown key 'why'");
	EXPECT_ERR(edit(NULL, "{ not-applicable: \"why\" }", "{ notified: \"R2\" }"),
		   "notified:", "notified-body: REASON");
}
END_TEST

START_TEST(other_shape_errors)
{
	EXPECT_ERR(edit("id: \"DN-2\"", "id: \"DN-2\"", "id: \"DN-1\""),
		   "\"DN-1\"\n              question: \"Did", "duplicate node id");
	EXPECT_ERR(edit(NULL, "for-each: \"mechanisms\"", "for-each: \"widgets\""), "\"widgets\"",
		   "for-each");
	EXPECT_ERR(edit(NULL, "kind: \"authentication\"", "kind: \"magic\""), "\"magic\"",
		   "unknown kind");
	/* A test case with neither a check nor a tree. */
	EXPECT_ERR(edit(NULL,
			"        check:\n          family: \"examiner\"\n          params:\n"
			"            guidance: \"g\"\n",
			""),
		   "id: \"AUM-5-1-1\"", "'check' or a 'tree'");
	/* A tree beside a check runs in its check's pass: it cannot read a
	 * tree-only case, which runs last.  Reading itself and an earlier
	 * check is fine. */
	static const char third[] =
		"      - id: \"AUM-5-1-3\"\n"
		"        kind: \"functional\"\n"
		"        title: \"Check and tree\"\n"
		"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n"
		"        tree:\n"
		"          for-each: \"device\"\n"
		"          nodes:\n"
		"            - id: \"DN-1\"\n"
		"              question: \"Q\"\n"
		"              answer: { case: \"AUM-5-1-2\", verdict: \"pass\" }\n"
		"              yes: \"pass\"\n"
		"              no: \"fail\"\n";
	char *t = malloc(sizeof base + sizeof third);
	strcat(strcpy(t, base), third);
	EXPECT_ERR(t, "\"AUM-5-1-2\", verdict", "runs after");
	t = malloc(sizeof base + sizeof third);
	strcat(strcpy(t, base), third);
	strstr(t, "case: \"AUM-5-1-2\"")[15] = '3'; /* reads itself */
	struct tb_suite *ok = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_suite_parse(NAME, t, strlen(t), &ok, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(tb_case_pass(tb_suite_find_case(ok, "AUM-5-1-3")), 0);
	tb_suite_free(ok);
	free(t);
	/* A tree reading its own case, which has no check. */
	EXPECT_ERR(edit(NULL, "case: \"AUM-5-1-1\", verdict", "case: \"AUM-5-1-2\", verdict"),
		   "\"AUM-5-1-2\", verdict", "has no check");
}
END_TEST

/* ---- the pure walk ---- */

struct fake {
	enum tb_ans ans[3]; /* per node */
	const char *just;
};

static void fake_answer(const struct tb_tree_node *node, void *arg, struct tb_answer *out)
{
	const struct fake *f = arg;
	size_t i = (size_t)(node->id[3] - '1');
	out->ans = f->ans[i];
	snprintf(out->source, sizeof out->source, "declaration");
	snprintf(out->detail, sizeof out->detail, "fake %s", node->id);
}

static const char *fake_just(const char *key, void *arg)
{
	(void)key;
	return ((const struct fake *)arg)->just;
}

static enum tb_verdict walk(const struct tb_tree *t, struct fake *f, struct tb_walk *w)
{
	tb_tree_walk(t, "item", "authentication", fake_answer, fake_just, f, w);
	return w->verdict;
}

START_TEST(walk_paths)
{
	struct tb_suite *s = load_base();
	const struct tb_tree *t = tb_suite_find_case(s, "AUM-5-1-2")->tree;
	struct tb_walk w;
	struct fake f = { { TB_ANS_YES, TB_ANS_NONE, TB_ANS_NONE }, NULL };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_PASS);
	ck_assert_uint_eq(w.nsteps, 1);
	tb_walk_clear(&w);

	f = (struct fake){ { TB_ANS_NO, TB_ANS_NO, TB_ANS_NONE }, NULL };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_FAIL);
	ck_assert_uint_eq(w.nsteps, 2);
	ck_assert_uint_eq(w.steps[1].node, 1);
	ck_assert_int_eq(w.steps[1].answer.ans, TB_ANS_NO);
	tb_walk_clear(&w);

	/* An answer nobody gave stops the walk: needs-examiner, naming the node. */
	f = (struct fake){ { TB_ANS_NO, TB_ANS_YES, TB_ANS_NONE }, NULL };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_EXAMINER);
	ck_assert_uint_eq(w.stopped_at, 2);
	ck_assert_ptr_nonnull(strstr(w.reason, "DN-3"));
	tb_walk_clear(&w);

	/* NOT APPLICABLE with the profile's justification... */
	f = (struct fake){ { TB_ANS_NO, TB_ANS_YES, TB_ANS_NO }, "no default exists" };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_NA);
	ck_assert_str_eq(w.justification, "no default exists");
	ck_assert_str_eq(w.leaf_key, "why");
	tb_walk_clear(&w);

	/* ...and without one the item fails. */
	f = (struct fake){ { TB_ANS_NO, TB_ANS_YES, TB_ANS_NO }, NULL };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_FAIL);
	ck_assert_ptr_null(w.justification);
	ck_assert_ptr_nonnull(strstr(w.reason, "no justification 'why'"));
	tb_walk_clear(&w);
	tb_suite_free(s);
}
END_TEST

/* A walk that ends at a notified-body leaf is neither a fail nor waiting for
 * an examiner: no requirement verdict (NA), flagged, with the reason. */
START_TEST(walk_notified_body)
{
	char *text = edit(NULL, "{ not-applicable: \"why\" }", "{ notified-body: \"R2 applies\" }");
	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_suite_parse(NAME, text, strlen(text), &s, &d) == TB_OK, "%s", d.msg);
	const struct tb_tree *t = tb_suite_find_case(s, "AUM-5-1-2")->tree;
	struct tb_walk w;
	struct fake f = { { TB_ANS_NO, TB_ANS_YES, TB_ANS_NO }, NULL };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_NA);
	ck_assert_int_eq(w.notified_body, 1);
	ck_assert_str_eq(w.restriction, "R2 applies");
	ck_assert_ptr_null(w.leaf_key);
	ck_assert_ptr_nonnull(strstr(w.reason, "NOTIFIED BODY NEEDED at DN-3: R2 applies"));
	tb_walk_clear(&w);
	/* The other branch of the same node still passes, unflagged. */
	f = (struct fake){ { TB_ANS_NO, TB_ANS_YES, TB_ANS_YES }, NULL };
	ck_assert_int_eq(walk(t, &f, &w), TB_V_PASS);
	ck_assert_int_eq(w.notified_body, 0);
	tb_walk_clear(&w);
	tb_suite_free(s);
	free(text);
}
END_TEST

/* TB_V_COUNT below stands for an item at a notified-body leaf; nb gets how
 * many the combination flagged, reason (if not NULL) its reason. */
static enum tb_verdict combine_nb(const enum tb_verdict *v, size_t n, size_t *nb, char *reason,
				  size_t cap)
{
	struct tb_walks ws = { 0 };
	ws.v = calloc(n + 1, sizeof *ws.v);
	for (size_t i = 0; i < n; i++) {
		ws.v[i].item = strdup(i ? "b" : "a");
		ws.v[i].verdict = v[i] == TB_V_COUNT ? TB_V_NA : v[i];
		if (v[i] == TB_V_NA)
			ws.v[i].justification = strdup("j");
		if (v[i] == TB_V_COUNT) {
			ws.v[i].notified_body = 1;
			ws.v[i].restriction = strdup("R2 applies");
		}
	}
	ws.n = n;
	tb_walks_combine(&ws);
	if (nb)
		*nb = ws.notified_body;
	if (reason)
		snprintf(reason, cap, "%s", ws.reason);
	for (size_t i = 0; i < n; i++)
		tb_walk_clear(&ws.v[i]);
	free(ws.v);
	return ws.verdict;
}

static enum tb_verdict combine(const enum tb_verdict *v, size_t n)
{
	return combine_nb(v, n, NULL, NULL, 0);
}

START_TEST(combined_verdict)
{
	enum tb_verdict a[] = { TB_V_PASS, TB_V_FAIL }, b[] = { TB_V_EXAMINER, TB_V_PASS },
			c[] = { TB_V_NA, TB_V_PASS }, d[] = { TB_V_NA, TB_V_NA },
			e[] = { TB_V_EXAMINER, TB_V_FAIL };
	ck_assert_int_eq(combine(a, 2), TB_V_FAIL);
	ck_assert_int_eq(combine(b, 2), TB_V_EXAMINER);
	ck_assert_int_eq(combine(c, 2), TB_V_PASS);
	ck_assert_int_eq(combine(d, 2), TB_V_NA);
	ck_assert_int_eq(combine(e, 2), TB_V_FAIL);
	/* No item declared: never PASS, never N/A without a justification. */
	ck_assert_int_eq(combine(a, 0), TB_V_EXAMINER);
}
END_TEST

/* Items routed to a notified body (TB_V_COUNT here) never make the
 * requirement fail or wait: the verdict is the other items', the flag and
 * the reason come first in the case's reason. */
START_TEST(combined_notified_body)
{
	const enum tb_verdict nb = TB_V_COUNT;
	enum tb_verdict only[] = { nb }, with_pass[] = { nb, TB_V_PASS },
			with_fail[] = { TB_V_FAIL, nb }, with_exam[] = { nb, TB_V_EXAMINER },
			with_na[] = { nb, TB_V_NA };
	size_t n = 0;
	char reason[1024];
	ck_assert_int_eq(combine_nb(only, 1, &n, reason, sizeof reason), TB_V_NA);
	ck_assert_uint_eq(n, 1);
	static const char head[] = "NOTIFIED BODY NEEDED for 1 of 1 items (R2 applies); ";
	ck_assert_msg(strncmp(reason, head, strlen(head)) == 0, "%s", reason);
	ck_assert_ptr_nonnull(strstr(reason, "routed to a notified body"));
	ck_assert_int_eq(combine_nb(with_pass, 2, &n, reason, sizeof reason), TB_V_PASS);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(combine_nb(with_na, 2, &n, reason, sizeof reason), TB_V_NA);
	ck_assert_ptr_nonnull(strstr(reason, "first b: j"));
	/* Another item's own fail or open question still counts. */
	ck_assert_int_eq(combine_nb(with_fail, 2, &n, NULL, 0), TB_V_FAIL);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(combine_nb(with_exam, 2, &n, NULL, 0), TB_V_EXAMINER);
	enum tb_verdict plain[] = { TB_V_PASS };
	ck_assert_int_eq(combine_nb(plain, 1, &n, reason, sizeof reason), TB_V_PASS);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(strstr(reason, "NOTIFIED"));
}
END_TEST

/* ---- the walk in a run: each answer source ---- */

static struct tb_fact fact(const char *name, int value)
{
	struct tb_fact f = { strdup(name), strdup(value ? "true" : "false"), 1, value };
	return f;
}

static struct tb_decisions *decide(const struct tb_suite *s, const char *yaml)
{
	struct tb_decisions *ds = NULL;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_decisions_parse("dec.yaml", yaml, strlen(yaml), s, &ds, &d);
	ck_assert_msg(e == TB_OK, "%lu:%lu: %s", d.line, d.col, d.msg);
	return ds;
}

START_TEST(run_each_source)
{
	struct tb_suite *s = load_base();
	struct tb_profile p = { 0 };
	/* m1: forced change (declaration: PASS at DN-1); m2: not forced, so the
	 * check's verdict decides DN-2 and the examiner DN-3; m3: forced
	 * undeclared (nobody answers DN-1). */
	p.mechanisms.v = calloc(4, sizeof *p.mechanisms.v);
	const char *ids[] = { "m1", "m2", "m3" };
	for (int i = 0; i < 3; i++) {
		struct tb_decl_item *it = &p.mechanisms.v[i];
		it->id = strdup(ids[i]);
		it->kind = strdup("authentication");
		if (i < 2) {
			it->facts = calloc(1, sizeof *it->facts);
			it->facts[0] = fact("forced", i == 0);
			it->nfacts = 1;
		}
	}
	p.mechanisms.n = 3;
	struct tb_result results[2];
	memset(results, 0, sizeof results);
	results[0].tc = tb_suite_find_case(s, "AUM-5-1-1");
	tb_result_set(&results[0], TB_V_PASS, "no default password worked");
	size_t nres = 1;
	struct tb_ctx ctx = { .suite = s, .profile = &p, .results = results, .nresults = &nres };
	const struct tb_case *tc = tb_suite_find_case(s, "AUM-5-1-2");

	/* No examiner yet: m2 stops at DN-3, m3 at DN-1. */
	struct tb_result *r = &results[1];
	r->tc = tc;
	tb_tree_case_run(&ctx, tc, r);
	ck_assert_int_eq(r->verdict, TB_V_EXAMINER);
	ck_assert_uint_eq(r->walks->n, 3);
	ck_assert_int_eq(r->walks->v[0].verdict, TB_V_PASS);
	ck_assert_str_eq(r->walks->v[0].steps[0].answer.source, "declaration");
	ck_assert_int_eq(r->walks->v[1].verdict, TB_V_EXAMINER);
	ck_assert_str_eq(r->walks->v[1].steps[1].answer.source, "check");
	ck_assert_int_eq(r->walks->v[1].steps[1].answer.ans, TB_ANS_YES);
	ck_assert_uint_eq(r->walks->v[1].stopped_at, 2);
	ck_assert_int_eq(r->walks->v[2].verdict, TB_V_EXAMINER);
	ck_assert_uint_eq(r->walks->v[2].stopped_at, 0);
	ck_assert_ptr_nonnull(strstr(r->reason, "m2"));
	ck_assert_ptr_nonnull(strstr(r->reason, "DN-3"));
	tb_result_cleanup(r);

	/* The examiner answers DN-3 for m2 and DN-1 for m3. */
	struct tb_decisions *ds = decide(
		s,
		"decisions:\n"
		"  - { case: \"AUM-5-1-2\", item: \"m2\", node: \"DN-3\", answer: \"yes\",\n"
		"      examiner: \"A. E.\", date: \"2026-12-01\", rationale: \"20 random chars\" }\n"
		"  - { case: \"AUM-5-1-2\", item: \"m3\", node: \"DN-1\", answer: \"no\",\n"
		"      examiner: \"A. E.\", date: \"2026-12-01\", rationale: \"manual says so\" }\n");
	ctx.decisions = ds;
	r->tc = tc;
	tb_tree_case_run(&ctx, tc, r);
	ck_assert_int_eq(r->walks->v[1].verdict, TB_V_PASS);
	ck_assert_str_eq(r->walks->v[1].steps[2].answer.source, "examiner");
	ck_assert_ptr_nonnull(strstr(r->walks->v[1].steps[2].answer.detail, "A. E."));
	/* m3: examiner says not forced, the check passed, DN-3 for m3 undecided. */
	ck_assert_int_eq(r->walks->v[2].verdict, TB_V_EXAMINER);
	ck_assert_uint_eq(r->walks->v[2].stopped_at, 2);
	tb_result_cleanup(r);

	/* A failed check answers DN-2 "no": the item fails, and so does the case. */
	tb_result_set(&results[0], TB_V_FAIL, "admin:admin worked");
	r->tc = tc;
	tb_tree_case_run(&ctx, tc, r);
	ck_assert_int_eq(r->walks->v[1].verdict, TB_V_FAIL);
	ck_assert_int_eq(r->verdict, TB_V_FAIL);
	tb_result_cleanup(r);

	/* A check that could not decide answers nothing. */
	tb_result_set(&results[0], TB_V_INCONCLUSIVE, "no service answered");
	r->tc = tc;
	tb_tree_case_run(&ctx, tc, r);
	ck_assert_int_eq(r->walks->v[1].verdict, TB_V_EXAMINER);
	ck_assert_uint_eq(r->walks->v[1].stopped_at, 1);
	tb_result_cleanup(r);

	tb_result_cleanup(&results[0]);
	tb_decisions_free(ds);
	tb_profile_items_free(&p);
	tb_suite_free(s);
}
END_TEST

/* An answer from a named field (evidence note) of another case, for a
 * once-per-device tree reading a product fact first. */
START_TEST(run_field_source)
{
	static const char text[] =
		"suite: { id: \"f\", title: \"F\" }\n"
		"groups:\n"
		"  - provision: \"GEC-2\"\n"
		"    status: \"M\"\n"
		"    title: \"g\"\n"
		"    cases:\n"
		"      - id: \"GEC-2-1\"\n"
		"        kind: \"functional\"\n"
		"        title: \"c\"\n"
		"        check: { family: \"examiner\", params: { guidance: \"g\" } }\n"
		"      - id: \"GEC-2-2\"\n"
		"        kind: \"conceptual\"\n"
		"        title: \"t\"\n"
		"        tree:\n"
		"          for-each: \"device\"\n"
		"          nodes:\n"
		"            - { id: \"DN-1\", question: \"q\", answer: { declaration: "
		"\"product.toy\" },\n"
		"                yes: { not-applicable: \"toy\" }, no: \"DN-2\" }\n"
		"            - { id: \"DN-2\", question: \"q\", answer: { case: "
		"\"GEC-2-1\",\n"
		"                field: \"method\", equals: \"syn\" }, yes: \"pass\", no: "
		"\"fail\" }\n";
	struct tb_suite *s = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_suite_parse(NAME, text, strlen(text), &s, &d) == TB_OK, "%lu:%lu: %s", d.line,
		      d.col, d.msg);
	struct tb_profile p = { 0 };
	p.product.facts = calloc(1, sizeof *p.product.facts);
	p.product.facts[0] = fact("toy", 0);
	p.product.nfacts = 1;
	struct tb_result res[2];
	memset(res, 0, sizeof res);
	res[0].tc = &s->cases[0];
	tb_result_set(&res[0], TB_V_EXAMINER, "awaiting");
	size_t n = 1;
	struct tb_ctx ctx = { .suite = s, .profile = &p, .results = res, .nresults = &n };
	const struct tb_case *tc = &s->cases[1];
	/* No such note yet: nobody answered DN-2. */
	res[1].tc = tc;
	tb_tree_case_run(&ctx, tc, &res[1]);
	ck_assert_int_eq(res[1].verdict, TB_V_EXAMINER);
	ck_assert_str_eq(res[1].walks->v[0].item, "device");
	ck_assert_uint_eq(res[1].walks->v[0].stopped_at, 1);
	tb_result_cleanup(&res[1]);
	tb_ev_note(&res[0], "method", "syn");
	res[1].tc = tc;
	tb_tree_case_run(&ctx, tc, &res[1]);
	ck_assert_int_eq(res[1].verdict, TB_V_PASS);
	ck_assert_str_eq(res[1].walks->v[0].steps[1].answer.source, "check");
	tb_result_cleanup(&res[1]);
	/* A toy: not applicable, but the product gives no justification. */
	p.product.facts[0].value = 1;
	res[1].tc = tc;
	tb_tree_case_run(&ctx, tc, &res[1]);
	ck_assert_int_eq(res[1].verdict, TB_V_FAIL);
	tb_result_cleanup(&res[1]);
	tb_result_cleanup(&res[0]);
	tb_profile_items_free(&p);
	tb_suite_free(s);
}
END_TEST

START_TEST(decisions_name_real_nodes)
{
	struct tb_suite *s = load_base();
	struct tb_decisions *ds = NULL;
	struct tb_diag d = { 0 };
	const char *bad =
		"decisions:\n"
		"  - { case: \"AUM-5-1-2\", item: \"m2\", node: \"DN-7\", answer: \"yes\",\n"
		"      examiner: \"A\", date: \"2026-12-01\", rationale: \"r\" }\n";
	ck_assert_int_eq(tb_decisions_parse("dec.yaml", bad, strlen(bad), s, &ds, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 2);
	ck_assert_ptr_nonnull(strstr(d.msg, "no node 'DN-7'"));
	const char *notree =
		"decisions:\n"
		"  - { case: \"AUM-5-1-1\", item: \"m2\", node: \"DN-1\", answer: \"yes\",\n"
		"      examiner: \"A\", date: \"2026-12-01\", rationale: \"r\" }\n";
	ck_assert_int_eq(tb_decisions_parse("dec.yaml", notree, strlen(notree), s, &ds, &d),
			 TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "no decision tree"));
	const char *maybe =
		"decisions:\n"
		"  - { case: \"AUM-5-1-2\", item: \"m2\", node: \"DN-1\", answer: \"maybe\",\n"
		"      examiner: \"A\", date: \"2026-12-01\", rationale: \"r\" }\n";
	ck_assert_int_eq(tb_decisions_parse("dec.yaml", maybe, strlen(maybe), s, &ds, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "yes or no"));
	/* A tree case is never decided whole. */
	const char *whole =
		"decisions:\n"
		"  - { case: \"AUM-5-1-2\", verdict: \"pass\",\n"
		"      examiner: \"A\", date: \"2026-12-01\", rationale: \"r\" }\n";
	ck_assert_int_eq(tb_decisions_parse("dec.yaml", whole, strlen(whole), s, &ds, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "answer its nodes"));
	tb_suite_free(s);
}
END_TEST

/* The shipped example suite and the reference profiles load together. */
START_TEST(example_suite_and_profiles)
{
	struct tb_suite *s = NULL;
	struct tb_profile *p = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_suite_load("testsuites/en-18031-1.yaml", &s, &d) == TB_OK, "%s:%lu:%lu: %s",
		      d.file, d.line, d.col, d.msg);
	ck_assert_msg(tb_profile_load("profiles/refdevice-legacy.yaml", &p, &d) == TB_OK, "%s", d.msg);
	ck_assert_uint_ge(p->mechanisms.n, 2);
	ck_assert_uint_ge(p->interfaces.n, 2);
	const struct tb_case *c = tb_suite_find_case(s, "ACM-1-1");
	ck_assert_ptr_nonnull(c);
	/* ACM-1 on the legacy declarations: the status page is declared public
	 * without a justification, so that item fails. */
	struct tb_ctx ctx = { .suite = s, .profile = p };
	struct tb_result r = { .tc = c };
	tb_tree_case_run(&ctx, c, &r);
	ck_assert_int_eq(r.verdict, TB_V_FAIL);
	ck_assert_ptr_nonnull(strstr(r.reason, "status-page"));
	tb_result_cleanup(&r);
	tb_profile_free(p);
	tb_suite_free(s);
}
END_TEST

START_TEST(profile_items_errors)
{
	static const char head[] =
		"profile: { id: \"x\", description: \"d\" }\n"
		"dut: { manufacturer: \"m\", model: \"m\", firmware: \"1\", serial: \"s\", "
		"address: \"198.18.0.10\" }\n"
		"lab: { scope: [\"198.18.0.10/32\"], interface: \"eth0\", intrusive: false }\n"
		"declarations:\n";
	const struct {
		const char *decl, *needle, *phrase;
	} bad[] = {
		{ "  assets:\n    - { id: \"a\", kind: \"magic\" }\n", "\"magic\"",
		  "unknown kind 'magic'" },
		{ "  interfaces:\n    - { id: \"i\", kind: \"user\", category: \"X\" }\n", "\"X\"",
		  "implementation category" },
		{ "  mechanisms:\n    - { id: \"m\", kind: \"logging\" }\n    - { id: \"m\", kind: "
		  "\"n\" }\n",
		  "\"m\", kind: \"n\"", "unknown kind 'n'" },
		{ "  mechanisms:\n    - { id: \"m\", kind: \"logging\" }\n    - { id: \"m\", kind: "
		  "\"deletion\" }\n",
		  "\"m\", kind: \"deletion\"", "declared twice" },
		{ "  assets:\n    - { id: \"a\", kind: \"security\", facts: { Bad_Name: true } }\n",
		  "Bad_Name", "lowercase words" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%s%s", head, bad[i].decl);
		struct tb_profile *p = NULL;
		struct tb_diag d = { 0 };
		unsigned long line, col;
		pos_of(buf, bad[i].needle, &line, &col);
		if (i == 2)
			col += strlen("\"m\", kind: "); /* at the kind */
		ck_assert_int_eq(tb_profile_parse("p.yaml", buf, strlen(buf), &p, &d), TB_E_CONFIG);
		ck_assert_msg(strstr(d.msg, bad[i].phrase) && d.line == line && d.col == col,
			      "case %zu: %lu:%lu (want %lu:%lu): %s", i, d.line, d.col, line, col,
			      d.msg);
	}
}
END_TEST

/* The report records each item's path with answers and sources, validates
 * against the schema, and the HTML shows the path. */
START_TEST(report_records_paths)
{
	struct tb_suite *s = load_base();
	struct tb_profile *p = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_profile_load("profiles/refdevice-legacy.yaml", &p, &d) == TB_OK, "%s", d.msg);
	/* Two of the legacy profile's mechanisms are authentication ones (tls-keys
	 * is filtered out by kind). */
	struct tb_result results[2];
	memset(results, 0, sizeof results);
	results[0].tc = tb_suite_find_case(s, "AUM-5-1-1");
	tb_result_set(&results[0], TB_V_FAIL, "telnet root:xc3511 accepted");
	strcpy(results[0].started, "2026-12-03T13:00:00Z");
	size_t nres = 1;
	struct tb_ctx ctx = { .suite = s, .profile = p, .results = results, .nresults = &nres };
	results[1].tc = tb_suite_find_case(s, "AUM-5-1-2");
	strcpy(results[1].started, "2026-12-03T13:00:01Z");
	tb_tree_case_run(&ctx, results[1].tc, &results[1]);
	char dir[] = "/tmp/tb-tree-XXXXXX", path[64], html[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/report.xml", dir);
	snprintf(html, sizeof html, "%s/report.html", dir);
	struct tb_run_info ri = { .suite = s,
				  .profile = p,
				  .started = "2026-12-03T13:00:00Z",
				  .finished = "2026-12-03T13:00:02Z",
				  .complete = 1,
				  .results = results,
				  .nresults = 2 };
	ck_assert_int_eq(tb_report_write(&ri, path, &d), TB_OK);
	ck_assert_msg(tb_report_load_validate(path, "reports/schema/trustbench-report.xsd", &d) ==
			      TB_OK,
		      "line %lu: %s", d.line, d.msg);
	char *xml = NULL;
	size_t n = 0;
	ck_assert_int_eq(tb_file_read(path, 1 << 20, &xml, &n, &d), TB_OK);
	/* The base tree reads the declaration "forced", which the legacy profile
	 * does not declare: each authentication mechanism stops at DN-1. */
	ck_assert_ptr_nonnull(strstr(xml,
				     "<decision-tree for-each=\"mechanisms\" kind=\"authentication\" "
				     "verdict=\"needs-examiner\" items=\"2\">"));
	ck_assert_ptr_nonnull(strstr(xml,
				     "<item id=\"telnet-root\" kind=\"authentication\" "
				     "verdict=\"needs-examiner\" stopped-at=\"DN-1\">"));
	ck_assert_ptr_nonnull(
		strstr(xml, "<step node=\"DN-1\" answer=\"none\" source=\"declaration\">"));
	ck_assert(strstr(xml, "the profile declares no &apos;forced&apos; for telnet-root") ||
		  strstr(xml, "the profile declares no 'forced' for telnet-root"));
	free(xml);
	ck_assert_msg(tb_render_html_file(path, TB_RENDER_XSL_REL, html, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(tb_file_read(html, 1 << 22, &xml, &n, &d), TB_OK);
	ck_assert_ptr_nonnull(
		strstr(xml, "Decision tree, walked for each of the 2 declared mechanisms"));
	ck_assert_ptr_nonnull(strstr(xml, "none (declaration)"));
	free(xml);
	unlink(html);
	unlink(path);
	rmdir(dir);
	tb_result_cleanup(&results[0]);
	tb_result_cleanup(&results[1]);
	tb_profile_free(p);
	tb_suite_free(s);
}
END_TEST

/* A restriction case in a report: the item says notified-body, the tree
 * carries notified-body-needed with the reason, the report validates, and
 * the HTML shows the banner in the case and in the summary. */
START_TEST(report_notified_body)
{
	static const char restr[] =
		"      - id: \"AUM-5-1-3\"\n"
		"        kind: \"conceptual\"\n"
		"        title: \"OJ restriction\"\n"
		"        tree:\n"
		"          for-each: \"device\"\n"
		"          nodes:\n"
		"            - id: \"R2-1\"\n"
		"              question: \"Can the user skip the password?\"\n"
		"              answer: { case: \"AUM-5-1-1\", verdict: \"fail\" }\n"
		"              yes: { notified-body: \"OJ restriction R2 applies\" }\n"
		"              no: \"pass\"\n";
	char *text = malloc(sizeof base + sizeof restr);
	strcat(strcpy(text, base), restr);
	struct tb_suite *s = NULL;
	struct tb_profile *p = NULL;
	struct tb_diag d = { 0 };
	ck_assert_msg(tb_suite_parse(NAME, text, strlen(text), &s, &d) == TB_OK, "%s", d.msg);
	ck_assert_msg(tb_profile_load("profiles/refdevice-legacy.yaml", &p, &d) == TB_OK, "%s", d.msg);
	struct tb_result results[2];
	memset(results, 0, sizeof results);
	results[0].tc = tb_suite_find_case(s, "AUM-5-1-1");
	tb_result_set(&results[0], TB_V_FAIL, "stands for a password-skip probe");
	strcpy(results[0].started, "2026-12-03T13:00:00Z");
	size_t nres = 1;
	struct tb_ctx ctx = { .suite = s, .profile = p, .results = results, .nresults = &nres };
	results[1].tc = tb_suite_find_case(s, "AUM-5-1-3");
	strcpy(results[1].started, "2026-12-03T13:00:01Z");
	tb_tree_case_run(&ctx, results[1].tc, &results[1]);
	ck_assert_int_eq(results[1].verdict, TB_V_NA);
	ck_assert_ptr_nonnull(strstr(results[1].reason, "NOTIFIED BODY NEEDED"));
	char dir[] = "/tmp/tb-tree-XXXXXX", path[64], html[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/report.xml", dir);
	snprintf(html, sizeof html, "%s/report.html", dir);
	struct tb_run_info ri = { .suite = s,
				  .profile = p,
				  .started = "2026-12-03T13:00:00Z",
				  .finished = "2026-12-03T13:00:02Z",
				  .complete = 1,
				  .results = results,
				  .nresults = 2 };
	ck_assert_int_eq(tb_report_write(&ri, path, &d), TB_OK);
	ck_assert_msg(tb_report_load_validate(path, "reports/schema/trustbench-report.xsd", &d) ==
			      TB_OK,
		      "line %lu: %s", d.line, d.msg);
	char *xml = NULL;
	size_t n = 0;
	ck_assert_int_eq(tb_file_read(path, 1 << 20, &xml, &n, &d), TB_OK);
	ck_assert_ptr_nonnull(strstr(xml,
				     "<notified-body-needed items=\"1\">OJ restriction R2 "
				     "applies</notified-body-needed>"));
	ck_assert_ptr_nonnull(strstr(xml, "<item id=\"device\" verdict=\"notified-body\">"));
	free(xml);
	ck_assert_msg(tb_render_html_file(path, TB_RENDER_XSL_REL, html, &d) == TB_OK, "%s", d.msg);
	ck_assert_int_eq(tb_file_read(html, 1 << 22, &xml, &n, &d), TB_OK);
	/* Once in the summary (with the case id), once in the case. */
	const char *banner = strstr(xml, "Notified body needed: </strong>AUM-5-1-3: OJ restriction R2");
	ck_assert_ptr_nonnull(banner);
	ck_assert_ptr_nonnull(strstr(banner + 1, "Notified body needed: </strong>OJ restriction R2"));
	free(xml);
	unlink(html);
	unlink(path);
	rmdir(dir);
	tb_result_cleanup(&results[0]);
	tb_result_cleanup(&results[1]);
	tb_profile_free(p);
	tb_suite_free(s);
	free(text);
}
END_TEST

Suite *tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *load = tcase_create("load");
	tcase_add_test(load, loads_valid_tree);
	tcase_add_test(load, requirement_ids);
	tcase_add_test(load, missing_branch);
	tcase_add_test(load, unknown_target);
	tcase_add_test(load, cycle);
	tcase_add_test(load, unreachable);
	tcase_add_test(load, unknown_answer_source);
	tcase_add_test(load, unknown_leaf);
	tcase_add_test(load, notified_body_leaf);
	tcase_add_test(load, other_shape_errors);
	tcase_add_test(load, profile_items_errors);
	suite_add_tcase(s, load);
	TCase *w = tcase_create("walk");
	tcase_add_test(w, walk_paths);
	tcase_add_test(w, walk_notified_body);
	tcase_add_test(w, combined_verdict);
	tcase_add_test(w, combined_notified_body);
	tcase_add_test(w, report_notified_body);
	tcase_add_test(w, run_each_source);
	tcase_add_test(w, run_field_source);
	tcase_add_test(w, decisions_name_real_nodes);
	tcase_add_test(w, example_suite_and_profiles);
	tcase_add_test(w, report_records_paths);
	suite_add_tcase(s, w);
	return s;
}
