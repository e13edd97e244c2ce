/* fuzz_p_cleartext.c: HTTP request, FTP command and telnet login parsing.
 * data[0] picks the direction pattern for the telnet feed. */
#include <stdint.h>
#include <stdlib.h>

#include "proto/p_cleartext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_http_sniffed r;
	char verb[5];
	uint8_t arg[64];
	size_t n, used;
	if (tb_p_http_request(data, size, &r) == TB_OK &&
	    (r.user_len > TB_CT_VALUE_MAX || r.secret_len > TB_CT_VALUE_MAX ||
	     r.token_len > TB_CT_VALUE_MAX || r.qtoken_len > TB_CT_VALUE_MAX))
		abort();
	if (tb_p_ftp_command(data, size, verb, arg, sizeof arg, &n) == TB_OK && n > sizeof arg)
		abort();
	if (size < 1)
		return 0;
	struct tb_telnet_login s;
	tb_p_telnet_login_init(&s);
	const uint8_t *p = data + 1;
	size_t left = size - 1, chunk = 0;
	while (left) {
		size_t k = left < 7 ? left : 7;
		(void)tb_p_telnet_login_feed(&s, (data[0] >> (chunk++ % 8)) & 1, p, k, &used);
		if (used == 0 || used > k || s.linelen > sizeof s.line)
			abort();
		p += used;
		left -= used;
	}
	return 0;
}
