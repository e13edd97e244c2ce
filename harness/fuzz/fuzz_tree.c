/* fuzz_tree.c: libFuzzer target for decision trees in suites (load/tree.h):
 * whatever the loader accepts must walk to an end within its node count,
 * whatever the answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/suite.h"
#include "load/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct answers {
	const uint8_t *bits;
	size_t n, at;
};

/* Answers taken from the input bytes: yes, no or none. */
static void answer(const struct tb_tree_node *node, void *arg, struct tb_answer *out)
{
	(void)node;
	struct answers *a = arg;
	uint8_t b = a->n ? a->bits[a->at++ % a->n] : 0;
	out->ans = b % 3 == 0 ? TB_ANS_NONE : b % 3 == 1 ? TB_ANS_YES : TB_ANS_NO;
	strcpy(out->source, "declaration");
	strcpy(out->detail, "fuzz");
}

static const char *justify(const char *key, void *arg)
{
	(void)arg;
	return key[0] & 1 ? key : NULL;
}

static void check_tree(const struct tb_tree *t, const uint8_t *data, size_t size)
{
	if (t->nnodes == 0)
		abort();
	for (size_t i = 0; i < t->nnodes; i++) {
		const struct tb_branch *b[2] = { &t->nodes[i].yes, &t->nodes[i].no };
		for (int k = 0; k < 2; k++) {
			if (b[k]->kind == TB_BR_NODE && b[k]->node >= t->nnodes)
				abort();
			if (b[k]->kind == TB_BR_NA && !b[k]->justification)
				abort();
			if (b[k]->kind == TB_BR_NOTIFIED_BODY && !b[k]->restriction)
				abort();
		}
		if (tb_tree_find_node(t, t->nodes[i].id) != i) /* ids are unique */
			abort();
	}
	struct answers a = { data, size, 0 };
	struct tb_walk w;
	tb_tree_walk(t, "item", NULL, answer, justify, &a, &w);
	/* Acyclic: every walk ends at a leaf or a stop, never by the step bound. */
	if (w.nsteps == 0 || w.nsteps > t->nnodes || w.verdict == TB_V_ERROR)
		abort();
	if (w.verdict == TB_V_EXAMINER && w.stopped_at >= t->nnodes)
		abort();
	/* Not applicable rests on a justification, or on a notified-body
	 * leaf's reason (a route result, never a fail). */
	if (w.verdict == TB_V_NA && !w.justification && !(w.notified_body && w.restriction))
		abort();
	if (w.notified_body && w.verdict != TB_V_NA)
		abort();
	tb_walk_clear(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_suite *s = NULL;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	if (tb_suite_parse("fuzz/tree.yaml", data, size, &s, &d) != TB_OK) {
		if (s != NULL || d.msg[0] == '\0')
			abort();
		return 0;
	}
	for (size_t i = 0; i < s->ncases; i++)
		if (s->cases[i].tree)
			check_tree(s->cases[i].tree, data, size);
	tb_suite_free(s);
	return 0;
}
