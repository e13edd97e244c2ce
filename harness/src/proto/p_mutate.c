/* p_mutate.c: a pure, seeded mutator of valid requests (see p_mutate.h). */
#include "proto/p_mutate.h"

#include <stdio.h>
#include <string.h>

uint64_t tb_mut_next(struct tb_mut_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t tb_mut_below(struct tb_mut_rng *r, uint32_t n)
{
	return n ? (uint32_t)(tb_mut_next(r) % n) : 0;
}

uint64_t tb_mut_input_seed(uint64_t campaign, uint32_t stream, uint32_t index)
{
	struct tb_mut_rng r = { campaign ^ ((uint64_t)stream << 32 | index) };
	(void)tb_mut_next(&r);
	return tb_mut_next(&r);
}

/* ---- a bounded output buffer ------------------------------------------- */

struct obuf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct obuf *b, const void *s, size_t n)
{
	if (n > b->cap - b->len)
		n = b->cap - b->len;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_str(struct obuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_fill(struct obuf *b, uint8_t c, size_t n)
{
	if (n > b->cap - b->len)
		n = b->cap - b->len;
	memset(b->p + b->len, c, n);
	b->len += n;
}

static void put_byte(struct obuf *b, uint8_t c)
{
	put(b, &c, 1);
}

/* Overwrite a byte already written (a cap below the input may have cut it off). */
static void set_byte(struct obuf *b, size_t at, uint8_t v)
{
	if (at < b->len)
		b->p[at] = v;
}

/* Bytes that break parsers: NUL, DEL, the top bit, overlong UTF-8, ESC. */
static const uint8_t nasty[] = { 0x00, 0xff, 0x80, 0x7f, 0x01, 0x1b, 0xc0, 0xfe, 0x0b, 0x0c };

/* Replace 1..8 bytes of b with nasty ones; flip_bits: flip 1..16 bits instead. */
static void corrupt(struct obuf *b, struct tb_mut_rng *r, int flip_bits)
{
	if (!b->len)
		return;
	uint32_t k = flip_bits ? 1 + tb_mut_below(r, 16) : 1 + tb_mut_below(r, 8);
	for (uint32_t i = 0; i < k; i++) {
		size_t at = tb_mut_below(r, (uint32_t)b->len);
		if (flip_bits)
			b->p[at] ^= (uint8_t)(1u << tb_mut_below(r, 8));
		else
			b->p[at] = nasty[tb_mut_below(r, sizeof nasty)];
	}
}

/* ---- HTTP ---------------------------------------------------------------- */

enum http_op {
	H_LONG_TARGET,
	H_LONG_VALUE,
	H_NO_COLON,
	H_BARE_LF,
	H_NO_LINE_ENDS,
	H_HUGE_LENGTH,
	H_NEGATIVE_LENGTH,
	H_INVALID_BYTES,
	H_TRUNCATE,
	H_BAD_VERSION,
	H_BAD_METHOD,
	H_MANY_HEADERS,
	H_CONFLICTING_FRAMING,
	H_OBS_FOLD,
	H_BIT_FLIPS,
	H_NOPS
};

static const char *const http_op_name[H_NOPS] = {
	[H_LONG_TARGET] = "oversized request target",
	[H_LONG_VALUE] = "oversized header value",
	[H_NO_COLON] = "oversized header line without a colon",
	[H_BARE_LF] = "bare LF line ends",
	[H_NO_LINE_ENDS] = "no line ends at all",
	[H_HUGE_LENGTH] = "huge Content-Length",
	[H_NEGATIVE_LENGTH] = "negative Content-Length",
	[H_INVALID_BYTES] = "invalid bytes",
	[H_TRUNCATE] = "truncated request",
	[H_BAD_VERSION] = "malformed HTTP version",
	[H_BAD_METHOD] = "malformed method",
	[H_MANY_HEADERS] = "thousands of header lines",
	[H_CONFLICTING_FRAMING] = "Transfer-Encoding and Content-Length with a bad chunk",
	[H_OBS_FOLD] = "folded header continuation lines",
	[H_BIT_FLIPS] = "flipped bits",
};

/* Where the request line ends (past its LF) and its two spaces, if any. */
struct reqline {
	size_t end, sp1, sp2;
	int ok; /* both spaces found */
};

static struct reqline reqline_of(const uint8_t *req, size_t len)
{
	struct reqline l = { .end = len };
	const uint8_t *lf = memchr(req, '\n', len);
	if (lf)
		l.end = (size_t)(lf - req) + 1;
	const uint8_t *s1 = memchr(req, ' ', l.end);
	const uint8_t *s2 = s1 ? memchr(s1 + 1, ' ', l.end - (size_t)(s1 + 1 - req)) : NULL;
	if (s1 && s2) {
		l.sp1 = (size_t)(s1 - req);
		l.sp2 = (size_t)(s2 - req);
		l.ok = 1;
	}
	return l;
}

/* The request with text inserted as the first header line(s). */
static void with_header(struct obuf *b, const uint8_t *req, size_t len, const struct reqline *l,
			const char *text)
{
	put(b, req, l->end);
	put_str(b, text);
	put(b, req + l->end, len - l->end);
}

/* A header of `name: ` and n copies of c. */
static void with_long_header(struct obuf *b, const uint8_t *req, size_t len, const struct reqline *l,
			     const char *name, uint8_t c, size_t n)
{
	put(b, req, l->end);
	put_str(b, name);
	put_fill(b, c, n);
	put_str(b, "\r\n");
	put(b, req + l->end, len - l->end);
}

static void copy_without(struct obuf *b, const uint8_t *req, size_t len, const char *drop)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(drop, req[i]))
			put_byte(b, req[i]);
}

