/* statement.c: derive a conformance statement from a report under a scheme
 * (see statement.h).  The scheme file holds every rule; this file only
 * applies them to what the report says. */
#include "trust/statement.h"

#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "report/report_load.h"

#define X(s) ((const xmlChar *)(s))

/* An attribute as a new string, or NULL when absent. */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetNoNsProp(n, X(name)) : NULL;
	char *s = v ? tb_xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static int attr_is(xmlNodePtr n, const char *name, const char *want)
{
	char *v = attr(n, name);
	int eq = v && strcmp(v, want) == 0;
	free(v);
	return eq;
}

static void TB_PRINTF(2, 3) add_reason(struct tb_statement *st, const char *fmt, ...)
{
	if (st->nreasons == TB_STATEMENT_MAX_REASONS)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	st->reasons[st->nreasons++] = tb_xstrdup(buf);
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at s (the caller has checked that they are digits). */
static int digits_at(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int tb_date_add_months(const char *date, long months, char out[11])
{
	if (!tb_date_valid(date) || strlen(date) != 10 || months < 0 || months > 1200)
		return -1;
	int y = digits_at(date, 4), m = digits_at(date + 5, 2), dd = digits_at(date + 8, 2);
	long idx = (long)y * 12 + (m - 1) + months;
	y = (int)(idx / 12);
	m = (int)(idx % 12) + 1;
	if (dd > days_in_month(y, m))
		dd = days_in_month(y, m);
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m, dd);
	return 0;
}

/* The report's verdict as a statement result; note says why it is not judged. */
static enum tb_sresult result_of(const char *verdict, const char **note)
{
	if (strcmp(verdict, "pass") == 0)
		return TB_SR_PASS;
	if (strcmp(verdict, "fail") == 0)
		return TB_SR_FAIL;
	if (strcmp(verdict, "not-applicable") == 0)
		return TB_SR_NA;
	if (strcmp(verdict, "needs-examiner") == 0)
		return TB_SR_NEEDS_EXAMINER;
	*note = "the report could not establish it (inconclusive or error)";
	return TB_SR_NOT_JUDGED;
}

/* The report's summary item for ref in the scheme's framework, or NULL. */
static xmlNodePtr summary_item(xmlNodePtr root, const char *framework, const char *ref)
{
	xmlNodePtr sum = tb_report_child(root, "summary");
	for (xmlNodePtr fw = tb_report_child(sum, "framework"); fw;
	     fw = tb_report_next(fw, "framework")) {
		if (!attr_is(fw, "id", framework))
			continue;
		for (xmlNodePtr it = tb_report_child(fw, "item"); it; it = tb_report_next(it, "item"))
			if (attr_is(it, "ref", ref))
				return it;
	}
	return NULL;
}

static void judge_items(struct tb_statement *st, xmlNodePtr root)
{
	const struct tb_scheme *s = st->scheme;
	st->items = tb_xcalloc(s->nitems, sizeof *st->items);
	st->nitems = s->nitems;
	for (size_t i = 0; i < s->nitems; i++) {
		struct tb_stmt_item *it = &st->items[i];
		it->si = &s->items[i];
		it->result = TB_SR_NOT_JUDGED;
		if (!it->si->ref) {
			it->note = it->si->not_judged;
			continue;
		}
		xmlNodePtr n = summary_item(root, s->framework, it->si->ref);
		if (!n) {
			it->note = "not run: the report has no verdict for it";
			continue;
		}
		it->report_verdict = attr(n, "verdict");
		it->cases = attr(n, "cases");
		it->result = it->report_verdict ? result_of(it->report_verdict, &it->note)
						: TB_SR_NOT_JUDGED;
	}
}

static const struct tb_stmt_item *find_item(const struct tb_statement *st, const char *id)
{
	for (size_t i = 0; i < st->nitems; i++)
		if (strcmp(st->items[i].si->id, id) == 0)
			return &st->items[i];
	return NULL;
}

/* Is the level met?  With why (may be NULL), one reason per shortfall. */
static int level_met(struct tb_statement *st, const struct tb_scheme_level *lv, int why)
{
	int met = 1;
	if (lv->unreachable) {
		if (why)
			add_reason(st, "%s is beyond what trustbench establishes: %s", lv->name,
				   lv->unreachable);
		return 0;
	}
	if (lv->lab_only && strcmp(st->assessor, "lab") != 0) {
		met = 0;
		if (why)
			add_reason(st, "%s needs a report run by a test lab; this one was run by %s",
				   lv->name,
				   strcmp(st->assessor, "vendor") == 0 ? "the vendor"
								       : "an unspecified assessor");
	}
	for (size_t i = 0; i < lv->nrequires; i++) {
		const struct tb_stmt_item *it = find_item(st, lv->requires[i]);
		if (it && (st->scheme->met_by & (1u << it->result)))
			continue;
		met = 0;
		if (why && it)
			add_reason(st, "%s needs item %s (%s): %s%s%s", lv->name, it->si->id,
				   it->si->title, tb_sresult_name(it->result), it->note ? ", " : "",
				   it->note ? it->note : "");
	}
	return met;
}

/* The level reached, the result and, when no label is earned, why. */
static void judge_outcome(struct tb_statement *st)
{
	const struct tb_scheme *s = st->scheme;
	st->level = 0;
	while ((size_t)st->level < s->nlevels && level_met(st, &s->levels[st->level], 0))
		st->level++;
	int failed = 0;
	for (size_t i = 0; i < s->levels[0].nrequires; i++) {
		const struct tb_stmt_item *it = find_item(st, s->levels[0].requires[i]);
		failed |= it && it->result == TB_SR_FAIL;
	}
	st->result = st->level > 0 ? "pass" : failed ? "fail" : "incomplete";
	st->qualifies = st->level > 0;
	if (!st->qualifies)
		level_met(st, &s->levels[0], 1);
	if (s->needs_support && !st->support_end) {
		st->qualifies = 0;
		add_reason(st, "no support period is declared: the scheme requires one");
	} else if (s->needs_support && strcmp(st->support_end, st->issued) < 0) {
		st->qualifies = 0;
		add_reason(st, "the declared support period ended on %s, before the issue date %s",
			   st->support_end, st->issued);
	}
}

/* The image's SHA-256 only when the run verified an image of the very
 * firmware version the device runs: the firmware-image check passed and its
 * reason names "update <sha256> (version <dut firmware>)".  A verified
 * test update of another version identifies no firmware on the device. */
static void firmware_digest(struct tb_statement *st, xmlNodePtr root)
{
	xmlNodePtr res = tb_report_child(root, "results");
	for (xmlNodePtr r = tb_report_child(res, "result"); r; r = tb_report_next(r, "result")) {
		if (!attr_is(r, "check", "firmware-image") || !attr_is(r, "verdict", "pass"))
			continue;
		xmlNodePtr rn = tb_report_child(r, "reason");
		xmlChar *t = rn ? xmlNodeGetContent(rn) : NULL;
		const char *p = t ? strstr((const char *)t, " update ") : NULL;
		char want[256];
		snprintf(want, sizeof want, " (version %s)", st->firmware);
		if (p && strspn(p + 8, "0123456789abcdef") == 64 &&
		    strncmp(p + 72, want, strlen(want)) == 0) {
			memcpy(st->firmware_sha256, p + 8, 64);
			st->firmware_sha256[64] = '\0';
		}
		xmlFree(t);
	}
}

static void read_device(struct tb_statement *st, xmlNodePtr root)
{
	xmlNodePtr dut = tb_report_child(root, "dut");
	st->manufacturer = attr(dut, "manufacturer");
	st->model = attr(dut, "model");
	st->firmware = attr(dut, "firmware");
	if (!st->manufacturer)
		st->manufacturer = tb_xstrdup("");
	if (!st->model)
		st->model = tb_xstrdup("");
	if (!st->firmware)
		st->firmware = tb_xstrdup("");
	st->support_end = attr(dut, "support-period-end");
	if (st->support_end && !tb_date_valid(st->support_end)) {
		free(st->support_end);
		st->support_end = NULL;
	}
	st->disclosure = attr(dut, "disclosure-contact");
	st->assessor = attr(tb_report_child(root, "assessor"), "role");
	if (!st->assessor)
		st->assessor = tb_xstrdup("unspecified");
}

static void dates(struct tb_statement *st, const char *issued)
{
	snprintf(st->issued, sizeof st->issued, "%s", issued);
	if (tb_date_add_months(issued, st->scheme->validity_months, st->expires) != 0)
		snprintf(st->expires, sizeof st->expires, "%s", issued);
	if (st->scheme->cap_by_support && st->support_end && strcmp(st->support_end, st->expires) < 0)
		snprintf(st->expires, sizeof st->expires, "%s", st->support_end);
}

static void signer(struct tb_statement *st, const struct tb_sigcheck *sc)
{
	snprintf(st->signer, sizeof st->signer, "%s", sc->subject);
	snprintf(st->signer_sha256, sizeof st->signer_sha256, "%s", sc->sha256);
	snprintf(st->signed_at, sizeof st->signed_at, "%s", sc->signing_time);
	/* Only a token that verified against the TSA certificates the user
	 * trusts (verify --tsa-ca) gives a trusted time. */
	if (sc->ts_present && sc->ts_ok && !sc->ts_broken)
		snprintf(st->timestamped_at, sizeof st->timestamped_at, "%s", sc->ts_time);
	else
		st->timestamped_at[0] = '\0';
}

enum tb_err tb_statement_derive(const struct tb_scheme *s, const char *report, size_t len,
				const struct tb_sigcheck *sc, const char *report_file,
				const char *issued, struct tb_statement *st, struct tb_diag *d)
{
	memset(st, 0, sizeof *st);
	st->scheme = s;
	if (!tb_date_valid(issued))
		return tb_diag_set(d, TB_E_CONFIG, "issue date '%s' is not YYYY-MM-DD", issued);
	xmlDocPtr doc;
	enum tb_err e = tb_report_parse(report, len, report_file, &doc, d);
	if (e)
		return e;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!attr_is(root, "status", "complete")) {
		xmlFreeDoc(doc);
		return tb_diag_set(d, TB_E_FORMAT,
				   "%s is a partial report (status is not \"complete\": the run was "
				   "interrupted): no statement is derived from a partial report",
				   report_file);
	}
	uint8_t sum[32];
	tb_sha256_mem(report, len, sum);
	tb_sha256_hex(sum, st->report_sha256);
	st->report_file = tb_xstrdup(report_file);
	read_device(st, root);
	firmware_digest(st, root);
	signer(st, sc);
	dates(st, issued);
	judge_items(st, root);
	judge_outcome(st);
	xmlFreeDoc(doc);
	return TB_OK;
}

void tb_statement_cleanup(struct tb_statement *st)
{
	for (size_t i = 0; i < st->nreasons; i++)
		free(st->reasons[i]);
	for (size_t i = 0; i < st->nitems; i++) {
		free(st->items[i].report_verdict);
		free(st->items[i].cases);
	}
	free(st->items);
	free(st->manufacturer);
	free(st->model);
	free(st->firmware);
	free(st->support_end);
	free(st->disclosure);
	free(st->assessor);
	free(st->report_file);
	memset(st, 0, sizeof *st);
}

char *tb_statement_label_url(const struct tb_scheme *s, const char *statement_sha256)
{
	const char *p = strstr(s->url_template, TB_SCHEME_URL_PLACEHOLDER);
	size_t pre = p ? (size_t)(p - s->url_template) : strlen(s->url_template);
	const char *post = p ? p + strlen(TB_SCHEME_URL_PLACEHOLDER) : "";
	size_t n = pre + strlen(statement_sha256) + strlen(post) + 1;
	char *url = tb_xmalloc(n);
	snprintf(url, n, "%.*s%s%s", (int)pre, s->url_template, statement_sha256, post);
	return url;
}
