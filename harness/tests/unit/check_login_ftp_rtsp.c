/* check_login_ftp_rtsp.c: the credential phase's FTP and RTSP login drivers
 * (login_ftp.c, login_rtsp.c): how replies map to outcomes, the requests
 * they build, that a declared password never shows in the detail,
 * transcript or proof, and whole attempts against scripted servers in a
 * child process, on loopback only. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "check/login_ftp_internal.h"
#include "check/login_rtsp.h"
#include "check/login_rtsp_internal.h"
#include "net/httpc.h"
#include "net/net.h"
#include "proto/p_ftp.h"
#include "proto/p_rtsp.h"
#include "suites.h"

#define LOOP 0x7f000001u
#define SECRET "s3cr3t-Pw"
#define NOT_YET ((enum tb_login_outcome) - 1)

static int has(const void *buf, size_t len, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; buf && i + k <= len; i++)
		if (memcmp((const char *)buf + i, needle, k) == 0)
			return 1;
	return 0;
}

/* ---- FTP: pure parts. ---- */

static enum tb_login_outcome fj(enum ftp_step st, const char *reply, int pwd_before, char *d)
{
	struct tb_ftp_reply r;

	ck_assert_int_eq(tb_p_ftp_reply((const uint8_t *)reply, strlen(reply), &r), TB_OK);
	return ftp_judge(st, &r, pwd_before, d, 320);
}

