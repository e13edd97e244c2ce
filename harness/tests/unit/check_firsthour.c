/* check_firsthour.c: unit tests for mkdir -p of --out, the hand-back of a
 * root run's output to the invoking user, and --only reports against a
 * policy that needs the full suite. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/handback.h"
#include "base/mkdirs.h"
#include "trust/policy.h"
#include "trust/verify.h"
#include "suites.h"

static char base[64];

static void make_base(void)
{
	snprintf(base, sizeof base, "/tmp/tb-firsthour-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static void remove_base(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	ck_assert_int_eq(system(cmd), 0);
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void path(char *out, size_t cap, const char *rel)
{
	snprintf(out, cap, "%s/%s", base, rel);
}

START_TEST(mkdirs_creates_parents)
{
	char p[256];
	struct tb_made_dirs made;
	struct tb_diag d = { 0 };
	make_base();
	path(p, sizeof p, "a/b//c/");
	ck_assert_int_eq(tb_mkdirs(p, 0755, &made, &d), TB_OK);
	ck_assert(is_dir(p));
	ck_assert_uint_eq(made.n, 3); /* a, a/b, a/b//c */
	/* Again: everything exists, nothing is created, no error. */
	struct tb_made_dirs again;
	ck_assert_int_eq(tb_mkdirs(p, 0755, &again, &d), TB_OK);
	ck_assert_uint_eq(again.n, 0);
	/* Undo takes away exactly what the first call made. */
	tb_made_dirs_undo(&made);
	tb_made_dirs_free(&made);
	path(p, sizeof p, "a");
	ck_assert(!is_dir(p));
	ck_assert(is_dir(base));
	remove_base();
}
END_TEST

