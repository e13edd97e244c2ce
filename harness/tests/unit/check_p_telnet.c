/* check_p_telnet.c: unit tests for the Telnet filter and prompt classifier. */
#include <check.h>
#include <string.h>

#include "proto/p_ascii.h"
#include "proto/p_telnet.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

struct run {
	enum tb_err err;
	size_t dn, rn;
	uint8_t data[512], reply[128];
};

static void filter_all(const uint8_t *in, size_t n, struct run *o)
{
	struct tb_telnet_state st;

	tb_p_telnet_init(&st);
	memset(o, 0, sizeof(*o));
	o->err = tb_p_telnet_filter(&st, in, n, o->data, sizeof(o->data), &o->dn, o->reply,
				    sizeof(o->reply), &o->rn);
}

/* A busybox telnetd greeting: IAC DO ECHO, IAC DO NAWS, IAC WILL ECHO,
 * IAC WILL SGA, then the banner and login prompt. */
static const char greeting[] =
	"\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03"
	"\r\n\r\nipcam login: ";

START_TEST(busybox_greeting_refused)
{
	struct run o;
	static const uint8_t want_reply[] = {
		0xff, 0xfc, 0x01, 0xff, 0xfc, 0x1f, 0xff, 0xfe, 0x01, 0xff, 0xfe, 0x03,
	};

	filter_all(S(greeting), &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.rn, sizeof(want_reply));
	ck_assert_mem_eq(o.reply, want_reply, sizeof(want_reply));
	ck_assert_uint_eq(o.dn, 17);
	ck_assert_mem_eq(o.data, "\r\n\r\nipcam login: ", 17);
	ck_assert_int_eq(tb_p_telnet_prompt(o.data, o.dn), TB_TN_LOGIN);
}
END_TEST

START_TEST(iac_iac_is_one_ff)
{
	struct run o;

	filter_all(S("a\xff\xff"
		     "b\xff\xff\xff\xff"),
		   &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.dn, 5);
	ck_assert_mem_eq(o.data,
			 "a\xff"
			 "b\xff\xff",
			 5);
	ck_assert_uint_eq(o.rn, 0);
}
END_TEST

START_TEST(cr_nul_dropped_crlf_kept)
{
	struct run o;

	filter_all(S("a\r\0b\r\nc\0d\r\r\0"), &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.dn, 10);
	ck_assert_mem_eq(o.data, "a\rb\r\nc\0d\r\r", 10);
}
END_TEST

START_TEST(dont_wont_no_reply)
{
	struct run o;

	filter_all(S("\xff\xfe\x01x\xff\xfc\x03y"), &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.rn, 0);
	ck_assert_uint_eq(o.dn, 2);
	ck_assert_mem_eq(o.data, "xy", 2);
}
END_TEST

START_TEST(other_commands_dropped)
{
	struct run o;

	/* NOP, GA, AYT, stray SE, DM */
	filter_all(S("a\xff\xf1"
		     "b\xff\xf9"
		     "c\xff\xf6"
		     "d\xff\xf0"
		     "e\xff\xf2"),
		   &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.dn, 5);
	ck_assert_mem_eq(o.data, "abcde", 5);
	ck_assert_uint_eq(o.rn, 0);
}
END_TEST

START_TEST(subnegotiation_skipped)
{
	struct run o;

	/* TERMINAL-TYPE SEND, with an escaped IAC and a fake DO inside. */
	filter_all(S("a\xff\xfa\x18\x01\xff\xff\xfd\x01\xff\xf0"
		     "b"),
		   &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.dn, 2);
	ck_assert_mem_eq(o.data, "ab", 2);
	ck_assert_uint_eq(o.rn, 0);
}
END_TEST

