/* tree_xml.c: write a decision-tree case's walks into the report (see tree_xml.h). */
#include "report/tree_xml.h"

#include "report/xmlout.h"

static const char *answer_word(enum tb_ans a)
{
	switch (a) {
	case TB_ANS_YES: return "yes";
	case TB_ANS_NO: return "no";
	case TB_ANS_NONE: break;
	}
	return "none";
}

static void step_to_dom(const struct tb_tree *t, const struct tb_walk_step *st, xmlNodePtr item)
{
	const struct tb_tree_node *n = &t->nodes[st->node];
	xmlNodePtr sn = xmlNewChild(item, NULL, TB_X("step"), NULL);
	tb_xml_attr(sn, "node", n->id);
	tb_xml_attr(sn, "answer", answer_word(st->answer.ans));
	tb_xml_attr(sn, "source", st->answer.source);
	tb_xml_text_child(sn, "question", n->question);
	tb_xml_text_child(sn, "detail", st->answer.detail);
}

static void walk_to_dom(const struct tb_tree *t, const struct tb_walk *w, xmlNodePtr parent)
{
	xmlNodePtr in = xmlNewChild(parent, NULL, TB_X("item"), NULL);
	tb_xml_attr(in, "id", w->item);
	if (w->item_kind)
		tb_xml_attr(in, "kind", w->item_kind);
	/* A notified-body leaf is a route result, not a verdict: its own word. */
	tb_xml_attr(in, "verdict", w->notified_body ? "notified-body" : tb_verdict_name(w->verdict));
	if (w->verdict == TB_V_EXAMINER && w->stopped_at < t->nnodes)
		tb_xml_attr(in, "stopped-at", t->nodes[w->stopped_at].id);
	for (size_t i = 0; i < w->nsteps; i++)
		step_to_dom(t, &w->steps[i], in);
	tb_xml_text_child(in, "outcome", w->reason);
	if (w->leaf_key) {
		xmlNodePtr jn = tb_xml_text_child(in, "justification",
						  w->justification ? w->justification : "");
		tb_xml_attr(jn, "key", w->leaf_key);
		tb_xml_attr(jn, "given", w->justification ? "true" : "false");
	}
}

void tb_walks_to_dom(const struct tb_walks *ws, xmlNodePtr result)
{
	const struct tb_tree *t = ws->tree;
	xmlNodePtr tn = xmlNewChild(result, NULL, TB_X("decision-tree"), NULL);
	tb_xml_attr(tn, "for-each", tb_tree_scope_name(t->scope));
	if (t->kind)
		tb_xml_attr(tn, "kind", t->kind);
	tb_xml_attr(tn, "verdict", tb_verdict_name(ws->verdict));
	tb_xml_attr_u(tn, "items", ws->n);
	if (ws->notified_body) {
		xmlNodePtr nb = tb_xml_text_child(tn, "notified-body-needed",
						  ws->nb_restriction ? ws->nb_restriction : "");
		tb_xml_attr_u(nb, "items", ws->notified_body);
	}
	for (size_t i = 0; i < ws->n; i++)
		walk_to_dom(t, &ws->v[i], tn);
}
