/* suite.h: conformance suites (YAML files in testsuites/) as plain data.
 *
 * A suite is a list of test groups, one per provision, each holding test
 * cases `<provision>-<n>` that are conceptual (judged from the supplier's
 * declarations), functional (run against the device) or both.
 */
#ifndef TB_SUITE_H
#define TB_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include "check/family.h"
#include "base/tb.h"

/* Frameworks a test case can map to. */
enum tb_framework { TB_FW_EN303645, TB_FW_UKCOP, TB_FW_PSTI, TB_FW_OTA, TB_FW_COUNT };
/* YAML key ("en-303-645", "uk-cop", "psti", "ota") and display name. */
const char *tb_framework_key(enum tb_framework f);
const char *tb_framework_title(enum tb_framework f);
/* Largest item number of a numbered framework (uk-cop 13, psti 3, ota 40);
 * 0 for en-303-645, whose items are provision ids. */
long tb_framework_max_ref(enum tb_framework f);

enum tb_kind { TB_KIND_CONCEPTUAL, TB_KIND_FUNCTIONAL, TB_KIND_BOTH };
const char *tb_kind_name(enum tb_kind k); /* "conceptual", "functional", "conceptual-functional" */

/* Declared device features a test case can depend on (Table B.1 conditions). */
extern const char *const tb_feature_names[]; /* NULL-terminated */
int tb_feature_known(const char *name);

struct tb_tree; /* load/tree.h */

struct tb_cond {
	char *feature;
	int value;
};

struct tb_case {
	char *id;
	enum tb_kind kind;
	char *title;
	size_t group; /* index into suite->groups */
	char **covers[TB_FW_COUNT];
	size_t ncovers[TB_FW_COUNT];
	struct tb_cond *conds;
	size_t nconds;
	const struct tb_check_family *family;
	struct tb_params params; /* as set in the suite, then the family's defaults */
	void *prep;              /* from family->prepare (tb_suite_load), or NULL */
	struct tb_tree *tree;    /* decision tree (load/tree.h), or NULL */
	unsigned long line;      /* where the case starts in the suite file */
};

struct tb_group {
	char *provision;
	char *status; /* Table B.1 status, e.g. "M", "R C(3,4)" */
	char *title;
};

struct tb_crosswalk; /* load/crosswalk.h */

struct tb_suite {
	char *path;
	char *dir; /* directory of the suite file: data paths are relative to it */
	uint8_t sha256[32];
	char *id, *title, *version, *standard, *method;
	struct tb_group *groups;
	size_t ngroups;
	struct tb_case *cases;
	size_t ncases;
	/* The crosswalk files the header names (relative to dir) and, after
	 * tb_suite_load, the crosswalks read from them (crosswalk.h): they fill
	 * the covers of every framework but en-303-645. */
	char **crosswalk_paths;
	size_t ncrosswalk_paths;
	struct tb_crosswalk **crosswalks;
	size_t ncrosswalks;
};

/* Load and validate a suite, then let each test case's family prepare it
 * (family.h: prepare reads the data files a case names).  On failure *out
 * is NULL and d has file:line:col. */
TB_WUR enum tb_err tb_suite_load(const char *path, struct tb_suite **out, struct tb_diag *d);
/* Same, from memory (tests, fuzzing), without the prepare step, so it
 * never touches the file system: name is used in messages. */
TB_WUR enum tb_err tb_suite_parse(const char *name, const void *buf, size_t len, struct tb_suite **out,
				  struct tb_diag *d);
void tb_suite_free(struct tb_suite *s);
/* Read and apply every crosswalk the suite names (tb_suite_load does), and
 * free one.  They live in crosswalk.c, which depends on this header and not
 * the other way round; crosswalk.h has the rest of that interface. */
TB_WUR enum tb_err tb_suite_load_crosswalks(struct tb_suite *s, struct tb_diag *d);
void tb_crosswalk_free(struct tb_crosswalk *x);
const struct tb_case *tb_suite_find_case(const struct tb_suite *s, const char *id);
/* Is s a provision id such as "5.1-1", "4-1" or "5.13-1A"? */
int tb_provision_id_valid(const char *s);
/* Is status conditional ("M C(..)", "R C(..)", or V3's feature form "M F(..)")? */
int tb_status_conditional(const char *status);
/* Is status mandatory ("M" or "M C(..)")? */
int tb_status_mandatory(const char *status);

#endif
