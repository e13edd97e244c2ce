/* chk_cloud_identity.c: does the device check who its cloud is?
 * (EN 303 645 5.5-1, 5.8-1, 5.8-2.)
 *
 * For the duration of the test case the lab's stand-in for the vendor
 * cloud (profile lab.cloud) presents, through its control channel, four
 * forged certificates minted here at test time (trust/testcerts.h), each
 * for `per-certificate-s`: a self-signed one for the cloud's name, one for
 * another name and an expired one (both signed by the profile's trusted
 * test CA when there is one), and one from a CA made at test time that
 * nobody trusts; then the genuine one for `genuine-s`.  After each phase
 * the cloud's log says which TLS connections came and how they ended
 * (proto/p_cloudlog.h); events belong to a phase by the certificate epoch
 * they were accepted under.
 *
 * A device that completes a handshake over a forged certificate FAILs (its
 * application data is evidence, secrets masked, with the phase's frames
 * from the run's capture); one that refuses every forged certificate on
 * every port it uses and talks to the genuine cloud PASSes; anything less
 * is INCONCLUSIVE with the reason (tb_ci_judge).  The cloud always goes
 * back to its genuine certificate, on every path.
 *
 * The harness talks to the cloud only through the scoped connect path with
 * a scope holding exactly the cloud's address/32.  Intrusive: without
 * lab.intrusive: true the runner leaves it INCONCLUSIVE and nothing is sent.
 */
#define _GNU_SOURCE /* open_memstream */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/clock.h"
#include "base/text.h"
#include "capture/capture.h"
#include "check/chk_cloud_identity_internal.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "proto/p_mqtt.h"
#include "result/result.h"
#include "trust/testcerts.h"

static const struct tb_param_def params[] = {
	{ .name = "per-certificate-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 600,
	  .help = "the longest each forged certificate is presented: the phase ends sooner once "
		  "the device has tried every TLS port it uses (the certificate is untested when "
		  "it does not call home in that time)",
	  .dflt = "12" },
	{ .name = "genuine-s",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = 600,
	  .help = "the longest the genuine certificate is presented at the end: the phase ends "
		  "sooner once the device has completed a handshake on every TLS port it uses "
		  "(a device that backs off after the forged ones needs a while)",
	  .dflt = "20" },
};

#define CTL_TIMEOUT_MS \
	8000 /* one control command, connect to last byte (the cloud \
	      * serves one connection at a time, each up to 2 s) */
#define LOG_CAP (TB_CLOG_MAX_EVENTS * (TB_CLOG_LINE_MAX + 1) + 64)
#define ANSWER_CAP (TB_CLOG_ANSWER_MAX + 1)
#define MAX_EVENTS 4096     /* kept over the whole case */
#define PCAP_MAX (8u << 20) /* bytes of frames kept per phase */
#define LIST_MAX 12         /* events listed per phase note */
#define GENUINE_TRIES 3
#define POLL_MS 1000 /* LOG this often during a phase */

const char *tb_ci_forged_name(enum tb_ci_forged f)
{
	switch (f) {
	case TB_CI_SELF_SIGNED: return "self-signed";
	case TB_CI_WRONG_NAME: return "another name";
	case TB_CI_EXPIRED: return "expired";
	case TB_CI_UNTRUSTED_CA: return "untrusted CA";
	default: return "?";
	}
}

/* File-name form of each forged certificate. */
static const char *const forged_slug[TB_CI_NFORGED] = { "self-signed", "wrong-name", "expired",
							"untrusted-ca" };

/* ---- tallies and the judge (pure) ---------------------------------------- */

static struct tb_ci_port *port_of(struct tb_ci_phase *ph, uint16_t port)
{
	for (size_t i = 0; i < ph->nports; i++)
		if (ph->ports[i].port == port)
			return &ph->ports[i];
	if (ph->nports == TB_CI_MAX_PORTS)
		return NULL;
	ph->ports[ph->nports] = (struct tb_ci_port){ .port = port };
	return &ph->ports[ph->nports++];
}

TB_UNITTEST void tb_ci_tally(struct tb_ci_phase *ph, const struct tb_clog_event *ev, size_t n)
{
	int ran = ph->ran;
	uint64_t epoch = ph->epoch;
	int culprit_data = 0;
	memset(ph, 0, sizeof *ph);
	ph->ran = ran;
	ph->epoch = epoch;
	ph->culprit = -1;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].epoch != epoch)
			continue;
		ph->events++;
		struct tb_ci_port *pt = port_of(ph, ev[i].port);
		if (!pt) {
			ph->ports_dropped++;
			continue;
		}
		pt->tried++;
		if (ev[i].result != TB_CLOG_ACCEPTED)
			continue;
		int data = ev[i].appbytes > 0;
		pt->accepted++;
		pt->with_data += (unsigned)data;
		pt->appbytes += ev[i].appbytes;
		ph->accepted++;
		ph->with_data += (unsigned)data;
		if (ph->culprit < 0 || (data && !culprit_data)) {
			ph->culprit = (long)i;
			culprit_data = data;
		}
	}
}

/* The ports the device used in any phase (deduplicated, in order seen). */
static size_t ports_used(const struct tb_ci_facts *f, uint16_t *out, size_t cap)
{
	size_t n = 0;
	for (int k = 0; k <= TB_CI_NFORGED; k++) {
		const struct tb_ci_phase *ph = k < TB_CI_NFORGED ? &f->forged[k] : &f->genuine;
		for (size_t i = 0; i < ph->nports; i++) {
			size_t j = 0;
			while (j < n && out[j] != ph->ports[i].port)
				j++;
			if (j == n && n < cap)
				out[n++] = ph->ports[i].port;
		}
	}
	return n;
}

static const struct tb_ci_port *port_in(const struct tb_ci_phase *ph, uint16_t port)
{
	for (size_t i = 0; i < ph->nports; i++)
		if (ph->ports[i].port == port)
			return &ph->ports[i];
	return NULL;
}

