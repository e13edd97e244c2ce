/* p_dns.c: DNS response A records (see p_dns.h). */
#include "proto/p_dns.h"

#include <string.h>

#include "base/rd.h"

/* Append one label to the dotted name in out (o bytes so far); a name
 * that would not fit cap (with its NUL and one spare byte) is refused.
 * out may be NULL: only the length is checked. */
static enum tb_err put_label(const uint8_t *label, size_t l, char *out, size_t cap, size_t *o)
{
	size_t dot = *o > 0;
	/* The label's last byte must leave room for the NUL and one spare
	 * byte.  A one-byte label is measured without its dot: that is the
	 * limit names have always had, and moving it would change which
	 * names near 255 bytes are refused. */
	size_t need = l == 1 ? *o + 2 : *o + dot + l + 1;
	if (need >= cap)
		return TB_E_FORMAT; /* longer than any legal name */
	if (!out) {
		*o += dot + l;
		return TB_OK;
	}
	char *w = out + *o;
	if (dot)
		*w++ = '.';
	for (size_t i = 0; i < l; i++)
		w[i] = (label[i] > 0x20 && label[i] < 0x7f) ? (char)label[i] : '?';
	*o += dot + l;
	out[*o] = '\0';
	return TB_OK;
}

/* Read a (possibly compressed) name at *off into out (NULL: check it
 * only); *off moves past the name as it appears in place.  Returns TB_OK,
 * TB_E_TRUNC or TB_E_FORMAT. */
static enum tb_err read_name(const uint8_t *msg, size_t len, size_t *off, char *out, size_t cap)
{
	size_t pos = *off, o = 0, hops = 0;
	int jumped = 0;
	if (out)
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
		enum tb_err e = put_label(msg + pos + 1, l, out, cap, &o);
		if (e)
			return e;
		pos += 1 + (size_t)l;
	}
	return TB_OK;
}

enum tb_err tb_p_dns_answers(const uint8_t *msg, size_t len, struct tb_dns_a *out, size_t max,
			     size_t *nout)
{
	struct tb_rd r;
	char qname[TB_DNS_NAME_MAX];
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
		if ((e = read_name(msg, len, &off, NULL, TB_DNS_NAME_MAX)))
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
			memcpy(x->name, qname, strlen(qname) + 1);
			x->addr = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 |
				  a[3];
		}
		off += rdlen;
	}
	return TB_OK;
}
