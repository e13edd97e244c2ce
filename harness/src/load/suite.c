/* suite.c: load and validate a conformance suite (see suite.h). */
#include "load/suite.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "load/tree.h"
#include "load/yamlx.h"

/* ---- vocabularies ---- */

static const char *const fw_keys[TB_FW_COUNT] = {
	[TB_FW_EN303645] = "en-303-645",
	[TB_FW_UKCOP] = "uk-cop",
	[TB_FW_PSTI] = "psti",
	[TB_FW_OTA] = "ota",
};

static const char *const fw_titles[TB_FW_COUNT] = {
	[TB_FW_EN303645] = "ETSI EN 303 645",
	[TB_FW_UKCOP] = "UK Code of Practice for Consumer IoT Security",
	[TB_FW_PSTI] = "UK PSTI security requirements",
	[TB_FW_OTA] = "OTA IoT Trust Framework",
};

/* Largest reference number per numbered framework (0: free-form ids). */
static const long fw_max_ref[TB_FW_COUNT] = {
	[TB_FW_EN303645] = 0,
	[TB_FW_UKCOP] = 13,
	[TB_FW_PSTI] = 3,
	[TB_FW_OTA] = 40,
};

const char *tb_framework_key(enum tb_framework f)
{
	return f < TB_FW_COUNT ? fw_keys[f] : "?";
}

const char *tb_framework_title(enum tb_framework f)
{
	return f < TB_FW_COUNT ? fw_titles[f] : "?";
}

long tb_framework_max_ref(enum tb_framework f)
{
	return f < TB_FW_COUNT ? fw_max_ref[f] : 0;
}

const char *tb_kind_name(enum tb_kind k)
{
	switch (k) {
	case TB_KIND_CONCEPTUAL: return "conceptual";
	case TB_KIND_FUNCTIONAL: return "functional";
	case TB_KIND_BOTH: return "conceptual-functional";
	}
	return "?";
}

/* EN 303 645 V2.1.1 Table B.1 conditions, as feature names. */
const char *const tb_feature_names[] = {
	"passwords-used",           /* 1 */
	"preinstalled-passwords",   /* 2 */
	"software-not-updatable",   /* 3 */
	"constrained",              /* 4 and 5 (false) */
	"telemetry",                /* 6 */
	"consent-based-processing", /* 7 */
	"user-authentication",      /* 8 */
	"automatic-updates",        /* 9 */
	"per-device-identity",      /* 10 */
	"network-updates",          /* 11 */
	"update-mechanism",         /* 12 */
	"debug-interface",          /* 13 */
	NULL,
};

int tb_feature_known(const char *name)
{
	for (const char *const *f = tb_feature_names; *f; f++)
		if (strcmp(*f, name) == 0)
			return 1;
	return 0;
}

/* One " C(1,2)" (condition numbers) or " F(a,bb)" (EN 303 645 V3 feature
 * letters) part at p; the rest of the status after it, or NULL. */
static const char *status_part(const char *p, char kind, const char *chars)
{
	if (p[0] != ' ' || p[1] != kind || p[2] != '(')
		return NULL;
	p += 3;
	for (;;) {
		size_t n = strspn(p, chars);
		if (n == 0 || n > 2)
			return NULL;
		p += n;
		if (*p != ',')
			return *p == ')' ? p + 1 : NULL;
		p++;
	}
}

/* "M", "R", "M C(1)", "R C(3,4)"; V3 adds features: "M F(a)", "M C(14) F(e)" */
static int status_valid(const char *s)
{
	if ((s[0] != 'M' && s[0] != 'R'))
		return 0;
	const char *p = s + 1, *q;
	if ((q = status_part(p, 'C', "0123456789")))
		p = q;
	if ((q = status_part(p, 'F', "abcdefghijklmnopqrstuvwxyz")))
		p = q;
	return *p == '\0';
}

/* A feature part makes a provision conditional too: it applies only when the
 * feature is present. */
int tb_status_conditional(const char *status)
{
	return strstr(status, " C(") != NULL || strstr(status, " F(") != NULL;
}

int tb_status_mandatory(const char *status)
{
	return status[0] == 'M';
}

