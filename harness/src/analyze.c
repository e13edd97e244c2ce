/* analyze.c: passive traffic analysis (see analyze.h). */
#define _GNU_SOURCE
#include "analyze.h"

#include <errno.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashread.h"
#include "proto/p_dns.h"
#include "proto/p_mqtt.h"
#include "proto/p_pkt.h"
#include "proto/p_snmp.h"
#include "proto/p_tls.h"
#include "report.h"
#include "result.h"
#include "scope.h"
#include "suite.h"

#define NSLOTS (TB_AN_MAX_FLOWS * 2)
#define GUESS_FRAMES 100000
#define GUESS_ADDRS 64

static const char *const app_names[TB_APP_COUNT] = {
	"unknown", "tls", "http", "mqtt", "ftp", "telnet", "snmp", "coap", "dns", "ntp",
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
		"http-basic-user", "http-basic-password", "http-token", "ftp-user", "ftp-password",
		"telnet-user", "telnet-password", "mqtt-user", "mqtt-password", "snmp-community",
	};
	return (size_t)k < sizeof n / sizeof *n ? n[k] : "?";
}

struct tb_an *tb_an_new(uint32_t dut)
{
	struct tb_an *a = tb_xcalloc(1, sizeof *a);
	a->dut = dut;
	a->link = -1;
	a->flows = tb_xcalloc(TB_AN_MAX_FLOWS, sizeof *a->flows);
	a->slots = tb_xcalloc(NSLOTS, sizeof *a->slots);
	return a;
}

void tb_an_free(struct tb_an *a)
{
	if (!a)
		return;
	free(a->flows);
	free(a->slots);
	free(a);
}

void tb_an_add_window(struct tb_an *a, const char *label, double start, double end)
{
	if (a->nwindows == TB_AN_MAX_WINDOWS)
		return;
	struct tb_window *w = &a->windows[a->nwindows++];
	memset(w, 0, sizeof *w);
	snprintf(w->label, sizeof w->label, "%s", label);
	w->start = start;
	w->end = end;
}

/* ---- flow table ---------------------------------------------------- */

static uint32_t flow_hash(uint8_t proto, uint32_t peer, uint16_t port, uint8_t init)
{
	uint32_t h = peer * 0x9e3779b1u;
	h ^= ((uint32_t)port << 8 | proto | (uint32_t)init << 24) * 0x85ebca6bu;
	h ^= h >> 15;
	return h * 0xc2b2ae35u;
}

/* Find the flow, or create it when create is set and there is room. */
static struct tb_flow *flow_get(struct tb_an *a, uint8_t proto, uint32_t peer, uint16_t port,
				uint8_t init, int create)
{
	uint32_t i = flow_hash(proto, peer, port, init) & (NSLOTS - 1);
	for (;; i = (i + 1) & (NSLOTS - 1)) {
		uint32_t s = a->slots[i];
		if (!s)
			break;
		struct tb_flow *f = &a->flows[s - 1];
		if (f->proto == proto && f->peer == peer && f->port == port && f->init == init)
			return f;
	}
	if (!create || a->nflows == TB_AN_MAX_FLOWS)
		return NULL;
	struct tb_flow *f = &a->flows[a->nflows];
	a->slots[i] = (uint32_t)++a->nflows;
	f->used = 1;
	f->proto = proto;
	f->peer = peer;
	f->port = port;
	f->init = init;
	tb_p_telnet_login_init(&f->tl);
	return f;
}

static int well_known(uint16_t port)
{
	return port != 0 && port < 1024;
}

/* The look-ups (and the creation) behind flow_of(). */
static struct tb_flow *flow_of_slow(struct tb_an *a, const struct tb_pkt *k, int out, uint32_t peer,
				    uint16_t dut_port, uint16_t peer_port)
{
	struct tb_flow *f = flow_get(a, k->proto, peer, dut_port, TB_INIT_PEER, 0);
	if (!f)
		f = flow_get(a, k->proto, peer, peer_port, TB_INIT_DUT, 0);
	if (!f)
		f = flow_get(a, k->proto, peer, peer_port < dut_port ? peer_port : dut_port,
			     TB_INIT_UNKNOWN, 0);
	if (f)
		return f;
	int from_init; /* is this packet's sender the initiator? */
	if (k->proto == 6 && (k->tcp_flags & (TB_TCP_SYN | TB_TCP_ACK)) == TB_TCP_SYN)
		from_init = 1;
	else if (k->proto == 6 && (k->tcp_flags & (TB_TCP_SYN | TB_TCP_ACK)) == (TB_TCP_SYN | TB_TCP_ACK))
		from_init = 0;
	else if (k->proto == 17 && well_known(k->dport) != well_known(k->sport))
		from_init = well_known(k->dport);
	else if (k->proto == 17)
		from_init = 1; /* the first datagram seen starts the exchange */
	else
		return flow_get(a, k->proto, peer, peer_port < dut_port ? peer_port : dut_port,
				TB_INIT_UNKNOWN, 1);
	int dut_started = from_init == out;
	return flow_get(a, k->proto, peer, dut_started ? peer_port : dut_port,
			dut_started ? TB_INIT_DUT : TB_INIT_PEER, 1);
}

