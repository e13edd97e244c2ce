/* p_securitytxt.c: security.txt (RFC 9116) parser and judge.
 *
 * File layout (RFC 9116 section 4):
 *   body    = [sign-header] *line [sign-footer]   ; optional OpenPGP
 *                                                 ; cleartext signature
 *   line    = (field / comment) eol / eol         ; eol = CRLF or LF
 *   comment = "#" *(WSP / VCHAR / %x80-FFFFF)
 *   field   = field-name ":" SP value             ; names case-insensitive
 *   fields  = Acknowledgments, Canonical, Contact (1 or more, required),
 *             Encryption, Expires (exactly 1, required, RFC 3339
 *             date-time), Hiring, Policy, Preferred-Languages; others are
 *             allowed and ignored.
 * The whole file is UTF-8.  A signed file (RFC 4880 section 7) is
 *   "-----BEGIN PGP SIGNED MESSAGE-----", armor headers ("Hash: ..."), an
 *   empty line, the dash-escaped body ("- " prefix on lines beginning with
 *   "-"), then "-----BEGIN PGP SIGNATURE-----" and the signature.
 * RFC 3339 date-time: YYYY-MM-DD "T" hh:mm:ss [ "." 1*DIGIT ]
 *   ( "Z" / ("+" / "-") hh:mm ), "T" and "Z" in either case.
 */
#include "proto/p_securitytxt.h"
#include "proto/p_ascii.h"

#include <stdio.h>
#include <string.h>

#include "base/rd.h"

static const char pgp_begin[] = "-----BEGIN PGP SIGNED MESSAGE-----";
static const char pgp_sig[] = "-----BEGIN PGP SIGNATURE-----";

static int prefix_ci(const uint8_t *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return k <= n && tb_ascii_eq_ci(s, k, lit);
}

