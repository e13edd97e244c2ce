/* login_mask.h: keep a declared test credential out of what a login driver
 * writes down (check/login.h: "it never appears in the log, the detail or
 * anywhere else"), even when a hostile device echoes it back. */
#ifndef TB_LOGIN_MASK_H
#define TB_LOGIN_MASK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Overwrite every occurrence of secret (NUL-terminated, not empty) in
 * buf[0..n) with '*'. */
static inline void tb_login_mask(void *buf, size_t n, const char *secret)
{
	uint8_t *b = buf;
	size_t k = secret ? strlen(secret) : 0;

	if (k == 0 || k > n)
		return;
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(b + i, secret, k) == 0)
			memset(b + i, '*', k);
}

#endif
