/* tree.c: decision trees in suites: load, validate, walk (see tree.h). */
#include "load/tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/family.h"
#include "load/yamlx.h"

#define NO_NODE ((size_t)-1)

const char *tb_tree_scope_name(enum tb_tree_scope s)
{
	switch (s) {
	case TB_TREE_DEVICE: return "device";
	case TB_TREE_ASSETS: return "assets";
	case TB_TREE_MECHANISMS: return "mechanisms";
	case TB_TREE_INTERFACES: return "interfaces";
	}
	return "?";
}

static const char *const asset_kinds[] = { "security", "network", "privacy", "financial", NULL };
static const char *const mechanism_kinds[] = { "access-control",
					       "authentication",
					       "update",
					       "secure-storage",
					       "secure-communication",
					       "resilience",
					       "network-monitoring",
					       "traffic-control",
					       "logging",
					       "deletion",
					       "user-notification",
					       "cryptographic-keys",
					       "cryptography",
					       NULL };
static const char *const interface_kinds[] = { "network", "user", "machine", NULL };

static const char *const *kinds_of(enum tb_tree_scope scope)
{
	switch (scope) {
	case TB_TREE_ASSETS: return asset_kinds;
	case TB_TREE_MECHANISMS: return mechanism_kinds;
	case TB_TREE_INTERFACES: return interface_kinds;
	case TB_TREE_DEVICE: break;
	}
	return NULL;
}

int tb_item_kind_known(enum tb_tree_scope scope, const char *kind)
{
	for (const char *const *k = kinds_of(scope); k && *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

const char *tb_item_kinds_text(enum tb_tree_scope scope)
{
	switch (scope) {
	case TB_TREE_ASSETS: return "security, network, privacy, financial";
	case TB_TREE_MECHANISMS:
		return "access-control, authentication, update, secure-storage, "
		       "secure-communication, resilience, network-monitoring, traffic-control, "
		       "logging, deletion, user-notification, cryptographic-keys, cryptography";
	case TB_TREE_INTERFACES: return "network, user, machine";
	case TB_TREE_DEVICE: break;
	}
	return "";
}

const char *tb_answer_src_name(enum tb_answer_src s)
{
	switch (s) {
	case TB_ANS_DECLARATION: return "declaration";
	case TB_ANS_CASE_VERDICT:
	case TB_ANS_CASE_FIELD: return "check";
	case TB_ANS_EXAMINER: return "examiner";
	}
	return "?";
}

/* "ACM-1", "AUM-5-1", "GEC-8": three capitals, then one or two numbers. */
int tb_requirement_id_valid(const char *s)
{
	if (strlen(s) < 5 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3 || s[3] != '-')
		return 0;
	s += 4;
	for (int part = 0; part < 2; part++) {
		size_t n = strspn(s, "0123456789");
		if (n == 0 || n > 2)
			return 0;
		s += n;
		if (*s == '\0')
			return 1;
		if (*s++ != '-')
			return 0;
	}
	return 0;
}

static void no_check(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	(void)ctx;
	(void)tc;
	(void)res;
}

const struct tb_check_family tb_tree_family = {
	.name = "decision-tree",
	.summary = "a decision tree walked per item (the suite's tree:, load/tree.h)",
	.run = no_check,
};

/* ---- loading ---- */

struct tloader {
	const struct tb_y_doc *doc;
	struct tb_diag *d;
	tb_case_pass_fn earlier;
	void *arg;
	const char *self_id;
	const struct tb_check_family *self_family; /* NULL: no check */
	int self_pass;
	struct tb_tree *t;
};

/* Node ids: letters, digits and '-', '_', '.'; "pass" and "fail" are leaves. */
static int node_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 32 ||
	    strspn(id,
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789-_.") != n)
		return 0;
	return strcmp(id, "pass") != 0 && strcmp(id, "fail") != 0;
}

static enum tb_err str_at(struct tloader *L, const struct tb_y_node *n, const char *what, char **out)
{
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, what, &v, L->d);
	if (!e)
		*out = tb_xstrdup(v);
	return e;
}

static enum tb_err load_scope(struct tloader *L, const struct tb_y_node *n)
{
	static const enum tb_tree_scope all[] = { TB_TREE_DEVICE, TB_TREE_ASSETS, TB_TREE_MECHANISMS,
						  TB_TREE_INTERFACES };
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, "tree.for-each", &v, L->d);
	if (e)
		return e;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(v, tb_tree_scope_name(all[i])) == 0) {
			L->t->scope = all[i];
			return TB_OK;
		}
	return tb_y_errd(L->d, L->doc, n,
			 "tree.for-each must be assets, mechanisms, interfaces or device, not '%s'", v);
}

