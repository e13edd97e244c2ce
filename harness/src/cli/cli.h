/* cli.h: the trustbench subcommands, one cli_<command>.c each; main.c only
 * dispatches to them.
 *
 * Contract for every tb_cmd_*: argv holds the arguments after the command
 * word; the return value is the process exit code (1 is always bad usage or
 * bad input; see the usage text for the others).  Errors go to stderr,
 * results to stdout.
 */
#ifndef TB_CLI_H
#define TB_CLI_H

#include "base/tb.h"

int tb_cmd_run(int argc, char **argv);
int tb_cmd_validate(int argc, char **argv);
int tb_cmd_list(int argc, char **argv);
/* schema: the report XSD (may be NULL). */
int tb_cmd_analyze(int argc, char **argv, const char *schema);
/* argv[0] is the first word after "firmware". */
int tb_cmd_firmware(int argc, char **argv);
int tb_cmd_sign(int argc, char **argv);
/* schema: the report XSD to validate against. */
int tb_cmd_verify(int argc, char **argv, const char *schema);
/* trustbench render REPORT.xml [--html OUT.html] [--pdf OUT.pdf] (0 done, 1 failed). */
int tb_cmd_render(int argc, char **argv);
/* trustbench diff OLD.xml NEW.xml; see report/diff.h for the exit codes. */
int tb_cmd_diff(int argc, char **argv);
/* trustbench label STATEMENT.xml --svg OUT.svg [--png OUT.png] (0 written,
 * 1 bad usage or statement, 2 the statement earns no label). */
int tb_cmd_label(int argc, char **argv);
/* trustbench statement REPORT.xml --scheme S --out FILE --ca CA.pem ...
 * (0 written, 1 bad usage/input or partial report, 4 unsigned or broken);
 * schema: the report XSD. */
int tb_cmd_statement(int argc, char **argv, const char *schema);

/* ---- shared by the commands (cli_common.c) ---- */

/* The whole command line's usage text (`trustbench --help`). */
extern const char tb_cli_usage[];
/* Is a "--help" or "-h"? */
int tb_cli_is_help(const char *a);
/* The report schema, found as base/datafile.h finds every data file. */
const char *tb_cli_schema_path(void);
/* "file:line:col: problem" on stderr. */
void tb_cli_print_diag(const struct tb_diag *d);

#endif
