/* traffic_xml.c: the <traffic> evidence section (see analyze.h and
 * reports/schema/trustbench-report.xsd).  Every item names the frames that
 * support it, so an examiner can open the capture at that frame. */
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sha256.h"
#include "capture/analyze.h"
#include "proto/p_pkt.h"
#include "proto/p_tls.h"
#include "report/report.h"
#include "result/result.h"
#include "net/scope.h"
#include "report/xmlout.h"

#define X(s) ((const xmlChar *)(s))

static void ipattr(xmlNodePtr n, const char *name, uint32_t a)
{
	char b[16];
	tb_ipv4_format(a, b);
	xmlNewProp(n, X(name), X(b));
}

/* RFC 3339 UTC with milliseconds. */
static void tattr(xmlNodePtr n, const char *name, double ts)
{
	if (!(ts >= 0 && ts < 253402300800.0))
		ts = 0;
	time_t s = (time_t)ts;
	struct tm tm;
	char b[40], d[32];
	gmtime_r(&s, &tm);
	strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(b, sizeof b, "%s.%03dZ", d, (int)((ts - (double)s) * 1000.0) % 1000);
	xmlNewProp(n, X(name), X(b));
}

static void frames(xmlNodePtr n, uint64_t first, uint64_t last)
{
	char b[48];
	if (first == last)
		snprintf(b, sizeof b, "%llu", (unsigned long long)first);
	else
		snprintf(b, sizeof b, "%llu-%llu", (unsigned long long)first, (unsigned long long)last);
	xmlNewProp(n, X("frames"), X(b));
}

static void capture_dom(const struct tb_capture_info *ci, xmlNodePtr t)
{
	xmlNodePtr c = xmlNewChild(t, NULL, X("capture"), NULL);
	tb_xml_attr(c, "status", ci->status);
	if (ci->path)
		tb_xml_attr(c, "path", ci->path);
	if (ci->have_sha) {
		char hex[65];
		tb_sha256_hex(ci->sha256, hex);
		xmlNewProp(c, X("sha256"), X(hex));
		tb_xml_attr_u(c, "bytes", ci->bytes);
	}
	if (ci->interface)
		tb_xml_attr(c, "interface", ci->interface);
	if (ci->filter)
		tb_xml_attr(c, "filter", ci->filter);
	if (ci->have_stats) {
		tb_xml_attr_u(c, "kernel-received", ci->received);
		tb_xml_attr_u(c, "kernel-dropped", ci->dropped);
	}
	if (ci->privileges)
		tb_xml_attr(c, "privileges", ci->privileges);
	if (ci->masked_secrets)
		tb_xml_attr_u(c, "masked-secrets", ci->masked_secrets);
	if (ci->reason)
		tb_xml_attr(c, "reason", ci->reason);
}

static void windows_dom(const struct tb_analysis *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nwindows; i++) {
		const struct tb_window *w = &a->windows[i];
		xmlNodePtr n = xmlNewChild(t, NULL, X("window"), NULL);
		tb_xml_attr(n, "label", w->label);
		tattr(n, "start", w->start);
		double end = w->end > 0 ? w->end : a->last_ts;
		if (end < w->start)
			end = w->start; /* a window never ends before it starts */
		tattr(n, "end", end);
		if (w->first_frame)
			frames(n, w->first_frame, w->last_frame);
		size_t minutes = end > w->start ? (size_t)ceil((end - w->start) / 60.0) : 1;
		if (minutes > TB_AN_MAX_MINUTES)
			minutes = TB_AN_MAX_MINUTES;
		uint64_t total = w->later_bytes;
		for (size_t m = 0; m < minutes; m++) {
			xmlNodePtr mn = xmlNewChild(n, NULL, X("minute"), NULL);
			tb_xml_attr_u(mn, "index", m);
			tb_xml_attr_u(mn, "outbound-bytes", w->bytes[m]);
			tb_xml_attr_u(mn, "outbound-packets", w->pkts[m]);
			total += w->bytes[m];
		}
		tb_xml_attr_u(n, "outbound-bytes", total);
		if (w->later_pkts)
			tb_xml_attr_u(n, "later-outbound-bytes", w->later_bytes);
	}
}

/* Who the connections were with: transport, peer (IPv4 or IPv6 text, and
 * its DNS name), the service port when there is one (port: NULL for
 * probes), initiator. */
static void endpoint_attrs(const struct tb_analysis *a, uint8_t proto, int v6, uint32_t peer,
			   const uint16_t *port, uint8_t init, xmlNodePtr n)
{
	char ip[TB_AN_ADDR_TEXT];
	xmlNewProp(n, X("transport"), X(proto == 6 ? "tcp" : proto == 17 ? "udp" : "other"));
	tb_analysis_peer_format(a, v6, peer, ip);
	xmlNewProp(n, X("peer"), X(ip));
	const char *name = tb_analysis_peer_name(a, v6, peer);
	if (name)
		tb_xml_attr(n, "peer-name", name);
	if (port)
		tb_xml_attr_u(n, "port", *port);
	xmlNewProp(n, X("initiator"), X(tb_initiator_name((enum tb_initiator)init)));
}

