/* p_fwmanifest.c: firmware manifest, version and signature framing parsers
 * (see p_fwmanifest.h).  Pure functions over untrusted bytes. */
#include "proto/p_fwmanifest.h"

#include <stdio.h>
#include <string.h>

#include "base/rd.h"

enum tb_err tb_p_fw_version(const char *s, size_t len, struct tb_fw_version *v, struct tb_diag *d)
{
	memset(v, 0, sizeof *v);
	if (len == 0 || len > TB_FWV_MAX_LEN) {
		return tb_diag_set(d, TB_E_FORMAT, "a version must have 1 to %d characters",
				   TB_FWV_MAX_LEN);
	}
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		uint32_t val = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 9)
			val = val * 10 + (uint32_t)(s[i++] - '0');
		size_t nd = i - start;
		if (nd == 0 || (nd > 1 && s[start] == '0') || (i < len && s[i] != '.') ||
		    v->nparts == TB_FWV_MAX_PARTS) {
			memset(v, 0, sizeof *v);
			return tb_diag_set(d, TB_E_FORMAT,
					   "version must be 1 to %d dot-separated numbers of at most 9 "
					   "digits without leading zeros",
					   TB_FWV_MAX_PARTS);
		}
		v->part[v->nparts++] = val;
		if (i < len && ++i == len) { /* a trailing dot */
			memset(v, 0, sizeof *v);
			return tb_diag_set(d, TB_E_FORMAT, "version ends with a dot");
		}
	}
	memcpy(v->text, s, len);
	v->text[len] = '\0';
	return TB_OK;
}

