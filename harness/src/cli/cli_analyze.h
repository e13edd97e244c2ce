/* cli_analyze.h: `trustbench analyze FILE [--profile P] [--dut ADDR] [--out DIR]`. */
#ifndef TB_CLI_ANALYZE_H
#define TB_CLI_ANALYZE_H

/* argv holds the arguments after "analyze"; schema: the report XSD (may be
 * NULL).  Returns the process exit code. */
int tb_cmd_analyze(int argc, char **argv, const char *schema);

#endif
