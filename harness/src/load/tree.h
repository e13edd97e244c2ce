/* tree.h: EN 18031-style decision trees as suite data (the model, its
 * validation and a pure walk).
 *
 * A test case may carry a `tree:` instead of, or beside, its `check:`:
 *
 *   tree:
 *     for-each: assets          # assets | mechanisms | interfaces | device
 *     kind: security            # optional filter on the items' kind
 *     nodes:                    # the first node is where every walk starts
 *       - id: DN-1
 *         question: "Is public access the intended purpose of the asset?"
 *         answer: { declaration: public-access }      # the item's fact
 *         yes: { not-applicable: public-access }      # justification key
 *         no: DN-2
 *       - id: DN-2
 *         question: "Did the default-credentials check pass?"
 *         answer: { case: AUM-5-1-1, verdict: pass }  # another case's result
 *         yes: pass
 *         no: fail
 *       - id: DN-3
 *         question: "..."
 *         answer: examiner                            # a decisions-file entry
 *         yes: pass
 *         no: fail
 *
 * Answer sources: `{declaration: FACT}` (a fact of the item, or with the
 * prefix `product.` a product-level fact; `equals: TEXT` compares a text
 * fact such as `category`), `{case: ID, verdict: pass|fail}` (yes when the
 * case's verdict is that one, no when it is the other),
 * `{case: ID, field: LABEL, equals: TEXT}` (a note of the case's evidence)
 * and `examiner`.  A branch is a node id, `pass`, `fail` or
 * `{not-applicable: KEY}` where KEY names the item's justification in the
 * profile, or `{notified-body: REASON}`: a restriction of the Official
 * Journal citation applies (e.g. a password the user may skip), so the
 * presumption of conformity is lost and a notified body must assess the
 * equipment.  That is a route result, not a requirement verdict: the item
 * is reported as notified-body (never as fail or needs-examiner) and the
 * case carries a notified-body-needed flag with REASON (tb_walks_combine).
 * The loader refuses missing branches, unknown targets, cycles,
 * unreachable nodes, unknown answer sources and unknown leaves, each at its
 * file:line:col.
 */
#ifndef TB_TREE_H
#define TB_TREE_H

#include <stddef.h>

#include "base/tb.h"
#include "result/verdict.h"

struct tb_y_doc;
struct tb_y_node;
struct tb_check_family;

/* What a tree iterates over. */
enum tb_tree_scope { TB_TREE_DEVICE, TB_TREE_ASSETS, TB_TREE_MECHANISMS, TB_TREE_INTERFACES };
const char *tb_tree_scope_name(enum tb_tree_scope s); /* "device", "assets", ... */
/* Is kind one of the item kinds of scope (profile declarations and tree
 * filters share this vocabulary)?  kinds_text lists them for messages. */
int tb_item_kind_known(enum tb_tree_scope scope, const char *kind);
const char *tb_item_kinds_text(enum tb_tree_scope scope);

enum tb_answer_src { TB_ANS_DECLARATION, TB_ANS_CASE_VERDICT, TB_ANS_CASE_FIELD, TB_ANS_EXAMINER };
const char *tb_answer_src_name(enum tb_answer_src s); /* "declaration", "check", "check", "examiner" */

struct tb_answer_def {
	enum tb_answer_src src;
	char *fact;              /* declaration: fact name ("public-access", "product.toy") */
	char *case_id;           /* case-verdict / case-field */
	enum tb_verdict verdict; /* case-verdict: PASS or FAIL means "yes" */
	char *field;             /* case-field: evidence note label */
	char *equals;            /* declaration (text fact) / case-field: the text that means yes */
};

enum tb_branch_kind { TB_BR_NODE, TB_BR_PASS, TB_BR_FAIL, TB_BR_NA, TB_BR_NOTIFIED_BODY };

struct tb_branch {
	enum tb_branch_kind kind;
	size_t node;         /* TB_BR_NODE: index into nodes */
	char *justification; /* TB_BR_NA: the key of the item's justification */
	char *restriction;   /* TB_BR_NOTIFIED_BODY: why a notified body is needed */
};

struct tb_tree_node {
	char *id, *question;
	struct tb_answer_def answer;
	struct tb_branch yes, no;
	unsigned long line, col;
};

struct tb_tree {
	enum tb_tree_scope scope;
	char *kind; /* item filter, NULL: every item */
	struct tb_tree_node *nodes;
	size_t nnodes; /* nodes[0] is the start */
};

/* The family of a test case that has a tree and no check (its run() does
 * nothing: the runner walks the tree, run/treerun.h). */
