/* check_yamlx.c: unit tests for the strict YAML reader (yamlx.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/yamlx.h"
#include "suites.h"

#define NAME "t.yaml"

static enum tb_err parse(const char *text, struct tb_y_doc **doc, struct tb_diag *d)
{
	memset(d, 0, sizeof *d);
	return tb_y_parse(NAME, text, strlen(text), doc, d);
}

/* Parse len bytes of text, expect TB_E_CONFIG at line:col with phrase in
 * the message. */
static void expect_err_at_n(int caller, const char *text, size_t len, unsigned long line,
			    unsigned long col, const char *phrase)
{
	struct tb_y_doc *doc = (struct tb_y_doc *)1;
	struct tb_diag d = { 0 };
	enum tb_err e = tb_y_parse(NAME, text, len, &doc, &d);
	ck_assert_msg(e == TB_E_CONFIG, "line %d: expected TB_E_CONFIG, got %d (%s)", caller, e, d.msg);
	ck_assert_msg(doc == NULL, "line %d: *out not NULL on error", caller);
	ck_assert_msg(strcmp(d.file, NAME) == 0, "line %d: diag file", caller);
	ck_assert_msg(d.line == line && d.col == col, "line %d: expected %lu:%lu, got %lu:%lu (%s)",
		      caller, line, col, d.line, d.col, d.msg);
	ck_assert_msg(strstr(d.msg, phrase) != NULL, "line %d: '%s' not in '%s'", caller, phrase,
		      d.msg);
}
#define EXPECT_ERR_AT(t, l, c, p) expect_err_at_n(__LINE__, t, strlen(t), l, c, p)
/* The same for a string literal that may hold NUL bytes. */
#define EXPECT_ERR_AT_LIT(t, l, c, p) expect_err_at_n(__LINE__, t, sizeof(t) - 1, l, c, p)

START_TEST(tree_with_positions)
{
	static const char text[] =
		"a: 1\n"
		"b:\n"
		"  - x\n"
		"  - \"y\"\n"
		"c: {d: e}\n";
	struct tb_y_doc *doc;
	struct tb_diag d;
	ck_assert_int_eq(parse(text, &doc, &d), TB_OK);
	ck_assert_str_eq(doc->name, NAME);
	const struct tb_y_node *r = doc->root;
	ck_assert_int_eq(r->type, TB_Y_MAP);
	ck_assert_uint_eq(r->line, 1);
	ck_assert_uint_eq(r->col, 1);
	ck_assert_uint_eq(r->nkids, 6);
	ck_assert_str_eq(r->kids[0]->str, "a");
	ck_assert_str_eq(r->kids[2]->str, "b");
	ck_assert_uint_eq(r->kids[2]->line, 2);
	ck_assert_str_eq(r->kids[4]->str, "c");

	const struct tb_y_node *a = tb_y_get(r, "a");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, TB_Y_SCALAR);
	ck_assert_str_eq(a->str, "1");
	ck_assert_uint_eq(a->len, 1);
	ck_assert_int_eq(a->plain, 1);
	ck_assert_uint_eq(a->line, 1);
	ck_assert_uint_eq(a->col, 4);

	const struct tb_y_node *b = tb_y_get(r, "b");
	ck_assert_int_eq(b->type, TB_Y_SEQ);
	ck_assert_uint_eq(b->line, 3);
	ck_assert_uint_eq(b->col, 3);
	ck_assert_uint_eq(b->nkids, 2);
	ck_assert_str_eq(b->kids[0]->str, "x");
	ck_assert_int_eq(b->kids[0]->plain, 1);
	ck_assert_uint_eq(b->kids[0]->line, 3);
	ck_assert_uint_eq(b->kids[0]->col, 5);
	ck_assert_str_eq(b->kids[1]->str, "y");
	ck_assert_int_eq(b->kids[1]->plain, 0);
	ck_assert_uint_eq(b->kids[1]->line, 4);
	ck_assert_uint_eq(b->kids[1]->col, 5);

	const struct tb_y_node *c = tb_y_get(r, "c");
	ck_assert_int_eq(c->type, TB_Y_MAP);
	ck_assert_uint_eq(c->line, 5);
	ck_assert_uint_eq(c->col, 4);
	ck_assert_str_eq(tb_y_get(c, "d")->str, "e");
	ck_assert_uint_eq(tb_y_get(c, "d")->col, 8);

	ck_assert_ptr_null(tb_y_get(r, "missing"));
	ck_assert_ptr_null(tb_y_get(b, "x")); /* not a mapping */
	ck_assert_ptr_null(tb_y_get(NULL, "a"));
	tb_y_free(doc);
}
END_TEST