/* A case the tree reads: this one (its own check) or an earlier one. */
static enum tb_err check_case_ref(struct tloader *L, const struct tb_y_node *n, const char *id)
{
	if (strcmp(id, L->self_id) == 0) {
		if (L->self_family)
			return TB_OK;
		return tb_y_errd(L->d, L->doc, n,
				 "the tree reads its own test case %s, which has no check", id);
	}
	int pass = L->earlier(id, L->arg);
	if (pass > L->self_pass)
		return tb_y_errd(L->d, L->doc, n,
				 "test case %s runs after this one (it judges the whole capture or "
				 "is a tree): a tree beside a check cannot read it",
				 id);
	if (pass >= 0)
		return TB_OK;
	return tb_y_errd(L->d, L->doc, n,
			 "answer source: no test case '%s' earlier in the suite (a tree reads only "
			 "cases before it, or its own check)",
			 id);
}

static enum tb_err load_case_answer(struct tloader *L, const struct tb_y_node *m,
				    struct tb_answer_def *a)
{
	static const char *const opt[] = { "case", "verdict", "field", "equals", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "answer", opt, NULL, L->d);
	if (!e)
		e = str_at(L, tb_y_get(m, "case"), "answer.case", &a->case_id);
	if (!e)
		e = check_case_ref(L, tb_y_get(m, "case"), a->case_id);
	if (e)
		return e;
	const struct tb_y_node *vn = tb_y_get(m, "verdict"), *fn = tb_y_get(m, "field");
	if ((vn != NULL) == (fn != NULL))
		return tb_y_errd(L->d, L->doc, m,
				 "an answer from a test case needs either verdict: or field: (one)");
	if (vn) {
		const char *v;
		if ((e = tb_y_str(L->doc, vn, "answer.verdict", &v, L->d)))
			return e;
		if (strcmp(v, "pass") != 0 && strcmp(v, "fail") != 0)
			return tb_y_errd(L->d, L->doc, vn,
					 "answer.verdict must be pass or fail, not '%s'", v);
		if (tb_y_get(m, "equals"))
			return tb_y_errd(L->d, L->doc, tb_y_get(m, "equals"),
					 "equals: goes with field:, not verdict:");
		a->src = TB_ANS_CASE_VERDICT;
		a->verdict = v[0] == 'p' ? TB_V_PASS : TB_V_FAIL;
		return TB_OK;
	}
	a->src = TB_ANS_CASE_FIELD;
	if (!tb_y_get(m, "equals"))
		return tb_y_errd(L->d, L->doc, m, "an answer from an evidence field needs equals:");
	e = str_at(L, fn, "answer.field", &a->field);
	if (!e)
		e = str_at(L, tb_y_get(m, "equals"), "answer.equals", &a->equals);
	return e;
}

