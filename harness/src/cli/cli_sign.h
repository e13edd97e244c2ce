/* cli_sign.h: `trustbench sign` and `trustbench verify` (cli_sign.c,
 * cli_verify.c). */
#ifndef TB_CLI_SIGN_H
#define TB_CLI_SIGN_H

/* argv holds the arguments after the subcommand.  Return the exit code. */
int tb_cmd_sign(int argc, char **argv);
/* schema: the report XSD to validate against. */
int tb_cmd_verify(int argc, char **argv, const char *schema);

#endif
