/* diff.h: what changed between two reports of the same device (a new
 * firmware, a re-test).
 *
 * "Worse" follows the verdict order of verdict.h (not-applicable < pass <
 * needs-examiner < inconclusive < error < fail), with one exception:
 * not-applicable and pass are equally good (both conform), so a change
 * between them is neither better nor worse.
 *   - a test case in both reports got worse when its new verdict is more
 *     severe than its old one;
 *   - an added test case (only in NEW) is worse when its verdict is more
 *     severe than pass;
 *   - a dropped test case (only in OLD) is worse when both reports ran the
 *     same suite (same SHA-256): it was simply not run (--only, or an
 *     interrupted run), so its evidence is gone.  When the suite changed,
 *     dropped cases are the suite's doing and are only reported.
 * Suite, profile, decisions and DUT changes are reported, never worse by
 * themselves.
 */
#ifndef TB_DIFF_H
#define TB_DIFF_H

#include <libxml/tree.h>
#include <stdio.h>

#include "base/tb.h"

enum { TB_DIFF_SAME = 0, TB_DIFF_REGRESSED = 2, TB_DIFF_BAD_INPUT = 1 };

struct tb_rview_case {
	char *id, *title;
	int verdict; /* enum tb_verdict */
};

/* The parts of a report that diff compares. */
struct tb_rview {
	char *suite_id, *suite_version, *suite_sha256;
	char *profile_id, *profile_sha256;
	char *decisions_sha256; /* NULL when the run had no decisions file */
	char *manufacturer, *model, *firmware, *serial;
	int complete;                /* status="complete" */
	struct tb_rview_case *cases; /* in report order */
	size_t ncases;
};

enum tb_diff_kind { TB_DK_CHANGED, TB_DK_ADDED, TB_DK_DROPPED };
enum tb_diff_dir { TB_DD_NEUTRAL, TB_DD_BETTER, TB_DD_WORSE };

struct tb_diff_item {
	enum tb_diff_kind kind;
	enum tb_diff_dir dir;
	const struct tb_rview_case *old, *new; /* NULL when absent */
};

struct tb_diff {
	struct tb_diff_item *items; /* OLD's order, then added cases in NEW's order */
	size_t n;
	unsigned worse, better, neutral, added, dropped;
	int suite_changed, profile_changed, decisions_changed, dut_changed;
};

/* Read a parsed report (see report_load.h) into v; name is for messages. */
TB_WUR enum tb_err tb_rview_from_doc(xmlDocPtr doc, const char *name, struct tb_rview *v,
				     struct tb_diag *d);
void tb_rview_free(struct tb_rview *v);
/* Direction of a verdict change by the rules above. */
enum tb_diff_dir tb_diff_direction(int old_verdict, int new_verdict);
/* Compare two reports; items point into a and b, which must outlive df. */
void tb_diff_compute(const struct tb_rview *a, const struct tb_rview *b, struct tb_diff *df);
void tb_diff_free(struct tb_diff *df);
/* Human-readable lines, device-supplied text made terminal-safe. */
void tb_diff_print(FILE *f, const struct tb_rview *a, const struct tb_rview *b,
		   const struct tb_diff *df);
/* TB_DIFF_REGRESSED when anything got worse, else TB_DIFF_SAME. */
int tb_diff_exit_code(const struct tb_diff *df);

#endif