static enum tb_err load_answer(struct tloader *L, const struct tb_y_node *n, struct tb_answer_def *a)
{
	if (n->type == TB_Y_SCALAR) {
		if (strcmp(n->str, "examiner") == 0) {
			a->src = TB_ANS_EXAMINER;
			return TB_OK;
		}
		return tb_y_errd(L->d, L->doc, n,
				 "unknown answer source '%s' (examiner, {declaration: ...} or "
				 "{case: ..., verdict|field: ...})",
				 n->str);
	}
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_MAP, "answer", L->d);
	if (e)
		return e;
	if (tb_y_get(n, "case"))
		return load_case_answer(L, n, a);
	if (!tb_y_get(n, "declaration"))
		return tb_y_errd(L->d, L->doc, n->nkids ? n->kids[0] : n,
				 "unknown answer source '%s' (examiner, {declaration: ...} or "
				 "{case: ..., verdict|field: ...})",
				 n->nkids ? n->kids[0]->str : "");
	static const char *const opt[] = { "declaration", "equals", NULL };
	if ((e = tb_y_keys(L->doc, n, "answer", opt, NULL, L->d)))
		return e;
	a->src = TB_ANS_DECLARATION;
	e = str_at(L, tb_y_get(n, "declaration"), "answer.declaration", &a->fact);
	if (!e && tb_y_get(n, "equals"))
		e = str_at(L, tb_y_get(n, "equals"), "answer.equals", &a->equals);
	return e;
}

/* First pass: ids, so that branches can name later nodes. */
static enum tb_err load_node_ids(struct tloader *L, const struct tb_y_node *list)
{
	struct tb_tree *t = L->t;
	t->nodes = tb_xcalloc(list->nkids, sizeof *t->nodes);
	for (size_t i = 0; i < list->nkids; i++) {
		const struct tb_y_node *m = list->kids[i];
		static const char *const req[] = { "id", "question", "answer", "yes", "no", NULL };
		enum tb_err e = tb_y_expect(L->doc, m, TB_Y_MAP, "a tree node", L->d);
		if (!e)
			e = tb_y_keys(L->doc, m, "a tree node", NULL, req, L->d);
		const struct tb_y_node *idn = e ? NULL : tb_y_get(m, "id");
		const char *id = NULL;
		if (!e)
			e = tb_y_str(L->doc, idn, "node id", &id, L->d);
		if (e)
			return e;
		if (!node_id_valid(id))
			return tb_y_errd(L->d, L->doc, idn,
					 "node id '%s' must be letters, digits, '-', '_' or '.' "
					 "(and not pass or fail)",
					 id);
		size_t dup = tb_tree_find_node(t, id);
		if (dup != NO_NODE)
			return tb_y_errd(L->d, L->doc, idn,
					 "duplicate node id '%s' (first at line %lu)", id,
					 t->nodes[dup].line);
		struct tb_tree_node *nd = &t->nodes[t->nnodes++];
		nd->id = tb_xstrdup(id);
		nd->line = m->line;
		nd->col = m->col;
	}
	return TB_OK;
}

#define LEAVES_TEXT "pass, fail, {not-applicable: KEY} or {notified-body: REASON}"

/* A leaf written as a one-key mapping: {not-applicable: KEY} or
 * {notified-body: REASON}. */
static enum tb_err load_map_leaf(struct tloader *L, const struct tb_y_node *n, struct tb_branch *b)
{
	static const char *const na_req[] = { "not-applicable", NULL };
	static const char *const nb_req[] = { "notified-body", NULL };
	const char *key = n->nkids >= 2 ? n->kids[0]->str : "";
	if (strcmp(key, "notified-body") == 0) {
		enum tb_err e = tb_y_keys(L->doc, n, "a notified-body leaf", NULL, nb_req, L->d);
		if (!e) /* tb_y_str refuses an empty reason */
			e = str_at(L, n->kids[1], "notified-body", &b->restriction);
		b->kind = TB_BR_NOTIFIED_BODY;
		return e;
	}
	if (strcmp(key, "not-applicable") != 0)
		return tb_y_errd(L->d, L->doc, n->nkids ? n->kids[0] : n, "unknown leaf '%s' (%s)", key,
				 LEAVES_TEXT);
	enum tb_err e = tb_y_keys(L->doc, n, "a not-applicable leaf", NULL, na_req, L->d);
	if (!e)
		e = str_at(L, tb_y_get(n, "not-applicable"), "not-applicable", &b->justification);
	b->kind = TB_BR_NA;
	return e;
}