/* FAIL on the first forged certificate the device sent application data
 * over.  A handshake that completed without data is not enough: real
 * clients (curl, for one) verify the chain during the handshake but match
 * the name only after it, then break off without sending anything
 * (judge_silent below). */
static int judge_accepted(const struct tb_ci_facts *f, char *why, size_t cap)
{
	int pick = -1;
	for (int k = 0; k < TB_CI_NFORGED && pick < 0; k++)
		if (f->forged[k].with_data)
			pick = k;
	if (pick < 0)
		return 0;
	const struct tb_ci_phase *ph = &f->forged[pick];
	char others[160] = "";
	size_t o = 0;
	for (int k = 0; k < TB_CI_NFORGED; k++)
		if (k != pick && f->forged[k].with_data && o < sizeof others)
			o += (size_t)snprintf(others + o, sizeof others - o, "%s%s", o ? ", " : "",
					      tb_ci_forged_name((enum tb_ci_forged)k));
	const struct tb_ci_port *pt = NULL;
	for (size_t i = 0; i < ph->nports && !pt; i++)
		if (ph->ports[i].with_data)
			pt = &ph->ports[i];
	snprintf(why, cap,
		 "the device accepted a forged cloud certificate (%s): it completed %u TLS "
		 "handshake(s) and sent application data over it (tcp/%u: %llu bytes)%s%s",
		 tb_ci_forged_name((enum tb_ci_forged)pick), ph->accepted, pt ? pt->port : 0,
		 pt ? (unsigned long long)pt->appbytes : 0ULL, o ? "; it also sent data over: " : "",
		 others);
	return 1;
}

/* Handshakes over a forged certificate that completed but carried no data:
 * a refusal after the handshake only when the device does send data to the
 * genuine cloud on that port (else silence proves nothing).  Returns 1 with
 * the INCONCLUSIVE reason; else 0, with *silent the number of such
 * handshakes. */
static int judge_silent(const struct tb_ci_facts *f, char *why, size_t cap, unsigned *silent)
{
	*silent = 0;
	for (int k = 0; k < TB_CI_NFORGED; k++)
		for (size_t i = 0; i < f->forged[k].nports; i++) {
			const struct tb_ci_port *pt = &f->forged[k].ports[i];
			if (!pt->accepted)
				continue;
			const struct tb_ci_port *g = port_in(&f->genuine, pt->port);
			if (!g || !g->with_data) {
				snprintf(
					why, cap,
					"the device completed the TLS handshake over a forged "
					"certificate (%s) on tcp/%u and sent nothing, but it sent "
					"nothing to "
					"the genuine cloud there either: whether it trusted the forged "
					"certificate cannot be told",
					tb_ci_forged_name((enum tb_ci_forged)k), pt->port);
				return 1;
			}
			*silent += pt->accepted;
		}
	return 0;
}

/* INCONCLUSIVE when some forged phase or port was not tried, or the genuine
 * cloud was not reached on a port used: refusals then prove nothing. */
static int judge_coverage(const struct tb_ci_facts *f, const uint16_t *ports, size_t np, char *why,
			  size_t cap)
{
	for (int k = 0; k < TB_CI_NFORGED; k++)
		if (!f->forged[k].ran || !f->forged[k].events) {
			snprintf(why, cap,
				 "the device did not try to reach its cloud while the %s certificate "
				 "was presented: that certificate was not tested",
				 tb_ci_forged_name((enum tb_ci_forged)k));
			return 1;
		}
	for (size_t i = 0; i < np; i++) {
		const struct tb_ci_port *g = port_in(&f->genuine, ports[i]);
		if (!g || !g->accepted) {
			snprintf(
				why, cap,
				"the device did not complete a TLS handshake with the genuine cloud on "
				"tcp/%u either: its refusals of the forged certificates there prove "
				"nothing",
				ports[i]);
			return 1;
		}
		for (int k = 0; k < TB_CI_NFORGED; k++)
			if (!port_in(&f->forged[k], ports[i])) {
				snprintf(why, cap,
					 "the device did not try tcp/%u while the %s certificate was "
					 "presented: that port was not tested with it",
					 ports[i], tb_ci_forged_name((enum tb_ci_forged)k));
				return 1;
			}
	}
	return 0;
}

TB_UNITTEST enum tb_verdict tb_ci_judge(const struct tb_ci_facts *f, char *why, size_t cap)
{
	uint16_t ports[TB_CI_MAX_PORTS * (TB_CI_NFORGED + 1)];
	unsigned total = f->genuine.events;
	for (int k = 0; k < TB_CI_NFORGED; k++)
		total += f->forged[k].events;
	if (judge_accepted(f, why, cap))
		return TB_V_FAIL;
	if (!total) {
		snprintf(why, cap,
			 "the device never called its cloud during the test (no TLS connection to "
			 "the lab cloud at all): nothing to judge");
		return TB_V_INCONCLUSIVE;
	}
	size_t np = ports_used(f, ports, sizeof ports / sizeof ports[0]);
	if (judge_coverage(f, ports, np, why, cap))
		return TB_V_INCONCLUSIVE;
	if (f->lost) {
		snprintf(why, cap,
			 "%lu connection event(s) were lost from the cloud's log before they were "
			 "read: an acceptance may be among them",
			 f->lost);
		return TB_V_INCONCLUSIVE;
	}
	for (int k = 0; k < TB_CI_NFORGED; k++)
		if (f->forged[k].ports_dropped || f->genuine.ports_dropped) {
			snprintf(why, cap, "the device used more than %d ports: not all were judged",
				 TB_CI_MAX_PORTS);
			return TB_V_INCONCLUSIVE;
		}
	unsigned silent;
	if (judge_silent(f, why, cap, &silent))
		return TB_V_INCONCLUSIVE;
	char plist[64] = "", after[200] = "";
	size_t o = 0;
	for (size_t i = 0; i < np && o < sizeof plist; i++)
		o += (size_t)snprintf(plist + o, sizeof plist - o, "%stcp/%u", i ? ", " : "", ports[i]);
	if (silent)
		snprintf(after, sizeof after,
			 " (%u of the refusals came after a completed handshake: the device broke "
			 "off without sending anything, as clients that match the name only after "
			 "the handshake do)",
			 silent);
	if (!f->trusted_ca) {
		snprintf(why, cap,
			 "the device refused the self-signed and untrusted-CA certificates on %s and "
			 "accepted the genuine one, but the name and expiry checks were not tested "
			 "independently: the profile names no trusted test CA (lab.cloud.trusted-ca), "
			 "so the wrong-name and expired certificates were signed by an untrusted CA",
			 plist);
		return TB_V_INCONCLUSIVE;
	}
	snprintf(why, cap,
		 "the device refused all four forged cloud certificates (self-signed, another name, "
		 "expired, untrusted CA) on every port it used (%s)%s and completed TLS with the "
		 "genuine cloud",
		 plist, after);
	return TB_V_PASS;
}

