/* cli_verify.c: `trustbench verify REPORT.xml --ca CA.pem [--sig FILE]
 * [--evidence DIR] [--policy POLICY.yaml]`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_sign.h"
#include "verify.h"

static const char verify_usage[] =
	"usage: trustbench verify REPORT.xml --ca CA.pem [--sig FILE] [--evidence DIR]\n"
	"                         [--policy POLICY.yaml]\n"
	"Checks, one line each: the signature (default REPORT.xml.p7s) and its chain\n"
	"to CA.pem (nothing else is trusted), the report against its schema, every\n"
	"evidence file present under DIR (default: the report's directory) against\n"
	"its recorded SHA-256, and with --policy whether the report meets the policy.\n"
	"exit codes:\n"
	"  0  all good    1  bad usage or unreadable input    2  policy not met\n"
	"  4  signature, chain, schema or evidence integrity broken\n";

int tb_cmd_verify(int argc, char **argv, const char *schema)
{
	struct tb_verify_opts o = { .schema = schema, .now = time(NULL) };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int has_val = i + 1 < argc;
		if (strcmp(a, "--ca") == 0 && has_val)
			o.ca = argv[++i];
		else if (strcmp(a, "--sig") == 0 && has_val)
			o.sig = argv[++i];
		else if (strcmp(a, "--evidence") == 0 && has_val)
			o.evidence_dir = argv[++i];
		else if (strcmp(a, "--policy") == 0 && has_val)
			o.policy = argv[++i];
		else if (a[0] != '-' && !o.report)
			o.report = a;
		else {
			fprintf(stderr, "trustbench verify: unexpected argument '%s'\n%s", a,
				verify_usage);
			return TB_VEXIT_USAGE;
		}
	}
	if (!o.report || !o.ca) {
		fprintf(stderr, "trustbench verify: REPORT.xml and --ca are required\n%s",
			verify_usage);
		return TB_VEXIT_USAGE;
	}
	return tb_verify(&o, stdout);
}
