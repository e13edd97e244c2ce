/* policy.c: load a procurement policy and judge a report against it
 * (see policy.h and profiles/policies/README.md). */
#include "trust/policy.h"
#include "trust/policy_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/yamlx.h"

static const char *const framework_keys[] = { "en-303-645", "uk-cop", "psti", "ota", NULL };

/* The rule keywords, indexed by enum tb_prule (TB_PR_LIST has none). */
static const char *const rule_names[] = {
	[TB_PR_LIST] = "list",
	[TB_PR_ALL_PASS] = "all-pass",
	[TB_PR_ALL_PASS_OR_NA] = "all-pass-or-justified-na",
	[TB_PR_MANDATORY_PASS] = "mandatory-pass",
	[TB_PR_MANDATORY_PASS_OR_NA] = "mandatory-pass-or-justified-na",
};

/* The runner writes this when the ICS declares n/a without a justification
 * (runner.c, tb_case_gate); such an n/a is not a justified one. */
#define NO_JUSTIFICATION "(no justification given)"

const char *tb_prule_name(enum tb_prule r)
{
	return r <= TB_PR_MANDATORY_PASS_OR_NA ? rule_names[r] : "?";
}

struct pl {
	const struct tb_y_doc *doc;
	struct tb_diag *d;
	struct tb_policy *p;
};

static enum tb_err load_ident(struct pl *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "id", NULL };
	static const char *const opt[] = { "description", NULL };
	const char *v;
	enum tb_err e = tb_y_keys(L->doc, m, "policy", opt, req, L->d);
	if (!e)
		e = tb_y_str(L->doc, tb_y_get(m, "id"), "policy.id", &v, L->d);
	if (e)
		return e;
	L->p->id = tb_xstrdup(v);
	const struct tb_y_node *dn = tb_y_get(m, "description");
	if (dn) {
		if ((e = tb_y_str(L->doc, dn, "policy.description", &v, L->d)))
			return e;
		L->p->description = tb_xstrdup(v);
	}
	return TB_OK;
}

static enum tb_err load_ref_list(struct pl *L, const struct tb_y_node *seq, struct tb_prequire *r)
{
	if (seq->nkids == 0)
		return tb_y_errd(L->d, L->doc, seq, "require.%s lists no items", r->framework);
	r->refs = tb_xcalloc(seq->nkids, sizeof *r->refs);
	for (size_t i = 0; i < seq->nkids; i++) {
		const char *v;
		enum tb_err e = tb_y_str(L->doc, seq->kids[i], "a required item", &v, L->d);
		if (e)
			return e;
		for (size_t j = 0; j < r->nrefs; j++)
			if (strcmp(r->refs[j], v) == 0)
				return tb_y_errd(L->d, L->doc, seq->kids[i],
						 "item '%s' is listed twice in require.%s", v,
						 r->framework);
		r->refs[r->nrefs++] = tb_xstrdup(v);
	}
	return TB_OK;
}

static enum tb_err load_rule(struct pl *L, const struct tb_y_node *n, struct tb_prequire *r)
{
	const char *v;
	enum tb_err e = tb_y_str(L->doc, n, "a framework rule", &v, L->d);
	if (e)
		return e;
	for (int i = TB_PR_ALL_PASS; i <= TB_PR_MANDATORY_PASS_OR_NA; i++)
		if (strcmp(v, rule_names[i]) == 0)
			r->rule = (enum tb_prule)i;
	if (r->rule == TB_PR_LIST)
		return tb_y_errd(L->d, L->doc, n,
				 "require.%s must be a list of items or one of all-pass, "
				 "all-pass-or-justified-na, mandatory-pass, "
				 "mandatory-pass-or-justified-na, not '%s'",
				 r->framework, v);
	/* Only EN 303 645 gives its provisions a mandatory/recommended status. */
	if ((r->rule == TB_PR_MANDATORY_PASS || r->rule == TB_PR_MANDATORY_PASS_OR_NA) &&
	    strcmp(r->framework, "en-303-645") != 0)
		return tb_y_errd(L->d, L->doc, n,
				 "'%s' needs provision statuses, which only en-303-645 has", v);
	return TB_OK;
}

