/* fuzz_ftp_reply.c: libFuzzer target for the FTP control reply parser.
 *
 * The input is read as a stream of replies, the way login_ftp.c reads
 * them: each good reply is consumed and the rest parsed again.  Every
 * prefix of a good reply must ask for more, never fail differently.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/p_ftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reply(const struct tb_ftp_reply *r, size_t left)
{
	size_t n = strlen(r->text);

	if (r->code < 100 || r->code > 599 || r->len == 0 || r->len > left ||
	    r->len > TB_FTP_REPLY_MAX || r->lines == 0 || n >= TB_FTP_TEXT_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (r->text[i] < 0x20 || r->text[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	struct tb_ftp_reply r;
	char path[64];

	for (;;) {
		enum tb_err e = tb_p_ftp_reply(data + off, size - off, &r);

		if (e == TB_E_TRUNC || e == TB_E_FORMAT || e == TB_E_TOOBIG)
			break;
		if (e != TB_OK)
			abort();
		check_reply(&r, size - off);
		/* A reply cut short before its last LF is never complete. */
		if (tb_p_ftp_reply(data + off, r.len - 1, &(struct tb_ftp_reply){ 0 }) == TB_OK)
			abort();
		if (tb_p_ftp_257_path(r.text, path, sizeof path) && strlen(path) >= sizeof path)
			abort();
		off += r.len;
	}
	return 0;
}
