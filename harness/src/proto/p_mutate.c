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
