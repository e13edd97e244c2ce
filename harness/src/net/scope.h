/* scope.h: the lab scope, the only addresses the harness may touch. */
#ifndef TB_SCOPE_H
#define TB_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/tb.h"

/* Narrowest scope prefix accepted: a wider scope is refused as a likely
 * mistake (a lab LAN holds one device, not a whole network). */
#define TB_SCOPE_MIN_PREFIX 16

struct tb_cidr {
	uint32_t net; /* host byte order, host bits zero */
	unsigned prefix;
};

struct tb_scope {
	struct tb_cidr *v;
	size_t n;
};

/* Parse a dotted IPv4 address strictly (four decimal parts 0..255, no
 * leading zeros, nothing else). Returns 0 on success. */
int tb_ipv4_parse(const char *s, uint32_t *out);
void tb_ipv4_format(uint32_t a, char out[16]);
/* Parse "A.B.C.D/N" (or a bare address, /32). Host bits must be zero.
 * Returns TB_OK or TB_E_CONFIG with the reason in d. */
TB_WUR enum tb_err tb_cidr_parse(const char *s, struct tb_cidr *out, struct tb_diag *d);
/* 1 when addr (host order) lies inside any CIDR of the scope. */
int tb_scope_contains(const struct tb_scope *s, uint32_t addr);

#endif
