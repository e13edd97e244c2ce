/* check_login_ssh_mqtt.c: the credential phase's SSH and MQTT login drivers
 * (login_ssh.c, login_mqtt.c, and the password login in net/sshc.c): how
 * what the server said maps to an outcome, that the declared password never
 * shows in the detail, transcript or proof, and whole attempts against a
 * libssh server and a fake broker in a child process, on loopback only. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "check/login_ssh_mqtt_internal.h"
#include "net/net.h"
#include "net/sshc.h"
#include "suites.h"

#define IP(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define SECRET "s3cr3t-Pw"

static struct tb_cidr loop_only = { .net = IP(127, 0, 0, 1), .prefix = 32 };
static struct tb_scope scope = { .v = &loop_only, .n = 1 };

static int has(const void *buf, size_t len, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; buf && i + k <= len; i++)
		if (memcmp((const char *)buf + i, needle, k) == 0)
			return 1;
	return 0;
}

/* ---- Pure parts. ---- */

static enum tb_login_outcome ssh_judge(enum tb_sshc_login_outcome o, const char *why, char *detail)
{
	struct tb_sshc_login r = { .outcome = o, .method = "password" };
	snprintf(r.why, sizeof r.why, "%s", why);
	return tb_login_ssh_judge(&r, "root", NULL, detail, 320);
}

START_TEST(ssh_outcomes_map_to_login_outcomes)
{
	char d[320];

	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_ACCEPTED, "", d), TB_LOGIN_ACCEPTED);
	ck_assert(strstr(d, "userauth password for \"root\": SSH_MSG_USERAUTH_SUCCESS"));
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_NONE_OK, "", d), TB_LOGIN_ACCEPTED);
	ck_assert(strstr(d, "no authentication at all"));
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_DENIED, "", d), TB_LOGIN_REJECTED);
	ck_assert(strstr(d, "SSH_MSG_USERAUTH_FAILURE"));
	/* Everything else is short of positive evidence or of a refusal. */
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_PARTIAL, "further method", d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_NO_PASSWORD, "no password login offered", d),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "not tried: no password login offered"));
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_PROMPTS, "asked 2 questions", d),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_TIMEOUT, "deadline", d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_LOCAL, "dup", d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_KEX_FAILED, "no match", d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_ENDED, "Socket error: disconnected", d),
			 TB_LOGIN_UNCONFIRMED);
}
END_TEST

START_TEST(ssh_disconnect_saying_slow_down_is_throttled)
{
	char d[320];

	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_ENDED,
				   "Received SSH_MSG_DISCONNECT: 2:Too many authentication failures",
				   d),
			 TB_LOGIN_THROTTLED);
	ck_assert(strstr(d, "Too many authentication failures"));
	ck_assert_int_eq(ssh_judge(TB_SSHC_LOGIN_KEX_FAILED, "Account LOCKED, try again later", d),
			 TB_LOGIN_THROTTLED);
	ck_assert(tb_login_text_throttled("rate limit exceeded"));
	ck_assert(!tb_login_text_throttled("Connection reset by peer"));
	ck_assert(!tb_login_text_throttled(""));
	ck_assert(!tb_login_text_throttled(NULL));
}
END_TEST

START_TEST(ssh_detail_never_shows_the_secret)
{
	struct tb_sshc_login r = { .outcome = TB_SSHC_LOGIN_ENDED };
	char d[320];

	/* A device that echoes the password into its DISCONNECT or a prompt. */
	snprintf(r.why, sizeof r.why, "Received SSH_MSG_DISCONNECT: 2:bad password " SECRET);
	tb_login_ssh_judge(&r, "root", SECRET, d, sizeof d);
	ck_assert(!strstr(d, SECRET));
	ck_assert(strstr(d, "bad password *"));
	r.outcome = TB_SSHC_LOGIN_PROMPTS;
	snprintf(r.prompt, sizeof r.prompt, "Was it " SECRET "?");
	tb_login_ssh_judge(&r, "root", SECRET, d, sizeof d);
	ck_assert(!strstr(d, SECRET));
	/* Not the declared credential: device text is kept as it came. */
	tb_login_ssh_judge(&r, "root", NULL, d, sizeof d);
	ck_assert(strstr(d, SECRET));
}
END_TEST

