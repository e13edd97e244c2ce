/* scope.h: the lab scope, the only addresses the harness may touch.
 *
 * IPv4 scope entries are CIDRs no wider than /16.  IPv6 entries may only
 * name the lab's IPv6 ranges: the benchmarking prefix 2001:2::/48 (no wider
 * than /48), link-local fe80::/10 (no wider than /64; its zone is the lab
 * interface, bound at run time) and the loopback ::1/128.  Any other IPv6
 * range is refused, whatever the profile says.
 */
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

/* Narrowest IPv6 prefixes accepted, per lab range. */
#define TB_SCOPE6_MIN_PREFIX_BENCH 48 /* inside 2001:2::/48 */
#define TB_SCOPE6_MIN_PREFIX_LL 64    /* inside fe80::/10 */

struct tb_cidr6 {
	uint8_t net[16]; /* network byte order, host bits zero */
	unsigned prefix;
};

struct tb_scope {
	struct tb_cidr *v; /* IPv4 entries */
	size_t n;
	struct tb_cidr6 *v6; /* IPv6 entries (may be NULL) */
	size_t n6;
	/* Interface index that link-local entries belong to; 0 until bound at
	 * run time (tb_scope_bind_zone): until then no link-local address is
	 * inside the scope. */
	unsigned zone;
};

/* One address of either family.  An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is always held as AF_INET: it is IPv4 and judged by the
 * IPv4 scope. */
struct tb_addr {
	int family; /* AF_INET or AF_INET6 */
	union {
		uint32_t v4;    /* host byte order */
		uint8_t v6[16]; /* network byte order */
	} u;
	unsigned scope_id; /* interface index of a link-local IPv6 address, else 0 */
};

/* Enough for any tb_addr_format() output ("fe80::...%ifname"). */
#define TB_ADDR_TEXT 64

/* Parse a dotted IPv4 address strictly (four decimal parts 0..255, no
 * leading zeros, nothing else). Returns 0 on success. */
int tb_ipv4_parse(const char *s, uint32_t *out);
void tb_ipv4_format(uint32_t a, char out[16]);
/* Parse "A.B.C.D/N" (or a bare address, /32). Host bits must be zero.
 * Returns TB_OK or TB_E_CONFIG with the reason in d. */
TB_WUR enum tb_err tb_cidr_parse(const char *s, struct tb_cidr *out, struct tb_diag *d);
/* 1 when addr (host order) lies inside any CIDR of the scope. */
int tb_scope_contains(const struct tb_scope *s, uint32_t addr);

/* Parse an IPv4 (strict dotted) or IPv6 (inet_pton) address, optionally
 * followed by "%zone" (an interface name or index, link-local IPv6 only).
 * ::ffff:a.b.c.d comes back as AF_INET.  Returns 0 on success. */
int tb_addr_parse(const char *s, struct tb_addr *out);
/* The text form; a link-local zone is written "%ifname" (or "%index" when
 * the interface is gone). */
void tb_addr_format(const struct tb_addr *a, char out[TB_ADDR_TEXT]);
void tb_addr_from_v4(uint32_t v4, struct tb_addr *out);
/* AF_INET6 that is really IPv4-mapped becomes AF_INET (others unchanged). */
void tb_addr_normalize(struct tb_addr *a);
int tb_addr_is_link_local(const struct tb_addr *a);
int tb_addr_equal(const struct tb_addr *a, const struct tb_addr *b);

/* Parse "IPV6/N" (or a bare address, /128) as a lab scope entry: host bits
 * zero, inside the lab's IPv6 ranges and no wider than their minimum
 * prefix (see the top of this file).  TB_OK or TB_E_CONFIG with the reason. */
TB_WUR enum tb_err tb_cidr6_parse(const char *s, struct tb_cidr6 *out, struct tb_diag *d);
void tb_cidr6_format(const struct tb_cidr6 *c, char out[TB_ADDR_TEXT]);
/* 1 when the scope entry is link-local (fe80::/10). */
int tb_cidr6_is_link_local(const struct tb_cidr6 *c);

/* 1 when a lies inside the scope.  IPv4 (also IPv4-mapped) by the IPv4
 * entries; IPv6 by the IPv6 entries, and a link-local address only when
 * the scope's zone is bound and the address carries that same zone. */
int tb_scope_contains_addr(const struct tb_scope *s, const struct tb_addr *a);
/* The prefix test alone, zone ignored (for the profile loader, which
 * checks declared addresses before any interface exists). */
int tb_scope_covers_v6(const struct tb_scope *s, const uint8_t v6[16]);
int tb_scope_has_v6(const struct tb_scope *s);
/* 1 when v6 lies in the lab's IPv6 benchmarking prefix 2001:2::/48. */
int tb_v6_in_bench_prefix(const uint8_t v6[16]);
int tb_scope_has_link_local(const struct tb_scope *s);
/* Give link-local entries their zone (the lab interface's index). */
void tb_scope_bind_zone(struct tb_scope *s, unsigned ifindex);

#endif
