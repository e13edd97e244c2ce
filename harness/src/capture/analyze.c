/* analyze.c: passive traffic analysis (see analyze.h). */
#define _GNU_SOURCE
#include "capture/analyze.h"
#include "capture/analyze_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libxml/tree.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/hashread.h"
#include "capture/pcapfile.h"
#include "proto/p_dns.h"
#include "proto/p_mqtt.h"
#include "proto/p_pkt.h"
#include "proto/p_snmp.h"
#include "proto/p_tls.h"
#include "result/result.h"
#include "net/scope.h"

#define NBUCKETS (TB_AN_MAX_CONNS * 2)     /* a power of two */
#define NFLOWSLOTS (TB_AN_MAX_FLOWS * 2)   /* a power of two */
#define NPEER6SLOTS (TB_AN_MAX_PEERS6 * 2) /* a power of two */
#define EVICT_SCAN 64                      /* connections looked at per eviction */
#define UDP_IDLE_S 60.0                    /* a UDP exchange idle this long has ended */
#define GUESS_FRAMES 100000
#define GUESS_ADDRS 64

/* struct tb_conn.tcp */
#define CONN_SYN 0x01 /* the initiator's SYN was seen */
#define CONN_SYNACK 0x02
#define CONN_FIN_OUT 0x04 /* the DUT sent FIN */
#define CONN_FIN_IN 0x08
#define CONN_RST 0x10
/* struct tb_conn.firsts */
#define CONN_FIRST_OUT 0x01 /* the first payload from the DUT was seen */
#define CONN_FIRST_IN 0x02

static const char *const app_names[TB_APP_COUNT] = {
	"unknown", "tls", "http", "mqtt", "ftp", "telnet", "snmp", "coap", "dns", "ntp", "ssh",
};

const char *tb_app_name(enum tb_app a)
{
	return a < TB_APP_COUNT ? app_names[a] : "?";
}

int tb_app_cleartext(enum tb_app a)
{
	return a == TB_APP_HTTP || a == TB_APP_MQTT || a == TB_APP_FTP || a == TB_APP_TELNET ||
	       a == TB_APP_SNMP || a == TB_APP_COAP;
}

int tb_app_infrastructure(enum tb_app a)
{
	return a == TB_APP_DNS || a == TB_APP_NTP;
}

const char *tb_initiator_name(enum tb_initiator i)
{
	return i == TB_INIT_DUT ? "dut" : i == TB_INIT_PEER ? "peer" : "unknown";
}

const char *tb_secret_kind_name(enum tb_secret_kind k)
{
	static const char *const n[] = {
		"http-basic-user", "http-basic-password", "http-token",      "ftp-user",
		"ftp-password",    "telnet-user",         "telnet-password", "mqtt-user",
		"mqtt-password",   "snmp-community",
	};
	return (size_t)k < sizeof n / sizeof *n ? n[k] : "?";
}

struct tb_analysis *tb_analysis_new(uint32_t dut)
{
	struct tb_analysis *a = tb_xcalloc(1, sizeof *a);
	a->dut = dut;
	a->dut_match = dut;
	a->link = -1;
	a->conns = tb_xcalloc(TB_AN_MAX_CONNS, sizeof *a->conns);
	a->conn_tls = tb_xcalloc(TB_AN_MAX_CONNS, sizeof *a->conn_tls);
	a->buckets = tb_xcalloc(NBUCKETS, sizeof *a->buckets);
	for (uint32_t i = TB_AN_MAX_CONNS; i > 0; i--) {
		a->conns[i - 1].next = a->free_head;
		a->free_head = i;
	}
	a->telnet = tb_xcalloc(TB_AN_MAX_TELNET, sizeof *a->telnet);
	for (size_t i = 0; i < TB_AN_MAX_TELNET; i++)
		a->telnet_free[i] = (uint16_t)(TB_AN_MAX_TELNET - i);
	a->ntelnet_free = TB_AN_MAX_TELNET;
	a->closed = tb_xcalloc(TB_AN_MAX_CONNS, sizeof *a->closed);
	a->flows = tb_xcalloc(TB_AN_MAX_FLOWS, sizeof *a->flows);
	a->flow_slots = tb_xcalloc(NFLOWSLOTS, sizeof *a->flow_slots);
	a->mqtt = tb_xcalloc(1, sizeof *a->mqtt);
	a->dut4 = 1;
	a->peers6 = tb_xcalloc(TB_AN_MAX_PEERS6, sizeof *a->peers6);
	a->peer6_slots = tb_xcalloc(NPEER6SLOTS, sizeof *a->peer6_slots);
	return a;
}

struct tb_analysis *tb_analysis_new6(const uint8_t addr[16])
{
	struct tb_analysis *a = tb_analysis_new(0);
	a->dut4 = 0;
	a->dut_match = (uint64_t)1 << 32;
	tb_analysis_add_dut6(a, addr);
	return a;
}

int tb_analysis_add_dut6(struct tb_analysis *a, const uint8_t addr[16])
{
	for (size_t i = 0; i < a->ndut6; i++)
		if (memcmp(a->dut6[i], addr, 16) == 0)
			return 0;
	if (a->ndut6 == TB_AN_MAX_DUT6)
		return -1;
	memcpy(a->dut6[a->ndut6++], addr, 16);
	return 0;
}

void tb_analysis_free(struct tb_analysis *a)
{
	if (!a)
		return;
	free(a->conns);
	free(a->conn_tls);
	free(a->mqtt);
	free(a->buckets);
	free(a->telnet);
	free(a->closed);
	free(a->flows);
	free(a->flow_slots);
	free(a->peers6);
	free(a->peer6_slots);
	free(a);
}

void tb_analysis_add_window(struct tb_analysis *a, const char *label, double start, double end)
{
	if (a->nwindows == TB_AN_MAX_WINDOWS)
		return;
	struct tb_window *w = &a->windows[a->nwindows++];
	memset(w, 0, sizeof *w);
	snprintf(w->label, sizeof w->label, "%s", label);
	w->start = start;
	w->end = end > 0 && end < start ? start : end;
}

/* ---- groups of connections (the report's flows) --------------------- */

static uint32_t key_hash(const struct tb_flow_key *k)
{
	uint32_t h = k->peer * 0x9e3779b1u;
	h ^= ((uint32_t)k->port << 8 | k->proto | (uint32_t)k->init << 24) * 0x85ebca6bu;
	h ^= ((uint32_t)k->app | (uint32_t)k->v6 << 8) * 0x27d4eb2fu;
	h ^= h >> 15;
	return h * 0xc2b2ae35u;
}

static int key_eq(const struct tb_flow_key *x, const struct tb_flow_key *y)
{
	return x->peer == y->peer && x->port == y->port && x->proto == y->proto && x->init == y->init &&
	       x->app == y->app && x->v6 == y->v6;
}

