/* surface.c: the run's record of the device's attack surface (surface.h). */
#include "check/surface.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tb.h"

struct tb_endpoint *tb_surface_endpoint(struct tb_surface *s, const char *transport, const char *addr,
					uint16_t port)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].port == port && strcmp(s->v[i].transport, transport) == 0 &&
		    strcmp(s->v[i].addr, addr) == 0)
			return &s->v[i];
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = tb_xrealloc(s->v, s->cap, sizeof *s->v);
	}
	struct tb_endpoint *e = &s->v[s->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->transport, sizeof e->transport, "%s", transport);
	snprintf(e->addr, sizeof e->addr, "%s", addr);
	e->port = port;
	snprintf(e->protocol, sizeof e->protocol, "unknown");
	return e;
}

void tb_surface_item(struct tb_endpoint *e, const char *key, const char *value, const char *source)
{
	for (size_t i = 0; i < e->nitems; i++)
		if (strncmp(e->items[i].key, key, TB_SURFACE_KEY - 1) == 0 &&
		    strncmp(e->items[i].value, value, TB_SURFACE_VAL - 1) == 0)
			return;
	if (e->nitems == TB_SURFACE_MAX_ITEMS) {
		e->items_dropped++;
		return;
	}
	e->items = tb_xrealloc(e->items, e->nitems + 1, sizeof *e->items);
	struct tb_surface_item *it = &e->items[e->nitems++];
	snprintf(it->key, sizeof it->key, "%s", key);
	snprintf(it->value, sizeof it->value, "%s", value);
	snprintf(it->source, sizeof it->source, "%s", source);
}

void tb_surface_free(struct tb_surface *s)
{
	if (s->udp && s->udp_free)
		s->udp_free(s->udp);
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].items);
	free(s->v);
	memset(s, 0, sizeof *s);
}