static struct tb_conn_memo *memo_of(struct tb_an *a, uint8_t proto, uint32_t peer,
				     uint16_t dut_port, uint16_t peer_port)
{
	uint32_t h = flow_hash(proto, peer, dut_port, 0) ^ ((uint32_t)peer_port * 0x27d4eb2fu);
	return &a->memo[(h ^ h >> 16) & (TB_AN_MEMO - 1)];
}

/* The aggregate flow of a packet: keyed by who started it and the port it
 * was started to, so each connection of the same service adds up. */
static struct tb_flow *flow_of(struct tb_an *a, const struct tb_pkt *k, int out)
{
	uint32_t peer = out ? k->dst : k->src;
	uint16_t dut_port = out ? k->sport : k->dport, peer_port = out ? k->dport : k->sport;
	if (!k->transport)
		return flow_get(a, k->proto, peer, 0, TB_INIT_UNKNOWN, 1);
	struct tb_conn_memo *m = memo_of(a, k->proto, peer, dut_port, peer_port);
	if (m->used && m->flows_then == a->nflows && m->peer == peer && m->dut_port == dut_port &&
	    m->peer_port == peer_port && m->proto == k->proto)
		return &a->flows[m->flow];
	size_t before = a->nflows;
	struct tb_flow *f = flow_of_slow(a, k, out, peer, dut_port, peer_port);
	/* Remember only a look-up that found a flow among those already
	 * there: the same look-ups give the same answer until a flow is added. */
	if (f && a->nflows == before)
		*m = (struct tb_conn_memo){ .peer = peer, .flows_then = (uint32_t)before,
					    .flow = (uint32_t)(f - a->flows), .dut_port = dut_port,
					    .peer_port = peer_port, .proto = k->proto, .used = 1 };
	return f;
}

