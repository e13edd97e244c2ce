/* p_ascii.h: ASCII case folding for protocol keywords in device bytes.
 * Locale-free on purpose: protocol tokens are ASCII whatever the locale. */
#ifndef TB_P_ASCII_H
#define TB_P_ASCII_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint8_t tb_ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* s[0..n) equals lit (given in lower case), ASCII case-insensitive. */
static inline int tb_ascii_eq_ci(const uint8_t *s, size_t n, const char *lit)
{
	if (strlen(lit) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tb_ascii_lower(s[i]) != (uint8_t)lit[i])
			return 0;
	return 1;
}

#endif
