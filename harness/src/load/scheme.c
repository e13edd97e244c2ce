/* scheme.c: load a conformance or label scheme (see scheme.h). */
#include "load/scheme.h"
#include "load/scheme_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/datafile.h"
#include "base/sha256.h"
#include "load/yamlx.h"

static const char *const sresult_names[TB_SR_COUNT] = {
	[TB_SR_PASS] = "pass",
	[TB_SR_FAIL] = "fail",
	[TB_SR_NA] = "not-applicable",
	[TB_SR_NEEDS_EXAMINER] = "needs-examiner",
	[TB_SR_NOT_JUDGED] = "not-judged",
};

/* The report's framework ids (report.c, summary/framework/@id). */
static const char *const frameworks[] = { "en-303-645", "uk-cop", "psti", "ota", NULL };

const char *tb_sresult_name(enum tb_sresult r)
{
	return r < TB_SR_COUNT ? sresult_names[r] : "?";
}

struct sl {
	const struct tb_y_doc *doc;
	struct tb_diag *d;
	struct tb_scheme *s;
};

static int in_list(const char *v, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

/* An id: 1-63 of [a-z0-9.-], as scheme and item ids are written. */
static int id_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 63)
		return 0;
	return strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

static enum tb_err get_str(struct sl *L, const struct tb_y_node *m, const char *key, const char *what,
			   char **out)
{
	const char *v;
	const struct tb_y_node *n = tb_y_get(m, key);
	if (!n)
		return TB_OK;
	enum tb_err e = tb_y_str(L->doc, n, what, &v, L->d);
	if (!e)
		*out = tb_xstrdup(v);
	return e;
}

/* A host that can never be fetched: a reserved example name (RFC 2606,
 * RFC 6761): *.test or *.example, lower case. */
TB_UNITTEST int url_host_reserved(const char *url)
{
	static const char pfx[] = "https://";
	if (strncmp(url, pfx, sizeof pfx - 1) != 0)
		return 0;
	const char *h = url + sizeof pfx - 1;
	size_t n = strcspn(h, "/");
	if (n == 0 || n > 253 || h[n] != '/' || strspn(h, "abcdefghijklmnopqrstuvwxyz0123456789.-") < n)
		return 0;
	return (n > 5 && memcmp(h + n - 5, ".test", 5) == 0) ||
	       (n > 8 && memcmp(h + n - 8, ".example", 8) == 0);
}

static enum tb_err load_url(struct sl *L, const struct tb_y_node *n)
{
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, "scheme.label-url-template", &v, L->d);
	if (e)
		return e;
	const char *p = strstr(v, TB_SCHEME_URL_PLACEHOLDER);
	if (!url_host_reserved(v))
		return tb_y_errd(
			L->d, L->doc, n,
			"scheme.label-url-template must be https:// on a reserved "
			"example host (*.test or *.example: nothing is ever fetched), not '%s'",
			v);
	if (!p || strstr(p + 1, TB_SCHEME_URL_PLACEHOLDER))
		return tb_y_errd(L->d, L->doc, n,
				 "scheme.label-url-template must contain %s exactly once",
				 TB_SCHEME_URL_PLACEHOLDER);
	L->s->url_template = tb_xstrdup(v);
	return TB_OK;
}

static enum tb_err load_met_by(struct sl *L, const struct tb_y_node *n)
{
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_SEQ, "scheme.met-by", L->d);
	for (size_t i = 0; !e && i < n->nkids; i++) {
		const char *v;
		if ((e = tb_y_str(L->doc, n->kids[i], "scheme.met-by item", &v, L->d)))
			break;
		if (strcmp(v, "pass") == 0)
			L->s->met_by |= 1u << TB_SR_PASS;
		else if (strcmp(v, "not-applicable") == 0)
			L->s->met_by |= 1u << TB_SR_NA;
		else
			e = tb_y_errd(L->d, L->doc, n->kids[i],
				      "scheme.met-by takes pass and not-applicable only, not '%s'", v);
	}
	if (!e && !(L->s->met_by & (1u << TB_SR_PASS)))
		e = tb_y_errd(L->d, L->doc, n, "scheme.met-by must include pass");
	return e;
}

