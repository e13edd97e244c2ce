/* chk_udp_exposure.c: sweep the device's UDP ports, identify what answers, and
 * compare it with the declared `transport: udp` services (EN 303 645 5.6-1,
 * UK CoP 6).
 *
 * UDP has no handshake: a port is "open" only when the device answered with
 * UDP, "closed" only on ICMP port unreachable, and "no answer" otherwise
 * (open or filtered: UDP cannot prove absence).  Devices rate-limit their
 * ICMP (Linux: a burst of ~6, then ~1/s), so a fast sweep leaves most closed
 * ports as "no answer"; the sweep measures that rate and says so instead of
 * waiting it out.  Rounds: every protocol probe on its usual ports (with a
 * retransmit), a generic probe to every port, then every protocol probe to
 * each port that answered and to up to deep-probe-budget no-answer ports, so
 * a service on an unusual port that ignores the generic probe is still found.
 * Every datagram goes through net/udp.c (scope, global rate limit).  The
 * sweep aims at the profile's IPv4 address unless given another (one of
 * the device's IPv6 addresses: chk_exposure.c sweeps those too).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include "base/clock.h"
#include "check/chk_udp_exposure_internal.h"
#include "check/family.h"
#include "check/portlist.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/udp.h"
#include "result/result.h"

_Static_assert(TB_UDP_NPROTO <= 32, "sent_mask holds one bit per probe");

#define PROBE_MAX 1500

static const struct tb_param_def params[] = { TB_UDP_SWEEP_PARAMS };

const char *tb_udp_state_name(enum tb_udp_port_state s)
{
	switch (s) {
	case TB_UDPS_NOANSWER: return "no-answer";
	case TB_UDPS_CLOSED: return "closed";
	case TB_UDPS_OPEN: return "open";
	default: return "unprobed";
	}
}

void tb_udp_sweep_params_from(const struct tb_params *tp, const char *ports_param,
			      struct tb_udp_sweep_params *p)
{
	p->ports = tb_param_str(tp, ports_param);
	p->target = NULL; /* the profile's IPv4 address, unless the caller says otherwise */
	p->settle_ms = (int)tb_param_int(tp, "settle-ms");
	p->min_settle_ms = (int)tb_param_int(tp, "min-settle-ms");
	if (p->min_settle_ms > p->settle_ms)
		p->min_settle_ms = p->settle_ms;
	p->deep_budget = (long)tb_param_int(tp, "deep-probe-budget");
	p->usual_retries = (int)tb_param_int(tp, "usual-retries");
}

/* ---- the sweep ---------------------------------------------------------- */

struct job {
	uint16_t port;
	uint8_t proto;
	uint8_t attempt;
};

struct sweep {
	struct tb_ctx *ctx;
	const struct tb_udp_sweep_params *p;
	struct tb_udp u;
	struct tb_udp_sweep_result *out;
	uint8_t map[8192];
	uint32_t *sent_mask;      /* 65536: probes sent, bit per proto */
	uint32_t *slot;           /* 65536: 1 + index into out->open, 0 when not open */
	uint32_t *sent_at;        /* 65536: ms after t0 of the last probe to the port */
	int64_t t0;               /* tb_now_ms() at the start */
	int64_t last_activity_ms; /* last send or accepted answer */
	int64_t max_rtt_ms;       /* slowest answer seen, -1 before the first */
	size_t capopen;
	size_t kept_total;
	uint8_t salt;
	char dst[TB_ADDR_TEXT]; /* the device's address as the probes name it */
	uint8_t rx[TB_UDP_DGRAM_MAX];
	struct job *jobs;
	size_t njobs, capjobs;
	int fatal; /* a scope refusal or local failure stopped the sweep */
};

static int in_map(const uint8_t *map, long port)
{
	return (map[port >> 3] >> (port & 7)) & 1;
}

/* txid: the port, a per-run salt, the probe and the attempt, so a reply can
 * be matched to its request whichever bits the protocol echoes. */
static uint32_t txid_of(const struct sweep *s, uint16_t port, unsigned proto, unsigned attempt)
{
	return ((uint32_t)port << 16) | ((uint32_t)s->salt << 8) | (proto << 2) | (attempt & 3u);
}