START_TEST(quoted_keys_and_empty_values)
{
	struct tb_y_doc *doc;
	struct tb_diag d;
	ck_assert_int_eq(parse("\"k\": ''\nempty:\n", &doc, &d), TB_OK);
	const struct tb_y_node *k = tb_y_get(doc->root, "k");
	ck_assert_uint_eq(k->len, 0);
	ck_assert_int_eq(k->plain, 0);
	const struct tb_y_node *e = tb_y_get(doc->root, "empty");
	ck_assert_uint_eq(e->len, 0);
	ck_assert_int_eq(e->plain, 1);
	tb_y_free(doc);
}
END_TEST

START_TEST(duplicate_key)
{
	EXPECT_ERR_AT("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a'");
	EXPECT_ERR_AT("a: 1\nb: 2\na: 3\n", 3, 1, "first at 1:1");
	/* Nested: the duplicate is reported in its own mapping. */
	EXPECT_ERR_AT("top:\n  x: 1\n  y: 2\n  x: 3\n", 4, 3, "duplicate key 'x' (first at 2:3");
	/* A quoted duplicate of a plain key is still a duplicate. */
	EXPECT_ERR_AT("k: 1\n\"k\": 2\n", 2, 1, "duplicate key 'k'");
	/* The same key in different mappings is fine. */
	struct tb_y_doc *doc;
	struct tb_diag d;
	ck_assert_int_eq(parse("a: {x: 1}\nb: {x: 2}\n", &doc, &d), TB_OK);
	tb_y_free(doc);
}
END_TEST

START_TEST(anchors_and_aliases_refused)
{
	EXPECT_ERR_AT("a: &x 1\nb: 2\n", 1, 4, "anchors and aliases are not allowed");
	EXPECT_ERR_AT("a: 1\nb: *x\n", 2, 4, "anchors and aliases are not allowed");
	EXPECT_ERR_AT("a: &m {x: 1}\n", 1, 4, "anchors and aliases are not allowed");
	EXPECT_ERR_AT("- &s [1]\n", 1, 3, "anchors and aliases are not allowed");
	/* The classic billion-laughs shape never gets past the first anchor. */
	EXPECT_ERR_AT("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", 1, 4, "anchors");
}
END_TEST

START_TEST(explicit_tags_refused)
{
	EXPECT_ERR_AT("a: !!str 1\n", 1, 4, "explicit tags are not allowed");
	EXPECT_ERR_AT("a: !foo x\n", 1, 4, "explicit tags are not allowed (!foo)");
	EXPECT_ERR_AT("a: !!map {x: 1}\n", 1, 4, "explicit tags are not allowed");
	EXPECT_ERR_AT("a: !!seq [1]\n", 1, 4, "explicit tags are not allowed");
}
END_TEST

START_TEST(two_documents_refused)
{
	EXPECT_ERR_AT("a: 1\n---\nb: 2\n", 2, 1, "only one YAML document per file");
	EXPECT_ERR_AT("---\na: 1\n...\n---\nb: 2\n", 4, 1, "only one YAML document");
	/* One explicit document is fine. */
	struct tb_y_doc *doc;
	struct tb_diag d;
	ck_assert_int_eq(parse("---\na: 1\n...\n", &doc, &d), TB_OK);
	tb_y_free(doc);
}
END_TEST

static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2);
	for (int i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth + i] = ']';
	}
	s[2 * depth] = '\n';
	s[2 * depth + 1] = '\0';
	return s;
}

