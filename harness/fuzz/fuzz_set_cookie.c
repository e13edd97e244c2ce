/* fuzz_set_cookie.c: libFuzzer target for the Set-Cookie reader and the
 * cookie jar (proto/p_cookie.c): device response heads, then the Cookie
 * header built from what was kept. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tb_cookie_jar jar;
static char header[TB_COOKIE_MAX * (TB_COOKIE_LEN + 2)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char pair[64];
	long n = tb_p_set_cookie(data, size, pair, sizeof pair);
	if (n > 0 && ((size_t)n >= sizeof pair || strlen(pair) != (size_t)n || !strchr(pair, '=')))
		abort();
	memset(&jar, 0, sizeof jar);
	tb_cookie_jar_take(&jar, data, size);
	if (jar.n > TB_COOKIE_MAX)
		abort();
	for (size_t i = 0; i < jar.n; i++) {
		const char *v = jar.v[i];
		if (!memchr(v, '\0', sizeof jar.v[i]) || !strchr(v, '=') || v[0] == '=')
			abort();
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == ';' || *p == ',')
				abort(); /* nothing that could split or extend the Cookie header */
	}
	if (tb_cookie_jar_header(&jar, header, sizeof header) == 0 && jar.n == 0)
		abort();
	return 0;
}