/* The group of k, created when there is room; NULL when the table is full. */
static struct tb_flow *flow_group(struct tb_analysis *a, const struct tb_flow_key *k)
{
	uint32_t i = key_hash(k) & (NFLOWSLOTS - 1);
	for (;; i = (i + 1) & (NFLOWSLOTS - 1)) {
		uint32_t s = a->flow_slots[i];
		if (!s)
			break;
		if (key_eq(&a->flows[s - 1].k, k))
			return &a->flows[s - 1];
	}
	if (a->nflows == TB_AN_MAX_FLOWS)
		return NULL;
	struct tb_flow *f = &a->flows[a->nflows];
	a->flow_slots[i] = (uint32_t)++a->nflows;
	f->k = *k;
	return f;
}

/* The key a connection is reported under. */
static struct tb_flow_key conn_key(const struct tb_conn *c)
{
	struct tb_flow_key k = {
		.peer = c->peer,
		.proto = c->proto,
		.init = c->init,
		.app = c->app,
		.v6 = c->used == TB_CONN_V6,
	};
	if (c->init == TB_INIT_DUT)
		k.port = c->peer_port;
	else if (c->init == TB_INIT_PEER)
		k.port = c->dut_port;
	else
		k.port = c->peer_port < c->dut_port ? c->peer_port : c->dut_port;
	return k;
}

static void fold_tls(struct tb_flow *f, const struct tb_conn_tls *t)
{
	if (t->client_frame && !f->tls_client_frame) {
		f->tls_client_frame = t->client_frame;
		f->tls_nversions = t->nversions;
		memcpy(f->tls_offered, t->offered, sizeof f->tls_offered);
		memcpy(f->sni, t->sni, sizeof f->sni);
	}
	if (!t->server_frame) {
		f->tls_incomplete++;
		return;
	}
	if (!f->tls_server_frame)
		f->tls_server_frame = t->server_frame;
	if (t->chosen >= 0x0303)
		f->tls_ok++;
	else
		f->tls_weak++;
	if (!f->tls_lowest_frame || t->chosen < f->tls_lowest) {
		f->tls_lowest = t->chosen;
		f->tls_lowest_frame = t->server_frame;
	}
}

/* A TLS connection with no hello parsed yet has an empty record. */
static const struct tb_conn_tls *conn_tls_of(const struct tb_analysis *a, const struct tb_conn *c)
{
	static const struct tb_conn_tls none;
	return c->tls ? &a->conn_tls[c - a->conns] : &none;
}

static void fold_probe(struct tb_analysis *a, const struct tb_conn *c)
{
	uint16_t port = conn_key(c).port;
	size_t i = 0;
	while (i < a->nprobes &&
	       !(a->probes[i].peer == c->peer && a->probes[i].proto == c->proto &&
		 a->probes[i].init == c->init && a->probes[i].v6 == (c->used == TB_CONN_V6)))
		i++;
	if (i == a->nprobes) {
		if (a->nprobes == TB_AN_MAX_PROBES) {
			a->loss.probes_dropped++;
			return;
		}
		a->probes[a->nprobes++] = (struct tb_probe){ .peer = c->peer,
							     .proto = c->proto,
							     .init = c->init,
							     .v6 = c->used == TB_CONN_V6,
							     .port_lo = port,
							     .port_hi = port,
							     .first_frame = c->first_frame };
	}
	struct tb_probe *p = &a->probes[i];
	p->connections++;
	p->port_lo = port < p->port_lo ? port : p->port_lo;
	p->port_hi = port > p->port_hi ? port : p->port_hi;
	p->first_frame = c->first_frame < p->first_frame ? c->first_frame : p->first_frame;
	p->last_frame = c->last_frame > p->last_frame ? c->last_frame : p->last_frame;
}

/* Probing, by the harness or anyone: a connection that carried no payload,
 * or that someone else started and the device sent no payload on (the
 * UDP sweep's probe datagrams, a login attempt left unanswered).  Nothing
 * in it shows what the device does, so it is kept as a probe line, never
 * as a flow, and leaving the table early loses nothing.  (What such a
 * connection carried in clear was recorded as it went by.) */
static int unanswered(const struct tb_conn *c)
{
	return c->payload_out == 0 && (c->payload_in == 0 || c->init == TB_INIT_PEER);
}

/* A connection ends (or leaves the table): add it to its group. */
static void fold(struct tb_analysis *a, const struct tb_conn *c)
{
	if (unanswered(c)) {
		fold_probe(a, c);
		return;
	}
	struct tb_flow_key k = conn_key(c);
	struct tb_flow *f = flow_group(a, &k);
	if (!f) {
		a->loss.untracked++;
		return;
	}
	if (!f->connections++ || c->first_frame < f->first_frame) {
		f->first_frame = c->first_frame;
		f->first_ts = c->first_ts;
	}
	if (c->last_frame > f->last_frame) {
		f->last_frame = c->last_frame;
		f->last_ts = c->last_ts;
	}
	f->inferred += c->inferred;
	f->truncated += c->truncated;
	f->pkts_out += c->pkts_out;
	f->bytes_out += c->bytes_out;
	f->pkts_in += c->pkts_in;
	f->bytes_in += c->bytes_in;
	f->payload_out += c->payload_out;
	f->payload_in += c->payload_in;
	if (c->app == TB_APP_TLS)
		fold_tls(f, conn_tls_of(a, c));
}

/* ---- connections ----------------------------------------------------- */

/* (An IPv6 peer's index and an IPv4 address share the hash: only
 * 0.0.x.x could meet one, and conn_find compares the family.) */
static uint32_t conn_hash(uint8_t proto, uint32_t peer, uint16_t dut_port, uint16_t peer_port)
{
	uint32_t h = peer * 0x9e3779b1u;
	h ^= ((uint32_t)dut_port << 16 | peer_port) * 0x85ebca6bu;
	h ^= proto * 0x27d4eb2fu;
	h ^= h >> 15;
	return (h * 0xc2b2ae35u) & (NBUCKETS - 1);
}

static struct tb_conn *conn_find(struct tb_analysis *a, uint8_t proto, uint8_t fam, uint32_t peer,
				 uint16_t dut_port, uint16_t peer_port)
{
	for (uint32_t i = a->buckets[conn_hash(proto, peer, dut_port, peer_port)]; i;) {
		struct tb_conn *c = &a->conns[i - 1];
		if (c->peer == peer && c->dut_port == dut_port && c->peer_port == peer_port &&
		    c->proto == proto && c->used == fam)
			return c;
		i = c->next;
	}
	return NULL;
}

static int conn_closed(const struct tb_conn *c)
{
	return (c->tcp & CONN_RST) ||
	       (c->tcp & (CONN_FIN_OUT | CONN_FIN_IN)) == (CONN_FIN_OUT | CONN_FIN_IN);
}

