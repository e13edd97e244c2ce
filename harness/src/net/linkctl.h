/* linkctl.h: the link keeper, the one privileged helper that can cut the
 * device's uplink (the outage check, EN 303 645 5.9).
 *
 * The harness drops every privilege once its capture is open (capture/priv.h).
 * Cutting the lab's uplink (lab.uplink.interface, e.g. tb-cld0) needs
 * CAP_NET_ADMIN, so before the drop the runner forks a keeper that keeps
 * that one capability and nothing else (bounding set emptied but for it,
 * no_new_privs; real root also switches to the drop user), knows one
 * interface (checked to exist at start), and answers exactly three commands
 * over a socketpair, one line each:
 *     "cut\n"      IFF_UP off   -> "ok down\n"
 *     "restore\n"  IFF_UP on    -> "ok up\n"
 *     "state\n"    read flags   -> "ok up\n" / "ok down\n"
 * anything else, or a failure -> "err <reason>\n" (the interface is never
 * named by the harness: there is nothing else it could be made to touch).
 * The keeper exits when the socket closes or its parent dies
 * (PR_SET_PDEATHSIG), and it puts the link back up on the way out if it
 * took it down: a killed run does not leave the lab cut.
 */
#ifndef TB_LINKCTL_H
#define TB_LINKCTL_H

#include <stddef.h>
#include <sys/types.h>

#include "base/tb.h"

#define TB_LINKCTL_LINE_MAX 64 /* a command or reply line, newline included */

enum tb_link_cmd { TB_LINK_CUT, TB_LINK_RESTORE, TB_LINK_STATE };

struct tb_linkctl {
	int fd; /* the harness's end of the socketpair, -1 when no keeper */
	pid_t pid;
	char ifname[32];
	char why[300]; /* no keeper: why not (for the check's INCONCLUSIVE reason) */
};

/* ---- the protocol (pure) ------------------------------------------------- */

/* The command's line ("cut\n"); its length, or 0 when cap is too small. */
size_t tb_linkctl_encode_cmd(enum tb_link_cmd c, char *buf, size_t cap);
/* Parse one line (newline included, exactly as sent).  0 with *c set, -1
 * for anything that is not exactly one of the three commands. */
int tb_linkctl_decode_cmd(const char *buf, size_t len, enum tb_link_cmd *c);
/* A reply: "ok up\n", "ok down\n" or "err <why>\n" (why: newlines and
 * anything unprintable become '?', cut to fit).  Its length. */
size_t tb_linkctl_encode_reply(int ok, int up, const char *why, char *buf, size_t cap);
/* Parse a reply line: 0 with *ok and *up set (why gets an error's reason),
 * -1 when it is not a well-formed reply. */
int tb_linkctl_decode_reply(const char *buf, size_t len, int *ok, int *up, char *why, size_t cap);

/* The keeper's answer to one command line: what it does with an interface
 * is behind two callbacks (tests give fakes), so the dispatch is testable
 * without privileges.  Returns the reply's length in out. */
struct tb_linkctl_ops {
	int (*get_up)(void *arg, int *up); /* 0 or -errno */
	int (*set_up)(void *arg, int up);  /* 0 or -errno */
	void *arg;
};
size_t tb_linkctl_serve_line(const struct tb_linkctl_ops *ops, const char *line, size_t len,
			     int *cut_by_us, char *out, size_t cap);

/* ---- the keeper and the harness's side ------------------------------------ */

/* Fork the keeper for ifname (must exist; the caller still has
 * CAP_NET_ADMIN).  TB_OK with k->fd open, else k->why and d say why (no
 * such interface, no capability, a name that is not an interface name). */
TB_WUR enum tb_err tb_linkctl_start(struct tb_linkctl *k, const char *ifname, const char *drop_user,
				    struct tb_diag *d);
/* One command and its reply within timeout_ms.  *up (may be NULL) gets the
 * link's state after it. */
TB_WUR enum tb_err tb_linkctl_cut(struct tb_linkctl *k, int timeout_ms, struct tb_diag *d);
TB_WUR enum tb_err tb_linkctl_restore(struct tb_linkctl *k, int timeout_ms, struct tb_diag *d);
TB_WUR enum tb_err tb_linkctl_state(struct tb_linkctl *k, int *up, int timeout_ms, struct tb_diag *d);
/* Close the socket (the keeper restores the link if it cut it, and exits)
 * and reap it, waiting at most 2 s before killing it. */
void tb_linkctl_stop(struct tb_linkctl *k);

/* ---- the run's keeper ------------------------------------------------------ */

/* The runner calls this before it drops privileges, when the run has an
 * outage case: it starts the keeper when lab.intrusive is true and an
 * uplink interface is declared, else records why not. */
void tb_linkctl_run_begin(int intrusive, const char *ifname, const char *drop_user);
/* The run's keeper, or NULL with *why set to the reason there is none. */
struct tb_linkctl *tb_linkctl_run(const char **why);
/* End of run: stop the keeper (the link is restored if it was cut). */
void tb_linkctl_run_end(void);

#endif