static int is_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF), no NUL. */
static int utf8_ok(const uint8_t *p, size_t len)
{
	struct tb_rd r;

	tb_rd_init(&r, p, len);
	while (tb_rd_avail(&r, 1)) {
		uint8_t c = tb_rd_u8(&r), lo = 0x80, hi = 0xbf;
		int more;

		if (c == 0)
			return 0;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return 0;
		}
		for (int i = 0; i < more; i++) {
			uint8_t d = tb_rd_u8(&r);

			if (r.trunc || d < lo || d > hi)
				return 0;
			lo = 0x80;
			hi = 0xbf;
		}
	}
	return 1;
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in [0, y), for y >= 0 (year 0 is a leap year). */
static long long leaps_before(long long y)
{
	return (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
}

static const int month_start[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };

/* Days from 1970-01-01 to y-m-d (y >= 0, m 1..12, d valid). */
static long long days_from_civil(long long y, int m, int d)
{
	long long n = 365 * y + leaps_before(y) + month_start[m - 1] + (d - 1);

	if (m > 2 && is_leap(y))
		n++;
	return n - (365LL * 1970 + leaps_before(1970));
}

static int month_days(long long y, int m)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* n decimal digits from r; -1 on a short read or non-digit. */
static int digits(struct tb_rd *r, int n)
{
	int v = 0;

	while (n-- > 0) {
		int c = tb_rd_peek(r);

		if (c < '0' || c > '9')
			return -1;
		tb_rd_skip(r, 1);
		v = v * 10 + (c - '0');
	}
	return v;
}

static int expect(struct tb_rd *r, uint8_t a, uint8_t b)
{
	int c = tb_rd_peek(r);

	if (c != a && c != b)
		return 0;
	tb_rd_skip(r, 1);
	return 1;
}

/* RFC 3339 date-time to epoch seconds; 1 if valid. */
static int rfc3339(const uint8_t *p, size_t n, long long *epoch)
{
	struct tb_rd r;
	int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0, c;

	tb_rd_init(&r, p, n);
	y = digits(&r, 4);
	if (y < 0 || !expect(&r, '-', '-'))
		return 0;
	mo = digits(&r, 2);
	if (mo < 1 || mo > 12 || !expect(&r, '-', '-'))
		return 0;
	d = digits(&r, 2);
	if (d < 1 || d > month_days(y, mo) || !expect(&r, 'T', 't'))
		return 0;
	h = digits(&r, 2);
	if (h < 0 || h > 23 || !expect(&r, ':', ':'))
		return 0;
	mi = digits(&r, 2);
	if (mi < 0 || mi > 59 || !expect(&r, ':', ':'))
		return 0;
	s = digits(&r, 2);
	if (s < 0 || s > 60)
		return 0;
	if (expect(&r, '.', '.')) {
		if (digits(&r, 1) < 0)
			return 0;
		while ((c = tb_rd_peek(&r)) >= '0' && c <= '9')
			tb_rd_skip(&r, 1);
	}
	if (expect(&r, 'Z', 'z')) {
		sign = 0;
	} else if (expect(&r, '+', '+')) {
		sign = 1;
	} else if (expect(&r, '-', '-')) {
		sign = -1;
	} else {
		return 0;
	}
	if (sign) {
		oh = digits(&r, 2);
		if (oh < 0 || oh > 23 || !expect(&r, ':', ':'))
			return 0;
		om = digits(&r, 2);
		if (om < 0 || om > 59)
			return 0;
	}
	if (tb_rd_left(&r) != 0)
		return 0;
	*epoch = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + s -
		 sign * (oh * 3600LL + om * 60LL);
	return 1;
}

static void set_view(struct tb_view *v, const uint8_t *p, size_t n)
{
	if (!v->p) {
		v->p = p;
		v->len = n;
	}
}

static void bad_line(struct tb_sectxt *out, unsigned long lineno)
{
	out->nbad_lines++;
	if (!out->first_bad_line)
		out->first_bad_line = lineno;
}

static void field_line(struct tb_sectxt *out, const uint8_t *l, size_t n, unsigned long lineno)
{
	size_t k = 0;
	const uint8_t *v;
	size_t vn;

	while (n > 0 && is_ws(l[0])) {
		l++;
		n--;
	}
	while (n > 0 && is_ws(l[n - 1]))
		n--;
	if (n == 0 || l[0] == '#')
		return;
	/* field-name: printable US-ASCII except ":" (RFC 5322 ftext). */
	while (k < n && l[k] != ':' && l[k] > 0x20 && l[k] < 0x7f)
		k++;
	if (k == 0 || k == n || l[k] != ':') {
		bad_line(out, lineno);
		return;
	}
	v = l + k + 1;
	vn = n - k - 1;
	while (vn > 0 && is_ws(v[0])) {
		v++;
		vn--;
	}
	if (vn == 0) {
		bad_line(out, lineno);
		return;
	}

	if (tb_ascii_eq_ci(l, k, "contact")) {
		if (out->ncontact < TB_SECTXT_MAX_CONTACTS) {
			out->contact[out->ncontact].p = v;
			out->contact[out->ncontact].len = vn;
		}
		out->ncontact++;
	} else if (tb_ascii_eq_ci(l, k, "expires")) {
		if (out->nexpires++ == 0)
			out->expires_valid = rfc3339(v, vn, &out->expires_epoch);
	} else if (tb_ascii_eq_ci(l, k, "policy")) {
		set_view(&out->policy, v, vn);
	} else if (tb_ascii_eq_ci(l, k, "encryption")) {
		set_view(&out->encryption, v, vn);
	} else if (tb_ascii_eq_ci(l, k, "canonical")) {
		set_view(&out->canonical, v, vn);
	} else if (tb_ascii_eq_ci(l, k, "preferred-languages")) {
		set_view(&out->preferred_languages, v, vn);
	} else if (!tb_ascii_eq_ci(l, k, "acknowledgments") && !tb_ascii_eq_ci(l, k, "hiring") &&
		   !tb_ascii_eq_ci(l, k, "csaf")) {
		out->nunknown++;
	}
}

/* Without its trailing CR and spaces: does l[0..n) read exactly lit? */
static int is_marker(const uint8_t *l, size_t n, const char *lit)
{
	while (n > 0 && (is_ws(l[n - 1]) || l[n - 1] == '\r'))
		n--;
	return n == strlen(lit) && memcmp(l, lit, n) == 0;
}

enum tb_err tb_p_securitytxt(const uint8_t *buf, size_t len, struct tb_sectxt *out)
{
	struct tb_rd r;
	unsigned long lineno = 0;
	enum { PLAIN, ARMOR, SIGNED } mode = PLAIN;

	memset(out, 0, sizeof(*out));
	tb_rd_init(&r, buf, len);
	if (!utf8_ok(r.p, r.len))
		return TB_E_FORMAT;
	if (tb_rd_avail(&r, 3) && memcmp(r.p, "\xef\xbb\xbf", 3) == 0)
		tb_rd_skip(&r, 3);

	while (tb_rd_avail(&r, 1)) {
		const uint8_t *p = r.p + r.off, *l, *lf;
		size_t left = tb_rd_left(&r), n;

		lf = memchr(p, '\n', left);
		n = lf ? (size_t)(lf - p) : left;
		tb_rd_bytes(&r, n, &l);
		if (lf)
			tb_rd_skip(&r, 1);
		lineno++;
		if (n > 0 && l[n - 1] == '\r')
			n--;

		if (lineno == 1 && is_marker(l, n, pgp_begin)) {
			out->pgp_signed = 1;
			mode = ARMOR;
			continue;
		}
		if (mode == ARMOR) {
			/* Armor headers ("Hash: SHA256") end at an empty line. */
			if (is_marker(l, n, ""))
				mode = SIGNED;
			continue;
		}
		if (mode == SIGNED) {
			if (is_marker(l, n, pgp_sig))
				break; /* the signature block is ignored */
			if (n >= 2 && l[0] == '-' && l[1] == ' ') {
				l += 2;
				n -= 2;
			}
		}
		field_line(out, l, n, lineno);
	}
	return TB_OK;
}

/* Append a note to buf (joined by "; "), truncating safely. */
static void note(char *buf, size_t len, const char *msg)
{
	size_t used;

	if (!buf || len == 0)
		return;
	used = strnlen(buf, len);
	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? "; " : "", msg);
}