static enum tb_err load_flags(struct sl *L, const struct tb_y_node *m)
{
	const struct tb_y_node *n;
	long long v = 0;
	enum tb_err e =
		tb_y_bool(L->doc, tb_y_get(m, "levelled"), "scheme.levelled", &L->s->levelled, L->d);
	if (!e)
		e = tb_y_int(L->doc, tb_y_get(m, "validity-months"), "scheme.validity-months", 1, 120,
			     &v, L->d);
	L->s->validity_months = (long)v;
	if (!e && (n = tb_y_get(m, "expiry-capped-by-support-period")))
		e = tb_y_bool(L->doc, n, "scheme.expiry-capped-by-support-period",
			      &L->s->cap_by_support, L->d);
	if (!e && (n = tb_y_get(m, "support-period-required")))
		e = tb_y_bool(L->doc, n, "scheme.support-period-required", &L->s->needs_support, L->d);
	return e;
}

static enum tb_err load_header(struct sl *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "id",
					   "name",
					   "version",
					   "levelled",
					   "framework",
					   "validity-months",
					   "label-url-template",
					   "met-by",
					   "judged",
					   NULL };
	static const char *const opt[] = { "id",
					   "name",
					   "version",
					   "levelled",
					   "framework",
					   "validity-months",
					   "label-url-template",
					   "met-by",
					   "judged",
					   "not-judged",
					   "expiry-capped-by-support-period",
					   "support-period-required",
					   "description",
					   NULL };
	struct tb_scheme *s = L->s;
	enum tb_err e = tb_y_keys(L->doc, m, "scheme", opt, req, L->d);
	if (!e)
		e = get_str(L, m, "id", "scheme.id", &s->id);
	if (!e && !id_ok(s->id))
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "id"),
			      "scheme.id must be 1-63 of a-z, 0-9, '.' and '-', not '%s'", s->id);
	if (!e)
		e = get_str(L, m, "name", "scheme.name", &s->name);
	if (!e)
		e = get_str(L, m, "version", "scheme.version", &s->version);
	if (!e)
		e = get_str(L, m, "framework", "scheme.framework", &s->framework);
	if (!e && !in_list(s->framework, frameworks))
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "framework"),
			      "scheme.framework must be en-303-645, uk-cop, psti or ota, not '%s'",
			      s->framework);
	if (!e)
		e = get_str(L, m, "judged", "scheme.judged", &s->judged);
	if (!e)
		e = get_str(L, m, "not-judged", "scheme.not-judged", &s->not_judged);
	if (!e)
		e = load_flags(L, m);
	if (!e)
		e = load_url(L, tb_y_get(m, "label-url-template"));
	if (!e)
		e = load_met_by(L, tb_y_get(m, "met-by"));
	return e;
}

static enum tb_err load_item(struct sl *L, const struct tb_y_node *m, struct tb_scheme_item *it)
{
	static const char *const req[] = { "id", "title", NULL };
	static const char *const opt[] = { "id", "title", "ref", "not-judged", NULL };
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_MAP, "an item", L->d);
	if (!e)
		e = tb_y_keys(L->doc, m, "item", opt, req, L->d);
	if (!e)
		e = get_str(L, m, "id", "item.id", &it->id);
	if (!e && !id_ok(it->id))
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "id"),
			      "item.id must be 1-63 of a-z, 0-9, '.' and '-', not '%s'", it->id);
	for (const struct tb_scheme_item *o = L->s->items; !e && o < it; o++)
		if (strcmp(o->id, it->id) == 0)
			e = tb_y_errd(L->d, L->doc, tb_y_get(m, "id"), "duplicate item id '%s'",
				      it->id);
	if (!e)
		e = get_str(L, m, "title", "item.title", &it->title);
	if (!e)
		e = get_str(L, m, "ref", "item.ref", &it->ref);
	if (!e)
		e = get_str(L, m, "not-judged", "item.not-judged", &it->not_judged);
	if (!e && !it->ref == !it->not_judged)
		e = tb_y_errd(L->d, L->doc, m,
			      "item '%s' needs exactly one of ref (the %s item that judges it) or "
			      "not-judged (why trustbench cannot judge it)",
			      it->id, L->s->framework);
	return e;
}

static enum tb_err load_items(struct sl *L, const struct tb_y_node *seq)
{
	enum tb_err e = tb_y_expect(L->doc, seq, TB_Y_SEQ, "items", L->d);
	if (!e && (seq->nkids == 0 || seq->nkids > TB_SCHEME_MAX_ITEMS))
		e = tb_y_errd(L->d, L->doc, seq, "items must list 1 to %d items", TB_SCHEME_MAX_ITEMS);
	if (e)
		return e;
	L->s->items = tb_xcalloc(seq->nkids, sizeof *L->s->items);
	for (size_t i = 0; i < seq->nkids; i++) {
		/* Counted before loading, so a half-loaded item is freed too. */
		struct tb_scheme_item *it = &L->s->items[L->s->nitems++];
		if ((e = load_item(L, seq->kids[i], it)))
			return e;
	}
	return TB_OK;
}