/* "5.1-1", "4-1", "5.13-1A" */
int tb_provision_id_valid(const char *s)
{
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 2)
		return 0;
	s += n;
	if (*s == '.') {
		n = strspn(++s, "0123456789");
		if (n == 0 || n > 2)
			return 0;
		s += n;
	}
	if (*s++ != '-')
		return 0;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 2)
		return 0;
	s += n;
	if (*s >= 'A' && *s <= 'Z')
		s++;
	return *s == '\0';
}

/* ---- loading ---- */

struct loader {
	const struct tb_y_doc *doc;
	struct tb_diag *d;
	struct tb_suite *s;
};

static char *dup_str(struct loader *L, const struct tb_y_node *n, const char *what, enum tb_err *e)
{
	const char *v;
	*e = tb_y_str(L->doc, n, what, &v, L->d);
	return *e ? NULL : tb_xstrdup(v);
}

/* suite.crosswalks: relative paths of crosswalk files (crosswalk.h). */
static enum tb_err load_crosswalk_paths(struct loader *L, const struct tb_y_node *n)
{
	enum tb_err e = tb_y_expect(L->doc, n, TB_Y_SEQ, "suite.crosswalks", L->d);
	L->s->crosswalk_paths = e ? NULL : tb_xcalloc(n->nkids + 1, sizeof(char *));
	for (size_t i = 0; !e && i < n->nkids; i++) {
		const char *v;
		if ((e = tb_y_str(L->doc, n->kids[i], "suite.crosswalks", &v, L->d)))
			break;
		if (v[0] == '/')
			return tb_y_errd(L->d, L->doc, n->kids[i],
					 "crosswalk '%s' must be relative to the suite's directory", v);
		L->s->crosswalk_paths[L->s->ncrosswalk_paths++] = tb_xstrdup(v);
	}
	return e;
}

static enum tb_err load_header(struct loader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "id", "title", NULL };
	static const char *const opt[] = { "version", "standard", "method", "crosswalks", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "suite", opt, req, L->d);
	struct tb_suite *s = L->s;
	if (!e)
		s->id = dup_str(L, tb_y_get(m, "id"), "suite.id", &e);
	if (!e)
		s->title = dup_str(L, tb_y_get(m, "title"), "suite.title", &e);
	if (!e && tb_y_get(m, "version"))
		s->version = dup_str(L, tb_y_get(m, "version"), "suite.version", &e);
	if (!e && tb_y_get(m, "standard"))
		s->standard = dup_str(L, tb_y_get(m, "standard"), "suite.standard", &e);
	if (!e && tb_y_get(m, "method"))
		s->method = dup_str(L, tb_y_get(m, "method"), "suite.method", &e);
	if (!e && tb_y_get(m, "crosswalks"))
		e = load_crosswalk_paths(L, tb_y_get(m, "crosswalks"));
	return e;
}

static enum tb_err load_covers(struct loader *L, const struct tb_y_node *m, struct tb_case *c,
			       const char *provision)
{
	static const char *const keys[] = { "en-303-645", NULL };
	/* Other frameworks come from crosswalk files, each mapping with who vouches for it. */
	for (int f = 1; m && m->type == TB_Y_MAP && f < TB_FW_COUNT; f++)
		if (tb_y_get(m, fw_keys[f]))
			return tb_y_errd(L->d, L->doc, tb_y_get(m, fw_keys[f]),
					 "covers.%s: mappings to other frameworks belong in a "
					 "crosswalk file (suite.crosswalks), not in the suite",
					 fw_keys[f]);
	enum tb_err e = tb_y_keys(L->doc, m, "covers", keys, keys, L->d);
	int has_own = 0;
	for (int f = 0; !e && f < TB_FW_COUNT; f++) {
		const struct tb_y_node *list = tb_y_get(m, fw_keys[f]);
		if (!list)
			continue;
		if ((e = tb_y_expect(L->doc, list, TB_Y_SEQ, fw_keys[f], L->d)))
			break;
		if (list->nkids == 0)
			return tb_y_errd(L->d, L->doc, list,
					 "covers.%s is empty (leave it out instead)", fw_keys[f]);
		c->covers[f] = tb_xcalloc(list->nkids, sizeof(char *));
		for (size_t i = 0; !e && i < list->nkids; i++) {
			const struct tb_y_node *item = list->kids[i];
			if (fw_max_ref[f]) {
				long long v;
				e = tb_y_int(L->doc, item, fw_keys[f], 1, fw_max_ref[f], &v, L->d);
			} else {
				const char *v;
				e = tb_y_str(L->doc, item, fw_keys[f], &v, L->d);
				if (!e && !tb_provision_id_valid(v))
					e = tb_y_errd(L->d, L->doc, item, "'%s' is not a provision id",
						      v);
				if (!e && strcmp(v, provision) == 0)
					has_own = 1;
			}
			if (!e)
				c->covers[f][c->ncovers[f]++] = tb_xstrdup(item->str);
		}
	}
	if (!e && !has_own && tb_provision_id_valid(provision)) /* not for EN 18031 ids */
		e = tb_y_errd(L->d, L->doc, m,
			      "covers.en-303-645 must include the group's provision %s", provision);
	return e;
}

