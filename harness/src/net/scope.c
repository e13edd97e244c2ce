/* scope.c: IPv4 addresses, CIDRs and the lab scope. */
#include "net/scope.h"

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
		return tb_diag_set(d, TB_E_CONFIG,
				   "'%s' is not an IPv4 address (IPv6 is not supported yet)", addr);
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