/* Replace the part [from, to) of req by text. */
static void with_part(struct obuf *b, const uint8_t *req, size_t len, size_t from, size_t to,
		      const char *text)
{
	put(b, req, from);
	put_str(b, text);
	put(b, req + to, len - to);
}

static size_t http_op(enum http_op op, const uint8_t *req, size_t len, struct tb_mut_rng *r,
		      struct obuf *b)
{
	struct reqline l = reqline_of(req, len);
	size_t n = 1024 + tb_mut_below(r, 7168);
	char text[96];
	static const char *const huge[] = { "18446744073709551616", "99999999999999999999999",
					    "4294967296", "2147483648", "0x7fffffff" };
	static const char *const versions[] = { "HTTP/9.9", "HTTP/1.11111111111111",
						"HTTP/",    "HTTP/-1.0",
						"XTTP/1.1", "HTTP/1.1\x01" };

	switch (op) {
	case H_LONG_TARGET:
		if (!l.ok)
			break;
		put(b, req, l.sp1 + 1);
		put_byte(b, '/');
		put_fill(b, 'A', n);
		put(b, req + l.sp2, len - l.sp2);
		return n;
	case H_LONG_VALUE: with_long_header(b, req, len, &l, "X-Tb-Long: ", 'B', n); return n;
	case H_NO_COLON: with_long_header(b, req, len, &l, "", 'C', n); return n;
	case H_BARE_LF: copy_without(b, req, len, "\r"); return 0;
	case H_NO_LINE_ENDS: copy_without(b, req, len, "\r\n"); return 0;
	case H_HUGE_LENGTH:
		snprintf(text, sizeof text, "Content-Length: %s\r\n",
			 huge[tb_mut_below(r, sizeof huge / sizeof huge[0])]);
		with_header(b, req, len, &l, text);
		return 0;
	case H_NEGATIVE_LENGTH:
		snprintf(text, sizeof text, "Content-Length: -%u\r\n", 1 + tb_mut_below(r, 0x7fffffff));
		with_header(b, req, len, &l, text);
		return 0;
	case H_INVALID_BYTES:
		put(b, req, len);
		corrupt(b, r, 0);
		return 0;
	case H_TRUNCATE: put(b, req, len ? tb_mut_below(r, (uint32_t)len) : 0); return 0;
	case H_BAD_VERSION:
		if (!l.ok)
			break;
		with_part(b, req, len, l.sp2 + 1,
			  l.end - (l.end >= 2 && req[l.end - 2] == '\r' ? 2 : 1),
			  versions[tb_mut_below(r, sizeof versions / sizeof versions[0])]);
		return 0;
	case H_BAD_METHOD:
		if (!l.ok)
			break;
		put_fill(b, 'G', n);
		put(b, req + l.sp1, len - l.sp1);
		return n;
	case H_MANY_HEADERS: {
		uint32_t k = 64 + tb_mut_below(r, 960);
		put(b, req, l.end);
		for (uint32_t i = 0; i < k && b->len < b->cap; i++) {
			snprintf(text, sizeof text, "X-Tb-%u: %u\r\n", i, i);
			put_str(b, text);
		}
		put(b, req + l.end, len - l.end);
		return k;
	}
	case H_CONFLICTING_FRAMING:
		with_header(b, req, len, &l, "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n");
		put_str(b, "fffffffffffffffff\r\nzz\r\n");
		return 0;
	case H_OBS_FOLD: with_header(b, req, len, &l, " folded\r\n\tcontinued\r\n"); return 0;
	case H_BIT_FLIPS:
	case H_NOPS: break;
	}
	put(b, req, len);
	corrupt(b, r, 1);
	return 0;
}

/* "name (n)" or "name" into what. */
static void describe(char what[TB_MUT_WHAT], const char *name, size_t n)
{
	if (n)
		snprintf(what, TB_MUT_WHAT, "%s (%zu)", name, n);
	else
		snprintf(what, TB_MUT_WHAT, "%s", name);
}

static size_t cap_of(size_t cap)
{
	return cap < TB_MUT_MAX ? cap : TB_MUT_MAX;
}

size_t tb_mut_http(const uint8_t *req, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT])
{
	struct tb_mut_rng r = { seed };
	struct obuf b = { out, 0, cap_of(cap) };
	enum http_op op = (enum http_op)tb_mut_below(&r, H_NOPS);
	size_t n = http_op(op, req, len, &r, &b);
	describe(what, http_op_name[op], n);
	return b.len;
}

/* ---- MQTT ---------------------------------------------------------------- */