static enum tb_err load_require(struct pl *L, const struct tb_y_node *m)
{
	enum tb_err e = tb_y_keys(L->doc, m, "require", framework_keys, NULL, L->d);
	if (e)
		return e;
	if (m->nkids == 0)
		return tb_y_errd(L->d, L->doc, m, "require names no framework");
	L->p->req = tb_xcalloc(m->nkids / 2, sizeof *L->p->req);
	for (size_t i = 0; i + 1 < m->nkids; i += 2) {
		struct tb_prequire *r = &L->p->req[L->p->nreq++];
		const struct tb_y_node *v = m->kids[i + 1];
		r->framework = tb_xstrdup(m->kids[i]->str);
		r->rule = TB_PR_LIST;
		e = v->type == TB_Y_SEQ ? load_ref_list(L, v, r) : load_rule(L, v, r);
		if (e)
			return e;
	}
	return TB_OK;
}

static enum tb_err load_report(struct pl *L, const struct tb_y_node *m)
{
	static const char *const opt[] = { "not-before", "max-age-days", "full-suite", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "report", opt, NULL, L->d);
	const struct tb_y_node *n;
	if (e)
		return e;
	if ((n = tb_y_get(m, "not-before"))) {
		const char *v;
		if ((e = tb_y_str(L->doc, n, "report.not-before", &v, L->d)))
			return e;
		if (!tb_date_valid(v))
			return tb_y_errd(L->d, L->doc, n,
					 "report.not-before must be a date YYYY-MM-DD, not '%s'", v);
		snprintf(L->p->not_before, sizeof L->p->not_before, "%s", v);
	}
	if ((n = tb_y_get(m, "max-age-days")) &&
	    (e = tb_y_int(L->doc, n, "report.max-age-days", 1, 36500, &L->p->max_age_days, L->d)))
		return e;
	if ((n = tb_y_get(m, "full-suite")) &&
	    (e = tb_y_bool(L->doc, n, "report.full-suite", &L->p->full_suite, L->d)))
		return e;
	return TB_OK;
}

/* A certificate fingerprint as openssl prints it (colons, any case) or as
 * plain hex; stored as 64 lower-case hex digits. */
static int fingerprint_norm(const char *s, char out[65])
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)*s) || n == 64)
			return -1;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
	return n == 64 ? 0 : -1;
}

static enum tb_err load_trust(struct pl *L, const struct tb_y_node *n, struct tb_ptrust *t)
{
	static const char *const opt[] = { "subject", "sha256", NULL };
	const struct tb_y_node *sn, *fn;
	const char *v;
	enum tb_err e = tb_y_keys(L->doc, n, "a trusted-labs entry", opt, NULL, L->d);
	if (e)
		return e;
	sn = tb_y_get(n, "subject");
	fn = tb_y_get(n, "sha256");
	if (!sn == !fn)
		return tb_y_errd(L->d, L->doc, n,
				 "a trusted-labs entry needs exactly one of subject or sha256");
	if (sn) {
		if ((e = tb_y_str(L->doc, sn, "trusted-labs subject", &v, L->d)))
			return e;
		t->subject = tb_xstrdup(v);
		return TB_OK;
	}
	char hex[65];
	if ((e = tb_y_str(L->doc, fn, "trusted-labs sha256", &v, L->d)))
		return e;
	if (fingerprint_norm(v, hex) != 0)
		return tb_y_errd(L->d, L->doc, fn,
				 "trusted-labs sha256 must be a SHA-256 certificate fingerprint "
				 "(64 hex digits, colons allowed), not '%s'",
				 v);
	t->sha256 = tb_xstrdup(hex);
	return TB_OK;
}

static enum tb_err load_assessor(struct pl *L, const struct tb_y_node *m)
{
	static const char *const opt[] = { "self-assessment", "trusted-labs", NULL };
	enum tb_err e = tb_y_keys(L->doc, m, "assessor", opt, NULL, L->d);
	const struct tb_y_node *n;
	if (e)
		return e;
	if ((n = tb_y_get(m, "self-assessment"))) {
		const char *v;
		if ((e = tb_y_str(L->doc, n, "assessor.self-assessment", &v, L->d)))
			return e;
		if (strcmp(v, "accept") != 0 && strcmp(v, "refuse") != 0)
			return tb_y_errd(L->d, L->doc, n,
					 "assessor.self-assessment must be accept or refuse, not '%s'",
					 v);
		L->p->self_assessment = strcmp(v, "accept") == 0;
	}
	if (!(n = tb_y_get(m, "trusted-labs")))
		return TB_OK;
	if ((e = tb_y_expect(L->doc, n, TB_Y_SEQ, "assessor.trusted-labs", L->d)))
		return e;
	if (n->nkids == 0)
		return tb_y_errd(L->d, L->doc, n,
				 "assessor.trusted-labs is empty (leave it out to trust any "
				 "signer the CA vouches for)");
	L->p->trusted = tb_xcalloc(n->nkids, sizeof *L->p->trusted);
	for (size_t i = 0; i < n->nkids; i++)
		if ((e = load_trust(L, n->kids[i], &L->p->trusted[L->p->ntrusted++])))
			return e;
	return TB_OK;
}

