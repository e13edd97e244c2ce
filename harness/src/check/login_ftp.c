/* login_ftp.c: one FTP login guess (check/login.h).  USER, then PASS when
 * asked (331), and the login counts only when a command that needs one
 * works afterwards: PWD answers 257 with a directory name where, on the
 * same connection before USER, it did not (vsftpd answers 530 there).  A
 * 230 alone is a claim, not proof.  FTPS (implicit TLS) is not spoken yet. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "check/login_ftp_internal.h"
#include "check/login_mask.h"
#include "net/net.h"
#include "proto/p_ascii.h"
#include "proto/p_ftp.h"

#define STEP_MS 5000
#define QUIT_MS 1000
/* 1xx preliminary replies skipped before a command's real answer. */
#define MAX_PRELIMINARY 3
#define NOT_YET ((enum tb_login_outcome) - 1)

struct ftp_session {
	int fd;
	uint8_t buf[TB_FTP_REPLY_MAX];
	size_t len;
	struct tb_login_try *t;
	enum tb_err err; /* how the last exchange ended */
};

TB_UNITTEST int ftp_is_anonymous(const char *user)
{
	return strcasecmp(user, "anonymous") == 0 || strcasecmp(user, "ftp") == 0;
}

TB_UNITTEST enum tb_login_outcome ftp_judge(enum ftp_step st, const struct tb_ftp_reply *r,
					    int pwd_before_login, char *detail, size_t dl)
{
	static const char *const after[] = { "greeting", "PWD before login", "USER", "PASS",
					     "PWD after login" };
	char dir[200];

	if (r->code == 421 ||
	    (r->code >= 400 && st != FTP_PWD_BEFORE && tb_login_text_throttled(r->text))) {
		snprintf(detail, dl, "throttled: %d %s (after %s)", r->code, r->text, after[st]);
		return TB_LOGIN_THROTTLED;
	}
	switch (st) {
	case FTP_GREETING:
		if (r->code == 220)
			return NOT_YET;
		break;
	case FTP_PWD_BEFORE: return NOT_YET;
	case FTP_USER:
		if (r->code == 331 || r->code == 230)
			return NOT_YET;
		if (r->code == 530) {
			snprintf(detail, dl, "user refused: 530 %s", r->text);
			return TB_LOGIN_REJECTED;
		}
		break;
	case FTP_PASS:
		if (r->code == 230 || r->code == 202)
			return NOT_YET;
		if (r->code == 530) {
			snprintf(detail, dl, "password refused: 530 %s", r->text);
			return TB_LOGIN_REJECTED;
		}
		break;
	case FTP_PWD:
		if (r->code == 257 && tb_p_ftp_257_path(r->text, dir, sizeof dir)) {
			if (pwd_before_login) {
				snprintf(detail, dl,
					 "the device said logged in, but PWD answered 257 before the "
					 "login "
					 "too: nothing proves the login");
				return TB_LOGIN_UNCONFIRMED;
			}
			snprintf(detail, dl, "PWD answered 257 \"%s\" after the login, not before it",
				 dir);
			return TB_LOGIN_ACCEPTED;
		}
		if (r->code == 530) {
			snprintf(detail, dl,
				 "the device said logged in, but PWD answered 530 %s: not logged in",
				 r->text);
			return TB_LOGIN_REJECTED;
		}
		break;
	}
	if (r->code == 332)
		snprintf(detail, dl, "asks for an account (ACCT) after %s: 332 %s", after[st], r->text);
	else
		snprintf(detail, dl, "neither grants nor refuses: %d %s (after %s)", r->code, r->text,
			 after[st]);
	return TB_LOGIN_UNCONFIRMED;
}

/* One transcript line per line of p[0..n): device bytes cannot start a line
 * of their own in the transcript (tb_login_log_add keeps LF). */
static void log_lines(struct tb_login_log *log, const char *dir, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		const uint8_t *lf = memchr(b, '\n', n);
		size_t k = lf ? (size_t)(lf - b) : n;

		tb_login_log_add(log, dir, b, k);
		n -= lf ? k + 1 : k;
		b += lf ? k + 1 : k;
	}
}

static int64_t step_deadline(const struct ftp_session *s, int ms)
{
	int64_t d = tb_now_ms() + ms;
	return d < s->t->deadline_ms ? d : s->t->deadline_ms;
}