/* ---- secrets in the device's data (pure) -------------------------------- */

static int ci_contains(const uint8_t *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp((const char *)p + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Does a header or parameter name say it carries a secret? */
static int secret_name(const uint8_t *p, size_t n)
{
	static const char *const words[] = { "authorization", "cookie", "token",   "secret",
					     "password",      "passwd", "api-key", "apikey",
					     "api_key",       "session" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (ci_contains(p, n, words[i]))
			return 1;
	return 0;
}

static void stars(uint8_t *p, size_t n)
{
	memset(p, '*', n);
}

/* Query parameters of the request line p[0..n) named for a secret. */
static size_t mask_query(uint8_t *p, size_t n)
{
	size_t masked = 0;
	const uint8_t *q = memchr(p, '?', n);
	if (!q)
		return 0;
	size_t i = (size_t)(q - p) + 1;
	while (i < n && p[i] != ' ') {
		size_t name = i;
		while (i < n && p[i] != '=' && p[i] != '&' && p[i] != ' ')
			i++;
		size_t name_len = i - name;
		if (i < n && p[i] == '=') {
			size_t v = ++i;
			while (i < n && p[i] != '&' && p[i] != ' ')
				i++;
			if (i > v && secret_name(p + name, name_len)) {
				stars(p + v, i - v);
				masked++;
			}
		}
		if (i < n && p[i] == '&')
			i++;
	}
	return masked;
}

/* An HTTP request's secrets: header values (an Authorization scheme word
 * stays readable) and query parameters. */
static size_t mask_http(uint8_t *p, size_t n)
{
	const uint8_t *nl = memchr(p, '\n', n);
	size_t line_end = nl ? (size_t)(nl - p) : n, masked = mask_query(p, line_end);
	size_t i = nl ? line_end + 1 : n;
	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - p) : n, len = end - i;
		if (len == 0 || (len == 1 && p[i] == '\r'))
			break; /* the end of the header block */
		const uint8_t *colon = memchr(p + i, ':', len);
		if (colon && secret_name(p + i, (size_t)(colon - (p + i)))) {
			size_t v = (size_t)(colon - p) + 1, stop = end;
			while (v < stop && p[v] == ' ')
				v++;
			if (stop > v && p[stop - 1] == '\r')
				stop--;
			size_t sp = v;
			while (sp < stop && p[sp] != ' ')
				sp++;
			if (ci_contains(p + i, (size_t)(colon - (p + i)), "authorization") && sp < stop)
				v = sp + 1; /* "Basic ****" */
			if (stop > v) {
				stars(p + v, stop - v);
				masked++;
			}
		}
		i = nl ? end + 1 : n;
	}
	return masked;
}

static int http_request_start(const uint8_t *p, size_t n)
{
	static const char *const methods[] = { "GET ",    "POST ", "PUT ",    "PATCH ",
					       "DELETE ", "HEAD ", "OPTIONS " };
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t k = strlen(methods[i]);
		if (n >= k && memcmp(p, methods[i], k) == 0)
			return 1;
	}
	return 0;
}

TB_UNITTEST size_t tb_ci_mask_secrets(uint8_t *p, size_t n)
{
	if (tb_p_mqtt_is_connect(p, n)) {
		struct tb_mqtt_connect c;
		if (tb_p_mqtt_connect(p, n, &c) == TB_OK)
			return c.has_pass && c.pass_len && tb_mask_secret(p, n, c.pass, c.pass_len) ? 1
												    : 0;
		/* Cut short or malformed: hide everything after the protocol name. */
		if (n > 8) {
			stars(p + 8, n - 8);
			return 1;
		}
		return 0;
	}
	if (http_request_start(p, n))
		return mask_http(p, n);
	return 0;
}

/* ---- the control channel ------------------------------------------------- */

TB_UNITTEST void tb_ci_ctl_init(struct tb_ci_ctl *c, uint32_t cloud, uint16_t port, int timeout_ms)
{
	memset(c, 0, sizeof *c);
	c->cidr = (struct tb_cidr){ .net = cloud, .prefix = 32 };
	c->scope = (struct tb_scope){ .v = &c->cidr, .n = 1 };
	tb_net_init(&c->net, &c->scope, 20, timeout_ms < 2000 ? timeout_ms : 2000);
	c->addr = cloud;
	c->port = port;
	c->timeout_ms = timeout_ms;
}

/* Is the answer in ans[0..n) complete? */
static int answer_complete(const uint8_t *ans, size_t n, int is_log)
{
	if (!n || ans[n - 1] != '\n')
		return 0;
	if (!is_log)
		return 1;
	/* The last line starts with END. */
	size_t s = n - 1;
	while (s > 0 && ans[s - 1] != '\n')
		s--;
	return n - s >= 4 && memcmp(ans + s, "END ", 4) == 0;
}

