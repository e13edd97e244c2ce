/* yamlx.c: strict YAML tree reader over libyaml events (see yamlx.h). */
#include "load/yamlx.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The keys of one open mapping, for the duplicate check: open addressing
 * over positions in the mapping's kids[] (stored plus one, so 0 is an empty
 * slot).  A hash set keeps a mapping with 100k keys linear. */
struct keyset {
	size_t *slot;
	size_t cap; /* a power of two, or 0 before the first key */
	size_t used;
};

struct builder {
	const char *name;
	struct tb_diag *d;
	size_t nodes;
	/* Stack of open containers, and the key set of each open mapping. */
	struct tb_y_node *stack[TB_Y_MAX_DEPTH + 1];
	struct keyset keys[TB_Y_MAX_DEPTH + 1];
	size_t depth;
	struct tb_y_node *root;
};

static void node_free(struct tb_y_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

void tb_y_free(struct tb_y_doc *doc)
{
	if (!doc)
		return;
	node_free(doc->root);
	free(doc->name);
	free(doc);
}

static enum tb_err at_mark(struct builder *b, yaml_mark_t m, const char *msg)
{
	return tb_diag_at(b->d, TB_E_CONFIG, b->name, (unsigned long)m.line + 1,
			  (unsigned long)m.column + 1, "%s", msg);
}

/* kids[] grows to the next power of two whenever nkids reaches one, so a
 * container with n children costs O(n) copying, not O(n^2). */
static void add_kid(struct tb_y_node *parent, struct tb_y_node *kid)
{
	size_t n = parent->nkids;
	if (n == 0 || (n & (n - 1)) == 0)
		parent->kids = tb_xrealloc(parent->kids, n ? n * 2 : 2, sizeof *parent->kids);
	parent->kids[parent->nkids++] = kid;
}

/* FNV-1a over the key's bytes. */
static size_t key_hash(const struct tb_y_node *k)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < k->len; i++)
		h = (h ^ (uint8_t)k->str[i]) * 0x100000001b3u;
	return (size_t)h;
}

static int same_key(const struct tb_y_node *a, const struct tb_y_node *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

/* The slot that holds key, or the empty slot where it belongs. */
static size_t *keyset_find(const struct keyset *ks, const struct tb_y_node *map,
			   const struct tb_y_node *key)
{
	size_t mask = ks->cap - 1;
	for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
		size_t *s = &ks->slot[i];
		if (*s == 0 || same_key(map->kids[*s - 1], key))
			return s;
	}
}

/* Double the table (kept at most half full) and re-insert every key of map. */
static void keyset_grow(struct keyset *ks, const struct tb_y_node *map)
{
	free(ks->slot);
	ks->cap = ks->cap ? ks->cap * 2 : 16;
	ks->slot = tb_xcalloc(ks->cap, sizeof *ks->slot);
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		*keyset_find(ks, map, map->kids[i]) = i + 1;
}

static void keyset_free(struct keyset *ks)
{
	free(ks->slot);
	memset(ks, 0, sizeof *ks);
}

/* A mapping key that repeats an earlier key of the same mapping; when it
 * does not, key is recorded at the position it is about to take. */
static const struct tb_y_node *duplicate_key(struct keyset *ks, const struct tb_y_node *map,
					     const struct tb_y_node *key)
{
	if ((ks->used + 1) * 2 > ks->cap)
		keyset_grow(ks, map);
	size_t *s = keyset_find(ks, map, key);
	if (*s)
		return map->kids[*s - 1];
	*s = map->nkids + 1;
	ks->used++;
	return NULL;
}

/* Attach a finished node to the open container (or make it the root). */
static enum tb_err attach(struct builder *b, struct tb_y_node *n, yaml_mark_t m)
{
	if (b->depth == 0) {
		b->root = n;
		return TB_OK;
	}
	struct tb_y_node *top = b->stack[b->depth - 1];
	if (top->type == TB_Y_MAP && top->nkids % 2 == 0) {
		/* n is a key */
		if (n->type != TB_Y_SCALAR) {
			node_free(n);
			return at_mark(b, m, "mapping keys must be plain strings");
		}
		const struct tb_y_node *prev = duplicate_key(&b->keys[b->depth - 1], top, n);
		if (prev) {
			char where[64];
			snprintf(where, sizeof where, "%lu:%lu", prev->line, prev->col);
			enum tb_err e = tb_diag_at(b->d, TB_E_CONFIG, b->name, n->line, n->col,
						   "duplicate key '%s' (first at %s)", n->str, where);
			node_free(n);
			return e;
		}
	}
	add_kid(top, n);
	return TB_OK;
}

