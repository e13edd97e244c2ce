/* priv.h: give up privileges once the capture handle is open, before any
 * device byte is parsed.
 *
 * - Real root: the output paths are handed to the unprivileged user, then
 *   setgroups/setgid/setuid to it (default "nobody"); we then check that
 *   setuid(0) fails.
 * - Root inside a user namespace (the lab: `unshare -r` maps uid 0 to the
 *   invoking user and nothing else): switching to "nobody" is impossible
 *   because that uid is not mapped, and namespace-root is already only the
 *   invoking user outside.  We drop every capability instead (bounding set,
 *   effective, permitted, inheritable, with no_new_privs) and check that
 *   they cannot be raised again.
 * - Not root: any capabilities (e.g. file capabilities) are dropped.
 */
#ifndef TB_PRIV_H
#define TB_PRIV_H

#include <stddef.h>
#include <sys/types.h>

#include "base/tb.h"

/* Drop privileges as above.  own: NULL-terminated paths to chown to the
 * user first (may be NULL).  desc gets one line saying what was done. */
TB_WUR enum tb_err tb_priv_drop(const char *user, const char *const *own, char *desc, size_t desccap,
				struct tb_diag *d);

/* Will tb_priv_drop(user, ...) switch real root to another user?  Then 1,
 * with that user's uid and gid; 0 otherwise (not root, namespace root, or
 * no such user: tb_priv_drop says which). */
int tb_priv_switch_target(const char *user, uid_t *uid, gid_t *gid);

#endif
