/* verify.h: check a signed report (trustbench verify).
 *
 * One line per check: signature, timestamp (when the signature carries
 * one), chain, schema, evidence, assessor and, with a policy, the policy.
 * The report is untrusted input: it is read through report_load.h (no
 * network, entities or DOCTYPE), and the paths it names must stay under
 * the evidence directory.  Every file the report names by digest (evidence
 * files and the capture) must be there and match: a missing file breaks
 * integrity just as an altered one does.
 */
#ifndef TB_VERIFY_H
#define TB_VERIFY_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "trust/policy.h"
#include "base/tb.h"

enum tb_vexit {
	TB_VEXIT_OK = 0,     /* every check passed (and the policy, if any, is met) */
	TB_VEXIT_USAGE = 1,  /* bad usage or unreadable inputs */
	TB_VEXIT_POLICY = 2, /* intact, but the policy is not met */
	TB_VEXIT_BROKEN = 4, /* signature, chain, schema or evidence broken or missing */
};

struct tb_verify_opts {
	const char *report, *sig, *ca, *evidence_dir, *policy, *schema;
	/* Check the report and its signature only; the output then says that
	 * the evidence was not examined. */
	int report_only;
	time_t now;
	/* TSA certificates trusted for RFC 3161 timestamps (NULL: none): with
	 * a valid token the signer's chain is judged at the token's time. */
	const char *tsa_ca;
	/* verify --statement: also check this statement matches the report,
	 * with statement_step (trust/statement.h's tb_statement_step, given by
	 * the caller so that verify does not depend on the statement code);
	 * NULL: none. */
	const char *statement;
	int (*statement_step)(const char *path, const char *report, size_t rlen, const char *sig,
			      size_t siglen, const struct tb_verify_opts *o, struct tb_facts *f,
			      FILE *out);
};

/* Run every check, print one line each to out, and return the exit code. */
int tb_verify(const struct tb_verify_opts *o, FILE *out);

/* Read the facts policies judge from report bytes, through the one report
 * reader (tb_report_parse): a document with a DOCTYPE is refused. */
TB_WUR enum tb_err tb_facts_read(const char *name, const void *buf, size_t len, struct tb_facts *f,
				 struct tb_diag *d);

#endif
