/* chk_disclosure.c: what the device discloses without authentication,
 * judged against the declarations (EN 303 645 5.6-2, UK CoP 6).
 *
 * The items come from the run's attack surface (check/surface.h): banners,
 * HTTP headers, SSDP headers, mDNS records, SNMP variables, CoAP resources,
 * recorded by the exposure sweeps earlier in the run.  This family adds
 * what only a second request shows: each HTTP service's error page for a
 * path that does not exist, and the UPnP device description an SSDP
 * LOCATION points at (followed only to the device's own address, through
 * the scoped HTTP client).  Each item is sorted into kinds (version, serial,
 * MAC, model, ...); a kind listed in `fail-on` that the service does not
 * declare in its `discloses` list fails.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/family.h"
#include "check/surface.h"
#include "load/profile.h"
#include "load/suite.h"
#include "net/httpc.h"
#include "net/scope.h"
#include "proto/p_disclose.h"
#include "proto/p_location.h"
#include "proto/p_upnp.h"
#include "result/result.h"

static const char *const kind_choices[] = { "version",   "serial",  "mac",      "model",
					    "hostname",  "contact", "location", "identifier",
					    "resources", NULL };

static const struct tb_param_def params[] = {
	{ .name = "fail-on",
	  .type = TB_P_STRLIST,
	  .choices = kind_choices,
	  .help = "kinds of information that fail when a service discloses them undeclared",
	  .dflt = "[version, serial, mac]" },
	{ .name = "timeout-ms",
	  .type = TB_P_INT,
	  .min = 100,
	  .max = 30000,
	  .help = "deadline for each extra request (error page, UPnP description)",
	  .dflt = "3000" },
};

/* ---- the two extra requests ------------------------------------------ */

static void record_http_headers(struct tb_endpoint *e, const struct tb_http_exchange *hr,
				const char *source)
{
	static const char *const names[] = { "server", "x-powered-by", "x-aspnet-version",
					     "x-generator", NULL };
	for (const char *const *h = names; *h; h++) {
		const uint8_t *val;
		size_t vlen;
		if (!tb_p_http_header(hr->raw, hr->resp.header_len, *h, &val, &vlen))
			continue;
		char v[TB_SURFACE_VAL];
		size_t k = vlen < sizeof v - 1 ? vlen : sizeof v - 1;
		for (size_t i = 0; i < k; i++)
			v[i] = (val[i] >= 0x20 && val[i] < 0x7f) ? (char)val[i] : '?';
		v[k] = '\0';
		tb_surface_item(e, *h, v, source);
	}
}

/* GET a path that cannot exist: error pages often name the server. */
static void error_page(struct tb_ctx *ctx, struct tb_endpoint *e, int tmo, struct tb_result *res)
{
	char path[64], src[TB_SURFACE_SRC];
	uint8_t rnd[4] = { 0 };
	(void)RAND_bytes(rnd, sizeof rnd); /* a fixed path would do; random shows no cache answered */
	snprintf(path, sizeof path, "/trustbench-%02x%02x%02x%02x-not-found", rnd[0], rnd[1], rnd[2],
		 rnd[3]);
	struct tb_http_req rq = { .addr = ctx->profile->address,
				  .port = e->port,
				  .path = path,
				  .timeout_ms = tmo };
	struct tb_http_exchange hr;
	tb_http_get(&ctx->net, &rq, &hr);
	char label[96];
	snprintf(label, sizeof label, "tcp/%u error page", e->port);
	tb_ev_exchange(res, label, hr.request, hr.reqlen, hr.raw, hr.rawlen);
	if (hr.err == TB_OK) {
		snprintf(src, sizeof src, "HTTP GET (not found page)");
		record_http_headers(e, &hr, src);
		char tok[8][64];
		size_t n = tb_version_tokens(hr.body, hr.bodylen, tok, 8);
		for (size_t i = 0; i < n; i++)
			tb_surface_item(e, "error-page", tok[i], src);
	} else {
		tb_ev_note(res, label, "no usable answer: %s", hr.why);
	}
	tb_http_exchange_free(&hr);
}

