/* login_mask.h: keep a declared test credential out of what a login driver
 * writes down (check/login.h: "it never appears in the log, the detail or
 * anywhere else"), even when a hostile device echoes it back. */
#ifndef TB_LOGIN_MASK_H
#define TB_LOGIN_MASK_H

#include <stddef.h>
#include <string.h>

#include "base/text.h"

/* Overwrite every occurrence of secret (NUL-terminated; NULL or empty
 * masks nothing) in buf[0..n) with '*'. */
static inline void tb_login_mask(void *buf, size_t n, const char *secret)
{
	if (secret)
		(void)tb_mask_secret(buf, n, secret, strlen(secret));
}

#endif
