/* chk_tcp_exposure.c: sweep the device's TCP ports and compare what is open
 * with the declared services (EN 303 645 5.6-1, UK CoP 6).
 *
 * Non-blocking connects, at most `concurrency` in flight, each taking a
 * token from the run's global rate limit (tb_net).  An open port is read
 * passively for a banner until banner-timeout-ms.  A port that answers
 * neither SYN-ACK nor RST before the connect timeout counts as "no answer".
 * Verdict: FAIL for an undeclared open port or for telnet anywhere; PASS
 * only when at least one port answered and every port was probed;
 * INCONCLUSIVE otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "check/family.h"
#include "check/chk_tcp_exposure_internal.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/net.h"
#include "result/result.h"

#define BANNER_MAX 512
#define MAX_CONCURRENCY 4096

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
};

/* Parse a port list into a 65536-bit map; returns the number of ports, or
 * -1 with the reason in d's message. */
TB_UNITTEST long parse_ports(const char *spec, uint8_t map[8192], struct tb_diag *d)
{
	long count = 0;
	memset(map, 0, 8192);
	const char *p = spec;
	while (*p) {
		char *end;
		errno = 0;
		long lo = strtol(p, &end, 10), hi;
		if (end == p || errno || lo < 1 || lo > 65535)
			goto bad;
		hi = lo;
		p = end;
		if (*p == '-') {
			const char *q = p + 1;
			hi = strtol(q, &end, 10);
			if (end == q || errno || hi < lo || hi > 65535)
				goto bad;
			p = end;
		}
		for (long port = lo; port <= hi; port++)
			if (!(map[port >> 3] & (1u << (port & 7)))) {
				map[port >> 3] |= (uint8_t)(1u << (port & 7));
				count++;
			}
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			goto bad;
	}
	if (count == 0)
		goto bad;
	return count;
bad:
	tb_diag_set(d, TB_E_CONFIG, "bad port list '%s' (use e.g. 1-65535 or 22,80,8000-8100)", spec);
	return -1;
}

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
};

