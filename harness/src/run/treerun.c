/* treerun.c: walk decision-tree test cases per declared item (see treerun.h). */
#include "run/treerun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/family.h"
#include "load/decisions.h"
#include "load/profile.h"
#include "load/tree.h"

int tb_case_pass(const struct tb_case *tc)
{
	return tb_family_pass(tc->family);
}

/* What one item's walk reads its answers from. */
struct walk_src {
	const struct tb_ctx *ctx;
	const struct tb_case *tc;
	const struct tb_result *self; /* tc's own check result, or NULL */
	const struct tb_decl_item *item;
	const char *item_id;
};

static const struct tb_result *result_of(const struct walk_src *w, const char *case_id)
{
	if (w->self && strcmp(case_id, w->tc->id) == 0)
		return w->self;
	if (!w->ctx->results || !w->ctx->nresults)
		return NULL;
	for (size_t i = 0; i < *w->ctx->nresults; i++)
		if (strcmp(w->ctx->results[i].tc->id, case_id) == 0)
			return &w->ctx->results[i];
	return NULL;
}

static void set_answer(struct tb_answer *out, enum tb_ans a, const char *source, const char *detail)
{
	out->ans = a;
	snprintf(out->source, sizeof out->source, "%s", source);
	snprintf(out->detail, sizeof out->detail, "%s", detail);
}

/* A fact: "product.NAME" the device's, "category"/"kind" the item's own
 * fields, anything else the item's facts. */
static void answer_declaration(const struct walk_src *w, const struct tb_answer_def *a,
			       struct tb_answer *out)
{
	const struct tb_profile *p = w->ctx->profile;
	const char *name = a->fact, *text = NULL;
	int is_bool = 0, value = 0;
	const struct tb_decl_item *from = w->item;
	if (strncmp(name, "product.", 8) == 0) {
		from = &p->product;
		name += 8;
	}
	const struct tb_fact *f = from ? tb_fact_find(from->facts, from->nfacts, name) : NULL;
	if (f) {
		text = f->text;
		is_bool = f->is_bool;
		value = f->value;
	} else if (from && strcmp(name, "category") == 0) {
		text = from->category;
	} else if (from && strcmp(name, "kind") == 0) {
		text = from->kind;
	}
	char detail[512];
	if (!text) {
		snprintf(detail, sizeof detail, "the profile declares no '%s' for %s", a->fact,
			 from == &p->product ? "the product" : w->item_id);
		set_answer(out, TB_ANS_NONE, "declaration", detail);
	} else if (a->equals) {
		int yes = strcmp(text, a->equals) == 0;
		snprintf(detail, sizeof detail, "declared %s: %s (%s %s)", a->fact, text,
			 yes ? "is" : "is not", a->equals);
		set_answer(out, yes ? TB_ANS_YES : TB_ANS_NO, "declaration", detail);
	} else if (!is_bool) {
		snprintf(detail, sizeof detail, "declared %s is '%s', not true or false", a->fact,
			 text);
		set_answer(out, TB_ANS_NONE, "declaration", detail);
	} else {
		snprintf(detail, sizeof detail, "declared %s: %s", a->fact, value ? "true" : "false");
		set_answer(out, value ? TB_ANS_YES : TB_ANS_NO, "declaration", detail);
	}
}

static const struct tb_ev_item *note_of(const struct tb_result *r, const char *label)
{
	for (size_t i = 0; i < r->nev; i++)
		if (r->ev[i].kind == TB_EV_NOTE && strcmp(r->ev[i].label, label) == 0)
			return &r->ev[i];
	return NULL;
}

/* Another case's verdict or evidence note.  Only PASS and FAIL answer a
 * verdict question: anything else leaves the node to an examiner. */
