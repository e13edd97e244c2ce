/* login.c: what every login driver shares: the bounded transcript, outcome
 * names, the bounded proof of a login (check/login.h). */
#include "check/login.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "proto/p_ascii.h"

const char *tb_login_outcome_name(enum tb_login_outcome o)
{
	switch (o) {
	case TB_LOGIN_REJECTED: return "rejected";
	case TB_LOGIN_ACCEPTED: return "ACCEPTED";
	case TB_LOGIN_UNCONFIRMED: return "unconfirmed";
	case TB_LOGIN_NOCONNECT: return "no connection";
	case TB_LOGIN_THROTTLED: return "throttled";
	}
	return "?";
}

void tb_login_log_add(struct tb_login_log *l, const char *dir, const void *data, size_t len)
{
	if (!l || l->full)
		return;
	if (!l->buf)
		l->buf = tb_xmalloc(TB_LOGIN_LOG_MAX);
	/* A plain-ASCII transcript, one line per message: CRs dropped. */
	char *safe = tb_text_escape_with(data, len, TB_ESC_ASCII | TB_ESC_DROP_CR);
	int w = snprintf(l->buf + l->len, TB_LOGIN_LOG_MAX - l->len, "%s %s\n", dir, safe);
	free(safe);
	if (w < 0 || (size_t)w >= TB_LOGIN_LOG_MAX - l->len) {
		static const char cut[] = "-- transcript truncated\n";
		l->full = 1;
		l->len = TB_LOGIN_LOG_MAX - sizeof cut;
		memcpy(l->buf + l->len, cut, sizeof cut); /* with its NUL */
		l->len += sizeof cut - 1;
	} else {
		l->len += (size_t)w;
	}
}

void tb_login_log_note(struct tb_login_log *l, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tb_login_log_add(l, "--", line, strlen(line));
}

void tb_login_log_free(struct tb_login_log *l)
{
	free(l->buf);
	*l = (struct tb_login_log){ 0 };
}

void tb_login_keep(uint8_t *dst, size_t *dlen, size_t cap, const void *src, size_t n)
{
	if (*dlen >= cap)
		return;
	size_t room = cap - *dlen;
	if (n > room)
		n = room;
	memcpy(dst + *dlen, src, n);
	*dlen += n;
}

int tb_login_text_throttled(const char *text)
{
	/* Lower case.  A bare "temporarily" is not among them: FTP's 421
	 * (service temporarily unavailable) is throttling by its code. */
	static const char *const says[] = { "too many",
					    "try again later",
					    "try later",
					    "rate limit",
					    "rate-limit",
					    "slow down",
					    "locked",
					    "lockout",
					    "temporarily blocked",
					    "temporarily banned",
					    "blocked",
					    "temporarily disabled" };
	char low[512];
	size_t n = 0;

	for (; text && text[n] && n + 1 < sizeof low; n++)
		low[n] = (char)tb_ascii_lower((uint8_t)text[n]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
		if (strstr(low, says[i]))
			return 1;
	return 0;
}
