/* family.h: the contract for one check family.
 *
 * A family is a file harness/src/check/chk_<name>.c that ends with a
 * designated-initializer `const struct tb_check_family tb_check_<name>` and is
 * listed once in checks.def.  The suite loader validates a test case's params
 * against the family's param table; no check code runs at load time.
 */
#ifndef TB_FAMILY_H
#define TB_FAMILY_H

#include <stddef.h>

#include "base/tb.h"

struct tb_ctx;
struct tb_case;
struct tb_result;

enum tb_ptype { TB_P_STR, TB_P_INT, TB_P_BOOL, TB_P_STRLIST, TB_P_INTLIST };

struct tb_param_def {
	const char *name;
	enum tb_ptype type;
	int required;
	long long min, max;          /* for ints and int-list items */
	const char *const *choices;  /* NULL-terminated allowed strings, or NULL */
	const char *help;
};

/* A parameter value as loaded from a suite. */
struct tb_param {
	const struct tb_param_def *def;
	char *s;
	long long i;
	int b;
	char **sl;       /* string list */
	long long *il;   /* int list */
	size_t n;        /* list length */
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
};

/* The registry (registry.c). */
extern const struct tb_check_family *const tb_families[];
extern const size_t tb_nfamilies;
const struct tb_check_family *tb_family_find(const char *name);

/* Parameter lookup: NULL when the suite did not set it. */
const struct tb_param *tb_param_get(const struct tb_params *p, const char *name);
const char *tb_param_str(const struct tb_params *p, const char *name, const char *dflt);
long long tb_param_int(const struct tb_params *p, const char *name, long long dflt);

#endif