static void key_attrs(const struct tb_analysis *a, const struct tb_flow_key *k, xmlNodePtr n)
{
	endpoint_attrs(a, k->proto, k->v6, k->peer, &k->port, k->init, n);
}

static void flow_dom(const struct tb_analysis *a, const struct tb_flow *f, xmlNodePtr t)
{
	xmlNodePtr n = xmlNewChild(t, NULL, X("flow"), NULL);
	key_attrs(a, &f->k, n);
	if (f->inferred)
		tb_xml_attr_u(n, "initiator-inferred", f->inferred);
	xmlNewProp(n, X("protocol"), X(tb_app_name((enum tb_app)f->k.app)));
	xmlNewProp(n, X("cleartext"), X(tb_app_cleartext((enum tb_app)f->k.app) ? "true" : "false"));
	tb_xml_attr_u(n, "connections", f->connections);
	tb_xml_attr_u(n, "packets-out", f->pkts_out);
	tb_xml_attr_u(n, "bytes-out", f->bytes_out);
	tb_xml_attr_u(n, "packets-in", f->pkts_in);
	tb_xml_attr_u(n, "bytes-in", f->bytes_in);
	if (f->truncated)
		tb_xml_attr_u(n, "truncated-connections", f->truncated);
	frames(n, f->first_frame, f->last_frame);
	tattr(n, "first", f->first_ts);
	tattr(n, "last", f->last_ts);
}

static void probe_dom(const struct tb_analysis *a, const struct tb_probe *p, xmlNodePtr t)
{
	xmlNodePtr n = xmlNewChild(t, NULL, X("probes"), NULL);
	endpoint_attrs(a, p->proto, p->v6, p->peer, NULL, p->init, n);
	tb_xml_attr_u(n, "connections", p->connections);
	char ports[16];
	snprintf(ports, sizeof ports, "%u-%u", (unsigned)p->port_lo, (unsigned)p->port_hi);
	xmlNewProp(n, X("ports"), X(ports));
	frames(n, p->first_frame, p->last_frame);
}

static void cleartext_dom(const struct tb_analysis *a, xmlNodePtr t)
{
	for (int app = 0; app < TB_APP_COUNT; app++) {
		if (!tb_app_cleartext((enum tb_app)app))
			continue;
		xmlNodePtr n = NULL;
		for (size_t i = 0; i < a->nflows; i++) {
			const struct tb_flow *f = &a->flows[i];
			if (f->k.app != app)
				continue;
			if (!n) {
				n = xmlNewChild(t, NULL, X("cleartext"), NULL);
				xmlNewProp(n, X("protocol"), X(tb_app_name((enum tb_app)app)));
			}
			char label[128];
			tb_analysis_flow_label(a, &f->k, label, sizeof label);
			xmlNodePtr s = xmlNewChild(n, NULL, X("seen-in"), NULL);
			tb_xml_attr(s, "flow", label);
			xmlNewProp(s, X("initiator"),
				   X(tb_initiator_name((enum tb_initiator)f->k.init)));
			tb_xml_attr_u(s, "connections", f->connections);
			frames(s, f->first_frame, f->last_frame);
		}
	}
}

static void secrets_dom(const struct tb_analysis *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nsecrets; i++) {
		const struct tb_secret *s = &a->secrets[i];
		char label[128];
		tb_analysis_flow_label(a, &s->k, label, sizeof label);
		xmlNodePtr n = xmlNewChild(t, NULL, X("secret"), NULL);
		xmlNewProp(n, X("kind"), X(tb_secret_kind_name(s->kind)));
		xmlNewProp(n, X("sender"), X(s->from_dut ? "dut" : "peer"));
		tb_xml_attr(n, "flow", label);
		xmlNewProp(n, X("protocol"), X(tb_app_name((enum tb_app)s->k.app)));
		tb_xml_attr(n, "masked", s->masked);
		tb_xml_attr_u(n, "length", s->length);
		tb_xml_attr_u(n, "times", s->count);
		if (s->where[0])
			tb_xml_attr(n, "where", s->where);
		frames(n, s->first_frame, s->last_frame);
	}
}

static void tls_dom(const struct tb_analysis *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *f = &a->flows[i];
		if (f->k.app != TB_APP_TLS)
			continue;
		char label[128], offered[80] = "", v[8];
		tb_analysis_flow_label(a, &f->k, label, sizeof label);
		xmlNodePtr n = xmlNewChild(t, NULL, X("tls"), NULL);
		tb_xml_attr(n, "flow", label);
		xmlNewProp(n, X("initiator"), X(tb_initiator_name((enum tb_initiator)f->k.init)));
		for (size_t j = 0; j < f->tls_nversions; j++) {
			tb_p_tls_version_name(f->tls_offered[j], v);
			size_t used = strlen(offered);
			snprintf(offered + used, sizeof offered - used, "%s%s", j ? " " : "", v);
		}
		if (f->tls_client_frame) {
			tb_xml_attr(n, "offered", offered);
			tb_xml_attr_u(n, "client-hello-frame", f->tls_client_frame);
		}
		if (f->sni[0])
			tb_xml_attr(n, "sni", f->sni);
		if (f->tls_lowest_frame) {
			/* the weakest version any server of this group chose */
			tb_p_tls_version_name(f->tls_lowest, v);
			tb_xml_attr(n, "chosen", v);
			tb_xml_attr_u(n, "server-hello-frame", f->tls_lowest_frame);
		}
		tb_xml_attr_u(n, "connections", f->connections);
		tb_xml_attr_u(n, "below-1.2", f->tls_weak);
		tb_xml_attr_u(n, "no-server-hello", f->tls_incomplete);
	}
}