static void add_job(struct sweep *s, uint16_t port, unsigned proto, unsigned attempt)
{
	if (s->njobs == s->capjobs) {
		s->capjobs = s->capjobs ? s->capjobs * 2 : 1024;
		s->jobs = tb_xrealloc(s->jobs, s->capjobs, sizeof *s->jobs);
	}
	s->jobs[s->njobs++] =
		(struct job){ .port = port, .proto = (uint8_t)proto, .attempt = (uint8_t)attempt };
}

static struct tb_udp_open_port *open_rec(struct sweep *s, uint16_t port)
{
	if (s->slot[port])
		return &s->out->open[s->slot[port] - 1];
	if (s->out->nopen >= TB_UDP_MAX_OPEN_RECORDS)
		return NULL; /* a device answering everywhere: state only, no record */
	if (s->out->nopen == s->capopen) {
		s->capopen = s->capopen ? s->capopen * 2 : 16;
		s->out->open = tb_xrealloc(s->out->open, s->capopen, sizeof *s->out->open);
	}
	struct tb_udp_open_port *o = &s->out->open[s->out->nopen++];
	memset(o, 0, sizeof *o);
	o->port = port;
	o->proto = TB_UDP_GENERIC;
	o->ident.protocol = "unknown";
	o->ident.snmp_version = -1;
	s->slot[port] = (uint32_t)s->out->nopen;
	return o;
}

/* How much an identification says: answered without credentials beats
 * answered with a refusal beats not recognised. */
static int ident_score(const struct tb_udp_ident *id)
{
	return id->matched ? (id->needs_auth ? 2 : 3) : 0;
}

static void keep_reply(struct sweep *s, struct tb_udp_open_port *o, const uint8_t *data, size_t len,
		       size_t total)
{
	size_t keep = len < TB_UDP_KEEP_PER_PORT ? len : TB_UDP_KEEP_PER_PORT;
	if (s->kept_total - o->reply_len + keep > TB_UDP_KEEP_TOTAL)
		keep = 0; /* the sweep's memory cap: counted, not stored */
	s->kept_total -= o->reply_len;
	free(o->reply);
	o->reply = tb_xmalloc(keep + 1);
	memcpy(o->reply, data, keep);
	o->reply_len = keep;
	o->reply_total = total;
	s->kept_total += keep;
	o->kept = keep;
}

/* Try the reply against every probe sent to its port; keep the best. */
static void on_datagram(struct sweep *s, const struct tb_udp_event *ev)
{
	struct tb_udp_open_port *o = open_rec(s, ev->port);
	s->out->state[ev->port] = TB_UDPS_OPEN;
	if (!o) {
		s->out->bytes_dropped += ev->total;
		return;
	}
	o->datagrams++;
	o->total += ev->total;
	uint32_t mask = s->sent_mask[ev->port];
	struct tb_udp_ident id;
	int best = o->datagrams > 1 ? ident_score(&o->ident) : -1;
	/* Protocol probes first, the generic one last: on a tie, the reply to a
	 * protocol's own probe names the service better. */
	for (unsigned k = 1; k <= TB_UDP_NPROTO; k++) {
		unsigned p = k % TB_UDP_NPROTO;
		if (!(mask & (1u << p)))
			continue;
		for (unsigned a = 0; a <= (unsigned)s->p->usual_retries; a++) {
			uint32_t tx = txid_of(s, ev->port, p, a);
			tb_udp_identify((enum tb_udp_proto)p, tx, s->rx, ev->len, &id);
			int sc = ident_score(&id);
			if (sc > best) {
				best = sc;
				o->ident = id;
				o->proto = (enum tb_udp_proto)p;
				o->txid = tx;
				keep_reply(s, o, s->rx, ev->len, ev->total);
			}
		}
	}
	if (!o->reply) /* no probe was sent there (cannot happen): keep it anyway */
		keep_reply(s, o, s->rx, ev->len, ev->total);
}

static void on_event(struct sweep *s, const struct tb_udp_event *ev)
{
	int64_t now = tb_now_ms();
	int64_t rtt = now - s->t0 - (int64_t)s->sent_at[ev->port];
	if (rtt > s->max_rtt_ms)
		s->max_rtt_ms = rtt;
	s->last_activity_ms = now;
	if (ev->kind == TB_UDP_EV_DATA)
		on_datagram(s, ev);
	else if (ev->kind == TB_UDP_EV_UNREACH && s->out->state[ev->port] != TB_UDPS_OPEN)
		s->out->state[ev->port] = TB_UDPS_CLOSED;
}