int tb_fw_version_cmp(const struct tb_fw_version *a, const struct tb_fw_version *b)
{
	for (unsigned i = 0; i < TB_FWV_MAX_PARTS; i++) {
		uint32_t x = i < a->nparts ? a->part[i] : 0, y = i < b->nparts ? b->part[i] : 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

/* The next line "key: value\n"; *val views the value.  TB_E_TRUNC when the
 * line is an unfinished prefix of the expected key or lacks its LF. */
static enum tb_err take_line(struct tb_rd *r, const char *key, const uint8_t **val, size_t *vlen,
			     struct tb_diag *d)
{
	size_t klen = strlen(key), left = tb_rd_left(r);
	const uint8_t *p = r->p + r->off;
	size_t cmp = left < klen ? left : klen;
	if (memcmp(p, key, cmp) != 0) {
		return tb_diag_set(d, TB_E_FORMAT, "expected a line '%s' here (byte %zu)", key, r->off);
	}
	const uint8_t *nl = memchr(p, '\n', left);
	if (!nl) {
		for (size_t i = cmp; i < left; i++)
			if (p[i] < 0x20 || p[i] > 0x7e) {
				return tb_diag_set(d, TB_E_FORMAT,
						   "line '%s' has a control or non-ASCII byte", key);
			}
		return tb_diag_set(d, TB_E_TRUNC, "manifest cut short in line '%s'", key);
	}
	size_t n = (size_t)(nl - p);
	if (n < klen + 1) {
		return tb_diag_set(d, TB_E_FORMAT, "line '%s' has no value", key);
	}
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e) {
			return tb_diag_set(
				d, TB_E_FORMAT,
				"line '%s' has a control or non-ASCII byte (CR is not allowed)", key);
		}
	*val = p + klen;
	*vlen = n - klen;
	tb_rd_skip(r, n + 1);
	return TB_OK;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static enum tb_err parse_digest(const uint8_t *v, size_t n, uint8_t out[32], struct tb_diag *d)
{
	if (n != 64) {
		return tb_diag_set(d, TB_E_FORMAT,
				   "image-sha256 must be 64 lower-case hex digits, not %zu characters",
				   n);
	}
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return tb_diag_set(d, TB_E_FORMAT, "image-sha256 must be lower-case hex");
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return TB_OK;
}

static enum tb_err parse_size(const uint8_t *v, size_t n, uint64_t *out, struct tb_diag *d)
{
	uint64_t s = 0;
	if (n == 0 || n > 15 || (n > 1 && v[0] == '0')) {
		return tb_diag_set(
			d, TB_E_FORMAT,
			"image-size must be a decimal number of bytes without leading zeros");
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9') {
			return tb_diag_set(d, TB_E_FORMAT,
					   "image-size must be a decimal number of bytes");
		}
		s = s * 10 + (uint64_t)(v[i] - '0');
	}
	*out = s;
	return TB_OK;
}

enum tb_err tb_p_fwmanifest(const uint8_t *buf, size_t len, struct tb_fw_manifest *m, struct tb_diag *d)
{
	static const char *const keys[] = { "trustbench-firmware-manifest: ", "version: ",
					    "image-sha256: ", "image-size: " };
	const uint8_t *val[4];
	size_t vlen[4];
	struct tb_rd r;
	memset(m, 0, sizeof *m);
	tb_diag_set(d, TB_OK, "%s", "");
	if (len > TB_FWM_MAX_BYTES) {
		return tb_diag_set(d, TB_E_TOOBIG, "manifest larger than %d bytes", TB_FWM_MAX_BYTES);
	}
	tb_rd_init(&r, buf, len);
	for (int i = 0; i < 4; i++) {
		if (tb_rd_left(&r) == 0) {
			return tb_diag_set(d, TB_E_TRUNC, "manifest cut short: line '%.*s' is missing",
					   (int)strlen(keys[i]) - 2, keys[i]);
		}
		enum tb_err e = take_line(&r, keys[i], &val[i], &vlen[i], d);
		if (e)
			return e;
	}
	if (tb_rd_left(&r)) {
		return tb_diag_set(d, TB_E_FORMAT,
				   "unexpected bytes after the image-size line (byte %zu)", r.off);
	}
	enum tb_err e = TB_OK;
	if (vlen[0] != 1 || val[0][0] != '1') {
		e = tb_diag_set(d, TB_E_FORMAT, "unsupported manifest format version '%.*s' (only 1)",
				(int)(vlen[0] < 16 ? vlen[0] : 16), (const char *)val[0]);
	}
	if (!e)
		e = tb_p_fw_version((const char *)val[1], vlen[1], &m->version, d);
	if (!e)
		e = parse_digest(val[2], vlen[2], m->sha256, d);
	if (!e)
		e = parse_size(val[3], vlen[3], &m->size, d);
	if (e)
		memset(m, 0, sizeof *m);
	return e;
}

/* DER tag and length; *clen is the content length.  Minimal lengths only. */
static enum tb_err der_head(struct tb_rd *r, uint8_t tag, size_t *clen, struct tb_diag *d)
{
	uint8_t t = tb_rd_u8(r), l = tb_rd_u8(r);
	if (r->trunc) {
		return tb_diag_set(d, TB_E_TRUNC, "signature cut short in a DER header");
	}
	if (t != tag) {
		return tb_diag_set(d, TB_E_FORMAT, "DER tag 0x%02x where 0x%02x was expected", t, tag);
	}
	if (l < 0x80) {
		*clen = l;
		return TB_OK;
	}
	unsigned nb = l & 0x7f;
	if (nb == 0 || nb > 4) {
		return tb_diag_set(d, TB_E_FORMAT, "unsupported DER length form");
	}
	size_t v = 0;
	for (unsigned i = 0; i < nb; i++)
		v = v << 8 | tb_rd_u8(r);
	if (r->trunc) {
		return tb_diag_set(d, TB_E_TRUNC, "signature cut short in a DER length");
	}
	if (v < 0x80 || (nb > 1 && (v >> (8 * (nb - 1))) == 0)) {
		return tb_diag_set(d, TB_E_FORMAT, "non-minimal DER length");
	}
	*clen = v;
	return TB_OK;
}

static enum tb_err der_posint(struct tb_rd *r, const char *name, struct tb_diag *d)
{
	size_t n;
	const uint8_t *p;
	enum tb_err e = der_head(r, 0x02, &n, d);
	if (e)
		return e;
	tb_rd_bytes(r, n, &p);
	if (!p) {
		return tb_diag_set(d, TB_E_TRUNC, "signature cut short in INTEGER %s", name);
	}
	if (n == 0 || n > 67 || (p[0] & 0x80) || (n > 1 && p[0] == 0 && !(p[1] & 0x80))) {
		return tb_diag_set(d, TB_E_FORMAT,
				   "INTEGER %s is empty, negative, too long or not minimally encoded",
				   name);
	}
	return TB_OK;
}

/* The one outer SEQUENCE a signature file holds: it must be all of the file
 * (cut short: TB_E_TRUNC; trailing bytes: TB_E_FORMAT).  *body covers its
 * contents.  what names the structure in messages. */
static enum tb_err outer_sequence(const uint8_t *buf, size_t len, const char *what, struct tb_rd *body,
				  struct tb_diag *d)
{
	struct tb_rd r;
	size_t n;
	tb_rd_init(&r, buf, len);
	tb_rd_init(body, NULL, 0);
	if (len == 0) {
		return tb_diag_set(d, TB_E_TRUNC, "the signature file is empty");
	}
	enum tb_err e = der_head(&r, 0x30, &n, d);
	if (e)
		return e;
	if (n > tb_rd_left(&r)) {
		return tb_diag_set(d, TB_E_TRUNC, "%s cut short: %zu bytes announced, %zu present",
				   what, n, tb_rd_left(&r));
	}
	if (n < tb_rd_left(&r)) {
		return tb_diag_set(d, TB_E_FORMAT, "%zu unexpected bytes after the %s",
				   tb_rd_left(&r) - n, what);
	}
	tb_rd_sub(&r, n, body);
	return TB_OK;
}

enum tb_err tb_p_fwsig_ecdsa_der(const uint8_t *buf, size_t len, struct tb_diag *d)
{
	struct tb_rd body;
	enum tb_err e = outer_sequence(buf, len, "DER signature", &body, d);
	if (e)
		return e;
	if ((e = der_posint(&body, "r", d)) || (e = der_posint(&body, "s", d)))
		return e == TB_E_TRUNC ? TB_E_FORMAT : e; /* the outer length was complete */
	if (tb_rd_left(&body)) {
		return tb_diag_set(d, TB_E_FORMAT,
				   "unexpected bytes after INTEGER s inside the SEQUENCE");
	}
	return TB_OK;
}

enum tb_err tb_p_fwsig_cms_outer(const uint8_t *buf, size_t len, struct tb_diag *d)
{
	static const uint8_t oid_signed_data[] = {
		0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
	};
	struct tb_rd body;
	size_t on;
	const uint8_t *oid;
	enum tb_err e = outer_sequence(buf, len, "CMS structure", &body, d);
	if (e)
		return e;
	if ((e = der_head(&body, 0x06, &on, d)))
		return e == TB_E_TRUNC ? TB_E_FORMAT : e;
	tb_rd_bytes(&body, on, &oid);
	if (!oid || on != sizeof oid_signed_data || memcmp(oid, oid_signed_data, on) != 0) {
		return tb_diag_set(
			d, TB_E_FORMAT,
			"not a CMS SignedData structure (content type is not id-signedData)");
	}
	if (tb_rd_peek(&body) != 0xa0) {
		return tb_diag_set(d, TB_E_FORMAT, "CMS SignedData without its [0] content");
	}
	return TB_OK;
}
