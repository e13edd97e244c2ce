/* p_dns.c: DNS response A records (see p_dns.h). */
#include "p_dns.h"

#include <string.h>

#include "rd.h"

/* Read a (possibly compressed) name at *off into out; *off moves past the
 * name as it appears in place.  Returns TB_OK, TB_E_TRUNC or TB_E_FORMAT. */
static enum tb_err read_name(const uint8_t *msg, size_t len, size_t *off, char *out, size_t cap)
{
	size_t pos = *off, o = 0, hops = 0;
	int jumped = 0;
	out[0] = '\0';
	for (;;) {
		if (pos >= len)
			return TB_E_TRUNC;
		uint8_t l = msg[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len)
				return TB_E_TRUNC;
			size_t target = ((size_t)(l & 0x3f) << 8) | msg[pos + 1];
			if (!jumped)
				*off = pos + 2;
			jumped = 1;
			if (++hops > TB_DNS_MAX_HOPS || target >= len)
				return TB_E_FORMAT;
			pos = target;
			continue;
		}
		if (l & 0xc0)
			return TB_E_FORMAT;
		if (l == 0) {
			if (!jumped)
				*off = pos + 1;
			break;
		}
		if (l > len - pos - 1)
			return TB_E_TRUNC;
		for (size_t i = 0; i < l; i++) {
			uint8_t c = msg[pos + 1 + i];
			if (o + 2 >= cap)
				return TB_E_FORMAT; /* longer than any legal name */
			if (o == 0 && i == 0) {
				/* first label: no dot */
			} else if (i == 0) {
				out[o++] = '.';
			}
			out[o++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
		}
		out[o] = '\0';
		pos += 1 + (size_t)l;
	}
	return TB_OK;
}

enum tb_err tb_p_dns_answers(const uint8_t *msg, size_t len, struct tb_dns_a *out, size_t max,
			     size_t *nout)
{
	struct tb_rd r;
	char qname[TB_DNS_NAME_MAX], scratch[TB_DNS_NAME_MAX];
	enum tb_err e;
	*nout = 0;
	tb_rd_init(&r, msg, len);
	tb_rd_skip(&r, 2);
	uint16_t flags = tb_rd_be16(&r);
	uint16_t qd = tb_rd_be16(&r), an = tb_rd_be16(&r);
	tb_rd_skip(&r, 4);
	if (r.trunc)
		return TB_E_TRUNC;
	if (!(flags & 0x8000) || qd != 1)
		return TB_E_FORMAT; /* a query, or a shape devices do not send */
	size_t off = r.off;
	if ((e = read_name(msg, len, &off, qname, sizeof qname)))
		return e;
	if (off > len || len - off < 4)
		return TB_E_TRUNC;
	off += 4;
	for (uint16_t i = 0; i < an; i++) {
		if ((e = read_name(msg, len, &off, scratch, sizeof scratch)))
			return e;
		if (off > len || len - off < 10)
			return TB_E_TRUNC;
		uint16_t type = (uint16_t)(msg[off] << 8 | msg[off + 1]);
		uint16_t cls = (uint16_t)(msg[off + 2] << 8 | msg[off + 3]);
		uint16_t rdlen = (uint16_t)(msg[off + 8] << 8 | msg[off + 9]);
		off += 10;
		if (rdlen > len - off)
			return TB_E_TRUNC;
		if (type == 1 && cls == 1 && rdlen == 4 && *nout < max) {
			const uint8_t *a = msg + off;
			struct tb_dns_a *x = &out[(*nout)++];
			memcpy(x->name, qname, sizeof x->name);
			x->addr = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
		}
		off += rdlen;
	}
	return TB_OK;
}
