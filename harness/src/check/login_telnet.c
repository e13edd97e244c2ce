/* login_telnet.c: one telnet login guess (check/login.h).  A login counts
 * only when a command we send is evaluated by the device: the output of
 * `echo TB$((A+B))` contains the sum, which an echo of our own input (or a
 * "Last login" banner, or a busybox that prints a prompt after any
 * password) would not. */
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "net/net.h"
#include "proto/p_ascii.h"
#include "proto/p_telnet.h"

#define TEXT_MAX 8192
#define STEP_MS 4000
/* More than this from the device without a prompt we recognise is no
 * login: stop reading (a device that streams without end would otherwise
 * keep a core busy until the attempt's deadline). */
#define STREAM_MAX (256 * 1024)

struct tn_session {
	int fd;
	struct tb_telnet_state st;
	uint8_t text[TEXT_MAX]; /* device text since our last line */
	size_t tlen;
	int64_t end;  /* overall deadline of the attempt */
	size_t total; /* bytes read */
	struct tb_login_try *t;
};

/* Send a line; secret lines are logged as withheld. */
static enum tb_err tn_send(struct tn_session *s, const char *line, int secret)
{
	char buf[600];
	int n = snprintf(buf, sizeof buf, "%s\r\n", line);
	if (n < 0 || (size_t)n >= sizeof buf)
		return TB_E_TOOBIG;
	s->tlen = 0;
	const char *shown = secret ? "<declared credential withheld>\r\n" : buf;
	tb_login_log_add(s->t->log, ">>", shown, strlen(shown));
	tb_login_keep(s->t->sent, &s->t->sentlen, sizeof s->t->sent, shown, strlen(shown));
	return tb_net_send_all(s->fd, buf, (size_t)n, s->end);
}

/* Read one chunk: filter telnet commands, answer them, append the text.
 * Returns TB_OK, TB_E_TIMEOUT at the step deadline (also when the device is
 * still sending: tb_net_recv checks the deadline before every read), or
 * TB_E_REFUSED on close. */
static enum tb_err tn_read(struct tn_session *s, int64_t step_deadline)
{
	uint8_t in[2048], data[2048], reply[2048]; /* a reply is never longer than its request */
	size_t got, dlen, rlen;
	int64_t dl = step_deadline < s->end ? step_deadline : s->end;
	enum tb_err e = tb_net_recv(s->fd, in, sizeof in, &got, dl);
	if (e)
		return e;
	if (got == 0)
		return TB_E_REFUSED;
	s->total += got;
	if (s->total > STREAM_MAX)
		return TB_E_TOOBIG;
	/* data and reply are as large as in, so TB_E_TOOBIG cannot happen; what
	 * the filter wrote is whole and used either way. */
	e = tb_p_telnet_filter(&s->st, in, got, data, sizeof data, &dlen, reply, sizeof reply, &rlen);
	if (rlen && tb_net_send_all(s->fd, reply, rlen, s->end) != TB_OK)
		return TB_E_REFUSED;
	tb_login_log_add(s->t->log, "<<", data, dlen);
	tb_login_keep(s->t->got, &s->t->gotlen, sizeof s->t->got, data, dlen);
	/* Keep the tail: prompts are at the end.  dlen < TEXT_MAX always. */
	if (s->tlen + dlen > TEXT_MAX) {
		size_t drop = s->tlen + dlen - TEXT_MAX;
		memmove(s->text, s->text + drop, s->tlen - drop);
		s->tlen -= drop;
	}
	memcpy(s->text + s->tlen, data, dlen);
	s->tlen += dlen;
	return TB_OK;
}

enum tn_phase { PH_WAIT_PROMPT, PH_SENT_USER, PH_SENT_PASS, PH_SENT_CMD };
#define NOT_YET ((enum tb_login_outcome) - 1)

static enum tb_login_outcome sent_or_unconfirmed(enum tb_err e)
{
	return e ? TB_LOGIN_UNCONFIRMED : NOT_YET;
}

