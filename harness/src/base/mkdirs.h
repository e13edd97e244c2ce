/* mkdirs.h: create an output directory and its missing parents (mkdir -p),
 * remembering what was created so a run that fails before it writes
 * anything can take it away again. */
#ifndef TB_MKDIRS_H
#define TB_MKDIRS_H

#include <sys/types.h>

#include "base/tb.h"

#define TB_MKDIRS_MAX 32 /* directories one call may create */

struct tb_made_dirs {
	char *path[TB_MKDIRS_MAX]; /* outermost first */
	size_t n;
};

/* Create dir and every missing parent with mode.  An existing directory
 * is fine; an existing non-directory anywhere on the way is an error that
 * names it.  On failure, whatever this call created is removed again.
 * made (may be NULL) lists what was created; free it with tb_made_dirs_free. */
TB_WUR enum tb_err tb_mkdirs(const char *dir, mode_t mode, struct tb_made_dirs *made,
			     struct tb_diag *d);
/* Remove the directories in made, innermost first (only while empty). */
void tb_made_dirs_undo(struct tb_made_dirs *made);
void tb_made_dirs_free(struct tb_made_dirs *made);

#endif
