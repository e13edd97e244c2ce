/* crosswalk.c: load, validate and apply framework crosswalks (see crosswalk.h). */
#include "load/crosswalk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "load/yamlx.h"

static const char *const auth_names[] = {
	[TB_AUTH_SUITE] = "suite",
	[TB_AUTH_LEGISLATED] = "legislated",
	[TB_AUTH_PUBLISHED] = "published",
	[TB_AUTH_DERIVED] = "derived",
};

const char *tb_authority_name(enum tb_authority a)
{
	return a <= TB_AUTH_DERIVED ? auth_names[a] : "?";
}

struct xl {
	const struct tb_y_doc *doc;
	struct tb_diag *d;
	const struct tb_suite *s; /* NULL: shape only */
	struct tb_crosswalk *x;
};

static enum tb_err str_at(struct xl *L, const struct tb_y_node *n, const char *what, char **out)
{
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, what, &v, L->d);
	if (!e)
		*out = tb_xstrdup(v);
	return e;
}

/* A one-line text: rationale, source and notes are shown in one table cell. */
static enum tb_err line_at(struct xl *L, const struct tb_y_node *n, const char *what, char **out)
{
	enum tb_err e = str_at(L, n, what, out);
	if (!e && strchr(*out, '\n'))
		return tb_y_errd(L->d, L->doc, n, "%s must be one line", what);
	return e;
}

static const struct tb_group *suite_group(const struct tb_suite *s, const char *provision)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i].provision, provision) == 0)
			return &s->groups[i];
	return NULL;
}

static enum tb_err load_target(struct xl *L, const struct tb_y_node *n)
{
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, "crosswalk.to", &v, L->d);
	if (e)
		return e;
	for (int f = 0; f < TB_FW_COUNT; f++)
		if (f != TB_FW_EN303645 && strcmp(v, tb_framework_key((enum tb_framework)f)) == 0) {
			L->x->to = (enum tb_framework)f;
			return TB_OK;
		}
	return tb_y_errd(L->d, L->doc, n, "crosswalk.to must be uk-cop, psti or ota, not '%s'", v);
}

static enum tb_err load_header(struct xl *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "from", "standard", "to", "title", "judged", NULL };
	static const char *const opt[] = { "not-judged", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "crosswalk", opt, req, L->d);
	const char *from;
	if (!e)
		e = tb_y_str(L->doc, tb_y_get(m, "from"), "crosswalk.from", &from, L->d);
	if (!e && strcmp(from, "en-303-645") != 0)
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "from"),
			      "crosswalk.from must be en-303-645 (the suite's own framework), not '%s'",
			      from);
	const struct tb_y_node *sn = tb_y_get(m, "standard");
	if (!e)
		e = str_at(L, sn, "crosswalk.standard", &L->x->standard);
	if (!e && L->s && L->s->standard && strcmp(L->s->standard, L->x->standard) != 0)
		e = tb_y_errd(L->d, L->doc, sn, "crosswalk maps from '%s' but the suite is '%s'",
			      L->x->standard, L->s->standard);
	if (!e)
		e = load_target(L, tb_y_get(m, "to"));
	if (!e)
		e = str_at(L, tb_y_get(m, "title"), "crosswalk.title", &L->x->title);
	if (!e)
		e = str_at(L, tb_y_get(m, "judged"), "crosswalk.judged", &L->x->judged);
	if (!e && tb_y_get(m, "not-judged"))
		e = str_at(L, tb_y_get(m, "not-judged"), "crosswalk.not-judged", &L->x->not_judged);
	return e;
}

static enum tb_err load_item(struct xl *L, const struct tb_y_node *n, struct tb_xw_map *m)
{
	long long v;
	char buf[24];
	const char *key = tb_framework_key(L->x->to);
	enum tb_err e = tb_y_int(L->doc, n, key, 1, tb_framework_max_ref(L->x->to), &v, L->d);
	if (e)
		return e;
	snprintf(buf, sizeof buf, "%lld", v);
	m->item = tb_xstrdup(buf);
	return TB_OK;
}

