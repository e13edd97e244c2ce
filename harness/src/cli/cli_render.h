/* cli_render.h: `trustbench render` and `trustbench diff`. */
#ifndef TB_CLI_RENDER_H
#define TB_CLI_RENDER_H

/* trustbench render REPORT.xml [--html OUT.html] [--pdf OUT.pdf]; argv
 * starts after "render".  Returns the exit code (0 done, 1 failed). */
int tb_cmd_render(int argc, char **argv);
/* trustbench diff OLD.xml NEW.xml; see diff.h for the exit codes. */
int tb_cmd_diff(int argc, char **argv);

#endif
