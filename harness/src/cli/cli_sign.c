/* cli_sign.c: `trustbench sign REPORT.xml --key KEY.pem --cert CERT.pem
 * [--chain CHAIN.pem] [--out FILE]`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "trust/sign.h"

static const char sign_usage[] =
	"usage: trustbench sign REPORT.xml --key KEY.pem --cert CERT.pem [--chain CHAIN.pem]\n"
	"                       [--out FILE]\n"
	"Writes a detached CMS signature (DER) over the report's exact bytes to\n"
	"REPORT.xml.p7s (or FILE), with the signing time and the certificates.\n"
	"The key must be an unencrypted PEM private key.\n";

int tb_cmd_sign(int argc, char **argv)
{
	const char *report = NULL, *key = NULL, *cert = NULL, *chain = NULL, *outp = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int has_val = i + 1 < argc;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(sign_usage, stdout);
			return 0;
		}
		if (strcmp(a, "--key") == 0 && has_val)
			key = argv[++i];
		else if (strcmp(a, "--cert") == 0 && has_val)
			cert = argv[++i];
		else if (strcmp(a, "--chain") == 0 && has_val)
			chain = argv[++i];
		else if (strcmp(a, "--out") == 0 && has_val)
			outp = argv[++i];
		else if (a[0] != '-' && !report)
			report = a;
		else {
			fprintf(stderr, "trustbench sign: unexpected argument '%s'\n%s", a, sign_usage);
			return 1;
		}
	}
	if (!report || !key || !cert) {
		fprintf(stderr, "trustbench sign: REPORT.xml, --key and --cert are required\n%s",
			sign_usage);
		return 1;
	}
	char out[4096];
	if (outp)
		snprintf(out, sizeof out, "%s", outp);
	else if ((size_t)snprintf(out, sizeof out, "%s.p7s", report) >= sizeof out) {
		fprintf(stderr, "trustbench sign: report path too long\n");
		return 1;
	}
	struct tb_diag d = { 0 };
	if (tb_sign_file(report, key, cert, chain, out, &d) != TB_OK) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench sign: %s\n", msg);
		return 1;
	}
	printf("signed: %s\n", out);
	return 0;
}
