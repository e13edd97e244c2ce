/* check_linkctl.c: the link keeper's command protocol (encode and decode,
 * nothing but the three exact commands), its dispatch against a fake
 * interface, and the keeper itself: it refuses a name that is not an
 * interface and an interface that does not exist, and (in a network
 * namespace of its own, when the test may make one) cuts, reports and
 * restores its one interface, and restores it when its harness goes away. */
#define _GNU_SOURCE
#include <check.h>
#include <stdlib.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/linkctl.h"
#include "suites.h"

START_TEST(commands_encode_and_decode_exactly)
{
	char b[TB_LINKCTL_LINE_MAX];
	enum tb_link_cmd c;
	ck_assert_uint_eq(tb_linkctl_encode_cmd(TB_LINK_CUT, b, sizeof b), 4);
	ck_assert_str_eq(b, "cut\n");
	ck_assert_int_eq(tb_linkctl_decode_cmd(b, 4, &c), 0);
	ck_assert_int_eq(c, TB_LINK_CUT);
	ck_assert_uint_eq(tb_linkctl_encode_cmd(TB_LINK_RESTORE, b, sizeof b), 8);
	ck_assert_int_eq(tb_linkctl_decode_cmd(b, 8, &c), 0);
	ck_assert_int_eq(c, TB_LINK_RESTORE);
	ck_assert_uint_eq(tb_linkctl_encode_cmd(TB_LINK_STATE, b, sizeof b), 6);
	ck_assert_int_eq(tb_linkctl_decode_cmd(b, 6, &c), 0);
	ck_assert_int_eq(c, TB_LINK_STATE);
	ck_assert_uint_eq(tb_linkctl_encode_cmd(TB_LINK_CUT, b, 4), 0); /* no room for the NUL */
	ck_assert_uint_eq(tb_linkctl_encode_cmd((enum tb_link_cmd)7, b, sizeof b), 0);
	/* Anything else is refused: other interfaces, extra bytes, case, NULs. */
	static const char *const bad[] = { "cut eth0\n", "cut\n\n",   "cut",      "CUT\n",
					   "cut\r\n",    "restore",   "state \n", "",
					   "up\n",       "down lo\n", "cut\0\n",  "restore tb-cld0\n" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t n = i == 10 ? 5 : strlen(bad[i]);
		ck_assert_msg(tb_linkctl_decode_cmd(bad[i], n, &c) == -1, "accepted '%s'", bad[i]);
	}
}
END_TEST

START_TEST(replies_encode_and_decode)
{
	char b[TB_LINKCTL_LINE_MAX], why[TB_LINKCTL_LINE_MAX];
	int ok = -1, up = -1;
	size_t n = tb_linkctl_encode_reply(1, 1, NULL, b, sizeof b);
	ck_assert_str_eq(b, "ok up\n");
	ck_assert_int_eq(tb_linkctl_decode_reply(b, n, &ok, &up, why, sizeof why), 0);
	ck_assert(ok == 1 && up == 1);
	n = tb_linkctl_encode_reply(1, 0, NULL, b, sizeof b);
	ck_assert_str_eq(b, "ok down\n");
	ck_assert_int_eq(tb_linkctl_decode_reply(b, n, &ok, &up, why, sizeof why), 0);
	ck_assert(ok == 1 && up == 0);
	/* An error's reason: printable, one line, cut to fit. */
	char longwhy[300];
	memset(longwhy, 'x', sizeof longwhy - 1);
	longwhy[sizeof longwhy - 1] = '\0';
	longwhy[3] = '\n';
	n = tb_linkctl_encode_reply(0, 0, longwhy, b, sizeof b);
	ck_assert_uint_le(n, TB_LINKCTL_LINE_MAX - 1);
	ck_assert_ptr_eq(memchr(b, '\n', n - 1), NULL);
	ck_assert_int_eq(tb_linkctl_decode_reply(b, n, &ok, &up, why, sizeof why), 0);
	ck_assert_int_eq(ok, 0);
	ck_assert_uint_eq(strlen(why), TB_LINKCTL_LINE_MAX - 6); /* "err " and "\n" around it */
	ck_assert(why[3] == '?' && why[2] == 'x' && why[4] == 'x');
	ck_assert_uint_eq(tb_linkctl_encode_reply(0, 0, "x", b, 10), 0); /* too small */
	static const char *const bad[] = { "ok\n",   "ok up",          "ok sideways\n",
					   "err \n", "ok up\nok up\n", "OK up\n",
					   "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(tb_linkctl_decode_reply(bad[i], strlen(bad[i]), &ok, &up, why,
						      sizeof why) == -1,
			      "accepted '%s'", bad[i]);
}
END_TEST

