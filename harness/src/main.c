/* main.c: the trustbench command line: the command table only.  Each
 * command lives in cli/cli_<command>.c (see cli/cli.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "result/verdict.h"

/* Commands that need the report schema get it from here, so that every
 * command finds it the same way. */
static int run_analyze(int argc, char **argv)
{
	return tb_cmd_analyze(argc, argv, tb_cli_schema_path());
}

static int run_verify(int argc, char **argv)
{
	return tb_cmd_verify(argc, argv, tb_cli_schema_path());
}

static int run_statement(int argc, char **argv)
{
	return tb_cmd_statement(argc, argv, tb_cli_schema_path());
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", tb_cmd_run },      { "validate", tb_cmd_validate }, { "list", tb_cmd_list },
	{ "analyze", run_analyze }, { "firmware", tb_cmd_firmware }, { "sign", tb_cmd_sign },
	{ "verify", run_verify },   { "render", tb_cmd_render },     { "diff", tb_cmd_diff },
	{ "label", tb_cmd_label },  { "statement", run_statement },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(tb_cli_usage, stderr);
		return TB_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(tb_cli_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("trustbench %s\n", TB_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "trustbench: unknown command '%s'\n%s", cmd, tb_cli_usage);
	return TB_EXIT_USAGE;
}
