/* fuzz_p_http.c: libFuzzer target for the HTTP response and chunked parsers.
 *
 * The whole input is tried as a response head; whatever follows a good head
 * (or the whole input) is tried as a chunked body with a small output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_view(const uint8_t *p, size_t n, const uint8_t *data, size_t size)
{
	if (p && (p < data || n > size || (size_t)(p - data) > size - n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_http_resp r;
	uint8_t out[257];
	size_t cap, outlen, used;
	const uint8_t *body = data;
	size_t blen = size;
	enum tb_err e;

	e = tb_p_http_response(data, size, &r);
	if (e == TB_OK) {
		if (r.header_len > size || r.status < 100 || r.status > 999 ||
		    r.nheaders > TB_HTTP_MAX_HEADERS || (r.chunked && r.content_length >= 0))
			abort();
		check_view(r.location, r.location_len, data, size);
		check_view(r.content_type, r.content_type_len, data, size);
		body = data + r.header_len;
		blen = size - r.header_len;
	} else if (e != TB_E_TRUNC && e != TB_E_FORMAT) {
		abort();
	}

	cap = size ? data[0] : 0;
	out[cap] = 0xa5;
	e = tb_p_http_dechunk(body, blen, out, cap, &outlen, &used);
	if (outlen > cap || used > blen || out[cap] != 0xa5)
		abort();
	if (e != TB_OK && e != TB_E_TRUNC && e != TB_E_FORMAT && e != TB_E_TOOBIG)
		abort();
	/* Decoding what was consumed again gives the same result. */
	if (e == TB_OK) {
		uint8_t again[256];
		size_t on2, used2;

		if (tb_p_http_dechunk(body, used, again, sizeof(again), &on2, &used2) != TB_OK ||
		    on2 != outlen || used2 != used || memcmp(again, out, outlen) != 0)
			abort();
	}
	return 0;
}