/* Handle events until deadline_ms. */
static void events_until(struct sweep *s, int64_t deadline_ms)
{
	struct tb_udp_event ev;
	while (tb_udp_next(&s->u, s->rx, sizeof s->rx, &ev, deadline_ms) == TB_OK)
		on_event(s, &ev);
}

/* After a round: wait for late answers.  Until the device has answered
 * anything, the whole settle-ms; after that, until it has been quiet for
 * 4x its slowest answer (at least min-settle-ms), never past settle-ms:
 * nmap's adaptive timeouts, so a fast device is not waited on like a slow
 * one. */
static void settle(struct sweep *s)
{
	int64_t hard = tb_now_ms() + s->p->settle_ms;
	for (;;) {
		int64_t quiet = s->max_rtt_ms < 0 ? s->p->settle_ms : 4 * s->max_rtt_ms;
		if (quiet < s->p->min_settle_ms)
			quiet = s->p->min_settle_ms;
		int64_t until = s->last_activity_ms + quiet;
		if (until > hard)
			until = hard;
		if (tb_now_ms() >= until)
			break;
		struct tb_udp_event ev;
		if (tb_udp_next(&s->u, s->rx, sizeof s->rx, &ev, until) != TB_OK)
			continue; /* the deadline moves only if an answer came */
		on_event(s, &ev);
	}
}

/* Handle what is already waiting, without blocking (bounded). */
static void events_ready(struct sweep *s)
{
	for (int i = 0; i < 256; i++) {
		struct pollfd p = { .fd = s->u.fd, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0)
			return;
		struct tb_udp_event ev;
		if (tb_udp_next(&s->u, s->rx, sizeof s->rx, &ev, tb_now_ms() + 1) != TB_OK)
			return;
		on_event(s, &ev);
	}
}

static void send_job(struct sweep *s, const struct job *j)
{
	uint8_t pkt[PROBE_MAX];
	uint32_t tx = txid_of(s, j->port, j->proto, j->attempt);
	size_t n = tb_udp_probe_build((enum tb_udp_proto)j->proto, TB_UDP_IDENTIFY, tx, s->dst, pkt,
				      sizeof pkt);
	if (n == 0)
		return;
	/* Marked before sending: the answer may beat sendto() back. */
	s->sent_mask[j->port] |= 1u << j->proto;
	s->last_activity_ms = tb_now_ms();
	s->sent_at[j->port] = (uint32_t)(s->last_activity_ms - s->t0);
	struct tb_diag d = { .msg = "" };
	enum tb_err e = tb_udp_send(&s->u, j->port, pkt, n, &d);
	if (e == TB_OK) {
		if (s->out->state[j->port] == TB_UDPS_UNPROBED)
			s->out->state[j->port] = TB_UDPS_NOANSWER;
		return;
	}
	snprintf(s->out->error, sizeof s->out->error, "port %u: %s", j->port, d.msg);
	if (e == TB_E_SCOPE || e == TB_E_TIMEOUT)
		s->fatal = 1; /* out of scope or interrupted: stop sending anything */
}

/* Send every queued job as the rate limit allows, reading replies between
 * sends, then wait settle_ms for late answers. */
static void run_jobs(struct sweep *s)
{
	for (size_t i = 0; i < s->njobs && !s->fatal; i++) {
		int64_t wait_us = tb_net_rate_wait_us(s->u.net);
		if (wait_us > 1000)
			events_until(s, tb_now_ms() + wait_us / 1000);
		send_job(s, &s->jobs[i]);
		if ((i & 63) == 63)
			events_ready(s);
	}
	s->njobs = 0;
	if (!s->fatal)
		settle(s);
}

static int settled(const struct sweep *s, uint16_t port)
{
	uint8_t st = s->out->state[port];
	return st == TB_UDPS_OPEN || st == TB_UDPS_CLOSED;
}

/* Each protocol probe on those of its usual ports in the list that are
 * not settled yet (attempt 0: all of them). */
static void queue_usual(struct sweep *s, unsigned attempt)
{
	for (unsigned p = 1; p < TB_UDP_NPROTO; p++) {
		const struct tb_udp_probe_info *info = tb_udp_probe_info((enum tb_udp_proto)p);
		for (int k = 0; info && k < 4 && info->usual_ports[k]; k++) {
			uint16_t port = info->usual_ports[k];
			if (in_map(s->map, port) && !(attempt > 0 && settled(s, port)))
				add_job(s, port, p, attempt);
		}
	}
}