/* Fold a connection into its group and give its slot back. */
static void conn_release(struct tb_analysis *a, struct tb_conn *c)
{
	uint32_t idx = (uint32_t)(c - a->conns) + 1;
	uint32_t *link = &a->buckets[conn_hash(c->proto, c->peer, c->dut_port, c->peer_port)];
	while (*link && *link != idx)
		link = &a->conns[*link - 1].next;
	if (*link)
		*link = c->next;
	fold(a, c);
	if (c->telnet)
		a->telnet_free[a->ntelnet_free++] = c->telnet;
	c->used = 0; /* conn_new() clears the rest when it reuses the slot */
	c->next = a->free_head;
	a->free_head = idx;
	a->nconns--;
}

/* How cheaply a connection can leave the table: 0 when nothing about it
 * can change any more (closed, idle UDP) or it carried nothing; 1 when an
 * open connection with payload would have to go (a loss). */
static int evict_cost(const struct tb_conn *c, double now)
{
	if (conn_closed(c) || unanswered(c))
		return 0;
	if (c->proto != 6 && now - c->last_ts > UDP_IDLE_S)
		return 0;
	return 1;
}

/* The table is full: fold the best of the next EVICT_SCAN connections
 * (a clock hand, so the cost per new connection stays bounded). */
static void conn_evict(struct tb_analysis *a, double now)
{
	struct tb_conn *best = NULL;
	int best_cost = 2;
	for (int n = 0; n < EVICT_SCAN && best_cost > 0; n++) {
		struct tb_conn *c = &a->conns[a->clock];
		a->clock = (a->clock + 1) % TB_AN_MAX_CONNS;
		int cost = evict_cost(c, now);
		if (cost < best_cost || (cost == best_cost && c->last_ts < best->last_ts)) {
			best = c;
			best_cost = cost;
		}
	}
	if (best_cost > 0 && best->init != TB_INIT_PEER)
		a->loss.evicted_open++;
	conn_release(a, best);
}

/* Fold the ended connections the capture has left behind by more than
 * the grace period (the queue is in order of ending; an entry whose slot
 * was reused or released since is skipped). */
static void closed_reap(struct tb_analysis *a, double now)
{
	while (a->closed_n) {
		struct tb_closed e = a->closed[a->closed_head];
		struct tb_conn *c = &a->conns[e.idx];
		if (c->used && c->gen == e.gen && now - c->last_ts < TB_AN_CLOSED_GRACE_S)
			return;
		a->closed_head = (a->closed_head + 1) % TB_AN_MAX_CONNS;
		a->closed_n--;
		if (c->used && c->gen == e.gen)
			conn_release(a, c);
	}
}

/* A connection has just ended: queue it for closed_reap(). */
static void closed_push(struct tb_analysis *a, const struct tb_conn *c)
{
	if (a->closed_n == TB_AN_MAX_CONNS) { /* only stale entries can fill it */
		a->closed_head = (a->closed_head + 1) % TB_AN_MAX_CONNS;
		a->closed_n--;
	}
	size_t tail = (a->closed_head + a->closed_n) % TB_AN_MAX_CONNS;
	a->closed[tail] = (struct tb_closed){ .idx = (uint32_t)(c - a->conns), .gen = c->gen };
	a->closed_n++;
}

static struct tb_conn *conn_new(struct tb_analysis *a, uint8_t proto, uint8_t fam, uint32_t peer,
				uint16_t dut_port, uint16_t peer_port, double now)
{
	/* Reaping here, not per frame, keeps the table's working set small
	 * at no cost to the packets of connections already followed. */
	if (a->closed_n)
		closed_reap(a, now);
	if (!a->free_head)
		conn_evict(a, now);
	uint32_t idx = a->free_head;
	struct tb_conn *c = &a->conns[idx - 1];
	a->free_head = c->next;
	uint32_t gen = c->gen + 1;
	memset(c, 0, sizeof *c);
	c->gen = gen;
	uint32_t *b = &a->buckets[conn_hash(proto, peer, dut_port, peer_port)];
	c->next = *b;
	*b = idx;
	c->used = fam;
	c->proto = proto;
	c->peer = peer;
	c->dut_port = dut_port;
	c->peer_port = peer_port;
	a->nconns++;
	a->connections++;
	return c;
}

/* Ports that name a server: when a connection's start was not captured,
 * the side on one of these is taken for the responder. */
static int server_port(uint16_t port)
{
	switch (port) {
	case 21:
	case 22:
	case 23:
	case 25:
	case 53:
	case 80:
	case 110:
	case 123:
	case 143:
	case 161:
	case 162:
	case 443:
	case 445:
	case 465:
	case 587:
	case 993:
	case 995:
	case 1883:
	case 5683:
	case 5684:
	case 8080:
	case 8443:
	case 8883: return 1;
	default: return 0;
	}
}

/* Who started a connection whose first packet seen is k (sent by the DUT
 * when out): from the TCP handshake when it is there, otherwise from the
 * ports, and then c->inferred is set. */
static void conn_initiator(struct tb_conn *c, const struct tb_pkt *k, int out)
{
	uint8_t syn = k->proto == 6 ? (k->tcp_flags & (TB_TCP_SYN | TB_TCP_ACK)) : 0;
	if (syn == TB_TCP_SYN || syn == (TB_TCP_SYN | TB_TCP_ACK)) {
		int from_init = syn == TB_TCP_SYN;
		c->init = from_init == out ? TB_INIT_DUT : TB_INIT_PEER;
		c->tcp |= from_init ? CONN_SYN : CONN_SYNACK;
		return;
	}
	int dut_srv = server_port(c->dut_port), peer_srv = server_port(c->peer_port);
	if (dut_srv == peer_srv) {
		/* Neither or both well known: a privileged port against an
		 * unprivileged one still names the server. */
		dut_srv = c->dut_port < 1024;
		peer_srv = c->peer_port < 1024;
	}
	if (dut_srv != peer_srv)
		c->init = peer_srv ? TB_INIT_DUT : TB_INIT_PEER;
	else if (k->proto == 17)
		c->init = out ? TB_INIT_DUT : TB_INIT_PEER; /* the first datagram starts it */
	else
		c->init = TB_INIT_UNKNOWN;
	/* UDP has no handshake: the first datagram or the ports are all there
	 * is, so only a TCP connection that began before the capture counts
	 * as inferred. */
	c->inferred = k->proto == 6 && c->init != TB_INIT_UNKNOWN;
}

/* The connection a packet belongs to (fam: TB_CONN_V4 or TB_CONN_V6,
 * peer as in struct tb_flow_key): a SYN that cannot be a retransmission
 * starts a new one; a bare segment of no followed connection is counted
 * and dropped (the tail of a connection folded already). */