static void answer_case(const struct walk_src *w, const struct tb_answer_def *a, struct tb_answer *out)
{
	const struct tb_result *r = result_of(w, a->case_id);
	char detail[512];
	if (!r) {
		snprintf(detail, sizeof detail, "test case %s did not run in this run", a->case_id);
		set_answer(out, TB_ANS_NONE, "check", detail);
		return;
	}
	if (a->src == TB_ANS_CASE_FIELD) {
		const struct tb_ev_item *n = note_of(r, a->field);
		if (!n) {
			snprintf(detail, sizeof detail, "test case %s recorded no '%s'", a->case_id,
				 a->field);
			set_answer(out, TB_ANS_NONE, "check", detail);
			return;
		}
		int yes = n->text && strcmp(n->text, a->equals) == 0;
		snprintf(detail, sizeof detail, "test case %s %s: %.300s", a->case_id, a->field,
			 n->text ? n->text : "");
		set_answer(out, yes ? TB_ANS_YES : TB_ANS_NO, "check", detail);
		return;
	}
	snprintf(detail, sizeof detail, "test case %s (%s): %s: %.300s", a->case_id,
		 r->tc->family->name, tb_verdict_name(r->verdict), r->reason ? r->reason : "");
	if (r->verdict != TB_V_PASS && r->verdict != TB_V_FAIL) {
		set_answer(out, TB_ANS_NONE, "check", detail);
		return;
	}
	set_answer(out, r->verdict == a->verdict ? TB_ANS_YES : TB_ANS_NO, "check", detail);
}

static void answer_node(const struct tb_tree_node *node, void *arg, struct tb_answer *out)
{
	const struct walk_src *w = arg;
	const struct tb_answer_def *a = &node->answer;
	switch (a->src) {
	case TB_ANS_DECLARATION: answer_declaration(w, a, out); break;
	case TB_ANS_CASE_VERDICT:
	case TB_ANS_CASE_FIELD: answer_case(w, a, out); break;
	case TB_ANS_EXAMINER:
		set_answer(out, TB_ANS_NONE, "examiner", "no examiner's answer yet");
		break;
	}
	if (out->ans != TB_ANS_NONE)
		return;
	/* Nobody else answered: the examiner may have. */
	const struct tb_decision *x =
		tb_decision_for_node(w->ctx->decisions, w->tc->id, w->item_id, node->id);
	if (!x)
		return;
	char detail[512];
	snprintf(detail, sizeof detail, "examiner %s on %s: %.400s", x->examiner, x->date,
		 x->rationale);
	set_answer(out, x->answer ? TB_ANS_YES : TB_ANS_NO, "examiner", detail);
}

static const char *justify_item(const char *key, void *arg)
{
	const struct walk_src *w = arg;
	if (!w->item)
		return NULL;
	const struct tb_fact *f = tb_fact_find(w->item->justifications, w->item->njustifications, key);
	return f ? f->text : NULL;
}

static const struct tb_decl_items *items_of(const struct tb_profile *p, enum tb_tree_scope s)
{
	switch (s) {
	case TB_TREE_ASSETS: return &p->assets;
	case TB_TREE_MECHANISMS: return &p->mechanisms;
	case TB_TREE_INTERFACES: return &p->interfaces;
	case TB_TREE_DEVICE: break;
	}
	return NULL;
}

static void walk_one(struct tb_walks *ws, struct walk_src *src, const struct tb_decl_item *item,
		     const char *id)
{
	src->item = item;
	src->item_id = id;
	tb_tree_walk(ws->tree, id, item ? item->kind : NULL, answer_node, justify_item, src,
		     &ws->v[ws->n++]);
}

void tb_tree_case_run(const struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *r)
{
	const struct tb_tree *t = tc->tree;
	const struct tb_profile *p = ctx->profile;
	int has_check = tc->family != &tb_tree_family;
	struct walk_src src = { .ctx = ctx, .tc = tc, .self = has_check ? r : NULL };
	if (has_check)
		tb_ev_note(r, "check-result", "the '%s' check: %s: %s", tc->family->name,
			   tb_verdict_name(r->verdict), r->reason ? r->reason : "(no reason)");
	struct tb_walks *ws = tb_xcalloc(1, sizeof *ws);
	ws->tree = t;
	const struct tb_decl_items *items = items_of(p, t->scope);
	ws->v = tb_xcalloc(items ? items->n + 1 : 1, sizeof *ws->v);
	if (!items)
		walk_one(ws, &src, &p->product, "device");
	for (size_t i = 0; items && i < items->n; i++)
		if (!t->kind || strcmp(items->v[i].kind, t->kind) == 0)
			walk_one(ws, &src, &items->v[i], items->v[i].id);
	tb_walks_combine(ws);
	tb_result_set(r, ws->verdict, "%s", ws->reason);
	r->walks = ws;
}