START_TEST(nesting_limit)
{
	struct tb_y_doc *doc;
	struct tb_diag d;
	char *ok = nested(TB_Y_MAX_DEPTH);
	ck_assert_int_eq(parse(ok, &doc, &d), TB_OK);
	const struct tb_y_node *n = doc->root;
	int depth = 1;
	while (n->nkids == 1) {
		n = n->kids[0];
		depth++;
	}
	ck_assert_int_eq(depth, TB_Y_MAX_DEPTH);
	tb_y_free(doc);
	free(ok);

	char *bad = nested(TB_Y_MAX_DEPTH + 1);
	EXPECT_ERR_AT(bad, 1, TB_Y_MAX_DEPTH + 1, "nesting deeper than 32 levels");
	free(bad);

	/* Block style counts the same: 33 nested mappings. */
	char block[4096] = "";
	size_t used = 0;
	for (int i = 0; i < TB_Y_MAX_DEPTH + 1; i++)
		used += (size_t)snprintf(block + used, sizeof block - used, "%*sk%d:\n", i, "", i);
	snprintf(block + used, sizeof block - used, "%*sleaf: 1\n", TB_Y_MAX_DEPTH + 1, "");
	EXPECT_ERR_AT(block, TB_Y_MAX_DEPTH + 1, TB_Y_MAX_DEPTH + 1, "nesting deeper");
}
END_TEST

START_TEST(size_limit)
{
	size_t n = TB_Y_MAX_BYTES + 1;
	char *big = malloc(n + 1);
	memcpy(big, "a: ", 3);
	memset(big + 3, 'x', n - 4);
	big[n - 1] = '\n';
	big[n] = '\0';
	struct tb_y_doc *doc = (struct tb_y_doc *)1;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_y_parse(NAME, big, n, &doc, &d), TB_E_TOOBIG);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(d.file, NAME);
	ck_assert_uint_eq(d.line, 0);
	ck_assert_ptr_nonnull(strstr(d.msg, "larger than 1048576 bytes"));

	/* Exactly the limit is accepted. */
	memset(big + 3, 'x', n - 5);
	big[n - 2] = '\n';
	ck_assert_int_eq(tb_y_parse(NAME, big, n - 1, &doc, &d), TB_OK);
	ck_assert_uint_eq(tb_y_get(doc->root, "a")->len, TB_Y_MAX_BYTES - 4);
	tb_y_free(doc);
	free(big);
}
END_TEST

START_TEST(empty_document)
{
	EXPECT_ERR_AT("", 1, 1, "empty document");
	EXPECT_ERR_AT("# only a comment\n\n", 1, 1, "empty document");
	EXPECT_ERR_AT("   \n", 1, 1, "empty document");
}
END_TEST

START_TEST(syntax_errors_carry_position)
{
	EXPECT_ERR_AT("a: [1, 2\nb: 3\n", 2, 2, "did not find expected ',' or ']'");
	EXPECT_ERR_AT("a: 1\n b: 2\n", 2, 3, "mapping values are not allowed");
	EXPECT_ERR_AT("a: 'unterminated\n", 2, 1, "unexpected end of stream");
	/* An escaped NUL inside a scalar is refused by us, not libyaml. */
	EXPECT_ERR_AT("a: \"x\\0y\"\n", 1, 4, "NUL character in a scalar");
	/* Complex keys. */
	EXPECT_ERR_AT("? [a]\n: 1\n", 1, 3, "mapping keys must be plain strings");
}
END_TEST

/* libyaml reports NUL, other control characters and invalid UTF-8 by byte
 * offset only; the position must still be the true line and column. */