static struct tb_conn *conn_of(struct tb_analysis *a, const struct tb_pkt *k, int out, uint8_t fam,
			       uint32_t peer, double now)
{
	uint16_t dut_port = out ? k->sport : k->dport, peer_port = out ? k->dport : k->sport;
	/* Packets of one connection mostly come in runs: try the last one first. */
	struct tb_conn *c = a->last;
	if (!c || c->used != fam || c->peer != peer || c->dut_port != dut_port ||
	    c->peer_port != peer_port || c->proto != k->proto)
		c = conn_find(a, k->proto, fam, peer, dut_port, peer_port);
	int syn = k->proto == 6 && (k->tcp_flags & (TB_TCP_SYN | TB_TCP_ACK)) == TB_TCP_SYN;
	if (c && syn) {
		int same_side = (c->init == TB_INIT_DUT) == out;
		int retransmit = (c->tcp & CONN_SYN) && same_side && !(c->tcp & CONN_RST) &&
				 c->payload_out + c->payload_in == 0 &&
				 !(c->tcp & (CONN_FIN_OUT | CONN_FIN_IN));
		if (!retransmit) {
			conn_release(a, c);
			c = NULL;
		}
	} else if (c && k->proto != 6 && now - c->last_ts > UDP_IDLE_S) {
		conn_release(a, c); /* a new exchange on the same ports */
		c = NULL;
	}
	if (c)
		return c;
	if (k->proto == 6 && !(k->tcp_flags & TB_TCP_SYN) && k->paylen == 0 && !k->cut) {
		a->stray++;
		return NULL;
	}
	c = conn_new(a, k->proto, fam, peer, dut_port, peer_port, now);
	conn_initiator(c, k, out);
	return c;
}

static void conn_tcp_flags(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	if (k->proto != 6)
		return;
	if (!(k->tcp_flags & (TB_TCP_SYN | TB_TCP_FIN | TB_TCP_RST)))
		return; /* most segments change nothing here */
	int was_closed = conn_closed(c);
	if ((k->tcp_flags & (TB_TCP_SYN | TB_TCP_ACK)) == (TB_TCP_SYN | TB_TCP_ACK))
		c->tcp |= CONN_SYNACK;
	if (k->tcp_flags & TB_TCP_FIN)
		c->tcp |= out ? CONN_FIN_OUT : CONN_FIN_IN;
	if (k->tcp_flags & TB_TCP_RST)
		c->tcp |= CONN_RST;
	if (!was_closed && conn_closed(c))
		closed_push(a, c);
}

static int flow_cmp(const void *x, const void *y)
{
	const struct tb_flow *f = x, *g = y;
	return (f->first_frame > g->first_frame) - (f->first_frame < g->first_frame);
}

static int probe_cmp(const void *x, const void *y)
{
	const struct tb_probe *p = x, *q = y;
	return (p->first_frame > q->first_frame) - (p->first_frame < q->first_frame);
}

/* Fold what is still open, then put the groups in capture order (the
 * report reads best that way) and re-index them. */
void tb_analysis_finish(struct tb_analysis *a)
{
	if (a->finished)
		return;
	for (size_t i = 0; i < TB_AN_MAX_CONNS; i++)
		if (a->conns[i].used)
			conn_release(a, &a->conns[i]);
	a->closed_n = 0;
	qsort(a->flows, a->nflows, sizeof *a->flows, flow_cmp);
	qsort(a->probes, a->nprobes, sizeof *a->probes, probe_cmp);
	memset(a->flow_slots, 0, NFLOWSLOTS * sizeof *a->flow_slots);
	for (size_t n = 0; n < a->nflows; n++) {
		uint32_t i = key_hash(&a->flows[n].k) & (NFLOWSLOTS - 1);
		while (a->flow_slots[i])
			i = (i + 1) & (NFLOWSLOTS - 1);
		a->flow_slots[i] = (uint32_t)n + 1;
	}
	a->finished = 1;
}

/* ---- secrets --------------------------------------------------------- */

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

TB_UNITTEST void secret_mask(const uint8_t *v, size_t n, char out[8])
{
	/* At most the first character, only of a long value, only printable. */
	if (n < TB_SECRET_SHOW_MIN || v[0] <= 0x20 || v[0] >= 0x7f || v[0] == '<' || v[0] == '&')
		snprintf(out, 8, "***");
	else
		snprintf(out, 8, "%c***", (char)v[0]);
}

