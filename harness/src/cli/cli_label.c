/* cli_label.c: the `trustbench label` command (see cli.h, report/label.h). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/label.h"
#include "result/result.h"
#include "result/verdict.h"

#define LABEL_EXIT_WITHHELD 2

static const char label_usage[] =
	"usage: trustbench label STATEMENT.xml --svg OUT.svg [--png OUT.png]\n"
	"  a printable label from a conformance statement (trustbench statement):\n"
	"  the scheme, the level or result, the device, the end of its support\n"
	"  period, the expiry, and a QR code of the label URL (the statement's\n"
	"  url-template filled with the SHA-256 of the statement file's bytes)\n"
	"  --svg FILE   the label, to print or to show on a report (render --label)\n"
	"  --png FILE   the QR code alone, 8 pixels a module with its quiet zone\n"
	"exit codes: 0 written; 1 bad usage or a malformed statement; 2 the\n"
	"statement earns no label (the reasons on stderr, nothing written)\n";

static int fail(const struct tb_diag *d)
{
	char msg[1024];
	tb_diag_format(d, msg, sizeof msg);
	fprintf(stderr, "trustbench label: %s\n", msg);
	return TB_EXIT_USAGE;
}

/* Build both images in memory first, so a failure writes nothing. */
static int write_label(const struct tb_label *lbl, const char *svg_path, const char *png_path)
{
	struct tb_diag d = { 0 };
	char *svg = NULL;
	unsigned char *png = NULL;
	size_t svg_len = 0, png_len = 0;
	enum tb_err e = TB_OK;
	if (svg_path)
		e = tb_label_svg(lbl, &svg, &svg_len, &d);
	if (!e && png_path)
		e = tb_label_png(lbl, &png, &png_len, &d);
	if (!e && svg_path && !(e = tb_write_atomic(svg_path, svg, svg_len, &d)))
		printf("%s: written\n", svg_path);
	if (!e && png_path && !(e = tb_write_atomic(png_path, png, png_len, &d)))
		printf("%s: written\n", png_path);
	free(svg);
	free(png);
	if (e)
		return fail(&d);
	printf("url: %s\n", lbl->url);
	return 0;
}

int tb_cmd_label(int argc, char **argv)
{
	const char *statement = NULL, *svg = NULL, *png = NULL;
	for (int i = 0; i < argc; i++) {
		int has_val = i + 1 < argc;
		if (tb_cli_is_help(argv[i])) {
			fputs(label_usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--svg") == 0 && has_val)
			svg = argv[++i];
		else if (strcmp(argv[i], "--png") == 0 && has_val)
			png = argv[++i];
		else if (argv[i][0] != '-' && !statement)
			statement = argv[i];
		else {
			fprintf(stderr, "trustbench label: unexpected argument '%s'\n%s", argv[i],
				label_usage);
			return TB_EXIT_USAGE;
		}
	}
	if (!statement || !svg) {
		fprintf(stderr, "trustbench label: name a statement and --svg\n%s", label_usage);
		return TB_EXIT_USAGE;
	}
	struct tb_label *lbl = tb_xmalloc(sizeof *lbl);
	struct tb_diag d = { 0 };
	int rc;
	if (tb_label_load(statement, lbl, &d) != TB_OK) {
		rc = fail(&d);
	} else if (!lbl->qualifies) {
		/* The reasons are statement text, made safe by the reader. */
		fprintf(stderr, "trustbench label: %s earns no label:\n", statement);
		for (char *line = lbl->reasons, *next; line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			fprintf(stderr, "  - %s\n", line);
		}
		rc = LABEL_EXIT_WITHHELD;
	} else {
		rc = write_label(lbl, svg, png);
	}
	free(lbl);
	return rc;
}