struct fake_if {
	int up, fail_set;
	unsigned sets;
};

static int fake_get(void *arg, int *up)
{
	*up = ((struct fake_if *)arg)->up;
	return 0;
}

static int fake_set(void *arg, int up)
{
	struct fake_if *f = arg;
	f->sets++;
	if (f->fail_set)
		return -1; /* -EPERM */
	f->up = up;
	return 0;
}

static const char *serve(struct fake_if *f, const char *line, int *cut)
{
	static char out[TB_LINKCTL_LINE_MAX];
	struct tb_linkctl_ops ops = { fake_get, fake_set, f };
	tb_linkctl_serve_line(&ops, line, strlen(line), cut, out, sizeof out);
	return out;
}

START_TEST(the_keeper_does_only_the_three_commands)
{
	struct fake_if f = { .up = 1 };
	int cut = 0;
	ck_assert_str_eq(serve(&f, "state\n", &cut), "ok up\n");
	ck_assert_uint_eq(f.sets, 0);
	ck_assert_str_eq(serve(&f, "cut\n", &cut), "ok down\n");
	ck_assert(f.up == 0 && cut == 1);
	ck_assert_str_eq(serve(&f, "restore\n", &cut), "ok up\n");
	ck_assert(f.up == 1 && cut == 0);
	/* Another interface, another verb: refused, nothing touched. */
	unsigned sets = f.sets;
	ck_assert_str_eq(serve(&f, "cut eth0\n", &cut), "err refused: only cut, restore and state\n");
	ck_assert_str_eq(serve(&f, "restore lo\n", &cut), "err refused: only cut, restore and state\n");
	ck_assert_str_eq(serve(&f, "down\n", &cut), "err refused: only cut, restore and state\n");
	ck_assert_uint_eq(f.sets, sets);
	ck_assert(f.up == 1 && cut == 0);
	/* A failing ioctl is an error reply, and the link is not taken as cut. */
	f.fail_set = 1;
	ck_assert_str_eq(serve(&f, "cut\n", &cut), "err Operation not permitted\n");
	ck_assert_int_eq(cut, 0);
}
END_TEST

START_TEST(the_keeper_refuses_what_is_not_its_interface)
{
	struct tb_linkctl k;
	struct tb_diag d = { 0 };
	static const char *const names[] = {
		"", "../../etc", "eth0 lo", "a:b", "abcdefghijklmnopq", "."
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		ck_assert_int_eq(tb_linkctl_start(&k, names[i], NULL, &d), TB_E_CONFIG);
		ck_assert_int_eq(k.fd, -1);
		ck_assert_int_eq(k.pid, 0);
	}
	ck_assert_int_eq(tb_linkctl_start(&k, "tb-nosuch9", NULL, &d), TB_E_IO);
	ck_assert_int_eq(k.fd, -1);
	ck_assert_msg(strstr(k.why, "no such interface: tb-nosuch9") ||
			      strstr(k.why, "no CAP_NET_ADMIN"),
		      "%s", k.why);
	/* No keeper: every command fails at once. */
	ck_assert_int_eq(tb_linkctl_cut(&k, 100, &d), TB_E_IO);
	int up;
	ck_assert_int_eq(tb_linkctl_state(NULL, &up, 100, &d), TB_E_IO);
}
END_TEST

