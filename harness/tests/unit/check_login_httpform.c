/* check_login_httpform.c: the HTTP form login driver (login_httpform.c)
 * and the cookie jar it keeps (proto/p_cookie.c): form encoding, Set-Cookie
 * parsing, and whole attempts against a scripted web device in a child
 * process on loopback: the right and a wrong password, a device that sets a
 * cookie for any password but still refuses, a page open to anyone, and
 * throttling; the declared password never shows in the log or detail. */
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
#include "check/login_httpform.h"
#include "load/profile.h"
#include "net/net.h"
#include "proto/p_cookie.h"
#include "suites.h"

#define LOOP 0x7f000001u
/* A declared password that needs form encoding. */
#define SECRET "s3cr3t Pw&=x"
#define SECRET_ENC "s3cr3t+Pw%26%3Dx"

static int has(const void *buf, size_t len, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; buf && i + k <= len; i++)
		if (memcmp((const char *)buf + i, needle, k) == 0)
			return 1;
	return 0;
}

static struct tb_auth form_auth = { .name = "web-form",
				    .protocol = "http-form",
				    .port = 80,
				    .path = "/login.cgi",
				    .form_user_field = "username",
				    .form_pass_field = "password",
				    .form_protected = "/settings",
				    .form_extra = "submit=Login" };

/* ---- Pure parts. ---- */

START_TEST(form_encoding)
{
	char out[64], body[256], shown[256];
	ck_assert_int_eq(httpform_encode("admin", out, sizeof out), 5);
	ck_assert_str_eq(out, "admin");
	ck_assert_int_eq(httpform_encode(SECRET, out, sizeof out), (long)strlen(SECRET_ENC));
	ck_assert_str_eq(out, SECRET_ENC);
	ck_assert_int_eq(httpform_encode("a/b?c\r\n\xc3\xa9~", out, sizeof out), 22);
	ck_assert_str_eq(out, "a%2Fb%3Fc%0D%0A%C3%A9~");
	ck_assert_int_eq(httpform_encode("", out, sizeof out), 0);
	ck_assert_int_eq(httpform_encode("&&&", out, 9), -1); /* 9 bytes + NUL do not fit */
	ck_assert_int_eq(httpform_encode("&&&", out, 10), 9);
	ck_assert_int_eq(httpform_body(&form_auth, "ad min", SECRET, body, sizeof body, shown,
				       sizeof shown),
			 0);
	ck_assert_str_eq(body, "username=ad+min&password=" SECRET_ENC "&submit=Login");
	ck_assert_str_eq(shown, "username=ad+min&password=<password withheld>&submit=Login");
	ck_assert_int_eq(httpform_body(&form_auth, "admin", SECRET, body, 20, shown, sizeof shown), -1);
}
END_TEST

static long sc(const char *v, char *out, size_t cap)
{
	return tb_p_set_cookie((const uint8_t *)v, strlen(v), out, cap);
}

START_TEST(set_cookie_values)
{
	char out[64];
	ck_assert_int_eq(sc("session=abc123; Path=/; HttpOnly", out, sizeof out), 14);
	ck_assert_str_eq(out, "session=abc123");
	ck_assert_int_eq(sc("  sid = \"q1\" ;Secure", out, sizeof out), 8);
	ck_assert_str_eq(out, "sid=\"q1\"");
	ck_assert_int_eq(sc("empty=", out, sizeof out), 6);
	ck_assert_str_eq(out, "empty=");
	/* Deleting itself. */
	ck_assert_int_eq(sc("session=; Max-Age=0", out, sizeof out), 0);
	ck_assert_int_eq(sc("session=x; max-age=-1", out, sizeof out), 0);
	ck_assert_int_eq(sc("session=x; Max-Age=10", out, sizeof out), 9);
	/* Malformed or too long. */
	ck_assert_int_eq(sc("noequals", out, sizeof out), -1);
	ck_assert_int_eq(sc("=value", out, sizeof out), -1);
	ck_assert_int_eq(sc("a b=c", out, sizeof out), -1);
	ck_assert_int_eq(sc("a=b c", out, sizeof out), -1);
	ck_assert_int_eq(sc("a=b\r\nX: y", out, sizeof out), -1);
	ck_assert_int_eq(sc("a=b,c=d", out, sizeof out), -1);
	ck_assert_int_eq(sc("abcdef=ghij", out, 11), -1);
	ck_assert_int_eq(sc("abcdef=ghij", out, 12), 11);
	ck_assert_int_eq(sc("", out, sizeof out), -1);
}
END_TEST