static void queue_all_probes(struct sweep *s, uint16_t port)
{
	for (unsigned p = 1; p < TB_UDP_NPROTO; p++)
		if (!(s->sent_mask[port] & (1u << p)))
			add_job(s, port, p, 0);
}

/* Round 1: protocol probes on their usual ports, the generic probe to
 * every port. */
static void round_first(struct sweep *s)
{
	queue_usual(s, 0);
	for (long port = 1; port <= 65535; port++)
		if (in_map(s->map, port))
			add_job(s, (uint16_t)port, TB_UDP_GENERIC, 0);
	run_jobs(s);
}

/* Round 2: retransmits on usual ports still silent, every protocol probe to
 * the open ports (to learn what they speak) and to the first
 * deep-probe-budget no-answer ports. */
static void round_second(struct sweep *s)
{
	for (unsigned a = 1; a <= (unsigned)s->p->usual_retries; a++)
		queue_usual(s, a);
	for (size_t i = 0; i < s->out->nopen; i++)
		queue_all_probes(s, s->out->open[i].port);
	long budget = s->p->deep_budget;
	for (long port = 1; port <= 65535; port++) {
		if (!in_map(s->map, port) || s->out->state[port] != TB_UDPS_NOANSWER)
			continue;
		if (budget > 0) {
			queue_all_probes(s, (uint16_t)port);
			s->out->deep_probed++;
			budget--;
		} else {
			s->out->deep_skipped++;
		}
	}
	run_jobs(s);
}

static void tally(struct sweep *s)
{
	struct tb_udp_sweep_result *r = s->out;
	for (long port = 1; port <= 65535; port++) {
		if (!in_map(s->map, port))
			continue;
		switch (r->state[port]) {
		case TB_UDPS_CLOSED: r->closed++; break;
		case TB_UDPS_NOANSWER: r->noanswer++; break;
		case TB_UDPS_OPEN: r->nopen_ports++; break;
		default: r->unprobed++;
		}
	}
	r->sent = s->u.sent;
	r->foreign = s->u.foreign;
	r->truncated = s->u.truncated;
	r->scope_refusals = s->u.scope_refusals;
	r->send_errors = s->u.send_errors;
	r->icmp_other = s->u.icmp_other;
	r->icmp = s->u.icmp;
	r->unrecorded = r->nopen_ports - r->nopen;
	for (size_t i = 0; i < r->nopen; i++) {
		r->open[i].sent_mask = s->sent_mask[r->open[i].port];
		r->bytes_dropped += r->open[i].total - r->open[i].kept;
	}
}

/* The address as the probes carry it (SSDP's HOST header): IPv6 without
 * its zone (p_udpprobe.c puts an IPv6 address in brackets itself; a zone
 * means nothing to the device, which would have to see it as %25). */
static void probe_dst(const struct tb_addr *a, char out[TB_ADDR_TEXT])
{
	tb_addr_format(a, out);
	char *zone = strchr(out, '%');
	if (zone)
		*zone = '\0';
}

static int by_port(const void *a, const void *b)
{
	const struct tb_udp_open_port *x = a, *y = b;
	return (int)x->port - (int)y->port;
}

enum tb_err tb_udp_exposure_sweep(struct tb_ctx *ctx, const struct tb_udp_sweep_params *p,
				  struct tb_udp_sweep_result *out)
{
	memset(out, 0, sizeof *out);
	out->state = tb_xcalloc(65536, 1);
	struct sweep *s = tb_xcalloc(1, sizeof *s);
	struct tb_diag d = { .msg = "" };
	enum tb_err e = TB_OK;
	s->ctx = ctx;
	s->p = p;
	s->out = out;
	out->nports = tb_port_list_parse(p->ports, s->map, &d);
	if (out->nports < 0) {
		snprintf(out->error, sizeof out->error, "%s", d.msg);
		out->nports = 0;
		free(s);
		return TB_E_CONFIG;
	}
	if (p->target)
		out->target = *p->target;
	else
		tb_addr_from_v4(ctx->profile->address, &out->target);
	if ((e = tb_udp_open_addr(&s->u, &ctx->net, &out->target, &d)) != TB_OK) {
		snprintf(out->error, sizeof out->error, "%s", d.msg);
		out->unprobed = (unsigned long)out->nports;
		free(s);
		return e;
	}
	s->sent_mask = tb_xcalloc(65536, sizeof *s->sent_mask);
	s->slot = tb_xcalloc(65536, sizeof *s->slot);
	s->sent_at = tb_xcalloc(65536, sizeof *s->sent_at);
	s->max_rtt_ms = -1;
	s->salt = (uint8_t)(tb_now_us() ^ (int64_t)time(NULL));
	probe_dst(&out->target, s->dst);
	s->t0 = tb_now_ms();
	round_first(s);
	if (!s->fatal)
		round_second(s);
	out->duration_ms = tb_now_ms() - s->t0;
	out->max_rtt_ms = s->max_rtt_ms;
	tally(s);
	out->send_rate =
		out->duration_ms > 0 ? (double)out->sent * 1000.0 / (double)out->duration_ms : 0.0;
	if (out->nopen > 1)
		qsort(out->open, out->nopen, sizeof *out->open, by_port);
	if (s->fatal && s->u.scope_refusals)
		e = TB_E_SCOPE;
	tb_udp_close(&s->u);
	free(s->sent_mask);
	free(s->slot);
	free(s->sent_at);
	free(s->jobs);
	free(s);
	return e;
}