/* level.requires: existing items, no repeats; a reachable level needs
 * only items trustbench judges. */
static enum tb_err load_requires(struct sl *L, const struct tb_y_node *n, struct tb_scheme_level *lv)
{
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_SEQ, "level.requires", L->d);
	if (e)
		return e;
	lv->requires = tb_xcalloc(n->nkids + 1, sizeof *lv->requires);
	for (size_t i = 0; i < n->nkids; i++) {
		const char *v;
		if ((e = tb_y_str(L->doc, n->kids[i], "level.requires item", &v, L->d)))
			return e;
		const struct tb_scheme_item *it = tb_scheme_item(L->s, v);
		if (!it)
			return tb_y_errd(L->d, L->doc, n->kids[i], "unknown item '%s'", v);
		for (size_t j = 0; j < lv->nrequires; j++)
			if (strcmp(lv->requires[j], v) == 0)
				return tb_y_errd(L->d, L->doc, n->kids[i],
						 "item '%s' is required twice", v);
		if (!it->ref && !lv->unreachable)
			return tb_y_errd(L->d, L->doc, n->kids[i],
					 "level %ld requires '%s', which trustbench cannot judge: "
					 "mark the level unreachable (with the reason) instead",
					 lv->level, v);
		lv->requires[lv->nrequires++] = tb_xstrdup(v);
	}
	return TB_OK;
}

static enum tb_err load_assessor(struct sl *L, const struct tb_y_node *n, struct tb_scheme_level *lv)
{
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, "level.assessor", &v, L->d);
	if (!e && strcmp(v, "lab") != 0 && strcmp(v, "any") != 0)
		e = tb_y_errd(L->d, L->doc, n, "level.assessor must be lab or any, not '%s'", v);
	if (!e)
		lv->lab_only = strcmp(v, "lab") == 0;
	return e;
}

static enum tb_err load_level(struct sl *L, const struct tb_y_node *m, size_t idx,
			      struct tb_scheme_level *lv)
{
	static const char *const req[] = { "level", "name", NULL };
	static const char *const opt[] = {
		"level", "name", "requires", "assessor", "unreachable", NULL
	};
	const struct tb_y_node *n;
	long long num = 0;
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_MAP, "a level", L->d);
	if (!e)
		e = tb_y_keys(L->doc, m, "level", opt, req, L->d);
	if (!e)
		e = tb_y_int(L->doc, tb_y_get(m, "level"), "level.level", 1, TB_SCHEME_MAX_LEVELS, &num,
			     L->d);
	if (!e && num != (long long)idx + 1)
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "level"),
			      "levels are numbered 1, 2, ... in order: expected %zu, not %lld", idx + 1,
			      num);
	lv->level = (long)num;
	if (!e)
		e = get_str(L, m, "name", "level.name", &lv->name);
	if (!e)
		e = get_str(L, m, "unreachable", "level.unreachable", &lv->unreachable);
	if (!e && idx > 0 && L->s->levels[idx - 1].unreachable && !lv->unreachable)
		e = tb_y_errd(L->d, L->doc, m,
			      "level %lld is above an unreachable level, so it is unreachable too: "
			      "say why with unreachable",
			      num);
	if (!e && (n = tb_y_get(m, "assessor")))
		e = load_assessor(L, n, lv);
	if (!e && (n = tb_y_get(m, "requires")))
		e = load_requires(L, n, lv);
	if (!e && !lv->unreachable && lv->nrequires == 0)
		e = tb_y_errd(L->d, L->doc, m, "level %lld requires no item", num);
	return e;
}