static void secret(struct tb_analysis *a, const struct tb_conn *c, int from_dut,
		   enum tb_secret_kind kind, const uint8_t *v, size_t n, const char *where)
{
	struct tb_flow_key k = conn_key(c);
	uint32_t dg = fnv(v, n);
	for (size_t i = 0; i < a->nsecrets; i++) {
		struct tb_secret *s = &a->secrets[i];
		if (s->kind == kind && key_eq(&s->k, &k) && s->digest == dg &&
		    s->from_dut == from_dut) {
			s->count++;
			s->last_frame = a->frames;
			return;
		}
	}
	/* What peers send the device (the harness's own login guesses, mostly)
	 * may fill half the table at most: the device's own secrets always
	 * find room, and only losing one of those loses a finding. */
	if (a->nsecrets == TB_AN_MAX_SECRETS ||
	    (!from_dut && a->nsecrets_peer >= TB_AN_MAX_SECRETS / 2)) {
		a->loss.secrets_dropped++;
		a->loss.secrets_dropped_dut += from_dut != 0;
		return;
	}
	a->nsecrets_peer += !from_dut;
	struct tb_secret *s = &a->secrets[a->nsecrets++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->from_dut = from_dut;
	s->k = k;
	s->digest = dg;
	s->length = n;
	s->count = 1;
	s->first_frame = s->last_frame = a->frames;
	secret_mask(v, n, s->masked);
	if (where)
		snprintf(s->where, sizeof s->where, "%s", where);
}

/* ---- classification ---------------------------------------------------- */

/* Does p start with the string literal w?  (Called on the first payloads
 * of every connection: the length is known at compile time.) */
#define PREFIX(p, n, w) ((n) >= sizeof(w) - 1 && memcmp((p), (w), sizeof(w) - 1) == 0)

/* An HTTP request or status line; the first byte picks the candidates. */
static int http_start(const uint8_t *p, size_t n)
{
	if (n < 4)
		return 0;
	switch (p[0]) {
	case 'G': return PREFIX(p, n, "GET ");
	case 'P': return PREFIX(p, n, "POST ") || PREFIX(p, n, "PUT ") || PREFIX(p, n, "PATCH ");
	case 'H': return PREFIX(p, n, "HEAD ") || PREFIX(p, n, "HTTP/1.");
	case 'D': return PREFIX(p, n, "DELETE ");
	case 'O': return PREFIX(p, n, "OPTIONS ");
	default: return 0;
	}
}

/* A TLS record header of any content type (also mid-stream): type 20-24,
 * version SSL 3.0 to TLS 1.3, a length a record may have. */
static int tls_record(const uint8_t *p, size_t n)
{
	return n >= 5 && p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4 &&
	       ((size_t)p[3] << 8 | p[4]) <= 16384 + 2048;
}

/* Telnet option negotiation opens the stream: IAC WILL/WONT/DO/DONT. */
static int telnet_start(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 0xff && p[1] >= 0xfb && p[2] <= 0x31;
}

/* What one payload says about its connection.  start: the connection's
 * start was captured, so this is truly its first payload in that
 * direction; signatures that can occur inside other streams (a telnet IAC,
 * an MQTT header) count only then.  service: the responder's port. */
TB_UNITTEST enum tb_app classify_payload(uint8_t proto, const uint8_t *p, size_t n, int start,
					 uint16_t service, struct tb_mqtt_connect *mq)
{
	struct tb_mqtt_connect local;
	if (!mq)
		mq = &local;
	mq->level = 0;
	if (proto == 17) {
		if (service == 53)
			return TB_APP_DNS;
		if (service == 123)
			return TB_APP_NTP;
		if (service == 161 || service == 162) {
			struct tb_snmp_msg m;
			return tb_p_snmp(p, n, &m) == TB_OK ? TB_APP_SNMP : TB_APP_UNKNOWN;
		}
		if (service == 5683 && n >= 4 && (p[0] >> 6) == 1)
			return TB_APP_COAP;
		return TB_APP_UNKNOWN;
	}
	if (proto != 6)
		return TB_APP_UNKNOWN;
	if (tls_record(p, n))
		return TB_APP_TLS;
	if (PREFIX(p, n, "SSH-"))
		return TB_APP_SSH;
	if (http_start(p, n))
		return TB_APP_HTTP;
	if (start) {
		if (n && p[0] == 0x10) {
			if (tb_p_mqtt_connect(p, n, mq) == TB_OK)
				return TB_APP_MQTT;
			mq->level = 0;
		}
		if (telnet_start(p, n))
			return TB_APP_TELNET;
	}
	switch (service) {
	case 21: return TB_APP_FTP;
	case 23: return TB_APP_TELNET;
	case 80:
	case 8080: return TB_APP_HTTP;
	case 1883: return start && n && p[0] == 0x10 ? TB_APP_MQTT : TB_APP_UNKNOWN;
	default: return TB_APP_UNKNOWN;
	}
}

/* Classify at the first payload of each direction, and never again. */
static void conn_classify(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	uint8_t bit = out ? CONN_FIRST_OUT : CONN_FIRST_IN;
	if (c->firsts & bit)
		return;
	c->firsts |= bit;
	if (c->app != TB_APP_UNKNOWN)
		return;
	int start = k->proto != 6 || (c->tcp & (CONN_SYN | CONN_SYNACK));
	c->app = (uint8_t)classify_payload(k->proto, k->payload, k->paylen, start, conn_key(c).port,
					   a->mqtt);
	a->mqtt_frame = a->mqtt->level ? a->frames : 0;
}

/* ---- dissection per application ------------------------------------ */

/* snprintf("%s") without the formatting machinery: names, SNIs and
 * parameters are copied for every DNS answer, hello and request. */
static void copy_cstr(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void on_tls(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k)
{
	struct tb_tls_hello h;
	struct tb_conn_tls *t = &a->conn_tls[c - a->conns];
	if (!c->tls) { /* the slot may hold a former connection's record */
		memset(t, 0, sizeof *t);
		c->tls = 1;
	}
	if ((t->client_frame && t->server_frame) || !tb_p_tls_looks_like(k->payload, k->paylen))
		return;
	if (tb_p_tls_hello(k->payload, k->paylen, &h) != TB_OK)
		return;
	if (h.type == 1 && !t->client_frame) {
		t->client_frame = a->frames;
		t->nversions = (uint8_t)(h.nversions < 8 ? h.nversions : 8);
		memcpy(t->offered, h.versions, t->nversions * sizeof *h.versions);
		copy_cstr(t->sni, sizeof t->sni, h.sni);
	} else if (h.type == 2 && !t->server_frame && h.nversions) {
		t->server_frame = a->frames;
		t->chosen = h.versions[0];
	}
}

static void on_http(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	struct tb_http_sniffed r;
	if (tb_p_http_request(k->payload, k->paylen, &r) == TB_E_FORMAT)
		return;
	if (r.has_basic) {
		secret(a, c, out, TB_SEC_HTTP_BASIC_USER, r.user, r.user_len, "Authorization");
		secret(a, c, out, TB_SEC_HTTP_BASIC_PASS, r.secret, r.secret_len, "Authorization");
	}
	if (r.has_token)
		secret(a, c, out, TB_SEC_HTTP_TOKEN, r.token, r.token_len, r.token_header);
	if (r.has_query_token) {
		char where[8 + sizeof r.query_param];
		memcpy(where, "query ", 6);
		copy_cstr(where + 6, sizeof where - 6, r.query_param);
		secret(a, c, out, TB_SEC_HTTP_TOKEN, r.qtoken, r.qtoken_len, where);
	}
}

/* Is this packet's sender the connection's client?  -1: not known. */
static int from_client(const struct tb_conn *c, int out)
{
	if (c->init == TB_INIT_UNKNOWN)
		return -1;
	return (c->init == TB_INIT_DUT) == out;
}

static void on_ftp(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	char verb[5];
	uint8_t arg[TB_CT_VALUE_MAX];
	size_t n;
	if (from_client(c, out) == 0 ||
	    tb_p_ftp_command(k->payload, k->paylen, verb, arg, sizeof arg, &n) != TB_OK)
		return;
	if (strcmp(verb, "USER") == 0)
		secret(a, c, out, TB_SEC_FTP_USER, arg, n, NULL);
	else if (strcmp(verb, "PASS") == 0)
		secret(a, c, out, TB_SEC_FTP_PASS, arg, n, NULL);
}

static struct tb_telnet_login *telnet_state(struct tb_analysis *a, struct tb_conn *c)
{
	if (!c->telnet) {
		if (!a->ntelnet_free) {
			a->loss.telnet_untracked++;
			c->telnet = 0;
			return NULL;
		}
		c->telnet = a->telnet_free[--a->ntelnet_free];
		tb_p_telnet_login_init(&a->telnet[c->telnet - 1]);
	}
	return &a->telnet[c->telnet - 1];
}

static void on_telnet(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	int client = from_client(c, out);
	if (client < 0)
		return; /* which side types the login is not known */
	struct tb_telnet_login *tl = telnet_state(a, c);
	if (!tl)
		return;
	const uint8_t *p = k->payload;
	size_t n = k->paylen, used;
	while (n) {
		enum tb_telnet_login_event ev = tb_p_telnet_login_feed(tl, !client, p, n, &used);
		if (ev != TB_TL_NONE)
			secret(a, c, out,
			       ev == TB_TL_GOT_USER ? TB_SEC_TELNET_USER : TB_SEC_TELNET_PASS, tl->line,
			       tl->linelen, NULL);
		tl->linelen = ev != TB_TL_NONE ? 0 : tl->linelen;
		if (!used)
			break;
		p += used;
		n -= used;
	}
}

static void on_mqtt(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	struct tb_mqtt_connect parsed, *m = a->mqtt;
	if (a->mqtt_frame != a->frames) { /* not the packet classification parsed */
		if (!k->paylen || k->payload[0] != 0x10 ||
		    tb_p_mqtt_connect(k->payload, k->paylen, &parsed) != TB_OK)
			return;
		m = &parsed;
	}
	if (m->has_user)
		secret(a, c, out, TB_SEC_MQTT_USER, m->user, m->user_len, NULL);
	if (m->has_pass)
		secret(a, c, out, TB_SEC_MQTT_PASS, m->pass, m->pass_len, NULL);
}

/* A Response (0xa2) or Report (0xa8) echoes the community of the request it
 * answers: the requester's secret, not the responder's.  Counting it made a
 * device that answers the harness's own community guesses look as if it
 * sent a community in clear. */
static int snmp_echoes_community(uint8_t pdu)
{
	return pdu == 0xa2 || pdu == 0xa8;
}

static void on_snmp(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	struct tb_snmp_msg m;
	if (tb_p_snmp(k->payload, k->paylen, &m) == TB_OK && !snmp_echoes_community(m.pdu))
		secret(a, c, out, TB_SEC_SNMP_COMMUNITY, m.community, m.community_len, NULL);
}

static void on_dns(struct tb_analysis *a, const struct tb_pkt *k, int out)
{
	struct tb_dns_a ans[8];
	size_t n;
	if (out || tb_p_dns_answers(k->payload, k->paylen, ans, 8, &n) != TB_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < a->nnames && a->names[j].addr != ans[i].addr)
			j++;
		if (j == a->nnames) {
			if (a->nnames == TB_AN_MAX_NAMES)
				continue;
			a->nnames++;
		}
		a->names[j].addr = ans[i].addr;
		a->names[j].frame = a->frames;
		copy_cstr(a->names[j].name, sizeof a->names[j].name, ans[i].name);
	}
}

static void application(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out)
{
	conn_classify(a, c, k, out);
	switch ((enum tb_app)c->app) {
	case TB_APP_TLS: on_tls(a, c, k); break;
	case TB_APP_HTTP: on_http(a, c, k, out); break;
	case TB_APP_FTP: on_ftp(a, c, k, out); break;
	case TB_APP_TELNET: on_telnet(a, c, k, out); break;
	case TB_APP_MQTT: on_mqtt(a, c, k, out); break;
	case TB_APP_SNMP: on_snmp(a, c, k, out); break;
	case TB_APP_DNS: on_dns(a, k, out); break;
	default: break;
	}
}

/* ---- per frame ------------------------------------------------------ */

static void window_count(struct tb_analysis *a, double ts, size_t bytes)
{
	for (size_t i = 0; i < a->nwindows; i++) {
		struct tb_window *w = &a->windows[i];
		if (ts < w->start || (w->end > 0 && ts >= w->end))
			continue;
		double m = (ts - w->start) / 60.0;
		if (m < TB_AN_MAX_MINUTES) {
			w->bytes[(size_t)m] += bytes;
			w->pkts[(size_t)m]++;
		} else {
			w->later_bytes += bytes;
			w->later_pkts++;
		}
		if (!w->first_frame)
			w->first_frame = a->frames;
		w->last_frame = a->frames;
	}
}

/* Timestamps only move forward: one that is not a finite time between
 * 1970 and 9999, or earlier than the frame before, is clamped and counted. */
static double clamp_ts(struct tb_analysis *a, double ts)
{
	int valid = ts >= 0 && ts < 253402300800.0;
	if (a->frames == 1) {
		if (!valid) {
			a->bad_timestamps++;
			ts = 0;
		}
		a->first_ts = ts;
	} else if (!valid || ts < a->last_ts) {
		a->bad_timestamps++;
		ts = a->last_ts;
	}
	a->last_ts = ts;
	return ts;
}

static void conn_count(struct tb_analysis *a, struct tb_conn *c, const struct tb_pkt *k, int out,
		       double ts, int cut)
{
	if (!c->first_frame) {
		c->first_frame = a->frames;
		c->first_ts = ts;
	}
	c->last_frame = a->frames;
	c->last_ts = ts;
	if (out) {
		c->pkts_out++;
		c->bytes_out += k->iplen;
		c->payload_out += k->paylen;
	} else {
		c->pkts_in++;
		c->bytes_in += k->iplen;
		c->payload_in += k->paylen;
	}
	/* A payload the snap length cut short may hide what the device said;
	 * what the harness's own probes carry does not count. */
	if (cut && c->init != TB_INIT_PEER) {
		c->truncated = 1;
		a->loss.truncated++;
	}
}

/* ---- IPv6 ------------------------------------------------------------ */

static int dut6_is(const struct tb_analysis *a, const uint8_t *addr)
{
	for (size_t i = 0; i < a->ndut6; i++)
		if (memcmp(a->dut6[i], addr, 16) == 0)
			return 1;
	return 0;
}

static uint32_t addr6_hash(const uint8_t *addr)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h ^ h >> 15;
}

