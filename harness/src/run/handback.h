/* handback.h: output of a run started as real root belongs to the user who
 * started it, not to the unprivileged user the run drops to.
 *
 * Design: the root process forks before anything else happens.  The child
 * does the whole run (opens the capture, drops to --user, tests the
 * device).  The parent, the guard, keeps root but reads no device byte and
 * parses nothing the child wrote: it waits for the child (forwarding
 * SIGINT/SIGTERM/SIGHUP), and then, also when the child was killed, hands
 * the output tree back to the invoking user.  Files cannot simply be
 * created before the drop: the report and JUnit file are replaced
 * atomically after every test case, and the evidence files are named by the
 * checks as they run.
 *
 * The hand-back walk trusts nothing in the tree (the child may have been
 * subverted by the device): no symlink is followed, it stays on one
 * filesystem, and only directories and single-link regular files owned by
 * the drop user change hands, each checked and changed through one handle.
 */
#ifndef TB_HANDBACK_H
#define TB_HANDBACK_H

#include <sys/types.h>

#include "base/tb.h"

struct tb_owner {
	uid_t uid;
	gid_t gid;
};

/* The invoking user: SUDO_UID/SUDO_GID when running as root under sudo
 * (both set and numeric), else the process's real uid and gid. */
void tb_invoker(struct tb_owner *o);

/* Hand every directory and single-link regular file under (and including)
 * dir that is owned by from_uid to `to`.  *changed counts them. */
TB_WUR enum tb_err tb_handback_tree(const char *dir, uid_t from_uid, const struct tb_owner *to,
				    unsigned long *changed, struct tb_diag *d);

/* The guard side after fork(): wait for the run (child), forwarding
 * termination signals, then hand outdir back from drop_uid to the invoker,
 * become the invoker for good, and move the staged JUnit file (if any) to
 * junit_path.  Returns the run's exit code (3 when it was killed). */
int tb_guard_finish(pid_t child, const char *outdir, uid_t drop_uid, const struct tb_owner *to,
		    const char *staged_junit, const char *junit_path);

#endif
