/* chk_exposure.c: sweep the device's TCP and UDP ports, say what each open
 * port speaks, and compare it with the declared services (EN 303 645
 * 5.6-1, UK CoP 6).
 *
 * TCP: two ways to sweep, both scoped and taking a token per probe from the
 * run's global rate limit (tb_net).  With the run's raw socket (opened
 * before privileges are dropped), a half-open SYN sweep (net/synscan.c)
 * finds the open ports, and a normal connect to each of them reads its
 * banner.  Without one, or with method "connect": non-blocking connects, at
 * most `concurrency` in flight, whose open ports are read for a banner
 * meanwhile.  The evidence says which method ran and why.  An open port is
 * read passively for a banner until banner-timeout-ms, then, when that
 * does not tell, asked with the probes of check/tcp_identify.c.  A port
 * that answers neither SYN-ACK nor RST before the connect timeout counts
 * as "no answer".
 * UDP (udp-ports, "none" to skip): the sweep of chk_udp_exposure.c, kept in
 * the run's surface for the amplification and disclosure cases, then the
 * same sweep of each IPv6 address (chosen as for TCP), judged against the
 * IPv4 one: a UDP service there only, undeclared, fails like on IPv4.
 * Verdict: FAIL for an undeclared open port on either transport, a UDP
 * service that speaks another protocol than declared, or telnet anywhere;
 * PASS only when every port was probed and the device answered on both;
 * INCONCLUSIVE otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/family.h"
#include "check/portlist.h"
#include "check/chk_exposure_internal.h"
#include "check/chk_udp_exposure_internal.h"
#include "check/surface.h"
#include "check/tcp_identify.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "net/net6.h"
#include "net/synscan.h"
#include "result/result.h"

#define BANNER_MAX 512
#define MAX_CONCURRENCY 4096
#define START_BATCH 256

static const struct tb_param_def params[] = {
	{ .name = "ports",
	  .type = TB_P_STR,
	  .help = "ports to sweep, e.g. \"1-65535\" or \"22,80,8000-8100\"",
	  .dflt = "1-65535" },
	{ .name = "concurrency",
	  .type = TB_P_INT,
	  .min = 1,
	  .max = MAX_CONCURRENCY,
	  .help = "connections in flight at once",
	  .dflt = "256" },
	{ .name = "banner-timeout-ms",
	  .type = TB_P_INT,
	  .min = 0,
	  .max = 30000,
	  .help = "how long to wait for an open port's banner",
	  .dflt = "1000" },
	{ .name = "method",
	  .type = TB_P_STR,
	  .help = "\"auto\": a raw SYN sweep when the run holds a raw socket, else connect(); "
		  "\"connect\": connect() only",
	  .dflt = "auto" },
	{ .name = "identify",
	  .type = TB_P_BOOL,
	  .help = "ask each open TCP port what it speaks when its banner does not tell "
		  "(HTTP, TLS, RTSP, MQTT, adb, CoAP over TCP probes)",
	  .dflt = "true" },
	{ .name = "identify-timeout-ms",
	  .type = TB_P_INT,
	  .min = 50,
	  .max = 30000,
	  .help = "deadline for each identification probe",
	  .dflt = "1000" },
	{ .name = "identify-max",
	  .type = TB_P_INT,
	  .min = 0,
	  .max = 65535,
	  .help = "open TCP ports identified at most (the rest are listed without)",
	  .dflt = "256" },
	{ .name = "udp-ports",
	  .type = TB_P_STR,
	  .help = "UDP ports to sweep as well, e.g. \"1-65535\"; \"none\": TCP only",
	  .dflt = "1-65535" },
	TB_UDP_SWEEP_TUNING
};

enum slot_state { SLOT_FREE, SLOT_CONNECTING, SLOT_READING };

struct slot {
	int fd;
	enum slot_state state;
	uint16_t port;
	int64_t deadline;
	uint8_t banner[BANNER_MAX];
	size_t blen;
};

struct open_port {
	uint16_t port;
	uint8_t *banner;
	size_t blen;
	const char *protocol; /* static (p_svcid.h); "unknown" when not identified */
	char product[128];
};

struct sweep {
	struct tb_ctx *ctx;
	const struct tb_addr *v6; /* sweep this IPv6 address (connect() only); NULL: the IPv4 one */
	int ep;
	int spare; /* a socket whose connect was refused, for the next port; -1: none */
	struct slot *slots;
	size_t nslots, inflight;
	struct slot **free; /* stack of free slots */
	size_t nfree;
	uint8_t *map;     /* ports still to connect to: a port's bit is cleared when taken */
	long next;        /* next port to consider */
	int banners_only; /* the SYN sweep found the ports: connects only read banners */
	uint8_t *found;   /* then: the ports it found open */
	int banner_ms;
	int64_t t0, settled_ms; /* start; when the last port's state became known */
	unsigned long probed, closed, noanswer, unprobed;
	struct open_port *open;
	size_t nopen;
	char local_error[600];
};