static enum tb_err load_levels(struct sl *L, const struct tb_y_node *seq)
{
	enum tb_err e = tb_y_expect(L->doc, seq, TB_Y_SEQ, "levels", L->d);
	if (!e && (seq->nkids == 0 || seq->nkids > TB_SCHEME_MAX_LEVELS))
		e = tb_y_errd(L->d, L->doc, seq, "levels must list 1 to %d levels",
			      TB_SCHEME_MAX_LEVELS);
	if (!e && !L->s->levelled && seq->nkids != 1)
		e = tb_y_errd(L->d, L->doc, seq,
			      "a scheme with levelled: false has exactly one level (its pass mark)");
	if (e)
		return e;
	L->s->levels = tb_xcalloc(seq->nkids, sizeof *L->s->levels);
	for (size_t i = 0; i < seq->nkids; i++) {
		struct tb_scheme_level *lv = &L->s->levels[L->s->nlevels++];
		if ((e = load_level(L, seq->kids[i], i, lv)))
			return e;
	}
	if (L->s->levels[0].unreachable)
		return tb_y_errd(L->d, L->doc, seq->kids[0],
				 "level 1 is unreachable: no statement could ever reach a level");
	return TB_OK;
}

static enum tb_err load_doc(struct sl *L)
{
	static const char *const keys[] = { "scheme", "items", "levels", NULL };
	const struct tb_y_node *root = L->doc->root;
	enum tb_err e = tb_y_expect(L->doc, root, TB_Y_MAP, "the scheme file", L->d);
	if (!e)
		e = tb_y_keys(L->doc, root, "the scheme file", keys, keys, L->d);
	if (!e)
		e = tb_y_expect(L->doc, tb_y_get(root, "scheme"), TB_Y_MAP, "scheme", L->d);
	if (!e)
		e = load_header(L, tb_y_get(root, "scheme"));
	if (!e)
		e = load_items(L, tb_y_get(root, "items"));
	if (!e)
		e = load_levels(L, tb_y_get(root, "levels"));
	return e;
}

enum tb_err tb_scheme_parse(const char *name, const void *buf, size_t len, struct tb_scheme **out,
			    struct tb_diag *d)
{
	struct tb_y_doc *doc;
	*out = NULL;
	enum tb_err e = tb_y_parse(name, buf, len, &doc, d);
	if (e)
		return e;
	struct tb_scheme *s = tb_xcalloc(1, sizeof *s);
	struct sl L = { .doc = doc, .d = d, .s = s };
	e = load_doc(&L);
	tb_y_free(doc);
	if (e) {
		tb_scheme_free(s);
		return e;
	}
	s->path = tb_xstrdup(name);
	tb_sha256_mem(buf, len, s->sha256);
	*out = s;
	return TB_OK;
}

enum tb_err tb_scheme_load(const char *path, struct tb_scheme **out, struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e && n > TB_Y_MAX_BYTES)
		e = tb_diag_set(d, TB_E_TOOBIG, "%s: larger than %d bytes", path, TB_Y_MAX_BYTES);
	if (!e)
		e = tb_scheme_parse(path, buf, n, out, d);
	free(buf);
	return e;
}

enum tb_err tb_scheme_find(const char *what, struct tb_scheme **out, struct tb_diag *d)
{
	size_t n = strlen(what);
	if (strchr(what, '/') || (n > 5 && strcmp(what + n - 5, ".yaml") == 0))
		return tb_scheme_load(what, out, d);
	*out = NULL;
	if (!id_ok(what))
		return tb_diag_set(d, TB_E_CONFIG,
				   "unknown scheme '%s': give an id from testsuites/schemes/ or a "
				   "path to a scheme file",
				   what);
	char rel[128], buf[PATH_MAX + 64];
	snprintf(rel, sizeof rel, "testsuites/schemes/%s.yaml", what);
	return tb_scheme_load(tb_data_file(rel, buf, sizeof buf), out, d);
}

const struct tb_scheme_item *tb_scheme_item(const struct tb_scheme *s, const char *id)
{
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].id && strcmp(s->items[i].id, id) == 0)
			return &s->items[i];
	return NULL;
}

void tb_scheme_free(struct tb_scheme *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nitems; i++) {
		free(s->items[i].id);
		free(s->items[i].title);
		free(s->items[i].ref);
		free(s->items[i].not_judged);
	}
	for (size_t i = 0; i < s->nlevels; i++) {
		for (size_t j = 0; j < s->levels[i].nrequires; j++)
			free(s->levels[i].requires[j]);
		free(s->levels[i].requires);
		free(s->levels[i].name);
		free(s->levels[i].unreachable);
	}
	free(s->items);
	free(s->levels);
	free(s->path);
	free(s->id);
	free(s->name);
	free(s->version);
	free(s->framework);
	free(s->judged);
	free(s->not_judged);
	free(s->url_template);
	free(s);
}
