/* main.c: the trustbench command line.  Orchestration only. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_render.h"
#include "cli/cli_sign.h"
#include "cli/cli_firmware.h"
#include "load/decisions.h"
#include "trust/policy.h"
#include "load/profile.h"
#include "report/report.h"
#include "report/report_load.h"
#include "run/runner.h"
#include "cli/cli_analyze.h"
#include "load/suite.h"
#include "load/yamlx.h"

#ifndef TB_DATADIR
#define TB_DATADIR "/usr/local/share/trustbench"
#endif

#define SCHEMA_REL "reports/schema/trustbench-report.xsd"

static const char usage[] =
	"usage:\n"
	"  trustbench run --suite FILE --profile FILE --out DIR [--decisions FILE]\n"
	"                 [--only ID[,ID...]] [--force] [--quiet] [--junit FILE]\n"
	"                 [--assessor-role vendor|lab] [--assessor-name NAME] [--user NAME]\n"
	"  trustbench sign REPORT.xml --key KEY.pem --cert CERT.pem [--chain CHAIN.pem]\n"
	"  trustbench verify REPORT.xml --ca CA.pem [--sig FILE] [--evidence DIR]\n"
	"                 [--report-only] [--policy POLICY.yaml]\n"
	"  trustbench validate FILE...     suites, profiles (YAML) or reports (XML)\n"
	"  trustbench list [--suite FILE]  check families, or a suite's test cases\n"
	"  trustbench analyze FILE.pcap [--profile P] [--dut ADDR] [--out DIR]\n"
	"                                  traffic evidence from any capture\n"
	"  trustbench firmware verify IMAGE --profile FILE --sig FILE [--manifest FILE]\n"
	"                 [--current-version V]   verify an update against the declared anchor\n"
	"  trustbench render REPORT.xml [--html OUT.html] [--pdf OUT.pdf]\n"
	"  trustbench diff OLD.xml NEW.xml verdict changes; exit 2 when something got worse\n"
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

static const char validate_usage[] =
	"usage: trustbench validate FILE...\n"
	"Checks suites, profiles and policies (YAML) and reports (XML, against the\n"
	"report schema); prints \"FILE: valid KIND\" or file:line:column: problem.\n"
	"exit codes: 0 all valid, 1 any invalid\n";

static const char list_usage[] =
	"usage: trustbench list [--suite FILE]\n"
	"Without --suite: the check families, their parameters and the features.\n"
	"With --suite: the suite's test cases (id, kind, check family, title).\n";

static int is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int file_exists(const char *p)
{
	return access(p, R_OK) == 0;
}

/* The report schema: $TRUSTBENCH_DATADIR, the source tree next to the
 * binary (build/../reports), or the installed data directory. */
static const char *schema_path(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("TRUSTBENCH_DATADIR");
	if (env && *env) {
		snprintf(buf, sizeof buf, "%s/%s", env, SCHEMA_REL);
		return buf;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(buf, sizeof buf, "%s/../%s", dirname(exe), SCHEMA_REL);
		if (file_exists(buf))
			return buf;
	}
	snprintf(buf, sizeof buf, "%s/%s", TB_DATADIR, SCHEMA_REL);
	return buf;
}

static void print_diag(const struct tb_diag *d)
{
	char msg[1024];
	tb_diag_format(d, msg, sizeof msg);
	fprintf(stderr, "%s\n", msg);
}

/* Split "a,b,c" into a new array of strings. */
static char **split_ids(const char *s, size_t *n)
{
	char **v = NULL;
	*n = 0;
	char *copy = tb_xstrdup(s), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		v = tb_xrealloc(v, *n + 1, sizeof *v);
		v[(*n)++] = tb_xstrdup(t);
	}
	free(copy);
	return v;
}

