/* p_location.c: the Location header of a device's redirect (see p_location.h). */
#include "proto/p_location.h"

#include <stdlib.h>
#include <string.h>

#include "net/scope.h"

/* ":<1..65535>" followed by the end or '/'; *rest is what follows. */
static int parse_port(const char *p, uint16_t *port, const char **rest)
{
	char *end;
	long pv = (p[1] >= '0' && p[1] <= '9') ? strtol(p + 1, &end, 10) : -1;
	if (pv < 1 || pv > 65535 || (*end != '\0' && *end != '/'))
		return -1;
	*port = (uint16_t)pv;
	*rest = end;
	return 0;
}

/* "http://<IPv4>[:port][/path]": the target, and the path part in *rest. */
static enum tb_err parse_absolute(const char *v, uint32_t *addr, uint16_t *port, const char **rest,
				  struct tb_diag *d)
{
	const char *host = v + 7;
	size_t hl = strcspn(host, ":/");
	char h[64];
	if (hl == 0 || hl >= sizeof h)
		return tb_diag_set(d, TB_E_FORMAT, "redirect to an unusable host");
	memcpy(h, host, hl);
	h[hl] = '\0';
	if (tb_ipv4_parse(h, addr) != 0)
		return tb_diag_set(
			d, TB_E_FORMAT,
			"redirect to host name '%s' refused: only lab addresses are followed", h);
	const char *p = host + hl;
	*port = 80;
	if (*p == ':' && parse_port(p, port, &p) != 0)
		return tb_diag_set(d, TB_E_FORMAT, "redirect with a bad port");
	*rest = *p ? p : "/";
	return TB_OK;
}

enum tb_err tb_p_location(const uint8_t *loc, size_t len, uint32_t *addr, uint16_t *port, char *path,
			  size_t pathlen, struct tb_diag *d)
{
	char v[TB_LOCATION_MAX + 1];
	if (len == 0 || len >= sizeof v || memchr(loc, '\0', len))
		return tb_diag_set(d, TB_E_FORMAT, "unusable Location header");
	memcpy(v, loc, len);
	v[len] = '\0';
	uint32_t a = *addr;
	uint16_t pt = *port;
	const char *p = v;
	if (strncmp(v, "http://", 7) == 0) {
		enum tb_err e = parse_absolute(v, &a, &pt, &p, d);
		if (e)
			return e;
	} else if (v[0] != '/' || v[1] == '/') {
		return tb_diag_set(d, TB_E_FORMAT,
				   "redirect to '%.200s' refused: not http:// on a lab address", v);
	}
	size_t pl = strlen(p);
	if (pl >= pathlen)
		return tb_diag_set(d, TB_E_FORMAT, "redirect path too long");
	memcpy(path, p, pl + 1);
	*addr = a;
	*port = pt;
	return TB_OK;
}