/* require-statement: {scheme: ID, minimum-level: N} (issue 14). */
static enum tb_err load_statement_req(struct pl *L, const struct tb_y_node *m)
{
	static const char *const req[] = { "scheme", NULL };
	static const char *const opt[] = { "scheme", "minimum-level", NULL };
	const struct tb_y_node *n;
	const char *v;
	enum tb_err e = tb_y_keys(L->doc, m, "require-statement", opt, req, L->d);
	if (!e)
		e = tb_y_str(L->doc, tb_y_get(m, "scheme"), "require-statement.scheme", &v, L->d);
	if (e)
		return e;
	L->p->stmt_scheme = tb_xstrdup(v);
	if ((n = tb_y_get(m, "minimum-level")))
		e = tb_y_int(L->doc, n, "require-statement.minimum-level", 1, 99, &L->p->stmt_min_level,
			     L->d);
	return e;
}

static enum tb_err load_doc(struct pl *L)
{
	static const char *const req[] = { "policy", NULL };
	static const char *const opt[] = { "require",           "report",
					   "assessor",          "accept-derived-mappings",
					   "require-statement", NULL };
	const struct tb_y_node *root = L->doc->root, *n;
	enum tb_err e = tb_y_keys(L->doc, root, "the policy file", opt, req, L->d);
	if (!e && (n = tb_y_get(root, "accept-derived-mappings")))
		e = tb_y_bool(L->doc, n, "accept-derived-mappings", &L->p->accept_derived, L->d);
	if (!e)
		e = load_ident(L, tb_y_get(root, "policy"));
	if (!e && (n = tb_y_get(root, "require")))
		e = load_require(L, n);
	if (!e && (n = tb_y_get(root, "report")))
		e = load_report(L, n);
	if (!e && (n = tb_y_get(root, "assessor")))
		e = load_assessor(L, n);
	if (!e && (n = tb_y_get(root, "require-statement")))
		e = load_statement_req(L, n);
	return e;
}

enum tb_err tb_policy_parse(const char *name, const void *buf, size_t len, struct tb_policy **out,
			    struct tb_diag *d)
{
	struct tb_y_doc *doc;
	*out = NULL;
	enum tb_err e = tb_y_parse(name, buf, len, &doc, d);
	if (e)
		return e;
	struct tb_policy *p = tb_xcalloc(1, sizeof *p);
	/* Defaults: the full suite, lab-run reports only, derived mappings accepted. */
	p->full_suite = 1;
	p->accept_derived = 1;
	struct pl L = { .doc = doc, .d = d, .p = p };
	e = load_doc(&L);
	tb_y_free(doc);
	if (e) {
		tb_policy_free(p);
		return e;
	}
	p->path = tb_xstrdup(name);
	*out = p;
	return TB_OK;
}

enum tb_err tb_policy_load(const char *path, struct tb_policy **out, struct tb_diag *d)
{
	char *buf;
	size_t n;
	*out = NULL;
	enum tb_err e = tb_file_read(path, TB_Y_MAX_BYTES + 1, &buf, &n, d);
	if (!e)
		e = tb_policy_parse(path, buf, n, out, d);
	free(buf);
	return e;
}

void tb_policy_free(struct tb_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nreq; i++) {
		for (size_t j = 0; j < p->req[i].nrefs; j++)
			free(p->req[i].refs[j]);
		free(p->req[i].refs);
		free(p->req[i].framework);
	}
	free(p->req);
	for (size_t i = 0; i < p->ntrusted; i++) {
		free(p->trusted[i].subject);
		free(p->trusted[i].sha256);
	}
	free(p->trusted);
	free(p->stmt_scheme);
	free(p->path);
	free(p->id);
	free(p->description);
	free(p);
}

void tb_facts_cleanup(struct tb_facts *f)
{
	for (size_t i = 0; i < f->nitems; i++) {
		struct tb_fitem *it = &f->items[i];
		free(it->framework);
		free(it->ref);
		free(it->status);
		free(it->verdict);
		free(it->cases);
		free(it->authority);
	}
	for (size_t i = 0; i < f->nresults; i++) {
		free(f->results[i].id);
		free(f->results[i].verdict);
		free(f->results[i].reason);
	}
	free(f->items);
	free(f->results);
	free(f->status);
	free(f->started);
	free(f->finished);
	free(f->assessor_role);
	free(f->assessor_name);
	memset(f, 0, sizeof *f);
}