/* Log (and keep as proof) device bytes, the secret masked out. */
static void note_got(struct ftp_session *s, const uint8_t *p, size_t n)
{
	uint8_t copy[TB_FTP_REPLY_MAX];
	struct tb_login_try *t = s->t;

	memcpy(copy, p, n);
	if (t->secret)
		tb_login_mask(copy, n, t->pass);
	log_lines(t->log, "<<", copy, n);
	tb_login_keep(t->got, &t->gotlen, sizeof t->got, copy, n);
}

/* Read one whole reply before deadline.  TB_OK; TB_E_TIMEOUT;
 * TB_E_REFUSED when the device closed; TB_E_FORMAT or TB_E_TOOBIG for bytes
 * that are not an FTP reply within TB_FTP_REPLY_MAX. */
static enum tb_err read_reply(struct ftp_session *s, struct tb_ftp_reply *r, int64_t deadline)
{
	for (;;) {
		enum tb_err e = tb_p_ftp_reply(s->buf, s->len, r);
		size_t got;

		if (e == TB_OK) {
			note_got(s, s->buf, r->len);
			memmove(s->buf, s->buf + r->len, s->len - r->len);
			s->len -= r->len;
			return TB_OK;
		}
		if (e != TB_E_TRUNC) {
			note_got(s, s->buf, s->len);
			return e;
		}
		/* The parser says TB_E_TOOBIG before the buffer is full. */
		if (tb_net_deadline_passed(deadline))
			return TB_E_TIMEOUT;
		e = tb_net_recv(s->fd, s->buf + s->len, sizeof s->buf - s->len, &got, deadline);
		if (e)
			return e;
		if (got == 0)
			return TB_E_REFUSED;
		s->len += got;
	}
}

/* The final reply to a command: 1xx preliminary replies are skipped. */
static enum tb_err final_reply(struct ftp_session *s, struct tb_ftp_reply *r)
{
	int64_t deadline = step_deadline(s, STEP_MS);
	enum tb_err e;
	int n = 0;

	while ((e = read_reply(s, r, deadline)) == TB_OK && r->code < 200 && n++ < MAX_PRELIMINARY)
		;
	return e;
}

/* Send "verb arg" CRLF; shown_arg is what the log and proof say instead of
 * arg (the password withheld). */
static enum tb_err send_cmd(struct ftp_session *s, const char *verb, const char *arg,
			    const char *shown_arg)
{
	char line[600], shown[600];
	int n = snprintf(line, sizeof line, "%s%s%s\r\n", verb, arg ? " " : "", arg ? arg : "");

	if (n < 0 || (size_t)n >= sizeof line)
		return TB_E_TOOBIG;
	snprintf(shown, sizeof shown, "%s%s%s\r\n", verb, shown_arg ? " " : "",
		 shown_arg ? shown_arg : "");
	log_lines(s->t->log, ">>", shown, strlen(shown));
	tb_login_keep(s->t->sent, &s->t->sentlen, sizeof s->t->sent, shown, strlen(shown));
	return tb_net_send_all(s->fd, line, (size_t)n, step_deadline(s, STEP_MS));
}

/* One command and its final reply, judged; NOT_YET to go on. */
static enum tb_login_outcome exchange(struct ftp_session *s, enum ftp_step st, const char *verb,
				      const char *arg, const char *shown_arg, int pwd_before,
				      struct tb_ftp_reply *r)
{
	static const char *const what[] = { "the greeting", "PWD before login", "USER", "PASS",
					    "PWD after login" };
	struct tb_login_try *t = s->t;
	enum tb_err e = verb ? send_cmd(s, verb, arg, shown_arg) : TB_OK;

	if (e == TB_OK)
		e = final_reply(s, r);
	s->err = e;
	if (e == TB_OK)
		return ftp_judge(st, r, pwd_before, t->detail, sizeof t->detail);
	if (e == TB_E_TIMEOUT)
		snprintf(t->detail, sizeof t->detail, "no answer to %s in time%s", what[st],
			 tb_net_stop_requested() ? " (the run was interrupted)" : "");
	else if (e == TB_E_REFUSED)
		snprintf(t->detail, sizeof t->detail, "connection closed, no answer to %s", what[st]);
	else if (e == TB_E_FORMAT || e == TB_E_TOOBIG)
		snprintf(t->detail, sizeof t->detail, "not an FTP reply to %s (%s)", what[st],
			 e == TB_E_TOOBIG ? "no end within 8 KiB" : "malformed");
	else
		snprintf(t->detail, sizeof t->detail, "could not send %s: %s", what[st],
			 tb_strerror(e));
	return TB_LOGIN_UNCONFIRMED;
}