static struct tb_y_node *new_node(struct builder *b, enum tb_y_type t, yaml_mark_t m)
{
	struct tb_y_node *n = tb_xcalloc(1, sizeof *n);
	n->type = t;
	n->line = (unsigned long)m.line + 1;
	n->col = (unsigned long)m.column + 1;
	b->nodes++;
	return n;
}

static enum tb_err refuse_anchor_tag(struct builder *b, yaml_mark_t m, const yaml_char_t *anchor,
				     const yaml_char_t *tag, int implicit)
{
	if (anchor)
		return at_mark(b, m, "anchors and aliases are not allowed");
	if (tag && !implicit)
		return tb_diag_at(b->d, TB_E_CONFIG, b->name, (unsigned long)m.line + 1,
				  (unsigned long)m.column + 1, "explicit tags are not allowed (%s)",
				  (const char *)tag);
	return TB_OK;
}

static enum tb_err on_scalar(struct builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t m = ev->start_mark;
	enum tb_err e =
		refuse_anchor_tag(b, m, ev->data.scalar.anchor, ev->data.scalar.tag,
				  ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit);
	if (e)
		return e;
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	if (memchr(v, '\0', len))
		return at_mark(b, m, "NUL character in a scalar");
	struct tb_y_node *n = new_node(b, TB_Y_SCALAR, m);
	n->str = tb_xstrndup(v, len);
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	return attach(b, n, m);
}

static enum tb_err on_open(struct builder *b, const yaml_event_t *ev, enum tb_y_type t)
{
	const yaml_mark_t m = ev->start_mark;
	enum tb_err e = t == TB_Y_MAP ? refuse_anchor_tag(b, m, ev->data.mapping_start.anchor,
							  ev->data.mapping_start.tag,
							  ev->data.mapping_start.implicit)
				      : refuse_anchor_tag(b, m, ev->data.sequence_start.anchor,
							  ev->data.sequence_start.tag,
							  ev->data.sequence_start.implicit);
	if (e)
		return e;
	if (b->depth >= TB_Y_MAX_DEPTH)
		return tb_diag_at(b->d, TB_E_CONFIG, b->name, (unsigned long)m.line + 1,
				  (unsigned long)m.column + 1, "nesting deeper than %d levels",
				  TB_Y_MAX_DEPTH);
	struct tb_y_node *n = new_node(b, t, m);
	e = attach(b, n, m);
	if (e)
		return e;
	memset(&b->keys[b->depth], 0, sizeof b->keys[0]);
	b->stack[b->depth++] = n;
	return TB_OK;
}

static enum tb_err on_event(struct builder *b, const yaml_event_t *ev, int *done)
{
	if (b->nodes > TB_Y_MAX_NODES)
		return at_mark(b, ev->start_mark, "too many nodes");
	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_NO_EVENT: return TB_OK;
	case YAML_DOCUMENT_START_EVENT:
		if (b->root)
			return at_mark(b, ev->start_mark, "only one YAML document per file");
		return TB_OK;
	case YAML_DOCUMENT_END_EVENT: return TB_OK;
	case YAML_STREAM_END_EVENT: *done = 1; return TB_OK;
	case YAML_ALIAS_EVENT: return at_mark(b, ev->start_mark, "anchors and aliases are not allowed");
	case YAML_SCALAR_EVENT: return on_scalar(b, ev);
	case YAML_MAPPING_START_EVENT: return on_open(b, ev, TB_Y_MAP);
	case YAML_SEQUENCE_START_EVENT: return on_open(b, ev, TB_Y_SEQ);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (b->depth == 0)
			return tb_diag_set(b->d, TB_E_INTERNAL, "unbalanced YAML events");
		keyset_free(&b->keys[--b->depth]);
		return TB_OK;
	}
	return TB_OK;
}