/* The index of an IPv6 peer in the analysis's table, adding it when it is
 * new; -1 when the table is full. */
static int64_t peer6_intern(struct tb_analysis *a, const uint8_t *addr)
{
	uint32_t i = addr6_hash(addr) & (NPEER6SLOTS - 1);
	for (;; i = (i + 1) & (NPEER6SLOTS - 1)) {
		uint32_t s = a->peer6_slots[i];
		if (!s)
			break;
		if (memcmp(a->peers6[s - 1], addr, 16) == 0)
			return s - 1;
	}
	if (a->npeers6 == TB_AN_MAX_PEERS6)
		return -1;
	memcpy(a->peers6[a->npeers6], addr, 16);
	a->peer6_slots[i] = ++a->npeers6;
	return a->npeers6 - 1;
}

/* Is this IPv6 frame the DUT's?  Sets *out (sent by the DUT) and *peer
 * (the other side's index in the peer table); counts it otherwise. */
static int frame_v6(struct tb_analysis *a, const struct tb_pkt *k, int *out, uint32_t *peer)
{
	a->ipv6++;
	*out = dut6_is(a, k->src6);
	if (!*out && !dut6_is(a, k->dst6)) {
		a->other_frames++;
		return 0;
	}
	int64_t id = peer6_intern(a, *out ? k->dst6 : k->src6);
	if (id < 0) {
		a->dut_frames++;
		a->loss.peers6_dropped++;
		return 0;
	}
	*peer = (uint32_t)id;
	return 1;
}

void tb_analysis_frame(struct tb_analysis *a, int dlt, double ts, const uint8_t *p, size_t caplen,
		       size_t wirelen)
{
	struct tb_pkt k;
	a->finished = 0;
	a->frames++;
	a->bytes += wirelen;
	ts = clamp_ts(a, ts);
	if (a->nwindows == 0) {
		tb_analysis_add_window(a, "capture", ts, 0);
		a->auto_window = 1;
	}
	enum tb_err e = tb_p_pkt_decode(dlt, p, caplen, &k);
	if (e) {
		a->undecodable++;
		return;
	}
	/* Whose frame, and who the peer is (as in conn_of). */
	int out;
	uint8_t fam = TB_CONN_V4;
	uint32_t peer;
	if (k.ipv4) {
		out = k.src == a->dut_match;
		if (!out && k.dst != a->dut_match) {
			a->other_frames++;
			return;
		}
		peer = out ? k.dst : k.src;
	} else if (k.ipv6) {
		if (!frame_v6(a, &k, &out, &peer))
			return;
		fam = TB_CONN_V6;
	} else {
		a->non_ip++;
		return;
	}
	a->dut_frames++;
	if (k.fragment)
		a->fragments++;
	if (out)
		window_count(a, ts, k.iplen);
	if (!k.transport) {
		/* A later fragment is counted above and has nothing to follow;
		 * a transport header the snap length cut off is lost. */
		a->loss.truncated += k.cut && !k.later_fragment;
		return;
	}
	struct tb_conn *c = conn_of(a, &k, out, fam, peer, ts);
	if (!c)
		return;
	a->last = c;
	conn_tcp_flags(a, c, &k, out);
	conn_count(a, c, &k, out, ts, k.cut);
	if (k.paylen)
		application(a, c, &k, out);
}

