/* linkctl.c: the link keeper and its harness side (see linkctl.h). */
#define _GNU_SOURCE
#include "net/linkctl.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "capture/priv.h"

#define HELLO_MS 3000 /* the keeper's first line: it started, or why not */

static const char *const cmd_line[] = { "cut\n", "restore\n", "state\n" };

/* ---- the protocol ---------------------------------------------------------- */

size_t tb_linkctl_encode_cmd(enum tb_link_cmd c, char *buf, size_t cap)
{
	if ((unsigned)c > TB_LINK_STATE)
		return 0;
	size_t n = strlen(cmd_line[c]);
	if (n + 1 > cap)
		return 0;
	memcpy(buf, cmd_line[c], n + 1);
	return n;
}

int tb_linkctl_decode_cmd(const char *buf, size_t len, enum tb_link_cmd *c)
{
	for (unsigned i = 0; i <= TB_LINK_STATE; i++)
		if (len == strlen(cmd_line[i]) && memcmp(buf, cmd_line[i], len) == 0) {
			*c = (enum tb_link_cmd)i;
			return 0;
		}
	return -1;
}

size_t tb_linkctl_encode_reply(int ok, int up, const char *why, char *buf, size_t cap)
{
	if (cap < TB_LINKCTL_LINE_MAX)
		return 0;
	if (ok)
		return (size_t)snprintf(buf, cap, "ok %s\n", up ? "up" : "down");
	size_t n = (size_t)snprintf(buf, cap, "err ");
	for (const char *s = why ? why : "?"; *s && n < TB_LINKCTL_LINE_MAX - 2; s++)
		buf[n++] = *s >= 0x20 && *s < 0x7f ? *s : '?';
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

int tb_linkctl_decode_reply(const char *buf, size_t len, int *ok, int *up, char *why, size_t cap)
{
	if (cap)
		why[0] = '\0';
	if (len < 2 || len > TB_LINKCTL_LINE_MAX || buf[len - 1] != '\n' ||
	    memchr(buf, '\n', len - 1) || memchr(buf, '\0', len))
		return -1;
	if (len == 6 && memcmp(buf, "ok up\n", 6) == 0) {
		*ok = *up = 1;
		return 0;
	}
	if (len == 8 && memcmp(buf, "ok down\n", 8) == 0) {
		*ok = 1;
		*up = 0;
		return 0;
	}
	if (len > 5 && memcmp(buf, "err ", 4) == 0) {
		*ok = *up = 0;
		size_t n = len - 5 < cap ? len - 5 : cap ? cap - 1 : 0;
		if (cap) {
			memcpy(why, buf + 4, n);
			why[n] = '\0';
		}
		return 0;
	}
	return -1;
}

size_t tb_linkctl_serve_line(const struct tb_linkctl_ops *ops, const char *line, size_t len,
			     int *cut_by_us, char *out, size_t cap)
{
	enum tb_link_cmd c;
	int up = 0, e;
	if (tb_linkctl_decode_cmd(line, len, &c) != 0)
		return tb_linkctl_encode_reply(0, 0, "refused: only cut, restore and state", out, cap);
	if (c != TB_LINK_STATE) {
		e = ops->set_up(ops->arg, c == TB_LINK_RESTORE);
		if (e)
			return tb_linkctl_encode_reply(0, 0, strerror(-e), out, cap);
		if (c == TB_LINK_CUT)
			*cut_by_us = 1;
	}
	e = ops->get_up(ops->arg, &up);
	if (e)
		return tb_linkctl_encode_reply(0, 0, strerror(-e), out, cap);
	if (c == TB_LINK_RESTORE && up)
		*cut_by_us = 0;
	return tb_linkctl_encode_reply(1, up, NULL, out, cap);
}

/* ---- the keeper (a child process) ------------------------------------------- */

struct iface {
	int sock; /* for the ioctls; never sends */
	char name[IFNAMSIZ];
};

static int if_get_up(void *arg, int *up)
{
	struct iface *f = arg;
	struct ifreq r;
	memset(&r, 0, sizeof r);
	memcpy(r.ifr_name, f->name, sizeof r.ifr_name);
	if (ioctl(f->sock, SIOCGIFFLAGS, &r) != 0)
		return -errno;
	*up = (r.ifr_flags & IFF_UP) != 0;
	return 0;
}

static int if_set_up(void *arg, int up)
{
	struct iface *f = arg;
	struct ifreq r;
	memset(&r, 0, sizeof r);
	memcpy(r.ifr_name, f->name, sizeof r.ifr_name);
	if (ioctl(f->sock, SIOCGIFFLAGS, &r) != 0)
		return -errno;
	if (up)
		r.ifr_flags |= IFF_UP;
	else
		r.ifr_flags &= ~IFF_UP;
	return ioctl(f->sock, SIOCSIFFLAGS, &r) != 0 ? -errno : 0;
}

/* A name the kernel could hold: 1-15 bytes, no '/', ':' or whitespace. */
static int ifname_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == '/' || *s == ':')
			return 0;
	return 1;
}

