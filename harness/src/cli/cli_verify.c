/* cli_verify.c: `trustbench verify REPORT.xml --ca CA.pem [--sig FILE]
 * [--evidence DIR | --report-only] [--policy POLICY.yaml]`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "trust/statement.h"
#include "trust/verify.h"

static const char verify_usage[] =
	"usage: trustbench verify REPORT.xml --ca CA.pem [--sig FILE]\n"
	"                         [--evidence DIR | --report-only] [--policy POLICY.yaml]\n"
	"                         [--tsa-ca TSA-CA.pem] [--statement STATEMENT.xml]\n"
	"Checks, one line each: the signature (default REPORT.xml.p7s) and its chain\n"
	"to CA.pem (nothing else is trusted), the report against its schema, and every\n"
	"file the report names by digest (the evidence files and the traffic capture)\n"
	"under DIR (default: the report's directory): each must be there with its\n"
	"recorded SHA-256 and size; a missing file counts as broken.  With --policy,\n"
	"whether the report meets the policy.\n"
	"  --report-only  check the report and its signature but NOT the evidence;\n"
	"                 the output then says the evidence was not examined\n"
	"  --tsa-ca FILE  TSA certificate(s) trusted for RFC 3161 timestamps: a valid\n"
	"                 token in the signature (sign --tsa) makes the signer's\n"
	"                 chain judged at the timestamped time, so an expired signer\n"
	"                 still verifies; a token that fails gives 4\n"
	"  --statement F  also check that the statement F (trustbench statement)\n"
	"                 matches this report and its signer, field by field; a\n"
	"                 mismatch gives 4 (a policy may require-statement)\n"
	"  -h, --help     this text\n"
	"exit codes:\n"
	"  0  all good (with --report-only: report intact, evidence NOT examined)\n"
	"  1  bad usage or unreadable input    2  policy not met\n"
	"  4  signature, chain or schema broken, or an evidence file or the capture\n"
	"     altered, truncated or missing\n";

/* "trustbench verify: what 'arg'" (arg may be NULL), then the usage. */
static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "trustbench verify: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "", verify_usage);
	return TB_VEXIT_USAGE;
}

int tb_cmd_verify(int argc, char **argv, const char *schema)
{
	struct tb_verify_opts o = { .schema = schema, .now = time(NULL) };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int has_val = i + 1 < argc;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(verify_usage, stdout);
			return TB_VEXIT_OK;
		} else if (strcmp(a, "--ca") == 0 && has_val) {
			o.ca = argv[++i];
		} else if (strcmp(a, "--sig") == 0 && has_val) {
			o.sig = argv[++i];
		} else if (strcmp(a, "--evidence") == 0 && has_val) {
			o.evidence_dir = argv[++i];
		} else if (strcmp(a, "--report-only") == 0) {
			o.report_only = 1;
		} else if (strcmp(a, "--policy") == 0 && has_val) {
			o.policy = argv[++i];
		} else if (strcmp(a, "--tsa-ca") == 0 && has_val) {
			o.tsa_ca = argv[++i];
		} else if (strcmp(a, "--statement") == 0 && has_val) {
			o.statement = argv[++i];
			o.statement_step = tb_statement_step; /* trust/statement_cmd.c */
		} else if (a[0] != '-' && !o.report) {
			o.report = a;
		} else {
			return usage_error("unexpected argument", a);
		}
	}
	if (!o.report || !o.ca)
		return usage_error("REPORT.xml and --ca are required", NULL);
	if (o.report_only && o.evidence_dir)
		return usage_error("--report-only and --evidence contradict each other", NULL);
	return tb_verify(&o, stdout);
}