extern const struct tb_check_family tb_tree_family;

/* In which pass of a run a test case of family f goes (run/runner.c): 0
 * the device checks, 1 the cases that judge the whole capture
 * (TB_FAM_AFTER_ACTIVE), 2 a tree without a check (f is tb_tree_family or
 * NULL), which reads the others' results.  A tree beside a check runs in
 * its check's pass, so that no device traffic happens after the capture
 * is judged. */
int tb_family_pass(const struct tb_check_family *f);

/* Is s an EN 18031 requirement id such as "ACM-1" or "AUM-5-1"? */
int tb_requirement_id_valid(const char *s);

/* The pass of an earlier test case of the suite being loaded, or -1 when
 * it has none of that id (the suite loader's, so tree.c needs no suite). */
typedef int (*tb_case_pass_fn)(const char *case_id, void *arg);

/* Load and validate the `tree:` mapping n of test case self_id.  Cases it
 * reads must come earlier in the suite (earlier() finds them) and run in
 * the same or an earlier pass, or be self_id itself when it has a check
 * (self_family non-NULL: the case's own check result). */
TB_WUR enum tb_err tb_tree_load(const struct tb_y_doc *doc, const struct tb_y_node *n,
				tb_case_pass_fn earlier, void *arg, const char *self_id,
				const struct tb_check_family *self_family, struct tb_tree **out,
				struct tb_diag *d);
void tb_tree_free(struct tb_tree *t);
/* Index of the node named id, or (size_t)-1. */
size_t tb_tree_find_node(const struct tb_tree *t, const char *id);
/* Does the tree read test case id's result (so it must run after it)? */
int tb_tree_reads_case(const struct tb_tree *t, const char *id);

/* ---- the walk (pure: every answer comes from the callback) ---- */

enum tb_ans { TB_ANS_NONE, TB_ANS_YES, TB_ANS_NO };

/* One answer as the walk got it: who gave it (source) and what it rests
 * on (detail, e.g. "case AUM-5-1-1: fail" or "examiner A. B. on 2026-12-01"). */
struct tb_answer {
	enum tb_ans ans;
	char source[32];
	char detail[512];
};

typedef void (*tb_answer_fn)(const struct tb_tree_node *node, void *arg, struct tb_answer *out);
/* The text of the item's justification named key, or NULL when it has none. */
typedef const char *(*tb_justify_fn)(const char *key, void *arg);

struct tb_walk_step {
	size_t node;
	struct tb_answer answer;
};

/* The walk of one item. */
struct tb_walk {
	char *item;      /* item id ("device" for a once-per-device tree) */
	char *item_kind; /* may be NULL */
	/* PASS, FAIL, NA or EXAMINER (stopped); NA too at a notified-body leaf,
	 * which sets notified_body: no requirement verdict for the item. */
	enum tb_verdict verdict;
	int notified_body;
	struct tb_walk_step *steps;
	size_t nsteps;
	size_t stopped_at;   /* TB_V_EXAMINER: the node nobody answered */
	char *justification; /* TB_V_NA: the text; FAIL from a missing one: NULL */
	char *leaf_key;      /* TB_BR_NA: the justification key */
	char *restriction;   /* notified_body: the leaf's reason */
	char reason[512];
};

/* Walk t from its first node for one item. */
void tb_tree_walk(const struct tb_tree *t, const char *item, const char *item_kind, tb_answer_fn answer,
		  tb_justify_fn justify, void *arg, struct tb_walk *out);
void tb_walk_clear(struct tb_walk *w);

/* All walks of one test case, kept with its result. */
struct tb_walks {
	const struct tb_tree *tree;
	struct tb_walk *v;
	size_t n;
	enum tb_verdict verdict; /* combined: see tb_walks_combine */
	char reason[1024];
	size_t notified_body;       /* items that reached a notified-body leaf */
	const char *nb_restriction; /* the first such item's reason (points into v) */
};
/* The requirement's verdict over its items: FAIL if any item fails, else
 * needs-examiner (naming the first stopped node) if any walk stopped, else
 * PASS if any item passed, else not applicable (every item justified, or
 * routed to a notified body).  An item at a notified-body leaf counts as
 * neither pass nor fail: the verdict is what the other items give, and
 * notified_body/nb_restriction flag the case ("notified body needed",
 * reported beside the verdict and named at the start of the reason). */
void tb_walks_combine(struct tb_walks *ws);
void tb_walks_free(struct tb_walks *ws);

#endif
