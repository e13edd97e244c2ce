/* policy.h: a procurement policy (profiles/policies/) and its
 * evaluation against the facts read from a signed report.
 *
 * A policy says which framework items must pass, how old a report may be,
 * whether the full suite must have run, whether self-assessments count and
 * which lab certificates are trusted.  Loading is strict (yamlx.h): unknown
 * keys, wrong types and bad values are refused with file:line:column.
 */
#ifndef TB_POLICY_H
#define TB_POLICY_H

#include <stddef.h>
#include <time.h>

#include "base/tb.h"

/* How a framework's items are judged. */
enum tb_prule {
	TB_PR_LIST,                 /* the listed items must pass */
	TB_PR_ALL_PASS,             /* every item passes */
	TB_PR_ALL_PASS_OR_NA,       /* every item passes or is justified n/a */
	TB_PR_MANDATORY_PASS,       /* every mandatory (status M...) item passes */
	TB_PR_MANDATORY_PASS_OR_NA, /* ... or is justified n/a */
};

struct tb_prequire {
	char *framework; /* en-303-645, uk-cop, psti, ota */
	enum tb_prule rule;
	char **refs; /* TB_PR_LIST only */
	size_t nrefs;
};

struct tb_ptrust {
	char *subject; /* exact RFC 2253 subject, or NULL */
	char *sha256;  /* lower-case hex fingerprint without colons, or NULL */
};

struct tb_policy {
	char *path, *id, *description;
	struct tb_prequire *req;
	size_t nreq;
	char not_before[11];    /* YYYY-MM-DD or "" */
	long long max_age_days; /* 0: no limit */
	int full_suite;         /* every test case of the suite must have run */
	int self_assessment;    /* 1: vendor-run (and unspecified) reports accepted */
	struct tb_ptrust *trusted;
	size_t ntrusted; /* 0: any signer the CA vouches for */
	/* 0: a required item whose crosswalk mapping is only ours (authority
	 * "derived"), or whose report does not say, is not met (issue 13). */
	int accept_derived;
	/* require-statement (issue 14): verify --statement must match a
	 * statement of this scheme, at stmt_min_level or above (0: one that
	 * qualifies for its label).  NULL: no statement required. */
	char *stmt_scheme;
	long long stmt_min_level;
};

TB_WUR enum tb_err tb_policy_parse(const char *name, const void *buf, size_t len,
				   struct tb_policy **out, struct tb_diag *d);
TB_WUR enum tb_err tb_policy_load(const char *path, struct tb_policy **out, struct tb_diag *d);
void tb_policy_free(struct tb_policy *p);
const char *tb_prule_name(enum tb_prule r);

/* ---- What verify read from the report and its signature. ---- */

struct tb_fitem { /* summary/framework/item */
	char *framework, *ref, *status, *verdict, *cases;
	char *authority; /* suite, legislated, published, derived; NULL in older reports */
};

struct tb_fresult { /* results/result */
	char *id, *verdict, *reason;
};

struct tb_facts {
	char *status; /* complete | partial */
	unsigned long total_cases, completed_cases;
	char *started, *finished; /* RFC 3339 UTC; finished may be NULL */
	char *assessor_role;      /* vendor | lab | unspecified (absent: unspecified) */
	char *assessor_name;      /* may be NULL */
	struct tb_fitem *items;
	size_t nitems;
	struct tb_fresult *results;
	size_t nresults;
	/* The signer, only when the signature and chain verified. */
	int signer_verified;
	char signer_subject[512];
	char signer_sha256[65];
	/* The statement verify --statement matched to this report (statement.c). */
	int statement_ok;
	char statement_scheme[64];
	long statement_level; /* 0: no level reached */
	int statement_qualifies;
};

void tb_facts_cleanup(struct tb_facts *f);

/* The reasons a report does not meet a policy. */
#define TB_POLICY_MAX_REASONS 64
struct tb_pverdict {
	int met;
	size_t nreasons, omitted; /* omitted: reasons beyond the cap */
	char reasons[TB_POLICY_MAX_REASONS][256];
};

/* Judge the facts against the policy; now is the wall-clock time for
 * max-age-days. */
void tb_policy_eval(const struct tb_policy *p, const struct tb_facts *f, time_t now,
		    struct tb_pverdict *out);

#endif