static int cmd_run(int argc, char **argv)
{
	const char *suite_path = NULL, *profile_path = NULL, *decisions_path = NULL, *only = NULL;
	struct tb_run_opts o = { 0 };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int has_val = i + 1 < argc;
		if (is_help(a)) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(a, "--suite") == 0 && has_val)
			suite_path = argv[++i];
		else if (strcmp(a, "--profile") == 0 && has_val)
			profile_path = argv[++i];
		else if (strcmp(a, "--out") == 0 && has_val)
			o.outdir = argv[++i];
		else if (strcmp(a, "--decisions") == 0 && has_val)
			decisions_path = argv[++i];
		else if (strcmp(a, "--only") == 0 && has_val)
			only = argv[++i];
		else if (strcmp(a, "--force") == 0)
			o.force = 1;
		else if (strcmp(a, "--quiet") == 0)
			o.quiet = 1;
		else if (strcmp(a, "--user") == 0 && has_val)
			o.user = argv[++i];
		else if (strcmp(a, "--junit") == 0 && has_val)
			o.junit_path = argv[++i];
		else if (strcmp(a, "--assessor-role") == 0 && has_val)
			o.assessor_role = argv[++i];
		else if (strcmp(a, "--assessor-name") == 0 && has_val)
			o.assessor_name = argv[++i];
		else {
			fprintf(stderr, "trustbench run: unexpected argument '%s'\n%s", a, usage);
			return TB_EXIT_USAGE;
		}
	}
	if (!suite_path || !profile_path || !o.outdir) {
		fprintf(stderr, "trustbench run: --suite, --profile and --out are required\n%s", usage);
		return TB_EXIT_USAGE;
	}
	if (o.assessor_role && strcmp(o.assessor_role, "vendor") != 0 &&
	    strcmp(o.assessor_role, "lab") != 0) {
		fprintf(stderr, "trustbench run: --assessor-role must be vendor or lab, not '%s'\n",
			o.assessor_role);
		return TB_EXIT_USAGE;
	}
	struct tb_diag d = { 0 };
	struct tb_suite *suite = NULL;
	struct tb_profile *profile = NULL;
	struct tb_decisions *ds = NULL;
	int rc = TB_EXIT_USAGE;
	if (tb_suite_load(suite_path, &suite, &d) != TB_OK ||
	    tb_profile_load(profile_path, &profile, &d) != TB_OK ||
	    (decisions_path && tb_decisions_load(decisions_path, suite, &ds, &d) != TB_OK)) {
		print_diag(&d);
		goto out;
	}
	if (only) {
		o.only = split_ids(only, &o.nonly);
		for (size_t i = 0; i < o.nonly; i++)
			if (!tb_suite_find_case(suite, o.only[i])) {
				fprintf(stderr, "trustbench run: --only: the suite has no test case '%s'\n",
					o.only[i]);
				goto out;
			}
	}
	const char *schema = schema_path();
	o.schema_path = file_exists(schema) ? schema : NULL;
	rc = tb_run(suite, profile, ds, &o);
out:
	for (size_t i = 0; i < o.nonly; i++)
		free(o.only[i]);
	free(o.only);
	tb_decisions_free(ds);
	tb_profile_free(profile);
	tb_suite_free(suite);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Validate one file: XML reports against the schema, YAML by its top key. */
static int validate_one(const char *path)
{
	struct tb_diag d = { 0 };
	enum tb_err e;
	const char *what;
	if (ends_with(path, ".xml")) {
		what = "report";
		e = tb_report_load_validate(path, schema_path(), &d); /* the one report reader */
	} else {
		struct tb_ydoc *doc;
		e = tb_yaml_load(path, &doc, &d);
		int is_profile = !e && tb_y_get(doc->root, "profile") != NULL;
		int is_policy = !e && tb_y_get(doc->root, "policy") != NULL;
		tb_ydoc_free(doc);
		if (!e && is_policy) {
			struct tb_policy *pol;
			what = "policy";
			e = tb_policy_load(path, &pol, &d);
			tb_policy_free(pol);
		} else if (!e && is_profile) {
			struct tb_profile *p;
			what = "profile";
			e = tb_profile_load(path, &p, &d);
			tb_profile_free(p);
		} else if (!e) {
			struct tb_suite *s;
			what = "suite";
			e = tb_suite_load(path, &s, &d);
			tb_suite_free(s);
		} else {
			what = "file";
		}
	}
	if (e) {
		print_diag(&d);
		return 1;
	}
	printf("%s: valid %s\n", path, what);
	return 0;
}

