/* fuzz_p_location.c: libFuzzer target for the Location-header parser
 * (tb_p_location): a redirect is followed only to a path on the same target
 * or to http://<IPv4>[:port], and a refusal leaves the target untouched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_location.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int contains(const uint8_t *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; m <= n && i <= n - m; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t addr = 0xc6120001;
	uint16_t port = 4321;
	char path[600], small[8];
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	memset(path, 'X', sizeof path);
	enum tb_err e = tb_p_location(data, size, &addr, &port, path, sizeof path, &d);
	if (e != TB_OK && e != TB_E_FORMAT)
		abort();
	if (e == TB_E_FORMAT) {
		/* refused: a reason, and nothing but the reason written */
		if (d.msg[0] == '\0' || !memchr(d.msg, '\0', sizeof d.msg))
			abort();
		if (addr != 0xc6120001 || port != 4321 || path[0] != 'X')
			abort();
	} else {
		/* followed: a NUL-terminated absolute path that came from the input */
		size_t pl = strnlen(path, sizeof path);
		if (pl == sizeof path || path[0] != '/' || port == 0 || size == 0)
			abort();
		if (memchr(path, '\0', pl) != NULL || (pl > 1 && !contains(data, size, path, pl)))
			abort();
		int absolute = size >= 7 && memcmp(data, "http://", 7) == 0;
		if (!absolute && (addr != 0xc6120001 || port != 4321))
			abort();
	}
	/* The same input with too little room for the path is never cut. */
	uint32_t a2 = 0;
	uint16_t p2 = 0;
	e = tb_p_location(data, size, &a2, &p2, small, sizeof small, NULL);
	if (e == TB_OK && strnlen(small, sizeof small) == sizeof small)
		abort();
	return 0;
}
