/* cli_sign.c: `trustbench sign REPORT.xml --key KEY.pem --cert CERT.pem
 * [--chain CHAIN.pem] [--tsa URL | --tsa-file DIR] [--out FILE]`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "trust/sign.h"
#include "trust/tsa.h"

static const char sign_usage[] =
	"usage: trustbench sign REPORT.xml --key KEY.pem --cert CERT.pem [--chain CHAIN.pem]\n"
	"                       [--tsa URL | --tsa-file DIR] [--out FILE]\n"
	"Writes a detached CMS signature (DER) over the report's exact bytes to\n"
	"REPORT.xml.p7s (or FILE), with the signing time and the certificates.\n"
	"The key must be an unencrypted PEM private key.\n"
	"  --tsa URL       add an RFC 3161 timestamp over the signature from the\n"
	"                  time-stamping authority at URL: plain http:// to a lab\n"
	"                  address only (198.18.0.0/15 or loopback); anything else\n"
	"                  is refused before a packet is sent\n"
	"  --tsa-file DIR  the same from a TEST-ONLY TSA run inside trustbench (no\n"
	"                  network): DIR holds tsa.key, tsa.pem [, tsa-chain.pem]\n"
	"                  (fixtures/keys/make-test-pki.sh makes them); its policy\n"
	"                  is the test-only OID " TB_TSA_TEST_POLICY
	"\n"
	"`trustbench verify --tsa-ca FILE` checks the timestamp; with it a report\n"
	"still verifies after the signing certificate expires.\n";

int tb_cmd_sign(int argc, char **argv)
{
	const char *report = NULL, *key = NULL, *cert = NULL, *chain = NULL, *outp = NULL;
	struct tb_tsa_src tsa = { 0 };
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
		else if (strcmp(a, "--tsa") == 0 && has_val)
			tsa.url = argv[++i];
		else if (strcmp(a, "--tsa-file") == 0 && has_val)
			tsa.dir = argv[++i];
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
	if (tsa.url && tsa.dir) {
		fprintf(stderr, "trustbench sign: --tsa and --tsa-file exclude each other\n%s",
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
	const struct tb_tsa_src *ts = tsa.url || tsa.dir ? &tsa : NULL;
	if (tb_sign_file_tsa(report, key, cert, chain, ts, out, &d) != TB_OK) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench sign: %s\n", msg);
		return 1;
	}
	printf("signed: %s%s\n", out,
	       tsa.url   ? " (timestamped by the TSA)"
	       : tsa.dir ? " (timestamped by the TEST-ONLY TSA in --tsa-file)"
			 : "");
	return 0;
}