static enum tb_err load_branch(struct tloader *L, const struct tb_y_node *n, const char *which,
			       struct tb_branch *b)
{
	if (n->type == TB_Y_MAP)
		return load_map_leaf(L, n, b);
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, which, &v, L->d);
	if (e)
		return e;
	if (strcmp(v, "pass") == 0) {
		b->kind = TB_BR_PASS;
		return TB_OK;
	}
	if (strcmp(v, "fail") == 0) {
		b->kind = TB_BR_FAIL;
		return TB_OK;
	}
	b->kind = TB_BR_NODE;
	b->node = tb_tree_find_node(L->t, v);
	if (b->node != NO_NODE)
		return TB_OK;
	if (strcmp(v, "not-applicable") == 0)
		return tb_y_errd(L->d, L->doc, n,
				 "a not-applicable leaf needs a justification: {not-applicable: KEY}");
	if (strcmp(v, "notified-body") == 0)
		return tb_y_errd(L->d, L->doc, n,
				 "a notified-body leaf needs its reason: {notified-body: REASON}");
	return tb_y_errd(L->d, L->doc, n, "'%s' is neither a node of this tree nor a leaf (%s)", v,
			 LEAVES_TEXT);
}

static enum tb_err load_node_body(struct tloader *L, const struct tb_y_node *m, struct tb_tree_node *nd)
{
	enum tb_err e = str_at(L, tb_y_get(m, "question"), "question", &nd->question);
	if (!e)
		e = load_answer(L, tb_y_get(m, "answer"), &nd->answer);
	if (!e)
		e = load_branch(L, tb_y_get(m, "yes"), "yes", &nd->yes);
	if (!e)
		e = load_branch(L, tb_y_get(m, "no"), "no", &nd->no);
	return e;
}

/* Depth-first from the start: a node met again while still on the path
 * closes a cycle.  Marks what it reaches (1 on the path, 2 done). */
static enum tb_err find_cycle(struct tloader *L, const struct tb_y_node *list, size_t i,
			      unsigned char *mark, size_t depth)
{
	const struct tb_tree *t = L->t;
	mark[i] = 1;
	const struct tb_branch *br[2] = { &t->nodes[i].yes, &t->nodes[i].no };
	for (int k = 0; k < 2; k++) {
		if (br[k]->kind != TB_BR_NODE)
			continue;
		size_t j = br[k]->node;
		const struct tb_y_node *at = tb_y_get(list->kids[i], k ? "no" : "yes");
		if (mark[j] == 1 || depth >= t->nnodes)
			return tb_y_errd(L->d, L->doc, at,
					 "the tree has a cycle: node %s leads back to %s",
					 t->nodes[i].id, t->nodes[j].id);
		enum tb_err e = mark[j] ? TB_OK : find_cycle(L, list, j, mark, depth + 1);
		if (e)
			return e;
	}
	mark[i] = 2;
	return TB_OK;
}

static enum tb_err check_shape(struct tloader *L, const struct tb_y_node *list)
{
	const struct tb_tree *t = L->t;
	unsigned char *mark = tb_xcalloc(t->nnodes, 1);
	enum tb_err e = find_cycle(L, list, 0, mark, 0);
	for (size_t i = 0; !e && i < t->nnodes; i++)
		if (!mark[i])
			e = tb_y_errd(L->d, L->doc, list->kids[i],
				      "node %s is unreachable from the first node %s", t->nodes[i].id,
				      t->nodes[0].id);
	free(mark);
	return e;
}

