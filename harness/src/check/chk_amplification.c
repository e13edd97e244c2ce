/* chk_amplification.c: outward security: can the device be aimed at a third
 * party as a UDP reflector?  (Our mapping: EN 303 645 has no provision that
 * says "do not amplify"; the suite files it under 5.6-1 and UK CoP 6.)
 *
 * The UDP sweep (chk_udp_exposure.c) finds the services that answer without
 * authentication; each gets the request a reflection attack would use where
 * the probe table has one (SSDP ssdp:all, SNMP GetBulk, CoAP
 * /.well-known/core, mDNS, NTP, DNS, memcached), and every reply datagram
 * from that port is collected for window-ms.  FAIL when the bytes returned
 * per byte sent exceed max-byte-ratio or the datagrams per request exceed
 * max-packets.  Every request and reply is kept as evidence (files with
 * their SHA-256); every datagram counts against the run's rate limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check/chk_udp_exposure_internal.h"
#include "check/family.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/udp.h"
#include "result/result.h"

/* Reply files kept per request; later replies are counted in the totals. */
#define REPLY_FILES_MAX 32

/* clang-format off */
static const struct tb_param_def params[] = {
	TB_UDP_SWEEP_PARAMS
	{ .name = "window-ms", .type = TB_P_INT, .min = 100, .max = 30000, .dflt = "1500",
	  .help = "how long every reply to one amplification request is collected" },
	{ .name = "max-byte-ratio", .type = TB_P_INT, .min = 1, .max = 1000, .dflt = "2",
	  .help = "most reply bytes allowed per request byte" },
	{ .name = "max-packets", .type = TB_P_INT, .min = 1, .max = 1000, .dflt = "2",
	  .help = "most reply datagrams allowed per request" },
};
/* clang-format on */

double tb_amp_ratio(size_t sent, size_t returned)
{
	return sent ? (double)returned / (double)sent : 0.0;
}

int tb_amp_over_limits(size_t sent, size_t returned, unsigned long packets, double max_ratio,
		       long max_packets)
{
	/* Integers, not the ratio: "more than 2x" must not depend on rounding. */
	return (double)returned > max_ratio * (double)sent || packets > (unsigned long)max_packets;
}

struct amp {
	struct tb_ctx *ctx;
	struct tb_result *res;
	struct tb_udp u;
	double max_ratio;
	long max_packets;
	int window_ms;
	char dst[16];
	uint8_t rx[TB_UDP_DGRAM_MAX];
	unsigned long measured, over;
	char bad[1024];
	FILE *tsv;
	char *tsvbuf;
	size_t tsvlen;
};

static void file_ev(struct amp *a, const char *name, const void *data, size_t len)
{
	if (tb_ev_file(a->ctx, a->res, name, data, len) != TB_OK)
		tb_ev_note(a->res, "evidence", "could not write %s", name);
}

static void append_bad(struct amp *a, uint16_t port, const char *name, double ratio,
		       unsigned long packets)
{
	size_t l = strlen(a->bad);
	if (l < sizeof a->bad)
		snprintf(a->bad + l, sizeof a->bad - l, "%sudp/%u %s %.1fx in %lu datagrams",
			 l ? ", " : "", port, name, ratio, packets);
}

/* Send one amplification request and collect every reply for the window. */
static void measure(struct amp *a, const struct tb_udp_open_port *o, enum tb_udp_proto p)
{
	const struct tb_udp_probe_info *info = tb_udp_probe_info(p);
	uint8_t req[1500];
	uint32_t txid = ((uint32_t)o->port << 16) | 0xa000u | (uint32_t)p;
	size_t n = tb_udp_probe_build(p, TB_UDP_AMPLIFY, txid, a->dst, req, sizeof req);
	if (n == 0)
		return;
	char name[128];
	struct tb_diag d = { .msg = "" };
	if (tb_udp_send(&a->u, o->port, req, n, &d) != TB_OK) {
		tb_ev_note(a->res, "amplification", "udp/%u %s: not sent: %s", o->port, info->name,
			   d.msg);
		return;
	}
	snprintf(name, sizeof name, "amp-%u-%s-request.bin", o->port, info->name);
	file_ev(a, name, req, n);
	unsigned long packets = 0, other_port = 0;
	size_t bytes = 0;
	struct tb_udp_event ev;
	int64_t deadline = tb_now_ms() + a->window_ms;
	while (tb_udp_next(&a->u, a->rx, sizeof a->rx, &ev, deadline) == TB_OK) {
		if (ev.kind != TB_UDP_EV_DATA)
			continue; /* an ICMP error about one of our requests */
		packets++;
		bytes += ev.total;
		if (packets <= REPLY_FILES_MAX) {
			snprintf(name, sizeof name, "amp-%u-%s-reply-%lu.bin", o->port, info->name,
				 packets);
			file_ev(a, name, a->rx, ev.len);
		}
		if (ev.port != o->port && other_port++ == 0)
			tb_ev_note(a->res, "amplification",
				   "udp/%u %s: reply %lu came from the device's port %u (every reply "
				   "from the device counts, whichever port it leaves from)",
				   o->port, info->name, packets, ev.port);
		if (packets == 1)
			tb_ev_exchange(a->res, name, req, n, a->rx, ev.len);
	}
	double ratio = tb_amp_ratio(n, bytes);
	int over = tb_amp_over_limits(n, bytes, packets, a->max_ratio, a->max_packets);
	a->measured++;
	if (over) {
		a->over++;
		append_bad(a, o->port, info->name, ratio, packets);
	}
	fprintf(a->tsv, "%u\t%s\t%s\t%zu\t%lu\t%zu\t%.2f\t%s\n", o->port, info->name, info->protocol, n,
		packets, bytes, ratio, over ? "over" : "within");
	tb_ev_note(a->res, "amplification",
		   "udp/%u %s: %zu bytes sent, %lu datagrams and %zu bytes back in %d ms: %.2fx%s%s",
		   o->port, info->name, n, packets, bytes, a->window_ms, ratio,
		   packets > REPLY_FILES_MAX ? " (the first replies are kept as files)" : "",
		   over ? ": ABOVE the limits" : "");
}