/* Advance to the next port in the map without taking it; -1 when done. */
static int peek_port(struct sweep *s)
{
	while (s->next <= 65535 && !(s->map[s->next >> 3] & (1u << (s->next & 7))))
		s->next++;
	return s->next <= 65535 ? (int)s->next : -1;
}

static int next_port(struct sweep *s)
{
	int p = peek_port(s);
	if (p >= 0) {
		s->map[p >> 3] &= (uint8_t) ~(1u << (p & 7));
		s->next++;
	}
	return p;
}

/* Closing the socket also removes it from the epoll set. */
static void release(struct sweep *s, struct slot *sl)
{
	if (sl->state == SLOT_READING)
		tb_net_abortive_close(sl->fd);
	else
		close(sl->fd);
	sl->fd = -1;
	sl->state = SLOT_FREE;
	s->free[s->nfree++] = sl;
	s->inflight--;
}

static void add_open(struct sweep *s, uint16_t port, const uint8_t *banner, size_t blen)
{
	if (s->nopen % 64 == 0)
		s->open = tb_xrealloc(s->open, s->nopen + 64, sizeof *s->open);
	struct open_port *o = &s->open[s->nopen++];
	o->port = port;
	o->blen = blen;
	o->protocol = "unknown";
	o->product[0] = '\0';
	o->banner = tb_xmalloc(blen + 1);
	if (blen)
		memcpy(o->banner, banner, blen);
}

static void record_open(struct sweep *s, struct slot *sl)
{
	add_open(s, sl->port, sl->banner, sl->blen);
}

/* A port's state is known (open, closed, no answer or unprobed): the sweep
 * proper ends with the last one, whatever banners are still awaited. */
static void settled(struct sweep *s)
{
	if (!s->banners_only)
		s->settled_ms = tb_now_ms();
}

static struct slot *free_slot(struct sweep *s)
{
	return s->nfree ? s->free[--s->nfree] : NULL;
}

/* On a near link the device's RST is often in before connect() returns:
 * then the port is closed (or unreachable) without a trip through epoll,
 * and the socket serves the next port: two system calls per closed port
 * instead of five.  0 when the connect is pending or already connected
 * (both go through epoll as usual). */
static int settled_at_once(struct sweep *s, int fd, uint16_t port)
{
	/* IPv6 connects are not reused: their state is read like any other. */
	int err = s->v6 ? tb_net_connect_result(fd)
			: tb_net_connect_poll(fd, s->ctx->profile->address, port);
	if (err == 0 || err == EALREADY || err == EINPROGRESS)
		return 0;
	settled(s);
	if (err == ECONNREFUSED && s->v6) {
		s->closed++;
		close(fd);
	} else if (err == ECONNREFUSED) {
		s->closed++;
		if (s->spare >= 0)
			close(s->spare);
		s->spare = fd; /* ready for the next port's connect */
	} else {
		s->noanswer++; /* unreachable: counted with ports that never answered */
		close(fd);
	}
	return 1;
}

/* Start connects while there is room, a port left and a rate token, at
 * most START_BATCH per call: closed ports settle at once and take no slot,
 * and the caller must get back to its epoll set (banners, deadlines). */
static void start_connects(struct sweep *s)
{
	struct tb_net *net = &s->ctx->net;
	for (int started = 0; started < START_BATCH && s->inflight < s->nslots && peek_port(s) >= 0 &&
			      tb_net_rate_wait_us(net) == 0;
	     started++) {
		int port = next_port(s);
		if (port < 0)
			return;
		int fd = s->spare;
		struct tb_diag d;
		s->spare = -1;
		enum tb_err e = s->v6 ? tb_net6_connect_start(net, s->v6, (uint16_t)port, &fd, &d)
				      : tb_net_connect_reuse(net, s->ctx->profile->address,
							     (uint16_t)port, &fd, &d);
		s->probed++;
		if (e)
			settled(s);
		if (e == TB_E_REFUSED) {
			s->closed++;
			continue;
		}
		if (e) {
			s->unprobed++;
			snprintf(s->local_error, sizeof s->local_error, "port %d: %s", port, d.msg);
			continue;
		}
		if (settled_at_once(s, fd, (uint16_t)port))
			continue;
		struct slot *sl = free_slot(s);
		sl->fd = fd;
		sl->port = (uint16_t)port;
		sl->state = SLOT_CONNECTING;
		sl->blen = 0;
		sl->deadline = tb_now_ms() + net->connect_timeout_ms;
		struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = sl };
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			close(fd);
			sl->state = SLOT_FREE;
			s->free[s->nfree++] = sl;
			s->unprobed++;
			continue;
		}
		s->inflight++;
	}
}

static void on_connect_ready(struct sweep *s, struct slot *sl)
{
	int err = tb_net_connect_result(sl->fd);
	settled(s);
	if (err == ECONNREFUSED) {
		s->closed++;
		release(s, sl);
		return;
	}
	if (err) {
		s->noanswer++; /* unreachable: counted with ports that never answered */
		release(s, sl);
		return;
	}
	if (s->banner_ms == 0) {
		record_open(s, sl);
		sl->state = SLOT_READING; /* connected: close with a reset */
		release(s, sl);
		return;
	}
	sl->state = SLOT_READING;
	sl->deadline = tb_now_ms() + s->banner_ms;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = sl };
	epoll_ctl(s->ep, EPOLL_CTL_MOD, sl->fd, &ev);
}