static unsigned take(struct tb_cookie_jar *j, const char *head)
{
	return tb_cookie_jar_take(j, (const uint8_t *)head, strlen(head));
}

START_TEST(cookie_jar_bounded)
{
	struct tb_cookie_jar *j = calloc(1, sizeof *j);
	char hdr[256];
	ck_assert_int_eq(tb_cookie_jar_header(j, hdr, sizeof hdr), -1); /* empty */
	ck_assert_uint_eq(take(j,
			       "HTTP/1.1 302 Found\r\nSet-Cookie: a=1; Path=/\r\n"
			       "set-cookie: b=2\r\nX-Set-Cookie: c=3\r\nSET-COOKIE: bad\r\n\r\n"
			       "Set-Cookie: body=not-a-header\r\n"),
			  3);
	ck_assert_uint_eq(j->n, 2);
	ck_assert_uint_eq(j->dropped, 1);
	ck_assert_int_eq(tb_cookie_jar_header(j, hdr, sizeof hdr), 0);
	ck_assert_str_eq(hdr, "a=1; b=2");
	ck_assert_int_eq(tb_cookie_jar_header(j, hdr, 8), -1);
	/* Replaced, and removed by a deleting cookie. */
	take(j, "HTTP/1.1 200 OK\nSet-Cookie: a=9\nSet-Cookie: b=; Max-Age=0\n\n");
	ck_assert_int_eq(tb_cookie_jar_header(j, hdr, sizeof hdr), 0);
	ck_assert_str_eq(hdr, "a=9");
	/* At most TB_COOKIE_MAX cookies; each at most TB_COOKIE_LEN bytes. */
	for (int i = 0; i < 40; i++) {
		snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\nSet-Cookie: c%d=%d\r\n\r\n", i, i);
		take(j, hdr);
	}
	ck_assert_uint_eq(j->n, TB_COOKIE_MAX);
	ck_assert_uint_eq(j->dropped, 1 + 40 - (TB_COOKIE_MAX - 1));
	size_t big = TB_COOKIE_LEN + 64;
	char *h = malloc(big + 64);
	int n = snprintf(h, big + 64, "HTTP/1.1 200 OK\r\nSet-Cookie: a=");
	memset(h + n, 'x', big);
	memcpy(h + n + big, "\r\n\r\n", 5);
	take(j, h);
	ck_assert_uint_eq(j->dropped, 2 + 40 - (TB_COOKIE_MAX - 1));
	ck_assert_str_eq(j->v[0], "a=9");
	free(h);
	free(j);
}
END_TEST

/* ---- A scripted web device in a child process. ---- */

enum mode {
	W_GOOD,     /* admin/SECRET sets session=abc123 and 302s to /settings */
	W_LIAR,     /* sets a cookie for any password; /settings still 302s to the form */
	W_OPEN,     /* /settings is served to anyone */
	W_THROTTLE, /* the form answers 429 Retry-After: 7 */
	W_NOCOOKIE, /* the right password 302s to /settings but sets no cookie */
	W_SLASH,    /* /settings 301s to /settings/, served to anyone; a cookie for any password */
	W_AWAY, /* /settings 302s to a public /home.html, cookie or not; a cookie for any password */
};

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

static void say(int fd, const char *s)
{
	ssize_t w = write(fd, s, strlen(s));
	(void)w;
}

/* The request head and its body (by Content-Length) into buf. */
static size_t read_request(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	char *end = NULL;
	while (n + 1 < cap && !(end = strstr(buf, "\r\n\r\n"))) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			return n;
		n += (size_t)r;
		buf[n] = '\0';
	}
	const char *cl = strstr(buf, "Content-Length: ");
	size_t want = end ? (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 16, NULL, 10) : 0) : n;
	while (n < want && n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
	}
	return n;
}

static const char login_form[] =
	"<html><body><form method=\"post\" action=\"/login.cgi\">"
	"<input type=\"text\" name=\"username\"><input type=\"password\" name=\"password\">"
	"<input type=\"submit\" name=\"submit\" value=\"Login\"></form>%s</body></html>";

static void page(int fd, const char *status, const char *headers, const char *body)
{
	char out[2048];
	snprintf(out, sizeof out,
		 "HTTP/1.1 %s\r\n%sContent-Type: text/html\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s",
		 status, headers, strlen(body), body);
	say(fd, out);
}

