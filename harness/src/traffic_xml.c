/* traffic_xml.c: the <traffic> evidence section (see analyze.h and
 * reports/schema/trustbench-report.xsd).  Every item names the frames that
 * support it, so an examiner can open the capture at that frame. */
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "proto/p_pkt.h"
#include "proto/p_tls.h"
#include "report.h"
#include "result.h"
#include "scope.h"
#include "suite.h"

#define X(s) ((const xmlChar *)(s))

static void sattr(xmlNodePtr n, const char *name, const char *v)
{
	char *safe = tb_text_escape((const uint8_t *)v, strlen(v));
	xmlNewProp(n, X(name), X(safe));
	free(safe);
}

static void uattr(xmlNodePtr n, const char *name, unsigned long long v)
{
	char b[32];
	snprintf(b, sizeof b, "%llu", v);
	xmlNewProp(n, X(name), X(b));
}

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
	sattr(c, "status", ci->status);
	if (ci->path)
		sattr(c, "path", ci->path);
	if (ci->have_sha) {
		char hex[65];
		tb_sha256_hex(ci->sha256, hex);
		xmlNewProp(c, X("sha256"), X(hex));
		uattr(c, "bytes", ci->bytes);
	}
	if (ci->interface)
		sattr(c, "interface", ci->interface);
	if (ci->filter)
		sattr(c, "filter", ci->filter);
	if (ci->have_stats) {
		uattr(c, "kernel-received", ci->received);
		uattr(c, "kernel-dropped", ci->dropped);
	}
	if (ci->privileges)
		sattr(c, "privileges", ci->privileges);
	if (ci->reason)
		sattr(c, "reason", ci->reason);
}

static void windows_dom(const struct tb_an *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nwindows; i++) {
		const struct tb_window *w = &a->windows[i];
		xmlNodePtr n = xmlNewChild(t, NULL, X("window"), NULL);
		sattr(n, "label", w->label);
		tattr(n, "start", w->start);
		double end = w->end > 0 ? w->end : a->last_ts;
		tattr(n, "end", end);
		if (w->first_frame)
			frames(n, w->first_frame, w->last_frame);
		size_t minutes = end > w->start ? (size_t)ceil((end - w->start) / 60.0) : 1;
		if (minutes > TB_AN_MAX_MINUTES)
			minutes = TB_AN_MAX_MINUTES;
		uint64_t total = w->later_bytes;
		for (size_t m = 0; m < minutes; m++) {
			xmlNodePtr mn = xmlNewChild(n, NULL, X("minute"), NULL);
			uattr(mn, "index", m);
			uattr(mn, "outbound-bytes", w->bytes[m]);
			uattr(mn, "outbound-packets", w->pkts[m]);
			total += w->bytes[m];
		}
		uattr(n, "outbound-bytes", total);
		if (w->later_pkts)
			uattr(n, "later-outbound-bytes", w->later_bytes);
	}
}

static void flow_dom(const struct tb_an *a, const struct tb_flow *f, xmlNodePtr t)
{
	xmlNodePtr n = xmlNewChild(t, NULL, X("flow"), NULL);
	xmlNewProp(n, X("transport"), X(f->proto == 6 ? "tcp" : f->proto == 17 ? "udp" : "other"));
	ipattr(n, "peer", f->peer);
	const char *name = tb_an_peer_name(a, f->peer);
	if (name)
		sattr(n, "peer-name", name);
	uattr(n, "port", f->port);
	xmlNewProp(n, X("initiator"), X(tb_initiator_name((enum tb_initiator)f->init)));
	xmlNewProp(n, X("protocol"), X(tb_app_name((enum tb_app)f->app)));
	xmlNewProp(n, X("cleartext"), X(tb_app_cleartext((enum tb_app)f->app) ? "true" : "false"));
	uattr(n, "packets-out", f->pkts_out);
	uattr(n, "bytes-out", f->bytes_out);
	uattr(n, "packets-in", f->pkts_in);
	uattr(n, "bytes-in", f->bytes_in);
	frames(n, f->first_frame, f->last_frame);
	tattr(n, "first", f->first_ts);
	tattr(n, "last", f->last_ts);
}

static void cleartext_dom(const struct tb_an *a, xmlNodePtr t)
{
	for (int app = 0; app < TB_APP_COUNT; app++) {
		if (!tb_app_cleartext((enum tb_app)app))
			continue;
		xmlNodePtr n = NULL;
		for (size_t i = 0; i < a->nflows; i++) {
			const struct tb_flow *f = &a->flows[i];
			if (f->app != app)
				continue;
			if (!n) {
				n = xmlNewChild(t, NULL, X("cleartext"), NULL);
				xmlNewProp(n, X("protocol"), X(tb_app_name((enum tb_app)app)));
			}
			char label[128];
			tb_an_flow_label(a, f, label, sizeof label);
			xmlNodePtr s = xmlNewChild(n, NULL, X("seen-in"), NULL);
			sattr(s, "flow", label);
			xmlNewProp(s, X("initiator"), X(tb_initiator_name((enum tb_initiator)f->init)));
			frames(s, f->first_frame, f->last_frame);
		}
	}
}

