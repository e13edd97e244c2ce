/* profile_items.c: the EN 18031 declarations of a profile (product facts,
 * assets, mechanisms, interfaces) that decision trees read (see profile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/profile.h"
#include "load/tree.h"
#include "load/yamlx.h"

/* Fact and justification names: lowercase words joined by '-'. */
static int fact_name_valid(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n &&
	       s[0] != '-';
}

static enum tb_err load_facts(const struct tb_y_doc *doc, const struct tb_y_node *m, const char *what,
			      int text_only, struct tb_fact **out, size_t *nout, struct tb_diag *d)
{
	enum tb_err e = tb_y_expect(doc, m, TB_Y_MAP, what, d);
	if (e)
		return e;
	*out = tb_xcalloc(m->nkids / 2 + 1, sizeof **out);
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		const struct tb_y_node *k = m->kids[i], *v = m->kids[i + 1];
		if (!fact_name_valid(k->str))
			return tb_y_errd(d, doc, k, "%s: '%s' must be lowercase words joined by '-'",
					 what, k->str);
		const char *text;
		if ((e = tb_y_str(doc, v, what, &text, d)))
			return e;
		struct tb_fact *f = &(*out)[(*nout)++];
		f->name = tb_xstrdup(k->str);
		f->text = tb_xstrdup(text);
		f->is_bool =
			!text_only && v->plain && (!strcmp(text, "true") || !strcmp(text, "false"));
		f->value = f->is_bool && text[0] == 't';
	}
	return TB_OK;
}

static enum tb_tree_scope scope_of(const char *key)
{
	if (strcmp(key, "assets") == 0)
		return TB_TREE_ASSETS;
	if (strcmp(key, "mechanisms") == 0)
		return TB_TREE_MECHANISMS;
	return TB_TREE_INTERFACES;
}

static enum tb_err load_item(const struct tb_y_doc *doc, const struct tb_y_node *m, const char *key,
			     struct tb_decl_item *it, struct tb_diag *d)
{
	static const char *const req[] = { "id", "kind", NULL };
	static const char *const opt[] = { "description", "category", "facts", "justifications", NULL };
	char what[64];
	snprintf(what, sizeof what, "an item of declarations.%s", key);
	enum tb_err e = tb_y_expect(doc, m, TB_Y_MAP, what, d);
	if (!e)
		e = tb_y_keys(doc, m, what, opt, req, d);
	const char *id, *kind, *s;
	if (!e)
		e = tb_y_str(doc, tb_y_get(m, "id"), "id", &id, d);
	if (!e)
		e = tb_y_str(doc, tb_y_get(m, "kind"), "kind", &kind, d);
	if (e)
		return e;
	enum tb_tree_scope sc = scope_of(key);
	if (!tb_item_kind_known(sc, kind))
		return tb_y_errd(d, doc, tb_y_get(m, "kind"), "unknown kind '%s' of %s (one of: %s)",
				 kind, key, tb_item_kinds_text(sc));
	if (tb_y_get(m, "category") && sc != TB_TREE_MECHANISMS)
		return tb_y_errd(d, doc, tb_y_get(m, "category"),
				 "only mechanisms have an implementation category");
	it->id = tb_xstrdup(id);
	it->kind = tb_xstrdup(kind);
	if (tb_y_get(m, "description")) {
		if ((e = tb_y_str(doc, tb_y_get(m, "description"), "description", &s, d)))
			return e;
		it->description = tb_xstrdup(s);
	}
	if (tb_y_get(m, "category")) {
		if ((e = tb_y_str(doc, tb_y_get(m, "category"), "category", &s, d)))
			return e;
		it->category = tb_xstrdup(s);
	}
	if (tb_y_get(m, "facts") &&
	    (e = load_facts(doc, tb_y_get(m, "facts"), "facts", 0, &it->facts, &it->nfacts, d)))
		return e;
	if (tb_y_get(m, "justifications"))
		e = load_facts(doc, tb_y_get(m, "justifications"), "justifications", 1,
			       &it->justifications, &it->njustifications, d);
	return e;
}

/* declarations.product: facts about the whole device and justifications
 * for the device-level trees. */
static enum tb_err load_product(const struct tb_y_doc *doc, const struct tb_y_node *m,
				struct tb_decl_item *it, struct tb_diag *d)
{
	static const char *const opt[] = { "facts", "justifications", NULL };
	enum tb_err e = tb_y_expect(doc, m, TB_Y_MAP, "declarations.product", d);
	if (!e)
		e = tb_y_keys(doc, m, "declarations.product", opt, NULL, d);
	if (e)
		return e;
	it->id = tb_xstrdup("device");
	if (tb_y_get(m, "facts") &&
	    (e = load_facts(doc, tb_y_get(m, "facts"), "declarations.product.facts", 0, &it->facts,
			    &it->nfacts, d)))
		return e;
	if (tb_y_get(m, "justifications"))
		e = load_facts(doc, tb_y_get(m, "justifications"),
			       "declarations.product.justifications", 1, &it->justifications,
			       &it->njustifications, d);
	return e;
}

static enum tb_err load_items(const struct tb_y_doc *doc, const struct tb_y_node *n, const char *key,
			      struct tb_decl_items *out, struct tb_diag *d)
{
	char what[40];
	snprintf(what, sizeof what, "declarations.%s", key);
	enum tb_err e = tb_y_expect(doc, n, TB_Y_SEQ, what, d);
	if (e)
		return e;
	out->v = tb_xcalloc(n->nkids + 1, sizeof *out->v);
	for (size_t i = 0; i < n->nkids; i++) {
		struct tb_decl_item *it = &out->v[out->n++];
		if ((e = load_item(doc, n->kids[i], key, it, d)))
			return e;
		for (size_t j = 0; j + 1 < out->n; j++)
			if (strcmp(out->v[j].id, it->id) == 0)
				return tb_y_errd(d, doc, tb_y_get(n->kids[i], "id"),
						 "%s: id '%s' is declared twice", what, it->id);
	}
	return TB_OK;
}

enum tb_err tb_profile_items_load(const struct tb_y_doc *doc, const struct tb_y_node *n,
				  const char *key, struct tb_profile *p, struct tb_diag *d)
{
	if (strcmp(key, "product") == 0)
		return load_product(doc, n, &p->product, d);
	struct tb_decl_items *dst = strcmp(key, "assets") == 0       ? &p->assets
				    : strcmp(key, "mechanisms") == 0 ? &p->mechanisms
								     : &p->interfaces;
	return load_items(doc, n, key, dst, d);
}

const struct tb_fact *tb_fact_find(const struct tb_fact *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static void facts_free(struct tb_fact *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].text);
	}
	free(v);
}

static void item_free(struct tb_decl_item *it)
{
	free(it->id);
	free(it->kind);
	free(it->description);
	free(it->category);
	facts_free(it->facts, it->nfacts);
	facts_free(it->justifications, it->njustifications);
}

static void items_free(struct tb_decl_items *items)
{
	for (size_t i = 0; i < items->n; i++)
		item_free(&items->v[i]);
	free(items->v);
}

void tb_profile_items_free(struct tb_profile *p)
{
	item_free(&p->product);
	items_free(&p->assets);
	items_free(&p->mechanisms);
	items_free(&p->interfaces);
}
