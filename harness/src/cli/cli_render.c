/* cli_render.c: the `trustbench render` command (see cli.h). */
#include "cli/cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/datafile.h"
#include "report/render.h"
#include "result/verdict.h"

static const char render_usage[] =
	"usage: trustbench render REPORT.xml [--html OUT.html] [--pdf OUT.pdf] [--label LABEL.svg]\n"
	"  --html FILE  XHTML for a person to read (reports/xsl/report-html.xsl)\n"
	"  --pdf FILE   A4 PDF typeset by weasyprint from the same XHTML\n"
	"  --label FILE the trustmark label (trustbench label --svg) at the top of the\n"
	"               first page; only a label SVG is accepted\n";

static int fail(const struct tb_diag *d)
{
	char msg[1024];
	tb_diag_format(d, msg, sizeof msg);
	fprintf(stderr, "trustbench render: %s\n", msg);
	return TB_EXIT_USAGE;
}

static int render_pdf(const char *report, const char *xsl, const char *label, const char *html,
		      const char *pdf)
{
	struct tb_diag d = { 0 };
	char tmp[PATH_MAX + 64];
	const char *src = html;
	if (!src) {
		snprintf(tmp, sizeof tmp, "%s.src.%ld.html", pdf, (long)getpid());
		if (tb_render_html_file_label(report, xsl, label, tmp, &d) != TB_OK)
			return fail(&d);
		src = tmp;
	}
	enum tb_err e = tb_render_pdf(src, pdf, TB_RENDER_PDF_TIMEOUT_MS, &d);
	if (!html)
		unlink(tmp);
	return e ? fail(&d) : 0;
}

int tb_cmd_render(int argc, char **argv)
{
	const char *report = NULL, *html = NULL, *pdf = NULL, *label = NULL;
	for (int i = 0; i < argc; i++) {
		int has_val = i + 1 < argc;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(render_usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--html") == 0 && has_val)
			html = argv[++i];
		else if (strcmp(argv[i], "--pdf") == 0 && has_val)
			pdf = argv[++i];
		else if (strcmp(argv[i], "--label") == 0 && has_val)
			label = argv[++i];
		else if (argv[i][0] != '-' && !report)
			report = argv[i];
		else {
			fprintf(stderr, "trustbench render: unexpected argument '%s'\n%s", argv[i],
				render_usage);
			return TB_EXIT_USAGE;
		}
	}
	if (!report || (!html && !pdf)) {
		fprintf(stderr, "trustbench render: name a report and --html and/or --pdf\n%s",
			render_usage);
		return TB_EXIT_USAGE;
	}
	char xsl[PATH_MAX + 64];
	tb_data_file(TB_RENDER_XSL_REL, xsl, sizeof xsl);
	struct tb_diag d = { 0 };
	if (html) {
		if (tb_render_html_file_label(report, xsl, label, html, &d) != TB_OK)
			return fail(&d);
		printf("%s: written\n", html);
	}
	if (pdf) {
		int rc = render_pdf(report, xsl, label, html, pdf);
		if (rc)
			return rc;
		printf("%s: written\n", pdf);
	}
	return 0;
}
