/* chk_robustness.c: does malformed input crash the device's services?
 * (EN 303 645 5.13-1.)
 *
 * A bounded campaign: every plain-TCP HTTP, MQTT and telnet service the
 * profile declares or this run's exposure sweep identified first has to
 * answer a valid request (GET /, a CONNECT; telnet speaks first: any byte
 * after a client's opening negotiation); those that do get `inputs-per-service`
 * mutations of it (proto/p_mutate.h), each on a connection of its own, in
 * batches of `batch-size`.  After every batch each service is probed again
 * (connect, the valid request, an answer within liveness-timeout-ms, one
 * retry).  A service that no longer answers FAILs, with the batch that went
 * before it (every input escaped, the last one raw) and the seed, so the
 * vendor can replay it; when no service answers any more the device as a
 * whole stopped (a crash or a reboot).  Surviving the campaign is a PASS
 * that says what was sent and for how long, and that robustness testing
 * shows the presence of faults, never their absence.
 *
 * Every connection goes through the scoped, rate-limited connect path with
 * a deadline on every operation.  Intrusive: without lab.intrusive: true
 * the runner leaves it INCONCLUSIVE and nothing is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "base/clock.h"
#include "check/chk_robustness_internal.h"
#include "check/family.h"
#include "check/http_common.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
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

struct target {
	uint16_t port;
	enum tb_rb_kind kind;
	int live;      /* answered the valid request before the campaign */
	unsigned sent; /* malformed inputs sent to it */
	char name[24]; /* "tcp/80 (http)" */
	char why[200]; /* the last failed probe */
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
	uint8_t http[512], mqtt[64]; /* the valid requests */
	size_t http_len, mqtt_len;
	unsigned long total;
	int budget_hit;
};

static const char *kind_name(enum tb_rb_kind k)
{
	return k == TB_RB_HTTP ? "http" : k == TB_RB_MQTT ? "mqtt" : "telnet";
}

/* ---- what gets exercised ------------------------------------------------ */

static int kind_of(const char *protocol, enum tb_rb_kind *k)
{
	if (strcmp(protocol, "http") == 0 || strcmp(protocol, "upnp") == 0) /* UPnP: HTTP */
		*k = TB_RB_HTTP;
	else if (strcmp(protocol, "mqtt") == 0)
		*k = TB_RB_MQTT;
	else if (strcmp(protocol, "telnet") == 0)
		*k = TB_RB_TELNET;
	else
		return 0;
	return 1;
}

static void add_target(struct campaign *c, uint16_t port, enum tb_rb_kind k, const char *source)
{
	for (size_t i = 0; i < c->nt; i++)
		if (c->t[i].port == port)
			return;
	if (tb_http_port_tls(c->ctx, port)) {
		tb_ev_note(c->res, "scope of the campaign",
			   "tcp/%u (%s, %s) speaks TLS: not exercised (the campaign speaks plain TCP)",
			   port, kind_name(k), source);
		return;
	}
	if (c->nt == MAX_TARGETS) {
		tb_ev_note(c->res, "scope of the campaign",
			   "tcp/%u (%s): more than %d services, not exercised", port, kind_name(k),
			   MAX_TARGETS);
		return;
	}
	struct target *t = &c->t[c->nt++];
	*t = (struct target){ .port = port, .kind = k };
	snprintf(t->name, sizeof t->name, "tcp/%u (%s)", port, kind_name(k));
}

/* Declared services first, then what the run's exposure sweep identified. */
static void find_targets(struct campaign *c)
{
	const struct tb_profile *p = c->ctx->profile;
	enum tb_rb_kind k;
	for (size_t s = 0; s < p->nservices; s++) {
		const struct tb_service *sv = &p->services[s];
		if ((sv->transport && strcmp(sv->transport, "tcp") != 0) || sv->tls ||
		    !kind_of(sv->protocol, &k) || sv->port < 1 || sv->port > 65535)
			continue;
		add_target(c, (uint16_t)sv->port, k, "declared");
	}
	char host[16];
	tb_ipv4_format(p->address, host);
	const struct tb_surface *sf = c->ctx->surface;
	for (size_t s = 0; sf && s < sf->n; s++) {
		const struct tb_endpoint *e = &sf->v[s];
		if (strcmp(e->transport, "tcp") == 0 && strcmp(e->addr, host) == 0 &&
		    kind_of(e->protocol, &k))
			add_target(c, e->port, k, "found by the exposure sweep");
	}
	if (!sf || !sf->tcp_case[0])
		tb_ev_note(
			c->res, "scope of the campaign",
			"no exposure sweep ran before this case: only declared services are exercised");
}