/* Follow an SSDP LOCATION to the device's own UPnP description. */
static void upnp_description(struct tb_ctx *ctx, struct tb_endpoint *e, const char *url, int tmo,
			     struct tb_result *res)
{
	char path[TB_LOCATION_MAX + 1], dut[16];
	uint32_t a = ctx->profile->address;
	uint16_t port = 80;
	struct tb_diag why = { 0 };
	tb_ipv4_format(ctx->profile->address, dut);
	if (tb_p_location((const uint8_t *)url, strlen(url), &a, &port, path, sizeof path, &why) !=
		    TB_OK ||
	    url[0] == '/' || a != ctx->profile->address) {
		tb_ev_note(res, "UPnP description",
			   "LOCATION '%s' is not an http:// URL on the device's address %s: not "
			   "followed (%s)",
			   url, dut, why.msg[0] ? why.msg : "another address");
		return;
	}
	struct tb_http_req rq = { .addr = a, .port = port, .path = path, .timeout_ms = tmo };
	struct tb_http_exchange hr;
	tb_http_get(&ctx->net, &rq, &hr);
	tb_ev_exchange(res, url, hr.request, hr.reqlen, hr.raw, hr.rawlen);
	if (hr.err != TB_OK || hr.resp.status / 100 != 2) {
		tb_ev_note(res, url, "no description: %s", hr.err ? hr.why : "not a 2xx answer");
		tb_http_exchange_free(&hr);
		return;
	}
	struct tb_upnp_item items[32];
	int more;
	size_t n = tb_p_upnp_desc_items(hr.body, hr.bodylen, items, 32, &more);
	char src[TB_SURFACE_SRC];
	snprintf(src, sizeof src, "UPnP description, tcp/%u", port);
	for (size_t i = 0; i < n; i++)
		tb_surface_item(e, items[i].key, items[i].value, src);
	if (more)
		tb_ev_note(res, url, "more than 32 identifying elements: the rest were not read");
	tb_http_exchange_free(&hr);
}

static void extra_requests(struct tb_ctx *ctx, int tmo, struct tb_result *res)
{
	struct tb_surface *s = ctx->surface;
	size_t n = s->n; /* the loop may add endpoints' items, never endpoints */
	for (size_t i = 0; i < n; i++) {
		struct tb_endpoint *e = &s->v[i];
		if (strcmp(e->transport, "tcp") == 0 && strcmp(e->protocol, "http") == 0)
			error_page(ctx, e, tmo, res);
		for (size_t j = 0; j < e->nitems; j++)
			if (strcasecmp(e->items[j].key, "LOCATION") == 0) {
				char url[TB_SURFACE_VAL];
				snprintf(url, sizeof url, "%s", e->items[j].value);
				upnp_description(ctx, e, url, tmo, res);
				break;
			}
	}
}

/* ---- judging ---------------------------------------------------------- */

static unsigned declared_kinds(const struct tb_profile *p, const struct tb_endpoint *e, int *declared)
{
	for (size_t i = 0; i < p->nservices; i++)
		if (p->services[i].port == e->port &&
		    strcmp(p->services[i].transport, e->transport) == 0) {
			*declared = 1;
			return p->services[i].discloses;
		}
	*declared = 0;
	return 0;
}

static unsigned fail_mask(const struct tb_params *pp)
{
	unsigned m = 0;
	const struct tb_param *f = tb_param_get(pp, "fail-on");
	for (size_t i = 0; f && i < f->n; i++)
		for (unsigned k = 0; k < TB_DISC_COUNT; k++)
			if (strcmp(f->sl[i], tb_disc_kind_name((enum tb_disc_kind)k)) == 0)
				m |= 1u << k;
	return m;
}

static void kinds_text(unsigned kinds, char *out, size_t cap)
{
	size_t used = 0;
	out[0] = '\0';
	for (unsigned k = 0; k < TB_DISC_COUNT; k++)
		if (kinds & (1u << k)) {
			int w = snprintf(out + used, cap - used, "%s%s", used ? "," : "",
					 tb_disc_kind_name((enum tb_disc_kind)k));
			if (w < 0 || (size_t)w >= cap - used)
				return;
			used += (size_t)w;
		}
	if (!used)
		snprintf(out, cap, "other");
}