static int cmd_validate(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(validate_usage, stdout);
			return 0;
		}
	if (argc == 0) {
		fprintf(stderr, "trustbench validate: name at least one file\n%s", usage);
		return TB_EXIT_USAGE;
	}
	int bad = 0;
	for (int i = 0; i < argc; i++)
		bad += validate_one(argv[i]);
	return bad ? TB_EXIT_USAGE : 0;
}

static const char *ptype_name(enum tb_ptype t)
{
	switch (t) {
	case TB_P_STR: return "string";
	case TB_P_INT: return "integer";
	case TB_P_BOOL: return "boolean";
	case TB_P_STRLIST: return "list of strings";
	case TB_P_INTLIST: return "list of integers";
	}
	return "?";
}

static void list_families(void)
{
	printf("check families:\n");
	for (size_t i = 0; i < tb_nfamilies; i++) {
		const struct tb_check_family *f = tb_families[i];
		printf("  %-20s %s%s\n", f->name, f->summary,
		       f->flags & TB_FAM_INTRUSIVE ? " [intrusive: needs lab.intrusive: true]" : "");
		for (size_t j = 0; j < f->nparams; j++)
			printf("      %s%s (%s): %s\n", f->params[j].name,
			       f->params[j].required ? "*" : "", ptype_name(f->params[j].type),
			       f->params[j].help);
	}
	printf("features usable in applies-when and declarations.features:\n ");
	for (const char *const *n = tb_feature_names; *n; n++)
		printf(" %s", *n);
	printf("\n");
}

static int cmd_list(int argc, char **argv)
{
	if (argc == 1 && is_help(argv[0])) {
		fputs(list_usage, stdout);
		return 0;
	}
	if (argc == 0) {
		list_families();
		return 0;
	}
	if (argc != 2 || strcmp(argv[0], "--suite") != 0) {
		fprintf(stderr, "trustbench list: unexpected arguments\n%s", list_usage);
		return TB_EXIT_USAGE;
	}
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	if (tb_suite_load(argv[1], &s, &d) != TB_OK) {
		print_diag(&d);
		return TB_EXIT_USAGE;
	}
	printf("%s: %s (%zu groups, %zu test cases)\n", s->id, s->title, s->ngroups, s->ncases);
	for (size_t i = 0; i < s->ncases; i++) {
		const struct tb_case *c = &s->cases[i];
		printf("  %-10s %-22s %-20s %s\n", c->id, tb_kind_name(c->kind), c->family->name,
		       c->title);
	}
	tb_suite_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return TB_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("trustbench %s\n", TB_VERSION);
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(cmd, "validate") == 0)
		return cmd_validate(argc - 2, argv + 2);
	if (strcmp(cmd, "list") == 0)
		return cmd_list(argc - 2, argv + 2);
	if (strcmp(cmd, "analyze") == 0)
		return tb_cmd_analyze(argc - 2, argv + 2, schema_path());
	if (strcmp(cmd, "firmware") == 0)
		return tb_cli_firmware(argc - 2, argv + 2);
	if (strcmp(cmd, "sign") == 0)
		return tb_cmd_sign(argc - 2, argv + 2);
	if (strcmp(cmd, "verify") == 0)
		return tb_cmd_verify(argc - 2, argv + 2, schema_path());
	if (strcmp(cmd, "render") == 0)
		return tb_cmd_render(argc - 2, argv + 2);
	if (strcmp(cmd, "diff") == 0)
		return tb_cmd_diff(argc - 2, argv + 2);
	fprintf(stderr, "trustbench: unknown command '%s'\n%s", cmd, usage);
	return TB_EXIT_USAGE;
}
