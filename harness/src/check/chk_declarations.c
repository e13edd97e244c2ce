/* chk_declarations.c: conceptual checks over the supplier's declarations.
 *
 * These judge what the profile declares (the ICS and IXIT of TS 103 701),
 * never the device itself; their test cases are conceptual and the reason
 * always says the verdict rests on declarations.  A missing declaration is
 * a FAIL where the provision requires the information to exist, and
 * INCONCLUSIVE where it only means there is nothing to judge.
 */
#include <stdio.h>
#include <string.h>

#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "result/result.h"

static const char *const rules[] = { "justifications", "passwords", "disclosure-policy",
				     "support-period", "services",  NULL };

static const struct tb_param_def params[] = {
	{ .name = "rule",
	  .type = TB_P_STR,
	  .required = 1,
	  .choices = rules,
	  .help = "which declaration to judge" },
};

/* Append ", item" to a bounded list. */
static void list_add(char *list, size_t cap, const char *item)
{
	size_t used = strlen(list);
	if (used + 8 >= cap)
		return;
	int w = snprintf(list + used, cap - used, "%s%s", used ? ", " : "", item);
	if (w < 0 || (size_t)w >= cap - used)
		snprintf(list + cap - 5, 5, "...");
}

static const char *suite_status(const struct tb_suite *s, const char *provision)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i].provision, provision) == 0)
			return s->groups[i].status;
	return NULL;
}

/* 4-1: every recommendation declared not met or not applicable is justified. */
static void rule_justifications(struct tb_ctx *ctx, struct tb_result *res)
{
	const struct tb_profile *p = ctx->profile;
	char missing[1024] = "";
	unsigned unjustified = 0, statements = 0;
	if (!p->ics_declared) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the profile has no ICS (declarations.ics): nothing to judge");
		return;
	}
	for (size_t i = 0; i < p->nics; i++) {
		const struct tb_ics *ic = &p->ics[i];
		const char *status = suite_status(ctx->suite, ic->provision);
		if (!status)
			tb_ev_note(res, "ics", "ICS names %s, which this suite does not know",
				   ic->provision);
		if (ic->support == TB_SUP_YES)
			continue;
		statements++;
		tb_ev_note(res, ic->provision, "declared %s (status %s): %s",
			   tb_support_name(ic->support), status ? status : "?",
			   ic->justification ? ic->justification : "no justification");
		if (!ic->justification) {
			unjustified++;
			list_add(missing, sizeof missing, ic->provision);
		}
	}
	if (unjustified)
		tb_result_set(
			res, TB_V_FAIL,
			"per the supplier's declarations, %u of %u provisions declared not met or "
			"not applicable have no justification: %s",
			unjustified, statements, missing);
	else
		tb_result_set(res, TB_V_PASS,
			      "per the supplier's declarations, all %u provisions declared not met or "
			      "not applicable carry a justification",
			      statements);
}

/* 5.1-1: every password is user-defined or unique per device. */
static void rule_passwords(struct tb_ctx *ctx, struct tb_result *res)
{
	const struct tb_profile *p = ctx->profile;
	char universal[512] = "", undescribed[512] = "";
	if (p->nauths == 0) {
		tb_result_set(
			res, TB_V_INCONCLUSIVE,
			"no authentication mechanisms declared (IXIT 1-AuthMech): nothing to judge");
		return;
	}
	for (size_t i = 0; i < p->nauths; i++) {
		const struct tb_auth *a = &p->auths[i];
		tb_ev_note(res, a->name, "%s, password %s%s%s", a->protocol,
			   tb_pwkind_name(a->password), a->generation ? "; generation: " : "",
			   a->generation ? a->generation : "");
		if (a->password == TB_PW_UNIVERSAL)
			list_add(universal, sizeof universal, a->name);
		else if (a->password == TB_PW_UNIQUE && !a->generation)
			list_add(undescribed, sizeof undescribed, a->name);
	}
	if (universal[0])
		tb_result_set(
			res, TB_V_FAIL,
			"per the supplier's declarations, these mechanisms use a universal default "
			"password: %s",
			universal);
	else if (undescribed[0])
		tb_result_set(
			res, TB_V_INCONCLUSIVE,
			"unique per-device passwords are declared but not how they are generated: %s",
			undescribed);
	else
		tb_result_set(
			res, TB_V_PASS,
			"per the supplier's declarations, every password is user-defined or unique "
			"per device (%zu mechanisms)",
			p->nauths);
}

