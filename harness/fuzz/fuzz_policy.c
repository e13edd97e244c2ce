/* fuzz_policy.c: libFuzzer target for the policy loader (tb_policy_parse) and its evaluation. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trust/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz/policy.yaml"

static const char *const frameworks[] = { "en-303-645", "uk-cop", "psti", "ota" };

static int known_framework(const char *fw)
{
	for (size_t i = 0; i < sizeof frameworks / sizeof frameworks[0]; i++)
		if (strcmp(fw, frameworks[i]) == 0)
			return 1;
	return 0;
}

/* A rule the loader accepted: a list of distinct items, or a named rule
 * (the mandatory ones only for EN 303 645, which has statuses). */
static int require_ok(const struct tb_prequire *r)
{
	if (!r->framework || !known_framework(r->framework) || !tb_prule_name(r->rule))
		return 0;
	if (r->rule != TB_PR_LIST)
		return r->nrefs == 0 &&
		       ((r->rule != TB_PR_MANDATORY_PASS && r->rule != TB_PR_MANDATORY_PASS_OR_NA) ||
			strcmp(r->framework, "en-303-645") == 0);
	if (r->nrefs == 0)
		return 0;
	for (size_t i = 0; i < r->nrefs; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->refs[i], r->refs[j]) == 0)
				return 0;
	return 1;
}

/* Exactly one of subject or sha256; a fingerprint is 64 lower-case hex digits. */
static int trust_ok(const struct tb_ptrust *t)
{
	if (!t->subject == !t->sha256)
		return 0;
	if (t->subject)
		return 1;
	if (strlen(t->sha256) != 64)
		return 0;
	for (const char *s = t->sha256; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return 0;
	return 1;
}

static int policy_ok(const struct tb_policy *p)
{
	if (!p->path || strcmp(p->path, NAME) != 0 || !p->id)
		return 0;
	if (p->not_before[0] && !tb_date_valid(p->not_before))
		return 0;
	if (p->max_age_days < 0 || p->max_age_days > 36500)
		return 0;
	if ((p->full_suite != 0 && p->full_suite != 1) ||
	    (p->self_assessment != 0 && p->self_assessment != 1))
		return 0;
	for (size_t i = 0; i < p->nreq; i++)
		if (!require_ok(&p->req[i]))
			return 0;
	for (size_t i = 0; i < p->ntrusted; i++)
		if (!trust_ok(&p->trusted[i]))
			return 0;
	return 1;
}

/* A complete lab report of one passing EN 303 645 item, and a failing PSTI one. */
static void facts_fill(struct tb_facts *f, struct tb_fitem items[2], struct tb_fresult *res)
{
	memset(f, 0, sizeof *f);
	items[0] = (struct tb_fitem){ "en-303-645", "5.1-1", "M", "pass", "5.1-1-1", "suite" };
	items[1] = (struct tb_fitem){ "psti", "1", "M", "fail", "5.1-1-2", "legislated" };
	*res = (struct tb_fresult){ "5.1-1-1", "pass", "ok" };
	f->status = "complete";
	f->total_cases = f->completed_cases = 2;
	f->started = "2026-01-01T00:00:00Z";
	f->finished = "2026-01-01T01:00:00Z";
	f->assessor_role = "lab";
	f->items = items;
	f->nitems = 2;
	f->results = res;
	f->nresults = 1;
}

/* Evaluation never overflows its reasons, and met means no reason at all. */
static void check_eval(const struct tb_policy *p)
{
	struct tb_facts f;
	struct tb_fitem items[2];
	struct tb_fresult res;
	struct tb_pverdict v;
	facts_fill(&f, items, &res);
	tb_policy_eval(p, &f, (time_t)1767229200, &v);
	if (v.nreasons > TB_POLICY_MAX_REASONS || v.met != (v.nreasons == 0 && v.omitted == 0))
		abort();
	for (size_t i = 0; i < v.nreasons; i++)
		if (memchr(v.reasons[i], '\0', sizeof v.reasons[i]) == NULL || !v.reasons[i][0])
			abort();
	/* Nothing required, no date limit, no trusted labs: this report meets it. */
	if (p->nreq == 0 && p->ntrusted == 0 && !p->not_before[0] && !p->max_age_days &&
	    !p->stmt_scheme && !v.met)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_policy *p = (struct tb_policy *)1;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_policy_parse(NAME, data, size, &p, &d);
	if (e != TB_OK) {
		if (p != NULL || (e != TB_E_CONFIG && e != TB_E_TOOBIG))
			abort();
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
		/* Print the diagnostic as verify does: the file name stays valid. */
		char out[768];
		tb_diag_format(&d, out, sizeof out);
		if (d.file[0] && strncmp(out, NAME, strlen(NAME)) != 0)
			abort();
		return 0;
	}
	if (!p || !policy_ok(p))
		abort();
	check_eval(p);
	tb_policy_free(p);
	return 0;
}