/* Keep CAP_NET_ADMIN only: the bounding set first (needs CAP_SETPCAP),
 * then (real root) the drop user with the capability kept across setuid,
 * then effective = permitted = CAP_NET_ADMIN, no_new_privs. */
static const char *keep_net_admin(const char *user)
{
	uid_t uid;
	gid_t gid;
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];
	if (syscall(SYS_capget, &h, c) != 0 || !(c[0].permitted & (1u << CAP_NET_ADMIN)))
		return "no CAP_NET_ADMIN (run as root or in the lab's user namespace)";
	int sw = tb_priv_switch_target(user, &uid, &gid);
	for (int cap = 0; cap <= 63; cap++)
		if (cap != CAP_NET_ADMIN && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 &&
		    errno != EINVAL && errno != EPERM)
			return "cannot empty the bounding set";
	for (int cap = 0; cap <= 63; cap++)
		if (cap != CAP_NET_ADMIN && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			return "cannot empty the bounding set (no CAP_SETPCAP)";
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (sw && (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 || setgroups(0, NULL) != 0 ||
		   setgid(gid) != 0 || setuid(uid) != 0 || setuid(0) == 0))
		return "cannot switch to the drop user";
	memset(c, 0, sizeof c);
	c[0].effective = c[0].permitted = 1u << CAP_NET_ADMIN;
	if (syscall(SYS_capset, &h, c) != 0)
		return "cannot keep CAP_NET_ADMIN alone";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return "cannot set no_new_privs";
	if (syscall(SYS_capget, &h, c) != 0 || c[0].permitted != (1u << CAP_NET_ADMIN) ||
	    c[1].permitted || c[0].inheritable || c[1].inheritable)
		return "capabilities other than CAP_NET_ADMIN remain";
	return NULL;
}

static void keeper_reply(int fd, const char *buf, size_t n)
{
	(void)!send(fd, buf, n, MSG_NOSIGNAL);
}

static void keeper_hello_err(int fd, const char *why, const char *detail)
{
	char msg[TB_LINKCTL_LINE_MAX * 2], out[TB_LINKCTL_LINE_MAX];
	snprintf(msg, sizeof msg, "%s%s%s", why, detail ? ": " : "", detail ? detail : "");
	keeper_reply(fd, out, tb_linkctl_encode_reply(0, 0, msg, out, sizeof out));
}

/* Serve until the socket closes or SIGTERM (the parent died); then put the
 * link back up if this keeper took it down. */
static void keeper_loop(int fd, struct iface *f)
{
	struct tb_linkctl_ops ops = { if_get_up, if_set_up, f };
	int cut_by_us = 0;
	sigset_t none;
	sigemptyset(&none);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = ppoll(&p, 1, NULL, &none); /* SIGTERM arrives only here */
		if (r < 0)
			break; /* EINTR: SIGTERM */
		char line[TB_LINKCTL_LINE_MAX], out[TB_LINKCTL_LINE_MAX];
		struct iovec iov = { line, sizeof line };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(fd, &m, 0);
		if (n <= 0)
			break; /* the harness closed its end */
		size_t len = (m.msg_flags & MSG_TRUNC) ? sizeof line + 1 : (size_t)n;
		keeper_reply(fd, out,
			     tb_linkctl_serve_line(&ops, line, len, &cut_by_us, out, sizeof out));
	}
	int up = 1;
	if (cut_by_us && if_get_up(f, &up) == 0 && !up)
		(void)if_set_up(f, 1);
}

