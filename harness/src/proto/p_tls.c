/* p_tls.c: TLS hello parsing (see p_tls.h). */
#include "proto/p_tls.h"

#include <stdio.h>
#include <string.h>

#include "base/rd.h"

#define EXT_SNI 0
#define EXT_SUPPORTED_VERSIONS 43

/* GREASE values (RFC 8701) are noise, not offers. */
static int grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static void add_version(struct tb_tls_hello *h, uint16_t v)
{
	if (!grease(v) && h->nversions < TB_TLS_MAX_VERSIONS)
		h->versions[h->nversions++] = v;
}

int tb_p_tls_looks_like(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 22 && p[1] == 3 && p[2] <= 4;
}

void tb_p_tls_version_name(uint16_t v, char out[8])
{
	if (v == 0x0300)
		snprintf(out, 8, "SSL3.0");
	else if (v >= 0x0301 && v <= 0x0304)
		snprintf(out, 8, "TLS1.%u", (unsigned)(v - 0x0301));
	else
		snprintf(out, 8, "0x%04x", (unsigned)v);
}

static void sni_ext(struct tb_rd *x, struct tb_tls_hello *h)
{
	struct tb_rd list;
	tb_rd_sub(x, tb_rd_be16(x), &list);
	while (!list.trunc && tb_rd_left(&list) > 0) {
		uint8_t type = tb_rd_u8(&list);
		uint16_t n = tb_rd_be16(&list);
		const uint8_t *name;
		tb_rd_bytes(&list, n, &name);
		if (!name || type != 0 || h->sni[0])
			continue;
		size_t k = n < TB_TLS_SNI_MAX - 1 ? n : TB_TLS_SNI_MAX - 1;
		for (size_t i = 0; i < k; i++)
			h->sni[i] = (name[i] > 0x20 && name[i] < 0x7f) ? (char)name[i] : '?';
		h->sni[k] = '\0';
	}
	if (list.trunc)
		x->trunc = 1;
}

static void versions_ext(struct tb_rd *x, struct tb_tls_hello *h)
{
	if (h->type == 2) {
		uint16_t v = tb_rd_be16(x);
		if (!x->trunc) {
			h->nversions = 0;
			add_version(h, v);
		}
		return;
	}
	struct tb_rd list;
	tb_rd_sub(x, tb_rd_u8(x), &list);
	size_t before = h->nversions;
	uint16_t legacy = before ? h->versions[0] : 0;
	h->nversions = 0;
	while (!list.trunc && tb_rd_left(&list) >= 2)
		add_version(h, tb_rd_be16(&list));
	if (list.trunc || tb_rd_left(&list) != 0) {
		x->trunc = 1;
		h->nversions = before;
		if (before)
			h->versions[0] = legacy;
	}
}

static enum tb_err extensions(struct tb_rd *r, struct tb_tls_hello *h)
{
	if (tb_rd_left(r) == 0)
		return TB_OK; /* no extensions at all */
	struct tb_rd exts;
	tb_rd_sub(r, tb_rd_be16(r), &exts);
	if (r->trunc)
		return TB_E_TRUNC;
	while (tb_rd_left(&exts) > 0) {
		uint16_t type = tb_rd_be16(&exts);
		struct tb_rd x;
		tb_rd_sub(&exts, tb_rd_be16(&exts), &x);
		if (exts.trunc)
			return TB_E_TRUNC;
		if (type == EXT_SNI && h->type == 1)
			sni_ext(&x, h);
		else if (type == EXT_SUPPORTED_VERSIONS)
			versions_ext(&x, h);
		if (x.trunc)
			return TB_E_FORMAT; /* inner length disagrees with the extension length */
	}
	return TB_OK;
}

enum tb_err tb_p_tls_hello(const uint8_t *p, size_t n, struct tb_tls_hello *h)
{
	struct tb_rd r, rec, hs;
	/* Only what is read is cleared: the analyzer parses every hello it sees,
	 * and versions[] counts only up to nversions. */
	h->type = 0;
	h->nversions = 0;
	h->sni[0] = '\0';
	tb_rd_init(&r, p, n);
	uint8_t ct = tb_rd_u8(&r);
	uint16_t rv = tb_rd_be16(&r);
	uint16_t rlen = tb_rd_be16(&r);
	if (r.trunc)
		return TB_E_TRUNC;
	if (ct != 22 || (rv >> 8) != 3)
		return TB_E_FORMAT;
	tb_rd_sub(&r, rlen, &rec);
	if (rec.trunc)
		return TB_E_TRUNC;
	uint8_t type = tb_rd_u8(&rec);
	uint32_t hi = tb_rd_u8(&rec);
	uint32_t hlen = hi << 16 | tb_rd_be16(&rec);
	if (rec.trunc)
		return TB_E_TRUNC;
	if (type != 1 && type != 2)
		return TB_E_FORMAT;
	if (hlen > tb_rd_left(&rec))
		return rlen >= hlen + 4 ? TB_E_FORMAT : TB_E_TRUNC;
	tb_rd_sub(&rec, hlen, &hs);
	h->type = type;
	add_version(h, tb_rd_be16(&hs));
	tb_rd_skip(&hs, 32);            /* random */
	tb_rd_skip(&hs, tb_rd_u8(&hs)); /* session id */
	if (type == 1) {
		tb_rd_skip(&hs, tb_rd_be16(&hs)); /* cipher suites */
		tb_rd_skip(&hs, tb_rd_u8(&hs));   /* compression methods */
	} else {
		tb_rd_skip(&hs, 2); /* cipher suite */
		tb_rd_skip(&hs, 1); /* compression method */
	}
	if (hs.trunc)
		return TB_E_FORMAT; /* the hello is whole, so its fields overrun it */
	return extensions(&hs, h) == TB_OK ? TB_OK : TB_E_FORMAT;
}
