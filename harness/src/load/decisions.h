/* decisions.h: examiner decisions for test cases that need a human.
 *
 * A decisions file is kept by the lab, not the supplier:
 *   decisions:
 *     - case: "5.2-2-1"
 *       verdict: pass            # pass | fail | not-applicable | inconclusive
 *       examiner: "A. Examiner"
 *       date: "2026-11-23"
 *       rationale: "..."
 * Only test cases whose check family is `examiner` can be decided this way:
 * an automated verdict is never overridden.
 *
 * A decision-tree case (load/tree.h) is never decided whole: the examiner
 * answers one node for one item, and the walk goes on from there:
 *     - case: "ACM-1-1"
 *       item: "admin-settings"   # the item id, or "device"
 *       node: "DN-2"
 *       answer: "no"             # yes | no
 *       examiner: ..., date: ..., rationale: ...
 * Only a node that nobody else answered (an `examiner` node, or one whose
 * declaration or check result is missing) takes the examiner's answer.
 */
#ifndef TB_DECISIONS_H
#define TB_DECISIONS_H

#include "load/suite.h"
#include "result/verdict.h"

struct tb_decision {
	char *case_id, *examiner, *date, *rationale;
	enum tb_verdict verdict; /* whole-case decisions */
	char *item, *node;       /* tree-node answers (NULL for whole-case decisions) */
	int answer;              /* tree-node answers: 1 yes, 0 no */
};

struct tb_decisions {
	char *path;
	uint8_t sha256[32];
	struct tb_decision *v;
	size_t n;
};

TB_WUR enum tb_err tb_decisions_load(const char *path, const struct tb_suite *suite,
				     struct tb_decisions **out, struct tb_diag *d);
TB_WUR enum tb_err tb_decisions_parse(const char *name, const void *buf, size_t len,
				      const struct tb_suite *suite, struct tb_decisions **out,
				      struct tb_diag *d);
void tb_decisions_free(struct tb_decisions *ds);
/* The whole-case decision for case_id, or NULL. */
const struct tb_decision *tb_decision_for(const struct tb_decisions *ds, const char *case_id);
/* The examiner's answer to node of a tree case for one item, or NULL. */
const struct tb_decision *tb_decision_for_node(const struct tb_decisions *ds, const char *case_id,
					       const char *item, const char *node);

#endif
