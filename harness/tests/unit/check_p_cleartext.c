/* check_p_cleartext.c: HTTP, FTP and telnet credentials, cut at every offset. */
#include <check.h>
#include <string.h>

#include "proto/p_cleartext.h"
#include "suites.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static const char basic[] =
	"GET /admin HTTP/1.1\r\nHost: cam\r\n"
	"Authorization: Basic YWRtaW46aHVudGVyMg==\r\n\r\n";
static const char token[] = "POST /t HTTP/1.1\r\nX-Device-Token: abc123\r\n\r\n";

START_TEST(http_basic_decoded)
{
	struct tb_http_sniffed r;
	ck_assert_int_eq(tb_p_http_request(S(basic), &r), TB_OK);
	ck_assert_str_eq(r.method, "GET");
	ck_assert_str_eq(r.path, "/admin");
	ck_assert_str_eq(r.host, "cam");
	ck_assert(r.has_basic);
	ck_assert_uint_eq(r.user_len, 5);
	ck_assert(memcmp(r.user, "admin", 5) == 0);
	ck_assert_uint_eq(r.secret_len, 7);
	ck_assert(memcmp(r.secret, "hunter2", 7) == 0);
}
END_TEST

START_TEST(http_token_header)
{
	struct tb_http_sniffed r;
	ck_assert_int_eq(tb_p_http_request(S(token), &r), TB_OK);
	ck_assert(r.has_token && !r.has_basic);
	ck_assert_str_eq(r.token_header, "X-Device-Token");
	ck_assert_uint_eq(r.token_len, 6);
}
END_TEST

/* Regression (issue 9): Basic credentials hid the token header, and a
 * token in the query was never seen. */
START_TEST(http_every_secret_kept_apart)
{
	static const char both[] =
		"GET /telemetry?id=7&token=dtk-42&x=1 HTTP/1.1\r\n"
		"Authorization: Basic YWRtaW46aHVudGVyMg==\r\nX-Device-Token: abc123\r\n\r\n";
	struct tb_http_sniffed r;
	ck_assert_int_eq(tb_p_http_request(S(both), &r), TB_OK);
	ck_assert(r.has_basic && r.has_token && r.has_query_token);
	ck_assert_uint_eq(r.secret_len, 7);
	ck_assert_uint_eq(r.token_len, 6);
	ck_assert(memcmp(r.token, "abc123", 6) == 0);
	ck_assert_str_eq(r.query_param, "token");
	ck_assert_uint_eq(r.qtoken_len, 6);
	ck_assert(memcmp(r.qtoken, "dtk-42", 6) == 0);
	static const char plain[] = "GET /a?page=2&monkey=1 HTTP/1.1\r\n\r\n";
	ck_assert_int_eq(tb_p_http_request(S(plain), &r), TB_OK);
	ck_assert(!r.has_query_token);
}
END_TEST

START_TEST(http_every_truncation)
{
	for (size_t i = 0; i < sizeof basic - 1; i++) {
		struct tb_http_sniffed r;
		ck_assert_int_eq(tb_p_http_request((const uint8_t *)basic, i, &r), TB_E_TRUNC);
	}
	struct tb_http_sniffed r;
	ck_assert_int_eq(tb_p_http_request(S("HTTP/1.1 200 OK\r\n\r\n"), &r), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_http_request(S("GET / FTP/1.0\r\n\r\n"), &r), TB_E_FORMAT);
}
END_TEST

START_TEST(ftp_commands)
{
	static const char cmd[] = "PASS s3cret\r\n";
	char verb[5];
	uint8_t arg[64];
	size_t n;
	ck_assert_int_eq(tb_p_ftp_command(S(cmd), verb, arg, sizeof arg, &n), TB_OK);
	ck_assert_str_eq(verb, "PASS");
	ck_assert_uint_eq(n, 6);
	ck_assert(memcmp(arg, "s3cret", 6) == 0);
	for (size_t i = 0; i < sizeof cmd - 1; i++)
		ck_assert_int_eq(tb_p_ftp_command((const uint8_t *)cmd, i, verb, arg, sizeof arg, &n),
				 TB_E_TRUNC);
	ck_assert_int_eq(tb_p_ftp_command(S("220 ready\r\n"), verb, arg, sizeof arg, &n), TB_E_FORMAT);
	ck_assert_int_eq(tb_p_ftp_command(S("PASS 12345678\r\n"), verb, arg, 4, &n), TB_OK);
	ck_assert_uint_eq(n, 4); /* bounded by the buffer */
}
END_TEST