static void on_readable(struct sweep *s, struct slot *sl)
{
	ssize_t r = recv(sl->fd, sl->banner + sl->blen, BANNER_MAX - sl->blen, MSG_DONTWAIT);
	if (r > 0)
		sl->blen += (size_t)r;
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR) || sl->blen == BANNER_MAX) {
		record_open(s, sl);
		release(s, sl);
	}
}

static void expire_slots(struct sweep *s, int64_t now)
{
	for (size_t i = 0; i < s->nslots; i++) {
		struct slot *sl = &s->slots[i];
		if (sl->state == SLOT_FREE || now < sl->deadline)
			continue;
		if (sl->state == SLOT_CONNECTING) {
			s->noanswer++;
			settled(s);
		} else
			record_open(s, sl);
		release(s, sl);
	}
}

static int wait_ms(struct sweep *s, int64_t now)
{
	int64_t t = 50;
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].state != SLOT_FREE && s->slots[i].deadline - now < t)
			t = s->slots[i].deadline - now;
	if (peek_port(s) >= 0 && s->inflight < s->nslots) {
		int64_t r = (tb_net_rate_wait_us(&s->ctx->net) + 999) / 1000;
		if (r < t)
			t = r;
	}
	return t < 0 ? 0 : (int)t;
}

/* Handle what the epoll set reports within timeout_ms, then expire. */
static void handle_events(struct sweep *s, int timeout_ms)
{
	struct epoll_event evs[256];
	int n = epoll_wait(s->ep, evs, 256, timeout_ms);
	for (int i = 0; i < n; i++) {
		struct slot *sl = evs[i].data.ptr;
		if (sl->state == SLOT_CONNECTING)
			on_connect_ready(s, sl);
		else if (sl->state == SLOT_READING)
			on_readable(s, sl);
	}
	expire_slots(s, tb_now_ms());
}

static void run_sweep(struct sweep *s)
{
	for (;;) {
		start_connects(s);
		if (s->inflight == 0 && peek_port(s) < 0)
			return;
		handle_events(s, wait_ms(s, tb_now_ms()));
	}
}

static const char *declared_name(const struct tb_profile *p, long port)
{
	for (size_t i = 0; i < p->nservices; i++)
		if (p->services[i].port == port && strcmp(p->services[i].transport, "tcp") == 0)
			return p->services[i].protocol;
	return NULL;
}

static int is_telnet(const struct open_port *o)
{
	return o->port == 23 || (o->blen > 0 && o->banner[0] == 0xff) ||
	       strcmp(o->protocol, "telnet") == 0;
}

/* Does a declared protocol name what was identified?  Declarations name
 * what runs inside (https, mqtt over tls: true), identification what is on
 * the wire, so TLS matches any declared tls: true service. */
TB_UNITTEST int tcp_protocol_matches(const struct tb_service *sv, const char *seen)
{
	static const char *const same[][2] = { { "https", "tls" },
					       { "http", "upnp" },
					       { "upnp", "http" },
					       { "mqtts", "tls" },
					       { "coap", "coap-tcp" } };
	if (strcmp(seen, "unknown") == 0 || strcasecmp(sv->protocol, seen) == 0 ||
	    strcasecmp(sv->protocol, "other") == 0 || (sv->tls && strcmp(seen, "tls") == 0))
		return 1;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (strcasecmp(sv->protocol, same[i][0]) == 0 && strcmp(seen, same[i][1]) == 0)
			return 1;
	return 0;
}

static const struct tb_service *declared_tcp(const struct tb_profile *p, long port)
{
	for (size_t i = 0; i < p->nservices; i++)
		if (p->services[i].port == port && strcmp(p->services[i].transport, "tcp") == 0)
			return &p->services[i];
	return NULL;
}

/* What each open port speaks, recorded in the run's surface.  At most
 * identify-max ports are asked: a device that opens every port gets the
 * rest listed without an identity (and the evidence says so). */
static void identify_ports(struct sweep *s, const struct tb_case *tc, struct tb_result *res)
{
	struct tb_ctx *ctx = s->ctx;
	const struct tb_params *tp = &tc->params;
	int on = (int)tb_param_int(tp, "identify"), tmo = (int)tb_param_int(tp, "identify-timeout-ms");
	size_t max = (size_t)tb_param_int(tp, "identify-max"), done = 0;
	for (size_t i = 0; on && i < s->nopen && done < max && !tb_net_stop_requested(); i++, done++) {
		struct open_port *o = &s->open[i];
		struct tb_svcid *id = tb_xmalloc(sizeof *id);
		tb_tcp_identify(ctx, o->port, o->banner, o->blen, tmo, 3, id, res);
		o->protocol = id->protocol;
		snprintf(o->product, sizeof o->product, "%s", id->product);
		tb_tcp_identity_to_surface(ctx, o->port, id);
		const struct tb_service *sv = declared_tcp(ctx->profile, o->port);
		if (sv && id->identified && !tcp_protocol_matches(sv, id->protocol))
			tb_ev_note(
				res, "identity",
				"tcp/%u is declared %s but speaks %s: noted, not failed (a declaration "
				"names what runs inside, identification what is on the wire)",
				o->port, sv->protocol, id->protocol);
		free(id);
	}
	if (on && done < s->nopen)
		tb_ev_note(res, "identity",
			   "%zu of %zu open TCP ports were not identified (identify-max %zu%s)",
			   s->nopen - done, s->nopen, max,
			   tb_net_stop_requested() ? ", run stopped" : "");
	if (ctx->surface)
		snprintf(ctx->surface->tcp_case, sizeof ctx->surface->tcp_case, "%s", tc->id);
}

