/* cli_diff.c: the `trustbench diff` command (see cli.h, report/diff.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "report/diff.h"
#include "report/report_load.h"

static const char diff_usage[] =
	"usage: trustbench diff OLD.xml NEW.xml\n"
	"Lists the test cases and framework items whose verdict changed between two\n"
	"reports of the same suite.\n"
	"exit codes: 0 nothing got worse, 2 something regressed, 1 bad input\n";

static int load_view(const char *path, struct tb_rview *v)
{
	struct tb_diag d = { 0 };
	xmlDocPtr doc;
	memset(v, 0, sizeof *v);
	enum tb_err e = tb_report_load(path, &doc, NULL, &d);
	if (!e) {
		e = tb_rview_from_doc(doc, path, v, &d);
		xmlFreeDoc(doc);
	}
	if (e) {
		char msg[1024];
		tb_diag_format(&d, msg, sizeof msg);
		fprintf(stderr, "trustbench diff: %s\n", msg);
	}
	return e ? -1 : 0;
}

int tb_cmd_diff(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(diff_usage, stdout);
			return 0;
		}
	if (argc != 2 || argv[0][0] == '-' || argv[1][0] == '-') {
		fputs(diff_usage, stderr);
		return TB_DIFF_BAD_INPUT;
	}
	struct tb_rview a, b;
	int rc = TB_DIFF_BAD_INPUT;
	if (load_view(argv[0], &a) != 0) {
		tb_rview_free(&a);
		return rc;
	}
	if (load_view(argv[1], &b) == 0) {
		struct tb_diff df;
		tb_diff_compute(&a, &b, &df);
		tb_diff_print(stdout, &a, &b, &df);
		rc = tb_diff_exit_code(&df);
		tb_diff_free(&df);
	}
	tb_rview_free(&b);
	tb_rview_free(&a);
	return rc;
}