enum mqtt_op {
	M_LENGTH_TOO_LONG,
	M_LENGTH_TOO_SHORT,
	M_LENGTH_FIVE_BYTES,
	M_LENGTH_NON_MINIMAL,
	M_TRUNCATE,
	M_PROTO_NAME_LIE,
	M_CLIENT_ID_LIE,
	M_BAD_FLAGS,
	M_BAD_TYPE,
	M_LONG_CLIENT_ID,
	M_INVALID_UTF8,
	M_BAD_LEVEL,
	M_TRAILING_GARBAGE,
	M_BIT_FLIPS,
	M_NOPS
};

static const char *const mqtt_op_name[M_NOPS] = {
	[M_LENGTH_TOO_LONG] = "remaining length larger than the packet",
	[M_LENGTH_TOO_SHORT] = "remaining length smaller than the packet",
	[M_LENGTH_FIVE_BYTES] = "remaining length of five bytes",
	[M_LENGTH_NON_MINIMAL] = "remaining length not minimally encoded",
	[M_TRUNCATE] = "truncated packet",
	[M_PROTO_NAME_LIE] = "protocol name length beyond the packet",
	[M_CLIENT_ID_LIE] = "client identifier length beyond the packet",
	[M_BAD_FLAGS] = "reserved or inconsistent connect flags",
	[M_BAD_TYPE] = "reserved packet type or fixed-header flags",
	[M_LONG_CLIENT_ID] = "oversized client identifier",
	[M_INVALID_UTF8] = "client identifier of invalid UTF-8",
	[M_BAD_LEVEL] = "unknown protocol level",
	[M_TRAILING_GARBAGE] = "garbage after the packet",
	[M_BIT_FLIPS] = "flipped bits",
};

/* Offsets into a CONNECT: the body after the remaining length, the connect
 * flags, the client identifier's length field. */
struct connect_at {
	size_t body, rem, flags, cid;
	int ok;
};

static struct connect_at connect_of(const uint8_t *p, size_t len)
{
	struct connect_at c = { 0 };
	size_t i = 1, rem = 0;
	for (int k = 0; k < 4 && i < len; k++, i++) {
		rem |= (size_t)(p[i] & 0x7f) << (7 * k);
		if (!(p[i] & 0x80)) {
			c.body = i + 1;
			break;
		}
	}
	if (!c.body || len < 1 || (p[0] >> 4) != 1 || c.body + 2 > len)
		return c;
	size_t name_len = (size_t)p[c.body] << 8 | p[c.body + 1];
	c.rem = rem;
	c.flags = c.body + 2 + name_len + 1;
	c.cid = c.flags + 3;
	c.ok = c.cid + 2 <= len;
	return c;
}

/* An MQTT variable-byte integer (up to 268435455). */
static void put_varint(struct obuf *b, size_t v)
{
	do {
		uint8_t d = v & 0x7f;
		v >>= 7;
		put_byte(b, (uint8_t)(d | (v ? 0x80 : 0)));
	} while (v);
}

static void with_length(struct obuf *b, const uint8_t *p, size_t len, const struct connect_at *c,
			size_t rem)
{
	put_byte(b, p[0]);
	put_varint(b, rem);
	put(b, p + c->body, len - c->body);
}

/* A copy with the byte at `at` (inside the packet) set to v. */
static void with_byte(struct obuf *b, const uint8_t *p, size_t len, size_t at, uint8_t v)
{
	put(b, p, len);
	set_byte(b, at, v);
}

static size_t mqtt_long_client_id(struct obuf *b, const uint8_t *p, const struct connect_at *c,
				  struct tb_mut_rng *r)
{
	size_t head = c->cid - c->body; /* variable header */
	size_t n = 1000 + tb_mut_below(r, 15000);
	if (n + head + 2 + 8 > b->cap)
		n = b->cap > head + 10 ? b->cap - head - 10 : 0;
	put_byte(b, p[0]);
	put_varint(b, head + 2 + n);
	put(b, p + c->body, head);
	put_byte(b, (uint8_t)(n >> 8));
	put_byte(b, (uint8_t)n);
	put_fill(b, 'D', n);
	return n;
}

static size_t mqtt_op(enum mqtt_op op, const uint8_t *p, size_t len, struct tb_mut_rng *r,
		      struct obuf *b)
{
	struct connect_at c = connect_of(p, len);
	static const uint8_t bad_flags[] = { 0x01, 0x04, 0x40, 0x18, 0x3c, 0xff };
	static const uint8_t bad_b0[] = { 0x00, 0xf0, 0x11, 0x1f, 0x30, 0xe2 };
	static const uint8_t bad_utf8[] = { 0xc0, 0x80, 0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80 };
	static const uint8_t levels[] = { 0, 1, 2, 6, 0x7f, 0xff };