TB_UNITTEST enum tb_err tb_ci_ctl_exchange(struct tb_ci_ctl *c, uint32_t addr, const char *cmd,
					   const void *body, size_t bodylen, int is_log, uint8_t *ans,
					   size_t cap, size_t *got, struct tb_diag *d)
{
	int fd = -1;
	*got = 0;
	int64_t deadline = tb_now_ms() + c->timeout_ms;
	enum tb_err e = tb_net_connect(&c->net, addr, c->port, &fd, d);
	if (e)
		return e;
	e = tb_net_send_all(fd, cmd, strlen(cmd), deadline);
	if (!e && bodylen)
		e = tb_net_send_all(fd, body, bodylen, deadline);
	while (!e && !answer_complete(ans, *got, is_log)) {
		size_t n = 0;
		if (*got == cap) {
			e = TB_E_TOOBIG;
			break;
		}
		e = tb_net_recv(fd, ans + *got, cap - *got, &n, deadline);
		if (!e && n == 0)
			break; /* the cloud closed: the caller's parser judges what came */
		*got += n;
	}
	tb_net_close(&fd);
	if (e)
		tb_diag_set(d, e, "%s", tb_strerror(e));
	return e;
}

/* ---- one test case's state ----------------------------------------------- */

struct phase_rec {
	double wall_from, wall_to; /* tb_wall_now() at its command and the next */
	int64_t ms;                /* how long it was presented */
	int presented;
};

struct ci_run {
	struct tb_ctx *ctx;
	struct tb_result *res;
	const struct tb_lab_cloud *cloud;
	struct tb_ci_ctl ctl;
	int per_cert_s, genuine_s;
	struct tb_tc_ca trusted, untrusted; /* trusted: loaded here (outside a run) */
	const struct tb_tc_ca *signer_ca;   /* the trusted CA, or NULL */
	int have_trusted;
	struct tb_testcert certs[TB_CI_NFORGED];
	struct phase_rec rec[TB_CI_NFORGED + 1]; /* the forged ones, then genuine */
	struct tb_ci_facts facts;
	struct tb_clog *log;      /* one LOG answer parsed */
	uint8_t *buf;             /* one LOG answer's bytes */
	struct tb_clog_event *ev; /* every event read */
	size_t nev;
	uint64_t next_seq;
	unsigned long other_epochs;      /* events of epochs outside the test */
	uint16_t known[TB_CI_MAX_PORTS]; /* the TLS ports the device was seen to use */
	size_t nknown;
	int genuine_restored;
	char ctl_err[300]; /* why the control channel failed ("" when it did not) */
};

static void cloud_addr_text(const struct ci_run *r, char out[16])
{
	tb_ipv4_format(r->cloud->address, out);
}

/* PRESENT or GENUINE: TB_OK with *epoch, else r->ctl_err says why. */
static enum tb_err ctl_switch(struct ci_run *r, const char *pem, uint64_t *epoch)
{
	char cmd[64], why[TB_CLOG_ANSWER_MAX + 1];
	uint8_t ans[ANSWER_CAP];
	size_t got, blen = pem ? strlen(pem) : 0;
	struct tb_diag d = { 0 };
	if (pem)
		snprintf(cmd, sizeof cmd, "PRESENT %zu\n", blen);
	else
		snprintf(cmd, sizeof cmd, "GENUINE\n");
	enum tb_err e =
		tb_ci_ctl_exchange(&r->ctl, r->ctl.addr, cmd, pem, blen, 0, ans, sizeof ans, &got, &d);
	if (!e)
		e = tb_p_cloud_answer(ans, got, epoch, why, sizeof why);
	if (e == TB_E_REFUSED)
		snprintf(r->ctl_err, sizeof r->ctl_err, "%s: the cloud answered ERR %s",
			 pem ? "PRESENT" : "GENUINE", why);
	else if (e)
		snprintf(r->ctl_err, sizeof r->ctl_err, "%s: %s", pem ? "PRESENT" : "GENUINE",
			 d.msg[0] ? d.msg : tb_strerror(e));
	return e;
}

static void learn_port(struct ci_run *r, uint16_t port)
{
	for (size_t i = 0; i < r->nknown; i++)
		if (r->known[i] == port)
			return;
	if (r->nknown < TB_CI_MAX_PORTS)
		r->known[r->nknown++] = port;
}

/* Keep the events of one LOG answer, counting the ones the cloud lost. */
static void keep_events(struct ci_run *r, uint64_t from)
{
	uint64_t expect = from;
	for (size_t i = 0; i < r->log->n; i++) {
		const struct tb_clog_event *ev = &r->log->ev[i];
		if (ev->seq < expect)
			continue; /* out of order or repeated: already counted */
		r->facts.lost += (unsigned long)(ev->seq - expect);
		expect = ev->seq + 1;
		/* Several devices may share the lab cloud: only the DUT's
		 * connections are its own. */
		if (ev->client != r->ctx->profile->address) {
			r->facts.others++;
			continue;
		}
		learn_port(r, ev->port);
		if (r->nev < MAX_EVENTS)
			r->ev[r->nev++] = *ev;
		else
			r->facts.lost++;
	}
	if (r->log->next_seq > expect)
		r->facts.lost += (unsigned long)(r->log->next_seq - expect);
	r->next_seq = r->log->next_seq > expect ? r->log->next_seq : expect;
}