START_TEST(reader_errors_carry_position)
{
	EXPECT_ERR_AT_LIT("a: 1\nbb: x\0y\n", 2, 6, "control characters are not allowed");
	EXPECT_ERR_AT_LIT("\0", 1, 1, "control characters are not allowed");
	EXPECT_ERR_AT_LIT("a: 1\nb: 2\n\nc: \x01\n", 4, 4, "control characters");
	EXPECT_ERR_AT_LIT("a: 1\nbb: \xc3(\n", 2, 5, "invalid trailing UTF-8 octet");
	EXPECT_ERR_AT_LIT("a: '\xc3\xa9'\n# \xff\n", 2, 3, "invalid leading UTF-8 octet");
	EXPECT_ERR_AT_LIT("a: x\xe2\x82", 1, 5, "incomplete UTF-8 octet sequence");
	/* Columns count characters, not bytes; CR LF is one line break. */
	EXPECT_ERR_AT_LIT("a: \"\xc3\xa9\xe2\x82\xac\"\r\nb: \xc3\xa9\x7f\n", 2, 5,
			  "control characters");
	/* A UTF-8 byte-order mark takes no column. */
	EXPECT_ERR_AT_LIT(
		"\xef\xbb\xbf"
		"a: \x01\n",
		1, 4, "control characters");
	/* UTF-16: offsets are in two-byte units. */
	EXPECT_ERR_AT_LIT(
		"\xff\xfe"
		"a\0:\0 \0"
		"1\0\n\0"
		"b\0:\0 \0\x01\0",
		2, 4, "control characters");
}
END_TEST

/* The same position libyaml gives its own errors: a scanner error and a
 * reader error after the same text (CR LF, a line separator in a comment,
 * multi-byte characters, a BOM) land on the same line and column. */
START_TEST(reader_positions_match_libyaml_marks)
{
	static const char *const prefix[] = {
		"a: 1\r\nb: [x,\r\n  y]\r\n# c\xe2\x80\xa8\nd: \xc3\xa9\xc3\xa9\ne: ",
		"b: \"\xc3\xa9\xe2\x80\xa8x\"\nd: ",
		"\xef\xbb\xbf"
		"a: b\nc: ",
		"a: \"x\xc2\x85y\"\n# \r\r\nq: ",
		NULL,
	};
	for (int i = 0; prefix[i]; i++) {
		char scan[128], read[128];
		snprintf(scan, sizeof scan, "%s@\n", prefix[i]);
		snprintf(read, sizeof read, "%s\x01\n", prefix[i]);
		struct tb_y_doc *doc;
		struct tb_diag ds = { 0 }, dr = { 0 };
		ck_assert_int_eq(parse(scan, &doc, &ds), TB_E_CONFIG);
		ck_assert_int_eq(parse(read, &doc, &dr), TB_E_CONFIG);
		ck_assert_msg(strstr(ds.msg, "cannot start any token"), "%d: %s", i, ds.msg);
		ck_assert_msg(strstr(dr.msg, "control characters"), "%d: %s", i, dr.msg);
		ck_assert_msg(ds.line == dr.line && ds.col == dr.col,
			      "prefix %d: libyaml says %lu:%lu, the reader error %lu:%lu", i, ds.line,
			      ds.col, dr.line, dr.col);
	}
}
END_TEST

/* One mapping with ~100k keys (0.9 MB): the duplicate check is a hash set,
 * so this is refused at once (it took a minute when the check was a linear
 * scan per key).  The first duplicate is the one reported. */
START_TEST(duplicate_key_in_a_huge_mapping)
{
	enum { KEYS = 99999 };
	size_t cap = (size_t)(KEYS + 2) * 11, n = 0;
	char *text = malloc(cap);
	for (int i = 0; i < KEYS; i++)
		n += (size_t)snprintf(text + n, cap - n, "k%05x: 1\n", (unsigned)i);
	/* Two duplicates: the first (of key 5, first on line 6) is reported. */
	n += (size_t)snprintf(text + n, cap - n, "k%05x: 2\n", 5u);
	ck_assert_uint_le(n, TB_Y_MAX_BYTES);
	struct tb_y_doc *doc = (struct tb_y_doc *)1;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_y_parse(NAME, text, n, &doc, &d), TB_E_CONFIG);
	ck_assert_ptr_null(doc);
	ck_assert_uint_eq(d.line, KEYS + 1);
	ck_assert_uint_eq(d.col, 1);
	ck_assert_msg(strstr(d.msg, "duplicate key 'k00005' (first at 6:1)"), "%s", d.msg);
	/* Without the duplicate every key is there, in order. */
	n -= strlen("k00005: 2\n");
	ck_assert_int_eq(tb_y_parse(NAME, text, n, &doc, &d), TB_OK);
	ck_assert_uint_eq(doc->root->nkids, 2 * KEYS);
	ck_assert_str_eq(doc->root->kids[2 * (KEYS - 1)]->str, "k1869e");
	ck_assert_ptr_nonnull(tb_y_get(doc->root, "k12345"));
	tb_y_free(doc);
	free(text);
}
END_TEST

