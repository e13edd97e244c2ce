/* tcp_identify.c: what each open TCP port speaks (see tcp_identify.h). */
#include "check/tcp_identify.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "check/ctx.h"
#include "check/surface.h"
#include "load/profile.h"
#include "net/net.h"
#include "result/result.h"

#define REPLY_MAX 4096

/* Send one probe on a fresh connection and read what comes back until the
 * deadline, the peer closes, or REPLY_MAX.  Returns the bytes read; *why
 * says what went wrong when nothing could be sent. */
static size_t probe_once(struct tb_ctx *ctx, uint16_t port, const uint8_t *req, size_t reqlen,
			 int timeout_ms, uint8_t *reply, const char **why)
{
	int fd = -1;
	struct tb_diag d = { 0 };
	size_t got = 0;
	*why = NULL;
	if (tb_net_connect(&ctx->net, ctx->profile->address, port, &fd, &d) != TB_OK) {
		*why = "the port refused or ignored a new connection";
		return 0;
	}
	int64_t deadline = tb_now_ms() + timeout_ms;
	if (tb_net_send_all(fd, req, reqlen, deadline) != TB_OK) {
		*why = "the probe could not be sent";
		tb_net_abortive_close(fd);
		return 0;
	}
	while (got < REPLY_MAX) {
		size_t n = 0;
		if (tb_net_recv(fd, reply + got, REPLY_MAX - got, &n, deadline) != TB_OK || n == 0)
			break;
		got += n;
	}
	tb_net_abortive_close(fd);
	return got;
}

void tb_tcp_identify(struct tb_ctx *ctx, uint16_t port, const uint8_t *banner, size_t blen,
		     int timeout_ms, int max_probes, struct tb_svcid *out, struct tb_result *res)
{
	uint8_t reply[REPLY_MAX];
	uint8_t req[1024];
	char host[16], label[96];
	unsigned tried = TB_SVC_PROBE_BIT(TB_SVC_PASSIVE);
	tb_ipv4_format(ctx->profile->address, host);
	tb_svcid_tcp(port, banner, blen, TB_SVC_PASSIVE, NULL, 0, out);
	for (int n = 0; n < max_probes && !tb_net_stop_requested(); n++) {
		enum tb_svc_probe p = tb_svcid_next_probe(port, tried, out);
		if (p == TB_SVC_NONE)
			break;
		tried |= TB_SVC_PROBE_BIT(p);
		size_t reqlen = tb_svcid_probe_build(p, host, req, sizeof req);
		if (reqlen == 0)
			continue;
		const char *why;
		size_t got = probe_once(ctx, port, req, reqlen, timeout_ms, reply, &why);
		struct tb_svcid id;
		tb_svcid_tcp(port, banner, blen, p, reply, got, &id);
		if (!id.identified) {
			if (why)
				tb_ev_note(res, "identity", "tcp/%u %s probe: %s", port,
					   tb_svcid_probe_name(p), why);
			continue;
		}
		*out = id;
		snprintf(label, sizeof label, "tcp/%u identified by the %s probe: %s", port,
			 tb_svcid_probe_name(p), id.protocol);
		tb_ev_exchange(res, label, req, reqlen, reply, got);
		break;
	}
}

void tb_tcp_identity_to_surface(struct tb_ctx *ctx, uint16_t port, const struct tb_svcid *id)
{
	if (!ctx->surface)
		return;
	char addr[16], src[TB_SURFACE_SRC];
	tb_ipv4_format(ctx->profile->address, addr);
	struct tb_endpoint *e = tb_surface_endpoint(ctx->surface, "tcp", addr, port);
	snprintf(e->protocol, sizeof e->protocol, "%s", id->protocol);
	snprintf(e->product, sizeof e->product, "%s", id->product);
	e->needs_auth = id->needs_auth;
	snprintf(src, sizeof src, "tcp/%u %s", port,
		 id->by == TB_SVC_PASSIVE ? "banner" : tb_svcid_probe_name(id->by));
	for (size_t i = 0; i < id->nitems; i++)
		tb_surface_item(e, id->items[i].key, id->items[i].value, src);
	if (id->items_truncated)
		e->items_dropped++;
}