/* 5.2-1: a disclosure policy with contact and timelines is declared. */
static void rule_disclosure(struct tb_ctx *ctx, struct tb_result *res)
{
	const struct tb_vdp *v = &ctx->profile->vdp;
	char missing[256] = "";
	if (!v->present) {
		tb_result_set(res, TB_V_FAIL, "no vulnerability disclosure policy is declared");
		return;
	}
	if (!v->policy_url)
		list_add(missing, sizeof missing, "policy-url");
	if (!v->contact)
		list_add(missing, sizeof missing, "contact");
	if (!v->acknowledgement)
		list_add(missing, sizeof missing, "acknowledgement timeline");
	if (!v->status_updates)
		list_add(missing, sizeof missing, "status-update timeline");
	tb_ev_note(res, "policy", "url %s; contact %s; acknowledgement %s; status updates %s",
		   v->policy_url ? v->policy_url : "-", v->contact ? v->contact : "-",
		   v->acknowledgement ? v->acknowledgement : "-",
		   v->status_updates ? v->status_updates : "-");
	if (missing[0])
		tb_result_set(res, TB_V_FAIL, "the declared disclosure policy lacks: %s", missing);
	else
		tb_result_set(
			res, TB_V_PASS,
			"per the supplier's declarations, a disclosure policy with a contact point "
			"and timelines is published");
}

/* 5.3-13: the support period end is published. */
static void rule_support(struct tb_ctx *ctx, struct tb_result *res)
{
	const struct tb_support_period *s = &ctx->profile->support;
	if (!s->present) {
		tb_result_set(res, TB_V_FAIL, "no defined support period is declared");
		return;
	}
	char today[11];
	struct tm tm;
	gmtime_r(&ctx->now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	tb_ev_note(res, "support-period", "ends %s; published at %s", s->end,
		   s->published_at ? s->published_at : "-");
	if (strcmp(s->end, today) < 0)
		tb_ev_note(res, "support-period", "the declared support period ended on %s", s->end);
	if (!s->published_at)
		tb_result_set(res, TB_V_FAIL,
			      "a support period is declared (ends %s) but not where it is published",
			      s->end);
	else
		tb_result_set(res, TB_V_PASS,
			      "per the supplier's declarations, the support period (ends %s) is "
			      "published at %s",
			      s->end, s->published_at);
}

/* 5.6-1: every declared service is in use and has a stated purpose. */
static void rule_services(struct tb_ctx *ctx, struct tb_result *res)
{
	const struct tb_profile *p = ctx->profile;
	char unused[512] = "", nopurpose[512] = "";
	if (p->nservices == 0) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no network services declared (IXIT 13-SoftServ): nothing to judge");
		return;
	}
	for (size_t i = 0; i < p->nservices; i++) {
		const struct tb_service *s = &p->services[i];
		char name[64];
		snprintf(name, sizeof name, "%s/%ld %s", s->transport, s->port, s->protocol);
		tb_ev_note(res, name, "%s; purpose: %s", s->in_use ? "in use" : "NOT in use",
			   s->purpose ? s->purpose : "-");
		if (!s->in_use)
			list_add(unused, sizeof unused, name);
		else if (!s->purpose)
			list_add(nopurpose, sizeof nopurpose, name);
	}
	if (unused[0])
		tb_result_set(res, TB_V_FAIL, "declared enabled but not in use: %s", unused);
	else if (nopurpose[0])
		tb_result_set(res, TB_V_FAIL, "declared services without a stated purpose: %s",
			      nopurpose);
	else
		tb_result_set(res, TB_V_PASS,
			      "per the supplier's declarations, all %zu network services are in use "
			      "with a stated purpose",
			      p->nservices);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const char *rule = tb_param_str(&tc->params, "rule");
	if (strcmp(rule, "justifications") == 0)
		rule_justifications(ctx, res);
	else if (strcmp(rule, "passwords") == 0)
		rule_passwords(ctx, res);
	else if (strcmp(rule, "disclosure-policy") == 0)
		rule_disclosure(ctx, res);
	else if (strcmp(rule, "support-period") == 0)
		rule_support(ctx, res);
	else if (strcmp(rule, "services") == 0)
		rule_services(ctx, res);
	else
		tb_result_set(res, TB_V_ERROR, "unknown declarations rule '%s'", rule);
}

const struct tb_check_family tb_check_declarations = {
	.name = "declarations",
	.summary = "conceptual: judges the supplier's declarations (ICS/IXIT) in the profile",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_CONCEPTUAL,
	.run = run,
};