static enum tb_err load_tree(struct tloader *L, const struct tb_y_node *n)
{
	static const char *const req[] = { "for-each", "nodes", NULL };
	static const char *const opt[] = { "kind", NULL };
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_MAP, "tree", L->d);
	if (!e)
		e = tb_y_keys(L->doc, n, "tree", opt, req, L->d);
	if (!e)
		e = load_scope(L, tb_y_get(n, "for-each"));
	if (!e && tb_y_get(n, "kind")) {
		if (L->t->scope == TB_TREE_DEVICE)
			return tb_y_errd(L->d, L->doc, tb_y_get(n, "kind"),
					 "tree.kind filters items: it needs for-each assets, "
					 "mechanisms or interfaces");
		e = str_at(L, tb_y_get(n, "kind"), "tree.kind", &L->t->kind);
		if (!e && !tb_item_kind_known(L->t->scope, L->t->kind))
			e = tb_y_errd(L->d, L->doc, tb_y_get(n, "kind"),
				      "unknown kind '%s' of %s (one of: %s)", L->t->kind,
				      tb_tree_scope_name(L->t->scope), tb_item_kinds_text(L->t->scope));
	}
	const struct tb_y_node *list = e ? NULL : tb_y_get(n, "nodes");
	if (!e)
		e = tb_y_expect(L->doc, list, TB_Y_SEQ, "tree.nodes", L->d);
	if (!e && list->nkids == 0)
		e = tb_y_errd(L->d, L->doc, list, "tree.nodes is empty");
	if (!e)
		e = load_node_ids(L, list);
	for (size_t i = 0; !e && i < list->nkids; i++)
		e = load_node_body(L, list->kids[i], &L->t->nodes[i]);
	if (!e)
		e = check_shape(L, list);
	return e;
}

int tb_family_pass(const struct tb_check_family *f)
{
	if (!f || f == &tb_tree_family)
		return 2;
	return (f->flags & TB_FAM_AFTER_ACTIVE) ? 1 : 0;
}

enum tb_err tb_tree_load(const struct tb_y_doc *doc, const struct tb_y_node *n, tb_case_pass_fn earlier,
			 void *arg, const char *self_id, const struct tb_check_family *self_family,
			 struct tb_tree **out, struct tb_diag *d)
{
	struct tloader L = { .doc = doc,
			     .d = d,
			     .earlier = earlier,
			     .arg = arg,
			     .self_id = self_id,
			     .self_family = self_family,
			     .self_pass = tb_family_pass(self_family),
			     .t = tb_xcalloc(1, sizeof(struct tb_tree)) };
	enum tb_err e = load_tree(&L, n);
	if (e) {
		tb_tree_free(L.t);
		*out = NULL;
		return e;
	}
	*out = L.t;
	return TB_OK;
}

void tb_tree_free(struct tb_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nnodes; i++) {
		struct tb_tree_node *n = &t->nodes[i];
		free(n->id);
		free(n->question);
		free(n->answer.fact);
		free(n->answer.case_id);
		free(n->answer.field);
		free(n->answer.equals);
		free(n->yes.justification);
		free(n->no.justification);
		free(n->yes.restriction);
		free(n->no.restriction);
	}
	free(t->nodes);
	free(t->kind);
	free(t);
}

size_t tb_tree_find_node(const struct tb_tree *t, const char *id)
{
	for (size_t i = 0; t && i < t->nnodes; i++)
		if (t->nodes[i].id && strcmp(t->nodes[i].id, id) == 0)
			return i;
	return NO_NODE;
}

int tb_tree_reads_case(const struct tb_tree *t, const char *id)
{
	for (size_t i = 0; t && i < t->nnodes; i++)
		if (t->nodes[i].answer.case_id && strcmp(t->nodes[i].answer.case_id, id) == 0)
			return 1;
	return 0;
}

/* ---- the walk ---- */

