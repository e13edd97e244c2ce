/* diff.c: compare two reports (see diff.h). */
#include "report/diff.h"

#include <stdlib.h>
#include <string.h>

#include "report/report_load.h"
#include "result/verdict.h"

#define X(s) ((const xmlChar *)(s))

/* An attribute's value as a new string ("" when absent). */
static char *attr_dup(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, X(name)) : NULL;
	char *s = tb_xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

static char *text_dup(xmlNodePtr n)
{
	xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
	char *s = tb_xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

static void read_inputs(xmlNodePtr root, struct tb_rview *v)
{
	xmlNodePtr in = tb_report_child(root, "inputs");
	xmlNodePtr s = tb_report_child(in, "suite"), p = tb_report_child(in, "profile");
	xmlNodePtr dec = tb_report_child(in, "decisions"), dut = tb_report_child(root, "dut");
	v->suite_id = attr_dup(s, "id");
	v->suite_version = attr_dup(s, "version");
	v->suite_sha256 = attr_dup(s, "sha256");
	v->profile_id = attr_dup(p, "id");
	v->profile_sha256 = attr_dup(p, "sha256");
	v->decisions_sha256 = dec ? attr_dup(dec, "sha256") : NULL;
	v->manufacturer = attr_dup(dut, "manufacturer");
	v->model = attr_dup(dut, "model");
	v->firmware = attr_dup(dut, "firmware");
	v->serial = attr_dup(dut, "serial");
}

static enum tb_err read_case(xmlNodePtr rn, const char *name, struct tb_rview_case *c,
			     struct tb_diag *d)
{
	c->id = attr_dup(rn, "id");
	c->title = text_dup(tb_report_child(rn, "title"));
	char *vs = attr_dup(rn, "verdict");
	c->verdict = tb_verdict_parse(vs);
	enum tb_err e = TB_OK;
	if (!c->id[0])
		e = tb_diag_at(d, TB_E_FORMAT, name, (unsigned long)xmlGetLineNo(rn), 0,
			       "a result without an id");
	else if (c->verdict < 0)
		e = tb_diag_at(d, TB_E_FORMAT, name, (unsigned long)xmlGetLineNo(rn), 0,
			       "result has an unknown verdict");
	free(vs);
	return e;
}

static int cmp_case_ptr(const void *a, const void *b)
{
	const struct tb_rview_case *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

/* The cases sorted by id, for lookups in O(log n); NULL on a duplicate id
 * (*dup names it). */
static const struct tb_rview_case **sorted_index(const struct tb_rview *v, const char **dup)
{
	const struct tb_rview_case **ix = tb_xcalloc(v->ncases ? v->ncases : 1, sizeof *ix);
	for (size_t i = 0; i < v->ncases; i++)
		ix[i] = &v->cases[i];
	qsort(ix, v->ncases, sizeof *ix, cmp_case_ptr);
	for (size_t i = 1; i < v->ncases; i++)
		if (strcmp(ix[i - 1]->id, ix[i]->id) == 0) {
			*dup = ix[i]->id;
			free(ix);
			return NULL;
		}
	return ix;
}

static const struct tb_rview_case *find_case(const struct tb_rview_case **ix, size_t n, const char *id)
{
	struct tb_rview_case key = { .id = (char *)id };
	const struct tb_rview_case *kp = &key, **hit = bsearch(&kp, ix, n, sizeof *ix, cmp_case_ptr);
	return hit ? *hit : NULL;
}

enum tb_err tb_rview_from_doc(xmlDocPtr doc, const char *name, struct tb_rview *v, struct tb_diag *d)
{
	memset(v, 0, sizeof *v);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char *status = attr_dup(root, "status");
	v->complete = strcmp(status, "complete") == 0;
	free(status);
	read_inputs(root, v);
	xmlNodePtr rs = tb_report_child(root, "results");
	if (!rs || !v->suite_sha256[0] || !v->profile_sha256[0])
		return tb_diag_at(d, TB_E_FORMAT, name, 0, 0,
				  "incomplete report: no results, suite or profile digest");
	for (xmlNodePtr rn = tb_report_child(rs, "result"); rn; rn = tb_report_next(rn, "result")) {
		v->cases = tb_xrealloc(v->cases, v->ncases + 1, sizeof *v->cases);
		struct tb_rview_case *c = &v->cases[v->ncases++];
		memset(c, 0, sizeof *c);
		enum tb_err e = read_case(rn, name, c, d);
		if (e)
			return e;
	}
	const char *dup = NULL;
	const struct tb_rview_case **ix = sorted_index(v, &dup);
	if (!ix)
		return tb_diag_at(d, TB_E_FORMAT, name, 0, 0, "test case '%s' appears twice", dup);
	free(ix);
	return TB_OK;
}

void tb_rview_free(struct tb_rview *v)
{
	for (size_t i = 0; i < v->ncases; i++) {
		free(v->cases[i].id);
		free(v->cases[i].title);
	}
	free(v->cases);
	char **strs[] = { &v->suite_id,     &v->suite_version,  &v->suite_sha256,
			  &v->profile_id,   &v->profile_sha256, &v->decisions_sha256,
			  &v->manufacturer, &v->model,          &v->firmware,
			  &v->serial };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	memset(v, 0, sizeof *v);
}

/* Pass and not-applicable are equally good: both conform. */
static int severity(int v)
{
	return v == TB_V_NA ? TB_V_PASS : v;
}

enum tb_diff_dir tb_diff_direction(int old_verdict, int new_verdict)
{
	int a = severity(old_verdict), b = severity(new_verdict);
	return b > a ? TB_DD_WORSE : b < a ? TB_DD_BETTER : TB_DD_NEUTRAL;
}

static int str_differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

static void add_item(struct tb_diff *df, enum tb_diff_kind k, enum tb_diff_dir dir,
		     const struct tb_rview_case *o, const struct tb_rview_case *n)
{
	df->items = tb_xrealloc(df->items, df->n + 1, sizeof *df->items);
	df->items[df->n++] = (struct tb_diff_item){ .kind = k, .dir = dir, .old = o, .new = n };
	if (k == TB_DK_ADDED)
		df->added++;
	else if (k == TB_DK_DROPPED)
		df->dropped++;
	if (dir == TB_DD_WORSE)
		df->worse++;
	else if (dir == TB_DD_BETTER)
		df->better++;
	else if (k == TB_DK_CHANGED)
		df->neutral++;
}

void tb_diff_compute(const struct tb_rview *a, const struct tb_rview *b, struct tb_diff *df)
{
	memset(df, 0, sizeof *df);
	df->suite_changed = str_differs(a->suite_sha256, b->suite_sha256);
	df->profile_changed = str_differs(a->profile_sha256, b->profile_sha256);
	df->decisions_changed = str_differs(a->decisions_sha256, b->decisions_sha256);
	df->dut_changed = str_differs(a->manufacturer, b->manufacturer) ||
			  str_differs(a->model, b->model) || str_differs(a->firmware, b->firmware) ||
			  str_differs(a->serial, b->serial);
	const char *dup = NULL;
	const struct tb_rview_case **ia = sorted_index(a, &dup), **ib = sorted_index(b, &dup);
	for (size_t i = 0; ia && ib && i < a->ncases; i++) {
		const struct tb_rview_case *o = &a->cases[i], *n = find_case(ib, b->ncases, o->id);
		if (!n)
			add_item(df, TB_DK_DROPPED, df->suite_changed ? TB_DD_NEUTRAL : TB_DD_WORSE, o,
				 NULL);
		else if (o->verdict != n->verdict)
			add_item(df, TB_DK_CHANGED, tb_diff_direction(o->verdict, n->verdict), o, n);
	}
	for (size_t i = 0; ia && ib && i < b->ncases; i++) {
		const struct tb_rview_case *n = &b->cases[i];
		if (!find_case(ia, a->ncases, n->id))
			add_item(df, TB_DK_ADDED,
				 severity(n->verdict) > TB_V_PASS ? TB_DD_WORSE : TB_DD_NEUTRAL, NULL,
				 n);
	}
	free(ia);
	free(ib);
}

void tb_diff_free(struct tb_diff *df)
{
	free(df->items);
	memset(df, 0, sizeof *df);
}

int tb_diff_exit_code(const struct tb_diff *df)
{
	return df->worse ? TB_DIFF_REGRESSED : TB_DIFF_SAME;
}

/* Report text comes from whoever wrote the report: print control
 * characters (C0, DEL and C1, which terminals act on) as '?', and at most
 * max bytes. */
static void put_safe(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t i = 0;
	for (; p[i] && i < max; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			fputc('?', f);
		else if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			fputc('?', f);
			i++;
		} else
			fputc(p[i], f);
	}
	if (p[i])
		fputs("...", f);
}

static void print_input(FILE *f, const char *what, const char *id_a, const char *sha_a,
			const char *id_b, const char *sha_b, int changed)
{
	fprintf(f, "%-11s", what);
	if (!changed) {
		fputs("unchanged: ", f);
		put_safe(f, id_b, 200);
		fputs(" sha256 ", f);
		put_safe(f, sha_b ? sha_b : "(none)", 64);
	} else {
		fputs("changed: ", f);
		put_safe(f, id_a, 200);
		fputs(" sha256 ", f);
		put_safe(f, sha_a ? sha_a : "(none)", 64);
		fputs(" -> ", f);
		put_safe(f, id_b, 200);
		fputs(" sha256 ", f);
		put_safe(f, sha_b ? sha_b : "(none)", 64);
	}
	fputc('\n', f);
}

static void print_dut(FILE *f, const struct tb_rview *a, const struct tb_rview *b)
{
	const char *const fields[][3] = {
		{ "manufacturer", a->manufacturer, b->manufacturer },
		{ "model", a->model, b->model },
		{ "firmware", a->firmware, b->firmware },
		{ "serial", a->serial, b->serial },
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!str_differs(fields[i][1], fields[i][2]))
			continue;
		fprintf(f, "%-11s%s ", "dut:", fields[i][0]);
		put_safe(f, fields[i][1], 200);
		fputs(" -> ", f);
		put_safe(f, fields[i][2], 200);
		fputc('\n', f);
	}
}

