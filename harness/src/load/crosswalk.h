/* crosswalk.h: framework mappings (testsuites/crosswalks/, one YAML file per pair) as data.
 *
 * A crosswalk maps the provisions of the suite's own standard (EN 303 645)
 * to the items of one other framework (UK CoP, PSTI, OTA).  Every mapping
 * says who vouches for it: the law (legislated), a named publisher
 * (published) or we ourselves (derived, with a rationale).  The suite names
 * its crosswalk files in its header (`crosswalks:`, paths relative to the
 * suite); tb_suite_load reads them and fills each test case's covers for the
 * other frameworks from them, so the suite itself only covers its own
 * provisions.
 */
#ifndef TB_CROSSWALK_H
#define TB_CROSSWALK_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"
#include "load/suite.h"

/* Who vouches for a mapping, strongest first: an item that several
 * mappings reach is only as strong as its weakest one. */
enum tb_authority {
	TB_AUTH_SUITE,      /* the suite's own framework: no crosswalk involved */
	TB_AUTH_LEGISLATED, /* the law maps it (e.g. the PSTI regulations) */
	TB_AUTH_PUBLISHED,  /* a named third party published the mapping */
	TB_AUTH_DERIVED,    /* ours, with a one-line rationale */
};
/* "suite", "legislated", "published", "derived" */
const char *tb_authority_name(enum tb_authority a);

struct tb_xw_map {
	char *item;        /* the target framework's item, e.g. "2" */
	char **provisions; /* EN 303 645 provisions whose test cases judge the item */
	size_t nprovisions;
	char **cases; /* only these test cases of them (NULL: all) */
	size_t ncases;
	enum tb_authority authority;
	char *source;       /* legislated/published: who says so */
	char *rationale;    /* derived: why we map it */
	char *note;         /* optional remark shown in the report */
	unsigned long line; /* where the mapping starts in the file */
};

struct tb_crosswalk {
	char *path;
	uint8_t sha256[32];
	char *standard;       /* the suite standard it maps from */
	enum tb_framework to; /* never TB_FW_EN303645 */
	char *title;
	char *judged;     /* what the report can judge for this framework */
	char *not_judged; /* what it cannot (optional) */
	struct tb_xw_map *maps;
	size_t nmaps;
};

/* Parse a crosswalk from memory.  With a suite, every provision and test
 * case named must exist in it and the standards must agree; without one,
 * only the file's own shape is checked.  Errors carry file:line:col. */
TB_WUR enum tb_err tb_crosswalk_parse(const char *name, const void *buf, size_t len,
				      const struct tb_suite *s, struct tb_crosswalk **out,
				      struct tb_diag *d);
TB_WUR enum tb_err tb_crosswalk_load(const char *path, const struct tb_suite *s,
				     struct tb_crosswalk **out, struct tb_diag *d);
/* tb_crosswalk_free and tb_suite_load_crosswalks: see suite.h. */

/* Add each mapping's item to the covers of the test cases it names (the
 * suite keeps the crosswalk: s->crosswalks).  Refuses a second crosswalk to
 * the same framework. */
TB_WUR enum tb_err tb_crosswalk_apply(struct tb_suite *s, struct tb_crosswalk *x, struct tb_diag *d);
/* The suite's crosswalk to framework f, or NULL. */
const struct tb_crosswalk *tb_suite_crosswalk(const struct tb_suite *s, enum tb_framework f);
/* Does mapping m reach test case c (its group's provision and, if the
 * mapping names cases, its id)? */
int tb_xw_map_reaches(const struct tb_suite *s, const struct tb_xw_map *m, const struct tb_case *c);

#endif
