/* chk_robustness.c: does malformed input crash the device's services?
 * (EN 303 645 5.13-1.)
 *
 * A bounded campaign: every HTTP, MQTT and telnet service (inside TLS where
 * the service speaks TLS: each input then ends with close_notify) and
 * every CoAP service over UDP the profile declares or this run's exposure
 * sweeps identified first has to answer a valid request (GET /, a CONNECT;
 * telnet speaks first: any byte after a client's opening negotiation; a CoAP
 * CON GET /.well-known/core); those that do get `inputs-per-service`
 * mutations of it (proto/p_mutate.h), each on a connection of its own (CoAP:
 * a datagram of its own, chk_robustness_coap.c), in batches of
 * `batch-size`.  After every batch each service is probed again
 * (connect, the valid request, an answer within liveness-timeout-ms, one
 * retry).  A service that no longer answers FAILs, with the batch that went
 * before it (every input escaped, the last one raw) and the seed, so the
 * vendor can replay it; when no service answers any more the device as a
 * whole stopped (a crash or a reboot).  Where the device exposes its uptime
 * (SNMP sysUpTime, chk_robustness_uptime.c) it is read before and after:
 * one that went backwards is a reboot the services hid by coming back, a
 * FAIL too.  Surviving the campaign is a PASS that says what was sent and
 * for how long, and that robustness testing shows the presence of faults,
 * never their absence; every outcome carries a summary table (seed, inputs,
 * services, batches, probes, time, why it stopped, what the verdict rests
 * on).
 *
 * Every connection and datagram goes through the scoped, rate-limited path
 * (net.h, udp.h) with a deadline on every operation.  Intrusive: without lab.intrusive: true
 * the runner leaves it INCONCLUSIVE and nothing is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#define TB_RB_MAIN /* the internal header's file-local functions are ours */
#include "check/chk_robustness_internal.h"
#include "check/family.h"
#include "check/http_common.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "net/tls.h"
#include "net/udp.h"
#include "proto/p_mqttclient.h"
#include "proto/p_mutate.h"
#include "result/result.h"

static const struct tb_param_def params[] = {
	{ .name = "seed",
	  .type = TB_P_INT,
	  .min = 0,
	  .max = 2147483647,
	  .help = "campaign seed: the same seed sends the same inputs (recorded in the evidence)",
	  .dflt = "303645" },
	{ .name = "inputs-per-service",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 100000,
	  .help = "malformed inputs sent to each service",
	  .dflt = "200" },
	{ .name = "batch-size",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 200,
	  .help = "inputs between two liveness probes of every service",
	  .dflt = "20" },
	{ .name = "time-budget-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 86400,
	  .help = "the whole campaign's time budget (the report says when it cut the campaign short)",
	  .dflt = "180" },
	{ .name = "liveness-timeout-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 60000,
	  .help = "deadline for a service to answer a valid request after a batch",
	  .dflt = "3000" },
	{ .name = "input-timeout-ms",
	  .type = TB_P_INT,
	  .min = 10,
	  .max = 10000,
	  .help = "how long each malformed input's connection waits for the device's answer",
	  .dflt = "500" },
};

#define MAX_TARGETS 16
#define REPLY_CAP 4096
#define LIVE_TRIES 2
#define LIVE_RETRY_MS 500
#define MQTT_CLIENT_ID "tb-robustness"
/* A CoAP input waits at most this long for an answer (or input-timeout-ms
 * when shorter): a datagram has no connection to wait on, and most
 * malformed ones are dropped in silence. */
#define COAP_INPUT_WAIT_MS 50
/* The valid GET mutations start from: fixed, so a seed replays exactly. */
#define COAP_MUT_MID 0x7462
#define SNMP_REQID_BEFORE 0x74620001
#define SNMP_REQID_AFTER 0x74620002
#define CAVEAT "robustness testing shows the presence of faults, never their absence"

struct target {
	uint16_t port;
	int udp; /* CoAP over UDP; else TCP */
	int tls; /* TCP inside TLS (declared tls: true, or the sweep found TLS) */
	enum tb_rb_kind kind;
	int live;      /* answered the valid request before the campaign */
	unsigned sent; /* malformed inputs sent to it */
	char name[40]; /* "tcp/80 (http)", "udp/5683 (coap)", "tcp/8883 (mqtt over TLS)" */
	char why[200]; /* the last failed probe */
	uint8_t *req;  /* SOAP: the valid request to its control URL (owned) */
	size_t req_len;
};

struct input {
	uint32_t index;
	size_t len;
	char what[TB_MUT_WHAT];
	uint8_t *data; /* TB_MUT_MAX bytes of the campaign's slab */
};

