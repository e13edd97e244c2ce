/* rd.h: bounds-checked read cursor over untrusted bytes.
 *
 * The error is sticky: after the first short read every getter returns 0 and
 * the cursor stops moving, so a parser reads straight through and checks
 * r.trunc once at the end.  Availability is tested as n <= len - off, which
 * cannot overflow.
 */
#ifndef TB_RD_H
#define TB_RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tb_rd {
	const uint8_t *p;
	size_t len, off;
	int trunc;
};

static inline void tb_rd_init(struct tb_rd *r, const void *p, size_t len)
{
	r->p = (const uint8_t *)p;
	r->len = p ? len : 0;
	r->off = 0;
	r->trunc = 0;
}

static inline size_t tb_rd_left(const struct tb_rd *r)
{
	return r->trunc ? 0 : r->len - r->off;
}

static inline int tb_rd_avail(const struct tb_rd *r, size_t n)
{
	return !r->trunc && n <= r->len - r->off;
}

static inline uint8_t tb_rd_u8(struct tb_rd *r)
{
	if (!tb_rd_avail(r, 1)) {
		r->trunc = 1;
		return 0;
	}
	return r->p[r->off++];
}

/* Next byte without consuming it; -1 at the end (does not set trunc). */
static inline int tb_rd_peek(const struct tb_rd *r)
{
	return tb_rd_avail(r, 1) ? r->p[r->off] : -1;
}

static inline uint16_t tb_rd_be16(struct tb_rd *r)
{
	if (!tb_rd_avail(r, 2)) {
		r->trunc = 1;
		return 0;
	}
	uint16_t v = (uint16_t)((r->p[r->off] << 8) | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static inline uint32_t tb_rd_be32(struct tb_rd *r)
{
	if (!tb_rd_avail(r, 4)) {
		r->trunc = 1;
		return 0;
	}
	const uint8_t *b = r->p + r->off;
	r->off += 4;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* Zero-copy view of the next n bytes; *out is NULL on a short read. */
static inline void tb_rd_bytes(struct tb_rd *r, size_t n, const uint8_t **out)
{
	if (!tb_rd_avail(r, n)) {
		r->trunc = 1;
		*out = NULL;
		return;
	}
	*out = r->p + r->off;
	r->off += n;
}

static inline void tb_rd_skip(struct tb_rd *r, size_t n)
{
	if (!tb_rd_avail(r, n)) {
		r->trunc = 1;
		return;
	}
	r->off += n;
}

/* Child cursor over the next n bytes (for length-prefixed sub-messages). */
static inline void tb_rd_sub(struct tb_rd *r, size_t n, struct tb_rd *child)
{
	const uint8_t *p;
	tb_rd_bytes(r, n, &p);
	tb_rd_init(child, p, p ? n : 0);
	child->trunc = p ? 0 : 1;
}

#endif