	if (!c.ok && op != M_TRUNCATE && op != M_TRAILING_GARBAGE)
		op = M_BIT_FLIPS;
	switch (op) {
	case M_LENGTH_TOO_LONG: {
		size_t rem = c.rem + 1 + tb_mut_below(r, 268435455u - (uint32_t)c.rem - 1);
		with_length(b, p, len, &c, rem);
		return rem;
	}
	case M_LENGTH_TOO_SHORT: with_length(b, p, len, &c, tb_mut_below(r, (uint32_t)c.rem)); return 0;
	case M_LENGTH_FIVE_BYTES:
		put_byte(b, p[0]);
		put(b, "\xff\xff\xff\xff\x7f", 5);
		put(b, p + c.body, len - c.body);
		return 0;
	case M_LENGTH_NON_MINIMAL:
		put_byte(b, p[0]);
		put_byte(b, (uint8_t)((c.rem & 0x7f) | 0x80));
		put_byte(b, (uint8_t)((c.rem >> 7 & 0x7f) | 0x80));
		put_byte(b, (uint8_t)((c.rem >> 14 & 0x7f) | 0x80));
		put_byte(b, (uint8_t)(c.rem >> 21 & 0x7f));
		put(b, p + c.body, len - c.body);
		return 0;
	case M_TRUNCATE: put(b, p, len ? tb_mut_below(r, (uint32_t)len) : 0); return 0;
	case M_PROTO_NAME_LIE:
		put(b, p, len);
		set_byte(b, c.body, 0xff);
		set_byte(b, c.body + 1, (uint8_t)(0xf0 | tb_mut_below(r, 16)));
		return 0;
	case M_CLIENT_ID_LIE:
		put(b, p, len);
		set_byte(b, c.cid, 0xff);
		set_byte(b, c.cid + 1, 0xff);
		return 0;
	case M_BAD_FLAGS:
		with_byte(b, p, len, c.flags, bad_flags[tb_mut_below(r, sizeof bad_flags)]);
		return 0;
	case M_BAD_TYPE: with_byte(b, p, len, 0, bad_b0[tb_mut_below(r, sizeof bad_b0)]); return 0;
	case M_LONG_CLIENT_ID: return mqtt_long_client_id(b, p, &c, r);
	case M_INVALID_UTF8: {
		size_t head = c.cid - c.body;
		put_byte(b, p[0]);
		put_varint(b, head + 2 + sizeof bad_utf8);
		put(b, p + c.body, head);
		put_byte(b, 0);
		put_byte(b, sizeof bad_utf8);
		put(b, bad_utf8, sizeof bad_utf8);
		return 0;
	}
	case M_BAD_LEVEL:
		with_byte(b, p, len, c.flags - 1, levels[tb_mut_below(r, sizeof levels)]);
		return 0;
	case M_TRAILING_GARBAGE: {
		put(b, p, len);
		uint32_t k = 1 + tb_mut_below(r, 4096);
		for (uint32_t i = 0; i < k && b->len < b->cap; i++)
			put_byte(b, (uint8_t)tb_mut_next(r));
		return k;
	}
	case M_BIT_FLIPS:
	case M_NOPS: break;
	}
	put(b, p, len);
	corrupt(b, r, 1);
	return 0;
}

size_t tb_mut_mqtt(const uint8_t *pkt, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT])
{
	struct tb_mut_rng r = { seed };
	struct obuf b = { out, 0, cap_of(cap) };
	enum mqtt_op op = (enum mqtt_op)tb_mut_below(&r, M_NOPS);
	size_t n = mqtt_op(op, pkt, len, &r, &b);
	describe(what, mqtt_op_name[op], n);
	return b.len;
}

/* ---- telnet (RFC 854 negotiation) ------------------------------------------ */

#define IAC 255
#define SB 250
#define SE 240

enum telnet_op {
	T_SB_UNTERMINATED,
	T_SB_HUGE,
	T_NEGOTIATION_FLOOD,
	T_NO_SUCH_COMMAND,
	T_IAC_AT_END,
	T_SE_WITHOUT_SB,
	T_LONG_LINE,
	T_BARE_CR_NUL,
	T_INVALID_BYTES,
	T_TRUNCATE,
	T_BIT_FLIPS,
	T_NOPS
};

static const char *const telnet_op_name[T_NOPS] = {
	[T_SB_UNTERMINATED] = "subnegotiation never closed",
	[T_SB_HUGE] = "oversized subnegotiation",
	[T_NEGOTIATION_FLOOD] = "flood of option requests",
	[T_NO_SUCH_COMMAND] = "IAC before bytes that are no command",
	[T_IAC_AT_END] = "IAC cut off at the end",
	[T_SE_WITHOUT_SB] = "SE without SB",
	[T_LONG_LINE] = "oversized input line",
	[T_BARE_CR_NUL] = "bare CR, NUL and LF mixes",
	[T_INVALID_BYTES] = "invalid bytes",
	[T_TRUNCATE] = "truncated negotiation",
	[T_BIT_FLIPS] = "flipped bits",
};

static size_t telnet_op(enum telnet_op op, const uint8_t *p, size_t len, struct tb_mut_rng *r,
			struct obuf *b)
{
	size_t n = 1024 + tb_mut_below(r, 7168);
	static const uint8_t verbs[] = { 251, 252, 253, 254 }; /* WILL WONT DO DONT */