struct campaign {
	struct tb_ctx *ctx;
	struct tb_result *res;
	uint64_t seed;
	long per_service, batch;
	int live_ms, input_ms;
	int64_t start_ms, end_ms;
	struct target t[MAX_TARGETS];
	size_t nt;
	struct input *in; /* the current batch */
	size_t nin;
	uint8_t http[512], mqtt[64], coap[64]; /* the valid requests */
	size_t http_len, mqtt_len, coap_len;
	unsigned long total, probes;
	unsigned batches;
	int budget_hit;
	struct tb_udp udp; /* CoAP and the uptime's SNMP; open when udp_open */
	int udp_open;
	uint16_t coap_mid; /* the last probe's message ID */
	struct tb_rb_uptime up_before, up_after;
	char uptime_verdict[400]; /* what the uptime says, "" before it is judged */
};

static const char *kind_name(enum tb_rb_kind k)
{
	static const char *const names[] = { [TB_RB_HTTP] = "http",
					     [TB_RB_MQTT] = "mqtt",
					     [TB_RB_TELNET] = "telnet",
					     [TB_RB_COAP] = "coap",
					     [TB_RB_SOAP] = "soap" };
	return names[k];
}

static const char *transport_of(enum tb_rb_kind k)
{
	return k == TB_RB_COAP ? "udp" : "tcp";
}

/* ---- what gets exercised ------------------------------------------------ */

/* What the campaign speaks to protocol over transport (NULL: tcp). */
static int kind_of(const char *transport, const char *protocol, enum tb_rb_kind *k)
{
	int udp = transport && strcmp(transport, "udp") == 0;
	if (!protocol || (!udp && transport && strcmp(transport, "tcp") != 0))
		return 0;
	if (udp) {
		*k = TB_RB_COAP;
		return strcmp(protocol, "coap") == 0;
	}
	if (strcmp(protocol, "http") == 0 || strcmp(protocol, "https") == 0)
		*k = TB_RB_HTTP;
	else if (strcmp(protocol, "upnp") == 0) /* SOAP to its control URL (or HTTP) */
		*k = TB_RB_SOAP;
	else if (strcmp(protocol, "mqtt") == 0)
		*k = TB_RB_MQTT;
	else if (strcmp(protocol, "telnet") == 0)
		*k = TB_RB_TELNET;
	else
		return 0;
	return 1;
}

/* tls: the profile declares the service tls: true (else the sweep may have
 * found TLS there: tb_http_port_tls). */
static void add_target(struct campaign *c, uint16_t port, enum tb_rb_kind k, int tls,
		       const char *source)
{
	int udp = k == TB_RB_COAP;
	for (size_t i = 0; i < c->nt; i++)
		if (c->t[i].port == port && c->t[i].udp == udp)
			return;
	(void)source;
	tls = !udp && (tls || tb_http_port_tls(c->ctx, port));
	if (tls && k == TB_RB_SOAP)
		k = TB_RB_HTTP; /* the description is fetched in clear: inside TLS, plain HTTP */
	if (c->nt == MAX_TARGETS) {
		tb_ev_note(c->res, "scope of the campaign",
			   "%s/%u (%s): more than %d services, not exercised", transport_of(k), port,
			   kind_name(k), MAX_TARGETS);
		return;
	}
	struct target *t = &c->t[c->nt++];
	*t = (struct target){ .port = port, .udp = udp, .tls = tls, .kind = k };
	snprintf(t->name, sizeof t->name, "%s/%u (%s%s)", transport_of(k), port, kind_name(k),
		 tls ? " over TLS" : "");
}

/* Declared services first, then what the run's exposure sweep identified. */
static void find_targets(struct campaign *c)
{
	const struct tb_profile *p = c->ctx->profile;
	enum tb_rb_kind k;
	for (size_t s = 0; s < p->nservices; s++) {
		const struct tb_service *sv = &p->services[s];
		if (!kind_of(sv->transport, sv->protocol, &k) || sv->port < 1 || sv->port > 65535)
			continue;
		add_target(c, (uint16_t)sv->port, k, sv->tls, "declared");
	}
	char host[16];
	tb_ipv4_format(p->address, host);
	const struct tb_surface *sf = c->ctx->surface;
	for (size_t s = 0; sf && s < sf->n; s++) {
		const struct tb_endpoint *e = &sf->v[s];
		if (strcmp(e->addr, host) == 0 && kind_of(e->transport, e->protocol, &k))
			add_target(c, e->port, k, 0, "found by the exposure sweep");
	}
	if (!sf || !sf->tcp_case[0] || !sf->udp_case[0])
		tb_ev_note(c->res, "scope of the campaign",
			   "no %s exposure sweep ran before this case: only declared %s services "
			   "are exercised",
			   !sf || (!sf->tcp_case[0] && !sf->udp_case[0]) ? "TCP or UDP"
			   : !sf->tcp_case[0]                            ? "TCP"
									 : "UDP",
			   !sf || (!sf->tcp_case[0] && !sf->udp_case[0]) ? "TCP and UDP"
			   : !sf->tcp_case[0]                            ? "TCP"
									 : "UDP");
}

