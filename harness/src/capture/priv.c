/* priv.c: privilege drop (see priv.h). */
#define _GNU_SOURCE
#include "capture/priv.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_USER "nobody"

static int caps_clear(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];
	memset(c, 0, sizeof c);
	return (int)syscall(SYS_capset, &h, c);
}

static int caps_empty(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];
	if (syscall(SYS_capget, &h, c) != 0)
		return 0;
	return !(c[0].effective | c[1].effective | c[0].permitted | c[1].permitted);
}

/* Try to raise CAP_NET_RAW again: must fail. */
static int caps_can_regain(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];
	memset(c, 0, sizeof c);
	c[0].effective = c[0].permitted = 1u << CAP_NET_RAW;
	if (syscall(SYS_capset, &h, c) == 0) {
		caps_clear();
		return 1;
	}
	return 0;
}

static int drop_all_caps(void)
{
	/* The bounding set first: it needs CAP_SETPCAP, which goes next. */
	for (int cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL && errno != EPERM)
			return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return caps_clear();
}

/* Is uid mapped in this process's user namespace? */
static int uid_mapped(uid_t uid)
{
	FILE *f = fopen("/proc/self/uid_map", "r");
	unsigned long in, out, count;
	int found = 0;
	if (!f)
		return 1; /* no user namespaces: every uid exists */
	while (fscanf(f, "%lu %lu %lu", &in, &out, &count) == 3)
		if (uid >= in && uid - in < count)
			found = 1;
	fclose(f);
	return found;
}

static unsigned long outer_uid(void)
{
	FILE *f = fopen("/proc/self/uid_map", "r");
	unsigned long in, out = 0, count;
	if (f) {
		while (fscanf(f, "%lu %lu %lu", &in, &out, &count) == 3)
			if (in == 0)
				break;
		fclose(f);
	}
	return out;
}

/* Real root (not namespace root) with a user to switch to. */
static int switches_user(const struct passwd *pw)
{
	return geteuid() == 0 && pw && uid_mapped(pw->pw_uid) && uid_mapped(0) && outer_uid() == 0;
}

int tb_priv_switch_target(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(user && *user ? user : DEFAULT_USER);
	if (!switches_user(pw) || pw->pw_uid == 0)
		return 0;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 1;
}

enum tb_err tb_priv_drop(const char *user, const char *const *own, char *desc, size_t cap,
			 struct tb_diag *d)
{
	if (geteuid() != 0) {
		if (drop_all_caps() != 0 || !caps_empty())
			return tb_diag_set(d, TB_E_IO, "cannot drop capabilities: %s", strerror(errno));
		snprintf(desc, cap, "not root (uid %u): capabilities dropped", (unsigned)geteuid());
		return TB_OK;
	}
	const char *name = user && *user ? user : DEFAULT_USER;
	struct passwd *pw = getpwnam(name);
	if (!pw)
		return tb_diag_set(
			d, TB_E_CONFIG,
			"running as root, but there is no user '%s' to drop to (pass --user NAME)",
			name);
	if (!switches_user(pw)) {
		/* Namespace root: uid 0 here is the invoking user outside. */
		if (drop_all_caps() != 0 || !caps_empty() || caps_can_regain())
			return tb_diag_set(d, TB_E_IO, "cannot drop capabilities: %s", strerror(errno));
		snprintf(desc, cap,
			 "user-namespace root (host uid %lu): all capabilities dropped, no_new_privs "
			 "set; "
			 "'%s' is not mapped in this namespace",
			 outer_uid(), name);
		return TB_OK;
	}
	for (const char *const *p = own; p && *p; p++)
		if (chown(*p, pw->pw_uid, pw->pw_gid) != 0)
			return tb_diag_set(d, TB_E_IO, "cannot hand %s to %s: %s", *p, name,
					   strerror(errno));
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
		return tb_diag_set(d, TB_E_IO, "cannot switch to user %s: %s", name, strerror(errno));
	if (pw->pw_uid == 0 || setuid(0) == 0 || geteuid() == 0 || getuid() == 0)
		return tb_diag_set(d, TB_E_IO, "root could be regained after switching to %s", name);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !caps_empty())
		return tb_diag_set(d, TB_E_IO, "capabilities remain after switching to %s", name);
	snprintf(desc, cap, "root dropped to user %s (uid %u, gid %u) after opening the capture", name,
		 (unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
	return TB_OK;
}