/* Feed a whole exchange split at cut; collect the events. */
static int login_events(const char *server1, const char *client1, const char *server2,
			const char *client2, size_t cut, char *user, char *pass)
{
	struct tb_telnet_login s;
	const char *parts[4] = { server1, client1, server2, client2 };
	int events = 0;
	tb_p_telnet_login_init(&s);
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = (const uint8_t *)parts[i];
		size_t n = strlen(parts[i]), c = cut < n ? cut : n;
		const uint8_t *pieces[2] = { p, p + c };
		size_t lens[2] = { c, n - c };
		for (int j = 0; j < 2; j++) {
			size_t off = 0, used;
			while (off < lens[j]) {
				enum tb_telnet_login_event ev =
					tb_p_telnet_login_feed(&s, i % 2 == 0, pieces[j] + off,
							       lens[j] - off, &used);
				off += used;
				if (ev == TB_TL_GOT_USER)
					memcpy(user, s.line, s.linelen), user[s.linelen] = 0, events++;
				if (ev == TB_TL_GOT_PASS)
					memcpy(pass, s.line, s.linelen), pass[s.linelen] = 0, events++;
			}
		}
	}
	return events;
}

START_TEST(telnet_login_any_split)
{
	for (size_t cut = 0; cut < 24; cut++) {
		char user[300] = "", pass[300] = "";
		int n = login_events(
			"\xff\xfd\x01\xff\xfa\x18\x01\xff\xf0"
			"cam login: ",
			"root\r\n", "Password: ", "xmhdipc\r\n", cut, user, pass);
		ck_assert_int_eq(n, 2);
		ck_assert_str_eq(user, "root");
		ck_assert_str_eq(pass, "xmhdipc");
	}
}
END_TEST

START_TEST(telnet_no_prompt_no_secret)
{
	char user[300] = "", pass[300] = "";
	ck_assert_int_eq(login_events("welcome\r\n", "ls\r\n", "$ ", "exit\r\n", 3, user, pass), 0);
}
END_TEST

/* Feed (from_server, text) steps in order, one byte at a time when bytewise
 * (a character-mode client with the server echoing); collect user names and
 * passwords, "|"-separated. */
struct tl_step {
	int from_server;
	const char *text;
};

static int login_transcript(const struct tl_step *steps, size_t nsteps, int bytewise, char *users,
			    char *passes)
{
	struct tb_telnet_login s;
	int events = 0;
	tb_p_telnet_login_init(&s);
	users[0] = passes[0] = '\0';
	for (size_t i = 0; i < nsteps; i++) {
		const uint8_t *p = (const uint8_t *)steps[i].text;
		size_t n = strlen(steps[i].text);
		for (size_t off = 0; off < n;) {
			size_t used, want = bytewise ? 1 : n - off;
			enum tb_telnet_login_event ev =
				tb_p_telnet_login_feed(&s, steps[i].from_server, p + off, want, &used);
			off += used;
			char *dst = ev == TB_TL_GOT_USER ? users : ev == TB_TL_GOT_PASS ? passes : NULL;
			if (dst) {
				strcat(dst, dst[0] ? "|" : "");
				strncat(dst, (const char *)s.line, s.linelen);
				events++;
			}
		}
	}
	return events;
}

/* Issue 9, section 2: a real session (Debian telnetd + login, line mode).
 * The "Last login: ..." banner after the password is not a login prompt, so
 * the shell command typed next is no user name. */
