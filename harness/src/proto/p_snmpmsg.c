/* p_snmpmsg.c: SNMP v1/v2c Get/Set builders and message parser (see p_snmpmsg.h). */
#include "proto/p_snmpmsg.h"

#include <string.h>

#include "base/rd.h"

/* -------------------------------------------------------------- writer */

struct snmp_wr {
	uint8_t *b;
	size_t cap, len;
	int bad;
};

static void wr_bytes(struct snmp_wr *w, const void *p, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	if (n)
		memcpy(w->b + w->len, p, n);
	w->len += n;
}

/* Bytes a tag and the definite length of len take (short or long form). */
static size_t hdr_size(size_t len)
{
	return len < 0x80 ? 2 : len < 0x100 ? 3 : 4; /* the builders stay under 64 KiB */
}

static size_t tlv_size(size_t len)
{
	return hdr_size(len) + len;
}

static void wr_hdr(struct snmp_wr *w, uint8_t tag, size_t len)
{
	uint8_t h[4] = { tag, 0, 0, 0 };
	size_t n = hdr_size(len);
	if (n == 2) {
		h[1] = (uint8_t)len;
	} else if (n == 3) {
		h[1] = 0x81;
		h[2] = (uint8_t)len;
	} else {
		h[1] = 0x82;
		h[2] = (uint8_t)(len >> 8);
		h[3] = (uint8_t)len;
	}
	wr_bytes(w, h, n);
}

/* Content of a non-negative INTEGER in its shortest two's complement form. */
static size_t int_content(uint32_t v, uint8_t out[5])
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	size_t i = 0;
	while (i < 3 && b[i] == 0 && !(b[i + 1] & 0x80))
		i++;
	size_t n = 0;
	if (b[i] & 0x80)
		out[n++] = 0;
	while (i < 4)
		out[n++] = b[i++];
	return n;
}

/* Content of an OBJECT IDENTIFIER; 0 when the arcs cannot be encoded. */
static size_t oid_content(const uint32_t *arc, size_t n, uint8_t *out, size_t cap)
{
	if (n < 2 || n > TB_SNMP_OID_MAX || arc[0] > 2 || (arc[0] < 2 && arc[1] >= 40) ||
	    arc[1] > UINT32_MAX - 80)
		return 0;
	size_t k = 0;
	for (size_t i = 1; i < n; i++) {
		uint32_t v = i == 1 ? arc[0] * 40 + arc[1] : arc[i];
		uint8_t tmp[5];
		size_t t = 0;
		do {
			tmp[t++] = v & 0x7f;
			v >>= 7;
		} while (v);
		if (t > cap - k)
			return 0;
		while (t) {
			t--;
			out[k++] = (uint8_t)(tmp[t] | (t ? 0x80 : 0));
		}
	}
	return k;
}

/* One message: version, community, a PDU of one varbind whose value is
 * vtag with vlen bytes of val. */
static size_t build(int version, const char *community, uint8_t pdu, int32_t reqid, const uint32_t *oid,
		    size_t noid, uint8_t vtag, const uint8_t *val, size_t vlen, uint8_t *buf,
		    size_t cap)
{
	uint8_t oidc[TB_SNMP_OID_MAX * 5], ver[5], rid[5], zero[5];
	size_t clen = community ? strlen(community) : TB_SNMP_BUILD_COMMUNITY_MAX + 1;
	size_t olen = oid_content(oid, noid, oidc, sizeof oidc);
	if ((version != TB_SNMP_V1 && version != TB_SNMP_V2C) || reqid < 0 ||
	    clen > TB_SNMP_BUILD_COMMUNITY_MAX || olen == 0 || vlen > TB_SNMP_BUILD_VALUE_MAX)
		return 0;
	size_t verl = int_content((uint32_t)version, ver), ridl = int_content((uint32_t)reqid, rid);
	size_t zl = int_content(0, zero);
	size_t vb = tlv_size(olen) + tlv_size(vlen);
	size_t list = tlv_size(vb);
	size_t pdul = tlv_size(ridl) + 2 * tlv_size(zl) + tlv_size(list);
	size_t msg = tlv_size(verl) + tlv_size(clen) + tlv_size(pdul);
	struct snmp_wr w = { buf, cap, 0, 0 };
	wr_hdr(&w, 0x30, msg);
	wr_hdr(&w, 0x02, verl);
	wr_bytes(&w, ver, verl);
	wr_hdr(&w, 0x04, clen);
	wr_bytes(&w, community, clen);
	wr_hdr(&w, pdu, pdul);
	wr_hdr(&w, 0x02, ridl);
	wr_bytes(&w, rid, ridl);
	for (int i = 0; i < 2; i++) { /* error-status, error-index */
		wr_hdr(&w, 0x02, zl);
		wr_bytes(&w, zero, zl);
	}
	wr_hdr(&w, 0x30, list);
	wr_hdr(&w, 0x30, vb);
	wr_hdr(&w, 0x06, olen);
	wr_bytes(&w, oidc, olen);
	wr_hdr(&w, vtag, vlen);
	wr_bytes(&w, val, vlen);
	return w.bad ? 0 : w.len;
}

