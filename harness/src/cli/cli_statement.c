/* cli_statement.c: `trustbench statement REPORT.xml --scheme S --out FILE
 * --ca CA.pem [--sig FILE] [--evidence DIR] [--tsa-ca FILE] [--json FILE]
 * [--registry FILE]`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "trust/statement.h"

static const char statement_usage[] =
	"usage: trustbench statement REPORT.xml --scheme S --out FILE --ca CA.pem\n"
	"                            [--sig FILE] [--evidence DIR] [--tsa-ca FILE] [--json FILE]\n"
	"                            [--registry FILE]\n"
	"Derives a conformance statement from a complete, signed report that verifies\n"
	"(signature and chain to CA.pem, schema, evidence, as `verify` checks them):\n"
	"the scheme's items with their verdicts, the level reached, the device, its\n"
	"declared support period and disclosure contact, the report's SHA-256 and\n"
	"signer, the issue and expiry dates, and whether it qualifies for a label\n"
	"(with the reasons when it does not).  S is a scheme id of testsuites/schemes/\n"
	"(psti, en-303-645, cls-style) or the path of a scheme file.\n"
	"  --json FILE      the same statement as JSON, with its digest and label URL\n"
	"  --registry FILE  what a registry would publish (JSON): the statement, its\n"
	"                   SHA-256, the signed report's SHA-256 and the label URL\n"
	"  --sig FILE       the signature (default REPORT.xml.p7s)\n"
	"  --evidence DIR   where the evidence is (default: the report's directory)\n"
	"  --tsa-ca FILE    TSA certificate(s) trusted for the signature's RFC 3161\n"
	"                   timestamp: its time becomes the statement's timestamped-at\n"
	"Nothing is written unless everything is (each file atomically).\n"
	"exit codes:\n"
	"  0  written (whether or not the outcome earns a label: see its outcome)\n"
	"  1  bad usage, unreadable input, or a partial report (an interrupted run)\n"
	"  4  the report is unsigned, or its signature, chain, schema or evidence is\n"
	"     broken\n";

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "trustbench statement: %s%s%s%s\n%s", what, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "", statement_usage);
	return 1;
}

int tb_cmd_statement(int argc, char **argv, const char *schema)
{
	struct tb_statement_opts o = { .schema = schema, .now = time(NULL) };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		if (tb_cli_is_help(a)) {
			fputs(statement_usage, stdout);
			return 0;
		}
		if (strcmp(a, "--scheme") == 0)
			dst = &o.scheme;
		else if (strcmp(a, "--out") == 0)
			dst = &o.out;
		else if (strcmp(a, "--ca") == 0)
			dst = &o.ca;
		else if (strcmp(a, "--sig") == 0)
			dst = &o.sig;
		else if (strcmp(a, "--evidence") == 0)
			dst = &o.evidence_dir;
		else if (strcmp(a, "--json") == 0)
			dst = &o.json;
		else if (strcmp(a, "--registry") == 0)
			dst = &o.registry;
		else if (strcmp(a, "--tsa-ca") == 0)
			dst = &o.tsa_ca;
		if (dst && i + 1 < argc && !*dst)
			*dst = argv[++i];
		else if (!dst && a[0] != '-' && !o.report)
			o.report = a;
		else
			return usage_error("unexpected argument", a);
	}
	if (!o.report || !o.scheme || !o.out || !o.ca)
		return usage_error("REPORT.xml, --scheme, --out and --ca are required", NULL);
	return tb_statement_make(&o, stdout);
}