/* How the sweep went, for the evidence. */
struct sweep_report {
	char method[400];   /* which method ran, and why */
	int64_t sweep_ms;   /* until every port's state was known */
	int64_t total_ms;   /* banners included */
	unsigned long lost; /* open to a SYN, but the banner connect failed */
};

/* Evidence: one exchange per open port, a file listing them, a summary. */
static void record_evidence(struct sweep *s, struct tb_result *res, long nports,
			    const struct sweep_report *sr, char *bad, size_t badlen)
{
	const struct tb_profile *p = s->ctx->profile;
	size_t cap = 64 + s->nopen * 256, used = 0;
	char *list = tb_xmalloc(cap);
	list[0] = '\0';
	bad[0] = '\0';
	for (size_t i = 0; i < s->nopen; i++) {
		const struct open_port *o = &s->open[i];
		const char *decl = declared_name(p, o->port);
		char label[256];
		snprintf(label, sizeof label, "tcp/%u open, %s%s, speaks %s%s%s%s", o->port,
			 decl ? "declared " : "UNDECLARED", decl ? decl : "", o->protocol,
			 o->product[0] ? " (" : "", o->product, o->product[0] ? ")" : "");
		if (strlen(label) < sizeof label - 20)
			snprintf(label + strlen(label), sizeof label - strlen(label), "%s%s",
				 is_telnet(o) ? ", telnet" : "", o->blen ? "" : ", no banner");
		tb_ev_exchange(res, label, NULL, 0, o->banner, o->blen);
		int w = snprintf(list + used, cap - used, "%u\t%s\t%s\t%s\t%s\n", o->port,
				 decl ? decl : "undeclared", is_telnet(o) ? "telnet" : "-", o->protocol,
				 o->product[0] ? o->product : "-");
		if (w > 0 && (size_t)w < cap - used)
			used += (size_t)w;
		if (!decl || is_telnet(o)) {
			size_t bl = strlen(bad);
			snprintf(bad + bl, badlen - bl, "%s%u%s", bl ? ", " : "", o->port,
				 is_telnet(o) ? " (telnet)" : " (undeclared)");
		}
	}
	if (tb_ev_file(s->ctx, res, "open-ports.tsv", list, used) != TB_OK)
		tb_ev_note(res, "evidence", "could not write open-ports.tsv");
	free(list);
	tb_ev_note(res, "method", "%s", sr->method);
	tb_ev_note(res, "sweep",
		   "%ld ports swept in %.3f s at most %.0f probes/s: %zu open, %lu closed, %lu no "
		   "answer, %lu not probed",
		   nports, (double)sr->sweep_ms / 1000.0, s->ctx->net.rate, s->nopen, s->closed,
		   s->noanswer, s->unprobed);
	tb_ev_note(res, "timing",
		   "open ports known after %.3f s; done after %.3f s, banners included (waiting up "
		   "to %d ms each)",
		   (double)sr->sweep_ms / 1000.0, (double)sr->total_ms / 1000.0, s->banner_ms);
	if (sr->lost)
		tb_ev_note(res, "banner",
			   "%lu ports answered the SYN but refused or ignored the connect that reads "
			   "the banner: listed open without one",
			   sr->lost);
	for (size_t i = 0; i < p->nservices; i++) {
		const struct tb_service *sv = &p->services[i];
		int seen = 0;
		for (size_t j = 0; j < s->nopen; j++)
			seen |= s->open[j].port == sv->port;
		if (!seen && strcmp(sv->transport, "tcp") == 0)
			tb_ev_note(res, "declared", "declared tcp/%ld (%s) was not open", sv->port,
				   sv->protocol);
	}
}

/* What the IPv6 half found, for the verdict. */
struct v6_outcome {
	int failed;    /* the scope names IPv6 but the device's addresses are unknown */
	char why[300]; /* then: why */
	unsigned long unprobed;
};

/* The UDP half's outcome, for the verdict. */
struct udp_outcome {
	int ran;        /* a sweep ran (udp-ports not "none") */
	int error;      /* it could not run: why in text */
	char bad[1024]; /* undeclared or mismatched open ports (over IPv6 too) */
	char text[600]; /* why it could not run, or the ports it could not probe */
	long nports;
	unsigned long open, closed, noanswer, unprobed;
	unsigned long unprobed6; /* ports of the IPv6 sweeps that could not be probed */
	char text6[600];         /* why (the first such address) */
};

