/* scope.c: IPv4 and IPv6 addresses, CIDRs and the lab scope (see scope.h). */
#include "net/scope.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

int tb_ipv4_parse(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	*out = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (*s != '.')
				return -1;
			s++;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1; /* leading zero: octal in some parsers, refuse */
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s - '0');
			s++;
			digits++;
		}
		if (digits > 3 || v > 255)
			return -1;
		a = (a << 8) | v;
	}
	if (*s != '\0')
		return -1;
	*out = a;
	return 0;
}

void tb_ipv4_format(uint32_t a, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", (a >> 24) & 255u, (a >> 16) & 255u, (a >> 8) & 255u, a & 255u);
}

static uint32_t prefix_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

enum tb_err tb_cidr_parse(const char *s, struct tb_cidr *out, struct tb_diag *d)
{
	char addr[32];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned prefix = 32;
	memset(out, 0, sizeof *out);
	if (alen == 0 || alen >= sizeof addr)
		return tb_diag_set(d, TB_E_CONFIG, "'%s' is not an IPv4 CIDR (A.B.C.D/N)", s);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (slash) {
		const char *p = slash + 1;
		if (!*p || strlen(p) > 2 || p[strspn(p, "0123456789")] != '\0' || (p[0] == '0' && p[1]))
			return tb_diag_set(d, TB_E_CONFIG, "'%s': the prefix length must be 0..32", s);
		prefix = (unsigned)(p[0] - '0');
		if (p[1])
			prefix = prefix * 10 + (unsigned)(p[1] - '0');
		if (prefix > 32)
			return tb_diag_set(d, TB_E_CONFIG, "'%s': the prefix length must be 0..32", s);
	}
	uint32_t a;
	if (tb_ipv4_parse(addr, &a) != 0)
		return tb_diag_set(d, TB_E_CONFIG, "'%s' is not an IPv4 address", addr);
	if (a & ~prefix_mask(prefix))
		return tb_diag_set(d, TB_E_CONFIG, "'%s' has host bits set beyond /%u", s, prefix);
	if (prefix < TB_SCOPE_MIN_PREFIX)
		return tb_diag_set(
			d, TB_E_CONFIG,
			"'%s' is wider than /%d: a lab scope names the device, not a network", s,
			TB_SCOPE_MIN_PREFIX);
	out->net = a;
	out->prefix = prefix;
	return TB_OK;
}

int tb_scope_contains(const struct tb_scope *s, uint32_t addr)
{
	for (size_t i = 0; s && i < s->n; i++)
		if ((addr & prefix_mask(s->v[i].prefix)) == s->v[i].net)
			return 1;
	return 0;
}

/* ---- IPv6 and either-family addresses ---- */

/* The lab's IPv6 ranges (scope.h). */
static const uint8_t bench_net[16] = { 0x20, 0x01, 0x00, 0x02 };    /* 2001:2::/48 */
static const uint8_t ll_net[16] = { 0xfe, 0x80 };                   /* fe80::/10 */
static const uint8_t loopback6[16] = { [15] = 1 };                  /* ::1 */
static const uint8_t mapped_net[16] = { [10] = 0xff, [11] = 0xff }; /* ::ffff:0:0/96 */