	switch (op) {
	case T_SB_UNTERMINATED:
	case T_SB_HUGE:
		put(b, p, len);
		put_byte(b, IAC);
		put_byte(b, SB);
		put_byte(b, (uint8_t)tb_mut_below(r, 256));
		put_fill(b, 'X', n);
		if (op == T_SB_HUGE) {
			put_byte(b, IAC);
			put_byte(b, SE);
		}
		return n;
	case T_NEGOTIATION_FLOOD:
		put(b, p, len);
		for (size_t i = 0; i < n && b->len + 3 <= b->cap; i++) {
			put_byte(b, IAC);
			put_byte(b, verbs[tb_mut_below(r, sizeof verbs)]);
			put_byte(b, (uint8_t)tb_mut_below(r, 256));
		}
		return n;
	case T_NO_SUCH_COMMAND:
		put(b, p, len);
		for (uint32_t i = 0, k = 1 + tb_mut_below(r, 64); i < k; i++) {
			put_byte(b, IAC);
			put_byte(b, (uint8_t)tb_mut_below(r, SE)); /* 0..239: no command */
		}
		return 0;
	case T_IAC_AT_END:
		put(b, p, len);
		put_byte(b, IAC);
		if (tb_mut_below(r, 2))
			put_byte(b, verbs[tb_mut_below(r, sizeof verbs)]);
		return 0;
	case T_SE_WITHOUT_SB:
		for (uint32_t i = 0, k = 1 + tb_mut_below(r, 64); i < k; i++) {
			put_byte(b, IAC);
			put_byte(b, SE);
		}
		put(b, p, len);
		return 0;
	case T_LONG_LINE:
		put(b, p, len);
		put_fill(b, 'A', n);
		put_str(b, "\r\n");
		return n;
	case T_BARE_CR_NUL: {
		static const char *const mixes[] = { "\r\r\r\r", "\r\0\r\0", "\0\0\0\n", "\n\r\n\r" };
		put(b, p, len);
		for (uint32_t i = 0, k = 1 + tb_mut_below(r, 512); i < k; i++)
			put(b, mixes[tb_mut_below(r, 4)], 4);
		return 0;
	}
	case T_INVALID_BYTES:
		put(b, p, len);
		corrupt(b, r, 0);
		return 0;
	case T_TRUNCATE: put(b, p, len ? tb_mut_below(r, (uint32_t)len) : 0); return 0;
	case T_BIT_FLIPS:
	case T_NOPS: break;
	}
	put(b, p, len);
	corrupt(b, r, 1);
	return 0;
}

size_t tb_mut_telnet(const uint8_t *neg, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		     char what[TB_MUT_WHAT])
{
	struct tb_mut_rng r = { seed };
	struct obuf b = { out, 0, cap_of(cap) };
	enum telnet_op op = (enum telnet_op)tb_mut_below(&r, T_NOPS);
	size_t n = telnet_op(op, neg, len, &r, &b);
	describe(what, telnet_op_name[op], n);
	return b.len;
}

/* ---- CoAP (RFC 7252 3.1) --------------------------------------------------- */

enum coap_op {
	C_TOKEN_OVER_8,
	C_TOKEN_BEYOND,
	C_DELTA_15,
	C_LENGTH_15,
	C_EXT13_CUT,
	C_EXT14_CUT,
	C_LENGTH_BEYOND,
	C_EXT14_BEYOND,
	C_NUMBER_OVERFLOW,
	C_MARKER_NO_PAYLOAD,
	C_UNKNOWN_CRITICAL,
	C_MANY_OPTIONS,
	C_LONG_OPTION,
	C_BAD_VERSION,
	C_BAD_CODE,
	C_TRUNCATE,
	C_BIT_FLIPS,
	C_NOPS
};

static const char *const coap_op_name[C_NOPS] = {
	[C_TOKEN_OVER_8] = "token length over 8",
	[C_TOKEN_BEYOND] = "token length beyond the message",
	[C_DELTA_15] = "option delta of the reserved nibble 15",
	[C_LENGTH_15] = "option length of the reserved nibble 15",
	[C_EXT13_CUT] = "13 extension byte cut off",
	[C_EXT14_CUT] = "14 extension bytes cut off",
	[C_LENGTH_BEYOND] = "option length beyond the message",
	[C_EXT14_BEYOND] = "extended option length beyond the message",
	[C_NUMBER_OVERFLOW] = "option number past 65535",
	[C_MARKER_NO_PAYLOAD] = "payload marker without payload",
	[C_UNKNOWN_CRITICAL] = "unknown critical option",
	[C_MANY_OPTIONS] = "hundreds of options",
	[C_LONG_OPTION] = "oversized option value",
	[C_BAD_VERSION] = "unknown CoAP version",
	[C_BAD_CODE] = "reserved code or empty message with content",
	[C_TRUNCATE] = "truncated message",
	[C_BIT_FLIPS] = "flipped bits",
};

/* Where the valid message's options end (the payload marker, the end, or
 * the first malformed option) and the number of its last option. */
struct coap_at {
	size_t opts, end;
	unsigned long last;
	int ok; /* a header and token were there */
};