/* Reach a leaf: the item's verdict. */
static void end_at_leaf(const struct tb_tree *t, size_t at, const struct tb_branch *b,
			tb_justify_fn justify, void *arg, struct tb_walk *w)
{
	const char *node = t->nodes[at].id;
	switch (b->kind) {
	case TB_BR_PASS:
		w->verdict = TB_V_PASS;
		snprintf(w->reason, sizeof w->reason, "PASS at %s", node);
		return;
	case TB_BR_FAIL:
		w->verdict = TB_V_FAIL;
		snprintf(w->reason, sizeof w->reason, "FAIL at %s", node);
		return;
	case TB_BR_NOTIFIED_BODY:
		/* A route result: no requirement verdict for the item. */
		w->verdict = TB_V_NA;
		w->notified_body = 1;
		w->restriction = tb_xstrdup(b->restriction);
		snprintf(w->reason, sizeof w->reason, "NOTIFIED BODY NEEDED at %s: %s", node,
			 b->restriction);
		return;
	case TB_BR_NA: break;
	case TB_BR_NODE: return; /* not a leaf */
	}
	w->leaf_key = tb_xstrdup(b->justification);
	const char *text = justify ? justify(b->justification, arg) : NULL;
	if (text && *text) {
		w->verdict = TB_V_NA;
		w->justification = tb_xstrdup(text);
		snprintf(w->reason, sizeof w->reason, "NOT APPLICABLE at %s: %s", node, text);
		return;
	}
	/* EN 18031 asks for a written justification of every NOT APPLICABLE:
	 * the declarations lack it, so the item does not conform. */
	w->verdict = TB_V_FAIL;
	snprintf(w->reason, sizeof w->reason,
		 "NOT APPLICABLE at %s, but the profile gives no justification '%s' for it", node,
		 b->justification);
}

void tb_tree_walk(const struct tb_tree *t, const char *item, const char *item_kind, tb_answer_fn answer,
		  tb_justify_fn justify, void *arg, struct tb_walk *w)
{
	memset(w, 0, sizeof *w);
	w->item = tb_xstrdup(item);
	w->item_kind = item_kind ? tb_xstrdup(item_kind) : NULL;
	w->steps = tb_xcalloc(t->nnodes + 1, sizeof *w->steps);
	w->stopped_at = NO_NODE;
	size_t at = 0;
	/* The loader refused cycles; the bound keeps a walk finite regardless. */
	while (w->nsteps < t->nnodes) {
		struct tb_walk_step *st = &w->steps[w->nsteps++];
		st->node = at;
		answer(&t->nodes[at], arg, &st->answer);
		if (st->answer.ans == TB_ANS_NONE) {
			w->verdict = TB_V_EXAMINER;
			w->stopped_at = at;
			snprintf(w->reason, sizeof w->reason, "node %s needs an examiner's answer (%s)",
				 t->nodes[at].id, st->answer.detail);
			return;
		}
		const struct tb_branch *b =
			st->answer.ans == TB_ANS_YES ? &t->nodes[at].yes : &t->nodes[at].no;
		if (b->kind != TB_BR_NODE) {
			end_at_leaf(t, at, b, justify, arg, w);
			return;
		}
		at = b->node;
	}
	w->verdict = TB_V_ERROR;
	snprintf(w->reason, sizeof w->reason, "the walk did not end within %zu nodes", t->nnodes);
}

void tb_walk_clear(struct tb_walk *w)
{
	free(w->item);
	free(w->item_kind);
	free(w->steps);
	free(w->justification);
	free(w->leaf_key);
	free(w->restriction);
	memset(w, 0, sizeof *w);
}

static size_t count_verdict(const struct tb_walks *ws, enum tb_verdict v, size_t *first)
{
	size_t n = 0;
	for (size_t i = ws->n; i-- > 0;)
		if (ws->v[i].verdict == v) {
			n++;
			*first = i;
		}
	return n;
}