static enum tb_err load_conds(struct loader *L, const struct tb_y_node *m, struct tb_case *c)
{
	enum tb_err e = tb_y_expect(L->doc, m, TB_Y_MAP, "applies-when", L->d);
	if (e)
		return e;
	c->conds = tb_xcalloc(m->nkids / 2 + 1, sizeof *c->conds);
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		const struct tb_y_node *k = m->kids[i];
		if (!tb_feature_known(k->str))
			return tb_y_errd(L->d, L->doc, k,
					 "unknown feature '%s' in applies-when (see `trustbench list`)",
					 k->str);
		int v;
		if ((e = tb_y_bool(L->doc, m->kids[i + 1], k->str, &v, L->d)))
			return e;
		c->conds[c->nconds].feature = tb_xstrdup(k->str);
		c->conds[c->nconds++].value = v;
	}
	return TB_OK;
}

static const struct tb_param_def *param_def(const struct tb_check_family *f, const char *name)
{
	for (size_t i = 0; i < f->nparams; i++)
		if (strcmp(f->params[i].name, name) == 0)
			return &f->params[i];
	return NULL;
}

static int choice_ok(const struct tb_param_def *def, const char *v)
{
	if (!def->choices)
		return 1;
	for (const char *const *c = def->choices; *c; c++)
		if (strcmp(*c, v) == 0)
			return 1;
	return 0;
}

static enum tb_err bad_choice(struct loader *L, const struct tb_y_node *n,
			      const struct tb_param_def *def)
{
	char list[256] = "";
	size_t used = 0;
	for (const char *const *c = def->choices; *c; c++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *c);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	return tb_y_errd(L->d, L->doc, n, "parameter '%s' must be one of: %s (not '%s')", def->name,
			 list, n->str);
}

static enum tb_err load_param_value(struct loader *L, const struct tb_y_node *n,
				    const struct tb_param_def *def, struct tb_param *p)
{
	enum tb_err e = TB_OK;
	p->def = def;
	switch (def->type) {
	case TB_P_STR:
		p->s = dup_str(L, n, def->name, &e);
		if (!e && !choice_ok(def, p->s))
			e = bad_choice(L, n, def);
		return e;
	case TB_P_INT: return tb_y_int(L->doc, n, def->name, def->min, def->max, &p->i, L->d);
	case TB_P_BOOL: return tb_y_bool(L->doc, n, def->name, &p->b, L->d);
	case TB_P_STRLIST:
	case TB_P_INTLIST: break;
	}
	if ((e = tb_y_expect(L->doc, n, TB_Y_SEQ, def->name, L->d)))
		return e;
	if (def->type == TB_P_STRLIST)
		p->sl = tb_xcalloc(n->nkids, sizeof *p->sl);
	else
		p->il = tb_xcalloc(n->nkids, sizeof *p->il);
	for (size_t i = 0; !e && i < n->nkids; i++) {
		const struct tb_y_node *item = n->kids[i];
		if (def->type == TB_P_INTLIST) {
			e = tb_y_int(L->doc, item, def->name, def->min, def->max, &p->il[i], L->d);
			if (!e)
				p->n++;
		} else {
			p->sl[i] = dup_str(L, item, def->name, &e);
			if (p->sl[i])
				p->n = i + 1; /* owned from here on, even if refused below */
			if (!e && !choice_ok(def, p->sl[i]))
				e = bad_choice(L, item, def);
		}
	}
	return e;
}