/* The byte-order mark libyaml skipped before counting any position. */
static size_t bom_length(const uint8_t *s, size_t len, yaml_encoding_t enc)
{
	if (enc == YAML_UTF16LE_ENCODING)
		return len >= 2 && s[0] == 0xFF && s[1] == 0xFE ? 2 : 0;
	if (enc == YAML_UTF16BE_ENCODING)
		return len >= 2 && s[0] == 0xFE && s[1] == 0xFF ? 2 : 0;
	return len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
}

/* The character at s[i]: its width in bytes (never 0, never past len) and
 * its code point.  Only line breaks need a true code point here, so a bad
 * sequence is simply one byte wide. */
static size_t char_at(const uint8_t *s, size_t len, size_t i, yaml_encoding_t enc, uint32_t *cp)
{
	if (enc == YAML_UTF16LE_ENCODING || enc == YAML_UTF16BE_ENCODING) {
		if (i + 2 > len) {
			*cp = 0xFFFD;
			return len - i;
		}
		*cp = enc == YAML_UTF16LE_ENCODING ? (uint32_t)(s[i] | s[i + 1] << 8)
						   : (uint32_t)(s[i] << 8 | s[i + 1]);
		return *cp >= 0xD800 && *cp <= 0xDBFF && i + 4 <= len ? 4 : 2;
	}
	uint8_t c = s[i];
	size_t w = c < 0x80             ? 1
		   : (c & 0xE0) == 0xC0 ? 2
		   : (c & 0xF0) == 0xE0 ? 3
		   : (c & 0xF8) == 0xF0 ? 4
					: 1;
	if (i + w > len)
		w = 1;
	*cp = w == 1 ? c : (uint32_t)(c & (0x7F >> w));
	for (size_t k = 1; k < w; k++)
		*cp = *cp << 6 | (s[i + k] & 0x3F);
	return w;
}