static void fmt_utc(long long t, char *buf, size_t len)
{
	long long days = t / 86400, secs = t % 86400, y;
	int m = 1;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* Estimate the year from the 400-year cycle, then correct it. */
	if (days < -719528)
		days = -719528; /* clamp to 0000-01-01 */
	y = 1970 + days / 146097 * 400 + days % 146097 * 400 / 146097;
	if (y < 0)
		y = 0;
	while (y > 0 && days_from_civil(y, 1, 1) > days)
		y--;
	while (days_from_civil(y + 1, 1, 1) <= days)
		y++;
	days -= days_from_civil(y, 1, 1);
	while (m < 12 && days >= month_days(y, m)) {
		days -= month_days(y, m);
		m++;
	}
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ", y, m, (int)days + 1, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
}

/* The verdict's reason into d (may be NULL); returns 0, "does not conform". */
static int say(struct tb_diag *d, const char *msg)
{
	tb_diag_set(d, TB_OK, "%s", msg);
	return 0;
}

int tb_sectxt_judge(const struct tb_sectxt *s, long long now, struct tb_diag *d, char *warnbuf,
		    size_t warnlen)
{
	char tmp[160], date[64];
	unsigned stored, good = 0, http = 0;

	if (warnbuf && warnlen)
		warnbuf[0] = '\0';
	if (!s)
		return say(d, "no security.txt");

	stored = s->ncontact < TB_SECTXT_MAX_CONTACTS ? s->ncontact : TB_SECTXT_MAX_CONTACTS;
	for (unsigned i = 0; i < stored; i++) {
		const struct tb_view *c = &s->contact[i];

		if (!c->p)
			continue;
		if (prefix_ci(c->p, c->len, "mailto:") || prefix_ci(c->p, c->len, "https://") ||
		    prefix_ci(c->p, c->len, "tel:"))
			good++;
		else if (prefix_ci(c->p, c->len, "http://"))
			http++;
	}
	if (http && good)
		note(warnbuf, warnlen, "a Contact uses http:// (RFC 9116 requires https)");
	if (s->ncontact > TB_SECTXT_MAX_CONTACTS) {
		snprintf(tmp, sizeof(tmp), "%u Contact fields, only the first %d were checked",
			 s->ncontact, TB_SECTXT_MAX_CONTACTS);
		note(warnbuf, warnlen, tmp);
	}
	if (s->nbad_lines) {
		snprintf(tmp, sizeof(tmp), "%u malformed line%s (first at line %lu)", s->nbad_lines,
			 s->nbad_lines == 1 ? "" : "s", s->first_bad_line);
		note(warnbuf, warnlen, tmp);
	}
	if (s->pgp_signed && !s->canonical.p)
		note(warnbuf, warnlen, "signed but no Canonical field (RFC 9116 recommends one)");
	if (s->expires_valid && s->nexpires >= 1 && s->expires_epoch > now &&
	    s->expires_epoch - now > 365LL * 86400)
		note(warnbuf, warnlen, "Expires is more than a year ahead (RFC 9116 recommends less)");

	if (s->ncontact == 0)
		return say(d, "no Contact field");
	if (!good && http)
		return say(d, "Contact uses http:// (RFC 9116 requires https)");
	if (!good)
		return say(d, "no Contact uses a mailto:, https:// or tel: URI");
	if (s->nexpires == 0)
		return say(d, "Expires missing");
	if (s->nexpires > 1) {
		snprintf(tmp, sizeof(tmp), "Expires appears %u times", s->nexpires);
		return say(d, tmp);
	}
	if (!s->expires_valid)
		return say(d, "Expires is not an RFC 3339 date-time");
	if (s->expires_epoch <= now) {
		fmt_utc(s->expires_epoch, date, sizeof(date));
		snprintf(tmp, sizeof(tmp), "expired on %s", date);
		return say(d, tmp);
	}
	say(d, "conforms to RFC 9116");
	return 1;
}