/* LOG from r->next_seq; keep (or, for the baseline, skip) the events. */
static enum tb_err ctl_log(struct ci_run *r, int keep)
{
	char cmd[64];
	size_t got, bad = 0;
	struct tb_diag d = { 0 };
	snprintf(cmd, sizeof cmd, "LOG %llu\n", (unsigned long long)r->next_seq);
	enum tb_err e =
		tb_ci_ctl_exchange(&r->ctl, r->ctl.addr, cmd, NULL, 0, 1, r->buf, LOG_CAP, &got, &d);
	if (!e)
		e = tb_p_cloudlog(r->buf, got, r->log, &bad);
	if (e) {
		if (bad)
			snprintf(r->ctl_err, sizeof r->ctl_err,
				 "LOG: the cloud's answer is malformed at line %zu", bad);
		else
			snprintf(r->ctl_err, sizeof r->ctl_err, "LOG: %s",
				 d.msg[0] ? d.msg : tb_strerror(e));
		return e;
	}
	if (keep) {
		keep_events(r, r->next_seq);
	} else { /* the baseline: not judged, but it shows the ports the device uses */
		for (size_t i = 0; i < r->log->n; i++)
			if (r->log->ev[i].client == r->ctx->profile->address)
				learn_port(r, r->log->ev[i].port);
		r->next_seq = r->log->next_seq;
	}
	return TB_OK;
}