/* Items that reached a notified-body leaf: their count and the first one's reason. */
static void flag_notified_body(struct tb_walks *ws)
{
	ws->notified_body = 0;
	ws->nb_restriction = NULL;
	for (size_t i = 0; i < ws->n; i++)
		if (ws->v[i].notified_body) {
			if (!ws->notified_body++)
				ws->nb_restriction = ws->v[i].restriction;
		}
}

/* The verdict over the items, as if no notified-body leaf existed (those
 * items are NA and so count for nothing but "not applicable"). */
static void combine_verdicts(struct tb_walks *ws, const char *scope)
{
	size_t first = 0, nfail, nexam, nerr, npass;
	if ((nfail = count_verdict(ws, TB_V_FAIL, &first))) {
		ws->verdict = TB_V_FAIL;
		snprintf(ws->reason, sizeof ws->reason, "%zu of %zu %s fail; first %s: %s", nfail,
			 ws->n, scope, ws->v[first].item, ws->v[first].reason);
	} else if ((nerr = count_verdict(ws, TB_V_ERROR, &first))) {
		ws->verdict = TB_V_ERROR;
		snprintf(ws->reason, sizeof ws->reason, "%s: %s", ws->v[first].item,
			 ws->v[first].reason);
	} else if ((nexam = count_verdict(ws, TB_V_EXAMINER, &first))) {
		ws->verdict = TB_V_EXAMINER;
		snprintf(ws->reason, sizeof ws->reason, "%zu of %zu %s await an examiner; first %s: %s",
			 nexam, ws->n, scope, ws->v[first].item, ws->v[first].reason);
	} else if ((npass = count_verdict(ws, TB_V_PASS, &first))) {
		ws->verdict = TB_V_PASS;
		snprintf(ws->reason, sizeof ws->reason,
			 "%zu of %zu %s pass, the others are not "
			 "applicable with a justification%s",
			 npass, ws->n, scope, ws->notified_body ? " or routed to a notified body" : "");
	} else if (ws->notified_body == ws->n) {
		ws->verdict = TB_V_NA;
		snprintf(ws->reason, sizeof ws->reason,
			 "no requirement verdict: every one of the %zu %s is routed to a notified body",
			 ws->n, scope);
	} else {
		size_t j = 0;
		while (ws->v[j].notified_body)
			j++; /* the first item not routed to a notified body */
		ws->verdict = TB_V_NA;
		snprintf(ws->reason, sizeof ws->reason,
			 "not applicable to any of the %zu %s, each with a justification%s; first %s: "
			 "%s",
			 ws->n, scope, ws->notified_body ? " or routed to a notified body" : "",
			 ws->v[j].item, ws->v[j].justification ? ws->v[j].justification : "");
	}
}

void tb_walks_combine(struct tb_walks *ws)
{
	const char *scope = ws->tree ? tb_tree_scope_name(ws->tree->scope) : "items";
	flag_notified_body(ws);
	if (ws->n == 0) {
		ws->verdict = TB_V_EXAMINER;
		snprintf(ws->reason, sizeof ws->reason,
			 "the profile declares no %s%s%s for this tree: an examiner must confirm "
			 "there are none",
			 scope, ws->tree && ws->tree->kind ? " of kind " : "",
			 ws->tree && ws->tree->kind ? ws->tree->kind : "");
		return;
	}
	combine_verdicts(ws, scope);
	if (!ws->notified_body)
		return;
	/* The route result goes first, so that no reader of the reason misses it. */
	char rest[sizeof ws->reason];
	snprintf(rest, sizeof rest, "%s", ws->reason);
	snprintf(ws->reason, sizeof ws->reason, "NOTIFIED BODY NEEDED for %zu of %zu %s (%.300s); %s",
		 ws->notified_body, ws->n, scope, ws->nb_restriction, rest);
}

void tb_walks_free(struct tb_walks *ws)
{
	if (!ws)
		return;
	for (size_t i = 0; i < ws->n; i++)
		tb_walk_clear(&ws->v[i]);
	free(ws->v);
	free(ws);
}