/* A polite QUIT; its answer is read briefly and not judged. */
static void quit(struct ftp_session *s)
{
	struct tb_ftp_reply r;
	int64_t deadline = step_deadline(s, QUIT_MS);

	if (send_cmd(s, "QUIT", NULL, NULL) == TB_OK)
		(void)read_reply(s, &r, deadline);
}

TB_UNITTEST int ftp_arg_ok(const char *s)
{
	return strlen(s) <= 256 && !strpbrk(s, "\r\n");
}

/* A new connection in place of one the device closed: 0, or -1 with the
 * reason in the detail. */
static int reconnect(struct ftp_session *s)
{
	struct tb_diag d = { .msg = "" };

	tb_net_close(&s->fd);
	s->len = 0;
	tb_login_log_note(s->t->log, "new connection");
	if (tb_net_connect(&s->t->ctx->net, s->t->ifc->addr, s->t->ifc->port, &s->fd, &d) != TB_OK) {
		snprintf(s->t->detail, sizeof s->t->detail, "%s", d.msg);
		return -1;
	}
	return 0;
}

/* The greeting, and whether PWD works before any login (*pwd_before).  A
 * device that hangs up on PWD before the login plainly does not serve it:
 * that counts as "not 257", and the login goes on on a new connection. */
static enum tb_login_outcome greet(struct ftp_session *s, int *pwd_before)
{
	struct tb_ftp_reply r;
	enum tb_login_outcome o;

	if ((o = exchange(s, FTP_GREETING, NULL, NULL, NULL, 0, &r)) != NOT_YET)
		return o;
	o = exchange(s, FTP_PWD_BEFORE, "PWD", NULL, NULL, 0, &r);
	*pwd_before = o == NOT_YET && r.code == 257;
	if (o == TB_LOGIN_UNCONFIRMED && s->err == TB_E_REFUSED) {
		tb_login_log_note(s->t->log, "closed on PWD before the login: PWD needs one");
		if (reconnect(s) != 0)
			return TB_LOGIN_NOCONNECT;
		o = exchange(s, FTP_GREETING, NULL, NULL, NULL, 0, &r);
	}
	return o;
}

/* Greeting, PWD before login, USER, PASS (unless 230 came already), PWD. */
static enum tb_login_outcome login(struct ftp_session *s, int *no_password)
{
	struct tb_login_try *t = s->t;
	struct tb_ftp_reply r;
	enum tb_login_outcome o;
	int pwd_before;

	if ((o = greet(s, &pwd_before)) != NOT_YET)
		return o;
	if ((o = exchange(s, FTP_USER, "USER", t->user, t->user, 0, &r)) != NOT_YET)
		return o;
	if (r.code == 331) {
		const char *shown = t->secret ? "<password withheld>" : t->pass;

		if ((o = exchange(s, FTP_PASS, "PASS", t->pass, shown, 0, &r)) != NOT_YET)
			return o;
	} else {
		*no_password = 1;
		tb_login_log_note(t->log, "230 straight after USER: no password asked");
	}
	return exchange(s, FTP_PWD, "PWD", NULL, NULL, pwd_before, &r);
}

static enum tb_login_outcome ftp_attempt(struct tb_login_try *t)
{
	struct ftp_session s = { .fd = -1, .t = t };
	enum tb_login_outcome o;
	int no_password = 0;

	t->retry_after_s = -1;
	if (t->ifc->tls) {
		snprintf(t->detail, sizeof t->detail, "FTPS not supported yet");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (!ftp_arg_ok(t->user) || !ftp_arg_ok(t->pass)) {
		snprintf(t->detail, sizeof t->detail,
			 "credential longer than 256 bytes or with a line break: not sent");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (reconnect(&s) != 0)
		return TB_LOGIN_NOCONNECT;
	o = login(&s, &no_password);
	quit(&s);
	if (o == TB_LOGIN_ACCEPTED) {
		char why[sizeof t->detail];

		snprintf(why, sizeof why, "%s", t->detail);
		snprintf(t->detail, sizeof t->detail, "%s%s: %s",
			 ftp_is_anonymous(t->user) ? "anonymous login" : "logged in",
			 no_password ? " without a password (230 to USER)" : "", why);
	} else {
		t->sentlen = t->gotlen = 0;
	}
	tb_net_close(&s.fd);
	if (t->secret)
		tb_login_mask(t->detail, strlen(t->detail), t->pass);
	return o;
}

const struct tb_login_driver tb_login_ftp = {
	.service = "ftp",
	.transport = "tcp",
	.default_port = 21,
	.attempt = ftp_attempt,
};