void tb_udp_sweep_result_free(struct tb_udp_sweep_result *r)
{
	for (size_t i = 0; i < r->nopen; i++)
		free(r->open[i].reply);
	free(r->open);
	free(r->state);
	memset(r, 0, sizeof *r);
}

const struct tb_udp_open_port *tb_udp_sweep_find(const struct tb_udp_sweep_result *r, uint16_t port)
{
	size_t lo = 0, hi = r->nopen; /* open[] is in port order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->open[mid].port == port)
			return &r->open[mid];
		if (r->open[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void tb_udp_sweep_to_surface(const struct tb_udp_sweep_result *r, const char *addr, const char *case_id,
			     struct tb_surface *s)
{
	for (size_t i = 0; i < r->nopen; i++) {
		const struct tb_udp_open_port *o = &r->open[i];
		const struct tb_udp_probe_info *info = tb_udp_probe_info(o->proto);
		struct tb_endpoint *e = tb_surface_endpoint(s, "udp", addr, o->port);
		snprintf(e->protocol, sizeof e->protocol, "%s", o->ident.protocol);
		snprintf(e->product, sizeof e->product, "%s", o->ident.product);
		e->needs_auth = o->ident.matched && o->ident.needs_auth;
		char src[TB_SURFACE_SRC];
		snprintf(src, sizeof src, "udp/%u %s probe", o->port, info ? info->name : "generic");
		for (size_t k = 0; k < o->ident.nitems; k++)
			tb_surface_item(e, o->ident.items[k].key, o->ident.items[k].value, src);
		if (o->ident.items_truncated)
			e->items_dropped++;
	}
	snprintf(s->udp_case, sizeof s->udp_case, "%s", case_id ? case_id : "");
}

static void sweep_free_kept(struct tb_udp_sweep_result *r)
{
	tb_udp_sweep_result_free(r);
	free(r);
}

void tb_udp_sweep_keep(struct tb_ctx *ctx, const char *case_id, const char *ports,
		       struct tb_udp_sweep_result *r)
{
	struct tb_surface *s = ctx->surface;
	if (!s || s->udp) {
		tb_udp_sweep_result_free(r); /* no run, or the first sweep is kept */
		return;
	}
	char addr[16];
	tb_ipv4_format(ctx->profile->address, addr);
	tb_udp_sweep_to_surface(r, addr, case_id, s);
	s->udp = tb_xmalloc(sizeof *s->udp);
	*s->udp = *r;
	s->udp_free = sweep_free_kept;
	memset(r, 0, sizeof *r);
	snprintf(s->udp_ports, sizeof s->udp_ports, "%s", ports);
}

const struct tb_udp_sweep_result *tb_udp_sweep_kept(const struct tb_ctx *ctx, const char *ports,
						    const char **case_id)
{
	const struct tb_surface *s = ctx->surface;
	if (!s || !s->udp || strcmp(s->udp_ports, ports) != 0)
		return NULL;
	*case_id = s->udp_case;
	return s->udp;
}

/* ---- judgement and evidence -------------------------------------------- */

/* Declared protocol names that mean the same service as an identified one. */
static int same_protocol(const char *declared, const char *seen)
{
	if (strcasecmp(declared, seen) == 0 || strcasecmp(declared, "other") == 0 ||
	    strcmp(seen, "unknown") == 0)
		return 1;
	return (strcasecmp(declared, "upnp") == 0 && strcmp(seen, "ssdp") == 0) ||
	       (strcasecmp(declared, "dns-sd") == 0 && strcmp(seen, "mdns") == 0);
}