/* libyaml ends a line at LF, CR, CR LF (one break), NEL, LS and PS. */
static int is_line_break(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* Line and column (1-based) of the character that holds byte offset off,
 * counted as libyaml counts its marks: in characters, after the BOM. */
static void offset_position(const uint8_t *s, size_t len, size_t off, yaml_encoding_t enc,
			    unsigned long *line, unsigned long *col)
{
	unsigned long l = 1, c = 1;
	uint32_t prev = 0;
	for (size_t i = bom_length(s, len, enc); i < len;) {
		uint32_t cp;
		size_t w = char_at(s, len, i, enc, &cp);
		if (i + w > off)
			break; /* off lies in this character: the one at fault */
		i += w;
		if (!is_line_break(cp))
			c++;
		else if (!(cp == '\n' && prev == '\r')) /* CR LF is one break */
			l++, c = 1;
		prev = cp;
	}
	*line = l;
	*col = c;
}

static enum tb_err parser_error(struct builder *b, const yaml_parser_t *p, const void *buf, size_t len)
{
	const char *what = p->problem ? p->problem : "YAML syntax error";
	unsigned long line = (unsigned long)p->problem_mark.line + 1;
	unsigned long col = (unsigned long)p->problem_mark.column + 1;
	/* Reader errors (NUL and other control characters, invalid UTF-8)
	 * carry a byte offset and no mark. */
	if (p->error == YAML_READER_ERROR)
		offset_position(buf, len, p->problem_offset, p->encoding, &line, &col);
	if (p->context)
		return tb_diag_at(b->d, TB_E_CONFIG, b->name, line, col, "%s %s", what, p->context);
	return tb_diag_at(b->d, TB_E_CONFIG, b->name, line, col, "%s", what);
}

enum tb_err tb_y_parse(const char *name, const void *buf, size_t len, struct tb_y_doc **out,
		       struct tb_diag *d)
{
	*out = NULL;
	if (len > TB_Y_MAX_BYTES)
		return tb_diag_at(d, TB_E_TOOBIG, name, 0, 0, "file larger than %d bytes",
				  TB_Y_MAX_BYTES);
	struct builder b = { .name = name, .d = d };
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return tb_diag_set(d, TB_E_NOMEM, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	enum tb_err e = TB_OK;
	int done = 0;
	while (!done && e == TB_OK) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			e = parser_error(&b, &p, buf, len);
			break;
		}
		e = on_event(&b, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	for (size_t i = 0; i < b.depth; i++)
		keyset_free(&b.keys[i]);
	if (e == TB_OK && !b.root)
		e = tb_diag_at(d, TB_E_CONFIG, name, 1, 1, "empty document");
	if (e != TB_OK) {
		node_free(b.root);
		return e;
	}
	struct tb_y_doc *doc = tb_xcalloc(1, sizeof *doc);
	doc->name = tb_xstrdup(name);
	doc->root = b.root;
	*out = doc;
	return TB_OK;
}

enum tb_err tb_y_load(const char *path, struct tb_y_doc **out, struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e)
		e = tb_y_parse(path, buf, n, out, d);
	free(buf);
	return e;
}

/* ---- typed access ---- */

enum tb_err tb_y_errd(struct tb_diag *d, const struct tb_y_doc *doc, const struct tb_y_node *n,
		      const char *fmt, ...)
{
	if (!d)
		return TB_E_CONFIG;
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		d->msg[0] = '\0';
	tb_diag_set_file(d, doc ? doc->name : NULL);
	d->line = n ? n->line : 0;
	d->col = n ? n->col : 0;
	return TB_E_CONFIG;
}

const struct tb_y_node *tb_y_get(const struct tb_y_node *map, const char *key)
{
	if (!map || map->type != TB_Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

static const char *type_name(enum tb_y_type t)
{
	return t == TB_Y_MAP ? "a mapping" : t == TB_Y_SEQ ? "a list" : "a scalar";
}

enum tb_err tb_y_expect(const struct tb_y_doc *doc, const struct tb_y_node *n, enum tb_y_type t,
			const char *what, struct tb_diag *d)
{
	if (n->type != t)
		return tb_y_errd(d, doc, n, "%s must be %s, not %s", what, type_name(t),
				 type_name(n->type));
	return TB_OK;
}

static int in_list(const char *s, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

enum tb_err tb_y_keys(const struct tb_y_doc *doc, const struct tb_y_node *map, const char *what,
		      const char *const *allowed, const char *const *required, struct tb_diag *d)
{
	enum tb_err e = tb_y_expect(doc, map, TB_Y_MAP, what, d);
	if (e)
		return e;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct tb_y_node *k = map->kids[i];
		if (!in_list(k->str, allowed) && !in_list(k->str, required))
			return tb_y_errd(d, doc, k, "unknown key '%s' in %s", k->str, what);
	}
	for (; required && *required; required++)
		if (!tb_y_get(map, *required))
			return tb_y_errd(d, doc, map, "%s lacks required key '%s'", what, *required);
	return TB_OK;
}

enum tb_err tb_y_str(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *what,
		     const char **out, struct tb_diag *d)
{
	*out = NULL;
	enum tb_err e = tb_y_expect(doc, n, TB_Y_SCALAR, what, d);
	if (e)
		return e;
	if (n->len == 0)
		return tb_y_errd(d, doc, n, "%s must not be empty", what);
	*out = n->str;
	return TB_OK;
}

enum tb_err tb_y_int(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *what,
		     long long min, long long max, long long *out, struct tb_diag *d)
{
	*out = 0;
	enum tb_err e = tb_y_expect(doc, n, TB_Y_SCALAR, what, d);
	if (e)
		return e;
	if (!n->plain)
		return tb_y_errd(d, doc, n, "%s must be an integer, not a quoted string", what);
	char *end = NULL;
	errno = 0;
	long long v = strtoll(n->str, &end, 10);
	if (n->len == 0 || errno || !end || *end != '\0' ||
	    !(n->str[0] == '-' || (n->str[0] >= '0' && n->str[0] <= '9')))
		return tb_y_errd(d, doc, n, "%s must be an integer, not '%s'", what, n->str);
	if (v < min || v > max)
		return tb_y_errd(d, doc, n, "%s must be between %lld and %lld, not %lld", what, min,
				 max, v);
	*out = v;
	return TB_OK;
}

enum tb_err tb_y_bool(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *what, int *out,
		      struct tb_diag *d)
{
	*out = 0;
	enum tb_err e = tb_y_expect(doc, n, TB_Y_SCALAR, what, d);
	if (e)
		return e;
	if (n->plain && strcmp(n->str, "true") == 0)
		*out = 1;
	else if (n->plain && strcmp(n->str, "false") == 0)
		*out = 0;
	else
		return tb_y_errd(d, doc, n, "%s must be true or false, not '%s'", what, n->str);
	return TB_OK;
}
