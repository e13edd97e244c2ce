/* cli_run.c: `trustbench run`: load the suite, profile and decisions, then
 * hand over to the runner (run/runner.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "load/decisions.h"
#include "load/profile.h"
#include "load/suite.h"
#include "run/runner.h"

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

int tb_cmd_run(int argc, char **argv)
{
	const char *suite_path = NULL, *profile_path = NULL, *decisions_path = NULL, *only = NULL;
	struct tb_run_opts o = { 0 };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int has_val = i + 1 < argc;
		if (tb_cli_is_help(a)) {
			fputs(tb_cli_usage, stdout);
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
			fprintf(stderr, "trustbench run: unexpected argument '%s'\n%s", a,
				tb_cli_usage);
			return TB_EXIT_USAGE;
		}
	}
	if (!suite_path || !profile_path || !o.outdir) {
		fprintf(stderr, "trustbench run: --suite, --profile and --out are required\n%s",
			tb_cli_usage);
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
		tb_cli_print_diag(&d);
		goto out;
	}
	if (only) {
		o.only = split_ids(only, &o.nonly);
		for (size_t i = 0; i < o.nonly; i++)
			if (!tb_suite_find_case(suite, o.only[i])) {
				fprintf(stderr,
					"trustbench run: --only: the suite has no test case '%s'\n",
					o.only[i]);
				goto out;
			}
	}
	const char *schema = tb_cli_schema_path();
	o.schema_path = access(schema, R_OK) == 0 ? schema : NULL;
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
