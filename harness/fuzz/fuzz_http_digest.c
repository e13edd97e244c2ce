/* fuzz_http_digest.c: libFuzzer target for the HTTP Digest challenge parser
 * (a device's WWW-Authenticate value) and the answer built from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/httpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_http_digest d;
	struct tb_diag why = { 0 };
	memset(&d, 0, sizeof d);
	if (tb_http_digest_challenge(data, size, &d, &why) != TB_OK)
		return 0;
	if (!memchr(d.realm, '\0', sizeof d.realm) || !memchr(d.nonce, '\0', sizeof d.nonce) ||
	    !memchr(d.opaque, '\0', sizeof d.opaque))
		abort();
	d.user = "admin";
	d.pass = "admin";
	char out[1024];
	if (tb_http_digest_auth(&d, "GET", "/admin/", "0a4f113b", out, sizeof out) == 0 &&
	    !memchr(out, '\0', sizeof out))
		abort();
	return 0;
}