struct sweep {
	struct tb_ctx *ctx;
	int ep;
	struct slot *slots;
	size_t nslots, inflight;
	struct slot **free; /* stack of free slots */
	size_t nfree;
	const uint8_t *map;
	long next; /* next port to consider */
	int banner_ms;
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
	if (p >= 0)
		s->next++;
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

static void record_open(struct sweep *s, struct slot *sl)
{
	if (s->nopen % 64 == 0)
		s->open = tb_xrealloc(s->open, s->nopen + 64, sizeof *s->open);
	struct open_port *o = &s->open[s->nopen++];
	o->port = sl->port;
	o->blen = sl->blen;
	o->banner = tb_xmalloc(sl->blen + 1);
	memcpy(o->banner, sl->banner, sl->blen);
}

static struct slot *free_slot(struct sweep *s)
{
	return s->nfree ? s->free[--s->nfree] : NULL;
}

/* Start connects while there is room, a port left and a rate token. */
static void start_connects(struct sweep *s)
{
	struct tb_net *net = &s->ctx->net;
	while (s->inflight < s->nslots && peek_port(s) >= 0 && tb_net_rate_wait_us(net) == 0) {
		int port = next_port(s);
		if (port < 0)
			return;
		int fd;
		struct tb_diag d;
		enum tb_err e =
			tb_net_connect_start(net, s->ctx->profile->address, (uint16_t)port, &fd, &d);
		s->probed++;
		if (e == TB_E_REFUSED) {
			s->closed++;
			continue;
		}
		if (e) {
			s->unprobed++;
			snprintf(s->local_error, sizeof s->local_error, "port %d: %s", port, d.msg);
			continue;
		}
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
		if (sl->state == SLOT_CONNECTING)
			s->noanswer++;
		else
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

static void run_sweep(struct sweep *s)
{
	struct epoll_event evs[256];
	for (;;) {
		start_connects(s);
		if (s->inflight == 0 && peek_port(s) < 0)
			return;
		int n = epoll_wait(s->ep, evs, 256, wait_ms(s, tb_now_ms()));
		for (int i = 0; i < n; i++) {
			struct slot *sl = evs[i].data.ptr;
			if (sl->state == SLOT_CONNECTING)
				on_connect_ready(s, sl);
			else if (sl->state == SLOT_READING)
				on_readable(s, sl);
		}
		expire_slots(s, tb_now_ms());
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
	return o->port == 23 || (o->blen > 0 && o->banner[0] == 0xff);
}

/* Evidence: one exchange per open port, a file listing them, a summary. */
static void record_evidence(struct sweep *s, struct tb_result *res, long nports, int64_t ms, char *bad,
			    size_t badlen)
{
	const struct tb_profile *p = s->ctx->profile;
	size_t cap = 64 + s->nopen * 64, used = 0;
	char *list = tb_xmalloc(cap);
	list[0] = '\0';
	bad[0] = '\0';
	for (size_t i = 0; i < s->nopen; i++) {
		const struct open_port *o = &s->open[i];
		const char *decl = declared_name(p, o->port);
		char label[128];
		snprintf(label, sizeof label, "tcp/%u open, %s%s%s%s", o->port,
			 decl ? "declared " : "UNDECLARED", decl ? decl : "",
			 is_telnet(o) ? ", telnet" : "", o->blen ? "" : ", no banner");
		tb_ev_exchange(res, label, NULL, 0, o->banner, o->blen);
		int w = snprintf(list + used, cap - used, "%u\t%s\t%s\n", o->port,
				 decl ? decl : "undeclared", is_telnet(o) ? "telnet" : "-");
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
	tb_ev_note(res, "sweep",
		   "%ld ports swept in %.2f s at most %.0f connections/s: %zu open, %lu closed, %lu no "
		   "answer, %lu not probed",
		   nports, (double)ms / 1000.0, s->ctx->net.rate, s->nopen, s->closed, s->noanswer,
		   s->unprobed);
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

static void judge(struct sweep *s, struct tb_result *res, long nports, const char *bad)
{
	if (bad[0]) {
		tb_result_set(res, TB_V_FAIL, "open TCP ports not allowed by the declarations: %s",
			      bad);
	} else if (s->unprobed) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%lu of %ld ports could not be probed (%s)",
			      s->unprobed, nports, s->local_error);
	} else if (s->nopen == 0 && s->closed == 0) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the device answered on none of %ld ports (down, unplugged or filtering "
			      "everything)",
			      nports);
	} else {
		tb_result_set(
			res, TB_V_PASS,
			"%zu open TCP ports, all declared and none telnet (%ld ports swept, %lu no "
			"answer)",
			s->nopen, nports, s->noanswer);
	}
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	uint8_t *map = tb_xmalloc(8192);
	char bad[1024];
	struct tb_diag d = { .msg = "" };
	long nports = parse_ports(tb_param_str(&tc->params, "ports"), map, &d);
	if (nports < 0) {
		tb_result_set(res, TB_V_ERROR, "%s", d.msg);
		free(map);
		return;
	}
	struct sweep s = { .ctx = ctx, .map = map, .next = 1 };
	s.nslots = (size_t)tb_param_int(&tc->params, "concurrency");
	s.banner_ms = (int)tb_param_int(&tc->params, "banner-timeout-ms");
	s.slots = tb_xcalloc(s.nslots, sizeof *s.slots);
	s.free = tb_xcalloc(s.nslots, sizeof *s.free);
	for (size_t i = 0; i < s.nslots; i++)
		s.free[s.nfree++] = &s.slots[s.nslots - 1 - i];
	s.ep = epoll_create1(EPOLL_CLOEXEC);
	if (s.ep < 0) {
		tb_result_set(res, TB_V_ERROR, "epoll_create1: %s", strerror(errno));
	} else {
		int64_t t0 = tb_now_ms();
		run_sweep(&s);
		record_evidence(&s, res, nports, tb_now_ms() - t0, bad, sizeof bad);
		judge(&s, res, nports, bad);
		close(s.ep);
	}
	for (size_t i = 0; i < s.nopen; i++)
		free(s.open[i].banner);
	free(s.open);
	free(s.slots);
	free(s.free);
	free(map);
}

const struct tb_check_family tb_check_tcp_exposure = {
	.name = "tcp-exposure",
	.summary = "sweeps TCP ports; undeclared open ports or telnet fail",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