/* A non-empty list of unique strings, each passing ok() (NULL: any). */
static enum tb_err load_list(struct xl *L, const struct tb_y_node *n, const char *what,
			     int (*ok)(const char *), const char *shape, char ***out, size_t *nout)
{
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_SEQ, what, L->d);
	if (e)
		return e;
	if (n->nkids == 0)
		return tb_y_errd(L->d, L->doc, n, "%s is empty", what);
	*out = tb_xcalloc(n->nkids, sizeof **out);
	for (size_t i = 0; i < n->nkids; i++) {
		const struct tb_y_node *k = n->kids[i];
		const char *v;
		if ((e = tb_y_str(L->doc, k, what, &v, L->d)))
			return e;
		if (ok && !ok(v))
			return tb_y_errd(L->d, L->doc, k, "'%s' is not %s", v, shape);
		for (size_t j = 0; j < *nout; j++)
			if (strcmp((*out)[j], v) == 0)
				return tb_y_errd(L->d, L->doc, k, "'%s' is listed twice in %s", v,
						 what);
		(*out)[(*nout)++] = tb_xstrdup(v);
	}
	return TB_OK;
}

/* "5.2-1-1": a provision id, a dash and a case number. */
static int case_id_valid(const char *s)
{
	const char *dash = strrchr(s, '-');
	if (!dash || dash == s || !dash[1] || strlen(dash + 1) > 2 ||
	    dash[1 + strspn(dash + 1, "0123456789")] != '\0')
		return 0;
	char prov[32];
	size_t n = (size_t)(dash - s);
	if (n >= sizeof prov)
		return 0;
	memcpy(prov, s, n);
	prov[n] = '\0';
	return tb_provision_id_valid(prov);
}

static enum tb_err check_provisions(struct xl *L, const struct tb_y_node *n, const struct tb_xw_map *m)
{
	for (size_t i = 0; L->s && i < m->nprovisions; i++)
		if (!suite_group(L->s, m->provisions[i]))
			return tb_y_errd(L->d, L->doc, n->kids[i],
					 "provision %s has no test group in the suite %s",
					 m->provisions[i], L->s->id);
	return TB_OK;
}

/* Each named case must be a test case of one of the mapping's provisions. */
static enum tb_err check_cases(struct xl *L, const struct tb_y_node *n, const struct tb_xw_map *m)
{
	for (size_t i = 0; L->s && i < m->ncases; i++) {
		const struct tb_case *c = tb_suite_find_case(L->s, m->cases[i]);
		int mine = 0;
		for (size_t j = 0; c && j < m->nprovisions; j++)
			mine |= strcmp(L->s->groups[c->group].provision, m->provisions[j]) == 0;
		if (!c)
			return tb_y_errd(L->d, L->doc, n->kids[i], "the suite %s has no test case %s",
					 L->s->id, m->cases[i]);
		if (!mine)
			return tb_y_errd(L->d, L->doc, n->kids[i],
					 "test case %s belongs to none of the mapping's provisions",
					 m->cases[i]);
	}
	return TB_OK;
}

/* legislated and published need a source, derived a rationale. */
static enum tb_err load_authority(struct xl *L, const struct tb_y_node *m, struct tb_xw_map *x)
{
	const struct tb_y_node *an = tb_y_get(m, "authority");
	const struct tb_y_node *src = tb_y_get(m, "source"), *why = tb_y_get(m, "rationale");
	const char *v;
	enum tb_err e = tb_y_str(L->doc, an, "authority", &v, L->d);
	if (e)
		return e;
	if (strcmp(v, "legislated") == 0)
		x->authority = TB_AUTH_LEGISLATED;
	else if (strcmp(v, "published") == 0)
		x->authority = TB_AUTH_PUBLISHED;
	else if (strcmp(v, "derived") == 0)
		x->authority = TB_AUTH_DERIVED;
	else
		return tb_y_errd(L->d, L->doc, an,
				 "authority must be legislated, published or derived, not '%s'", v);
	if (x->authority == TB_AUTH_DERIVED) {
		if (!why)
			return tb_y_errd(L->d, L->doc, an,
					 "a derived mapping needs a rationale (why we map it)");
		return line_at(L, why, "rationale", &x->rationale);
	}
	if (!src)
		return tb_y_errd(L->d, L->doc, an, "a %s mapping needs a source (who says so)", v);
	if (why)
		return tb_y_errd(L->d, L->doc, why,
				 "only a derived mapping has a rationale; a %s one has a source", v);
	return line_at(L, src, "source", &x->source);
}