/* Each mapping has its own keys: the same key in nested or sibling mappings
 * is fine, a repeat within one mapping is not, even after a nested one. */
START_TEST(duplicate_keys_per_mapping)
{
	struct tb_y_doc *doc;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(parse("a: {x: 1}\nb: {x: 2}\nx: {x: {x: 3}}\n", &doc, &d), TB_OK);
	tb_y_free(doc);
	EXPECT_ERR_AT("a:\n  x: 1\n  y:\n    x: 2\n  x: 3\n", 5, 3, "duplicate key 'x' (first at 2:3)");
	EXPECT_ERR_AT("- {a: 1, b: 2}\n- {b: 1, b: 2}\n", 2, 10, "duplicate key 'b' (first at 2:4)");
	/* Keys that differ only past a shared prefix, or by length. */
	ck_assert_int_eq(parse("ab: 1\na: 2\nabc: 3\n\"\": 4\n", &doc, &d), TB_OK);
	tb_y_free(doc);
	EXPECT_ERR_AT("\"\": 1\nb: 2\n'': 3\n", 3, 1, "duplicate key '' (first at 1:1)");
}
END_TEST

/* ---- typed access ---- */

static const char typed[] =
	"n: 42\n"
	"neg: -7\n"
	"q: \"42\"\n"
	"sq: '42'\n"
	"big: 99999999999999999999\n"
	"junk: 12abc\n"
	"hex: 0x10\n"
	"plus: +5\n"
	"sp: 1 2\n"
	"fl: 1.5\n"
	"t: true\n"
	"f: false\n"
	"qt: \"true\"\n"
	"cap: True\n"
	"yes: yes\n"
	"one: 1\n"
	"list: [1]\n"
	"empty:\n";

static struct tb_y_doc *typed_doc(void)
{
	struct tb_y_doc *doc;
	struct tb_diag d;
	ck_assert_int_eq(parse(typed, &doc, &d), TB_OK);
	return doc;
}

static void int_err(const struct tb_y_doc *doc, const char *key, long long min, long long max,
		    unsigned long line, unsigned long col, const char *phrase)
{
	long long v = 99;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_y_int(doc, tb_y_get(doc->root, key), key, min, max, &v, &d), TB_E_CONFIG);
	ck_assert_msg(d.line == line && d.col == col, "%s: got %lu:%lu", key, d.line, d.col);
	ck_assert_str_eq(d.file, NAME);
	ck_assert_msg(strstr(d.msg, phrase), "%s: '%s' not in '%s'", key, phrase, d.msg);
	ck_assert_msg(strstr(d.msg, key), "%s: message does not name it: %s", key, d.msg);
	ck_assert_int_eq(v, 0);
}

