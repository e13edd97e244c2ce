/* runner.h: run a suite against a device and write the report as it goes. */
#ifndef TB_RUNNER_H
#define TB_RUNNER_H

#include "load/decisions.h"
#include "load/profile.h"
#include "load/suite.h"

struct tb_run_opts {
	const char *outdir;
	const char *schema_path; /* validate the final report against it; may be NULL */
	char **only;             /* run only these test case ids (NULL: all) */
	size_t nonly;
	int force;                 /* replace an existing report in outdir */
	int quiet;                 /* no progress lines */
	const char *user;          /* unprivileged user to drop root to (NULL: nobody) */
	const char *junit_path;    /* also write JUnit XML here as the run goes (NULL: no) */
	const char *assessor_role; /* "vendor" or "lab"; NULL: recorded as unspecified */
	const char *assessor_name; /* who ran it; may be NULL */
};

/* Run every selected test case in order.  Returns the process exit code
 * (see verdict.h); messages about harness failures go to stderr. */
int tb_run(const struct tb_suite *suite, const struct tb_profile *profile,
	   const struct tb_decisions *decisions, const struct tb_run_opts *opts);

/* Decide whether a test case applies to this device, from the supplier's
 * declarations.  Returns 1 and fills res (verdict not-applicable or, for an
 * intrusive test without consent, inconclusive) when the case must not run;
 * 0 when it should run (notes about assumed applicability go into res). */
int tb_case_gate(const struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res);

#endif
