/* chk_robustness_soap.c: the robustness campaign's UPnP control requests.
 * A UPnP service (HTTP on the port of its device description) is
 * exercised through its SOAP control URL: the description is fetched from
 * the path an SSDP LOCATION named (the run's sweep found it), else from the
 * usual /rootDesc.xml, the first service's serviceType and controlURL are
 * read from it, and the valid request is a SOAP POST of a harmless query
 * action to that URL (proto/p_mutate.h tb_mut_soap mutates it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/chk_robustness_internal.h"
#include "check/ctx.h"
#include "check/surface.h"
#include "load/profile.h"
#include "net/httpc.h"
#include "proto/p_location.h"

#define DESC_PATH "/rootDesc.xml" /* the usual path (miniupnpd and most stacks) */
#define DESC_TIMEOUT_MS 3000

/* The text of the first <tag>...</tag> at or after from in xml[0..n),
 * when it is printable ASCII without spaces, quotes or markup (it goes into
 * the request's XML) and fits in out (cap > 1).
 * Returns the offset past the closing tag, 0 when there is none. */
static size_t element(const uint8_t *xml, size_t n, size_t from, const char *tag, char *out, size_t cap)
{
	char open[40], close[40];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	size_t ol = strlen(open), cl = strlen(close);
	for (size_t i = from; i + ol <= n; i++) {
		if (memcmp(xml + i, open, ol) != 0)
			continue;
		size_t s = i + ol, e = s;
		while (e + cl <= n && memcmp(xml + e, close, cl) != 0) {
			if (xml[e] <= 0x20 || xml[e] >= 0x7f || strchr("\"'<>&", xml[e]) ||
			    e - s >= cap - 1)
				return 0;
			e++;
		}
		if (e + cl > n || e == s)
			return 0;
		memcpy(out, xml + s, e - s);
		out[e - s] = '\0';
		return e + cl;
	}
	return 0;
}

int tb_rb_control_url(const uint8_t *xml, size_t n, char *path, size_t pcap, char *stype, size_t scap)
{
	size_t at = element(xml, n, 0, "serviceType", stype, scap);
	if (!at || !element(xml, n, at, "controlURL", path, pcap))
		return 0;
	/* An absolute URL names the device's own HTTP server: keep its path. */
	if (strncasecmp(path, "http://", 7) == 0) {
		const char *p = strchr(path + 7, '/');
		if (!p)
			return 0;
		memmove(path, p, strlen(p) + 1);
	}
	return path[0] == '/';
}

size_t tb_rb_soap_request(const char *host, uint16_t port, const char *path, const char *stype,
			  uint8_t *out, size_t cap)
{
	char body[768];
	/* GetSystemUpdateID of ContentDirectory, any other service's action
	 * of the same name: a query that changes nothing on any device (an
	 * unknown action gets a SOAP fault, an answer all the same). */
	int bl = snprintf(body, sizeof body,
			  "<?xml version=\"1.0\"?><s:Envelope "
			  "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			  "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
			  "<u:GetSystemUpdateID xmlns:u=\"%s\"></u:GetSystemUpdateID></s:Body>"
			  "</s:Envelope>",
			  stype);
	if (bl < 0 || (size_t)bl >= sizeof body)
		return 0;
	int n = snprintf((char *)out, cap,
			 "POST %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: trustbench-robustness\r\n"
			 "Content-Type: text/xml; charset=\"utf-8\"\r\n"
			 "SOAPAction: \"%s#GetSystemUpdateID\"\r\nConnection: close\r\n"
			 "Content-Length: %d\r\n\r\n%s",
			 path, host, port, stype, bl, body);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* The description's path on port: an SSDP LOCATION the sweep recorded for
 * the device's address and this port, else the usual one. */
static void description_path(const struct tb_ctx *ctx, uint16_t port, char *path, size_t cap,
			     int *from_ssdp)
{
	const struct tb_surface *sf = ctx->surface;
	*from_ssdp = 0;
	snprintf(path, cap, "%s", DESC_PATH);
	for (size_t i = 0; sf && i < sf->n; i++)
		for (size_t j = 0; j < sf->v[i].nitems; j++) {
			const struct tb_surface_item *it = &sf->v[i].items[j];
			uint32_t a = ctx->profile->address;
			uint16_t p = 0;
			char lp[TB_LOCATION_MAX + 1];
			struct tb_diag d = { 0 };
			if (strcasecmp(it->key, "LOCATION") != 0 ||
			    tb_p_location((const uint8_t *)it->value, strlen(it->value), &a, &p, lp,
					  sizeof lp, &d) != TB_OK ||
			    a != ctx->profile->address || p != port || strlen(lp) >= cap)
				continue;
			snprintf(path, cap, "%s", lp);
			*from_ssdp = 1;
			return;
		}
}

int tb_rb_soap_target(struct tb_ctx *ctx, uint16_t port, const char *host, uint8_t *req, size_t *len,
		      size_t cap, char *how, size_t hl)
{
	char dpath[TB_LOCATION_MAX + 1], cpath[256], stype[160];
	int from_ssdp;
	description_path(ctx, port, dpath, sizeof dpath, &from_ssdp);
	struct tb_http_req rq = { .addr = ctx->profile->address,
				  .port = port,
				  .path = dpath,
				  .timeout_ms = DESC_TIMEOUT_MS };
	struct tb_http_exchange hr;
	tb_http_get(&ctx->net, &rq, &hr);
	int ok = hr.err == TB_OK && hr.resp.status / 100 == 2 &&
		 tb_rb_control_url(hr.body, hr.bodylen, cpath, sizeof cpath, stype, sizeof stype);
	if (!ok)
		snprintf(how, hl, "no SOAP control URL in GET %s (%s, %s): exercised as plain HTTP",
			 dpath, from_ssdp ? "the SSDP LOCATION" : "the usual path",
			 hr.err                      ? hr.why
			 : hr.resp.status / 100 != 2 ? "not a 2xx answer"
						     : "no serviceType and controlURL");
	tb_http_exchange_free(&hr);
	if (!ok)
		return 0;
	*len = tb_rb_soap_request(host, port, cpath, stype, req, cap);
	if (!*len) {
		snprintf(how, hl, "control URL %s too long: exercised as plain HTTP", cpath);
		return 0;
	}
	snprintf(how, hl, "SOAP POSTs to %s (%s), from the description at %s (%s)", cpath, stype, dpath,
		 from_ssdp ? "the SSDP LOCATION" : "the usual path");
	return 1;
}
