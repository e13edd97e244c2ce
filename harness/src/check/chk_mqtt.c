/* chk_mqtt.c: does an MQTT broker on the device let an anonymous client in,
 * and may that client subscribe to every topic ("#")?  Either one is
 * unauthenticated access to device functions (5.5-4, 5.5-5).
 *
 * Ports: declared services with protocol mqtt, plus the suite's `ports`
 * and `tls-ports` (MQTT over TLS, through tls.c).  The client sends
 * CONNECT without user name or password, then SUBSCRIBE '#' at QoS 0 when
 * accepted, and disconnects without publishing anything.
 *
 * PASS needs positive evidence that an MQTT broker refused: a CONNACK with a
 * refusal code, or a close without CONNACK (MQTT 3.1.1 3.1.4 allows that) on
 * a port that is shown to be a broker, because a second CONNECT with an
 * unsupported protocol level gets a CONNACK (3.1.2.2 requires return code 1).
 * A port that accepts and then closes or resets every connection without one
 * MQTT byte is not shown to be a broker at all: INCONCLUSIVE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "proto/p_mqttclient.h"
#include "result/result.h"
#include "net/tls.h"

#define MAX_PORTS 8
#define READ_CAP (TB_MQTT_PACKET_MAX + 8)
#define MAX_SKIPPED 32 /* PUBLISH packets tolerated before the SUBACK */

static const struct tb_param_def params[] = {
	{ .name = "ports",
	  .type = TB_P_INTLIST,
	  .min = 1,
	  .max = 65535,
	  .help = "plain MQTT ports probed besides declared mqtt services",
	  .dflt = "[1883]" },
	{ .name = "tls-ports",
	  .type = TB_P_INTLIST,
	  .min = 1,
	  .max = 65535,
	  .help = "MQTT-over-TLS ports",
	  .dflt = "[8883]" },
	{ .name = "timeout-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 60000,
	  .help = "deadline per connection",
	  .dflt = "5000" },
};

enum step { ST_CLOSED, ST_REFUSED, ST_ACCEPTED, ST_UNDECIDED, ST_HUNG_UP };
/* ST_HUNG_UP: connected, sent CONNECT, the port closed or reset without
 * sending a byte.  A refusal only if the port is shown to be a broker. */

/* Protocol level no MQTT version uses (3.1.1 is 4, 5.0 is 5). */
#define UNSUPPORTED_LEVEL 0x7f

struct session {
	struct tb_chan ch;
	uint8_t *buf;
	size_t len;
	int64_t deadline;
	char why[200];
};

/* Wait for a packet of type want; PUBLISH packets before it are skipped.
 * Returns 0 with type/body, -1 with s->why set. */
static int next_packet(struct session *s, uint8_t want, uint8_t *flags, const uint8_t **body,
		       size_t *blen)
{
	int skipped = 0;
	for (;;) {
		uint8_t t;
		size_t used, got;
		enum tb_err e = tb_p_mqtt_packet(s->buf, s->len, &t, flags, body, blen, &used);
		if (e == TB_OK && t == want)
			return 0;
		if (e == TB_OK && t == TB_MQTT_PUBLISH && ++skipped <= MAX_SKIPPED) {
			memmove(s->buf, s->buf + used, s->len - used);
			s->len -= used;
			continue;
		}
		if (e != TB_E_TRUNC) {
			snprintf(s->why, sizeof s->why, "unexpected answer (%s, packet type %u)",
				 tb_strerror(e), e == TB_OK ? t : 0);
			return -1;
		}
		e = tb_chan_recv(&s->ch, s->buf + s->len, READ_CAP - s->len, &got, s->deadline);
		if (e == TB_E_TIMEOUT) {
			snprintf(s->why, sizeof s->why,
				 "no answer within the deadline (stalled or dripping)");
			return -1;
		}
		if (e || got == 0) {
			snprintf(s->why, sizeof s->why, "connection %s",
				 e == TB_E_REFUSED ? "reset"
				 : e               ? "lost"
						   : "closed");
			return -2;
		}
		s->len += got;
	}
}

/* Classify a CONNACK return code: only 0 lets the client in. */
static enum step mqtt_connack_step(uint8_t rc)
{
	return rc == 0 ? ST_ACCEPTED : ST_REFUSED;
}

static enum step exchange(struct session *s, struct tb_result *res, const char *label, int *sub)
{
	uint8_t pkt[64], flags;
	const uint8_t *body;
	size_t blen, n;
	char cid[24];
	struct tb_mqtt_connack ca;
	struct tb_mqtt_suback sa;