static void form_page(int fd, const char *note)
{
	char body[1024];
	snprintf(body, sizeof body, login_form, note);
	page(fd, "200 OK", "", body);
}

/* The refusal echoes the password it was sent, as sent and decoded. */
static void echo_refusal(int fd, const char *body)
{
	char sent[256] = "", plain[256], note[700];
	const char *p = strstr(body, "password=");
	if (p)
		snprintf(sent, sizeof sent, "%.*s", (int)strcspn(p + 9, "&"), p + 9);
	size_t o = 0;
	for (size_t i = 0; sent[i] && o + 1 < sizeof plain; i++) {
		unsigned v;
		if (sent[i] == '%' && sscanf(sent + i + 1, "%2x", &v) == 1) {
			plain[o++] = (char)v;
			i += 2;
		} else {
			plain[o++] = sent[i] == '+' ? ' ' : sent[i];
		}
	}
	plain[o] = '\0';
	snprintf(note, sizeof note, "<p>Login failed: %s (%s) is wrong</p>", plain, sent);
	form_page(fd, note);
}

static void web_serve(int fd, int mode)
{
	char req[4096] = "";
	read_request(fd, req, sizeof req);
	const char *body = strstr(req, "\r\n\r\n");
	body = body ? body + 4 : "";
	int session = strstr(req, "\r\nCookie: session=abc123\r\n") != NULL;
	if (mode == W_SLASH && !strncmp(req, "GET /settings", 13)) {
		if (!strncmp(req, "GET /settings ", 14))
			page(fd, "301 Moved Permanently", "Location: /settings/\r\n", "");
		else
			page(fd, "200 OK", "", "<html><h1>Settings</h1></html>");
	} else if (mode == W_AWAY && !strncmp(req, "GET /settings ", 14)) {
		page(fd, "302 Found", "Location: /home.html\r\n", "");
	} else if (!strncmp(req, "GET /home.html ", 15)) {
		page(fd, "200 OK", "", "<html><h1>Welcome</h1></html>");
	} else if (!strncmp(req, "GET /settings ", 14)) {
		if (session || mode == W_OPEN)
			page(fd, "200 OK", "", "<html><h1>Settings</h1><p>Wi-Fi: home</p></html>");
		else
			page(fd, "302 Found", "Location: /login.html\r\n", "");
	} else if (!strncmp(req, "GET /login.html ", 16)) {
		form_page(fd, "");
	} else if (!strncmp(req, "POST /login.cgi ", 16)) {
		int right = !strcmp(body, "username=admin&password=" SECRET_ENC "&submit=Login");
		if (mode == W_THROTTLE)
			page(fd, "429 Too Many Requests", "Retry-After: 7\r\n", "slow down");
		else if (mode == W_LIAR || mode == W_SLASH || mode == W_AWAY)
			page(fd, "302 Found",
			     "Set-Cookie: session=liar; Path=/\r\nLocation: /settings\r\n", "");
		else if (right && mode == W_NOCOOKIE)
			page(fd, "302 Found", "Location: /settings\r\n", "");
		else if (right)
			page(fd, "302 Found",
			     "Set-Cookie: session=abc123; Path=/; HttpOnly\r\nLocation: /settings\r\n",
			     "");
		else
			echo_refusal(fd, body);
	} else {
		page(fd, "404 Not Found", "", "no");
	}
}

static pid_t serve(int mode, int conns, uint16_t *port)
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
			web_serve(c, mode);
			shutdown(c, SHUT_WR);
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

static struct tb_cidr loop_only = { .net = LOOP, .prefix = 32 };
static struct tb_ctx ctx;

struct attempt {
	struct tb_login_iface ifc;
	struct tb_login_log log;
	struct tb_login_try t;
	enum tb_login_outcome o;
};

static void run(struct attempt *a, uint16_t port, const char *pass, int secret)
{
	memset(a, 0, sizeof *a);
	memset(&ctx, 0, sizeof ctx);
	ctx.scope.v = &loop_only;
	ctx.scope.n = 1;
	tb_net_init(&ctx.net, &ctx.scope, 1000, 2000);
	a->ifc.drv = &tb_login_httpform;
	a->ifc.addr = LOOP;
	a->ifc.port = port;
	a->ifc.declared = &form_auth;
	snprintf(a->ifc.path, sizeof a->ifc.path, "%s", form_auth.path);
	a->t.ctx = &ctx;
	a->t.ifc = &a->ifc;
	a->t.user = "admin";
	a->t.pass = pass;
	a->t.secret = secret;
	a->t.log = &a->log;
	a->t.deadline_ms = tb_now_ms() + 5000;
	a->o = tb_login_httpform.attempt(&a->t);
}