size_t tb_snmp_build_get(int version, const char *community, int32_t reqid, const uint32_t *oid,
			 size_t noid, uint8_t *buf, size_t cap)
{
	return build(version, community, TB_SNMP_PDU_GET, reqid, oid, noid, TB_SNMP_T_NULL, NULL, 0,
		     buf, cap);
}

size_t tb_snmp_build_set_octets(int version, const char *community, int32_t reqid, const uint32_t *oid,
				size_t noid, const uint8_t *val, size_t vlen, uint8_t *buf, size_t cap)
{
	if (!val && vlen)
		return 0;
	return build(version, community, TB_SNMP_PDU_SET, reqid, oid, noid, TB_SNMP_T_OCTETS, val, vlen,
		     buf, cap);
}

/* -------------------------------------------------------------- parser */

/* One TLV inside r: a single-byte tag, a definite length of at most 4
 * bytes, and that many bytes really there.  TB_E_TRUNC when the length
 * runs past r, TB_E_FORMAT for a multi-byte tag or a bad length form. */
static enum tb_err tlv(struct tb_rd *r, uint8_t *tag, struct tb_rd *val)
{
	*tag = tb_rd_u8(r);
	uint8_t l = tb_rd_u8(r);
	if (r->trunc)
		return TB_E_TRUNC;
	if ((*tag & 0x1f) == 0x1f)
		return TB_E_FORMAT;
	size_t len = l;
	if (l & 0x80) {
		size_t k = l & 0x7f;
		if (k == 0 || k > 4)
			return TB_E_FORMAT; /* indefinite, or longer than any datagram */
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | tb_rd_u8(r);
		if (r->trunc)
			return TB_E_TRUNC;
	}
	tb_rd_sub(r, len, val);
	return val->trunc ? TB_E_TRUNC : TB_OK;
}

/* A TLV that must be there, with tag want: anything else is malformed. */
static int expect(struct tb_rd *r, uint8_t want, struct tb_rd *val)
{
	uint8_t tag;
	return tlv(r, &tag, val) == TB_OK && tag == want;
}

/* INTEGER of 1..8 content bytes, sign-extended. */
static int get_int(struct tb_rd *r, int64_t *out)
{
	struct tb_rd v;
	if (!expect(r, 0x02, &v))
		return 0;
	size_t n = tb_rd_left(&v);
	if (n == 0 || n > 8)
		return 0;
	uint64_t x = (v.p[v.off] & 0x80) ? UINT64_MAX : 0;
	for (size_t i = 0; i < n; i++)
		x = x << 8 | tb_rd_u8(&v);
	*out = (int64_t)x;
	return 1;
}

/* OBJECT IDENTIFIER content into arcs: minimal sub-identifiers of at most
 * 32 bits, at most TB_SNMP_OID_MAX arcs, the last one complete. */
static int oid_arcs(struct tb_rd *v, uint32_t *arc, size_t *narc)
{
	uint64_t x = 0;
	size_t n = 0, bytes = 0;
	if (tb_rd_left(v) == 0)
		return 0;
	while (tb_rd_left(v)) {
		uint8_t b = tb_rd_u8(v);
		if (bytes == 0 && b == 0x80)
			return 0; /* non-minimal */
		x = x << 7 | (b & 0x7f);
		if (++bytes > 5 || x > UINT32_MAX)
			return 0;
		if (b & 0x80)
			continue;
		if (n == 0) { /* the first sub-identifier holds two arcs */
			uint32_t a = x < 40 ? 0 : x < 80 ? 1 : 2;
			arc[n++] = a;
			arc[n++] = (uint32_t)(x - 40u * a);
		} else {
			if (n >= TB_SNMP_OID_MAX)
				return 0;
			arc[n++] = (uint32_t)x;
		}
		x = 0;
		bytes = 0;
	}
	*narc = n;
	return bytes == 0;
}