/* What the suite left out gets the default from the family's table. */
static enum tb_err add_defaults(struct loader *L, const struct tb_y_node *m, struct tb_case *c)
{
	for (size_t i = 0; i < c->family->nparams; i++) {
		const struct tb_param_def *def = &c->family->params[i];
		if (!def->dflt || tb_param_get(&c->params, def->name))
			continue;
		struct tb_diag why = { 0 };
		if (tb_param_default(def, &c->params.v[c->params.n], &why) != TB_OK)
			return tb_y_errd(L->d, L->doc, m, "family '%s': %s", c->family->name, why.msg);
		c->params.n++;
	}
	return TB_OK;
}

static enum tb_err load_check(struct loader *L, const struct tb_y_node *m, struct tb_case *c)
{
	static const char *const req[] = { "family", NULL };
	static const char *const opt[] = { "params", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "check", opt, req, L->d);
	if (e)
		return e;
	const struct tb_y_node *fn = tb_y_get(m, "family");
	const char *fam;
	if ((e = tb_y_str(L->doc, fn, "check.family", &fam, L->d)))
		return e;
	c->family = tb_family_find(fam);
	if (!c->family)
		return tb_y_errd(L->d, L->doc, fn,
				 "unknown check family '%s' (`trustbench list` shows them)", fam);
	const struct tb_y_node *pm = tb_y_get(m, "params");
	if (pm && (e = tb_y_expect(L->doc, pm, TB_Y_MAP, "check.params", L->d)))
		return e;
	size_t np = pm ? pm->nkids / 2 : 0;
	c->params.v = tb_xcalloc(np + c->family->nparams + 1, sizeof *c->params.v);
	for (size_t i = 0; i < np; i++) {
		const struct tb_y_node *k = pm->kids[2 * i];
		const struct tb_param_def *def = param_def(c->family, k->str);
		if (!def)
			return tb_y_errd(L->d, L->doc, k, "family '%s' has no parameter '%s'", fam,
					 k->str);
		e = load_param_value(L, pm->kids[2 * i + 1], def, &c->params.v[c->params.n]);
		c->params.n++;
		if (e)
			return e;
	}
	for (size_t i = 0; i < c->family->nparams; i++) {
		const struct tb_param_def *def = &c->family->params[i];
		if (def->required && !tb_param_get(&c->params, def->name))
			return tb_y_errd(L->d, L->doc, m, "family '%s' needs parameter '%s'", fam,
					 def->name);
	}
	return add_defaults(L, m, c);
}

static enum tb_err check_case_id(struct loader *L, const struct tb_y_node *n, const char *id,
				 const char *provision)
{
	size_t pl = strlen(provision);
	const char *rest = id + pl + 1;
	if (strncmp(id, provision, pl) != 0 || id[pl] != '-' || !*rest || strlen(rest) > 2 ||
	    rest[strspn(rest, "0123456789")] != '\0')
		return tb_y_errd(L->d, L->doc, n, "test case id '%s' must be '%s-<n>'", id, provision);
	for (size_t i = 0; i < L->s->ncases; i++)
		if (strcmp(L->s->cases[i].id, id) == 0)
			return tb_y_errd(L->d, L->doc, n,
					 "duplicate test case id '%s' (first at line %lu)", id,
					 L->s->cases[i].line);
	return TB_OK;
}

/* For tree.c: the run pass of an earlier case of the suite, or -1. */
static int earlier_case_pass(const char *id, void *suite)
{
	const struct tb_case *c = tb_suite_find_case(suite, id);
	return c ? tb_family_pass(c->family) : -1;
}

/* covers: is required for EN 303 645 provisions; a case needs a check:, a
 * tree: (load/tree.h) or both. */
static enum tb_err load_case_shape(struct loader *L, const struct tb_y_node *m, const char *provision)
{
	if (!tb_y_get(m, "covers") && tb_provision_id_valid(provision))
		return tb_y_errd(L->d, L->doc, m, "test case is missing 'covers'");
	if (!tb_y_get(m, "check") && !tb_y_get(m, "tree"))
		return tb_y_errd(L->d, L->doc, m, "test case needs a 'check' or a 'tree' (or both)");
	return TB_OK;
}

