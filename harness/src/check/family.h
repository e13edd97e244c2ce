/* family.h: the contract for one check family.
 *
 * A family is a file harness/src/check/chk_<name>.c that ends with a
 * designated-initializer `const struct tb_check_family tb_check_<name>` and is
 * listed once in checks.def: nothing else names it.  Everything the rest of
 * trustbench knows about a family comes from that struct: the suite loader
 * validates a test case's params against its param table and fills in the
 * table's defaults; `trustbench list [--json]` prints the table (and
 * harness/tools/gen-etsi-suite.py checks the generated suite against that
 * JSON); prepare() is the only family code that runs at load time.
 */
#ifndef TB_FAMILY_H
#define TB_FAMILY_H

#include <stddef.h>

#include "base/tb.h"
#include "check/ctx.h"

struct tb_case;
struct tb_result;

enum tb_ptype { TB_P_STR, TB_P_INT, TB_P_BOOL, TB_P_STRLIST, TB_P_INTLIST };

struct tb_param_def {
	const char *name;
	enum tb_ptype type;
	int required;
	long long min, max;         /* for ints and int-list items */
	const char *const *choices; /* NULL-terminated allowed strings, or NULL */
	const char *help;
	/* The value a test case gets when the suite leaves the parameter out,
	 * in suite syntax: "100", "true", "data/x.tsv", "[23, 2323]" (a flow
	 * list of plain items).  NULL: no default (help then says what the
	 * family does instead).  Written here once: the loader fills it in, so
	 * check code reads it with tb_param_* like a value the suite set, and
	 * `trustbench list` shows it.  The registry test loads every default. */
	const char *dflt;
};

/* A parameter value as loaded from a suite. */
struct tb_param {
	const struct tb_param_def *def;
	char *s;
	long long i;
	int b;
	char **sl;     /* string list */
	long long *il; /* int list */
	size_t n;      /* list length */
};

struct tb_params {
	struct tb_param *v;
	size_t n;
};

enum tb_family_flags {
	TB_FAM_INTRUSIVE = 1 << 0,  /* needs lab.intrusive: true in the profile */
	TB_FAM_CONCEPTUAL = 1 << 1, /* judges declarations only: touches no device */
	TB_FAM_EXAMINER = 1 << 2,   /* always hands over to a human examiner */
	/* Judges the whole run's capture: runs after every other test case and
	 * the "after" observation window, so that what the device did late in
	 * the run is judged too and the report never contradicts itself. */
	TB_FAM_AFTER_ACTIVE = 1 << 3,
};

struct tb_check_family {
	const char *name;    /* matches check.family in a suite */
	const char *summary; /* one line for `trustbench list` */
	const struct tb_param_def *params;
	size_t nparams;
	unsigned flags;
	/* Run the check: talk to the device or read declarations, record evidence
	 * in res and set its verdict and reason with tb_result_set().  Must
	 * return within the deadlines it was given; must never leave res PASS
	 * unless the check really established conformance. */
	void (*run)(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res);
	/* Optional.  Runs when a suite is loaded from a file (tb_suite_load:
	 * `validate`, `list --suite` and `run` before it drops privileges),
	 * once per test case of this family: read and check what the case
	 * needs besides its params, e.g. a data file named relative to
	 * suite_dir, so that a bad one is a load error, not a run-time one.
	 * On success *prep is what run() finds in tc->prep (freed with
	 * unprepare).  On failure return TB_E_CONFIG with the reason in
	 * d->msg; the loader adds the suite file and the test case's line. */
	enum tb_err (*prepare)(const struct tb_case *tc, const char *suite_dir, void **prep,
			       struct tb_diag *d);
	void (*unprepare)(void *prep);
};

/* The registry (registry.c). */
extern const struct tb_check_family *const tb_families[];
extern const size_t tb_nfamilies;
const struct tb_check_family *tb_family_find(const char *name);

/* Parameter lookup: the value the suite set, else the default from the
 * family's table; NULL when there is neither. */
const struct tb_param *tb_param_get(const struct tb_params *p, const char *name);
/* The string value, or NULL when there is none. */
const char *tb_param_str(const struct tb_params *p, const char *name);
/* The integer (or boolean) value, or 0 when there is none: give such a
 * parameter a default in the table, or use tb_param_get. */
long long tb_param_int(const struct tb_params *p, const char *name);
/* Load def->dflt into *out as if the suite had set it (free it with
 * tb_param_clear); TB_E_CONFIG when there is no default or it does not
 * satisfy the definition (type, min/max, choices).  (load/suite.c) */
enum tb_err tb_param_default(const struct tb_param_def *def, struct tb_param *out, struct tb_diag *d);
void tb_param_clear(struct tb_param *p);

#endif