static void names_dom(const struct tb_analysis *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nnames; i++) {
		xmlNodePtr n = xmlNewChild(t, NULL, X("name"), NULL);
		tb_xml_attr(n, "name", a->names[i].name);
		ipattr(n, "address", a->names[i].addr);
		tb_xml_attr_u(n, "frames", a->names[i].frame);
	}
}

/* What the analysis could not see or keep (analyze.h, struct tb_analysis_loss). */
static void loss_attrs(const struct tb_analysis *a, uint64_t kernel_dropped, xmlNodePtr s)
{
	const struct tb_analysis_loss *l = &a->loss;
	tb_xml_attr_u(s, "untracked-connections", l->untracked);
	tb_xml_attr_u(s, "evicted-open-connections", l->evicted_open);
	tb_xml_attr_u(s, "truncated-frames", l->truncated);
	tb_xml_attr_u(s, "telnet-untracked", l->telnet_untracked);
	tb_xml_attr_u(s, "secrets-overflow", l->secrets_dropped);
	tb_xml_attr_u(s, "probes-overflow", l->probes_dropped);
	if (l->peers6_dropped)
		tb_xml_attr_u(s, "ipv6-peers-overflow", l->peers6_dropped);
	xmlNewProp(s, X("cut-short"), X(l->cut_short ? "true" : "false"));
	if (l->corrupt_frame) {
		tb_xml_attr_u(s, "corrupt-at-frame", l->corrupt_frame);
		tb_xml_attr(s, "corrupt-reason", l->corrupt_reason);
	}
	char why[600];
	if (tb_analysis_loss_describe(a, kernel_dropped, why, sizeof why))
		tb_xml_attr(s, "information-lost", why);
}

static void traffic_fill(const struct tb_capture_info *ci, const struct tb_analysis *a, xmlNodePtr t)
{
	capture_dom(ci, t);
	if (!a)
		return;
	xmlNodePtr s = xmlNewChild(t, NULL, X("analysis"), NULL);
	char dut[16 + TB_AN_MAX_DUT6 * TB_AN_ADDR_TEXT];
	tb_analysis_dut_format(a, dut, sizeof dut);
	xmlNewProp(s, X("dut"), X(dut));
	if (a->link >= 0)
		tb_xml_attr(s, "link-type", tb_p_pkt_link_name(a->link));
	tb_xml_attr_u(s, "frames", a->frames);
	tb_xml_attr_u(s, "bytes", a->bytes);
	tb_xml_attr_u(s, "dut-frames", a->dut_frames);
	tb_xml_attr_u(s, "other-frames", a->other_frames);
	tb_xml_attr_u(s, "ipv6-frames", a->ipv6);
	tb_xml_attr_u(s, "non-ip-frames", a->non_ip);
	tb_xml_attr_u(s, "undecodable-frames", a->undecodable);
	tb_xml_attr_u(s, "fragments", a->fragments);
	tb_xml_attr_u(s, "connections", a->connections);
	tb_xml_attr_u(s, "flows", a->nflows);
	tb_xml_attr_u(s, "stray-segments", a->stray);
	tb_xml_attr_u(s, "invalid-timestamps", a->bad_timestamps);
	loss_attrs(a, ci->have_stats ? ci->dropped : 0, s);
	if (a->frames) {
		tattr(s, "first", a->first_ts);
		tattr(s, "last", a->last_ts);
	}
	windows_dom(a, s);
	for (size_t i = 0; i < a->nflows; i++)
		flow_dom(a, &a->flows[i], s);
	for (size_t i = 0; i < a->nprobes; i++)
		probe_dom(a, &a->probes[i], s);
	cleartext_dom(a, s);
	secrets_dom(a, s);
	tls_dom(a, s);
	names_dom(a, s);
}

void tb_traffic_to_dom(const struct tb_capture_info *ci, const struct tb_analysis *a, void *parent)
{
	traffic_fill(ci, a, xmlNewChild((xmlNodePtr)parent, NULL, X("traffic"), NULL));
}

enum tb_err tb_traffic_write(const struct tb_capture_info *ci, const struct tb_analysis *a,
			     const char *path, struct tb_diag *d)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr t = xmlNewNode(NULL, X("traffic"));
	xmlDocSetRootElement(doc, t);
	xmlSetNs(t, xmlNewNs(t, X(TB_REPORT_NS), NULL));
	xmlNewProp(t, X("schema-version"), X("1"));
	traffic_fill(ci, a, t);
	return tb_xml_save(doc, path, "traffic evidence", d);
}