static enum tb_err load_case(struct loader *L, const struct tb_y_node *m, size_t gi)
{
	static const char *const req[] = { "id", "kind", "title", NULL };
	static const char *const opt[] = { "applies-when", "covers", "check", "tree", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "test case", opt, req, L->d);
	if (e)
		return e;
	struct tb_suite *s = L->s;
	const char *provision = s->groups[gi].provision;
	const char *id;
	if ((e = tb_y_str(L->doc, tb_y_get(m, "id"), "test case id", &id, L->d)) ||
	    (e = check_case_id(L, tb_y_get(m, "id"), id, provision)))
		return e;
	s->cases = tb_xrealloc(s->cases, s->ncases + 1, sizeof *s->cases);
	struct tb_case *c = &s->cases[s->ncases++];
	memset(c, 0, sizeof *c);
	c->id = tb_xstrdup(id);
	c->group = gi;
	c->line = m->line;
	const struct tb_y_node *kn = tb_y_get(m, "kind");
	const char *kind;
	if ((e = tb_y_str(L->doc, kn, "kind", &kind, L->d)))
		return e;
	if (strcmp(kind, "conceptual") == 0)
		c->kind = TB_KIND_CONCEPTUAL;
	else if (strcmp(kind, "functional") == 0)
		c->kind = TB_KIND_FUNCTIONAL;
	else if (strcmp(kind, "conceptual-functional") == 0)
		c->kind = TB_KIND_BOTH;
	else
		return tb_y_errd(
			L->d, L->doc, kn,
			"kind must be conceptual, functional or conceptual-functional, not '%s'", kind);
	c->title = dup_str(L, tb_y_get(m, "title"), "title", &e);
	if (!e)
		e = load_case_shape(L, m, provision);
	if (!e && tb_y_get(m, "covers"))
		e = load_covers(L, tb_y_get(m, "covers"), c, provision);
	if (!e && tb_y_get(m, "applies-when"))
		e = load_conds(L, tb_y_get(m, "applies-when"), c);
	if (!e && tb_y_get(m, "check"))
		e = load_check(L, tb_y_get(m, "check"), c);
	else if (!e)
		c->family = &tb_tree_family; /* a tree only: the runner walks it */
	if (!e && tb_y_get(m, "tree"))
		e = tb_tree_load(L->doc, tb_y_get(m, "tree"), earlier_case_pass, s, c->id,
				 tb_y_get(m, "check") ? c->family : NULL, &c->tree, L->d);
	if (!e && (c->family->flags & TB_FAM_CONCEPTUAL) && c->kind == TB_KIND_FUNCTIONAL)
		e = tb_y_errd(L->d, L->doc, tb_y_get(m, "check"),
			      "family '%s' judges declarations only: the test case must be conceptual",
			      c->family->name);
	return e;
}

static enum tb_err load_group(struct loader *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "provision", "status", "title", "cases", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "test group", NULL, req, L->d);
	if (e)
		return e;
	struct tb_suite *s = L->s;
	const struct tb_y_node *pn = tb_y_get(m, "provision");
	const char *prov, *status;
	if ((e = tb_y_str(L->doc, pn, "provision", &prov, L->d)))
		return e;
	if (!tb_provision_id_valid(prov) && !tb_requirement_id_valid(prov))
		return tb_y_errd(L->d, L->doc, pn,
				 "'%s' is not a provision id such as 5.1-1 (or an EN 18031 requirement "
				 "such as ACM-1)",
				 prov);
	for (size_t i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i].provision, prov) == 0)
			return tb_y_errd(L->d, L->doc, pn,
					 "a test group for provision %s already exists", prov);
	const struct tb_y_node *sn = tb_y_get(m, "status");
	if ((e = tb_y_str(L->doc, sn, "status", &status, L->d)))
		return e;
	if (!status_valid(status))
		return tb_y_errd(L->d, L->doc, sn,
				 "status must look like M, R, M C(1) or R C(3,4), not '%s'", status);
	s->groups = tb_xrealloc(s->groups, s->ngroups + 1, sizeof *s->groups);
	struct tb_group *g = &s->groups[s->ngroups++];
	memset(g, 0, sizeof *g);
	g->provision = tb_xstrdup(prov);
	g->status = tb_xstrdup(status);
	g->title = dup_str(L, tb_y_get(m, "title"), "title", &e);
	if (e)
		return e;
	const struct tb_y_node *cases = tb_y_get(m, "cases");
	if ((e = tb_y_expect(L->doc, cases, TB_Y_SEQ, "cases", L->d)))
		return e;
	if (cases->nkids == 0)
		return tb_y_errd(L->d, L->doc, cases, "test group %s has no test cases", prov);
	for (size_t i = 0; !e && i < cases->nkids; i++)
		e = load_case(L, cases->kids[i], s->ngroups - 1);
	return e;
}