START_TEST(subnegotiation_bounded)
{
	uint8_t in[TB_TELNET_SB_MAX + 64];
	uint8_t data[256], reply[16];
	size_t dn, rn, n = 0;
	struct tb_telnet_state st;

	in[n++] = 0xff;
	in[n++] = 0xfa;
	memset(in + n, 'x', TB_TELNET_SB_MAX);
	n += TB_TELNET_SB_MAX;
	memcpy(in + n, "login: ", 7);
	n += 7;
	tb_p_telnet_init(&st);
	ck_assert_int_eq(tb_p_telnet_filter(&st, in, n, data, sizeof(data), &dn, reply, sizeof(reply),
					    &rn),
			 TB_OK);
	ck_assert_int_eq(st.in_sb, 0);
	ck_assert_int_eq(tb_p_telnet_prompt(data, dn), TB_TN_LOGIN);
}
END_TEST

START_TEST(unterminated_sb_then_command)
{
	struct run o;

	/* IAC SB ... IAC DO ECHO: the DO is still answered. */
	filter_all(S("\xff\xfa\x18zz\xff\xfd\x01ok"), &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.rn, 3);
	ck_assert_mem_eq(o.reply, "\xff\xfc\x01", 3);
	ck_assert_uint_eq(o.dn, 2);
	ck_assert_mem_eq(o.data, "ok", 2);
}
END_TEST

START_TEST(empty_and_null_input)
{
	struct tb_telnet_state st;
	uint8_t d[4], r[4];
	size_t dn = 99, rn = 99;

	tb_p_telnet_init(&st);
	ck_assert_int_eq(tb_p_telnet_filter(&st, NULL, 0, d, sizeof(d), &dn, r, sizeof(r), &rn), TB_OK);
	ck_assert_uint_eq(dn, 0);
	ck_assert_uint_eq(rn, 0);
	/* No output buffers at all: the first data byte is too big. */
	ck_assert_int_eq(tb_p_telnet_filter(&st, S("x"), NULL, 0, &dn, NULL, 0, &rn), TB_E_TOOBIG);
	ck_assert_uint_eq(dn, 0);
}
END_TEST

START_TEST(data_cap_guard)
{
	struct tb_telnet_state st;
	uint8_t data[6], reply[16];
	size_t dn, rn;

	memset(data, 0xa5, sizeof(data));
	tb_p_telnet_init(&st);
	ck_assert_int_eq(tb_p_telnet_filter(&st, S("hello world"), data, 5, &dn, reply, sizeof(reply),
					    &rn),
			 TB_E_TOOBIG);
	ck_assert_uint_eq(dn, 5);
	ck_assert_mem_eq(data, "hello", 5);
	ck_assert_uint_eq(data[5], 0xa5);

	/* An escaped 0xFF also respects the cap. */
	memset(data, 0xa5, sizeof(data));
	tb_p_telnet_init(&st);
	ck_assert_int_eq(tb_p_telnet_filter(&st, S("abcde\xff\xff"), data, 5, &dn, reply, sizeof(reply),
					    &rn),
			 TB_E_TOOBIG);
	ck_assert_uint_eq(dn, 5);
	ck_assert_uint_eq(data[5], 0xa5);
}
END_TEST

START_TEST(reply_cap_guard)
{
	struct tb_telnet_state st;
	uint8_t data[64], reply[5];
	size_t dn, rn;

	memset(reply, 0xa5, sizeof(reply));
	tb_p_telnet_init(&st);
	/* Room for one 3-byte reply (cap 4): the second is not half-written. */
	ck_assert_int_eq(tb_p_telnet_filter(&st, S(greeting), data, sizeof(data), &dn, reply, 4, &rn),
			 TB_E_TOOBIG);
	ck_assert_uint_eq(rn, 3);
	ck_assert_mem_eq(reply, "\xff\xfc\x01", 3);
	ck_assert_uint_eq(reply[3], 0xa5);
	ck_assert_uint_eq(reply[4], 0xa5);
	ck_assert_uint_eq(dn, 0);
}
END_TEST

