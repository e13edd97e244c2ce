/* p_telnet.c: Telnet filter and prompt classifier (RFC 854, RFC 855).
 *
 * Byte stream from the device (RFC 854):
 *   b                           data byte, any value except IAC (255)
 *   IAC IAC                     one data byte 255
 *   CR NUL                      a carriage return alone; the NUL is dropped
 *   IAC WILL|WONT|DO|DONT opt   option negotiation (251, 252, 253, 254)
 *   IAC SB opt ... IAC SE       subnegotiation (250 ... 240), IAC IAC inside
 *                               stands for 255 (RFC 855)
 *   IAC cmd                     other commands (NOP, DM, BRK, IP, AO, AYT,
 *                               EC, EL, GA): dropped
 * The lab side refuses every option: DO x is answered IAC WONT x, WILL x is
 * answered IAC DONT x, and DONT/WONT need no answer since the option is
 * already off (RFC 854, "the rules of option negotiation").
 */
#include "proto/p_telnet.h"

#include <string.h>

#include "base/rd.h"

#define IAC 255
#define DONT 254
#define DO 253
#define WONT 252
#define WILL 251
#define SB 250
#define SE 240

enum {
	TN_DATA = 0, /* plain data */
	TN_CR,       /* plain data, last byte was CR */
	TN_IAC,      /* after IAC */
	TN_OPT,      /* after IAC WILL/WONT/DO/DONT */
	TN_SB,       /* inside subnegotiation */
	TN_SB_IAC,   /* IAC inside subnegotiation */
};

void tb_p_telnet_init(struct tb_telnet_state *st)
{
	memset(st, 0, sizeof(*st));
}