/* ---- files ---------------------------------------------------------- */

struct reader {
	struct tb_analysis *a;
	int dlt;
};

static void on_record(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct reader *r = (struct reader *)user;
	double ts = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
	tb_analysis_frame(r->a, r->dlt, ts, bytes, h->caplen, h->len);
}

static enum tb_err unsupported_link(struct tb_diag *d, const char *path, int dlt)
{
	const char *name = pcap_datalink_val_to_name(dlt);
	return tb_diag_set(d, TB_E_FORMAT,
			   "%s: link type %d (%s) is not supported; supported: Ethernet, Linux "
			   "cooked (SLL, SLL2), BSD loopback and raw IP",
			   path, dlt, name ? name : "unknown");
}

static enum tb_err open_capture(const char *path, pcap_t **out, int *dlt, struct tb_diag *d)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, err);
	*out = NULL;
	if (!p)
		return tb_diag_set(d, TB_E_IO, "%s: cannot read the capture: %s", path, err);
	*dlt = pcap_datalink(p);
	if (!tb_p_pkt_link_supported(*dlt)) {
		pcap_close(p);
		return unsupported_link(d, path, *dlt);
	}
	*out = p;
	return TB_OK;
}

/* Run the analyzers over an opened capture.  A capture still being
 * written, or whose writer was killed, ends inside a record: what came
 * before is good.  Any other read error (a record whose length field is
 * absurd, a broken pcapng block) means the file is corrupt from there on. */
static void analyze_capture(struct tb_analysis *a, pcap_t *p)
{
	struct reader r = { .a = a, .dlt = pcap_datalink(p) };
	a->link = r.dlt;
	if (pcap_loop(p, -1, on_record, (u_char *)&r) == PCAP_ERROR) {
		const char *why = pcap_geterr(p);
		if (strncmp(why, "truncated dump file", 19) == 0) {
			a->loss.cut_short = 1;
		} else {
			a->loss.corrupt_frame = a->frames + 1;
			snprintf(a->loss.corrupt_reason, sizeof a->loss.corrupt_reason, "%s", why);
		}
	}
	tb_analysis_finish(a);
}

/* ---- classic pcap, read in place (pcapfile.h) ---- */

/* Copy the next need bytes, across chunks, into dst: how many there were
 * before the file ended. */
static size_t gather(struct tb_hashread *h, uint8_t *dst, size_t need)
{
	size_t got = 0;
	const uint8_t *p;
	size_t n;
	while (got < need && tb_hashread_peek(h, &p, &n)) {
		size_t k = n < need - got ? n : need - got;
		memcpy(dst + got, p, k);
		tb_hashread_consume(h, k);
		got += k;
	}
	return got;
}

/* Pass over the next k bytes; 0 when the file ended first. */
static int skip(struct tb_hashread *h, size_t k)
{
	const uint8_t *p;
	size_t n;
	while (k && tb_hashread_peek(h, &p, &n)) {
		size_t m = n < k ? n : k;
		tb_hashread_consume(h, m);
		k -= m;
	}
	return k == 0;
}

/* Every record after the file header: in place where a record lies inside
 * one chunk (nearly all), else gathered into buf (TB_PCAPFILE_MAX_CAPLEN). */
static void analyze_records(struct tb_analysis *a, struct tb_hashread *h, const struct tb_pcapfile *f,
			    uint8_t *buf)
{
	const uint8_t *p;
	size_t n;
	struct tb_pcaprec r;
	uint8_t hdr[TB_PCAPFILE_REC];
	while (tb_hashread_peek(h, &p, &n)) {
		const uint8_t *rec = p;
		int whole = n >= TB_PCAPFILE_REC;
		if (!whole) {
			if (gather(h, hdr, sizeof hdr) < sizeof hdr) {
				a->loss.cut_short = 1;
				break;
			}
			rec = hdr;
		}
		if (tb_pcapfile_record(f, rec, &r, a->loss.corrupt_reason,
				       sizeof a->loss.corrupt_reason) != TB_OK) {
			a->loss.corrupt_frame = a->frames + 1;
			break;
		}
		if (whole && n - TB_PCAPFILE_REC >= (size_t)r.caplen + r.skip) {
			tb_analysis_frame(a, f->dlt, r.ts, p + TB_PCAPFILE_REC, r.caplen, r.len);
			tb_hashread_consume(h, TB_PCAPFILE_REC + (size_t)r.caplen + r.skip);
			continue;
		}
		if (whole)
			tb_hashread_consume(h, TB_PCAPFILE_REC);
		if (gather(h, buf, r.caplen) < r.caplen || !skip(h, r.skip)) {
			a->loss.cut_short = 1; /* the writer stopped inside this record */
			break;
		}
		tb_analysis_frame(a, f->dlt, r.ts, buf, r.caplen, r.len);
	}
	tb_analysis_finish(a);
}

/* The capture is a classic pcap this reader takes: analyze it and say 1;
 * else 0, with nothing consumed (libpcap then reads it from the start). */
static int analyze_in_place(struct tb_analysis *a, struct tb_hashread *h)
{
	const uint8_t *p;
	size_t n;
	struct tb_pcapfile f;
	if (!tb_hashread_peek(h, &p, &n) || !tb_pcapfile_header(p, n, &f))
		return 0;
	tb_hashread_consume(h, TB_PCAPFILE_HDR);
	a->link = f.dlt;
	uint8_t *buf = tb_xmalloc(TB_PCAPFILE_MAX_CAPLEN);
	analyze_records(a, h, &f, buf);
	free(buf);
	return 1;
}

/* The file is read once: a second thread reads it in chunks and hashes each
 * chunk while they are parsed here (hashread.h), so the SHA-256 costs no
 * second pass and covers exactly the bytes analyzed.  A classic pcap is read
 * in place; anything else through libpcap. */
