/* decisions.c: load examiner decisions (see decisions.h). */
#include "load/decisions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "load/tree.h"
#include "load/yamlx.h"

/* A tree-node answer: case, item, node, answer (see decisions.h). */
static enum tb_err load_node_answer(const struct tb_y_doc *doc, const struct tb_y_node *m,
				    const struct tb_case *c, const struct tb_decisions *ds,
				    struct tb_decision *x, struct tb_diag *d)
{
	static const char *const req[] = { "case",     "item", "node",      "answer",
					   "examiner", "date", "rationale", NULL };
	enum tb_err e = tb_y_keys(doc, m, "a tree-node decision", NULL, req, d);
	const char *item, *node, *ans;
	if (e || (e = tb_y_str(doc, tb_y_get(m, "item"), "item", &item, d)) ||
	    (e = tb_y_str(doc, tb_y_get(m, "node"), "node", &node, d)) ||
	    (e = tb_y_str(doc, tb_y_get(m, "answer"), "answer", &ans, d)))
		return e;
	if (!c->tree)
		return tb_y_errd(d, doc, tb_y_get(m, "node"), "test case %s has no decision tree",
				 c->id);
	if (tb_tree_find_node(c->tree, node) == (size_t)-1)
		return tb_y_errd(d, doc, tb_y_get(m, "node"), "the tree of %s has no node '%s'", c->id,
				 node);
	if (strcmp(ans, "yes") != 0 && strcmp(ans, "no") != 0)
		return tb_y_errd(d, doc, tb_y_get(m, "answer"), "answer must be yes or no, not '%s'",
				 ans);
	if (tb_decision_for_node(ds, c->id, item, node))
		return tb_y_errd(d, doc, tb_y_get(m, "node"),
				 "node %s of %s for item %s is answered twice", node, c->id, item);
	x->item = tb_xstrdup(item);
	x->node = tb_xstrdup(node);
	x->answer = ans[0] == 'y';
	return TB_OK;
}

static enum tb_err load_one(const struct tb_y_doc *doc, const struct tb_y_node *m,
			    const struct tb_suite *suite, struct tb_decisions *ds, struct tb_diag *d)
{
	static const char *const req[] = { "case", "verdict", "examiner", "date", "rationale", NULL };
	enum tb_err e = tb_y_expect(doc, m, TB_Y_MAP, "a decision", d);
	if (!e && tb_y_get(m, "node")) {
		const char *cid;
		if ((e = tb_y_str(doc, tb_y_get(m, "case"), "case", &cid, d)))
			return e;
		const struct tb_case *tc = tb_suite_find_case(suite, cid);
		if (!tc)
			return tb_y_errd(d, doc, tb_y_get(m, "case"), "the suite has no test case '%s'",
					 cid);
		struct tb_decision *x = &ds->v[ds->n];
		if ((e = load_node_answer(doc, m, tc, ds, x, d)))
			return e;
		x->case_id = tb_xstrdup(tc->id);
		x->verdict = TB_V_EXAMINER;
		ds->n++; /* owned by ds from here on */
		const char *who, *date, *why;
		if ((e = tb_y_str(doc, tb_y_get(m, "examiner"), "examiner", &who, d)))
			return e;
		x->examiner = tb_xstrdup(who);
		if ((e = tb_y_str(doc, tb_y_get(m, "date"), "date", &date, d)) ||
		    (e = tb_y_str(doc, tb_y_get(m, "rationale"), "rationale", &why, d)))
			return e;
		if (!tb_date_valid(date))
			return tb_y_errd(d, doc, tb_y_get(m, "date"),
					 "date must be YYYY-MM-DD, not '%s'", date);
		x->date = tb_xstrdup(date);
		x->rationale = tb_xstrdup(why);
		return TB_OK;
	}
	if (!e)
		e = tb_y_keys(doc, m, "a decision", NULL, req, d);
	const char *id, *verdict, *who, *date, *why;
	if (e || (e = tb_y_str(doc, tb_y_get(m, "case"), "case", &id, d)) ||
	    (e = tb_y_str(doc, tb_y_get(m, "verdict"), "verdict", &verdict, d)) ||
	    (e = tb_y_str(doc, tb_y_get(m, "examiner"), "examiner", &who, d)) ||
	    (e = tb_y_str(doc, tb_y_get(m, "date"), "date", &date, d)) ||
	    (e = tb_y_str(doc, tb_y_get(m, "rationale"), "rationale", &why, d)))
		return e;
	const struct tb_case *c = tb_suite_find_case(suite, id);
	if (!c)
		return tb_y_errd(d, doc, tb_y_get(m, "case"), "the suite has no test case '%s'", id);
	if (c->tree)
		return tb_y_errd(d, doc, tb_y_get(m, "case"),
				 "test case %s is a decision tree: answer its nodes (item:, node:, "
				 "answer:) instead",
				 id);
	if (!(c->family->flags & TB_FAM_EXAMINER))
		return tb_y_errd(d, doc, tb_y_get(m, "case"),
				 "test case %s is decided by the '%s' check, not by an examiner", id,
				 c->family->name);
	if (tb_decision_for(ds, id))
		return tb_y_errd(d, doc, tb_y_get(m, "case"), "test case %s is decided twice", id);
	int v = tb_verdict_parse(verdict);
	if (v != TB_V_PASS && v != TB_V_FAIL && v != TB_V_NA && v != TB_V_INCONCLUSIVE)
		return tb_y_errd(d, doc, tb_y_get(m, "verdict"),
				 "verdict must be pass, fail, not-applicable or inconclusive, not '%s'",
				 verdict);
	if (!tb_date_valid(date))
		return tb_y_errd(d, doc, tb_y_get(m, "date"), "date must be YYYY-MM-DD, not '%s'",
				 date);
	struct tb_decision *x = &ds->v[ds->n++];
	x->case_id = tb_xstrdup(id);
	x->examiner = tb_xstrdup(who);
	x->date = tb_xstrdup(date);
	x->rationale = tb_xstrdup(why);
	x->verdict = (enum tb_verdict)v;
	return TB_OK;
}