START_TEST(y_int)
{
	struct tb_y_doc *doc = typed_doc();
	long long v;
	struct tb_diag d;
	ck_assert_int_eq(tb_y_int(doc, tb_y_get(doc->root, "n"), "n", 0, 100, &v, &d), TB_OK);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(tb_y_int(doc, tb_y_get(doc->root, "n"), "n", 42, 42, &v, &d), TB_OK);
	ck_assert_int_eq(tb_y_int(doc, tb_y_get(doc->root, "neg"), "neg", -10, 10, &v, &d), TB_OK);
	ck_assert_int_eq(v, -7);

	int_err(doc, "q", 0, 100, 3, 4, "not a quoted string");
	int_err(doc, "sq", 0, 100, 4, 5, "not a quoted string");
	int_err(doc, "n", 0, 41, 1, 4, "between 0 and 41, not 42");
	int_err(doc, "n", 43, 100, 1, 4, "between 43 and 100");
	int_err(doc, "neg", 0, 10, 2, 6, "between 0 and 10, not -7");
	int_err(doc, "big", 0, 100, 5, 6, "must be an integer");
	int_err(doc, "junk", 0, 100, 6, 7, "must be an integer, not '12abc'");
	int_err(doc, "hex", 0, 100, 7, 6, "must be an integer");
	int_err(doc, "plus", 0, 100, 8, 7, "must be an integer");
	int_err(doc, "sp", 0, 100, 9, 5, "must be an integer");
	int_err(doc, "fl", 0, 100, 10, 5, "must be an integer");
	int_err(doc, "t", 0, 100, 11, 4, "must be an integer");
	int_err(doc, "empty", 0, 100, 18, 7, "must be an integer");
	int_err(doc, "list", 0, 100, 17, 7, "must be a scalar, not a list");
	tb_y_free(doc);
}
END_TEST

static void bool_err(const struct tb_y_doc *doc, const char *key, unsigned long line, unsigned long col)
{
	int v = 5;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_y_bool(doc, tb_y_get(doc->root, key), key, &v, &d), TB_E_CONFIG);
	ck_assert_msg(d.line == line && d.col == col, "%s: got %lu:%lu", key, d.line, d.col);
	ck_assert_msg(strstr(d.msg, "must be true or false"), "%s: %s", key, d.msg);
}

START_TEST(y_bool)
{
	struct tb_y_doc *doc = typed_doc();
	int v = -1;
	struct tb_diag d;
	ck_assert_int_eq(tb_y_bool(doc, tb_y_get(doc->root, "t"), "t", &v, &d), TB_OK);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(tb_y_bool(doc, tb_y_get(doc->root, "f"), "f", &v, &d), TB_OK);
	ck_assert_int_eq(v, 0);
	bool_err(doc, "qt", 13, 5);
	bool_err(doc, "cap", 14, 6);
	bool_err(doc, "yes", 15, 6);
	bool_err(doc, "one", 16, 6);
	bool_err(doc, "empty", 18, 7);
	v = 5;
	ck_assert_int_eq(tb_y_bool(doc, tb_y_get(doc->root, "list"), "list", &v, &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "must be a scalar"));
	tb_y_free(doc);
}
END_TEST

