/* surface.h: the device's attack surface as this run found it.
 *
 * Every open TCP and UDP port with what it speaks and what it disclosed
 * without authentication.  The exposure families fill it as they sweep;
 * families that judge the surface later in the same run (disclosure,
 * amplification) read it instead of sweeping again, and name the case
 * that did the work.  Owned by the runner (struct tb_ctx), one per run.
 */
#ifndef TB_SURFACE_H
#define TB_SURFACE_H

#include <stddef.h>
#include <stdint.h>

#define TB_SURFACE_KEY 32
#define TB_SURFACE_VAL 192
#define TB_SURFACE_SRC 48
#define TB_SURFACE_MAX_ITEMS 64

/* One thing the device said without being asked for credentials. */
struct tb_surface_item {
	char key[TB_SURFACE_KEY];    /* "SERVER", "sysDescr", "banner", "serialNumber", ... */
	char value[TB_SURFACE_VAL];  /* printable ASCII */
	char source[TB_SURFACE_SRC]; /* how it was obtained: "ssdp M-SEARCH", "HTTP GET /", ... */
};

struct tb_endpoint {
	char transport[4]; /* "tcp" or "udp" */
	char addr[48];     /* the device address it answered on, as text */
	uint16_t port;
	char protocol[24]; /* "ssh", "http", "snmp", ...; "unknown" when not identified */
	char product[128]; /* product/version when the service says so, else "" */
	int needs_auth;    /* answered, but refused without credentials */
	struct tb_surface_item *items;
	size_t nitems;
	size_t items_dropped; /* more than TB_SURFACE_MAX_ITEMS */
};

struct tb_udp_sweep_result; /* check/chk_udp_exposure_internal.h */

struct tb_surface {
	/* The test case whose full sweep filled each half ("" when none ran). */
	char tcp_case[32], udp_case[32];
	struct tb_endpoint *v;
	size_t n, cap;
	/* The UDP sweep itself, kept so that a later family that measures what
	 * it found (amplification) does not sweep the same ports again; owned
	 * here.  udp_ports is the port list it covered. */
	struct tb_udp_sweep_result *udp;
	void (*udp_free)(struct tb_udp_sweep_result *); /* set with udp, frees it */
	char udp_ports[128];
};

/* The endpoint for transport/addr/port, added (protocol "unknown") when new. */
struct tb_endpoint *tb_surface_endpoint(struct tb_surface *s, const char *transport, const char *addr,
					uint16_t port);
/* Record one disclosed item (an identical key and value is kept once). */
void tb_surface_item(struct tb_endpoint *e, const char *key, const char *value, const char *source);
void tb_surface_free(struct tb_surface *s);

#endif
