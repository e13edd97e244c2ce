/* cli_validate.c: `trustbench validate FILE...`: suites, crosswalks, profiles
 * and policies (YAML) and reports (XML, against the schema), each with the
 * loader that a run or verify would use. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "result/verdict.h"
#include "load/crosswalk.h"
#include "load/profile.h"
#include "load/scheme.h"
#include "load/suite.h"
#include "load/yamlx.h"
#include "report/report_load.h"
#include "trust/policy.h"

static const char validate_usage[] =
	"usage: trustbench validate FILE...\n"
	"Checks suites, crosswalks, schemes, profiles and policies (YAML) and reports (XML,\n"
	"against the report schema); prints \"FILE: valid KIND\" or\n"
	"file:line:column: problem.  A crosswalk alone is checked for its shape; the\n"
	"suite that names it checks its provisions and test cases too.\n"
	"exit codes: 0 all valid, 1 any invalid\n";

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
		e = tb_report_load_validate(path, tb_cli_schema_path(), &d); /* the one report reader */
	} else {
		struct tb_y_doc *doc;
		e = tb_y_load(path, &doc, &d);
		int is_profile = !e && tb_y_get(doc->root, "profile") != NULL;
		int is_policy = !e && tb_y_get(doc->root, "policy") != NULL;
		int is_crosswalk = !e && tb_y_get(doc->root, "crosswalk") != NULL;
		int is_scheme = !e && tb_y_get(doc->root, "scheme") != NULL;
		tb_y_free(doc);
		if (!e && is_scheme) { /* testsuites/schemes/ (load/scheme.h) */
			struct tb_scheme *sc;
			what = "scheme";
			e = tb_scheme_load(path, &sc, &d);
			tb_scheme_free(sc);
		} else if (!e && is_crosswalk) {
			struct tb_crosswalk *x;
			what = "crosswalk";
			e = tb_crosswalk_load(path, NULL, &x, &d);
			tb_crosswalk_free(x);
		} else if (!e && is_policy) {
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
		tb_cli_print_diag(&d);
		return 1;
	}
	printf("%s: valid %s\n", path, what);
	return 0;
}

int tb_cmd_validate(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (tb_cli_is_help(argv[i])) {
			fputs(validate_usage, stdout);
			return 0;
		}
	if (argc == 0) {
		fprintf(stderr, "trustbench validate: name at least one file\n%s", tb_cli_usage);
		return TB_EXIT_USAGE;
	}
	int bad = 0;
	for (int i = 0; i < argc; i++)
		bad += validate_one(argv[i]);
	return bad ? TB_EXIT_USAGE : 0;
}