/* ---- Evaluation ---- */

static void TB_PRINTF(2, 3) unmet(struct tb_pverdict *v, const char *fmt, ...)
{
	v->met = 0;
	if (v->nreasons == TB_POLICY_MAX_REASONS) {
		v->omitted++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->reasons[v->nreasons++], sizeof v->reasons[0], fmt, ap);
	va_end(ap);
}

static const struct tb_fresult *find_result(const struct tb_facts *f, const char *id, size_t n)
{
	for (size_t i = 0; i < f->nresults; i++)
		if (strlen(f->results[i].id) == n && strncmp(f->results[i].id, id, n) == 0)
			return &f->results[i];
	return NULL;
}

/* An item is justified n/a when every test case behind it that is n/a
 * gives a reason, and that reason is not the runner's "no justification". */
TB_UNITTEST int item_justified_na(const struct tb_facts *f, const struct tb_fitem *it)
{
	if (strcmp(it->verdict, "not-applicable") != 0 || !it->cases)
		return 0;
	size_t seen = 0;
	for (const char *s = it->cases; *s;) {
		size_t n = strcspn(s, " ");
		if (n) {
			const struct tb_fresult *r = find_result(f, s, n);
			if (!r || !r->reason || !*r->reason)
				return 0;
			if (strcmp(r->verdict, "not-applicable") == 0 &&
			    strstr(r->reason, NO_JUSTIFICATION))
				return 0;
			seen++;
		}
		s += n;
		s += strspn(s, " ");
	}
	return seen > 0;
}

static const struct tb_fitem *find_item(const struct tb_facts *f, const char *fw, const char *ref)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (strcmp(f->items[i].framework, fw) == 0 && strcmp(f->items[i].ref, ref) == 0)
			return &f->items[i];
	return NULL;
}

static int is_mandatory(const struct tb_fitem *it)
{
	return it->status && it->status[0] == 'M';
}

/* With accept-derived-mappings: false, an item counts only if someone
 * other than us vouches for its mapping; an older report that does not say
 * who does is refused too (except for the suite's own framework). */
static int mapping_refused(const struct tb_policy *p, const struct tb_fitem *it, struct tb_pverdict *v)
{
	if (p->accept_derived || strcmp(it->framework, "en-303-645") == 0)
		return 0;
	if (!it->authority)
		unmet(v,
		      "%s %s: the report does not say who vouches for the mapping "
		      "(accept-derived-mappings: false)",
		      it->framework, it->ref);
	else if (strcmp(it->authority, "derived") == 0)
		unmet(v,
		      "%s %s: rests on a derived mapping (ours, not legislated or published), "
		      "refused by accept-derived-mappings: false",
		      it->framework, it->ref);
	else
		return 0;
	return 1;
}

static void eval_require(const struct tb_policy *p, const struct tb_prequire *r,
			 const struct tb_facts *f, struct tb_pverdict *v)
{
	if (r->rule == TB_PR_LIST) {
		for (size_t i = 0; i < r->nrefs; i++) {
			const struct tb_fitem *it = find_item(f, r->framework, r->refs[i]);
			if (!it)
				unmet(v, "%s %s: not in the report", r->framework, r->refs[i]);
			else if (mapping_refused(p, it, v))
				continue;
			else if (strcmp(it->verdict, "pass") != 0)
				unmet(v, "%s %s: %s, not pass", r->framework, r->refs[i], it->verdict);
		}
		return;
	}
	int mandatory_only = r->rule == TB_PR_MANDATORY_PASS || r->rule == TB_PR_MANDATORY_PASS_OR_NA;
	int na_ok = r->rule == TB_PR_ALL_PASS_OR_NA || r->rule == TB_PR_MANDATORY_PASS_OR_NA;
	size_t judged = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		const struct tb_fitem *it = &f->items[i];
		if (strcmp(it->framework, r->framework) != 0 || (mandatory_only && !is_mandatory(it)))
			continue;
		judged++;
		if (mapping_refused(p, it, v))
			continue;
		if (strcmp(it->verdict, "pass") == 0 || (na_ok && item_justified_na(f, it)))
			continue;
		if (na_ok && strcmp(it->verdict, "not-applicable") == 0)
			unmet(v, "%s %s: not applicable without a justification", r->framework,
			      it->ref);
		else
			unmet(v, "%s %s: %s, not pass (%s)", r->framework, it->ref, it->verdict,
			      tb_prule_name(r->rule));
	}
	if (judged == 0)
		unmet(v, "%s: the report has no %sitems to judge", r->framework,
		      mandatory_only ? "mandatory " : "");
}

