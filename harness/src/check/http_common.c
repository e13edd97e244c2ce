/* http_common.c: decisions shared by the HTTP checks (see http_common.h). */
#include "check/http_common.h"

#include <string.h>

#include "check/surface.h"
#include "load/profile.h"
#include "net/net.h"

int tb_http_port_tls(const struct tb_ctx *ctx, uint16_t port)
{
	const struct tb_profile *p = ctx->profile;
	for (size_t i = 0; p && i < p->nservices; i++)
		if (p->services[i].port == port && p->services[i].tls &&
		    (!p->services[i].transport || strcmp(p->services[i].transport, "tcp") == 0))
			return 1;
	const struct tb_surface *s = ctx->surface;
	char host[16] = "";
	if (p)
		tb_ipv4_format(p->address, host);
	for (size_t i = 0; s && i < s->n; i++)
		if (s->v[i].port == port && strcmp(s->v[i].transport, "tcp") == 0 &&
		    strcmp(s->v[i].addr, host) == 0 && strcmp(s->v[i].protocol, "tls") == 0)
			return 1;
	return 0;
}

int tb_http_same_resource(const char *from, const char *to)
{
	size_t f = strlen(from), t = strlen(to);
	if (f && from[f - 1] == '/')
		f--;
	if (t && to[t - 1] == '/')
		t--;
	return f == t && memcmp(from, to, f) == 0;
}