/* The same item reached from the same provision twice is a copy-paste slip. */
static enum tb_err check_unique(struct xl *L, const struct tb_y_node *pn, const struct tb_xw_map *m)
{
	for (size_t k = 0; k + 1 < L->x->nmaps; k++) {
		const struct tb_xw_map *o = &L->x->maps[k];
		if (strcmp(o->item, m->item) != 0)
			continue;
		for (size_t i = 0; i < m->nprovisions; i++)
			for (size_t j = 0; j < o->nprovisions; j++)
				if (strcmp(m->provisions[i], o->provisions[j]) == 0)
					return tb_y_errd(L->d, L->doc, pn->kids[i],
							 "%s %s is already mapped from %s (line %lu)",
							 tb_framework_key(L->x->to), m->item,
							 m->provisions[i], o->line);
	}
	return TB_OK;
}

static enum tb_err load_map(struct xl *L, const struct tb_y_node *n)
{
	static const char *const req[] = { "item", "provisions", "authority", NULL };
	static const char *const opt[] = { "cases", "source", "rationale", "note", NULL };
	enum tb_err e = tb_y_keys(L->doc, n, "a mapping", opt, req, L->d);
	if (e)
		return e;
	struct tb_crosswalk *x = L->x;
	x->maps = tb_xrealloc(x->maps, x->nmaps + 1, sizeof *x->maps);
	struct tb_xw_map *m = &x->maps[x->nmaps++];
	memset(m, 0, sizeof *m);
	m->line = n->line;
	const struct tb_y_node *pn = tb_y_get(n, "provisions"), *cn = tb_y_get(n, "cases");
	if ((e = load_item(L, tb_y_get(n, "item"), m)) ||
	    (e = load_list(L, pn, "provisions", tb_provision_id_valid, "a provision id such as 5.1-1",
			   &m->provisions, &m->nprovisions)) ||
	    (e = check_provisions(L, pn, m)))
		return e;
	if (cn && ((e = load_list(L, cn, "cases", case_id_valid, "a test case id such as 5.2-1-1",
				  &m->cases, &m->ncases)) ||
		   (e = check_cases(L, cn, m))))
		return e;
	if ((e = load_authority(L, n, m)))
		return e;
	if (tb_y_get(n, "note") && (e = line_at(L, tb_y_get(n, "note"), "note", &m->note)))
		return e;
	return check_unique(L, pn, m);
}

static enum tb_err load_doc(struct xl *L)
{
	static const char *const req[] = { "crosswalk", "mappings", NULL };
	const struct tb_y_node *root = L->doc->root, *maps;
	enum tb_err e = tb_y_keys(L->doc, root, "the crosswalk file", NULL, req, L->d);
	if (!e)
		e = load_header(L, tb_y_get(root, "crosswalk"));
	maps = tb_y_get(root, "mappings");
	if (!e)
		e = tb_y_expect(L->doc, maps, TB_Y_SEQ, "mappings", L->d);
	if (!e && maps->nkids == 0)
		e = tb_y_errd(L->d, L->doc, maps, "the crosswalk has no mappings");
	for (size_t i = 0; !e && i < maps->nkids; i++)
		e = load_map(L, maps->kids[i]);
	return e;
}