START_TEST(ftp_replies_map_to_outcomes)
{
	char d[320];

	ck_assert_int_eq(fj(FTP_GREETING, "220 ready\r\n", 0, d), NOT_YET);
	ck_assert_int_eq(fj(FTP_GREETING, "421 Too many connections\r\n", 0, d), TB_LOGIN_THROTTLED);
	ck_assert(strstr(d, "421 Too many connections"));
	ck_assert_int_eq(fj(FTP_GREETING, "500 go away\r\n", 0, d), TB_LOGIN_UNCONFIRMED);
	/* Whatever PWD says before the login only informs the last step. */
	ck_assert_int_eq(fj(FTP_PWD_BEFORE, "530 Please login\r\n", 0, d), NOT_YET);
	ck_assert_int_eq(fj(FTP_PWD_BEFORE, "257 \"/\"\r\n", 0, d), NOT_YET);
	ck_assert_int_eq(fj(FTP_USER, "331 Password?\r\n", 0, d), NOT_YET);
	ck_assert_int_eq(fj(FTP_USER, "230 in\r\n", 0, d), NOT_YET);
	ck_assert_int_eq(fj(FTP_USER, "530 anonymous only\r\n", 0, d), TB_LOGIN_REJECTED);
	ck_assert_int_eq(fj(FTP_USER, "332 account?\r\n", 0, d), TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "ACCT"));
	ck_assert_int_eq(fj(FTP_PASS, "230 Login successful.\r\n", 0, d), NOT_YET);
	ck_assert_int_eq(fj(FTP_PASS, "530 Login incorrect.\r\n", 0, d), TB_LOGIN_REJECTED);
	ck_assert_str_eq(d, "password refused: 530 Login incorrect.");
	ck_assert_int_eq(fj(FTP_PASS, "500 what\r\n", 0, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(fj(FTP_PASS, "421 bye\r\n", 0, d), TB_LOGIN_THROTTLED);
	ck_assert_int_eq(fj(FTP_PWD, "257 \"/pub\" is the current directory\r\n", 0, d),
			 TB_LOGIN_ACCEPTED);
	ck_assert(strstr(d, "257 \"/pub\""));
	ck_assert_int_eq(fj(FTP_PWD, "530 Please login\r\n", 0, d), TB_LOGIN_REJECTED);
	ck_assert_int_eq(fj(FTP_PWD, "257 no quoted name\r\n", 0, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(fj(FTP_PWD, "550 no\r\n", 0, d), TB_LOGIN_UNCONFIRMED);
}
END_TEST

START_TEST(ftp_pwd_open_before_login_proves_nothing)
{
	char d[320];

	ck_assert_int_eq(fj(FTP_PWD, "257 \"/\"\r\n", 1, d), TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "before the login too"));
}
END_TEST

START_TEST(ftp_lockout_text_is_throttled)
{
	char d[320];

	ck_assert_int_eq(fj(FTP_PASS, "530 Too many failed logins, try again later\r\n", 0, d),
			 TB_LOGIN_THROTTLED);
	ck_assert_int_eq(fj(FTP_USER, "530 Account locked\r\n", 0, d), TB_LOGIN_THROTTLED);
	/* Not before the login: that reply is not about our guess. */
	ck_assert_int_eq(fj(FTP_PWD_BEFORE, "530 too many\r\n", 0, d), NOT_YET);
}
END_TEST

START_TEST(ftp_names_and_arguments)
{
	ck_assert(ftp_is_anonymous("anonymous"));
	ck_assert(ftp_is_anonymous("FTP"));
	ck_assert(!ftp_is_anonymous("admin"));
	ck_assert(!ftp_is_anonymous(""));
	ck_assert(ftp_arg_ok(""));
	ck_assert(ftp_arg_ok("admin"));
	ck_assert(!ftp_arg_ok("a\r\nDELE x"));
	ck_assert(!ftp_arg_ok("a\nb"));
}
END_TEST

/* ---- RTSP: pure parts. ---- */

START_TEST(rtsp_describe_request)
{
	char out[1200];
	size_t n = rtsp_describe(out, sizeof out, 0xc6120a0au, 554, "/live", 1, NULL);
	static const char want[] =
		"DESCRIBE rtsp://198.18.10.10:554/live RTSP/1.0\r\n"
		"CSeq: 1\r\n"
		"Accept: application/sdp\r\n"
		"User-Agent: trustbench/" TB_VERSION
		"\r\n"
		"\r\n";

	ck_assert_uint_eq(n, sizeof want - 1);
	ck_assert_str_eq(out, want);
	n = rtsp_describe(out, sizeof out, 0xc6120a0au, 8554, "/", 2, "Basic YWRtaW46YWRtaW4=");
	ck_assert_uint_gt(n, 0);
	ck_assert(strstr(out, "DESCRIBE rtsp://198.18.10.10:8554/ RTSP/1.0\r\nCSeq: 2\r\n"));
	ck_assert(strstr(out, "\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n"));
	/* Paths and credentials that would break the request are refused. */
	ck_assert_uint_eq(rtsp_describe(out, sizeof out, LOOP, 554, "live", 1, NULL), 0);
	ck_assert_uint_eq(rtsp_describe(out, sizeof out, LOOP, 554, "/a b", 1, NULL), 0);
	ck_assert_uint_eq(rtsp_describe(out, sizeof out, LOOP, 554, "/a\r\nX: y", 1, NULL), 0);
	ck_assert_uint_eq(rtsp_describe(out, sizeof out, LOOP, 554, "/", 1, "Basic x\r\nX: y"), 0);
	ck_assert_uint_eq(rtsp_describe(out, 40, LOOP, 554, "/", 1, NULL), 0);
}
END_TEST

START_TEST(rtsp_shown_withholds_the_credential)
{
	char req[600], shown[600];
	size_t n = rtsp_describe(req, sizeof req, LOOP, 554, "/", 2, "Basic c2VjcmV0");

	rtsp_shown(req, n, shown, sizeof shown);
	ck_assert(!strstr(shown, "c2VjcmV0"));
	ck_assert(strstr(shown, "CSeq: 2\r\nAccept: application/sdp\r\n"));
	ck_assert(strstr(shown, "\r\nAuthorization: <credential withheld>\r\n\r\n"));
	n = rtsp_describe(req, sizeof req, LOOP, 554, "/", 1, NULL);
	rtsp_shown(req, n, shown, sizeof shown);
	ck_assert_str_eq(shown, req);
}
END_TEST

static enum tb_login_outcome rj(const char *resp, char *d, int *ra)
{
	struct tb_rtsp_resp r;

	ck_assert_int_eq(tb_p_rtsp_response((const uint8_t *)resp, strlen(resp), &r), TB_OK);
	return rtsp_judge(&r, d, 320, ra);
}

START_TEST(rtsp_statuses_map_to_outcomes)
{
	char d[320];
	int ra;

	ck_assert_int_eq(rj("RTSP/1.0 200 OK\r\nCSeq: 2\r\n\r\n", d, &ra), TB_LOGIN_ACCEPTED);
	ck_assert(strstr(d, "where it was 401 without"));
	ck_assert_int_eq(rj("RTSP/1.0 401 U\r\nWWW-Authenticate: Basic realm=x\r\n\r\n", d, &ra),
			 TB_LOGIN_REJECTED);
	ck_assert_int_eq(rj("RTSP/1.0 403 Forbidden\r\n\r\n", d, &ra), TB_LOGIN_REJECTED);
	ck_assert_int_eq(rj("RTSP/1.0 401 U\r\nWWW-Authenticate: Digest realm=\"x\", nonce=\"n\", "
			    "stale=TRUE\r\n\r\n",
			    d, &ra),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "stale"));
	ck_assert_int_eq(rj("RTSP/1.0 503 Busy\r\nRetry-After: 20\r\n\r\n", d, &ra),
			 TB_LOGIN_THROTTLED);
	ck_assert_int_eq(ra, 20);
	ck_assert_int_eq(rj("RTSP/1.0 503 Busy\r\n\r\n", d, &ra), TB_LOGIN_THROTTLED);
	ck_assert_int_eq(ra, -1);
	ck_assert_int_eq(rj("RTSP/1.0 453 Not Enough Bandwidth\r\nRetry-After: 5\r\n\r\n", d, &ra),
			 TB_LOGIN_THROTTLED);
	ck_assert_int_eq(ra, 5);
	ck_assert_int_eq(rj("RTSP/1.0 453 Not Enough Bandwidth\r\n\r\n", d, &ra), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(rj("RTSP/1.0 302 Moved\r\nLocation: rtsp://x/\r\n\r\n", d, &ra),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "redirect"));
	ck_assert_int_eq(rj("RTSP/1.0 404 Not Found\r\n\r\n", d, &ra), TB_LOGIN_UNCONFIRMED);
}
END_TEST

/* ---- Scripted servers in a child process. ---- */

static int listen_loopback(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(LOOP) };
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

typedef void (*serve_fn)(int fd, int mode);

/* Serve up to conns connections, one after the other, in a child. */
static pid_t serve(serve_fn fn, int mode, int conns, uint16_t *port)
{
	int lfd = listen_loopback(port);
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		for (int i = 0; i < conns; i++) {
			int c = accept(lfd, NULL, NULL);
			if (c < 0)
				_exit(1);
			fn(c, mode);
			close(c);
		}
		_exit(0);
	}
	close(lfd);
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void say(int fd, const char *s)
{
	ssize_t w = write(fd, s, strlen(s));
	(void)w;
}

/* One line from the client (without CRLF); 0 at its end. */
static int get_line(int fd, char *out, size_t cap)
{
	size_t n = 0;
	char c;

	while (read(fd, &c, 1) == 1) {
		if (c == '\n') {
			if (n && out[n - 1] == '\r')
				n--;
			out[n] = '\0';
			return 1;
		}
		if (n + 1 < cap)
			out[n++] = c;
	}
	return 0;
}

enum ftp_mode {
	FS_GOOD,
	FS_PWD_OPEN,
	FS_NOPASS,
	FS_LIAR,
	FS_FLOOD,
	FS_SILENT,
	FS_LOCK,
	FS_FULL,
	FS_HANGUP_ON_PWD, /* closes the connection on PWD before a login */
};

static void ftp_serve(int fd, int mode)
{
	char l[600];
	int in = 0;

	if (mode == FS_SILENT) {
		sleep(5);
		return;
	}
	if (mode == FS_FULL) {
		say(fd, "421 There are too many connections from your internet address.\r\n");
		return;
	}
	if (mode == FS_FLOOD) {
		say(fd, "220-welcome\r\n");
		for (int i = 0; i < 100000; i++)
			say(fd, "220-and more\r\n");
		return;
	}
	say(fd, "220 scripted\r\n");
	while (get_line(fd, l, sizeof l)) {
		const char *pass = !strncmp(l, "PASS ", 5) ? l + 5 : NULL;

		if (!strncmp(l, "USER ", 5) && mode == FS_NOPASS) {
			in = 1;
			say(fd, "230 no password needed\r\n");
		} else if (!strncmp(l, "USER ", 5)) {
			say(fd, "331 Password?\r\n");
		} else if (pass && mode == FS_LOCK) {
			say(fd, "530 Too many failures: try again later\r\n");
		} else if (pass && (mode != FS_GOOD || !strcmp(pass, SECRET))) {
			in = 1;
			say(fd, "230 Login successful.\r\n");
		} else if (pass) {
			/* The refusal echoes the password. */
			say(fd, "530 Login incorrect, not ");
			say(fd, pass);
			say(fd, "\r\n");
		} else if (!strcmp(l, "PWD") && !in && mode == FS_HANGUP_ON_PWD) {
			return;
		} else if (!strcmp(l, "PWD")) {
			say(fd, (in && mode != FS_LIAR) || mode == FS_PWD_OPEN
					? "257 \"/\" is the current directory\r\n"
					: "530 Please login with USER and PASS.\r\n");
		} else if (!strcmp(l, "QUIT")) {
			say(fd, "221 Goodbye.\r\n");
			return;
		} else {
			say(fd, "500 unknown\r\n");
		}
	}
}

static struct tb_cidr loop_only = { .net = LOOP, .prefix = 32 };
static struct tb_ctx ctx;

static void ctx_init(void)
{
	ctx.scope.v = &loop_only;
	ctx.scope.n = 1;
	tb_net_init(&ctx.net, &ctx.scope, 1000, 2000);
}

struct attempt {
	struct tb_login_iface ifc;
	struct tb_login_log log;
	struct tb_login_try t;
	enum tb_login_outcome o;
	int64_t ms;
};

static void run(struct attempt *a, const struct tb_login_driver *drv, uint16_t port, const char *path,
		const char *user, const char *pass, int secret, int deadline_ms)
{
	memset(a, 0, sizeof *a);
	ctx_init();
	a->ifc.drv = drv;
	a->ifc.addr = LOOP;
	a->ifc.port = port;
	snprintf(a->ifc.path, sizeof a->ifc.path, "%s", path);
	a->t.ctx = &ctx;
	a->t.ifc = &a->ifc;
	a->t.user = user;
	a->t.pass = pass;
	a->t.secret = secret;
	a->t.log = &a->log;
	int64_t t0 = tb_now_ms();
	a->t.deadline_ms = t0 + deadline_ms;
	a->o = drv->attempt(&a->t);
	a->ms = tb_now_ms() - t0;
}

/* The secret appears nowhere the driver writes. */
static void assert_no_secret(const struct attempt *a, const char *secret)
{
	ck_assert(!strstr(a->t.detail, secret));
	ck_assert(!has(a->log.buf, a->log.len, secret));
	ck_assert(!has(a->t.sent, a->t.sentlen, secret));
	ck_assert(!has(a->t.got, a->t.gotlen, secret));
	ck_assert(!strstr(a->t.finding, secret));
}

START_TEST(ftp_declared_password_accepted_with_proof_and_no_secret)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_GOOD, 1, &port);
	struct attempt a;

	run(&a, &tb_login_ftp, port, "", "admin", SECRET, 1, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(a.t.detail,
			 "logged in: PWD answered 257 \"/\" after the login, not before it");
	ck_assert(has(a.t.sent, a.t.sentlen, "PASS <password withheld>"));
	ck_assert(has(a.t.got, a.t.gotlen, "530 Please login"));
	ck_assert(has(a.t.got, a.t.gotlen, "257 \"/\""));
	ck_assert(has(a.log.buf, a.log.len, ">> PWD\n<< 530 Please login"));
	assert_no_secret(&a, SECRET);
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_wrong_password_rejected_and_echo_masked)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_GOOD, 2, &port);
	struct attempt a;

	/* The device echoes the declared password in its refusal. */
	run(&a, &tb_login_ftp, port, "", "admin", "wrong-" SECRET, 1, 5000);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	ck_assert(strstr(a.t.detail, "password refused: 530 Login incorrect"));
	assert_no_secret(&a, SECRET);
	ck_assert_uint_eq(a.t.sentlen, 0);
	tb_login_log_free(&a.log);
	/* A public guess is shown as sent. */
	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	ck_assert(has(a.log.buf, a.log.len, ">> PASS admin\n"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_login_without_password_is_anonymous)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_NOPASS, 1, &port);
	struct attempt a;

	run(&a, &tb_login_ftp, port, "", "ftp", "anonymous@", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(a.t.detail,
			 "anonymous login without a password (230 to USER): PWD answered 257 "
			 "\"/\" after the login, not before it");
	ck_assert(!has(a.log.buf, a.log.len, ">> PASS"));
	ck_assert(has(a.log.buf, a.log.len, "no password asked"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_pwd_without_login_or_230_then_530_is_no_login)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_PWD_OPEN, 1, &port);
	struct attempt a;

	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(a.t.detail, "before the login too"));
	ck_assert_uint_eq(a.t.sentlen, 0);
	ck_assert_uint_eq(a.t.gotlen, 0);
	tb_login_log_free(&a.log);

	pid = serve(ftp_serve, FS_LIAR, 1, &port);
	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	ck_assert(strstr(a.t.detail, "PWD answered 530"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_hangup_on_pwd_before_login_is_not_257)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_HANGUP_ON_PWD, 2, &port);
	struct attempt a;

	run(&a, &tb_login_ftp, port, "", "admin", SECRET, 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_ACCEPTED);
	ck_assert_uint_eq(ctx.net.connects, 2);
	ck_assert(has(a.log.buf, a.log.len,
		      "-- closed on PWD before the login: PWD needs one\n"
		      "-- new connection\n<< 220 scripted\n>> USER admin"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_throttling_said_two_ways)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_FULL, 1, &port);
	struct attempt a;

	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_THROTTLED);
	ck_assert_int_eq(a.t.retry_after_s, -1);
	tb_login_log_free(&a.log);
	pid = serve(ftp_serve, FS_LOCK, 1, &port);
	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_THROTTLED);
	ck_assert(strstr(a.t.detail, "try again later"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_endless_reply_and_silence_are_bounded)
{
	uint16_t port;
	pid_t pid = serve(ftp_serve, FS_FLOOD, 1, &port);
	struct attempt a;

	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(a.t.detail, "not an FTP reply to the greeting"));
	ck_assert_int_lt(a.ms, 2500);
	tb_login_log_free(&a.log);
	pid = serve(ftp_serve, FS_SILENT, 1, &port);
	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 1200);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(a.t.detail, "no answer to the greeting in time"));
	ck_assert_int_lt(a.ms, 2500);
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(ftp_refuses_to_send_line_breaks_or_speak_tls)
{
	struct attempt a;

	run(&a, &tb_login_ftp, 1, "", "admin\r\nDELE x", "a", 0, 1000);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(a.t.detail, "line break"));
	ck_assert_uint_eq(ctx.net.connects, 0);
	memset(&a, 0, sizeof a);
	ctx_init();
	a.ifc.tls = 1;
	a.t = (struct tb_login_try){ .ctx = &ctx,
				     .ifc = &a.ifc,
				     .user = "a",
				     .pass = "b",
				     .deadline_ms = tb_now_ms() + 1000,
				     .log = &a.log };
	ck_assert_int_eq(tb_login_ftp.attempt(&a.t), TB_LOGIN_UNCONFIRMED);
	ck_assert_str_eq(a.t.detail, "FTPS not supported yet");
}
END_TEST