START_TEST(toobig_leaves_state_resumable)
{
	struct tb_telnet_state st;
	uint8_t data[64], reply[16];
	size_t dn, rn;

	/* The first call stops at the DO's option byte; feeding that byte
	 * again with room completes the reply. */
	tb_p_telnet_init(&st);
	ck_assert_int_eq(tb_p_telnet_filter(&st, S("\xff\xfd\x18"), data, sizeof(data), &dn, reply, 2,
					    &rn),
			 TB_E_TOOBIG);
	ck_assert_uint_eq(rn, 0);
	ck_assert_int_eq(tb_p_telnet_filter(&st, S("\x18"), data, sizeof(data), &dn, reply,
					    sizeof(reply), &rn),
			 TB_OK);
	ck_assert_uint_eq(rn, 3);
	ck_assert_mem_eq(reply, "\xff\xfc\x18", 3);
}
END_TEST

/* Everything at once: negotiation, SB, IAC IAC, CR NUL, commands. */
static const char mixed[] =
	"\xff\xfd\x18\xff\xfb\x01"
	"Welcome\r\0to\r\n"
	"\xff\xfa\x18\x01\xff\xff\xff\xf0"
	"\xff\xff"
	"x\xff\xf1"
	"\xff\xfe\x22\xff\xfc\x01"
	"\xff\xfd\x1f"
	"\r\nLogin incorrect\r\nlogin: ";

START_TEST(split_at_every_offset)
{
	size_t n = sizeof(mixed) - 1, cut = (size_t)_i;
	struct run whole;
	struct tb_telnet_state st;
	uint8_t data[512], reply[128];
	size_t dn1, rn1, dn2, rn2;

	filter_all((const uint8_t *)mixed, n, &whole);
	ck_assert_int_eq(whole.err, TB_OK);
	ck_assert(cut < n);
	tb_p_telnet_init(&st);
	ck_assert_int_eq(tb_p_telnet_filter(&st, (const uint8_t *)mixed, cut, data, sizeof(data), &dn1,
					    reply, sizeof(reply), &rn1),
			 TB_OK);
	ck_assert_int_eq(tb_p_telnet_filter(&st, (const uint8_t *)mixed + cut, n - cut, data + dn1,
					    sizeof(data) - dn1, &dn2, reply + rn1, sizeof(reply) - rn1,
					    &rn2),
			 TB_OK);
	ck_assert_uint_eq(dn1 + dn2, whole.dn);
	ck_assert_uint_eq(rn1 + rn2, whole.rn);
	ck_assert_mem_eq(data, whole.data, whole.dn);
	ck_assert_mem_eq(reply, whole.reply, whole.rn);
}
END_TEST

START_TEST(mixed_whole)
{
	struct run o;

	filter_all(S(mixed), &o);
	ck_assert_int_eq(o.err, TB_OK);
	ck_assert_uint_eq(o.rn, 9);
	ck_assert_mem_eq(o.reply, "\xff\xfc\x18\xff\xfe\x01\xff\xfc\x1f", 9);
	ck_assert_uint_eq(o.dn, 40);
	ck_assert_mem_eq(o.data, "Welcome\rto\r\n\xffx\r\nLogin incorrect\r\nlogin: ", 40);
}
END_TEST

START_TEST(byte_at_a_time)
{
	struct run whole;
	struct tb_telnet_state st;
	uint8_t data[512], reply[128];
	size_t dn = 0, rn = 0, d1, r1;

	filter_all(S(mixed), &whole);
	tb_p_telnet_init(&st);
	for (size_t i = 0; i < sizeof(mixed) - 1; i++) {
		ck_assert_int_eq(tb_p_telnet_filter(&st, (const uint8_t *)mixed + i, 1, data + dn,
						    sizeof(data) - dn, &d1, reply + rn,
						    sizeof(reply) - rn, &r1),
				 TB_OK);
		dn += d1;
		rn += r1;
	}
	ck_assert_uint_eq(dn, whole.dn);
	ck_assert_uint_eq(rn, whole.rn);
	ck_assert_mem_eq(data, whole.data, dn);
	ck_assert_mem_eq(reply, whole.reply, rn);
}
END_TEST