enum tb_err tb_crosswalk_parse(const char *name, const void *buf, size_t len, const struct tb_suite *s,
			       struct tb_crosswalk **out, struct tb_diag *d)
{
	*out = NULL;
	struct tb_y_doc *doc;
	enum tb_err e = tb_y_parse(name, buf, len, &doc, d);
	if (e)
		return e;
	struct tb_crosswalk *x = tb_xcalloc(1, sizeof *x);
	struct xl L = { .doc = doc, .d = d, .s = s, .x = x };
	e = load_doc(&L);
	tb_y_free(doc);
	if (e) {
		tb_crosswalk_free(x);
		return e;
	}
	x->path = tb_xstrdup(name);
	tb_sha256_mem(buf, len, x->sha256);
	*out = x;
	return TB_OK;
}

enum tb_err tb_crosswalk_load(const char *path, const struct tb_suite *s, struct tb_crosswalk **out,
			      struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e)
		e = tb_crosswalk_parse(path, buf, n, s, out, d);
	free(buf);
	return e;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tb_crosswalk_free(struct tb_crosswalk *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nmaps; i++) {
		struct tb_xw_map *m = &x->maps[i];
		free(m->item);
		free_list(m->provisions, m->nprovisions);
		free_list(m->cases, m->ncases);
		free(m->source);
		free(m->rationale);
		free(m->note);
	}
	free(x->maps);
	free(x->path);
	free(x->standard);
	free(x->title);
	free(x->judged);
	free(x->not_judged);
	free(x);
}

int tb_xw_map_reaches(const struct tb_suite *s, const struct tb_xw_map *m, const struct tb_case *c)
{
	int prov = 0;
	for (size_t i = 0; i < m->nprovisions; i++)
		prov |= strcmp(s->groups[c->group].provision, m->provisions[i]) == 0;
	if (!prov || !m->cases)
		return prov;
	for (size_t i = 0; i < m->ncases; i++)
		if (strcmp(m->cases[i], c->id) == 0)
			return 1;
	return 0;
}

static void add_cover(struct tb_case *c, enum tb_framework f, const char *item)
{
	for (size_t i = 0; i < c->ncovers[f]; i++)
		if (strcmp(c->covers[f][i], item) == 0)
			return;
	c->covers[f] = tb_xrealloc(c->covers[f], c->ncovers[f] + 1, sizeof *c->covers[f]);
	c->covers[f][c->ncovers[f]++] = tb_xstrdup(item);
}

const struct tb_crosswalk *tb_suite_crosswalk(const struct tb_suite *s, enum tb_framework f)
{
	for (size_t i = 0; i < s->ncrosswalks; i++)
		if (s->crosswalks[i]->to == f)
			return s->crosswalks[i];
	return NULL;
}

enum tb_err tb_crosswalk_apply(struct tb_suite *s, struct tb_crosswalk *x, struct tb_diag *d)
{
	const struct tb_crosswalk *old = tb_suite_crosswalk(s, x->to);
	if (old)
		return tb_diag_at(d, TB_E_CONFIG, x->path, 1, 1,
				  "the suite already has a crosswalk to %s (%s)",
				  tb_framework_key(x->to), old->path);
	for (size_t i = 0; i < x->nmaps; i++)
		for (size_t ci = 0; ci < s->ncases; ci++)
			if (tb_xw_map_reaches(s, &x->maps[i], &s->cases[ci]))
				add_cover(&s->cases[ci], x->to, x->maps[i].item);
	s->crosswalks = tb_xrealloc(s->crosswalks, s->ncrosswalks + 1, sizeof *s->crosswalks);
	s->crosswalks[s->ncrosswalks++] = x;
	return TB_OK;
}

enum tb_err tb_suite_load_crosswalks(struct tb_suite *s, struct tb_diag *d)
{
	for (size_t i = 0; i < s->ncrosswalk_paths; i++) {
		const char *rel = s->crosswalk_paths[i];
		size_t n = strlen(s->dir) + strlen(rel) + 2;
		char *path = tb_xmalloc(n);
		snprintf(path, n, "%s/%s", s->dir, rel);
		struct tb_crosswalk *x;
		enum tb_err e = tb_crosswalk_load(path, s, &x, d);
		free(path);
		if (!e && (e = tb_crosswalk_apply(s, x, d)) != TB_OK)
			tb_crosswalk_free(x);
		if (e)
			return e;
	}
	return TB_OK;
}