/* One varbind: SEQUENCE { OID, value } and nothing else. */
static int varbind(struct tb_rd *list, struct tb_snmp_varbind *vb)
{
	struct tb_rd seq, oidv, val;
	if (!expect(list, 0x30, &seq) || !expect(&seq, 0x06, &oidv) ||
	    tlv(&seq, &vb->type, &val) != TB_OK || tb_rd_left(&seq) != 0)
		return 0;
	if (!oid_arcs(&oidv, vb->oid, &vb->oid_len))
		return 0;
	vb->value_total = tb_rd_left(&val);
	vb->value_len = vb->value_total < TB_SNMP_VALUE_MAX ? vb->value_total : TB_SNMP_VALUE_MAX;
	if (vb->value_len)
		memcpy(vb->value, val.p + val.off, vb->value_len);
	return 1;
}

/* Every varbind of the list is checked; the first TB_SNMP_VB_MAX are kept. */
static int varbind_list(struct tb_rd *list, struct tb_snmp_pdu_msg *m)
{
	struct tb_snmp_varbind scratch;
	while (tb_rd_left(list)) {
		struct tb_snmp_varbind *vb = m->nvb < TB_SNMP_VB_MAX ? &m->vb[m->nvb] : &scratch;
		if (!varbind(list, vb))
			return 0;
		if (vb != &scratch)
			m->nvb++;
		m->nvb_total++;
	}
	return 1;
}

static int pdu_has_common_layout(uint8_t tag)
{
	return tag >= 0xa0 && tag <= 0xa8 && tag != 0xa4; /* 0xa4: the v1 Trap */
}

static int parse_pdu(struct tb_rd *msg, struct tb_snmp_pdu_msg *m)
{
	struct tb_rd pdu, list;
	if (tlv(msg, &m->pdu, &pdu) != TB_OK || !pdu_has_common_layout(m->pdu))
		return 0;
	if (!get_int(&pdu, &m->request_id) || !get_int(&pdu, &m->error_status) ||
	    !get_int(&pdu, &m->error_index) || !expect(&pdu, 0x30, &list) || tb_rd_left(&pdu) != 0)
		return 0;
	return varbind_list(&list, m);
}

enum tb_err tb_snmp_parse(const uint8_t *p, size_t n, struct tb_snmp_pdu_msg *m)
{
	struct tb_rd r, msg, comm;
	uint8_t tag;
	int64_t version;
	memset(m, 0, sizeof *m);
	tb_rd_init(&r, p, n);
	enum tb_err e = tlv(&r, &tag, &msg);
	if (e != TB_OK)
		return e;
	if (tag != 0x30 || !get_int(&msg, &version) || (version != 0 && version != 1))
		return TB_E_FORMAT; /* SNMPv3 (3) has no community */
	m->version = (int)version;
	if (!expect(&msg, 0x04, &comm))
		return TB_E_FORMAT;
	m->community_off = comm.p ? (size_t)(comm.p - p) : 0;
	m->community_total = tb_rd_left(&comm);
	m->community_len =
		m->community_total < TB_SNMP_COMMUNITY_MAX ? m->community_total : TB_SNMP_COMMUNITY_MAX;
	if (m->community_len)
		memcpy(m->community, comm.p, m->community_len);
	if (!parse_pdu(&msg, m) || tb_rd_left(&msg) != 0)
		return TB_E_FORMAT;
	return TB_OK;
}

const char *tb_snmp_error_name(int64_t status)
{
	static const char *const names[] = {
		"noError",
		"tooBig",
		"noSuchName",
		"badValue",
		"readOnly",
		"genErr",
		"noAccess",
		"wrongType",
		"wrongLength",
		"wrongEncoding",
		"wrongValue",
		"noCreation",
		"inconsistentValue",
		"resourceUnavailable",
		"commitFailed",
		"undoFailed",
		"authorizationError",
		"notWritable",
		"inconsistentName",
	};
	return status >= 0 && status < (int64_t)(sizeof names / sizeof names[0]) ? names[status]
										 : "unknown";
}

int tb_snmp_oid_is(const struct tb_snmp_varbind *vb, const uint32_t *oid, size_t noid)
{
	return vb->oid_len == noid && memcmp(vb->oid, oid, noid * sizeof *oid) == 0;
}