#define PROMPT(lit) tb_p_telnet_prompt(S(lit))

START_TEST(prompt_login_variants)
{
	ck_assert_int_eq(PROMPT("\r\nBusyBox v1.31.1\r\nipcam login: "), TB_TN_LOGIN);
	ck_assert_int_eq(PROMPT("Username:"), TB_TN_LOGIN);
	ck_assert_int_eq(PROMPT("User Name:  \r\n"), TB_TN_LOGIN);
	ck_assert_int_eq(PROMPT("USER:\t"), TB_TN_LOGIN);
	ck_assert_int_eq(PROMPT("LOGIN:\r"), TB_TN_LOGIN);
	ck_assert_int_eq(PROMPT("Password: "), TB_TN_PASSWORD);
	ck_assert_int_eq(PROMPT("login: admin\r\nPassword: "), TB_TN_PASSWORD);
	ck_assert_int_eq(PROMPT("Enter PASSCODE:"), TB_TN_PASSWORD);
	/* A banner word before any prompt is not a failure. */
	ck_assert_int_eq(PROMPT("Invalid certificate warning\r\nlogin: "), TB_TN_LOGIN);
}
END_TEST

START_TEST(prompt_failed)
{
	/* busybox: the message alone, then the next prompt. */
	ck_assert_int_eq(PROMPT("ipcam login: admin\r\nPassword: \r\nLogin incorrect\r\n"),
			 TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("ipcam login: admin\r\nPassword: \r\nLogin incorrect\r\n"
				"ipcam login: "),
			 TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("Password: \r\nAccess denied\r\nPassword: "), TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("Password: \r\nLogin incorrect. login: "), TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("login: admin\r\nLogin incorrect. User Name:"), TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("Username: x\r\nPassword:\r\n% Authentication FAILED\r\n"),
			 TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("Password: \r\nBad password\r\n> "), TB_TN_FAILED);
	ck_assert_int_eq(PROMPT("login: a\r\nPassword:\r\nInvalid login\r\n"), TB_TN_FAILED);
	/* A new attempt after the failure: the old message no longer counts. */
	ck_assert_int_eq(PROMPT("Password: \r\nLogin incorrect\r\nlogin: root\r\nPassword: "),
			 TB_TN_PASSWORD);
}
END_TEST

START_TEST(prompt_shell)
{
	ck_assert_int_eq(PROMPT("login: root\r\nPassword: \r\n\r\n\r\nBusyBox v1.31.1 (2020-03-01) "
				"built-in shell (ash)\r\n\r\n~ # "),
			 TB_TN_SHELL);
	ck_assert_int_eq(PROMPT("admin@router:~$ "), TB_TN_SHELL);
	ck_assert_int_eq(PROMPT("Router>"), TB_TN_SHELL);
	ck_assert_int_eq(PROMPT("% "), TB_TN_SHELL);
	ck_assert_int_eq(PROMPT("\x1b[1;32mroot@cam\x1b[0m:/# "), TB_TN_SHELL);
	/* 65 bytes ending in '>' is not a prompt; 64 is. */
	ck_assert_int_eq(PROMPT("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx>"),
			 TB_TN_SHELL);
	ck_assert_int_eq(PROMPT("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx>"),
			 TB_TN_NONE);
}
END_TEST