START_TEST(ftp_closed_port_is_noconnect)
{
	uint16_t port;
	int fd = listen_loopback(&port);
	struct attempt a;

	close(fd);
	run(&a, &tb_login_ftp, port, "", "admin", "admin", 0, 2000);
	ck_assert_int_eq(a.o, TB_LOGIN_NOCONNECT);
	tb_login_log_free(&a.log);
}
END_TEST

/* ---- RTSP against a scripted server. ---- */

enum rtsp_mode { R_BASIC, R_CLOSE_EACH, R_BAD_CSEQ, R_OLD_200, R_OPEN, R_BUSY, R_ECHO, R_DIGEST_ONLY };

/* Read one request head; its CSeq and Authorization value. */
static int get_request(int fd, long *cseq, char *auth, size_t acap)
{
	char l[1200];
	int any = 0;

	*cseq = -1;
	auth[0] = '\0';
	while (get_line(fd, l, sizeof l)) {
		any = 1;
		if (!l[0])
			return 1;
		if (!strncmp(l, "CSeq: ", 6))
			*cseq = strtol(l + 6, NULL, 10);
		if (!strncmp(l, "Authorization: ", 15))
			snprintf(auth, acap, "%s", l + 15);
	}
	return any ? -1 : 0;
}

static void rtsp_serve(int fd, int mode)
{
	char auth[1200], good[700], resp[2000];
	long cseq;

	tb_http_basic_auth("admin", SECRET, good, sizeof good);
	while (get_request(fd, &cseq, auth, sizeof auth) == 1) {
		long cs = mode == R_BAD_CSEQ ? cseq + 98 : mode == R_OLD_200 ? 1 : cseq;

		/* R_OLD_200: a 200 to any credential, but under the CSeq of the
		 * first request, as a stale or replayed answer would be. */
		if (mode == R_OPEN || (auth[0] && (!strcmp(auth, good) || mode == R_OLD_200)))
			snprintf(resp, sizeof resp,
				 "RTSP/1.0 200 OK\r\nCSeq: %ld\r\nContent-Type: application/sdp\r\n"
				 "Content-Length: 10\r\n\r\nv=0\r\ns=x\r\n",
				 cs);
		else if (auth[0] && mode == R_BUSY)
			snprintf(resp, sizeof resp,
				 "RTSP/1.0 503 Busy\r\nCSeq: %ld\r\nRetry-After: 20\r\n\r\n", cs);
		else if (mode == R_DIGEST_ONLY && auth[0] &&
			 !strncmp(auth, "Digest username=\"admin\"", 23))
			snprintf(resp, sizeof resp, "RTSP/1.0 403 Forbidden\r\nCSeq: %ld\r\n\r\n", cs);
		else
			snprintf(resp, sizeof resp,
				 "RTSP/1.0 401 Unauthorized\r\nCSeq: %ld\r\nWWW-Authenticate: %s\r\n"
				 "X-Echo: %s\r\nContent-Length: 7\r\n\r\ndenied\n",
				 cs,
				 mode == R_DIGEST_ONLY
					 ? "Digest realm=\"cam\", nonce=\"n0nce\", qop=\"auth\""
					 : "Basic realm=\"cam\"",
				 mode == R_ECHO ? auth : "");
		say(fd, resp);
		if (mode == R_CLOSE_EACH)
			return;
	}
}