/* 1 when a and b agree on their first bits bits. */
static int same_prefix(const uint8_t a[16], const uint8_t b[16], unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	if (memcmp(a, b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xffu << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

static int host_bits_zero(const uint8_t a[16], unsigned prefix)
{
	for (unsigned bit = prefix; bit < 128; bit++)
		if (a[bit / 8] & (0x80u >> (bit % 8)))
			return 0;
	return 1;
}

static int v6_is_link_local(const uint8_t a[16])
{
	return same_prefix(a, ll_net, 10);
}

static int v6_is_mapped(const uint8_t a[16])
{
	return same_prefix(a, mapped_net, 96);
}

static uint32_t mapped_v4(const uint8_t a[16])
{
	return ((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) | ((uint32_t)a[14] << 8) | a[15];
}

void tb_addr_from_v4(uint32_t v4, struct tb_addr *out)
{
	memset(out, 0, sizeof *out);
	out->family = AF_INET;
	out->u.v4 = v4;
}

void tb_addr_normalize(struct tb_addr *a)
{
	if (a->family == AF_INET6 && v6_is_mapped(a->u.v6))
		tb_addr_from_v4(mapped_v4(a->u.v6), a);
}

int tb_addr_is_link_local(const struct tb_addr *a)
{
	return a->family == AF_INET6 && v6_is_link_local(a->u.v6);
}

int tb_addr_equal(const struct tb_addr *a, const struct tb_addr *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return a->u.v4 == b->u.v4;
	return memcmp(a->u.v6, b->u.v6, 16) == 0 && a->scope_id == b->scope_id;
}

/* A zone: a decimal interface index (no leading zero) or an interface name. */
static int parse_zone(const char *z, unsigned *out)
{
	if (!*z || strlen(z) >= IF_NAMESIZE)
		return -1;
	if (z[strspn(z, "0123456789")] == '\0') {
		if (z[0] == '0' || strlen(z) > 9)
			return -1;
		unsigned v = 0;
		for (; *z; z++)
			v = v * 10 + (unsigned)(*z - '0');
		*out = v;
		return 0;
	}
	*out = if_nametoindex(z);
	return *out ? 0 : -1;
}

int tb_addr_parse(const char *s, struct tb_addr *out)
{
	char buf[TB_ADDR_TEXT];
	memset(out, 0, sizeof *out);
	size_t len = strlen(s);
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len + 1);
	char *zone = strchr(buf, '%');
	if (zone)
		*zone++ = '\0';
	struct tb_addr a = { 0 };
	if (!strchr(buf, ':')) {
		if (zone || tb_ipv4_parse(buf, &a.u.v4) != 0)
			return -1;
		a.family = AF_INET;
	} else {
		if (inet_pton(AF_INET6, buf, a.u.v6) != 1)
			return -1;
		a.family = AF_INET6;
		/* Only a link-local address has a zone. */
		if (zone && (!v6_is_link_local(a.u.v6) || parse_zone(zone, &a.scope_id) != 0))
			return -1;
		tb_addr_normalize(&a);
	}
	*out = a;
	return 0;
}

void tb_addr_format(const struct tb_addr *a, char out[TB_ADDR_TEXT])
{
	if (a->family == AF_INET) {
		tb_ipv4_format(a->u.v4, out);
		return;
	}
	if (a->family != AF_INET6 || !inet_ntop(AF_INET6, a->u.v6, out, TB_ADDR_TEXT)) {
		snprintf(out, TB_ADDR_TEXT, "?");
		return;
	}
	if (a->scope_id && v6_is_link_local(a->u.v6)) {
		char name[IF_NAMESIZE];
		size_t n = strlen(out);
		if (if_indextoname(a->scope_id, name))
			snprintf(out + n, TB_ADDR_TEXT - n, "%%%s", name);
		else
			snprintf(out + n, TB_ADDR_TEXT - n, "%%%u", a->scope_id);
	}
}

/* "N" of "A/N": 0..128, decimal, no leading zero. */
static int parse_prefix6(const char *p, unsigned *out)
{
	if (!*p || strlen(p) > 3 || p[strspn(p, "0123456789")] != '\0' || (p[0] == '0' && p[1]))
		return -1;
	unsigned v = 0;
	for (; *p; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (v > 128)
		return -1;
	*out = v;
	return 0;
}

/* Is net/prefix inside one of the lab's IPv6 ranges and narrow enough? */
static enum tb_err lab_range_check(const char *s, const uint8_t net[16], unsigned prefix,
				   struct tb_diag *d)
{
	if (prefix >= 48 && same_prefix(net, bench_net, 48))
		return TB_OK;
	if (prefix >= 10 && same_prefix(net, ll_net, 10)) {
		if (prefix < TB_SCOPE6_MIN_PREFIX_LL)
			return tb_diag_set(d, TB_E_CONFIG,
					   "'%s' is wider than /%d: a link-local scope names one lab "
					   "link's prefix",
					   s, TB_SCOPE6_MIN_PREFIX_LL);
		return TB_OK;
	}
	if (prefix == 128 && memcmp(net, loopback6, 16) == 0)
		return TB_OK;
	if (prefix >= 96 && v6_is_mapped(net))
		return tb_diag_set(d, TB_E_CONFIG,
				   "'%s' is an IPv4-mapped IPv6 range: write it as an IPv4 CIDR", s);
	if (prefix < 48 && same_prefix(net, bench_net, prefix))
		return tb_diag_set(d, TB_E_CONFIG,
				   "'%s' is wider than /%d: the lab's IPv6 benchmarking prefix is "
				   "2001:2::/48",
				   s, TB_SCOPE6_MIN_PREFIX_BENCH);
	return tb_diag_set(d, TB_E_CONFIG,
			   "'%s' is outside the lab's IPv6 ranges (2001:2::/48, fe80::/10, ::1/128)",
			   s);
}

enum tb_err tb_cidr6_parse(const char *s, struct tb_cidr6 *out, struct tb_diag *d)
{
	char addr[TB_ADDR_TEXT];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned prefix = 128;
	memset(out, 0, sizeof *out);
	if (alen == 0 || alen >= sizeof addr)
		return tb_diag_set(d, TB_E_CONFIG, "'%s' is not an IPv6 prefix (IPV6/N)", s);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (strchr(addr, '%'))
		return tb_diag_set(d, TB_E_CONFIG,
				   "'%s': a scope entry names no zone (a link-local entry's zone is "
				   "lab.interface)",
				   s);
	if (slash && parse_prefix6(slash + 1, &prefix) != 0)
		return tb_diag_set(d, TB_E_CONFIG, "'%s': the prefix length must be 0..128", s);
	uint8_t net[16];
	if (inet_pton(AF_INET6, addr, net) != 1)
		return tb_diag_set(d, TB_E_CONFIG, "'%s' is not an IPv6 address", addr);
	if (!host_bits_zero(net, prefix))
		return tb_diag_set(d, TB_E_CONFIG, "'%s' has host bits set beyond /%u", s, prefix);
	enum tb_err e = lab_range_check(s, net, prefix, d);
	if (e)
		return e;
	memcpy(out->net, net, 16);
	out->prefix = prefix;
	return TB_OK;
}

void tb_cidr6_format(const struct tb_cidr6 *c, char out[TB_ADDR_TEXT])
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, c->net, a, sizeof a))
		snprintf(a, sizeof a, "?");
	snprintf(out, TB_ADDR_TEXT, "%s/%u", a, c->prefix);
}

int tb_cidr6_is_link_local(const struct tb_cidr6 *c)
{
	return v6_is_link_local(c->net);
}

int tb_scope_covers_v6(const struct tb_scope *s, const uint8_t v6[16])
{
	for (size_t i = 0; s && i < s->n6; i++)
		if (same_prefix(v6, s->v6[i].net, s->v6[i].prefix))
			return 1;
	return 0;
}

int tb_scope_contains_addr(const struct tb_scope *s, const struct tb_addr *a)
{
	if (!s || !a)
		return 0;
	struct tb_addr x = *a;
	tb_addr_normalize(&x);
	if (x.family == AF_INET)
		return tb_scope_contains(s, x.u.v4);
	if (x.family != AF_INET6)
		return 0;
	for (size_t i = 0; i < s->n6; i++) {
		const struct tb_cidr6 *c = &s->v6[i];
		if (!same_prefix(x.u.v6, c->net, c->prefix))
			continue;
		/* A link-local address means nothing without its link. */
		if (tb_cidr6_is_link_local(c) && (s->zone == 0 || x.scope_id != s->zone))
			continue;
		return 1;
	}
	return 0;
}

int tb_v6_in_bench_prefix(const uint8_t v6[16])
{
	return same_prefix(v6, bench_net, 48);
}

int tb_scope_has_v6(const struct tb_scope *s)
{
	return s && s->n6 > 0;
}

int tb_scope_has_link_local(const struct tb_scope *s)
{
	for (size_t i = 0; s && i < s->n6; i++)
		if (tb_cidr6_is_link_local(&s->v6[i]))
			return 1;
	return 0;
}

void tb_scope_bind_zone(struct tb_scope *s, unsigned ifindex)
{
	s->zone = ifindex;
}
