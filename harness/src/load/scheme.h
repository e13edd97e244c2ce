/* scheme.h: conformance and label schemes (testsuites/schemes/) as data.
 *
 * A scheme says which items a conformance statement lists, where each
 * item's verdict comes from (one framework item of a signed report's
 * summary, e.g. PSTI requirement 2 or EN 303 645 provision 5.1-1, or
 * nothing: an item trustbench cannot judge is always not-judged), which
 * results count as met, and its levels: which items each level needs and
 * who must have run the report.  Every rule lives in the file, none in C
 * (trust/statement.c only applies them).  Loading is strict (yamlx.h):
 * errors carry file:line:column.
 */
#ifndef TB_SCHEME_H
#define TB_SCHEME_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

#define TB_SCHEME_MAX_ITEMS 256
#define TB_SCHEME_MAX_LEVELS 16
/* What a label URL template must contain; the statement's digest replaces it. */
#define TB_SCHEME_URL_PLACEHOLDER "{statement-sha256}"

/* A statement item's result (the statement XSD's vocabulary). */
enum tb_sresult {
	TB_SR_PASS,
	TB_SR_FAIL,
	TB_SR_NA,             /* not-applicable */
	TB_SR_NEEDS_EXAMINER, /* the report leaves it to a human */
	TB_SR_NOT_JUDGED,     /* not run, undecided, or beyond what trustbench judges */
	TB_SR_COUNT
};
const char *tb_sresult_name(enum tb_sresult r);

struct tb_scheme_item {
	char *id, *title;
	char *ref;        /* the framework item in the report; NULL: never judged */
	char *not_judged; /* ref NULL: why trustbench cannot judge it */
};

struct tb_scheme_level {
	long level; /* 1, 2, ... in order */
	char *name;
	char **requires; /* item ids (with every lower level's: levels are cumulative) */
	size_t nrequires;
	int lab_only;      /* the report must have been run by a test lab */
	char *unreachable; /* non-NULL: trustbench cannot establish it, and why */
};

struct tb_scheme {
	char *path;
	uint8_t sha256[32];
	char *id, *name, *version;
	int levelled;    /* 0: exactly one level, its name the pass mark */
	char *framework; /* the report framework items come from */
	char *judged, *not_judged;
	char *url_template; /* https://HOST.test|.example/...{statement-sha256}... */
	long validity_months;
	int cap_by_support; /* expiry no later than the declared support-period end */
	int needs_support;  /* a declared, unexpired support period is required for a label */
	unsigned met_by;    /* 1u << enum tb_sresult: results that meet a required item */
	struct tb_scheme_item *items;
	size_t nitems;
	struct tb_scheme_level *levels;
	size_t nlevels;
};

/* Parse a scheme from memory (name is used in messages). */
TB_WUR enum tb_err tb_scheme_parse(const char *name, const void *buf, size_t len,
				   struct tb_scheme **out, struct tb_diag *d);
TB_WUR enum tb_err tb_scheme_load(const char *path, struct tb_scheme **out, struct tb_diag *d);
/* --scheme S: a path (it contains '/' or ends in .yaml), else the id of
 * testsuites/schemes/S.yaml found as base/datafile.h finds data files. */
TB_WUR enum tb_err tb_scheme_find(const char *what, struct tb_scheme **out, struct tb_diag *d);
void tb_scheme_free(struct tb_scheme *s);
/* The item with this id, or NULL. */
const struct tb_scheme_item *tb_scheme_item(const struct tb_scheme *s, const char *id);

#endif