enum tb_err tb_decisions_parse(const char *name, const void *buf, size_t len,
			       const struct tb_suite *suite, struct tb_decisions **out,
			       struct tb_diag *d)
{
	static const char *const req[] = { "decisions", NULL };
	*out = NULL;
	struct tb_y_doc *doc;
	enum tb_err e = tb_y_parse(name, buf, len, &doc, d);
	if (e)
		return e;
	struct tb_decisions *ds = tb_xcalloc(1, sizeof *ds);
	const struct tb_y_node *list = tb_y_get(doc->root, "decisions");
	e = tb_y_keys(doc, doc->root, "the decisions file", NULL, req, d);
	if (!e)
		e = tb_y_expect(doc, list, TB_Y_SEQ, "decisions", d);
	if (!e)
		ds->v = tb_xcalloc(list->nkids + 1, sizeof *ds->v);
	for (size_t i = 0; !e && i < list->nkids; i++)
		e = load_one(doc, list->kids[i], suite, ds, d);
	tb_y_free(doc);
	if (e) {
		tb_decisions_free(ds);
		return e;
	}
	ds->path = tb_xstrdup(name);
	tb_sha256_mem(buf, len, ds->sha256);
	*out = ds;
	return TB_OK;
}

enum tb_err tb_decisions_load(const char *path, const struct tb_suite *suite, struct tb_decisions **out,
			      struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e)
		e = tb_decisions_parse(path, buf, n, suite, out, d);
	free(buf);
	return e;
}

void tb_decisions_free(struct tb_decisions *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->v[i].case_id);
		free(ds->v[i].examiner);
		free(ds->v[i].date);
		free(ds->v[i].rationale);
		free(ds->v[i].item);
		free(ds->v[i].node);
	}
	free(ds->v);
	free(ds->path);
	free(ds);
}

const struct tb_decision *tb_decision_for(const struct tb_decisions *ds, const char *case_id)
{
	for (size_t i = 0; ds && i < ds->n; i++)
		if (!ds->v[i].node && strcmp(ds->v[i].case_id, case_id) == 0)
			return &ds->v[i];
	return NULL;
}

const struct tb_decision *tb_decision_for_node(const struct tb_decisions *ds, const char *case_id,
					       const char *item, const char *node)
{
	for (size_t i = 0; ds && i < ds->n; i++) {
		const struct tb_decision *x = &ds->v[i];
		if (x->node && strcmp(x->case_id, case_id) == 0 && strcmp(x->item, item) == 0 &&
		    strcmp(x->node, node) == 0)
			return x;
	}
	return NULL;
}