/* Wait, in slices, until ms have passed or a stop was requested (0). */
static int wait_ms(int ms)
{
	int64_t end = tb_now_ms() + ms;
	while (!tb_net_deadline_passed(end)) {
		struct timespec ts = { 0, TB_NET_POLL_SLICE_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
	return !tb_net_stop_requested();
}

/* GENUINE, up to GENUINE_TRIES times; a note when it never took. */
static void restore_tries(struct ci_run *r)
{
	uint64_t epoch;
	for (int i = 0; i < GENUINE_TRIES; i++) {
		char keep[sizeof r->ctl_err];
		memcpy(keep, r->ctl_err, sizeof keep);
		enum tb_err e = ctl_switch(r, NULL, &epoch);
		memcpy(r->ctl_err, keep, sizeof keep);
		if (!e) {
			r->genuine_restored = 1;
			return;
		}
		struct timespec ts = { 0, 300 * 1000000L };
		nanosleep(&ts, NULL);
	}
	char host[16];
	cloud_addr_text(r, host);
	tb_ev_note(r->res, "cloud restore",
		   "the lab cloud at %s did not confirm GENUINE after %d tries: it may still "
		   "present a forged certificate",
		   host, GENUINE_TRIES);
}

/* Back to the genuine certificate, a few tries: the lab cloud must not be
 * left presenting a forged one, also when the run is being interrupted
 * (every wait in net.h gives up at once while a stop is pending, so the
 * flag is held back for these few bounded commands, then set again). */
static void restore_genuine(struct ci_run *r)
{
	if (r->genuine_restored)
		return;
	int stopping = tb_net_stop_requested();
	if (stopping)
		tb_net_clear_stop();
	restore_tries(r);
	if (stopping)
		tb_net_request_stop();
}

/* ---- certificates ------------------------------------------------------- */

/* The profile's trusted CA: the one the runner read before privileges were
 * dropped, or (outside a run) read from its files now. */
static enum tb_err trusted_ca(struct ci_run *r, struct tb_diag *d)
{
	const struct tb_ctx *ctx = r->ctx;
	if (ctx->cloud_ca) {
		r->signer_ca = ctx->cloud_ca;
		return TB_OK;
	}
	if (ctx->cloud_ca_error && ctx->cloud_ca_error[0])
		return tb_diag_set(d, TB_E_CONFIG, "%s", ctx->cloud_ca_error);
	enum tb_err e = tb_tc_ca_load(r->cloud->ca_cert, r->cloud->ca_key, &r->trusted, d);
	if (!e)
		r->signer_ca = &r->trusted;
	return e;
}

static enum tb_err mint_all(struct ci_run *r, struct tb_diag *d)
{
	time_t now = time(NULL);
	const char *name = r->cloud->name;
	char other[300];
	snprintf(other, sizeof other, "not-%s.invalid", name);
	enum tb_err e = tb_tc_ca_make("trustbench cloud-identity untrusted CA", now, &r->untrusted, d);
	if (e)
		return e;
	if (r->cloud->ca_cert && r->cloud->ca_key) {
		e = trusted_ca(r, d);
		if (e)
			return e;
		r->have_trusted = 1;
	}
	const struct tb_tc_ca *signer = r->have_trusted ? r->signer_ca : &r->untrusted;
	e = tb_tc_mint(name, "self-signed", NULL, now - 3600, now + 86400, &r->certs[TB_CI_SELF_SIGNED],
		       d);
	if (!e)
		e = tb_tc_mint(other, "another name", signer, now - 3600, now + 86400,
			       &r->certs[TB_CI_WRONG_NAME], d);
	if (!e)
		e = tb_tc_mint(name, "expired", signer, now - 30 * 86400, now - 86400,
			       &r->certs[TB_CI_EXPIRED], d);
	if (!e)
		e = tb_tc_mint(name, "signed by an untrusted CA", &r->untrusted, now - 3600,
			       now + 86400, &r->certs[TB_CI_UNTRUSTED_CA], d);
	return e;
}

static void certs_evidence(struct ci_run *r)
{
	char file[64];
	for (int k = 0; k < TB_CI_NFORGED; k++) {
		const char *pem = r->certs[k].cert_pem;
		snprintf(file, sizeof file, "cert-%d-%s.pem", k + 1, forged_slug[k]);
		if (tb_ev_file(r->ctx, r->res, file, pem, strlen(pem)))
			tb_ev_note(r->res, "evidence", "could not write %s", file);
		tb_ev_note(r->res, file, "certificate %d (%s), TEST ONLY, minted at test time: %s",
			   k + 1, tb_ci_forged_name((enum tb_ci_forged)k), r->certs[k].subject);
	}
	if (!r->have_trusted)
		tb_ev_note(r->res, "signers",
			   "the profile names no trusted test CA (lab.cloud.trusted-ca): the "
			   "another-name and expired certificates were signed by the untrusted CA made "
			   "at test time, so they test the chain, not the name or the dates");
	else
		tb_ev_note(r->res, "signers",
			   "another-name and expired certificates signed by the profile's trusted test "
			   "CA %s; untrusted-CA certificate by a CA made at test time",
			   r->cloud->ca_cert);
}

/* The chain and key the cloud presents: the leaf, then its key. */
static char *bundle(const struct tb_testcert *c)
{
	size_t a = strlen(c->cert_pem), b = strlen(c->key_pem);
	char *s = tb_xmalloc(a + b + 1);
	memcpy(s, c->cert_pem, a);
	memcpy(s + a, c->key_pem, b + 1);
	return s;
}

/* ---- the phases ---------------------------------------------------------- */

TB_UNITTEST int tb_ci_phase_done(const uint16_t *known, size_t nknown, const struct tb_clog_event *ev,
				 size_t n, uint64_t epoch, int need_accept)
{
	if (!nknown)
		return 0;
	for (size_t k = 0; k < nknown; k++) {
		size_t i = 0;
		while (i < n && (ev[i].epoch != epoch || ev[i].port != known[k] ||
				 (need_accept && ev[i].result != TB_CLOG_ACCEPTED)))
			i++;
		if (i == n)
			return 0;
	}
	return 1;
}

/* Present one certificate (pem NULL: the genuine one) for at most secs,
 * reading the log every POLL_MS, until tb_ci_phase_done. */
static enum tb_err phase(struct ci_run *r, int idx, const char *pem, int secs)
{
	uint64_t epoch;
	struct phase_rec *rec = &r->rec[idx];
	rec->wall_from = tb_wall_now();
	if (idx > 0)
		r->rec[idx - 1].wall_to = rec->wall_from;
	enum tb_err e = ctl_switch(r, pem, &epoch);
	if (e)
		return e;
	rec->presented = 1;
	if (!pem)
		r->genuine_restored = 1;
	struct tb_ci_phase *ph = idx < TB_CI_NFORGED ? &r->facts.forged[idx] : &r->facts.genuine;
	ph->epoch = epoch;
	int64_t start = tb_now_ms(), end = start + (int64_t)secs * 1000;
	do {
		int64_t left = end - tb_now_ms();
		if (!wait_ms(left < POLL_MS ? (int)(left > 0 ? left : 0) : POLL_MS)) {
			snprintf(r->ctl_err, sizeof r->ctl_err, "the run was interrupted");
			return TB_E_TIMEOUT;
		}
		e = ctl_log(r, 1);
	} while (!e && tb_now_ms() < end &&
		 !tb_ci_phase_done(r->known, r->nknown, r->ev, r->nev, epoch, pem == NULL));
	rec->wall_to = tb_wall_now();
	rec->ms = tb_now_ms() - start;
	if (!e)
		ph->ran = 1;
	return e;
}

static enum tb_err all_phases(struct ci_run *r)
{
	enum tb_err e = ctl_log(r, 0); /* where the log stands: earlier events are not ours */
	for (int k = 0; !e && k < TB_CI_NFORGED; k++) {
		char *b = bundle(&r->certs[k]);
		e = phase(r, k, b, r->per_cert_s);
		OPENSSL_cleanse(b, strlen(b));
		free(b);
	}
	if (!e)
		e = phase(r, TB_CI_NFORGED, NULL, r->genuine_s);
	return e;
}

/* ---- evidence of the phases ---------------------------------------------- */

static void event_text(const struct tb_clog_event *ev, char *out, size_t cap)
{
	snprintf(out, cap, "#%llu tcp/%u %s, %llu byte(s) of application data, SNI %s%s%s",
		 (unsigned long long)ev->seq, ev->port,
		 ev->result == TB_CLOG_ACCEPTED ? "handshake completed" : "refused",
		 (unsigned long long)ev->appbytes, ev->sni[0] ? ev->sni : "(none)",
		 ev->detail[0] ? ", " : "", ev->detail);
}

static void phase_note(struct ci_run *r, int idx)
{
	const struct tb_ci_phase *ph = idx < TB_CI_NFORGED ? &r->facts.forged[idx] : &r->facts.genuine;
	char label[80], text[4096], line[512];
	size_t o = 0, listed = 0;
	snprintf(label, sizeof label, "phase %d: %s certificate", idx + 1,
		 idx < TB_CI_NFORGED ? tb_ci_forged_name((enum tb_ci_forged)idx) : "genuine");
	if (!r->rec[idx].presented) {
		tb_ev_note(r->res, label, "not presented");
		return;
	}
	o += (size_t)snprintf(text + o, sizeof text - o,
			      "presented %.1f s (epoch %llu, %s): %u connection(s), %u handshake(s) "
			      "completed, %u with application data",
			      (double)r->rec[idx].ms / 1000.0, (unsigned long long)ph->epoch,
			      ph->ran ? "logged" : "not logged", ph->events, ph->accepted,
			      ph->with_data);
	for (size_t i = 0; i < ph->nports && o < sizeof text; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "; tcp/%u: %u tried, %u accepted",
				      ph->ports[i].port, ph->ports[i].tried, ph->ports[i].accepted);
	for (size_t i = 0; i < r->nev && o < sizeof text; i++) {
		if (r->ev[i].epoch != ph->epoch)
			continue;
		if (listed++ == LIST_MAX) {
			o += (size_t)snprintf(text + o, sizeof text - o, "\n... and %u more",
					      ph->events - LIST_MAX);
			break;
		}
		event_text(&r->ev[i], line, sizeof line);
		o += (size_t)snprintf(text + o, sizeof text - o, "\n%s", line);
	}
	tb_ev_note(r->res, label, "%s", text);
}

/* The frames between the device and the cloud during one phase, from the
 * run's capture, into an evidence pcap. */
static void phase_frames(struct ci_run *r, int idx, const char *file)
{
	struct tb_capture *cap = r->ctx->capture;
	char err[PCAP_ERRBUF_SIZE] = "", dut[16], cloud[16], filter[256];
	if (!cap || !cap->active) {
		tb_ev_note(r->res, "frames",
			   "no capture this run%s%s: the frames are not in the "
			   "evidence",
			   cap && cap->reason[0] ? ": " : "", cap ? cap->reason : "");
		return;
	}
	if (tb_capture_sync(cap, 2000))
		tb_ev_note(r->res, "frames",
			   "the capture could not be synced: the last frames may "
			   "be missing");
	tb_ipv4_format(r->ctx->profile->address, dut);
	cloud_addr_text(r, cloud);
	/* The TLS ports the device used in the phase: its other traffic to the
	 * cloud (cleartext, perhaps with secrets) stays out of this file. */
	const struct tb_ci_phase *ph = &r->facts.forged[idx];
	size_t o = (size_t)snprintf(filter, sizeof filter, "tcp and host %s and host %s and (", dut,
				    cloud);
	for (size_t i = 0; i < ph->nports && o < sizeof filter; i++)
		o += (size_t)snprintf(filter + o, sizeof filter - o, "%sport %u", i ? " or " : "",
				      ph->ports[i].port);
	if (o < sizeof filter)
		snprintf(filter + o, sizeof filter - o, ")");
	pcap_t *p = pcap_open_offline(cap->path, err);
	struct bpf_program prog;
	if (!p || pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		tb_ev_note(r->res, "frames", "could not read the capture: %s",
			   p ? pcap_geterr(p) : err);
		if (p)
			pcap_close(p);
		return;
	}
	char *mem = NULL;
	size_t memlen = 0;
	FILE *fp = open_memstream(&mem, &memlen);
	pcap_dumper_t *dump = fp ? pcap_dump_fopen(p, fp) : NULL;
	struct pcap_pkthdr *h;
	const u_char *bytes;
	unsigned long kept = 0, cut = 0;
	double from = r->rec[idx].wall_from, to = r->rec[idx].wall_to;
	while (dump && pcap_next_ex(p, &h, &bytes) == 1) {
		double t = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
		if (t < from || t > to || !pcap_offline_filter(&prog, h, bytes))
			continue;
		if (pcap_dump_ftell(dump) > (long)PCAP_MAX) {
			cut++;
			continue;
		}
		pcap_dump((u_char *)dump, h, bytes);
		kept++;
	}
	if (dump)
		pcap_dump_close(dump); /* closes fp */
	else if (fp)
		fclose(fp);
	pcap_freecode(&prog);
	pcap_close(p);
	if (!mem || !dump) {
		tb_ev_note(r->res, "frames", "could not write the phase's frames");
		free(mem);
		return;
	}
	if (tb_ev_file(r->ctx, r->res, file, mem, memlen))
		tb_ev_note(r->res, "frames", "could not write %s", file);
	else
		tb_ev_note(r->res, file,
			   "%lu frame(s) between %s and %s (%s) while that certificate was presented%s",
			   kept, dut, cloud, filter, cut ? " (cut at 8 MiB)" : "");
	free(mem);
}

/* One accepted connection's data, secrets masked, as evidence. */
static void accepted_evidence(struct ci_run *r, int k, const struct tb_clog_event *ev)
{
	uint8_t data[TB_CLOG_DATA_MAX];
	char label[96], line[512];
	memcpy(data, ev->data, ev->datalen);
	size_t masked = tb_ci_mask_secrets(data, ev->datalen);
	event_text(ev, line, sizeof line);
	snprintf(label, sizeof label, "accepted over the %s certificate, tcp/%u",
		 tb_ci_forged_name((enum tb_ci_forged)k), ev->port);
	tb_ev_note(r->res, label, "%s; the first %zu byte(s) below, %zu secret value(s) masked", line,
		   ev->datalen, masked);
	if (ev->datalen)
		tb_ev_exchange(r->res, label, NULL, 0, data, ev->datalen);
}

/* The FAIL's evidence: for each forged certificate accepted, what the
 * device sent over it (the first accepted connection on each port, one
 * with data where there is one) and the phase's frames. */
static void culprit_evidence(struct ci_run *r)
{
	for (int k = 0; k < TB_CI_NFORGED; k++) {
		const struct tb_ci_phase *ph = &r->facts.forged[k];
		char file[64];
		if (ph->culprit < 0)
			continue;
		for (size_t p = 0; p < ph->nports; p++) {
			const struct tb_clog_event *pick = NULL;
			for (size_t i = 0; i < r->nev; i++) {
				const struct tb_clog_event *ev = &r->ev[i];
				if (ev->epoch != ph->epoch || ev->port != ph->ports[p].port ||
				    ev->result != TB_CLOG_ACCEPTED)
					continue;
				if (!pick || (ev->appbytes && !pick->appbytes))
					pick = ev;
			}
			if (pick)
				accepted_evidence(r, k, pick);
		}
		snprintf(file, sizeof file, "frames-%d-%s.pcap", k + 1, forged_slug[k]);
		phase_frames(r, k, file);
	}
}

/* One table of the phases: certificate -> what each port did. */
static void phases_summary(struct ci_run *r)
{
	struct tb_ev_fact facts[TB_CI_NFORGED + 1];
	char names[TB_CI_NFORGED + 1][48], values[TB_CI_NFORGED + 1][256];
	for (int k = 0; k <= TB_CI_NFORGED; k++) {
		const struct tb_ci_phase *ph =
			k < TB_CI_NFORGED ? &r->facts.forged[k] : &r->facts.genuine;
		size_t o = 0;
		snprintf(names[k], sizeof names[k], "%d. %s", k + 1,
			 k < TB_CI_NFORGED ? tb_ci_forged_name((enum tb_ci_forged)k) : "genuine");
		values[k][0] = '\0';
		if (!r->rec[k].presented)
			snprintf(values[k], sizeof values[k], "not presented");
		else if (!ph->events)
			snprintf(values[k], sizeof values[k], "no connection in %.1f s",
				 (double)r->rec[k].ms / 1000.0);
		for (size_t i = 0; ph->events && i < ph->nports && o < sizeof values[k]; i++)
			o += (size_t)
				snprintf(values[k] + o, sizeof values[k] - o,
					 "%stcp/%u: %u tried, %u handshake(s) completed, %u with data",
					 i ? "; " : "", ph->ports[i].port, ph->ports[i].tried,
					 ph->ports[i].accepted, ph->ports[i].with_data);
		facts[k] = (struct tb_ev_fact){ names[k], values[k] };
	}
	tb_ev_summary(r->res, "certificates presented", facts, TB_CI_NFORGED + 1);
}

static void judge_and_record(struct ci_run *r)
{
	char why[TB_REASON_MAX];
	r->facts.trusted_ca = r->have_trusted;
	for (int k = 0; k <= TB_CI_NFORGED; k++) {
		struct tb_ci_phase *ph = k < TB_CI_NFORGED ? &r->facts.forged[k] : &r->facts.genuine;
		if (r->rec[k].presented) {
			tb_ci_tally(ph, r->ev, r->nev);
		} else { /* no epoch of its own: the events of epoch 0 are not its */
			memset(ph, 0, sizeof *ph);
			ph->culprit = -1;
		}
		phase_note(r, k);
	}
	phases_summary(r);
	for (size_t i = 0; i < r->nev; i++) {
		int ours = 0;
		for (int k = 0; k < TB_CI_NFORGED; k++)
			ours |= r->rec[k].presented && r->ev[i].epoch == r->facts.forged[k].epoch;
		ours |= r->rec[TB_CI_NFORGED].presented && r->ev[i].epoch == r->facts.genuine.epoch;
		r->other_epochs += (unsigned long)!ours;
	}
	if (r->other_epochs)
		tb_ev_note(r->res, "other events",
			   "%lu connection(s) accepted under a certificate epoch before the test "
			   "(not judged)",
			   r->other_epochs);
	if (r->facts.lost)
		tb_ev_note(r->res, "lost events", "%lu event(s) no longer in the cloud's log",
			   r->facts.lost);
	tb_ev_note(r->res, "attribution",
		   "only the cloud's connections from the DUT's address %s are judged; %lu from "
		   "other clients of the lab cloud were set aside",
		   r->ctx->profile->address_text, r->facts.others);
	enum tb_verdict v = tb_ci_judge(&r->facts, why, sizeof why);
	if (v == TB_V_FAIL)
		culprit_evidence(r);
	tb_result_set(r->res, v, "%s", why);
}

/* ---- the family ---------------------------------------------------------- */

static void ci_free(struct ci_run *r)
{
	for (int k = 0; k < TB_CI_NFORGED; k++)
		tb_testcert_free(&r->certs[k]);
	tb_tc_ca_free(&r->trusted);
	tb_tc_ca_free(&r->untrusted);
	free(r->log);
	free(r->buf);
	free(r->ev);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	const struct tb_lab_cloud *cloud = &ctx->profile->cloud;
	if (!cloud->present) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the profile declares no lab.cloud: the lab has no cloud the harness "
			      "controls, so whether the device checks its cloud's certificate cannot "
			      "be tested");
		return;
	}
	struct ci_run r = { .ctx = ctx, .res = res, .cloud = cloud };
	struct tb_diag d = { 0 };
	char host[16];
	r.per_cert_s = (int)tb_param_int(&tc->params, "per-certificate-s");
	r.genuine_s = (int)tb_param_int(&tc->params, "genuine-s");
	tb_ci_ctl_init(&r.ctl, cloud->address, (uint16_t)cloud->control_port, CTL_TIMEOUT_MS);
	cloud_addr_text(&r, host);
	if (mint_all(&r, &d)) {
		tb_result_set(res, TB_V_ERROR, "the test certificates could not be made: %s", d.msg);
		ci_free(&r);
		return;
	}
	certs_evidence(&r);
	r.log = tb_xcalloc(1, sizeof *r.log);
	r.buf = tb_xmalloc(LOG_CAP);
	r.ev = tb_xcalloc(MAX_EVENTS, sizeof *r.ev);
	enum tb_err e = all_phases(&r);
	restore_genuine(&r);
	tb_ev_note(res, "control channel",
		   "%s:%ld, scope %s/32 only: %lu connection(s), %lu refused by the scope check", host,
		   cloud->control_port, host, r.ctl.net.connects, r.ctl.net.scope_refusals);
	if (e && tb_net_stop_requested()) {
		judge_and_record(&r); /* the notes of what did happen */
		if (res->verdict != TB_V_FAIL)
			tb_result_set(
				res, TB_V_INCONCLUSIVE,
				"the run was interrupted before every certificate was presented "
				"and logged (the cloud was put back on its genuine certificate%s)",
				r.genuine_restored ? "" : ": not confirmed");
	} else if (e) {
		judge_and_record(&r); /* the notes of what did happen */
		enum tb_verdict v = res->verdict == TB_V_FAIL ? TB_V_FAIL : TB_V_ERROR;
		if (v == TB_V_FAIL)
			tb_ev_note(res, "control channel", "%s (after the failure was seen)",
				   r.ctl_err);
		else
			tb_result_set(res, TB_V_ERROR,
				      "the lab cloud's control channel at %s:%ld failed: %s", host,
				      cloud->control_port, r.ctl_err);
	} else {
		judge_and_record(&r);
	}
	ci_free(&r);
}

const struct tb_check_family tb_check_cloud_identity = {
	.name = "cloud-identity",
	.summary =
		"presents forged certificates (self-signed, another name, expired, untrusted "
		"CA) from the lab cloud, then the genuine one: a device that completes TLS "
		"over a forged one fails",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.flags = TB_FAM_INTRUSIVE,
	.run = run,
};
