/* p_cookie.c: Set-Cookie values into a bounded jar, and the Cookie header
 * that sends them back (see p_cookie.h). */
#include "proto/p_cookie.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_sp(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* RFC 6265 4.1.1 token characters for a cookie name. */
static int name_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* cookie-octet, plus the double quote that may wrap a value. */
static int value_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f && c != ',' && c != ';' && c != '\\';
}

/* Does one attribute a[0..n) (trimmed) say the cookie is gone: Max-Age
 * zero or negative? */
static int deletes_itself(const uint8_t *a, size_t n)
{
	if (n < 9 || strncasecmp((const char *)a, "max-age=", 8) != 0)
		return 0;
	return a[8] == '-' || (a[8] == '0' && (n == 9 || a[9] == '0'));
}

long tb_p_set_cookie(const uint8_t *v, size_t len, char *out, size_t cap)
{
	size_t i = 0, end;
	while (i < len && is_sp(v[i]))
		i++;
	for (end = i; end < len && v[end] != ';'; end++)
		;
	size_t pe = end;
	while (pe > i && is_sp(v[pe - 1]))
		pe--;
	size_t eq = i, nend;
	while (eq < pe && v[eq] != '=')
		eq++;
	if (eq >= pe)
		return -1;
	for (nend = eq; nend > i && is_sp(v[nend - 1]); nend--)
		;
	if (nend == i)
		return -1;
	for (size_t k = i; k < nend; k++)
		if (!name_char(v[k]))
			return -1;
	size_t vs = eq + 1;
	while (vs < pe && is_sp(v[vs]))
		vs++;
	for (size_t k = vs; k < pe; k++)
		if (!value_char(v[k]))
			return -1;
	size_t n = (nend - i) + 1 + (pe - vs);
	if (!cap || n + 1 > cap)
		return -1;
	/* Attributes: only a Max-Age that deletes the cookie matters here. */
	for (size_t a = end; a < len;) {
		a++; /* the ';' */
		while (a < len && is_sp(v[a]))
			a++;
		size_t ae = a;
		while (ae < len && v[ae] != ';')
			ae++;
		size_t at = ae;
		while (at > a && is_sp(v[at - 1]))
			at--;
		if (deletes_itself(v + a, at - a))
			return 0;
		a = ae;
	}
	memcpy(out, v + i, nend - i);
	out[nend - i] = '=';
	memcpy(out + (nend - i) + 1, v + vs, pe - vs);
	out[n] = '\0';
	return (long)n;
}

/* Length of the name part of a stored or parsed pair (up to '='). */
static size_t name_len(const char *pair)
{
	return strcspn(pair, "=");
}

static void jar_put(struct tb_cookie_jar *j, const char *pair, size_t namelen, int gone)
{
	for (size_t i = 0; i < j->n; i++) {
		if (name_len(j->v[i]) != namelen || memcmp(j->v[i], pair, namelen) != 0)
			continue;
		if (gone) {
			memmove(j->v[i], j->v[i + 1], (j->n - i - 1) * sizeof j->v[0]);
			j->n--;
		} else {
			snprintf(j->v[i], sizeof j->v[i], "%s", pair);
		}
		return;
	}
	if (gone)
		return;
	if (j->n >= TB_COOKIE_MAX) {
		j->dropped++;
		return;
	}
	snprintf(j->v[j->n++], sizeof j->v[0], "%s", pair);
}

/* One header line l[0..n) (without its line end): a Set-Cookie? */
static void take_line(struct tb_cookie_jar *j, const uint8_t *l, size_t n, unsigned *seen)
{
	static const char field[] = "set-cookie:";
	size_t fl = sizeof field - 1;
	if (n < fl || strncasecmp((const char *)l, field, fl) != 0)
		return;
	(*seen)++;
	char pair[TB_COOKIE_LEN + 1];
	long r = tb_p_set_cookie(l + fl, n - fl, pair, sizeof pair);
	if (r < 0) {
		j->dropped++;
		return;
	}
	/* A deleting cookie has no pair: read its name from the line again. */
	if (r == 0) {
		size_t i = fl;
		while (i < n && is_sp(l[i]))
			i++;
		size_t s = i;
		while (i < n && l[i] != '=' && l[i] != ';')
			i++;
		while (i > s && is_sp(l[i - 1]))
			i--;
		if (i - s + 1 > sizeof pair)
			return;
		memcpy(pair, l + s, i - s);
		pair[i - s] = '\0';
		jar_put(j, pair, i - s, 1);
		return;
	}
	jar_put(j, pair, name_len(pair), 0);
}

unsigned tb_cookie_jar_take(struct tb_cookie_jar *j, const uint8_t *buf, size_t head_len)
{
	unsigned seen = 0;
	size_t i = 0;
	/* Skip the status line. */
	while (i < head_len && buf[i] != '\n')
		i++;
	while (i < head_len) {
		size_t s = ++i;
		while (i < head_len && buf[i] != '\n')
			i++;
		size_t e = i;
		if (e > s && buf[e - 1] == '\r')
			e--;
		if (e == s)
			break; /* the blank line ends the head */
		take_line(j, buf + s, e - s, &seen);
	}
	return seen;
}

int tb_cookie_jar_header(const struct tb_cookie_jar *j, char *out, size_t cap)
{
	size_t o = 0;
	if (!j->n || !cap)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < j->n; i++) {
		size_t k = strlen(j->v[i]);
		size_t sep = i ? 2 : 0;
		if (o + sep + k + 1 > cap)
			return -1;
		memcpy(out + o, "; ", sep);
		memcpy(out + o + sep, j->v[i], k);
		o += sep + k;
		out[o] = '\0';
	}
	return 0;
}