static struct coap_at coap_of(const uint8_t *m, size_t len)
{
	struct coap_at c = { 0 };
	size_t tkl = len ? m[0] & 15u : 0;
	if (len < 4 || tkl > 8 || len < 4 + tkl)
		return c;
	c.ok = 1;
	c.opts = c.end = 4 + tkl;
	for (size_t i = c.opts; i < len && m[i] != 0xff;) {
		unsigned long f[2] = { m[i] >> 4, m[i] & 15u };
		size_t j = i + 1;
		for (int k = 0; k < 2; k++) {
			if (f[k] == 15)
				return c;
			size_t ext = f[k] == 13 ? 1 : f[k] == 14 ? 2 : 0;
			if (len - j < ext)
				return c;
			if (ext == 1)
				f[k] = 13u + m[j];
			else if (ext == 2)
				f[k] = 269u + ((unsigned long)m[j] << 8 | m[j + 1]);
			j += ext;
		}
		if (f[1] > len - j)
			return c;
		c.last += f[0];
		i = j + f[1];
		c.end = i;
	}
	return c;
}

/* One option's header: delta and length with their 13/14 extensions. */
static void put_opt_head(struct obuf *b, uint32_t delta, uint32_t len)
{
	uint32_t v[2] = { delta, len };
	uint8_t nib[2];
	for (int k = 0; k < 2; k++)
		nib[k] = v[k] < 13 ? (uint8_t)v[k] : v[k] < 269 ? 13 : 14;
	put_byte(b, (uint8_t)(nib[0] << 4 | nib[1]));
	for (int k = 0; k < 2; k++) {
		if (nib[k] == 13) {
			put_byte(b, (uint8_t)(v[k] - 13));
		} else if (nib[k] == 14) {
			put_byte(b, (uint8_t)((v[k] - 269) >> 8));
			put_byte(b, (uint8_t)(v[k] - 269));
		}
	}
}

static size_t coap_op(enum coap_op op, const uint8_t *m, size_t len, struct tb_mut_rng *r,
		      struct obuf *b)
{
	struct coap_at c = coap_of(m, len);
	static const uint8_t codes[] = { 0x20, 0xc0, 0xe0, 0xff, 0x00 };
	static const uint32_t unknown_critical[] = { 2049, 4097, 9999, 65001 };

	if (!c.ok && op != C_TRUNCATE)
		op = C_BIT_FLIPS;
	switch (op) {
	case C_TOKEN_OVER_8: {
		uint8_t tkl = (uint8_t)(9 + tb_mut_below(r, 7));
		with_byte(b, m, len, 0, (uint8_t)((m[0] & 0xf0) | tkl));
		return tkl;
	}
	case C_TOKEN_BEYOND: {
		uint32_t k = tb_mut_below(r, 8); /* token bytes that are there */
		put_byte(b, (uint8_t)((m[0] & 0xf0) | 8));
		put(b, m + 1, 3);
		put_fill(b, 0x5a, k);
		return 0;
	}
	case C_DELTA_15:
	case C_LENGTH_15: {
		uint32_t other = tb_mut_below(r, 15); /* 0..14: never the 0xff marker */
		uint32_t n = 1 + tb_mut_below(r, 16);
		put(b, m, c.end);
		put_byte(b, (uint8_t)(op == C_DELTA_15 ? 0xf0 | other : other << 4 | 0x0f));
		put_fill(b, 'x', n);
		put(b, m + c.end, len - c.end);
		return 0;
	}
	case C_EXT13_CUT:
		put(b, m, c.end);
		put_byte(b, tb_mut_below(r, 2) ? 0xd0 : 0x0d);
		return 0;
	case C_EXT14_CUT:
		put(b, m, c.end);
		put_byte(b, tb_mut_below(r, 2) ? 0xe0 : 0x0e);
		put_byte(b, (uint8_t)tb_mut_below(r, 256));
		return 0;
	case C_LENGTH_BEYOND: {
		uint32_t n = 2 + tb_mut_below(r, 11), have = tb_mut_below(r, n);
		put(b, m, c.end);
		put_byte(b, (uint8_t)n); /* delta 0: Uri-Path again */
		put_fill(b, 'y', have);
		return n;
	}
	case C_EXT14_BEYOND: {
		uint32_t n = 1024 + tb_mut_below(r, 65535 - 1024);
		put(b, m, c.end);
		put_opt_head(b, 0, n + 269);
		put_fill(b, 'z', tb_mut_below(r, 64));
		return n + 269;
	}
	case C_NUMBER_OVERFLOW: {
		uint32_t k = 1 + tb_mut_below(r, 4);
		put(b, m, c.end);
		for (uint32_t i = 0; i < k; i++)
			put_opt_head(b, 65535 + 269, 0); /* each alone past 65535 */
		return k;
	}
	case C_MARKER_NO_PAYLOAD:
		put(b, m, c.end);
		put_byte(b, 0xff);
		return 0;
	case C_UNKNOWN_CRITICAL: {
		uint32_t num = unknown_critical[tb_mut_below(r, 4)];
		uint32_t n = tb_mut_below(r, 8);
		put(b, m, c.end);
		put_opt_head(b, num > c.last ? num - (uint32_t)c.last : 0, n);
		put_fill(b, 'u', n);
		put(b, m + c.end, len - c.end);
		return num;
	}
	case C_MANY_OPTIONS: {
		uint32_t k = 50 + tb_mut_below(r, 450);
		put(b, m, c.end);
		for (uint32_t i = 0; i < k; i++) {
			put_byte(b, 0x01); /* delta 0, one byte: the last option again */
			put_byte(b, 'a');
		}
		put(b, m + c.end, len - c.end);
		return k;
	}
	case C_LONG_OPTION: {
		uint32_t n = 270 + tb_mut_below(r, 2730);
		put(b, m, c.end);
		put_opt_head(b, 0, n);
		put_fill(b, 'P', n);
		put(b, m + c.end, len - c.end);
		return n;
	}
	case C_BAD_VERSION: {
		static const uint8_t versions[] = { 0x00, 0x80, 0xc0 };
		with_byte(b, m, len, 0, (uint8_t)((m[0] & 0x3f) | versions[tb_mut_below(r, 3)]));
		return 0;
	}
	case C_BAD_CODE: with_byte(b, m, len, 1, codes[tb_mut_below(r, sizeof codes)]); return 0;
	case C_TRUNCATE: put(b, m, len ? tb_mut_below(r, (uint32_t)len) : 0); return 0;
	case C_BIT_FLIPS:
	case C_NOPS: break;
	}
	put(b, m, len);
	corrupt(b, r, 1);
	return 0;
}

