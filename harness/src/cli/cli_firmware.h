/* cli_firmware.h: `trustbench firmware ...` (see cli_firmware.c). */
#ifndef TB_CLI_FIRMWARE_H
#define TB_CLI_FIRMWARE_H

/* argv[0] is the first word after "firmware".  Returns the exit code. */
int tb_cli_firmware(int argc, char **argv);

#endif