static void secrets_dom(const struct tb_an *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nsecrets; i++) {
		const struct tb_secret *s = &a->secrets[i];
		const struct tb_flow *f = &a->flows[s->flow];
		char label[128];
		tb_an_flow_label(a, f, label, sizeof label);
		xmlNodePtr n = xmlNewChild(t, NULL, X("secret"), NULL);
		xmlNewProp(n, X("kind"), X(tb_secret_kind_name(s->kind)));
		xmlNewProp(n, X("sender"), X(s->from_dut ? "dut" : "peer"));
		sattr(n, "flow", label);
		xmlNewProp(n, X("protocol"), X(tb_app_name((enum tb_app)f->app)));
		sattr(n, "masked", s->masked);
		uattr(n, "length", s->length);
		uattr(n, "times", s->count);
		if (s->where[0])
			sattr(n, "where", s->where);
		frames(n, s->first_frame, s->last_frame);
	}
}

static void tls_dom(const struct tb_an *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nflows; i++) {
		const struct tb_flow *f = &a->flows[i];
		if (f->app != TB_APP_TLS)
			continue;
		char label[128], offered[80] = "", v[8];
		tb_an_flow_label(a, f, label, sizeof label);
		xmlNodePtr n = xmlNewChild(t, NULL, X("tls"), NULL);
		sattr(n, "flow", label);
		xmlNewProp(n, X("initiator"), X(tb_initiator_name((enum tb_initiator)f->init)));
		for (size_t j = 0; j < f->tls_nversions; j++) {
			tb_p_tls_version_name(f->tls_offered[j], v);
			size_t used = strlen(offered);
			snprintf(offered + used, sizeof offered - used, "%s%s", j ? " " : "", v);
		}
		if (f->tls_client_frame) {
			sattr(n, "offered", offered);
			uattr(n, "client-hello-frame", f->tls_client_frame);
		}
		if (f->sni[0])
			sattr(n, "sni", f->sni);
		if (f->tls_server_frame) {
			tb_p_tls_version_name(f->tls_chosen, v);
			sattr(n, "chosen", v);
			uattr(n, "server-hello-frame", f->tls_server_frame);
		}
	}
}

static void names_dom(const struct tb_an *a, xmlNodePtr t)
{
	for (size_t i = 0; i < a->nnames; i++) {
		xmlNodePtr n = xmlNewChild(t, NULL, X("name"), NULL);
		sattr(n, "name", a->names[i].name);
		ipattr(n, "address", a->names[i].addr);
		uattr(n, "frames", a->names[i].frame);
	}
}

static void traffic_fill(const struct tb_capture_info *ci, const struct tb_an *a, xmlNodePtr t)
{
	capture_dom(ci, t);
	if (!a)
		return;
	xmlNodePtr s = xmlNewChild(t, NULL, X("analysis"), NULL);
	ipattr(s, "dut", a->dut);
	if (a->link >= 0)
		sattr(s, "link-type", tb_p_pkt_link_name(a->link));
	uattr(s, "frames", a->frames);
	uattr(s, "bytes", a->bytes);
	uattr(s, "dut-frames", a->dut_frames);
	uattr(s, "other-frames", a->other_frames);
	uattr(s, "non-ipv4-frames", a->non_ipv4);
	uattr(s, "undecodable-frames", a->undecodable);
	uattr(s, "fragments", a->fragments);
	uattr(s, "flows", a->nflows);
	uattr(s, "flows-overflow-packets", a->flows_dropped_pkts);
	uattr(s, "secrets-overflow", a->secrets_dropped);
	xmlNewProp(s, X("cut-short"), X(a->cut_short ? "true" : "false"));
	if (a->frames) {
		tattr(s, "first", a->first_ts);
		tattr(s, "last", a->last_ts);
	}
	windows_dom(a, s);
	for (size_t i = 0; i < a->nflows; i++)
		flow_dom(a, &a->flows[i], s);
	cleartext_dom(a, s);
	secrets_dom(a, s);
	tls_dom(a, s);
	names_dom(a, s);
}

void tb_traffic_to_dom(const struct tb_capture_info *ci, const struct tb_an *a, void *parent)
{
	traffic_fill(ci, a, xmlNewChild((xmlNodePtr)parent, NULL, X("traffic"), NULL));
}

enum tb_err tb_traffic_write(const struct tb_capture_info *ci, const struct tb_an *a,
			     const char *path, struct tb_diag *d)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr t = xmlNewNode(NULL, X("traffic"));
	xmlDocSetRootElement(doc, t);
	xmlSetNs(t, xmlNewNs(t, X(TB_REPORT_NS), NULL));
	xmlNewProp(t, X("schema-version"), X("1"));
	traffic_fill(ci, a, t);
	xmlChar *mem = NULL;
	int len = 0;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!mem || len <= 0) {
		xmlFree(mem);
		return tb_diag_set(d, TB_E_INTERNAL, "could not serialise the traffic evidence");
	}
	enum tb_err e = tb_write_atomic(path, mem, (size_t)len, d);
	xmlFree(mem);
	return e;
}