size_t tb_mut_coap(const uint8_t *msg, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT])
{
	struct tb_mut_rng r = { seed };
	struct obuf b = { out, 0, cap_of(cap) };
	enum coap_op op = (enum coap_op)tb_mut_below(&r, C_NOPS);
	size_t n = coap_op(op, msg, len, &r, &b);
	describe(what, coap_op_name[op], n);
	return b.len;
}

/* ---- UPnP SOAP control requests (UDA 1.x: an HTTP POST, XML body) ---------- */

enum soap_op {
	S_CUT_XML,
	S_UNCLOSED,
	S_DEEP_NESTING,
	S_ENTITY_BOMB,
	S_WRONG_ACTION,
	S_NO_ACTION,
	S_BAD_ENVELOPE,
	S_HUGE_ARGUMENT,
	S_INVALID_BYTES,
	S_LENGTH_SHORT,
	S_LENGTH_LONG,
	S_BIT_FLIPS,
	S_NOPS
};

static const char *const soap_op_name[S_NOPS] = {
	[S_CUT_XML] = "XML body cut off",
	[S_UNCLOSED] = "closing tags turned into opening tags",
	[S_DEEP_NESTING] = "deeply nested elements",
	[S_ENTITY_BOMB] = "nested entity expansion (billion laughs)",
	[S_WRONG_ACTION] = "wrong or malformed SOAPAction",
	[S_NO_ACTION] = "no SOAPAction header",
	[S_BAD_ENVELOPE] = "envelope in the wrong namespace",
	[S_HUGE_ARGUMENT] = "oversized argument",
	[S_INVALID_BYTES] = "invalid bytes in the body",
	[S_LENGTH_SHORT] = "Content-Length shorter than the body",
	[S_LENGTH_LONG] = "Content-Length longer than the body",
	[S_BIT_FLIPS] = "flipped bits in the body",
};

/* Does the header line [p, p+n) have this name (case-insensitive)? */
static int header_is(const uint8_t *p, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (n <= k || p[k] != ':')
		return 0;
	for (size_t i = 0; i < k; i++)
		if ((p[i] | 0x20) != (name[i] | 0x20))
			return 0;
	return 1;
}

/* The request's head (without its blank line) with Content-Length (and,
 * with drop_action, SOAPAction) left out, a SOAPAction of action (when not
 * NULL), Content-Length cl, the blank line. */
static void soap_head(struct obuf *b, const uint8_t *req, size_t head, int drop_action,
		      const char *action, size_t cl)
{
	char text[64];
	for (size_t i = 0; i < head;) {
		const uint8_t *lf = memchr(req + i, '\n', head - i);
		size_t end = lf ? (size_t)(lf - req) + 1 : head;
		if (!header_is(req + i, end - i, "Content-Length") &&
		    !(drop_action && header_is(req + i, end - i, "SOAPAction")))
			put(b, req + i, end - i);
		i = end;
	}
	if (action) {
		put_str(b, "SOAPAction: ");
		put_str(b, action);
		put_str(b, "\r\n");
	}
	snprintf(text, sizeof text, "Content-Length: %zu\r\n\r\n", cl);
	put_str(b, text);
}