static enum tb_login_outcome mqtt_judge(const char *b, size_t n, int *rc, char *d)
{
	return tb_login_mqtt_judge((const uint8_t *)b, n, "the connection was closed", rc, d, 320);
}

START_TEST(connack_codes_map_to_login_outcomes)
{
	char d[320];
	int rc;

	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x00", 4, &rc, d), TB_LOGIN_ACCEPTED);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(d, "CONNACK 0: the broker accepted the user and password");
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x04", 4, &rc, d), TB_LOGIN_REJECTED);
	ck_assert_int_eq(rc, 4);
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x05", 4, &rc, d), TB_LOGIN_REJECTED);
	/* Server unavailable: the broker will not judge credentials now (how a
	 * broker throttles guessing): the phase waits and asks again. */
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x03", 4, &rc, d), TB_LOGIN_THROTTLED);
	ck_assert(strstr(d, "server unavailable"));
	/* Refusals that say nothing about the credential. */
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x01", 4, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x02", 4, &rc, d), TB_LOGIN_UNCONFIRMED);
}
END_TEST

START_TEST(no_connack_is_unconfirmed)
{
	char d[320];
	int rc;

	ck_assert_int_eq(mqtt_judge("", 0, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(rc, -1);
	ck_assert(strstr(d, "the connection was closed without a byte"));
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00", 3, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "incomplete"));
	ck_assert_int_eq(mqtt_judge("\x20\x02\x00\x09", 4, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_str_eq(d, "malformed CONNACK");
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(mqtt_judge("\x20\x03\x00\x00\x00", 5, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(mqtt_judge("\x30\x02\x00\x00", 4, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(d, "type 3"));
	ck_assert_int_eq(mqtt_judge("\x20\xff\xff\xff\xff\x01", 6, &rc, d), TB_LOGIN_UNCONFIRMED);
	ck_assert_int_eq(mqtt_judge("HTTP/1.1 400", 12, &rc, d), TB_LOGIN_UNCONFIRMED);
}
END_TEST

/* ---- Whole attempts against servers in a child process. ---- */

static int listen_loopback(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(IP(127, 0, 0, 1)) };
	socklen_t len = sizeof sa;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

/* What the fake SSH server does. */
enum ssrv {
	SS_PASSWORD_OK,   /* password offered; any password succeeds */
	SS_PASSWORD_DENY, /* password offered; every password fails */
	SS_NONE_OK,       /* "none" succeeds */
	SS_PUBKEY_ONLY,
	SS_KBDINT,      /* keyboard-interactive only, one echo-off prompt, SECRET passes */
	SS_KBDINT_ECHO, /* keyboard-interactive asking for something echoed */
	SS_TOO_MANY,    /* a password request gets DISCONNECT "Too many authentication failures" */
	SS_NONE_BYE,    /* the "none" request gets that DISCONNECT */
	SS_SILENT,
};

static void ssh_auth(ssh_session s, ssh_message m, enum ssrv how, int methods)
{
	int sub = ssh_message_subtype(m);
	if (sub == SSH_AUTH_METHOD_NONE && how == SS_NONE_OK) {
		ssh_message_auth_reply_success(m, 0);
	} else if (sub == SSH_AUTH_METHOD_PASSWORD && how == SS_PASSWORD_OK) {
		ssh_message_auth_reply_success(m, 0);
	} else if ((sub == SSH_AUTH_METHOD_PASSWORD && how == SS_TOO_MANY) ||
		   (sub == SSH_AUTH_METHOD_NONE && how == SS_NONE_BYE)) {
		ssh_session_set_disconnect_message(s, "Too many authentication failures");
		ssh_disconnect(s);
		_exit(0);
	} else if (sub == SSH_AUTH_METHOD_INTERACTIVE && !ssh_message_auth_kbdint_is_response(m)) {
		const char *prompts[1] = { "Password: " };
		char echo[1] = { how == SS_KBDINT_ECHO };
		ssh_message_auth_interactive_request(m, "", "", 1, prompts, echo);
	} else if (sub == SSH_AUTH_METHOD_INTERACTIVE && how == SS_KBDINT &&
		   ssh_userauth_kbdint_getnanswers(s) == 1 &&
		   strcmp(ssh_userauth_kbdint_getanswer(s, 0), SECRET) == 0) {
		ssh_message_auth_reply_success(m, 0);
	} else {
		ssh_message_auth_set_methods(m, methods);
		ssh_message_reply_default(m);
	}
}

static void ssh_server(int fd, enum ssrv how)
{
	static const int methods[] = {
		[SS_PASSWORD_OK] = SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY,
		[SS_PASSWORD_DENY] = SSH_AUTH_METHOD_PASSWORD,
		[SS_NONE_OK] = SSH_AUTH_METHOD_PASSWORD,
		[SS_PUBKEY_ONLY] = SSH_AUTH_METHOD_PUBLICKEY,
		[SS_KBDINT] = SSH_AUTH_METHOD_INTERACTIVE,
		[SS_KBDINT_ECHO] = SSH_AUTH_METHOD_INTERACTIVE,
		[SS_TOO_MANY] = SSH_AUTH_METHOD_PASSWORD,
		[SS_NONE_BYE] = SSH_AUTH_METHOD_PASSWORD,
		[SS_SILENT] = 0,
	};
	ssh_bind b = ssh_bind_new();
	ssh_session s = ssh_new();
	ssh_key key = NULL;
	ssh_message m;
	int off = 0;

	if (how == SS_SILENT)
		pause();
	if (!b || !s || ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &off) != SSH_OK ||
	    ssh_bind_options_set(b, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK ||
	    ssh_bind_accept_fd(b, s, fd) != SSH_OK || ssh_handle_key_exchange(s) != SSH_OK)
		_exit(1);
	ssh_set_auth_methods(s, methods[how]);
	for (int i = 0; i < 16 && (m = ssh_message_get(s)) != NULL; i++) {
		if (ssh_message_type(m) == SSH_REQUEST_AUTH)
			ssh_auth(s, m, how, methods[how]);
		else
			ssh_message_reply_default(m);
		ssh_message_free(m);
	}
	_exit(0);
}

/* A fake MQTT broker: reads the CONNECT, answers with CONNACK 0 when it
 * carries user "admin" and SECRET, else CONNACK 4; or, when echo is set,
 * sends the CONNECT back; or closes at once when close_at_once is set. */
enum msrv { MS_CHECK, MS_ECHO, MS_CLOSE, MS_UNAVAILABLE };

static void mqtt_broker(int fd, enum msrv how)
{
	uint8_t buf[512];
	ssize_t n = 0, r;

	if (how == MS_CLOSE)
		_exit(0);
	while (n < 2 || n < 2 + buf[1]) { /* short CONNECT: one length byte */
		r = read(fd, buf + n, sizeof buf - (size_t)n);
		if (r <= 0)
			_exit(1);
		n += r;
	}
	if (how == MS_ECHO) {
		if (write(fd, buf, (size_t)n) < 0)
			_exit(1);
	} else {
		int ok = has(buf, (size_t)n,
			     "\x00\x05"
			     "admin") &&
			 has(buf, (size_t)n, SECRET);
		uint8_t ack[4] = { 0x20, 0x02, 0x00, how == MS_UNAVAILABLE ? 3 : ok ? 0 : 4 };
		if (write(fd, ack, sizeof ack) < 0)
			_exit(1);
	}
	(void)read(fd, buf, sizeof buf); /* until the client leaves */
	_exit(0);
}

struct run {
	struct tb_ctx ctx;
	struct tb_login_iface ifc;
	struct tb_login_try t;
	struct tb_login_log log;
	pid_t pid;
	int64_t ms;
};

static pid_t serve_one(int ls, int is_ssh, int how)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = accept(ls, NULL, NULL);
		if (fd < 0)
			_exit(1);
		if (is_ssh)
			ssh_server(fd, (enum ssrv)how);
		mqtt_broker(fd, (enum msrv)how);
	}
	return pid;
}

/* One attempt of drv against a server doing how; r holds everything after. */
static enum tb_login_outcome attempt(struct run *r, const struct tb_login_driver *drv, int how,
				     const char *user, const char *pass, int budget_ms)
{
	uint16_t port;
	int ls = listen_loopback(&port);

	memset(r, 0, sizeof *r);
	tb_net_init(&r->ctx.net, &scope, 1000, 500);
	r->pid = serve_one(ls, drv == &tb_login_ssh, how);
	close(ls);
	r->ifc = (struct tb_login_iface){ .drv = drv, .addr = IP(127, 0, 0, 1), .port = port };
	r->t = (struct tb_login_try){ .ctx = &r->ctx,
				      .ifc = &r->ifc,
				      .user = user,
				      .pass = pass,
				      .secret = 1,
				      .log = &r->log };
	int64_t t0 = tb_now_ms();
	r->t.deadline_ms = t0 + budget_ms;
	enum tb_login_outcome o = drv->attempt(&r->t);
	r->ms = tb_now_ms() - t0;
	kill(r->pid, SIGKILL);
	waitpid(r->pid, NULL, 0);
	/* The declared password shows nowhere. */
	ck_assert(!strstr(r->t.detail, pass));
	ck_assert(!has(r->log.buf, r->log.len, pass));
	ck_assert(!has(r->t.sent, r->t.sentlen, pass));
	ck_assert(!has(r->t.got, r->t.gotlen, pass));
	return o;
}

static void done(struct run *r)
{
	tb_login_log_free(&r->log);
}

START_TEST(ssh_password_accepted_with_proof)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_PASSWORD_OK, "root", SECRET, 5000),
			 TB_LOGIN_ACCEPTED);
	ck_assert(strstr(r.t.detail, "SSH_MSG_USERAUTH_SUCCESS"));
	ck_assert(has(r.t.got, r.t.gotlen, "SSH_MSG_USERAUTH_SUCCESS"));
	ck_assert(has(r.t.sent, r.t.sentlen, "userauth password for root"));
	ck_assert(has(r.log.buf, r.log.len, "<password withheld>"));
	ck_assert(
		has(r.log.buf, r.log.len, ">> SSH_MSG_USERAUTH_REQUEST user \"root\" method \"none\""));
	done(&r);
}
END_TEST

START_TEST(ssh_password_denied_is_rejected)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_PASSWORD_DENY, "root", SECRET, 5000),
			 TB_LOGIN_REJECTED);
	ck_assert_uint_eq(r.t.sentlen, 0);
	ck_assert(has(r.log.buf, r.log.len, "<< SSH_MSG_USERAUTH_FAILURE"));
	done(&r);
}
END_TEST