START_TEST(mkdirs_file_in_the_way)
{
	char p[256], f[256];
	struct tb_made_dirs made;
	struct tb_diag d = { 0 };
	make_base();
	path(f, sizeof f, "x/file");
	path(p, sizeof p, "x");
	ck_assert_int_eq(mkdir(p, 0755), 0);
	FILE *fp = fopen(f, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	path(p, sizeof p, "x/file/y/z");
	ck_assert_int_ne(tb_mkdirs(p, 0755, &made, &d), TB_OK);
	ck_assert_msg(strstr(d.msg, "x/file exists and is not a directory") != NULL, "%s", d.msg);
	ck_assert_uint_eq(made.n, 0);
	/* Parents made on the way are taken back when a later part fails
	 * (here a name longer than NAME_MAX). */
	char longname[300], lp[512];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	snprintf(lp, sizeof lp, "%s/n0/n1/%s/z", base, longname);
	ck_assert_int_ne(tb_mkdirs(lp, 0755, &made, &d), TB_OK);
	ck_assert_msg(strstr(d.msg, "cannot create its parent") != NULL, "%s", d.msg);
	path(p, sizeof p, "n0");
	ck_assert_msg(!is_dir(p), "n0 was left behind after a failure");
	ck_assert_int_ne(tb_mkdirs("", 0755, NULL, &d), TB_OK);
	remove_base();
}
END_TEST

START_TEST(invoker_from_sudo)
{
	struct tb_owner o;
	setenv("SUDO_UID", "4242", 1);
	setenv("SUDO_GID", "4343", 1);
	tb_invoker(&o);
	if (getuid() == 0) {
		ck_assert_uint_eq(o.uid, 4242);
		ck_assert_uint_eq(o.gid, 4343);
	} else {
		ck_assert_uint_eq(o.uid, getuid()); /* SUDO_* mean nothing when not root */
	}
	static const char *const bad[] = { "", "12x", "-1", "99999999999999999999", NULL };
	for (const char *const *b = bad; *b; b++) {
		setenv("SUDO_UID", *b, 1);
		tb_invoker(&o);
		ck_assert_msg(o.uid == getuid() && o.gid == getgid(), "SUDO_UID='%s' was taken", *b);
	}
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	tb_invoker(&o);
	ck_assert_uint_eq(o.uid, getuid());
}
END_TEST

static void touch_as(const char *rel, uid_t uid)
{
	char p[256];
	path(p, sizeof p, rel);
	FILE *fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(lchown(p, uid, uid), 0);
}

static uid_t owner(const char *rel)
{
	char p[256];
	struct stat st;
	path(p, sizeof p, rel);
	ck_assert_int_eq(lstat(p, &st), 0);
	return st.st_uid;
}

START_TEST(handback_tree_is_careful)
{
	if (geteuid() != 0)
		return; /* chown needs root: covered where the tests run as root */
	const uid_t drop = 65534, other = 4444;
	const struct tb_owner to = { 4242, 4343 };
	char p[256], q[256];
	unsigned long n = 0;
	struct tb_diag d = { 0 };
	make_base();
	path(p, sizeof p, "out/evidence/5.6-1-2");
	ck_assert_int_eq(tb_mkdirs(p, 0755, NULL, &d), TB_OK);
	path(p, sizeof p, "out");
	ck_assert_int_eq(chown(p, drop, drop), 0);
	path(p, sizeof p, "out/evidence");
	ck_assert_int_eq(chown(p, drop, drop), 0);
	path(p, sizeof p, "out/evidence/5.6-1-2");
	ck_assert_int_eq(chown(p, drop, drop), 0);
	touch_as("out/report.xml", drop);
	touch_as("out/evidence/5.6-1-2/open-ports.tsv", drop);
	touch_as("out/someone-elses", other); /* not the drop user's: stays */
	touch_as("outside", drop);            /* outside --out */
	path(p, sizeof p, "outside");
	path(q, sizeof q, "out/evidence/link");
	ck_assert_int_eq(symlink(p, q), 0); /* a symlink out: not followed */
	ck_assert_int_eq(lchown(q, drop, drop), 0);
	path(q, sizeof q, "out/hard");
	ck_assert_int_eq(link(p, q), 0); /* a hard link: not taken */
	path(p, sizeof p, "out");
	ck_assert_int_eq(tb_handback_tree(p, drop, &to, &n, &d), TB_OK);
	ck_assert_uint_eq(owner("out"), 4242);
	ck_assert_uint_eq(owner("out/report.xml"), 4242);
	ck_assert_uint_eq(owner("out/evidence"), 4242);
	ck_assert_uint_eq(owner("out/evidence/5.6-1-2/open-ports.tsv"), 4242);
	ck_assert_uint_eq(owner("out/someone-elses"), other);
	ck_assert_uint_eq(owner("outside"), drop);
	ck_assert_uint_eq(owner("out/evidence/link"), drop);
	ck_assert_uint_eq(n, 5);
	/* A symlink as the directory itself is refused. */
	path(q, sizeof q, "outlink");
	ck_assert_int_eq(symlink(p, q), 0);
	ck_assert_int_ne(tb_handback_tree(q, drop, &to, &n, &d), TB_OK);
	remove_base();
}
END_TEST

/* A --only run's report: total-cases counts the 2 selected, suite-cases
 * the suite's 109.  A policy that needs the full suite must not be met. */
static const char only_report[] =
	"<?xml version=\"1.0\"?>\n"
	"<report xmlns=\"urn:trustbench:report:1\" status=\"complete\" total-cases=\"2\" "
	"completed-cases=\"2\">\n"
	" <run started=\"2026-11-20T10:00:00Z\" finished=\"2026-11-20T10:05:00Z\" selection=\"only\" "
	"suite-cases=\"109\" selected-cases=\"2\"><selected case=\"a-1\"/><selected "
	"case=\"b-1\"/></run>\n"
	" <assessor role=\"lab\" name=\"Lab\"/>\n"
	" <results>\n"
	"  <result id=\"a-1\" verdict=\"pass\"><reason>fine</reason></result>\n"
	"  <result id=\"b-1\" verdict=\"pass\"><reason>fine</reason></result>\n"
	" </results>\n"
	" <summary/>\n"
	"</report>\n";

START_TEST(only_run_is_not_the_full_suite)
{
	struct tb_facts f;
	struct tb_diag d = { 0 };
	struct tb_policy p;
	struct tb_pverdict v;
	memset(&p, 0, sizeof p);
	p.self_assessment = 1;
	ck_assert_int_eq(tb_facts_read("r.xml", only_report, strlen(only_report), &f, &d), TB_OK);
	p.full_suite = 1;
	tb_policy_eval(&p, &f, 0, &v);
	ck_assert_int_eq(v.met, 0);
	ck_assert_msg(v.nreasons >= 1 && strstr(v.reasons[0], "only 2 of the suite's 109") != NULL,
		      "%s", v.nreasons ? v.reasons[0] : "(no reason)");
	p.full_suite = 0;
	tb_policy_eval(&p, &f, 0, &v);
	ck_assert_int_eq(v.met, 1);
	tb_facts_cleanup(&f);
}
END_TEST

Suite *firsthour_suite(void)
{
	Suite *s = suite_create("firsthour");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, mkdirs_creates_parents);
	tcase_add_test(tc, mkdirs_file_in_the_way);
	tcase_add_test(tc, invoker_from_sudo);
	tcase_add_test(tc, handback_tree_is_careful);
	tcase_add_test(tc, only_run_is_not_the_full_suite);
	suite_add_tcase(s, tc);
	return s;
}