/* Where the head ends (past its blank line); len when there is none. */
static size_t soap_body_at(const uint8_t *req, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (memcmp(req + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	return len;
}

/* Offset just past the first `tag` in the body (its start when absent). */
static size_t after(const uint8_t *body, size_t n, const char *tag)
{
	size_t k = strlen(tag);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(body + i, tag, k) == 0)
			return i + k;
	return 0;
}

/* The body, every occurrence of `from` replaced by `to`. */
static void replaced(struct obuf *b, const uint8_t *body, size_t n, const char *from, const char *to)
{
	size_t k = strlen(from);
	for (size_t i = 0; i < n;) {
		if (i + k <= n && memcmp(body + i, from, k) == 0) {
			put_str(b, to);
			i += k;
		} else {
			put_byte(b, body[i++]);
		}
	}
}

/* Build the new body of op in nb; returns the size for the description.
 * *action gets the SOAPAction to set instead of the valid one (NULL: keep). */
static size_t soap_body(enum soap_op op, const uint8_t *body, size_t n, struct tb_mut_rng *r,
			struct obuf *nb, const char **action)
{
	static const char *const actions[] = {
		"\"urn:schemas-upnp-org:service:NoSuchService:1#NoSuchAction\"",
		"urn:schemas-upnp-org:service:ContentDirectory:1#Browse", /* no quotes */
		"\"#\"",
		"\"\"",
		"\"urn:schemas-upnp-org:service:ContentDirectory:1#Browse\"", /* another action */
		"\"urn:schemas-upnp-org:service:ContentDirectory:1#GetSystemUpdateID\x01\xff\"",
	};
	static const char bomb[] =
		"<!DOCTYPE s [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
		"\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e "
		"\"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g "
		"\"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>";
	size_t at, k;

	switch (op) {
	case S_CUT_XML: /* the bytes cut off: at least one */
		k = n > 1 ? 1 + tb_mut_below(r, (uint32_t)n - 1) : n;
		put(nb, body, n - k);
		return k;
	case S_UNCLOSED: replaced(nb, body, n, "</", "<"); return 0;
	case S_DEEP_NESTING:
		k = 500 + tb_mut_below(r, 1500);
		at = after(body, n, "<s:Body>");
		put(nb, body, at);
		for (size_t i = 0; i < k; i++)
			put_str(nb, "<a>");
		for (size_t i = 0; i < k; i++)
			put_str(nb, "</a>");
		put(nb, body + at, n - at);
		return k;
	case S_ENTITY_BOMB:
		at = after(body, n, "?>"); /* after the XML declaration */
		put(nb, body, at);
		put_str(nb, bomb);
		k = after(body + at, n - at, "<s:Body>");
		put(nb, body + at, k);
		put_str(nb, "&g;");
		put(nb, body + at + k, n - at - k);
		return 0;
	case S_WRONG_ACTION:
		*action = actions[tb_mut_below(r, sizeof actions / sizeof actions[0])];
		put(nb, body, n);
		return 0;
	case S_NO_ACTION: put(nb, body, n); return 0;
	case S_BAD_ENVELOPE:
		replaced(nb, body, n, "http://schemas.xmlsoap.org/soap/envelope/", "urn:tb:not-soap");
		return 0;
	case S_HUGE_ARGUMENT:
		k = 1024 + tb_mut_below(r, 7168);
		at = after(body, n, "<s:Body>");
		at += after(body + at, n - at, ">"); /* inside the action's element */
		put(nb, body, at);
		put_str(nb, "<ObjectID>");
		put_fill(nb, 'A', k);
		put_str(nb, "</ObjectID>");
		put(nb, body + at, n - at);
		return k;
	case S_INVALID_BYTES:
	case S_BIT_FLIPS:
		put(nb, body, n);
		corrupt(nb, r, op == S_BIT_FLIPS);
		return 0;
	case S_LENGTH_SHORT:
	case S_LENGTH_LONG:
	case S_NOPS: break;
	}
	put(nb, body, n);
	return 0;
}

size_t tb_mut_soap(const uint8_t *req, size_t len, uint64_t seed, uint8_t *out, size_t cap,
		   char what[TB_MUT_WHAT])
{
	struct tb_mut_rng r = { seed };
	struct obuf b = { out, 0, cap_of(cap) };
	uint8_t tmp[TB_MUT_MAX];
	struct obuf nb = { tmp, 0, sizeof tmp };
	enum soap_op op = (enum soap_op)tb_mut_below(&r, S_NOPS);
	size_t at = soap_body_at(req, len), head = at >= 2 ? at - 2 : at;
	const char *action = NULL;
	size_t n = soap_body(op, req + at, len - at, &r, &nb, &action);
	size_t cl = nb.len;
	if (op == S_LENGTH_SHORT)
		cl = nb.len ? tb_mut_below(&r, (uint32_t)nb.len) : 0;
	else if (op == S_LENGTH_LONG)
		cl = nb.len + 1 + tb_mut_below(&r, 1000000);
	if (op == S_LENGTH_SHORT || op == S_LENGTH_LONG) /* the size of the lie */
		n = cl > nb.len ? cl - nb.len : nb.len - cl;
	soap_head(&b, req, head, op == S_NO_ACTION || action != NULL, action, cl);
	put(&b, tmp, nb.len);
	describe(what, soap_op_name[op], n);
	return b.len;
}

/* ---- evidence -------------------------------------------------------------- */

size_t tb_mut_escape(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need = 0, done = 0; /* done: bytes written, a prefix of whole escapes */
	for (size_t i = 0; i < len; i++) {
		char e[5];
		uint8_t c = in[i];
		if (c == '\\')
			memcpy(e, "\\\\", 3);
		else if (c == '\r')
			memcpy(e, "\\r", 3);
		else if (c == '\n')
			memcpy(e, "\\n", 3);
		else if (c == '\t')
			memcpy(e, "\\t", 3);
		else if (c >= 0x20 && c < 0x7f)
			e[0] = (char)c, e[1] = '\0';
		else
			snprintf(e, sizeof e, "\\x%02x", c);
		size_t el = strlen(e);
		if (done == need && need + el < cap) {
			memcpy(out + need, e, el);
			done += el;
		}
		need += el;
	}
	if (cap)
		out[done] = '\0';
	return need;
}