static void on_term(int sig)
{
	(void)sig; /* only interrupts ppoll */
}

static void keeper_main(int fd, pid_t parent, const char *ifname, const char *user)
{
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN); /* ^C reaches the whole group: the harness restores and closes */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (getppid() != parent)
		_exit(0);
	if (dup2(fd, 3) != 3)
		_exit(1);
	fd = 3;
	(void)syscall(SYS_close_range, 4u, ~0u, 0u); /* nothing of the harness's */
	struct iface f = { .sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) };
	snprintf(f.name, sizeof f.name, "%s", ifname);
	int up = 0;
	const char *why = keep_net_admin(user);
	if (why) {
		keeper_hello_err(fd, why, NULL);
		_exit(1);
	}
	/* After the switch of user: a change of credentials clears the
	 * parent-death signal.  The parent may have died in between: then no
	 * signal comes, and getppid() says so. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) != 0 || getppid() != parent)
		_exit(0);
	if (f.sock < 0 || if_nametoindex(f.name) == 0 || if_get_up(&f, &up) != 0) {
		keeper_hello_err(fd, "no such interface", f.name);
		_exit(1);
	}
	char out[TB_LINKCTL_LINE_MAX];
	keeper_reply(fd, out, tb_linkctl_encode_reply(1, up, NULL, out, sizeof out));
	keeper_loop(fd, &f);
	_exit(0);
}

/* ---- the harness's side ------------------------------------------------------- */

/* Read one reply before deadline_ms. */
static enum tb_err read_reply(int fd, int64_t deadline, int *ok, int *up, char *why, size_t cap,
			      struct tb_diag *d)
{
	char buf[TB_LINKCTL_LINE_MAX + 1];
	for (;;) {
		int64_t left = deadline - tb_now_ms();
		if (left <= 0)
			return tb_diag_set(d, TB_E_TIMEOUT, "the link keeper did not answer in time");
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(left < 100 ? left : 100));
		if (r < 0 && errno != EINTR)
			return tb_diag_set(d, TB_E_IO, "link keeper: %s", strerror(errno));
		if (r <= 0)
			continue;
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return tb_diag_set(d, TB_E_IO, "the link keeper is gone");
		if (tb_linkctl_decode_reply(buf, (size_t)n, ok, up, why, cap) != 0)
			return tb_diag_set(d, TB_E_FORMAT, "the link keeper's reply is malformed");
		return TB_OK;
	}
}

static enum tb_err command(struct tb_linkctl *k, enum tb_link_cmd c, int *up, int timeout_ms,
			   struct tb_diag *d)
{
	char line[TB_LINKCTL_LINE_MAX], why[TB_LINKCTL_LINE_MAX];
	int ok = 0, st = 0;
	if (!k || k->fd < 0)
		return tb_diag_set(d, TB_E_IO, "no link keeper");
	size_t n = tb_linkctl_encode_cmd(c, line, sizeof line);
	/* Drop a late reply to an earlier command that timed out. */
	while (recv(k->fd, why, sizeof why, MSG_DONTWAIT) > 0)
		;
	if (send(k->fd, line, n, MSG_NOSIGNAL) != (ssize_t)n)
		return tb_diag_set(d, TB_E_IO, "link keeper: %s", strerror(errno));
	enum tb_err e = read_reply(k->fd, tb_now_ms() + timeout_ms, &ok, &st, why, sizeof why, d);
	if (e)
		return e;
	if (!ok)
		return tb_diag_set(d, TB_E_IO, "the link keeper refused '%.*s' on %s: %s", (int)n - 1,
				   line, k->ifname, why);
	if (up)
		*up = st;
	if ((c == TB_LINK_CUT && st) || (c == TB_LINK_RESTORE && !st))
		return tb_diag_set(d, TB_E_IO, "%s is still %s after '%.*s'", k->ifname,
				   st ? "up" : "down", (int)n - 1, line);
	return TB_OK;
}