static enum tb_err load_doc(struct loader *L)
{
	static const char *const req[] = { "suite", "groups", NULL };
	const struct tb_y_node *root = L->doc->root;
	enum tb_err e = tb_y_keys(L->doc, root, "the suite file", NULL, req, L->d);
	if (!e)
		e = load_header(L, tb_y_get(root, "suite"));
	const struct tb_y_node *groups = tb_y_get(root, "groups");
	if (!e)
		e = tb_y_expect(L->doc, groups, TB_Y_SEQ, "groups", L->d);
	if (!e && groups->nkids == 0)
		e = tb_y_errd(L->d, L->doc, groups, "the suite has no test groups");
	for (size_t i = 0; !e && i < groups->nkids; i++)
		e = load_group(L, groups->kids[i]);
	return e;
}

enum tb_err tb_suite_parse(const char *name, const void *buf, size_t len, struct tb_suite **out,
			   struct tb_diag *d)
{
	*out = NULL;
	struct tb_y_doc *doc;
	enum tb_err e = tb_y_parse(name, buf, len, &doc, d);
	if (e)
		return e;
	struct tb_suite *s = tb_xcalloc(1, sizeof *s);
	struct loader L = { .doc = doc, .d = d, .s = s };
	e = load_doc(&L);
	tb_y_free(doc);
	if (e) {
		tb_suite_free(s);
		return e;
	}
	s->path = tb_xstrdup(name);
	char *tmp = tb_xstrdup(name);
	s->dir = tb_xstrdup(dirname(tmp));
	free(tmp);
	tb_sha256_mem(buf, len, s->sha256);
	*out = s;
	return TB_OK;
}

/* Each family's prepare step (family.h) for each of its test cases. */
static enum tb_err prepare_cases(struct tb_suite *s, struct tb_diag *d)
{
	for (size_t i = 0; i < s->ncases; i++) {
		struct tb_case *c = &s->cases[i];
		if (!c->family->prepare)
			continue;
		struct tb_diag why = { 0 };
		if (c->family->prepare(c, s->dir, &c->prep, &why) != TB_OK)
			return tb_diag_at(d, TB_E_CONFIG, s->path, c->line, 1, "test case %s: %s",
					  c->id, why.msg);
	}
	return TB_OK;
}

enum tb_err tb_suite_load(const char *path, struct tb_suite **out, struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e)
		e = tb_suite_parse(path, buf, n, out, d);
	free(buf);
	if (!e && ((e = tb_suite_load_crosswalks(*out, d)) != TB_OK ||
		   (e = prepare_cases(*out, d)) != TB_OK)) {
		tb_suite_free(*out);
		*out = NULL;
	}
	return e;
}

void tb_param_clear(struct tb_param *v)
{
	free(v->s);
	if (v->sl)
		for (size_t j = 0; j < v->n; j++)
			free(v->sl[j]);
	free(v->sl);
	free(v->il);
	memset(v, 0, sizeof *v);
}

static void params_free(struct tb_params *p)
{
	for (size_t i = 0; i < p->n; i++)
		tb_param_clear(&p->v[i]);
	free(p->v);
}

void tb_suite_free(struct tb_suite *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncases; i++) {
		struct tb_case *c = &s->cases[i];
		free(c->id);
		free(c->title);
		for (int f = 0; f < TB_FW_COUNT; f++) {
			for (size_t j = 0; j < c->ncovers[f]; j++)
				free(c->covers[f][j]);
			free(c->covers[f]);
		}
		for (size_t j = 0; j < c->nconds; j++)
			free(c->conds[j].feature);
		free(c->conds);
		if (c->prep && c->family && c->family->unprepare)
			c->family->unprepare(c->prep);
		params_free(&c->params);
		tb_tree_free(c->tree);
	}
	for (size_t i = 0; i < s->ngroups; i++) {
		free(s->groups[i].provision);
		free(s->groups[i].status);
		free(s->groups[i].title);
	}
	for (size_t i = 0; i < s->ncrosswalks; i++)
		tb_crosswalk_free(s->crosswalks[i]);
	free(s->crosswalks);
	for (size_t i = 0; i < s->ncrosswalk_paths; i++)
		free(s->crosswalk_paths[i]);
	free(s->crosswalk_paths);
	free(s->cases);
	free(s->groups);
	free(s->path);
	free(s->dir);
	free(s->id);
	free(s->title);
	free(s->version);
	free(s->standard);
	free(s->method);
	free(s);
}