/* The UDP ports open over IPv6 only become endpoints of the run's surface
 * on that address (the disclosure case judges what they told); a port open
 * on both is the IPv4 endpoint already. */
static void udp6_to_surface(struct tb_ctx *ctx, const char *case_id,
			    const struct tb_udp_sweep_result *r6, const struct tb_udp_sweep_result *r4,
			    const char *addr)
{
	if (!ctx->surface || r6->nopen == 0)
		return;
	struct tb_udp_sweep_result only = { .nopen = 0 };
	only.open = tb_xcalloc(r6->nopen, sizeof *only.open);
	for (size_t i = 0; i < r6->nopen; i++)
		if (r4->state[r6->open[i].port] != TB_UDPS_OPEN)
			only.open[only.nopen++] = r6->open[i]; /* shallow: r6 owns the replies */
	tb_udp_sweep_to_surface(&only, addr, case_id, ctx->surface);
	free(only.open);
}

/* Sweep one IPv6 address (the n-th) like the IPv4 one (r4), record its
 * evidence in udp-ports6-<n>.tsv and the notes, and append to u->bad the
 * ports open there only that the declarations do not allow. */
static void udp_sweep6(struct tb_ctx *ctx, const char *case_id, const struct tb_udp_sweep_params *p4,
		       const struct tb_addr *a, size_t n, const struct tb_udp_sweep_result *r4,
		       struct tb_result *res, struct udp_outcome *u)
{
	struct tb_udp_sweep_params p = *p4;
	struct tb_udp_sweep_result r;
	char addr[TB_ADDR_TEXT], name[48];
	tb_addr_format(a, addr);
	p.target = a;
	enum tb_err e = tb_udp_exposure_sweep(ctx, &p, &r);
	if (e != TB_OK && r.sent == 0) {
		u->unprobed6 += (unsigned long)r.nports;
		if (!u->text6[0])
			snprintf(u->text6, sizeof u->text6, "at %s: %s", addr, r.error);
		tb_ev_note(res, "ipv6", "%s: UDP not swept: %s", addr, r.error);
		tb_udp_sweep_result_free(&r);
		return;
	}
	snprintf(name, sizeof name, "udp-ports6-%zu.tsv", n);
	tb_udp_exposure_evidence_as(ctx, res, &r, name);
	size_t only6 = tb_udp_exposure_only_there(ctx->profile, &r, r4, u->bad, sizeof u->bad);
	udp6_to_surface(ctx, case_id, &r, r4, addr);
	unsigned long open6 = 0;
	for (long port = 1; port <= 65535; port++)
		open6 += r.state[port] == TB_UDPS_OPEN && r4->state[port] != TB_UDPS_OPEN;
	tb_ev_note(res, "ipv6",
		   "%s: %lu open UDP ports (%lu open only over IPv6, %zu of them not allowed by the "
		   "declarations), %lu closed, %lu no answer, %lu not probed; port table in %s",
		   addr, r.nopen_ports, open6, only6, r.closed, r.noanswer, r.unprobed, name);
	if (r.unprobed) {
		u->unprobed6 += r.unprobed;
		if (!u->text6[0])
			snprintf(u->text6, sizeof u->text6, "at %s: %s", addr, r.error);
	}
	tb_udp_sweep_result_free(&r); /* not kept: amplification measures IPv4 */
}

/* The UDP sweep of each of the device's IPv6 addresses, picked as v6_half()
 * picks them: the global ones, a link-local one only when there is none.
 * v6_half() already said when the device's IPv6 side is unknown. */
static void udp_half6(struct tb_ctx *ctx, const char *case_id, const struct tb_udp_sweep_params *p4,
		      const struct tb_udp_sweep_result *r4, struct tb_result *res,
		      struct udp_outcome *u)
{
	const struct tb_net6_found *f = &ctx->dut6;
	if (!tb_scope_has_v6(&ctx->profile->scope) || f->n == 0)
		return;
	int global = 0;
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		global |= !tb_addr_is_link_local(&f->addr[i]);
	for (size_t i = 0; i < f->n && !tb_net_stop_requested(); i++)
		if (!global || !tb_addr_is_link_local(&f->addr[i]))
			udp_sweep6(ctx, case_id, p4, &f->addr[i], ++n, r4, res, u);
	if (n)
		tb_ev_note(res, "ipv6",
			   "amplification (its own case) measures the IPv4 UDP sweep only: the IPv6 "
			   "sweeps above are judged here and not kept for it");
}

/* Sweep the UDP ports too, with the evidence of chk_udp_exposure.c, and keep
 * the sweep in the run's surface for the cases that judge it later; then
 * sweep the device's IPv6 addresses the same way. */
