/* yamlx.h: a strict YAML reader on top of libyaml's event API.
 *
 * Builds a small tree (scalars, mappings, sequences) with the line and
 * column of every node.  Refuses what our files never need and what makes
 * YAML dangerous: anchors, aliases, explicit tags, several documents,
 * duplicate keys, nesting deeper than TB_Y_MAX_DEPTH and files larger
 * than TB_Y_MAX_BYTES.  Errors carry file:line:column, also those libyaml
 * reports by byte offset only (NUL, control characters, invalid UTF-8).
 */
#ifndef TB_YAMLX_H
#define TB_YAMLX_H

#include "base/tb.h"

#define TB_Y_MAX_BYTES (1024 * 1024)
#define TB_Y_MAX_DEPTH 32
#define TB_Y_MAX_NODES 200000

enum tb_y_type { TB_Y_SCALAR, TB_Y_MAP, TB_Y_SEQ };

struct tb_y_node {
	enum tb_y_type type;
	unsigned long line, col; /* 1-based */
	char *str;               /* scalar text, NUL-terminated */
	size_t len;              /* scalar length (may contain no NUL: refused) */
	int plain;               /* scalar was unquoted */
	/* Mapping: kids[2i] is a key (always a scalar), kids[2i+1] its value.
	 * Sequence: kids[i] are the items. */
	struct tb_y_node **kids;
	size_t nkids;
};

struct tb_y_doc {
	char *name; /* file name used in messages */
	struct tb_y_node *root;
};

/* Parse YAML from memory. name is used in diagnostics. On success *out owns
 * a new document (free with tb_y_free); on failure *out is NULL and d says
 * where and why. */
TB_WUR enum tb_err tb_y_parse(const char *name, const void *buf, size_t len, struct tb_y_doc **out,
			      struct tb_diag *d);
/* Read and parse a file (size-capped). */
TB_WUR enum tb_err tb_y_load(const char *path, struct tb_y_doc **out, struct tb_diag *d);
void tb_y_free(struct tb_y_doc *doc);

/* ---- Typed access: every error points at the offending node. ---- */

/* Value for key in a mapping, or NULL. */
const struct tb_y_node *tb_y_get(const struct tb_y_node *map, const char *key);
/* Refuse keys not in allowed[] (NULL-terminated) and report missing
 * required[] keys (NULL-terminated; may be NULL). what names the mapping. */
TB_WUR enum tb_err tb_y_keys(const struct tb_y_doc *doc, const struct tb_y_node *map, const char *what,
			     const char *const *allowed, const char *const *required,
			     struct tb_diag *d);
TB_WUR enum tb_err tb_y_expect(const struct tb_y_doc *doc, const struct tb_y_node *n, enum tb_y_type t,
			       const char *what, struct tb_diag *d);
/* A scalar string (quoted or plain, but not an empty plain scalar). */
TB_WUR enum tb_err tb_y_str(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *what,
			    const char **out, struct tb_diag *d);
/* A plain decimal integer within [min, max]. */
TB_WUR enum tb_err tb_y_int(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *what,
			    long long min, long long max, long long *out, struct tb_diag *d);
/* A plain true or false. */
TB_WUR enum tb_err tb_y_bool(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *what,
			     int *out, struct tb_diag *d);
/* Fill d with an error at a node's position; returns TB_E_CONFIG. */
enum tb_err tb_y_errd(struct tb_diag *d, const struct tb_y_doc *doc, const struct tb_y_node *n,
		      const char *fmt, ...) TB_PRINTF(4, 5);

#endif