	snprintf(cid, sizeof cid, "tb-%08lx", (unsigned long)(tb_now_us() & 0xffffffff));
	n = tb_mqtt_build_connect(pkt, sizeof pkt, cid, 30, NULL, NULL);
	if (tb_chan_send(&s->ch, pkt, n, s->deadline) != TB_OK) {
		snprintf(s->why, sizeof s->why, "could not send CONNECT");
		return ST_UNDECIDED;
	}
	int r = next_packet(s, TB_MQTT_CONNACK, &flags, &body, &blen);
	tb_ev_exchange(res, label, pkt, n, s->buf, s->len);
	if (r == -2 && s->len == 0) {
		/* MQTT 3.1.1 3.1.4: a broker may close instead of a CONNACK, but so
		 * does anything that is not a broker: probe() asks again. */
		tb_ev_note(res, label, "anonymous CONNECT: %s without a single byte", s->why);
		return ST_HUNG_UP;
	}
	if (r)
		return ST_UNDECIDED;
	if (tb_p_mqtt_connack(flags, body, blen, &ca) != TB_OK) {
		snprintf(s->why, sizeof s->why, "malformed CONNACK");
		return ST_UNDECIDED;
	}
	enum step st = mqtt_connack_step(ca.rc);
	tb_ev_note(res, label, "anonymous CONNECT: CONNACK return code %u (%s)", ca.rc,
		   st == ST_ACCEPTED ? "accepted" : "refused");
	if (st != ST_ACCEPTED)
		return st;
	s->len = 0;
	n = tb_mqtt_build_subscribe(pkt, sizeof pkt, 1, "#");
	if (tb_chan_send(&s->ch, pkt, n, s->deadline) != TB_OK ||
	    next_packet(s, TB_MQTT_SUBACK, &flags, &body, &blen) != 0 ||
	    tb_p_mqtt_suback(flags, body, blen, &sa) != TB_OK) {
		tb_ev_note(res, label, "anonymous SUBSCRIBE '#': not determined (%s)",
			   s->why[0] ? s->why : "malformed SUBACK");
		s->why[0] = '\0';
		return st;
	}
	*sub = sa.rc[0] != 0x80;
	tb_ev_note(res, label, "anonymous SUBSCRIBE '#': SUBACK code 0x%02x (%s)", sa.rc[0],
		   *sub ? "granted: every topic readable" : "refused");
	return st;
}

/* Open the session's channel: plain TCP or MQTT over TLS.  Returns 0 when
 * ready, 1 when nothing listens, -1 on another failure (noted). */
static int open_chan(struct tb_ctx *ctx, uint16_t port, int tls, int tmo, struct session *s,
		     struct tb_result *res, const char *label)
{
	if (tls) {
		struct tb_tls_probe pr = { .ver = TB_TLS12, .timeout_ms = tmo };
		struct tb_tls_result tr;
		/* Prefer TLS 1.3, fall back to 1.2: the broker's TLS is judged by the tls check. */
		pr.ver = TB_TLS13;
		tb_tls_handshake(&ctx->net, ctx->profile->address, port, &pr, &tr, &s->ch.tls);
		if (tr.outcome != TB_TLS_OK && tr.outcome != TB_TLS_CLOSED) {
			pr.ver = TB_TLS12;
			tb_tls_handshake(&ctx->net, ctx->profile->address, port, &pr, &tr, &s->ch.tls);
		}
		if (tr.outcome == TB_TLS_CLOSED)
			return 1;
		if (tr.outcome != TB_TLS_OK) {
			tb_ev_note(res, label, "not determined: TLS handshake failed: %s", tr.why);
			return -1;
		}
		return 0;
	}
	struct tb_diag d = { .msg = "" };
	enum tb_err e = tb_net_connect(&ctx->net, ctx->profile->address, port, &s->ch.fd, &d);
	if (e == TB_E_REFUSED)
		return 1;
	if (e) {
		tb_ev_note(res, label, "connect failed: %s", d.msg[0] ? d.msg : tb_strerror(e));
		return -1;
	}
	return 0;
}

static void close_chan(struct session *s)
{
	tb_chan_close(&s->ch, 1);
}

/* Is the port an MQTT broker?  A CONNECT with an unsupported protocol level
 * must get a CONNACK (MQTT 3.1.1 3.1.2.2; a 5.0 broker may answer one too).
 * Any well-formed CONNACK shows a broker; returns 1 then, else 0. */
static int mqtt_identify(struct tb_ctx *ctx, uint16_t port, int tls, int tmo, struct tb_result *res,
			 const char *label)
{
	struct session s = { .ch = { .fd = -1 }, .deadline = tb_now_ms() + tmo };
	uint8_t pkt[64], type = 0, flags;
	const uint8_t *body;
	size_t blen, used, n;
	int broker = 0;
	if (open_chan(ctx, port, tls, tmo, &s, res, label) != 0) {
		close_chan(&s);
		return 0;
	}
	s.buf = tb_xmalloc(READ_CAP);
	n = tb_mqtt_build_connect_level(pkt, sizeof pkt, UNSUPPORTED_LEVEL, "tb-identify");
	if (tb_chan_send(&s.ch, pkt, n, s.deadline) == TB_OK) {
		(void)next_packet(&s, TB_MQTT_CONNACK, &flags, &body, &blen);
		broker = s.len > 0 &&
			 tb_p_mqtt_packet(s.buf, s.len, &type, &flags, &body, &blen, &used) == TB_OK &&
			 type == TB_MQTT_CONNACK;
	}
	tb_ev_exchange(res, label, pkt, n, s.buf, s.len);
	if (broker)
		tb_ev_note(res, label,
			   "identified as an MQTT broker: a CONNECT of unsupported protocol "
			   "level %u got a CONNACK (return code %u)",
			   UNSUPPORTED_LEVEL, blen >= 2 ? body[1] : 0);
	else
		tb_ev_note(res, label,
			   "not identified as an MQTT broker: a CONNECT of unsupported "
			   "protocol level %u got %s",
			   UNSUPPORTED_LEVEL,
			   s.len      ? "no CONNACK"
			   : s.why[0] ? s.why
				      : "nothing");
	free(s.buf);
	close_chan(&s);
	return broker;
}