START_TEST(ssh_none_accepted_means_no_authentication)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_NONE_OK, "root", SECRET, 5000),
			 TB_LOGIN_ACCEPTED);
	ck_assert(strstr(r.t.detail, "no authentication at all"));
	ck_assert(!has(r.log.buf, r.log.len, "password withheld")); /* none was sent */
	done(&r);
}
END_TEST

START_TEST(ssh_without_password_method_is_not_tried)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_PUBKEY_ONLY, "root", SECRET, 5000),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(r.t.detail, "no password login offered (methods: publickey)"));
	done(&r);
}
END_TEST

START_TEST(ssh_keyboard_interactive_answers_one_password_prompt)
{
	struct run r;

	/* The fake server checks that the answer is the password. */
	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_KBDINT, "root", SECRET, 5000),
			 TB_LOGIN_ACCEPTED);
	ck_assert(strstr(r.t.detail, "keyboard-interactive"));
	ck_assert(has(r.log.buf, r.log.len, "method \"keyboard-interactive\": <password withheld>"));
	done(&r);
	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_KBDINT, "root", "wrong-" SECRET, 5000),
			 TB_LOGIN_REJECTED);
	done(&r);
}
END_TEST

START_TEST(ssh_keyboard_interactive_echo_prompt_is_not_answered)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_KBDINT_ECHO, "root", SECRET, 5000),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(r.t.detail, "echoed"));
	ck_assert(!has(r.log.buf, r.log.len, "password withheld")); /* nothing answered */
	ck_assert(has(r.log.buf, r.log.len, "userauth keyboard-interactive: no password sent"));
	done(&r);
}
END_TEST