static const struct tb_service *declared_udp(const struct tb_profile *p, long port)
{
	for (size_t i = 0; i < p->nservices; i++)
		if (p->services[i].port == port && strcasecmp(p->services[i].transport, "udp") == 0)
			return &p->services[i];
	return NULL;
}

static void append_undeclared(char *buf, size_t cap, unsigned port, const char *seen)
{
	size_t l = strlen(buf);
	if (l < cap)
		snprintf(buf + l, cap - l, "%s%u (undeclared %s)", l ? ", " : "", port, seen);
}

static void append_mismatch(char *buf, size_t cap, unsigned port, const char *declared,
			    const char *seen)
{
	size_t l = strlen(buf);
	if (l < cap)
		snprintf(buf + l, cap - l, "%s%u (declared %s, speaks %s)", l ? ", " : "", port,
			 declared, seen);
}

size_t tb_udp_exposure_undeclared(const struct tb_profile *p, const struct tb_udp_sweep_result *r,
				  char *bad, size_t badlen)
{
	size_t n = 0;
	bad[0] = '\0';
	for (long port = 1; port <= 65535; port++) {
		if (r->state[port] != TB_UDPS_OPEN)
			continue;
		const struct tb_udp_open_port *o = tb_udp_sweep_find(r, (uint16_t)port);
		const char *seen = o ? o->ident.protocol : "unknown";
		const struct tb_service *sv = declared_udp(p, port);
		if (!sv) {
			append_undeclared(bad, badlen, (unsigned)port, seen);
			n++;
		} else if (!same_protocol(sv->protocol, seen)) {
			append_mismatch(bad, badlen, (unsigned)port, sv->protocol, seen);
			n++;
		}
	}
	return n;
}

size_t tb_udp_exposure_only_there(const struct tb_profile *p, const struct tb_udp_sweep_result *r6,
				  const struct tb_udp_sweep_result *r4, char *bad, size_t badlen)
{
	char addr[TB_ADDR_TEXT];
	size_t n = 0;
	tb_addr_format(&r6->target, addr);
	for (long port = 1; port <= 65535; port++) {
		if (r6->state[port] != TB_UDPS_OPEN || r4->state[port] == TB_UDPS_OPEN)
			continue;
		const struct tb_udp_open_port *o = tb_udp_sweep_find(r6, (uint16_t)port);
		const char *seen = o ? o->ident.protocol : "unknown";
		const struct tb_service *sv = declared_udp(p, port);
		if (sv && same_protocol(sv->protocol, seen))
			continue;
		size_t l = strlen(bad);
		if (l < badlen && !sv)
			snprintf(bad + l, badlen - l, "%s%ld (undeclared %s, IPv6 only, at %s)",
				 l ? ", " : "", port, seen, addr);
		else if (l < badlen)
			snprintf(bad + l, badlen - l,
				 "%s%ld (declared %s, speaks %s, IPv6 only, at %s)", l ? ", " : "",
				 port, sv->protocol, seen, addr);
		n++;
	}
	return n;
}

/* " over IPv6 at ADDR" for a sweep of an IPv6 address, "" for IPv4. */
static void where_text(const struct tb_udp_sweep_result *r, char *out, size_t cap)
{
	char addr[TB_ADDR_TEXT];
	out[0] = '\0';
	if (r->target.family != AF_INET6)
		return;
	tb_addr_format(&r->target, addr);
	snprintf(out, cap, " over IPv6 at %s", addr);
}