/* The amplification requests that fit the port's protocol. */
static int measure_port(struct amp *a, const struct tb_udp_open_port *o)
{
	int any = 0;
	for (unsigned p = 0; p < TB_UDP_NPROTO; p++) {
		const struct tb_udp_probe_info *info = tb_udp_probe_info((enum tb_udp_proto)p);
		if (info && info->has_amplify && strcmp(info->protocol, o->ident.protocol) == 0) {
			measure(a, o, (enum tb_udp_proto)p);
			any = 1;
		}
	}
	return any;
}

static void measure_all(struct amp *a, const struct tb_udp_sweep_result *r)
{
	for (size_t i = 0; i < r->nopen; i++) {
		const struct tb_udp_open_port *o = &r->open[i];
		if (o->ident.matched && o->ident.needs_auth) {
			tb_ev_note(a->res, "amplification",
				   "udp/%u %s: not measured, it refuses requests without credentials",
				   o->port, o->ident.protocol);
			continue;
		}
		if (!measure_port(a, o))
			tb_ev_note(a->res, "amplification",
				   "udp/%u %s: answers without credentials; no amplification request "
				   "is known for it (its identifying reply was %zu bytes)",
				   o->port, o->ident.protocol, o->reply_total);
	}
}

static void judge(struct amp *a, const struct tb_udp_sweep_result *r)
{
	struct tb_result *res = a->res;
	if (a->over) {
		tb_result_set(res, TB_V_FAIL,
			      "UDP services reachable without authentication amplify beyond %.0fx or "
			      "%ld datagrams per request: %s",
			      a->max_ratio, a->max_packets, a->bad);
	} else if (r->unprobed) {
		tb_result_set(res, TB_V_INCONCLUSIVE, "%lu of %ld UDP ports could not be probed (%s)",
			      r->unprobed, r->nports, r->error);
	} else if (r->nopen_ports == 0 && r->closed == 0) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "the device answered none of %ld UDP ports: nothing could be measured",
			      r->nports);
	} else {
		tb_result_set(
			res, TB_V_PASS,
			"%lu amplification requests to services reachable without authentication, "
			"none above %.0fx or %ld datagrams (%lu UDP ports gave no answer: UDP "
			"cannot prove that no other service is there)",
			a->measured, a->max_ratio, a->max_packets, r->noanswer);
	}
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct tb_udp_sweep_params sp;
	struct tb_udp_sweep_result own;
	struct tb_diag d = { .msg = "" };
	const char *by = NULL;
	tb_udp_sweep_params_from(&tc->params, "ports", &sp);
	/* Measure what an earlier case's sweep of the same ports found, or sweep. */
	const struct tb_udp_sweep_result *kept = tb_udp_sweep_kept(ctx, sp.ports, &by);
	if (kept) {
		tb_ev_note(res, "udp sweep",
			   "the services measured here are those the UDP sweep of test case %s found "
			   "on the same ports (%s) in this run; its evidence lists them",
			   by, sp.ports);
	} else {
		enum tb_err e = tb_udp_exposure_sweep(ctx, &sp, &own);
		if (e == TB_E_CONFIG || (e != TB_OK && own.sent == 0)) {
			tb_result_set(res, TB_V_ERROR, "UDP sweep not run: %s", own.error);
			tb_udp_sweep_result_free(&own);
			return;
		}
		tb_udp_exposure_evidence(ctx, res, &own);
	}
	const struct tb_udp_sweep_result *r = kept ? kept : &own;
	struct amp *a = tb_xcalloc(1, sizeof *a);
	a->ctx = ctx;
	a->res = res;
	a->max_ratio = (double)tb_param_int(&tc->params, "max-byte-ratio");
	a->max_packets = (long)tb_param_int(&tc->params, "max-packets");
	a->window_ms = (int)tb_param_int(&tc->params, "window-ms");
	tb_ipv4_format(ctx->profile->address, a->dst);
	a->tsv = open_memstream(&a->tsvbuf, &a->tsvlen);
	if (!a->tsv || tb_udp_open(&a->u, &ctx->net, ctx->profile->address, &d) != TB_OK) {
		tb_result_set(res, TB_V_ERROR, "cannot measure: %s",
			      a->tsv ? d.msg : "open_memstream failed");
	} else {
		/* A reflector's replies all hit the victim, whichever of the
		 * device's ports they leave from: count them all. */
		a->u.any_port = 1;
		fprintf(a->tsv,
			"port\tprobe\tprotocol\trequest-bytes\treply-datagrams\treply-bytes\t"
			"ratio\tlimits\n");
		measure_all(a, r);
		tb_udp_close(&a->u);
		if (a->u.foreign)
			tb_ev_note(res, "amplification",
				   "%lu datagrams or ICMP errors from other addresses were ignored",
				   a->u.foreign);
		fflush(a->tsv);
		file_ev(a, "amplification.tsv", a->tsvbuf, a->tsvlen);
		judge(a, r);
	}
	if (a->tsv)
		fclose(a->tsv);
	free(a->tsvbuf);
	free(a);
	if (!kept)
		tb_udp_sweep_keep(ctx, tc->id, sp.ports, &own);
}

const struct tb_check_family tb_check_amplification = {
	.name = "amplification",
	.summary = "UDP services usable without authentication must not amplify (bytes, datagrams)",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