START_TEST(rtsp_right_and_wrong_basic)
{
	uint16_t port;
	pid_t pid = serve(rtsp_serve, R_BASIC, 2, &port);
	struct attempt a;

	run(&a, &tb_login_rtsp, port, "/live", "admin", SECRET, 1, 5000);
	ck_assert_int_eq(a.o, TB_LOGIN_ACCEPTED);
	ck_assert(strstr(a.t.detail, "200 with the credential where it was 401 without"));
	ck_assert(has(a.t.sent, a.t.sentlen, "Authorization: <credential withheld>"));
	ck_assert(has(a.t.got, a.t.gotlen, "RTSP/1.0 200 OK"));
	ck_assert(has(a.t.got, a.t.gotlen, "v=0"));
	assert_no_secret(&a, SECRET);
	ck_assert_uint_eq(ctx.net.connects, 1); /* both requests on one connection */
	tb_login_log_free(&a.log);
	run(&a, &tb_login_rtsp, port, "/live", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	ck_assert(has(a.log.buf, a.log.len, ">> Authorization: Basic YWRtaW46YWRtaW4="));
	ck_assert_uint_eq(a.t.sentlen, 0);
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(rtsp_server_closing_after_401_gets_a_new_connection)
{
	uint16_t port;
	pid_t pid = serve(rtsp_serve, R_CLOSE_EACH, 2, &port);
	struct attempt a;

	run(&a, &tb_login_rtsp, port, "/", "admin", SECRET, 1, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_ACCEPTED);
	ck_assert_uint_eq(ctx.net.connects, 2);
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(rtsp_wrong_cseq_open_stream_and_busy)
{
	uint16_t port;
	pid_t pid = serve(rtsp_serve, R_BAD_CSEQ, 1, &port);
	struct attempt a;

	run(&a, &tb_login_rtsp, port, "/", "admin", SECRET, 1, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert_str_eq(a.t.detail, "answer without our CSeq 1");
	tb_login_log_free(&a.log);
	pid = serve(rtsp_serve, R_OLD_200, 1, &port);
	run(&a, &tb_login_rtsp, port, "/", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert_str_eq(a.t.detail, "answer without our CSeq 2");
	tb_login_log_free(&a.log);
	pid = serve(rtsp_serve, R_OPEN, 1, &port);
	run(&a, &tb_login_rtsp, port, "/", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(a.t.detail, "200 without credentials"));
	tb_login_log_free(&a.log);
	pid = serve(rtsp_serve, R_BUSY, 1, &port);
	run(&a, &tb_login_rtsp, port, "/", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_THROTTLED);
	ck_assert_int_eq(a.t.retry_after_s, 20);
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(rtsp_echoed_credential_is_masked)
{
	uint16_t port;
	pid_t pid = serve(rtsp_serve, R_ECHO, 1, &port);
	struct attempt a;
	char basic[200];

	run(&a, &tb_login_rtsp, port, "/", "admin", "wrong" SECRET, 1, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	tb_http_basic_auth("admin", "wrong" SECRET, basic, sizeof basic);
	assert_no_secret(&a, basic + 6);
	assert_no_secret(&a, SECRET);
	ck_assert(has(a.log.buf, a.log.len, "<< X-Echo: Basic ****"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(rtsp_digest_only)
{
	uint16_t port;
	pid_t pid = serve(rtsp_serve, R_DIGEST_ONLY, 1, &port);
	struct attempt a;

	run(&a, &tb_login_rtsp, port, "/live", "admin", "admin", 0, 5000);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	ck_assert_str_eq(a.t.detail, "RTSP 403 with the credential");
	ck_assert(has(a.log.buf, a.log.len,
		      "Authorization: Digest username=\"admin\", realm=\"cam\", "
		      "uri=\"rtsp://127.0.0.1:"));
	ck_assert(has(a.log.buf, a.log.len, "nonce=\"n0nce\", qop=auth, nc=00000001"));
	tb_login_log_free(&a.log);
}
END_TEST

START_TEST(rtsp_probe)
{
	uint16_t port;
	pid_t pid = serve(rtsp_serve, R_DIGEST_ONLY, 1, &port);
	int na = -1, dg = -1;
	char why[320];

	ctx_init();
	ck_assert_int_eq(tb_login_rtsp_probe(&ctx, LOOP, port, "/live", &na, &dg, why, sizeof why), 0);
	stop(pid);
	ck_assert_int_eq(na, 1);
	ck_assert_int_eq(dg, 1);
	ck_assert_str_eq(why, "RTSP 401, Digest only");
	pid = serve(rtsp_serve, R_OPEN, 1, &port);
	ck_assert_int_eq(tb_login_rtsp_probe(&ctx, LOOP, port, "/", &na, &dg, why, sizeof why), 0);
	stop(pid);
	ck_assert_int_eq(na, 0);
	ck_assert_str_eq(why, "RTSP 200: served without credentials");
	/* An FTP server is not RTSP. */
	pid = serve(ftp_serve, FS_GOOD, 1, &port);
	ck_assert_int_eq(tb_login_rtsp_probe(&ctx, LOOP, port, "/", &na, &dg, why, sizeof why), -1);
	stop(pid);
	ck_assert_str_eq(why, "not an RTSP answer to DESCRIBE");
	ck_assert_int_eq(tb_login_rtsp_probe(&ctx, LOOP, port, "/", &na, &dg, NULL, 0), -1);
	ck_assert_int_eq(tb_login_rtsp_probe(&ctx, 0xc6120a0au, 554, "/", &na, &dg, why, sizeof why),
			 -1);
	ck_assert_uint_eq(ctx.net.scope_refusals, 1);
}
END_TEST

Suite *login_ftp_rtsp_suite(void)
{
	Suite *s = suite_create("login_ftp_rtsp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ftp_replies_map_to_outcomes);
	tcase_add_test(tc, ftp_pwd_open_before_login_proves_nothing);
	tcase_add_test(tc, ftp_lockout_text_is_throttled);
	tcase_add_test(tc, ftp_names_and_arguments);
	tcase_add_test(tc, rtsp_describe_request);
	tcase_add_test(tc, rtsp_shown_withholds_the_credential);
	tcase_add_test(tc, rtsp_statuses_map_to_outcomes);
	tcase_add_test(tc, ftp_declared_password_accepted_with_proof_and_no_secret);
	tcase_add_test(tc, ftp_wrong_password_rejected_and_echo_masked);
	tcase_add_test(tc, ftp_login_without_password_is_anonymous);
	tcase_add_test(tc, ftp_pwd_without_login_or_230_then_530_is_no_login);
	tcase_add_test(tc, ftp_hangup_on_pwd_before_login_is_not_257);
	tcase_add_test(tc, ftp_throttling_said_two_ways);
	tcase_add_test(tc, ftp_endless_reply_and_silence_are_bounded);
	tcase_add_test(tc, ftp_refuses_to_send_line_breaks_or_speak_tls);
	tcase_add_test(tc, ftp_closed_port_is_noconnect);
	tcase_add_test(tc, rtsp_right_and_wrong_basic);
	tcase_add_test(tc, rtsp_server_closing_after_401_gets_a_new_connection);
	tcase_add_test(tc, rtsp_wrong_cseq_open_stream_and_busy);
	tcase_add_test(tc, rtsp_echoed_credential_is_masked);
	tcase_add_test(tc, rtsp_digest_only);
	tcase_add_test(tc, rtsp_probe);
	suite_add_tcase(s, tc);
	return s;
}