static int lo_up(void)
{
	struct ifreq r;
	memset(&r, 0, sizeof r);
	strcpy(r.ifr_name, "lo");
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	int e = ioctl(s, SIOCGIFFLAGS, &r);
	close(s);
	return e == 0 && (r.ifr_flags & IFF_UP);
}

/* In a child with a network namespace of its own: the keeper on its "lo".
 * Exit codes: 0 passed, 77 no namespace to be had, else the failed step. */
static int keeper_in_netns(void)
{
	if (unshare(CLONE_NEWNET) != 0)
		return 77;
	struct tb_linkctl k;
	struct tb_diag d = { 0 };
	int up = -1;
	if (tb_linkctl_start(&k, "lo", NULL, &d) != TB_OK)
		return 77; /* no CAP_NET_ADMIN here */
	if (tb_linkctl_state(&k, &up, 2000, &d) != TB_OK || up)
		return 2; /* a new namespace's lo starts down */
	if (tb_linkctl_restore(&k, 2000, &d) != TB_OK || !lo_up())
		return 3;
	if (tb_linkctl_cut(&k, 2000, &d) != TB_OK || lo_up())
		return 4;
	if (tb_linkctl_state(&k, &up, 2000, &d) != TB_OK || up)
		return 5;
	/* The harness goes away mid-outage: the keeper puts the link back. */
	tb_linkctl_stop(&k);
	if (!lo_up())
		return 6;
	/* And a keeper told to cut then SIGTERMed (its parent died) too. */
	if (tb_linkctl_start(&k, "lo", NULL, &d) != TB_OK || tb_linkctl_cut(&k, 2000, &d) != TB_OK)
		return 7;
	kill(k.pid, SIGTERM);
	waitpid(k.pid, NULL, 0);
	k.pid = 0;
	tb_linkctl_stop(&k);
	return lo_up() ? 0 : 8;
}

/* The harness dies mid-outage while another process (the capture writer,
 * in a run) still holds its end of the socket: no EOF reaches the keeper,
 * only the parent-death signal, which must survive the keeper's switch to
 * the drop user.  In a namespace of its own; exit codes as above. */
static int keeper_orphaned(void)
{
	int res[2];
	if (unshare(CLONE_NEWNET) != 0 || pipe(res) != 0)
		return 77;
	pid_t harness = fork();
	if (harness == 0) {
		struct tb_linkctl k;
		struct tb_diag d = { 0 };
		close(res[0]);
		if (tb_linkctl_start(&k, "lo", NULL, &d) != TB_OK)
			_exit(77);
		if (tb_linkctl_restore(&k, 2000, &d) != TB_OK || tb_linkctl_cut(&k, 2000, &d) != TB_OK)
			_exit(2);
		if (fork() == 0) { /* the writer: holds the socket, reports lo's state */
			usleep(500 * 1000);
			char c = lo_up() ? 'u' : 'd';
			(void)!write(res[1], &c, 1);
			_exit(0);
		}
		_exit(0); /* killed mid-outage */
	}
	close(res[1]);
	int st = 0;
	waitpid(harness, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	char c = 0;
	if (read(res[0], &c, 1) != 1)
		return 4;
	return c == 'u' ? 0 : 5;
}

START_TEST(the_keeper_restores_when_its_harness_dies)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(keeper_orphaned());
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77 && !getenv("TB_TEST_NEED_NETNS"))
		return;
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(the_keeper_cuts_and_restores_its_interface)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(keeper_in_netns());
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77 && !getenv("TB_TEST_NEED_NETNS"))
		return; /* no namespace or capability here: the pure tests above stand */
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

Suite *linkctl_suite(void)
{
	Suite *s = suite_create("linkctl");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, commands_encode_and_decode_exactly);
	tcase_add_test(tc, replies_encode_and_decode);
	tcase_add_test(tc, the_keeper_does_only_the_three_commands);
	tcase_add_test(tc, the_keeper_refuses_what_is_not_its_interface);
	tcase_add_test(tc, the_keeper_cuts_and_restores_its_interface);
	tcase_add_test(tc, the_keeper_restores_when_its_harness_dies);
	suite_add_tcase(s, tc);
	return s;
}