START_TEST(prompt_none)
{
	ck_assert_int_eq(tb_p_telnet_prompt(NULL, 0), TB_TN_NONE);
	ck_assert_int_eq(PROMPT(""), TB_TN_NONE);
	ck_assert_int_eq(PROMPT(" \r\n\r\n\t "), TB_TN_NONE);
	ck_assert_int_eq(PROMPT("Welcome to the camera\r\n"), TB_TN_NONE);
	ck_assert_int_eq(PROMPT("login: x\r\nPassword: \r\nplease wait"), TB_TN_NONE);
	ck_assert_int_eq(PROMPT("login"), TB_TN_NONE);
	ck_assert_int_eq(PROMPT(":"), TB_TN_NONE);
}
END_TEST

static const char session[] = "ipcam login: admin\r\nPassword: \r\nLogin incorrect\r\nipcam login: ";

START_TEST(prompt_every_prefix)
{
	enum tb_telnet_prompt p = tb_p_telnet_prompt((const uint8_t *)session, (size_t)_i);

	ck_assert(p >= TB_TN_NONE && p <= TB_TN_SHELL);
	if (_i == 12 || _i == 13)
		ck_assert_int_eq(p, TB_TN_LOGIN); /* "ipcam login:" */
	else if (_i > 13 && _i < 29)
		ck_assert_int_eq(p, TB_TN_NONE); /* username, "Passwor" */
	else if (_i == (int)sizeof(session) - 2)
		ck_assert_int_eq(p, TB_TN_FAILED); /* "... login:" after failure */
}
END_TEST

START_TEST(memfind)
{
	ck_assert_int_eq(tb_mem_contains(S("uid=0(root) gid=0(root)"), S("uid=0(")), 1);
	ck_assert_int_eq(tb_mem_contains(S("uid=0(root) gid=0(root)"), S("(root)")), 1);
	ck_assert_int_eq(tb_mem_contains(S("uid=0(root) gid=0(root)"), S("gid=0(root)")), 1);
	ck_assert_int_eq(tb_mem_contains(S("uid=1000(user)"), S("uid=0(")), 0);
	ck_assert_int_eq(tb_mem_contains(S("ab\0cd"), S("\0c")), 1);
	ck_assert_int_eq(tb_mem_contains(S("abc"), S("abcd")), 0);
	ck_assert_int_eq(tb_mem_contains(S("abc"), S("")), 0);
	ck_assert_int_eq(tb_mem_contains(NULL, 0, S("a")), 0);
	/* Only the first haylen bytes are looked at. */
	ck_assert_int_eq(tb_mem_contains((const uint8_t *)"abcdef", 4, S("def")), 0);
}
END_TEST

Suite *p_telnet_suite(void)
{
	Suite *s = suite_create("p_telnet");
	TCase *tc = tcase_create("filter");

	tcase_add_test(tc, busybox_greeting_refused);
	tcase_add_test(tc, iac_iac_is_one_ff);
	tcase_add_test(tc, cr_nul_dropped_crlf_kept);
	tcase_add_test(tc, dont_wont_no_reply);
	tcase_add_test(tc, other_commands_dropped);
	tcase_add_test(tc, subnegotiation_skipped);
	tcase_add_test(tc, subnegotiation_bounded);
	tcase_add_test(tc, unterminated_sb_then_command);
	tcase_add_test(tc, empty_and_null_input);
	tcase_add_test(tc, data_cap_guard);
	tcase_add_test(tc, reply_cap_guard);
	tcase_add_test(tc, toobig_leaves_state_resumable);
	tcase_add_test(tc, mixed_whole);
	tcase_add_test(tc, byte_at_a_time);
	tcase_add_loop_test(tc, split_at_every_offset, 0, (int)sizeof(mixed) - 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("prompt");
	tcase_add_test(tc, prompt_login_variants);
	tcase_add_test(tc, prompt_failed);
	tcase_add_test(tc, prompt_shell);
	tcase_add_test(tc, prompt_none);
	tcase_add_loop_test(tc, prompt_every_prefix, 0, (int)sizeof(session) - 1);
	tcase_add_test(tc, memfind);
	suite_add_tcase(s, tc);
	return s;
}