static enum step probe(struct tb_ctx *ctx, uint16_t port, int tls, int tmo, struct tb_result *res,
		       const char *label, int *sub)
{
	struct session s = { .ch = { .fd = -1 }, .deadline = tb_now_ms() + tmo };
	int o = open_chan(ctx, port, tls, tmo, &s, res, label);
	if (o != 0) {
		close_chan(&s);
		return o > 0 ? ST_CLOSED : ST_UNDECIDED;
	}
	s.buf = tb_xmalloc(READ_CAP);
	enum step st = exchange(&s, res, label, sub);
	if (st == ST_UNDECIDED)
		tb_ev_note(res, label, "not determined: %s", s.why);
	free(s.buf);
	close_chan(&s);
	if (st != ST_HUNG_UP)
		return st;
	if (mqtt_identify(ctx, port, tls, tmo, res, label)) {
		tb_ev_note(res, label,
			   "anonymous CONNECT refused: the broker closed the connection "
			   "without CONNACK (MQTT 3.1.1 3.1.4)");
		return ST_REFUSED;
	}
	tb_ev_note(res, label,
		   "not determined: the port accepted the connection and hung up without "
		   "one MQTT byte; nothing shows that an MQTT broker refused");
	return ST_UNDECIDED;
}

static void add_port(uint16_t *p, int *tls, size_t *n, long port, int is_tls)
{
	for (size_t i = 0; i < *n; i++)
		if (p[i] == port)
			return;
	if (*n < MAX_PORTS) {
		tls[*n] = is_tls;
		p[(*n)++] = (uint16_t)port;
	}
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	uint16_t ports[MAX_PORTS];
	int tls[MAX_PORTS];
	size_t n = 0;
	const struct tb_profile *p = ctx->profile;
	const struct tb_param *pl = tb_param_get(&tc->params, "ports");
	const struct tb_param *tl = tb_param_get(&tc->params, "tls-ports");
	int tmo = (int)tb_param_int(&tc->params, "timeout-ms");
	unsigned anon = 0, subs = 0, refused = 0, undecided = 0;
	char addr[16];

	for (size_t i = 0; i < p->nservices; i++)
		if (strcmp(p->services[i].protocol, "mqtt") == 0)
			add_port(ports, tls, &n, p->services[i].port, p->services[i].tls);
	for (size_t i = 0; pl && i < pl->n; i++)
		add_port(ports, tls, &n, pl->il[i], 0);
	for (size_t i = 0; tl && i < tl->n; i++)
		add_port(ports, tls, &n, tl->il[i], 1);
	tb_ipv4_format(p->address, addr);
	for (size_t i = 0; i < n; i++) {
		char label[64];
		int sub = 0;
		snprintf(label, sizeof label, "mqtt%s %s:%u", tls[i] ? "s" : "", addr, ports[i]);
		enum step st = probe(ctx, ports[i], tls[i], tmo, res, label, &sub);
		if (st == ST_CLOSED)
			tb_ev_note(res, label, "closed (nothing listens)");
		anon += st == ST_ACCEPTED;
		subs += (unsigned)sub;
		refused += st == ST_REFUSED;
		undecided += st == ST_UNDECIDED;
	}
	if (anon)
		tb_result_set(res, TB_V_FAIL, "%u MQTT broker(s) accept anonymous clients%s", anon,
			      subs ? ", and an anonymous subscription to '#' was granted" : "");
	else if (undecided)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "%u MQTT port(s) answered but could not be judged; "
			      "see the notes",
			      undecided);
	else if (refused)
		tb_result_set(res, TB_V_PASS, "%u MQTT broker(s) refuse a CONNECT without credentials",
			      refused);
	else
		/* No broker says nothing about the device's other interfaces: the
		 * provision still applies, so a person must judge them. */
		tb_result_set(res, TB_V_EXAMINER,
			      "no MQTT broker listens on the %zu port(s) probed; an examiner must "
			      "judge the device's other network interfaces",
			      n);
}

const struct tb_check_family tb_check_mqtt = {
	.name = "mqtt",
	.summary = "anonymous MQTT CONNECT and SUBSCRIBE '#' on plain and TLS ports",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
