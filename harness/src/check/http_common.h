/* http_common.h: what the HTTP checks (default-credentials, http-auth,
 * security-txt) decide the same way: whether a web port speaks TLS, which
 * admin paths are usual, and when a redirect stays on the same resource. */
#ifndef TB_HTTP_COMMON_H
#define TB_HTTP_COMMON_H

#include <stdint.h>

#include "check/ctx.h"

/* 1 when the profile declares the TCP port `tls: true`, or when this run's
 * surface (ctx->surface, filled by the exposure sweep) identified the TCP
 * port as speaking TLS; 0 otherwise. */
int tb_http_port_tls(const struct tb_ctx *ctx, uint16_t port);

/* The usual admin paths: the default of http-auth's `paths`, also probed
 * by default-credentials for undeclared HTTP logins. */
#define TB_HTTP_ADMIN_PATHS_DEFAULT "[/admin, /config, /settings, /setup, /cgi-bin/admin]"

/* Redirects followed from one admin path (within the scope). */
#define TB_HTTP_AUTH_MAX_HOPS 3

/* Is `to` the resource `from` names, give or take a trailing slash ("/admin"
 * -> "/admin/")?  A 2xx reached there after a redirect is the resource
 * itself, not a different page such as a login form. */
int tb_http_same_resource(const char *from, const char *to);

#endif
