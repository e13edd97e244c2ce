/* treerun.h: walk a test case's decision tree (load/tree.h) for every item
 * the profile declares, with answers from the declarations, from earlier
 * test cases' results and from the examiner's decisions. */
#ifndef TB_TREERUN_H
#define TB_TREERUN_H

#include "check/ctx.h"
#include "load/suite.h"
#include "result/result.h"

/* In which pass of the run the case goes (tb_family_pass, load/tree.h). */
int tb_case_pass(const struct tb_case *tc);

/* Walk tc->tree for each item (r may already hold tc's own check result,
 * which the tree can read): r gets the walks, the combined verdict and its
 * reason.  ctx->results/nresults and ctx->decisions may be NULL. */
void tb_tree_case_run(const struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *r);

#endif