static void note_open_port(struct tb_ctx *ctx, struct tb_result *res,
			   const struct tb_udp_sweep_result *r, const struct tb_udp_open_port *o)
{
	char where[TB_ADDR_TEXT + 16];
	where_text(r, where, sizeof where);
	const struct tb_service *sv = declared_udp(ctx->profile, o->port);
	const struct tb_udp_probe_info *info = tb_udp_probe_info(o->proto);
	char items[2048] = "";
	for (size_t k = 0; k < o->ident.nitems; k++) {
		size_t l = strlen(items);
		snprintf(items + l, sizeof items - l, "%s%s=%s", k ? "; " : "", o->ident.items[k].key,
			 o->ident.items[k].value);
	}
	tb_ev_note(res, "udp-port",
		   "udp/%u open%s: %s%s%s%s, %s, %s; %lu datagrams (%zu bytes) from it in all, "
		   "identified from the reply to the %s probe; disclosed without authentication: %s%s",
		   o->port, where, o->ident.protocol, o->ident.product[0] ? " (" : "", o->ident.product,
		   o->ident.product[0] ? ")" : "", sv ? "declared" : "UNDECLARED",
		   o->ident.needs_auth ? "refuses without credentials" : "usable without credentials",
		   o->datagrams, o->total, info ? info->name : "generic",
		   o->ident.nitems ? items : "nothing recognised",
		   o->ident.items_truncated ? " (more items than kept)" : "");
	uint8_t pkt[PROBE_MAX];
	char dst[TB_ADDR_TEXT];
	probe_dst(&r->target, dst);
	size_t n = tb_udp_probe_build(o->proto, TB_UDP_IDENTIFY, o->txid, dst, pkt, sizeof pkt);
	char label[160];
	snprintf(label, sizeof label, "udp/%u %s%s", o->port, info ? info->name : "generic", where);
	tb_ev_exchange(res, label, pkt, n, o->reply, o->reply_len);
}

/* The tsv names open and closed ports one per line and no-answer ports as
 * ranges (a 65535-port sweep leaves most of them so). */
static char *ports_tsv(const struct tb_udp_sweep_result *r, size_t *len)
{
	size_t cap = 128 + r->nopen * 256 + 65536 * 40, used = 0;
	char *t = tb_xmalloc(cap);
	used += (size_t)snprintf(t, cap, "port\tstate\tprotocol\tproduct\tneeds-auth\n");
	for (long port = 1; port <= 65535 && used < cap; port++) {
		uint8_t st = r->state[port];
		if (st == TB_UDPS_UNPROBED)
			continue;
		int w;
		if (st == TB_UDPS_OPEN) {
			const struct tb_udp_open_port *o = tb_udp_sweep_find(r, (uint16_t)port);
			if (o)
				w = snprintf(t + used, cap - used, "%ld\topen\t%s\t%s\t%s\n", port,
					     o->ident.protocol,
					     o->ident.product[0] ? o->ident.product : "-",
					     o->ident.matched ? (o->ident.needs_auth ? "yes" : "no")
							      : "-");
			else
				w = snprintf(t + used, cap - used, "%ld\topen\t-\t-\t-\n", port);
		} else if (st == TB_UDPS_CLOSED) {
			w = snprintf(t + used, cap - used, "%ld\tclosed\t-\t-\t-\n", port);
		} else {
			long hi = port;
			while (hi < 65535 && r->state[hi + 1] == TB_UDPS_NOANSWER)
				hi++;
			w = hi > port
				    ? snprintf(t + used, cap - used, "%ld-%ld\tno-answer\t-\t-\t-\n",
					       port, hi)
				    : snprintf(t + used, cap - used, "%ld\tno-answer\t-\t-\t-\n", port);
			port = hi;
		}
		if (w > 0 && (size_t)w < cap - used)
			used += (size_t)w;
	}
	*len = used;
	return t;
}

static void note_icmp_rate(struct tb_result *res, const struct tb_udp_sweep_result *r,
			   const char *where)
{
	double rate = tb_udp_icmp_steady_rate(&r->icmp);
	char steady[96] = "too few to measure a steady rate";
	if (rate >= 0)
		snprintf(steady, sizeof steady, "then about %.1f per second", rate);
	tb_ev_note(res, "icmp-rate",
		   "ICMP%s port unreachable from the device%s: %lu over %.2f s, a first burst of %lu, "
		   "%s; %lu ports gave no answer: each is open or filtered, or closed with its ICMP "
		   "held back by that rate limit. UDP cannot prove a service absent.",
		   r->target.family == AF_INET6 ? "v6" : "", where, r->icmp.count,
		   r->icmp.count ? (double)(r->icmp.last_us - r->icmp.first_us) / 1e6 : 0.0,
		   r->icmp.burst, steady, r->noanswer);
}

void tb_udp_exposure_evidence(struct tb_ctx *ctx, struct tb_result *res,
			      const struct tb_udp_sweep_result *r)
{
	tb_udp_exposure_evidence_as(ctx, res, r, "udp-ports.tsv");
}

