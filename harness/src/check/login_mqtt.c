/* login_mqtt.c: the credential phase's MQTT driver: one CONNECT with a user
 * name and password (MQTT 3.1.1, plain or over TLS), judged by the CONNACK. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/login.h"
#include "check/login_mask.h"
#include "check/login_ssh_mqtt_internal.h"
#include "net/net.h"
#include "net/scope.h"
#include "net/tls.h"
#include "proto/p_mqttclient.h"

/* A CONNACK is 4 bytes; anything longer first is not the answer wanted. */
#define READ_CAP 256
/* CONNECT with a 23-byte client id and user and password of 1024 bytes each. */
#define CONNECT_CAP 2200

static const char *connack_meaning(uint8_t rc)
{
	switch (rc) {
	case 0: return "the broker accepted the user and password";
	case 1: return "protocol level 4 (MQTT 3.1.1) refused; the credential was not judged";
	case 2: return "client identifier rejected; the credential was not judged";
	case 3:
		return "server unavailable: the broker refuses to judge credentials for now "
		       "(how a broker throttles guessing)";
	case 4: return "bad user name or password";
	case 5: return "not authorised";
	}
	return "?";
}

enum tb_login_outcome tb_login_mqtt_judge(const uint8_t *buf, size_t len, const char *why, int *rc,
					  char *detail, size_t cap)
{
	uint8_t type, flags;
	const uint8_t *body;
	size_t blen, used;
	struct tb_mqtt_connack ca;

	*rc = -1;
	if (len == 0) {
		snprintf(detail, cap, "no CONNACK: %s without a byte", why && why[0] ? why : "nothing");
		return TB_LOGIN_UNCONFIRMED;
	}
	enum tb_err e = tb_p_mqtt_packet(buf, len, &type, &flags, &body, &blen, &used);
	if (e == TB_E_TRUNC) {
		snprintf(detail, cap, "no CONNACK: an incomplete packet (%zu bytes), then %s", len,
			 why && why[0] ? why : "nothing");
		return TB_LOGIN_UNCONFIRMED;
	}
	if (e != TB_OK) {
		snprintf(detail, cap, "no CONNACK: not an MQTT packet (%s)", tb_strerror(e));
		return TB_LOGIN_UNCONFIRMED;
	}
	if (type != TB_MQTT_CONNACK) {
		snprintf(detail, cap, "no CONNACK: the first packet is of type %u", type);
		return TB_LOGIN_UNCONFIRMED;
	}
	if (tb_p_mqtt_connack(flags, body, blen, &ca) != TB_OK) {
		snprintf(detail, cap, "malformed CONNACK");
		return TB_LOGIN_UNCONFIRMED;
	}
	*rc = ca.rc;
	snprintf(detail, cap, "CONNACK %u: %s", ca.rc, connack_meaning(ca.rc));
	if (ca.rc == 0)
		return TB_LOGIN_ACCEPTED;
	/* Return code 3 answers a well-formed CONNECT when the broker will not
	 * serve this client now: after failed logins that is throttling, and the
	 * phase waits and asks again rather than counting a refusal. */
	if (ca.rc == 3)
		return TB_LOGIN_THROTTLED;
	return ca.rc == 4 || ca.rc == 5 ? TB_LOGIN_REJECTED : TB_LOGIN_UNCONFIRMED;
}

/* MQTT over TLS: TLS 1.3, then 1.2 (the broker's TLS is judged by the tls
 * check, not here).  Returns 0 when open, else the outcome with detail. */
static int open_tls(struct tb_login_try *t, struct tb_chan *c, enum tb_login_outcome *o)
{
	static const enum tb_tls_ver vers[] = { TB_TLS13, TB_TLS12 };
	struct tb_tls_result tr = { .outcome = TB_TLS_LOCAL };

	for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++) {
		int64_t left = t->deadline_ms - tb_now_ms();
		if (left <= 0)
			break;
		struct tb_tls_probe pr = { .ver = vers[i],
					   .timeout_ms = left > 60000 ? 60000 : (int)left };
		tb_tls_handshake(&t->ctx->net, t->ifc->addr, t->ifc->port, &pr, &tr, &c->tls);
		if (tr.outcome == TB_TLS_OK)
			return 0;
		if (tr.outcome == TB_TLS_CLOSED)
			break;
	}
	c->tls = NULL;
	*o = TB_LOGIN_NOCONNECT;
	if (tr.outcome == TB_TLS_CLOSED)
		snprintf(t->detail, sizeof t->detail, "connection refused (nothing listens)");
	else if (tr.why[0])
		snprintf(t->detail, sizeof t->detail, "TLS handshake failed: %s", tr.why);
	else
		snprintf(t->detail, sizeof t->detail, "TLS handshake not done before the deadline");
	return -1;
}

static int open_chan(struct tb_login_try *t, struct tb_chan *c, enum tb_login_outcome *o)
{
	struct tb_diag d = { .msg = "" };

	if (t->ifc->tls)
		return open_tls(t, c, o);
	enum tb_err e = tb_net_connect(&t->ctx->net, t->ifc->addr, t->ifc->port, &c->fd, &d);
	if (e == TB_OK)
		return 0;
	*o = TB_LOGIN_NOCONNECT;
	snprintf(t->detail, sizeof t->detail, "connect failed: %s", d.msg[0] ? d.msg : tb_strerror(e));
	return -1;
}