/* n decimal digits at s, or -1 when any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "2026-11-23T17:30:58Z" to time_t; -1 when malformed.  Exactly the
 * schema's form: the date comes from a report anyone may have written. */
TB_UNITTEST time_t utc_parse(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (!s || strlen(s) != sizeof shape - 1)
		return (time_t)-1;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] != 'd' && s[i] != shape[i])
			return (time_t)-1;
	struct tm tm = { 0 };
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_year < -1900 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
	    tm.tm_sec < 0 || tm.tm_sec > 60)
		return (time_t)-1;
	return timegm(&tm);
}

static void eval_date(const struct tb_policy *p, const struct tb_facts *f, time_t now,
		      struct tb_pverdict *v)
{
	/* The report's date is when testing ended (or began, if it never ended). */
	const char *date = f->finished ? f->finished : f->started;
	time_t t = utc_parse(date);
	if (!p->not_before[0] && !p->max_age_days)
		return;
	if (t == (time_t)-1) {
		unmet(v, "the report's date cannot be read");
		return;
	}
	if (p->not_before[0] && strncmp(date, p->not_before, 10) < 0)
		unmet(v, "the report is dated %.10s, before the oldest date accepted (%s)", date,
		      p->not_before);
	if (p->max_age_days && now - t > (time_t)p->max_age_days * 86400)
		unmet(v, "the report is %lld days old; the policy accepts at most %lld",
		      (long long)((now - t) / 86400), p->max_age_days);
}

static void eval_signer(const struct tb_policy *p, const struct tb_facts *f, struct tb_pverdict *v)
{
	if (!p->ntrusted)
		return;
	if (!f->signer_verified) {
		unmet(v, "no verified signer to match against the trusted labs");
		return;
	}
	for (size_t i = 0; i < p->ntrusted; i++) {
		const struct tb_ptrust *t = &p->trusted[i];
		if ((t->subject && strcmp(t->subject, f->signer_subject) == 0) ||
		    (t->sha256 && strcmp(t->sha256, f->signer_sha256) == 0))
			return;
	}
	unmet(v, "the signer %s (sha256 %s) is not one of the policy's trusted labs", f->signer_subject,
	      f->signer_sha256);
}

/* require-statement: the statement verify --statement matched to the report. */
static void eval_statement(const struct tb_policy *p, const struct tb_facts *f, struct tb_pverdict *v)
{
	if (!p->stmt_scheme)
		return;
	if (!f->statement_ok)
		unmet(v,
		      "the policy requires a statement (scheme %s) that matches the report: none "
		      "was given (--statement) or it does not match",
		      p->stmt_scheme);
	else if (strcmp(f->statement_scheme, p->stmt_scheme) != 0)
		unmet(v, "the statement is for scheme %s; the policy requires %s", f->statement_scheme,
		      p->stmt_scheme);
	else if (p->stmt_min_level && f->statement_level < p->stmt_min_level)
		unmet(v,
		      "the statement reaches level %ld of %s; the policy requires at least level %lld",
		      f->statement_level, p->stmt_scheme, p->stmt_min_level);
	else if (!p->stmt_min_level && !f->statement_qualifies)
		unmet(v, "the %s statement does not qualify for its label", p->stmt_scheme);
}

void tb_policy_eval(const struct tb_policy *p, const struct tb_facts *f, time_t now,
		    struct tb_pverdict *v)
{
	memset(v, 0, sizeof *v);
	v->met = 1;
	if (!f->status || strcmp(f->status, "complete") != 0)
		unmet(v, "the report is partial: the run did not finish");
	if (p->full_suite && f->completed_cases < f->total_cases)
		unmet(v,
		      "only %lu of the suite's %lu test cases were run (the policy needs the "
		      "full suite)",
		      f->completed_cases, f->total_cases);
	eval_date(p, f, now, v);
	const char *role = f->assessor_role ? f->assessor_role : "unspecified";
	if (!p->self_assessment && strcmp(role, "lab") != 0)
		unmet(v, "the assessor is %s; the policy accepts only reports run by a lab",
		      strcmp(role, "vendor") == 0 ? "the vendor (a self-assessment)" : "unspecified");
	eval_signer(p, f, v);
	for (size_t i = 0; i < p->nreq; i++)
		eval_require(p, &p->req[i], f, v);
	eval_statement(p, f, v);
}