/* ---- secrets --------------------------------------------------------- */

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void secret(struct tb_an *a, const struct tb_flow *f, int from_dut,
		   enum tb_secret_kind kind, const uint8_t *v, size_t n, const char *where)
{
	size_t fi = (size_t)(f - a->flows);
	uint32_t dg = fnv(v, n);
	for (size_t i = 0; i < a->nsecrets; i++) {
		struct tb_secret *s = &a->secrets[i];
		if (s->kind == kind && s->flow == fi && s->digest == dg && s->from_dut == from_dut) {
			s->count++;
			s->last_frame = a->frames;
			return;
		}
	}
	if (a->nsecrets == TB_AN_MAX_SECRETS) {
		a->secrets_dropped++;
		return;
	}
	struct tb_secret *s = &a->secrets[a->nsecrets++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->from_dut = from_dut;
	s->flow = fi;
	s->digest = dg;
	s->length = n;
	s->count = 1;
	s->first_frame = s->last_frame = a->frames;
	/* Only the first character survives, and only when printable. */
	char c = n && v[0] > 0x20 && v[0] < 0x7f && v[0] != '<' && v[0] != '&' ? (char)v[0] : '*';
	snprintf(s->masked, sizeof s->masked, "%c***", c);
	if (where)
		snprintf(s->where, sizeof s->where, "%s", where);
}

/* ---- dissection per application ------------------------------------ */

static int http_start(const uint8_t *p, size_t n)
{
	static const char *const w[] = { "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "PATCH ",
					 "OPTIONS ", "HTTP/1.", NULL };
	for (const char *const *x = w; *x; x++) {
		size_t k = strlen(*x);
		if (n >= k && memcmp(p, *x, k) == 0)
			return 1;
	}
	return 0;
}

static enum tb_app classify(const struct tb_pkt *k, const struct tb_flow *f)
{
	const uint8_t *p = k->payload;
	size_t n = k->paylen;
	if (k->proto == 6) {
		if (tb_p_tls_looks_like(p, n))
			return TB_APP_TLS;
		if (http_start(p, n))
			return TB_APP_HTTP;
		if (tb_p_mqtt_is_connect(p, n) || f->port == 1883)
			return TB_APP_MQTT;
		if (f->port == 21)
			return TB_APP_FTP;
		if (f->port == 23 || (n && p[0] == 0xff))
			return TB_APP_TELNET;
		if (f->port == 80 || f->port == 8080)
			return TB_APP_HTTP;
		return TB_APP_UNKNOWN;
	}
	if (k->proto != 17)
		return TB_APP_UNKNOWN;
	if (f->port == 53)
		return TB_APP_DNS;
	if (f->port == 123)
		return TB_APP_NTP;
	if (f->port == 161 || f->port == 162) {
		struct tb_snmp_msg m;
		return tb_p_snmp(p, n, &m) == TB_OK ? TB_APP_SNMP : TB_APP_UNKNOWN;
	}
	if (f->port == 5683 && n >= 4 && (p[0] >> 6) == 1)
		return TB_APP_COAP;
	return TB_APP_UNKNOWN;
}

static void on_tls(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k)
{
	struct tb_tls_hello h;
	if ((f->tls_client_frame && f->tls_server_frame) || !tb_p_tls_looks_like(k->payload, k->paylen))
		return;
	if (tb_p_tls_hello(k->payload, k->paylen, &h) != TB_OK)
		return;
	if (h.type == 1 && !f->tls_client_frame) {
		f->tls_client_frame = a->frames;
		f->tls_nversions = (uint8_t)(h.nversions < 8 ? h.nversions : 8);
		memcpy(f->tls_offered, h.versions, f->tls_nversions * sizeof *h.versions);
		snprintf(f->sni, sizeof f->sni, "%s", h.sni);
	} else if (h.type == 2 && !f->tls_server_frame && h.nversions) {
		f->tls_server_frame = a->frames;
		f->tls_chosen = h.versions[0];
	}
}

static void on_http(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k, int out)
{
	struct tb_http_req r;
	if (tb_p_http_request(k->payload, k->paylen, &r) == TB_E_FORMAT)
		return;
	if (r.has_basic) {
		secret(a, f, out, TB_SEC_HTTP_BASIC_USER, r.user, r.user_len, "Authorization");
		secret(a, f, out, TB_SEC_HTTP_BASIC_PASS, r.secret, r.secret_len, "Authorization");
	} else if (r.has_token) {
		secret(a, f, out, TB_SEC_HTTP_TOKEN, r.secret, r.secret_len, r.token_header);
	}
}

static void on_ftp(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k, int out)
{
	char verb[5];
	uint8_t arg[TB_CT_VALUE_MAX];
	size_t n;
	int client = (f->init == TB_INIT_DUT) == out;
	if (!client || tb_p_ftp_command(k->payload, k->paylen, verb, arg, sizeof arg, &n) != TB_OK)
		return;
	if (strcmp(verb, "USER") == 0)
		secret(a, f, out, TB_SEC_FTP_USER, arg, n, NULL);
	else if (strcmp(verb, "PASS") == 0)
		secret(a, f, out, TB_SEC_FTP_PASS, arg, n, NULL);
}

static void on_telnet(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k, int out)
{
	int from_server = (f->init == TB_INIT_DUT) != out;
	const uint8_t *p = k->payload;
	size_t n = k->paylen, used;
	while (n) {
		enum tb_tl_event ev = tb_p_telnet_login_feed(&f->tl, from_server, p, n, &used);
		if (ev != TB_TL_NONE)
			secret(a, f, out, ev == TB_TL_GOT_USER ? TB_SEC_TELNET_USER : TB_SEC_TELNET_PASS,
			       f->tl.line, f->tl.linelen, NULL);
		f->tl.linelen = ev != TB_TL_NONE ? 0 : f->tl.linelen;
		p += used;
		n -= used;
	}
}

static void on_mqtt(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k, int out)
{
	struct tb_mqtt_connect c;
	if (!k->paylen || k->payload[0] != 0x10 || tb_p_mqtt_connect(k->payload, k->paylen, &c) != TB_OK)
		return;
	if (c.has_user)
		secret(a, f, out, TB_SEC_MQTT_USER, c.user, c.user_len, NULL);
	if (c.has_pass)
		secret(a, f, out, TB_SEC_MQTT_PASS, c.pass, c.pass_len, NULL);
}

static void on_snmp(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k, int out)
{
	struct tb_snmp_msg m;
	if (tb_p_snmp(k->payload, k->paylen, &m) == TB_OK)
		secret(a, f, out, TB_SEC_SNMP_COMMUNITY, m.community, m.community_len, NULL);
}

/* snprintf("%s") without the formatting machinery: names are copied for
 * every DNS answer the device receives. */
static void copy_cstr(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void on_dns(struct tb_an *a, const struct tb_pkt *k, int out)
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

static void application(struct tb_an *a, struct tb_flow *f, const struct tb_pkt *k, int out)
{
	if (f->app == TB_APP_UNKNOWN)
		f->app = (uint8_t)classify(k, f);
	switch ((enum tb_app)f->app) {
	case TB_APP_TLS: on_tls(a, f, k); break;
	case TB_APP_HTTP: on_http(a, f, k, out); break;
	case TB_APP_FTP: on_ftp(a, f, k, out); break;
	case TB_APP_TELNET: on_telnet(a, f, k, out); break;
	case TB_APP_MQTT: on_mqtt(a, f, k, out); break;
	case TB_APP_SNMP: on_snmp(a, f, k, out); break;
	case TB_APP_DNS: on_dns(a, k, out); break;
	default: break;
	}
}

/* ---- per frame ------------------------------------------------------ */

static void window_count(struct tb_an *a, double ts, size_t bytes)
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

void tb_an_frame(struct tb_an *a, int dlt, double ts, const uint8_t *p, size_t caplen,
		 size_t wirelen)
{
	struct tb_pkt k;
	a->frames++;
	a->bytes += wirelen;
	if (a->frames == 1)
		a->first_ts = ts;
	a->last_ts = ts;
	if (a->nwindows == 0) {
		tb_an_add_window(a, "capture", ts, 0);
		a->auto_window = 1;
	}
	enum tb_err e = tb_p_pkt_decode(dlt, p, caplen, &k);
	if (e) {
		a->undecodable++;
		return;
	}
	if (!k.ipv4) {
		a->non_ipv4++;
		return;
	}
	int out = k.src == a->dut;
	if (!out && k.dst != a->dut) {
		a->other_frames++;
		return;
	}
	a->dut_frames++;
	if (k.fragment)
		a->fragments++;
	if (out)
		window_count(a, ts, k.iplen);
	struct tb_flow *f = flow_of(a, &k, out);
	if (!f) {
		a->flows_dropped_pkts++;
		return;
	}
	if (!f->first_frame) {
		f->first_frame = a->frames;
		f->first_ts = ts;
	}
	f->last_frame = a->frames;
	f->last_ts = ts;
	if (out) {
		f->pkts_out++;
		f->bytes_out += k.iplen;
		f->payload_out += k.paylen;
	} else {
		f->pkts_in++;
		f->bytes_in += k.iplen;
		f->payload_in += k.paylen;
	}
	if (k.transport && k.paylen)
		application(a, f, &k, out);
}

/* ---- files ---------------------------------------------------------- */

struct reader {
	struct tb_an *a;
	int dlt;
};

static void on_record(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct reader *r = (struct reader *)user;
	double ts = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
	tb_an_frame(r->a, r->dlt, ts, bytes, h->caplen, h->len);
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

/* Run the analyzers over an opened capture. */
static void analyze_capture(struct tb_an *a, pcap_t *p)
{
	struct reader r = { .a = a, .dlt = pcap_datalink(p) };
	a->link = r.dlt;
	/* A capture still being written, or one whose writer was killed, ends
	 * inside a record: what came before is good. */
	if (pcap_loop(p, -1, on_record, (u_char *)&r) == PCAP_ERROR)
		a->cut_short = 1;
}

/* The file is read once: a second thread reads it in chunks and hashes each
 * chunk while libpcap parses it here (hashread.h), so the SHA-256 costs no
 * second pass and covers exactly the bytes analyzed. */
enum tb_err tb_an_read_file_sha256(struct tb_an *a, const char *path, uint8_t sum[32],
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

enum tb_err tb_an_read_file(struct tb_an *a, const char *path, struct tb_diag *d)
{
	return tb_an_read_file_sha256(a, path, NULL, NULL, d);
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

enum tb_err tb_an_guess_dut(const char *path, uint32_t *dut, struct tb_diag *d)
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

const char *tb_an_peer_name(const struct tb_an *a, uint32_t addr)
{
	for (size_t i = 0; i < a->nnames; i++)
		if (a->names[i].addr == addr)
			return a->names[i].name;
	return NULL;
}

void tb_an_flow_label(const struct tb_an *a, const struct tb_flow *f, char *out, size_t cap)
{
	char ip[16];
	const char *name = tb_an_peer_name(a, f->peer);
	tb_ipv4_format(f->peer, ip);
	snprintf(out, cap, "%s:%u/%s%s%s%s", ip, (unsigned)f->port, f->proto == 6 ? "tcp" : f->proto == 17 ? "udp" : "ip",
		 name ? " (" : "", name ? name : "", name ? ")" : "");
}

enum tb_err tb_file_sha256(const char *path, uint8_t sum[32], uint64_t *bytes)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return TB_E_IO;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	static uint8_t buf[1 << 16];
	size_t n;
	unsigned int len = 32;
	*bytes = 0;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		EVP_DigestUpdate(md, buf, n);
		*bytes += n;
	}
	int bad = ferror(f);
	EVP_DigestFinal_ex(md, sum, &len);
	EVP_MD_CTX_free(md);
	fclose(f);
	return bad ? TB_E_IO : TB_OK;
}