enum tb_err tb_p_telnet_filter(struct tb_telnet_state *st, const uint8_t *in, size_t inlen,
			       uint8_t *data, size_t datacap, size_t *datalen, uint8_t *reply,
			       size_t replycap, size_t *replylen)
{
	struct tb_rd r;
	size_t dn = 0, rn = 0;
	enum tb_err err = TB_OK;

	if (!data)
		datacap = 0;
	if (!reply)
		replycap = 0;
	tb_rd_init(&r, in, inlen);
	if (st->st < TN_DATA || st->st > TN_SB_IAC)
		tb_p_telnet_init(st);

	while (tb_rd_avail(&r, 1)) {
		uint8_t c = (uint8_t)tb_rd_peek(&r);

		switch (st->st) {
		case TN_DATA:
		case TN_CR:
			if (c == IAC) {
				st->st = TN_IAC;
				break;
			}
			if (c == 0 && st->st == TN_CR) {
				st->st = TN_DATA;
				break;
			}
			if (dn >= datacap) {
				err = TB_E_TOOBIG;
				goto out;
			}
			data[dn++] = c;
			st->st = c == '\r' ? TN_CR : TN_DATA;
			break;
		case TN_IAC:
			if (c == IAC) {
				if (dn >= datacap) {
					err = TB_E_TOOBIG;
					goto out;
				}
				data[dn++] = IAC;
				st->st = TN_DATA;
			} else if (c >= WILL && c <= DONT) {
				st->verb = c;
				st->st = TN_OPT;
			} else if (c == SB) {
				st->in_sb = 1;
				st->sb_len = 0;
				st->st = TN_SB;
			} else {
				st->st = TN_DATA;
			}
			break;
		case TN_OPT:
			if (st->verb == DO || st->verb == WILL) {
				if (replycap - rn < 3) {
					err = TB_E_TOOBIG;
					goto out;
				}
				reply[rn++] = IAC;
				reply[rn++] = st->verb == DO ? WONT : DONT;
				reply[rn++] = c;
			}
			st->verb = 0;
			st->st = TN_DATA;
			break;
		case TN_SB:
		case TN_SB_IAC:
			if (st->st == TN_SB_IAC && c != SE && c != IAC) {
				/* IAC cmd inside SB: the SB was never closed;
				 * treat cmd as a command outside it. */
				st->in_sb = 0;
				st->st = TN_IAC;
				continue; /* same byte, new state */
			}
			if (st->st == TN_SB_IAC && c == SE) {
				st->in_sb = 0;
				st->st = TN_DATA;
				break;
			}
			if (st->sb_len >= TB_TELNET_SB_MAX) {
				/* Unterminated: stop hiding the device's bytes;
				 * this one is data again. */
				st->in_sb = 0;
				st->st = TN_DATA;
				continue;
			}
			st->sb_len++;
			st->st = st->st == TN_SB && c == IAC ? TN_SB_IAC : TN_SB;
			break;
		default: tb_p_telnet_init(st); continue;
		}
		tb_rd_skip(&r, 1);
	}
out:
	if (datalen)
		*datalen = dn;
	if (replylen)
		*replylen = rn;
	return err;
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

static int is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Does s[0..n) end with suf (ASCII case-insensitive, suf lower case)? */
static int ends_with_ci(const uint8_t *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	if (k > n)
		return 0;
	s += n - k;
	for (size_t i = 0; i < k; i++)
		if (lower(s[i]) != (uint8_t)suf[i])
			return 0;
	return 1;
}

/* Offset just past the last occurrence of needle (lower case) in
 * s[0..n), ASCII case-insensitive; 0 if absent. */
static size_t last_end_ci(const uint8_t *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	if (k == 0 || k > n)
		return 0;
	for (size_t i = n - k + 1; i-- > 0;) {
		size_t j = 0;

		while (j < k && lower(s[i + j]) == (uint8_t)needle[j])
			j++;
		if (j == k)
			return i + k;
	}
	return 0;
}

static const char *const login_words[] = { "login:", "username:", "user:", "user name:" };
static const char *const pass_words[] = { "password:", "passcode:" };
static const char *const fail_words[] = { "incorrect", "failed", "denied", "invalid", "bad password" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum tb_telnet_prompt tb_p_telnet_prompt(const uint8_t *text, size_t len)
{
	struct tb_rd r;
	size_t end, start, limit, kwlen = 0, after = 0;
	enum tb_telnet_prompt tail = TB_TN_NONE;
	const uint8_t *t;

	tb_rd_init(&r, text, len);
	len = tb_rd_left(&r);
	t = r.p;

	end = len;
	while (end > 0 && is_space(t[end - 1]))
		end--;
	if (end == 0)
		return TB_TN_NONE;
	start = end;
	while (start > 0 && t[start - 1] != '\n' && t[start - 1] != '\r')
		start--;

	for (size_t i = 0; i < NELEM(pass_words) && tail == TB_TN_NONE; i++) {
		if (ends_with_ci(t + start, end - start, pass_words[i])) {
			tail = TB_TN_PASSWORD;
			kwlen = strlen(pass_words[i]);
		}
	}
	for (size_t i = 0; i < NELEM(login_words) && tail == TB_TN_NONE; i++) {
		if (ends_with_ci(t + start, end - start, login_words[i])) {
			tail = TB_TN_LOGIN;
			kwlen = strlen(login_words[i]);
		}
	}
	if (tail == TB_TN_NONE && end - start <= 64) {
		uint8_t c = t[end - 1];

		if (c == '$' || c == '#' || c == '>' || c == '%')
			tail = TB_TN_SHELL;
	}

	/* FAILED: a failure word after the most recent earlier prompt and
	 * before the tail's own prompt keyword, if it has one. */
	limit = kwlen ? end - kwlen : len;
	for (size_t i = 0; i < NELEM(login_words); i++) {
		size_t e = last_end_ci(t, limit, login_words[i]);

		if (e > after)
			after = e;
	}
	for (size_t i = 0; i < NELEM(pass_words); i++) {
		size_t e = last_end_ci(t, limit, pass_words[i]);

		if (e > after)
			after = e;
	}
	if (after > 0)
		for (size_t i = 0; i < NELEM(fail_words); i++)
			if (last_end_ci(t + after, limit - after, fail_words[i]))
				return TB_TN_FAILED;
	return tail;
}