static void udp_half(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res,
		     struct udp_outcome *u)
{
	const char *ports = tb_param_str(&tc->params, "udp-ports");
	if (!ports || strcmp(ports, "none") == 0) {
		tb_ev_note(res, "udp", "UDP not swept (udp-ports: none): this verdict covers TCP only");
		return;
	}
	struct tb_udp_sweep_params p;
	struct tb_udp_sweep_result r;
	tb_udp_sweep_params_from(&tc->params, "udp-ports", &p);
	p.target = NULL; /* the profile's IPv4 address */
	enum tb_err e = tb_udp_exposure_sweep(ctx, &p, &r);
	u->ran = 1;
	if (e == TB_E_CONFIG || (e != TB_OK && r.sent == 0)) {
		u->error = 1;
		snprintf(u->text, sizeof u->text, "%s", r.error);
		tb_udp_sweep_result_free(&r);
		return;
	}
	tb_udp_exposure_evidence(ctx, res, &r);
	tb_udp_exposure_undeclared(ctx->profile, &r, u->bad, sizeof u->bad);
	u->nports = r.nports;
	u->open = r.nopen_ports;
	u->closed = r.closed;
	u->noanswer = r.noanswer;
	u->unprobed = r.unprobed;
	snprintf(u->text, sizeof u->text, "%s", r.error);
	udp_half6(ctx, tc->id, &p, &r, res, u);
	tb_udp_sweep_keep(ctx, tc->id, p.ports, &r);
}

static void judge(struct sweep *s, struct tb_result *res, long nports, const char *bad,
		  const struct udp_outcome *u, const struct v6_outcome *v6)
{
	if (bad[0] || u->bad[0]) {
		tb_result_set(res, TB_V_FAIL, "open ports not allowed by the declarations: %s%s%s%s%s",
			      bad[0] ? "TCP " : "", bad, bad[0] && u->bad[0] ? "; " : "",
			      u->bad[0] ? "UDP " : "", u->bad);
	} else if (s->unprobed) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%lu of %ld TCP ports could not be probed (%s)",
			      s->unprobed, nports, s->local_error);
	} else if (s->nopen == 0 && s->closed == 0) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the device answered on none of %ld TCP ports (down, unplugged or "
			      "filtering everything)",
			      nports);
	} else if (v6->failed || v6->unprobed) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the lab scope names IPv6, but the device's IPv6 side could not be swept "
			      "(%s)",
			      v6->failed ? v6->why : "ports could not be probed");
	} else if (u->error) {
		tb_result_set(res, TB_V_ERROR,
			      "TCP ports as declared, but the UDP sweep could not run: %s", u->text);
	} else if (u->unprobed) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%lu of %ld UDP ports could not be probed (%s)",
			      u->unprobed, u->nports, u->text);
	} else if (u->unprobed6) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "%lu UDP ports could not be probed over IPv6 (%s)", u->unprobed6,
			      u->text6);
	} else if (u->ran && u->open == 0 && u->closed == 0) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "TCP ports as declared, but the device answered none of %ld UDP ports, "
			      "not even with ICMP: its UDP side could not be judged",
			      u->nports);
	} else if (u->ran) {
		tb_result_set(res, TB_V_PASS,
			      "%zu open TCP and %lu open UDP ports, all declared and none telnet (%ld "
			      "TCP ports swept, %lu no answer; %ld UDP ports swept, %lu closed, %lu no "
			      "answer: UDP cannot prove that a silent port hides no service)",
			      s->nopen, u->open, nports, s->noanswer, u->nports, u->closed,
			      u->noanswer);
	} else {
		tb_result_set(
			res, TB_V_PASS,
			"%zu open TCP ports, all declared and none telnet (%ld ports swept, %lu no "
			"answer; UDP not swept)",
			s->nopen, nports, s->noanswer);
	}
}

static int by_port(const void *a, const void *b)
{
	const struct open_port *x = a, *y = b;
	return (int)x->port - (int)y->port;
}

/* The SYN sweep found port open: read its banner at once, beside the sweep. */
static void on_syn_open(void *arg, uint16_t port)
{
	struct sweep *s = arg;
	s->map[port >> 3] |= (uint8_t)(1u << (port & 7));
	s->found[port >> 3] |= (uint8_t)(1u << (port & 7));
	if (port < s->next)
		s->next = port;
}

static void on_syn_tick(void *arg)
{
	struct sweep *s = arg;
	start_connects(s);
	handle_events(s, 0);
}

/* A port that answered the SYN but not the connect stays open, without a
 * banner; returns how many. */
static unsigned long keep_found(struct sweep *s)
{
	unsigned long lost = 0;
	for (long port = 1; port <= 65535; port++) {
		if (!(s->found[port >> 3] & (1u << (port & 7))))
			continue;
		int seen = 0;
		for (size_t i = 0; i < s->nopen && !seen; i++)
			seen = s->open[i].port == port;
		if (!seen) {
			add_open(s, (uint16_t)port, NULL, 0);
			lost++;
		}
	}
	return lost;
}

/* The raw SYN sweep of the ports in s->map, with a connect to each open
 * port for its banner as soon as it is found.  1 when it ran (the counts
 * are the SYN sweep's), 0 when it could not start (why says why). */