void tb_udp_exposure_evidence_as(struct tb_ctx *ctx, struct tb_result *res,
				 const struct tb_udp_sweep_result *r, const char *tsv_name)
{
	size_t len;
	char where[TB_ADDR_TEXT + 16];
	where_text(r, where, sizeof where);
	char *tsv = ports_tsv(r, &len);
	if (tb_ev_file(ctx, res, tsv_name, tsv, len) != TB_OK)
		tb_ev_note(res, "evidence", "could not write %s", tsv_name);
	free(tsv);
	for (size_t i = 0; i < r->nopen; i++)
		note_open_port(ctx, res, r, &r->open[i]);
	tb_ev_note(res, "udp-sweep",
		   "%ld UDP ports swept%s in %.2f s (%lu datagrams, %.0f/s): %lu open, %lu closed, %lu "
		   "no answer, %lu not probed; every protocol probe also went to %lu no-answer ports "
		   "(%lu more left out by the budget); ignored: %lu datagrams or ICMP errors from "
		   "elsewhere, %lu other ICMP errors; %lu replies longer than the read buffer, %zu "
		   "reply bytes counted but not kept; slowest answer %lld ms (late replies were "
		   "awaited 4x that, at least min-settle-ms, at most settle-ms)",
		   r->nports, where, (double)r->duration_ms / 1000.0, r->sent, r->send_rate,
		   r->nopen_ports, r->closed, r->noanswer, r->unprobed, r->deep_probed, r->deep_skipped,
		   r->foreign, r->icmp_other, r->truncated, r->bytes_dropped, (long long)r->max_rtt_ms);
	note_icmp_rate(res, r, where);
	if (r->unrecorded)
		tb_ev_note(
			res, "udp-sweep",
			"%lu more open ports answered%s beyond the first %d recorded in detail: they "
			"are judged and listed in %s without identity",
			r->unrecorded, where, TB_UDP_MAX_OPEN_RECORDS, tsv_name);
	if (r->target.family == AF_INET6)
		return; /* a service declared but not there may well listen on IPv4 only */
	const struct tb_profile *p = ctx->profile;
	for (size_t i = 0; i < p->nservices; i++) {
		const struct tb_service *sv = &p->services[i];
		if (strcasecmp(sv->transport, "udp") != 0 || sv->port < 1 || sv->port > 65535 ||
		    r->state[sv->port] == TB_UDPS_OPEN)
			continue;
		tb_ev_note(
			res, "declared", "declared udp/%ld (%s) was not found: %s%s", sv->port,
			sv->protocol, tb_udp_state_name((enum tb_udp_port_state)r->state[sv->port]),
			r->state[sv->port] == TB_UDPS_NOANSWER
				? " (it may be there and ignore our probes: UDP cannot prove absence)"
				: "");
	}
}

static void judge(struct tb_result *res, const struct tb_udp_sweep_result *r, const char *bad)
{
	if (bad[0]) {
		tb_result_set(res, TB_V_FAIL, "open UDP ports not allowed by the declarations: %s",
			      bad);
	} else if (r->unprobed) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%lu of %ld UDP ports could not be probed (%s)",
			      r->unprobed, r->nports, r->error);
	} else if (r->nopen_ports == 0 && r->closed == 0) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the device answered none of %ld UDP ports, not even with ICMP: a silent "
			      "device cannot be told from one that filters everything",
			      r->nports);
	} else {
		tb_result_set(res, TB_V_PASS,
			      "%lu open UDP ports, all declared (%ld swept: %lu closed, %lu no answer; "
			      "UDP cannot prove that a no-answer port hides no service)",
			      r->nopen_ports, r->nports, r->closed, r->noanswer);
	}
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct tb_udp_sweep_params p;
	struct tb_udp_sweep_result r;
	tb_udp_sweep_params_from(&tc->params, "ports", &p);
	enum tb_err e = tb_udp_exposure_sweep(ctx, &p, &r);
	if (e == TB_E_CONFIG || (e != TB_OK && r.sent == 0)) {
		tb_result_set(res, TB_V_ERROR, "UDP sweep not run: %s", r.error);
		tb_udp_sweep_result_free(&r);
		return;
	}
	char bad[1024];
	tb_udp_exposure_evidence(ctx, res, &r);
	tb_udp_exposure_undeclared(ctx->profile, &r, bad, sizeof bad);
	judge(res, &r, bad);
	tb_udp_sweep_keep(ctx, tc->id, p.ports, &r);
}

const struct tb_check_family tb_check_udp_exposure = {
	.name = "udp-exposure",
	.summary = "sweeps UDP ports with protocol probes; undeclared UDP services fail",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