static void done(struct attempt *a)
{
	free(a->ifc.state);
	tb_login_log_free(&a->log);
}

static void assert_no_secret(const struct attempt *a)
{
	static const char *const forms[] = { SECRET, SECRET_ENC };
	for (size_t i = 0; i < 2; i++) {
		ck_assert(!strstr(a->t.detail, forms[i]));
		ck_assert(!has(a->log.buf, a->log.len, forms[i]));
		ck_assert(!has(a->t.sent, a->t.sentlen, forms[i]));
		ck_assert(!has(a->t.got, a->t.gotlen, forms[i]));
	}
}

START_TEST(right_password_accepted_with_proof_and_no_secret)
{
	uint16_t port;
	pid_t pid = serve(W_GOOD, 10, &port);
	struct attempt a;
	run(&a, port, SECRET, 1);
	stop(pid);
	ck_assert_msg(a.o == TB_LOGIN_ACCEPTED, "%d: %s", a.o, a.t.detail);
	ck_assert_msg(strstr(a.t.detail,
			     "/settings answers HTTP 200 (no login form) with the "
			     "session cookie the form set, where it answered a redirect "
			     "to http://127.0.0.1:"),
		      "%s", a.t.detail);
	ck_assert_msg(strstr(a.t.detail,
			     "/login.html, which answers HTTP 200 (the login form) "
			     "without one"),
		      "%s", a.t.detail);
	ck_assert(has(a.t.sent, a.t.sentlen, "Cookie: session=abc123\r\n"));
	ck_assert(has(a.t.got, a.t.gotlen, "HTTP/1.1 200 OK"));
	ck_assert(has(a.log.buf, a.log.len,
		      ">> username=admin&password=<password withheld>&submit=Login"));
	ck_assert(has(a.log.buf, a.log.len, "Set-Cookie: session=abc123"));
	assert_no_secret(&a);
	/* Before (and its redirect to the form), the POST, its redirect, after. */
	ck_assert_uint_eq(ctx.net.connects, 5);
	done(&a);
}
END_TEST

START_TEST(wrong_password_rejected_and_echo_masked)
{
	uint16_t port;
	pid_t pid = serve(W_GOOD, 10, &port);
	struct attempt a;
	run(&a, port, "wrong-" SECRET, 1);
	ck_assert_msg(a.o == TB_LOGIN_REJECTED, "%d: %s", a.o, a.t.detail);
	ck_assert_str_eq(a.t.detail,
			 "the form answered HTTP 200 (the login form) and set no session cookie");
	ck_assert(has(a.log.buf, a.log.len, "Login failed: ****************** (*****"));
	assert_no_secret(&a);
	ck_assert_uint_eq(a.t.sentlen, 0);
	done(&a);
	/* A public guess is logged as sent. */
	run(&a, port, "admin", 0);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_REJECTED);
	ck_assert(has(a.log.buf, a.log.len, ">> username=admin&password=admin&submit=Login"));
	done(&a);
}
END_TEST

START_TEST(cookie_for_any_password_but_still_refused_is_rejected)
{
	uint16_t port;
	pid_t pid = serve(W_LIAR, 10, &port);
	struct attempt a;
	run(&a, port, SECRET, 1);
	stop(pid);
	ck_assert_msg(a.o == TB_LOGIN_REJECTED, "%d: %s", a.o, a.t.detail);
	ck_assert_msg(strstr(a.t.detail,
			     "the form set a cookie but /settings still leads to "
			     "http://127.0.0.1:"),
		      "%s", a.t.detail);
	ck_assert(strstr(a.t.detail, "/login.html, as without a session"));
	assert_no_secret(&a);
	done(&a);
}
END_TEST

START_TEST(open_protected_page_is_nothing_to_log_in_to)
{
	uint16_t port;
	pid_t pid = serve(W_OPEN, 10, &port);
	struct attempt a;
	run(&a, port, SECRET, 1);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert_str_eq(
		a.t.detail,
		"/settings answers HTTP 200 (no login form) without a login: nothing to log in to");
	ck_assert_uint_eq(ctx.net.connects, 1); /* no guess sent */
	done(&a);
}
END_TEST