static int syn_sweep(struct sweep *s, struct sweep_report *sr, char *why, size_t whylen)
{
	uint8_t *ports = s->map;
	struct tb_synscan *ss = tb_xmalloc(sizeof *ss);
	struct tb_diag d = { .msg = "" };
	struct tb_synscan_hooks h = { on_syn_open, on_syn_tick, s, s->ep };
	s->map = tb_xcalloc(8192, 1); /* the open ports whose banner is still to read */
	s->found = tb_xcalloc(8192, 1);
	s->next = 65536;
	s->banners_only = 1;
	int ran = tb_synscan_run(ss, &s->ctx->net, s->ctx->profile->address, ports, &h, &d) == TB_OK;
	if (ran) {
		s->settled_ms = tb_now_ms();
		run_sweep(s); /* the banners still awaited */
		sr->lost = keep_found(s);
		s->probed = ss->sent - ss->resent;
		s->closed = ss->closed;
		s->noanswer = ss->noanswer;
		s->unprobed = ss->unprobed;
		if (ss->error[0])
			snprintf(s->local_error, sizeof s->local_error, "%s", ss->error);
		snprintf(why, whylen,
			 "raw SYN sweep (half-open, as nmap -sS: the kernel resets every SYN-ACK, "
			 "no connection is left open); %lu SYNs sent, %lu of them second tries; %lu "
			 "replies read, %lu ignored (not an answer to a SYN of ours); banners by "
			 "connect()",
			 ss->sent, ss->resent, ss->replies, ss->ignored);
	} else {
		snprintf(why, whylen, "%s", d.msg);
	}
	free(s->map);
	free(s->found);
	s->map = ports;
	s->found = NULL;
	s->next = 1;
	s->banners_only = 0;
	free(ss);
	return ran;
}

/* Sweep with the method the case asks for and the run allows. */
static void sweep_ports(struct sweep *s, const char *method, struct sweep_report *sr)
{
	char why[300];
	s->t0 = s->settled_ms = tb_now_ms();
	if (strcmp(method, "connect") == 0) {
		snprintf(sr->method, sizeof sr->method,
			 "connect() sweep (the case asks for method \"connect\")");
	} else if (syn_sweep(s, sr, why, sizeof why)) {
		snprintf(sr->method, sizeof sr->method, "%s", why);
		sr->sweep_ms = s->settled_ms - s->t0;
		sr->total_ms = tb_now_ms() - s->t0;
		return;
	} else {
		snprintf(sr->method, sizeof sr->method, "connect() sweep (no raw SYN sweep: %s)", why);
	}
	run_sweep(s);
	sr->sweep_ms = s->settled_ms - s->t0;
	sr->total_ms = tb_now_ms() - s->t0;
}

static int port_open_in(const struct sweep *s, uint16_t port)
{
	for (size_t i = 0; i < s->nopen; i++)
		if (s->open[i].port == port)
			return 1;
	return 0;
}

/* A sweep of the case's ports at its concurrency, of v6 (NULL: the
 * device's IPv4 address).  Returns the number of ports, -1 for a bad port
 * list (the reason in d); s->ep < 0 (errno set) when the epoll set could not
 * be made.  Release with sweep_close() in every case. */
static long sweep_open(struct sweep *s, struct tb_ctx *ctx, const struct tb_case *tc,
		       const struct tb_addr *v6, int banner_ms, struct tb_diag *d)
{
	*s = (struct sweep){ .ctx = ctx, .v6 = v6, .next = 1, .spare = -1, .banner_ms = banner_ms };
	s->map = tb_xmalloc(8192);
	long nports = tb_port_list_parse(tb_param_str(&tc->params, "ports"), s->map, d);
	s->nslots = (size_t)tb_param_int(&tc->params, "concurrency");
	s->slots = tb_xcalloc(s->nslots, sizeof *s->slots);
	s->free = tb_xcalloc(s->nslots, sizeof *s->free);
	for (size_t i = 0; i < s->nslots; i++)
		s->free[s->nfree++] = &s->slots[s->nslots - 1 - i];
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	return nports;
}

static void sweep_close(struct sweep *s)
{
	if (s->ep >= 0)
		close(s->ep);
	if (s->spare >= 0)
		close(s->spare);
	for (size_t i = 0; i < s->nopen; i++)
		free(s->open[i].banner);
	free(s->open);
	free(s->slots);
	free(s->free);
	free(s->map);
}

