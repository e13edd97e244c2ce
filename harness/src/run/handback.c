/* handback.c: give a root run's output back to the invoking user (see handback.h). */
#define _GNU_SOURCE
#include "run/handback.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result/result.h"
#include "result/verdict.h"

#define WALK_DEPTH_MAX 16
#define WALK_ENTRIES_MAX 1000000UL /* a run writes a few hundred */
#define JUNIT_MAX ((size_t)64 << 20)

static int parse_id(const char *s, unsigned long *out)
{
	char *end = NULL;
	if (!s || !*s)
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v >= (unsigned long)(uid_t)-1)
		return -1;
	*out = v;
	return 0;
}

void tb_invoker(struct tb_owner *o)
{
	unsigned long u, g;
	o->uid = getuid();
	o->gid = getgid();
	if (getuid() != 0)
		return; /* SUDO_* only mean something to a process sudo made root */
	if (parse_id(getenv("SUDO_UID"), &u) == 0 && parse_id(getenv("SUDO_GID"), &g) == 0) {
		o->uid = (uid_t)u;
		o->gid = (gid_t)g;
	}
}

struct walk {
	uid_t from;
	const struct tb_owner *to;
	dev_t dev;
	unsigned long entries, changed;
	struct tb_diag *d;
};

/* Change the owner of the object behind fd (an O_PATH handle) if it is
 * ours to change: owned by the drop user, a directory or a regular file
 * with one link (a hard link could point at a file elsewhere). */
static enum tb_err give(struct walk *w, int fd, const struct stat *st, const char *name)
{
	if (st->st_uid != w->from)
		return TB_OK;
	if (!S_ISDIR(st->st_mode) && !(S_ISREG(st->st_mode) && st->st_nlink == 1))
		return TB_OK;
	if (fchownat(fd, "", w->to->uid, w->to->gid, AT_EMPTY_PATH) != 0)
		return tb_diag_set(w->d, TB_E_IO, "cannot hand %s back to uid %u: %s", name,
				   (unsigned)w->to->uid, strerror(errno));
	w->changed++;
	return TB_OK;
}

static enum tb_err walk_dir(struct walk *w, int dirfd, const char *name, int depth);

/* One entry of a directory: opened without following a symlink, checked
 * and changed through that one handle. */
static enum tb_err walk_entry(struct walk *w, int dirfd, const char *name, int depth)
{
	struct stat st;
	if (++w->entries > WALK_ENTRIES_MAX)
		return tb_diag_set(w->d, TB_E_TOOBIG, "more than %lu files in the output directory",
				   WALK_ENTRIES_MAX);
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? TB_OK
				       : tb_diag_set(w->d, TB_E_IO, "%s: %s", name, strerror(errno));
	enum tb_err e = TB_OK;
	if (fstat(fd, &st) != 0) {
		e = tb_diag_set(w->d, TB_E_IO, "%s: %s", name, strerror(errno));
	} else if (S_ISDIR(st.st_mode) && st.st_dev == w->dev) {
		if (depth >= WALK_DEPTH_MAX)
			e = tb_diag_set(w->d, TB_E_TOOBIG, "%s: nested deeper than %d", name,
					WALK_DEPTH_MAX);
		else
			e = walk_dir(w, fd, name, depth + 1);
		if (!e)
			e = give(w, fd, &st, name);
	} else if (!S_ISDIR(st.st_mode)) {
		e = give(w, fd, &st, name);
	}
	close(fd);
	return e;
}

/* The entries of the directory behind pathfd (an O_PATH handle). */
static enum tb_err walk_dir(struct walk *w, int pathfd, const char *name, int depth)
{
	int fd = openat(pathfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dp) {
		if (fd >= 0)
			close(fd);
		return tb_diag_set(w->d, TB_E_IO, "%s: %s", name, strerror(errno));
	}
	enum tb_err e = TB_OK;
	struct dirent *de;
	while (!e && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		e = walk_entry(w, dirfd(dp), de->d_name, depth);
	}
	closedir(dp);
	return e;
}

enum tb_err tb_handback_tree(const char *dir, uid_t from_uid, const struct tb_owner *to,
			     unsigned long *changed, struct tb_diag *d)
{
	struct walk w = { .from = from_uid, .to = to, .d = d };
	struct stat st;
	int fd = open(dir, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return tb_diag_set(d, TB_E_IO, "%s: %s", dir, strerror(errno));
	enum tb_err e = TB_OK;
	if (fstat(fd, &st) != 0) {
		e = tb_diag_set(d, TB_E_IO, "%s: %s", dir, strerror(errno));
	} else {
		w.dev = st.st_dev;
		e = walk_dir(&w, fd, dir, 0);
		if (!e)
			e = give(&w, fd, &st, dir);
	}
	close(fd);
	if (changed)
		*changed = w.changed;
	return e;
}

static volatile pid_t guarded;

static void forward(int sig)
{
	(void)sig;
	if (guarded > 0)
		kill(guarded, SIGTERM); /* the run ends with a partial report */
}

static int wait_for(pid_t child)
{
	struct sigaction sa = { .sa_handler = forward };
	sigemptyset(&sa.sa_mask);
	guarded = child;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	guarded = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	fprintf(stderr, "trustbench: the run was killed by signal %d; its report is partial\n",
		WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return TB_EXIT_UNDECIDED;
}

/* For good: the guard has nothing left to do as root. */
static int become(const struct tb_owner *to)
{
	if (setgroups(0, NULL) != 0 || setgid(to->gid) != 0 || setuid(to->uid) != 0)
		return -1;
	return 0;
}

/* Copy the staged JUnit file (now the invoker's) to where it was asked for,
 * as the invoker, so it can land only where the invoker may write. */
static enum tb_err move_junit(const char *staged, const char *dest, struct tb_diag *d)
{
	struct stat st;
	int fd = open(staged, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return tb_diag_set(d, TB_E_IO, "%s: %s", staged, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > JUNIT_MAX) {
		close(fd);
		return tb_diag_set(d, TB_E_FORMAT, "%s: not a regular file of at most 64 MiB", staged);
	}
	char *buf = tb_xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	ssize_t r;
	while (got < (size_t)st.st_size && (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	enum tb_err e = tb_write_atomic(dest, buf, got, d);
	free(buf);
	if (!e)
		unlink(staged);
	return e;
}

int tb_guard_finish(pid_t child, const char *outdir, uid_t drop_uid, const struct tb_owner *to,
		    const char *staged_junit, const char *junit_path)
{
	struct tb_diag d = { 0 };
	unsigned long n = 0;
	int rc = wait_for(child);
	if (tb_handback_tree(outdir, drop_uid, to, &n, &d) != TB_OK)
		fprintf(stderr, "trustbench: warning: %s is not all yours: %s\n", outdir, d.msg);
	if (become(to) != 0) {
		fprintf(stderr,
			"trustbench: warning: cannot switch to uid %u to write the JUnit file: %s\n",
			(unsigned)to->uid, strerror(errno));
		return rc;
	}
	if (rc == TB_EXIT_USAGE && staged_junit && access(staged_junit, F_OK) != 0)
		return rc; /* the run refused to start: there is no JUnit file to move */
	if (staged_junit && junit_path && move_junit(staged_junit, junit_path, &d) != TB_OK)
		fprintf(stderr, "trustbench: warning: no JUnit file at %s: %s\n", junit_path, d.msg);
	return rc;
}