/* ---- talking to one service ---------------------------------------------- */

TB_UNITTEST int tb_rb_answered(enum tb_rb_kind k, const uint8_t *buf, size_t len)
{
	if (k == TB_RB_TELNET || k == TB_RB_COAP) /* CoAP: tb_rb_coap_answered */
		return len > 0;
	if (k == TB_RB_MQTT) {
		if (len >= 1 && buf[0] != 0x20)
			return -1;
		if (len >= 2 && buf[1] != 0x02)
			return -1;
		return len >= 4 ? 1 : 0;
	}
	static const char pre[] = "HTTP/1.";
	size_t np = sizeof pre - 1;
	if (memcmp(buf, pre, len < np ? len : np) != 0)
		return -1;
	if (len < np + 5)
		return 0;
	const uint8_t *s = buf + np + 1; /* past the minor version: " ddd" */
	if (s[0] != ' ')
		return -1;
	for (int i = 1; i <= 3; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	return 1;
}

/* A telnet client's first words: DO ECHO, DO SGA, WONT TTYPE, a user name. */
static const uint8_t telnet_opening[] = { 255, 253, 1,   255, 253, 3,    255, 252,
					  24,  'r', 'o', 'o', 't', '\r', '\n' };

static void valid_request(const struct campaign *c, const struct target *t, const uint8_t **req,
			  size_t *len)
{
	enum tb_rb_kind k = t->kind;
	if (k == TB_RB_SOAP) {
		*req = t->req;
		*len = t->req_len;
		return;
	}
	*req = k == TB_RB_HTTP   ? c->http
	       : k == TB_RB_MQTT ? c->mqtt
	       : k == TB_RB_COAP ? c->coap
				 : telnet_opening;
	*len = k == TB_RB_HTTP   ? c->http_len
	       : k == TB_RB_MQTT ? c->mqtt_len
	       : k == TB_RB_COAP ? c->coap_len
				 : sizeof telnet_opening;
}

static const char *connect_failure(enum tb_err e)
{
	switch (e) {
	case TB_E_REFUSED: return "connection refused";
	case TB_E_TIMEOUT: return "connect timed out";
	case TB_E_SCOPE: return "refused by the lab scope check";
	default: return "connect failed";
	}
}

/* The campaign's UDP prober, opened at first use; NULL when it cannot be. */
static struct tb_udp *udp_of(struct campaign *c)
{
	if (c->udp_open)
		return c->udp_open > 0 ? &c->udp : NULL;
	struct tb_diag d = { .msg = "" };
	if (tb_udp_open(&c->udp, &c->ctx->net, c->ctx->profile->address, &d) != TB_OK) {
		tb_ev_note(c->res, "scope of the campaign", "no UDP socket: %s", d.msg);
		c->udp_open = -1;
		return NULL;
	}
	c->udp_open = 1;
	return &c->udp;
}

/* A connection to the service: plain TCP, or TLS over it (within
 * timeout_ms).  A TLS handshake the service refuses or does not finish is
 * TB_E_FORMAT with t->why saying so; else the connect's error. */
static enum tb_err open_chan(struct campaign *c, struct target *t, int timeout_ms, struct tb_chan *ch)
{
	struct tb_diag d = { 0 };
	*ch = (struct tb_chan){ .fd = -1 };
	if (!t->tls)
		return tb_net_connect(&c->ctx->net, c->ctx->profile->address, t->port, &ch->fd, &d);
	struct tb_tls_result tr;
	tb_tls_open(&c->ctx->net, c->ctx->profile->address, t->port, timeout_ms, &tr, &ch->tls);
	switch (tr.outcome) {
	case TB_TLS_OK: return TB_OK;
	case TB_TLS_CLOSED: return TB_E_REFUSED;
	case TB_TLS_TIMEOUT: return TB_E_TIMEOUT;
	case TB_TLS_LOCAL:
		if (strstr(tr.why, "outside the lab scope"))
			return TB_E_SCOPE;
		break;
	default: break;
	}
	snprintf(t->why, sizeof t->why, "TLS handshake failed: %s", tr.why[0] ? tr.why : "refused");
	return TB_E_FORMAT;
}

/* One valid request and its answer: 1 answered, 0 not (why says how). */
static int probe_once(struct campaign *c, struct target *t)
{
	c->probes++;
	if (t->udp) {
		struct tb_udp *u = udp_of(c);
		if (!u) {
			snprintf(t->why, sizeof t->why, "no UDP socket to probe it with");
			return 0;
		}
		return tb_rb_coap_probe(u, t->port, ++c->coap_mid, c->live_ms, t->why, sizeof t->why);
	}
	struct tb_chan ch;
	int64_t deadline = tb_now_ms() + c->live_ms;
	enum tb_err e = open_chan(c, t, c->live_ms, &ch);
	if (e) {
		if (e != TB_E_FORMAT) /* TB_E_FORMAT: open_chan said why */
			snprintf(t->why, sizeof t->why, "%s", connect_failure(e));
		return 0;
	}
	const uint8_t *req;
	size_t rlen, got = 0, n;
	uint8_t buf[64];
	valid_request(c, t, &req, &rlen);
	int ok = 0;
	e = tb_chan_send(&ch, req, rlen, deadline);
	while (!e && !ok && got < sizeof buf) {
		e = tb_chan_recv(&ch, buf + got, sizeof buf - got, &n, deadline);
		if (e || n == 0)
			break;
		got += n;
		ok = tb_rb_answered(t->kind, buf, got);
		if (ok < 0)
			break;
	}
	tb_chan_close(&ch, 0);
	if (ok > 0)
		return 1;
	char esc[100];
	tb_mut_escape(buf, got < 24 ? got : 24, esc, sizeof esc);
	if (ok < 0)
		snprintf(t->why, sizeof t->why, "answered with no %s reply: \"%s\"", kind_name(t->kind),
			 esc);
	else if (e == TB_E_TIMEOUT)
		snprintf(t->why, sizeof t->why, "no answer within %d ms (a hang)", c->live_ms);
	else
		snprintf(t->why, sizeof t->why, "connection %s without an answer",
			 e ? "lost" : "closed");
	return 0;
}

static void pause_ms(int ms)
{
	int64_t end = tb_now_ms() + ms;
	while (!tb_net_deadline_passed(end)) {
		struct timespec ts = { 0, TB_NET_POLL_SLICE_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
}

/* Is the service alive?  A second chance after a short pause, so that one
 * lost connection is not taken for a crash (CoAP retransmits its GET within
 * the one try instead: chk_robustness_coap.c). */
static int probe(struct campaign *c, struct target *t)
{
	for (int i = 0; i < (t->udp ? 1 : LIVE_TRIES); i++) {
		if (i)
			pause_ms(LIVE_RETRY_MS);
		if (tb_net_stop_requested())
			return 1; /* the run ends; judged as interrupted */
		if (probe_once(c, t))
			return 1;
	}
	return 0;
}

/* Send one malformed input on a connection of its own, half-close, and read
 * whatever comes back until the peer closes or input-timeout-ms pass.
 * -1 when the connection could not be made (the service may be gone). */
static int send_input(struct campaign *c, struct target *t, const struct input *in)
{
	if (t->udp) {
		struct tb_udp *u = udp_of(c);
		int wait = c->input_ms < COAP_INPUT_WAIT_MS ? c->input_ms : COAP_INPUT_WAIT_MS;
		if (!u || tb_rb_coap_send(u, t->port, in->data, in->len, wait) < 0)
			return -1;
		t->sent++;
		c->total++;
		return 0;
	}
	struct tb_chan ch;
	/* The handshake gets the liveness deadline: a busy TLS stack is not a
	 * malformed input's fault. */
	if (open_chan(c, t, c->live_ms, &ch))
		return -1;
	int64_t deadline = tb_now_ms() + c->input_ms;
	uint8_t buf[REPLY_CAP];
	size_t n;
	/* A device that stops reading mid-input is judged by the probe, not
	 * here. */
	if (tb_chan_send(&ch, in->data, in->len, deadline) == TB_OK)
		tb_chan_end_input(&ch);
	while (tb_chan_recv(&ch, buf, sizeof buf, &n, deadline) == TB_OK && n > 0)
		;
	tb_chan_close(&ch, 0);
	t->sent++;
	c->total++;
	return 0;
}

static void make_input(const struct campaign *c, const struct target *t, uint32_t index,
		       struct input *in)
{
	const uint8_t *req;
	size_t rlen;
	uint64_t seed = tb_mut_input_seed(c->seed, t->port, index);
	valid_request(c, t, &req, &rlen);
	in->index = index;
	if (t->kind == TB_RB_HTTP)
		in->len = tb_mut_http(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
	else if (t->kind == TB_RB_MQTT)
		in->len = tb_mut_mqtt(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
	else if (t->kind == TB_RB_COAP)
		in->len = tb_mut_coap(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
	else if (t->kind == TB_RB_SOAP)
		in->len = tb_mut_soap(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
	else
		in->len = tb_mut_telnet(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
}

/* ---- evidence ------------------------------------------------------------ */

/* The batch as text a vendor can replay: the seed, how each input was
 * made and sent, every input escaped. */
TB_UNITTEST char *tb_rb_batch_text(uint64_t seed, uint16_t port, enum tb_rb_kind k,
				   const uint8_t *valid, size_t vlen, const struct tb_rb_sent *v,
				   size_t n, int input_ms, size_t *len)
{
	size_t cap = 2048 + vlen * 4;
	for (size_t i = 0; i < n; i++)
		cap += 200 + v[i].len * 4;
	char *s = tb_xmalloc(cap);
	int udp = k == TB_RB_COAP;
	int wait = udp && input_ms > COAP_INPUT_WAIT_MS ? COAP_INPUT_WAIT_MS : input_ms;
	size_t at = (size_t)snprintf(
		s, cap,
		"# trustbench robustness campaign, seed %llu: the last batch sent to %s/%u (%s)\n"
		"# Input i to port P is tb_mut_%s(valid request, tb_mut_input_seed(%llu, P, i))\n"
		"# (harness/src/proto/p_mutate.c), %s for up to %d ms.\n"
		"# Escapes: \\r \\n \\t \\\\ and \\xHH; everything else as is.\n"
		"valid request (%zu bytes): ",
		(unsigned long long)seed, transport_of(k), port, kind_name(k), kind_name(k),
		(unsigned long long)seed,
		udp ? "sent as one datagram of its own, then the first answer waited"
		    : "sent on a connection of its own, then the\n# sending side shut down and the "
		      "answer read",
		wait, vlen);
	at += tb_mut_escape(valid, vlen, s + at, cap - at);
	for (size_t i = 0; i < n && at < cap; i++) {
		at += (size_t)snprintf(s + at, cap - at, "\ninput %u: %s, %zu bytes\n", v[i].index,
				       v[i].what, v[i].len);
		if (at < cap)
			at += tb_mut_escape(v[i].data, v[i].len, s + at, cap - at);
	}
	if (at < cap - 1)
		s[at++] = '\n';
	if (at > cap - 1)
		at = cap - 1; /* cannot happen: cap counts 4 bytes per input byte */
	s[at] = '\0';
	*len = at;
	return s;
}

static void batch_evidence(struct campaign *c, const struct target *t, unsigned batch_no, char *file,
			   size_t cap)
{
	const uint8_t *req;
	size_t rlen, len;
	valid_request(c, t, &req, &rlen);
	struct tb_rb_sent *v = tb_xcalloc(c->nin ? c->nin : 1, sizeof *v);
	for (size_t i = 0; i < c->nin; i++)
		v[i] = (struct tb_rb_sent){ c->in[i].index, c->in[i].what, c->in[i].data,
					    c->in[i].len };
	char *text =
		tb_rb_batch_text(c->seed, t->port, t->kind, req, rlen, v, c->nin, c->input_ms, &len);
	free(v);
	snprintf(file, cap, "robustness-%s%u-batch%u.txt", transport_of(t->kind), t->port, batch_no);
	if (tb_ev_file(c->ctx, c->res, file, text, len))
		tb_ev_note(c->res, "evidence", "could not write %s: the inputs are in the notes only",
			   file);
	free(text);
	if (!c->nin)
		return;
	const struct input *last = &c->in[c->nin - 1];
	char name[64], label[160];
	snprintf(name, sizeof name, "robustness-%s%u-input%u.bin", transport_of(t->kind), t->port,
		 last->index);
	if (tb_ev_file(c->ctx, c->res, name, last->data, last->len))
		tb_ev_note(c->res, "evidence", "could not write %s", name);
	snprintf(label, sizeof label, "last input to %s: input %u, %s", t->name, last->index,
		 last->what);
	tb_ev_exchange(c->res, label, last->data, last->len, NULL, 0);
}

/* ---- the campaign ---------------------------------------------------------- */

/* Probe every live service after a batch; the number that stopped. */
static size_t check_all(struct campaign *c, size_t *first)
{
	size_t dead = 0;
	for (size_t i = 0; i < c->nt; i++) {
		if (!c->t[i].live || probe(c, &c->t[i]))
			continue;
		if (!dead++)
			*first = i;
		c->t[i].live = -1; /* stopped answering */
	}
	return dead;
}

static size_t live_count(const struct campaign *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nt; i++)
		n += c->t[i].live != 0;
	return n;
}

/* Was TCP port exercised (it answered before the campaign)? */
static int exercised(const struct campaign *c, long port)
{
	for (size_t i = 0; i < c->nt; i++)
		if (c->t[i].port == port && !c->t[i].udp && c->t[i].live)
			return 1;
	return 0;
}

/* After a service stopped: do the device's other declared TCP ports still
 * take a connection?  Tells a crashed service from a device that crashed or
 * rebooted.  Returns how many answered; *tried how many were tried. */
static unsigned other_ports(struct campaign *c, unsigned *tried)
{
	const struct tb_profile *p = c->ctx->profile;
	unsigned up = 0;
	*tried = 0;
	for (size_t s = 0; s < p->nservices && *tried < MAX_TARGETS; s++) {
		const struct tb_service *sv = &p->services[s];
		if ((sv->transport && strcmp(sv->transport, "tcp") != 0) || exercised(c, sv->port) ||
		    sv->port < 1 || sv->port > 65535)
			continue;
		struct tb_diag d = { 0 };
		int fd = -1;
		enum tb_err e = tb_net_connect(&c->ctx->net, p->address, (uint16_t)sv->port, &fd, &d);
		tb_net_close(&fd);
		(*tried)++;
		up += e == TB_OK;
		tb_ev_note(c->res, "liveness", "declared tcp/%ld (%s), not exercised: %s", sv->port,
			   sv->protocol, e == TB_OK ? "takes connections" : connect_failure(e));
	}
	return up;
}

static void fail(struct campaign *c, struct target *t, size_t victim, size_t dead, unsigned batch_no)
{
	char file[80];
	struct target *v = &c->t[victim];
	batch_evidence(c, t, batch_no, file, sizeof file);
	for (size_t i = 0; i < c->nt; i++)
		if (c->t[i].live < 0)
			tb_ev_note(c->res, "liveness", "%s stopped answering after batch %u to %s: %s",
				   c->t[i].name, batch_no, t->name, c->t[i].why);
	uint32_t first = c->nin ? c->in[0].index : 0;
	uint32_t lastix = c->nin ? c->in[c->nin - 1].index : 0;
	unsigned tried = 0, up = dead == live_count(c) ? other_ports(c, &tried) : 1;
	if (!up && dead + tried > 1)
		tb_result_set(c->res, TB_V_FAIL,
			      "the device stopped answering on every port (%zu exercised, %u other "
			      "declared TCP port(s): a crash or a reboot) after malformed inputs %u-%u "
			      "of seed %llu to %s: %s; the inputs are in %s",
			      dead, tried, first, lastix, (unsigned long long)c->seed, t->name, v->why,
			      file);
	else
		tb_result_set(c->res, TB_V_FAIL,
			      "%s stopped answering (%s) after malformed inputs %u-%u of seed "
			      "%llu%s%s; the inputs are in %s (%lu inputs sent in all)",
			      v->name, v->why, first, lastix, (unsigned long long)c->seed,
			      v == t ? "" : " to ", v == t ? "" : t->name, file, c->total);
}

/* One batch to t from input `from`; 1 when the time budget ran out first. */
static int run_batch(struct campaign *c, struct target *t, uint32_t from)
{
	c->nin = 0;
	for (long i = 0; i < c->batch && from + i < (uint32_t)c->per_service; i++) {
		if (tb_net_deadline_passed(c->end_ms))
			return 1;
		struct input *in = &c->in[c->nin];
		make_input(c, t, from + (uint32_t)i, in);
		if (send_input(c, t, in) < 0)
			break; /* not sent: the probe says why */
		c->nin++;
	}
	return 0;
}

/* The campaign: a batch to each live target in turn, every service probed
 * after each batch; 1 when it ended in a FAIL. */
static int campaign(struct campaign *c)
{
	unsigned *batch_no = &c->batches;
	for (uint32_t from = 0; from < (uint32_t)c->per_service; from += (uint32_t)c->batch) {
		for (size_t ti = 0; ti < c->nt; ti++) {
			struct target *t = &c->t[ti];
			if (t->live <= 0)
				continue;
			if (tb_net_stop_requested())
				return 0;
			c->budget_hit = run_batch(c, t, from);
			++*batch_no;
			size_t victim = 0, dead = check_all(c, &victim);
			if (dead) {
				fail(c, t, victim, dead, *batch_no);
				return 1;
			}
			if (c->budget_hit)
				return 0;
		}
	}
	return 0;
}

static void campaign_init(struct campaign *c, struct tb_ctx *ctx, const struct tb_case *tc,
			  struct tb_result *res)
{
	const struct tb_params *pp = &tc->params;
	memset(c, 0, sizeof *c);
	c->ctx = ctx;
	c->res = res;
	c->seed = (uint64_t)tb_param_int(pp, "seed");
	c->per_service = (long)tb_param_int(pp, "inputs-per-service");
	c->batch = (long)tb_param_int(pp, "batch-size");
	c->live_ms = (int)tb_param_int(pp, "liveness-timeout-ms");
	c->input_ms = (int)tb_param_int(pp, "input-timeout-ms");
	c->start_ms = tb_now_ms();
	c->end_ms = c->start_ms + tb_param_int(pp, "time-budget-s") * 1000;
	char host[16];
	tb_ipv4_format(ctx->profile->address, host);
	int n = snprintf((char *)c->http, sizeof c->http,
			 "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: trustbench-robustness\r\n"
			 "Accept: */*\r\nConnection: close\r\n\r\n",
			 host);
	c->http_len = n > 0 && (size_t)n < sizeof c->http ? (size_t)n : 0;
	c->mqtt_len = tb_mqtt_build_connect(c->mqtt, sizeof c->mqtt, MQTT_CLIENT_ID, 30, NULL, NULL);
	static const uint8_t tok[TB_RB_COAP_TKL] = { 't', 'b', 'r', 'b' };
	c->coap_len = tb_rb_coap_get(COAP_MUT_MID, tok, c->coap, sizeof c->coap);
	c->in = tb_xcalloc((size_t)c->batch, sizeof *c->in);
	for (long i = 0; i < c->batch; i++)
		c->in[i].data = tb_xmalloc(TB_MUT_MAX);
}

static void campaign_free(struct campaign *c)
{
	for (long i = 0; c->in && i < c->batch; i++)
		free(c->in[i].data);
	free(c->in);
	if (c->udp_open > 0)
		tb_udp_close(&c->udp);
	for (size_t i = 0; i < c->nt; i++)
		free(c->t[i].req);
}

/* A UPnP service gets SOAP to its control URL, found in its description;
 * without one it is exercised as the HTTP server it is. */
static void soap_setup(struct campaign *c, struct target *t)
{
	char host[16], how[400];
	tb_ipv4_format(c->ctx->profile->address, host);
	t->req = tb_xmalloc(1024);
	if (!tb_rb_soap_target(c->ctx, t->port, host, t->req, &t->req_len, 1024, how, sizeof how)) {
		free(t->req);
		t->req = NULL;
		t->kind = TB_RB_HTTP;
		snprintf(t->name, sizeof t->name, "tcp/%u (http)", t->port);
	}
	tb_ev_note(c->res, "scope of the campaign", "%s, UPnP: %s", t->name, how);
}

/* Which services answer a valid request before anything malformed is sent. */
static size_t baseline(struct campaign *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nt; i++) {
		struct target *t = &c->t[i];
		if (t->kind == TB_RB_SOAP)
			soap_setup(c, t);
		t->live = probe(c, t);
		n += (size_t)t->live;
		if (!t->live)
			tb_ev_note(c->res, "before the campaign",
				   "%s did not answer a valid request (%s): not exercised", t->name,
				   t->why);
	}
	return n;
}

/* ---- the uptime sign of a reboot ------------------------------------------ */

static void uptime_before(struct campaign *c)
{
	struct tb_udp *u = udp_of(c);
	if (u)
		tb_rb_uptime_read(c->ctx, u, SNMP_REQID_BEFORE, &c->up_before);
	tb_ev_note(c->res, "uptime before the campaign", "%s",
		   c->up_before.have ? c->up_before.how : c->up_before.why);
}

/* Read the uptime again and judge it; 1 when it shows a reboot. */
static int uptime_after(struct campaign *c)
{
	struct tb_udp *u = udp_of(c);
	if (!c->up_before.have) {
		snprintf(c->uptime_verdict, sizeof c->uptime_verdict, "not exposed: %s",
			 c->up_before.why);
		return 0;
	}
	if (u)
		tb_rb_uptime_read(c->ctx, u, SNMP_REQID_AFTER, &c->up_after);
	if (!c->up_after.have) {
		snprintf(c->uptime_verdict, sizeof c->uptime_verdict,
			 "%.2f s before the campaign, not readable after it (%s)",
			 c->up_before.ticks / 100.0, c->up_after.why);
		tb_ev_note(c->res, "uptime after the campaign", "%s", c->uptime_verdict);
		return 0;
	}
	enum tb_rb_reboot r = tb_rb_reboot_judge(c->up_before.ticks, c->up_after.ticks,
						 c->up_after.at_ms - c->up_before.at_ms,
						 c->uptime_verdict, sizeof c->uptime_verdict);
	tb_ev_note(c->res, "uptime after the campaign", "%s (%s)", c->uptime_verdict, c->up_after.how);
	return r == TB_RB_UP_REBOOTED;
}

/* ---- verdicts and the summary ---------------------------------------------- */

/* "tcp/80 (http) 200 inputs, tcp/1883 (mqtt) 200 inputs" */
static void summary(const struct campaign *c, char *out, size_t cap)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < c->nt && at < cap; i++)
		if (c->t[i].live)
			at += (size_t)snprintf(out + at, cap - at, "%s%s %u inputs", at ? ", " : "",
					       c->t[i].name, c->t[i].sent);
}

static double spent_s(const struct campaign *c)
{
	return (double)(tb_now_ms() - c->start_ms) / 1000.0;
}

/* Every service answered after every batch: PASS, unless the uptime shows
 * a reboot they hid (FAIL) or the run was interrupted. */
static void judge_survival(struct campaign *c, int rebooted)
{
	char what[600];
	double secs = spent_s(c);
	summary(c, what, sizeof what);
	tb_ev_note(
		c->res, "campaign",
		"seed %llu; %lu malformed inputs in %.2f s (%s), batches of %ld, every batch followed "
		"by a liveness probe of every service",
		(unsigned long long)c->seed, c->total, secs, what, c->batch);
	if (tb_net_stop_requested()) {
		tb_result_set(c->res, TB_V_INCONCLUSIVE,
			      "run interrupted after %lu malformed inputs: the campaign did not finish",
			      c->total);
		return;
	}
	if (rebooted) {
		tb_result_set(c->res, TB_V_FAIL,
			      "the device rebooted during the campaign though every service answered "
			      "again after each batch: %s; %lu malformed inputs of seed %llu (%s), the "
			      "batches replay from the seed",
			      c->uptime_verdict, c->total, (unsigned long long)c->seed, what);
		return;
	}
	tb_result_set(c->res, TB_V_PASS,
		      "survived %lu malformed inputs in %.2f s (%s; seed %llu)%s; " CAVEAT, c->total,
		      secs, what, (unsigned long long)c->seed,
		      c->budget_hit ? ", cut short by the time budget" : "");
}

#define FACT_NAME 48
#define FACT_TEXT 640

/* The campaign as a table (result.h tb_ev_summary): what was sent where,
 * how often liveness was checked, how long it took, why it stopped and
 * what the verdict rests on. */
static void summary_table(const struct campaign *c, int failed, int rebooted)
{
	enum { SEED, TOTAL, SERVICES, BATCHES, PROBES, TIME, STOPPED, UPTIME, BASIS, CAVEAT_F, NFIX };
	static char val[NFIX][FACT_TEXT], pname[MAX_TARGETS][FACT_NAME], pval[MAX_TARGETS][32];
	struct tb_ev_fact f[NFIX + MAX_TARGETS];
	size_t n = 0, at = 0;
	snprintf(val[SEED], FACT_TEXT, "%llu", (unsigned long long)c->seed);
	snprintf(val[TOTAL], FACT_TEXT, "%lu", c->total);
	val[SERVICES][0] = '\0';
	for (size_t i = 0; i < c->nt && at < FACT_TEXT; i++)
		at += (size_t)snprintf(val[SERVICES] + at, FACT_TEXT - at, "%s%s%s", at ? ", " : "",
				       c->t[i].name,
				       c->t[i].live ? ""
						    : " (no answer to a valid request: not exercised)");
	snprintf(val[BATCHES], FACT_TEXT, "%u (up to %ld inputs each)", c->batches, c->batch);
	snprintf(val[PROBES], FACT_TEXT, "%lu (a valid request, answered within %d ms, one retry)",
		 c->probes, c->live_ms);
	snprintf(val[TIME], FACT_TEXT, "%.2f s (budget %lld s)", spent_s(c),
		 (long long)((c->end_ms - c->start_ms) / 1000));
	snprintf(val[STOPPED], FACT_TEXT, "%s",
		 tb_net_stop_requested() ? "yes: the run was interrupted"
		 : failed                ? "yes: a service stopped answering (see the reason)"
		 : c->budget_hit         ? "yes: the time budget ran out"
					 : "no: every input was sent");
	snprintf(val[UPTIME], FACT_TEXT, "%s", c->uptime_verdict[0] ? c->uptime_verdict : "not read");
	snprintf(val[BASIS], FACT_TEXT, "%s",
		 failed     ? "a service that answered a valid request before the campaign did not "
			      "answer one after a batch (one retry)"
		 : rebooted ? "the device's uptime showed a reboot during the campaign"
			    : "every exercised service answered a valid request after every batch, "
			      "and no reboot was seen");
	snprintf(val[CAVEAT_F], FACT_TEXT, "%s", CAVEAT);
	static const char *const names[NFIX] = {
		"seed",          "inputs in all",   "services targeted",
		"batches",       "liveness probes", "time spent",
		"stopped early", "uptime",          "verdict basis",
		"note"
	};
	for (int i = 0; i < NFIX; i++)
		f[n++] = (struct tb_ev_fact){ names[i], val[i] };
	for (size_t i = 0, k = 0; i < c->nt; i++) {
		if (!c->t[i].live)
			continue;
		snprintf(pname[k], FACT_NAME, "inputs to %s", c->t[i].name);
		snprintf(pval[k], sizeof pval[k], "%u", c->t[i].sent);
		f[n++] = (struct tb_ev_fact){ pname[k], pval[k] };
		k++;
	}
	tb_ev_summary(c->res, "robustness campaign", f, n);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct campaign c;
	campaign_init(&c, ctx, tc, res);
	find_targets(&c);
	if (!c.nt) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no HTTP, MQTT or telnet service (plain or inside TLS) nor CoAP over UDP "
			      "declared or found: nothing to exercise");
	} else if (!baseline(&c)) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "none of the %zu HTTP/MQTT/telnet/CoAP service(s) answered a valid "
			      "request before the campaign: nothing to judge a crash against",
			      c.nt);
	} else {
		uptime_before(&c);
		int failed = campaign(&c);
		int rebooted = uptime_after(&c);
		if (!failed)
			judge_survival(&c, rebooted);
		summary_table(&c, failed, rebooted);
	}
	campaign_free(&c);
}

const struct tb_check_family tb_check_robustness = {
	.name = "robustness",
	.summary =
		"sends seeded malformed HTTP requests, MQTT CONNECTs, telnet negotiations and "
		"CoAP messages to each service, probing every service after each batch: one that "
		"stops answering, or an uptime that shows a reboot, fails",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
};