struct tally {
	unsigned long items, findings;
	char first[300];
};

static void judge_endpoint(const struct tb_profile *p, const struct tb_endpoint *e, unsigned fail,
			   FILE *tsv, struct tally *t, struct tb_result *res)
{
	int declared;
	unsigned allowed = declared_kinds(p, e, &declared);
	for (size_t j = 0; j < e->nitems; j++) {
		const struct tb_surface_item *it = &e->items[j];
		unsigned kinds = tb_disc_kinds(it->key, it->value);
		unsigned bad = kinds & fail & ~allowed;
		char kt[128], bt[128];
		kinds_text(kinds, kt, sizeof kt);
		t->items++;
		if (tsv)
			fprintf(tsv, "%s\t%u\t%s\t%s\t%s\t%s\t%s\t%s\n", e->transport, e->port,
				e->protocol, it->key, it->value, it->source, kt,
				bad ? "UNDECLARED" : "ok");
		if (!bad)
			continue;
		kinds_text(bad, bt, sizeof bt);
		t->findings++;
		tb_ev_note(res, "undeclared disclosure", "%s/%u (%s%s): %s '%s' discloses %s (from %s)",
			   e->transport, e->port, e->protocol, declared ? "" : ", service not declared",
			   it->key, it->value, bt, it->source);
		if (!t->first[0])
			snprintf(t->first, sizeof t->first, "%s/%u %s '%s' (%s)", e->transport, e->port,
				 it->key, it->value, bt);
	}
	if (e->items_dropped)
		tb_ev_note(res, "items dropped", "%s/%u disclosed %zu more items than were kept",
			   e->transport, e->port, e->items_dropped);
}

static void run(struct tb_ctx *ctx, const struct tb_case *tc, struct tb_result *res)
{
	struct tb_surface *s = ctx->surface;
	if (!s || (!s->tcp_case[0] && !s->udp_case[0])) {
		tb_result_set(res, TB_V_INCONCLUSIVE,
			      "no exposure sweep ran earlier in this run, so nothing was collected to "
			      "judge (run the exposure case, 5.6-1-2, first)");
		return;
	}
	extra_requests(ctx, (int)tb_param_int(&tc->params, "timeout-ms"), res);
	unsigned fail = fail_mask(&tc->params);
	struct tally t = { 0 };
	char *buf = NULL;
	size_t blen = 0;
	FILE *tsv = open_memstream(&buf, &blen);
	if (tsv)
		fputs("transport\tport\tprotocol\tkey\tvalue\tsource\tkinds\tjudged\n", tsv);
	for (size_t i = 0; i < s->n; i++)
		judge_endpoint(ctx->profile, &s->v[i], fail, tsv, &t, res);
	if (tsv && fclose(tsv) == 0 && tb_ev_file(ctx, res, "disclosures.tsv", buf, blen) != TB_OK)
		tb_ev_note(res, "disclosures.tsv", "could not be written");
	free(buf);
	tb_ev_note(res, "sources",
		   "items from the sweeps of %s (tcp) and %s (udp), plus error pages and UPnP "
		   "descriptions fetched here",
		   s->tcp_case[0] ? s->tcp_case : "no case", s->udp_case[0] ? s->udp_case : "no case");
	if (t.findings)
		tb_result_set(res, TB_V_FAIL,
			      "%lu undeclared disclosure(s) without authentication, first %s",
			      t.findings, t.first);
	else if (!s->tcp_case[0] || !s->udp_case[0])
		tb_result_set(
			res, TB_V_INCONCLUSIVE,
			"nothing undeclared in %lu item(s), but the %s ports were not swept in this "
			"run",
			t.items, s->tcp_case[0] ? "UDP" : "TCP");
	else
		tb_result_set(res, TB_V_PASS,
			      "%lu item(s) disclosed without authentication, each within what its "
			      "service declares (only what banners, headers, error pages and discovery "
			      "protocols show)",
			      t.items);
}

const struct tb_check_family tb_check_disclosure = {
	.name = "disclosure",
	.summary =
		"what each open port discloses without authentication, judged against the "
		"declared services' `discloses` lists",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.run = run,
};