enum tb_err tb_linkctl_cut(struct tb_linkctl *k, int timeout_ms, struct tb_diag *d)
{
	return command(k, TB_LINK_CUT, NULL, timeout_ms, d);
}

enum tb_err tb_linkctl_restore(struct tb_linkctl *k, int timeout_ms, struct tb_diag *d)
{
	return command(k, TB_LINK_RESTORE, NULL, timeout_ms, d);
}

enum tb_err tb_linkctl_state(struct tb_linkctl *k, int *up, int timeout_ms, struct tb_diag *d)
{
	return command(k, TB_LINK_STATE, up, timeout_ms, d);
}

static int reap(pid_t pid, int ms)
{
	for (int i = 0; i < ms / 20; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return 1;
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

void tb_linkctl_stop(struct tb_linkctl *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	if (k->pid > 0 && !reap(k->pid, 2000)) {
		kill(k->pid, SIGTERM); /* it restores the link on SIGTERM too */
		if (!reap(k->pid, 1000)) {
			kill(k->pid, SIGKILL);
			waitpid(k->pid, NULL, 0);
		}
	}
	k->pid = 0;
}

enum tb_err tb_linkctl_start(struct tb_linkctl *k, const char *ifname, const char *drop_user,
			     struct tb_diag *d)
{
	int sv[2], ok = 0, up = 0;
	char why[TB_LINKCTL_LINE_MAX];
	memset(k, 0, sizeof *k);
	k->fd = -1;
	if (!ifname || !ifname_ok(ifname)) {
		snprintf(k->why, sizeof k->why, "'%s' is not an interface name", ifname ? ifname : "");
		return tb_diag_set(d, TB_E_CONFIG, "%s", k->why);
	}
	snprintf(k->ifname, sizeof k->ifname, "%s", ifname);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(k->why, sizeof k->why, "socketpair: %s", strerror(errno));
		return tb_diag_set(d, TB_E_IO, "%s", k->why);
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(k->why, sizeof k->why, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return tb_diag_set(d, TB_E_IO, "%s", k->why);
	}
	if (pid == 0) {
		close(sv[0]);
		keeper_main(sv[1], parent, ifname, drop_user);
	}
	close(sv[1]);
	k->fd = sv[0];
	k->pid = pid;
	struct tb_diag d2 = { 0 };
	enum tb_err e = read_reply(k->fd, tb_now_ms() + HELLO_MS, &ok, &up, why, sizeof why, &d2);
	if (e != TB_OK || !ok) {
		snprintf(k->why, sizeof k->why, "the link keeper for %s did not start: %.200s", ifname,
			 e != TB_OK ? d2.msg : why);
		tb_linkctl_stop(k);
		return tb_diag_set(d, TB_E_IO, "%s", k->why);
	}
	return TB_OK;
}

/* ---- the run's keeper ----------------------------------------------------------- */

static struct tb_linkctl run_keeper = { .fd = -1 };
static int run_have;

void tb_linkctl_run_begin(int intrusive, const char *ifname, const char *drop_user)
{
	struct tb_diag d = { 0 };
	run_have = 0;
	memset(&run_keeper, 0, sizeof run_keeper);
	run_keeper.fd = -1;
	if (!intrusive)
		snprintf(run_keeper.why, sizeof run_keeper.why,
			 "lab.intrusive is false: the uplink is not cut");
	else if (!ifname || !*ifname)
		snprintf(run_keeper.why, sizeof run_keeper.why,
			 "the profile declares no lab.uplink.interface: nothing to cut");
	else
		run_have = tb_linkctl_start(&run_keeper, ifname, drop_user, &d) == TB_OK;
}

struct tb_linkctl *tb_linkctl_run(const char **why)
{
	if (why)
		*why = run_keeper.why[0] ? run_keeper.why : "no link keeper was started for this run";
	return run_have ? &run_keeper : NULL;
}

void tb_linkctl_run_end(void)
{
	if (run_have)
		tb_linkctl_stop(&run_keeper);
	run_have = 0;
}