static const char *dir_word(const struct tb_diff_item *it)
{
	if (it->kind == TB_DK_ADDED)
		return it->dir == TB_DD_WORSE ? "added, worse" : "added";
	if (it->kind == TB_DK_DROPPED)
		return it->dir == TB_DD_WORSE ? "dropped, worse" : "dropped";
	return it->dir == TB_DD_WORSE ? "worse" : it->dir == TB_DD_BETTER ? "better" : "changed";
}

static void print_item(FILE *f, const struct tb_diff_item *it)
{
	const struct tb_rview_case *c = it->new ? it->new : it->old;
	fprintf(f, "%-16s", dir_word(it));
	put_safe(f, c->id, 64);
	fprintf(f, "  %s -> %s  ",
		it->old ? tb_verdict_name((enum tb_verdict)it->old->verdict) : "(absent)",
		it->new ? tb_verdict_name((enum tb_verdict)it->new->verdict) : "(absent)");
	put_safe(f, c->title, 100);
	fputc('\n', f);
}

void tb_diff_print(FILE *f, const struct tb_rview *a, const struct tb_rview *b,
		   const struct tb_diff *df)
{
	char va[300], vb[300];
	snprintf(va, sizeof va, "%s %s", a->suite_id, a->suite_version);
	snprintf(vb, sizeof vb, "%s %s", b->suite_id, b->suite_version);
	print_input(f, "suite:", va, a->suite_sha256, vb, b->suite_sha256, df->suite_changed);
	print_input(f, "profile:", a->profile_id, a->profile_sha256, b->profile_id, b->profile_sha256,
		    df->profile_changed);
	print_input(f, "decisions:", a->decisions_sha256 ? "file" : "none", a->decisions_sha256,
		    b->decisions_sha256 ? "file" : "none", b->decisions_sha256, df->decisions_changed);
	print_dut(f, a, b);
	if (!a->complete || !b->complete)
		fprintf(f, "note:      %s report is partial (its run did not finish)\n",
			!a->complete && !b->complete ? "each"
			: !a->complete               ? "the OLD"
						     : "the NEW");
	for (size_t i = 0; i < df->n; i++)
		print_item(f, &df->items[i]);
	fprintf(f, "%u worse, %u better, %u changed otherwise, %u added, %u dropped: %s\n", df->worse,
		df->better, df->neutral, df->added, df->dropped,
		df->worse ? "REGRESSED (exit 2)" : "nothing got worse (exit 0)");
}