/* Read until the first packet is complete, the buffer is full, the peer
 * closes or the deadline passes; why says how a short read ended. */
static size_t read_answer(struct tb_chan *c, uint8_t *buf, int64_t dl, char *why, size_t cap)
{
	size_t len = 0;

	why[0] = '\0';
	while (len < READ_CAP) {
		uint8_t ty, fl;
		const uint8_t *body;
		size_t bl, used, got = 0;
		if (len && tb_p_mqtt_packet(buf, len, &ty, &fl, &body, &bl, &used) != TB_E_TRUNC)
			break;
		enum tb_err e = tb_chan_recv(c, buf + len, READ_CAP - len, &got, dl);
		if (e == TB_E_TIMEOUT) {
			snprintf(why, cap, "no answer within the deadline");
			break;
		}
		if (e || got == 0) {
			snprintf(why, cap, "the connection was %s",
				 e == TB_E_REFUSED ? "reset"
				 : e               ? "lost"
						   : "closed");
			break;
		}
		len += got;
	}
	return len;
}

static void log_connect(struct tb_login_try *t, const char *cid)
{
	char line[600];

	if (t->secret)
		snprintf(line, sizeof line,
			 "CONNECT (MQTT 3.1.1) client id \"%s\", user \"%s\", <password withheld>", cid,
			 t->user);
	else
		snprintf(line, sizeof line,
			 "CONNECT (MQTT 3.1.1) client id \"%s\", user \"%s\", password \"%s\"", cid,
			 t->user, t->pass);
	tb_login_log_add(t->log, ">>", line, strlen(line));
}

static void log_answer(struct tb_login_try *t, const uint8_t *buf, size_t len)
{
	char hex[3 * 64 + 8];
	size_t o = 0;

	for (size_t i = 0; i < len && i < 64; i++)
		o += (size_t)snprintf(hex + o, sizeof hex - o, "%s%02x", i ? " " : "", buf[i]);
	if (len > 64)
		snprintf(hex + o, sizeof hex - o, " ...");
	tb_login_log_add(t->log, "<<", hex, strlen(hex));
}

/* ACCEPTED: the CONNECT (or, for the declared test credential, an account
 * of it without the password) and the CONNACK. */
static void keep_proof(struct tb_login_try *t, const uint8_t *pkt, size_t n, const char *cid,
		       const uint8_t *buf, size_t len)
{
	if (t->secret) {
		char s[600];
		int w = snprintf(s, sizeof s, "MQTT CONNECT client id %s user %s (password withheld)",
				 cid, t->user);
		tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, s, w > 0 ? (size_t)w : 0);
	} else {
		tb_login_keep(t->sent, &t->sentlen, sizeof t->sent, pkt, n);
	}
	tb_login_keep(t->got, &t->gotlen, sizeof t->got, buf, len);
}

static enum tb_login_outcome exchange(struct tb_login_try *t, struct tb_chan *c)
{
	static const uint8_t disconnect[2] = { 0xe0, 0x00 };
	uint8_t pkt[CONNECT_CAP], buf[READ_CAP];
	char cid[24], why[80];
	int rc;

	snprintf(cid, sizeof cid, "tb-%08lx", (unsigned long)(tb_now_us() & 0xffffffff));
	size_t n = tb_mqtt_build_connect(pkt, sizeof pkt, cid, 30, t->user, t->pass);
	if (n == 0) {
		snprintf(t->detail, sizeof t->detail,
			 "not tried: user name or password longer than 1024 bytes");
		return TB_LOGIN_UNCONFIRMED;
	}
	log_connect(t, cid);
	if (tb_chan_send(c, pkt, n, t->deadline_ms) != TB_OK) {
		snprintf(t->detail, sizeof t->detail, "could not send CONNECT");
		return TB_LOGIN_UNCONFIRMED;
	}
	size_t len = read_answer(c, buf, t->deadline_ms, why, sizeof why);
	enum tb_login_outcome o = tb_login_mqtt_judge(buf, len, why, &rc, t->detail, sizeof t->detail);
	/* A device may echo the CONNECT back: what is written down never shows
	 * the declared password, not even as hex. */
	tb_login_mask(buf, len, t->secret ? t->pass : NULL);
	if (len)
		log_answer(t, buf, len);
	if (o == TB_LOGIN_ACCEPTED) {
		keep_proof(t, pkt, n, cid, buf, len);
		(void)tb_chan_send(c, disconnect, sizeof disconnect, t->deadline_ms);
	}
	return o;
}

static enum tb_login_outcome mqtt_attempt(struct tb_login_try *t)
{
	struct tb_chan c = { .fd = -1 };
	enum tb_login_outcome o = TB_LOGIN_UNCONFIRMED;
	char host[16];

	t->retry_after_s = -1;
	tb_ipv4_format(t->ifc->addr, host);
	tb_login_log_note(t->log, "mqtt%s %s:%u: one CONNECT for user \"%s\"", t->ifc->tls ? "s" : "",
			  host, t->ifc->port, t->user);
	if (open_chan(t, &c, &o) == 0) {
		o = exchange(t, &c);
		tb_chan_close(&c, 1);
	}
	tb_login_log_note(t->log, "outcome %s: %s", tb_login_outcome_name(o), t->detail);
	return o;
}

const struct tb_login_driver tb_login_mqtt = {
	.service = "mqtt",
	.transport = "tcp",
	.default_port = 1883,
	.attempt = mqtt_attempt,
};