const struct tb_case *tb_suite_find_case(const struct tb_suite *s, const char *id)
{
	for (size_t i = 0; i < s->ncases; i++)
		if (strcmp(s->cases[i].id, id) == 0)
			return &s->cases[i];
	return NULL;
}

const struct tb_param *tb_param_get(const struct tb_params *p, const char *name)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->v[i].def && strcmp(p->v[i].def->name, name) == 0)
			return &p->v[i];
	return NULL;
}

const char *tb_param_str(const struct tb_params *p, const char *name)
{
	const struct tb_param *v = tb_param_get(p, name);
	return v ? v->s : NULL;
}

long long tb_param_int(const struct tb_params *p, const char *name)
{
	const struct tb_param *v = tb_param_get(p, name);
	return v ? (v->def && v->def->type == TB_P_BOOL ? v->b : v->i) : 0;
}

/* ---- defaults from a family's table (trusted program text) ---- */

static enum tb_err default_item(const struct tb_param_def *def, const char *text, size_t len,
				int is_int, long long *iv, char **sv, struct tb_diag *d)
{
	char item[256];
	if (len == 0 || len >= sizeof item)
		return tb_diag_set(d, TB_E_CONFIG, "default of '%s' has an empty or overlong item",
				   def->name);
	memcpy(item, text, len);
	item[len] = '\0';
	if (!is_int) {
		if (!choice_ok(def, item))
			return tb_diag_set(d, TB_E_CONFIG, "default of '%s' is not one of its choices",
					   def->name);
		*sv = tb_xstrdup(item);
		return TB_OK;
	}
	char *end;
	errno = 0;
	long long v = strtoll(item, &end, 10);
	if (errno || *end || end == item || v < def->min || v > def->max)
		return tb_diag_set(d, TB_E_CONFIG, "default of '%s' is not an integer in %lld..%lld",
				   def->name, def->min, def->max);
	*iv = v;
	return TB_OK;
}

/* "[a, b, c]" item by item; "[]" is the empty list. */
static enum tb_err default_list(const struct tb_param_def *def, const char *t, struct tb_param *out,
				struct tb_diag *d)
{
	size_t len = strlen(t);
	if (len < 2 || t[0] != '[' || t[len - 1] != ']')
		return tb_diag_set(d, TB_E_CONFIG, "default of '%s' must be a [list]", def->name);
	int is_int = def->type == TB_P_INTLIST;
	const char *p = t + 1, *end = t + len - 1;
	size_t cap = 1;
	for (const char *q = p; q < end; q++)
		cap += *q == ',';
	if (is_int)
		out->il = tb_xcalloc(cap, sizeof *out->il);
	else
		out->sl = tb_xcalloc(cap, sizeof *out->sl);
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		while (p < stop && *p == ' ')
			p++;
		size_t n = (size_t)(stop - p);
		while (n && p[n - 1] == ' ')
			n--;
		enum tb_err e = default_item(def, p, n, is_int, is_int ? &out->il[out->n] : NULL,
					     is_int ? NULL : &out->sl[out->n], d);
		if (e)
			return e;
		out->n++;
		p = comma ? comma + 1 : end;
	}
	return TB_OK;
}

enum tb_err tb_param_default(const struct tb_param_def *def, struct tb_param *out, struct tb_diag *d)
{
	memset(out, 0, sizeof *out);
	out->def = def;
	const char *t = def->dflt;
	enum tb_err e;
	if (!t)
		return tb_diag_set(d, TB_E_CONFIG, "parameter '%s' has no default", def->name);
	switch (def->type) {
	case TB_P_STR: e = default_item(def, t, strlen(t), 0, NULL, &out->s, d); break;
	case TB_P_INT: e = default_item(def, t, strlen(t), 1, &out->i, NULL, d); break;
	case TB_P_BOOL:
		out->b = strcmp(t, "true") == 0;
		e = out->b || strcmp(t, "false") == 0
			    ? TB_OK
			    : tb_diag_set(d, TB_E_CONFIG, "default of '%s' must be true or false",
					  def->name);
		break;
	default: e = default_list(def, t, out, d); break;
	}
	if (e)
		tb_param_clear(out);
	return e;
}