/* ---- talking to one service ---------------------------------------------- */

TB_UNITTEST int tb_rb_answered(enum tb_rb_kind k, const uint8_t *buf, size_t len)
{
	if (k == TB_RB_TELNET)
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

static void valid_request(const struct campaign *c, enum tb_rb_kind k, const uint8_t **req, size_t *len)
{
	*req = k == TB_RB_HTTP ? c->http : k == TB_RB_MQTT ? c->mqtt : telnet_opening;
	*len = k == TB_RB_HTTP ? c->http_len : k == TB_RB_MQTT ? c->mqtt_len : sizeof telnet_opening;
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

/* One valid request and its answer: 1 answered, 0 not (why says how). */
static int probe_once(struct campaign *c, struct target *t)
{
	struct tb_diag d = { 0 };
	int fd = -1;
	enum tb_err e = tb_net_connect(&c->ctx->net, c->ctx->profile->address, t->port, &fd, &d);
	if (e) {
		snprintf(t->why, sizeof t->why, "%s", connect_failure(e));
		return 0;
	}
	const uint8_t *req;
	size_t rlen, got = 0, n;
	uint8_t buf[64];
	valid_request(c, t->kind, &req, &rlen);
	int64_t deadline = tb_now_ms() + c->live_ms;
	int ok = 0;
	e = tb_net_send_all(fd, req, rlen, deadline);
	while (!e && !ok && got < sizeof buf) {
		e = tb_net_recv(fd, buf + got, sizeof buf - got, &n, deadline);
		if (e || n == 0)
			break;
		got += n;
		ok = tb_rb_answered(t->kind, buf, got);
		if (ok < 0)
			break;
	}
	tb_net_close(&fd);
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
 * lost connection is not taken for a crash. */
static int probe(struct campaign *c, struct target *t)
{
	for (int i = 0; i < LIVE_TRIES; i++) {
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
	struct tb_diag d = { 0 };
	int fd = -1;
	if (tb_net_connect(&c->ctx->net, c->ctx->profile->address, t->port, &fd, &d))
		return -1;
	int64_t deadline = tb_now_ms() + c->input_ms;
	uint8_t buf[REPLY_CAP];
	size_t n;
	/* A device that stops reading mid-input is judged by the probe, not here. */
	if (tb_net_send_all(fd, in->data, in->len, deadline) == TB_OK)
		shutdown(fd, SHUT_WR);
	while (tb_net_recv(fd, buf, sizeof buf, &n, deadline) == TB_OK && n > 0)
		;
	tb_net_close(&fd);
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
	valid_request(c, t->kind, &req, &rlen);
	in->index = index;
	if (t->kind == TB_RB_HTTP)
		in->len = tb_mut_http(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
	else if (t->kind == TB_RB_MQTT)
		in->len = tb_mut_mqtt(req, rlen, seed, in->data, TB_MUT_MAX, in->what);
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
	size_t at = (size_t)snprintf(
		s, cap,
		"# trustbench robustness campaign, seed %llu: the last batch sent to tcp/%u (%s)\n"
		"# Input i to port P is tb_mut_%s(valid request, tb_mut_input_seed(%llu, P, i))\n"
		"# (harness/src/proto/p_mutate.c), sent on a connection of its own, then the\n"
		"# sending side shut down and the answer read for up to %d ms.\n"
		"# Escapes: \\r \\n \\t \\\\ and \\xHH; everything else as is.\n"
		"valid request (%zu bytes): ",
		(unsigned long long)seed, port, kind_name(k), kind_name(k), (unsigned long long)seed,
		input_ms, vlen);
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
	valid_request(c, t->kind, &req, &rlen);
	struct tb_rb_sent *v = tb_xcalloc(c->nin ? c->nin : 1, sizeof *v);
	for (size_t i = 0; i < c->nin; i++)
		v[i] = (struct tb_rb_sent){ c->in[i].index, c->in[i].what, c->in[i].data,
					    c->in[i].len };
	char *text =
		tb_rb_batch_text(c->seed, t->port, t->kind, req, rlen, v, c->nin, c->input_ms, &len);
	free(v);
	snprintf(file, cap, "robustness-tcp%u-batch%u.txt", t->port, batch_no);
	if (tb_ev_file(c->ctx, c->res, file, text, len))
		tb_ev_note(c->res, "evidence", "could not write %s: the inputs are in the notes only",
			   file);
	free(text);
	if (!c->nin)
		return;
	const struct input *last = &c->in[c->nin - 1];
	char name[64], label[160];
	snprintf(name, sizeof name, "robustness-tcp%u-input%u.bin", t->port, last->index);
	if (tb_ev_file(c->ctx, c->res, name, last->data, last->len))
		tb_ev_note(c->res, "evidence", "could not write %s", name);
	snprintf(label, sizeof label, "last input to tcp/%u: input %u, %s", t->port, last->index,
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

/* Was port exercised (it answered before the campaign)? */
static int exercised(const struct campaign *c, long port)
{
	for (size_t i = 0; i < c->nt; i++)
		if (c->t[i].port == port && c->t[i].live)
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
			tb_ev_note(c->res, "liveness",
				   "tcp/%u (%s) stopped answering after batch %u to tcp/%u: %s",
				   c->t[i].port, kind_name(c->t[i].kind), batch_no, t->port,
				   c->t[i].why);
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
			      "tcp/%u (%s) stopped answering (%s) after malformed inputs %u-%u of seed "
			      "%llu%s%s; the inputs are in %s (%lu inputs sent in all)",
			      v->port, kind_name(v->kind), v->why, first, lastix,
			      (unsigned long long)c->seed, v == t ? "" : " to ", v == t ? "" : t->name,
			      file, c->total);
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
	unsigned batch_no = 0;
	for (uint32_t from = 0; from < (uint32_t)c->per_service; from += (uint32_t)c->batch) {
		for (size_t ti = 0; ti < c->nt; ti++) {
			struct target *t = &c->t[ti];
			if (t->live <= 0)
				continue;
			if (tb_net_stop_requested())
				return 0;
			c->budget_hit = run_batch(c, t, from);
			batch_no++;
			size_t victim = 0, dead = check_all(c, &victim);
			if (dead) {
				fail(c, t, victim, dead, batch_no);
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
	c->in = tb_xcalloc((size_t)c->batch, sizeof *c->in);
	for (long i = 0; i < c->batch; i++)
		c->in[i].data = tb_xmalloc(TB_MUT_MAX);
}

static void campaign_free(struct campaign *c)
{
	for (long i = 0; c->in && i < c->batch; i++)
		free(c->in[i].data);
	free(c->in);
}

/* Which services answer a valid request before anything malformed is sent. */
static size_t baseline(struct campaign *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nt; i++) {
		struct target *t = &c->t[i];
		t->live = probe(c, t);
		n += (size_t)t->live;
		if (!t->live)
			tb_ev_note(c->res, "before the campaign",
				   "tcp/%u (%s) did not answer a valid request (%s): not exercised",
				   t->port, kind_name(t->kind), t->why);
	}
	return n;
}

/* "tcp/80 (http) 200 inputs, tcp/1883 (mqtt) 200 inputs" */
static void summary(const struct campaign *c, char *out, size_t cap)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < c->nt && at < cap; i++)
		if (c->t[i].live)
			at += (size_t)snprintf(out + at, cap - at, "%stcp/%u (%s) %u inputs",
					       at ? ", " : "", c->t[i].port, kind_name(c->t[i].kind),
					       c->t[i].sent);
}

static void judge_survival(struct campaign *c)
{
	char what[600];
	double secs = (double)(tb_now_ms() - c->start_ms) / 1000.0;
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
	tb_result_set(c->res, TB_V_PASS,
		      "survived %lu malformed inputs in %.2f s (%s; seed %llu)%s; robustness testing "
		      "shows the presence of faults, never their absence",
		      c->total, secs, what, (unsigned long long)c->seed,
		      c->budget_hit ? ", cut short by the time budget" : "");
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct campaign c;
	campaign_init(&c, ctx, tc, res);
	find_targets(&c);
	if (!c.nt)
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no plain-TCP HTTP, MQTT or telnet service declared or found: nothing to "
			      "exercise");
	else if (!baseline(&c))
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "none of the %zu HTTP/MQTT/telnet service(s) answered a valid request "
			      "before the "
			      "campaign: nothing to judge a crash against",
			      c.nt);
	else if (!campaign(&c))
		judge_survival(&c);
	campaign_free(&c);
}

const struct tb_check_family tb_check_robustness = {
	.name = "robustness",
	.summary =
		"sends seeded malformed HTTP requests, MQTT CONNECTs and telnet negotiations to "
		"each service, probing every service after each batch: one that stops answering "
		"fails",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
};