START_TEST(ssh_too_many_failures_is_throttled)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_TOO_MANY, "root", SECRET, 5000),
			 TB_LOGIN_THROTTLED);
	ck_assert_int_lt(r.ms, 2000); /* at the DISCONNECT, not at the deadline */
	ck_assert(strstr(r.t.detail, "Too many authentication failures"));
	ck_assert_int_eq(r.t.retry_after_s, -1);
	done(&r);
}
END_TEST

/* Regression: non-blocking libssh answers SSH_AUTH_AGAIN for ever once the
 * server has ended the session, so the probe spun until its deadline and
 * called a DISCONNECT a timeout. */
START_TEST(probe_sees_a_disconnect_at_once)
{
	struct tb_sshc_auth a;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		ssh_server(sv[1], SS_NONE_BYE);
	}
	close(sv[1]);
	int64_t t0 = tb_now_ms();
	tb_sshc_auth_methods(sv[0], "fake", "trustbench-probe", t0 + 5000, &a);
	int64_t ms = tb_now_ms() - t0;
	close(sv[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(a.outcome, TB_SSHC_KEX_FAILED);
	ck_assert(strstr(a.why, "Too many authentication failures"));
	ck_assert_int_lt(ms, 2000);
}
END_TEST

START_TEST(ssh_disconnect_on_none_is_throttled)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_NONE_BYE, "root", SECRET, 5000),
			 TB_LOGIN_THROTTLED);
	ck_assert(strstr(r.t.detail, "the server ended the session"));
	ck_assert_int_lt(r.ms, 2000);
	done(&r);
}
END_TEST