START_TEST(y_str_and_keys)
{
	struct tb_y_doc *doc = typed_doc();
	const char *s = "x";
	struct tb_diag d;
	ck_assert_int_eq(tb_y_str(doc, tb_y_get(doc->root, "q"), "q", &s, &d), TB_OK);
	ck_assert_str_eq(s, "42");
	ck_assert_int_eq(tb_y_str(doc, tb_y_get(doc->root, "empty"), "empty", &s, &d), TB_E_CONFIG);
	ck_assert_ptr_null(s);
	ck_assert_uint_eq(d.line, 18);
	ck_assert_ptr_nonnull(strstr(d.msg, "empty must not be empty"));
	ck_assert_int_eq(tb_y_str(doc, tb_y_get(doc->root, "list"), "list", &s, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 17);

	static const char *const allowed[] = { "n", "neg", NULL };
	static const char *const required[] = { "zzz", NULL };
	ck_assert_int_eq(tb_y_keys(doc, doc->root, "the test map", allowed, NULL, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 3);
	ck_assert_uint_eq(d.col, 1);
	ck_assert_ptr_nonnull(strstr(d.msg, "unknown key 'q' in the test map"));
	tb_y_free(doc);

	ck_assert_int_eq(parse("n: 1\nneg: 2\n", &doc, &d), TB_OK);
	ck_assert_int_eq(tb_y_keys(doc, doc->root, "m", allowed, NULL, &d), TB_OK);
	ck_assert_int_eq(tb_y_keys(doc, doc->root, "the test map", allowed, required, &d), TB_E_CONFIG);
	ck_assert_uint_eq(d.line, 1);
	ck_assert_uint_eq(d.col, 1);
	ck_assert_ptr_nonnull(strstr(d.msg, "the test map lacks required key 'zzz'"));
	ck_assert_int_eq(tb_y_expect(doc, doc->root, TB_Y_SEQ, "root", &d), TB_E_CONFIG);
	ck_assert_ptr_nonnull(strstr(d.msg, "root must be a list, not a mapping"));
	tb_y_free(doc);
}
END_TEST

START_TEST(load_from_file)
{
	struct tb_y_doc *doc;
	struct tb_diag d = { 0 };
	ck_assert_int_eq(tb_y_load("profiles/template.yaml", &doc, &d), TB_OK);
	ck_assert_ptr_nonnull(tb_y_get(doc->root, "dut"));
	tb_y_free(doc);
	ck_assert_int_eq(tb_y_load("no/such/file.yaml", &doc, &d), TB_E_IO);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(d.file, "no/such/file.yaml");
	ck_assert_ptr_nonnull(strstr(d.msg, "cannot open"));
	char out[700];
	tb_diag_format(&d, out, sizeof out);
	ck_assert_ptr_nonnull(strstr(out, "no/such/file.yaml: cannot open"));
}
END_TEST

/* A FIFO (or a directory) given as a YAML path is refused at once; it used
 * to block forever waiting for a writer.  The alarm turns a regression into
 * a failure instead of a hang. */
START_TEST(load_refuses_fifo_and_directory)
{
	char dir[] = "/tmp/tb-yamlx-XXXXXX", fifo[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/suite.yaml", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	struct tb_y_doc *doc = (struct tb_y_doc *)1;
	struct tb_diag d = { 0 };
	alarm(10);
	ck_assert_int_eq(tb_y_load(fifo, &doc, &d), TB_E_IO);
	alarm(0);
	ck_assert_ptr_null(doc);
	ck_assert_msg(strstr(d.msg, "not a regular file"), "%s", d.msg);
	ck_assert_int_eq(tb_y_load(dir, &doc, &d), TB_E_IO);
	ck_assert_msg(strstr(d.msg, "not a regular file"), "%s", d.msg);
	unlink(fifo);
	rmdir(dir);
}
END_TEST

START_TEST(diag_format)
{
	struct tb_diag d;
	char out[700];
	tb_diag_at(&d, TB_E_CONFIG, "f.yaml", 3, 7, "bad %s", "thing");
	tb_diag_format(&d, out, sizeof out);
	ck_assert_str_eq(out, "f.yaml:3:7: bad thing");
	tb_diag_set(&d, TB_E_CONFIG, "plain");
	tb_diag_format(&d, out, sizeof out);
	ck_assert_str_eq(out, "plain");
	ck_assert_int_eq(tb_diag_set(NULL, TB_E_IO, "x"), TB_E_IO);
}
END_TEST

Suite *yamlx_suite(void)
{
	Suite *s = suite_create("yamlx");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, tree_with_positions);
	tcase_add_test(tc, quoted_keys_and_empty_values);
	tcase_add_test(tc, duplicate_key);
	tcase_add_test(tc, anchors_and_aliases_refused);
	tcase_add_test(tc, explicit_tags_refused);
	tcase_add_test(tc, two_documents_refused);
	tcase_add_test(tc, nesting_limit);
	tcase_add_test(tc, size_limit);
	tcase_add_test(tc, empty_document);
	tcase_add_test(tc, syntax_errors_carry_position);
	tcase_add_test(tc, y_int);
	tcase_add_test(tc, y_bool);
	tcase_add_test(tc, y_str_and_keys);
	tcase_add_test(tc, load_from_file);
	tcase_add_test(tc, load_refuses_fifo_and_directory);
	tcase_add_test(tc, reader_errors_carry_position);
	tcase_add_test(tc, reader_positions_match_libyaml_marks);
	tcase_add_test(tc, duplicate_key_in_a_huge_mapping);
	tcase_add_test(tc, duplicate_keys_per_mapping);
	tcase_add_test(tc, diag_format);
	suite_add_tcase(s, tc);
	return s;
}