/* A redirect to the page itself is no refusal: "/settings" -> "/settings/"
 * served to anyone is nothing to log in to, whatever cookie the form sets
 * (the first version took the 301 for a refusal and accepted any password
 * here). */
START_TEST(redirect_to_the_open_page_itself_is_no_refusal)
{
	uint16_t port;
	pid_t pid = serve(W_SLASH, 10, &port);
	struct attempt a;
	run(&a, port, "wrong", 0);
	stop(pid);
	ck_assert_msg(a.o == TB_LOGIN_UNCONFIRMED, "%d: %s", a.o, a.t.detail);
	ck_assert_str_eq(
		a.t.detail,
		"/settings answers HTTP 200 (no login form) without a login: nothing to log in to");
	done(&a);
}
END_TEST

/* Sent away to the same public page with the cookie as without it: the
 * login did not open the protected page. */
START_TEST(still_sent_away_with_the_cookie_is_rejected)
{
	uint16_t port;
	pid_t pid = serve(W_AWAY, 10, &port);
	struct attempt a;
	run(&a, port, "wrong", 0);
	stop(pid);
	ck_assert_msg(a.o == TB_LOGIN_REJECTED, "%d: %s", a.o, a.t.detail);
	ck_assert(strstr(a.t.detail,
			 "the form set a cookie but /settings still leads to "
			 "http://127.0.0.1:"));
	ck_assert(strstr(a.t.detail, "/home.html, as without a session"));
	done(&a);
}
END_TEST

START_TEST(throttled_with_retry_after)
{
	uint16_t port;
	pid_t pid = serve(W_THROTTLE, 10, &port);
	struct attempt a;
	run(&a, port, SECRET, 1);
	stop(pid);
	ck_assert_int_eq(a.o, TB_LOGIN_THROTTLED);
	ck_assert_int_eq(a.t.retry_after_s, 7);
	ck_assert_str_eq(a.t.detail,
			 "HTTP 429 to the form: the device throttles guessing (Retry-After given)");
	done(&a);
}
END_TEST

START_TEST(login_without_a_cookie_is_no_session)
{
	uint16_t port;
	pid_t pid = serve(W_NOCOOKIE, 10, &port);
	struct attempt a;
	run(&a, port, SECRET, 1);
	stop(pid);
	/* /settings still sends the form: no session was made. */
	ck_assert_msg(a.o == TB_LOGIN_REJECTED, "%d: %s", a.o, a.t.detail);
	ck_assert(strstr(a.t.detail, "set no session cookie"));
	done(&a);
}
END_TEST

START_TEST(closed_port_and_no_declared_form)
{
	uint16_t port;
	close(listen_loopback(&port));
	struct attempt a;
	run(&a, port, SECRET, 1);
	ck_assert_int_eq(a.o, TB_LOGIN_NOCONNECT);
	done(&a);
	form_auth.form_protected = NULL;
	run(&a, port, SECRET, 1);
	form_auth.form_protected = "/settings";
	ck_assert_int_eq(a.o, TB_LOGIN_UNCONFIRMED);
	ck_assert_str_eq(a.t.detail, "no declared form to fill in");
	done(&a);
}
END_TEST

Suite *login_httpform_suite(void)
{
	Suite *s = suite_create("login_httpform");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, form_encoding);
	tcase_add_test(tc, set_cookie_values);
	tcase_add_test(tc, cookie_jar_bounded);
	tcase_add_test(tc, right_password_accepted_with_proof_and_no_secret);
	tcase_add_test(tc, wrong_password_rejected_and_echo_masked);
	tcase_add_test(tc, cookie_for_any_password_but_still_refused_is_rejected);
	tcase_add_test(tc, open_protected_page_is_nothing_to_log_in_to);
	tcase_add_test(tc, throttled_with_retry_after);
	tcase_add_test(tc, redirect_to_the_open_page_itself_is_no_refusal);
	tcase_add_test(tc, still_sent_away_with_the_cookie_is_rejected);
	tcase_add_test(tc, login_without_a_cookie_is_no_session);
	tcase_add_test(tc, closed_port_and_no_declared_form);
	suite_add_tcase(s, tc);
	return s;
}