START_TEST(telnet_last_login_banner_is_not_a_prompt)
{
	static const struct tl_step session[] = {
		{ 1, "\xff\xfd\x18\xff\xfd\x20\xff\xfb\x01\xff\xfb\x03" },
		{ 0, "\xff\xfc\x18\xff\xfc\x20\xff\xfd\x01\xff\xfd\x03" },
		{ 1, "\r\nDebian GNU/Linux 12\r\ncam login: " },
		{ 0, "admin\r\n" },
		{ 1, "admin\r\nPassword: " },
		{ 0, "s3cret\r\n" },
		{ 1,
		  "\r\nLast login: Mon Nov 23 10:00:01 UTC 2026 from 198.18.0.1 on pts/1\r\n"
		  "Linux cam 6.1.0-13-amd64 #1 SMP x86_64\r\n\r\nadmin@cam:~$ " },
		{ 0, "/sbin/ping www.yahoo.com\r\n" },
		{ 1, "PING www.yahoo.com (198.18.9.1) 56(84) bytes of data.\r\n" },
		{ 0, "exit\r\n" },
		{ 1, "logout\r\n" },
	};
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		char users[600], passes[600];
		ck_assert_int_eq(login_transcript(session, sizeof session / sizeof *session, bytewise,
						  users, passes),
				 2);
		ck_assert_str_eq(users, "admin");
		ck_assert_str_eq(passes, "s3cret");
	}
}
END_TEST

/* Character mode with server echo (busybox telnetd): each typed byte goes out
 * alone and comes back; CR NUL ends the line.  A failed try, then a good one;
 * a "Last login:" line that the shell prints later changes nothing. */
START_TEST(telnet_character_mode_with_echo)
{
	static const struct tl_step session[] = {
		{ 1, "cam login: " },
		{ 0, "r" },
		{ 1, "r" },
		{ 0, "o" },
		{ 1, "o" },
		{ 0, "o" },
		{ 1, "o" },
		{ 0, "t" },
		{ 1, "t" },
		{ 0, "\r" },
		{ 0, "\0" },
		{ 1, "\r\n" },
		{ 1, "Password: " },
		{ 0, "bad\r" },
		{ 0, "\0" },
		{ 1, "\r\nLogin incorrect\r\ncam login: " },
		{ 0, "root\r\0" },
		{ 1, "root\r\nPassword: " },
		{ 0, "xmhdipc\r\0" },
		{ 1, "\r\n~ # " },
		{ 0, "lastlog -u root\r\0" },
		{ 1, "Username Port From Latest\r\nroot pts/0 Last login: never\r\n~ # " },
		{ 0, "cat /etc/passwd\r\0" },
	};
	char users[600], passes[600];
	ck_assert_int_eq(login_transcript(session, sizeof session / sizeof *session, 0, users, passes),
			 4);
	ck_assert_str_eq(users, "root|root");
	ck_assert_str_eq(passes, "bad|xmhdipc");
}
END_TEST

/* A prompt keyword in the middle of a line, or a line that ended, is not a
 * prompt: only the server's unfinished last line is. */
START_TEST(telnet_prompt_only_at_the_end_of_the_open_line)
{
	static const struct tl_step mid[] = {
		{ 1, "Please enter your login: details below\r\n$ " },
		{ 0, "uptime\r\n" },
		{ 1, "login:\r\n" },
		{ 0, "whoami\r\n" },
		{ 1, "Last login: Tue\r\n" },
		{ 0, "id\r\n" },
		{ 1, "Last login:" },
		{ 0, "date\r\n" },
	};
	char users[600], passes[600];
	ck_assert_int_eq(login_transcript(mid, sizeof mid / sizeof *mid, 0, users, passes), 0);
	static const struct tl_step trail[] = {
		{ 1, "router user:\t" },
		{ 0, "admin\n" },
		{ 1, "password:   " },
		{ 0, "pw\n" },
	};
	ck_assert_int_eq(login_transcript(trail, 4, 0, users, passes), 2);
	ck_assert_str_eq(users, "admin");
	ck_assert_str_eq(passes, "pw");
}
END_TEST

Suite *p_cleartext_suite(void)
{
	Suite *s = suite_create("p_cleartext");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, http_basic_decoded);
	tcase_add_test(tc, http_token_header);
	tcase_add_test(tc, http_every_secret_kept_apart);
	tcase_add_test(tc, http_every_truncation);
	tcase_add_test(tc, ftp_commands);
	tcase_add_test(tc, telnet_login_any_split);
	tcase_add_test(tc, telnet_no_prompt_no_secret);
	tcase_add_test(tc, telnet_last_login_banner_is_not_a_prompt);
	tcase_add_test(tc, telnet_character_mode_with_echo);
	tcase_add_test(tc, telnet_prompt_only_at_the_end_of_the_open_line);
	suite_add_tcase(s, tc);
	return s;
}
