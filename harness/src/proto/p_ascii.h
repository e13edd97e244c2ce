/* p_ascii.h: ASCII case folding and byte search for protocol keywords in
 * device bytes.  Locale-free on purpose: protocol tokens are ASCII whatever
 * the locale. */
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

/* Does hay[0..haylen) contain needle[0..nlen)?  An empty needle gives 0:
 * there is nothing to confirm.  Either pointer may be NULL (gives 0). */
static inline int tb_mem_contains(const uint8_t *hay, size_t haylen, const uint8_t *needle, size_t nlen)
{
	if (!hay || !needle || nlen == 0 || nlen > haylen)
		return 0;
	for (size_t i = 0; i + nlen <= haylen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return 1;
	return 0;
}

#endif