enum tb_err tb_analysis_read_file_sha256(struct tb_analysis *a, const char *path, uint8_t sum[32],
					 uint64_t *bytes, struct tb_diag *d)
{
	if (!sum) {
		int dlt;
		pcap_t *p;
		enum tb_err e = open_capture(path, &p, &dlt, d);
		if (e)
			return e;
		analyze_capture(a, p);
		pcap_close(p);
		return TB_OK;
	}
	struct tb_hashread *h;
	FILE *stream;
	enum tb_err e = tb_hashread_open(path, &h, &stream, d);
	if (e)
		return e;
	if (analyze_in_place(a, h)) {
		fclose(stream);
		if (tb_hashread_finish(h, sum, bytes) != TB_OK)
			return tb_diag_set(d, TB_E_IO, "%s: read error while hashing the capture",
					   path);
		return TB_OK;
	}
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_fopen_offline(stream, err);
	if (!p) {
		fclose(stream);
		e = tb_diag_set(d, TB_E_IO, "%s: cannot read the capture: %s", path, err);
	} else if (!tb_p_pkt_link_supported(pcap_datalink(p))) {
		e = unsupported_link(d, path, pcap_datalink(p));
		pcap_close(p); /* closes stream */
	} else {
		analyze_capture(a, p);
		pcap_close(p);
	}
	if (tb_hashread_finish(h, sum, bytes) != TB_OK && !e)
		e = tb_diag_set(d, TB_E_IO, "%s: read error while hashing the capture", path);
	return e;
}

enum tb_err tb_analysis_read_file(struct tb_analysis *a, const char *path, struct tb_diag *d)
{
	return tb_analysis_read_file_sha256(a, path, NULL, NULL, d);
}

struct guess {
	int dlt;
	uint64_t n;
	uint32_t addr[GUESS_ADDRS];
	uint64_t count[GUESS_ADDRS];
	size_t used;
};

static void guess_count(struct guess *g, uint32_t addr)
{
	for (size_t i = 0; i < g->used; i++)
		if (g->addr[i] == addr) {
			g->count[i]++;
			return;
		}
	if (g->used < GUESS_ADDRS) {
		g->addr[g->used] = addr;
		g->count[g->used++] = 1;
	}
}

static void on_guess(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct guess *g = (struct guess *)user;
	struct tb_pkt k;
	if (tb_p_pkt_decode(g->dlt, bytes, h->caplen, &k) == TB_OK && k.ipv4) {
		guess_count(g, k.src);
		guess_count(g, k.dst);
	}
}

enum tb_err tb_analysis_guess_dut(const char *path, uint32_t *dut, struct tb_diag *d)
{
	struct guess g = { 0 };
	pcap_t *p;
	enum tb_err e = open_capture(path, &p, &g.dlt, d);
	if (e)
		return e;
	pcap_loop(p, GUESS_FRAMES, on_guess, (u_char *)&g);
	pcap_close(p);
	if (!g.used)
		return tb_diag_set(d, TB_E_FORMAT, "%s: no IPv4 packets: pass --dut ADDR", path);
	size_t best = 0;
	for (size_t i = 1; i < g.used; i++)
		if (g.count[i] > g.count[best])
			best = i;
	*dut = g.addr[best];
	return TB_OK;
}

/* ---- names and labels ---------------------------------------------- */

const char *tb_analysis_peer_name(const struct tb_analysis *a, int v6, uint32_t peer)
{
	if (v6)
		return NULL; /* the names come from A records */
	for (size_t i = 0; i < a->nnames; i++)
		if (a->names[i].addr == peer)
			return a->names[i].name;
	return NULL;
}

void tb_analysis_peer_format(const struct tb_analysis *a, int v6, uint32_t peer,
			     char out[TB_AN_ADDR_TEXT])
{
	if (!v6)
		tb_ipv4_format(peer, out);
	else if (peer >= a->npeers6 || !inet_ntop(AF_INET6, a->peers6[peer], out, TB_AN_ADDR_TEXT))
		snprintf(out, TB_AN_ADDR_TEXT, "?");
}

void tb_analysis_dut_format(const struct tb_analysis *a, char *out, size_t cap)
{
	size_t used = 0;
	out[0] = '\0';
	if (a->dut4) {
		tb_ipv4_format(a->dut, out);
		used = strlen(out);
	}
	for (size_t i = 0; i < a->ndut6 && used + 1 < cap; i++) {
		char ip[INET6_ADDRSTRLEN];
		if (!inet_ntop(AF_INET6, a->dut6[i], ip, sizeof ip))
			continue;
		snprintf(out + used, cap - used, "%s%s", used ? " " : "", ip);
		used = strlen(out);
	}
}

void tb_analysis_flow_label(const struct tb_analysis *a, const struct tb_flow_key *k, char *out,
			    size_t cap)
{
	char ip[TB_AN_ADDR_TEXT];
	const char *name = tb_analysis_peer_name(a, k->v6, k->peer);
	tb_analysis_peer_format(a, k->v6, k->peer, ip);
	snprintf(out, cap, "%s%s%s:%u/%s%s%s%s", k->v6 ? "[" : "", ip, k->v6 ? "]" : "",
		 (unsigned)k->port,
		 k->proto == 6    ? "tcp"
		 : k->proto == 17 ? "udp"
				  : "ip",
		 name ? " (" : "", name ? name : "", name ? ")" : "");
}

/* ---- losses ------------------------------------------------------------ */

/* Append "; N text" (no separator first). */
static void loss_add(char *out, size_t cap, size_t *used, unsigned long long n, const char *text)
{
	if (*used + 1 >= cap)
		return;
	snprintf(out + *used, cap - *used, "%s%llu %s", *used ? "; " : "", n, text);
	*used = strlen(out);
}

size_t tb_analysis_loss_describe(const struct tb_analysis *a, uint64_t kernel_dropped, char *out,
				 size_t cap)
{
	const struct tb_analysis_loss *l = &a->loss;
	size_t used = 0, n = 0;
	out[0] = '\0';
	if (l->corrupt_frame) {
		snprintf(out, cap,
			 "the capture is corrupt at frame %llu (%s): the rest of the file was not read",
			 (unsigned long long)l->corrupt_frame, l->corrupt_reason);
		used = strlen(out);
		n++;
	}
	if (l->cut_short) {
		snprintf(out + used, cap - used, "%sthe capture ends inside a record after frame %llu",
			 used ? "; " : "", (unsigned long long)a->frames);
		used = strlen(out);
		n++;
	}
#define LOSS(v, text) \
	do { \
		if (v) { \
			loss_add(out, cap, &used, (unsigned long long)(v), text); \
			n++; \
		} \
	} while (0)
	LOSS(kernel_dropped, "packets dropped by the kernel while capturing");
	LOSS(l->untracked, "connections with payload did not fit the analyzer's tables");
	LOSS(l->evicted_open, "open connections left the analyzer's table before they ended");
	LOSS(l->truncated, "frames of the device's connections cut short by the snap length");
	LOSS(l->telnet_untracked, "telnet connections whose logins were not followed (table full)");
	LOSS(l->secrets_dropped_dut, "secrets the device sent beyond the secrets table");
	LOSS(l->peers6_dropped, "frames of the device with an IPv6 peer beyond the peer table");
#undef LOSS
	return n;
}