static enum tb_login_outcome tn_step(struct tn_session *s, enum tn_phase *ph, const char *marker,
				     const char *cmd)
{
	struct tb_login_try *t = s->t;
	enum tb_telnet_prompt pr = tb_p_telnet_prompt(s->text, s->tlen);
	switch (*ph) {
	case PH_WAIT_PROMPT:
		if (pr == TB_TN_LOGIN) {
			*ph = PH_SENT_USER;
			return sent_or_unconfirmed(tn_send(s, t->user, 0));
		}
		if (pr == TB_TN_PASSWORD) {
			*ph = PH_SENT_PASS;
			return sent_or_unconfirmed(tn_send(s, t->pass, t->secret));
		}
		break;
	case PH_SENT_USER:
		if (pr == TB_TN_PASSWORD) {
			*ph = PH_SENT_PASS;
			return sent_or_unconfirmed(tn_send(s, t->pass, t->secret));
		}
		if (pr == TB_TN_FAILED || pr == TB_TN_LOGIN) {
			snprintf(t->detail, sizeof t->detail, "login refused after the user name");
			return TB_LOGIN_REJECTED;
		}
		break;
	case PH_SENT_PASS:
		if (pr == TB_TN_FAILED || pr == TB_TN_LOGIN || pr == TB_TN_PASSWORD) {
			snprintf(t->detail, sizeof t->detail, "the device refused the password");
			return TB_LOGIN_REJECTED;
		}
		if (pr == TB_TN_SHELL) {
			*ph = PH_SENT_CMD;
			return sent_or_unconfirmed(tn_send(s, cmd, 0));
		}
		break;
	case PH_SENT_CMD:
		if (tb_mem_contains(s->text, s->tlen, (const uint8_t *)marker, strlen(marker))) {
			snprintf(t->detail, sizeof t->detail,
				 "logged in: the device evaluated `%s` and printed %s", cmd, marker);
			return TB_LOGIN_ACCEPTED;
		}
		break;
	}
	return NOT_YET;
}

static void why_unconfirmed(struct tn_session *s, enum tb_err e, enum tn_phase ph)
{
	static const char *const where[] = { "before a login prompt", "after the user name",
					     "after the password", "after the test command" };
	snprintf(s->t->detail, sizeof s->t->detail, "%s %s%s",
		 e == TB_E_TIMEOUT  ? "no recognisable answer"
		 : e == TB_E_TOOBIG ? "more than 256 KiB without a recognisable prompt"
				    : "connection closed",
		 where[ph],
		 tb_net_stop_requested()                      ? " (the run was interrupted)"
		 : e == TB_E_TIMEOUT && tb_now_ms() >= s->end ? " within the attempt's deadline"
							      : "");
}

static enum tb_login_outcome telnet_attempt(struct tb_login_try *t)
{
	struct tn_session s = { .fd = -1, .t = t, .end = t->deadline_ms };
	struct tb_diag d;
	tb_p_telnet_init(&s.st);
	if (tb_net_connect(&t->ctx->net, t->ifc->addr, t->ifc->port, &s.fd, &d) != TB_OK) {
		snprintf(t->detail, sizeof t->detail, "%s", d.msg);
		return TB_LOGIN_NOCONNECT;
	}
	unsigned char rnd[4] = { 0 };
	(void)RAND_bytes(rnd, sizeof rnd);
	unsigned a = 10000u + ((unsigned)rnd[0] << 8 | rnd[1]) % 80000u;
	unsigned b = 10000u + ((unsigned)rnd[2] << 8 | rnd[3]) % 80000u;
	char cmd[64], marker[32];
	snprintf(cmd, sizeof cmd, "echo TB$((%u+%u))", a, b);
	snprintf(marker, sizeof marker, "TB%u", a + b);
	enum tn_phase ph = PH_WAIT_PROMPT;
	enum tb_login_outcome o = NOT_YET;
	int nudged = 0;
	tb_login_log_note(t->log, "new connection");
	while (o == NOT_YET) {
		/* Checked on every pass, not only when a read has to wait: a device
		 * that streams bytes without end (an IAC SB that is never closed)
		 * never makes a read wait. */
		enum tb_err e = tb_net_deadline_passed(s.end) ? TB_E_TIMEOUT
							      : tn_read(&s, tb_now_ms() + STEP_MS);
		if (e == TB_OK) {
			o = tn_step(&s, &ph, marker, cmd);
		} else if (e == TB_E_TIMEOUT && ph == PH_SENT_PASS && !nudged &&
			   !tb_net_deadline_passed(s.end)) {
			/* Quiet after the password with no prompt we recognise: ask the
			 * shell directly; only its answer can confirm a login. */
			nudged = 1;
			ph = PH_SENT_CMD;
			if (tn_send(&s, cmd, 0) != TB_OK)
				o = TB_LOGIN_UNCONFIRMED;
		} else {
			why_unconfirmed(&s, e, ph);
			o = TB_LOGIN_UNCONFIRMED;
		}
	}
	tb_net_close(&s.fd);
	return o;
}

const struct tb_login_driver tb_login_telnet = {
	.service = "telnet",
	.transport = "tcp",
	.default_port = 23,
	.attempt = telnet_attempt,
};