START_TEST(ssh_silent_server_ends_at_the_deadline)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_ssh, SS_SILENT, "root", SECRET, 400),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(r.t.detail, "deadline"));
	ck_assert_int_ge(r.ms, 350);
	ck_assert_int_lt(r.ms, 1400);
	done(&r);
}
END_TEST

START_TEST(ssh_closed_port_is_noconnect)
{
	struct tb_ctx ctx;
	struct tb_login_log log = { 0 };
	uint16_t port;
	int ls = listen_loopback(&port);
	close(ls); /* nothing listens there now */
	memset(&ctx, 0, sizeof ctx);
	tb_net_init(&ctx.net, &scope, 1000, 500);
	struct tb_login_iface ifc = { .drv = &tb_login_ssh, .addr = IP(127, 0, 0, 1), .port = port };
	struct tb_login_try t = { .ctx = &ctx,
				  .ifc = &ifc,
				  .user = "u",
				  .pass = "p",
				  .log = &log,
				  .deadline_ms = tb_now_ms() + 1000 };

	ck_assert_int_eq(tb_login_ssh.attempt(&t), TB_LOGIN_NOCONNECT);
	ck_assert_int_eq(tb_login_mqtt.attempt(&t), TB_LOGIN_NOCONNECT);
	ifc.addr = IP(198, 18, 0, 9); /* outside this test's scope: nothing sent */
	ck_assert_int_eq(tb_login_ssh.attempt(&t), TB_LOGIN_NOCONNECT);
	ck_assert_uint_eq(ctx.net.scope_refusals, 1);
	tb_login_log_free(&log);
}
END_TEST

START_TEST(mqtt_right_and_wrong_password)
{
	struct run r;

	ck_assert_int_eq(attempt(&r, &tb_login_mqtt, MS_CHECK, "admin", SECRET, 3000),
			 TB_LOGIN_ACCEPTED);
	ck_assert_str_eq(r.t.detail, "CONNACK 0: the broker accepted the user and password");
	ck_assert_uint_eq(r.t.gotlen, 4);
	ck_assert(has(r.t.sent, r.t.sentlen, "password withheld"));
	ck_assert(has(r.log.buf, r.log.len, "<< 20 02 00 00"));
	ck_assert(has(r.log.buf, r.log.len, "<password withheld>"));
	done(&r);
	ck_assert_int_eq(attempt(&r, &tb_login_mqtt, MS_CHECK, "admin", "not-the-password", 3000),
			 TB_LOGIN_REJECTED);
	ck_assert(strstr(r.t.detail, "CONNACK 4"));
	ck_assert_uint_eq(r.t.sentlen, 0);
	done(&r);
	/* CONNACK 3, server unavailable: a throttling broker. */
	ck_assert_int_eq(attempt(&r, &tb_login_mqtt, MS_UNAVAILABLE, "admin", SECRET, 3000),
			 TB_LOGIN_THROTTLED);
	done(&r);
}
END_TEST