/* Judge and record the open ports of one IPv6 address; s4 is the IPv4 sweep. */
static void v6_ports(struct sweep *s6, const struct sweep *s4, const char *addr, char *bad,
		     size_t badlen, struct tb_result *res)
{
	struct tb_ctx *ctx = s6->ctx;
	unsigned long only6 = 0;
	for (size_t i = 0; i < s6->nopen; i++) {
		struct open_port *o = &s6->open[i];
		struct tb_svcid id;
		tb_svcid_tcp(o->port, o->banner, o->blen, TB_SVC_PASSIVE, NULL, 0, &id);
		o->protocol = id.protocol;
		int on4 = port_open_in(s4, o->port);
		only6 += !on4;
		const char *decl = declared_name(ctx->profile, o->port);
		char label[256];
		snprintf(label, sizeof label, "tcp/%u open over IPv6 at %s%s, %s%s%s", o->port, addr,
			 on4 ? "" : " ONLY", decl ? "declared " : "UNDECLARED", decl ? decl : "",
			 is_telnet(o) ? ", telnet" : "");
		tb_ev_exchange(res, label, NULL, 0, o->banner, o->blen);
		if (ctx->surface) {
			struct tb_endpoint *e = tb_surface_endpoint(ctx->surface, "tcp", addr, o->port);
			snprintf(e->protocol, sizeof e->protocol, "%s", id.protocol);
			snprintf(e->product, sizeof e->product, "%s", id.product);
			for (size_t k = 0; k < id.nitems; k++)
				tb_surface_item(e, id.items[k].key, id.items[k].value,
						"tcp banner over IPv6");
		}
		if (!on4 && (!decl || is_telnet(o))) {
			size_t bl = strlen(bad);
			snprintf(bad + bl, badlen - bl, "%s%u (%s, IPv6 only, at %s)", bl ? ", " : "",
				 o->port, is_telnet(o) ? "telnet" : "undeclared", addr);
		}
	}
	tb_ev_note(res, "ipv6",
		   "%s: %zu open TCP ports (%lu open only over IPv6), %lu closed, %lu no answer, %lu "
		   "not probed (connect() sweep)",
		   addr, s6->nopen, only6, s6->closed, s6->noanswer, s6->unprobed);
}

/* The IPv6 half: the device's IPv6 addresses (discovered on the lab link or
 * declared) are swept with connect() over the same ports.  A global address
 * stands for the host; a link-local one is swept only when there is no
 * global one. */
static void v6_half(struct tb_ctx *ctx, const struct tb_case *tc, const struct sweep *s4, char *bad,
		    size_t badlen, struct tb_result *res, struct v6_outcome *o)
{
	const struct tb_net6_found *f = &ctx->dut6;
	if (!tb_scope_has_v6(&ctx->profile->scope)) {
		tb_ev_note(res, "ipv6", "the lab scope names no IPv6 prefix: IPv6 not swept");
		return;
	}
	if (f->n == 0) {
		int ran = strncmp(f->how, "not run", 7) != 0 && strncmp(f->how, "failed", 6) != 0;
		tb_ev_note(res, "ipv6", "no IPv6 address of the device is known (%s)", f->how);
		if (!ran) {
			o->failed = 1;
			snprintf(o->why, sizeof o->why, "%s", f->how);
		}
		return;
	}
	int global = 0;
	for (size_t i = 0; i < f->n; i++)
		global |= !tb_addr_is_link_local(&f->addr[i]);
	for (size_t i = 0; i < f->n && !tb_net_stop_requested(); i++) {
		if (global && tb_addr_is_link_local(&f->addr[i]))
			continue;
		char addr[TB_ADDR_TEXT];
		tb_addr_format(&f->addr[i], addr);
		struct sweep s6;
		struct tb_diag d = { .msg = "" };
		long nports = sweep_open(&s6, ctx, tc, &f->addr[i], s4->banner_ms, &d);
		if (s6.ep < 0) {
			o->unprobed += (unsigned long)(nports > 0 ? nports : 0);
		} else {
			run_sweep(&s6);
			if (s6.nopen > 1)
				qsort(s6.open, s6.nopen, sizeof *s6.open, by_port);
			v6_ports(&s6, s4, addr, bad, badlen, res);
			o->unprobed += s6.unprobed;
		}
		sweep_close(&s6);
	}
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	char bad[1024];
	struct tb_diag d = { .msg = "" };
	struct sweep s;
	long nports =
		sweep_open(&s, ctx, tc, NULL, (int)tb_param_int(&tc->params, "banner-timeout-ms"), &d);
	const char *method = tb_param_str(&tc->params, "method");
	if (nports >= 0 && strcmp(method, "auto") != 0 && strcmp(method, "connect") != 0)
		nports = tb_diag_set(&d, TB_E_CONFIG, "bad method '%s' (auto or connect)", method);
	if (nports < 0) {
		tb_result_set(res, TB_V_ERROR, "%s", d.msg);
		sweep_close(&s);
		return;
	}
	struct sweep_report sr = { .method = "" };
	if (s.ep < 0) {
		tb_result_set(res, TB_V_ERROR, "epoll_create1: %s", strerror(errno));
	} else {
		struct udp_outcome u = { .ran = 0 };
		struct v6_outcome v6 = { .failed = 0 };
		sweep_ports(&s, method, &sr);
		if (s.nopen > 1)
			qsort(s.open, s.nopen, sizeof *s.open, by_port);
		identify_ports(&s, tc, res);
		record_evidence(&s, res, nports, &sr, bad, sizeof bad);
		v6_half(ctx, tc, &s, bad, sizeof bad, res, &v6);
		udp_half(ctx, tc, res, &u);
		judge(&s, res, nports, bad, &u, &v6);
	}
	sweep_close(&s);
}

const struct tb_check_family tb_check_exposure = {
	.name = "exposure",
	.summary =
		"sweeps TCP and UDP ports and identifies what each open one speaks; undeclared "
		"open ports or telnet fail",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
