/* cli_common.c: what the subcommands share: the usage text, --help, the
 * report schema's path and printing a diagnostic. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/datafile.h"
#include "cli/cli.h"

const char tb_cli_usage[] =
	"usage:\n"
	"  trustbench run --suite FILE --profile FILE --out DIR [--decisions FILE]\n"
	"                 [--only ID[,ID...]] [--force] [--quiet] [--junit FILE]\n"
	"                 [--assessor-role vendor|lab] [--assessor-name NAME] [--user NAME]\n"
	"  trustbench sign REPORT.xml --key KEY.pem --cert CERT.pem [--chain CHAIN.pem]\n"
	"  trustbench verify REPORT.xml --ca CA.pem [--sig FILE] [--evidence DIR]\n"
	"                 [--report-only] [--policy POLICY.yaml]\n"
	"  trustbench validate FILE...     suites, profiles (YAML) or reports (XML)\n"
	"  trustbench list [--suite FILE]  check families, or a suite's test cases\n"
	"  trustbench list --json          check families as JSON (for tools)\n"
	"  trustbench analyze FILE.pcap [--profile P] [--dut ADDR] [--out DIR]\n"
	"                                  traffic evidence from any capture\n"
	"  trustbench firmware verify IMAGE --profile FILE --sig FILE [--manifest FILE]\n"
	"                 [--current-version V]   verify an update against the declared anchor\n"
	"  trustbench render REPORT.xml [--html OUT.html] [--pdf OUT.pdf] [--label LABEL.svg]\n"
	"  trustbench diff OLD.xml NEW.xml verdict changes; exit 2 when something got worse\n"
	"  trustbench statement REPORT.xml --scheme S --out FILE --ca CA.pem [--json FILE]\n"
	"                 [--registry FILE]   a conformance statement from a signed report\n"
	"  trustbench label STATEMENT.xml --svg OUT.svg [--png OUT.png]\n"
	"                                  the printable label with its QR code\n"
	"  trustbench --help | --version\n"
	"  trustbench COMMAND --help     the usage of one command\n"
	"\n"
	"run: runs every test case of the suite against the device the profile\n"
	"describes and writes DIR/report.xml (rewritten after each test case; it says\n"
	"status=\"partial\" until the run ends) and DIR/evidence/; DIR and its missing\n"
	"parents are created.  Progress goes to stderr, one line per test case; the\n"
	"summary goes to stdout as \"key: value\" lines (outcome, exit-code, status,\n"
	"device, selected, completed, a count per verdict, failed: per FAIL, report).\n"
	"  --decisions FILE  examiner decisions for test cases that need a human\n"
	"  --only IDS        run only these test cases (comma-separated ids)\n"
	"  --force           replace an existing report in DIR\n"
	"  --quiet           no progress lines (the summary is still printed)\n"
	"  --user NAME       as root: the user to drop to once the capture is open\n"
	"                    (default nobody); the output still belongs to you\n"
	"                    (SUDO_UID/SUDO_GID under sudo)\n"
	"  --junit FILE      also write JUnit XML for CI (rewritten after each test case)\n"
	"  --assessor-role vendor|lab  who runs it: a self-assessment or a test lab\n"
	"                    (recorded as \"unspecified\" when not given)\n"
	"  --assessor-name NAME        the vendor or lab, recorded in the report\n"
	"\n"
	"exit codes:\n"
	"  0  every applicable test case passed\n"
	"  1  bad usage or bad input files (nothing is run, nothing half-written)\n"
	"  2  at least one test case FAILED: the device does not conform\n"
	"  3  no FAIL, but some test cases are inconclusive, error or await an examiner\n"
	"     (also for a run interrupted by SIGINT/SIGTERM: its report is partial)\n"
	"  other commands: verify 0 intact, 2 policy not met, 4 signature, chain, schema\n"
	"  or evidence broken; diff 0 nothing worse, 2 regressed; firmware verify 0 pass,\n"
	"  2 fail, 3 undecided; 1 is always bad usage or bad input\n"
	"\n"
	"The harness only connects to addresses inside the profile's lab.scope.\n"
	"Environment: TRUSTBENCH_DATADIR overrides where the report schema is found.\n";

int tb_cli_is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

const char *tb_cli_schema_path(void)
{
	static char buf[PATH_MAX + 64];
	return tb_data_file("reports/schema/trustbench-report.xsd", buf, sizeof buf);
}

void tb_cli_print_diag(const struct tb_diag *d)
{
	char msg[1024];
	tb_diag_format(d, msg, sizeof msg);
	fprintf(stderr, "%s\n", msg);
}