START_TEST(mqtt_echo_and_close_are_unconfirmed)
{
	struct run r;

	/* A broker that sends the CONNECT back: the transcript shows it masked. */
	ck_assert_int_eq(attempt(&r, &tb_login_mqtt, MS_ECHO, "admin", SECRET, 3000),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(r.t.detail, "type 1"));
	done(&r);
	ck_assert_int_eq(attempt(&r, &tb_login_mqtt, MS_CLOSE, "admin", SECRET, 3000),
			 TB_LOGIN_UNCONFIRMED);
	ck_assert(strstr(r.t.detail, "without a byte"));
	done(&r);
}
END_TEST

START_TEST(mqtt_public_default_password_is_kept_as_sent)
{
	struct run r;

	/* Not the declared credential (a public default from the credential
	 * list): the proof is the CONNECT itself. */
	memset(&r, 0, sizeof r);
	uint16_t port;
	int ls = listen_loopback(&port);
	tb_net_init(&r.ctx.net, &scope, 1000, 500);
	r.pid = serve_one(ls, 0, MS_CHECK);
	close(ls);
	r.ifc = (struct tb_login_iface){ .drv = &tb_login_mqtt,
					 .addr = IP(127, 0, 0, 1),
					 .port = port };
	r.t = (struct tb_login_try){ .ctx = &r.ctx,
				     .ifc = &r.ifc,
				     .user = "admin",
				     .pass = SECRET,
				     .log = &r.log,
				     .deadline_ms = tb_now_ms() + 3000 };
	ck_assert_int_eq(tb_login_mqtt.attempt(&r.t), TB_LOGIN_ACCEPTED);
	kill(r.pid, SIGKILL);
	waitpid(r.pid, NULL, 0);
	ck_assert(has(r.t.sent, r.t.sentlen, SECRET));
	ck_assert(has(r.log.buf, r.log.len, "password \"" SECRET "\""));
	done(&r);
}
END_TEST

Suite *login_ssh_mqtt_suite(void)
{
	Suite *s = suite_create("login_ssh_mqtt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ssh_outcomes_map_to_login_outcomes);
	tcase_add_test(tc, ssh_disconnect_saying_slow_down_is_throttled);
	tcase_add_test(tc, ssh_detail_never_shows_the_secret);
	tcase_add_test(tc, connack_codes_map_to_login_outcomes);
	tcase_add_test(tc, no_connack_is_unconfirmed);
	tcase_add_test(tc, ssh_password_accepted_with_proof);
	tcase_add_test(tc, ssh_password_denied_is_rejected);
	tcase_add_test(tc, ssh_none_accepted_means_no_authentication);
	tcase_add_test(tc, ssh_without_password_method_is_not_tried);
	tcase_add_test(tc, ssh_keyboard_interactive_answers_one_password_prompt);
	tcase_add_test(tc, ssh_keyboard_interactive_echo_prompt_is_not_answered);
	tcase_add_test(tc, ssh_too_many_failures_is_throttled);
	tcase_add_test(tc, probe_sees_a_disconnect_at_once);
	tcase_add_test(tc, ssh_disconnect_on_none_is_throttled);
	tcase_add_test(tc, ssh_silent_server_ends_at_the_deadline);
	tcase_add_test(tc, ssh_closed_port_is_noconnect);
	tcase_add_test(tc, mqtt_right_and_wrong_password);
	tcase_add_test(tc, mqtt_echo_and_close_are_unconfirmed);
	tcase_add_test(tc, mqtt_public_default_password_is_kept_as_sent);
	suite_add_tcase(s, tc);
	return s;
}
